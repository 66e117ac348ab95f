"""The 事项 and 流程图 screens as an analyst works on them: a limit typed in the table is read as
the import reads it (and refused, with the old one kept, when it cannot be), the table keeps its
place after an edit, an office wears one colour on every chart of an item, and a typed date
applies as it is typed, warning about a missing holiday schedule only where the count needs one."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import chinese_calendar
import pandas as pd
import pytest
import streamlit as st
from apptest import assert_ok, metric_values, official_due_date, opened
from sample import SETTINGS
from streamlit.testing.v1 import AppTest
from test_app_rounds import water_round

from approvals.store.db import default_url
from approvals.store.rounds import Store

pytestmark = pytest.mark.usefixtures("own_database")
ROOT = Path(__file__).resolve().parent.parent
LIMIT = "承诺办结时限（清理后）"
NO_SCHEDULE = "法定节假日安排尚未收录"


def items_page(at: AppTest) -> AppTest:
    at.switch_page("pages/items.py").run()
    assert_ok(at)
    return at


def editor_key(at: AppTest) -> str:
    return str(next(e.key for e in at.data_editor if str(e.key).startswith("items_editor_")))


def type_in_first_row(at: AppTest, column: str, value: str) -> None:
    """What the browser sends when the analyst types ``value`` into a cell of the first row."""
    edits = {"edited_rows": {0: {column: value}}, "added_rows": [], "deleted_rows": []}
    at.session_state[editor_key(at)] = edits
    at.run()
    assert_ok(at)


def first_row(at: AppTest) -> pd.Series:
    return at.data_editor[0].value.iloc[0]


def saved_edits(at: AppTest) -> list[list[str]]:
    return opened(at).edits[["item_key", "field", "value"]].values.tolist()


def save_on_the_form(at: AppTest, item_key: str, decision: str, limit: str = "") -> None:
    at.selectbox(key="items_edit_item").set_value(item_key)
    at.selectbox(key="items_edit_decision").set_value(decision)
    at.text_input(key="items_edit_limit").set_value(limit)
    next(b for b in at.button if b.label == "保存修改").click().run()
    assert_ok(at)


# --- 事项 -----------------------------------------------------------------------------------------


def test_a_limit_typed_in_the_table_that_cannot_be_read_is_refused_and_the_old_one_stays() -> None:
    at = items_page(water_round())
    assert first_row(at)["事项名称"] == "取水许可" and first_row(at)[LIMIT] == "20个工作日"
    figures = metric_values(at)
    type_in_first_row(at, LIMIT, "尽快办理")
    told = [e.value for e in at.error if "尽快办理" in e.value]
    assert len(told) == 1
    assert "取水许可" in told[0] and f"“{LIMIT}”" in told[0] and "仍为“20个工作日”" in told[0]
    assert first_row(at)[LIMIT] == "20个工作日"  # the table shows the old value again
    assert metric_values(at) == figures  # the item still counts in 缩短率
    assert opened(at).edits.empty
    at.run()
    assert not [e.value for e in at.error if "尽快办理" in e.value]  # said once, beside the table


def test_limits_written_as_lists_write_them_are_saved_from_the_table_which_stays_in_place() -> None:
    at = items_page(water_round())
    key, element = editor_key(at), at.data_editor[0].proto.id
    year = opened(at).settings.year
    natural = (
        30
        * len(chinese_calendar.get_workdays(date(year, 1, 1), date(year, 12, 31)))
        / ((date(year + 1, 1, 1) - date(year, 1, 1)).days)
    )
    for text, days in [("二十个工作日", 20.0), ("即办", 0.0), ("30个自然日", natural), ("法律未规定", None)]:
        type_in_first_row(at, LIMIT, text)
        assert not [e.value for e in at.error if text in e.value]
        # the same editor, not a new one: the browser keeps the table where it was scrolled to
        assert (editor_key(at), at.data_editor[0].proto.id) == (key, element)
        row = first_row(at)
        assert row[LIMIT] == text
        if days is None:
            assert pd.isna(row["清理后时限（工作日）"])
        else:
            assert row["清理后时限（工作日）"] == pytest.approx(days)
        assert saved_edits(at) == [["SL-1", "committed", text]]
    at.run()  # a run with nothing typed saves nothing again
    audit = Store.open(default_url()).history(opened(at).round, item_key="SL-1")
    assert audit["new"].tolist() == ["法律未规定", "30个自然日", "即办", "二十个工作日"]


def test_the_cells_to_edit_come_first_and_stay_at_the_left_beside_the_items_name(app: AppTest) -> None:
    editor = items_page(app).data_editor[0]
    assert list(editor.value.columns[:3]) == ["处理意见", LIMIT, "事项名称"]
    config = json.loads(editor.proto.columns)
    assert {name for name, column in config.items() if column.get("pinned")} == {
        "处理意见",
        LIMIT,
        "事项名称",
    }
    assert {name for name, column in config.items() if not column.get("disabled")} - {"_index"} == {
        "处理意见",
        LIMIT,
    }
    assert editor.proto.placeholder == "—"  # a missing figure is a dash, never "None"


def test_an_edit_the_table_still_shows_is_not_saved_again_over_a_later_one_on_the_form() -> None:
    at = items_page(water_round())
    type_in_first_row(at, "处理意见", "下放")
    assert saved_edits(at) == [["SL-1", "decision", "delegated"]]
    save_on_the_form(at, "SL-1", "取消")
    at.run()
    assert_ok(at)
    assert saved_edits(at) == [["SL-1", "decision", "cancelled"]]
    assert first_row(at)["处理意见"] == "取消"
    audit = Store.open(default_url()).history(opened(at).round, item_key="SL-1")
    assert audit["new"].tolist() == ["取消", "下放"]


def test_a_limit_typed_on_the_form_that_cannot_be_read_is_refused_naming_item_and_column() -> None:
    at = items_page(water_round())
    save_on_the_form(at, "SL-1", "保留", "三周内")
    told = [e.value for e in at.error if "三周内" in e.value]
    assert len(told) == 1 and "取水许可" in told[0] and f"“{LIMIT}”" in told[0] and "无法识别" in told[0]
    assert opened(at).edits.empty


# --- 流程图 ---------------------------------------------------------------------------------------


def process_page(at: AppTest) -> AppTest:
    at.switch_page("pages/process.py").run()
    assert_ok(at)
    return at


def office_colours_of(spec: dict) -> dict[str, str]:
    """Office → colour of a chart's legend (the lines with no data behind them)."""
    return {
        trace["name"]: trace["marker"]["color"]
        for trace in spec["data"]
        if str(trace.get("legendgroup", "")).startswith("office:") and trace.get("x") == [None]
    }


def test_an_office_wears_one_colour_on_both_flowcharts_and_the_timeline(app: AppTest) -> None:
    specs = [json.loads(chart.proto.spec) for chart in process_page(app).get("plotly_chart")]
    before, after, timeline = (office_colours_of(spec) for spec in specs)
    assert set(before) - set(after) and set(before) & set(after)  # some offices left, some stayed
    assert timeline == before | after
    for office in before.keys() & after.keys():
        assert before[office] == after[office] == timeline[office]
    assert len(set(timeline.values())) == len(timeline)  # and no two offices look alike


def typed_start(at: AppTest, text: str) -> dict[str, str]:
    at.text_input(key="process_start").input(text).run()
    assert_ok(at)
    return {m.label: m.value for m in at.metric if m.label.startswith("按")}


def test_a_start_date_applies_as_it_is_typed_and_reads_the_ways_analysts_write_it(app: AppTest) -> None:
    field = process_page(app).text_input(key="process_start")
    assert field.proto.live_debounce_ms > 0  # applied after a pause in typing: no Enter, no leaving
    start = date(2026, 9, 28)  # National Day and its make-up working days lie ahead
    for written in ("2026年9月28日", "2026/9/28", "2026-09-28", "２０２６－０９－２８"):
        shown = typed_start(app, written)
        label = next(k for k in shown if k.startswith("按新时限"))
        days = float(label.split("（")[1].split(" ")[0])
        assert shown[label] == official_due_date(start, days).strftime("%Y年%m月%d日")
        assert "受理日期：2026年09月28日（星期一）" in [c.value for c in app.caption]


def test_a_date_that_does_not_exist_is_refused_in_chinese(app: AppTest) -> None:
    shown = typed_start(process_page(app), "2026-02-30")
    assert shown == {}
    assert "“2026-02-30”不是有效的日期：2026年2月没有30日" in [e.value for e in app.error]


def test_the_holiday_warning_shows_only_where_the_count_runs_into_a_year_without_a_schedule(
    app: AppTest,
) -> None:
    missing = next(y for y in range(2026, 2100) if SETTINGS.calendar.year_source(y) == "weekends")
    process_page(app)

    def warned() -> list[str]:
        return [w.value for w in app.warning if NO_SCHEDULE in w.value]

    shown = typed_start(app, f"{missing - 1}-03-02")  # early in a year with its schedule
    assert all(value.startswith(f"{missing - 1}年") for value in shown.values())
    assert warned() == []
    typed_start(app, f"{missing}-03-01")
    assert [w[:5] for w in warned()] == [f"{missing}年"]
    shown = typed_start(app, f"{missing - 1}-12-30")  # a due date in the year after
    runs_over = any(value.startswith(f"{missing}年") for value in shown.values())
    assert runs_over and [w[:5] for w in warned()] == [f"{missing}年"]


def test_a_long_item_table_is_walked_page_by_page(
    app: AppTest, monkeypatch: pytest.MonkeyPatch, request: pytest.FixtureRequest
) -> None:
    monkeypatch.setattr("approvals.views.paging.PAGE_ROWS", 100)
    # views cached at the real page size by earlier tests of this process, and after this one
    # the views cached at 100 rows a page, are not to be reused
    st.cache_resource.clear()
    request.addfinalizer(st.cache_resource.clear)
    at = items_page(app)
    first = at.data_editor[0].value
    assert len(first) == 100
    assert "共 446 项，分 5 页，这是第 1 页（第 1–100 项）" in [c.value for c in at.caption]
    picker = next(n for n in at.number_input if n.label == "页码")
    picker.set_value(5).run()
    assert_ok(at)
    last = at.data_editor[0].value
    assert len(last) == 46 and not set(last.index) & set(first.index)
    assert "共 446 项，分 5 页，这是第 5 页（第 401–446 项）" in [c.value for c in at.caption]
    # every item is on exactly one page
    seen = []
    for number in range(1, 6):
        next(n for n in at.number_input if n.label == "页码").set_value(number).run()
        seen += at.data_editor[0].value.index.tolist()
    assert len(seen) == len(set(seen)) == 446
    # a filter starts again at its first page, with fewer pages
    at.multiselect(key="items_decisions").set_value(["保留"]).run()
    assert_ok(at)
    assert "共 213 项，分 3 页，这是第 1 页（第 1–100 项）" in [c.value for c in at.caption]
