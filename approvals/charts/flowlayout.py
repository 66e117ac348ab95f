"""Where the boxes and arrows of a process flowchart go: the layout, without drawing anything.

Steps sit in columns by how many waits precede them (one layer per column), parallel steps one
above the other. The chart is laid out for the width it will be shown at: a column per layer
while the columns stay wide enough for their labels, else the chain wraps into bands stacked top
to bottom, each read left to right like a line of text. Where the fewest bands that fit would
leave the columns too narrow for the office, the boxes leave it out (compact labels). Every box
is as tall as the longest label needs. Arrows run straight within a band, on to a later band
down the gap after the step and along the lane above that band, and, in a process with a cycle,
back to an earlier step: under the band, or round the left margin to an earlier band.

Coordinates: x in columns (the first column at 0), y in rows (``row_px`` high, upwards; the first
band's centre at 0, later bands below). Sizes named ``*_px`` are screen pixels.
:func:`flow_layout` returns plain data (boxes, arrows as points, label lines, plot ranges and
height) that :mod:`approvals.charts.flowchart` draws.

May import: numpy, pandas, networkx and approvals below the charts; never plotly or streamlit.
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from enum import StrEnum
from typing import cast

import networkx as nx
import numpy as np

from approvals.processes.graph import process_layers

Point = tuple[float, float]


WIDE_CANVAS_PX = 1000  # assumed without a width hint: the app's main area, a report page


SIDE_MARGINS_PX = 48  # the figure's left and right margins (approvals.charts.style._styled)


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


_NAME_LINES = 3  # a longer step name is cut with "…" (the hover has it whole)


_OFFICE_LINES = 2


_LINE_SPACING = 1.3  # plotly's line height, in font sizes


_LEGEND_FONT_PX = 13


# --- text -------------------------------------------------------------------------------------


def text_px(text: str, font_px: float) -> float:
    """A label's rough width: a Chinese character is a font size wide, Latin and digits 0.6.

    >>> text_px("受理", 12), text_px("10个工作日", 10)
    (24.0, 52.0)
    """
    return sum(float(font_px) if ord(c) > 0x2E7F else 0.6 * font_px for c in text)


def split_lines(text: str, max_px: float, font_px: float, max_lines: int) -> list[str]:
    """Cut text into as few lines of equal length as fit ``max_px`` (Chinese has no spaces);
    beyond ``max_lines`` the last line ends in "…".

    >>> split_lines("合法性审查", 60, 12, 3), split_lines("受理审查决定", 48, 12, 3)
    (['合法性审查'], ['受理审', '查决定'])
    >>> split_lines("一二三四五六七八九", 24, 12, 2)
    ['一二', '三…']
    """
    if not text:
        return []
    count = 1
    while True:
        size = math.ceil(len(text) / count)
        parts = [text[i : i + size] for i in range(0, len(text), size)]
        if size == 1 or all(text_px(p, font_px) <= max_px for p in parts):
            break
        count += 1
    if len(parts) > max_lines:
        parts = [*parts[: max_lines - 1], parts[max_lines - 1][:-1] + "…"]
    return parts


def days_lines(days_text: str, max_px: float, font_px: float) -> list[str]:
    """A step's days on one line ("3个工作日"), or the number above "个工作日" when too narrow.

    >>> days_lines("10个工作日", 70, 12), days_lines("10个工作日", 60, 12), days_lines("即办", 20, 12)
    (['10个工作日'], ['10', '个工作日'], ['即办'])
    """
    if text_px(days_text, font_px) <= max_px or "个" not in days_text:
        return [days_text]
    number, _, unit = days_text.partition("个")
    return [number, "个" + unit]


def legend_rows(names: Sequence[str], plot_px: float) -> int:
    """How many lines a horizontal legend of ``names`` takes (after its "图例：" title).

    >>> legend_rows(["行政审批科", "关键路径"], 472), legend_rows(["行政审批科"] * 6, 472)
    (1, 2)
    """
    room = plot_px - text_px("图例：", _LEGEND_FONT_PX) - 10
    rows, used = 1, 0.0
    for name in names:
        width = 46 + text_px(name, _LEGEND_FONT_PX)
        if used and used + width > room:
            rows, used = rows + 1, 0.0
        used += width
    return rows


# --- columns and bands --------------------------------------------------------------------------


@dataclass(frozen=True)
class Columns:
    """How a flowchart fits the width it is shown at: columns per band, bands, full or compact
    labels, and how wide a column is."""

    per_band: int
    bands: int
    compact: bool  # boxes leave the office out
    span: float  # columns across the plot: at least per_band + 0.2 (0.6 of margin either side)
    column_px: float

    @property
    def font_px(self) -> int:
        return _COMPACT_FONT_PX if self.compact else _FULL_FONT_PX

    @property
    def box_width_px(self) -> float:
        """A box's width in pixels."""
        return self.column_px * _BOX_SHARE


def columns_for(layers: int, canvas_px: float) -> Columns:
    """The fewest bands whose columns are wide enough, with full labels if they fit at that count.

    A row of ``k`` columns spans ``k + 0.2`` columns of the plot (0.6 of margin on either side).

    >>> [(n, columns_for(n, 520).per_band, columns_for(n, 520).bands,
    ...   columns_for(n, 520).compact) for n in (3, 6, 8, 12)]
    [(3, 3, 1, False), (6, 6, 1, True), (8, 4, 2, False), (12, 6, 2, True)]
    >>> columns_for(3, 1000).column_px  # a short process is not stretched beyond 180 px a column
    180.0
    """
    plot_px = max(canvas_px - SIDE_MARGINS_PX, 1.0)
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
    return Columns(per_band, bands, use_compact, span, plot_px / span)


# --- labels -------------------------------------------------------------------------------------


@dataclass(frozen=True)
class StepText:
    """What a step's box says, as plain text: its name, office and days ("3个工作日", "即办")."""

    name: str
    office: str
    days: str
    counted: bool = True  # False adds a line saying the time does not count toward the limit


@dataclass(frozen=True)
class Label:
    """A box's text cut into the lines it is shown in (plain text; the drawing adds the markup)."""

    name: tuple[str, ...]
    office: tuple[str, ...]  # empty where the boxes are compact
    days: tuple[str, ...]
    uncounted: bool  # one more line: the time does not count toward the limit

    @property
    def lines(self) -> int:
        return len(self.name) + len(self.office) + len(self.days) + int(self.uncounted)


def step_label(text: StepText, columns: Columns) -> Label:
    """A step's label in lines that fit its box: name (at most 3 lines), office (at most 2,
    unless compact), days.

    >>> label = step_label(StepText("规划条件核实审查", "行政审批科", "20个工作日"), columns_for(8, 520))
    >>> label.name, label.office, label.days, label.lines
    (('规划条件', '核实审查'), ('行政审批科',), ('20个工作日',), 4)
    >>> compact = step_label(StepText("专家评审", "专家组", "10个工作日", False), columns_for(6, 520))
    >>> compact.office, compact.lines  # the office is left to the box's colour; the note adds a line
    ((), 3)
    """
    room, font = columns.box_width_px - _BOX_SIDES_PX, columns.font_px
    office = () if columns.compact else tuple(split_lines(text.office, room, font, _OFFICE_LINES))
    return Label(
        name=tuple(split_lines(text.name, room, font, _NAME_LINES)),
        office=office,
        days=tuple(days_lines(text.days, room, font)),
        uncounted=not text.counted,
    )


def box_height_px(lines: int, font_px: float) -> float:
    """The height in pixels of a box that holds ``lines`` lines of text.

    >>> round(box_height_px(3, 12), 1), round(box_height_px(5, 11), 1)
    (66.8, 91.5)
    """
    return lines * font_px * _LINE_SPACING + 2 * _BOX_PADDING_PX


# --- where the steps go -------------------------------------------------------------------------


def step_rows(graph: nx.DiGraph, layers: Mapping[int, int], order: Sequence[int]) -> dict[int, float]:
    """Each step's row offset within its layer: steps follow the mean row of what they wait for
    (fewer crossing arrows), then step order, centred on 0; positive is lower.

    >>> diamond = nx.DiGraph([(1, 2), (1, 3), (2, 4), (3, 4)])
    >>> step_rows(diamond, {1: 0, 2: 1, 3: 1, 4: 2}, [1, 2, 3, 4])
    {1: 0.0, 2: -0.5, 3: 0.5, 4: 0.0}
    """
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


@dataclass(frozen=True)
class Placement:
    """Each step's layer (its column, counted across bands) and row offset within the layer."""

    layers: dict[int, int]
    rows: dict[int, float]
    cyclic: bool  # the steps form a cycle: one layer each, in step order, all on one row

    @property
    def layer_count(self) -> int:
        return max(self.layers.values()) + 1


def place_steps(graph: nx.DiGraph, order: Sequence[int]) -> Placement:
    """Layers by how many waits precede each step; a process with a cycle in step order.

    ``order`` holds every node of ``graph`` (step ids in step order).

    >>> place_steps(nx.DiGraph([(1, 2), (2, 3), (3, 1)]), [1, 2, 3])
    Placement(layers={1: 0, 2: 1, 3: 2}, rows={1: 0.0, 2: 0.0, 3: 0.0}, cyclic=True)
    """
    try:
        layers = cast(dict[int, int], process_layers(graph))
    except nx.NetworkXUnfeasible:
        return Placement({node: i for i, node in enumerate(order)}, {node: 0.0 for node in order}, True)
    return Placement(layers, step_rows(graph, layers, order), False)


# --- boxes and arrows ---------------------------------------------------------------------------


@dataclass(frozen=True)
class Box:
    """A step's box: its centre and its size, in columns across and rows up."""

    x: float
    y: float
    width: float
    height: float

    @property
    def left(self) -> float:
        return self.x - self.width / 2

    @property
    def right(self) -> float:
        return self.x + self.width / 2

    @property
    def bottom(self) -> float:
        return self.y - self.height / 2

    @property
    def top(self) -> float:
        return self.y + self.height / 2


class ArrowKind(StrEnum):
    """How an arrow runs (each drawn its own way)."""

    STRAIGHT = "straight"  # to the next layer of the same band
    LATER_BAND = "later_band"  # down the gap after the step, along the lane, into the step's left
    BACK_IN_BAND = "back_in_band"  # a cycle, curving under the band (the points are a Bézier curve)
    EARLIER_BAND = "earlier_band"  # a cycle, round the left margin to an earlier band


@dataclass(frozen=True)
class Arrow:
    """An arrow from step ``src`` to step ``dst`` along ``points``; the last leg carries the head.

    For :attr:`ArrowKind.BACK_IN_BAND` the first four points are a cubic Bézier curve (start, two
    control points, end) and the fifth the head, straight up from the curve's end.
    """

    src: int
    dst: int
    kind: ArrowKind
    points: tuple[Point, ...]


def straight_route(src: Box, dst: Box) -> tuple[Point, ...]:
    """From the middle of the source's right side to the middle of the target's left side.

    >>> straight_route(Box(0.0, 0.0, 0.8, 0.5), Box(1.0, -1.0, 0.8, 0.5))
    ((0.4, 0.0), (0.6, -1.0))
    """
    return ((src.right, src.y), (dst.left, dst.y))


def later_band_route(src: Box, dst: Box, lane: float) -> tuple[Point, ...]:
    """To a step of a later band: out of the source's right side, down the gap after it to the
    ``lane`` above the target's band, along it to the gap before the target, into its left side.

    >>> later_band_route(Box(3.0, 0.0, 0.8, 0.5), Box(0.0, -2.0, 0.8, 0.5), lane=-1.0)
    ((3.4, 0.0), (3.5, 0.0), (3.5, -1.0), (-0.5, -1.0), (-0.5, -2.0), (-0.4, -2.0))
    """
    return (
        (src.right, src.y),
        (src.x + 0.5, src.y),
        (src.x + 0.5, lane),
        (dst.x - 0.5, lane),
        (dst.x - 0.5, dst.y),
        (dst.left, dst.y),
    )


def back_in_band_route(src: Box, dst: Box) -> tuple[Point, ...]:
    """Back to an earlier step of the same band: a curve from the middle of the source's bottom
    dipping further below the band the further back it goes, then up into the target's bottom.

    >>> back_in_band_route(Box(2.0, 0.0, 0.8, 0.5), Box(0.0, 0.0, 0.8, 0.5))
    ((2.0, -0.25), (2.0, -0.76), (0.0, -0.76), (0.0, -0.37), (0.0, -0.25))
    """
    bottom = src.bottom
    dip = bottom - 0.35 - 0.08 * abs(src.x - dst.x)
    return ((src.x, bottom), (src.x, dip), (dst.x, dip), (dst.x, bottom - 0.12), (dst.x, bottom))


def earlier_band_route(src: Box, dst: Box, below: float, above: float, margin: float) -> tuple[Point, ...]:
    """Back to a step of an earlier band: down from the source's bottom to ``below`` its band,
    left to the ``margin``, up to ``above`` the target's band and down into the target's top.

    >>> earlier_band_route(Box(1.0, -2.0, 0.8, 0.5), Box(2.0, 0.0, 0.8, 0.5), -2.5, 0.5, -0.75)
    ((1.0, -2.25), (1.0, -2.5), (-0.75, -2.5), (-0.75, 0.5), (2.0, 0.5), (2.0, 0.25))
    """
    return (
        (src.x, src.bottom),
        (src.x, below),
        (margin, below),
        (margin, above),
        (dst.x, above),
        (dst.x, dst.top),
    )


def arc_room(columns: Columns) -> float:
    """Rows kept free under a band for the curves of arrows back to an earlier step of it: the
    deepest dips one column less than a band's width back (see :func:`back_in_band_route`).

    >>> round(arc_room(columns_for(4, 520)), 2)
    0.77
    """
    return 0.45 + 0.08 * columns.per_band


@dataclass(frozen=True)
class FlowLayout:
    """A flowchart laid out: every step's box and label, every arrow, the plot's ranges and size."""

    columns: Columns
    labels: dict[int, Label]
    boxes: dict[int, Box]
    arrows: tuple[Arrow, ...]  # in the graph's edge order
    x_range: tuple[float, float]
    y_range: tuple[float, float]  # (bottom, top)
    row_px: float  # the height of a row in pixels
    plot_px: float  # the plot's width in pixels (the canvas less the side margins)
    plot_height_px: int  # the plot's height in pixels (the figure adds its margins)
    legend_rows: int  # lines of the legend under the plot

    @property
    def column_px(self) -> float:
        return self.columns.column_px


def flow_layout(
    graph: nx.DiGraph,
    placement: Placement,
    texts: Mapping[int, StepText],
    *,
    canvas_px: float | None = None,
    legend: Iterable[str] = (),
) -> FlowLayout:
    """Boxes, labels and arrows of one process for a canvas ``canvas_px`` wide (1000 when None).

    ``graph`` has the steps as nodes and an edge from each step to each that waits for it,
    ``placement`` their layers and rows (:func:`place_steps`), ``texts`` what each box says; boxes
    are as tall as the longest label. ``legend`` names the legend's entries, to count its lines.

    >>> graph = nx.DiGraph([(1, 2), (1, 3), (2, 4), (3, 4)])
    >>> texts = {i: StepText(name, "审批科", "1个工作日") for i, name in
    ...          zip([1, 2, 3, 4], ["受理", "审查", "勘查", "决定"], strict=True)}
    >>> layout = flow_layout(graph, place_steps(graph, [1, 2, 3, 4]), texts)
    >>> [(box.x, box.y) for box in layout.boxes.values()]
    [(0.0, 0.0), (1.0, 0.5), (1.0, -0.5), (2.0, 0.0)]
    >>> [(arrow.src, arrow.dst, str(arrow.kind)) for arrow in layout.arrows][:2]
    [(1, 2, 'straight'), (1, 3, 'straight')]
    """
    canvas = float(canvas_px or WIDE_CANVAS_PX)
    columns = columns_for(placement.layer_count, canvas)
    layers, per_band = placement.layers, columns.per_band
    labels = {step: step_label(text, columns) for step, text in texts.items()}
    lines = max(label.lines for label in labels.values())
    backwards = [(src, dst) for src, dst in graph.edges if layers[dst] <= layers[src]]
    same_band = [layers[src] // per_band == layers[dst] // per_band for src, dst in backwards]
    arcs, wraps_back = any(same_band), not all(same_band)

    height_px = box_height_px(lines, columns.font_px)
    row_px = height_px + _ROW_GAP_PX
    width, height = _BOX_SHARE, height_px / row_px
    room = arc_room(columns) if arcs else 0.0
    gap = _BAND_GAP_PX / row_px + room
    band_of = {node: layer // per_band for node, layer in layers.items()}
    # Bands stack downwards, each as tall as its own widest layer.
    band_top: list[float] = []
    band_bottom: list[float] = []
    centre: list[float] = []
    for band in range(columns.bands):
        in_band = Counter(layer for layer in layers.values() if layer // per_band == band)
        half = (max(in_band.values(), default=1) - 1) / 2 + height / 2
        centre.append(band_bottom[-1] - gap - half if band_bottom else 0.0)
        band_top.append(centre[-1] + half)
        band_bottom.append(centre[-1] - half)
    boxes = {
        node: Box(float(layer % per_band), centre[band_of[node]] - placement.rows[node], width, height)
        for node, layer in layers.items()
    }
    extra = (columns.span - per_band - 0.2) / 2
    x_range = (-0.6 - extra - (0.25 if wraps_back else 0.0), per_band - 0.4 + extra)

    arrows = []
    for src, dst in graph.edges:
        source, target = boxes[src], boxes[dst]
        band, target_band = band_of[src], band_of[dst]
        if layers[dst] <= layers[src] and band == target_band:
            kind, points = ArrowKind.BACK_IN_BAND, back_in_band_route(source, target)
        elif layers[dst] <= layers[src]:
            below, above = band_bottom[band] - 0.2, band_top[target_band] + 0.2
            points = earlier_band_route(source, target, below, above, margin=x_range[0] + 0.1)
            kind = ArrowKind.EARLIER_BAND
        elif band == target_band:
            kind, points = ArrowKind.STRAIGHT, straight_route(source, target)
        else:
            lane = (band_bottom[target_band - 1] + band_top[target_band]) / 2
            kind, points = ArrowKind.LATER_BAND, later_band_route(source, target, lane)
        arrows.append(Arrow(int(src), int(dst), kind, points))

    top, bottom = band_top[0] + _Y_PADDING, band_bottom[-1] - (_Y_PADDING + room)
    plot_px = canvas - SIDE_MARGINS_PX
    return FlowLayout(
        columns=columns,
        labels=labels,
        boxes=boxes,
        arrows=tuple(arrows),
        x_range=x_range,
        y_range=(bottom, top),
        row_px=row_px,
        plot_px=plot_px,
        plot_height_px=round((top - bottom) * row_px),
        legend_rows=legend_rows(list(legend), plot_px),
    )
