"""Documents by name for the command line and the 导出 screen: lists, one item's charts."""

from __future__ import annotations

import csv
import io
import zipfile

import docx
import openpyxl
import pandas as pd
import pytest
from builders import messy_items_workbook
from sample import SETTINGS, sample_analysis

from approvals.analysis import Analysis
from approvals.charts.images import static_export_available
from approvals.dataset.build import load_dataset
from approvals.publish.catalogs import CatalogOptions
from approvals.publish.documents import (
    chart_file,
    export_preview,
    exportable_columns,
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
    tables = list_tables(nothing_cancelled, ["retained", "cancelled"], CatalogOptions(), SETTINGS)
    assert list(tables) == ["retained"]
    empty = nothing_cancelled.iloc[:0]
    assert list(list_tables(empty, ["retained"], CatalogOptions(), SETTINGS)) == ["retained"]
    (workbook,) = list_documents(
        analysis.dataset.items,
        ["retained", "merged"],
        "xlsx",
        CatalogOptions(region="示例市"),
        SETTINGS,
    )
    assert workbook.name == "示例市市本级保留行政审批事项目录等2个目录.xlsx"
    documents = list_documents(
        analysis.dataset.items, ["retained", "merged"], "csv", CatalogOptions(), SETTINGS
    )
    assert [d.kind for d in documents] == ["retained", "merged"]


def county_items() -> pd.DataFrame:
    """A county department's list: limits written every way, no fee columns."""
    law = "《中华人民共和国水法》"
    rows = [
        ["县水利局", "SL-1", "取水许可", "行政许可", law, "九个工作日", "６日", "保留", ""],
        ["县水利局", "SL-2", "河道采砂许可", "行政许可", law, "30个自然日", "当场办结", "保留", ""],
        ["县水利局", "SL-3", "水工程建设规划同意书审核", "行政许可", law, "法律未规定",
         "15个工作日（不含专家评审时间）", "保留", ""],
    ]  # fmt: skip
    data = messy_items_workbook(rows, title="某某县行政审批事项清理表")
    return load_dataset([("水利局.xlsx", data)], SETTINGS).items


PRINTED = [
    ["9个工作日", "6个工作日"],
    ["30个自然日", "即办"],
    ["法律未规定", "15个工作日（不含专家评审时间）"],
]


def test_every_format_prints_the_limits_in_the_same_wording() -> None:
    items = county_items()
    options = CatalogOptions(region="某某县", level="县本级")
    (book,) = list_documents(items, ["retained"], "xlsx", options, SETTINGS)
    sheet = openpyxl.load_workbook(io.BytesIO(book.data))["保留事项目录"]
    header = [c.value for c in sheet[2]]
    at = [header.index("法定办结时限") + 1, header.index("承诺办结时限") + 1]
    assert [[sheet.cell(r, c).value for c in at] for r in range(3, 6)] == PRINTED
    (word,) = list_documents(items, ["retained"], "docx", options, SETTINGS)
    rows = docx.Document(io.BytesIO(word.data)).tables[0].rows
    assert [[row.cells[c - 1].text for c in at] for row in rows[1:]] == PRINTED
    (text,) = list_documents(items, ["retained"], "csv", options, SETTINGS)
    lines = list(csv.reader(io.StringIO(text.data.decode("utf-8-sig"))))
    assert [[line[c - 1] for c in at] for line in lines[1:]] == PRINTED
    assert "是否收费" not in header and "收费依据" not in lines[0]
    assert word.name == "某某县县本级保留行政审批事项目录.docx"


def test_the_blank_fee_columns_are_offered_to_add_back_and_come_back_when_chosen() -> None:
    items = county_items()
    offered = exportable_columns(items, SETTINGS.export)
    assert offered["fee"] == "是否收费（为空也印出）" and offered["fee_basis"] == "收费依据（为空也印出）"
    assert "legal_basis" not in offered  # filled, and always printed
    options = CatalogOptions(extras=("fee",))
    table = export_preview(items, ["retained"], options, SETTINGS).tables["retained"]
    assert "是否收费" in table.columns and table["是否收费"].eq("").all()


def test_the_preview_is_the_table_the_documents_print() -> None:
    items = county_items()
    options = CatalogOptions(region="某某县", level="县本级", limits_as_written=True)
    preview = export_preview(items, ["retained"], options, SETTINGS)
    assert preview.tables["retained"]["法定办结时限"].tolist() == ["九个工作日", "30个自然日", "法律未规定"]
    (text,) = list_documents(items, ["retained"], "csv", options, SETTINGS)
    lines = list(csv.reader(io.StringIO(text.data.decode("utf-8-sig"))))
    shown = preview.tables["retained"].astype("str")
    assert lines == [shown.columns.tolist(), *shown.values.tolist()]
