"""Real files for timing the readers: a UTF-8 (BOM) CSV and an .xlsx of synthetic item rows.

Both carry a title line above the header, as department lists do, so the reader's header search
runs as it does on real files. The workbook is written row by row in xlsxwriter's
constant-memory mode; whole numbers (序号, platform limits) are written as numbers, the way Excel
holds them, so the reader's cell conversion is exercised too.
"""

from __future__ import annotations

import csv
from pathlib import Path

import pandas as pd
import xlsxwriter

TITLE = "示例省政务服务事项目录（合成数据，非真实清单）"


def write_csv(path: Path, rows: pd.DataFrame) -> Path:
    """``rows`` (Chinese headers) as CSV in UTF-8 with a BOM, under a title line."""
    with path.open("w", encoding="utf-8-sig", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow([TITLE])
        rows.to_csv(handle, index=False, lineterminator="\r\n")
    return path


def write_xlsx(path: Path, rows: pd.DataFrame) -> Path:
    """``rows`` (Chinese headers) as one worksheet under a title row, in constant-memory mode."""
    book = xlsxwriter.Workbook(str(path), {"constant_memory": True, "strings_to_formulas": False})
    sheet = book.add_worksheet("事项目录")
    sheet.write(0, 0, TITLE)
    sheet.write_row(1, 0, list(rows.columns))
    columns = [_cells(rows[c]) for c in rows.columns]
    for r, values in enumerate(zip(*columns, strict=True), start=2):
        for c, value in enumerate(values):
            if value != "":
                sheet.write(r, c, value)
    book.close()
    return path


def _cells(column: pd.Series) -> list[object]:
    """A column's cells as Excel would hold them: whole numbers as numbers, the rest as text."""
    values = column.astype("str").tolist()
    return [int(v) if v.isdigit() and len(v) < 10 else v for v in values]
