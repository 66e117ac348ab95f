"""What the analyst reads on the screens (AppTest): Chinese notes instead of empty grids, no
"None", "nan", settings file names or English rule words, the plain rule editor, every screen
linked from the start page, and notes that are too long for a card shown under the cards."""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from apptest import assert_ok, upload
from builders import workbook
from google.protobuf.json_format import MessageToDict
from sample import sample_analysis
from streamlit.testing.v1 import AppTest

from approvals.settings import load_settings
from approvals.store.db import default_url
from approvals.store.rounds import Store
from ui.frame import PAGES, START_PAGE
from ui.widgets import MISSING

pytestmark = pytest.mark.usefixtures("own_database")
ROOT = Path(__file__).resolve().parent.parent
SCREENS = [p.path for p in PAGES if p.path != START_PAGE]
# A clean list: every cell readable, so reading it finds no problem at all.
CLEAN_ROWS = [
    ["事项名称", "实施部门", "事项类型", "法定办结时限", "承诺办结时限", "处理意见"],
    ["取水许可", "市水利局", "行政许可", "20个工作日", "10个工作日", "保留"],
    ["河道采砂许可", "市水利局", "行政许可", "20个工作日", "", "取消"],
]
# Words and signs that must never reach a screen: Python's and pandas' missing values, a
# settings file's name, the decision table's English comparison codes.
FORBIDDEN = re.compile(r"\bNone\b|\bnan\b|\bNaN\b|<NA>|\.toml|\bregex\b|\bexact\b|\bcontains\b")
VISIBLE_FIELDS = {"body", "label", "help", "placeholder", "options", "delta", "caption", "default"}


def nodes(node: Any) -> Iterator[Any]:
    yield node
    children = getattr(node, "children", None)
    if isinstance(children, dict):
        for child in children.values():
            yield from nodes(child)


def _strings(value: Any, visible: bool = False) -> Iterator[str]:
    if isinstance(value, dict):
        for key, inner in value.items():
            yield from _strings(inner, visible or key in VISIBLE_FIELDS)
    elif isinstance(value, list):
        for inner in value:
            yield from _strings(inner, visible)
    elif isinstance(value, str) and visible:
        yield value


def screen_text(at: AppTest) -> list[str]:
    """Every text the screen shows: labels, bodies, help, options and placeholders of every
    element, the headers, column labels and options of every table, and its text cells."""
    texts: list[str] = []
    for node in nodes(at._tree):
        proto = getattr(node, "proto", None)
        if proto is None or type(node).__name__ == "Html":  # the frame's style sheet
            continue
        shown = MessageToDict(proto)
        texts += _strings(shown)
        columns = shown.get("columns")
        if isinstance(columns, str) and columns.startswith("{"):
            for config in json.loads(columns).values():
                texts += _strings(config, visible=True)
    for table in at.dataframe:  # editable tables too
        frame = table.value
        texts += [str(c) for c in frame.columns]
        for column in frame.columns:
            if frame[column].dtype.kind in "OUT" or str(frame[column].dtype) == "str":
                texts += [str(v) for v in frame[column].dropna()]
    return texts


def visit_every_screen(at: AppTest) -> Iterator[str]:
    for page in [START_PAGE, *SCREENS]:
        at.switch_page(page).run()
        assert_ok(at)
        yield page


@pytest.mark.parametrize("source", ["sample", "upload"])
def test_no_screen_shows_none_nan_a_settings_file_or_an_english_rule_word(app: AppTest, source: str) -> None:
    if source == "upload":
        upload(app, "水利局.xlsx", workbook({"表": CLEAN_ROWS}))
    for page in visit_every_screen(app):
        found = sorted({t for t in screen_text(app) if FORBIDDEN.search(t)})
        assert found == [], f"{page}: {found}"
        for grid in app.dataframe:
            assert grid.proto.placeholder == MISSING, page  # a missing value reads "—", not "None"


def test_an_import_without_problems_says_so_in_chinese_instead_of_an_empty_table(app: AppTest) -> None:
    upload(app, "水利局.xlsx", workbook({"表": CLEAN_ROWS}))
    assert "错误 0 条，警告 0 条，提示 0 条" in " ".join(c.value for c in app.caption)
    assert "import_problems" not in [d.key for d in app.dataframe]
    assert "没有发现问题。" in [c.value for c in app.caption]


def test_no_screen_draws_a_table_without_rows(app: AppTest) -> None:
    upload(app, "水利局.xlsx", workbook({"表": CLEAN_ROWS}))  # no steps, no problems, no flags
    for page in visit_every_screen(app):
        empty = [grid.key or list(grid.value.columns) for grid in app.dataframe if grid.value.empty]
        assert empty == [], page


def test_the_start_page_links_every_screen_of_the_menu_in_its_order(app: AppTest) -> None:
    links = [link.proto for link in app.main.get("page_link")]
    menu = [link.proto.label for link in app.sidebar.get("page_link")]
    assert [p.page for p in links] == [Path(p).stem for p in SCREENS]
    assert [p.label.split("：")[0] for p in links] == menu[1:]  # the menu without 开始 itself
    assert all(p.label.split("：")[1] for p in links)  # each says what the screen is for


def test_the_rule_editor_shows_plain_rules_until_regular_expressions_are_asked_for(app: AppTest) -> None:
    app.switch_page("pages/import.py").run()
    rules = load_settings().decisions.table
    regexes = set(rules.loc[rules["match"].eq("regex"), "pattern"])
    assert regexes  # the bundled table has regular-expression rules to hide
    editor = next(e for e in app.data_editor if e.key == "import_rules_editor")
    assert set(editor.value["match"]) == {"完全相同", "包含"}
    assert len(editor.value) == len(rules) - len(regexes)
    shown = " ".join(screen_text(app))
    assert not [r for r in regexes if r in shown]  # neither in the editor nor in the mapping table
    app.toggle(key="import_rules_advanced").set_value(True).run()
    assert_ok(app)
    editor = next(e for e in app.data_editor if e.key == "import_rules_editor_all")
    assert editor.value["pattern"].tolist() == rules["pattern"].tolist()
    assert set(editor.value["match"]) == {"完全相同", "包含", "正则表达式"}


def test_a_rule_written_in_plain_words_comes_last_and_keeps_every_other_rule_in_its_place(
    app: AppTest,
) -> None:
    rows = [
        CLEAN_ROWS[0],
        ["甲", "市水利局", "行政许可", "20", "10", "保留"],
        ["乙", "市水利局", "行政许可", "20", "10", "拟撤销"],
    ]
    upload(app, "甲局.xlsx", workbook({"表": rows}))
    app.switch_page("pages/overview.py").run()
    assert app.metric[0].value == "0.00%"  # 拟撤销 is not understood: undecided, left out
    app.switch_page("pages/import.py").run()
    before = load_settings().decisions.table
    app.session_state["import_rules_editor"] = {
        "edited_rows": {},
        "deleted_rows": [],
        "added_rows": [{"pattern": "撤销", "decision": "取消"}],  # no comparison chosen: 包含
    }
    next(b for b in app.get("button") if "应用对照表" in str(b.label)).click().run()
    assert_ok(app)
    store = Store.open(default_url())
    try:
        saved = store.state(store.round_by_id(int(app.session_state["round"]))).settings.decisions.table
    finally:
        store.close()
    assert saved.iloc[:-1][["pattern", "match", "decision"]].to_numpy().tolist() == (
        before[["pattern", "match", "decision"]].to_numpy().tolist()
    )
    assert saved.iloc[-1][["pattern", "match", "decision"]].tolist() == ["撤销", "contains", "cancelled"]
    app.switch_page("pages/overview.py").run()
    assert app.metric[0].value == "50.00%"


def test_the_benchmark_comparison_is_a_sentence_under_the_cards_not_a_card_note(app: AppTest) -> None:
    app.switch_page("pages/overview.py").run()
    benchmark = next(n for n in app.number_input if n.label == "行政许可：对比基准（工作日）")
    benchmark.set_value(11.5)
    next(b for b in app.get("button") if b.proto.label == "应用").click().run()
    assert_ok(app)
    assert not [m.delta for m in app.metric if m.delta and "基准" in m.delta]
    lists = sample_analysis().lists.set_index("group")
    after = float(lists.loc["行政许可", "after_avg_days"])  # 11.01 in the published case
    expected = f"新平均时限 {after:.2f} 个工作日，比对比基准 11.50 个工作日低 {(11.5 - after) / 11.5:.2%}。"
    remarks = [c.value.replace("\\", "") for c in app.caption if c.value.startswith("新平均时限")]
    assert remarks[0] == expected  # the caption's text, its markdown escapes taken out


def test_the_department_table_grows_to_show_two_dozen_rows(
    app: AppTest, monkeypatch: pytest.MonkeyPatch
) -> None:
    import streamlit

    asked: dict[str, Any] = {}
    drawn = streamlit.dataframe

    def dataframe(data: Any, *args: Any, **options: Any) -> Any:
        asked[options.get("key") or ""] = options
        return drawn(data, *args, **options)

    monkeypatch.setattr(streamlit, "dataframe", dataframe)
    app.switch_page("pages/overview.py").run()
    assert_ok(app)
    grid = next(d for d in app.dataframe if d.key == "overview_departments")
    assert len(grid.value) > 25  # the sample's 55 departments scroll past the 25th
    height = asked["overview_departments"]["height"]
    assert isinstance(height, int) and height >= 26 * 35  # header and 25 rows, not Streamlit's ten


def test_a_file_of_another_kind_is_accepted_and_answered_in_chinese(app: AppTest) -> None:
    assert all(not u.proto.type for u in app.get("file_uploader"))  # the browser refuses nothing
    upload(app, "说明.docx", b"PK\x03\x04" + b"\x00" * 64)
    said = " ".join(e.value for e in [*app.error, *app.warning])
    assert "说明.docx" in said and "无法读取" in said
    assert not re.search(r"[A-Za-z]{3,}Error", said)
