"""export.toml compiled: titles, the columns of each published list, fonts and the page."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from approvals.settings.values import Section


@dataclass(frozen=True)
class Column:
    """One column's header and print layout (export.toml ``[columns.*]``)."""

    header: str
    width: float  # Excel character units
    width_cm: float  # Word
    wrap: bool
    align: str  # "left" / "center"


@dataclass(frozen=True)
class Font:
    """A font as export.toml names it: the same face for Chinese and Latin text."""

    name: str
    size: float  # points
    bold: bool


@dataclass(frozen=True)
class Layout:
    """export.toml: titles, the columns of each list, fonts and the page."""

    titles: dict[str, str]
    level: str
    current: str  # the title of a current catalogue's list: {region}{level}{holds}
    holds: tuple[str, ...]  # what a current catalogue may call itself, found in its own title
    holds_default: str
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


LIST_KEYS = ("retained", "cancelled", "delegated", "merged", "changed")
FONT_KEYS = ("title", "subtitle", "header", "body", "footer")
PAGE_NUMBERS = ("margin_top_cm", "margin_bottom_cm", "margin_left_cm", "margin_right_cm")
PAGE_DEFAULTS = {"cell_margin_cm": 0.1, "line_spacing": 1.4}


def layout_from(section: Section) -> Layout:
    """The export layout from the data of export.toml, every value checked."""
    section.only("titles", "lists", "columns", "fonts", "page")
    titles_table = section.table("titles").only("level", *LIST_KEYS, "current", "holds", "holds_default")
    titles = {kind: titles_table.string(kind, empty=False) for kind in LIST_KEYS}
    columns_table = section.table("columns")
    columns = {}
    for key, _ in columns_table.items():
        c = columns_table.table(key).only("header", "width", "width_cm", "wrap", "align")
        columns[key] = Column(
            header=c.string("header", empty=key == "extra"),
            width=c.number("width", minimum=1, maximum=255),
            width_cm=c.number("width_cm", minimum=0.2, maximum=30),
            wrap=c.boolean("wrap"),
            align=c.choice("align", ("left", "center")),
        )
    for required in ("number", "department", "extra"):
        if required not in columns:
            raise columns_table.error(required, None, "缺少这一列的版式")
    lists_table = section.table("lists").only(*LIST_KEYS)
    lists = {}
    for kind in LIST_KEYS:
        keys = lists_table.strings(kind)
        for key in keys:
            if key not in columns:
                raise lists_table.error(kind, key, f"列“{key}”在 [columns] 中没有定义")
        lists[kind] = keys
    fonts_table = section.table("fonts")
    fonts = {}
    for key in FONT_KEYS:
        f = fonts_table.table(key).only("name", "size", "bold")
        fonts[key] = Font(
            f.string("name", empty=False), f.number("size", minimum=5, maximum=72), f.boolean("bold")
        )
    page_table = section.table("page").only(*PAGE_NUMBERS, *PAGE_DEFAULTS, "footer", "group_border")
    page: dict[str, Any] = {name: page_table.number(name, minimum=0) for name in PAGE_NUMBERS}
    page |= {name: page_table.number(name, default, minimum=0) for name, default in PAGE_DEFAULTS.items()}
    page["footer"] = page_table.string("footer", "")
    page["group_border"] = page_table.boolean("group_border", True)
    return Layout(
        titles=titles,
        level=titles_table.string("level", ""),
        current=titles_table.string("current", "{region}{level}{holds}"),
        holds=tuple(titles_table.strings("holds", [])),
        holds_default=titles_table.string("holds_default", "政务服务事项目录"),
        lists=lists,
        columns=columns,
        fonts=fonts,
        page=page,
    )
