"""The bundled sample and the settings every test reads it with, loaded once per test session.

Tests import these instead of loading files themselves: ``from sample import SETTINGS,
sample_analysis``. The calendar year is 2026, the year the sample's published figures assume.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path

import pandas as pd

from approvals.analysis import Analysis, analyze
from approvals.dataset.build import Dataset, load_dataset
from approvals.settings import Settings, load_settings

ROOT = Path(__file__).resolve().parent.parent
SAMPLE_DIR = ROOT / "data" / "sample"
SAMPLE_FILES = sorted(SAMPLE_DIR.glob("*.xlsx"))
SETTINGS: Settings = load_settings(year=2026)


_AS_READ: dict[str, int] = {}


@cache
def sample_dataset() -> Dataset:
    """The sample read with :data:`SETTINGS` (shared: never mutate its tables)."""
    dataset = load_dataset(SAMPLE_FILES, SETTINGS)
    _AS_READ["digest"] = _digest(dataset)
    return dataset


def _digest(dataset: Dataset) -> int:
    plain = [c for c in dataset.items.columns if not pd.api.types.is_object_dtype(dataset.items[c])]
    frames = (dataset.items[plain], dataset.steps)
    return hash(tuple(int(pd.util.hash_pandas_object(f, index=True).sum()) for f in frames))


def untouched() -> bool:
    """Whether the shared sample's tables are still as read (True when it was never read)."""
    return "digest" not in _AS_READ or _digest(sample_dataset()) == _AS_READ["digest"]


@cache
def sample_analysis() -> Analysis:
    """The analysis of :func:`sample_dataset` (shared: never mutate its tables)."""
    return analyze(sample_dataset())
