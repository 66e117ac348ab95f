"""data/export.toml compiled: titles, the columns of each published list, fonts and the page."""

from __future__ import annotations

import tomllib
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

from approvals.model import DATA_DIR

EXPORT_FILE = DATA_DIR / "export.toml"


@dataclass(frozen=True)
class Column:
    """One column's header and print layout (data/export.toml ``[columns.*]``)."""

    header: str
    width: float  # Excel character units
    width_cm: float  # Word
    wrap: bool
    align: str  # "left" / "center"


@dataclass(frozen=True)
class Font:
    """A font as data/export.toml names it: the same face for Chinese and Latin text."""

    name: str
    size: float  # points
    bold: bool


@dataclass(frozen=True)
class Layout:
    """data/export.toml: titles, the columns of each list, fonts and the page."""

    titles: dict[str, str]
    level: str
    lists: dict[str, tuple[str, ...]]  # kind → column keys
    columns: dict[str, Column]  # key → column; "extra" lays out the department's own columns
    fonts: dict[str, Font]  # title, subtitle, header, body, footer
    page: dict[str, Any]

    def column(self, header: str) -> Column:
        """The layout of a table column by its header; unknown headers are extras."""
        for column in self.columns.values():
            if column.header == header:
                return column
        return self.columns["extra"]

    @property
    def department_header(self) -> str:
        return self.columns["department"].header


@cache
def layout(path: Path = EXPORT_FILE) -> Layout:
    """The export layout, read once per file."""
    raw = tomllib.loads(path.read_text(encoding="utf-8"))
    titles = dict(raw["titles"])
    level = str(titles.pop("level", ""))
    return Layout(
        titles=titles,
        level=level,
        lists={kind: tuple(keys) for kind, keys in raw["lists"].items()},
        columns={
            key: Column(
                str(c["header"]), float(c["width"]), float(c["width_cm"]), bool(c["wrap"]), c["align"]
            )
            for key, c in raw["columns"].items()
        },
        fonts={
            key: Font(str(f["name"]), float(f["size"]), bool(f["bold"])) for key, f in raw["fonts"].items()
        },
        page=dict(raw["page"]),
    )
