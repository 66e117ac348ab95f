"""The 流程图 screen's view: the offices every chart of an item colours alike, the start date as
typed, and when a missing holiday schedule is worth a warning."""

from __future__ import annotations

import re
from datetime import date

import pandas as pd
import pytest
from sample import SETTINGS, sample_analysis

from approvals.errors import OptionError
from approvals.views.process import DATE_PATTERN, due_dates, item_process, process_offices, typed_date

# The first year the calendar has no schedule for (after the official data and the settings' own).
MISSING = next(y for y in range(2026, 2100) if SETTINGS.calendar.year_source(y) == "weekends")


def in_step_order(steps: pd.DataFrame) -> list[str]:
    """The offices of a version's steps by step number ("2" before "10"), each once."""
    ordered = steps.sort_values("step_no", key=lambda no: no.str.zfill(6), kind="stable")
    return list(dict.fromkeys(ordered["office"]))


def test_an_items_offices_are_those_of_before_then_those_only_after_names() -> None:
    analysis = sample_analysis()
    item_id = int(analysis.processes["item_id"].iloc[0])
    shown = item_process(analysis, item_id, {})
    before, after = in_step_order(shown.before.steps), in_step_order(shown.after.steps)
    assert set(before) - set(after) and set(before) & set(after)  # an item whose offices change
    assert shown.offices == tuple(before + [o for o in after if o not in before])


def test_offices_follow_step_order_not_the_order_rows_were_written() -> None:
    steps = pd.DataFrame(
        {"step_id": [1, 2, 3], "step_no": ["3", "1", "2"], "office": ["局长", "窗口", "审批科"]}
    )
    assert process_offices(steps) == ("窗口", "审批科", "局长")


@pytest.mark.parametrize(
    "text",
    [
        "2026-12-08",
        "2026/12/8",
        "2026.12.8",
        "2026年12月8日",
        "20261208",
        " ２０２６年１２月８日 ",
        "2026－12－08",
    ],
)
def test_a_start_date_reads_as_analysts_write_it(text: str) -> None:
    assert typed_date(text) == date(2026, 12, 8)
    assert re.search(DATE_PATTERN, text)  # and the browser lets it through as typed


@pytest.mark.parametrize(
    ("text", "said"),
    [
        ("", "请填写受理日期"),
        ("下周一", "“下周一”不是日期"),
        ("2026-12", "“2026-12”不是日期"),
        ("2026-13-01", "没有13月"),
        ("2026-02-29", "2026年2月没有29日"),
    ],
)
def test_what_is_no_date_is_refused_saying_why(text: str, said: str) -> None:
    with pytest.raises(OptionError, match=said):
        typed_date(text)


@pytest.mark.parametrize("text", ["下周一", "2026-12", "12/08/2026"])
def test_the_browser_holds_back_what_cannot_be_a_date(text: str) -> None:
    assert re.search(DATE_PATTERN, text) is None


def _warned_years(shown) -> list[int]:
    return [int(w[:4]) for w in shown.warnings]


@pytest.mark.parametrize(
    ("start", "before", "after", "years"),
    [
        pytest.param(date(MISSING - 1, 3, 2), 30.0, 9.0, [], id="every due date in a year with a schedule"),
        pytest.param(date(MISSING - 1, 12, 21), 20.0, 5.0, [MISSING], id="one due date in the next year"),
        pytest.param(date(MISSING - 1, 12, 21), None, 5.0, [], id="no limit, no due date to warn about"),
        pytest.param(date(MISSING, 3, 1), 5.0, None, [MISSING], id="a start in a year without one"),
    ],
)
def test_a_missing_schedule_is_warned_about_only_where_the_count_runs_through_it(start, before, after, years):
    assert _warned_years(due_dates(SETTINGS.calendar, start, before, after)) == years


def test_a_count_over_a_whole_year_warns_about_every_year_it_runs_through() -> None:
    calendar = SETTINGS.calendar
    start = date(MISSING - 1, 12, 1)
    due = calendar.due_date(start, 400.0)
    assert due.year == MISSING + 1
    assert _warned_years(due_dates(calendar, start, 400.0, None)) == [
        y for y in (MISSING, MISSING + 1) if calendar.year_source(y) == "weekends"
    ]


def test_the_start_is_said_as_read_with_its_weekday() -> None:
    shown = due_dates(SETTINGS.calendar, date(2026, 9, 28), 3.0, None)
    assert shown.start_note == "受理日期：2026年09月28日（星期一）"
