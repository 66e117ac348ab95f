"""Limits no department can mean (9999 days, a 400-digit number, 三百六十五万天) are problems, never
figures; and no JSON the command line prints holds NaN or Infinity."""

from __future__ import annotations

import json
import math
import subprocess
import sys
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import pytest
from builders import workbook
from sample import SETTINGS

from approvals.analysis import analyze
from approvals.dataset.build import Dataset, load_dataset
from approvals.dataset.limits import parse_limit, parse_limits
from approvals.views.command_line import json_bytes, json_text

ROOT = Path(__file__).resolve().parents[2]
HEADER = ["序号", "实施部门", "事项编码", "事项名称", "法定时限", "承诺时限", "处理意见"]
FOUR_HUNDRED_DIGITS = "1" * 400


def items_file(*rows: list[Any]) -> bytes:
    return workbook({"许可": [HEADER, *[[n, *r] for n, r in enumerate(rows, start=1)]]})


def dataset_of(*rows: list[Any]) -> Dataset:
    return load_dataset([("水利局.xlsx", items_file(*rows))], SETTINGS)


@pytest.mark.parametrize(
    ("text", "unit"),
    [
        (FOUR_HUNDRED_DIGITS, None),
        ("9999", None),
        (9999, None),
        ("2147483648", None),
        ("三百六十五万", None),
        ("三百六十五万天", None),
        ("九" * 400, None),
        ("九" * 5000, None),
        ("5-" + "9" * 400, None),
        (5000, "月"),
        (30000, "小时"),
        ("3651", None),
    ],
)
def test_a_limit_above_the_plausible_maximum_is_refused_as_absurd(text: Any, unit: Any) -> None:
    limit = parse_limit(text, unit, settings=SETTINGS)
    assert limit.status == "invalid"
    assert limit.absurd
    assert math.isnan(limit.days)
    assert "未计入时限统计" in limit.message
    assert "inf" not in limit.message and "limits.toml" not in limit.message


@pytest.mark.parametrize("text", ["-5", "−5", -5, 1e308, "1e308", float("inf"), float("-inf")])
def test_negative_and_exponent_limits_are_never_values(text: Any) -> None:
    limit = parse_limit(text, settings=SETTINGS)
    assert limit.status == "invalid"
    assert math.isnan(limit.days)


def test_the_maximum_itself_is_a_limit_and_one_day_more_is_not() -> None:
    most = SETTINGS.limits.maximum_days
    assert most == 3650
    frame = parse_limits(pd.Series([f"{most:g}", f"{most + 1:g}"]), settings=SETTINGS)
    assert frame["status"].tolist() == ["value", "invalid"]
    assert frame["days"].iloc[0] == most
    assert frame["absurd"].tolist() == [False, True]


def test_the_maximum_is_read_from_limits_toml() -> None:
    data = dict(SETTINGS.data["limits.toml"]) | {"maximum_days": 20}
    settings = SETTINGS.replaced("limits.toml", data)
    assert parse_limit("20个工作日", settings=settings).status == "value"
    assert parse_limit("21个工作日", settings=settings).absurd


def test_an_absurd_item_limit_is_a_problem_naming_file_sheet_row_column_and_value() -> None:
    cat = dataset_of(
        ["市水利局", "SL-1", "取水许可", FOUR_HUNDRED_DIGITS, "20个工作日", "保留"],
        ["市水利局", "SL-2", "河道采砂许可", "三百六十五万天", "10个工作日", "保留"],
        ["市水利局", "SL-3", "水土保持方案审批", "30个工作日", "15个工作日", "保留"],
    )
    absurd = cat.problems[cat.problems["code"] == "limit_absurd"]
    assert absurd[["file", "sheet", "row", "column"]].values.tolist() == [
        ["水利局.xlsx", "许可", 2, "法定时限"],
        ["水利局.xlsx", "许可", 3, "法定时限"],
    ]
    assert absurd["value"].tolist() == [FOUR_HUNDRED_DIGITS, "三百六十五万天"]
    assert absurd["message"].str.contains("不像真实的时限").all()
    assert cat.items["statutory_status"].tolist() == ["invalid", "invalid", "value"]


def test_absurd_limits_are_left_out_of_the_averages() -> None:
    cat = dataset_of(
        ["市水利局", "SL-1", "取水许可", FOUR_HUNDRED_DIGITS, "20个工作日", "保留"],
        ["市水利局", "SL-2", "河道采砂许可", "40个工作日", "10个工作日", "保留"],
        ["市水利局", "SL-3", "水土保持方案审批", "30个工作日", "15个工作日", "保留"],
    )
    overall = analyze(cat).overall
    # Only SL-2 and SL-3 have both limits: (40 + 30) / 2 before, (10 + 15) / 2 after.
    assert overall["before_avg_days"] == pytest.approx(35.0)
    assert overall["after_avg_days"] == pytest.approx(12.5)


def test_an_absurd_step_limit_is_a_problem_and_counts_as_no_days() -> None:
    steps = [
        ["事项编码", "环节序号", "环节名称", "办理时限", "前置环节"],
        ["SL-1", 1, "受理", "1", ""],
        ["SL-1", 2, "审查", "9" * 400, "1"],
        ["SL-1", 3, "决定", "2", "2"],
    ]
    sheets = {
        "许可": [HEADER, [1, "市水利局", "SL-1", "取水许可", "20个工作日", "10个工作日", "保留"]],
        "办理环节": steps,
    }
    cat = load_dataset([("水利局.xlsx", workbook(sheets))], SETTINGS)
    bad = cat.problems[cat.problems["code"] == "step_limit_absurd"]
    assert bad["row"].tolist() == [3]
    assert cat.steps["days"].tolist() == [1.0, 0.0, 2.0]
    assert analyze(cat).processes["critical_path_days"].tolist() == [3.0]


def _refuse(constant: str) -> None:
    raise AssertionError(f"not strict JSON: {constant}")


def test_the_command_lines_json_is_strict_even_with_absurd_limits(tmp_path: Path) -> None:
    path = tmp_path / "水利局.xlsx"
    path.write_bytes(
        items_file(
            ["市水利局", "SL-1", "取水许可", FOUR_HUNDRED_DIGITS, "20个工作日", "保留"],
            ["市水利局", "SL-2", "河道采砂许可", "40个工作日", "10个工作日", "保留"],
        )
    )
    run = [sys.executable, "-m", "approvals", "analyze", str(path)]
    out = subprocess.run([*run, "--json"], cwd=ROOT, capture_output=True, text=True, timeout=120, check=True)
    result = json.loads(out.stdout, parse_constant=_refuse)
    assert result["overall"]["before_avg_days"] == pytest.approx(40.0)
    assert "limit_absurd" in {p["code"] for p in result["problems"]}
    text = subprocess.run(run, cwd=ROOT, capture_output=True, text=True, timeout=120, check=True).stdout
    assert "inf" not in text.lower() and "nan" not in text.lower()


def test_json_text_writes_non_finite_numbers_as_null_at_any_depth() -> None:
    value = {"a": [1.5, float("inf"), {"b": float("nan")}], "c": np.float64("-inf"), "d": (2, "inf")}
    text = json_text(value)
    assert json.loads(text, parse_constant=_refuse) == {
        "a": [1.5, None, {"b": None}],
        "c": None,
        "d": [2, "inf"],
    }
    assert json_bytes(value) == text.encode("utf-8")
