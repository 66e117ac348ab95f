"""A folder of 500 department files on the command line: every good file counted, every bad one
named with its reason, the run finished in one pass (no file's failure stops the others)."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from builders import csv_bytes, messy_items_workbook

ROOT = Path(__file__).resolve().parents[3]
HEADER = ["序号", "实施部门", "事项名称", "事项类型", "法定办结时限", "承诺办结时限", "处理意见"]
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64


def test_a_folder_of_500_files_counts_the_good_and_names_each_bad_one(tmp_path: Path) -> None:
    folder = tmp_path / "各部门报送"
    folder.mkdir()
    bad: list[str] = []
    for n in range(500):
        department = f"第{n:03d}局"
        rows = [[k, department, f"{department}事项{k}", "行政许可", "20个工作日", "10个工作日", "保留"]
                for k in (1, 2, 3)]  # fmt: skip
        if n % 50 == 7:  # ten pictures renamed .xlsx
            path = folder / f"{department}.xlsx"
            path.write_bytes(PNG)
            bad.append(path.name)
        elif n % 50 == 8:  # ten empty files
            path = folder / f"{department}.csv"
            path.write_bytes(b"")
            bad.append(path.name)
        elif n % 2:
            items = [[department, f"D{n:03d}-{k}", name, kind, "《某法》", limit, new, decision, ""]
                     for k, _department, name, kind, limit, new, decision in rows]  # fmt: skip
            (folder / f"{department}.xlsx").write_bytes(messy_items_workbook(items))
        else:
            (folder / f"{department}.csv").write_bytes(csv_bytes([HEADER, *rows], encoding="gb18030"))
    done = subprocess.run(
        [sys.executable, "-m", "approvals", "analyze", str(folder), "--json"],
        cwd=ROOT, capture_output=True, text=True, timeout=600,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr[-2000:]
    out = json.loads(done.stdout)
    assert out["overall"]["before"] == 480 * 3
    assert len(out["departments"]) == 480
    for name in bad:
        assert name in done.stderr, name
    assert "Traceback" not in done.stderr
