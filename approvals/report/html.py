"""The analysis as the office hands it on: a workbook of every table, and one HTML report.

The workbook holds full-precision numbers (rates as percent-formatted fractions, never text)
so analysts can go on calculating in Excel; every text from the department lists is
neutralised against formula injection. The report is one self-contained HTML file with the
headline figures against their targets and the charts, opening offline; every text from the
data is escaped, since department lists are outside input.
"""

from __future__ import annotations

import html
from collections.abc import Mapping, Sequence
from datetime import date
from typing import Any

import pandas as pd

from approvals.analysis import Analysis, project
from approvals.charts.flowchart import process_flowchart
from approvals.charts.gantt import gantt_chart
from approvals.charts.images import chart_div, html_page
from approvals.charts.overview import (
    decision_sankey,
    department_rates_chart,
    legal_tier_chart,
    limit_distribution_chart,
)
from approvals.charts.style import FAIL_COLOUR, NEUTRAL_COLOUR, PASS_COLOUR, office_colours
from approvals.model import ALL_ITEMS, Verdict
from approvals.redesign.legal import tier_breakdown
from approvals.redesign.verdicts import accepted_keys, verdicts_of
from approvals.views.flags import FLAG_LABELS, flag_summary, flags_table
from approvals.views.format import days, met, missing, percent
from approvals.views.process import NO_AFTER_PROCESS, process_change, process_figures, process_offices
from approvals.views.redesign import audited_items, item_redesign, reductions, saved_days_text
from approvals.views.tables import problem_counts

REPORT_TITLE = "审批事项清理与流程再造分析报告"


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
    overall = analysis.overall
    cards = "".join(
        _card(
            f"全部事项{label}",
            *(overall[f"{rate}_{part}"] for part in ("rate", "target", "met")),
            absent=absent,
        )
        for label, rate, absent in (
            ("精简率", "streamlining", "未作清理决定（无处理意见），不计算精简率"),
            ("缩短率", "shortening", "没有同时具有清理前后时限的保留事项"),
        )
    )
    figures = pd.concat([analysis.lists, analysis.overall_table], ignore_index=True)
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
    accepted, rejected = int(states.eq(Verdict.ACCEPTED).sum()), int(states.eq(Verdict.REJECTED).sum())
    parts = [
        f"<p>共 {len(flags)} 条提示：采纳 {accepted} 条，不采纳 {rejected} 条，"
        f"待定 {len(flags) - accepted - rejected} 条。</p>"
    ]
    if len(analysis.merge_candidates):
        parts.append(
            f'<p class="note">另有可合并的相近事项 {len(analysis.merge_candidates)} 对，单独列出，'
            "不计入提示（见分析工作簿“可合并事项”表）。</p>"
        )
    by_rule = flag_summary(flags, verdicts, "title")
    rows = [
        [r[0], r[1], r[2], r[3], r[4], days(r[5]) if r[5] else "—"] for r in by_rule.itertuples(index=False)
    ]
    parts.append(_table(list(by_rule.columns), rows, [False, True, True, True, True, True]))

    projection = project(analysis, accepted_keys(flags, verdicts))
    today, projected = analysis.overall, projection.overall
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
    for r in reductions(projection):
        if r.measure == "days":
            shown = [days(r.before), days(r.after)]
        else:
            shown = ["—" if v is None else f"{v:g}" for v in (r.before, r.after)]
        rows.append([r.name, r.counted, *shown, percent(r.cut)])
    parts.append(
        f"<p>四减（{int(cut['items'])} 个有流程的事项，再造前 → 再造后并采纳建议）：</p>"
        + _table(["四减", "指标", "再造前", "再造后", "减少"], rows, [False, False, True, True, True])
    )
    if missing(cut["visits_before"]):
        parts.append('<p class="note">清单未填写到办事现场次数，减跑动无法计算。</p>')
    return "".join(parts)


def _item_section(analysis: Analysis, item_id: int, verdicts: Mapping[str, str], chart: _Charts) -> str:
    if not analysis.dataset.items["item_id"].eq(item_id).any():
        raise ValueError(f"没有编号为 {item_id} 的事项")
    shown = item_redesign(analysis, item_id, verdicts)
    parts = [f"<h3>{_e(shown.label)}</h3>"]
    numbers = process_figures(analysis, item_id)
    limit = f"{days(numbers.get('before_days'))} → {days(numbers.get('after_days'))}"
    before, after = numbers["before_critical_path_days"], numbers["after_critical_path_days"]
    if missing(numbers["after_step_count"]) and not missing(before):
        path = f"再造前 {days(before)} 个工作日，{NO_AFTER_PROCESS}"
    else:
        path = f"{process_change(before, after)} 个工作日"
    rate = percent(numbers.get("limit_shortening_rate"))
    parts.append(f'<p class="meta">办结时限：{limit} 个工作日（缩短率 {rate}）；关键路径：{path}。</p>')
    if not analysis.dataset.steps["item_id"].eq(item_id).any():
        parts.append('<p class="note">该事项没有办理环节。</p>')
        return "".join(parts)
    if len(shown.flags):
        table = saved_days_text(flags_table(shown.flags, verdicts))
        columns = [
            FLAG_LABELS[k] for k in ("verdict", "title", "version", "steps", "days_saved", "suggestion")
        ]
        parts.append(
            _table(columns, table[columns].to_numpy().tolist(), [False, False, False, False, True, False])
        )

    before, after = shown.report_charts()
    after_steps = before.steps.iloc[0:0] if after is None else after.steps
    colours = office_colours(process_offices(before.steps, after_steps))
    parts.append(
        chart(
            process_flowchart(
                before.steps, flagged=before.flagged, title=before.title, office_colours=colours
            )
        )
    )
    if after is None or after.steps.empty:
        parts.append('<p class="note">部门未提交再造后流程，也未采纳本事项的建议。</p>')
    else:
        parts.append(
            chart(
                process_flowchart(
                    after.steps, flagged=after.flagged, title=after.title, office_colours=colours
                )
            )
        )
    parts.append(
        chart(gantt_chart(before.steps, after_steps, title="办理时间线（工作日）", office_colours=colours))
    )
    return "".join(parts)


def html_report(
    analysis: Analysis,
    *,
    items: Sequence[int] = (),
    verdicts: Mapping[str, str] | None = None,
    title: str = REPORT_TITLE,
    generated: date | None = None,
    source: str = "",
) -> str:
    """The analysis as one HTML page that opens offline: headline figures against the targets,
    精简率 by department, where the items went, the limits, 流程再造 with the projection of the
    accepted ``verdicts``, legal-basis tiers, and for each of ``items`` (item ids) its process
    before and after and its timeline. plotly.js is embedded once; nothing is fetched.
    ``source`` (what it was made from: a round's snapshot) is said under the title.
    """
    verdicts = verdicts or {}
    generated = generated or date.today()
    chart = _Charts()
    catalog_items = analysis.dataset.items
    problems = problem_counts(analysis.problems)
    files = catalog_items["file"].replace("", pd.NA).dropna().nunique()
    sections = [
        f"<header><h1>{_e(title)}</h1>"
        f'<p class="meta">生成日期：{generated.year}年{generated.month}月{generated.day}日　'
        f"数据：{files} 个文件，{len(analysis.departments)} 个部门，{len(catalog_items)} 项事项</p>"
        + (f'<p class="meta">{_e(source)}</p>' if source else "")
        + f'<p class="meta">导入时发现的问题：错误 {problems["错误"]} 条，警告 {problems["警告"]} 条，'
        f"提示 {problems['提示']} 条（明细见导出的工作簿“问题”表）。</p></header>",
        f"<section><h2>一、主要指标</h2>{_headline(analysis)}</section>",
        "<section><h2>二、各部门精简率</h2>"
        + chart(department_rates_chart(analysis.departments, analysis.targets.streamlining_for()))
        + "</section>",
        f"<section><h2>三、事项清理去向</h2>{chart(decision_sankey(catalog_items))}</section>",
        f"<section><h2>四、办结时限</h2>{chart(limit_distribution_chart(catalog_items))}</section>",
        f"<section><h2>五、流程再造</h2>{_redesign(analysis, verdicts)}</section>",
    ]
    audited = audited_items(analysis)
    sections.append(
        "<section><h2>六、设定依据层级</h2>"
        + chart(
            legal_tier_chart(
                tier_breakdown(audited, analysis.settings.legal), title="设定依据层级（保留和未决定的事项）"
            )
        )
        + "</section>"
    )
    if items:
        chosen = "".join(_item_section(analysis, int(i), verdicts, chart) for i in items)
        sections.append(f"<section><h2>七、重点事项流程</h2>{chosen}</section>")
    return html_page(title, "<main>" + "\n".join(sections) + "</main>", style=_STYLE)
