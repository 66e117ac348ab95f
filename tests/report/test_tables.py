"""analyze --out: the per-item tables as Parquet files that other tools read back whole."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pyarrow.parquet as pq
from builders import csv_bytes
from figures.test_benchmarks import HEADER, ROWS

ROOT = Path(__file__).resolve().parents[2]
SAMPLE = ROOT / "data" / "sample"


def analyze(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "approvals", "analyze", *args],
        cwd=ROOT, capture_output=True, text=True, check=True,
    )  # fmt: skip


def test_the_samples_tables_come_back_with_the_jsons_counts_and_types(tmp_path: Path) -> None:
    done = analyze(str(SAMPLE), "--json", "--year", "2026", "--out", str(tmp_path / "表"))
    out = json.loads(done.stdout)  # the JSON stays alone on standard output
    folder = tmp_path / "表"
    assert sorted(p.name for p in folder.iterdir()) == [
        "flags.parquet", "items.parquet", "problems.parquet", "processes.parquet",
    ]  # fmt: skip
    items = pq.read_table(folder / "items.parquet").to_pandas()
    assert len(items) == out["overall"]["before"] == 446
    assert items["after_days"].dtype.kind == "f"
    assert items["after_days"].mean() > 0
    processes = pq.read_table(folder / "processes.parquet").to_pandas()
    assert len(processes) == len(out["processes"])
    first = out["processes"][0]
    assert list(processes["critical_path"].iloc[0]) == first["critical_path"]
    flags = pq.read_table(folder / "flags.parquet")
    assert flags.num_rows == len(out["flags"])
    assert pq.read_table(folder / "problems.parquet").num_rows == len(out["problems"])
    assert "已写出" in done.stderr


def test_a_catalogue_shared_by_localities_also_writes_the_benchmark_tables(tmp_path: Path) -> None:
    path = tmp_path / "全省实施清单.csv"
    path.write_bytes(csv_bytes([HEADER, *ROWS]))
    analyze(str(path), "--out", str(tmp_path / "out"))
    gaps = pq.read_table(tmp_path / "out" / "benchmark_gaps.parquet").to_pandas()
    assert len(gaps) == 7
    assert gaps["gap_days"].max() == 7.0
    best = pq.read_table(tmp_path / "out" / "benchmarks.parquet").to_pandas().set_index("code")
    assert list(best.loc["S1", "best_localities"]) == ["乙县", "甲县"]
