"""The same standard item across localities, on a small catalogue worked out by hand: ties for the
best limit, a locality missing an item, hours and 即办, limits that cannot be compared."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest
from builders import csv_bytes
from sample import SETTINGS

from approvals.dataset.build import build_dataset
from approvals.figures.benchmarks import benchmarks, localities, standard_codes
from approvals.read.reading import read_source

ROOT = Path(__file__).resolve().parents[2]
HEADER = ["基本编码", "事项编码", "行政区划", "实施部门", "事项名称", "事项类型", "法定办结时限",
          "承诺办结时限"]  # fmt: skip
# 取水许可 (S1): 甲县 5, 乙县 40 小时 = 5, 丙县 12 → best 5 (甲县, 乙县), median 5, max 12.
# 采砂许可 (S2): 甲县 即办 = 0, 乙县 3, 丙县 法律未规定 (left out) → best 0 (甲县), median 1.5.
# 林木采伐 (S3): 甲县 only → not compared. 探矿 (S4): 乙县 two 办理项, 8 and 10 → 10; 丙县 6.
ROWS = [
    ["S1", "a1", "甲县", "甲县水利局", "取水许可", "行政许可", "20个工作日", "5个工作日"],
    ["S1", "b1", "乙县", "乙县水利局", "取水许可", "行政许可", "20个工作日", "40小时"],
    ["S1", "c1", "丙县", "丙县水利局", "取水许可（新办）", "行政许可", "20个工作日", "12"],
    ["S2", "a2", "甲县", "甲县水利局", "河道采砂许可", "行政许可", "20个工作日", "即办"],
    ["S2", "b2", "乙县", "乙县水利局", "河道采砂许可", "行政许可", "20个工作日", "3个工作日"],
    ["S2", "c2", "丙县", "丙县水利局", "河道采砂许可", "行政许可", "20个工作日", "法律未规定"],
    ["S3", "a3", "甲县", "甲县林业局", "林木采伐许可证核发", "行政许可", "20个工作日", "10个工作日"],
    ["S4", "b4", "乙县", "乙县自然资源局", "探矿权新立登记", "行政许可", "40个工作日", "8个工作日"],
    ["S4", "b5", "乙县", "乙县自然资源局", "探矿权延续登记", "行政许可", "40个工作日", "10个工作日"],
    ["S4", "c4", "丙县", "丙县自然资源局", "探矿权新立登记", "行政许可", "40个工作日", "6个工作日"],
]


def catalogue_items(rows: list[list[str]] = ROWS, header: list[str] = HEADER) -> pd.DataFrame:
    reading = read_source(("全省实施清单.csv", csv_bytes([header, *rows])), SETTINGS.columns)
    return build_dataset([reading], SETTINGS).items


@pytest.fixture(scope="module")
def found():  # type: ignore[no-untyped-def]
    return benchmarks(catalogue_items())


def test_each_standard_item_has_its_best_limit_the_localities_at_it_and_median_and_longest(found) -> None:  # type: ignore[no-untyped-def]
    table = found.items.set_index("code")
    assert table.index.tolist() == ["S1", "S2", "S4"]  # S3 is carried out by one county only
    assert table.loc["S1", ["localities", "best_days", "median_days", "max_days"]].tolist() == [3, 5, 5, 12]
    assert table.loc["S1", "best_localities"] == ["乙县", "甲县"]  # 40 hours are 5 working days
    assert table.loc["S2", ["localities", "best_days", "median_days", "max_days"]].tolist() == [2, 0, 1.5, 3]
    assert table.loc["S2", "best_localities"] == ["甲县"]  # 即办 is 0; 法律未规定 is not compared
    assert table.loc["S4", ["localities", "best_days", "max_days"]].tolist() == [2, 6, 10]
    assert table.loc["S1", "name"] == "取水许可"  # the name most localities use


def test_each_locality_has_its_gap_to_the_best_and_a_rank_by_its_mean_gap(found) -> None:  # type: ignore[no-untyped-def]
    gaps = {(g.code, g.locality): (g.committed_days, g.gap_days) for g in found.gaps.itertuples()}
    assert gaps == {
        ("S1", "甲县"): (5, 0), ("S1", "乙县"): (5, 0), ("S1", "丙县"): (12, 7),
        ("S2", "甲县"): (0, 0), ("S2", "乙县"): (3, 3),
        ("S4", "乙县"): (10, 4), ("S4", "丙县"): (6, 0),
    }  # fmt: skip
    places = found.localities.set_index("locality")
    # 甲县: 2 items, both best, mean gap 0; 乙县: 3 items, 1 best, (0 + 3 + 4) / 3; 丙县: (7 + 0) / 2.
    assert places.loc["甲县", ["items", "best_items", "mean_gap_days", "rank"]].tolist() == [2, 2, 0, 1]
    assert places.loc["乙县", ["items", "best_items", "rank"]].tolist() == [3, 1, 2]
    assert places.loc["乙县", "mean_gap_days"] == pytest.approx(7 / 3)
    assert places.loc["丙县", ["items", "best_items", "mean_gap_days", "rank"]].tolist() == [2, 1, 3.5, 3]


def test_without_a_locality_column_the_implementing_body_is_the_locality() -> None:
    header = [h for h in HEADER if h != "行政区划"]
    rows = [[c for i, c in enumerate(row) if i != 2] for row in ROWS]
    found = benchmarks(catalogue_items(rows, header))
    assert found.items.set_index("code").loc["S1", "best_localities"] == ["乙县水利局", "甲县水利局"]


def test_without_a_basic_code_the_item_code_is_the_standard_code() -> None:
    items = pd.DataFrame({"basic_code": ["", "", "B"], "code": ["X1", "X1", "X2"]})
    assert standard_codes(items).tolist() == ["X1", "X1", "B"]
    places = pd.DataFrame({"department": ["甲局", "乙局"]})
    assert localities(places).tolist() == ["甲局", "乙局"]


def test_ties_rank_alike_and_no_comparable_item_gives_empty_tables() -> None:
    assert benchmarks(catalogue_items(ROWS[6:7])).empty
    items = pd.DataFrame(
        {"basic_code": ["S", "S", "S"], "code": "", "name": "许可", "locality": ["甲", "乙", "丙"],
         "department": "", "after_days": [3.0, 3.0, 4.0]}
    )  # fmt: skip
    assert benchmarks(items).localities.set_index("locality")["rank"].to_dict() == {"甲": 1, "乙": 1, "丙": 3}


def test_the_command_lines_json_carries_benchmarks_and_gaps(tmp_path: Path) -> None:
    path = tmp_path / "全省实施清单.csv"
    path.write_bytes(csv_bytes([HEADER, *ROWS]))
    done = subprocess.run(
        [sys.executable, "-m", "approvals", "analyze", str(path), "--json"],
        cwd=ROOT, capture_output=True, text=True, check=True,
    )  # fmt: skip
    out = json.loads(done.stdout)
    first = out["benchmarks"][0]
    assert first == {"code": "S1", "name": "取水许可", "localities": 3, "best_days": 5.0,
                     "best_localities": ["乙县", "甲县"], "median_days": 5.0, "max_days": 12.0}  # fmt: skip
    worst = {"code": "S1", "locality": "丙县", "committed_days": 12.0, "gap_days": 7.0}
    assert worst in out["benchmark_gaps"]
    assert len(out["benchmark_gaps"]) == 7
