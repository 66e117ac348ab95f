"""The charts of the clean-up as a whole: 精简率 by department, where the items went, and the
limits before and after, read back from the figures."""

from __future__ import annotations

import importlib.util
import math
from pathlib import Path

import pandas as pd
import plotly.graph_objects as go
import pytest
from chart_cases import HALF_COLUMN, assert_chinese, bars, has_cjk, item, items_table, text_px
from sample import sample_analysis

from approvals.analysis import Analysis
from approvals.charts.overview import decision_sankey, department_rates_chart, limit_distribution_chart
from approvals.charts.style import FAIL_COLOUR, PASS_COLOUR


@pytest.fixture(scope="module")
def sample() -> Analysis:
    return sample_analysis()


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
    overall = sample.overall
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
    overall = sample.overall
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
    overall = sample.overall
    before, after = overall["before_avg_days"], overall["after_avg_days"]
    subtitle = figure.layout.title.subtitle.text
    assert subtitle == f"保留事项 213 项，缩短率 {(before - after) / before * 100:.1f}%"
    assert text_px(subtitle, 13) <= HALF_COLUMN - 48


# --- Chinese, in fonts that show it -----------------------------------------------------------


FIGURES = {
    "departments": lambda sample: department_rates_chart(sample.departments, 0.3),
    "sankey": lambda sample: decision_sankey(sample.dataset.items),
    "limits": lambda sample: limit_distribution_chart(sample.dataset.items),
}


@pytest.mark.parametrize("name", FIGURES)
def test_titles_axes_legends_and_hovers_are_chinese(sample, name):
    assert_chinese(FIGURES[name](sample))


@pytest.mark.skipif(
    importlib.util.find_spec("kaleido") is None or not Path("/usr/bin/chromium").exists(),
    reason="PNG export needs kaleido and /usr/bin/chromium",
)
def test_sample_sankey_exports_as_png(sample, tmp_path):
    path = tmp_path / "sankey.png"
    decision_sankey(sample.dataset.items).write_image(path, width=1200)
    assert path.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
