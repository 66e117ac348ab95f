"""对标 charts: one standard item's committed limit in every locality, the shortest marked."""

from __future__ import annotations

import pandas as pd
import plotly.graph_objects as go

from approvals.charts.style import (
    NEUTRAL_COLOUR,
    PASS_COLOUR,
    _legend_entry,
    _margins,
    _note_figure,
    _styled,
    markup,
)

LOCALITY_BAR_PX = 26
# Localities drawn at most; the rest are in the table under the chart.
MAX_BARS = 60


def locality_limits_chart(rows: pd.DataFrame, title: str) -> go.Figure:
    """One horizontal bar per locality (:func:`approvals.views.benchmarks.item_localities`),
    shortest on top: green where the locality reaches the shortest limit, grey elsewhere, a
    dashed line at the shortest."""
    if rows.empty:
        return _note_figure("没有可对标的地区", title)
    shown = rows.head(MAX_BARS)
    places = [markup(p) for p in shown["地区"]]
    limits = shown["承诺时限（工作日）"].astype(float).tolist()
    best = [flag == "是" for flag in shown["最短"]]
    figure = go.Figure(
        go.Bar(
            x=limits,
            y=places,
            orientation="h",
            marker_color=[PASS_COLOUR if b else NEUTRAL_COLOUR for b in best],
            # an en space keeps each label clear of its bar's end and of the dashed line there
            text=[f"\u2002{v:g} 个工作日" for v in limits],
            textposition="outside",
            cliponaxis=False,
            hovertemplate="%{y}：%{x} 个工作日<extra></extra>",
            showlegend=False,
        )
    )
    shortest = min(limits)
    figure.add_vline(x=shortest, line_dash="dash", line_color=PASS_COLOUR)
    _legend_entry(figure, "达到最短承诺时限", {"color": PASS_COLOUR})
    _legend_entry(figure, "其他地区", {"color": NEUTRAL_COLOUR})
    figure.update_xaxes(
        title_text="承诺时限（工作日）", range=[0, max(max(limits), 1) * 1.25], rangemode="tozero"
    )
    figure.update_yaxes(type="category", categoryorder="array", categoryarray=places[::-1], ticksuffix=" ")
    subtitle = f"最短 {shortest:g} 个工作日（虚线）；共 {len(rows)} 个地区"
    if len(rows) > MAX_BARS:
        subtitle += f"，图中为最短的 {MAX_BARS} 个"
    top, bottom = _margins(subtitle, legend_below=True, legend_rows=1)
    return _styled(
        figure,
        markup(title),
        subtitle=subtitle,
        height=top + bottom + LOCALITY_BAR_PX * len(places) + 24,
        legend_below=True,
        legend_rows=1,
    )
