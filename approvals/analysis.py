"""One analysis of a dataset: figures per list, department and overall; process paths; 流程再造
flags; merge candidates; problems; and what the accepted flags would give (:func:`project`).

The command line, the app and the exports all show this one object, so none of them computes
a figure the others cannot see.

May import: everything up to approvals.redesign.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass

import pandas as pd

from approvals.dataset.build import Dataset
from approvals.figures.benchmarks import Benchmarks
from approvals.figures.benchmarks import benchmarks as locality_benchmarks
from approvals.figures.rates import Figures, figures, item_sums
from approvals.model import ALL_ITEMS
from approvals.problems import concat_problems
from approvals.processes.paths import paths_and_edges
from approvals.redesign.flags import redesign_flags
from approvals.redesign.reductions import flags_in, four_reductions, projected_items, reduction_figures
from approvals.redesign.similar import merge_list
from approvals.settings import Settings
from approvals.settings.targets import Targets


@dataclass(frozen=True, eq=False)
class Analysis:
    """Figures and processes of a dataset, with every problem from import to here."""

    dataset: Dataset
    lists: pd.DataFrame  # one row per category (清单)
    departments: pd.DataFrame  # one row per department
    overall_table: pd.DataFrame  # the one row of every item together
    processes: pd.DataFrame  # one row per (item, version)
    flags: pd.DataFrame  # 流程再造 findings, measured (approvals.model.FLAG_COLUMNS)
    problems: pd.DataFrame
    # pairs of retained items that may be merged, ranked (approvals.redesign.similar.MERGE_COLUMNS):
    # a list of their own, never counted among the flags
    merge_candidates: pd.DataFrame
    # the same standard item across localities: best limits and each locality's gap (对标)
    benchmarks: Benchmarks

    @property
    def overall(self) -> Figures:
        """The figures of every item together, as a record."""
        return Figures.of(self.overall_table.iloc[0])

    @property
    def settings(self) -> Settings:
        return self.dataset.settings

    @property
    def targets(self) -> Targets:
        return self.dataset.settings.targets


def analyze(dataset: Dataset, benchmarks: Mapping[str, float] | None = None) -> Analysis:
    """Compute every figure of ``dataset``, under the settings it carries.

    ``benchmarks`` maps a list name (or "" for all items together) to a benchmark mean limit in
    days, e.g. ``{"行政许可": 11.5}`` for the province's own departments' average. The critical
    paths are worked out once per steps table: an analysis of the same dataset with edited
    decisions or limits reuses them.
    """
    targets = dataset.settings.targets
    items = dataset.items
    benchmarks = dict(benchmarks or {})
    parts = item_sums(items)
    lists = figures(items, "category", targets=targets, benchmarks=benchmarks, parts=parts)
    departments = figures(items, "department", targets=targets, parts=parts)
    overall_benchmark = {ALL_ITEMS: benchmarks[""]} if "" in benchmarks else None
    overall = figures(items, None, targets=targets, benchmarks=overall_benchmark, parts=parts)
    del parts  # a province's per-item sums are not kept through the rest
    (processes, cycle_problems), edges = dataset.from_steps("critical_paths", paths_and_edges)
    problems = concat_problems(dataset.problems, cycle_problems)
    flags = redesign_flags(dataset.steps, items, processes, dataset.settings, edges)
    merges = merge_list(items, dataset.settings.similar)
    across = locality_benchmarks(items)
    return Analysis(dataset, lists, departments, overall, processes, flags, problems, merges, across)


@dataclass(frozen=True, eq=False)
class Projection:
    """What the accepted suggestions would give: 四减 per item and grouped, and the figures on the
    projected limits beside today's."""

    per_item: pd.DataFrame  # four_reductions
    reductions_overall: pd.DataFrame
    reductions_departments: pd.DataFrame
    overall_table: pd.DataFrame  # figures on the projected limits, every item together
    departments: pd.DataFrame
    accepted: int  # accepted flags applied

    @property
    def overall(self) -> Figures:
        return Figures.of(self.overall_table.iloc[0])


def project(analysis: Analysis, accepted: Iterable[str]) -> Projection:
    """The projection of an analysis with the flags whose keys are ``accepted``."""
    keys = set(accepted)
    dataset = analysis.dataset
    per_item = four_reductions(
        dataset.items, dataset.steps, analysis.flags, keys, analysis.settings.redesign, analysis.processes
    )
    projected = projected_items(dataset.items, per_item)
    targets = analysis.targets
    applied = int(flags_in(analysis.flags, keys).sum())
    return Projection(
        per_item=per_item,
        reductions_overall=reduction_figures(per_item),
        reductions_departments=reduction_figures(per_item, "department"),
        overall_table=figures(projected, None, targets=targets),
        departments=figures(projected, "department", targets=targets),
        accepted=applied,
    )
