"""Pieces several pages draw the same way: metric cards, the headline cards, the figures tables,
every table (with its Chinese empty note), the page picker of a long table, text that must not
be read as markdown, and the download of a settings file."""

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
from approvals.views.paging import Paging

PERCENT_COLUMNS = ("精简率", "精简率目标", "缩短率", "缩短率目标", "逐项缩短率均值")
DAY_COLUMNS = ("原平均时限", "新平均时限")
PASS_STYLE = "background-color: #e3f4e8; color: #1b6b36"
FAIL_STYLE = "background-color: #fde8e6; color: #a52a1f"


def metric(where: st.delta_generator.DeltaGenerator, card: Metric) -> None:
    """One card: a note is shown plain, a change with its arrow and colour. Label, note and
    tooltip may carry a list's or a department's name, so none is read as markdown (value and
    change are computed figures; a change's leading sign sets the arrow)."""
    label, value = plain(card.label), card.value
    tip = plain(card.help) if card.help else card.help
    if card.note is not None:
        note = plain(card.note)
        where.metric(label, value, note, delta_color="off", delta_arrow="off", border=card.border, help=tip)
    else:
        where.metric(label, value, card.change, border=card.border, help=tip)


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


def page_number(table: str, filters: str) -> tuple[str, int]:
    """(the page box's key, the page of a long table the analyst last chose: 1 at first). The key
    carries the filters, so a new filter starts at its first page."""
    key = f"{table}_page|{filters}"
    return key, int(st.session_state.get(key, 1))


def page_picker(paging: Paging, unit: str, key: str) -> None:
    """Under a long table, which rows it shows and the page to go to; nothing when one page holds
    them all. The number kept is the page shown (a filter that left fewer pages moved it)."""
    note = paging.note(unit)
    if note is None:
        return
    if st.session_state.get(key) != paging.page:
        st.session_state[key] = paging.page
    c = st.columns([4, 1])
    c[0].caption(plain(note))
    c[1].number_input("页码", min_value=1, max_value=paging.pages, step=1, key=key)


def edit_table(data: pd.DataFrame, *, empty: str = EMPTY_NOTE, **options: Any) -> pd.DataFrame:
    """An editable table, or the Chinese note when it has no rows: then nothing can be edited
    and the data comes back as given. A table that rows can be added to is always shown."""
    if len(data.index) == 0 and options.get("num_rows", "fixed") == "fixed":
        st.caption(empty)
        return data
    options.setdefault("placeholder", MISSING)
    return st.data_editor(data, **options)


# The signs markdown acts on anywhere in a line: emphasis, code, links and images, strikethrough,
# LaTeX, Streamlit's :colour[…] / :icon: directives and emoji codes, e-mail links. A "." or "-"
# in a name ("53.18%", "说明.docx", "2026-02-30") stays as it is.
_INLINE_SIGNS = re.compile(r"([\\`*_\[\]~$:@])")
# What starts a heading or a list, and a numbered list, when the text begins a line.
_BLOCK_MARK = re.compile(r"^([#+\-])")
_NUMBERED = re.compile(r"^(\d+)([.)])")
_HTML_SIGNS = {"&": "&amp;", "<": "&lt;", ">": "&gt;"}
# The page's renderer makes links of http://…, www.… and name@host in the text it shows, escapes
# or not; an invisible word joiner inside each keeps them text.
_AUTOLINK = re.compile(r"(?<=[A-Za-z])(?=\\?://)|(?<=www)(?=\.)|(?<!\\)(?=\\?@)", re.IGNORECASE)
_JOINER = "\u2060"
_LINE_BREAKS = re.compile(r"\s*[\r\n]+\s*")


def plain(text: object) -> str:
    r"""Text (a department's or a list's name, anything a file brought) for st.markdown and every
    other element whose text Streamlit reads as markdown (captions, notices, labels, metrics,
    tabs, tooltips): every sign markdown would act on is escaped and < > & are written as HTML
    entities, so it reads as written and makes no link, image, HTML, heading or list. A line
    break becomes a space (a name is one line), and leading spaces go (they would start code).

    >>> print(plain("市*水利*局[1]："))
    市\*水利\*局\[1\]：
    >>> print(plain("![图](http://example.com/x.png) www.example.com"))
    !\[图\](http⁠\://example.com/x.png) www⁠.example.com
    >>> print(plain("<img src=x onerror=alert(1)> & 第一行\n# 第二行"))
    &lt;img src=x onerror=alert(1)&gt; &amp; 第一行 # 第二行
    >>> print(plain("1. 总则"))
    1\. 总则
    >>> print(plain("# 标题 - 精简率 53.18%"))
    \# 标题 - 精简率 53.18%
    """
    one_line = _LINE_BREAKS.sub(" ", str(text)).lstrip()
    escaped = _AUTOLINK.sub(_JOINER, _INLINE_SIGNS.sub(r"\\\1", one_line))
    escaped = _BLOCK_MARK.sub(r"\\\1", _NUMBERED.sub(r"\1\\\2", escaped))
    return "".join(_HTML_SIGNS.get(c, c) for c in escaped)


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
