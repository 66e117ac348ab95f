"""Where a flowchart's boxes and arrows go, checked on the layout alone (no figure is drawn):
columns and bands for the width shown, boxes that hold their labels and never meet, arrows
that leave one box and reach the next, cycles drawn inside the plot."""

from __future__ import annotations

import itertools
import math
import subprocess
import sys
from pathlib import Path

import networkx as nx
import pytest
from hypothesis import given
from hypothesis import strategies as st

from approvals.charts.flowlayout import (
    ArrowKind,
    Box,
    FlowLayout,
    StepText,
    flow_layout,
    place_steps,
    text_px,
)

HALF_COLUMN = 520  # the process page draws 再造前 and 再造后 side by side


def laid_out(
    edges: list[tuple[int, int]], steps: int, width: float | None = None, names: dict[int, str] | None = None
) -> FlowLayout:
    """The layout of steps 1..``steps`` (in step order) waiting on each other along ``edges``."""
    graph = nx.DiGraph()
    graph.add_nodes_from(range(1, steps + 1))
    graph.add_edges_from(edges)
    order = list(range(1, steps + 1))
    texts = {i: StepText((names or {}).get(i, "审查"), "行政审批科", "5个工作日") for i in order}
    return flow_layout(graph, place_steps(graph, order), texts, canvas_px=width)


def chain(steps: int, back_to: int | None = None) -> list[tuple[int, int]]:
    """1 → 2 → … → steps, and from the last back to ``back_to`` (a loop) if given."""
    edges = [(i, i + 1) for i in range(1, steps)]
    return edges + ([(steps, back_to)] if back_to else [])


DIAMOND = [(1, 2), (1, 3), (2, 4), (3, 4)]


def on_edge(point: tuple[float, float], box: Box) -> bool:
    """Whether a point lies on the outline of a box."""
    x, y = point
    within_x = box.left - 1e-9 <= x <= box.right + 1e-9
    within_y = box.bottom - 1e-9 <= y <= box.top + 1e-9
    on_side = math.isclose(x, box.left, abs_tol=1e-9) or math.isclose(x, box.right, abs_tol=1e-9)
    on_cap = math.isclose(y, box.bottom, abs_tol=1e-9) or math.isclose(y, box.top, abs_tol=1e-9)
    return (on_side and within_y) or (on_cap and within_x)


def inside_plot(point: tuple[float, float], layout: FlowLayout) -> bool:
    (x_low, x_high), (y_low, y_high) = layout.x_range, layout.y_range
    return x_low < point[0] < x_high and y_low < point[1] < y_high


def px_apart(a: Box, b: Box, layout: FlowLayout) -> float:
    """The pixels between two boxes as drawn: across, or up and down, whichever is more."""
    per_x = layout.plot_px / (layout.x_range[1] - layout.x_range[0])
    across = max(b.left - a.right, a.left - b.right) * per_x
    down = max(b.bottom - a.top, a.bottom - b.top) * layout.row_px
    return max(across, down)


# --- columns and bands ------------------------------------------------------------------------


def test_a_chain_of_eight_layers_at_half_width_wraps_into_two_bands_of_four():
    layout = laid_out(chain(8), 8, HALF_COLUMN)
    assert (layout.columns.per_band, layout.columns.bands, layout.columns.compact) == (4, 2, False)
    boxes = layout.boxes
    assert [boxes[i].x for i in range(1, 9)] == [0, 1, 2, 3] * 2
    top, bottom = {boxes[i].y for i in range(1, 5)}, {boxes[i].y for i in range(5, 9)}
    assert len(top) == len(bottom) == 1 and min(top) > max(bottom)  # the second band below the first
    kinds = {(a.src, a.dst): a.kind for a in layout.arrows}
    assert kinds.pop((4, 5)) == ArrowKind.LATER_BAND  # from the end of one band to the next
    assert set(kinds.values()) == {ArrowKind.STRAIGHT}


def test_the_same_chain_keeps_one_band_on_a_wide_canvas():
    layout = laid_out(chain(8), 8)
    assert (layout.columns.per_band, layout.columns.bands) == (8, 1)
    assert len({box.y for box in layout.boxes.values()}) == 1
    assert {a.kind for a in layout.arrows} == {ArrowKind.STRAIGHT}


@pytest.mark.parametrize(
    ("layers", "per_band", "bands", "office_shown"),
    [
        (3, 3, 1, True),
        (5, 5, 1, True),
        (6, 6, 1, False),  # six full-label columns need 6.2 x 90 px: drop the office instead
        (8, 4, 2, True),
        (12, 6, 2, False),
        (16, 6, 3, False),
    ],
)
def test_boxes_drop_the_office_only_where_full_labels_do_not_fit(layers, per_band, bands, office_shown):
    layout = laid_out(chain(layers), layers, HALF_COLUMN)
    assert (layout.columns.per_band, layout.columns.bands) == (per_band, bands)
    assert all(bool(label.office) == office_shown for label in layout.labels.values())
    assert layout.columns.font_px == (12 if office_shown else 11)


def test_a_short_process_is_not_stretched_across_a_wide_canvas():
    layout = laid_out(chain(2), 2)
    assert layout.column_px == 180
    box = layout.boxes[1]
    assert box.width * layout.column_px == pytest.approx(0.84 * 180)


# --- boxes --------------------------------------------------------------------------------------


def test_parallel_steps_share_a_column_one_above_the_other_without_overlap():
    layout = laid_out(DIAMOND, 4)
    review, inspection = layout.boxes[2], layout.boxes[3]
    assert review.x == inspection.x == 1
    assert review.y > inspection.y  # the earlier step on top
    assert review.bottom - inspection.top == pytest.approx(26 / layout.row_px)  # a row gap between
    assert layout.boxes[1].y == layout.boxes[4].y == (review.y + inspection.y) / 2


def test_a_step_sits_beside_what_it_waits_for_so_arrows_do_not_cross():
    # 5 waits for the upper branch (2), 4 for the lower (3): 5 goes on top though 4 comes first
    layout = laid_out([(1, 2), (1, 3), (3, 4), (2, 5)], 5)
    assert layout.boxes[5].y > layout.boxes[4].y
    assert layout.boxes[2].y > layout.boxes[3].y


def test_boxes_are_as_tall_as_the_longest_label():
    names = {1: "受理", 2: "规划条件核实及竣工验收审查", 3: "决定"}
    layout = laid_out(chain(3), 3, HALF_COLUMN, names)
    lines = max(label.lines for label in layout.labels.values())
    assert lines == layout.labels[2].lines > layout.labels[1].lines
    heights = [box.height * layout.row_px for box in layout.boxes.values()]
    assert heights == pytest.approx([lines * 12 * 1.3 + 20] * 3)  # lines of 12 px fonts, padded


def test_a_long_name_is_cut_after_three_lines():
    layout = laid_out(chain(12), 12, 360, {1: "建设工程规划许可证核发及规划条件核实审查意见书出具"})
    name = layout.labels[1].name
    assert len(name) == 3 and name[-1].endswith("…")


def test_a_cycle_is_laid_out_in_step_order_on_one_row():
    placement = place_steps(nx.DiGraph([(1, 2), (2, 3), (3, 1)]), [1, 2, 3])
    assert placement.cyclic
    assert placement.layers == {1: 0, 2: 1, 3: 2}
    assert set(placement.rows.values()) == {0.0}
    assert not place_steps(nx.DiGraph(DIAMOND), [1, 2, 3, 4]).cyclic


# --- arrows -------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("edges", "steps", "width"),
    [
        pytest.param(DIAMOND, 4, None, id="diamond"),
        pytest.param(chain(8), 8, HALF_COLUMN, id="chain wrapping into two bands"),
        pytest.param(chain(3, back_to=1), 3, None, id="loop within a band"),
        pytest.param(chain(8, back_to=1), 8, HALF_COLUMN, id="loop back to an earlier band"),
    ],
)
def test_every_arrow_leaves_its_source_box_and_ends_on_its_target(edges, steps, width):
    layout = laid_out(edges, steps, width)
    assert {(a.src, a.dst) for a in layout.arrows} == set(edges)
    for arrow in layout.arrows:
        assert on_edge(arrow.points[0], layout.boxes[arrow.src]), arrow
        assert on_edge(arrow.points[-1], layout.boxes[arrow.dst]), arrow


def test_a_loop_within_a_band_curves_under_the_boxes_inside_the_plot():
    layout = laid_out(chain(3, back_to=1), 3)
    (back,) = [a for a in layout.arrows if (a.src, a.dst) == (3, 1)]
    assert back.kind == ArrowKind.BACK_IN_BAND
    lowest = min(y for _, y in back.points)
    assert lowest < min(box.bottom for box in layout.boxes.values())  # under the boxes
    assert all(inside_plot(point, layout) for point in back.points)  # the curve lies within its points
    assert back.points[-1] == (layout.boxes[1].x, layout.boxes[1].bottom)  # up into 受理 from below


def test_a_loop_back_to_an_earlier_band_goes_round_the_left_margin_inside_the_plot():
    layout = laid_out(chain(8, back_to=1), 8, HALF_COLUMN)
    (back,) = [a for a in layout.arrows if (a.src, a.dst) == (8, 1)]
    assert back.kind == ArrowKind.EARLIER_BAND
    assert all(inside_plot(point, layout) for point in back.points)
    margin = min(x for x, _ in back.points)
    assert layout.x_range[0] < margin < min(box.left for box in layout.boxes.values())
    assert back.points[-1] == (layout.boxes[1].x, layout.boxes[1].top)  # into 受理 from above


def test_an_arrow_to_the_next_band_runs_along_the_lane_between_the_bands():
    layout = laid_out(chain(8), 8, HALF_COLUMN)
    (on,) = [a for a in layout.arrows if a.kind == ArrowKind.LATER_BAND]
    lane = {y for _, y in on.points[2:4]}
    assert len(lane) == 1
    (y,) = lane
    assert layout.boxes[5].top < y < layout.boxes[4].bottom


def test_the_legend_wraps_when_it_is_wider_than_the_plot():
    graph = nx.DiGraph([(1, 2)])
    texts = {i: StepText("审查", "审批科", "1个工作日") for i in (1, 2)}
    placement = place_steps(graph, [1, 2])
    few = flow_layout(graph, placement, texts, canvas_px=HALF_COLUMN, legend=["审批科", "关键路径"])
    offices = [f"第{i}审批科" for i in range(8)]
    many = flow_layout(graph, placement, texts, canvas_px=HALF_COLUMN, legend=offices)
    assert (few.legend_rows, many.legend_rows) == (1, 3)
    assert few.plot_height_px == many.plot_height_px  # the figure's margins make room for the legend


# --- any process --------------------------------------------------------------------------------


@st.composite
def processes(draw) -> tuple[list[tuple[int, int]], int, dict[int, str], float | None]:
    """Up to 12 steps, each waiting for some earlier ones, sometimes a loop back; names of any
    length; a width from a narrow page column to none given."""
    steps = draw(st.integers(1, 12))
    edges = []
    for i in range(2, steps + 1):
        edges += [(w, i) for w in sorted(draw(st.sets(st.integers(1, i - 1), max_size=3)))]
    if steps > 1 and draw(st.booleans()):
        edges.append((steps, draw(st.integers(1, steps - 1))))
    names = {i: "审" * draw(st.integers(1, 16)) for i in range(1, steps + 1)}
    width = draw(st.sampled_from([300, 360, HALF_COLUMN, 700, None]))
    return edges, steps, names, width


@given(processes())
def test_any_process_is_laid_out_with_boxes_apart_and_arrows_from_box_to_box(case):
    edges, steps, names, width = case
    layout = laid_out(edges, steps, width, names)
    boxes = layout.boxes
    for a, b in itertools.combinations(boxes.values(), 2):
        assert px_apart(a, b, layout) >= 8
    for box in boxes.values():
        assert inside_plot((box.left, box.bottom), layout) and inside_plot((box.right, box.top), layout)
    room = layout.columns.box_width_px - 6
    for label in layout.labels.values():
        for line in (*label.name, *label.office, *label.days):
            assert text_px(line, layout.columns.font_px) <= room, line
    cyclic = not nx.is_directed_acyclic_graph(nx.DiGraph(edges))
    for arrow in layout.arrows:
        source, target = boxes[arrow.src], boxes[arrow.dst]
        assert on_edge(arrow.points[0], source) and on_edge(arrow.points[-1], target)
        assert all(inside_plot(point, layout) for point in arrow.points)
        if arrow.kind == ArrowKind.BACK_IN_BAND:  # its curve stays clear of the band below
            lower = [box.top for box in boxes.values() if box.top < source.bottom]
            assert not lower or min(y for _, y in arrow.points) > max(lower)
        if not cyclic:  # a process reads left to right, then down
            assert arrow.kind in (ArrowKind.STRAIGHT, ArrowKind.LATER_BAND)
            assert target.left > source.right or target.top < source.bottom


def test_the_layout_draws_nothing_and_needs_no_plotly():
    code = "import approvals.charts.flowlayout, sys; assert 'plotly' not in sys.modules"
    subprocess.run([sys.executable, "-c", code], check=True, cwd=Path(__file__).resolve().parents[2])
