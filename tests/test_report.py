"""The workbook and the HTML report, read back as the analyst's Excel and browser would see them,
and the chart images."""

from __future__ import annotations

import dataclasses
import io
import json
import re
import struct
import sys
import xml.etree.ElementTree as ET
from datetime import date
from pathlib import Path

import openpyxl
import plotly.graph_objects as go
import pytest
from plotly.offline import get_plotlyjs

from approvals.analysis import Analysis, analyze, project
from approvals.charts import images
from approvals.charts.flowchart import process_flowchart
from approvals.charts.gantt import gantt_chart
from approvals.charts.images import (
    NO_KALEIDO,
    ImageExportError,
    figure_html,
    figure_images,
    static_export_available,
)
from approvals.dataset.build import Options, load_dataset
from approvals.dataset.items import derive_items
from approvals.read.verdicts import read_verdicts
from approvals.redesign.verdicts import ACCEPTED
from approvals.report import workbook as report
from approvals.report.html import html_report
from approvals.report.workbook import SHEET_NAMES, analysis_workbook
from approvals.views.format import percent
from approvals.views.process import process_steps

SAMPLE = Path(__file__).resolve().parent.parent / "data" / "sample"
SCRIPT = "<script>alert(1)</script>"
FORMULA = '=HYPERLINK("http://example.com","点我")'
PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"


@pytest.fixture(scope="module")
def sample() -> Analysis:
    return analyze(load_dataset(sorted(SAMPLE.glob("*.xlsx")), Options(year=2026)))


def renamed(analysis: Analysis, names: dict[int, str]) -> Analysis:
    """The analysis of the same catalog with some items renamed (item_id → name), steps included."""
    dataset = analysis.dataset
    items = dataset.items.assign(name=dataset.items["item_id"].map(names).fillna(dataset.items["name"]))
    steps = dataset.steps.assign(
        item_name=dataset.steps["item_id"].map(names).fillna(dataset.steps["item_name"])
    )
    return analyze(dataclasses.replace(dataset, items=items, steps=steps), analysis.targets)


@pytest.fixture(scope="module")
def process_ids(sample: Analysis) -> list[int]:
    """Two items with a before and an after process."""
    versions = sample.processes.groupby("item_id")["version"].nunique()
    return [int(i) for i in versions[versions.eq(2)].index[:2]]


@pytest.fixture(scope="module")
def hostile(sample: Analysis, process_ids: list[int]) -> Analysis:
    """The sample with a script as the name of an item that has a process, and formulas as names."""
    others = sample.dataset.items["item_id"][~sample.dataset.items["item_id"].isin(process_ids)]
    first, second = (int(i) for i in others.iloc[:2])
    return renamed(sample, {process_ids[0]: SCRIPT, first: FORMULA, second: "+1+1"})


def read_book(data: bytes) -> openpyxl.Workbook:
    return openpyxl.load_workbook(io.BytesIO(data))


def rows_of(sheet) -> list[list[object]]:
    return [list(row) for row in sheet.iter_rows(values_only=True)]


# --- the workbook -------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def book(sample: Analysis) -> openpyxl.Workbook:
    return read_book(analysis_workbook(sample))


def test_workbook_has_the_six_sheets_in_order(book):
    assert book.sheetnames == list(SHEET_NAMES) == ["汇总", "部门", "事项", "流程", "流程再造提示", "问题"]


@pytest.mark.parametrize("name", SHEET_NAMES)
def test_every_sheet_has_a_bold_frozen_filtered_header(book, name):
    sheet = book[name]
    header = [cell for cell in sheet[1] if cell.value is not None]
    assert header and all(cell.font.b for cell in header)
    assert sheet.freeze_panes == "A2"
    assert sheet.auto_filter.ref.startswith("A1:")
    assert all(sheet.column_dimensions[c.column_letter].width >= 6 for c in header)


def test_summary_rows_are_the_lists_then_all_items(book):
    rows = rows_of(book["汇总"])
    assert rows[0][:8] == ["清单", "清理前", "保留", "精简", "未决定", "精简率", "精简率目标", "精简率达标"]
    assert [r[0] for r in rows[1:4]] == ["行政许可", "投资项目审批", "全部事项"]
    assert rows[1][1:5] == [393, 184, 209, 0]
    assert rows[2][1:5] == [53, 29, 24, 0]


def test_city_licensing_rate_is_a_percent_formatted_number_at_full_precision(book, sample):
    sheet = book["汇总"]
    header = [c.value for c in sheet[1]]
    rate = sheet.cell(row=2, column=header.index("精简率") + 1)
    assert rate.data_type == "n" and rate.number_format == "0.00%"
    assert rate.value == pytest.approx(209 / 393, rel=1e-15)
    assert rate.value == pytest.approx(sample.lists["streamlining_rate"].iloc[0], rel=1e-15)
    shortening = sheet.cell(row=2, column=header.index("缩短率") + 1)
    assert shortening.number_format == "0.00%"
    assert round(shortening.value, 4) == 0.4465
    target = sheet.cell(row=2, column=header.index("精简率目标") + 1)
    assert (target.value, target.number_format) == (0.3, "0.00%")
    assert sheet.cell(row=2, column=header.index("精简率达标") + 1).value == "达标"
    before = sheet.cell(row=2, column=header.index("原平均时限") + 1)
    assert before.number_format == "0.00" and round(before.value, 2) == 19.89


def test_summary_explains_the_rates_under_the_table(book):
    notes = [r[0] for r in rows_of(book["汇总"])[4:] if r[0]]
    assert any(n.startswith("精简率 = ") for n in notes) and any(n.startswith("缩短率 = ") for n in notes)


def test_departments_sheet_has_one_row_per_department(book, sample):
    rows = rows_of(book["部门"])
    assert rows[0][0] == "部门"
    assert [r[0] for r in rows[1:]] == sample.departments["group"].tolist()


def test_items_sheet_has_every_item_with_decision_and_limits(book, sample):
    rows = rows_of(book["事项"])
    header = rows[0]
    wanted = ["事项名称", "实施部门", "处理意见", "清理前时限（工作日）", "清理后时限（工作日）", "缩短率"]
    assert set(wanted) <= set(header)
    assert len(rows) - 1 == len(sample.dataset.items)
    decisions = {r[header.index("处理意见")] for r in rows[1:]}
    assert decisions == {"保留", "取消", "下放", "合并", "转变管理方式"}
    rates = [row[header.index("缩短率")] for row in book["事项"].iter_rows(min_row=2)]
    assert all(c.number_format == "0.00%" for c in rates if c.value is not None)
    assert sum(c.value is not None for c in rates) == 213  # the retained items with both limits


def test_items_sheet_keeps_the_departments_own_columns(sample):
    items = sample.dataset.items.assign(联系电话=["0571-1234"] * len(sample.dataset.items))
    analysis = dataclasses.replace(sample, dataset=dataclasses.replace(sample.dataset, items=items))
    header = rows_of(read_book(analysis_workbook(analysis))["事项"])[0]
    assert header[-1] == "联系电话"


def test_processes_sheet_has_each_item_version_with_its_critical_path(book, sample):
    rows = rows_of(book["流程"])
    header = rows[0]
    assert header[:5] == ["实施部门", "事项编码", "事项名称", "流程", "环节数"]
    assert len(rows) - 1 == len(sample.processes)
    first = sample.processes.iloc[0]
    row = dict(zip(header, rows[1], strict=True))
    assert row["事项名称"] == first["item_name"] == "供电营业区划分审批"
    assert row["流程"] == "再造前"
    assert row["关键路径（工作日）"] == first["critical_path_days"] == 30
    assert row["工作量合计（工作日）"] == 35
    assert row["关键路径环节"] == "受理→登记→审查→复审→审核→审批→送达"
    assert row["存在循环"] == "否"


def test_flags_sheet_carries_verdicts_and_loads_back_as_a_verdicts_file(sample):
    keys = sample.flags["flag_key"].iloc[[0, 5]].tolist()
    data = analysis_workbook(sample, {keys[0]: ACCEPTED, keys[1]: "rejected"})
    rows = rows_of(read_book(data)["流程再造提示"])
    assert rows[0][:3] == ["提示编号", "是否采纳", "提示"]
    verdict = {r[0]: r[1] for r in rows[1:]}
    assert (verdict[keys[0]], verdict[keys[1]]) == ("采纳", "不采纳")
    assert sum(v == "待定" for v in verdict.values()) == len(sample.flags) - 2
    loaded, problems = read_verdicts("分析结果.xlsx", data)
    assert (loaded[keys[0]], loaded[keys[1]]) == (ACCEPTED, "rejected")
    assert problems.empty


def test_problems_sheet_lists_file_sheet_row_column_value_message(book, sample):
    rows = rows_of(book["问题"])
    assert rows[0] == ["级别", "文件", "工作表", "行号", "列", "原值", "说明"]
    assert len(rows) - 1 == len(sample.problems) == 2
    total = next(r for r in rows[1:] if r[2] == "投资项目审批")
    assert total[3] == 57 and "合计" in total[5] and "合计" in total[6]


def test_hostile_names_are_text_not_formulas(hostile):
    book = read_book(analysis_workbook(hostile))
    cells = [cell for sheet in book for row in sheet.iter_rows() for cell in row]
    assert not [c.coordinate for c in cells if c.data_type == "f"]
    names = {c.value for c in cells if isinstance(c.value, str)}
    assert "'" + FORMULA in names and "'+1+1" in names
    assert FORMULA not in names
    assert SCRIPT in names  # not a spreadsheet danger: kept as written


def test_a_table_longer_than_a_sheet_continues_on_the_next(sample, monkeypatch):
    monkeypatch.setattr(report, "EXCEL_ROWS", 101)
    book = read_book(analysis_workbook(sample))
    parts = [name for name in book.sheetnames if name.startswith("事项")]
    assert parts == ["事项", "事项（续2）", "事项（续3）", "事项（续4）", "事项（续5）"]
    assert [book[p].max_row for p in parts] == [101, 101, 101, 101, 47]
    assert all(book[p]["A1"].value == "事项编码" for p in parts)
    assert book["汇总"].max_row <= 101


def test_empty_problems_still_give_a_header(sample):
    empty = dataclasses.replace(sample, problems=sample.problems.iloc[0:0])
    rows = rows_of(read_book(analysis_workbook(empty))["问题"])
    assert rows == [["级别", "文件", "工作表", "行号", "列", "原值", "说明"]]


# --- the HTML report ----------------------------------------------------------------------------


@pytest.fixture(scope="module")
def page(hostile: Analysis, process_ids: list[int]) -> str:
    return html_report(hostile, items=process_ids, generated=date(2026, 11, 23))


def outside_plotly(text: str) -> str:
    return text.replace(get_plotlyjs(), "")


def in_chart(text: str, page: str) -> bool:
    """Whether a chart's data holds ``text``: plotly writes it as JSON, non-ASCII escaped."""
    return json.dumps(text)[1:-1] in page


def test_report_shows_the_published_city_figures(page):
    row = re.search(r"<tr><td>行政许可</td>.*?</tr>", page)
    assert row is not None
    assert "53.18%" in row.group(0) and "44.65%" in row.group(0)
    investment = re.search(r"<tr><td>投资项目审批</td>.*?</tr>", page)
    assert investment is not None and "45.28%" in investment.group(0) and "42.65%" in investment.group(0)
    assert "19.89" in row.group(0) and "11.01" in row.group(0)


def test_report_marks_met_targets_green(page):
    row = re.search(r"<tr><td>行政许可</td>.*?</tr>", page).group(0)
    assert '<span class="pass">53.18%</span>' in row and "目标 30%" in row and "badge pass" in row
    assert "badge fail" not in row


def test_report_marks_a_missed_target_red(sample):
    strict = dataclasses.replace(sample.targets, streamlining={"行政许可": 0.6})
    text = html_report(analyze(sample.dataset, strict))
    row = re.search(r"<tr><td>行政许可</td>.*?</tr>", text).group(0)
    assert '<span class="fail">53.18%</span>' in row and "目标 60%" in row and "未达标" in row


def test_report_is_dated_and_titled(page):
    assert "<h1>审批事项清理与流程再造分析报告</h1>" in page
    assert "<title>审批事项清理与流程再造分析报告</title>" in page
    assert "2026年11月23日" in page


def test_report_embeds_plotly_js_exactly_once(page):
    assert page.count(get_plotlyjs()) == 1
    assert page.index(get_plotlyjs()) < page.index("</head>")


def test_report_fetches_nothing(page):
    assert not re.search(r"<script[^>]*\bsrc\s*=", page)
    rest = outside_plotly(page)
    assert "cdn.plot.ly" not in rest and "cdn" not in rest.lower()
    assert "https://" not in rest and "http://" not in rest
    assert "tex-svg" not in rest and "mathjax/" not in rest.lower()


def test_report_escapes_names_from_the_data(page):
    assert SCRIPT not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page


def test_report_escapes_its_title(sample):
    text = html_report(sample, title="<b>示例市</b>报告")
    assert "<b>示例市</b>" not in text
    assert "<h1>&lt;b&gt;示例市&lt;/b&gt;报告</h1>" in text
    assert "<title>&lt;b&gt;示例市&lt;/b&gt;报告</title>" in text


def test_report_draws_every_section_chart(sample):
    text = html_report(sample)
    assert len(re.findall(r'<div id="chart-\d+"', text)) == 4  # departments, sankey, limits, tiers
    headings = re.findall(r"<h2>(.*?)</h2>", text)
    assert headings == [
        "一、主要指标",
        "二、各部门精简率",
        "三、事项清理去向",
        "四、办结时限",
        "五、流程再造",
        "六、设定依据层级",
    ]
    assert "七、重点事项流程" not in text


def test_report_includes_the_chosen_items_process_charts(page, hostile, process_ids):
    steps = hostile.dataset.steps
    for item_id in process_ids:
        for version in ("before", "after"):
            for name in process_steps(steps, item_id, version)["step_name"]:
                assert in_chart(name, page)
    # four section charts, then for each item: before, after and the timeline
    assert len(re.findall(r'<div id="chart-\d+"', page)) == 4 + 3 * len(process_ids)
    assert page.count(json.dumps("办理时间线（工作日）")[1:-1]) == len(process_ids)


def test_report_refuses_an_unknown_item(sample):
    with pytest.raises(ValueError, match="没有编号为 999999 的事项"):
        html_report(sample, items=[999999])


def test_report_projects_the_accepted_suggestions(sample):
    keys = sample.flags.loc[sample.flags["days_saved"].gt(0), "flag_key"].tolist()
    verdicts = dict.fromkeys(keys, ACCEPTED)
    projected = project(sample, keys).overall["shortening_rate"].iloc[0]
    today = sample.overall["shortening_rate"].iloc[0]
    assert projected > today
    text = html_report(sample, verdicts=verdicts)
    assert f"按采纳的 {len(keys)} 条建议测算" in text
    assert f"<strong>{percent(projected)}</strong>" in text
    assert f"采纳 {len(keys)} 条" in text
    assert f"<strong>{percent(today)}</strong>" in html_report(sample)


def test_report_shows_the_four_reductions(page):
    for name in ("减环节", "减材料", "减时限", "减跑动"):
        assert f"<td>{name}</td>" in page


# --- one chart as a page ------------------------------------------------------------------------


def test_one_chart_page_is_standalone_and_escapes_its_title():
    figure = go.Figure(go.Bar(x=["取水许可"], y=[3]))
    text = figure_html(figure, "<各部门>精简率").decode("utf-8")
    assert text.startswith("<!DOCTYPE html>")
    assert "<title>&lt;各部门&gt;精简率</title>" in text
    assert text.count(get_plotlyjs()) == 1
    assert not re.search(r"<script[^>]*\bsrc\s*=", text)
    assert in_chart("取水许可", text) and "https://" not in outside_plotly(text)


# --- static images ------------------------------------------------------------------------------

AVAILABLE, REASON = static_export_available()
needs_export = pytest.mark.skipif(not AVAILABLE, reason=f"不能导出静态图片：{REASON}")


def png_size(data: bytes) -> tuple[int, int]:
    """Width and height from a PNG's IHDR chunk."""
    return struct.unpack(">II", data[16:24])


@pytest.fixture(scope="module")
def charts(sample: Analysis, process_ids: list[int]) -> list[go.Figure]:
    steps = sample.dataset.steps
    before, after = (process_steps(steps, process_ids[0], v) for v in ("before", "after"))
    return [process_flowchart(before), process_flowchart(after), gantt_chart(before, after)]


@pytest.fixture(scope="module")
def pngs(charts: list[go.Figure]) -> list[bytes]:
    if not AVAILABLE:
        pytest.skip(f"不能导出静态图片：{REASON}")
    return figure_images(charts, "png")


@needs_export
def test_a_batch_gives_one_png_per_figure_in_order(pngs, charts):
    assert len(pngs) == len(charts) == 3
    assert all(p.startswith(PNG_SIGNATURE) for p in pngs)
    assert len(set(pngs)) == 3
    for data, figure in zip(pngs, charts, strict=True):  # 1000 px canvas at scale 2
        assert png_size(data) == (2000, 2 * figure.layout.height)


@needs_export
def test_svg_parses_and_carries_the_step_names(charts, sample, process_ids):
    (svg,) = figure_images(charts[:1], "svg")
    root = ET.fromstring(svg)
    assert root.tag.endswith("svg")
    text = "".join(root.itertext())
    first_step = process_steps(sample.dataset.steps, process_ids[0], "before")["step_name"].iloc[0]
    assert first_step in text


def test_no_figures_need_no_browser(monkeypatch):
    monkeypatch.setenv("BROWSER_PATH", "/nonexistent/chromium")
    assert figure_images([], "png") == []


def test_an_unknown_format_is_refused():
    with pytest.raises(ValueError, match="png 或 svg"):
        figure_images([go.Figure()], "jpg")  # type: ignore[arg-type]


def test_a_missing_browser_is_reported_in_chinese(monkeypatch, tmp_path):
    missing = tmp_path / "no-chromium"
    monkeypatch.setenv("BROWSER_PATH", str(missing))
    available, reason = static_export_available()
    assert not available
    assert "BROWSER_PATH" in reason and str(missing) in reason and "无法导出 PNG / SVG 图片" in reason
    with pytest.raises(ImageExportError) as raised:
        figure_images([go.Figure()], "png")
    assert str(raised.value) == reason


def test_missing_kaleido_is_reported_in_chinese(monkeypatch):
    monkeypatch.setitem(sys.modules, "kaleido", None)  # import kaleido now raises ImportError
    assert static_export_available() == (False, NO_KALEIDO)
    with pytest.raises(ImageExportError, match="未安装 kaleido"):
        figure_images([go.Figure()], "svg")


def test_a_browser_that_will_not_start_raises_a_chinese_error(monkeypatch, tmp_path):
    fake = tmp_path / "chromium"
    fake.write_text("#!/bin/sh\nexit 1\n")
    fake.chmod(0o755)
    monkeypatch.setenv("BROWSER_PATH", str(fake))
    assert static_export_available() == (True, "")
    with pytest.raises(ImageExportError, match="浏览器未能生成图片"):
        figure_images([go.Figure()], "png")


def test_the_availability_check_never_raises(monkeypatch):
    def broken() -> tuple[str | None, str]:
        raise OSError("权限不足")

    monkeypatch.setattr(images, "_browser", broken)
    available, reason = static_export_available()
    assert not available and "权限不足" in reason


def test_departments_own_columns_of_any_name_and_type_are_written(sample):
    items = sample.dataset.items
    n = len(items)
    items = items.assign(
        **{
            "事项名称": ["部门自填名称"] * n,  # named like one of ours
            "=来源": ["市政务服务网"] * n,
            "登记日期": [date(2026, 1, 5)] * (n - 1) + [7],
        }
    )
    analysis = dataclasses.replace(sample, dataset=dataclasses.replace(sample.dataset, items=items))
    rows = rows_of(read_book(analysis_workbook(analysis))["事项"])
    header = rows[0]
    assert header.count("事项名称") == 2 and "'=来源" in header
    dates = [r[header.index("登记日期")] for r in rows[1:]]
    assert dates[0] == "2026-01-05" and dates[-1] == 7


def test_a_current_catalog_reports_no_streamlining_rate(sample):
    items = derive_items(sample.dataset.items.assign(has_decision=False))
    current = analyze(dataclasses.replace(sample.dataset, items=items), sample.targets)
    text = html_report(current)
    row = re.search(r"<tr><td>行政许可</td>.*?</tr>", text).group(0)
    cells = re.findall(r"<td[^>]*>(.*?)</td>", row)
    assert cells[:5] == ["行政许可", "393", "393", "0", "0"]
    assert cells[5] == "—"
    assert "未作清理决定（无处理意见），不计算精简率" in text
    summary = rows_of(read_book(analysis_workbook(current))["汇总"])
    assert summary[1][5] is None  # 精简率: no figure, an empty cell


def test_an_empty_catalog_still_gives_a_workbook_and_a_report(sample):
    dataset = sample.dataset
    empty = analyze(
        dataclasses.replace(dataset, items=dataset.items.iloc[0:0], steps=dataset.steps.iloc[0:0]),
        sample.targets,
    )
    book = read_book(analysis_workbook(empty))
    assert [book[name].max_row for name in ("事项", "流程", "流程再造提示")] == [1, 1, 1]
    assert [r[0] for r in rows_of(book["汇总"])[1:2]] == ["全部事项"]
    text = html_report(empty)
    assert "没有流程再造提示" in text and "0 项事项" in text


def test_a_chosen_item_without_steps_says_so(sample):
    no_steps = analyze(
        dataclasses.replace(sample.dataset, steps=sample.dataset.steps.iloc[0:0]), sample.targets
    )
    text = html_report(no_steps, items=[0])
    assert "该事项没有办理环节" in text
    assert len(re.findall(r'<div id="chart-\d+"', text)) == 4
