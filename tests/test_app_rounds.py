"""The app keeps the work in the database: a new session (a reload, another tab, a restarted
server) sees the same round; two analysts editing one item meet a conflict they resolve; the
历史 screen keeps snapshots, compares them and lists the audit trail."""

from __future__ import annotations

from pathlib import Path

import pytest
from apptest import XLSX, assert_ok, metric_values, opened
from builders import messy_items_workbook
from streamlit.testing.v1 import AppTest

from approvals.store.db import default_url, engine_for, upgrade
from approvals.store.rounds import Store

pytestmark = pytest.mark.usefixtures("own_database")
ROOT = Path(__file__).resolve().parent.parent
WATER = [
    ["市水利局", "SL-1", "取水许可", "行政许可", "《水法》", "45个工作日", "20个工作日", "保留", ""],
    ["市水利局", "SL-2", "河道采砂许可", "行政许可", "《河道管理条例》", "20", "10", "取消", ""],
]


def session(page: str = "app.py", name: str | None = None) -> AppTest:
    """A new browser session (as after a reload), optionally with the analyst's name given."""
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60)
    at.run()
    if name:
        at.text_input(key="frame_analyst").set_value(name).run()
    if page != "app.py":
        at.switch_page(page).run()
    assert_ok(at)
    return at


def edit_first_row(at: AppTest, decision: str) -> None:
    at.switch_page("pages/items.py").run()
    key = next(e.key for e in at.data_editor if str(e.key).startswith("items_editor_"))
    at.session_state[key] = {"edited_rows": {0: {"处理意见": decision}}, "added_rows": [], "deleted_rows": []}
    at.run()
    assert_ok(at)


def first_row_decision(at: AppTest) -> str:
    at.switch_page("pages/items.py").run()
    return str(at.data_editor[0].value.iloc[0]["处理意见"])


def snapshot(at: AppTest, label: str) -> None:
    at.switch_page("pages/history.py").run()
    next(t for t in at.text_input if t.label == "快照名称").set_value(label)
    next(b for b in at.button if b.label == "保存快照").click().run()
    assert_ok(at)
    assert any(f"已保存快照“{label}”" in i.value for i in at.info)


def water_round(name: str = "张三") -> AppTest:
    at = session("pages/import.py", name)
    uploader = next(u for u in at.get("file_uploader") if u.key == "import_upload")
    uploader.set_value(("水利局.xlsx", messy_items_workbook(WATER), XLSX)).run()
    assert_ok(at)
    return at


def test_an_upload_and_an_edit_are_there_in_a_new_session(tmp_path: Path) -> None:
    first = water_round()
    edit_first_row(first, "取消")
    assert metric_values(first)[1] == "100.00%"  # both water items now streamlined

    second = session("pages/items.py")  # a reload: a new session on the round changed last
    assert [f.name for f in opened(second).files] == ["水利局.xlsx"]
    assert first_row_decision(second) == "取消"
    assert metric_values(second)[3] == "1 项"
    history = opened(second)
    assert history.edits[["item_key", "field", "value"]].values.tolist() == [
        ["SL-1", "decision", "cancelled"]
    ]


def test_the_page_address_names_the_round_so_a_bookmark_opens_it_again() -> None:
    first = water_round()
    round_id = first.session_state["round"]
    assert first.query_params["round"] in (str(round_id), [str(round_id)])
    sample = session()
    sample.selectbox(key=f"frame_round_{round_id}").set_value("sample").run()  # back to the sample
    assert sample.session_state["round"] == "sample"
    bookmark = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60)
    bookmark.query_params["round"] = str(round_id)
    bookmark.run()
    assert bookmark.session_state["round"] == round_id


def test_a_second_analyst_saving_over_an_unseen_edit_is_told_who_and_chooses(tmp_path: Path) -> None:
    zhang = water_round("张三")
    li = session("pages/items.py", "李四")  # both have the table open
    assert first_row_decision(li) == "保留"
    edit_first_row(zhang, "取消")
    key = next(e.key for e in li.data_editor if str(e.key).startswith("items_editor_"))
    li.session_state[key] = {"edited_rows": {0: {"处理意见": "下放"}}, "added_rows": [], "deleted_rows": []}
    li.run()
    assert_ok(li)
    told = " ".join(w.value for w in li.warning)
    assert "张三" in told and "处理意见改为“取消”" in told and "取水许可" in told
    assert "您的修改：处理意见改为“下放”" in [m.value for m in li.markdown]
    assert opened(li).edits["value"].tolist() == ["cancelled"]  # nothing overwritten yet
    li.button(key="frame_apply_mine").click().run()
    assert_ok(li)
    assert opened(li).edits["value"].tolist() == ["delegated"]
    assert not [w for w in li.warning if "张三" in w.value]
    audit = Store.open(default_url()).history(opened(li).round)
    assert audit.loc[audit["kind"].eq("edit"), ["by", "new"]].values.tolist() == [
        ["李四", "下放"],
        ["张三", "取消"],
    ]


def test_keeping_the_other_analysts_edit_drops_ones_own() -> None:
    zhang = water_round("张三")
    li = session("pages/items.py", "李四")
    first_row_decision(li)
    edit_first_row(zhang, "取消")
    key = next(e.key for e in li.data_editor if str(e.key).startswith("items_editor_"))
    li.session_state[key] = {"edited_rows": {0: {"处理意见": "下放"}}, "added_rows": [], "deleted_rows": []}
    li.run()
    li.button(key="frame_keep_theirs").click().run()
    assert_ok(li)
    assert first_row_decision(li) == "取消"
    assert opened(li).edits["value"].tolist() == ["cancelled"]


def test_editing_the_sample_starts_a_round_and_leaves_the_sample_as_it_was() -> None:
    at = session("pages/items.py")
    edit_first_row(at, "保留")
    assert any("示例数据只读" in i.value for i in at.info)
    assert at.session_state["round"] != "sample"
    demo = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60)
    demo.query_params["round"] = "sample"
    demo.run()
    demo.switch_page("pages/items.py").run()
    assert metric_values(demo)[3] == "0 项"


def test_accepting_suggestions_on_the_sample_names_the_new_practice_round_in_the_sidebar() -> None:
    """Verdicts leave the analysis as it was, so nothing cached for the sample may show instead."""
    at = session("pages/redesign.py")
    assert "示例市（合成示例数据）" in [m.value for m in at.sidebar.markdown]
    next(b for b in at.button if b.label.startswith("采纳筛选出的")).click().run()
    assert_ok(at)
    shown = [m.value for m in at.sidebar.markdown]
    assert any(text.startswith("示例数据练习") for text in shown), shown
    assert "示例市（合成示例数据）" not in shown


def test_a_round_is_created_and_renamed_from_the_sidebar() -> None:
    at = session()
    at.sidebar.text_input[0].set_value("2026年县本级清理")
    at.sidebar.selectbox[1].set_value("县本级")
    next(b for b in at.sidebar.button if "新建" in str(b.label)).click().run()
    assert_ok(at)
    assert opened(at).round.name == "2026年县本级清理" and opened(at).round.level == "县本级"
    rename = next(t for t in at.sidebar.text_input if t.label == "改名为")
    rename.set_value("2026年县本级清理（二）")
    next(b for b in at.sidebar.button if b.label == "改名").click().run()
    assert opened(at).round.name == "2026年县本级清理（二）"


def test_the_history_screen_keeps_snapshots_compares_them_and_lists_the_audit() -> None:
    at = water_round("张三")
    at.switch_page("pages/history.py").run()
    snapshot(at, "初稿")
    assert_ok(at)
    edit_first_row(at, "取消")
    at.switch_page("pages/history.py").run()
    assert_ok(at)
    figures = next(d for d in at.dataframe if "指标" in d.value.columns).value
    assert list(figures.columns) == ["指标", "初稿", "当前"]
    rate = figures.set_index("指标").loc["精简率"]
    assert (rate["初稿"], rate["当前"]) == ("50.00%", "100.00%")
    changed = next(d for d in at.dataframe if d.key == "history_changed").value
    assert changed[["事项", "原值", "新值", "修改人"]].values.tolist() == [
        ["取水许可", "保留", "取消", "张三"]
    ]
    audit = next(d for d in at.dataframe if "时间" in d.value.columns).value
    assert audit["修改人"].tolist()[0] == "张三" and "快照" in audit["内容"].tolist()
    at.multiselect(key="history_filter_fields").set_value(["处理意见"]).run()
    audit = next(d for d in at.dataframe if "时间" in d.value.columns).value
    assert audit[["事项", "原值", "新值"]].values.tolist() == [["取水许可", "保留", "取消"]]


def test_export_from_a_snapshot_says_so() -> None:
    at = water_round()
    at.switch_page("pages/history.py").run()
    snapshot(at, "提交常务会议稿")
    at.switch_page("pages/export.py").run()
    at.selectbox(key="export_source").set_value("提交常务会议稿").run()
    assert_ok(at)
    assert any("快照“提交常务会议稿”" in c.value for c in at.caption)


def test_the_app_upgrades_an_older_database_and_says_so(tmp_path: Path) -> None:
    engine = engine_for(default_url())
    upgrade(engine, "0001")
    engine.dispose()
    at = session()
    assert any("数据库已从版本 0001 升级到" in c.value for c in at.sidebar.caption)


def test_the_item_form_saves_a_decision_and_limit_with_the_reason() -> None:
    at = water_round("张三")
    at.switch_page("pages/items.py").run()
    at.selectbox(key="items_edit_item").set_value("SL-2")
    at.selectbox(key="items_edit_decision").set_value("保留")
    at.text_input(key="items_edit_limit").set_value("5个工作日")
    at.text_input(key="items_edit_reason").set_value("市县统筹后保留")
    next(b for b in at.button if b.label == "保存修改").click().run()
    assert_ok(at)
    audit = Store.open(default_url()).history(opened(at).round, item_key="SL-2")
    assert sorted(audit[["by", "field", "old", "new", "reason"]].values.tolist()) == [
        ["张三", "处理意见", "取消", "保留", "市县统筹后保留"],
        ["张三", "承诺办结时限（清理后）", "10", "5个工作日", "市县统筹后保留"],
    ]
    at.selectbox(key="items_history_item").set_value("SL-2").run()
    shown = next(d for d in at.dataframe if "理由" in d.value.columns).value
    assert set(shown["理由"]) == {"市县统筹后保留"}


def test_a_limit_that_cannot_be_read_is_refused_in_chinese_and_nothing_is_saved() -> None:
    at = water_round("张三")
    at.switch_page("pages/items.py").run()
    at.selectbox(key="items_edit_item").set_value("SL-1")
    at.selectbox(key="items_edit_decision").set_value("保留")
    at.text_input(key="items_edit_limit").set_value("尽快办理")
    next(b for b in at.button if b.label == "保存修改").click().run()
    assert_ok(at)
    assert any("无法识别" in e.value for e in at.error)
    assert opened(at).edits.empty
