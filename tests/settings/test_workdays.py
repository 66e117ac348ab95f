"""The working-day calendar: official holidays, make-up working days, due dates, fallbacks."""

from __future__ import annotations

import re
import tomllib
from datetime import date, timedelta

import chinese_calendar
import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st
from sample import SETTINGS

from approvals.errors import SettingsError
from approvals.model import Severity
from approvals.settings import DEFAULTS_DIR
from approvals.workdays import WorkCalendar

CAL = SETTINGS.calendar  # the bundled holidays.toml, which lists no year yet

DATA_YEAR_TOML = """
[2031]
source = "测试用的虚构安排"
holidays = [2031-01-01, { from = 2031-10-01, to = 2031-10-07 }]
workdays = [2031-09-27, 2031-10-11]
"""


@pytest.fixture
def calendar_2031() -> WorkCalendar:
    return SETTINGS.replaced("holidays.toml", tomllib.loads(DATA_YEAR_TOML)).calendar


def days_of(year: int) -> list[date]:
    first = date(year, 1, 1)
    return [first + timedelta(days=i) for i in range((date(year + 1, 1, 1) - first).days)]


# ---------------------------------------------------------------- official years
def test_2026_has_248_working_days():
    assert CAL.workdays_in_year(2026) == 248
    assert CAL.year_source(2026) == "official"


@pytest.mark.parametrize("year", [2004, 2012, 2020, 2024, 2025, 2026])
def test_every_day_of_an_official_year_agrees_with_chinese_calendar(year):
    expected = [chinese_calendar.is_workday(d) for d in days_of(year)]
    assert [CAL.is_workday(d) for d in days_of(year)] == expected
    assert CAL.workdays_in_year(year) == sum(expected)


@pytest.mark.parametrize("day", range(1, 8))
def test_national_day_week_2026_is_not_working_time(day):
    assert not CAL.is_workday(date(2026, 10, day))


@pytest.mark.parametrize("make_up_day", [date(2025, 1, 26), date(2026, 1, 4), date(2026, 10, 10)])
def test_a_weekend_make_up_day_is_a_working_day(make_up_day):
    assert make_up_day.weekday() >= 5
    assert chinese_calendar.is_workday(make_up_day)
    assert CAL.is_workday(make_up_day)


def test_natural_to_working_day_ratio_is_248_over_365_in_2026():
    assert CAL.working_day_ratio(2026) == pytest.approx(248 / 365)


# ---------------------------------------------------------------- due dates
@pytest.mark.parametrize(
    ("start", "working_days", "due"),
    [
        # Tue 29 Sep 2026: 30 Sep is day 1, 1-7 Oct are National Day, 8 Oct day 2, 9 Oct day 3,
        # Sat 10 Oct (make-up) day 4, Sun 11 Oct off, Mon 12 Oct day 5.
        (date(2026, 9, 29), 0, date(2026, 9, 29)),
        (date(2026, 9, 29), 1, date(2026, 9, 30)),
        (date(2026, 9, 29), 2, date(2026, 10, 8)),
        (date(2026, 9, 29), 3, date(2026, 10, 9)),
        (date(2026, 9, 29), 4, date(2026, 10, 10)),
        (date(2026, 9, 29), 5, date(2026, 10, 12)),
        (date(2026, 9, 29), 0.5, date(2026, 9, 30)),
        (date(2026, 9, 29), 2.1, date(2026, 10, 9)),
        # applied for during the holiday: the clock starts on the first working day after it
        (date(2026, 10, 3), 1, date(2026, 10, 8)),
    ],
)
def test_due_date_across_national_day_2026(start, working_days, due):
    assert CAL.due_date(start, working_days) == due


def test_due_date_crosses_into_the_next_year():
    # Thu 24 Dec 2026 + 5: 25 (Fri) 1, 28 2, 29 3, 30 4, 31 5.
    assert CAL.due_date(date(2026, 12, 24), 5) == date(2026, 12, 31)
    # 1-3 Jan 2026 are New Year holidays and Sun 4 Jan 2026 is a make-up working day.
    assert CAL.due_date(date(2025, 12, 31), 1) == date(2026, 1, 4)


@pytest.mark.parametrize("bad", [-1, float("nan"), float("inf")])
def test_due_date_refuses_negative_or_missing_limits(bad):
    with pytest.raises(ValueError, match="非负"):
        CAL.due_date(date(2026, 3, 2), bad)


def test_working_days_between_counts_the_end_not_the_start():
    assert CAL.working_days_between(date(2026, 9, 29), date(2026, 10, 12)) == 5
    assert CAL.working_days_between(date(2026, 10, 12), date(2026, 9, 29)) == -5
    assert CAL.working_days_between(date(2026, 3, 2), date(2026, 3, 2)) == 0


def test_working_days_between_whole_years_sums_the_years():
    expected = CAL.workdays_in_year(2025) + CAL.workdays_in_year(2026)
    assert CAL.working_days_between(date(2024, 12, 31), date(2026, 12, 31)) == expected


@given(
    start=st.dates(min_value=date(2004, 1, 1), max_value=date(2025, 6, 30)),
    n=st.integers(min_value=0, max_value=300),
)
def test_due_date_is_the_nth_working_day_after_the_start(start, n):
    due = CAL.due_date(start, n)
    assert CAL.working_days_between(start, due) == n
    if n:
        assert chinese_calendar.is_workday(due)
        assert len(chinese_calendar.get_workdays(start + timedelta(days=1), due)) == n


# ---------------------------------------------------------------- fallback and data file
def test_2027_falls_back_to_weekends_with_a_warning():
    assert CAL.year_source(2027) == "weekends"
    assert CAL.workdays_in_year(2027) == np.busday_count("2027-01-01", "2028-01-01")
    assert CAL.is_workday(date(2027, 1, 4))  # a Monday
    assert not CAL.is_workday(date(2027, 1, 2))  # a Saturday
    [warning] = CAL.warnings([2026, 2027, 2027])
    assert warning["code"] == "calendar_fallback"
    assert warning["severity"] == Severity.WARNING
    assert "2027年" in warning["message"]
    assert "规则设置的法定节假日安排中补充" in warning["message"] and ".toml" not in warning["message"]


def test_official_and_data_file_years_give_no_warning(calendar_2031):
    assert calendar_2031.warnings([2025, 2026, 2031]) == []
    assert [w["value"] for w in calendar_2031.warnings([2030, 2031, 2032])] == ["2030", "2032"]


def test_a_data_file_year_is_honoured(calendar_2031):
    assert calendar_2031.year_source(2031) == "data_file"
    assert not calendar_2031.is_workday(date(2031, 1, 1))  # a Wednesday, listed as a holiday
    assert not calendar_2031.is_workday(date(2031, 10, 6))  # a Monday inside the range
    assert calendar_2031.is_workday(date(2031, 9, 27))  # a Saturday make-up day
    holidays = ["2031-01-01", *[f"2031-10-0{d}" for d in range(1, 8)]]
    expected = np.busday_count("2031-01-01", "2032-01-01", holidays=holidays) + 2
    assert calendar_2031.workdays_in_year(2031) == expected


def test_due_date_runs_from_a_fallback_year_into_a_data_file_year(calendar_2031):
    # Tue 31 Dec 2030 + 1 working day: 1 Jan 2031 is a holiday in the data file.
    assert calendar_2031.due_date(date(2030, 12, 31), 1) == date(2031, 1, 2)


def test_official_data_wins_over_the_data_file():
    calendar = SETTINGS.replaced("holidays.toml", {"2026": {"workdays": [date(2026, 10, 1)]}}).calendar
    assert calendar.year_source(2026) == "official"
    assert not calendar.is_workday(date(2026, 10, 1))


MALFORMED = [
    ("[2031]\nholidays = [2031-05-01]\nworkdays = [2031-05-01]\n", "", "既写为放假又写为上班"),
    ("[abc]\nholidays = []\n", "abc", "四位年份"),
    ("[2031]\nholiday = [2031-05-01]\n", "2031.holiday", "无法识别"),
    ('[2031]\nholidays = ["五月一日"]\n', "2031.holidays", "不是日期"),
    ("[2031]\nholidays = [{ from = 2031-05-05, to = 2031-05-01 }]\n", "2031.holidays", "首尾颠倒"),
    ("[2031]\nworkdays = 2031-05-01\n", "2031.workdays", "方括号列表"),
]


@pytest.mark.parametrize(("text", "key", "complaint"), MALFORMED)
def test_malformed_holidays_are_a_settings_error_naming_the_file_and_the_key(text, key, complaint):
    with pytest.raises(SettingsError, match=complaint) as raised:
        WorkCalendar(tomllib.loads(text))
    assert (raised.value.file, raised.value.key) == ("holidays.toml", key)
    assert "设置文件“holidays.toml”" in str(raised.value)


@pytest.mark.parametrize(("text", "key", "complaint"), MALFORMED)
def test_settings_with_malformed_holidays_are_refused_when_made(text, key, complaint):
    with pytest.raises(SettingsError, match=complaint) as raised:
        SETTINGS.replaced("holidays.toml", tomllib.loads(text))
    assert (raised.value.file, raised.value.key) == ("holidays.toml", key)


def test_the_bundled_file_lists_no_year_yet():
    assert SETTINGS.data["holidays.toml"] == {}
    assert CAL.year_source(2027) == "weekends"


def test_the_documented_example_in_the_bundled_file_works():
    text = (DEFAULTS_DIR / "holidays.toml").read_text(encoding="utf-8")
    example = re.search(r"^# \[2099\]\n(?:^#.*\n)*?^#\n", text, flags=re.MULTILINE)
    assert example is not None
    body = "\n".join(line.removeprefix("#").removeprefix(" ") for line in example[0].splitlines())
    calendar = SETTINGS.replaced("holidays.toml", tomllib.loads(body)).calendar
    assert calendar.year_source(2099) == "data_file"
    assert not calendar.is_workday(date(2099, 10, 7))
    assert calendar.is_workday(date(2099, 9, 26))  # a Saturday in the example
