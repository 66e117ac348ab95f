"""One item's process as the 流程图 screen, the report and the chart downloads show it.

:func:`item_process` gathers everything about one item's processes once: the steps of each version,
their critical-path figures, the flags on them and the steps those flags name, the cards that
compare before with after. :func:`due_dates` answers "when is it due if accepted on day X" on
the official calendar.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from typing import Any

import pandas as pd

from approvals.analysis import Analysis
from approvals.errors import OptionError
from approvals.figures.processes import path_shortening_rate
from approvals.figures.rates import item_shortening_rates
from approvals.model import VERSION_LABELS
from approvals.processes.graph import step_order
from approvals.redesign.verdicts import flagged_steps
from approvals.views.cards import Metric, count_text
from approvals.views.flags import flags_table
from approvals.views.format import days, missing, percent
from approvals.views.labels import STEP_LABELS, item_labels
from approvals.workdays import WorkCalendar

WEEKDAYS = "一二三四五六日"
PROCESS_FIGURES = (
    "critical_path_days",
    "whole_duration_days",
    "outside_limit_days",
    "total_effort_days",
    "step_count",
)


def process_choices(analysis: Analysis) -> dict[int, str]:
    """The items that have a process, item_id → 部门｜名称（子项）, in the order of their processes."""
    with_steps = analysis.processes.drop_duplicates("item_id")["item_id"]
    items = analysis.dataset.items
    labels = item_labels(items[items["item_id"].isin(set(with_steps))])
    # a step list may name an item the lists lack: it is still a process to look at
    names = analysis.processes.drop_duplicates("item_id").set_index("item_id")
    return {
        int(i): labels.get(int(i), f"{names.at[i, 'department']}｜{names.at[i, 'item_name']}")
        for i in with_steps
    }


def process_steps(steps: pd.DataFrame, item_id: int, version: str) -> pd.DataFrame:
    """The steps of one item's process version, in step order."""
    part = steps[steps["item_id"].eq(item_id) & steps["version"].eq(version)]
    return part.sort_values("step_id")


def process_offices(*versions: pd.DataFrame) -> tuple[str, ...]:
    """The offices of one item's process versions, each once: 再造前's in step order, then those
    only a later version names. Every chart of the item colours its offices in this order, so
    an office keeps its colour from one chart to the next.

    >>> before = pd.DataFrame({"step_id": [1, 2, 3], "step_no": ["1", "2", "3"],
    ...                        "office": ["窗口", "审批科", "局长"]})
    >>> after = pd.DataFrame({"step_id": [4, 5], "step_no": ["1", "2"], "office": ["局长", "法规科"]})
    >>> process_offices(before, after)
    ('窗口', '审批科', '局长', '法规科')
    """
    offices: dict[str, None] = {}
    for steps in versions:
        offices |= dict.fromkeys(str(o) for o in steps["office"].iloc[step_order(steps)])
    return tuple(offices)


def steps_table(steps: pd.DataFrame) -> pd.DataFrame:
    """Steps with Chinese headers; 计入时限 as 是 / 否."""
    table = steps[list(STEP_LABELS)].assign(counted=steps["counted"].map({True: "是", False: "否"}))
    return table.rename(columns=STEP_LABELS).reset_index(drop=True)


def item_flags(analysis: Analysis, item_id: int) -> pd.DataFrame:
    """The 流程再造 flags of one item."""
    return analysis.flags[analysis.flags["item_id"].eq(item_id)]


def process_figures(analysis: Analysis, item_id: int) -> dict[str, Any]:
    """One item's process and limit figures, before and after: ``<version>_<figure>`` for each
    of PROCESS_FIGURES and the critical path, the path's shortening, the item's limits and its
    own 缩短率."""
    processes = analysis.processes[analysis.processes["item_id"].eq(item_id)].set_index("version")
    out: dict[str, Any] = {}
    for version in VERSION_LABELS:
        row = processes.loc[version] if version in processes.index else None
        for column in PROCESS_FIGURES:
            out[f"{version}_{column}"] = None if row is None else row[column]
        out[f"{version}_critical_path"] = () if row is None else tuple(row["critical_path"])
    out["path_shortening_rate"] = path_shortening_rate(
        out["before_critical_path_days"], out["after_critical_path_days"]
    )
    items = analysis.dataset.items
    item = items[items["item_id"].eq(item_id)]
    if len(item):
        out["before_days"] = item["before_days"].iloc[0]
        out["after_days"] = item["after_days"].iloc[0]
        out["limit_shortening_rate"] = item_shortening_rates(item).iloc[0]
    return out


@dataclass(frozen=True, eq=False)
class VersionView:
    """One version of an item's process: its steps, its row of the processes table, the steps the
    flags name, and the chart's title."""

    version: str
    label: str
    steps: pd.DataFrame
    row: pd.Series | None
    flagged: frozenset[int]
    title: str

    @property
    def table(self) -> pd.DataFrame:
        return steps_table(self.steps)


@dataclass(frozen=True, eq=False)
class ItemProcess:
    """Everything the 流程图 screen shows of one item."""

    item_id: int
    figures: dict[str, Any]
    metrics: tuple[Metric, ...]
    outside_note: str | None  # time the limits do not count, where there is any
    versions: tuple[VersionView, ...]  # before, after
    flags: pd.DataFrame
    flags_table: pd.DataFrame  # without the department and item columns

    @property
    def before(self) -> VersionView:
        return self.versions[0]

    @property
    def after(self) -> VersionView:
        return self.versions[1]

    @property
    def offices(self) -> tuple[str, ...]:
        """The offices of all its versions, in the order that gives each one colour on every
        chart of the item (:func:`process_offices`)."""
        return process_offices(*(v.steps for v in self.versions))


NO_AFTER_PROCESS = "未报送再造后流程"  # said where a process was never submitted
NOT_SUBMITTED = "未报送"  # the after figure of such a process, on a card too narrow for the sentence


def process_change(
    before: Any, after: Any, shown: Callable[[Any], str] = days, *, submitted: bool = True
) -> str:
    """A process figure before → after re-engineering, "—" for a figure that does not exist (a
    process with a cycle has no path). Where the department submitted no process after, it says
    so instead of a figure: a process never submitted has no steps to count, not 0 of them.

    >>> process_change(5, 3, count_text), process_change(5, None, count_text, submitted=False)
    ('5 → 3', '5 → 未报送')
    >>> process_change(12.5, None), process_change(12.5, 9.0)
    ('12.50 → —', '12.50 → 9.00')
    """
    shown_before = "—" if missing(before) else shown(before)
    if not submitted:
        return f"{shown_before} → {NOT_SUBMITTED}"
    return f"{shown_before} → {'—' if missing(after) else shown(after)}"


def _change_card(
    numbers: dict[str, Any], figure: str, label: str, shown: Callable[[Any], str], **card: Any
) -> Metric:
    """The card of one process figure before → after; without a process after, the card says
    so under the figure before."""
    before, after = numbers[f"before_{figure}"], numbers[f"after_{figure}"]
    submitted = not missing(numbers["after_step_count"])  # a cyclic process too has its steps
    if not submitted:
        card["note"] = NO_AFTER_PROCESS
    return Metric(label, process_change(before, after, shown, submitted=submitted), **card)


def item_process(analysis: Analysis, item_id: int, verdicts: dict[str, str]) -> ItemProcess:
    """One item's processes before and after, the cards that compare them, its flags."""
    numbers = process_figures(analysis, item_id)
    rate = numbers["path_shortening_rate"]
    limit_rate = numbers.get("limit_shortening_rate")
    metrics = (
        _change_card(
            numbers,
            "critical_path_days",
            "关键路径（工作日）",
            days,
            note=None if missing(rate) else percent(rate),
            help="计入办结时限的环节沿最长路径的用时；百分比为关键路径缩短率。",
        ),
        _change_card(numbers, "step_count", "环节数", count_text),
        _change_card(
            numbers, "total_effort_days", "工作量合计（工作日）", days, help="各环节用时之和，不论是否并行。"
        ),
        Metric(
            "承诺时限（工作日）",
            f"{days(numbers.get('before_days'))} → {days(numbers.get('after_days'))}",
            note=None if missing(limit_rate) else percent(limit_rate),
            help="该事项的缩短率：（清理前时限 − 清理后时限）÷ 清理前时限。",
        ),
    )
    outside = [numbers[f"{v}_outside_limit_days"] for v in VERSION_LABELS]
    note = None
    if any(not missing(o) and o > 0 for o in outside):
        later = (
            f"再造后 {days(outside[1])} 个工作日"
            if not missing(numbers["after_step_count"])
            else NO_AFTER_PROCESS
        )
        note = (
            f"另有不计入办结时限的环节（专家评审、公示等）：再造前 {days(outside[0])} 个工作日，"
            f"{later}；申请人实际等待时间需加上这部分。"
        )
    own = item_flags(analysis, item_id)
    processes = analysis.processes[analysis.processes["item_id"].eq(item_id)].set_index("version")
    versions = tuple(
        VersionView(
            version=str(version),
            label=label,
            steps=process_steps(analysis.dataset.steps, item_id, version),
            row=processes.loc[version] if version in processes.index else None,
            flagged=frozenset(flagged_steps(own, version)),
            title=f"{label}流程",
        )
        for version, label in VERSION_LABELS.items()
    )
    table = flags_table(own, verdicts).drop(columns=["实施部门", "事项名称"])
    return ItemProcess(item_id, numbers, metrics, note, versions, own, table)


@dataclass(frozen=True)
class DueDates:
    """When an item accepted on ``start`` is due, by its limit before and after."""

    warnings: tuple[str, ...]  # years without an official holiday schedule
    metrics: tuple[Metric, ...]
    start_note: str = ""  # the start as read, so a typed date can be checked at a glance


def due_dates(calendar: WorkCalendar, start: date, before_days: Any, after_days: Any) -> DueDates:
    """The due date of each limit counted in working days from the day after ``start``
    (行政许可法 art. 82), on the official calendar with its make-up working days.

    A year without a holiday schedule is warned about only where the count runs through it:
    the start's year, a due date's year, and any year between.

    >>> shown = due_dates(settings.calendar, date(2026, 9, 30), 3.0, None)
    >>> [(m.label, m.value, m.note) for m in shown.metrics], shown.warnings
    ([('按原时限（3.00 个工作日）', '2026年10月10日', '星期六'), ('按新时限', '—', None)], ())
    >>> [w[:4] for w in due_dates(settings.calendar, date(2026, 12, 21), 20.0, 5.0).warnings]
    ['2027']
    """
    years = {start.year}
    metrics = []
    for label, limit in (("按原时限", before_days), ("按新时限", after_days)):
        if missing(limit):
            metrics.append(Metric(label, "—", help="该事项没有可计算的时限"))
            continue
        when = calendar.due_date(start, float(limit))
        years.update(range(start.year, when.year + 1))
        metrics.append(
            Metric(
                f"{label}（{days(limit)} 个工作日）",
                when.strftime("%Y年%m月%d日"),
                note="星期" + WEEKDAYS[when.weekday()],
            )
        )
    warnings = tuple(w["message"] for w in calendar.warnings(years))
    note = f"受理日期：{start.strftime('%Y年%m月%d日')}（星期{WEEKDAYS[start.weekday()]}）"
    return DueDates(warnings, tuple(metrics), note)


_TYPED_DATE = re.compile(r"(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?|(\d{4})(\d{2})(\d{2})")
DATE_EXAMPLES = "如“2026-12-08”“2026/12/8”或“2026年12月8日”"
# What a date field lets through as typed (a regular expression the browser checks too, so no
# full-width classes of Python's own): the shapes typed_date reads, digits full-width or not.
DATE_PATTERN = (
    r"^\s*[0-9０-９]{4}\s*[-/.年／－．]\s*[0-9０-９]{1,2}\s*[-/.月／－．]\s*[0-9０-９]{1,2}\s*日?\s*$"
    r"|^\s*[0-9０-９]{8}\s*$"
)


def typed_date(text: str) -> date:
    """The day an analyst typed: 2026-12-08, 2026/12/8, 2026.12.8, 2026年12月8日 or 20261208,
    full-width digits too; anything else is an OptionError saying how to write it.

    >>> typed_date("2026年9月30日"), typed_date(" ２０２６/10/8 "), typed_date("20261201")
    (datetime.date(2026, 9, 30), datetime.date(2026, 10, 8), datetime.date(2026, 12, 1))
    >>> typed_date("2026-02-30")
    Traceback (most recent call last):
    ...
    approvals.errors.OptionError: “2026-02-30”不是有效的日期：2026年2月没有30日
    """
    shown = text.strip()
    found = _TYPED_DATE.fullmatch(unicodedata.normalize("NFKC", shown))
    if not shown:
        raise OptionError(f"请填写受理日期（{DATE_EXAMPLES}）")
    if found is None:
        raise OptionError(f"“{shown}”不是日期，请写作年、月、日（{DATE_EXAMPLES}）")
    year, month, day = (int(g) for g in found.groups() if g is not None)
    if not 1 <= month <= 12:
        raise OptionError(f"“{shown}”不是有效的日期：没有{month}月")
    try:
        return date(year, month, day)
    except ValueError:
        raise OptionError(f"“{shown}”不是有效的日期：{year}年{month}月没有{day}日") from None
