"""The analysis workbook: every table at full precision, text neutralised against formulas."""

from __future__ import annotations

import io
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd
import xlsxwriter
from xlsxwriter.worksheet import Worksheet

from approvals.analysis import Analysis
from approvals.charts.style import NEUTRAL_COLOUR
from approvals.model import VERSION_LABELS
from approvals.safety import XLSX_TEXT_OPTIONS, neutralise, safe_frame
from approvals.views.benchmarks import (
    GAP_TABLE_LABELS,
    ITEM_TABLE_LABELS,
    LOCALITY_TABLE_LABELS,
    benchmark_view,
)
from approvals.views.flags import FLAG_LABELS, KEY_LABEL, flag_labels, flags_table
from approvals.views.labels import FIGURE_LABELS, ITEM_LABELS
from approvals.views.redesign import merge_table
from approvals.views.tables import figures_table, items_table, problems_table

SHEET_NAMES = ("汇总", "部门", "事项", "流程", "流程再造提示", "可合并事项", "问题")
# Sheets of the cross-locality benchmarks, after 可合并事项 where a catalogue has any.
BENCHMARK_SHEETS = ("对标", "各地差距", "地区排名")


EXCEL_ROWS = 1_048_576  # rows of one worksheet; a longer table continues on "事项（续2）", …


WORKBOOK_FONT = "宋体"


BENCHMARK_LABELS = {"benchmark_days": "基准时限", "benchmark_gap": "低于基准"}


_PERCENT_LABELS = frozenset(
    [
        *(FIGURE_LABELS[k] for k in ("streamlining_rate", "streamlining_target", "shortening_rate")),
        *(FIGURE_LABELS[k] for k in ("mean_item_shortening_rate", "shortening_target")),
        ITEM_LABELS["item_rate"],
        BENCHMARK_LABELS["benchmark_gap"],
    ]
)


_DAYS_LABELS = frozenset(
    [
        *(FIGURE_LABELS[k] for k in ("before_avg_days", "after_avg_days")),
        *(ITEM_LABELS[k] for k in ("before_days", "after_days")),
        FLAG_LABELS["days_saved"],
        BENCHMARK_LABELS["benchmark_days"],
    ]
)


PROCESS_LABELS: dict[str, str] = {
    "department": "实施部门",
    "code": "事项编码",
    "item_name": "事项名称",
    "version": "流程",
    "step_count": "环节数",
    "critical_path_days": "关键路径（工作日）",
    "whole_duration_days": "全程用时（工作日）",
    "outside_limit_days": "不计入时限的用时（工作日）",
    "total_effort_days": "工作量合计（工作日）",
    "critical_path": "关键路径环节",
    "has_cycle": "存在循环",
}


_PROCESS_DAYS = frozenset(PROCESS_LABELS[k] for k in PROCESS_LABELS if k.endswith("_days"))


SUMMARY_NOTES = (
    "精简率 = 精简事项 ÷（保留 + 精简）；精简包括取消、下放、转变管理方式和合并中被并入的事项，"
    "未决定的事项不计入。",
    "缩短率 = （原平均时限 − 新平均时限）÷ 原平均时限：同时具有清理前后时限的保留事项，平均值之比；"
    "时限单位为工作日。",
    "达标：比率不低于目标。数值为全精度，单元格仅按百分比显示两位小数。",
)


@dataclass(frozen=True)
class _Sheet:
    """A table to write: its name, Chinese headers, which columns are rates or days, notes below."""

    name: str
    table: pd.DataFrame
    notes: tuple[str, ...] = ()
    days: frozenset[str] = _DAYS_LABELS


def summary_table(analysis: Analysis) -> pd.DataFrame:
    """汇总: the figures of every list, then the overall row, with Chinese headers; a benchmark
    comparison where one was given."""
    lists = figures_table(analysis.lists, "清单")
    overall = figures_table(analysis.overall_table, "清单")
    table = pd.concat([lists, overall], ignore_index=True)
    figures = pd.concat([analysis.lists, analysis.overall_table], ignore_index=True)
    if figures["benchmark_days"].notna().any():
        for column, label in BENCHMARK_LABELS.items():
            table[label] = figures[column].to_numpy()
    return table


def processes_table(analysis: Analysis) -> pd.DataFrame:
    """流程: one row per item and process version with its critical path, whole duration, time the
    limit does not count, total effort and the steps on the path."""
    processes = analysis.processes
    codes = analysis.dataset.items.set_index("item_id")["code"]
    table = pd.DataFrame(
        {
            "department": processes["department"].to_numpy(),
            "code": processes["item_id"].map(codes).fillna("").to_numpy(),
            "item_name": processes["item_name"].to_numpy(),
            "version": processes["version"].map(VERSION_LABELS).fillna(processes["version"]).to_numpy(),
            "step_count": processes["step_count"].to_numpy(),
            "critical_path_days": processes["critical_path_days"].to_numpy(),
            "whole_duration_days": processes["whole_duration_days"].to_numpy(),
            "outside_limit_days": processes["outside_limit_days"].to_numpy(),
            "total_effort_days": processes["total_effort_days"].to_numpy(),
            "critical_path": processes["critical_path"].map(lambda p: "→".join(map(str, p))).to_numpy(),
            "has_cycle": processes["has_cycle"].map({True: "是", False: "否"}).to_numpy(),
        }
    )
    return table.rename(columns=PROCESS_LABELS)


def _sheets(analysis: Analysis, verdicts: Mapping[str, str], source: str) -> list[_Sheet]:
    # Flags are numbered by Chinese labels, not their keys; loading the sheet maps them back.
    labels = flag_labels(analysis.flags).to_numpy()
    flags = flags_table(analysis.flags, verdicts).set_axis(labels).rename_axis(KEY_LABEL).reset_index()
    return [
        _Sheet("汇总", summary_table(analysis), notes=(*SUMMARY_NOTES, source) if source else SUMMARY_NOTES),
        _Sheet("部门", figures_table(analysis.departments, "部门")),
        _Sheet("事项", items_table(analysis.dataset.items).reset_index(drop=True)),
        _Sheet("流程", processes_table(analysis), days=_PROCESS_DAYS),
        _Sheet("流程再造提示", flags),
        _Sheet("可合并事项", merge_table(analysis.merge_candidates)),
        *_benchmark_sheets(analysis),
        _Sheet("问题", problems_table(analysis.problems)),
    ]


_BENCHMARK_DAYS = frozenset(
    label for labels in (ITEM_TABLE_LABELS, GAP_TABLE_LABELS, LOCALITY_TABLE_LABELS)
    for label in labels.values() if "工作日" in label
)  # fmt: skip


def _benchmark_sheets(analysis: Analysis) -> list[_Sheet]:
    view = benchmark_view(analysis.benchmarks)
    if view.empty:
        return []
    tables = (view.items, view.gaps, view.ranking)
    return [
        _Sheet(name, table, days=_BENCHMARK_DAYS)
        for name, table in zip(BENCHMARK_SHEETS, tables, strict=True)
    ]


def benchmark_workbook(analysis: Analysis) -> bytes:
    """The cross-locality benchmarks alone as an .xlsx: 对标 (per standard item), 各地差距 (per
    locality and item) and 地区排名, limits in working days, text neutralised against formulas."""
    return _workbook(
        _benchmark_sheets(analysis) or [_Sheet("对标", benchmark_view(analysis.benchmarks).items)]
    )


def _cell_values(values: pd.Series) -> list[Any]:
    """A column as Python values xlsxwriter writes: numbers stay numbers, missing is None."""
    if pd.api.types.is_bool_dtype(values):
        return values.map({True: "是", False: "否"}).astype(object).where(values.notna(), None).tolist()
    if pd.api.types.is_numeric_dtype(values):
        numbers = values.astype("float64")
        return numbers.astype(object).where(np.isfinite(numbers), None).tolist()
    cells = values.astype(object).where(values.notna(), None)
    plain = cells.map(lambda v: v is None or isinstance(v, str | int | float))
    if not plain.all():  # the department's own columns may hold dates, tuples, …
        cells = cells.where(plain, cells.astype("str"))
    return cells.tolist()


def _kind(values: list[Any]) -> str:
    """How a column's cells are written: "number", "string", or "any" for a mixed column."""
    kinds = {type(v) for v in values if v is not None}
    if kinds <= {str}:
        return "string"
    if kinds <= {int, float}:
        return "number"
    return "any"


def _writer(worksheet: Worksheet, kind: str) -> Any:
    """The worksheet method for a column of one kind; the typed ones skip xlsxwriter's guessing."""
    return {"string": worksheet.write_string, "number": worksheet.write_number}.get(kind, worksheet.write)


def _width(header: str, values: pd.Series) -> float:
    """A column width in Excel characters: its widest text among the first rows, CJK counting
    double, between 6 and 50."""
    sample = values.head(2000).dropna().astype("str")
    text = pd.concat([sample, pd.Series([header])], ignore_index=True)
    widths = text.str.len() + text.str.count(r"[^\x00-\xff]")
    return float(min(max(int(widths.max()) + 2, 6), 50))


def _write_table(book: xlsxwriter.Workbook, formats: dict[str, Any], sheet: _Sheet) -> None:
    """One table on one worksheet, or on as many as its rows need: header row bold and frozen,
    an autofilter over it, rates as percentages, days with two decimals, notes under the table."""
    # Columns by position: a department's own column may be named like one of ours.
    table = safe_frame(sheet.table.set_axis(range(sheet.table.shape[1]), axis=1))
    headers = [str(neutralise(str(c))) for c in sheet.table.columns]
    columns = [_cell_values(table[i]) for i in table.columns]
    kinds = [_kind(values) for values in columns]
    rows = list(zip(*columns, strict=True)) if columns else []
    per_sheet = EXCEL_ROWS - 1 - (len(sheet.notes) + 1 if sheet.notes else 0)
    parts = [rows[start : start + per_sheet] for start in range(0, max(len(rows), 1), per_sheet)]
    column_formats = [
        formats["percent"] if name in _PERCENT_LABELS else formats["days"] if name in sheet.days else None
        for name in sheet.table.columns
    ]
    widths = [_width(h, table[i]) for i, h in enumerate(headers)]
    for number, part in enumerate(parts, start=1):
        name = sheet.name if number == 1 else f"{sheet.name}（续{number}）"
        worksheet: Worksheet = book.add_worksheet(name)
        for column, (width, cell_format) in enumerate(zip(widths, column_formats, strict=True)):
            worksheet.set_column(column, column, width, cell_format)
        worksheet.set_row(0, 22, formats["header"])
        worksheet.write_row(0, 0, headers, formats["header"])
        worksheet.freeze_panes(1, 0)
        if headers:
            worksheet.autofilter(0, 0, len(part), len(headers) - 1)
        writers = [_writer(worksheet, kind) for kind in kinds]
        for row, values in enumerate(part, start=1):
            for column, value in enumerate(values):
                if value is not None:
                    writers[column](row, column, value, column_formats[column])
        if number == len(parts):
            for offset, note in enumerate(sheet.notes):
                worksheet.write_string(len(part) + 2 + offset, 0, note, formats["note"])


def analysis_workbook(
    analysis: Analysis, verdicts: Mapping[str, str] | None = None, *, source: str = ""
) -> bytes:
    """The analysis as an .xlsx: 汇总, 部门, 事项, 流程, 流程再造提示 (with the verdicts),
    可合并事项 (the merge candidates, ranked: no flags), 问题.

    Rates are fractions formatted as percentages (0.5318 shows 53.18%), limits in working days;
    text that Excel could run as a formula is written as text with a leading apostrophe. Every
    word in it is Chinese: flags are numbered by rule title, item, process and steps
    (:func:`approvals.views.flags.flag_labels`), not by their keys. The 流程再造提示 sheet carries
    提示编号 and 是否采纳, so it loads back as a verdicts file
    (:func:`approvals.read.verdicts.read_verdicts`, then
    :func:`approvals.views.flags.keyed_verdicts`). ``source`` (what it was made from: a round's
    snapshot) is noted under the summary.
    """
    return _workbook(_sheets(analysis, verdicts or {}, source), comments=source)


def _workbook(sheets: list[_Sheet], *, comments: str = "") -> bytes:
    buffer = io.BytesIO()
    book = xlsxwriter.Workbook(
        buffer,
        {
            **XLSX_TEXT_OPTIONS,
            # Each row goes to a temporary file once the next begins: memory stays flat however
            # many items a catalog holds.
            "constant_memory": True,
            "default_format_properties": {"font_name": WORKBOOK_FONT, "font_size": 11},
        },
    )
    formats = {
        "header": book.add_format(
            {"bold": True, "bg_color": "#e8eef3", "bottom": 1, "text_wrap": True, "valign": "vcenter"}
        ),
        "percent": book.add_format({"num_format": "0.00%"}),
        "days": book.add_format({"num_format": "0.00"}),
        "note": book.add_format({"italic": True, "font_color": NEUTRAL_COLOUR}),
    }
    if comments:
        book.set_properties({"comments": comments})
    for sheet in sheets:
        _write_table(book, formats, sheet)
    book.close()
    return buffer.getvalue()
