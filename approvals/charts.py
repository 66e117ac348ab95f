"""Plotly figures of the clean-up and of one item's process, for the screens and the reports.

Pure functions from the canonical tables (and the figure tables of :mod:`approvals.metrics`) to
``plotly.graph_objects.Figure``. Everything the analyst reads on a figure is Chinese; the colours
mean the same on every figure: green meets a target, red-orange misses it, red is the critical
path, orange marks a step a redesign rule flagged, grey is time the statutory limit does not count.
"""

from __future__ import annotations

import html
import math
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from itertools import pairwise
from typing import Any

import networkx as nx
import numpy as np
import pandas as pd
import plotly.graph_objects as go
from plotly.colors import hex_to_rgb

from approvals.graphs import critical_paths, process_graph, process_layers, step_order, step_schedule
from approvals.metrics import UNSPECIFIED_GROUP
from approvals.model import DECISION_LABELS, VERSION_LABELS, Counts, Decision, Version

FONT_FAMILY = "Noto Sans CJK SC, Microsoft YaHei, PingFang SC, SimHei, sans-serif"
TEXT_COLOUR = "#263238"
PASS_COLOUR = "#2e7d32"
FAIL_COLOUR = "#e64a19"
NEUTRAL_COLOUR = "#546e7a"
CRITICAL_COLOUR = "#d32f2f"
FLAGGED_COLOUR = "#ff8f00"
UNCOUNTED_COLOUR = "#9e9e9e"
EDGE_COLOUR = "#78909c"
STEP_COLOUR = "#1e88e5"
BEFORE_COLOUR = "#8d6e63"
AFTER_COLOUR = "#1e88e5"
DECISION_COLOURS: dict[str, str] = {
    Decision.RETAINED: "#2e7d32",
    Decision.CANCELLED: "#c62828",
    Decision.DELEGATED: "#f9a825",
    Decision.MERGED: "#6a1b9a",
    Decision.CHANGED: "#0277bd",
    Decision.UNDECIDED: "#9e9e9e",
}
# Light fills, so the black labels stay readable; no grey or red (they mean uncounted / critical).
OFFICE_COLOURS: tuple[str, ...] = (
    "#a6cee3",
    "#b2df8a",
    "#cab2d6",
    "#ffe082",
    "#80cbc4",
    "#f8bbd0",
    "#d7ccc8",
    "#c5cae9",
    "#dcedc8",
    "#b3e5fc",
    "#fff59d",
    "#e1bee7",
)
UNCOUNTED_FILL = "#eeeeee"

# What each bar of department_rates_chart carries as customdata, in this order; a click
# selection's point gives the department back as ``point["customdata"][0]``.
DEPARTMENT_CUSTOMDATA: tuple[str, ...] = ("department", "before", "retained", "streamlined", "undecided")

NO_STEPS = "无办理环节"
CYCLE_NOTE = "流程存在循环，无法计算关键路径"
UNCOUNTED_NOTE = "不计入时限"
GANTT_CYCLE_NOTE = "流程存在循环，无法排出时间线"

_TOLERANCE = 1e-12  # as in metrics: a target met exactly must not fail on the last bit


# --- shared pieces ---------------------------------------------------------------------------


def _percent(value: float) -> str:
    """A rate as the analyst writes it: at most one decimal, no trailing zero.

    >>> _percent(0.3), _percent(0.5318), _percent(0.325)
    ('30%', '53.2%', '32.5%')
    """
    text = f"{value * 100:.1f}".rstrip("0").rstrip(".")
    return f"{text}%"


def _days_text(days: float, status: str = "") -> str:
    """A step's or item's limit for display: "5个工作日", "0.5个工作日", "即办", or unfilled.

    >>> _days_text(5.0), _days_text(0.5), _days_text(0.0), _days_text(0.0, "blank")
    ('5个工作日', '0.5个工作日', '即办', '时限未填')
    """
    if status == "blank" or days is None or np.isnan(days):
        return "时限未填"
    if days == 0:
        return "即办"
    return f"{days:g}个工作日"


def _rgba(colour: str, alpha: float) -> str:
    red, green, blue = hex_to_rgb(colour)
    return f"rgba({red},{green},{blue},{alpha})"


def _wrap_list(text: str, width: int = 20) -> str:
    """A 、-separated list (materials) in lines of about ``width`` characters, breaking between items."""
    lines: list[str] = []
    for part in (p for p in text.split("、") if p):
        if lines and len(lines[-1]) + 1 + len(part) <= width:
            lines[-1] += "、" + part
        else:
            lines.append(part)
    return "<br>".join(lines)


def _margins(
    subtitle: str, *, legend_below: bool, legend_rows: int = 2, x_title: bool = True
) -> tuple[int, int]:
    """Top and bottom margins: room for the title and each line of its subtitle, and for the
    lines of a legend under the chart (and under the x axis title, if there is one).

    >>> _margins("", legend_below=False), _margins("a<br>b", legend_below=True, legend_rows=3)
    ((72, 48), (120, 124))
    """
    top = 72 + (24 * (subtitle.count("<br>") + 1) if subtitle else 0)
    if not legend_below:
        return top, 48
    return top, (52 if x_title else 16) + 24 * legend_rows


def _styled(
    figure: go.Figure,
    title: str,
    *,
    subtitle: str = "",
    subtitle_colour: str = NEUTRAL_COLOUR,
    height: int | None = None,
    legend_below: bool = False,
    legend_rows: int = 2,
    x_title: bool = True,
) -> go.Figure:
    """The house style: CJK fonts, readable sizes, room for the title and the axis labels.

    ``legend_below`` puts a horizontal legend of about ``legend_rows`` lines at the foot of the
    figure, under the x axis title (``x_title``) or right under the plot.
    """
    top, bottom = _margins(subtitle, legend_below=legend_below, legend_rows=legend_rows, x_title=x_title)
    figure.update_layout(
        template="plotly_white",
        font={"family": FONT_FAMILY, "size": 14, "color": TEXT_COLOUR},
        title={
            "text": f"<b>{html.escape(title)}</b>",
            "x": 0.01,
            "xanchor": "left",
            "font": {"size": 18},
            "subtitle": {"text": subtitle, "font": {"size": 13, "color": subtitle_colour}},
        },
        hoverlabel={"font": {"family": FONT_FAMILY, "size": 13}},
        legend={"font": {"size": 13}},
        margin={"l": 24, "r": 24, "t": top, "b": bottom},
        height=height,
    )
    if legend_below:
        figure.update_layout(
            legend={"orientation": "h", "yref": "container", "y": 0.01, "yanchor": "bottom", "x": 0}
        )
    figure.update_xaxes(automargin=True)
    figure.update_yaxes(automargin=True)
    return figure


def _note_figure(message: str, title: str, *, colour: str = NEUTRAL_COLOUR) -> go.Figure:
    """A figure with nothing to draw, saying why in the middle."""
    figure = go.Figure()
    figure.add_annotation(
        text=message,
        xref="paper",
        yref="paper",
        x=0.5,
        y=0.5,
        showarrow=False,
        font={"size": 16, "color": colour},
    )
    figure.update_xaxes(visible=False)
    figure.update_yaxes(visible=False)
    return _styled(figure, title, height=320)


def _text(values: pd.Series) -> pd.Series:
    return values.fillna("").astype("str").str.strip()


# --- 1. 精简率 by department -----------------------------------------------------------------


def department_rates_chart(departments: pd.DataFrame, target: float | None) -> go.Figure:
    """精简率 of every department as horizontal bars, highest on top, green where the target is met.

    ``departments`` is ``figures(items, "department")``. Each bar's customdata is
    ``[department, before, retained, streamlined, undecided]`` (see DEPARTMENT_CUSTOMDATA), so a
    click selection maps back to the department by ``customdata[0]``. Departments without a rate
    (a current catalog: nothing was decided) are left out and counted in a note; with no rate at
    all the figure is only that note.
    """
    title = "各部门事项精简率"
    rated = departments[departments["streamlining_rate"].astype("float64").notna()]
    missing = len(departments) - len(rated)
    if rated.empty:
        message = "没有部门数据" if departments.empty else "当前目录未作清理决定（无处理意见），不计算精简率"
        return _note_figure(message, title)

    # Ascending, because a horizontal bar chart draws its first category at the bottom; ties keep
    # the departments' own order reading downwards.
    table = rated.iloc[::-1].sort_values("streamlining_rate", kind="stable")
    table = table.assign(
        group=_text(table["group"]),
        undecided=table.get("undecided", 0),
    )
    customdata = table[["group", *DEPARTMENT_CUSTOMDATA[1:]]].to_numpy(dtype=object)
    show_undecided = bool((table["undecided"] > 0).any())
    hover = (
        "<b>%{customdata[0]}</b><br>清理前：%{customdata[1]}项<br>保留：%{customdata[2]}项"
        "<br>精简：%{customdata[3]}项"
        + ("<br>未决定：%{customdata[4]}项" if show_undecided else "")
        + "<br>精简率：%{x:.2%}<extra></extra>"
    )
    rate = table["streamlining_rate"].to_numpy(dtype=float)
    if target is None:
        groups = [("精简率", NEUTRAL_COLOUR, np.ones(len(table), dtype=bool))]
    else:
        met = rate >= target - _TOLERANCE
        groups = [
            (f"达标（≥ {_percent(target)}）", PASS_COLOUR, met),
            (f"未达标（< {_percent(target)}）", FAIL_COLOUR, ~met),
        ]

    figure = go.Figure()
    for name, colour, mask in groups:
        if not mask.any():
            continue
        figure.add_trace(
            go.Bar(
                name=name,
                orientation="h",
                x=rate[mask],
                y=table["group"].to_numpy()[mask],
                customdata=customdata[mask],
                marker={"color": colour},
                texttemplate="%{x:.1%}",
                textposition="outside",
                cliponaxis=False,
                hovertemplate=hover,
            )
        )
    figure.update_yaxes(categoryorder="array", categoryarray=table["group"].tolist(), title=None)
    figure.update_xaxes(title="精简率", tickformat=".0%", range=[0, max(1.0, float(rate.max())) * 1.12])

    notes = []
    if target is not None:
        figure.add_vline(
            x=target,
            line={"color": TEXT_COLOUR, "dash": "dash", "width": 2},
            annotation_text=f"目标 {_percent(target)}",
            annotation_position="top",
            annotation_font={"size": 13, "color": TEXT_COLOUR},
        )
        notes.append(f"{int((rate >= target - _TOLERANCE).sum())} / {len(table)} 个部门达到目标")
    if missing:
        notes.append(f"另有 {missing} 个部门未作清理决定，不计算精简率")
    figure.update_layout(
        bargap=0.25, legend={"orientation": "h", "x": 1, "xanchor": "right", "y": 1, "yanchor": "bottom"}
    )
    return _styled(figure, title, subtitle="；".join(notes), height=max(320, 26 * len(table) + 190))


# --- 2. where the items went -----------------------------------------------------------------

_SANKEY_PLOT_PX = 462  # the overview shows it in half the main area (about 510 px) less margins
_SANKEY_THICKNESS_PX = 18
_SANKEY_PAD_PX = 20
_SANKEY_FONT_PX = 13
_SANKEY_SMALLEST_FONT_PX = 11  # labels shrink this far to stand clear of their neighbours
_SANKEY_LABEL_GAP_PX = 16  # plotly sets a label 3 px off its node; this leaves a margin besides
_HALO = "0 0 3px #fff, 0 0 3px #fff, 0 0 2px #fff"  # a CSS text shadow: white all round


def _decision_classes(items: pd.DataFrame) -> pd.Series:
    """Each item's decision class; an item of a list without decisions is 保留 (a current catalog)."""
    decision = _text(items["decision"])
    decision = decision.where(decision.isin([str(d) for d in Decision]), str(Decision.UNDECIDED))
    return decision.where(_has_decision(items), str(Decision.RETAINED))


def _has_decision(items: pd.DataFrame) -> pd.Series:
    return items["has_decision"].fillna(False).astype(bool)


def decision_sankey(items: pd.DataFrame) -> go.Figure:
    """Items flowing from "清理前事项" through their list (category) to the decision taken.

    Link values are item counts; every node's label carries its count. Items of a list without a
    decision column (a current catalog) flow to 保留, whose label then says how many of them were
    never decided. 合并 holds every merged item, the one a merge keeps included.
    """
    title = "事项清理去向"
    if items.empty:
        return _note_figure("没有事项", title)
    category = _text(items["category"]).replace("", UNSPECIFIED_GROUP)
    decision = _decision_classes(items)
    flows = (
        pd.DataFrame({"category": category, "decision": decision})
        .groupby(["category", "decision"], sort=False)
        .size()
    )
    categories = list(dict.fromkeys(category))
    per_category = category.value_counts()
    per_decision = decision.value_counts()
    decisions = [str(d) for d in Decision if per_decision.get(str(d), 0)]
    undecided_lists = int((~_has_decision(items)).sum())

    def decision_label(d: str) -> str:
        label = f"{DECISION_LABELS[d]} {per_decision[d]}项"
        if d == Decision.RETAINED and undecided_lists == len(items):
            return f"{label}（现行目录，未作清理决定）"
        if d == Decision.RETAINED and undecided_lists:
            return f"{label}（含未作清理决定的 {undecided_lists}项）"
        return label

    names = ["清理前事项", *categories, *(DECISION_LABELS[d] for d in decisions)]
    labels = [
        f"清理前事项 {len(items)}项",
        *(f"{c} {per_category[c]}项" for c in categories),
        *(decision_label(d) for d in decisions),
    ]
    colours = [NEUTRAL_COLOUR, *(["#90a4ae"] * len(categories)), *(DECISION_COLOURS[d] for d in decisions)]
    at = {c: 1 + i for i, c in enumerate(categories)}
    at_decision = {d: 1 + len(categories) + i for i, d in enumerate(decisions)}

    sources = [0] * len(categories) + [at[c] for c, _ in flows.index]
    targets = [at[c] for c in categories] + [at_decision[d] for _, d in flows.index]
    values = [int(per_category[c]) for c in categories] + flows.astype(int).tolist()
    link_colours = [_rgba(EDGE_COLOUR, 0.3)] * len(categories)
    link_colours += [_rgba(DECISION_COLOURS[d], 0.45) for _, d in flows.index]

    height = max(420, 60 * len(names) + 120)
    x, y, font = _sankey_positions(
        [[len(items)], [int(per_category[c]) for c in categories], [int(per_decision[d]) for d in decisions]],
        [labels[:1], labels[1 : 1 + len(categories)], labels[1 + len(categories) :]],
        plot_height_px=height - sum(_margins("…", legend_below=False)),
    )
    figure = go.Figure(
        go.Sankey(
            arrangement="snap",
            valueformat="d",
            node={
                "label": labels,
                "color": colours,
                "customdata": names,
                "x": x,
                "y": y,
                "sort": "input",  # the stacking order above; links leave each node in that order too
                "pad": _SANKEY_PAD_PX,
                "thickness": _SANKEY_THICKNESS_PX,
                "line": {"color": "white", "width": 0.5},
                "hovertemplate": "%{customdata}：%{value}项<extra></extra>",
            },
            link={
                "source": sources,
                "target": targets,
                "value": values,
                "color": link_colours,
                "customdata": [[names[s], names[t]] for s, t in zip(sources, targets, strict=True)],
                "hovertemplate": "%{customdata[0]} → %{customdata[1]}：%{value}项<extra></extra>",
            },
            # A white halo keeps a label legible where it lies across the coloured links.
            textfont={"family": FONT_FAMILY, "size": font, "color": TEXT_COLOUR, "shadow": _HALO},
        )
    )
    subtitle = "清理前事项 → 所属清单 → 处理意见"
    return _styled(figure, title, subtitle=subtitle, height=height)


def _sankey_positions(
    counts: Sequence[Sequence[int]], labels: Sequence[Sequence[str]], *, plot_height_px: float
) -> tuple[list[float], list[float], int]:
    """Node centres (0-1 across and down) for a three-column sankey, column by column, and the
    label font size that lets the labels of neighbouring columns stand clear of each other.

    Plotly writes the labels of every column but the last to the right of its nodes, across
    the links; the middle column is set as far left as leaves room for its own labels and for
    the last column's (written to the left of their nodes), so the two never meet. Each
    column's nodes are stacked in the given order at the scale of the fullest column, centred.

    >>> x, y, font = _sankey_positions([[4], [3, 1], [4]], [["甲"], ["乙", "丙"], ["丁"]], plot_height_px=200)
    >>> x[0] < x[1] < x[3], y[0] == y[3] == 0.5, y[1] < y[2], font
    (True, True, True, 13)
    """
    edge = _SANKEY_THICKNESS_PX / 2 / _SANKEY_PLOT_PX + 0.005
    for font in range(_SANKEY_FONT_PX, _SANKEY_SMALLEST_FONT_PX - 1, -1):
        first_px, middle_px, last_px = (
            max((_text_px(t, font) for t in column), default=0.0) for column in labels
        )
        # Past the first column's labels, short of where the last column's begin, at most halfway.
        lowest = edge + (_SANKEY_THICKNESS_PX + first_px + _SANKEY_LABEL_GAP_PX) / _SANKEY_PLOT_PX
        highest = (
            1
            - edge
            - (_SANKEY_THICKNESS_PX + middle_px + last_px + 2 * _SANKEY_LABEL_GAP_PX) / _SANKEY_PLOT_PX
        )
        if lowest <= highest:
            break
    middle = max(lowest, min(highest, 0.5))
    scale = min(
        (plot_height_px - (len(column) - 1) * _SANKEY_PAD_PX) / max(sum(column), 1)
        for column in counts
        if column
    )
    xs: list[float] = []
    ys: list[float] = []
    for across, column in zip((edge, middle, 1 - edge), counts, strict=True):
        used = sum(column) * scale + (len(column) - 1) * _SANKEY_PAD_PX
        top = (plot_height_px - used) / 2
        for count in column:
            xs.append(across)
            ys.append((top + count * scale / 2) / plot_height_px)
            top += count * scale + _SANKEY_PAD_PX
    return xs, ys, font


# --- 3. limits before and after --------------------------------------------------------------


def _bin_size(largest: float) -> float:
    """A round histogram bin (0.5, 1, 2, 5, 10, … working days) giving at most about 40 bins.

    >>> _bin_size(20), _bin_size(60), _bin_size(180)
    (0.5, 2.0, 5.0)
    """
    for size in (0.5, 1.0, 2.0, 5.0, 10.0, 20.0, 50.0, 100.0):
        if largest / size <= 40:
            return size
    return float(np.ceil(largest / 40))


def limit_distribution_chart(items: pd.DataFrame) -> go.Figure:
    """How the retained items' limits spread before (法定或原承诺) and after (新承诺) the clean-up.

    Only retained items with both limits are drawn, the same items the headline 缩短率 averages,
    so the two dashed mean lines are exactly its T_before and T_after; their values are in the
    legend, the 缩短率 in the subtitle.
    """
    title = "保留事项办结时限分布"
    before = items["before_days"].astype("float64")
    after = items["after_days"].astype("float64")
    counted = (_text(items["counts_as"]) == Counts.RETAINED) & before.notna() & after.notna()
    if not counted.any():
        return _note_figure("没有同时具有清理前后时限的保留事项", title)
    before, after = before[counted], after[counted]
    mean_before, mean_after = float(before.mean()), float(after.mean())
    size = _bin_size(max(float(before.max()), float(after.max()), 1.0))
    bins = {"start": -size / 2, "end": max(float(before.max()), float(after.max())) + size / 2, "size": size}

    figure = go.Figure()
    # The legend reads as two columns, each histogram beside its mean (a dashed line named with
    # its value), so the means need no labels on the plot where they would meet.
    for rank, (name, values, mean, colour) in enumerate(
        (
            ("清理前（法定或原承诺）", before, mean_before, BEFORE_COLOUR),
            ("清理后（新承诺）", after, mean_after, AFTER_COLOUR),
        )
    ):
        figure.add_trace(
            go.Histogram(
                name=name,
                x=values.to_numpy(),
                xbins=bins,
                bingroup="limits",
                marker={"color": colour, "line": {"color": "white", "width": 0.5}},
                opacity=0.65,
                legendrank=10 * rank + 1,
                hovertemplate=f"{name}<br>办结时限：%{{x}}个工作日<br>事项数：%{{y}}项<extra></extra>",
            )
        )
        figure.add_vline(
            x=mean,
            line={"color": colour, "dash": "dash", "width": 2},
            name=f"{name[:3]}平均 {mean:.2f}",
            showlegend=True,
            legendrank=10 * rank + 2,
        )
    figure.update_layout(
        barmode="overlay",
        legend={"entrywidth": 0.5, "entrywidthmode": "fraction", "traceorder": "normal"},
    )
    figure.update_xaxes(title="办结时限（工作日）", rangemode="tozero")
    figure.update_yaxes(title="事项数")
    subtitle = f"保留事项 {int(counted.sum())} 项"
    if mean_before > 0:
        subtitle += f"，缩短率 {_percent((mean_before - mean_after) / mean_before)}"
    return _styled(figure, title, subtitle=subtitle, height=480, legend_below=True)


# --- 4. one process as a flowchart -----------------------------------------------------------

# The flowchart is laid out for the width it will be shown at: a column per layer while the
# columns stay wide enough for their labels, else the chain wraps into bands stacked top to
# bottom, each read left to right like a line of text. All sizes below are screen pixels.
_WIDE_CANVAS_PX = 1000  # assumed without a width hint: the app's main area, a report page
_SIDE_MARGINS_PX = 48  # _styled's left and right margins
_FULL_COLUMN_PX = 90  # the narrowest column whose box shows name, office and days
_COMPACT_COLUMN_PX = 76  # the narrowest for name and days (the office left to colour and hover)
_WIDEST_COLUMN_PX = 180  # a short process is not stretched beyond this
_FULL_FONT_PX = 12
_COMPACT_FONT_PX = 11
_BOX_SHARE = 0.84  # a box's share of its column; the rest carries the arrow
_BOX_SIDES_PX = 6  # a box's width less the width of its text: left plus right
_BOX_PADDING_PX = 10  # a box's height above its text, and below
_ROW_GAP_PX = 26  # between the boxes of two parallel steps
_BAND_GAP_PX = 44  # between two bands: the lane of the arrows that go on to the next band
_Y_PADDING = 0.35  # rows left free above the first band and below the last
_HALO_PX = 5  # how far a flagged step's orange outline stands off its box
_NAME_LINES = 3  # a longer step name is cut with "…" (the hover has it whole)
_OFFICE_LINES = 2
_LINE_SPACING = 1.3  # plotly's line height, in font sizes
_LEGEND_FONT_PX = 13


@dataclass(frozen=True)
class _FlowLayout:
    """How a flowchart fits the width it is shown at: columns per band, bands, full or compact labels."""

    per_band: int
    bands: int
    compact: bool
    span: float  # columns across the plot: at least per_band + 0.2 (0.6 of margin either side)
    column_px: float

    @property
    def font_px(self) -> int:
        return _COMPACT_FONT_PX if self.compact else _FULL_FONT_PX

    @property
    def box_px(self) -> float:
        return self.column_px * _BOX_SHARE


def _flow_layout(layers: int, canvas_px: float) -> _FlowLayout:
    """The fewest bands whose columns are wide enough, with full labels if they fit at that count.

    A row of ``k`` columns spans ``k + 0.2`` columns of the plot (0.6 of margin on either side).

    >>> [(n, _flow_layout(n, 520).per_band, _flow_layout(n, 520).bands,
    ...   _flow_layout(n, 520).compact) for n in (3, 6, 8, 12)]
    [(3, 3, 1, False), (6, 6, 1, True), (8, 4, 2, False), (12, 6, 2, True)]
    """
    plot_px = max(canvas_px - _SIDE_MARGINS_PX, 1.0)
    full = max(1, int(plot_px / _FULL_COLUMN_PX - 0.2))
    compact = max(1, int(plot_px / _COMPACT_COLUMN_PX - 0.2))
    bands, use_compact = layers, False
    for count in range(1, max(layers, 1) + 1):
        if layers <= count * full:
            bands, use_compact = count, False
            break
        if layers <= count * compact:
            bands, use_compact = count, True
            break
    per_band = max(1, math.ceil(layers / bands))
    span = max(per_band + 0.2, plot_px / _WIDEST_COLUMN_PX)
    return _FlowLayout(per_band, bands, use_compact, span, plot_px / span)


def _text_px(text: str, font_px: float) -> float:
    """A label's rough width: a Chinese character is a font size wide, Latin and digits 0.6.

    >>> _text_px("受理", 12), _text_px("10个工作日", 10)
    (24.0, 52.0)
    """
    return sum(float(font_px) if ord(c) > 0x2E7F else 0.6 * font_px for c in text)


def _lines(text: str, max_px: float, font_px: float, max_lines: int) -> list[str]:
    """Cut text into as few lines of equal length as fit ``max_px`` (Chinese has no spaces);
    beyond ``max_lines`` the last line ends in "…".

    >>> _lines("合法性审查", 60, 12, 3), _lines("受理审查决定", 48, 12, 3)
    (['合法性审查'], ['受理审', '查决定'])
    >>> _lines("一二三四五六七八九", 24, 12, 2)
    ['一二', '三…']
    """
    if not text:
        return []
    count = 1
    while True:
        size = math.ceil(len(text) / count)
        parts = [text[i : i + size] for i in range(0, len(text), size)]
        if size == 1 or all(_text_px(p, font_px) <= max_px for p in parts):
            break
        count += 1
    if len(parts) > max_lines:
        parts = [*parts[: max_lines - 1], parts[max_lines - 1][:-1] + "…"]
    return parts


def _days_lines(days_text: str, max_px: float, font_px: float) -> list[str]:
    """A step's days on one line ("3个工作日"), or the number above "个工作日" when too narrow."""
    if _text_px(days_text, font_px) <= max_px or "个" not in days_text:
        return [days_text]
    number, _, unit = days_text.partition("个")
    return [number, "个" + unit]


def _step_label(name: str, office: str, days_text: str, counted: bool, layout: _FlowLayout) -> str:
    """A box's text: the step's name in bold, its office (unless compact), its days."""
    room, font = layout.box_px - _BOX_SIDES_PX, layout.font_px
    lines = [f"<b>{html.escape(line)}</b>" for line in _lines(name, room, font, _NAME_LINES)]
    if not layout.compact:
        lines += [html.escape(line) for line in _lines(office, room, font, _OFFICE_LINES)]
    lines += _days_lines(days_text, room, font)
    if not counted:
        lines.append(f"<i>{UNCOUNTED_NOTE}</i>")
    return "<br>".join(lines)


def _one_process(steps: pd.DataFrame) -> tuple[str, str]:
    """The item name and version label of a steps table that must hold one process."""
    keys = steps[["item_id", "version"]].drop_duplicates()
    if len(keys) > 1:
        raise ValueError(f"流程图一次只画一个事项的一个版本，收到 {len(keys)} 个")
    version = str(steps["version"].iloc[0])
    return str(steps["item_name"].iloc[0]), VERSION_LABELS.get(version, version)


def _rows(graph: nx.DiGraph, layers: dict[Any, int], order: Sequence[int]) -> dict[int, float]:
    """Each step's row offset within its layer: steps follow the mean row of what they wait for
    (fewer crossing arrows), then step order, centred on 0; positive is lower."""
    rank = {node: i for i, node in enumerate(order)}
    row: dict[int, float] = {}
    columns: dict[int, list[int]] = {}
    for node in order:
        columns.setdefault(layers[node], []).append(node)
    for layer in sorted(columns):

        def placed(node: int) -> tuple[float, int]:
            above = [row[p] for p in graph.predecessors(node) if p in row]
            return (float(np.mean(above)) if above else 0.0, rank[node])

        nodes = sorted(columns[layer], key=placed)
        for i, node in enumerate(nodes):
            row[node] = i - (len(nodes) - 1) / 2
    return row


def _duration_note(processes_row: pd.Series, path_steps: int) -> str:
    """The flowchart's subtitle: the critical path (time the limit covers) and the whole wait."""
    timed = float(processes_row["critical_path_days"])
    whole = float(processes_row["whole_duration_days"])
    note = f"关键路径（计入时限）{_days_text(timed)}，经 {path_steps} 个环节；全程 {_days_text(whole)}"
    if whole - timed > _TOLERANCE:
        note += f"（其中 {_days_text(whole - timed)}{UNCOUNTED_NOTE}）"
    return note


def _fit_note(note: str, max_px: float, font_px: float = 13) -> str:
    """A subtitle too long for the width broken after its "；" (each part on a line of its own).

    >>> _fit_note("关键路径 3个工作日；全程 5个工作日", 120)
    '关键路径 3个工作日<br>全程 5个工作日'
    """
    if _text_px(note, font_px) <= max_px:
        return note
    return "<br>".join(part for part in note.split("；") if part)


def _step_hover(row: pd.Series, critical: bool, flagged: bool) -> str:
    lines = [
        f"<b>{html.escape(str(row['step_no']))}. {html.escape(str(row['step_name']))}</b>",
        f"责任科室：{html.escape(str(row['office'])) or '未填写'}",
        f"责任人员：{html.escape(str(row['person'])) or '未填写'}",
        f"办理时限：{row['days_text']}" + ("" if row["counted"] else f"（{UNCOUNTED_NOTE}）"),
        f"所需材料：{_wrap_list(html.escape(str(row['materials']))) or '无'}",
        f"前置环节：{html.escape(str(row['predecessors'])) or '无'}",
    ]
    if critical:
        lines.append(f"<span style='color:{CRITICAL_COLOUR}'>关键路径环节</span>")
    if flagged:
        lines.append(f"<span style='color:{FLAGGED_COLOUR}'>需关注（流程再造规则提示）</span>")
    return "<br>".join(lines)


def _arrow(
    figure: go.Figure,
    points: Sequence[tuple[float, float]],
    *,
    name: str,
    colour: str,
    width: float,
    dash: str | None = None,
) -> None:
    """An arrow along a polyline: every leg but the last a path shape, the last an annotation
    carrying the head (so each edge has one annotation named ``name``)."""
    if len(points) > 2:
        path = "M " + " L ".join(f"{x},{y}" for x, y in points[:-1])
        figure.add_shape(
            type="path", name=f"{name}:route", path=path, line={"color": colour, "width": width, "dash": dash}
        )
    (ax, ay), (x, y) = points[-2], points[-1]
    figure.add_annotation(
        name=name,
        x=x,
        y=y,
        ax=ax,
        ay=ay,
        xref="x",
        yref="y",
        axref="x",
        ayref="y",
        text="",
        showarrow=True,
        arrowhead=2,
        arrowsize=3 / (width + 1.5),  # the head scales with the line: keep heads alike
        arrowwidth=width,
        arrowcolor=colour,
        standoff=1,
    )


def _back_arrow(
    figure: go.Figure,
    tail: tuple[float, float],
    head: tuple[float, float],
    *,
    name: str,
    box_height: float,
) -> None:
    """An arrow back to an earlier step of the same band (a cycle), curving under the boxes."""
    bottom = tail[1] - box_height / 2
    dip = bottom - 0.35 - 0.08 * abs(tail[0] - head[0])
    figure.add_shape(
        type="path",
        name=f"{name}:curve",
        path=f"M {tail[0]},{bottom} C {tail[0]},{dip} {head[0]},{dip} {head[0]},{bottom - 0.12}",
        line={"color": FAIL_COLOUR, "width": 2, "dash": "dash"},
    )
    _arrow(figure, [(head[0], bottom - 0.12), (head[0], bottom)], name=name, colour=FAIL_COLOUR, width=2)


def _legend_entry(figure: go.Figure, name: str, marker: dict[str, Any], *, group: str = "") -> None:
    """A legend line with no data behind it (the boxes themselves are layout shapes)."""
    figure.add_trace(
        go.Scatter(
            x=[None],
            y=[None],
            mode="markers",
            name=name,
            marker={"symbol": "square", "size": 14, **marker},
            legendgroup=group or name,
            hoverinfo="skip",
        )
    )


def _legend_rows(names: Sequence[str], plot_px: float) -> int:
    """How many lines a horizontal legend of ``names`` takes (after its "图例：" title)."""
    room = plot_px - _text_px("图例：", _LEGEND_FONT_PX) - 10
    rows, used = 1, 0.0
    for name in names:
        width = 46 + _text_px(name, _LEGEND_FONT_PX)
        if used and used + width > room:
            rows, used = rows + 1, 0.0
        used += width
    return rows


@dataclass(frozen=True)
class _Geometry:
    """Where a flowchart's steps sit: x in columns, y in rows (a row is ``row_px`` high)."""

    positions: dict[int, tuple[float, float]]
    box: tuple[float, float]  # a box's width in columns and height in rows
    row_px: float
    band_of: dict[int, int]
    band_top: list[float]  # the top of each band's highest box
    band_bottom: list[float]  # the bottom of each band's lowest box
    x_range: tuple[float, float]
    arc_room: float  # rows below each band kept free for arrows curving back


def _arc_room(layout: _FlowLayout) -> float:
    """Rows under a band for the arcs of arrows back to an earlier step (see _back_arrow)."""
    return 0.45 + 0.08 * layout.per_band


def _geometry(
    layers: Mapping[Any, int],
    rows: dict[int, float],
    layout: _FlowLayout,
    label_lines: int,
    *,
    arcs: bool,
    wraps_back: bool,
) -> _Geometry:
    """Columns and bands for every step, and box sizes that hold ``label_lines`` lines of text.

    ``arcs``: arrows curve back under a band (a cycle), so bands stand further apart;
    ``wraps_back``: an arrow goes back to an earlier band, round a wider left margin.
    """
    box_px = label_lines * layout.font_px * _LINE_SPACING + 2 * _BOX_PADDING_PX
    row_px = box_px + _ROW_GAP_PX
    box = (_BOX_SHARE, box_px / row_px)
    arc_room = _arc_room(layout) if arcs else 0.0
    gap = _BAND_GAP_PX / row_px + arc_room
    band_of = {node: layer // layout.per_band for node, layer in layers.items()}
    # Bands stack downwards, each as tall as its own widest layer.
    band_top: list[float] = []
    band_bottom: list[float] = []
    centre: list[float] = []
    for band in range(layout.bands):
        in_band = Counter(layer for layer in layers.values() if layer // layout.per_band == band)
        half = (max(in_band.values(), default=1) - 1) / 2 + box[1] / 2
        centre.append(band_bottom[-1] - gap - half if band_bottom else 0.0)
        band_top.append(centre[-1] + half)
        band_bottom.append(centre[-1] - half)
    positions = {
        node: (float(layer % layout.per_band), centre[band_of[node]] - rows[node])
        for node, layer in layers.items()
    }
    extra = (layout.span - layout.per_band - 0.2) / 2
    x_range = (-0.6 - extra - (0.25 if wraps_back else 0.0), layout.per_band - 0.4 + extra)
    return _Geometry(positions, box, row_px, band_of, band_top, band_bottom, x_range, arc_room)


def _edge(
    figure: go.Figure,
    src: int,
    dst: int,
    geometry: _Geometry,
    *,
    backwards: bool,
    critical: bool,
) -> None:
    """One arrow of the flowchart: straight within a band; to a later band down the gap after
    the step, along the lane above that band and into the step from its left; back to an
    earlier step (a cycle) dashed red, under the boxes or round the left margin."""
    name = f"edge:{src}-{dst}"
    (xs, ys), (xd, yd) = geometry.positions[src], geometry.positions[dst]
    width, height = geometry.box
    band, target_band = geometry.band_of[src], geometry.band_of[dst]
    if backwards and band == target_band:
        _back_arrow(figure, (xs, ys), (xd, yd), name=name, box_height=height)
        return
    if backwards:
        below = geometry.band_bottom[band] - 0.2
        above = geometry.band_top[target_band] + 0.2
        margin = geometry.x_range[0] + 0.1
        points = [(xs, ys - height / 2), (xs, below), (margin, below), (margin, above), (xd, above)]
        _arrow(figure, [*points, (xd, yd + height / 2)], name=name, colour=FAIL_COLOUR, width=2, dash="dash")
        return
    colour, line = (CRITICAL_COLOUR, 3.0) if critical else (EDGE_COLOUR, 1.5)
    if band == target_band:
        _arrow(figure, [(xs + width / 2, ys), (xd - width / 2, yd)], name=name, colour=colour, width=line)
        return
    lane = (geometry.band_bottom[target_band - 1] + geometry.band_top[target_band]) / 2
    points = [(xs + width / 2, ys), (xs + 0.5, ys), (xs + 0.5, lane), (xd - 0.5, lane), (xd - 0.5, yd)]
    _arrow(figure, [*points, (xd - width / 2, yd)], name=name, colour=colour, width=line)


def process_flowchart(
    steps: pd.DataFrame,
    processes_row: pd.Series | None = None,
    *,
    flagged: Iterable[int] = frozenset(),
    title: str = "",
    width_hint: int | None = None,
) -> go.Figure:
    """One process version's steps as a left-to-right flowchart, critical path in red.

    ``steps`` holds the rows of one item and version; ``processes_row`` its row of
    :func:`approvals.graphs.critical_paths` (computed when omitted). Steps sit in columns by how
    many waits precede them; each box shows name, 责任科室 and days, is filled by office, and
    is dashed grey when its time does not count toward the limit. ``flagged`` step ids get an
    orange outline. Step boxes are shapes named ``step:<step_id>``, arrows annotations named
    ``edge:<src>-<dst>``. A process with a cycle is drawn in step order with a red note and no
    critical path; an empty table gives a figure saying "无办理环节".

    ``width_hint`` is the width in pixels the chart will be shown at (a wide canvas of about
    1000 px when omitted). Where the columns would be too narrow for their labels, the boxes
    leave the office to their colour (legend and hover keep it) and, for longer chains, the
    columns wrap into bands stacked downwards, each read left to right, an arrow leading on
    from the end of one band to the start of the next.
    """
    if steps.empty:
        return _note_figure(NO_STEPS, title or "办理流程")
    item_name, version_label = _one_process(steps)
    title = title or f"{item_name}（{version_label}）办理流程"
    steps = steps.iloc[step_order(steps)]
    order = steps["step_id"].astype(int).tolist()
    graph = process_graph(steps)
    try:
        layers = process_layers(graph)
        rows = _rows(graph, layers, order)
        cyclic = False
    except nx.NetworkXUnfeasible:
        layers = {node: i for i, node in enumerate(order)}
        rows = {node: 0.0 for node in order}
        cyclic = True
    canvas_px = float(width_hint or _WIDE_CANVAS_PX)
    plot_px = canvas_px - _SIDE_MARGINS_PX
    layout = _flow_layout(max(layers.values()) + 1, canvas_px)
    critical: list[int] = []
    if cyclic:
        subtitle, subtitle_colour = CYCLE_NOTE, CRITICAL_COLOUR
    else:
        path_row = processes_row if processes_row is not None else critical_paths(steps)[0].iloc[0]
        critical = [int(i) for i in path_row["critical_step_ids"] if int(i) in graph]
        subtitle, subtitle_colour = _duration_note(path_row, len(critical)), NEUTRAL_COLOUR
    subtitle = _fit_note(subtitle, plot_px)
    critical_set = set(critical)
    critical_edges = {pair for pair in pairwise(critical) if graph.has_edge(*pair)}
    flagged_set = {int(i) for i in flagged} & set(order)

    offices = list(dict.fromkeys(_text(steps["office"])))
    office_colour = {o: OFFICE_COLOURS[i % len(OFFICE_COLOURS)] for i, o in enumerate(offices)}
    status = _text(steps["limit_status"]) if "limit_status" in steps else pd.Series("", index=steps.index)
    table = steps.assign(
        office=_text(steps["office"]),
        step_name=_text(steps["step_name"]),
        step_no=_text(steps["step_no"]),
        person=_text(steps["person"]),
        materials=_text(steps["materials"]),
        predecessors=_text(steps["predecessors"]),
        counted=steps["counted"].fillna(True).astype(bool),
        days_text=[_days_text(d, s) for d, s in zip(steps["days"].astype(float), status, strict=True)],
    )
    table["label"] = [
        _step_label(name, office, days, counted, layout)
        for name, office, days, counted in zip(
            table["step_name"], table["office"], table["days_text"], table["counted"], strict=True
        )
    ]
    lines = max(label.count("<br>") + 1 for label in table["label"])
    backwards = [(src, dst) for src, dst in graph.edges if layers[dst] <= layers[src]]
    same_band = [layers[src] // layout.per_band == layers[dst] // layout.per_band for src, dst in backwards]
    geometry = _geometry(layers, rows, layout, lines, arcs=any(same_band), wraps_back=not all(same_band))
    positions, (box_width, box_height) = geometry.positions, geometry.box

    figure = go.Figure()
    # Critical arrows last, so they lie on top.
    for src, dst in sorted(graph.edges, key=lambda edge: (edge in critical_edges, edge)):
        _edge(
            figure,
            src,
            dst,
            geometry,
            backwards=layers[dst] <= layers[src],
            critical=(src, dst) in critical_edges,
        )

    halo = (_HALO_PX / layout.column_px, _HALO_PX / geometry.row_px)
    for row in table.itertuples(index=False):
        x, y = positions[int(row.step_id)]
        if row.counted:
            fill, line = office_colour[row.office], {"color": "#607d8b", "width": 1}
        else:
            fill, line = UNCOUNTED_FILL, {"color": UNCOUNTED_COLOUR, "width": 1.5, "dash": "dash"}
        if int(row.step_id) in critical_set:
            line = {**line, "color": CRITICAL_COLOUR, "width": 3}
        figure.add_shape(
            type="rect",
            name=f"step:{row.step_id}",
            x0=x - box_width / 2,
            x1=x + box_width / 2,
            y0=y - box_height / 2,
            y1=y + box_height / 2,
            fillcolor=fill,
            line=line,
            layer="below",
        )
        if not row.counted:  # grey says "not counted"; a strip of its office's colour keeps the office
            inset = (3 / layout.column_px, 2 / geometry.row_px)
            figure.add_shape(
                type="rect",
                name=f"office:{row.step_id}",
                x0=x - box_width / 2 + inset[0],
                x1=x + box_width / 2 - inset[0],
                y0=y + box_height / 2 - 3.5 * inset[1],
                y1=y + box_height / 2 - inset[1],
                fillcolor=office_colour[row.office],
                line={"width": 0},
                layer="below",
            )
        if int(row.step_id) in flagged_set:
            figure.add_shape(
                type="rect",
                name=f"flag:{row.step_id}",
                x0=x - box_width / 2 - halo[0],
                x1=x + box_width / 2 + halo[0],
                y0=y - box_height / 2 - halo[1],
                y1=y + box_height / 2 + halo[1],
                line={"color": FLAGGED_COLOUR, "width": 3},
                layer="below",
            )

    # One text trace per office carries the labels and the hover; markers are invisible but
    # widen the hover target to the box.
    target_px = 0.9 * min(box_width * layout.column_px, box_height * geometry.row_px)
    for office, part in table.groupby("office", sort=False):
        ids = part["step_id"].astype(int).tolist()
        hovers = [
            _step_hover(row, int(row["step_id"]) in critical_set, int(row["step_id"]) in flagged_set)
            for _, row in part.iterrows()
        ]
        figure.add_trace(
            go.Scatter(
                x=[positions[i][0] for i in ids],
                y=[positions[i][1] for i in ids],
                mode="markers+text",
                name=office or "未填写科室",
                meta="steps",
                customdata=ids,
                text=part["label"].tolist(),
                textposition="middle center",
                textfont={"size": layout.font_px, "color": TEXT_COLOUR},
                marker={"symbol": "square", "size": target_px, "opacity": 0},
                hovertext=hovers,
                hovertemplate="%{hovertext}<extra></extra>",
                legendgroup=f"office:{office}",
                showlegend=False,
            )
        )
        _legend_entry(
            figure,
            office or "未填写科室",
            {"color": office_colour[str(office)], "line": {"color": "#607d8b", "width": 1}},
            group=f"office:{office}",
        )
    legend = [office or "未填写科室" for office in offices]
    if critical_set:
        legend.append("关键路径")
        figure.add_trace(
            go.Scatter(
                x=[None], y=[None], mode="lines", name="关键路径", line={"color": CRITICAL_COLOUR, "width": 3}
            )
        )
    if not table["counted"].all():
        legend.append(UNCOUNTED_NOTE)
        _legend_entry(
            figure, UNCOUNTED_NOTE, {"color": UNCOUNTED_FILL, "line": {"color": UNCOUNTED_COLOUR, "width": 2}}
        )
    if flagged_set:
        legend.append("需关注环节")
        _legend_entry(
            figure, "需关注环节", {"symbol": "square-open", "color": FLAGGED_COLOUR, "line": {"width": 3}}
        )

    below = _Y_PADDING + geometry.arc_room
    top, bottom = geometry.band_top[0] + _Y_PADDING, geometry.band_bottom[-1] - below
    figure.update_xaxes(visible=False, range=list(geometry.x_range))
    figure.update_yaxes(visible=False, range=[bottom, top])
    figure.update_layout(hovermode="closest", legend={"title": {"text": "图例：", "font": {"size": 13}}})

    legend_rows = _legend_rows(legend, plot_px)
    margin_top, margin_bottom = _margins(subtitle, legend_below=True, legend_rows=legend_rows, x_title=False)
    height = round((top - bottom) * geometry.row_px) + margin_top + margin_bottom
    return _styled(
        figure,
        title,
        subtitle=subtitle,
        subtitle_colour=subtitle_colour,
        height=height,
        legend_below=True,
        legend_rows=legend_rows,
        x_title=False,
    )


# --- 6. before and after on one working-day axis ---------------------------------------------

_GANTT_KINDS: dict[tuple[bool, bool], str] = {
    (True, True): "关键路径环节",
    (False, True): "其他环节",
    (True, False): f"关键路径环节（{UNCOUNTED_NOTE}）",
    (False, False): f"其他环节（{UNCOUNTED_NOTE}）",
}


def _gantt_rows(schedule: pd.DataFrame, version: Version) -> pd.DataFrame:
    """One version's schedule with the y label, days and hover text of every bar."""
    label = VERSION_LABELS[version]
    table = schedule.assign(
        step_no=_text(schedule["step_no"]),
        step_name=_text(schedule["step_name"]),
        office=_text(schedule["office"]),
        counted=schedule["counted"].fillna(True).astype(bool),
        critical=schedule["critical"].fillna(False).astype(bool),
    )
    names = [
        f"{label} · {no}. {name}" if no else f"{label} · {name}"
        for no, name in zip(table["step_no"], table["step_name"], strict=True)
    ]
    seen: Counter[str] = Counter()
    unique = []
    for name in names:  # two steps written alike still get a row each
        seen[name] += 1
        unique.append(name if seen[name] == 1 else f"{name}（{seen[name]}）")
    days = table["finish"].astype(float) - table["start"].astype(float)
    hover = [
        f"<b>{html.escape(label)} · {html.escape(name)}</b><br>责任科室：{html.escape(office) or '未填写'}"
        f"<br>办理时限：{_days_text(d)}"
        + ("" if counted else f"（{UNCOUNTED_NOTE}）")
        + f"<br>第 {start:g} 至第 {finish:g} 个工作日"
        + ("<br>关键路径环节" if critical else "")
        for name, office, d, counted, start, finish, critical in zip(
            table["step_name"],
            table["office"],
            days,
            table["counted"],
            table["start"],
            table["finish"],
            table["critical"],
            strict=True,
        )
    ]
    return table.assign(category=unique, days=days, hover=hover)


def _schedule_of(frame: pd.DataFrame) -> tuple[pd.DataFrame, str]:
    """A version's schedule, from its schedule or its steps, and what to say when it has none."""
    if frame.empty:
        return frame, NO_STEPS
    if "start" in frame.columns and "finish" in frame.columns:
        return frame, NO_STEPS
    try:
        return step_schedule(frame), NO_STEPS
    except nx.NetworkXUnfeasible:
        return frame.iloc[0:0], GANTT_CYCLE_NOTE


def gantt_chart(before: pd.DataFrame, after: pd.DataFrame, *, title: str = "") -> go.Figure:
    """再造前 and 再造后 schedules as bars on one working-day axis, starting at 0.

    ``before`` and ``after`` are each one process version's steps (rows of the steps table) or
    its :func:`approvals.graphs.step_schedule`; either may be empty, and a version whose steps
    form a cycle gets a row saying so instead of bars. Bars run from start to finish, red on the
    critical path, hatched where the time does not count toward the limit; a 即办 step (0 days)
    is a diamond at its start. Each bar's customdata is its step_id.
    """
    title = title or "再造前后办理时间对比"
    (before, before_note), (after, after_note) = _schedule_of(before), _schedule_of(after)
    if before.empty and after.empty:
        both = before_note if before_note == after_note else f"{before_note}；{after_note}"
        return _note_figure(
            both, title, colour=CRITICAL_COLOUR if GANTT_CYCLE_NOTE in both else NEUTRAL_COLOUR
        )
    parts = ((Version.BEFORE, before, before_note), (Version.AFTER, after, after_note))
    tables = {v: _gantt_rows(s, v) for v, s, _ in parts if not s.empty}
    categories: list[str] = []
    placeholders: list[str] = []
    placeholder_notes: list[str] = []
    for version, schedule, note in parts:
        if schedule.empty:
            placeholders.append(VERSION_LABELS[version])
            placeholder_notes.append(f"（{note}）")
            categories.append(placeholders[-1])
        else:
            categories.extend(tables[version]["category"])
    rows = pd.concat(tables.values(), ignore_index=True)

    figure = go.Figure()
    timed = rows[rows["days"] > 0]
    for (critical, counted), name in _GANTT_KINDS.items():
        part = timed[(timed["critical"] == critical) & (timed["counted"] == counted)]
        if part.empty:
            continue
        colour = CRITICAL_COLOUR if critical else STEP_COLOUR
        marker: dict[str, Any] = {"color": colour, "line": {"color": colour, "width": 1}}
        if not counted:
            marker = {
                "color": _rgba(colour, 0.25),
                "line": {"color": colour, "width": 1.5},
                "pattern": {"shape": "/", "fgcolor": colour, "solidity": 0.3},
            }
        figure.add_trace(
            go.Bar(
                name=name,
                orientation="h",
                base=part["start"].to_numpy(dtype=float),
                x=part["days"].to_numpy(dtype=float),
                y=part["category"].tolist(),
                customdata=part["step_id"].astype(int).tolist(),
                hovertext=part["hover"].tolist(),
                hovertemplate="%{hovertext}<extra></extra>",
                marker=marker,
            )
        )
    instant = rows[rows["days"] <= 0]
    if not instant.empty:
        figure.add_trace(
            go.Scatter(
                name="即办环节（0个工作日）",
                mode="markers",
                x=instant["start"].to_numpy(dtype=float),
                y=instant["category"].tolist(),
                customdata=instant["step_id"].astype(int).tolist(),
                hovertext=instant["hover"].tolist(),
                hovertemplate="%{hovertext}<extra></extra>",
                cliponaxis=False,  # a diamond at day 0 sits on the axis
                marker={
                    "symbol": "diamond",
                    "size": 12,
                    "color": [CRITICAL_COLOUR if c else STEP_COLOUR for c in instant["critical"]],
                    "line": {"color": "white", "width": 1},
                },
            )
        )
    if placeholders:
        figure.add_trace(
            go.Scatter(
                x=[0.0] * len(placeholders),
                y=placeholders,
                mode="text",
                text=placeholder_notes,
                textposition="middle right",
                showlegend=False,
                hoverinfo="skip",
            )
        )
    n_before = len(tables[Version.BEFORE]) if Version.BEFORE in tables else 1  # or its placeholder
    figure.add_shape(
        type="line",
        name="divider",
        xref="paper",
        x0=0,
        x1=1,
        yref="y",
        y0=n_before - 0.5,
        y1=n_before - 0.5,
        line={"color": NEUTRAL_COLOUR, "width": 1, "dash": "dot"},
    )

    end = float(rows["finish"].max())
    figure.update_xaxes(title="工作日", range=[0, end * 1.05 + 0.5 if end > 0 else 1], tick0=0)
    figure.update_yaxes(
        title=None, categoryorder="array", categoryarray=categories, autorange="reversed", type="category"
    )
    figure.update_layout(barmode="overlay", bargap=0.3)
    height = max(320, 30 * len(categories) + 230)
    return _styled(figure, title, subtitle=_gantt_note(tables), height=height, legend_below=True)


def _gantt_note(tables: dict[Version, pd.DataFrame]) -> str:
    """The whole durations of both versions and how much shorter 再造后 is."""
    whole = {v: float(t["finish"].max()) for v, t in tables.items()}
    note = "全程：" + " → ".join(f"{VERSION_LABELS[v]} {_days_text(d)}" for v, d in whole.items())
    before, after = whole.get(Version.BEFORE), whole.get(Version.AFTER)
    if before and after is not None:
        note += f"（缩短 {_percent((before - after) / before)}）"
    return note


# --- legal basis tiers -------------------------------------------------------------------------


def legal_tier_chart(breakdown: pd.DataFrame, title: str = "设定依据层级") -> go.Figure:
    """Items by the highest tier of their 设定依据 (one group of
    :func:`approvals.legal.tier_breakdown`): green the tiers that may set a licence, red-orange
    the ones that may not; each bar says its count and share."""
    if breakdown.empty:
        return _note_figure("没有事项", title)
    table = breakdown.iloc[::-1]  # the highest tier at the top
    colours = [PASS_COLOUR if may else FAIL_COLOUR for may in table["may_set"]]
    figure = go.Figure(
        go.Bar(
            x=table["items"],
            y=table["label"],
            orientation="h",
            marker_color=colours,
            text=[f"{n} 项（{_percent(s)}）" for n, s in zip(table["items"], table["share"], strict=True)],
            textposition="auto",
            hovertemplate="%{y}：%{x} 项<extra></extra>",
            showlegend=False,
        )
    )
    for name, colour in (("可以设定行政许可", PASS_COLOUR), ("不得设定行政许可", FAIL_COLOUR)):
        _legend_entry(figure, name, {"color": colour, "symbol": "square", "size": 12})
    figure.update_xaxes(title_text="事项数（项）")
    figure.update_yaxes(title_text="")
    subtitle = (
        "《行政许可法》第十四至十七条：仅法律、行政法规、国务院决定、地方性法规和省级政府规章可以设定行政许可"
    )
    return _styled(
        figure, title, subtitle=subtitle, height=120 + 44 * len(table), legend_below=True, legend_rows=1
    )
