"""Workbooks built to hurt the reader: far cells, zip bombs, entity bombs, merges off the grid."""

from __future__ import annotations

import io
import re
import struct
import zipfile
from collections.abc import Callable
from typing import Any

import pytest
import xlsxwriter
import xlwt
from builders import workbook
from sample import SETTINGS

from approvals.errors import ReadError
from approvals.read.reading import Reading, read_source

Bounded = Callable[[Callable[[], Any]], Any]
HEADER = ["序号", "事项名称", "法定办结时限"]
GOOD = [[1, "取水许可", "20个工作日"], [2, "林木采伐许可证核发", "20个工作日"]]


def read(name: str, data: bytes) -> Reading:
    return read_source((name, data), SETTINGS.columns)


def far_cell_workbook(row: int, column: int, value: str = "远处的值") -> bytes:
    buffer = io.BytesIO()
    book = xlsxwriter.Workbook(buffer, {"in_memory": True})
    sheet = book.add_worksheet("许可")
    for r, cells in enumerate([HEADER, *GOOD]):
        for c, v in enumerate(cells):
            sheet.write(r, c, v)
    sheet.write(row, column, value)
    book.close()
    return buffer.getvalue()


def test_one_cell_at_xfd1048576_keeps_the_table_and_names_the_far_cell(bounded: Bounded) -> None:
    data = far_cell_workbook(1_048_575, 16_383)
    assert len(data) < 10_000
    reading = bounded(lambda: read("远格.xlsx", data))
    assert reading.items["name"].tolist() == ["取水许可", "林木采伐许可证核发"]
    far = reading.problems[reading.problems["code"] == "cell_out_of_range"]
    assert far[["sheet", "column", "value"]].values.tolist() == [["许可", "XFD1048576", "远处的值"]]
    assert "XFD1048576" in far["message"].iloc[0]


def test_a_stray_cell_a_million_rows_below_the_table_is_named_not_laid_out(bounded: Bounded) -> None:
    data = far_cell_workbook(1_048_575, 2, "远处的值")
    reading = bounded(lambda: read("远格.xlsx", data))
    assert reading.items["name"].tolist() == ["取水许可", "林木采伐许可证核发"]
    far = reading.problems[reading.problems["code"] == "cell_out_of_range"]
    assert far[["column", "value"]].values.tolist() == [["C1048576", "远处的值"]]


def test_a_cell_a_few_rows_below_the_table_is_part_of_it() -> None:
    reading = read("近格.xlsx", far_cell_workbook(40, 1, "稍远的事项"))
    assert reading.items["name"].tolist() == ["取水许可", "林木采伐许可证核发", "稍远的事项"]
    assert "cell_out_of_range" not in set(reading.problems["code"])


def test_an_xls_cell_at_the_last_row_and_column_is_read_in_seconds(bounded: Bounded) -> None:
    book = xlwt.Workbook(encoding="utf-8")
    sheet = book.add_sheet("许可")
    for r, cells in enumerate([HEADER, *GOOD]):
        for c, v in enumerate(cells):
            sheet.write(r, c, v)
    sheet.write(65_535, 255, "远处的值")
    buffer = io.BytesIO()
    book.save(buffer)
    reading = bounded(lambda: read("远格.xls", buffer.getvalue()))
    assert reading.items["name"].tolist()[:2] == ["取水许可", "林木采伐许可证核发"]


def _zip(members: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED, compresslevel=1) as archive:
        for path, body in members.items():
            archive.writestr(path, body)
    return buffer.getvalue()


def _bomb(inflated: int) -> bytes:
    """A workbook-shaped zip whose one sheet inflates to ``inflated`` bytes of XML rows."""
    row = b'<row r="1"><c r="A1"><v>0</v></c></row>'
    body = b"<worksheet><sheetData>" + row * (inflated // len(row)) + b"</sheetData></worksheet>"
    return _zip(
        {
            "[Content_Types].xml": b"<Types/>",
            "xl/workbook.xml": b"<workbook/>",
            "xl/worksheets/sheet1.xml": body,
        }
    )


def test_a_zip_bomb_with_honest_sizes_is_refused_before_parsing(bounded: Bounded) -> None:
    data = _bomb(520 << 20)
    with pytest.raises(ReadError, match="疑似恶意文件") as raised:
        bounded(lambda: read("炸弹.xlsx", data))
    assert "500 MB" in str(raised.value)


def _lying(data: bytes, claimed: int) -> bytes:
    """The zip with every member's uncompressed size, local and central, rewritten to ``claimed``."""
    out = bytearray(data)
    for found in re.finditer(b"PK\x03\x04", data):
        struct.pack_into("<I", out, found.start() + 22, claimed)
    for found in re.finditer(b"PK\x01\x02", data):
        struct.pack_into("<I", out, found.start() + 24, claimed)
    return bytes(out)


def test_a_zip_bomb_whose_sizes_lie_is_measured_by_inflating_and_refused(bounded: Bounded) -> None:
    data = _lying(_bomb(520 << 20), 1000)
    assert all(m.file_size == 1000 for m in zipfile.ZipFile(io.BytesIO(data)).infolist())
    with pytest.raises(ReadError, match="疑似恶意文件"):
        bounded(lambda: read("炸弹.xlsx", data))


def test_a_member_inflating_past_the_ratio_cap_is_refused_under_the_total_cap(bounded: Bounded) -> None:
    data = _bomb(120 << 20)
    assert (120 << 20) / len(data) > 100
    with pytest.raises(ReadError, match="压缩比上限 100 倍"):
        bounded(lambda: read("炸弹.xlsx", data))


BILLION_LAUGHS = b"""<?xml version="1.0"?>
<!DOCTYPE lolz [
 <!ENTITY lol "lol">
 <!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
 <!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">
 <!ENTITY lol9 "&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;">
]>
<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><si><t>&lol9;</t></si></sst>"""


def test_an_entity_bomb_in_shared_strings_is_refused_without_expanding(bounded: Bounded) -> None:
    good = zipfile.ZipFile(io.BytesIO(workbook({"许可": [HEADER, *GOOD]})))
    members = {m.filename: good.read(m) for m in good.infolist()}
    members["xl/sharedStrings.xml"] = BILLION_LAUGHS
    with pytest.raises(ReadError, match="实体膨胀") as raised:
        bounded(lambda: read("实体.xlsx", _zip(members)))
    assert "Error" not in str(raised.value)


def test_a_vertical_merge_below_the_table_is_clipped_and_the_rows_are_kept() -> None:
    rows = [HEADER, *GOOD]
    data = workbook({"许可": rows})
    from approvals.read.files import open_grids
    from approvals.read.sheets import read_grid

    grid = open_grids("合并.xlsx", data)[0]
    grid.merges.append(((40, 1), (45, 1)))
    kind, table, _problems, _mapping = read_grid(grid, SETTINGS.columns)
    assert (kind, table["name"].tolist()) == ("items", ["取水许可", "林木采伐许可证核发"])


def test_a_merge_written_past_the_last_row_reads_the_rows_above() -> None:
    data = workbook({"许可": [HEADER, *GOOD]}, {"许可": [(30, 4, 35, 4, "")]})
    assert read("合并.xlsx", data).items["name"].tolist() == ["取水许可", "林木采伐许可证核发"]


def test_formula_cells_are_read_as_their_saved_values_never_run() -> None:
    buffer = io.BytesIO()
    book = xlsxwriter.Workbook(buffer, {"in_memory": True})
    sheet = book.add_worksheet("许可")
    for c, v in enumerate(HEADER):
        sheet.write(0, c, v)
    sheet.write(1, 0, 1)
    sheet.write_formula(1, 1, '="取水"&"许可"', None, "取水许可")
    sheet.write_formula(1, 2, "=10+10", None, 20)
    sheet.write(2, 0, 2)
    sheet.write(2, 1, "林木采伐许可证核发")
    sheet.write_formula(2, 2, '=HYPERLINK("http://example.com","x")', None, "")
    book.close()
    items = read("公式.xlsx", buffer.getvalue()).items
    assert items[["name", "statutory"]].values.tolist() == [["取水许可", "20"], ["林木采伐许可证核发", ""]]


def test_a_sheet_read_cell_by_cell_keeps_text_numbers_and_merges(bounded: Bounded) -> None:
    buffer = io.BytesIO()
    book = xlsxwriter.Workbook(buffer, {"in_memory": True})
    sheet = book.add_worksheet("许可")
    sheet.merge_range(0, 0, 0, 2, "市本级行政许可事项清理表")
    for r, cells in enumerate([HEADER, *GOOD], start=1):
        for c, v in enumerate(cells):
            sheet.write(r, c, v)
    sheet.write(1_048_575, 16_383, "远")
    book.close()
    reading = bounded(lambda: read("远格.xlsx", buffer.getvalue()))
    assert reading.items[["seq", "name", "row"]].values.tolist() == [
        ["1", "取水许可", 3],
        ["2", "林木采伐许可证核发", 4],
    ]
