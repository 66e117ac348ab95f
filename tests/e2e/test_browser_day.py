"""A new analyst's day in a real browser: an unreadable file, a clean-up list uploaded with a
current catalogue, an item whose department sent no after-process, a limit typed wrong.

Each step is checked by what the page shows and saved as a screenshot."""

from __future__ import annotations

import io
import re

import pytest
import xlsxwriter
from playwright.sync_api import TimeoutError as PlaywrightTimeout
from playwright.sync_api import expect
from test_browser import UPLOAD_ROWS, expected_figures

pytestmark = pytest.mark.e2e

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
HEADER = ["序号", "实施部门", "事项名称", "事项类型", "法定办结时限", "承诺办结时限（清理后）", "处理意见"]
STEP_HEADER = ["事项名称", "流程版本", "环节序号", "环节名称", "责任科室", "办理时限", "前置环节"]
NO_AFTER = "道路旅客运输经营许可"  # five steps before, none sent after
BEFORE_STEPS = [
    [NO_AFTER, "再造前", 1, "受理", "政务服务窗口", "1个工作日", ""],
    [NO_AFTER, "再造前", 2, "初审", "运输管理科", "5个工作日", "1"],
    [NO_AFTER, "再造前", 3, "复审", "运输管理科", "5个工作日", "2"],
    [NO_AFTER, "再造前", 4, "审批（分管领导）", "局领导", "3个工作日", "3"],
    [NO_AFTER, "再造前", 5, "送达", "政务服务窗口", "1个工作日", "4"],
]
CATALOGUE_ITEMS = 20


def clean_up_workbook() -> bytes:
    """A two-sheet clean-up workbook: the items under a merged title, and the steps."""
    buffer = io.BytesIO()
    book = xlsxwriter.Workbook(buffer, {"in_memory": True})
    items = book.add_worksheet("行政许可")
    items.merge_range(0, 0, 0, len(HEADER) - 1, "市本级行政许可事项清理表")
    items.write(1, 0, "填报单位：示例市人民政府法制办公室")
    items.write_row(2, 0, HEADER)
    for n, row in enumerate(UPLOAD_ROWS, start=1):
        items.write_row(
            2 + n, 0, [n, row.department, row.name, "行政许可", row.statutory, row.committed, row.decision]
        )
    steps = book.add_worksheet("办理环节")
    steps.write_row(0, 0, STEP_HEADER)
    for r, row in enumerate(BEFORE_STEPS, start=1):
        steps.write_row(r, 0, row)
    book.close()
    return buffer.getvalue()


def current_catalogue() -> bytes:
    """The county platform's service catalogue: no decision column, saved by Excel as GB18030."""
    lines = ["事项名称,实施主体,事项类型,法定办结时限,承诺办结时限"]
    lines += [f"政务服务事项{i},市行政审批局,公共服务,20,10" for i in range(CATALOGUE_ITEMS)]
    return ("\r\n".join(lines) + "\r\n").encode("gb18030")


# A rerun after an edit on a machine busy with other tests may take longer than the usual wait.
SLOW_RERUN_MS = 60_000


def type_limit(app, grid, old: str, text: str) -> None:  # type: ignore[no-untyped-def]
    """Type ``text`` over the first visible row's limit (now ``old``), as a person does: the grid
    draws on a canvas, so click the row's first cell (处理意见), step right to the limit and open
    its editor. On a busy machine a key can arrive before the click is taken, which opens the
    处理意见 list instead of the limit's text box; that is closed and the cell chosen again."""
    for _ in range(3):
        frame = grid.bounding_box()
        assert frame is not None
        app.page.mouse.click(frame["x"] + 30, frame["y"] + 35 + 17)
        app.wait()
        app.page.keyboard.press("ArrowRight")
        app.page.keyboard.press("Enter")  # opens the cell's editor with its text selected
        editor = app.page.locator("#portal textarea").first
        try:
            editor.wait_for(state="visible", timeout=5_000)
        except PlaywrightTimeout:
            pass  # no text box opened: the list, or nothing
        else:
            if editor.input_value() == old:  # the limit's text box
                break
        app.page.keyboard.press("Escape")
        app.wait()
    else:
        raise AssertionError(f"三次都没有打开时限“{old}”的编辑框")
    editor.fill(text)
    expect(editor).to_have_value(text)
    editor.press("Enter")
    app.wait()
    app.expect_no_exception()


def upload(app, *files: tuple[str, bytes]) -> None:  # type: ignore[no-untyped-def]
    app.main.locator('input[type="file"]').first.set_input_files(
        files=[{"name": name, "mimeType": XLSX, "buffer": data} for name, data in files]
    )
    app.wait()
    app.expect_no_exception()


def test_an_analysts_day_with_the_files_departments_send(app, streamlit_servers) -> None:  # type: ignore[no-untyped-def]
    server = streamlit_servers("day")
    app.open(server.url)
    app.go_to("导入")

    # An unreadable file on the sample: the sample stays, the reason is said in Chinese.
    upload(app, ("交通局报送.xlsx", b"%PDF-1.4\x00 not a workbook"))
    expect(app.main.get_by_text(re.compile("交通局报送.xlsx.*PDF.*仍显示原来的数据")).first).to_be_visible()
    expect(app.sidebar.get_by_text("示例市（合成示例数据）").first).to_be_visible()
    app.screenshot("无法读取的文件")

    # A clean-up list with a current catalogue: each file says what it is; the rate ignores the catalogue.
    upload(
        app,
        ("市本级行政许可事项清理表.xlsx", clean_up_workbook()),
        ("政务服务事项目录.csv", current_catalogue()),
    )
    expect(
        app.main.get_by_text(re.compile(r"市本级行政许可事项清理表\.xlsx.*清理清单 11 项")).first
    ).to_be_visible()
    expect(
        app.main.get_by_text(re.compile(r"现行目录 20 项（没有处理意见列），GB18030")).first
    ).to_be_visible()
    expect(app.main.get_by_text(re.compile("同时导入了清理清单")).first).to_be_visible()
    app.screenshot("清理清单与现行目录")

    streamlining, _ = expected_figures(UPLOAD_ROWS)  # 5 of 11: 45.45%, the catalogue left out
    app.go_to("总览")
    expect(app.main.get_by_text(re.compile("不计入精简率")).first).to_be_visible()
    expect(app.main.get_by_text(streamlining).first).to_be_visible()
    wrong = f"{5 / (11 + CATALOGUE_ITEMS):.2%}"
    expect(app.main.get_by_text(wrong, exact=True)).to_have_count(0)
    app.screenshot("总览")

    # The item whose department sent no after-process: said in words, not "5 → 0".
    app.go_to("流程图")
    box = app.main.get_by_role("combobox", name=re.compile("事项"))
    box.click()
    app.page.keyboard.type(NO_AFTER)
    app.page.get_by_role("option").filter(has_text=NO_AFTER).first.click()
    app.wait()
    app.expect_no_exception()
    expect(app.main.get_by_text("未报送再造后流程").first).to_be_visible()
    expect(app.main.get_by_text("5 → 未报送", exact=True).first).to_be_visible()
    expect(app.main.get_by_text(re.compile(r"^5 → 0$"))).to_have_count(0)
    app.screenshot("未报送再造后流程")

    # A limit typed wrong in the item table: refused in Chinese, the old value kept.
    app.go_to("事项")
    grid = app.main.get_by_test_id("stDataFrame").first
    expect(grid).to_be_visible()
    type_limit(app, grid, "10个工作日", "尽快办理")
    refusal = app.main.get_by_text(re.compile("未改为“尽快办理”"))
    expect(refusal.first).to_be_visible(timeout=SLOW_RERUN_MS)
    app.screenshot("无法识别的时限")

    # A good limit typed further down: saved, and the table stays where the analyst scrolled to.
    grid = app.main.get_by_test_id("stDataFrame").first
    scroller = grid.locator(".dvn-scroller").first
    scrolled = scroller.evaluate("(el) => { el.scrollTop = 140; return el.scrollTop; }")
    assert scrolled > 100
    app.wait()
    type_limit(app, grid, "", "9个工作日")
    edited = app.main.get_by_test_id("stMetric").filter(has_text="已修改")
    expect(edited.get_by_text(re.compile(r"^[1-9]\d* 项$"))).to_be_visible(timeout=SLOW_RERUN_MS)
    kept = app.main.get_by_test_id("stDataFrame").first.locator(".dvn-scroller").first
    assert kept.evaluate("(el) => el.scrollTop") == scrolled
    app.screenshot("修改后仍在原处")
    app.go_to("总览")
    _, shortening = expected_figures(UPLOAD_ROWS)
    expect(app.main.get_by_text(shortening).first).to_be_visible()  # the item still counts
