"""Analyses of the sample the workbook and report tests hand on: as read, with hostile names,
as a current catalog, with nothing in it."""

from __future__ import annotations

import io
from functools import cache

import openpyxl
import pandas as pd
from sample import sample_analysis

from approvals.analysis import Analysis, analyze
from approvals.dataset.build import Dataset
from approvals.dataset.items import derive_items
from approvals.model import validate_items, validate_steps

SCRIPT = "<script>alert(1)</script>"
FORMULA = '=HYPERLINK("http://example.com","点我")'


def with_tables(
    dataset: Dataset, items: pd.DataFrame | None = None, steps: pd.DataFrame | None = None
) -> Dataset:
    """The dataset with other tables, checked as the reader checks them; a new Dataset, so
    nothing worked out from its old steps is kept."""
    return Dataset(
        validate_items(dataset.items if items is None else items),
        validate_steps(dataset.steps if steps is None else steps),
        dataset.problems,
        dataset.mappings,
        dataset.decisions,
        dataset.settings,
    )


def renamed(analysis: Analysis, names: dict[int, str]) -> Analysis:
    """The analysis of the same dataset with some items renamed (item_id → name), steps included."""
    dataset = analysis.dataset
    items = dataset.items.assign(name=dataset.items["item_id"].map(names).fillna(dataset.items["name"]))
    steps = dataset.steps.assign(
        item_name=dataset.steps["item_id"].map(names).fillna(dataset.steps["item_name"])
    )
    return analyze(with_tables(dataset, items, steps))


@cache
def process_ids() -> tuple[int, ...]:
    """Two items with a before and an after process."""
    versions = sample_analysis().processes.groupby("item_id")["version"].nunique()
    return tuple(int(i) for i in versions[versions.eq(2)].index[:2])


@cache
def hostile() -> Analysis:
    """The sample with a script as the name of an item that has a process, and formulas as names."""
    sample = sample_analysis()
    ids = process_ids()
    others = sample.dataset.items["item_id"][~sample.dataset.items["item_id"].isin(ids)]
    first, second = (int(i) for i in others.iloc[:2])
    return renamed(sample, {ids[0]: SCRIPT, first: FORMULA, second: "+1+1"})


@cache
def current_catalog() -> Analysis:
    """The sample as if its lists had no 处理意见 column: a current catalog, nothing decided."""
    dataset = sample_analysis().dataset
    return analyze(dataset.with_items(derive_items(dataset.items.assign(has_decision=False))))


@cache
def empty_catalog() -> Analysis:
    """The sample with every item and step taken out."""
    dataset = sample_analysis().dataset
    return analyze(with_tables(dataset, dataset.items.iloc[0:0], dataset.steps.iloc[0:0]))


def read_book(data: bytes) -> openpyxl.Workbook:
    return openpyxl.load_workbook(io.BytesIO(data))


def rows_of(sheet) -> list[list[object]]:
    return [list(row) for row in sheet.iter_rows(values_only=True)]
