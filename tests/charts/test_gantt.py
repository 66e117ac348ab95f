"""The timeline of a process before and after re-engineering, and the schedule behind it:
when each step starts and finishes, which steps are critical."""

from __future__ import annotations

import importlib.util
from pathlib import Path

import networkx as nx
import pandas as pd
import plotly.graph_objects as go
import pytest
from chart_cases import (
    CYCLE,
    DIAMOND,
    EXPERT,
    assert_chinese,
    bars,
    first_retained_schedules,
    process,
    step,
)
from hypothesis import given, settings
from hypothesis import strategies as st

from approvals.charts.gantt import gantt_chart
from approvals.charts.style import CRITICAL_COLOUR, office_colours
from approvals.processes.graph import SCHEDULE_COLUMNS, step_schedule
from approvals.processes.paths import critical_paths

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


# --- gantt_chart ---------------------------------------------------------------------------


def drawn_spans(figure: go.Figure) -> dict[int, tuple[float, float]]:
    """step_id → (start, finish) as drawn: bars from base to base + x, 即办 markers at one point."""
    spans = {}
    for trace in figure.data:
        if trace.meta != "steps":
            continue
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


def per_step(figure: go.Figure, attribute) -> dict[int, object]:
    """step_id → what ``attribute`` reads of its bar or marker (a value of the trace or its own)."""
    found = {}
    for trace in figure.data:
        if trace.meta != "steps":
            continue
        values = attribute(trace)
        many = isinstance(values, (list, tuple))
        for n, step_id in enumerate(trace.customdata):
            found[int(step_id)] = values[n] if many else values
    return found


def test_gantt_outlines_critical_steps_red_and_shows_on_the_spot_steps_as_markers():
    before = step_schedule(process(*DIAMOND))
    after = step_schedule(process(step("1", "受理", 0), step("2", "决定", 3, "1"), first_id=11))
    figure = gantt_chart(before, after)
    outlines = per_step(figure, lambda t: t.marker.line.color)
    assert {i for i, colour in outlines.items() if colour == CRITICAL_COLOUR} == {1, 2, 4, 11, 12}
    (instant,) = [t for t in figure.data if t.type == "scatter" and t.meta == "steps"]
    assert list(instant.customdata) == [11] and instant.marker.symbol == "diamond"
    names = [t.name for t in figure.data if t.meta != "steps"]
    assert "关键路径环节（红框）" in names and "即办环节（0个工作日）" in names


def test_gantt_hatches_time_outside_the_limit():
    figure = gantt_chart(step_schedule(process(*EXPERT)), step_schedule(process(*DIAMOND).iloc[0:0]))
    hatches = per_step(figure, lambda t: t.marker.pattern.shape)
    assert {i for i, shape in hatches.items() if shape == "/"} == {2}
    (legend,) = [t for t in bars(figure) if t.meta != "steps"]
    assert legend.name == "不计入时限" and legend.marker.pattern.shape == "/"


def test_gantt_fills_each_office_with_the_colour_its_flowcharts_give_it():
    before = process(*EXPERT)
    after = process(step("1", "受理", 0, office="窗口"), *EXPERT[1:], version="after", first_id=11)
    colours = office_colours(["专家组", "窗口", "审批科"])
    figure = gantt_chart(before, after, office_colours=colours)
    offices = pd.concat([before, after]).set_index("step_id")["office"]
    fills = per_step(figure, lambda t: t.marker.color)
    assert fills == {int(i): colours[office] for i, office in offices.items()}
    legend = {
        t.name: t.marker.color
        for t in figure.data
        if t.meta != "steps" and str(t.legendgroup or "").startswith("office:")
    }
    assert legend == colours


def test_gantt_without_a_map_gives_each_office_its_own_colour():
    figure = gantt_chart(process(*EXPERT), process(*DIAMOND).iloc[0:0])
    fills = per_step(figure, lambda t: t.marker.color)
    assert fills[1] == fills[3] != fills[2]  # 审批科, 专家组


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


def test_sample_gantt_shows_both_versions_whole_durations():
    schedules = first_retained_schedules()
    figure = gantt_chart(*schedules)
    expected = pd.concat(schedules).set_index("step_id")[["start", "finish"]]
    assert drawn_spans(figure) == {i: tuple(r) for i, r in expected.iterrows()}
    whole = [f"{s['finish'].max():g}个工作日" for s in schedules]
    assert all(w in figure.layout.title.subtitle.text for w in whole)


# --- Chinese, in fonts that show it -----------------------------------------------------------


def test_titles_axes_legends_and_hovers_are_chinese():
    assert_chinese(gantt_chart(*first_retained_schedules()))


@pytest.mark.skipif(
    importlib.util.find_spec("kaleido") is None or not Path("/usr/bin/chromium").exists(),
    reason="PNG export needs kaleido and /usr/bin/chromium",
)
def test_sample_gantt_exports_as_png(tmp_path):
    path = tmp_path / "gantt.png"
    gantt_chart(*first_retained_schedules()).write_image(path, width=1200)
    assert path.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
