"""The process flowchart as the app and the report show it, read back from the figure: boxes,
arrows, labels and legend, at the full width and at the width of a page column."""

from __future__ import annotations

import html
import importlib.util
import itertools
import re
from pathlib import Path

import pandas as pd
import plotly.graph_objects as go
import pytest
from chart_cases import (
    CYCLE,
    DIAMOND,
    EXPERT,
    HALF_COLUMN,
    assert_chinese,
    first_retained,
    process,
    step,
    text_px,
)
from sample import sample_analysis

from approvals.analysis import Analysis
from approvals.charts.flowchart import CYCLE_NOTE, process_flowchart
from approvals.charts.style import CRITICAL_COLOUR, FLAGGED_COLOUR, UNCOUNTED_FILL, office_colours
from approvals.processes.paths import critical_paths


@pytest.fixture(scope="module")
def sample() -> Analysis:
    return sample_analysis()


def named_shapes(figure: go.Figure, prefix: str) -> dict[str, object]:
    return {s.name: s for s in figure.layout.shapes if s.name and s.name.startswith(prefix)}


def edge_arrows(figure: go.Figure) -> dict[tuple[int, int], object]:
    arrows = {}
    for note in figure.layout.annotations:
        if note.name and note.name.startswith("edge:"):
            src, dst = note.name.removeprefix("edge:").split("-")
            arrows[int(src), int(dst)] = note
    return arrows


def node_ids(figure: go.Figure) -> list[int]:
    return [int(i) for t in figure.data if t.meta == "steps" for i in t.customdata]


# --- process_flowchart ---------------------------------------------------------------------


def test_flowchart_draws_one_box_per_step_and_red_critical_arrows():
    steps = process(*DIAMOND)
    figure = process_flowchart(steps)
    assert sorted(node_ids(figure)) == [1, 2, 3, 4]
    assert set(named_shapes(figure, "step:")) == {"step:1", "step:2", "step:3", "step:4"}
    arrows = edge_arrows(figure)
    assert set(arrows) == {(1, 2), (1, 3), (2, 4), (3, 4)}
    red = {pair for pair, note in arrows.items() if note.arrowcolor == CRITICAL_COLOUR}
    assert red == {(1, 2), (2, 4)}  # 受理 → 审查 → 决定
    outlined = {n for n, s in named_shapes(figure, "step:").items() if s.line.color == CRITICAL_COLOUR}
    assert outlined == {"step:1", "step:2", "step:4"}


def test_flowchart_runs_left_to_right_in_layers():
    figure = process_flowchart(process(*DIAMOND))
    boxes = named_shapes(figure, "step:")
    centre = {n: ((s.x0 + s.x1) / 2, (s.y0 + s.y1) / 2) for n, s in boxes.items()}
    assert [centre[f"step:{i}"][0] for i in (1, 2, 3, 4)] == [0, 1, 1, 2]
    assert centre["step:2"][1] != centre["step:3"][1]  # parallel steps one above the other
    low = min(s.y0 for s in boxes.values())
    high = max(s.y1 for s in boxes.values())
    y_range = figure.layout.yaxis.range
    assert y_range[0] < low - 0.3 and y_range[1] > high + 0.3  # room so the bottom labels do not clip


def test_flowchart_follows_the_processes_row_it_is_given():
    steps = process(*DIAMOND)
    row = critical_paths(steps)[0].iloc[0].copy()
    row["critical_step_ids"] = (1, 3, 4)  # as if 勘查 were the critical branch
    arrows = edge_arrows(process_flowchart(steps, row))
    assert {p for p, note in arrows.items() if note.arrowcolor == CRITICAL_COLOUR} == {(1, 3), (3, 4)}


def test_boxes_name_the_step_its_office_and_its_days():
    steps = process(step("1", "受理", 0, office="行政审批科"), step("2", "审查", 5, "1", office="规划科"))
    figure = process_flowchart(steps)
    labels = {
        i: text
        for t in figure.data
        if t.meta == "steps"
        for i, text in zip(t.customdata, t.text, strict=True)
    }
    assert "受理" in labels[1] and "行政审批科" in labels[1] and "即办" in labels[1]
    assert "审查" in labels[2] and "规划科" in labels[2] and "5个工作日" in labels[2]
    legend = [t.name for t in figure.data if t.showlegend is not False]
    assert {"行政审批科", "规划科"} <= set(legend)
    hover = next(t for t in figure.data if t.meta == "steps" and 2 in t.customdata).hovertext[0]
    for words in ("规划科", "科长", "5个工作日", "申请表", "前置环节：1"):
        assert words in hover


def test_time_outside_the_limit_is_dashed_grey_and_labelled():
    figure = process_flowchart(process(*EXPERT))
    expert = named_shapes(figure, "step:")["step:2"]
    assert expert.line.dash == "dash"
    assert expert.fillcolor != named_shapes(figure, "step:")["step:1"].fillcolor
    labels = [text for t in figure.data if t.meta == "steps" for text in t.text]
    assert sum("不计入时限" in text for text in labels) == 1
    assert "其中 10个工作日不计入时限" in figure.layout.title.subtitle.text


def test_flagged_steps_get_an_orange_outline():
    figure = process_flowchart(process(*DIAMOND), flagged={3, 99})
    flags = named_shapes(figure, "flag:")
    assert list(flags) == ["flag:3"]
    assert flags["flag:3"].line.color == FLAGGED_COLOUR
    assert "需关注环节" in [t.name for t in figure.data]


def test_a_returned_for_correction_loop_is_drawn_in_step_order_with_a_red_note():
    figure = process_flowchart(process(*CYCLE))
    assert sorted(node_ids(figure)) == [1, 2, 3]
    boxes = named_shapes(figure, "step:")
    assert [(boxes[f"step:{i}"].x0 + boxes[f"step:{i}"].x1) / 2 for i in (1, 2, 3)] == [0, 1, 2]
    assert figure.layout.title.subtitle.text == CYCLE_NOTE
    assert figure.layout.title.subtitle.font.color == CRITICAL_COLOUR
    assert not any(note.arrowcolor == CRITICAL_COLOUR for note in edge_arrows(figure).values())
    assert set(edge_arrows(figure)) == {(1, 2), (2, 3), (3, 1)}


def test_no_steps_no_flowchart():
    figure = process_flowchart(process(*DIAMOND).iloc[0:0])
    assert figure.layout.annotations[0].text == "无办理环节"


def test_flowchart_takes_one_process_at_a_time():
    two = pd.concat([process(*DIAMOND), process(*EXPERT, version="after", first_id=11)])
    with pytest.raises(ValueError, match="一个版本"):
        process_flowchart(two)


def test_sample_flowchart_highlights_the_bulk_critical_path():
    before, _, row = first_retained()
    figure = process_flowchart(before, row)
    assert sorted(node_ids(figure)) == sorted(before["step_id"])
    path = list(row["critical_step_ids"])
    red = {p for p, note in edge_arrows(figure).items() if note.arrowcolor == CRITICAL_COLOUR}
    assert red == set(itertools.pairwise(path))
    assert row["item_name"] in figure.layout.title.text and "再造前" in figure.layout.title.text


def box_fills(figure: go.Figure, steps: pd.DataFrame) -> dict[str, set[str]]:
    """Office → the fills of its (counted) step boxes."""
    boxes = named_shapes(figure, "step:")
    fills: dict[str, set[str]] = {}
    for step_id, office in zip(steps["step_id"], steps["office"], strict=True):
        fills.setdefault(office, set()).add(boxes[f"step:{step_id}"].fillcolor)
    return fills


OFFICES_CHANGE = (  # 再造后 drops the first office, so each chart on its own would colour 审批科 apart
    step("1", "受理", 1, office="窗口"),
    step("2", "审查", 5, "1", office="审批科"),
    step("3", "签发", 1, "2", office="局长"),
)


def test_before_and_after_given_one_office_map_fill_an_office_alike():
    before = process(*OFFICES_CHANGE)
    after = process(*OFFICES_CHANGE[1:], version="after", first_id=11)
    after.loc[after["step_no"] == "2", "predecessors"] = ""
    alone = box_fills(process_flowchart(before), before), box_fills(process_flowchart(after), after)
    assert alone[0]["审批科"] != alone[1]["审批科"]  # what the map is for
    colours = office_colours(["窗口", "审批科", "局长"])
    shared = box_fills(process_flowchart(before, office_colours=colours), before)
    shared_after = box_fills(process_flowchart(after, office_colours=colours), after)
    assert shared == {office: {colour} for office, colour in colours.items()}
    assert shared_after == {office: {colours[office]} for office in ("审批科", "局长")}


def test_an_office_the_map_lacks_takes_a_colour_no_other_office_has():
    steps = process(*OFFICES_CHANGE)
    fills = box_fills(process_flowchart(steps, office_colours=office_colours(["审批科"])), steps)
    assert len({colour for shown in fills.values() for colour in shown}) == 3


# --- process_flowchart at the width of a page column ----------------------------------------

SAMPLE_SHAPES = [
    pytest.param("民办学校终止审批", "after", id="three steps"),
    pytest.param("供电营业区划分审批", "before", id="eight steps with a parallel branch"),
    pytest.param("供电营业区划分审批", "after", id="parallel review and inspection"),
    pytest.param("实验动物使用许可", "before", id="uncounted expert review"),
    pytest.param("城市建设填堵水域、废除围堤审核", "before", id="thirteen steps"),
    pytest.param("探矿权新立、延续、变更、保留登记", "after", id="on the spot"),
]


def sample_process(sample: Analysis, name: str, version: str) -> tuple[pd.DataFrame, pd.Series]:
    steps = sample.dataset.steps
    part = steps[(steps["item_name"] == name) & (steps["version"] == version)]
    processes = sample.processes
    mine = (processes["item_id"] == part["item_id"].iloc[0]) & (processes["version"] == version)
    return part, processes[mine].iloc[0]


def plain_lines(label: str) -> list[str]:
    return [html.unescape(re.sub(r"<[^>]+>", "", line)) for line in label.split("<br>")]


def boxes_px(figure: go.Figure, width: int) -> dict[int, tuple[float, float, float, float]]:
    """step_id → (left, top, right, bottom) of its box in screen pixels, y downwards."""
    (x_low, x_high), (y_low, y_high) = figure.layout.xaxis.range, figure.layout.yaxis.range
    margin = figure.layout.margin
    per_x = (width - margin.l - margin.r) / (x_high - x_low)
    per_y = (figure.layout.height - margin.t - margin.b) / (y_high - y_low)
    return {
        int(name.removeprefix("step:")): (
            (s.x0 - x_low) * per_x,
            (y_high - s.y1) * per_y,
            (s.x1 - x_low) * per_x,
            (y_high - s.y0) * per_y,
        )
        for name, s in named_shapes(figure, "step:").items()
    }


def labels_by_step(figure: go.Figure) -> dict[int, tuple[str, float]]:
    """step_id → (label, font size) as the text traces carry them."""
    return {
        int(i): (text, t.textfont.size)
        for t in figure.data
        if t.meta == "steps"
        for i, text in zip(t.customdata, t.text, strict=True)
    }


def days_words(days: float) -> str:
    return "即办" if days == 0 else f"{days:g}个工作日"


@pytest.mark.parametrize("width", [HALF_COLUMN, 360, None])
@pytest.mark.parametrize(("name", "version"), SAMPLE_SHAPES)
def test_every_label_fits_inside_its_box_at_the_width_shown(sample, name, version, width):
    steps, row = sample_process(sample, name, version)
    figure = process_flowchart(steps, row, width_hint=width)
    boxes = boxes_px(figure, width or 1000)
    for step_id, (label, font) in labels_by_step(figure).items():
        left, top, right, bottom = boxes[step_id]
        lines = plain_lines(label)
        assert max(text_px(line, font) for line in lines) <= right - left - 2, label
        assert len(lines) * font * 1.25 <= bottom - top, label
    width_px = (width or 1000) - figure.layout.margin.l - figure.layout.margin.r
    assert all(left >= 0 and right <= width_px for left, _, right, _ in boxes.values())


@pytest.mark.parametrize("width", [HALF_COLUMN, 360, None])
@pytest.mark.parametrize(("name", "version"), SAMPLE_SHAPES)
def test_no_two_boxes_touch(sample, name, version, width):
    steps, row = sample_process(sample, name, version)
    boxes = list(boxes_px(process_flowchart(steps, row, width_hint=width), width or 1000).values())
    for (l1, t1, r1, b1), (l2, t2, r2, b2) in itertools.combinations(boxes, 2):
        apart = r1 + 8 <= l2 or r2 + 8 <= l1 or b1 + 8 <= t2 or b2 + 8 <= t1
        assert apart


@pytest.mark.parametrize(("name", "version"), SAMPLE_SHAPES)
def test_every_step_shows_its_name_and_days_at_half_width(sample, name, version):
    steps, row = sample_process(sample, name, version)
    labels = labels_by_step(process_flowchart(steps, row, width_hint=HALF_COLUMN))
    for step_id, step_name, days in zip(steps["step_id"], steps["step_name"], steps["days"], strict=True):
        words = "".join(plain_lines(labels[int(step_id)][0]))
        assert step_name in words
        assert days_words(days) in words


@pytest.mark.parametrize(("name", "version"), SAMPLE_SHAPES)
def test_the_process_reads_left_to_right_then_down_at_half_width(sample, name, version):
    steps, row = sample_process(sample, name, version)
    figure = process_flowchart(steps, row, width_hint=HALF_COLUMN)
    boxes = boxes_px(figure, HALF_COLUMN)
    number_to_id = dict(zip(steps["step_no"], steps["step_id"].astype(int), strict=True))
    for step_id, waits in zip(steps["step_id"].astype(int), steps["predecessors"], strict=True):
        for wait in filter(None, waits.split(",")):
            _, _, right_a, bottom_a = boxes[number_to_id[wait]]
            left_b, top_b, _, _ = boxes[step_id]
            assert right_a < left_b or bottom_a < top_b  # to the right, or on a later band below


def test_eight_step_process_wraps_into_two_bands_with_full_labels(sample):
    steps, row = sample_process(sample, "供电营业区划分审批", "before")
    figure = process_flowchart(steps, row, width_hint=HALF_COLUMN)
    boxes = boxes_px(figure, HALF_COLUMN)
    columns = {round((left + right) / 2) for left, _, right, _ in boxes.values()}
    assert len(columns) == 4  # 7 layers in two bands of 4 and 3
    assert min(right - left for left, _, right, _ in boxes.values()) >= 80
    labels = labels_by_step(figure)
    for step_id, office in zip(steps["step_id"], steps["office"], strict=True):
        assert office in "".join(plain_lines(labels[int(step_id)][0]))
    # without a width the same process keeps one band, a column per layer
    wide = boxes_px(process_flowchart(steps, row), 1000)
    assert len({round((left + right) / 2) for left, _, right, _ in wide.values()}) == 7


def test_arrows_that_go_on_to_the_next_band_keep_the_critical_path_red(sample):
    steps, row = sample_process(sample, "供电营业区划分审批", "before")
    figure = process_flowchart(steps, row, width_hint=HALF_COLUMN)
    path = list(row["critical_step_ids"])
    arrows = edge_arrows(figure)
    assert {p for p, note in arrows.items() if note.arrowcolor == CRITICAL_COLOUR} == set(
        itertools.pairwise(path)
    )
    routes = {s.name: s for s in figure.layout.shapes if s.name and s.name.endswith(":route")}
    assert routes  # the chain wraps, so some arrows run round to the next band
    boxes = named_shapes(figure, "step:")
    for name, route in routes.items():
        src, dst = (int(i) for i in name.removeprefix("edge:").removesuffix(":route").split("-"))
        red = (src, dst) in set(itertools.pairwise(path))
        assert route.line.color == (CRITICAL_COLOUR if red else arrows[src, dst].arrowcolor)
        target = boxes[f"step:{dst}"]
        assert arrows[src, dst].x == pytest.approx(target.x0)  # the head lands on the box's left side
        assert arrows[src, dst].y == pytest.approx((target.y0 + target.y1) / 2)


def test_a_long_chain_at_half_width_gives_the_office_to_colour_and_hover(sample):
    steps, row = sample_process(sample, "城市建设填堵水域、废除围堤审核", "before")
    figure = process_flowchart(steps, row, width_hint=HALF_COLUMN)
    legend = {t.name: t.marker.color for t in figure.data if t.meta != "steps" and t.mode == "markers"}
    boxes = named_shapes(figure, "step:")
    strips = named_shapes(figure, "office:")
    hovers = {
        int(i): h
        for t in figure.data
        if t.meta == "steps"
        for i, h in zip(t.customdata, t.hovertext, strict=True)
    }
    for step_id, office, counted in zip(steps["step_id"], steps["office"], steps["counted"], strict=True):
        label = labels_by_step(figure)[int(step_id)][0]
        assert office not in label
        shown = boxes[f"step:{step_id}"] if counted else strips[f"office:{step_id}"]
        assert shown.fillcolor == legend[office]
        assert f"责任科室：{office}" in hovers[int(step_id)]
    assert len(strips) == int((~steps["counted"]).sum()) == 1  # 公示


def test_uncounted_expert_review_stays_dashed_grey_at_half_width(sample):
    steps, row = sample_process(sample, "实验动物使用许可", "before")
    figure = process_flowchart(steps, row, width_hint=HALF_COLUMN)
    (expert,) = steps.loc[steps["step_name"] == "专家评审", "step_id"]
    box = named_shapes(figure, "step:")[f"step:{expert}"]
    assert box.line.dash == "dash" and box.fillcolor == UNCOUNTED_FILL
    assert "不计入时限" in labels_by_step(figure)[int(expert)][0]
    assert "其中 20个工作日不计入时限" in figure.layout.title.subtitle.text


def test_flagged_step_outline_surrounds_its_box_at_half_width(sample):
    steps, row = sample_process(sample, "供电营业区划分审批", "before")
    flagged = int(steps["step_id"].iloc[1])
    figure = process_flowchart(steps, row, flagged={flagged}, width_hint=HALF_COLUMN)
    box, (flag,) = named_shapes(figure, "step:")[f"step:{flagged}"], named_shapes(figure, "flag:").values()
    assert flag.x0 < box.x0 and flag.x1 > box.x1 and flag.y0 < box.y0 and flag.y1 > box.y1
    assert flag.line.color == FLAGGED_COLOUR


def chain(layers: int) -> pd.DataFrame:
    return process(*(step(str(i), "审查", 1, str(i - 1) if i > 1 else "") for i in range(1, layers + 1)))


@pytest.mark.parametrize(
    ("layers", "columns", "bands", "office_shown"),
    [
        (3, 3, 1, True),  # columns of 472 / 3.2 px
        (5, 5, 1, True),
        (6, 6, 1, False),  # six full-label columns need 6.2 x 90 px: drop the office instead
        (8, 4, 2, True),
        (10, 5, 2, True),
        (12, 6, 2, False),
        (16, 6, 3, False),
    ],
)
def test_layers_wrap_into_bands_only_when_they_do_not_fit_half_width(layers, columns, bands, office_shown):
    figure = process_flowchart(chain(layers), width_hint=HALF_COLUMN)
    boxes = named_shapes(figure, "step:").values()
    assert len({(b.x0 + b.x1) / 2 for b in boxes}) == columns
    assert len({(b.y0 + b.y1) / 2 for b in boxes}) == bands
    assert all(("审批科" in text) == office_shown for text, _ in labels_by_step(figure).values())


def test_a_loop_across_bands_goes_back_round_the_left_margin():
    steps = process(*(step(str(i), f"环节{i}", 1, str(i - 1) if i > 1 else "8") for i in range(1, 9)))
    figure = process_flowchart(steps, width_hint=HALF_COLUMN)
    assert set(edge_arrows(figure)) == {(i, i + 1) for i in range(1, 8)} | {(8, 1)}
    back = next(s for s in figure.layout.shapes if s.name == "edge:8-1:route")
    xs = [float(x) for x, _ in re.findall(r"(-?[\d.]+),(-?[\d.]+)", back.path)]
    first = named_shapes(figure, "step:")["step:1"]
    assert figure.layout.xaxis.range[0] < min(xs) < first.x0
    assert figure.layout.title.subtitle.text == CYCLE_NOTE


@pytest.mark.parametrize(("name", "version"), SAMPLE_SHAPES)
def test_the_subtitle_fits_half_width(sample, name, version):
    steps, row = sample_process(sample, name, version)
    figure = process_flowchart(steps, row, width_hint=HALF_COLUMN)
    lines = figure.layout.title.subtitle.text.split("<br>")
    assert all(text_px(line, 13) <= HALF_COLUMN - 48 for line in lines)
    top = figure.layout.margin.t
    assert top >= 72 + 20 * len(lines)  # room under the title for every line


# --- Chinese, in fonts that show it -----------------------------------------------------------


def sample_flowchart() -> go.Figure:
    """The sample's first retained item before re-engineering, its second step flagged."""
    before, _, row = first_retained()
    return process_flowchart(before, row, flagged={int(before["step_id"].iloc[1])})


@pytest.mark.parametrize(
    "draw",
    [
        pytest.param(sample_flowchart, id="sample"),
        pytest.param(lambda: process_flowchart(process(*CYCLE)), id="cycle"),
        pytest.param(lambda: process_flowchart(process(*DIAMOND).iloc[0:0]), id="empty"),
    ],
)
def test_titles_legends_hovers_and_notes_are_chinese(draw):
    assert_chinese(draw())


@pytest.mark.skipif(
    importlib.util.find_spec("kaleido") is None or not Path("/usr/bin/chromium").exists(),
    reason="PNG export needs kaleido and /usr/bin/chromium",
)
def test_sample_flowchart_exports_as_png(tmp_path):
    path = tmp_path / "flowchart.png"
    sample_flowchart().write_image(path, width=1200)
    assert path.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
