"""Department files → sheets → header found, columns mapped → raw item and step tables.

Departments send .xlsx, .xls and .csv (UTF-8, UTF-8 with BOM, GB18030/GBK) with title rows
above the header, merged cells, summary rows and notes below. Reading finds the header, maps
the columns by data/columns.toml, keeps every column it does not know, and turns everything it
skips or doubts into a problem row. Values stay text here; approvals.dataset parses them.
"""

from __future__ import annotations

import gc
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass

import pandas as pd

from approvals.errors import ReadError
from approvals.model import MAPPING_COLUMNS, empty_frame
from approvals.problems import concat_problems, problems_frame
from approvals.read.columns import closest_field
from approvals.read.files import Grid, Source, open_grids, source_bytes
from approvals.read.sheets import Overrides, likely_header, read_grid
from approvals.settings.columns import Vocabulary


@dataclass
class Reading:
    """What reading gave: raw items and steps (text), problems, and the column mapping used."""

    items: pd.DataFrame
    steps: pd.DataFrame
    problems: pd.DataFrame
    mappings: pd.DataFrame


def read_sources(sources: Iterable[Source], vocab: Vocabulary, overrides: Overrides | None = None) -> Reading:
    """Read several files; raises ReadError for the first that cannot be read at all."""
    readings = [read_source(s, vocab, overrides) for s in sources]
    return merge_readings(readings)


def read_source(
    source: Source, vocab: Vocabulary, overrides: Overrides | None = None, memory: int | None = None
) -> Reading:
    """Read every sheet of one file into raw item and step tables; ``memory`` is what reading it
    may take (default MAX_READ_BYTES, approvals.read.workbooks).

    Raises ReadError when the file cannot be opened, or when no sheet in it looks like an item
    list or a step list (the message names the column that is missing).
    """
    name, data = source_bytes(source)
    items, steps, problems, mappings = [], [], [], []
    with collector_paused():
        grids = open_grids(name, data, memory)
        for grid in grids:
            kind, table, probs, mapping = read_grid(grid, vocab, overrides)
            mappings.append(mapping)
            problems.append(problems_frame(grid.problems))
            problems.append(probs)
            if kind == "items":
                items.append(table)
            elif kind == "steps":
                steps.append(table)
    if not items and not steps:
        sheets = "、".join(f"“{g.sheet}”" for g in grids)
        raise ReadError(
            name,
            f"在工作表 {sheets} 中都没有找到“事项名称”列（事项清单）或“环节名称”列（环节清单），请检查表头"
            + _header_hints(grids, vocab),
        )
    return Reading(
        items=concat_tables(items),
        steps=concat_tables(steps),
        problems=concat_problems(*problems),
        mappings=pd.concat(mappings, ignore_index=True),
    )


HINTED_HEADERS = 12


def _header_hints(grids: Sequence[Grid], vocab: Vocabulary) -> str:
    """What the likeliest header row of each sheet holds, each header with the known field it is
    closest to, so the analyst sees which column to rename or which correction to make."""
    parts = []
    for grid in grids:
        labels = likely_header(grid)
        if not labels:
            continue
        shown = []
        for label in labels[:HINTED_HEADERS]:
            near = closest_field(label, vocab)
            shown.append(f"“{label}”（{'最接近：' + near if near else '无相近字段'}）")
        more = f"等 {len(labels)} 列" if len(labels) > HINTED_HEADERS else ""
        parts.append(f"工作表“{grid.sheet}”的表头：" + "、".join(shown) + more)
    return "。" + "；".join(parts) if parts else ""


@contextmanager
def collector_paused() -> Iterator[None]:
    """Python's cycle collector paused while a file's cells become millions of strings and
    lists, which hold no cycles: otherwise it walks them again and again (half the time of
    parsing a large CSV). Reference counting still frees everything as usual."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


def merge_readings(readings: Sequence[Reading]) -> Reading:
    """Several readings as one, in the order given."""
    return Reading(
        items=concat_tables([r.items for r in readings]),
        steps=concat_tables([r.steps for r in readings]),
        problems=concat_problems(*(r.problems for r in readings)),
        mappings=pd.concat([r.mappings for r in readings], ignore_index=True)
        if readings
        else empty_frame(MAPPING_COLUMNS),
    )


def _is_number(column: pd.Series) -> bool:
    return pd.api.types.is_numeric_dtype(column) or pd.api.types.is_bool_dtype(column)


def concat_tables(frames: Sequence[pd.DataFrame]) -> pd.DataFrame:
    """Raw tables of several sheets or files as one: every column text ("" where a table lacks
    it) but the row numbers, the has-decision flag and any other column that is a number in
    every table holding it (a cluster's positions)."""
    frames = [f for f in frames if len(f.columns)]
    if not frames:
        return pd.DataFrame()
    out = pd.concat(frames, ignore_index=True)
    numeric = {c for c in out.columns if all(_is_number(f[c]) for f in frames if c in f)}
    text = [c for c in out.columns if c not in ("row", "has_decision") and c not in numeric]
    out[text] = out[text].fillna("").astype("str")
    return out
