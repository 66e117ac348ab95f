"""The 对标 chart: a bar per locality, the localities at the shortest limit green, a dashed line at
the shortest, each bar's label clear of the bar's end (and of the line, where the bar ends there)."""

from __future__ import annotations

import pandas as pd

from approvals.charts.benchmarks import MAX_BARS, locality_limits_chart
from approvals.charts.style import NEUTRAL_COLOUR, PASS_COLOUR


def rows(limits: list[float]) -> pd.DataFrame:
    best = min(limits)
    return pd.DataFrame({
        "地区": [f"第{n}县" for n in range(len(limits))],
        "承诺时限（工作日）": limits,
        "最短": ["是" if v == best else "否" for v in limits],
    })  # fmt: skip


def test_the_shortest_localities_are_green_and_the_line_stands_at_the_shortest() -> None:
    figure = locality_limits_chart(rows([3, 3, 5, 12.5]), "取水许可")
    bar = figure.data[0]
    assert list(bar.x) == [3, 3, 5, 12.5]
    assert list(bar.marker.color) == [PASS_COLOUR, PASS_COLOUR, NEUTRAL_COLOUR, NEUTRAL_COLOUR]
    (line,) = [s for s in figure.layout.shapes if s.line.dash == "dash"]
    assert line.x0 == line.x1 == 3
    assert list(bar.text) == [f"\u2002{v} 个工作日" for v in ("3", "3", "5", "12.5")]
    assert bar.textposition == "outside"
    assert "最短 3 个工作日（虚线）；共 4 个地区" in figure.layout.title.subtitle.text


def test_many_localities_draw_the_shortest_sixty_and_say_so() -> None:
    limits = [float(n) for n in range(1, MAX_BARS + 11)]
    figure = locality_limits_chart(rows(limits), "取水许可")
    assert len(figure.data[0].x) == MAX_BARS
    assert f"共 {MAX_BARS + 10} 个地区，图中为最短的 {MAX_BARS} 个" in figure.layout.title.subtitle.text


def test_no_locality_is_a_note() -> None:
    figure = locality_limits_chart(rows([1]).iloc[0:0], "取水许可")
    assert "没有可对标的地区" in str(figure.layout)
