"""Pieces several pages draw the same way: metric cards, the headline cards, the figures tables."""

from __future__ import annotations

from collections.abc import Sequence

import pandas as pd
import streamlit as st
from pandas.io.formats.style import Styler

from approvals.views.cards import CardGroup, Metric
from approvals.views.format import days, percent

PERCENT_COLUMNS = ("精简率", "精简率目标", "缩短率", "缩短率目标", "逐项缩短率均值")
DAY_COLUMNS = ("原平均时限", "新平均时限")
PASS_STYLE = "background-color: #e3f4e8; color: #1b6b36"
FAIL_STYLE = "background-color: #fde8e6; color: #a52a1f"


def metric(where: st.delta_generator.DeltaGenerator, card: Metric) -> None:
    """One card: a note is shown plain, a change with its arrow and colour."""
    if card.note is not None:
        where.metric(
            card.label, card.value, card.note, delta_color="off", delta_arrow="off", border=card.border,
            help=card.help,
        )  # fmt: skip
    else:
        where.metric(card.label, card.value, card.change, border=card.border, help=card.help)


def metrics(cards: Sequence[Metric]) -> None:
    """Cards side by side, one column each."""
    for column, card in zip(st.columns(len(cards)), cards, strict=True):
        metric(column, card)


def headline(groups: Sequence[CardGroup]) -> None:
    """Each list's headline cards under its name."""
    for group in groups:
        st.markdown(f"#### {group.title}")
        metrics(group.cards)


def style_figures(table: pd.DataFrame) -> Styler:
    """A figures table with rates as percentages and pass/fail coloured."""
    formats = {c: (lambda v: percent(v)) for c in PERCENT_COLUMNS if c in table.columns}
    formats |= {c: (lambda v: days(v)) for c in DAY_COLUMNS if c in table.columns}

    def colour(value: object) -> str:
        return PASS_STYLE if value == "达标" else FAIL_STYLE if value == "未达标" else ""

    met_columns = [c for c in ("精简率达标", "缩短率达标") if c in table.columns]
    return table.style.format(formats).map(colour, subset=met_columns)
