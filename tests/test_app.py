"""The app as Streamlit runs it (AppTest): every page loads on the sample, figures show, edits count."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from apptest import PAGES, XLSX, assert_ok, metric_values, official_due_date, opened, upload
from builders import messy_items_rows, messy_items_workbook, workbook
from sample import sample_analysis
from streamlit.testing.v1 import AppTest

from ui.frame import PAGE_ERROR

pytestmark = pytest.mark.usefixtures("own_database")
ROOT = Path(__file__).resolve().parent.parent


def test_the_start_page_opens_on_the_sample_with_its_published_figures(app: AppTest) -> None:
    values = metric_values(app)
    assert "53.18%" in values and "44.65%" in values
    assert "45.28%" in values and "42.65%" in values
    assert "示例市（合成示例数据）" in [m.value for m in app.sidebar.markdown]


@pytest.mark.parametrize("page", PAGES)
def test_every_page_loads_with_the_shared_frame(app: AppTest, page: str) -> None:
    app.switch_page(page).run()
    assert_ok(app)
    assert app.title[0].value in {"总览", "导入", "事项", "流程图", "流程再造", "对标", "导出", "历史"}
    links = [link.proto.label for link in app.sidebar.get("page_link")]
    assert links == ["开始", "总览", "导入", "事项", "流程图", "流程再造", "对标", "导出", "历史"]
    status = [c.value for c in app.sidebar.caption]
    assert "行政许可：精简率 53.18% · 缩短率 44.65%" in status
    assert any("上传清单" in u.label for u in app.sidebar.get("file_uploader"))


def test_the_overview_shows_each_list_against_its_target(app: AppTest) -> None:
    app.switch_page("pages/overview.py").run()
    values = metric_values(app)
    assert values[:2] == ["53.18%", "44.65%"]
    first = app.metric[0]
    assert (first.label, first.value, first.delta) == ("精简率（目标 30%）", "53.18%", "+23.18 个百分点")


def test_editing_a_decision_in_the_item_table_changes_the_rate_at_once(app: AppTest) -> None:
    app.switch_page("pages/items.py").run()
    assert metric_values(app)[1] == "52.24%"  # 233 streamlined of 446 over both lists
    app.multiselect(key="items_decisions").set_value(["保留"]).run()
    assert metric_values(app)[0] == "213 / 446"
    editor = app.data_editor[0]
    row = editor.value.iloc[0]
    assert row["处理意见"] == "保留"
    app.session_state[str(editor.key)] = {
        "edited_rows": {0: {"处理意见": "取消"}},
        "added_rows": [],
        "deleted_rows": [],
    }
    app.run()
    assert_ok(app)
    app.multiselect(key="items_decisions").set_value([]).run()
    assert metric_values(app)[1] == f"{234 / 446 * 100:.2f}%"
    assert metric_values(app)[3] == "1 项"
    app.switch_page("pages/overview.py").run()
    assert app.metric[0].value != "53.18%" or app.metric[4].value != "45.28%"


def test_the_import_page_reads_an_uploaded_messy_workbook(app: AppTest) -> None:
    app.switch_page("pages/import.py").run()
    data = messy_items_workbook(
        [
            ["市水利局", "SL-1", "取水许可", "行政许可", "《水法》", "20个工作日", "10个工作日", "保留", ""],
            [
                "市水利局",
                "SL-2",
                "河道采砂许可",
                "行政许可",
                "《河道管理条例》",
                "20个工作日",
                "",
                "取消",
                "",
            ],
        ]
    )
    uploader = next(u for u in app.get("file_uploader") if u.key == "import_upload")
    uploader.set_value(("水利局.xlsx", data, XLSX)).run()
    assert_ok(app)
    assert app.session_state["round"] != "sample"  # the upload started a round of its own
    assert [f.name for f in opened(app).files] == ["水利局.xlsx"]
    lines = [t.value.lstrip("· ") for t in app.text]
    assert any(t.startswith("水利局.xlsx（") and t.endswith("KB）：已读取，清理清单 2 项") for t in lines)
    app.switch_page("pages/overview.py").run()
    assert metric_values(app)[:2] == ["50.00%", "50.00%"]


def test_correcting_a_column_mapping_applies_at_once_and_to_files_with_the_same_headers(app: AppTest) -> None:
    rows = [
        ["事项名称", "法定时限", "承诺时限", "会议决定"],
        ["甲", "20", "10", "保留"],
        ["乙", "20", "10", "取消"],
    ]
    upload(app, "甲局.xlsx", workbook({"表": rows}))
    app.switch_page("pages/overview.py").run()
    assert app.metric[0].value == "—"  # no decision column recognised: a current catalog
    app.switch_page("pages/import.py").run()
    editor = next(e for e in app.data_editor if e.key and e.key.startswith("import_mapping_"))
    table = editor.value
    row = int(table.index[table["列（表头）"] == "会议决定"][0])
    app.session_state[editor.key] = {
        "edited_rows": {row: {"识别为": "处理意见"}},
        "added_rows": [],
        "deleted_rows": [],
    }
    app.run()
    assert_ok(app)
    app.switch_page("pages/overview.py").run()
    assert app.metric[0].value == "50.00%"
    upload(app, "乙局.xlsx", workbook({"表": [rows[0], ["丙", "20", "10", "取消"]]}))
    app.switch_page("pages/overview.py").run()
    assert app.metric[0].value == f"{2 / 3 * 100:.2f}%"  # the second file's column is read the same way


def test_a_decision_rule_added_in_the_table_classifies_unknown_text(app: AppTest) -> None:
    rows = [
        ["事项名称", "法定时限", "承诺时限", "处理意见"],
        ["甲", "20", "10", "保留"],
        ["乙", "20", "10", "拟撤销"],
    ]
    upload(app, "甲局.xlsx", workbook({"表": rows}))
    app.switch_page("pages/overview.py").run()
    assert app.metric[0].value == "0.00%"  # 拟撤销 is unknown: undecided, left out
    app.switch_page("pages/import.py").run()
    before = len(opened(app).settings.decisions.table)
    app.session_state["import_rules_editor"] = {
        "edited_rows": {},
        "deleted_rows": [],
        "added_rows": [{"pattern": "撤销", "match": "包含", "decision": "取消", "note": "撤销即取消"}],
    }
    next(b for b in app.get("button") if "应用对照表" in str(b.label)).click().run()
    assert_ok(app)
    assert len(opened(app).settings.decisions.table) == before + 1
    app.switch_page("pages/overview.py").run()
    assert app.metric[0].value == "50.00%"


def test_selecting_a_department_lists_its_items(app: AppTest) -> None:
    app.switch_page("pages/overview.py").run()
    table = next(d for d in app.dataframe if d.key == "overview_departments").value
    first = table.iloc[0]
    app.session_state["overview_departments"] = {"selection": {"rows": [0], "columns": [], "cells": []}}
    app.run()
    assert_ok(app)
    assert f"**{first['部门']}** 的事项" in [m.value for m in app.markdown]
    items = app.dataframe[1].value  # right under the department table
    assert len(items) == first["清理前"]
    assert set(items["实施部门"]) == {first["部门"]}


def test_a_file_that_cannot_be_read_shows_its_reason_and_the_others_still_load(app: AppTest) -> None:
    upload(
        app,
        "好.xlsx",
        workbook({"表": [["事项名称", "法定时限", "承诺时限", "处理意见"], ["甲", "20", "5", "保留"]]}),
    )
    uploader = next(u for u in app.get("file_uploader") if u.key == "import_upload")
    uploader.set_value(("坏.xlsx", b"%PDF-1.4\x00 not a workbook", XLSX)).run()
    assert_ok(app)
    errors = [e.value for e in app.error]
    assert any("坏.xlsx" in e and "PDF" in e for e in errors)
    assert "坏.xlsx（0 KB）：无法读取" in " ".join(t.value for t in app.text)
    app.switch_page("pages/overview.py").run()
    assert app.metric[1].value == "75.00%"  # the good file still counts


def test_the_due_date_helper_follows_the_official_holiday_calendar(app: AppTest) -> None:
    app.switch_page("pages/process.py").run()
    start = date(2026, 9, 28)  # National Day and its make-up working days lie ahead
    app.text_input(key="process_start").input(start.isoformat()).run()
    assert_ok(app)
    shown = {m.label: m.value for m in app.metric}
    label = next(k for k in shown if k.startswith("按新时限"))
    days = float(label.split("（")[1].split(" ")[0])
    assert shown[label] == official_due_date(start, days).strftime("%Y年%m月%d日")


def test_the_redesign_page_counts_the_flags_and_accepting_some_changes_the_projection(app: AppTest) -> None:
    from approvals.analysis import project
    from approvals.redesign.reductions import applicable

    analysis = sample_analysis()
    flags = analysis.flags
    app.switch_page("pages/redesign.py").run()
    assert_ok(app)
    shown = {m.label: m for m in app.metric}
    assert shown["提示"].value == f"{len(flags)} 条"
    assert shown["已采纳 / 不采纳"].value == "0 / 0"
    today = f"{analysis.overall.shortening_rate:.2%}"
    assert shown["预计缩短率"].value == today  # nothing accepted yet

    title = "只流转不决定的环节"
    app.multiselect(key="redesign_rules").set_value([title]).run()
    chosen = flags[(flags["title"] == title) & applicable(flags, analysis.dataset.steps)]
    assert len(chosen) > 0
    app.button(key="redesign_accept_all").click().run()
    assert_ok(app)
    shown = {m.label: m for m in app.metric}
    assert shown["已采纳 / 不采纳"].value == f"{len(chosen)} / 0"
    expected = project(analysis, chosen["flag_key"]).overall.shortening_rate
    assert expected > analysis.overall.shortening_rate
    assert shown["预计缩短率"].value == f"{expected:.2%}"


def test_verdicts_downloaded_from_the_redesign_page_load_again_in_a_new_session(app: AppTest) -> None:
    from approvals.views.flags import verdicts_csv

    app.switch_page("pages/redesign.py").run()
    app.multiselect(key="redesign_rules").set_value(["签批层级过多"]).run()
    app.button(key="redesign_accept_all").click().run()
    accepted = app.metric[1].value
    assert accepted != "0 / 0"
    flags = sample_analysis().flags
    saved = verdicts_csv(flags, opened(app).verdicts)

    again = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60)
    again.run()  # a new session opens the round changed last: the verdicts are kept there
    again.switch_page("pages/redesign.py").run()
    assert again.metric[1].value == accepted

    fresh = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60)
    fresh.query_params["round"] = "sample"
    fresh.run()
    fresh.switch_page("pages/redesign.py").run()
    assert fresh.metric[1].value == "0 / 0"
    uploader = next(u for u in fresh.get("file_uploader") if u.key.startswith("redesign_restore"))
    uploader.set_value(("流程再造采纳情况.csv", saved, "text/csv")).run()
    assert_ok(fresh)
    assert fresh.metric[1].value == accepted
    assert any(f"已载入 {len(flags)} 条提示的采纳情况" in s.value for s in fresh.success)


def test_the_export_page_previews_the_catalog_with_the_chosen_options(app: AppTest) -> None:
    app.switch_page("pages/export.py").run()
    assert_ok(app)
    preview = app.dataframe[0].value
    assert len(preview) == 184 + 29 and preview["序号"].tolist() == list(range(1, 184 + 29 + 1))
    app.text_input(key="export_region").set_value("示例市").run()
    assert "**示例市市本级保留行政审批事项目录**" in [m.value for m in app.markdown]
    app.radio(key="export_numbering").set_value("per_department").run()
    preview = app.dataframe[0].value
    first_of_each = preview.groupby("实施部门", sort=False)["序号"].first()
    assert (first_of_each == 1).all() and preview["序号"].max() < 184 + 29
    app.selectbox(key="export_preview").set_value("merged").run()
    merged = app.dataframe[0].value
    assert "合并至" in merged.columns and merged["合并至"].ne("").all()


def test_a_current_catalogue_is_exported_under_what_it_holds_and_the_analyst_may_rename_it(
    app: AppTest,
) -> None:
    title = "示例区权责清单（2024年版）"
    rows = [
        [title],
        ["序号", "职权名称", "职权类型", "法定主体", "法定办结时限"],
        [1, "取水许可", "行政许可", "区水务局", "20"],
    ]
    upload(app, "权责清单.xlsx", workbook({"清单": rows}, {"清单": [(0, 0, 0, 4, title)]}))
    assert_ok(app)
    app.switch_page("pages/export.py").run()
    assert_ok(app)
    assert app.text_input(key="export_holds").value == "权责清单"
    app.text_input(key="export_region").set_value("示例区").run()
    app.text_input(key="export_level").set_value("").run()
    assert "**示例区权责清单**" in [m.value for m in app.markdown]
    app.text_input(key="export_holds").set_value("行政权力清单").run()
    assert "**示例区行政权力清单**" in [m.value for m in app.markdown]


def test_an_upload_without_step_lists_still_opens_every_later_screen(app: AppTest) -> None:
    rows = [
        [
            "市水利局",
            "SL-1",
            "取水许可",
            "行政许可",
            "《取水管理办法》（水利部令第5号）",
            "20",
            "20",
            "保留",
            "",
        ],
        ["市水利局", "SL-2", "河道采砂许可", "行政许可", "《河道管理条例》", "20个工作日", "", "取消", ""],
    ]
    upload(app, "水利局.xlsx", messy_items_workbook(rows))
    app.switch_page("pages/redesign.py").run()
    assert_ok(app)
    # no steps, yet two item findings: no speed-up promised, and a basis that cannot set a licence
    assert app.metric[0].value == "2 条"
    app.switch_page("pages/export.py").run()
    assert_ok(app)
    assert app.dataframe[0].value["事项名称"].tolist() == ["取水许可"]
    app.switch_page("pages/process.py").run()
    assert_ok(app)


def test_a_step_list_with_a_cycle_and_a_pass_through_step_opens_流程再造(app: AppTest) -> None:
    items = [
        ["市水利局", "SL-1", "取水许可", "行政许可", "《中华人民共和国水法》", "45", "20", "保留", ""],
        ["市林业局", "LY-1", "林木采伐许可", "行政许可", "《中华人民共和国森林法》", "20", "10", "保留", ""],
    ]
    steps = [
        ["事项编码", "环节序号", "环节名称", "责任科室", "办理时限", "前置环节"],
        ["SL-1", 1, "受理", "窗口", "1", ""],
        ["SL-1", 2, "转办", "办公室", "2", ""],
        ["SL-1", 3, "审查", "水资源科", "10", ""],
        ["SL-1", 4, "决定", "局长", "2", ""],
        ["LY-1", 1, "受理", "窗口", "1", "3"],
        ["LY-1", 2, "审查", "资源科", "2", "1"],
        ["LY-1", 3, "退回补正", "窗口", "1", "2"],
    ]
    data = workbook({"清理汇总": messy_items_rows(items), "办理环节": steps})
    upload(app, "汇总.xlsx", data)
    app.switch_page("pages/redesign.py").run()
    assert_ok(app)
    app.multiselect(key="redesign_rules").set_value(["只流转不决定的环节"]).run()
    app.button(key="redesign_accept_all").click().run()
    assert app.metric[1].value == "1 / 0"
    # 20 committed days less the 2 days 转办 takes off the 15-day path: (45 + 20) / 2 → (18 + 10) / 2
    assert app.metric[2].value == f"{1 - (18 + 10) / (45 + 20):.2%}"
    app.switch_page("pages/process.py").run()  # the first item's process; the other has the cycle
    assert_ok(app)


def test_a_defect_in_a_page_shows_the_chinese_guard_message_and_keeps_the_frame(
    app: AppTest, monkeypatch: pytest.MonkeyPatch
) -> None:
    import approvals.views.process

    def broken(*args: object, **kwargs: object) -> None:
        raise KeyError("缺陷")

    monkeypatch.setattr(approvals.views.process, "due_dates", broken)
    app.switch_page("pages/process.py").run()
    assert not app.exception  # the guard caught it ...
    errors = [e.value for e in app.error]
    assert any(PAGE_ERROR in e for e in errors)  # ... and says so in Chinese,
    assert not any("KeyError" in e for e in errors)  # with no identifier of the code
    assert [link.proto.label for link in app.sidebar.get("page_link")][:2] == ["开始", "总览"]
    with pytest.raises(AssertionError):
        assert_ok(app)
