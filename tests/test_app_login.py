"""Serving the app on an office network: with login set up a visitor sees only the sign-in page;
a reader of a round sees why they cannot change it, and a change they try anyway is refused with
nothing stored."""

from __future__ import annotations

from pathlib import Path

import pytest
from apptest import XLSX, assert_ok, opened, upload_all
from builders import messy_items_workbook
from streamlit.testing.v1 import AppTest

from approvals.store.db import default_url
from approvals.store.rounds import Store
from ui.frame import APP_TITLE, PAGES, SIGN_IN_NOTE
from ui.widgets import plain

pytestmark = pytest.mark.usefixtures("own_database")
ROOT = Path(__file__).resolve().parent.parent
WATER = [
    ["市水利局", "SL-1", "取水许可", "行政许可", "《水法》", "45个工作日", "20个工作日", "保留", ""],
    ["市水利局", "SL-2", "河道采砂许可", "行政许可", "《河道管理条例》", "20", "10", "取消", ""],
]
AUTH = {
    "redirect_uri": "http://127.0.0.1:8501/oauth2callback",
    "cookie_secret": "a-long-random-secret-for-the-cookie-0123456789",
    "client_id": "approvals",
    "client_secret": "secret",
    "server_metadata_url": "http://127.0.0.1:9/.well-known/openid-configuration",
}


def session(name: str) -> AppTest:
    """A browser session whose analyst gave their name."""
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60)
    at.run()
    at.text_input(key="frame_analyst").set_value(name).run()
    assert_ok(at)
    return at


@pytest.mark.parametrize("path", [p.path for p in PAGES])
def test_with_login_set_up_a_visitor_sees_only_the_sign_in_page(path: str) -> None:
    at = AppTest.from_file(str(ROOT / path), default_timeout=60)
    at.secrets["auth"] = AUTH
    at.run()
    assert_ok(at)
    assert [t.value for t in at.title] == [APP_TITLE]
    assert [m.value for m in at.markdown] == [SIGN_IN_NOTE]
    assert [b.label for b in at.button] == ["登录"]
    assert not at.sidebar.children  # no menu, no round, no data
    assert not at.text_input and not at.get("file_uploader") and not at.dataframe
    assert Store.open(default_url()).rounds() == []  # nothing was opened for the visitor


def test_without_login_the_name_is_asked_and_there_is_no_sign_in() -> None:
    at = session("张三")
    assert "登录" not in [b.label for b in at.button]
    assert SIGN_IN_NOTE not in [m.value for m in at.markdown]


def test_a_reader_is_told_why_and_an_edit_through_the_page_is_refused_with_nothing_stored() -> None:
    at = session("张三")
    at.switch_page("pages/import.py").run()
    uploader = next(u for u in at.get("file_uploader") if u.key == "import_upload")
    uploader.set_value(("水利局.xlsx", messy_items_workbook(WATER), XLSX)).run()
    assert_ok(at)
    store = Store.open(default_url())
    current = store.rounds()[0]
    store.set_role(current, "李四", "reader", by="张三")
    audit_before = len(store.history(current))

    reader = session("李四")
    reader.switch_page("pages/items.py").run()
    assert_ok(reader)
    why = f"李四对清理批次“{current.name}”只有查看权限"
    assert any(plain(why) in c.value and "张三" in c.value for c in reader.caption)
    assert next(b for b in reader.button if b.label == "保存修改").disabled
    assert next(u for u in reader.get("file_uploader") if u.key == "sidebar_upload").disabled
    editor = next(e for e in reader.data_editor if str(e.key).startswith("items_editor_"))
    reader.session_state[editor.key] = {
        "edited_rows": {0: {"处理意见": "取消"}}, "added_rows": [], "deleted_rows": [],
    }  # fmt: skip
    reader.run()
    assert_ok(reader)
    assert any(plain(f"未能完成：{why}，不能修改") in w.value for w in reader.warning)
    assert len(store.history(current)) == audit_before
    assert opened(reader).edits.empty
    assert str(reader.data_editor[0].value.iloc[0]["处理意见"]) == "保留"

    again = session("王五")  # someone not named still edits
    again.switch_page("pages/items.py").run()
    assert not [c.value for c in again.caption if "只有查看权限" in c.value]
    store.close()


# What writes to the round on each screen; a reader finds every one of them disabled.
WRITING_BUTTONS = {
    "pages/items.py": ["保存修改"],
    "pages/overview.py": ["应用"],
    "pages/import.py": ["移除", "应用对照表"],
    "pages/redesign.py": ["全部设为不采纳", "恢复待定"],
    "pages/history.py": ["保存快照"],
}


def test_a_reader_finds_every_control_that_would_change_the_round_disabled_on_every_page() -> None:
    at = session("张三")  # a round of the sample's two files: items, steps, flags on every screen
    upload_all(
        at, [(path.name, path.read_bytes()) for path in sorted((ROOT / "data" / "sample").glob("*.xlsx"))]
    )
    store = Store.open(default_url())
    current = store.rounds()[0]
    store.set_role(current, "李四", "reader", by="张三")

    reader = session("李四")
    editors_seen = 0
    for path in [p.path for p in PAGES]:
        reader.switch_page(path).run()
        assert_ok(reader)
        for label in WRITING_BUTTONS.get(path, []):
            button = next((b for b in reader.button if b.label == label), None)
            assert button is not None, f"{path}：{label} {[b.label for b in reader.button]}"
            assert button.disabled, f"{path}：{label}"
        bulk = [b for b in reader.button if b.label.startswith("采纳筛选出的")]
        assert all(b.disabled for b in bulk)
        assert all(u.disabled for u in reader.get("file_uploader")), path
        for editor in reader.data_editor:
            assert editor.proto.disabled, f"{path}：{editor.key}"
            editors_seen += 1
    assert editors_seen >= 3  # the item table, a sheet's column mapping, the decision rules, the verdicts
    store.close()

    editor = session("张三")  # the owner still edits everywhere
    editor.switch_page("pages/history.py").run()
    assert not next(b for b in editor.button if b.label == "保存快照").disabled
