"""One analysis of a catalog: figures per list, department and overall; process paths; 流程再造
flags; problems.

The command line, the app and the exports all show this one object, so none of them computes
a figure the others cannot see.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass

import pandas as pd

from approvals.dataset.build import Dataset
from approvals.figures.rates import figures
from approvals.problems import concat_problems
from approvals.processes.paths import critical_paths
from approvals.redesign.flags import redesign_flags
from approvals.redesign.reductions import flags_in, four_reductions, projected_items, reduction_figures
from approvals.settings.targets import Targets


@dataclass(frozen=True)
class Analysis:
    """Figures and processes of a catalog, with every problem from import to here."""

    dataset: Dataset
    lists: pd.DataFrame  # one row per category (清单)
    departments: pd.DataFrame  # one row per department
    overall: pd.DataFrame  # one row
    processes: pd.DataFrame  # one row per (item, version)
    flags: pd.DataFrame  # 流程再造 findings, measured (approvals.redesign.FLAG_COLUMNS)
    problems: pd.DataFrame
    targets: Targets


def analyze(
    dataset: Dataset,
    targets: Targets | None = None,
    benchmarks: Mapping[str, float] | None = None,
    paths: tuple[pd.DataFrame, pd.DataFrame] | None = None,
) -> Analysis:
    """Compute every figure of ``catalog``.

    ``benchmarks`` maps a list name (or "" for overall) to a benchmark number of days, e.g.
    ``{"行政许可": 11.5}`` for the province's own departments' average. ``paths`` is the result of
    :func:`approvals.graphs.critical_paths` on the catalog's steps when the caller already has it
    (the steps do not change when the analyst edits a decision).
    """
    targets = targets or Targets.load()
    items = dataset.items
    lists = figures(items, "category", targets=targets, benchmarks=benchmarks)
    departments = figures(items, "department", targets=targets)
    overall_benchmark = {"": benchmarks[""]} if benchmarks and "" in benchmarks else None
    overall = figures(items, None, targets=targets, benchmarks=overall_benchmark)
    processes, cycle_problems = paths if paths is not None else critical_paths(dataset.steps)
    problems = concat_problems(dataset.problems, cycle_problems)
    flags = redesign_flags(dataset.steps, items, processes)
    return Analysis(dataset, lists, departments, overall, processes, flags, problems, targets)


@dataclass(frozen=True)
class Projection:
    """What the accepted suggestions would give: 四减 per item and grouped, and the figures on the
    projected limits beside today's."""

    per_item: pd.DataFrame  # four_reductions
    reductions_overall: pd.DataFrame
    reductions_departments: pd.DataFrame
    overall: pd.DataFrame  # metrics.figures on the projected limits
    departments: pd.DataFrame
    accepted: int  # accepted flags applied


def project(analysis: Analysis, accepted: Iterable[str]) -> Projection:
    """The projection of an analysis with the flags whose keys are ``accepted``."""
    keys = set(accepted)
    dataset = analysis.dataset
    per_item = four_reductions(dataset.items, dataset.steps, analysis.flags, keys, analysis.processes)
    projected = projected_items(dataset.items, per_item)
    targets = analysis.targets
    applied = int(flags_in(analysis.flags, keys).sum())
    return Projection(
        per_item=per_item,
        reductions_overall=reduction_figures(per_item),
        reductions_departments=reduction_figures(per_item, "department"),
        overall=figures(projected, None, targets=targets),
        departments=figures(projected, "department", targets=targets),
        accepted=applied,
    )
