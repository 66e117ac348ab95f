"""The analyst's edits: a decision or a new committed limit changes the figures at once."""

from __future__ import annotations

import pandas as pd
import pytest
from builders import workbook
from sample import SETTINGS

from approvals.analysis import analyze
from approvals.dataset.build import Dataset, load_dataset
from approvals.dataset.edits import (
    apply_edits,
    decided_edits,
    edited_dataset,
    empty_edits,
    limit_refusal,
    record_edit,
    refused_limit,
)
from approvals.errors import OptionError

HEADER = ["事项名称", "实施部门", "法定时限", "承诺时限", "处理意见"]


@pytest.fixture
def dataset() -> Dataset:
    rows = [
        HEADER,
        ["甲", "市水利局", "20", "10", "保留"],
        ["乙", "市水利局", "20", "10", "取消"],
        ["丙", "市水利局", "30", "30", "保留"],
        ["丁", "市水利局", "20", "10", "待研究"],
    ]
    return load_dataset([("水利.xlsx", workbook({"表": rows}))], SETTINGS)


def item(dataset: Dataset, name: str) -> pd.Series:
    return dataset.items[dataset.items["name"] == name].iloc[0]


def test_changing_a_decision_changes_the_streamlining_rate(dataset: Dataset) -> None:
    before = analyze(dataset).overall
    assert before.streamlining_rate == pytest.approx(1 / 3)  # 丁 is undecided
    edits = record_edit(empty_edits(), item(dataset, "丙")["item_key"], "decision", "cancelled")
    after = analyze(edited_dataset(dataset, edits)).overall
    assert after.streamlining_rate == pytest.approx(2 / 3)


def test_deciding_an_undecided_item_brings_it_into_the_rate(dataset: Dataset) -> None:
    edits = record_edit(empty_edits(), item(dataset, "丁")["item_key"], "decision", "delegated")
    overall = analyze(edited_dataset(dataset, edits)).overall
    assert (overall.undecided, overall.streamlined) == (0, 2)
    assert overall.streamlining_rate == 0.5


def test_a_new_committed_limit_is_parsed_and_changes_the_shortening_rate(dataset: Dataset) -> None:
    edits = record_edit(empty_edits(), item(dataset, "丙")["item_key"], "committed", "十五个工作日")
    edited = edited_dataset(dataset, edits)
    assert edited.items.set_index("name").loc["丙", "after_days"] == 15.0
    assert edited.items.set_index("name").loc["丙", "edited"] == "承诺办结时限（清理后）"
    overall = analyze(edited).overall
    # Retained 甲 and 丙: (20 + 30) / 2 = 25 → (10 + 15) / 2 = 12.5.
    assert overall.shortening_rate == pytest.approx(0.5)


def test_the_latest_edit_of_a_field_wins_and_the_files_are_untouched(dataset: Dataset) -> None:
    target = item(dataset, "甲")
    edits = record_edit(empty_edits(), target["item_key"], "decision", "cancelled")
    edits = record_edit(edits, target["item_key"], "decision", "merged")
    assert len(edits) == 1
    items = apply_edits(dataset.items, edits, dataset.settings)
    assert items.set_index("name").loc["甲", "decision"] == "merged"
    assert dataset.items.set_index("name").loc["甲", "decision"] == "retained"


def test_an_unknown_decision_class_is_refused(dataset: Dataset) -> None:
    with pytest.raises(OptionError, match="处理意见"):
        record_edit(empty_edits(), item(dataset, "甲")["item_key"], "decision", "保留吧")


def test_a_committed_limit_edit_is_read_in_the_year_of_the_datasets_settings() -> None:
    rows = [HEADER, ["甲", "市水利局", "60", "40", "保留"]]
    in_2024 = load_dataset([("水利.xlsx", workbook({"表": rows}))], SETTINGS.with_year(2024))
    edits = record_edit(empty_edits(), item(in_2024, "甲")["item_key"], "committed", "30个自然日")
    edited = edited_dataset(in_2024, edits).items.iloc[0]
    ratio_2024 = SETTINGS.calendar.workdays_in_year(2024) / 366  # a leap year
    assert ratio_2024 != pytest.approx(248 / 365)  # not the ratio of the bundled settings' 2026
    assert edited["after_days"] == pytest.approx(30 * ratio_2024)
    assert edited["committed_converted"]


@pytest.mark.parametrize(
    "text", ["二十个工作日", "20", "即办", "当场办结", "法律未规定", "30个自然日", "２０"]
)
def test_a_limit_written_as_the_lists_write_it_may_be_a_new_committed_limit(text: str) -> None:
    assert limit_refusal(text, SETTINGS) is None


@pytest.mark.parametrize(("text", "why"), [("尽快办理", "无法识别的办结时限“尽快办理”"), ("  ", "不能为空")])
def test_a_limit_the_import_could_not_read_is_refused_as_a_new_committed_limit(text: str, why: str) -> None:
    refusal = limit_refusal(text, SETTINGS)
    assert refusal is not None and refusal.startswith(why)


def test_a_refused_limit_names_the_item_the_column_the_value_typed_and_the_value_kept(
    dataset: Dataset,
) -> None:
    refusal = refused_limit(item(dataset, "甲"), "尽快办理", SETTINGS)
    assert refusal is not None
    assert refusal.startswith("市水利局/甲的“承诺办结时限（清理后）”未改为“尽快办理”")
    assert refusal.endswith("仍为“10”。")


def test_the_form_and_the_command_line_refuse_an_unreadable_limit_naming_the_item(dataset: Dataset) -> None:
    with pytest.raises(OptionError, match=r"^市水利局/丙的“承诺办结时限（清理后）”未改为“三周内”"):
        decided_edits(item(dataset, "丙"), SETTINGS, limit="三周内")


def test_an_unreadable_limit_saved_before_edits_were_checked_is_an_error_on_the_problems_list(
    dataset: Dataset,
) -> None:
    edits = record_edit(empty_edits(), item(dataset, "甲")["item_key"], "committed", "尽快办理")
    edited = edited_dataset(dataset, edits)
    new = edited.problems.iloc[len(dataset.problems) :]
    assert new[["severity", "code", "value"]].values.tolist() == [["错误", "limit_invalid", "尽快办理"]]
    assert "市水利局/甲" in new["message"].iloc[0]
    assert (
        analyze(edited).problems["severity"].eq("错误").sum()
        == dataset.problems["severity"].eq("错误").sum() + 1
    )
