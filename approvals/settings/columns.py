"""data/columns.toml compiled: the fields of each sheet kind and the ways headers name them."""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from approvals.model import DATA_DIR
from approvals.text import fold

COLUMNS_FILE = DATA_DIR / "columns.toml"


@dataclass(frozen=True)
class Field:
    """One canonical field of a sheet kind and the ways its header is written."""

    key: str
    label: str
    aliases: frozenset[str]
    patterns: tuple[re.Pattern[str], ...]


@dataclass(frozen=True)
class Vocabulary:
    """Everything data/columns.toml says: fields per sheet kind, categories, versions, words."""

    fields: dict[str, tuple[Field, ...]]  # "items" / "steps" → fields in priority order
    categories: dict[str, str]  # folded alias → category name
    versions: dict[str, str]  # folded alias → "before" / "after"
    words: dict[str, tuple[str, ...]]

    def label(self, kind: str, key: str) -> str:
        """The Chinese label of a field, e.g. ``label("items", "name") == "事项名称"``."""
        for f in self.fields[kind]:
            if f.key == key:
                return f.label
        return key


@cache
def vocabulary(path: Path = COLUMNS_FILE) -> Vocabulary:
    """The alias tables, read once per path."""
    raw = tomllib.loads(path.read_text(encoding="utf-8"))
    fields = {
        kind: tuple(
            Field(
                key=key,
                label=spec.get("label", key),
                aliases=frozenset(fold(a) for a in spec.get("aliases", [])),
                patterns=tuple(re.compile(p) for p in spec.get("patterns", [])),
            )
            for key, spec in raw[kind].items()
        )
        for kind in ("items", "steps")
    }
    categories = {
        fold(alias): name for name, aliases in raw["categories"].items() for alias in [name, *aliases]
    }
    versions = {fold(alias): version for version, aliases in raw["versions"].items() for alias in aliases}
    words = {key: tuple(values) for key, values in raw["words"].items()}
    return Vocabulary(fields, categories, versions, words)
