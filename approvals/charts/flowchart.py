"""One process version as a left-to-right flowchart, critical path in red."""

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

from approvals.charts.style import (
    _TOLERANCE,
    CRITICAL_COLOUR,
    EDGE_COLOUR,
    FAIL_COLOUR,
    FLAGGED_COLOUR,
    NEUTRAL_COLOUR,
    OFFICE_COLOURS,
    TEXT_COLOUR,
    UNCOUNTED_COLOUR,
    UNCOUNTED_FILL,
    UNCOUNTED_NOTE,
    _days_text,
    _legend_entry,
    _margins,
    _note_figure,
    _styled,
    _text,
    _text_px,
    _wrap_list,
)
from approvals.model import VERSION_LABELS
from approvals.processes.graph import process_graph, process_layers, step_order
from approvals.processes.paths import critical_paths

NO_STEPS = "无办理环节"


CYCLE_NOTE = "流程存在循环，无法计算关键路径"


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
