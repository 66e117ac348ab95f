"""One item's process as the 流程图 screen, the report and the chart downloads show it.

:func:`item_process` gathers everything about one item's processes once: the steps of each version,
their critical-path figures, the flags on them and the steps those flags name, the cards that
compare before with after. :func:`due_dates` answers "when is it due if accepted on day X" on
the official calendar.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

import pandas as pd

from approvals.analysis import Analysis
from approvals.figures.processes import path_shortening_rate
from approvals.figures.rates import item_shortening_rates
from approvals.model import VERSION_LABELS
from approvals.redesign.verdicts import flagged_steps
from approvals.views.cards import Metric
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


def _steps_count(value: Any) -> str:
    return str(0 if missing(value) else int(value))


def item_process(analysis: Analysis, item_id: int, verdicts: dict[str, str]) -> ItemProcess:
    """One item's processes before and after, the cards that compare them, its flags."""
    numbers = process_figures(analysis, item_id)
    rate = numbers["path_shortening_rate"]
    limit_rate = numbers.get("limit_shortening_rate")
    metrics = (
        Metric(
            "关键路径（工作日）",
            f"{days(numbers['before_critical_path_days'])} → {days(numbers['after_critical_path_days'])}",
            note=None if missing(rate) else percent(rate),
            help="计入办结时限的环节沿最长路径的用时；百分比为关键路径缩短率。",
        ),
        Metric(
            "环节数",
            f"{_steps_count(numbers['before_step_count'])} → {_steps_count(numbers['after_step_count'])}",
        ),
        Metric(
            "工作量合计（工作日）",
            f"{days(numbers['before_total_effort_days'])} → {days(numbers['after_total_effort_days'])}",
            help="各环节用时之和，不论是否并行。",
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
        note = (
            f"另有不计入办结时限的环节（专家评审、公示等）：再造前 {days(outside[0])} 个工作日，"
            f"再造后 {days(outside[1])} 个工作日；申请人实际等待时间需加上这部分。"
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


def due_dates(calendar: WorkCalendar, start: date, before_days: Any, after_days: Any) -> DueDates:
    """The due date of each limit counted in working days from the day after ``start``
    (行政许可法 art. 82), on the official calendar with its make-up working days.

    >>> shown = due_dates(settings.calendar, date(2026, 9, 30), 3.0, None)
    >>> [(m.label, m.value, m.note) for m in shown.metrics]
    [('按原时限（3.00 个工作日）', '2026年10月10日', '星期六'), ('按新时限', '—', None)]
    """
    warnings = tuple(w["message"] for w in calendar.warnings([start.year, start.year + 1]))
    metrics = []
    for label, limit in (("按原时限", before_days), ("按新时限", after_days)):
        if missing(limit):
            metrics.append(Metric(label, "—", help="该事项没有可计算的时限"))
            continue
        when = calendar.due_date(start, float(limit))
        metrics.append(
            Metric(
                f"{label}（{days(limit)} 个工作日）",
                when.strftime("%Y年%m月%d日"),
                note="星期" + WEEKDAYS[when.weekday()],
            )
        )
    return DueDates(warnings, tuple(metrics))
