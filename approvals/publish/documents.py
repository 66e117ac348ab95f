"""Every document the tool hands out, by name: the published lists in .xlsx / .docx / .csv, the
analysis workbook and the offline HTML report. The command line and the 导出 screen both take
their files from here, so a document looks the same wherever it was made.
"""

from __future__ import annotations

import io
import re
import zipfile
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from functools import partial

import pandas as pd
import plotly.graph_objects as go

from approvals.analysis import Analysis
from approvals.charts.flowchart import process_flowchart
from approvals.charts.gantt import gantt_chart
from approvals.charts.images import figure_html, figure_images
from approvals.model import VERSION_LABELS, Version
from approvals.publish.catalogs import (
    LIST_KINDS,
    CatalogOptions,
    catalog_csv,
    catalog_docx,
    catalog_table,
    catalog_title,
    catalogs_xlsx,
)
from approvals.redesign.verdicts import flagged_steps
from approvals.report.html import REPORT_TITLE, html_report
from approvals.report.workbook import analysis_workbook

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
    items: pd.DataFrame, kinds: Sequence[str], options: CatalogOptions
) -> dict[str, pd.DataFrame]:
    """The tables of the lists asked for, in the order of :data:`LIST_KINDS`; a list without items
    is left out except the 保留事项目录, which is always published."""
    tables = {kind: catalog_table(items, kind, options) for kind in LIST_KINDS if kind in kinds}
    return {k: t for k, t in tables.items() if len(t) or k == "retained"}


def list_documents(
    items: pd.DataFrame, kinds: Sequence[str], fmt: str, options: CatalogOptions
) -> list[Document]:
    """The lists as documents: one workbook with a sheet per list for "xlsx", one file per list
    for "docx" and "csv" (each named by its title)."""
    tables = list_tables(items, kinds, options)
    suffix, mime = FORMATS[fmt]
    if fmt == "xlsx":
        first = catalog_title(next(iter(tables)), options)
        name = first if len(tables) == 1 else f"{first}等{len(tables)}个目录"
        return [Document(name + suffix, catalogs_xlsx(tables, options), mime, ",".join(tables))]
    out = []
    for kind, table in tables.items():
        title = catalog_title(kind, options)
        data = catalog_docx(table, title, options) if fmt == "docx" else catalog_csv(table)
        out.append(Document(title + suffix, data, mime, kind))
    return out


def workbook_document(analysis: Analysis, verdicts: Mapping[str, str]) -> Document:
    """The analysis workbook (summary, departments, items, processes, flags, problems)."""
    return Document("审批事项清理分析.xlsx", analysis_workbook(analysis, verdicts), FORMATS["xlsx"][1])


def report_document(
    analysis: Analysis, verdicts: Mapping[str, str], items: Sequence[int] = (), title: str | None = None
) -> Document:
    """The self-contained HTML report, with the process charts of ``items``."""
    html = html_report(analysis, items=items, verdicts=verdicts, title=title or REPORT_TITLE)
    return Document("审批事项清理分析报告.html", html.encode("utf-8"), FORMATS["html"][1])


def find_items(items: pd.DataFrame, wanted: Sequence[str]) -> tuple[list[int], list[str]]:
    """Item ids for codes or names as an analyst types them, and what matched nothing.

    >>> items = pd.DataFrame({"item_id": [3, 4], "code": ["SL-1", ""], "name": ["取水许可", "采砂许可"]})
    >>> find_items(items, ["SL-1", "采砂许可", "无此事项"])
    ([3, 4], ['无此事项'])
    """
    found: list[int] = []
    missing: list[str] = []
    for text in wanted:
        hit = items.loc[items["code"].eq(text) | items["name"].eq(text), "item_id"]
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
    parts = {v: own[own["version"].eq(v)].sort_values("step_id") for v in VERSION_LABELS}
    flags = analysis.flags[analysis.flags["item_id"].eq(item_id)]
    titles = _chart_titles(own, item_id)
    makers: dict[str, Callable[[], go.Figure]] = {}
    for version, part in parts.items():
        if len(part):
            marked = flagged_steps(flags, version)
            makers[titles[version]] = partial(process_flowchart, part, flagged=marked, title=titles[version])
    before, after = parts[str(Version.BEFORE)], parts[str(Version.AFTER)]
    makers[titles["gantt"]] = partial(gantt_chart, before, after, title=titles["gantt"])
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
