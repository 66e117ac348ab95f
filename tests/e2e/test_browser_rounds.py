"""Work that lasts, in a real browser: upload a department's list, change a decision with a
reason, reload the page and see it still there, restart the server and see it again."""

from __future__ import annotations

import re
from dataclasses import replace

import pytest
from playwright.sync_api import expect
from test_browser import UPLOAD_ROWS, expected_figures, messy_workbook

pytestmark = pytest.mark.e2e

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
CHANGED = "道路旅客运输经营许可"
REASON = "市政府常务会议决定取消"


def figures_after_the_change() -> tuple[str, str]:
    rows = [replace(r, decision="取消", streamlined=True, before_days=None, after_days=None)
            if r.name == CHANGED else r for r in UPLOAD_ROWS]  # fmt: skip
    return expected_figures(rows)


def test_hand_counted_figures_after_cancelling_one_item_are_54_55_and_69_41_percent() -> None:
    # 6 of 11 streamlined; the five kept go from 85/5 = 17 to 26/5 = 5.2 days: 11.8 / 17.
    assert figures_after_the_change() == ("54.55%", "69.41%")


def choose(app, box, text: str) -> None:  # type: ignore[no-untyped-def]
    box.click()
    app.page.keyboard.type(text)
    app.page.get_by_role("option").filter(has_text=text).first.click()


def cancel_on_the_form(app) -> None:  # type: ignore[no-untyped-def]
    """On 事项, cancel CHANGED on the item form with REASON, as an analyst does."""
    app.go_to("事项")
    form = app.main.get_by_test_id("stForm").first
    choose(app, form.get_by_role("combobox", name="事项"), CHANGED)
    choose(app, form.get_by_role("combobox", name="处理意见"), "取消")
    form.get_by_role("textbox", name="理由").fill(REASON)
    form.get_by_role("button", name=re.compile("保存修改")).click()
    app.wait()
    app.expect_no_exception()


def test_an_edit_survives_a_reload_and_a_server_restart(app, streamlit_servers) -> None:  # type: ignore[no-untyped-def]
    server = streamlit_servers("rounds")
    streamlining, shortening = figures_after_the_change()
    app.open(server.url)
    app.give_name("张三")
    app.upload(
        [{"name": "市本级行政许可事项清理表.xlsx", "mimeType": XLSX, "buffer": messy_workbook(UPLOAD_ROWS)}]
    )
    expect(app.main.get_by_text(re.compile("导入记录")).first).to_be_visible()

    cancel_on_the_form(app)
    app.screenshot("修改后")

    app.go_to("总览")
    for figure in (streamlining, shortening):
        expect(app.main.get_by_text(figure).first).to_be_visible()

    app.page.reload()
    app.wait()
    app.expect_no_exception()
    for figure in (streamlining, shortening):
        expect(app.main.get_by_text(figure).first).to_be_visible()
    # The name was asked once: the reload (a new session of the same browser) still knows it.
    expect(app.sidebar.get_by_role("textbox", name=re.compile("您的姓名"))).to_have_value("张三")
    app.screenshot("刷新后")

    server.stop()
    again = streamlit_servers("rounds-restarted", data=server.data)
    app.open(again.url)  # a new visitor of the restarted server opens the round changed last
    app.expect_no_exception()
    expect(app.sidebar.get_by_text(re.compile(r"清理批次（\d{4}-\d\d-\d\d")).first).to_be_visible()
    app.go_to("总览")
    for figure in (streamlining, shortening):
        expect(app.main.get_by_text(figure).first).to_be_visible()
    app.go_to("历史")
    app.expect_no_exception()
    audit = app.main.get_by_test_id("stDataFrame").last
    expect(audit).to_be_visible()
    app.screenshot("重启后的历史")
    app.go_to("事项")
    history = app.main.get_by_role("combobox", name="事项").last
    choose(app, history, CHANGED)
    app.wait()
    app.expect_no_exception()
    app.screenshot("事项修改记录")
