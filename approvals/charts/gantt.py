"""Before and after on one working-day axis: the timeline of a process."""

from __future__ import annotations

import html
from collections import Counter
from typing import Any

import networkx as nx
import pandas as pd
import plotly.graph_objects as go

from approvals.charts.flowchart import NO_STEPS
from approvals.charts.style import (
    CRITICAL_COLOUR,
    NEUTRAL_COLOUR,
    STEP_COLOUR,
    UNCOUNTED_NOTE,
    _days_text,
    _note_figure,
    _percent,
    _rgba,
    _styled,
    _text,
)
from approvals.model import VERSION_LABELS, Version
from approvals.processes.graph import step_schedule

GANTT_CYCLE_NOTE = "流程存在循环，无法排出时间线"


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
