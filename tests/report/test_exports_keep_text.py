"""Every document the office hands on keeps a name that looks like a formula as text: the Excel
catalogue, the analysis workbook, the CSV, the Word catalogue and the HTML report, each made the
way the 导出 page makes it."""

from __future__ import annotations

import csv
import html
import io
import re
import zipfile
from functools import cache

import docx
import openpyxl
from report_cases import renamed
from sample import sample_analysis

from approvals.analysis import Analysis
from approvals.publish.catalogs import CatalogOptions
from approvals.publish.documents import catalog_file, report_document, workbook_document

# What Excel or another spreadsheet would run as a formula if written as it is.
NAMES = ('=HYPERLINK("http://x","点我")', "+1", "-1", "@SUM(A1)")
OPTIONS = CatalogOptions(region="示例市", level="市本级")


@cache
def analysis() -> Analysis:
    """The sample with four retained items renamed to formulas, the first of them one with a process."""
    sample = sample_analysis()
    items = sample.dataset.items
    retained = items.loc[items["decision"].eq("retained"), "item_id"].astype(int).tolist()
    with_process = set(sample.processes["item_id"].astype(int))
    first = next(i for i in retained if i in with_process)
    others = [i for i in retained if i != first][:3]
    return renamed(sample, dict(zip([first, *others], NAMES, strict=True)))


def renamed_ids() -> list[int]:
    items = analysis().dataset.items
    return [int(items.loc[items["name"].eq(name), "item_id"].iloc[0]) for name in NAMES]


def texts_of_book(data: bytes) -> list[openpyxl.cell.Cell]:
    book = openpyxl.load_workbook(io.BytesIO(data))
    return [cell for sheet in book for row in sheet.iter_rows() for cell in row if cell.value is not None]


def assert_cells_are_text(cells: list[openpyxl.cell.Cell]) -> None:
    assert [c.coordinate for c in cells if c.data_type == "f"] == []
    values = [c.value for c in cells]
    for name in NAMES:
        assert "'" + name in values, name
        assert name not in values, name
    assert all(c.data_type == "s" for c in cells if str(c.value).lstrip("'") in NAMES)


def test_the_excel_catalogue_writes_each_formula_name_as_text() -> None:
    data = catalog_file(analysis().dataset.items, ["retained"], "xlsx", OPTIONS, analysis().settings)
    assert_cells_are_text(texts_of_book(data))


def test_the_analysis_workbook_writes_each_formula_name_as_text() -> None:
    assert_cells_are_text(texts_of_book(workbook_document(analysis(), {}).data))


def test_the_csv_catalogue_writes_each_formula_name_with_a_leading_apostrophe() -> None:
    data = catalog_file(analysis().dataset.items, ["retained"], "csv", OPTIONS, analysis().settings)
    cells = [cell for row in csv.reader(io.StringIO(data.decode("utf-8-sig"))) for cell in row]
    for name in NAMES:
        assert cells.count("'" + name) == 1, name
        assert name not in cells, name


def test_the_word_catalogue_holds_each_name_as_plain_text_and_no_field_or_link() -> None:
    data = catalog_file(analysis().dataset.items, ["retained"], "docx", OPTIONS, analysis().settings)
    document = docx.Document(io.BytesIO(data))
    cells = [cell.text for table in document.tables for row in table.rows for cell in row.cells]
    for name in NAMES:  # Word runs no formula: the name is printed exactly as the department wrote it
        assert cells.count(name) == 1, name
    body = zipfile.ZipFile(io.BytesIO(data)).read("word/document.xml").decode("utf-8")
    assert not re.search(r"<w:(fldSimple|instrText|hyperlink)\b", body)


def test_the_html_report_shows_a_charted_formula_name_escaped_and_makes_no_link_of_it() -> None:
    page = report_document(analysis(), {}, renamed_ids()[:1]).data.decode("utf-8")
    assert f"｜{html.escape(NAMES[0])}</h3>" in page  # the charted item's heading
    assert 'href="http://x"' not in page and "href='http://x'" not in page
    assert NAMES[0] not in re.sub(r"<script\b.*?</script>", "", page, flags=re.DOTALL)
