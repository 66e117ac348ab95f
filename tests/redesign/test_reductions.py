"""The proposed after-process, the 四减 and the projected figures, against hand-computed values;
the analyst's verdicts on flags."""

from __future__ import annotations

import csv
import io

import pandas as pd
import pytest
from builders import csv_bytes, workbook
from sample import SETTINGS
from test_rules import flags_of, items, process

from approvals.errors import ReadError
from approvals.figures.rates import figures
from approvals.model import Verdict
from approvals.read.verdicts import read_verdicts
from approvals.redesign.reductions import applicable, four_reductions, projected_items, reduction_figures
from approvals.redesign.verdicts import accepted_keys, merge_verdicts, verdicts_of, with_verdicts
from approvals.views.flags import (
    filter_flags,
    flag_summary,
    flags_table,
    keyed_verdicts,
    verdict_changes,
    verdicts_csv,
)

# Item 0: no submitted "after"; 登记 passes the file on for 2 days, two offices review in series.
# Critical path 1 + 2 + 4 + 3 + 1 = 11.
ITEM0 = process(
    ("1", "受理", "行政审批科", "科员", 1, "", True, "申请表、营业执照"),
    ("2", "登记", "办公室", "科员", 2, "1"),
    ("3", "规划审查", "规划科", "科长", 4, "2", True, "申请表、规划图"),
    ("4", "消防审查", "消防科", "科长", 3, "3"),
    ("5", "决定", "分管领导", "分管副局长", 1, "4"),
    item_id=0,
)
# Item 1: before 1 + 1 + 5 + 1 = 8 with a 转办; the department's "after" 1 + 1 + 2 = 4 still has a 登记.
ITEM1 = pd.concat(
    [
        process(
            ("1", "受理", "行政审批科", "科员", 1, ""),
            ("2", "转办", "办公室", "科员", 1, "1"),
            ("3", "审查", "规划科", "科长", 5, "2"),
            ("4", "决定", "分管领导", "分管副局长", 1, "3"),
            item_id=1,
        ),
        process(
            ("1", "受理", "行政审批科", "科员", 1, ""),
            ("2", "登记", "办公室", "科员", 1, "1"),
            ("3", "审查", "规划科", "科长", 2, "2"),
            item_id=1,
            version="after",
        ),
    ],
    ignore_index=True,
)
STEPS = pd.concat([ITEM0, ITEM1], ignore_index=True)
RULES = SETTINGS.redesign  # the bundled redesign.toml: how materials split, which the government holds
ITEMS = items(
    {"before_days": 20.0, "after_days": 10.0, "materials": "营业执照", "visits": "3次", "visits_after": "1"},
    {"before_days": 12.0, "after_days": 6.0, "visits": "2"},
)


@pytest.fixture(scope="module")
def flags() -> pd.DataFrame:
    return flags_of(STEPS, ITEMS)


def keys(flags: pd.DataFrame, rule: str, item_id: int, version: str) -> list[str]:
    chosen = flags[(flags["rule"] == rule) & (flags["item_id"] == item_id) & (flags["version"] == version)]
    assert len(chosen), (rule, item_id, version)
    return chosen["flag_key"].tolist()


def test_the_flags_of_the_two_items_are_what_a_reader_finds_by_hand(flags: pd.DataFrame) -> None:
    found = {(r, i, v): d for r, i, v, d in flags[["rule", "item_id", "version", "days_saved"]].to_numpy()}
    assert found[("pass_through", 0, "before")] == 2.0
    assert found[("serial_reviews", 0, "before")] == 3.0
    assert found[("pass_through", 1, "before")] == 1.0
    assert found[("pass_through", 1, "after")] == 1.0
    assert ("shared_material", 0, "") in found


def test_flags_on_the_before_of_an_item_with_a_submitted_after_are_not_applied(flags: pd.DataFrame) -> None:
    applies = applicable(flags, STEPS)
    on_item1_before = (flags["item_id"] == 1) & (flags["version"] == "before")
    assert not applies[on_item1_before].any()
    assert applies[~on_item1_before].all()


def test_nothing_accepted_keeps_todays_processes_and_limits(flags: pd.DataFrame) -> None:
    table = four_reductions(ITEMS, STEPS, flags, [], RULES).set_index("item_id")
    columns = ["steps_before", "steps_after", "days_before", "days_after"]
    assert table.loc[0, columns].tolist() == [5, 5, 11, 11]
    # Item 1's "after" is what the department submitted: 3 steps, 4 days.
    assert table.loc[1, columns].tolist() == [4, 3, 8, 4]
    assert projected_items(ITEMS, table.reset_index())["after_days"].tolist() == [10.0, 6.0]


def test_accepting_every_flag_gives_the_hand_computed_four_reductions_and_projection(
    flags: pd.DataFrame,
) -> None:
    table = four_reductions(ITEMS, STEPS, flags, flags["flag_key"], RULES).set_index("item_id")
    # Item 0: 登记 removed, the two reviews side by side: 1 + max(4, 3) + 1 = 6 days in 4 steps;
    # 营业执照 comes by data sharing: 申请表, 规划图 remain of 3 materials; visits 3 → 1.
    assert table.loc[0, ["steps_after", "days_submitted", "days_after"]].tolist() == [4, 11, 6]
    counts = ["materials_before", "materials_after", "visits_before", "visits_after"]
    assert table.loc[0, counts].tolist() == [3, 2, 3.0, 1.0]
    # Item 1: only the flag on its submitted "after" applies: 登记 goes, 4 → 3 days, 3 → 2 steps.
    assert table.loc[1, ["steps_after", "days_submitted", "days_after"]].tolist() == [2, 4, 3]
    assert table.loc[1, ["visits_before", "visits_after"]].tolist() == [2.0, 2.0]  # no 再造后 count given

    projected = projected_items(ITEMS, table.reset_index())
    assert projected["after_days"].tolist() == [5.0, 5.0]  # 10 − (11 − 6), 6 − (4 − 3)
    today = figures(ITEMS, targets=SETTINGS.targets).iloc[0]["shortening_rate"]
    assert today == pytest.approx((32 - 16) / 32)
    assert figures(projected, targets=SETTINGS.targets).iloc[0]["shortening_rate"] == pytest.approx(
        (32 - 10) / 32
    )

    overall = reduction_figures(table.reset_index()).iloc[0]
    assert (overall["steps_before"], overall["steps_after"]) == (9, 6)
    assert overall["steps_cut"] == pytest.approx(3 / 9)
    assert (overall["days_before"], overall["days_after"]) == (19, 9)
    assert overall["visits_cut"] == pytest.approx((5 - 3) / 5)


def test_accepting_only_some_flags_applies_only_those(flags: pd.DataFrame) -> None:
    chosen = keys(flags, "serial_reviews", 0, "before")
    table = four_reductions(ITEMS, STEPS, flags, chosen, RULES).set_index("item_id")
    assert table.loc[0, ["steps_after", "days_after"]].tolist() == [5, 8]  # 1 + 2 + 4 + 1
    assert table.loc[1, "days_after"] == 4


def test_projected_limits_never_go_below_zero() -> None:
    per_item = pd.DataFrame({"item_id": [0], "days_submitted": [30.0], "days_after": [0.0]})
    assert projected_items(ITEMS.head(1), per_item)["after_days"].tolist() == [0.0]


def test_verdicts_are_kept_by_flag_key_and_reopening_forgets_them(flags: pd.DataFrame) -> None:
    first, second = flags["flag_key"].iloc[:2]
    verdicts = with_verdicts({}, [first], Verdict.ACCEPTED)
    verdicts = with_verdicts(verdicts, [second], Verdict.REJECTED)
    assert verdicts_of(flags, verdicts).iloc[:3].tolist() == [
        Verdict.ACCEPTED,
        Verdict.REJECTED,
        Verdict.PENDING,
    ]
    assert accepted_keys(flags, verdicts) == [first]
    assert with_verdicts(verdicts, [first], Verdict.PENDING) == {second: Verdict.REJECTED}
    assert accepted_keys(flags, {"gone|key": Verdict.ACCEPTED}) == []


def test_a_verdict_changed_in_the_table_comes_back_as_a_change(flags: pd.DataFrame) -> None:
    shown = flags_table(flags, {})
    edited = shown.copy()
    edited.iloc[1, edited.columns.get_loc("是否采纳")] = "采纳"
    assert verdict_changes(shown, edited) == {Verdict.ACCEPTED: [flags["flag_key"].iloc[1]]}
    assert verdict_changes(shown, shown) == {}


def test_filters_and_summaries_count_the_flags(flags: pd.DataFrame) -> None:
    states = verdicts_of(flags, {})
    passing = filter_flags(flags, states, titles=["只流转不决定的环节"])
    assert len(passing) == 3
    assert len(filter_flags(flags, states, search="消防")) == 1
    assert filter_flags(flags, states, saving_only=True)["days_saved"].gt(0).all()
    summary = flag_summary(flags, {passing["flag_key"].iloc[0]: Verdict.ACCEPTED}, "title").set_index("提示")
    assert summary.loc["只流转不决定的环节", "提示数"] == 3
    assert summary.loc["只流转不决定的环节", "已采纳"] == 1
    assert summary["提示数"].sum() == len(flags)


def _saved_rows(flags: pd.DataFrame, verdicts: dict[str, str]) -> list[list[str]]:
    text = verdicts_csv(flags, verdicts).decode("utf-8-sig")
    return list(csv.reader(io.StringIO(text)))


def test_saved_verdicts_load_again_as_they_were(flags: pd.DataFrame) -> None:
    verdicts = {flags["flag_key"].iloc[0]: Verdict.ACCEPTED, flags["flag_key"].iloc[1]: Verdict.REJECTED}
    data = verdicts_csv(flags, verdicts)
    assert data.startswith(b"\xef\xbb\xbf")  # Excel opens it with Chinese intact
    loaded, problems = read_verdicts("采纳情况.csv", data)
    assert problems.empty
    assert not set(loaded) & set(flags["flag_key"])  # flags are named in Chinese, not by key
    assert merge_verdicts({}, keyed_verdicts(loaded, flags)) == verdicts
    assert len(loaded) == len(flags)  # pending ones too, so loading reopens them


def test_verdicts_edited_in_excel_and_saved_as_a_workbook_or_gbk_csv_load(flags: pd.DataFrame) -> None:
    rows = _saved_rows(flags, {})
    header = rows[0]
    at = header.index("是否采纳")
    rows[1][at], rows[2][at], rows[3][at] = "采纳", "不采纳", "可以"  # the last is not a verdict
    title = [["流程再造采纳情况"]]  # Excel users add a title row
    for name, data in (
        ("采纳情况.xlsx", workbook({"Sheet1": title + rows})),
        ("采纳情况.csv", csv_bytes(rows, encoding="gb18030")),
    ):
        loaded, problems = read_verdicts(name, data)
        assert loaded[rows[1][0]] == Verdict.ACCEPTED and loaded[rows[2][0]] == Verdict.REJECTED
        assert rows[3][0] not in loaded
        bad = problems.iloc[0]
        excel_row = 4 + (name.endswith(".xlsx"))  # header on row 1 (or 2 under the title)
        assert (bad["file"], bad["row"], bad["column"], bad["value"]) == (name, excel_row, "是否采纳", "可以")


def test_a_file_that_is_not_a_verdict_table_is_refused_by_name() -> None:
    with pytest.raises(ReadError, match="提示编号"):
        read_verdicts("清单.csv", csv_bytes([["事项名称", "处理意见"], ["取水许可", "保留"]]))


def test_a_hostile_item_name_is_written_as_text_in_the_saved_verdicts(flags: pd.DataFrame) -> None:
    hostile = flags.assign(item='=HYPERLINK("http://x","点我")')
    rows = _saved_rows(hostile, {})
    assert all(row[rows[0].index("事项名称")].startswith("'=") for row in rows[1:])
    loaded, _ = read_verdicts("a.csv", verdicts_csv(hostile, {}))
    assert set(keyed_verdicts(loaded, hostile)) == set(flags["flag_key"])


def test_a_process_with_a_cycle_is_left_out_of_the_days_and_stops_nothing() -> None:
    looped = process(
        ("1", "受理", "行政审批科", "科员", 1, "3"),
        ("2", "审查", "规划科", "科长", 2, "1"),
        ("3", "退回补正", "行政审批科", "科员", 1, "2"),
        item_id=2,
    )
    steps = pd.concat([ITEM0, looped], ignore_index=True)
    catalog_items = items({"before_days": 20.0, "after_days": 10.0}, {}, {})
    found = flags_of(steps, catalog_items)
    table = four_reductions(catalog_items, steps, found, found["flag_key"], RULES).set_index("item_id")
    assert table.loc[0, "days_after"] == 6
    assert pd.isna(table.loc[2, "days_before"]) and table.loc[2, "steps_before"] == 3
