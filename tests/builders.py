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


# Text that markdown or HTML would act on, as a file may carry it in any name.
HOSTILE_HTML = "<img src=x onerror=alert(1)>"
HOSTILE_BOLD = "**粗体**"
HOSTILE_LINK = "[链接](http://example.com)"
HOSTILE_IMAGE = "![图](http://example.com/x.png)"
HOSTILE_DEPARTMENT = f"{HOSTILE_HTML}局"
HOSTILE_LIST = f"{HOSTILE_LINK}事项"
HOSTILE_SHEET = HOSTILE_HTML  # a sheet name may not hold * [ ] : / \ ?
HOSTILE_OFFICE = f'<a href="http://example.com">{HOSTILE_IMAGE}科</a>'
HOSTILE_NAMES = (f"{HOSTILE_HTML}许可", f"{HOSTILE_BOLD}许可", f"{HOSTILE_LINK}许可", f"{HOSTILE_IMAGE}许可")
HOSTILE_FILE = "<b>交通</b>[局](http://example.com).xlsx"


def hostile_workbook() -> bytes:
    """A clean-up list whose department, item names, list (事项类型), sheet name, title and the
    offices of its steps are text markdown or HTML would act on: two items kept, two cancelled,
    each with a two-step process."""
    items = [
        [HOSTILE_DEPARTMENT, f"H{n}", name, HOSTILE_LIST, "《某某条例》", "20个工作日",
         "10个工作日", "保留" if n % 2 else "取消", ""]
        for n, name in enumerate(HOSTILE_NAMES, start=1)
    ]  # fmt: skip
    steps = [["事项名称", "流程版本", "环节序号", "环节名称", "责任科室", "办理时限", "前置环节"]]
    for name in HOSTILE_NAMES:
        steps.append([name, "再造前", 1, f"受理{HOSTILE_BOLD}", HOSTILE_OFFICE, "1个工作日", ""])
        steps.append([name, "再造前", 2, f"审查{HOSTILE_LINK}", HOSTILE_OFFICE, "9个工作日", "1"])
    rows = messy_items_rows(items, title=f"{HOSTILE_LINK}行政许可事项清理表")
    width = len(rows[2])
    return workbook(
        {HOSTILE_SHEET: rows, "办理环节": steps}, {HOSTILE_SHEET: [(0, 0, 0, width - 1, rows[0][0])]}
    )


# Header words of item and step lists, for generated headers (property tests, fuzzing).
HEADER_WORDS = [
    "事项名称",
    "实施部门",
    "事项编码",
    "法定办结时限",
    "承诺办结时限",
    "处理意见",
    "环节名称",
    "前置环节",
    "办理时限",
    "环节序号",
    "序号",
    "事项类型",
    "设定依据",
    "责任科室",
]
