"""The 总览 screen: targets to edit, the headline cards, departments against targets, items by list."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import pandas as pd

from approvals.analysis import Analysis
from approvals.settings.targets import Targets
from approvals.views.cards import CardGroup, headline
from approvals.views.imports import mixed_lists_note
from approvals.views.labels import LABEL_DECISIONS
from approvals.views.tables import figures_table, filter_items, items_table

ALL_DECISIONS = "全部"
DEPARTMENT_COLUMN = "部门"


@dataclass(frozen=True)
class TargetRow:
    """One list's line of the targets form, in percent and days as the analyst types them."""

    name: str
    streamlining: float
    shortening: float
    benchmark: float


@dataclass(frozen=True)
class TargetForm:
    """The targets form as it opens: the defaults (departments and all items) and each list."""

    streamlining_default: float
    shortening_default: float
    rows: tuple[TargetRow, ...]


def target_form(analysis: Analysis, benchmarks: Mapping[str, float]) -> TargetForm:
    """The targets and benchmarks in force, as the form shows them (rates in percent)."""
    targets = analysis.targets
    rows = tuple(
        TargetRow(
            name,
            100 * (targets.streamlining_for(name) or 0.0),
            100 * (targets.shortening_for(name) or 0.0),
            float(benchmarks.get(name, 0.0)),
        )
        for name in analysis.lists["group"].tolist()
    )
    return TargetForm(
        100 * (targets.streamlining_default or 0.0), 100 * (targets.shortening_default or 0.0), rows
    )


def targets_from_form(
    streamlining_default: float, shortening_default: float, rows: Iterable[TargetRow]
) -> tuple[Targets, dict[str, float]]:
    """The targets and benchmarks the analyst entered (percent → fractions; a benchmark of 0 days
    means none).

    >>> targets, benchmarks = targets_from_form(30, 25, [TargetRow("行政许可", 40, 30, 11.5)])
    >>> targets.streamlining_for("行政许可"), targets.shortening_for(), benchmarks
    (0.4, 0.25, {'行政许可': 11.5})
    """
    rows = list(rows)
    targets = Targets(
        streamlining={r.name: r.streamlining / 100 for r in rows},
        streamlining_default=streamlining_default / 100,
        shortening={r.name: r.shortening / 100 for r in rows},
        shortening_default=shortening_default / 100,
    )
    return targets, {r.name: r.benchmark for r in rows if r.benchmark > 0}


@dataclass(frozen=True, eq=False)
class Overview:
    """What the 总览 screen shows below the targets."""

    empty: bool
    mixed: str | None  # clean-up lists and current catalogues loaded together
    headline: list[CardGroup]
    departments: pd.DataFrame  # the figures of each department, Chinese headers
    streamlining_target: float | None  # the one line on the department chart
    lists: list[str]
    decision_choices: list[str]


def overview(analysis: Analysis) -> Overview:
    return Overview(
        empty=analysis.dataset.items.empty,
        mixed=mixed_lists_note(analysis.dataset.items),
        headline=headline(analysis.lists, analysis.overall),
        departments=figures_table(analysis.departments, DEPARTMENT_COLUMN),
        streamlining_target=analysis.targets.streamlining_default,
        lists=analysis.lists["group"].tolist(),
        decision_choices=[ALL_DECISIONS, *LABEL_DECISIONS],
    )


def selected_department(
    departments: pd.DataFrame, rows: Sequence[int], points: Sequence[Mapping[str, Any]]
) -> str | None:
    """The department picked last: a selected row of the departments table, or a clicked bar of
    the department chart (whose customdata starts with the department).

    >>> table = pd.DataFrame({"部门": ["市水利局", "市林业局"]})
    >>> clicked = [{"customdata": ["市教育局", 3]}]
    >>> selected_department(table, [1], []), selected_department(table, [0], clicked)
    ('市林业局', '市教育局')
    >>> selected_department(table, [], []) is None
    True
    """
    chosen = [str(departments.iloc[r][DEPARTMENT_COLUMN]) for r in rows]
    for point in points:
        data = point.get("customdata")
        if data is not None:
            chosen.append(str(data[0] if isinstance(data, list | tuple) else data))
    return chosen[-1] if chosen else None


def department_items(analysis: Analysis, department: str) -> pd.DataFrame:
    """The items of one department, as the overview lists them."""
    return items_table(filter_items(analysis.dataset.items, departments=[department]), extras=False)


def list_items(analysis: Analysis, category: str, decision: str) -> pd.DataFrame:
    """The items of one list with one decision (its Chinese label, or 全部)."""
    chosen = [] if decision == ALL_DECISIONS else [LABEL_DECISIONS[decision]]
    subset = filter_items(analysis.dataset.items, categories=[category], decisions=chosen)
    return items_table(subset, extras=False)
