"""Charts of the clean-up: 精简率 by department, where the items went, limits, legal-basis tiers."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd
import plotly.graph_objects as go

from approvals.charts.flowlayout import text_px
from approvals.charts.style import (
    AFTER_COLOUR,
    BEFORE_COLOUR,
    DECISION_COLOURS,
    EDGE_COLOUR,
    FAIL_COLOUR,
    FONT_FAMILY,
    NEUTRAL_COLOUR,
    PASS_COLOUR,
    TEXT_COLOUR,
    UNCOUNTED_COLOUR,
    _legend_entry,
    _margins,
    _note_figure,
    _percent,
    _rgba,
    _styled,
    _text,
    markup,
)
from approvals.figures.rates import meets
from approvals.model import DECISION_LABELS, UNSPECIFIED_GROUP, Counts, Decision

# What each bar of department_rates_chart carries as customdata, in this order; a click
# selection's point gives the department back as ``point["customdata"][0]``; the last is the
# department's name as the hover shows it (escaped: plotly reads hover text as HTML).
DEPARTMENT_CUSTOMDATA: tuple[str, ...] = (
    "department", "before", "retained", "streamlined", "undecided", "shown_name"
)  # fmt: skip


def department_rates_chart(departments: pd.DataFrame, target: float | None) -> go.Figure:
    """精简率 of every department as horizontal bars, highest on top, green where the target is met.

    ``departments`` is ``figures(items, "department")``. Each bar's customdata is
    ``[department, before, retained, streamlined, undecided, shown_name]`` (see DEPARTMENT_CUSTOMDATA), so a
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
    table = table.assign(shown_name=[markup(g) for g in table["group"]])
    customdata = table[["group", *DEPARTMENT_CUSTOMDATA[1:]]].to_numpy(dtype=object)
    show_undecided = bool((table["undecided"] > 0).any())
    hover = (
        "<b>%{customdata[5]}</b><br>清理前：%{customdata[1]}项<br>保留：%{customdata[2]}项"
        "<br>精简：%{customdata[3]}项"
        + ("<br>未决定：%{customdata[4]}项" if show_undecided else "")
        + "<br>精简率：%{x:.2%}<extra></extra>"
    )
    rate = table["streamlining_rate"].to_numpy(dtype=float)
    if target is None:
        groups = [("精简率", NEUTRAL_COLOUR, np.ones(len(table), dtype=bool))]
    else:
        met = meets(rate, target)
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
    # the names stay the bars' values (a click gives them back); their labels are escaped
    figure.update_yaxes(
        categoryorder="array", categoryarray=table["group"].tolist(), title=None,
        tickmode="array", tickvals=table["group"].tolist(), ticktext=table["shown_name"].tolist(),
    )  # fmt: skip
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
        notes.append(f"{int(meets(rate, target).sum())} / {len(table)} 个部门达到目标")
    if missing:
        notes.append(f"另有 {missing} 个部门未作清理决定，不计算精简率")
    figure.update_layout(
        bargap=0.25, legend={"orientation": "h", "x": 1, "xanchor": "right", "y": 1, "yanchor": "bottom"}
    )
    return _styled(figure, title, subtitle="；".join(notes), height=max(320, 26 * len(table) + 190))


_SANKEY_PLOT_PX = 462  # the overview shows it in half the main area (about 510 px) less margins


_SANKEY_THICKNESS_PX = 18


_SANKEY_PAD_PX = 20


_SANKEY_FONT_PX = 13


_SANKEY_SMALLEST_FONT_PX = 11  # labels shrink this far to stand clear of their neighbours


_SANKEY_LABEL_GAP_PX = 16  # plotly sets a label 3 px off its node; this leaves a margin besides


_HALO = "0 0 3px #fff, 0 0 3px #fff, 0 0 2px #fff"  # a CSS text shadow: white all round


def _decision_classes(items: pd.DataFrame) -> pd.Series:
    """Each item's decision class; an item of a list without decisions is 保留 (a current catalog)."""
    decision = items["decision"]
    decision = decision.where(decision.isin([str(d) for d in Decision]), str(Decision.UNDECIDED))
    return decision.where(items["has_decision"], str(Decision.RETAINED))


def decision_sankey(items: pd.DataFrame) -> go.Figure:
    """Items flowing from "清理前事项" through their list (category) to the decision taken.

    Link values are item counts; every node's label carries its count. Items of a list without a
    decision column (a current catalog) flow to 保留, whose label then says how many of them were
    never decided. 合并 holds every merged item, the one a merge keeps included.
    """
    title = "事项清理去向"
    if items.empty:
        return _note_figure("没有事项", title)
    category = items["category"].replace("", UNSPECIFIED_GROUP)
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
    undecided_lists = int((~items["has_decision"]).sum())

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

    shown = [markup(name) for name in names]  # plotly reads node and hover text as HTML
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
                "label": [markup(label) for label in labels],
                "color": colours,
                "customdata": shown,
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
                "customdata": [[shown[s], shown[t]] for s, t in zip(sources, targets, strict=True)],
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
            max((text_px(t, font) for t in column), default=0.0) for column in labels
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
    before, after = items["before_days"], items["after_days"]
    counted = (items["counts_as"] == Counts.RETAINED) & before.notna() & after.notna()
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


# The three kinds of tier the legal-basis chart colours, in legend order.
TIER_KINDS: tuple[tuple[str, str], ...] = (
    ("可以设定行政许可", PASS_COLOUR),
    ("不得设定行政许可", FAIL_COLOUR),
    ("未填写或待核实", UNCOUNTED_COLOUR),
)
TIER_BAR_PX = 44  # the height of one tier's row: one bar per tier, however few there are


def legal_tier_chart(breakdown: pd.DataFrame, title: str = "设定依据层级") -> go.Figure:
    """Items by the highest tier of their 设定依据 (one group of
    :func:`approvals.redesign.legal.tier_breakdown`): one horizontal bar per tier, the highest
    tier on top, each saying its count and share; green the tiers that may set a licence,
    red-orange those that may not, grey 未填写 and 待核实 (nothing is known of their basis, so they
    are neither). The figure grows with the tiers, so even one or two keep readable rows."""
    if breakdown.empty:
        return _note_figure("没有事项", title)
    kinds = np.where(breakdown["may_set"].astype(bool), 0, np.where(breakdown["weak"].astype(bool), 1, 2))
    labels = breakdown["label"].astype("str").tolist()
    counts = breakdown["items"].astype("int64").tolist()
    figure = go.Figure(
        go.Bar(
            x=counts,
            y=labels,
            orientation="h",
            marker_color=[TIER_KINDS[k][1] for k in kinds],
            text=[f"{n} 项（{_percent(s)}）" for n, s in zip(counts, breakdown["share"], strict=True)],
            textposition="outside",
            cliponaxis=False,
            customdata=[TIER_KINDS[k][0] for k in kinds],
            hovertemplate="%{y}：%{x} 项（%{customdata}）<extra></extra>",
            showlegend=False,
        )
    )
    for kind in sorted(set(kinds.tolist())):
        name, colour = TIER_KINDS[kind]
        _legend_entry(figure, name, {"color": colour, "symbol": "square", "size": 12})
    # room right of the longest bar for its count
    figure.update_xaxes(title_text="事项数（项）", range=[0, max(counts) * 1.3], rangemode="tozero")
    figure.update_yaxes(
        title_text="", type="category", categoryorder="array", categoryarray=labels[::-1], ticksuffix=" "
    )
    figure.update_layout(bargap=0.3)
    subtitle = (
        "《行政许可法》第十四至十七条：仅法律、行政法规、国务院决定、地方性法规和省级政府规章可以设定行政许可"
    )
    top, bottom = _margins(subtitle, legend_below=True, legend_rows=1)
    return _styled(
        figure,
        title,
        subtitle=subtitle,
        height=top + bottom + TIER_BAR_PX * len(labels) + 24,
        legend_below=True,
        legend_rows=1,
    )
