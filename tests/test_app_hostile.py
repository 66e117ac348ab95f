"""Names a file brought are shown as written: markdown and HTML in a department, an item, a list,
a sheet, a file or a step never become a link, an image, bold text or markup, on any screen or
figure."""

from __future__ import annotations

import html
import json
import re
from collections.abc import Iterator
from typing import Any

import pytest
from apptest import PAGES, XLSX, assert_ok
from builders import (
    HOSTILE_BOLD,
    HOSTILE_DEPARTMENT,
    HOSTILE_FILE,
    HOSTILE_HTML,
    HOSTILE_IMAGE,
    HOSTILE_LINK,
    HOSTILE_LIST,
    HOSTILE_NAMES,
    HOSTILE_OFFICE,
    HOSTILE_SHEET,
    hostile_workbook,
)
from streamlit.testing.v1 import AppTest

from approvals.charts.style import markup
from ui.widgets import plain

PAYLOADS = [HOSTILE_HTML, HOSTILE_BOLD, HOSTILE_LINK, HOSTILE_IMAGE]

# CommonMark: a backslash before any ASCII punctuation character stands for that character;
# an entity reference stands for its character.
_ESCAPED = re.compile(r"\\([!-/:-@\[-`{-~])")
_ENTITY = re.compile(r"&(?:[a-z]+|#\d+|#x[0-9a-f]+);", re.IGNORECASE)
# What markdown (GitHub's, with Streamlit's directives), or HTML, acts on within a line; and what
# starts a heading, a quote, a list or code at the start of one; and a bare link.
_ACTIVE = re.compile(r"[<>&*_\[\]`~$:@\\]")
_BLOCK = re.compile(r"^(\s|[#>+\-]|\d+[.)])")
_BARE_LINK = re.compile(r"www\.|https?\\?://|\w\\?@", re.IGNORECASE)  # no joiner (U+2060) inside


def as_read(source: str) -> str:
    """The text markdown shows for ``source`` when it holds only escapes and plain text."""
    return html.unescape(_ESCAPED.sub(r"\1", source)).replace("\u2060", "")


def unescaped_signs(source: str) -> list[str]:
    """What in ``source`` markdown or HTML would act on: signs neither escaped nor part of an
    entity, a block's start, a bare link."""
    bare = _ENTITY.sub("", _ESCAPED.sub("", source))
    return _ACTIVE.findall(bare) + _BLOCK.findall(source) + _BARE_LINK.findall(source)


# --------------------------------------------------------------------------- the escape helper


@pytest.mark.parametrize(
    "text",
    [
        *PAYLOADS,
        HOSTILE_FILE,
        "市*水利*局_2026_",
        ":red[红色] :material/home: $x^2$ ~~删除~~ `代码`",
        "# 标题 | 表格 | > 引用 1. 列表",
        "1. 第一条",
        "- 列表 + 加号",
        "    缩进的代码",
        "http://example.com www.example.com 名称@example.com",
        "&lt;已是实体&gt; &amp; &#60;",
        '=HYPERLINK("http://x","点我")',
    ],
)
def test_escaped_text_reads_as_written_and_leaves_markdown_nothing_to_act_on(text: str) -> None:
    shown = plain(text)
    assert as_read(shown) == text.lstrip()
    assert unescaped_signs(shown) == []


def test_a_line_break_in_a_name_becomes_a_space_so_no_heading_or_paragraph_starts() -> None:
    shown = plain("第一行\n# 第二行\r\n\r\n    第三行")
    assert "\n" not in shown and "\r" not in shown
    assert as_read(shown) == "第一行 # 第二行 第三行"


def test_plain_chinese_text_is_left_as_it_is() -> None:
    assert (
        plain("示例市水利局（行政许可）：保留 12 项，精简率 53%")
        == "示例市水利局（行政许可）：保留 12 项，精简率 53%"
    )


@pytest.mark.parametrize("text", [*PAYLOADS, HOSTILE_FILE, '<a href="http://example.com">链接</a> & 1'])
def test_text_for_a_figure_holds_no_markup_and_reads_as_written(text: str) -> None:
    shown = markup(text)
    assert "<" not in shown and ">" not in shown
    assert html.unescape(shown) == text


# ------------------------------------------------------------------------ every screen, AppTest

# The elements whose text Streamlit reads as markdown, and how to get that text from AppTest.
_MARKDOWN_ELEMENTS = ("markdown", "caption", "info", "warning", "error", "success", "title", "subheader")


def _markdown_sources(at: AppTest) -> Iterator[str]:
    for kind in _MARKDOWN_ELEMENTS:
        yield from (str(e.value) for e in at.get(kind))
    for kind in ("metric", "expander", "tab", "button", "download_button", "checkbox", "toggle", "radio"):
        yield from (str(e.label) for e in at.get(kind))
    for kind in ("metric", "button", "download_button", "text_input", "selectbox", "multiselect"):
        yield from (str(e.help) for e in at.get(kind) if getattr(e, "help", None))
    for e in at.get("metric"):
        yield str(e.proto.body)


# Values plotly keeps for the page (a click gives them back) and never draws as text.
_DATA_ONLY = {"customdata", "tickvals", "categoryarray", "legendgroup", "meta", "uid"}


def _strings(value: Any, skip: frozenset[str]) -> Iterator[str]:
    if isinstance(value, str):
        yield value
    elif isinstance(value, dict):
        for key, v in value.items():
            if key not in skip:
                yield from _strings(v, skip)
    elif isinstance(value, list):
        for v in value:
            yield from _strings(v, skip)


def _figure_strings(at: AppTest) -> Iterator[str]:
    """Every string plotly draws on the page's figures (titles, labels, hover, legend): a
    category axis with tick texts of its own draws those, not its values."""
    for chart in at.get("plotly_chart"):
        spec = json.loads(chart.proto.spec)
        labelled = {a[0] for a in ("x", "y") if "ticktext" in spec["layout"].get(f"{a}axis", {})}
        yield from _strings(spec, frozenset(_DATA_ONLY | labelled))


@pytest.fixture
def hostile(app: AppTest) -> AppTest:
    """The app with the hostile list uploaded on 导入."""
    app.switch_page("pages/import.py").run()
    uploader = next(u for u in app.get("file_uploader") if u.key == "import_upload")
    uploader.set_value([(HOSTILE_FILE, hostile_workbook(), XLSX)]).run()
    assert_ok(app)
    return app


@pytest.mark.usefixtures("own_database")
def test_no_screen_lets_markdown_or_html_from_the_files_act(hostile: AppTest) -> None:
    seen: list[str] = []
    for path in ["app.py", *PAGES]:
        hostile.switch_page(path).run()
        assert_ok(hostile)
        for source in _markdown_sources(hostile):
            # the page's own markup (a heading, bold) stays; each payload is in its inert form
            for payload in PAYLOADS:
                assert payload not in source, (path, source)
                if payload in as_read(source):
                    assert plain(payload) in source, (path, source)
                    seen.append(as_read(source))
        for text in _figure_strings(hostile):
            assert "<img" not in text and "<a " not in text, (path, text)
    said = "\n".join(seen)
    for shown in (HOSTILE_LIST, HOSTILE_SHEET, HOSTILE_FILE.removesuffix(".xlsx")):
        assert shown in said, shown


@pytest.mark.usefixtures("own_database")
def test_figures_show_the_names_escaped_and_a_click_still_gives_the_department(hostile: AppTest) -> None:
    hostile.switch_page("pages/overview.py").run()
    assert_ok(hostile)
    figures = [json.loads(chart.proto.spec) for chart in hostile.get("plotly_chart")]
    bars = next(f for f in figures if f["layout"]["title"]["text"] == "<b>各部门事项精简率</b>")
    assert {row[0] for trace in bars["data"] for row in trace["customdata"]} == {HOSTILE_DEPARTMENT}
    assert bars["layout"]["yaxis"]["ticktext"] == [html.escape(HOSTILE_DEPARTMENT, quote=False)]
    sankey = next(f for f in figures if f["data"][0]["type"] == "sankey")
    labels = sankey["data"][0]["node"]["label"]
    assert f"{html.escape(HOSTILE_LIST, quote=False)} 4项" in labels

    hostile.switch_page("pages/process.py").run()
    assert_ok(hostile)
    # the first item's flowchart and timeline: its office in the legend and in every hover
    choices = hostile.selectbox(key="process_item").options
    assert [n for n in HOSTILE_NAMES if any(n in str(c) for c in choices)] == list(HOSTILE_NAMES)
    shown = list(_figure_strings(hostile))
    office = html.escape(HOSTILE_OFFICE, quote=False)
    assert office in shown
    hovers = [t for t in shown if "责任科室：" in t]
    assert len(hovers) == 4  # two steps on the flowchart before and on the timeline (no after process)
    assert all(f"责任科室：{office}" in t for t in hovers)
    assert not [t for t in shown if "<img" in t or "<a " in t]
