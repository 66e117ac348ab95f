"""Pieces several pages draw the same way: headline metric cards, the figures tables."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from approvals.views.format import days, missing, percent

PERCENT_COLUMNS = ("精简率", "精简率目标", "缩短率", "缩短率目标", "逐项缩短率均值")
DAY_COLUMNS = ("原平均时限", "新平均时限")


def _gap(rate: object, target: object) -> str | None:
    """The distance to the target in percentage points, e.g. "+23.18 个百分点"."""
    if missing(rate) or missing(target):
        return None
    return f"{(float(rate) - float(target)) * 100:+.2f} 个百分点"


def _target(name: str, target: object) -> str:
    return name if missing(target) else f"{name}（目标 {percent(target, 0)}）"


def headline_cards(row: pd.Series, title: str) -> None:
    """精简率 and 缩短率 of one list (or overall) as metric cards against their targets."""
    st.markdown(f"#### {title}")
    rate, cut, kept, limits = st.columns(4)
    rate.metric(
        _target("精简率", row["streamlining_target"]),
        percent(row["streamlining_rate"]),
        _gap(row["streamlining_rate"], row["streamlining_target"]),
        border=True,
        help="精简率 =（清理前 − 保留）÷ 清理前；未决定的事项不计入。现行目录（无处理意见）不计算精简率。",
    )
    cut.metric(
        _target("缩短率", row["shortening_target"]),
        percent(row["shortening_rate"]),
        _gap(row["shortening_rate"], row["shortening_target"]),
        border=True,
        help="缩短率 =（清理前平均时限 − 清理后平均时限）÷ 清理前平均时限，为平均数之比；"
        "清理前取原承诺时限，没有原承诺的取法定时限。",
    )
    undecided = f"，未决定 {int(row['undecided'])}" if row["undecided"] else ""
    kept.metric(
        "保留事项（项）",
        f"{int(row['retained'])}",
        f"清理前 {int(row['before'])}，精简 {int(row['streamlined'])}{undecided}",
        delta_color="off",
        delta_arrow="off",
        border=True,
    )
    note = f"原 {days(row['before_avg_days'])}，计入 {int(row['time_counted_items'])} 项"
    if not missing(row.get("benchmark_days")):
        note = (
            f"原 {days(row['before_avg_days'])}，比基准 {days(row['benchmark_days'])} 低 "
            f"{percent(row['benchmark_gap'])}"
        )
    limits.metric(
        "新平均时限（工作日）",
        days(row["after_avg_days"]),
        note,
        delta_color="off",
        delta_arrow="off",
        border=True,
        help=f"计入时限统计的保留事项 {int(row['time_counted_items'])} 项的平均承诺时限。",
    )


def headline(analysis_lists: pd.DataFrame, overall: pd.DataFrame) -> None:
    """Cards for every list, then overall when there is more than one list."""
    for _, row in analysis_lists.iterrows():
        headline_cards(row, str(row["group"]))
    if len(analysis_lists) > 1:
        headline_cards(overall.iloc[0], "全部事项")


def style_figures(table: pd.DataFrame) -> pd.io.formats.style.Styler:
    """A figures table with rates as percentages and pass/fail coloured."""
    formats = {c: (lambda v: percent(v)) for c in PERCENT_COLUMNS if c in table.columns}
    formats |= {c: (lambda v: days(v)) for c in DAY_COLUMNS if c in table.columns}

    def colour(value: object) -> str:
        if value == "达标":
            return "background-color: #e3f4e8; color: #1b6b36"
        if value == "未达标":
            return "background-color: #fde8e6; color: #a52a1f"
        return ""

    met_columns = [c for c in ("精简率达标", "缩短率达标") if c in table.columns]
    return table.style.format(formats).map(colour, subset=met_columns)
