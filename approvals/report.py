"""The analysis as the office hands it on: a workbook of every table, and one HTML report.

The workbook holds full-precision numbers (rates as percent-formatted fractions, never text)
so analysts can go on calculating in Excel; every text from the department lists is
neutralised against formula injection. The report is one self-contained HTML file with the
headline figures against their targets and the charts, opening offline; every text from the
data is escaped, since department lists are outside input.
"""

from __future__ import annotations

import html
import io
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

import numpy as np
import pandas as pd
import xlsxwriter
from xlsxwriter.worksheet import Worksheet

from approvals.analysis import Analysis
from approvals.charts import (
    FAIL_COLOUR,
    NEUTRAL_COLOUR,
    PASS_COLOUR,
    decision_sankey,
    department_rates_chart,
    gantt_chart,
    legal_tier_chart,
    limit_distribution_chart,
    process_flowchart,
)
from approvals.formatting import days, met, missing, percent
from approvals.images import chart_div, html_page
from approvals.legal import tier_breakdown
from approvals.metrics import ALL_ITEMS
from approvals.model import VERSION_LABELS, Counts, Version
from approvals.proposals import (
    ACCEPTED,
    FLAG_LABELS,
    KEY_LABEL,
    REJECTED,
    accepted_keys,
    flag_summary,
    flagged_steps,
    flags_table,
    verdicts_of,
)
from approvals.redesign import proposed_steps
from approvals.reductions import MEASURES, base_versions, project
from approvals.safety import XLSX_TEXT_OPTIONS, neutralise, safe_frame
from approvals.tables import (
    FIGURE_LABELS,
    ITEM_LABELS,
    figures_table,
    items_table,
    problem_counts,
    problems_table,
    process_figures,
    process_steps,
)

REPORT_TITLE = "审批事项清理与流程再造分析报告"
SHEET_NAMES = ("汇总", "部门", "事项", "流程", "流程再造提示", "问题")
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


# --- the workbook -------------------------------------------------------------------------------


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
    overall = figures_table(analysis.overall, "清单")
    table = pd.concat([lists, overall], ignore_index=True)
    figures = pd.concat([analysis.lists, analysis.overall], ignore_index=True)
    if figures["benchmark_days"].notna().any():
        for column, label in BENCHMARK_LABELS.items():
            table[label] = figures[column].to_numpy()
    return table


def processes_table(analysis: Analysis) -> pd.DataFrame:
    """流程: one row per item and process version with its critical path, whole duration, time the
    limit does not count, total effort and the steps on the path."""
    processes = analysis.processes
    codes = analysis.catalog.items.set_index("item_id")["code"]
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


def _sheets(analysis: Analysis, verdicts: Mapping[str, str]) -> list[_Sheet]:
    flags = flags_table(analysis.flags, verdicts).reset_index().rename(columns={"flag_key": KEY_LABEL})
    return [
        _Sheet("汇总", summary_table(analysis), notes=SUMMARY_NOTES),
        _Sheet("部门", figures_table(analysis.departments, "部门")),
        _Sheet("事项", items_table(analysis.catalog.items).reset_index(drop=True)),
        _Sheet("流程", processes_table(analysis), days=_PROCESS_DAYS),
        _Sheet("流程再造提示", flags),
        _Sheet("问题", problems_table(analysis.problems)),
    ]


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


def analysis_workbook(analysis: Analysis, verdicts: Mapping[str, str] | None = None) -> bytes:
    """The analysis as an .xlsx: 汇总, 部门, 事项, 流程, 流程再造提示 (with the verdicts), 问题.

    Rates are fractions formatted as percentages (0.5318 shows 53.18%), limits in working days;
    text that Excel could run as a formula is written as text with a leading apostrophe. The
    流程再造提示 sheet carries 提示编号 and 是否采纳, so it loads back as a verdicts file
    (:func:`approvals.proposals.read_verdicts`).
    """
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
    for sheet in _sheets(analysis, verdicts or {}):
        _write_table(book, formats, sheet)
    book.close()
    return buffer.getvalue()


# --- the HTML report ----------------------------------------------------------------------------

_STYLE = f"""
main {{ max-width: 1080px; margin: 0 auto; padding: 24px 28px 48px; }}
h1 {{ font-size: 28px; margin: 8px 0 4px; }}
h2 {{ font-size: 21px; margin: 36px 0 12px; padding-bottom: 6px; border-bottom: 2px solid #cfd8dc; }}
h3 {{ font-size: 17px; margin: 28px 0 8px; }}
p.meta, p.note {{ color: {NEUTRAL_COLOUR}; font-size: 14px; margin: 4px 0; }}
table {{ border-collapse: collapse; margin: 8px 0 16px; font-size: 14px; }}
th, td {{ border: 1px solid #cfd8dc; padding: 6px 10px; text-align: left; vertical-align: top; }}
th {{ background: #eceff1; }}
td.number {{ text-align: right; font-variant-numeric: tabular-nums; }}
.pass {{ color: {PASS_COLOUR}; font-weight: bold; }}
.fail {{ color: {FAIL_COLOUR}; font-weight: bold; }}
.badge {{ display: inline-block; padding: 0 6px; border-radius: 4px; color: #fff; font-size: 12px; }}
.badge.pass {{ background: {PASS_COLOUR}; color: #fff; }}
.badge.fail {{ background: {FAIL_COLOUR}; color: #fff; }}
.cards {{ display: flex; flex-wrap: wrap; gap: 16px; margin: 12px 0; }}
.card {{ flex: 1 1 220px; border: 1px solid #cfd8dc; border-radius: 8px; padding: 12px 16px;
         border-top: 6px solid {NEUTRAL_COLOUR}; }}
.card.pass {{ border-top-color: {PASS_COLOUR}; color: inherit; font-weight: normal; }}
.card.fail {{ border-top-color: {FAIL_COLOUR}; color: inherit; font-weight: normal; }}
.card .value {{ font-size: 30px; font-weight: bold; }}
.card .label {{ font-size: 14px; color: {NEUTRAL_COLOUR}; }}
.chart {{ margin: 8px 0 24px; }}
@media print {{ section, .chart {{ break-inside: avoid; }} main {{ max-width: none; }} }}
"""


def _e(value: Any) -> str:
    """Data as HTML text."""
    return html.escape("" if missing(value) else str(value))


def _state(value: Any) -> str:
    """The CSS class of a pass / fail figure: "pass", "fail" or "" without a target."""
    return "" if missing(value) else ("pass" if value else "fail")


def _target_text(value: Any) -> str:
    """A target as written: whole percents without decimals.

    >>> _target_text(0.3), _target_text(0.325), _target_text(None)
    ('30%', '32.5%', '—')
    """
    if missing(value):
        return "—"
    whole = abs(round(float(value) * 100) - float(value) * 100) < 1e-9
    return percent(value, 0 if whole else 1)


def _rate_cell(rate: Any, target: Any, passed: Any) -> str:
    """A rate with its target and a PASS / FAIL badge; "—" alone where there is no rate."""
    state = _state(passed)
    shown = f'<span class="{state}">{percent(rate)}</span>' if state else percent(rate)
    if missing(target) or missing(rate):
        return f'<td class="number">{shown}</td>'
    return (
        f'<td class="number">{shown}<br><small>目标 {_target_text(target)}</small> '
        f'<span class="badge {state}">{met(passed)}</span></td>'
    )


def _table(headers: Sequence[str], rows: Sequence[Sequence[Any]], numeric: Sequence[bool] = ()) -> str:
    """A plain table of text and numbers (escaped here); ``numeric`` right-aligns columns."""
    right = list(numeric) + [False] * (len(headers) - len(numeric))
    head = "".join(f"<th>{_e(h)}</th>" for h in headers)
    body = "".join(
        "<tr>"
        + "".join(
            f'<td class="number">{_e(v)}</td>' if r else f"<td>{_e(v)}</td>"
            for v, r in zip(row, right, strict=False)
        )
        + "</tr>"
        for row in rows
    )
    return f"<table><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>"


class _Charts:
    """Numbers the chart divs of one page, so their ids are stable."""

    def __init__(self) -> None:
        self.count = 0

    def __call__(self, figure: Any) -> str:
        self.count += 1
        return f'<div class="chart">{chart_div(figure, f"chart-{self.count}")}</div>'


def _card(label: str, rate: Any, target: Any, passed: Any, *, absent: str) -> str:
    """A headline rate in large type over its target and verdict; ``absent`` says why there is
    no rate."""
    state = _state(passed)
    verdict = f'，<span class="{state}">{met(passed)}</span>' if state else ""
    goal = f"目标 {_target_text(target)}{verdict}" if not missing(target) else "未设目标"
    goal = absent if missing(rate) else goal
    return (
        f'<div class="card {state}"><div class="label">{_e(label)}</div>'
        f'<div class="value">{percent(rate)}</div><div class="label">{goal}</div></div>'
    )


def _headline(analysis: Analysis) -> str:
    overall = analysis.overall.iloc[0]
    cards = "".join(
        _card(f"全部事项{label}", *overall[[f"{rate}_rate", f"{rate}_target", f"{rate}_met"]], absent=absent)
        for label, rate, absent in (
            ("精简率", "streamlining", "未作清理决定（无处理意见），不计算精简率"),
            ("缩短率", "shortening", "没有同时具有清理前后时限的保留事项"),
        )
    )
    figures = pd.concat([analysis.lists, analysis.overall], ignore_index=True)
    head = ["清单", "清理前", "保留", "精简", "未决定", "精简率", "原平均时限", "新平均时限", "缩短率"]
    rows = []
    for row in figures.itertuples(index=False):
        name = f"<strong>{_e(row.group)}</strong>" if row.group == ALL_ITEMS else _e(row.group)
        counts = "".join(
            f'<td class="number">{int(n)}</td>'
            for n in (row.before, row.retained, row.streamlined, row.undecided)
        )
        rows.append(
            f"<tr><td>{name}</td>{counts}"
            + _rate_cell(row.streamlining_rate, row.streamlining_target, row.streamlining_met)
            + "".join(f'<td class="number">{days(d)}</td>' for d in (row.before_avg_days, row.after_avg_days))
            + _rate_cell(row.shortening_rate, row.shortening_target, row.shortening_met)
            + "</tr>"
        )
    table = (
        "<table><thead><tr>"
        + "".join(f"<th>{h}</th>" for h in head)
        + f"</tr></thead><tbody>{''.join(rows)}</tbody></table>"
    )
    notes = [
        "精简率 = 精简事项 ÷（保留 + 精简），精简包括取消、下放、转变管理方式和合并中被并入的事项；"
        "缩短率 = （原平均时限 − 新平均时限）÷ 原平均时限，按保留事项计算，时限单位为工作日。"
    ]
    for row in figures[figures["benchmark_days"].notna()].itertuples(index=False):
        notes.append(
            f"{_e(row.group)}：新平均时限 {days(row.after_avg_days)} 个工作日，"
            f"比基准 {days(row.benchmark_days)} 个工作日低 {percent(row.benchmark_gap)}。"
        )
    return f'<div class="cards">{cards}</div>{table}' + "".join(f'<p class="note">{n}</p>' for n in notes)


def _redesign(analysis: Analysis, verdicts: Mapping[str, str]) -> str:
    flags = analysis.flags
    if flags.empty:
        return '<p class="note">没有流程再造提示。</p>'
    states = verdicts_of(flags, verdicts)
    accepted, rejected = int(states.eq(ACCEPTED).sum()), int(states.eq(REJECTED).sum())
    parts = [
        f"<p>共 {len(flags)} 条提示：采纳 {accepted} 条，不采纳 {rejected} 条，"
        f"待定 {len(flags) - accepted - rejected} 条。</p>"
    ]
    by_rule = flag_summary(flags, verdicts, "title")
    rows = [
        [r[0], r[1], r[2], r[3], r[4], days(r[5]) if r[5] else "—"] for r in by_rule.itertuples(index=False)
    ]
    parts.append(_table(list(by_rule.columns), rows, [False, True, True, True, True, True]))

    projection = project(analysis, accepted_keys(flags, verdicts))
    today, projected = analysis.overall.iloc[0], projection.overall.iloc[0]
    parts.append(
        f"<p>按采纳的 {projection.accepted} 条建议测算：缩短率由承诺的 {percent(today['shortening_rate'])}"
        f"（平均 {days(today['after_avg_days'])} 个工作日）变为 "
        f"<strong>{percent(projected['shortening_rate'])}</strong>"
        f"（平均 {days(projected['after_avg_days'])} 个工作日）。</p>"
    )
    cuts = projection.reductions_overall
    if cuts.empty:
        parts.append('<p class="note">没有办理环节数据，无法计算四减。</p>')
        return "".join(parts)
    cut = cuts.iloc[0]
    rows = []
    for measure, (counted, name) in MEASURES.items():
        before, after = cut[f"{measure}_before"], cut[f"{measure}_after"]
        if measure == "days":  # a sum of days says little: the mean critical path per item
            before, after = before / cut["items"], after / cut["items"]
            shown = [days(before), days(after)]
            counted = "平均关键路径（工作日）"
        else:
            shown = ["—" if missing(v) else f"{float(v):g}" for v in (before, after)]
        rows.append([name, counted, *shown, percent(cut[f"{measure}_cut"])])
    parts.append(
        f"<p>四减（{int(cut['items'])} 个有流程的事项，再造前 → 再造后并采纳建议）：</p>"
        + _table(["四减", "指标", "再造前", "再造后", "减少"], rows, [False, False, True, True, True])
    )
    if missing(cut["visits_before"]):
        parts.append('<p class="note">清单未填写到办事现场次数，减跑动无法计算。</p>')
    return "".join(parts)


def _item_section(analysis: Analysis, item_id: int, verdicts: Mapping[str, str], chart: _Charts) -> str:
    items = analysis.catalog.items
    found = items[items["item_id"].eq(item_id)]
    if found.empty:
        raise ValueError(f"没有编号为 {item_id} 的事项")
    item = found.iloc[0]
    name = f"{item['department']}｜{item['name']}" + (f"（{item['sub_item']}）" if item["sub_item"] else "")
    parts = [f"<h3>{_e(name)}</h3>"]
    steps = analysis.catalog.steps
    numbers = process_figures(analysis, item_id)
    limit = f"{days(numbers.get('before_days'))} → {days(numbers.get('after_days'))}"
    path = f"{days(numbers['before_critical_path_days'])} → {days(numbers['after_critical_path_days'])}"
    rate = percent(numbers.get("limit_shortening_rate"))
    parts.append(
        f'<p class="meta">办结时限：{limit} 个工作日（缩短率 {rate}）；关键路径：{path} 个工作日。</p>'
    )
    if not steps["item_id"].eq(item_id).any():
        parts.append('<p class="note">该事项没有办理环节。</p>')
        return "".join(parts)
    own = analysis.flags[analysis.flags["item_id"].eq(item_id)]
    if len(own):
        shown = flags_table(own, verdicts)
        shown[FLAG_LABELS["days_saved"]] = shown[FLAG_LABELS["days_saved"]].map(days)
        keys = ("verdict", "title", "version", "steps", "days_saved", "suggestion")
        columns = [FLAG_LABELS[k] for k in keys]
        rows = shown[columns].to_numpy().tolist()
        parts.append(_table(columns, rows, [False, False, False, False, True, False]))

    before = process_steps(steps, item_id, Version.BEFORE)
    base = str(base_versions(steps).get(item_id, Version.BEFORE))
    states = verdicts_of(own, verdicts)
    on_base = own[states.eq(ACCEPTED).to_numpy() & own["version"].eq(base).to_numpy()]
    submitted = process_steps(steps, item_id, base)
    after = proposed_steps(submitted, on_base) if len(on_base) else submitted
    if base == Version.AFTER:
        after_title = "再造后流程" + ("（含采纳的建议）" if len(on_base) else "")
    else:
        after_title = "采纳建议后的流程"
        if on_base.empty:
            after = after.iloc[0:0]

    parts.append(
        chart(process_flowchart(before, flagged=flagged_steps(own, Version.BEFORE), title="再造前流程"))
    )
    if after.empty:
        parts.append('<p class="note">部门未提交再造后流程，也未采纳本事项的建议。</p>')
    else:
        flagged = flagged_steps(own, Version.AFTER) if base == Version.AFTER and on_base.empty else set()
        parts.append(chart(process_flowchart(after, flagged=flagged, title=after_title)))
    parts.append(chart(gantt_chart(before, after, title="办理时间线（工作日）")))
    return "".join(parts)


def html_report(
    analysis: Analysis,
    *,
    items: Sequence[int] = (),
    verdicts: Mapping[str, str] | None = None,
    title: str = REPORT_TITLE,
    generated: date | None = None,
) -> str:
    """The analysis as one HTML page that opens offline: headline figures against the targets,
    精简率 by department, where the items went, the limits, 流程再造 with the projection of the
    accepted ``verdicts``, legal-basis tiers, and for each of ``items`` (item ids) its process
    before and after and its timeline. plotly.js is embedded once; nothing is fetched.
    """
    verdicts = verdicts or {}
    generated = generated or date.today()
    chart = _Charts()
    catalog_items = analysis.catalog.items
    problems = problem_counts(analysis.problems)
    files = catalog_items["file"].replace("", pd.NA).dropna().nunique()
    sections = [
        f"<header><h1>{_e(title)}</h1>"
        f'<p class="meta">生成日期：{generated.year}年{generated.month}月{generated.day}日　'
        f"数据：{files} 个文件，{len(analysis.departments)} 个部门，{len(catalog_items)} 项事项</p>"
        f'<p class="meta">导入时发现的问题：错误 {problems["错误"]} 条，警告 {problems["警告"]} 条，'
        f"提示 {problems['提示']} 条（明细见导出的工作簿“问题”表）。</p></header>",
        f"<section><h2>一、主要指标</h2>{_headline(analysis)}</section>",
        "<section><h2>二、各部门精简率</h2>"
        + chart(department_rates_chart(analysis.departments, analysis.targets.streamlining_for()))
        + "</section>",
        f"<section><h2>三、事项清理去向</h2>{chart(decision_sankey(catalog_items))}</section>",
        f"<section><h2>四、办结时限</h2>{chart(limit_distribution_chart(catalog_items))}</section>",
        f"<section><h2>五、流程再造</h2>{_redesign(analysis, verdicts)}</section>",
    ]
    audited = catalog_items[catalog_items["counts_as"].ne(str(Counts.STREAMLINED))]
    sections.append(
        "<section><h2>六、设定依据层级</h2>"
        + chart(legal_tier_chart(tier_breakdown(audited), title="设定依据层级（保留和未决定的事项）"))
        + "</section>"
    )
    if items:
        chosen = "".join(_item_section(analysis, int(i), verdicts, chart) for i in items)
        sections.append(f"<section><h2>七、重点事项流程</h2>{chosen}</section>")
    return html_page(title, "<main>" + "\n".join(sections) + "</main>", style=_STYLE)
