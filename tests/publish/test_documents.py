"""Documents by name for the command line and the 导出 screen: lists, one item's charts."""

from __future__ import annotations

import io
import zipfile

import pytest
from sample import SETTINGS, sample_analysis

from approvals.analysis import Analysis
from approvals.charts.images import static_export_available
from approvals.publish.catalogs import CatalogOptions
from approvals.publish.documents import (
    chart_file,
    item_chart_names,
    item_figures,
    list_documents,
    list_tables,
)


@pytest.fixture(scope="module")
def analysis() -> Analysis:
    return sample_analysis()


def item_id(analysis: Analysis, name: str) -> int:
    items = analysis.dataset.items
    return int(items.loc[items["name"].eq(name), "item_id"].iloc[0])


def test_an_item_with_both_processes_has_three_charts_and_one_without_an_after_two(
    analysis: Analysis,
) -> None:
    both = item_id(analysis, "供电营业区划分审批")
    assert item_chart_names(analysis, both) == [
        "供电营业区划分审批（再造前）办理流程",
        "供电营业区划分审批（再造后）办理流程",
        "供电营业区划分审批办理时间线",
    ]
    steps = analysis.dataset.steps
    only_before = steps.groupby("item_id")["version"].agg(set)
    lone = int(only_before[only_before.map(lambda v: v == {"before"})].index[0])
    assert len(item_chart_names(analysis, lone)) == 2
    assert list(item_figures(analysis, lone)) == item_chart_names(analysis, lone)


def test_one_chart_is_one_offline_page_and_several_come_zipped(analysis: Analysis) -> None:
    both = item_id(analysis, "供电营业区划分审批")
    names = item_chart_names(analysis, both)
    page = chart_file(item_figures(analysis, both, names[:1]), "html").decode("utf-8")
    assert (
        page.startswith("<!DOCTYPE html>") and "<title>供电营业区划分审批（再造前）办理流程</title>" in page
    )
    archive = zipfile.ZipFile(io.BytesIO(chart_file(item_figures(analysis, both), "html")))
    assert archive.namelist() == [f"{n}.html" for n in names]


@pytest.mark.skipif(not static_export_available()[0], reason=static_export_available()[1])
def test_charts_as_png_images_in_one_batch(analysis: Analysis) -> None:
    both = item_id(analysis, "供电营业区划分审批")
    archive = zipfile.ZipFile(io.BytesIO(chart_file(item_figures(analysis, both), "png")))
    assert all(archive.read(n).startswith(b"\x89PNG\r\n\x1a\n") for n in archive.namelist())


def test_lists_without_items_are_left_out_but_the_retained_catalog_never(analysis: Analysis) -> None:
    nothing_cancelled = analysis.dataset.items.assign(
        decision=analysis.dataset.items["decision"].replace("cancelled", "retained")
    )
    tables = list_tables(nothing_cancelled, ["retained", "cancelled"], CatalogOptions(), SETTINGS.export)
    assert list(tables) == ["retained"]
    empty = nothing_cancelled.iloc[:0]
    assert list(list_tables(empty, ["retained"], CatalogOptions(), SETTINGS.export)) == ["retained"]
    (workbook,) = list_documents(
        analysis.dataset.items,
        ["retained", "merged"],
        "xlsx",
        CatalogOptions(region="示例市"),
        SETTINGS.export,
    )
    assert workbook.name == "示例市市本级保留行政审批事项目录等2个目录.xlsx"
    documents = list_documents(
        analysis.dataset.items, ["retained", "merged"], "csv", CatalogOptions(), SETTINGS.export
    )
    assert [d.kind for d in documents] == ["retained", "merged"]
