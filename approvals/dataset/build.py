"""Raw tables from the readers → the canonical items and steps, with every doubt a problem.

This is where text becomes figures: limits are parsed, decisions classified, items keyed and
steps linked to their items. Everything downstream (figures, graphs, screens, exports) reads
the :class:`Dataset` this module builds.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date

import pandas as pd

from approvals.dataset.decisions import decision_mapping
from approvals.dataset.items import normalise_items
from approvals.dataset.steps import build_steps
from approvals.model import (
    MAPPING_COLUMNS,
    empty_frame,
)
from approvals.problems import concat_problems, problems_frame
from approvals.read.files import Source
from approvals.read.reading import Reading, read_source
from approvals.read.sheets import Overrides
from approvals.settings.columns import Vocabulary, vocabulary
from approvals.settings.decisions import decision_rules
from approvals.workdays import WorkCalendar


@dataclass(frozen=True)
class Options:
    """How a catalog is read: the calendar year for day conversions and the decision table."""

    year: int = field(default_factory=lambda: date.today().year)
    rules: pd.DataFrame | None = None  # decision text → class; None: data/decisions.toml
    calendar: WorkCalendar | None = None

    def decision_table(self) -> pd.DataFrame:
        return decision_rules() if self.rules is None else self.rules

    def work_calendar(self) -> WorkCalendar:
        return self.calendar or WorkCalendar()


@dataclass(frozen=True)
class Dataset:
    """The canonical tables of one analysis: items, steps, problems and how columns were read."""

    items: pd.DataFrame
    steps: pd.DataFrame
    problems: pd.DataFrame
    mappings: pd.DataFrame
    decisions: pd.DataFrame  # distinct decision text → class, as shown to the analyst
    options: Options


def load_dataset(
    sources: Iterable[Source], options: Options | None = None, overrides: Overrides | None = None
) -> Dataset:
    """Read files and build the catalog; raises ReadError for a file that cannot be read at all.

    ``overrides`` are the analyst's column-mapping corrections (see approvals.readers).
    """
    readings = [read_source(s, overrides=overrides) for s in sources]
    return build_dataset(readings, options)


def build_dataset(
    readings: Iterable[Reading], options: Options | None = None, vocab: Vocabulary | None = None
) -> Dataset:
    """Canonical tables from readings (one per file)."""
    options = options or Options()
    vocab = vocab or vocabulary()
    readings = list(readings)
    raw_items = _concat([r.items for r in readings])
    raw_steps = _concat([r.steps for r in readings])
    mappings = (
        pd.concat([r.mappings for r in readings], ignore_index=True)
        if readings
        else empty_frame(MAPPING_COLUMNS)
    )
    headers = _headers(mappings)
    calendar = options.work_calendar()
    rules = options.decision_table()

    items, item_problems = normalise_items(raw_items, headers, rules, calendar, options.year, vocab)
    steps, step_problems = build_steps(raw_steps, items, headers, calendar, options.year, vocab)
    years = calendar.warnings([options.year])
    problems = concat_problems(
        *(r.problems for r in readings), item_problems, step_problems, problems_frame(years)
    )
    decisions = decision_mapping(items.loc[items["has_decision"], "decision_text"], rules)
    return Dataset(items, steps, problems, mappings, decisions, options)


def _concat(frames: list[pd.DataFrame]) -> pd.DataFrame:
    frames = [f for f in frames if len(f.columns)]
    if not frames:
        return pd.DataFrame()
    out = pd.concat(frames, ignore_index=True)
    text = [c for c in out.columns if c not in ("row", "has_decision")]
    out[text] = out[text].fillna("").astype("str")
    return out


def _headers(mappings: pd.DataFrame) -> dict[tuple[str, str, str], str]:
    """(file, sheet, field) → the header as written, for problem rows."""
    known = mappings[mappings["field"].ne("")]
    return {
        (f, s, k): h
        for f, s, k, h in zip(known["file"], known["sheet"], known["field"], known["column"], strict=True)
    }
