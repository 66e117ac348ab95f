"""Text tables (CSV) read without losing the good rows to one bad line.

The whole file is parsed at C speed first; only a file with a line in another encoding, a stray
NUL, a row wider than :data:`MAX_COLUMNS`, a cell longer than :data:`MAX_CELL_CHARS` or a quote
left open over many lines is read again row by row, each such thing one problem row.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Sequence
from typing import Any

from approvals.model import Severity
from approvals.problems import problem
from approvals.read.workbooks import MAX_COLUMNS, MAX_SHEET_CELLS, ReadLimits

# Excel's own limit on the characters of a cell.
MAX_CELL_CHARS = 32_767
# A quoted cell spanning more lines than this is taken for a quote left open.
MAX_CELL_LINES = 100

_LINE = re.compile(r"\r\n|\r|\n")
_BYTE_LINE = re.compile(rb"\r\n|\r|\n")


def fast_rows(text: str, delimiter: str) -> list[list[str]] | None:
    """Every row of the text, or None when the file needs :func:`careful_rows`."""
    limit = csv.field_size_limit(MAX_CELL_CHARS)
    try:
        reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
        rows = list(reader)
    except csv.Error:
        return None
    finally:
        csv.field_size_limit(limit)
    width = max(map(len, rows), default=0)
    if width > MAX_COLUMNS or len(rows) * width > MAX_SHEET_CELLS:
        return None
    if reader.line_num - len(rows) > MAX_CELL_LINES and any(
        cell.count("\n") > MAX_CELL_LINES for row in rows for cell in row if "\n" in cell
    ):
        return None
    return rows


def careful_rows(
    name: str, sheet: str, text: str, delimiter: str, limits: ReadLimits
) -> tuple[list[list[str]], list[dict[str, Any]]]:
    """Rows read one by one: an open quote's lines re-read one by one, wide rows and long cells
    cut, each such thing a problem row naming the row (and line, column, value)."""
    lines = _LINE.split(text)
    rows: list[list[str]] = []
    problems: list[dict[str, Any]] = []

    def report(message: str, row: int, column: str = "", value: str = "", code: str = "") -> None:
        problems.append(
            problem(
                message,
                file=name,
                sheet=sheet,
                row=row,
                column=column,
                value=value[:200],
                severity=Severity.WARNING,
                code=code,
            )
        )

    def add(record: list[str]) -> None:
        row = len(rows) + 1
        if len(record) > MAX_COLUMNS:
            extra = record[MAX_COLUMNS:]
            lost = [v for v in extra if v]
            del record[MAX_COLUMNS:]
            while record and not record[-1]:
                record.pop()
            if lost:
                report(
                    f"该行有 {len(extra) + MAX_COLUMNS} 列，超出 {MAX_COLUMNS} 列的上限，"
                    f"第 {MAX_COLUMNS + 1} 列起的 {len(lost)} 个非空单元格未读取",
                    row,
                    value=" | ".join(lost[:5]),
                    code="row_too_wide",
                )
            else:
                report(
                    f"该行有 {len(extra) + MAX_COLUMNS} 列，第 {MAX_COLUMNS + 1} 列起都是空的，已忽略",
                    row,
                    code="row_too_wide",
                )
        for c, cell in enumerate(record):
            if len(cell) > MAX_CELL_CHARS:
                record[c] = cell[:MAX_CELL_CHARS]
                report(
                    f"第 {c + 1} 列的单元格有 {len(cell)} 个字符，超出 {MAX_CELL_CHARS} 个字符的上限，已截断",
                    row,
                    column=f"第{c + 1}列",
                    value=cell[:50],
                    code="cell_too_long",
                )
        rows.append(record)

    limit = csv.field_size_limit(max(len(text), MAX_CELL_CHARS) + 1)
    try:
        reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
        last_line = 0
        for record in reader:
            first_line, last_line = last_line + 1, reader.line_num
            if len(rows) % 10_000 == 0:
                limits.check()
            if last_line - first_line > MAX_CELL_LINES and any(
                cell.count("\n") > MAX_CELL_LINES for cell in record
            ):
                report(
                    f"第 {first_line} 行有未闭合的引号，吞并了其后 {last_line - first_line} 行；"
                    "这些行已逐行重新读取，请检查该行的引号",
                    len(rows) + 1,
                    value=lines[first_line - 1] if first_line <= len(lines) else "",
                    code="quote_unclosed",
                )
                for line in lines[first_line - 1 : last_line]:
                    add(next(csv.reader([line], delimiter=delimiter), []))
                continue
            add(record)
    finally:
        csv.field_size_limit(limit)
    return _narrowed(rows, report), problems


def _narrowed(rows: list[list[str]], report: Any) -> list[list[str]]:
    """Rows whose grid (rows x widest row) fits :data:`MAX_SHEET_CELLS`: trailing empty cells
    dropped first, then the columns beyond what fits, each row losing a value reported."""
    width = max(map(len, rows), default=0)
    if len(rows) * width <= MAX_SHEET_CELLS:
        return rows
    for record in rows:
        while record and not record[-1]:
            record.pop()
    width = max(map(len, rows), default=0)
    fits = max(MAX_SHEET_CELLS // max(len(rows), 1), 1)
    if width > fits:
        for r, record in enumerate(rows):
            lost = [v for v in record[fits:] if v]
            if lost:
                report(
                    f"表格有 {len(rows)} 行，每行最多读取 {fits} 列，"
                    f"第 {fits + 1} 列起的 {len(lost)} 个单元格未读取",
                    r + 1,
                    value=" | ".join(lost[:5]),
                    code="row_too_wide",
                )
            del record[fits:]
    return rows


_ENCODING_HINT = "（已尝试 UTF-8、GB18030/GBK）"


def line_by_line(name: str, data: bytes, encodings: Sequence[str]) -> tuple[str, list[dict[str, Any]]] | None:
    """The text decoded line by line in the first of ``encodings`` each line allows, and a
    problem row per line that needed another encoding or none would decode; None when no line
    with text decodes at all."""
    pieces: list[str] = []
    problems: list[dict[str, Any]] = []
    readable = 0
    at = 0
    number = 0
    for match in [*_BYTE_LINE.finditer(data), None]:
        end = match.start() if match else len(data)
        raw = data[at:end]
        number += 1
        text = None
        for k, encoding in enumerate(encodings):
            try:
                text = raw.decode(encoding)
            except UnicodeDecodeError:
                continue
            if k:
                problems.append(
                    problem(
                        f"第 {number} 行不是 {_label(encodings[0])} 编码，"
                        f"已按 {_label(encoding)} 读取，请核对该行文字",
                        file=name,
                        row=number,
                        value=raw[:40].hex(" "),
                        severity=Severity.WARNING,
                        code="line_encoding",
                    )
                )
            break
        if text is None:
            text = raw.decode(encodings[0], errors="replace")
            problems.append(
                problem(
                    f"第 {number} 行的文字无法识别编码{_ENCODING_HINT}，无法识别的字节已替换为“\ufffd”",
                    file=name,
                    row=number,
                    value=raw[:40].hex(" "),
                    severity=Severity.ERROR,
                    code="line_encoding",
                )
            )
        elif raw.strip():
            readable += 1
        pieces.append(text)
        if match:
            pieces.append(match.group(0).decode("ascii"))
            at = match.end()
    if not readable:
        return None
    return "".join(pieces), problems


def _label(encoding: str) -> str:
    return {"utf-8": "UTF-8", "gb18030": "GB18030（GBK）"}.get(encoding, encoding.upper())


def utf8_lines_prevail(data: bytes) -> bool:
    """Whether more lines with non-ASCII text are valid UTF-8 than are not (one GBK line among
    UTF-8 ones), so the file is read line by line rather than all as GB18030."""
    valid = invalid = 0
    for raw in _BYTE_LINE.split(data):
        if raw.isascii():
            continue
        try:
            raw.decode("utf-8")
            valid += 1
        except UnicodeDecodeError:
            invalid += 1
    return valid > invalid
