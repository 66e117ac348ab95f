"""The HTML report, read back as the analyst's browser would see it, and the chart images."""

from __future__ import annotations

import dataclasses
import json
import re
import struct
import sys
import xml.etree.ElementTree as ET
from datetime import date

import plotly.graph_objects as go
import pytest
from plotly.offline import get_plotlyjs
from report_cases import SCRIPT, current_catalog, empty_catalog, hostile, process_ids, with_tables
from sample import sample_analysis

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
from approvals.model import Verdict
from approvals.report.html import html_report
from approvals.views.format import percent
from approvals.views.process import process_steps

PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"


@pytest.fixture(scope="module")
def sample() -> Analysis:
    return sample_analysis()


# --- the HTML report ----------------------------------------------------------------------------


@pytest.fixture(scope="module")
def page() -> str:
    return html_report(hostile(), items=process_ids(), generated=date(2026, 11, 23))


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
    text = html_report(analyze(sample.dataset.with_settings(sample.settings.with_targets(strict))))
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


def test_report_includes_the_chosen_items_process_charts(page):
    steps = hostile().dataset.steps
    for item_id in process_ids():
        for version in ("before", "after"):
            for name in process_steps(steps, item_id, version)["step_name"]:
                assert in_chart(name, page)
    # four section charts, then for each item: before, after and the timeline
    assert len(re.findall(r'<div id="chart-\d+"', page)) == 4 + 3 * len(process_ids())
    assert page.count(json.dumps("办理时间线（工作日）")[1:-1]) == len(process_ids())


def test_report_refuses_an_unknown_item(sample):
    with pytest.raises(ValueError, match="没有编号为 999999 的事项"):
        html_report(sample, items=[999999])


def test_report_projects_the_accepted_suggestions(sample):
    keys = sample.flags.loc[sample.flags["days_saved"].gt(0), "flag_key"].tolist()
    verdicts = dict.fromkeys(keys, Verdict.ACCEPTED)
    projected = project(sample, keys).overall.shortening_rate
    today = sample.overall.shortening_rate
    assert projected > today
    text = html_report(sample, verdicts=verdicts)
    assert f"按采纳的 {len(keys)} 条建议测算" in text
    assert f"<strong>{percent(projected)}</strong>" in text
    assert f"采纳 {len(keys)} 条" in text
    assert f"<strong>{percent(today)}</strong>" in html_report(sample)


def test_report_counts_the_flags_apart_from_the_merge_candidates(sample):
    text = html_report(sample)
    assert f"共 {len(sample.flags)} 条提示" in text
    assert len(sample.merge_candidates) > 0
    assert f"另有可合并的相近事项 {len(sample.merge_candidates)} 对，单独列出，不计入提示" in text


def test_report_says_an_item_has_no_process_after_instead_of_a_figure(sample):
    steps = sample.dataset.steps
    without_after = sorted(set(steps["item_id"]) - set(steps.loc[steps["version"].eq("after"), "item_id"]))
    item_id = int(without_after[0])
    path = sample.processes.set_index(["item_id", "version"]).loc[(item_id, "before"), "critical_path_days"]
    text = html_report(sample, items=[item_id])
    assert f"关键路径：再造前 {path:.2f} 个工作日，未报送再造后流程。" in text


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
def charts(sample: Analysis) -> list[go.Figure]:
    steps = sample.dataset.steps
    before, after = (process_steps(steps, process_ids()[0], v) for v in ("before", "after"))
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
def test_svg_parses_and_carries_the_step_names(charts, sample):
    (svg,) = figure_images(charts[:1], "svg")
    root = ET.fromstring(svg)
    assert root.tag.endswith("svg")
    text = "".join(root.itertext())
    first_step = process_steps(sample.dataset.steps, process_ids()[0], "before")["step_name"].iloc[0]
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


def test_a_current_catalog_reports_no_streamlining_rate():
    text = html_report(current_catalog())
    row = re.search(r"<tr><td>行政许可</td>.*?</tr>", text).group(0)
    cells = re.findall(r"<td[^>]*>(.*?)</td>", row)
    assert cells[:5] == ["行政许可", "393", "393", "0", "0"]
    assert cells[5] == "—"
    assert "未作清理决定（无处理意见），不计算精简率" in text


def test_an_empty_catalog_still_gives_a_report():
    text = html_report(empty_catalog())
    assert "没有流程再造提示" in text and "0 项事项" in text


def test_a_chosen_item_without_steps_says_so(sample):
    no_steps = analyze(with_tables(sample.dataset, steps=sample.dataset.steps.iloc[0:0]))
    text = html_report(no_steps, items=[0])
    assert "该事项没有办理环节" in text
    assert len(re.findall(r'<div id="chart-\d+"', text)) == 4
