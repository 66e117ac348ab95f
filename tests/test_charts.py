"""The figures the app shows, read back from the figure objects, and the schedule behind the Gantt."""

from __future__ import annotations

import html
import importlib.util
import itertools
import math
import re
from pathlib import Path

import networkx as nx
import numpy as np
import pandas as pd
import plotly.graph_objects as go
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from approvals.analysis import Analysis, analyze
from approvals.charts.flowchart import CYCLE_NOTE, process_flowchart
from approvals.charts.gantt import gantt_chart
from approvals.charts.overview import decision_sankey, department_rates_chart, limit_distribution_chart
from approvals.charts.style import (
    CRITICAL_COLOUR,
    FAIL_COLOUR,
    FLAGGED_COLOUR,
    FONT_FAMILY,
    PASS_COLOUR,
    UNCOUNTED_FILL,
)
from approvals.dataset.build import Options, load_dataset
from approvals.model import ITEM_COLUMNS, STEP_COLUMNS, conform
from approvals.processes.graph import SCHEDULE_COLUMNS, step_schedule
from approvals.processes.paths import critical_paths

SAMPLE = Path(__file__).resolve().parent.parent / "data" / "sample"
CJK = re.compile(r"[\u4e00-\u9fff]")

# --- builders -------------------------------------------------------------------------------


def step(no: str, name: str, days: float, after: str = "", *, counted: bool = True, office: str = "审批科"):
    """One step: its number, name, working days, the step numbers it waits for."""
    return {
        "step_no": no,
        "step_name": name,
        "days": float(days),
        "predecessors": after,
        "counted": counted,
        "office": office,
    }


def process(*steps: dict, item_id: int = 1, version: str = "before", first_id: int = 1) -> pd.DataFrame:
    """The canonical steps of one process, step_id numbered from ``first_id`` in writing order."""
    frame = pd.DataFrame(list(steps))
    frame["step_id"] = np.arange(first_id, first_id + len(frame))
    frame["item_id"] = item_id
    frame["version"] = version
    frame["item_name"] = "建设工程规划许可"
    frame["department"] = "市自然资源和规划局"
    frame["person"] = "科长"
    frame["materials"] = "申请表、规划图纸"
    frame["limit_status"] = "value"
    return conform(frame, STEP_COLUMNS)


def items_table(rows: list[dict]) -> pd.DataFrame:
    return conform(pd.DataFrame(rows), ITEM_COLUMNS)


def item(category: str, decision: str, *, has_decision: bool = True, before=20.0, after=10.0) -> dict:
    counts_as = "retained" if decision == "retained" or not has_decision else "streamlined"
    return {
        "category": category,
        "decision": decision,
        "has_decision": has_decision,
        "counts_as": counts_as,
        "before_days": before,
        "after_days": after if counts_as == "retained" else float("nan"),
    }


DIAMOND = (
    step("1", "受理", 1),
    step("2", "审查", 5, "1"),
    step("3", "勘查", 3, "1"),
    step("4", "决定", 2, "2,3"),
)
EXPERT = (
    step("1", "受理", 1),
    step("2", "专家评审", 10, "1", counted=False, office="专家组"),
    step("3", "决定", 2, "2"),
)
CYCLE = (step("1", "受理", 1, "3"), step("2", "审查", 5, "1"), step("3", "补正", 2, "2"))


def departments_table(rates: list[float], names: list[str] | None = None) -> pd.DataFrame:
    names = names or [f"市第{i + 1}局" for i in range(len(rates))]
    before = [10] * len(rates)
    streamlined = [0 if math.isnan(r) else round(r * 10) for r in rates]
    return pd.DataFrame(
        {
            "group": names,
            "before": before,
            "retained": [b - s for b, s in zip(before, streamlined, strict=True)],
            "streamlined": streamlined,
            "undecided": 0,
            "streamlining_rate": rates,
        }
    )


def has_cjk(text: str | None) -> bool:
    return bool(text) and bool(CJK.search(text))


def bars(figure: go.Figure) -> list[go.Bar]:
    return [t for t in figure.data if t.type == "bar"]


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


@pytest.fixture(scope="module")
def sample() -> Analysis:
    return analyze(load_dataset(sorted(SAMPLE.glob("*.xlsx")), Options(year=2026)))


@pytest.fixture(scope="module")
def first_retained(sample: Analysis) -> tuple[pd.DataFrame, pd.DataFrame, pd.Series]:
    """The sample's first retained item: its before and after steps and its before processes row."""
    items = sample.dataset.items
    item_id = int(items.loc[items["counts_as"] == "retained", "item_id"].iloc[0])
    steps = sample.dataset.steps
    mine = steps[steps["item_id"] == item_id]
    processes = sample.processes
    row = processes[(processes["item_id"] == item_id) & (processes["version"] == "before")].iloc[0]
    return mine[mine["version"] == "before"], mine[mine["version"] == "after"], row


# --- step_schedule --------------------------------------------------------------------------


def test_diamond_review_and_inspection_run_side_by_side():
    schedule = step_schedule(process(*DIAMOND))
    assert list(schedule.columns) == SCHEDULE_COLUMNS
    assert schedule["step_name"].tolist() == ["受理", "审查", "勘查", "决定"]
    assert schedule["start"].tolist() == [0, 1, 1, 6]
    assert schedule["finish"].tolist() == [1, 6, 4, 8]
    assert schedule.loc[schedule["critical"], "step_name"].tolist() == ["受理", "审查", "决定"]


def test_expert_review_outside_the_limit_still_takes_its_ten_days():
    schedule = step_schedule(process(*EXPERT))
    assert schedule["finish"].tolist() == [1, 11, 13]
    assert schedule["critical"].all()
    assert schedule["counted"].tolist() == [True, False, True]


@pytest.mark.parametrize(
    ("steps", "critical"),
    [
        pytest.param(
            (
                step("1", "受理", 1),
                step("2", "审查A", 4, "1"),
                step("3", "审查B", 4, "1"),
                step("4", "决定", 1, "2,3"),
            ),
            ["受理", "审查A", "审查B", "决定"],
            id="two reviews of equal length are both critical",
        ),
        pytest.param(
            (step("1", "审查A", 2), step("2", "审查B", 4), step("3", "决定", 1, "1,2")),
            ["审查B", "决定"],
            id="two start steps",
        ),
        pytest.param(
            (step("1", "受理", 0), step("2", "决定", 0, "1")), ["受理", "决定"], id="即办 on the spot"
        ),
        pytest.param(
            (step("1", "受理", 1), step("2", "公示", 5, "1", counted=False), step("3", "告知", 1, "1")),
            ["受理", "公示"],
            id="a short final step beside a long one has slack",
        ),
    ],
)
def test_critical_steps_have_no_slack(steps, critical):
    schedule = step_schedule(process(*steps))
    assert schedule.loc[schedule["critical"], "step_name"].tolist() == critical


def test_schedule_lists_step_ten_after_step_two():
    steps = process(step("10", "决定", 2, "2"), step("2", "审查", 3, "1"), step("1", "受理", 1))
    schedule = step_schedule(steps)
    assert schedule["step_no"].tolist() == ["1", "2", "10"]
    assert schedule["finish"].tolist() == [1, 4, 6]


def test_schedule_of_a_returned_for_correction_loop_raises():
    with pytest.raises(nx.NetworkXUnfeasible):
        step_schedule(process(*CYCLE))


def test_schedule_of_no_steps_is_empty_with_its_columns():
    schedule = step_schedule(process(*DIAMOND).iloc[0:0])
    assert schedule.empty
    assert list(schedule.columns) == SCHEDULE_COLUMNS


@st.composite
def random_processes(draw) -> pd.DataFrame:
    """A DAG of up to 9 steps, each waiting for some earlier ones, some not counted."""
    n = draw(st.integers(1, 9))
    rows = []
    for i in range(1, n + 1):
        waits = draw(st.sets(st.integers(1, i - 1), max_size=3)) if i > 1 else set()
        days = draw(st.sampled_from([0.0, 0.5, 1.0, 2.0, 3.0, 5.0, 10.0]))
        counted = draw(st.booleans())
        rows.append(step(str(i), f"环节{i}", days, ",".join(map(str, sorted(waits))), counted=counted))
    return process(*rows)


@settings(max_examples=150, deadline=None)
@given(random_processes())
def test_schedule_agrees_with_the_bulk_critical_paths(steps):
    schedule = step_schedule(steps).set_index("step_id")
    row = critical_paths(steps)[0].iloc[0]
    assert schedule["finish"].max() == pytest.approx(row["whole_duration_days"])
    # every step starts as soon as the last thing it waits for finishes
    number_to_id = dict(zip(steps["step_no"], steps["step_id"], strict=True))
    for step_id, waits in zip(steps["step_id"], steps["predecessors"], strict=True):
        before = [schedule.at[number_to_id[w], "finish"] for w in waits.split(",") if w]
        assert schedule.at[step_id, "start"] == pytest.approx(max(before, default=0.0))
    # with every step counted, the bulk path is one of the zero-slack chains
    everything_counted = critical_paths(steps.assign(counted=True))[0].iloc[0]
    assert set(everything_counted["critical_step_ids"]) <= set(schedule.index[schedule["critical"]])


# --- department_rates_chart ----------------------------------------------------------------


def test_one_bar_per_department_with_its_rate(sample: Analysis):
    departments = sample.departments
    figure = department_rates_chart(departments, 0.3)
    drawn = {y: x for trace in bars(figure) for x, y in zip(trace.x, trace.y, strict=True)}
    expected = dict(zip(departments["group"], departments["streamlining_rate"], strict=True))
    assert len(drawn) == len(departments) == 55
    assert drawn == pytest.approx(expected)
    for trace in bars(figure):
        assert [c[0] for c in trace.customdata] == list(trace.y)  # a click maps back to the department


def test_departments_below_thirty_percent_are_red(sample: Analysis):
    figure = department_rates_chart(sample.departments, 0.3)
    by_colour = {trace.marker.color: trace for trace in bars(figure)}
    failing = sample.departments.loc[sample.departments["streamlining_rate"] < 0.3, "group"]
    assert set(by_colour) == {PASS_COLOUR, FAIL_COLOUR}
    assert set(by_colour[FAIL_COLOUR].y) == set(failing)
    assert min(by_colour[PASS_COLOUR].x) >= 0.3
    passing = len(sample.departments) - len(failing)
    assert figure.layout.title.subtitle.text == f"{passing} / {len(sample.departments)} 个部门达到目标"


def test_target_line_at_thirty_percent_is_labelled(sample: Analysis):
    figure = department_rates_chart(sample.departments, 0.3)
    (line,) = figure.layout.shapes
    assert line.x0 == line.x1 == 0.3
    assert [a.text for a in figure.layout.annotations] == ["目标 30%"]


def test_highest_rate_is_drawn_on_top():
    figure = department_rates_chart(departments_table([0.5, 0.2, 0.9]), 0.3)
    # a horizontal bar chart stacks categories from the bottom up
    assert list(figure.layout.yaxis.categoryarray) == ["市第2局", "市第1局", "市第3局"]


@pytest.mark.parametrize(
    ("rate", "met"),
    [(0.3, True), (0.3 - 1e-15, True), (0.29, False), (1.0, True), (0.0, False)],
)
def test_a_rate_exactly_at_the_target_passes(rate, met):
    figure = department_rates_chart(departments_table([rate]), 0.3)
    (trace,) = bars(figure)
    assert trace.marker.color == (PASS_COLOUR if met else FAIL_COLOUR)


def test_without_a_target_there_is_no_line_and_no_pass_fail():
    figure = department_rates_chart(departments_table([0.5, 0.2]), None)
    assert len(bars(figure)) == 1
    assert not figure.layout.shapes


def test_current_catalog_shows_a_note_instead_of_bars():
    figure = department_rates_chart(departments_table([math.nan, math.nan]), 0.3)
    assert not bars(figure)
    assert "不计算精简率" in figure.layout.annotations[0].text


def test_departments_without_a_rate_are_counted_beside_the_bars():
    figure = department_rates_chart(departments_table([0.5, math.nan]), 0.3)
    assert [y for t in bars(figure) for y in t.y] == ["市第1局"]
    assert "另有 1 个部门" in figure.layout.title.subtitle.text


# --- decision_sankey ------------------------------------------------------------------------


def inflow(sankey: go.Sankey, node: int) -> int:
    return sum(v for t, v in zip(sankey.link.target, sankey.link.value, strict=True) if t == node)


def outflow(sankey: go.Sankey, node: int) -> int:
    return sum(v for s, v in zip(sankey.link.source, sankey.link.value, strict=True) if s == node)


def node_starting(sankey: go.Sankey, word: str) -> int:
    (index,) = [i for i, label in enumerate(sankey.node.label) if label.startswith(word)]
    return index


def test_every_sample_item_leaves_the_start_and_reaches_a_decision(sample: Analysis):
    items = sample.dataset.items
    (sankey,) = decision_sankey(items).data
    assert sankey.node.label[0] == f"清理前事项 {len(items)}项"
    assert outflow(sankey, 0) == len(items) == 446
    for decision, label in [("retained", "保留"), ("cancelled", "取消"), ("delegated", "下放"),
                            ("merged", "合并"), ("changed", "转变管理方式")]:  # fmt: skip
        expected = int((items["decision"] == decision).sum())
        node = node_starting(sankey, label)
        assert inflow(sankey, node) == expected
        assert sankey.node.label[node] == f"{label} {expected}项"
    assert inflow(sankey, node_starting(sankey, "保留")) == 213


def test_lists_pass_on_what_they_receive(sample: Analysis):
    (sankey,) = decision_sankey(sample.dataset.items).data
    licensing = node_starting(sankey, "行政许可")
    assert sankey.node.label[licensing] == "行政许可 393项"
    assert inflow(sankey, licensing) == outflow(sankey, licensing) == 393


def test_a_current_catalog_flows_entirely_to_retained_and_says_so():
    items = items_table([item("行政许可", "", has_decision=False)] * 3)
    (sankey,) = decision_sankey(items).data
    decisions = [label for label in sankey.node.label[2:]]
    assert decisions == ["保留 3项（现行目录，未作清理决定）"]
    assert inflow(sankey, 2) == 3


def test_retained_node_counts_items_from_lists_without_decisions():
    rows = [item("行政许可", "retained"), item("行政许可", "cancelled")]
    rows += [item("公共服务", "", has_decision=False)] * 2
    (sankey,) = decision_sankey(items_table(rows)).data
    retained = node_starting(sankey, "保留")
    assert sankey.node.label[retained] == "保留 3项（含未作清理决定的 2项）"
    assert inflow(sankey, retained) == 3


def test_unreadable_decisions_go_to_undecided_and_blank_lists_are_named():
    rows = [item("", "retained"), item("行政许可", "拟研究"), item("行政许可", "")]
    (sankey,) = decision_sankey(items_table(rows)).data
    assert "（未注明） 1项" in sankey.node.label
    assert inflow(sankey, node_starting(sankey, "未决定")) == 2


def test_no_items_no_sankey():
    figure = decision_sankey(items_table([]))
    assert not figure.data
    assert figure.layout.annotations[0].text == "没有事项"


def label_spans(sankey: go.Sankey, plot_px: float = 462) -> list[tuple[float, float, float]]:
    """Each node label's (left, right, centre y) in pixels across a half-width column: plotly
    writes the last column's labels to the left of their nodes, the others' to the right."""
    thickness, last = sankey.node.thickness, max(sankey.node.x)
    spans = []
    for label, x, y in zip(sankey.node.label, sankey.node.x, sankey.node.y, strict=True):
        width = text_px(label, sankey.textfont.size)
        if x == last:
            right = x * plot_px - thickness / 2 - 3
            spans.append((right - width, right, y))
        else:
            left = x * plot_px + thickness / 2 + 3
            spans.append((left, left + width, y))
    return spans


@pytest.mark.parametrize(
    "rows",
    [
        pytest.param(None, id="sample"),
        pytest.param([item("行政许可", "", has_decision=False)] * 3, id="current catalog"),
        pytest.param(
            [item("行政许可", "retained"), item("投资项目审批", "cancelled"), item("公共服务", "")],
            id="three lists",
        ),
    ],
)
def test_sankey_labels_of_one_column_end_before_the_next_columns_begin(sample, rows):
    items = sample.dataset.items if rows is None else items_table(rows)
    (sankey,) = decision_sankey(items).data
    columns = sorted(set(sankey.node.x))
    assert len(columns) == 3
    spans = label_spans(sankey)
    nodes = {x: x * 462 - sankey.node.thickness / 2 for x in columns}  # each column's left side
    by_column = {x: [s for s, at in zip(spans, sankey.node.x, strict=True) if at == x] for x in columns}
    first, middle, last = columns
    assert max(right for _, right, _ in by_column[first]) < nodes[middle]
    assert max(right for _, right, _ in by_column[middle]) < min(left for left, _, _ in by_column[last])


def test_sankey_stacks_lists_and_decisions_in_their_own_order(sample):
    (sankey,) = decision_sankey(sample.dataset.items).data
    assert sankey.node.sort == "input"  # the links leave each node in the same order
    decisions = [node_starting(sankey, w) for w in ("保留", "取消", "下放", "合并", "转变管理方式")]
    heights = [sankey.node.y[i] for i in decisions]
    assert heights == sorted(heights)  # top to bottom in the order of the decision classes
    lists = [node_starting(sankey, "行政许可"), node_starting(sankey, "投资项目审批")]
    assert sankey.node.y[lists[0]] < sankey.node.y[lists[1]]
    assert all(0 < v < 1 for v in (*sankey.node.x, *sankey.node.y))


def test_sankey_labels_keep_a_white_halo_over_the_links(sample):
    (sankey,) = decision_sankey(sample.dataset.items).data
    assert "#fff" in sankey.textfont.shadow


# --- limit_distribution_chart --------------------------------------------------------------


def test_limit_histograms_hold_the_retained_items_and_the_headline_means(sample: Analysis):
    figure = limit_distribution_chart(sample.dataset.items)
    overall = sample.overall.iloc[0]
    before, after = figure.data
    assert (before.name, after.name) == ("清理前（法定或原承诺）", "清理后（新承诺）")
    assert len(before.x) == len(after.x) == overall["time_counted_items"] == 213
    assert before.xbins.size == after.xbins.size
    means = sorted(shape.x0 for shape in figure.layout.shapes)
    assert means == pytest.approx(sorted([overall["before_avg_days"], overall["after_avg_days"]]))
    assert figure.layout.xaxis.title.text == "办结时限（工作日）"


def test_only_retained_items_with_both_limits_are_drawn():
    rows = [
        item("行政许可", "retained", before=30, after=7),
        item("行政许可", "retained", before=20, after=5),
        item("行政许可", "retained", before=20, after=float("nan")),  # no new commitment
        item("行政许可", "cancelled", before=60),
    ]
    figure = limit_distribution_chart(items_table(rows))
    before, after = figure.data
    assert sorted(before.x) == [20, 30]
    assert sorted(after.x) == [5, 7]
    assert sorted(s.x0 for s in figure.layout.shapes) == [6, 25]
    assert "76%" in figure.layout.title.subtitle.text  # (25 - 6) / 25


def test_no_comparable_limits_gives_a_note():
    figure = limit_distribution_chart(items_table([item("行政许可", "cancelled")]))
    assert not figure.data
    assert has_cjk(figure.layout.annotations[0].text)


def test_limit_means_are_named_in_the_legend_not_written_over_the_bars(sample: Analysis):
    figure = limit_distribution_chart(sample.dataset.items)
    overall = sample.overall.iloc[0]
    before, after = overall["before_avg_days"], overall["after_avg_days"]
    assert not figure.layout.annotations
    lines = sorted(figure.layout.shapes, key=lambda s: s.x0)
    assert [s.showlegend for s in lines] == [True, True]
    assert [s.name for s in lines] == [
        f"清理后平均 {after:.2f}",
        f"清理前平均 {before:.2f}",
    ]
    assert [s.line.color for s in lines] == [t.marker.color for t in reversed(figure.data)]
    # the legend pairs each histogram with its mean: 清理前, its mean, 清理后, its mean
    entries = [*figure.data, *lines]
    ordered = [e.name for e in sorted(entries, key=lambda e: e.legendrank)]
    assert ordered == [figure.data[0].name, lines[1].name, figure.data[1].name, lines[0].name]
    assert figure.layout.legend.entrywidth == 0.5 and figure.layout.legend.entrywidthmode == "fraction"


def test_limit_subtitle_gives_the_count_and_the_shortening_rate_only(sample: Analysis):
    figure = limit_distribution_chart(sample.dataset.items)
    overall = sample.overall.iloc[0]
    before, after = overall["before_avg_days"], overall["after_avg_days"]
    subtitle = figure.layout.title.subtitle.text
    assert subtitle == f"保留事项 213 项，缩短率 {(before - after) / before * 100:.1f}%"
    assert text_px(subtitle, 13) <= HALF_COLUMN - 48


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


def test_sample_flowchart_highlights_the_bulk_critical_path(first_retained):
    before, _, row = first_retained
    figure = process_flowchart(before, row)
    assert sorted(node_ids(figure)) == sorted(before["step_id"])
    path = list(row["critical_step_ids"])
    red = {p for p, note in edge_arrows(figure).items() if note.arrowcolor == CRITICAL_COLOUR}
    assert red == set(itertools.pairwise(path))
    assert row["item_name"] in figure.layout.title.text and "再造前" in figure.layout.title.text


# --- process_flowchart at the width of a page column ----------------------------------------

HALF_COLUMN = 520  # the process page draws 再造前 and 再造后 side by side
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


def text_px(line: str, font: float) -> float:
    """A label line's width as a browser draws it, near enough: full-width characters one em."""
    plain = html.unescape(re.sub(r"<[^>]+>", "", line))
    return sum(font if CJK.match(c) or c in "（）、…" else 0.62 * font for c in plain)


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


# --- gantt_chart ---------------------------------------------------------------------------


def drawn_spans(figure: go.Figure) -> dict[int, tuple[float, float]]:
    """step_id → (start, finish) as drawn: bars from base to base + x, 即办 markers at one point."""
    spans = {}
    for trace in figure.data:
        if trace.type == "bar":
            for i, base, width in zip(trace.customdata, trace.base, trace.x, strict=True):
                spans[int(i)] = (base, base + width)
        elif trace.customdata is not None:
            for i, x in zip(trace.customdata, trace.x, strict=True):
                spans[int(i)] = (x, x)
    return spans


def test_gantt_bars_run_from_each_steps_start_to_its_finish():
    before = step_schedule(process(*DIAMOND))
    after = step_schedule(process(step("1", "受理", 0), step("2", "审查决定", 4, "1"), first_id=11))
    figure = gantt_chart(before, after)
    expected = pd.concat([before, after]).set_index("step_id")[["start", "finish"]]
    assert drawn_spans(figure) == {i: tuple(r) for i, r in expected.iterrows()}
    categories = list(figure.layout.yaxis.categoryarray)
    assert categories[:4] == ["再造前 · 1. 受理", "再造前 · 2. 审查", "再造前 · 3. 勘查", "再造前 · 4. 决定"]
    assert categories[4:] == ["再造后 · 1. 受理", "再造后 · 2. 审查决定"]
    assert figure.layout.xaxis.range[0] == 0 and figure.layout.xaxis.title.text == "工作日"


def test_gantt_marks_critical_steps_red_and_on_the_spot_steps_as_markers():
    before = step_schedule(process(*DIAMOND))
    after = step_schedule(process(step("1", "受理", 0), step("2", "决定", 3, "1"), first_id=11))
    figure = gantt_chart(before, after)
    red = {int(i) for t in bars(figure) if t.marker.color == CRITICAL_COLOUR for i in t.customdata}
    assert red == {1, 2, 4, 12}
    (instant,) = [t for t in figure.data if t.type == "scatter" and t.customdata is not None]
    assert list(instant.customdata) == [11] and instant.name.startswith("即办")


def test_gantt_hatches_time_outside_the_limit():
    figure = gantt_chart(step_schedule(process(*EXPERT)), step_schedule(process(*DIAMOND).iloc[0:0]))
    hatched = [t for t in bars(figure) if t.marker.pattern.shape == "/"]
    assert [list(t.customdata) for t in hatched] == [[2]]
    assert "不计入时限" in hatched[0].name


def test_gantt_with_no_after_process_says_so():
    figure = gantt_chart(step_schedule(process(*DIAMOND)), step_schedule(process(*DIAMOND).iloc[0:0]))
    assert list(figure.layout.yaxis.categoryarray)[-1] == "再造后"
    assert "（无办理环节）" in [
        text for t in figure.data if t.type == "scatter" and t.mode == "text" for text in t.text
    ]
    assert "再造后" not in figure.layout.title.subtitle.text


def test_gantt_takes_the_steps_themselves_as_well_as_their_schedules():
    before, after = process(*DIAMOND), process(*EXPERT, version="after", first_id=11)
    from_steps = gantt_chart(before, after)
    from_schedules = gantt_chart(step_schedule(before), step_schedule(after))
    assert drawn_spans(from_steps) == drawn_spans(from_schedules)
    assert list(from_steps.layout.yaxis.categoryarray) == list(from_schedules.layout.yaxis.categoryarray)


def test_gantt_of_a_returned_for_correction_loop_says_so_instead_of_raising():
    figure = gantt_chart(process(*CYCLE), process(*DIAMOND, version="after", first_id=11))
    assert set(drawn_spans(figure)) == {11, 12, 13, 14}
    notes = [text for t in figure.data if t.type == "scatter" and t.mode == "text" for text in t.text]
    assert notes == ["（流程存在循环，无法排出时间线）"]
    assert figure.layout.yaxis.categoryarray[0] == "再造前"
    only_cycle = gantt_chart(process(*CYCLE), process(*CYCLE).iloc[0:0])
    assert not only_cycle.data
    assert "流程存在循环" in only_cycle.layout.annotations[0].text


def test_gantt_with_nothing_at_all():
    empty = step_schedule(process(*DIAMOND).iloc[0:0])
    figure = gantt_chart(empty, empty)
    assert not figure.data
    assert figure.layout.annotations[0].text == "无办理环节"


def test_sample_gantt_shows_both_versions_whole_durations(first_retained):
    before, after, _ = first_retained
    schedules = step_schedule(before), step_schedule(after)
    figure = gantt_chart(*schedules)
    expected = pd.concat(schedules).set_index("step_id")[["start", "finish"]]
    assert drawn_spans(figure) == {i: tuple(r) for i, r in expected.iterrows()}
    whole = [f"{s['finish'].max():g}个工作日" for s in schedules]
    assert all(w in figure.layout.title.subtitle.text for w in whole)


# --- every figure: Chinese, fonts that show it ---------------------------------------------


@pytest.fixture(scope="module")
def all_figures(sample: Analysis, first_retained) -> dict[str, go.Figure]:
    before, after, row = first_retained
    return {
        "departments": department_rates_chart(sample.departments, 0.3),
        "sankey": decision_sankey(sample.dataset.items),
        "limits": limit_distribution_chart(sample.dataset.items),
        "flowchart": process_flowchart(before, row, flagged={int(before["step_id"].iloc[1])}),
        "gantt": gantt_chart(step_schedule(before), step_schedule(after)),
        "cycle": process_flowchart(process(*CYCLE)),
        "empty": process_flowchart(process(*DIAMOND).iloc[0:0]),
    }


FIGURES = ["departments", "sankey", "limits", "flowchart", "gantt", "cycle", "empty"]


@pytest.mark.parametrize("name", FIGURES)
def test_titles_axes_and_legends_are_chinese(all_figures, name):
    figure = all_figures[name]
    layout = figure.layout
    assert has_cjk(layout.title.text)
    assert layout.font.family == FONT_FAMILY and "Noto Sans CJK SC" in FONT_FAMILY
    for axis in (layout.xaxis, layout.yaxis):
        if axis.visible is not False and axis.title.text:
            assert has_cjk(axis.title.text)
    for trace in figure.data:
        if getattr(trace, "showlegend", None) is not False and trace.name:
            assert has_cjk(trace.name), trace.name
        for text in getattr(trace, "hovertext", None) or ():
            assert has_cjk(text)
    for note in layout.annotations:
        if note.text:
            assert has_cjk(note.text)


@pytest.mark.skipif(
    importlib.util.find_spec("kaleido") is None or not Path("/usr/bin/chromium").exists(),
    reason="PNG export needs kaleido and /usr/bin/chromium",
)
def test_sample_figures_export_as_png(all_figures, tmp_path):
    for name in ("flowchart", "gantt", "sankey"):
        path = tmp_path / f"{name}.png"
        all_figures[name].write_image(path, width=1200)
        assert path.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
