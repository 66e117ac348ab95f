"""Pieces several pages draw the same way: metric cards, the headline cards, the figures tables,
every table (with its Chinese empty note), text that must not be read as markdown, and the
download of a settings file."""

from __future__ import annotations

import re
from collections.abc import Sequence
from functools import partial
from typing import Any

import pandas as pd
import streamlit as st
from pandas.io.formats.style import Styler

from approvals.settings import SETTINGS_FILES, Settings, settings_file_text
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
    """Each list's headline cards under its name, and the remarks too long for a card."""
    for group in groups:
        st.markdown(f"#### {plain(group.title)}")
        metrics(group.cards)
        for remark in group.remarks:
            st.caption(plain(remark))


def style_figures(table: pd.DataFrame) -> Styler:
    """A figures table with rates as percentages and pass/fail coloured."""
    formats = {c: (lambda v: percent(v)) for c in PERCENT_COLUMNS if c in table.columns}
    formats |= {c: (lambda v: days(v)) for c in DAY_COLUMNS if c in table.columns}

    def colour(value: object) -> str:
        return PASS_STYLE if value == "达标" else FAIL_STYLE if value == "未达标" else ""

    met_columns = [c for c in ("精简率达标", "缩短率达标") if c in table.columns]
    return table.style.format(formats).map(colour, subset=met_columns)


EMPTY_NOTE = "（没有符合条件的内容）"
MISSING = "—"  # what a cell without a value shows (Streamlit's own grid would say "None")
ROW_PIXELS = 35  # the grid's own row height, header included
WRAPPED_ROW_HEIGHT = 72  # the grid wraps a cell's text only in rows taller than 64 pixels: 3 lines


def show_table(
    data: pd.DataFrame | Styler, *, empty: str = EMPTY_NOTE, rows: int | None = None, **options: Any
) -> Any:
    """A table, or in its place a Chinese note when it has no rows (Streamlit's grid would say
    "empty"); missing values show as "—". ``rows``: the table grows to that many rows before it
    scrolls (Streamlit's own height shows about ten). Returns what ``st.dataframe`` returns, or
    None when only the note is shown."""
    frame = data.data if isinstance(data, Styler) else data
    if len(frame.index) == 0:
        st.caption(empty)
        return None
    options.setdefault("placeholder", MISSING)
    if rows is not None and "height" not in options:
        row = options.get("row_height") or ROW_PIXELS
        options["height"] = "content" if len(frame.index) <= rows else ROW_PIXELS + rows * row + 3
    return st.dataframe(data, **options)


def edit_table(data: pd.DataFrame, *, empty: str = EMPTY_NOTE, **options: Any) -> pd.DataFrame:
    """An editable table, or the Chinese note when it has no rows: then nothing can be edited
    and the data comes back as given. A table that rows can be added to is always shown."""
    if len(data.index) == 0 and options.get("num_rows", "fixed") == "fixed":
        st.caption(empty)
        return data
    options.setdefault("placeholder", MISSING)
    return st.data_editor(data, **options)


_MARKDOWN_SIGNS = re.compile(r"([\\`*_{}\[\]()#+\-.!|~<>$:])")


def plain(text: str) -> str:
    r"""Text (a department's or a list's name, anything a file brought) for st.markdown, with
    every sign markdown would act on escaped, so it reads as written.

    >>> print(plain("市*水利*局[1]："))
    市\*水利\*局\[1\]：
    """
    return _MARKDOWN_SIGNS.sub(r"\\\1", str(text))


def settings_download(settings: Settings, file: str, *, key: str) -> None:
    """A button that downloads one settings file as it is in force (the file an analyst edits
    and keeps in a settings folder), instead of naming the file on the screen."""
    st.download_button(
        f"下载规则设置：{SETTINGS_FILES[file]}",
        partial(settings_file_text, settings, file),
        file_name=file,
        mime="application/toml",
        icon=":material/tune:",
        key=key,
        help="当前使用的设置，可用文本编辑器查看和修改；放入设置文件夹后替换内置设置。",
    )
