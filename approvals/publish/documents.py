"""Every document the tool hands out, by name: the published lists in .xlsx / .docx / .csv, the
analysis workbook and the offline HTML report. The command line and the 导出 screen both take
their files from here, so a document looks the same wherever it was made.
"""

from __future__ import annotations

import io
import re
import zipfile
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, replace
from functools import partial

import pandas as pd
import plotly.graph_objects as go

from approvals.analysis import Analysis
from approvals.charts.flowchart import process_flowchart
from approvals.charts.gantt import gantt_chart
from approvals.charts.images import figure_html, figure_images
from approvals.charts.style import office_colours
from approvals.dataset.lookup import item_matches
from approvals.model import ATTRIBUTE_COLUMNS, ITEM_COLUMNS, VERSION_LABELS, Version
from approvals.publish.catalogs import (
    LIST_KINDS,
    CatalogOptions,
    catalog_csv,
    catalog_docx,
    catalog_table,
    catalog_title,
    catalogs_xlsx,
    catalogue_holds,
)
from approvals.redesign.verdicts import flagged_steps
from approvals.report.html import REPORT_TITLE, html_report
from approvals.report.workbook import analysis_workbook
from approvals.settings import Settings
from approvals.settings.export import Layout
from approvals.views.labels import INTERNAL_COLUMNS, ITEM_LABELS
from approvals.views.process import process_offices

FORMATS: dict[str, tuple[str, str]] = {  # format → (suffix, MIME type)
    "xlsx": (".xlsx", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
    "docx": (".docx", "application/vnd.openxmlformats-officedocument.wordprocessingml.document"),
    "csv": (".csv", "text/csv"),
    "html": (".html", "text/html"),
}


@dataclass(frozen=True)
class Document:
    """One file to hand out: a suggested file name, its bytes and its MIME type."""

    name: str
    data: bytes
    mime: str
    kind: str = ""  # the list it holds, for the published lists


def list_tables(
    items: pd.DataFrame, kinds: Sequence[str], options: CatalogOptions, settings: Settings
) -> dict[str, pd.DataFrame]:
    """The tables of the lists asked for, in the order of :data:`LIST_KINDS`; a list without items
    is left out except the 保留事项目录, which is always published."""
    tables = {
        kind: catalog_table(items, kind, options, settings=settings) for kind in LIST_KINDS if kind in kinds
    }
    return {k: t for k, t in tables.items() if len(t) or k == "retained"}


def workbook_name(tables: Mapping[str, pd.DataFrame], options: CatalogOptions, layout: Layout) -> str:
    """The file name of the catalog workbook: the first list's title, and how many lists follow.

    >>> tables = {"retained": pd.DataFrame(), "cancelled": pd.DataFrame()}
    >>> workbook_name(tables, CatalogOptions(region="示例市"), settings.export)
    '示例市市本级保留行政审批事项目录等2个目录.xlsx'
    """
    first = catalog_title(next(iter(tables)), options, layout=layout)
    return (first if len(tables) == 1 else f"{first}等{len(tables)}个目录") + FORMATS["xlsx"][0]


def titled_options(options: CatalogOptions, items: pd.DataFrame, layout: Layout) -> CatalogOptions:
    """``options`` naming what a current catalogue holds (权责清单 …) unless the analyst did."""
    if options.holds:
        return options
    holds = catalogue_holds(items, layout)
    return replace(options, holds=holds) if holds else options


def list_documents(
    items: pd.DataFrame, kinds: Sequence[str], fmt: str, options: CatalogOptions, settings: Settings
) -> list[Document]:
    """The lists as documents: one workbook with a sheet per list for "xlsx", one file per list
    for "docx" and "csv" (each named by its title)."""
    layout = settings.export
    options = titled_options(options, items, layout)
    tables = list_tables(items, kinds, options, settings)
    suffix, mime = FORMATS[fmt]
    if fmt == "xlsx":
        data = catalogs_xlsx(tables, options, layout=layout)
        return [Document(workbook_name(tables, options, layout), data, mime, ",".join(tables))]
    out = []
    for kind, table in tables.items():
        title = catalog_title(kind, options, layout=layout)
        data = catalog_docx(table, title, options, layout=layout) if fmt == "docx" else catalog_csv(table)
        out.append(Document(title + suffix, data, mime, kind))
    return out


ANALYSIS_WORKBOOK_NAME = "审批事项清理分析.xlsx"
REPORT_NAME = "审批事项清理分析报告.html"


def workbook_document(analysis: Analysis, verdicts: Mapping[str, str], *, source: str = "") -> Document:
    """The analysis workbook (summary, departments, items, processes, flags, problems)."""
    data = analysis_workbook(analysis, verdicts, source=source)
    return Document(ANALYSIS_WORKBOOK_NAME, data, FORMATS["xlsx"][1])


def report_document(
    analysis: Analysis,
    verdicts: Mapping[str, str],
    items: Sequence[int] = (),
    title: str | None = None,
    *,
    source: str = "",
) -> Document:
    """The self-contained HTML report, with the process charts of ``items``; ``source`` says
    what it was made from (a round's snapshot)."""
    html = html_report(analysis, items=items, verdicts=verdicts, title=title or REPORT_TITLE, source=source)
    return Document(REPORT_NAME, html.encode("utf-8"), FORMATS["html"][1])


def find_items(items: pd.DataFrame, wanted: Sequence[str]) -> tuple[list[int], list[str]]:
    """Item ids for codes or names as an analyst types them, and what matched nothing.

    >>> items = pd.DataFrame({"item_id": [3, 4], "item_key": ["SL-1", "水利局/采砂许可"],
    ...     "code": ["SL-1", ""], "name": ["取水许可", "采砂许可"], "department": ["水利局"] * 2})
    >>> find_items(items, ["SL-1", "采砂许可", "无此事项"])
    ([3, 4], ['无此事项'])
    """
    found: list[int] = []
    missing: list[str] = []
    for text in wanted:
        hit = item_matches(items, text)["item_id"]
        if len(hit):
            found.extend(int(i) for i in hit if int(i) not in found)
        else:
            missing.append(text)
    return found, missing


def item_figures(
    analysis: Analysis, item_id: int, names: Sequence[str] | None = None
) -> dict[str, go.Figure]:
    """One item's charts as they are handed out, by title (the file name without suffix): its
    process before and after re-engineering (flagged steps marked) and the timeline of both.
    ``names`` picks some of them (see :func:`item_chart_names`); only those are drawn."""
    steps = analysis.dataset.steps
    own = steps[steps["item_id"].eq(item_id)]
    parts = {v: own[own["version"].eq(v)] for v in VERSION_LABELS}
    flags = analysis.flags[analysis.flags["item_id"].eq(item_id)]
    titles = _chart_titles(own, item_id)
    makers: dict[str, Callable[[], go.Figure]] = {}
    before, after = parts[str(Version.BEFORE)], parts[str(Version.AFTER)]
    colours = office_colours(process_offices(before, after))
    for version, part in parts.items():
        if len(part):
            marked = flagged_steps(flags, version)
            makers[titles[version]] = partial(
                process_flowchart, part, flagged=marked, title=titles[version], office_colours=colours
            )
    makers[titles["gantt"]] = partial(
        gantt_chart, before, after, title=titles["gantt"], office_colours=colours
    )
    wanted = list(makers) if names is None else [n for n in names if n in makers]
    return {name: makers[name]() for name in wanted}


def item_chart_names(analysis: Analysis, item_id: int) -> list[str]:
    """The titles of the charts :func:`item_figures` draws for the item, in order."""
    steps = analysis.dataset.steps
    own = steps[steps["item_id"].eq(item_id)]
    present = set(own["version"])
    return [
        title
        for version, title in _chart_titles(own, item_id).items()
        if version == "gantt" or version in present
    ]


def _chart_titles(own: pd.DataFrame, item_id: int) -> dict[str, str]:
    name = str(own["item_name"].iloc[0]) if len(own) else f"事项{item_id}"
    titles = {version: f"{name}（{label}）办理流程" for version, label in VERSION_LABELS.items()}
    return titles | {"gantt": f"{name}办理时间线"}


def chart_file(figures: Mapping[str, go.Figure], fmt: str) -> bytes:
    """Charts as one file: "html" one offline page per chart, "png" / "svg" images drawn in one
    browser session; several charts come as a zip of files named by their titles. Static images
    raise :class:`approvals.images.ImageExportError` (Chinese) where they cannot be made."""
    names = [f"{safe_file_name(title)}.{fmt}" for title in figures]
    if fmt == "html":
        files = [figure_html(figure, title) for title, figure in figures.items()]
    else:
        files = figure_images(list(figures.values()), fmt)  # type: ignore[arg-type]
    if len(files) == 1:
        return files[0]
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in zip(names, files, strict=True):
            archive.writestr(name, data)
    return buffer.getvalue()


def safe_file_name(title: str) -> str:
    """A title usable as a file name on Windows (reserved characters replaced).

    >>> safe_file_name('取水许可（再造前）/"草案"')
    '取水许可（再造前）_草案_'
    """
    return re.sub(r'[\\/:*?"<>|\x00-\x1f]+', "_", title).strip(" .") or "图表"


OPTIONAL_COLUMNS = ("code", "fee_standard", "materials", "visits", "original_text", *ATTRIBUTE_COLUMNS)


def exportable_columns(items: pd.DataFrame, layout: Layout) -> dict[str, str]:
    """The columns the analyst may add to a published list, column → its Chinese label: the
    lists' optional columns (export.toml's ``lists.optional``) that some list leaves out for
    being blank throughout, to print anyway; the optional canonical ones the lists filled in;
    then the departments' own columns.

    >>> from approvals.model import conform
    >>> items = conform(pd.DataFrame({"code": ["A1"], "materials": [""], "联系电话": ["1"]}), ITEM_COLUMNS)
    >>> exportable_columns(items, settings.export)
    {'code': '事项编码', '联系电话': '联系电话'}
    >>> kept = items.assign(decision="retained", fee="否")
    >>> list(exportable_columns(kept, settings.export).values())[:2]
    ['子项名称（为空也印出）', '事项类型（为空也印出）']
    """
    blank = _blank_list_columns(items, layout)
    chosen = [c for c in OPTIONAL_COLUMNS if items[c].ne("").any()]
    chosen += [c for c in items.columns if c not in ITEM_COLUMNS and c not in INTERNAL_COLUMNS]
    return {c: f"{layout.columns[c].header}（为空也印出）" for c in blank} | {
        c: ITEM_LABELS.get(c, c) for c in chosen
    }


def _blank_list_columns(items: pd.DataFrame, layout: Layout) -> list[str]:
    """The optional list columns that every item of some list leaves blank, in list order."""
    present = [k for k in LIST_KINDS if items["decision"].eq(k).any()]
    keys = [
        k for k in dict.fromkeys(c for kind in present for c in layout.lists[kind]) if k in layout.optional
    ]
    if not keys:
        return []
    filled = pd.DataFrame({k: items[k].astype("str").str.strip().ne("") for k in keys})
    per_list = filled.groupby(items["decision"].to_numpy()).any()
    return [k for k in keys if any(k in layout.lists[kind] and not per_list.loc[kind, k] for kind in present)]


@dataclass(frozen=True, eq=False)
class ExportPreview:
    """The lists to publish as they will print: each table, its title and counts, the lists left
    out for having no items, and the file names."""

    tables: dict[str, pd.DataFrame]
    titles: dict[str, str]
    counts: dict[str, str]
    left_out: str | None
    workbook_name: str
    names: dict[tuple[str, str], str]  # (kind, format) → file name


def export_preview(
    items: pd.DataFrame, kinds: Sequence[str], options: CatalogOptions, settings: Settings
) -> ExportPreview:
    """The lists as :func:`list_documents` makes them, for the 导出 screen to show."""
    layout = settings.export
    options = titled_options(options, items, layout)
    tables = list_tables(items, kinds, options, settings)
    titles = {kind: catalog_title(kind, options, layout=layout) for kind in tables}
    department = layout.department_header
    counts = {kind: f"共 {len(t)} 项，{t[department].nunique()} 个部门。" for kind, t in tables.items()}
    missing = [LIST_KINDS[k] for k in kinds if k not in tables]
    return ExportPreview(
        tables=tables,
        titles=titles,
        counts=counts,
        left_out=f"没有事项、不导出：{'、'.join(missing)}" if missing else None,
        workbook_name=workbook_name(tables, options, layout),
        names={(kind, fmt): titles[kind] + FORMATS[fmt][0] for kind in tables for fmt in ("docx", "csv")},
    )


CHART_MIME: dict[str, str] = {"html": "text/html", "png": "image/png", "svg": "image/svg+xml"}


@dataclass(frozen=True)
class Download:
    """A file to offer for download, made only when asked for (images start a browser)."""

    name: str
    mime: str
    make: Callable[[], bytes]


def chart_download(analysis: Analysis, item_id: int, names: Sequence[str], fmt: str) -> Download:
    """Some of an item's charts (by title, see :func:`item_chart_names`) as one file: the chart
    itself when there is one, else a zip of them.

    >>> def names(titles, fmt):
    ...     download = chart_download(None, 0, titles, fmt)
    ...     return download.name, download.mime
    >>> names(["取水许可（再造前）办理流程"], "png"), names(["甲", "乙"], "svg")
    (('取水许可（再造前）办理流程.png', 'image/png'), ('甲等.zip', 'application/zip'))
    """
    chosen = list(names)
    single = len(chosen) == 1
    name = safe_file_name(chosen[0] if single else f"{chosen[0]}等") + (f".{fmt}" if single else ".zip")
    mime = CHART_MIME[fmt] if single else "application/zip"
    return Download(name, mime, lambda: chart_file(item_figures(analysis, item_id, chosen), fmt))


def catalog_file(
    items: pd.DataFrame, kinds: Sequence[str], fmt: str, options: CatalogOptions, settings: Settings
) -> bytes:
    """The bytes of the first document :func:`list_documents` makes (the workbook of every list
    for "xlsx", the one list's file for "docx" and "csv")."""
    return list_documents(items, kinds, fmt, options, settings)[0].data
