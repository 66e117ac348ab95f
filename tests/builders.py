"""Small builders of department files in the shapes departments really send.

Each returns the file's bytes so tests can write them to disk or hand them to the reader as an
upload. Nothing here uses the product's own code.
"""

from __future__ import annotations

import io
from collections.abc import Sequence
from typing import Any

import xlsxwriter

ITEM_HEADER = [
    "序号",
    "实施部门",
    "事项编码",
    "事项名称",
    "事项类型",
    "设定依据",
    "法定办结时限",
    "承诺办结时限（清理后）",
    "处理意见",
    "联系电话",
]


def workbook(
    sheets: dict[str, list[list[Any]]], merges: dict[str, list[tuple[int, int, int, int, Any]]] | None = None
) -> bytes:
    """An .xlsx with the given rows per sheet; merges as (first_row, first_col, last_row, last_col, value)."""
    buffer = io.BytesIO()
    book = xlsxwriter.Workbook(buffer, {"in_memory": True, "strings_to_formulas": False})
    for name, rows in sheets.items():
        sheet = book.add_worksheet(name)
        for r, row in enumerate(rows):
            for c, value in enumerate(row):
                if value is None or value == "":
                    continue
                sheet.write(r, c, value)
        for r1, c1, r2, c2, value in (merges or {}).get(name, []):
            sheet.merge_range(r1, c1, r2, c2, value)
    book.close()
    return buffer.getvalue()


def messy_items_rows(
    items: Sequence[Sequence[Any]],
    title: str = "市本级行政许可事项清理表",
    header: Sequence[str] = ITEM_HEADER,
) -> list[list[Any]]:
    """Title (row 1), 填报单位 (row 2), header (row 3), items, a blank row, a 合计 row, a note."""
    rows: list[list[Any]] = [[title], ["填报单位：示例市法制办    填报日期：2026年11月"], list(header)]
    for n, item in enumerate(items, start=1):
        rows.append([n, *item])
    rows.append([])
    rows.append(["合计", "", "", f"{len(items)}项"])
    rows.append(["注：本表由各部门填报，法制办汇总。"])
    return rows


def messy_items_workbook(items: Sequence[Sequence[Any]], sheet: str = "行政许可", **kw: Any) -> bytes:
    """An item list as departments send it: merged title over the header's width, header on row 3."""
    rows = messy_items_rows(items, **kw)
    width = len(rows[2])
    return workbook({sheet: rows}, {sheet: [(0, 0, 0, width - 1, rows[0][0])]})


def csv_bytes(rows: Sequence[Sequence[Any]], encoding: str = "utf-8", delimiter: str = ",") -> bytes:
    """A CSV as Excel or a platform exports it, in the given encoding (gb18030, utf-8-sig, …)."""
    import csv

    buffer = io.StringIO()
    csv.writer(buffer, delimiter=delimiter, lineterminator="\r\n").writerows(rows)
    return buffer.getvalue().encode(encoding)
