"""The legal-basis tier chart: one readable horizontal bar per tier with its count, in three
colours (may set a licence, may not, 未填写 / 待核实), however few tiers a list reaches."""

from __future__ import annotations

import pandas as pd
import pytest
from chart_cases import assert_chinese, bars
from sample import SETTINGS, sample_dataset

from approvals.charts.overview import TIER_BAR_PX, legal_tier_chart
from approvals.charts.style import FAIL_COLOUR, PASS_COLOUR, UNCOUNTED_COLOUR
from approvals.model import ITEM_COLUMNS, conform
from approvals.redesign.legal import tier_breakdown

BASES = {
    "法律": "《中华人民共和国水法》第七条",
    "部门规章": "《河道采砂管理办法》（水利部令第5号）",
    "待核实": "详见附件",
    "未填写": "",
}


def breakdown(counts: dict[str, int]) -> pd.DataFrame:
    """The tier breakdown of a list with ``counts`` items on each kind of basis (by its label)."""
    bases = [BASES[label] for label, n in counts.items() for _ in range(n)]
    frame = pd.DataFrame({"item_id": range(len(bases)), "legal_basis": bases})
    return tier_breakdown(conform(frame, ITEM_COLUMNS), SETTINGS.legal)


def plot_px_per_bar(figure) -> float:
    """The height the plot area gives each bar's row."""
    layout = figure.layout
    return (layout.height - layout.margin.t - layout.margin.b) / len(bars(figure)[0].y)


@pytest.mark.parametrize(
    "counts",
    [{"未填写": 31}, {"法律": 2, "未填写": 31}, {"法律": 5, "部门规章": 3, "待核实": 2, "未填写": 31}],
    ids=["one_tier", "two_tiers", "four_tiers"],
)
def test_each_tier_has_a_bar_of_its_own_with_room_to_read_it(counts: dict[str, int]) -> None:
    figure = legal_tier_chart(breakdown(counts))
    bar = bars(figure)[0]
    assert bar.orientation == "h"
    assert list(bar.y) == list(counts)  # one bar per tier, in order of authority
    assert list(bar.x) == list(counts.values())
    assert figure.layout.yaxis.type == "category"
    assert list(figure.layout.yaxis.categoryarray) == list(counts)[::-1]  # the highest tier on top
    assert plot_px_per_bar(figure) >= TIER_BAR_PX


def test_each_bar_shows_its_count_and_share_beside_it() -> None:
    bar = bars(legal_tier_chart(breakdown({"法律": 2, "未填写": 31})))[0]
    assert list(bar.text) == [f"2 项（{2 / 33:.1%}）", f"31 项（{31 / 33:.1%}）"]  # 6.1%, 93.9%
    assert bar.textposition == "outside" and bar.cliponaxis is False


def test_unfilled_and_unrecognised_bases_are_neither_able_nor_unable_to_set_a_licence() -> None:
    figure = legal_tier_chart(breakdown({"法律": 5, "部门规章": 3, "待核实": 2, "未填写": 31}))
    assert list(bars(figure)[0].marker.color) == [
        PASS_COLOUR,
        FAIL_COLOUR,
        UNCOUNTED_COLOUR,
        UNCOUNTED_COLOUR,
    ]
    legend = [t.name for t in figure.data if t.type == "scatter"]
    assert legend == ["可以设定行政许可", "不得设定行政许可", "未填写或待核实"]


def test_the_legend_names_only_the_kinds_the_list_has() -> None:
    figure = legal_tier_chart(breakdown({"未填写": 31}))
    assert [t.name for t in figure.data if t.type == "scatter"] == ["未填写或待核实"]
    assert list(bars(figure)[0].marker.color) == [UNCOUNTED_COLOUR]


def test_the_sample_tiers_are_drawn_in_chinese() -> None:
    items = sample_dataset().items
    figure = legal_tier_chart(tier_breakdown(items[items["counts_as"].ne("streamlined")], SETTINGS.legal))
    assert_chinese(figure)
    assert plot_px_per_bar(figure) >= TIER_BAR_PX


def test_no_items_give_a_note_instead_of_bars() -> None:
    figure = legal_tier_chart(breakdown({}))
    assert not bars(figure)
    assert figure.layout.annotations[0].text == "没有事项"
