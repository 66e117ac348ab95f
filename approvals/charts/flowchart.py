"""One process version as a left-to-right flowchart, critical path in red.

Where the boxes and arrows go is :mod:`approvals.charts.flowlayout`'s; this module says what they
show (labels, hover, colours, legend, subtitle) and draws them with plotly.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from itertools import pairwise

import pandas as pd
import plotly.graph_objects as go

from approvals.charts.flowlayout import (
    Arrow,
    ArrowKind,
    Label,
    Point,
    StepText,
    flow_layout,
    place_steps,
    text_px,
)
from approvals.charts.style import (
    CRITICAL_COLOUR,
    DAY_TOLERANCE,
    EDGE_COLOUR,
    FAIL_COLOUR,
    FLAGGED_COLOUR,
    NEUTRAL_COLOUR,
    OFFICE_LINE_COLOUR,
    TEXT_COLOUR,
    UNCOUNTED_COLOUR,
    UNCOUNTED_FILL,
    UNCOUNTED_NOTE,
    _days_text,
    _legend_entry,
    _margins,
    _note_figure,
    _styled,
    _wrap_list,
    markup,
)
from approvals.charts.style import office_colours as office_colour_map
from approvals.model import VERSION_LABELS
from approvals.processes.graph import process_graph, step_order
from approvals.processes.paths import critical_paths, step_edges

NO_STEPS = "无办理环节"


CYCLE_NOTE = "流程存在循环，无法计算关键路径"


MAX_DRAWN_STEPS = 60
MAX_DRAWN_ARROWS = 120
"""A process of more steps or arrows is not drawn: its boxes could not be read at any size, and
plotly adds every box and arrow one by one (time grows with the square of their number:
60 steps with 180 arrows took half a minute). Real processes have 3-30
steps."""

TOO_MANY_STEPS = (
    "流程共有 {n:,} 个环节、{e:,} 条前后关系，超过可画出的 {most} 个环节、{arrows} 条前后关系，"
    "图中无法看清，未画出流程图；请在环节表中查看各环节"
)


_HALO_PX = 5  # how far a flagged step's orange outline stands off its box


def _too_many(steps: int, arrows: int) -> str:
    return TOO_MANY_STEPS.format(n=steps, e=arrows, most=MAX_DRAWN_STEPS, arrows=MAX_DRAWN_ARROWS)


def _one_process(steps: pd.DataFrame) -> tuple[str, str]:
    """The item name and version label of a steps table that must hold one process."""
    keys = steps[["item_id", "version"]].drop_duplicates()
    if len(keys) > 1:
        raise ValueError(f"流程图一次只画一个事项的一个版本，收到 {len(keys)} 个")
    version = str(steps["version"].iloc[0])
    return str(steps["item_name"].iloc[0]), VERSION_LABELS.get(version, version)


def _duration_note(processes_row: pd.Series, path_steps: int) -> str:
    """The flowchart's subtitle: the critical path (time the limit covers) and the whole wait."""
    timed = float(processes_row["critical_path_days"])
    whole = float(processes_row["whole_duration_days"])
    note = f"关键路径（计入时限）{_days_text(timed)}，经 {path_steps} 个环节；全程 {_days_text(whole)}"
    if whole - timed > DAY_TOLERANCE:
        note += f"（其中 {_days_text(whole - timed)}{UNCOUNTED_NOTE}）"
    return note


def _fit_note(note: str, max_px: float, font_px: float = 13) -> str:
    """A subtitle too long for the width broken after its "；" (each part on a line of its own).

    >>> _fit_note("关键路径 3个工作日；全程 5个工作日", 120)
    '关键路径 3个工作日<br>全程 5个工作日'
    """
    if text_px(note, font_px) <= max_px:
        return note
    return "<br>".join(part for part in note.split("；") if part)


def _step_hover(row: pd.Series, critical: bool, flagged: bool) -> str:
    lines = [
        f"<b>{markup(row['step_no'])}. {markup(row['step_name'])}</b>",
        f"责任科室：{markup(row['office']) or '未填写'}",
        f"责任人员：{markup(row['person']) or '未填写'}",
        f"办理时限：{row['days_text']}" + ("" if row["counted"] else f"（{UNCOUNTED_NOTE}）"),
        f"所需材料：{_wrap_list(markup(row['materials'])) or '无'}",
        f"前置环节：{markup(row['predecessors']) or '无'}",
    ]
    if critical:
        lines.append(f"<span style='color:{CRITICAL_COLOUR}'>关键路径环节</span>")
    if flagged:
        lines.append(f"<span style='color:{FLAGGED_COLOUR}'>需关注（流程再造规则提示）</span>")
    return "<br>".join(lines)


def _label_text(label: Label) -> str:
    """A box's text: the step's name in bold, its office (unless compact), its days, and a note
    where its time does not count toward the limit."""
    lines = [f"<b>{markup(line)}</b>" for line in label.name]
    lines += [markup(line) for line in label.office]
    lines += label.days
    if label.uncounted:
        lines.append(f"<i>{UNCOUNTED_NOTE}</i>")
    return "<br>".join(lines)


def _arrow(
    figure: go.Figure,
    points: Sequence[Point],
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


def _edge(figure: go.Figure, arrow: Arrow, *, critical: bool) -> None:
    """One arrow of the flowchart: grey, or red and thicker on the critical path; back to an
    earlier step (a cycle) dashed red, curving under the boxes or round the left margin."""
    name = f"edge:{arrow.src}-{arrow.dst}"
    if arrow.kind == ArrowKind.BACK_IN_BAND:
        (x0, y0), (x1, y1), (x2, y2), (x3, y3), head = arrow.points
        figure.add_shape(
            type="path",
            name=f"{name}:curve",
            path=f"M {x0},{y0} C {x1},{y1} {x2},{y2} {x3},{y3}",
            line={"color": FAIL_COLOUR, "width": 2, "dash": "dash"},
        )
        _arrow(figure, [(x3, y3), head], name=name, colour=FAIL_COLOUR, width=2)
    elif arrow.kind == ArrowKind.EARLIER_BAND:
        _arrow(figure, arrow.points, name=name, colour=FAIL_COLOUR, width=2, dash="dash")
    else:
        colour, line = (CRITICAL_COLOUR, 3.0) if critical else (EDGE_COLOUR, 1.5)
        _arrow(figure, arrow.points, name=name, colour=colour, width=line)


def process_flowchart(
    steps: pd.DataFrame,
    processes_row: pd.Series | None = None,
    *,
    flagged: Iterable[int] = frozenset(),
    title: str = "",
    width_hint: int | None = None,
    office_colours: Mapping[str, str] | None = None,
) -> go.Figure:
    """One process version's steps as a left-to-right flowchart, critical path in red.

    ``steps`` holds the rows of one item and version; ``processes_row`` its row of
    :func:`approvals.processes.paths.critical_paths` (computed when omitted). Steps sit in columns by how
    many waits precede them; each box shows name, 责任科室 and days, is filled by office, and
    is dashed grey when its time does not count toward the limit. ``flagged`` step ids get an
    orange outline. Step boxes are shapes named ``step:<step_id>``, arrows annotations named
    ``edge:<src>-<dst>``. A process with a cycle is drawn in step order with a red note and no
    critical path; an empty table gives a figure saying "无办理环节", and one of more than
    ``MAX_DRAWN_STEPS`` steps or ``MAX_DRAWN_ARROWS`` arrows a figure saying in Chinese that it
    is not drawn.

    ``width_hint`` is the width in pixels the chart will be shown at (a wide canvas of about
    1000 px when omitted). Where the columns would be too narrow for their labels, the boxes
    leave the office to their colour (legend and hover keep it) and, for longer chains, the
    columns wrap into bands stacked downwards, each read left to right, an arrow leading on
    from the end of one band to the start of the next.

    ``office_colours`` (from :func:`approvals.charts.style.office_colours` over all the item's
    offices) fills each office's boxes with the colour its other charts give it; offices it
    lacks, or all of them when omitted, take the next colours in step order.
    """
    if steps.empty:
        return _note_figure(NO_STEPS, title or "办理流程")
    item_name, version_label = _one_process(steps)
    title = title or f"{item_name}（{version_label}）办理流程"
    if len(steps) > MAX_DRAWN_STEPS * 10:  # not even worth building the graph to count its arrows
        return _note_figure(_too_many(len(steps), len(step_edges(steps))), title)
    steps = steps.iloc[step_order(steps)]
    order = steps["step_id"].astype(int).tolist()
    graph = process_graph(steps)
    if len(steps) > MAX_DRAWN_STEPS or graph.number_of_edges() > MAX_DRAWN_ARROWS:
        return _note_figure(_too_many(len(steps), graph.number_of_edges()), title)
    placement = place_steps(graph, order)
    critical: list[int] = []
    if placement.cyclic:
        subtitle, subtitle_colour = CYCLE_NOTE, CRITICAL_COLOUR
    else:
        path_row = processes_row if processes_row is not None else critical_paths(steps)[0].iloc[0]
        critical = [int(i) for i in path_row["critical_step_ids"] if int(i) in graph]
        subtitle, subtitle_colour = _duration_note(path_row, len(critical)), NEUTRAL_COLOUR
    critical_set = set(critical)
    critical_edges = {pair for pair in pairwise(critical) if graph.has_edge(*pair)}
    flagged_set = {int(i) for i in flagged} & set(order)

    offices = list(dict.fromkeys(steps["office"]))
    office_colour = office_colour_map(offices, given=office_colours)
    table = steps.assign(
        days_text=[_days_text(d, s) for d, s in zip(steps["days"], steps["limit_status"], strict=True)]
    )
    texts = {
        int(step_id): StepText(name, office, days, bool(counted))
        for step_id, name, office, days, counted in zip(
            table["step_id"],
            table["step_name"],
            table["office"],
            table["days_text"],
            table["counted"],
            strict=True,
        )
    }
    legend = [office or "未填写科室" for office in offices]
    legend += ["关键路径"] if critical_set else []
    legend += [UNCOUNTED_NOTE] if not table["counted"].all() else []
    legend += ["需关注环节"] if flagged_set else []
    layout = flow_layout(graph, placement, texts, canvas_px=width_hint, legend=legend)
    subtitle = _fit_note(subtitle, layout.plot_px)
    table["label"] = [_label_text(layout.labels[int(i)]) for i in table["step_id"]]

    figure = go.Figure()
    # Critical arrows last, so they lie on top.
    for arrow in sorted(layout.arrows, key=lambda a: ((a.src, a.dst) in critical_edges, (a.src, a.dst))):
        _edge(figure, arrow, critical=(arrow.src, arrow.dst) in critical_edges)

    column_px, row_px = layout.column_px, layout.row_px
    halo = (_HALO_PX / column_px, _HALO_PX / row_px)
    for row in table.itertuples(index=False):
        box = layout.boxes[int(row.step_id)]
        if row.counted:
            fill, line = office_colour[row.office], {"color": OFFICE_LINE_COLOUR, "width": 1}
        else:
            fill, line = UNCOUNTED_FILL, {"color": UNCOUNTED_COLOUR, "width": 1.5, "dash": "dash"}
        if int(row.step_id) in critical_set:
            line = {**line, "color": CRITICAL_COLOUR, "width": 3}
        figure.add_shape(
            type="rect",
            name=f"step:{row.step_id}",
            x0=box.left,
            x1=box.right,
            y0=box.bottom,
            y1=box.top,
            fillcolor=fill,
            line=line,
            layer="below",
        )
        if not row.counted:  # grey says "not counted"; a strip of its office's colour keeps the office
            inset = (3 / column_px, 2 / row_px)
            figure.add_shape(
                type="rect",
                name=f"office:{row.step_id}",
                x0=box.left + inset[0],
                x1=box.right - inset[0],
                y0=box.top - 3.5 * inset[1],
                y1=box.top - inset[1],
                fillcolor=office_colour[row.office],
                line={"width": 0},
                layer="below",
            )
        if int(row.step_id) in flagged_set:
            figure.add_shape(
                type="rect",
                name=f"flag:{row.step_id}",
                x0=box.left - halo[0],
                x1=box.right + halo[0],
                y0=box.bottom - halo[1],
                y1=box.top + halo[1],
                line={"color": FLAGGED_COLOUR, "width": 3},
                layer="below",
            )

    # One text trace per office carries the labels and the hover; markers are invisible but
    # widen the hover target to the box.
    some_box = next(iter(layout.boxes.values()))
    target_px = 0.9 * min(some_box.width * column_px, some_box.height * row_px)
    for office, part in table.groupby("office", sort=False):
        ids = part["step_id"].astype(int).tolist()
        hovers = [
            _step_hover(row, int(row["step_id"]) in critical_set, int(row["step_id"]) in flagged_set)
            for _, row in part.iterrows()
        ]
        figure.add_trace(
            go.Scatter(
                x=[layout.boxes[i].x for i in ids],
                y=[layout.boxes[i].y for i in ids],
                mode="markers+text",
                name=markup(office) or "未填写科室",
                meta="steps",
                customdata=ids,
                text=part["label"].tolist(),
                textposition="middle center",
                textfont={"size": layout.columns.font_px, "color": TEXT_COLOUR},
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
            {"color": office_colour[str(office)], "line": {"color": OFFICE_LINE_COLOUR, "width": 1}},
            group=f"office:{office}",
        )
    if critical_set:
        figure.add_trace(
            go.Scatter(
                x=[None], y=[None], mode="lines", name="关键路径", line={"color": CRITICAL_COLOUR, "width": 3}
            )
        )
    if not table["counted"].all():
        _legend_entry(
            figure, UNCOUNTED_NOTE, {"color": UNCOUNTED_FILL, "line": {"color": UNCOUNTED_COLOUR, "width": 2}}
        )
    if flagged_set:
        _legend_entry(
            figure, "需关注环节", {"symbol": "square-open", "color": FLAGGED_COLOUR, "line": {"width": 3}}
        )

    figure.update_xaxes(visible=False, range=list(layout.x_range))
    figure.update_yaxes(visible=False, range=list(layout.y_range))
    figure.update_layout(hovermode="closest", legend={"title": {"text": "图例：", "font": {"size": 13}}})

    margin_top, margin_bottom = _margins(
        subtitle, legend_below=True, legend_rows=layout.legend_rows, x_title=False
    )
    return _styled(
        figure,
        title,
        subtitle=subtitle,
        subtitle_colour=subtitle_colour,
        height=layout.plot_height_px + margin_top + margin_bottom,
        legend_below=True,
        legend_rows=layout.legend_rows,
        x_title=False,
    )
