"""export.toml compiled: titles, the columns of each published list, fonts and the page."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from approvals.settings.limits import KINDS
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
class LimitWords:
    """How a catalog prints a time limit (export.toml ``[limits]``): as written, or in one wording."""

    as_written: bool  # the default: print each limit as the department typed it
    immediate: str  # 即办
    none: dict[str, str]  # limit prefix (statutory / original / committed) → the words for "no limit"
    units: dict[str, str]  # unit kind (工作日, 自然日, 月, 小时) → a template with {n}


@dataclass(frozen=True)
class Layout:
    """export.toml: titles, the columns of each list, fonts and the page."""

    titles: dict[str, str]
    level: str
    current: str  # the title of a current catalogue's list: {region}{level}{holds}
    holds: tuple[str, ...]  # what a current catalogue may call itself, found in its own title
    holds_default: str
    lists: dict[str, tuple[str, ...]]  # kind → column keys
    optional: frozenset[str]  # list columns left out where every item of the list leaves them blank
    levels: dict[str, str]  # the suffix of a place name (县, 区 …) → the level in titles (县本级 …)
    limits: LimitWords
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


# Defaults for an export.toml written before these tables existed (a round keeps the settings
# it was made with): the bundled file's values.
DEFAULT_LEVELS = {
    "自治区": "自治区本级", "省": "省本级", "自治州": "州本级", "州": "州本级", "盟": "盟本级",
    "地区": "地区本级", "市": "市本级", "自治县": "县本级", "自治旗": "旗本级", "县": "县本级",
    "旗": "旗本级", "区": "区本级",
}  # fmt: skip
DEFAULT_LIMIT_UNITS = {"工作日": "{n}个工作日", "自然日": "{n}个自然日", "月": "{n}个月", "小时": "{n}小时"}


LIST_KEYS = ("retained", "cancelled", "delegated", "merged", "changed")
FONT_KEYS = ("title", "subtitle", "header", "body", "footer")
PAGE_NUMBERS = ("margin_top_cm", "margin_bottom_cm", "margin_left_cm", "margin_right_cm")
PAGE_DEFAULTS = {"cell_margin_cm": 0.1, "line_spacing": 1.4}


def layout_from(section: Section) -> Layout:
    """The export layout from the data of export.toml, every value checked."""
    section.only("titles", "lists", "columns", "fonts", "page", "limits")
    titles_table = section.table("titles").only(
        "level", *LIST_KEYS, "current", "holds", "holds_default", "levels"
    )
    titles = {kind: titles_table.string(kind, empty=False) for kind in LIST_KEYS}
    levels_table = titles_table.table("levels", DEFAULT_LEVELS)
    levels = {suffix: levels_table.string(suffix, empty=False) for suffix, _ in levels_table.items()}
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
    lists_table = section.table("lists").only(*LIST_KEYS, "optional")
    optional = frozenset(lists_table.strings("optional", []))
    for key in optional:
        if key not in columns:
            raise lists_table.error("optional", key, f"列“{key}”在 [columns] 中没有定义")
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
        optional=optional,
        levels=levels,
        limits=_limit_words(section.table("limits", {})),
        columns=columns,
        fonts=fonts,
        page=page,
    )


def _limit_words(table: Section) -> LimitWords:
    table.only("as_written", "immediate", "none_statutory", "none_committed", "units")
    units_table = table.table("units", DEFAULT_LIMIT_UNITS).only(*KINDS)
    units = {}
    for kind in KINDS:
        template = units_table.string(kind, DEFAULT_LIMIT_UNITS[kind], empty=False)
        if "{n}" not in template:
            raise units_table.error(kind, template, "应含有 {n}（时限的数字）")
        units[kind] = template
    committed = table.string("none_committed", "无", empty=False)
    return LimitWords(
        as_written=table.boolean("as_written", False),
        immediate=table.string("immediate", "即办", empty=False),
        none={
            "statutory": table.string("none_statutory", "法律未规定", empty=False),
            "original": committed,
            "committed": committed,
        },
        units=units,
    )
