"""The app in a real browser: what an analyst sees, in Chinese, on the sample and on an upload.

Pages are reached by their Chinese menu links and checked by visible text. The tests of the
pages (总览, 导入, 事项, 流程图) are skipped while any of their files is missing from the tree.
"""

from __future__ import annotations

import io
import re
from dataclasses import dataclass
from pathlib import Path

import openpyxl
import pytest
import xlsxwriter
from playwright.sync_api import expect
from sample import sample_analysis

pytestmark = pytest.mark.e2e

ROOT = Path(__file__).resolve().parents[2]
TITLE = "审批流程精简分析器"
# The sample's published licensing figures (DOMAIN.md): 209 of 393 items streamlined,
# 19.89 → 11.01 working days.
SAMPLE_STREAMLINING = "53.18%"
SAMPLE_SHORTENING = "44.65%"

# Menu title → page file; a file pages/NAME.py is served at the URL path NAME.
PAGE_FILES = {
    "开始": "app.py",
    "总览": "pages/overview.py",
    "导入": "pages/import.py",
    "事项": "pages/items.py",
    "流程图": "pages/process.py",
    "流程再造": "pages/redesign.py",
    "导出": "pages/export.py",
    "历史": "pages/history.py",
}
MENU = list(PAGE_FILES)
PAGES_READY = all((ROOT / file).exists() for file in PAGE_FILES.values())
needs_pages = pytest.mark.skipif(not PAGES_READY, reason="页面尚未完成")


def url_path(title: str) -> str:
    return Path(PAGE_FILES[title]).stem


# ------------------------------------------------------------------------------ what exists


def test_start_page_shows_the_title_and_the_sample_headline_figures_in_chinese(app, app_url) -> None:
    app.open(app_url)
    app.expect_no_exception()
    title = app.page.get_by_text(TITLE, exact=True).first
    expect(title).to_be_visible()
    assert app.glyphs_differ(title, TITLE), "标题中的汉字显示为相同的方框：缺少中文字体"
    for figure in (SAMPLE_STREAMLINING, SAMPLE_SHORTENING):
        expect(app.main.get_by_text(figure).first).to_be_visible()
    app.screenshot()


# ---------------------------------------------------------------------------- planned pages


@needs_pages
@pytest.mark.parametrize("title", [pytest.param(t, id=url_path(t)) for t in MENU if t != "开始"])
def test_a_fresh_servers_first_request_to_a_page_url_shows_the_chinese_menu_and_the_page(
    title, fresh_server, app
) -> None:
    app.open(f"{fresh_server.url}/{url_path(title)}")
    app.expect_no_exception()
    assert app.current_page == url_path(title)
    expect(app.page).to_have_title(re.compile(title))
    for name in MENU:
        expect(app.menu_link(name)).to_be_visible()
    for file in PAGE_FILES.values():  # without the frame, the menu lists the files instead
        expect(app.sidebar.get_by_role("link", name=Path(file).stem, exact=True)).to_have_count(0)
    expect(app.main.get_by_role("heading", name=title, exact=True).first).to_be_visible()
    if title == "总览":
        expect(app.main.get_by_text(SAMPLE_STREAMLINING).first).to_be_visible()
    app.screenshot()


@needs_pages
def test_every_page_opens_from_the_menu_without_an_error(app, app_url) -> None:
    app.open(app_url)
    for title in MENU:
        app.go_to(title)
        app.expect_no_exception()
        assert app.main.inner_text().strip(), f"“{title}”页面没有内容"
        app.screenshot(title)


@dataclass(frozen=True)
class Row:
    """One item of the uploaded list, with how it counts worked out by hand."""

    department: str
    name: str
    statutory: str
    committed: str
    decision: str
    streamlined: bool
    before_days: float | None  # the statutory limit, read by hand (the list has no original one)
    after_days: float | None


TRANSPORT, HOUSING = "市交通运输局", "市住房和城乡建设局"
UPLOAD_ROWS = [
    Row(TRANSPORT, "道路旅客运输经营许可", "20个工作日", "10个工作日", "保留", False, 20, 10),
    Row(TRANSPORT, "出租汽车经营许可", "20个工作日", "8个工作日", "保留", False, 20, 8),
    Row(TRANSPORT, "道路运输站（场）经营许可", "20个工作日", "", "取消", True, None, None),
    Row(TRANSPORT, "机动车维修经营许可", "15个工作日", "", "下放至县级", True, None, None),
    Row(TRANSPORT, "客运班线经营许可", "20个工作日", "", "合并至“道路旅客运输经营许可”", True, None, None),
    Row(HOUSING, "建筑工程施工许可证核发", "15个工作日", "5个工作日", "保留", False, 15, 5),
    Row(HOUSING, "商品房预售许可", "10个工作日", "7个工作日", "保留", False, 10, 7),
    Row(HOUSING, "城市建筑垃圾处置核准", "二十个工作日", "即办", "保留", False, 20, 0),
    Row(HOUSING, "城市道路占用挖掘许可", "20个工作日", "6个工作日", "保留", False, 20, 6),
    Row(HOUSING, "物业服务企业资质核定", "20个工作日", "", "取消", True, None, None),
    Row(HOUSING, "房地产估价机构备案核准", "20个工作日", "", "下放至县级", True, None, None),
]
HEADER = ["序号", "实施部门", "事项名称", "事项类型", "法定办结时限", "承诺办结时限", "处理意见"]


def messy_workbook(rows: list[Row]) -> bytes:
    """The list as a department sends it: merged title, 填报单位 row, header on row 3, department
    cells merged down their items, a 合计 row and a note at the bottom."""
    buffer = io.BytesIO()
    book = xlsxwriter.Workbook(buffer, {"in_memory": True})
    sheet = book.add_worksheet("行政许可")
    sheet.merge_range(0, 0, 0, len(HEADER) - 1, "市本级行政许可事项清理表")
    sheet.write(1, 0, "填报单位：示例市人民政府法制办公室    填报日期：2026年11月")
    sheet.write_row(2, 0, HEADER)
    first = 3
    for n, row in enumerate(rows, start=1):
        r = first + n - 1
        sheet.write_row(r, 0, [n, row.department, row.name, "行政许可", row.statutory])
        if row.committed:
            sheet.write(r, 5, row.committed)
        sheet.write(r, 6, row.decision)
    for department in dict.fromkeys(row.department for row in rows):
        rows_of = [i for i, row in enumerate(rows) if row.department == department]
        sheet.merge_range(first + rows_of[0], 1, first + rows_of[-1], 1, department)
    end = first + len(rows)
    sheet.write_row(end, 0, ["合计", "", f"{len(rows)}项"])
    sheet.write(end + 1, 0, "注：处理意见经市政府常务会议审定。")
    book.close()
    return buffer.getvalue()


def expected_figures(rows: list[Row]) -> tuple[str, str]:
    """精简率 = streamlined / decided; 缩短率 = (mean before − mean after) / mean before over the kept.

    Here 5 of 11 items are streamlined (45.45%), and the six kept go from 105/6 = 17.5 to
    36/6 = 6 working days: 11.5 / 17.5 = 65.71%.
    """
    streamlining = sum(row.streamlined for row in rows) / len(rows)
    kept = [row for row in rows if not row.streamlined]
    before = sum(float(row.before_days) for row in kept) / len(kept)
    after = sum(float(row.after_days) for row in kept) / len(kept)
    return f"{streamlining:.2%}", f"{(before - after) / before:.2%}"


def test_hand_counted_figures_of_the_upload_are_45_45_and_65_71_percent() -> None:
    assert expected_figures(UPLOAD_ROWS) == ("45.45%", "65.71%")


@needs_pages
def test_an_uploaded_messy_workbook_gives_the_hand_counted_figures_on_the_overview(app, fresh_server) -> None:
    # A server of its own: the upload starts a round, which a new visitor would then open.
    streamlining, shortening = expected_figures(UPLOAD_ROWS)
    app.open(fresh_server.url)
    app.go_to("导入")
    app.main.locator('input[type="file"]').first.set_input_files(
        files=[
            {
                "name": "市本级行政许可事项清理表.xlsx",
                "mimeType": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
                "buffer": messy_workbook(UPLOAD_ROWS),
            }
        ]
    )
    app.wait()
    app.expect_no_exception()
    app.screenshot("导入")
    if app.current_page != url_path("总览"):
        app.go_to("总览")
    app.expect_no_exception()
    for figure in (streamlining, shortening):
        expect(app.main.get_by_text(figure).first).to_be_visible()
    app.screenshot("总览")


def sample_process() -> tuple[str, list[str]]:
    """The first item of the sample's step list and the step names its process has both before
    and after re-engineering (shown whichever version the chart opens on)."""
    path = next((ROOT / "data" / "sample").glob("*办理环节*.xlsx"))
    sheet = openpyxl.load_workbook(path, read_only=True).worksheets[0]
    rows = sheet.iter_rows(values_only=True)
    header = next(row for row in rows if "环节名称" in row)
    name_at, version_at, step_at = (header.index(h) for h in ("事项名称", "流程版本", "环节名称"))
    item = ""
    steps: dict[str, list[str]] = {"再造前": [], "再造后": []}
    for row in rows:
        if not item:
            item = row[name_at]
        if row[name_at] != item:
            break
        steps[row[version_at]].append(row[step_at])
    return item, [step for step in steps["再造前"] if step in steps["再造后"]]


@needs_pages
def test_an_items_process_chart_shows_its_steps_by_name(app, app_url) -> None:
    item, steps = sample_process()
    assert len(steps) >= 3
    app.open(app_url)
    app.go_to("流程图")
    chooser = app.main.get_by_role("combobox", name=re.compile("事项")).first
    chooser.click()
    app.page.keyboard.type(item)
    app.page.get_by_role("option").filter(has_text=item).first.click()
    app.wait()
    app.expect_no_exception()
    chart = app.main.locator(".js-plotly-plot").first
    expect(chart).to_be_visible()
    for step in steps:  # a label may add the days after the name, never text before it
        expect(chart.get_by_text(re.compile(rf"^{re.escape(step)}")).first).to_be_visible()
    app.screenshot()


@needs_pages
def test_accepting_suggestions_builds_the_proposed_process_and_the_projection(app, app_url) -> None:
    from approvals.analysis import project
    from approvals.redesign.reductions import applicable

    analysis = sample_analysis()
    flags = analysis.flags
    chosen = flags[applicable(flags, analysis.dataset.steps)]
    expected = project(analysis, chosen["flag_key"]).overall.shortening_rate

    app.open(app_url)
    app.go_to("流程再造")
    app.expect_no_exception()
    expect(app.main.get_by_text(f"{len(flags)} 条", exact=True).first).to_be_visible()
    app.main.get_by_role("button", name=f"采纳筛选出的 {len(chosen)} 条").click()
    app.wait()
    app.expect_no_exception()
    expect(app.main.get_by_text(f"{len(chosen)} / 0", exact=True).first).to_be_visible()
    expect(app.main.get_by_text(f"{expected:.2%}", exact=True).first).to_be_visible()
    app.screenshot("提示清单")

    # An item of a department that sent no after process: its proposed process is drawn.
    item = chosen[chosen["rule"].eq("serial_reviews")].iloc[0]
    app.main.get_by_role("tab", name="流程对比").click()
    chooser = app.main.get_by_role("combobox", name=re.compile("事项")).first
    chooser.click()
    app.page.keyboard.type(item["item"])
    app.page.get_by_role("option").filter(has_text=item["item"]).first.click()
    app.wait()
    app.expect_no_exception()
    expect(app.main.get_by_text("采纳建议后的流程").first).to_be_visible()
    app.screenshot("流程对比")

    app.main.get_by_role("tab", name="预计成效（四减）").click()
    app.wait()
    expect(app.main.get_by_text("减跑动", exact=True).first).to_be_visible()
    app.screenshot("预计成效")
    app.main.get_by_role("tab", name="设定依据审查").click()
    app.wait()
    expect(app.main.get_by_text(re.compile("^设定依据层级不足、列为取消候选的事项")).first).to_be_visible()
    app.screenshot("设定依据")


@needs_pages
def test_the_export_page_downloads_the_published_catalog_with_the_chosen_title(
    app, app_url, tmp_path
) -> None:
    import openpyxl

    app.open(app_url)
    app.go_to("导出")
    app.expect_no_exception()
    region = app.main.get_by_role("textbox", name=re.compile("地区名称"))
    region.fill("示例市")
    region.press("Enter")
    app.wait()
    expect(app.main.get_by_text("示例市市本级保留行政审批事项目录", exact=True).first).to_be_visible()
    app.screenshot()
    with app.page.expect_download() as caught:
        app.main.get_by_role("button", name=re.compile("每个目录一个工作表")).click()
    saved = tmp_path / caught.value.suggested_filename
    caught.value.save_as(saved)
    book = openpyxl.load_workbook(saved)
    sheet = book["保留事项目录"]
    assert sheet["A1"].value == "示例市市本级保留行政审批事项目录"
    numbers = [r[0] for r in sheet.iter_rows(min_row=2, values_only=True) if isinstance(r[0], int)]
    assert numbers == list(range(1, 184 + 29 + 1))
    assert saved.name == "示例市市本级保留行政审批事项目录等5个目录.xlsx"
