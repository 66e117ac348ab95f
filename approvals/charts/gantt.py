"""Before and after on one working-day axis: the timeline of a process."""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping

import networkx as nx
import pandas as pd
import plotly.graph_objects as go

from approvals.charts.flowchart import NO_STEPS
from approvals.charts.flowlayout import legend_rows
from approvals.charts.style import (
    CRITICAL_COLOUR,
    NEUTRAL_COLOUR,
    OFFICE_LINE_COLOUR,
    UNCOUNTED_COLOUR,
    UNCOUNTED_NOTE,
    _days_text,
    _legend_entry,
    _note_figure,
    _percent,
    _styled,
    _text,
    markup,
)
from approvals.charts.style import office_colours as office_colour_map
from approvals.model import VERSION_LABELS, Version
from approvals.processes.graph import step_schedule

GANTT_CYCLE_NOTE = "流程存在循环，无法排出时间线"


CRITICAL_NOTE = "关键路径环节（红框）"


INSTANT_NOTE = "即办环节（0个工作日）"


NO_OFFICE = "未填写科室"


LEGEND_PX = 950  # the timeline spans the page: about this wide inside its margins


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
        f"<b>{markup(label)} · {markup(name)}</b><br>责任科室：{markup(office) or '未填写'}"
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
    # plotly reads an axis label as HTML: the names a file brought are escaped for it
    return table.assign(category=[markup(c) for c in unique], days=days, hover=hover)


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


def gantt_chart(
    before: pd.DataFrame,
    after: pd.DataFrame,
    *,
    title: str = "",
    office_colours: Mapping[str, str] | None = None,
) -> go.Figure:
    """再造前 and 再造后 schedules as bars on one working-day axis, starting at 0.

    ``before`` and ``after`` are each one process version's steps (rows of the steps table) or
    its :func:`approvals.graphs.step_schedule`; either may be empty, and a version whose steps
    form a cycle gets a row saying so instead of bars. Bars run from start to finish, filled
    with their office's colour (``office_colours``, the map the item's flowcharts get; offices
    it lacks take the next colours), outlined red on the critical path, hatched where the time
    does not count toward the limit; a 即办 step (0 days) is a diamond at its start. Each bar's
    customdata is its step_id.
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
    colours = office_colour_map(rows["office"], given=office_colours)
    timed = rows[rows["days"] > 0]
    for office, part in timed.groupby("office", sort=False):
        critical, counted = part["critical"].tolist(), part["counted"].tolist()
        figure.add_trace(
            go.Bar(
                name=markup(office) or NO_OFFICE,
                meta="steps",
                orientation="h",
                base=part["start"].to_numpy(dtype=float),
                x=part["days"].to_numpy(dtype=float),
                y=part["category"].tolist(),
                customdata=part["step_id"].astype(int).tolist(),
                hovertext=part["hover"].tolist(),
                hovertemplate="%{hovertext}<extra></extra>",
                marker={
                    "color": colours[str(office)],
                    "line": {
                        "color": [CRITICAL_COLOUR if c else OFFICE_LINE_COLOUR for c in critical],
                        "width": [3 if c else 1 for c in critical],
                    },
                    "pattern": {
                        "shape": ["" if c else "/" for c in counted],
                        "fgcolor": UNCOUNTED_COLOUR,
                        "solidity": 0.35,
                    },
                },
                legendgroup=f"office:{office}",
                showlegend=False,
            )
        )
    instant = rows[rows["days"] <= 0]
    if not instant.empty:
        figure.add_trace(
            go.Scatter(
                name=INSTANT_NOTE,
                meta="steps",
                mode="markers",
                x=instant["start"].to_numpy(dtype=float),
                y=instant["category"].tolist(),
                customdata=instant["step_id"].astype(int).tolist(),
                hovertext=instant["hover"].tolist(),
                hovertemplate="%{hovertext}<extra></extra>",
                cliponaxis=False,  # a diamond at day 0 sits on the axis
                marker={
                    "symbol": "diamond",
                    "size": 13,
                    "color": [colours[str(o)] for o in instant["office"]],
                    "line": {
                        "color": [CRITICAL_COLOUR if c else OFFICE_LINE_COLOUR for c in instant["critical"]],
                        "width": [2.5 if c else 1 for c in instant["critical"]],
                    },
                },
                showlegend=False,
            )
        )
    legend = _gantt_legend(figure, rows, colours)
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
    rows_of_legend = legend_rows(legend, LEGEND_PX)
    height = max(320, 30 * len(categories) + 182 + 24 * rows_of_legend)
    return _styled(
        figure,
        title,
        subtitle=_gantt_note(tables),
        height=height,
        legend_below=True,
        legend_rows=rows_of_legend,
    )


def _gantt_legend(figure: go.Figure, rows: pd.DataFrame, colours: Mapping[str, str]) -> list[str]:
    """Legend lines for the offices drawn, then for what an outline, a hatch or a diamond means;
    the names, to count the legend's lines."""
    names = []
    for office in dict.fromkeys(rows["office"]):
        name = str(office) or NO_OFFICE
        marker = {"color": colours[str(office)], "line": {"color": OFFICE_LINE_COLOUR, "width": 1}}
        _legend_entry(figure, name, marker, group=f"office:{office}")
        names.append(name)
    if rows["critical"].any():
        _legend_entry(
            figure, CRITICAL_NOTE, {"symbol": "square-open", "color": CRITICAL_COLOUR, "line": {"width": 3}}
        )
        names.append(CRITICAL_NOTE)
    if not rows["counted"].all():
        figure.add_trace(
            go.Bar(  # a bar of no length: only a bar's legend line shows the hatch
                name=UNCOUNTED_NOTE,
                orientation="h",
                x=[None],
                y=[None],
                marker={
                    "color": "white",
                    "line": {"color": OFFICE_LINE_COLOUR, "width": 1},
                    "pattern": {"shape": "/", "fgcolor": UNCOUNTED_COLOUR, "solidity": 0.35},
                },
                hoverinfo="skip",
            )
        )
        names.append(UNCOUNTED_NOTE)
    if rows["days"].le(0).any():
        _legend_entry(
            figure,
            INSTANT_NOTE,
            {"symbol": "diamond", "color": "white", "line": {"color": OFFICE_LINE_COLOUR, "width": 1}},
        )
        names.append(INSTANT_NOTE)
    return names


def _gantt_note(tables: dict[Version, pd.DataFrame]) -> str:
    """The whole durations of both versions and how much shorter 再造后 is."""
    whole = {v: float(t["finish"].max()) for v, t in tables.items()}
    note = "全程：" + " → ".join(f"{VERSION_LABELS[v]} {_days_text(d)}" for v, d in whole.items())
    before, after = whole.get(Version.BEFORE), whole.get(Version.AFTER)
    if before and after is not None:
        note += f"（缩短 {_percent((before - after) / before)}）"
    return note
