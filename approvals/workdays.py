"""The official working-day calendar: statutory holidays and make-up working days (调休).

Limits under the Administrative Licensing Law are counted in working days that exclude
statutory holidays (Art. 82), and China's holidays move every year, with some weekends
turned into working days. Years the ``chinese_calendar`` package covers use its official
data; later years use the holidays settings (holidays.toml), which an analyst extends when the State
Council publishes the next schedule; any other year falls back to Saturday/Sunday off and
is reported by :meth:`WorkCalendar.warnings`.
"""

from __future__ import annotations

import calendar as _gregorian
import math
from collections.abc import Iterable, Mapping
from datetime import date, datetime, timedelta
from typing import Any, Literal

import chinese_calendar
import numpy as np

from approvals.errors import SettingsError
from approvals.model import Severity
from approvals.problems import problem

YearSource = Literal["official", "data_file", "weekends"]

_OFFICIAL_YEARS = range(
    min(d.year for d in chinese_calendar.holidays),
    max(d.year for d in chinese_calendar.holidays) + 1,
)


class WorkCalendar:
    """Which days are working days, per year, from official data, the data file or weekends.

    Each year is built once as a boolean array (one entry per day) and its running count,
    so repeated questions cost an array lookup.

    Example: the National Day holiday of 2026 (1-7 October) is followed by a make-up
    working day on Saturday 10 October.

    >>> cal = WorkCalendar({})
    >>> cal.workdays_in_year(2026), cal.is_workday(date(2026, 10, 10))
    (248, True)
    >>> cal.due_date(date(2026, 9, 30), 3)
    datetime.date(2026, 10, 10)
    """

    def __init__(self, data: Mapping[str, Any], file: str = "holidays.toml") -> None:
        self.file = file
        self._file_years, self._file_holidays, self._file_workdays = _parse_holiday_data(data, file)
        self._masks: dict[int, np.ndarray] = {}
        self._counts: dict[int, np.ndarray] = {}

    # ------------------------------------------------------------------ sources
    def year_source(self, year: int) -> YearSource:
        """Where ``year``'s calendar comes from: "official", "data_file" or "weekends"."""
        if year in _OFFICIAL_YEARS:
            return "official"
        if year in self._file_years:
            return "data_file"
        return "weekends"

    def warnings(self, years: Iterable[int]) -> list[dict[str, Any]]:
        """Problem rows for the years that fall back to weekends only (no holiday schedule).

        >>> [w["code"] for w in WorkCalendar({}).warnings([2026, 2027])]
        ['calendar_fallback']
        """
        rows = []
        for year in sorted({int(y) for y in years}):
            if self.year_source(year) != "weekends":
                continue
            message = (
                f"{year}年的法定节假日安排尚未收录，按周末双休计算工作日；"
                "国务院公布后请在规则设置的法定节假日安排中补充"
            )
            rows.append(
                problem(message, value=str(year), severity=Severity.WARNING, code="calendar_fallback")
            )
        return rows

    # ------------------------------------------------------------------ per year
    def year_mask(self, year: int) -> np.ndarray:
        """One boolean per day of ``year`` (1 January first): True on working days."""
        mask = self._masks.get(year)
        if mask is None:
            mask = self._build_mask(year)
            mask.flags.writeable = False
            self._masks[year] = mask
        return mask

    def _running_count(self, year: int) -> np.ndarray:
        """``count[i]`` = working days from 1 January through day ``i`` of ``year``."""
        count = self._counts.get(year)
        if count is None:
            count = np.cumsum(self.year_mask(year), dtype=np.int64)
            count.flags.writeable = False
            self._counts[year] = count
        return count

    def _build_mask(self, year: int) -> np.ndarray:
        first = date(year, 1, 1)
        n_days = 366 if _gregorian.isleap(year) else 365
        weekday = (first.weekday() + np.arange(n_days)) % 7
        mask = weekday < 5
        if year in _OFFICIAL_YEARS:
            off, on = chinese_calendar.holidays, chinese_calendar.workdays
        else:
            off, on = self._file_holidays, self._file_workdays
        for day in off:
            if day.year == year:
                mask[(day - first).days] = False
        for day in on:
            if day.year == year:
                mask[(day - first).days] = True
        return mask

    def workdays_in_year(self, year: int) -> int:
        """Working days in ``year``.

        >>> WorkCalendar({}).workdays_in_year(2026)
        248
        """
        return int(self._running_count(year)[-1])

    def working_day_ratio(self, year: int) -> float:
        """Working days per calendar day of ``year``: the rule for natural days → working days.

        A limit of 30 natural days is 30 × 248 / 365 ≈ 20.38 working days in 2026.

        >>> round(30 * WorkCalendar({}).working_day_ratio(2026), 2)
        20.38
        """
        return self.workdays_in_year(year) / len(self.year_mask(year))

    # ------------------------------------------------------------------ days
    def is_workday(self, day: date) -> bool:
        """Whether ``day`` is a working day (调休 weekends count, statutory holidays do not)."""
        return bool(self.year_mask(day.year)[day.timetuple().tm_yday - 1])

    def _count_through(self, day: date) -> int:
        """Working days from 1 January of ``day``'s year through ``day`` itself."""
        return int(self._running_count(day.year)[day.timetuple().tm_yday - 1])

    def due_date(self, start: date, working_days: float) -> date:
        """The last day of a limit of ``working_days`` that starts counting after ``start``.

        The clock starts the day after the application (or the complete materials) is
        received (Art. 82), so the due date is the n-th working day after ``start``;
        0 days is ``start`` itself and a fraction of a day needs one more whole working day.

        >>> cal = WorkCalendar({})
        >>> cal.due_date(date(2026, 9, 30), 1), cal.due_date(date(2026, 9, 30), 0.5)
        (datetime.date(2026, 10, 8), datetime.date(2026, 10, 8))
        """
        if not math.isfinite(working_days) or working_days < 0:
            raise ValueError(f"办结时限应为非负的工作日数，而不是 {working_days!r}")
        remaining = math.ceil(working_days)
        if remaining == 0:
            return start
        year = start.year
        done = self._count_through(start)
        while True:
            count = self._running_count(year)
            left = int(count[-1]) - done
            if remaining <= left:
                index = int(np.searchsorted(count, done + remaining))
                return date(year, 1, 1) + timedelta(days=index)
            remaining -= left
            year += 1
            done = 0

    def working_days_between(self, start: date, end: date) -> int:
        """Working days after ``start`` up to and including ``end`` (negative if ``end`` is earlier).

        The inverse of :meth:`due_date`: ``working_days_between(s, due_date(s, n)) == n``.

        >>> WorkCalendar({}).working_days_between(date(2026, 9, 30), date(2026, 10, 9))
        2
        """
        if end < start:
            return -self.working_days_between(end, start)
        total = self._count_through(end) - self._count_through(start)
        for year in range(start.year, end.year):
            total += self.workdays_in_year(year)
        return total


def _parse_holiday_data(
    data: Mapping[str, Any], file: str
) -> tuple[frozenset[int], frozenset[date], frozenset[date]]:
    """The years, holidays and make-up working days a holidays file lists, checked."""
    years: set[int] = set()
    holidays: set[date] = set()
    workdays: set[date] = set()
    for key, table in data.items():
        if not (key.isdigit() and len(key) == 4 and isinstance(table, dict)):
            raise SettingsError(file, key, key, "不是年份小节，应写作 [2099] 这样的四位年份")
        unknown = set(table) - {"source", "holidays", "workdays"}
        if unknown:
            name = sorted(unknown)[0]
            raise SettingsError(
                file, f"{key}.{name}", name, "无法识别的项（可用：source、holidays、workdays）"
            )
        years.add(int(key))
        holidays.update(_dates(table.get("holidays", []), file, f"{key}.holidays"))
        workdays.update(_dates(table.get("workdays", []), file, f"{key}.workdays"))
    both = holidays & workdays
    if both:
        listed = "、".join(d.isoformat() for d in sorted(both))
        raise SettingsError(file, "", None, f"以下日期既写为放假又写为上班：{listed}")
    return frozenset(years), frozenset(holidays), frozenset(workdays)


def _dates(entries: Any, file: str, key: str) -> list[date]:
    if not isinstance(entries, list):
        raise SettingsError(file, key, entries, "日期应写成方括号列表")
    days: list[date] = []
    for entry in entries:
        if isinstance(entry, dict) and set(entry) == {"from", "to"}:
            first, last = _one_date(entry["from"], file, key), _one_date(entry["to"], file, key)
            if last < first:
                raise SettingsError(file, key, f"{first} 至 {last}", "日期段首尾颠倒")
            days.extend(first + timedelta(days=i) for i in range((last - first).days + 1))
        else:
            days.append(_one_date(entry, file, key))
    return days


def _one_date(value: Any, file: str, key: str) -> date:
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    if isinstance(value, str):
        try:
            return date.fromisoformat(value)
        except ValueError:
            pass
    raise SettingsError(file, key, value, "不是日期，应写作 2099-10-01")
