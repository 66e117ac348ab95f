"""The catalogs the government publishes: 保留事项目录 and the 取消 / 下放 / 合并 / 转变管理方式 lists.

:func:`catalog_table` puts one list's items in publication order (grouped by department, items in
their list order, numbered); the writers turn that table into bytes ready to print (.xlsx, .docx)
or to reuse (.csv). Titles, columns, fonts and widths are export.toml.

Departments are shown as a department column repeated on every row, with a heavier rule above
each department's first row, rather than one merged cell per department: a merged cell that
runs over a page break prints its text on the first page only, leaving the rows on the next page
without a department; a repeated value keeps every printed page readable, and the table stays
sortable, filterable and readable again by this tool.
"""

from __future__ import annotations

import io
import re
import tempfile
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from xml.sax.saxutils import escape, quoteattr

import docx
import numpy as np
import pandas as pd
import xlsxwriter
from docx.enum.section import WD_ORIENT
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement, parse_xml
from docx.oxml.ns import nsdecls, qn
from docx.shared import Cm, Mm, Pt, Twips

from approvals.model import ITEM_COLUMNS, LIMIT_PREFIXES, LIST_KINDS, column_dtype, limit_columns
from approvals.safety import XLSX_TEXT_OPTIONS, neutralise, safe_frame
from approvals.settings import Settings
from approvals.settings.export import Column, Font, Layout
from approvals.views.format import limit_texts, limit_wording

DEPARTMENT_ORDERS = ("listed", "count")


NUMBERINGS = ("continuous", "per_department")


A4_LONG_MM, A4_SHORT_MM = 297, 210


_XLSX_PAPER_A4 = 9


_GB2312_CHARSET = 134  # tells Excel the font is a Chinese one, so it is not substituted


_XML_INVALID = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


_SHEET_NAME_INVALID = re.compile(r"[\[\]:*?/\\]")


_LINE_BREAK = re.compile(r"\r\n|\r|\n")


_WIDE_CHAR = r"[^\x00-\xff]"  # Chinese characters and full-width punctuation: two width units


_PX_PER_UNIT = 7


_CELL_PADDING_UNITS = 0.8


_TEXT_COLUMNS = frozenset(c for c in ITEM_COLUMNS if column_dtype(c) == "str")


_LIMIT_TEXTS = {f"{prefix}_text": prefix for prefix in LIMIT_PREFIXES}  # a limit's text column → its prefix


@dataclass(frozen=True)
class CatalogOptions:
    """What the analyst chooses for a published catalog.

    ``department_order``: "listed" (first appearance in the lists), "count" (most items in the
    catalog first) or department names to put first, the rest after them as listed.
    ``numbering``: "continuous" (1..n) or "per_department" (each department from 1).
    ``extras``: columns of the items table to append (the departments' own columns, or canonical
    ones such as "code"). ``subtitle``: the date / 文号 line under the title, blank for none.
    ``level``: the word after the region in the titles (市本级); None takes export.toml's.
    ``source``: what the catalog was made from (a round's snapshot), noted under the table and
    in the document's properties; blank for none. ``limits_as_written``: print each time limit
    as the department typed it rather than in one wording.
    """

    region: str = ""
    level: str | None = None
    department_order: str | Sequence[str] = "listed"  # a list is kept as a tuple
    numbering: str = "continuous"
    extras: Sequence[str] = ()
    subtitle: str = ""
    source: str = ""
    holds: str = ""  # what a current catalogue holds (权责清单 …): the retained list is titled by it
    limits_as_written: bool | None = None  # print limits as written; None takes export.toml's

    def __post_init__(self) -> None:
        if not isinstance(self.department_order, str):
            object.__setattr__(self, "department_order", tuple(self.department_order))
        elif self.department_order not in DEPARTMENT_ORDERS:
            raise ValueError(f"部门排序方式“{self.department_order}”无效，应为 listed、count 或部门名称列表")
        if self.numbering not in NUMBERINGS:
            raise ValueError(f"编号方式“{self.numbering}”无效，应为 continuous 或 per_department")
        object.__setattr__(self, "extras", tuple(self.extras))


def _check_kind(kind: str) -> None:
    if kind not in LIST_KINDS:
        raise ValueError(f"没有“{kind}”这种目录，可选：{'、'.join(LIST_KINDS)}")


def catalog_title(kind: str, options: CatalogOptions | None = None, *, layout: Layout) -> str:
    """The title of one list, from its template in export.toml.

    >>> catalog_title("retained", CatalogOptions(region="示例市"), layout=settings.export)
    '示例市市本级保留行政审批事项目录'
    """
    _check_kind(kind)
    options = options or CatalogOptions()
    spec = layout
    level = spec.level if options.level is None else options.level
    if kind == "retained" and options.holds:
        return spec.current.format(region=options.region, level=level, holds=options.holds)
    return spec.titles[kind].format(region=options.region, level=level)


def catalogue_holds(items: pd.DataFrame, layout: Layout) -> str:
    """What a current catalogue (no item has a decision) calls itself, from its own title line
    (the longest name of export.toml's holds found there), else the default; "" for a clean-up.

    >>> items = pd.DataFrame({"has_decision": [False], "list_title": ["示例区权责清单（2024年版）"]})
    >>> decided = items.assign(has_decision=True)
    >>> catalogue_holds(items, settings.export), catalogue_holds(decided, settings.export)
    ('权责清单', '')
    """
    if items.empty or items["has_decision"].any():
        return ""
    titles = " ".join(pd.unique(items["list_title"])) if "list_title" in items.columns else ""
    for name in sorted(layout.holds, key=len, reverse=True):
        if name in titles:
            return name
    return layout.holds_default


@dataclass(frozen=True)
class Place:
    """Whose catalog it is, as the lists' own text says: the region and the level for the titles,
    and where that was read ("清单标题", "填报单位"); all blank when nothing says."""

    region: str = ""
    level: str = ""
    found_in: str = ""


_HAN = "\u4e00-\u9fff"


_PLACE_STOPS = ("政府", "关于", "清单", "目录", "事项", "审批", "行政", "清理", "部门", "办公", "委员会")


_TITLE_PREFIX = re.compile(r"^(?:附件\s*\d*\s*[:：]?\s*)?(?:\d{4}\s*年度?\s*)?")


def place_in(text: str, levels: Mapping[str, str]) -> Place:
    """The region and level one line of text names: a level word it spells out ("市本级"), with
    the place before it, or the place names it begins with, the last one's suffix giving the level
    (export.toml's ``titles.levels``).

    >>> levels = settings.export.levels
    >>> place_in("某某县行政审批事项清理表", levels), place_in("示例市市本级行政许可事项清理表", levels)
    (Place(region='某某县', level='县本级', found_in=''), Place(region='示例市', level='市本级', found_in=''))
    >>> place_in("某某市某某区权责清单", levels).level, place_in("行政许可事项清理表", levels)
    ('区本级', Place(region='', level='', found_in=''))
    >>> place_in("县水利局", levels)
    Place(region='', level='县本级', found_in='')
    """
    text = _TITLE_PREFIX.sub("", text.strip())
    spelled = sorted(set(levels.values()), key=len, reverse=True)
    found = re.search("|".join(re.escape(w) for w in spelled), text) if spelled else None
    if found:
        before = text[: found.start()]
        region = _places(before, levels)
        return Place(region if region == before else "", found.group(0))
    region = _places(text, levels)
    if region:
        return Place(region, levels[_suffix(region, levels)])
    bare = next((s for s in sorted(levels, key=len, reverse=True) if text.startswith(s)), "")
    return Place("", levels[bare]) if bare else Place()


def _suffix(place: str, levels: Mapping[str, str]) -> str:
    return next(s for s in sorted(levels, key=len, reverse=True) if place.endswith(s))


def _places(text: str, levels: Mapping[str, str]) -> str:
    """The place names ``text`` begins with ("某某市某某区"), "" when it begins with none."""
    suffixes = "|".join(re.escape(s) for s in sorted(levels, key=len, reverse=True))
    if not suffixes:
        return ""
    first = re.compile(rf"[{_HAN}]{{1,8}}?(?:{suffixes})")
    more = re.compile(rf"[{_HAN}]{{2,4}}?(?:{suffixes})")
    region, pattern = "", first
    while found := pattern.match(text, len(region)):
        if any(stop in found.group(0) for stop in _PLACE_STOPS):
            break
        region, pattern = region + found.group(0), more
    return region


def catalog_place(items: pd.DataFrame, settings: Settings) -> Place:
    """The region and level the lists' own titles name (the text above their headers), else
    their 填报单位 line; where the lists differ, the place most of their items name.

    >>> items = pd.DataFrame({"list_title": ["某某县行政审批事项清理表 填报单位：某某县水利局"] * 2
    ...     + ["行政许可事项表 填报单位：县林业局"]})
    >>> catalog_place(items, settings)
    Place(region='某某县', level='县本级', found_in='清单标题')
    >>> catalog_place(items.iloc[2:], settings), catalog_place(items.iloc[:0], settings)
    (Place(region='', level='县本级', found_in='填报单位'), Place(region='', level='', found_in=''))
    """
    if "list_title" not in items.columns or items.empty:
        return Place()
    layout = settings.export
    labels = "|".join(re.escape(w) for w in settings.columns.words["department_labels"])
    unit_line = (
        re.compile(rf"(?:{labels})(?:\(盖章\)|（盖章）)?\s*[:：]\s*([^\s:：,，;；]+)") if labels else None
    )
    votes: dict[Place, int] = {}
    for title, count in items["list_title"].astype("str").value_counts(sort=False).items():
        unit = unit_line.search(title) if unit_line else None
        head = title[: unit.start()] if unit else title
        own = next((p for p in (place_in(c, layout.levels) for c in head.split()) if p.level), Place())
        by_unit = place_in(unit.group(1), layout.levels) if unit else Place()
        if own.level:
            region = own.region or (by_unit.region if by_unit.level == own.level else "")
            place = Place(region, own.level, "清单标题")
        elif by_unit.level:
            place = Place(by_unit.region, by_unit.level, "填报单位")
        else:
            continue
        votes[place] = votes.get(place, 0) + int(count)
    if not votes:
        return Place()
    return max(votes, key=lambda p: votes[p])


def catalog_table(
    items: pd.DataFrame, kind: str, options: CatalogOptions | None = None, *, settings: Settings
) -> pd.DataFrame:
    """One list's items as published: grouped by department, numbered, Chinese headers.

    ``items`` is the canonical item table (``Catalog.items``); the items whose decision is
    ``kind`` are kept. Within a department items keep their list order (reading order, i.e.
    file, sheet, row). Time limits are printed in one wording from what was read of them
    (:func:`approvals.views.format.limit_text`: "9个工作日", "即办", "法律未规定"), or as the
    departments wrote them when ``options.limits_as_written`` (default: export.toml's
    ``limits.as_written``). An optional column (export.toml's ``lists.optional``) that every item
    of the list leaves blank is left out unless ``options.extras`` names it.

    >>> from approvals.model import ITEM_COLUMNS, conform
    >>> items = conform(pd.DataFrame({"item_id": [0, 1, 2], "decision": ["retained"] * 3,
    ...     "department": ["市林业局", "市水利局", "市林业局"],
    ...     "name": ["林木采伐许可", "取水许可", "林草种子生产经营许可"]}), ITEM_COLUMNS)
    >>> options = CatalogOptions(department_order="count")
    >>> table = catalog_table(items, "retained", options, settings=settings)
    >>> table[["序号", "实施部门", "事项名称"]].values.tolist()
    [[1, '市林业局', '林木采伐许可'], [2, '市林业局', '林草种子生产经营许可'], [3, '市水利局', '取水许可']]
    """
    _check_kind(kind)
    options = options or CatalogOptions()
    spec = settings.export
    for name in options.extras:
        if name not in items.columns:
            raise ValueError(f"事项表中没有“{name}”这一列，无法加入目录")
    keys = [k for k in spec.lists[kind] if k != "number"]
    as_written = spec.limits.as_written if options.limits_as_written is None else options.limits_as_written
    limits = [] if as_written else [c for c in dict.fromkeys([*keys, *options.extras]) if c in _LIMIT_TEXTS]
    parsed = [c for prefix in limits for c in limit_columns(_LIMIT_TEXTS[prefix])]
    # Only the published columns are copied: a province's item table has 1.6 million rows.
    reading = items["item_id"].to_numpy()
    listed = items["department"].iloc[np.argsort(reading, kind="stable")]
    mask = items["decision"].eq(kind).to_numpy()
    wanted = dict.fromkeys([*keys, *options.extras, "department", *parsed])
    chosen = items.loc[mask, list(wanted)]
    order = department_order(listed, chosen["department"], options.department_order)
    rank = chosen["department"].map({d: i for i, d in enumerate(order)}).to_numpy()
    chosen = chosen.iloc[np.lexsort((reading[mask], rank))].reset_index(drop=True)

    if options.numbering == "per_department":
        number = chosen.groupby("department", sort=False).cumcount() + 1
    else:
        number = pd.Series(np.arange(1, len(chosen) + 1))
    wording = limit_wording(settings) if limits else None

    def shown(name: str) -> pd.Series:
        if wording is not None and name in limits:
            return limit_texts(chosen, _LIMIT_TEXTS[name], wording)
        return _text(chosen[name])

    columns: dict[str, pd.Series] = {}
    for key in spec.lists[kind]:
        if key in spec.optional and key not in options.extras and not _filled(chosen[key]):
            continue
        header = spec.columns[key].header
        columns[header] = number if key == "number" else shown(key)
    for name in options.extras:
        header = spec.columns[name].header if name in spec.columns and name != "extra" else name
        if header not in columns:
            columns[header] = shown(name)
    return pd.DataFrame(columns)


def _filled(values: pd.Series) -> bool:
    """Whether any cell of a column holds something other than blanks."""
    return bool(values.astype("str").str.strip().ne("").any()) if len(values) else False


def department_order(listed: pd.Series, chosen: pd.Series, order: str | Sequence[str]) -> list[str]:
    """Departments in publication order.

    ``listed`` is every item's department in list order (all lists, so that the published lists
    agree), ``chosen`` those of the catalog being built.

    >>> listed = pd.Series(["市林业局", "市水利局", "市水利局", "市教育局"])
    >>> department_order(listed, listed, "listed"), department_order(listed, listed, "count")
    (['市林业局', '市水利局', '市教育局'], ['市水利局', '市林业局', '市教育局'])
    >>> department_order(listed, listed, ["市教育局"])
    ['市教育局', '市林业局', '市水利局']
    """
    first = list(pd.unique(listed))
    if order == "listed":
        return first
    if order == "count":
        counts = chosen.value_counts()
        position = {d: i for i, d in enumerate(first)}
        return sorted(counts.index, key=lambda d: (-counts[d], position.get(d, len(position))))
    if isinstance(order, str):
        raise ValueError(f"部门排序方式“{order}”无效，应为 listed、count 或部门名称列表")
    named = list(dict.fromkeys(order))
    taken = set(named)
    return named + [d for d in first if d not in taken]


def _text(values: pd.Series) -> pd.Series:
    """A column of the items as the catalog prints it: text, blank where missing. The canonical
    text columns are that already (checked where the items were built), so only the others (a
    department's own columns, a number) are converted."""
    if values.name in _TEXT_COLUMNS:
        return values
    return values.fillna("").astype("str")


def _group_starts(table: pd.DataFrame, spec: Layout) -> np.ndarray:
    """Positions (0-based data rows) where a new department begins, the first row excluded."""
    header = spec.department_header
    if header not in table.columns or len(table) < 2:
        return np.array([], dtype=int)
    values = table[header].astype("str").to_numpy()
    return np.flatnonzero(values[1:] != values[:-1]) + 1


def catalog_xlsx(
    table: pd.DataFrame, title: str, options: CatalogOptions | None = None, *, layout: Layout
) -> bytes:
    """One catalog as a workbook ready to print (A4 landscape, one page wide, header repeated)."""
    return _workbook([(_sheet_name(title), table, title)], options or CatalogOptions(), layout)


def catalogs_xlsx(
    tables: Mapping[str, pd.DataFrame], options: CatalogOptions | None = None, *, layout: Layout
) -> bytes:
    """Several lists in one workbook, one sheet per list (e.g. 保留事项目录, 取消事项目录)."""
    options = options or CatalogOptions()
    sheets = []
    for kind, table in tables.items():
        _check_kind(kind)
        sheets.append((LIST_KINDS[kind], table, catalog_title(kind, options, layout=layout)))
    return _workbook(sheets, options, layout)


def _sheet_name(title: str) -> str:
    return _SHEET_NAME_INVALID.sub("", title).strip("'")[:31] or "目录"


def _workbook(sheets: list[tuple[str, pd.DataFrame, str]], options: CatalogOptions, layout: Layout) -> bytes:
    # Rows are streamed to a temporary file as they are written (constant_memory), so a list of a
    # million items takes the memory of one row, not of the whole sheet.
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "catalog.xlsx"
        book = xlsxwriter.Workbook(
            str(path), {"constant_memory": True, "tmpdir": folder, **XLSX_TEXT_OPTIONS}
        )
        if sheets:
            book.set_properties({"title": sheets[0][2], "comments": options.source})
        formats = _Formats(book, layout)
        for name, table, title in sheets:
            _write_sheet(book, formats, name, table, title, options.subtitle, options.source)
        book.close()
        return path.read_bytes()


class _Formats:
    """The workbook's cell formats, made once each."""

    def __init__(self, book: xlsxwriter.Workbook, spec: Layout) -> None:
        self.book = book
        self.spec = spec
        fonts = spec.fonts
        self.title = book.add_format({**_font(fonts["title"]), "align": "center", "valign": "vcenter"})
        self.subtitle = book.add_format({**_font(fonts["subtitle"]), "align": "center", "valign": "vcenter"})
        self.header = book.add_format(
            {**_font(fonts["header"]), "align": "center", "valign": "vcenter", "text_wrap": True, "border": 1}
        )
        self._body: dict[tuple[bool, str, bool], Any] = {}

    def body(self, column: Column, group_start: bool = False) -> Any:
        key = (column.wrap, column.align, group_start)
        if key not in self._body:
            props = {
                **_font(self.spec.fonts["body"]),
                "align": column.align,
                "valign": "vcenter",
                "text_wrap": column.wrap,
                "border": 1,
            }
            if group_start:
                props["top"] = 2  # medium: a department's first row
            self._body[key] = self.book.add_format(props)
        return self._body[key]


def _row_heights(table: pd.DataFrame, columns: list[Column], font: Font, line_spacing: float) -> np.ndarray:
    """Row heights in points that show every wrapped cell whole, estimated from its text.

    Not every spreadsheet program fits rows to wrapped text when it opens a file (LibreOffice
    and WPS keep the default height, and the lines print over each other), so the heights are
    written. A Chinese character at s points is s·96/72 pixels wide, s·4/21 width units (a unit
    is the 7-pixel width of "0" in the default font); Latin letters and digits about half that.

    >>> columns = [Column("承诺办结时限", 12, 2.2, True, "center")]
    >>> table = pd.DataFrame({"承诺办结时限": ["即办", "二十个工作日", "20个工作日（不含专家评审时间）"]})
    >>> _row_heights(table, columns, Font("仿宋", 10.5, False), 1.4).round(1).tolist()
    [16.7, 31.4, 46.1]
    """
    wide_units = font.size * 96 / 72 / _PX_PER_UNIT
    lines = np.ones(len(table))
    for header, column in zip(table.columns, columns, strict=True):
        text = table[header].astype("str")
        breaks = text.str.count("\n").to_numpy()
        if column.wrap:
            wide = text.str.count(_WIDE_CHAR).to_numpy()
            narrow = text.str.len().to_numpy() - wide - breaks
            room = max(column.width - _CELL_PADDING_UNITS, wide_units)
            need = np.maximum(np.ceil((wide + narrow / 2) * wide_units / room), 1) + breaks
        else:
            need = breaks + 1
        lines = np.maximum(lines, need)
    return lines * font.size * line_spacing + 2


def _font(font: Font) -> dict[str, Any]:
    return {
        "font_name": font.name,
        "font_size": font.size,
        "bold": font.bold,
        "font_charset": _GB2312_CHARSET,
    }


def _footer(template: str, page: str, pages: str) -> str:
    return template.replace("{page}", page).replace("{pages}", pages)


def _write_sheet(
    book: xlsxwriter.Workbook,
    formats: _Formats,
    name: str,
    table: pd.DataFrame,
    title: str,
    subtitle: str,
    source: str = "",
) -> None:
    spec = formats.spec
    sheet = book.add_worksheet(name)
    safe = safe_frame(table)
    headers = [str(c) for c in safe.columns]
    last_col = max(len(headers) - 1, 1)
    sheet.merge_range(0, 0, 0, last_col, str(neutralise(title)), formats.title)
    sheet.set_row(0, spec.fonts["title"].size * 2)
    header_row = 1
    if subtitle:
        sheet.merge_range(1, 0, 1, last_col, str(neutralise(subtitle)), formats.subtitle)
        sheet.set_row(1, spec.fonts["subtitle"].size * 1.8)
        header_row = 2
    sheet.write_row(header_row, 0, headers, formats.header)
    first = header_row + 1
    columns = [spec.column(str(c)) for c in table.columns]
    spacing = float(spec.page.get("line_spacing", 1.4))
    header_height = _row_heights(
        pd.DataFrame([headers], columns=headers), columns, spec.fonts["header"], spacing
    )
    sheet.set_row(header_row, float(header_height[0]))
    for c, column in enumerate(columns):
        sheet.set_column(c, c, column.width)
    heights = _row_heights(table, columns, spec.fonts["body"], spacing).tolist()
    starts = set(_group_starts(table, spec).tolist()) if spec.page.get("group_border", True) else set()
    plain = [formats.body(column) for column in columns]
    opening = [formats.body(column, group_start=True) for column in columns]
    # Row by row, in order: the only way constant_memory writes, and each row's height first.
    rows = zip(*(safe[c].tolist() for c in safe.columns), strict=True)
    for r, (height, row) in enumerate(zip(heights, rows, strict=True)):
        sheet.set_row(first + r, height)
        cells = opening if r in starts else plain
        for c, value in enumerate(row):
            sheet.write(first + r, c, value, cells[c])

    page = spec.page
    sheet.set_paper(_XLSX_PAPER_A4)
    sheet.set_landscape()
    sheet.fit_to_pages(1, 0)
    sheet.center_horizontally()
    inch = 2.54
    sheet.set_margins(
        left=page["margin_left_cm"] / inch,
        right=page["margin_right_cm"] / inch,
        top=page["margin_top_cm"] / inch,
        bottom=page["margin_bottom_cm"] / inch,
    )
    sheet.repeat_rows(header_row)
    sheet.freeze_panes(first, 0)
    footer_font = spec.fonts["footer"]
    font_code = f'&"{footer_font.name},Regular"&{max(1, round(footer_font.size))}'
    sheet.set_footer("&C" + font_code + _footer(page["footer"], "&P", "&N"))
    if len(table):
        sheet.autofilter(header_row, 0, header_row + len(table), len(headers) - 1)
    if source:
        below = first + len(table) + 1
        sheet.merge_range(below, 0, below, last_col, str(neutralise(source)), formats.subtitle)


def catalog_docx(
    table: pd.DataFrame, title: str, options: CatalogOptions | None = None, *, layout: Layout
) -> bytes:
    """One catalog as a Word document: A4 landscape, title, a table whose header row repeats on
    every page, Chinese fonts set for East Asian text, and page numbers in the footer."""
    options = options or CatalogOptions()
    spec = layout
    fonts = spec.fonts
    document = docx.Document()
    document.core_properties.title = title
    normal = document.styles["Normal"]
    _set_font(normal.element.get_or_add_rPr(), fonts["body"])
    normal.paragraph_format.space_after = Pt(0)

    section = document.sections[0]
    section.orientation = WD_ORIENT.LANDSCAPE
    section.page_width, section.page_height = Mm(A4_LONG_MM), Mm(A4_SHORT_MM)
    page = spec.page
    section.top_margin, section.bottom_margin = Cm(page["margin_top_cm"]), Cm(page["margin_bottom_cm"])
    section.left_margin, section.right_margin = Cm(page["margin_left_cm"]), Cm(page["margin_right_cm"])
    _page_footer(section.footer.paragraphs[0], page["footer"], fonts["footer"])

    heading = document.paragraphs[0] if document.paragraphs else document.add_paragraph()
    heading.alignment = WD_ALIGN_PARAGRAPH.CENTER
    heading.paragraph_format.space_after = Pt(fonts["title"].size / 2)
    _set_font(heading.add_run(_clean(title))._r.get_or_add_rPr(), fonts["title"])
    if options.subtitle:
        line = document.add_paragraph()
        line.alignment = WD_ALIGN_PARAGRAPH.CENTER
        line.paragraph_format.space_after = Pt(fonts["subtitle"].size / 2)
        _set_font(line.add_run(_clean(options.subtitle))._r.get_or_add_rPr(), fonts["subtitle"])

    usable_cm = A4_LONG_MM / 10 - page["margin_left_cm"] - page["margin_right_cm"]
    _docx_table(document, table, spec, usable_cm)
    if options.source:
        document.core_properties.comments = _clean(options.source)
        note = document.add_paragraph()
        note.paragraph_format.space_before = Pt(fonts["footer"].size)
        _set_font(note.add_run(_clean(options.source))._r.get_or_add_rPr(), fonts["footer"])
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def _clean(text: str) -> str:
    """Text Word can hold: XML forbids most control characters."""
    return _XML_INVALID.sub("", text)


def _set_font(rpr: Any, font: Font) -> None:
    """Font name for Latin and East Asian text, size and weight, on a w:rPr element."""
    fonts = rpr.get_or_add_rFonts()
    for attribute in ("w:ascii", "w:hAnsi", "w:eastAsia", "w:cs"):
        fonts.set(qn(attribute), font.name)
    rpr.get_or_add_sz().set(qn("w:val"), str(round(font.size * 2)))
    size_cs = rpr.find(qn("w:szCs"))
    if size_cs is None:
        size_cs = OxmlElement("w:szCs")
        rpr.get_or_add_sz().addnext(size_cs)
    size_cs.set(qn("w:val"), str(round(font.size * 2)))
    if font.bold:
        rpr.get_or_add_b()


def _page_footer(paragraph: Any, template: str, font: Font) -> None:
    """ "第 {page} 页 共 {pages} 页" with PAGE and NUMPAGES fields Word and LibreOffice fill in."""
    paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
    fields = {"{page}": "PAGE", "{pages}": "NUMPAGES"}
    for part in re.split(r"(\{page\}|\{pages\})", template):
        if not part:
            continue
        if part in fields:
            simple = OxmlElement("w:fldSimple")
            simple.set(qn("w:instr"), f" {fields[part]} ")
            run = OxmlElement("w:r")
            rpr = OxmlElement("w:rPr")
            run.append(rpr)
            _set_font(rpr, font)
            text = OxmlElement("w:t")
            text.text = "1"
            run.append(text)
            simple.append(run)
            paragraph._p.append(simple)
        else:
            _set_font(paragraph.add_run(part)._r.get_or_add_rPr(), font)


def _docx_table(document: Any, table: pd.DataFrame, spec: Layout, page_width_cm: float) -> None:
    """The table, its rows written as WordprocessingML in one piece.

    python-docx's per-cell setters cost about 7 ms a row; building the rows' XML as text and
    parsing it once keeps a catalog of a few thousand items within a second or two.
    """
    columns = [spec.column(str(c)) for c in table.columns]
    widths = [c.width_cm for c in columns]
    scale = page_width_cm / sum(widths) if sum(widths) else 1.0
    twips = [Cm(w * scale).twips for w in widths]
    grid = document.add_table(rows=0, cols=len(columns))
    grid.style = document.styles["Table Grid"]
    grid.alignment = WD_TABLE_ALIGNMENT.CENTER
    grid.autofit = False
    for column, width in zip(grid.columns, twips, strict=True):
        column.width = Twips(width)
    margin = Cm(spec.page.get("cell_margin_cm", 0.19)).twips
    cell_margins = parse_xml(
        f'<w:tblCellMar {nsdecls("w")}><w:left w:w="{margin}" w:type="dxa"/>'
        f'<w:right w:w="{margin}" w:type="dxa"/></w:tblCellMar>'
    )
    grid._tbl.tblPr.insert_element_before(cell_margins, "w:tblLook", "w:tblCaption", "w:tblDescription")

    header_rpr = _rpr_xml(spec.fonts["header"])
    body_rpr = _rpr_xml(spec.fonts["body"])
    starts = set(_group_starts(table, spec).tolist()) if spec.page.get("group_border", True) else set()
    headers = [str(c) for c in table.columns]
    rows = [_row_xml(headers, twips, ["center"] * len(columns), header_rpr, "<w:tblHeader/>", rule=False)]
    aligns = [c.align for c in columns]
    text = [[_clean(v) for v in table[c].astype("str").tolist()] for c in table.columns]
    for r, values in enumerate(zip(*text, strict=True)):
        rows.append(_row_xml(list(values), twips, aligns, body_rpr, "<w:cantSplit/>", rule=r in starts))
    parsed = parse_xml(f"<w:tbl {nsdecls('w')}>{''.join(rows)}</w:tbl>")
    for row in list(parsed):
        grid._tbl.append(row)


def _rpr_xml(font: Font) -> str:
    """A w:rPr naming the font for Latin and East Asian text (Word needs w:eastAsia for Chinese)."""
    name = quoteattr(font.name)
    size = round(font.size * 2)
    return (
        f"<w:rPr><w:rFonts w:ascii={name} w:hAnsi={name} w:eastAsia={name} w:cs={name}/>"
        f'{"<w:b/>" if font.bold else ""}<w:sz w:val="{size}"/><w:szCs w:val="{size}"/></w:rPr>'
    )


_RULE = '<w:tcBorders><w:top w:val="single" w:sz="12" w:space="0" w:color="000000"/></w:tcBorders>'


def _row_xml(
    values: list[str], twips: list[int], aligns: list[str], rpr: str, row_property: str, rule: bool
) -> str:
    """One w:tr: fixed cell widths, centred vertically, a heavier top rule on a group's first row.

    Line breaks in a cell become w:br, so a 设定依据 of several lines keeps them.
    """
    borders = _RULE if rule else ""
    cells = []
    for value, width, align in zip(values, twips, aligns, strict=True):
        jc = '<w:pPr><w:jc w:val="center"/></w:pPr>' if align == "center" else ""
        lines = _LINE_BREAK.split(value) if value else []
        runs = "".join(
            f'<w:r>{rpr}{"<w:br/>" if i else ""}<w:t xml:space="preserve">{escape(line)}</w:t></w:r>'
            for i, line in enumerate(lines)
        )
        cells.append(
            f'<w:tc><w:tcPr><w:tcW w:w="{width}" w:type="dxa"/>{borders}<w:vAlign w:val="center"/></w:tcPr>'
            f"<w:p>{jc}{runs}</w:p></w:tc>"
        )
    return f"<w:tr><w:trPr>{row_property}</w:trPr>{''.join(cells)}</w:tr>"


def catalog_csv(table: pd.DataFrame) -> bytes:
    """The catalog as data: UTF-8 with BOM (Excel opens it as Chinese), text neutralised against
    formula injection, no title row.

    >>> catalog_csv(pd.DataFrame({"序号": [1], "事项名称": ["=1+1"]})).decode("utf-8-sig").splitlines()
    ['序号,事项名称', "1,'=1+1"]
    """
    return safe_frame(table).to_csv(index=False, lineterminator="\r\n").encode("utf-8-sig")
