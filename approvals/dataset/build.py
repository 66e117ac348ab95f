"""Raw tables from the readers → the canonical items and steps, with every doubt a problem.

This is where text becomes figures: limits are parsed, decisions classified, items keyed and
steps linked to their items. Everything downstream (figures, graphs, screens, exports) reads
the :class:`Dataset` this module builds, and trusts it: the tables are validated once, here.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field, replace
from typing import Any, TypeVar, cast

import pandas as pd

from approvals.dataset.decisions import decision_mapping
from approvals.dataset.items import normalise_items
from approvals.dataset.steps import build_steps
from approvals.errors import OptionError
from approvals.model import MAPPING_COLUMNS, empty_frame, validate_items, validate_steps
from approvals.problems import concat_problems, problems_frame
from approvals.read.files import Source
from approvals.read.reading import Reading, concat_tables, read_source
from approvals.read.sheets import Overrides
from approvals.settings import Settings

T = TypeVar("T")


@dataclass(frozen=True, eq=False)
class Dataset:
    """The canonical tables of one analysis: items, steps, problems, how columns were read, the
    decision mapping, and the settings they were built with.

    What is worked out from the steps alone (the critical paths, say) is kept with them by
    :meth:`from_steps` and shared by every dataset made from this one with other items
    (:meth:`with_items`): editing a decision or a limit never changes a process.
    """

    items: pd.DataFrame
    steps: pd.DataFrame
    problems: pd.DataFrame
    mappings: pd.DataFrame
    decisions: pd.DataFrame  # distinct decision text → class, as shown to the analyst
    settings: Settings
    _from_steps: dict[str, tuple[pd.DataFrame, Any]] = field(default_factory=dict, repr=False)

    def from_steps(self, name: str, make: Callable[[pd.DataFrame], T]) -> T:
        """``make(steps)``, worked out once per steps table and kept under ``name`` (a dataset
        made with other steps, even by ``dataclasses.replace``, works it out again)."""
        kept = self._from_steps.get(name)
        if kept is None or kept[0] is not self.steps:
            kept = (self.steps, make(self.steps))
            self._from_steps[name] = kept
        return cast(T, kept[1])

    def with_items(self, items: pd.DataFrame) -> Dataset:
        """The same dataset with other items (the analyst's edits); the steps and what was worked
        out from them are shared."""
        return replace(self, items=validate_items(items), _from_steps=self._from_steps)

    def with_settings(self, settings: Settings) -> Dataset:
        """The same dataset under settings that read files the same way (other targets, rules
        or export layout); settings that read them otherwise need the files read again."""
        if settings.reading_digest != self.settings.reading_digest:
            raise OptionError("列名识别、处理意见归类、时限写法、节假日或年度已改变，需要重新读取文件")
        return replace(self, settings=settings, _from_steps=self._from_steps)


def load_dataset(
    sources: Iterable[Source], settings: Settings, overrides: Overrides | None = None
) -> Dataset:
    """Read files and build the dataset; raises ReadError for a file that cannot be read at all.

    ``overrides`` are the analyst's column-mapping corrections (see approvals.read.sheets).
    """
    readings = [read_source(s, settings.columns, overrides) for s in sources]
    return build_dataset(readings, settings)


def build_dataset(readings: Iterable[Reading], settings: Settings) -> Dataset:
    """Canonical tables from readings (one per file)."""
    readings = list(readings)
    raw_items = concat_tables([r.items for r in readings])
    raw_steps = concat_tables([r.steps for r in readings])
    mappings = (
        pd.concat([r.mappings for r in readings], ignore_index=True)
        if readings
        else empty_frame(MAPPING_COLUMNS)
    )
    headers = _headers(mappings)
    items, item_problems = normalise_items(raw_items, headers, settings)
    steps, step_problems = build_steps(raw_steps, items, headers, settings)
    years = settings.calendar.warnings([settings.year])
    problems = concat_problems(
        *(r.problems for r in readings), item_problems, step_problems, problems_frame(years)
    )
    decisions = decision_mapping(items.loc[items["has_decision"], "decision_text"], settings.decisions)
    return Dataset(validate_items(items), validate_steps(steps), problems, mappings, decisions, settings)


def _headers(mappings: pd.DataFrame) -> dict[tuple[str, str, str], str]:
    """(file, sheet, field) → the header as written, for problem rows."""
    known = mappings[mappings["field"].ne("")]
    return {
        (f, s, k): h
        for f, s, k, h in zip(known["file"], known["sheet"], known["field"], known["column"], strict=True)
    }
