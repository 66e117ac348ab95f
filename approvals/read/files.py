"""Department files → grids of cells: the format told by the bytes, text decoded, hostile zips refused."""

from __future__ import annotations

import codecs
import csv
import io
import itertools
import zipfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pandas as pd
import python_calamine

from approvals.errors import ReadError
from approvals.model import Severity
from approvals.problems import problem
from approvals.read.columnar import COLUMNAR_FROM_CHARS, HEAD_ROWS, columnar_frame
from approvals.read.texts import MAX_CELL_CHARS, careful_rows, fast_rows, line_by_line, utf8_lines_prevail
from approvals.read.workbooks import (
    COLUMNAR_CELL_BYTES,
    EMPTY_CELL_BYTES,
    TEXT_CELL_BYTES,
    WORKBOOK_CELL_BYTES,
    Inspection,
    ReadLimits,
    inspect_zip,
    sheet_parts,
    sparse_sheet,
)

SPREADSHEET_SUFFIXES = (".xlsx", ".xlsm", ".xls", ".xlsb", ".ods", ".csv", ".txt", ".tsv")


_OLE2_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"


_ZIP_MAGIC = b"PK\x03\x04"


# Files departments send by mistake, told by their first bytes.
_OTHER_FORMATS = (
    (b"%PDF", "PDF 文档"),
    (b"\x89PNG", "PNG 图片"),
    (b"\xff\xd8\xff", "JPEG 图片"),
    (b"GIF8", "GIF 图片"),
    (b"Rar!", "RAR 压缩包"),
    (b"7z\xbc\xaf", "7z 压缩包"),
    (b"\x1f\x8b", "gzip 压缩包"),
    (b"{\\rtf", "RTF 文档"),
)
# A text file with more NUL bytes than this share of its first 8 KB is binary, not a stray NUL.
_BINARY_NUL_SHARE = 0.01


@dataclass
class Grid:
    """One sheet's cells as given, row 0 being Excel's row 1; merges as ((r1, c1), (r2, c2))."""

    file: str
    sheet: str
    rows: list[list[Any]]
    merges: list[tuple[tuple[int, int], tuple[int, int]]] = field(default_factory=list)
    problems: list[dict[str, Any]] = field(default_factory=list)  # what reading cut or doubted
    # the sheet already laid out as a rectangular table of trimmed text (a CSV read column by
    # column, approvals.read.columnar); rows is then empty
    frame: pd.DataFrame | None = None


Source = Path | str | tuple[str, bytes]


def source_bytes(source: Source) -> tuple[str, bytes]:
    """A file's name and bytes, from a path or an uploaded (name, bytes) pair."""
    if isinstance(source, tuple):
        return source
    path = Path(source)
    try:
        return path.name, path.read_bytes()
    except FileNotFoundError as exc:
        raise ReadError(path.name, "文件不存在") from exc
    except PermissionError as exc:
        raise ReadError(path.name, "没有读取该文件的权限") from exc
    except IsADirectoryError as exc:
        raise ReadError(path.name, "这是一个文件夹，不是文件") from exc
    except OSError as exc:
        raise ReadError(path.name, "无法打开（系统拒绝读取该文件）") from exc


def open_grids(name: str, data: bytes, memory: int | None = None) -> list[Grid]:
    """Every sheet of a workbook, or the one table of a text file, as grids; ``memory`` is what
    the reading may take (default MAX_READ_BYTES).

    The format is told by the bytes, not the extension: departments rename files freely.
    """
    if not data.strip():
        raise ReadError(name, "文件为空")
    limits = ReadLimits(name, memory=memory)
    head = data[:8]
    if head.startswith(_ZIP_MAGIC):
        return _workbook_grids(name, data, inspect_zip(name, data, limits), limits)
    if head.startswith(_OLE2_MAGIC):
        if b"E\x00n\x00c\x00r\x00y\x00p\x00t\x00e\x00d\x00P\x00a\x00c\x00k" in data[: 1 << 20]:
            raise ReadError(name, "工作簿设置了打开密码，请去掉密码后重新导出")
        if b"W\x00o\x00r\x00d\x00D\x00o\x00c\x00u\x00m\x00e\x00n\x00t" in data[: 1 << 20]:
            raise ReadError(name, "这是 Word 文档（.doc），不是 Excel 工作簿，请导入 Excel 或 CSV 文件")
        return _workbook_grids(name, data, Inspection(), limits)
    for magic, kind in _OTHER_FORMATS:
        if data.startswith(magic):
            raise ReadError(name, f"这是{kind}（二进制文件），不是 Excel 工作簿或 CSV 表格")
    return [_text_grid(name, data, limits)]


def text_encoding(name: str, data: bytes) -> str | None:
    """The encoding a text file (CSV) is read in, as the import screen names it; None for a
    workbook or a file that cannot be decoded.

    >>> text_encoding("甲.csv", "事项名称,处理意见".encode("gb18030"))
    'GB18030（GBK）'
    >>> text_encoding("乙.xlsx", b"PK\\x03\\x04") is None
    True
    """
    if not data.strip() or data[:8].startswith((_ZIP_MAGIC, _OLE2_MAGIC)):
        return None
    try:
        return decoded_text(name, data)[1]
    except ReadError:
        return None


def _workbook_grids(name: str, data: bytes, inspection: Inspection, limits: ReadLimits) -> list[Grid]:
    try:
        book = python_calamine.CalamineWorkbook.from_filelike(io.BytesIO(data))
    except Exception as exc:  # calamine raises several of its own types for broken files
        raise ReadError(name, "文件已损坏，或不是 Excel 工作簿（如 Word 文档）") from exc
    large = {part for part, extent in inspection.extents.items() if extent.too_large}
    most_filled = inspection.most_filled(data)
    parts = _sheet_parts(name, data) if large else {}
    grids = []
    for meta in book.sheets_metadata:
        if "Chart" in str(meta.typ):
            continue
        limits.check()
        if parts.get(meta.name) in large:
            grids.append(_sparse_grid(name, data, meta.name, parts[meta.name], limits))
            continue
        try:
            sheet = book.get_sheet_by_name(meta.name)
        except Exception as exc:
            raise ReadError(name, f"工作表“{meta.name}”已损坏，无法读取") from exc
        cells = sheet.height * sheet.width
        needed = cells * EMPTY_CELL_BYTES + min(cells, most_filled) * (WORKBOOK_CELL_BYTES - EMPTY_CELL_BYTES)
        limits.afford(cells, needed, f"工作表“{meta.name}”")
        try:
            rows = sheet.to_python(skip_empty_area=False)
            merges = list(sheet.merged_cell_ranges or [])
        except Exception as exc:
            raise ReadError(name, f"工作表“{meta.name}”已损坏，无法读取") from exc
        grids.append(Grid(name, meta.name, rows, merges))
    if not grids:
        raise ReadError(name, "工作簿中没有工作表")
    return grids


def _sheet_parts(name: str, data: bytes) -> dict[str, str]:
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            return sheet_parts(archive)
    except Exception as exc:  # a broken zip or XML: the reader's own messages would be English
        raise ReadError(name, "文件已损坏（工作表目录无法读取），不是有效的 Excel 工作簿") from exc


def _sparse_grid(name: str, data: bytes, sheet: str, part: str, limits: ReadLimits) -> Grid:
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            rows, merges, problems = sparse_sheet(name, archive, sheet, part, limits)
    except ReadError:
        raise
    except Exception as exc:  # broken XML or zip member: reported in Chinese, never by its type
        raise ReadError(name, f"工作表“{sheet}”已损坏，无法读取") from exc
    return Grid(name, sheet, rows, merges, problems)


def decode_text(name: str, data: bytes) -> str:
    """Text file bytes → str: UTF-8 (with or without BOM), UTF-16 with BOM, else GB18030.

    GB18030 is a superset of GBK and GB2312, which Chinese Excel writes for "CSV".

    >>> decode_text("a.csv", "事项名称".encode("gbk"))
    '事项名称'
    """
    return decoded_text(name, data)[0]


ENCODING_NAMES = {
    "utf-8": "UTF-8",
    "utf-8-sig": "UTF-8（带 BOM）",
    "utf-16-le": "UTF-16",
    "utf-16-be": "UTF-16",
    "gb18030": "GB18030（GBK）",
}


def decoded_text(name: str, data: bytes) -> tuple[str, str]:
    """Text file bytes → (str, the encoding read, as :data:`ENCODING_NAMES` names it).

    >>> decoded_text("a.csv", "事项名称".encode("gbk"))
    ('事项名称', 'GB18030（GBK）')
    >>> decoded_text("b.csv", "事项".encode("utf-8-sig"))[1]
    'UTF-8（带 BOM）'
    """
    text, label, _problems, _encoded = _decoded(name, data)
    return text, label


def _decoded(name: str, data: bytes) -> tuple[str, str, list[dict[str, Any]], bytes | None]:
    """(text, encoding label, problems, the text's UTF-8 bytes where the file is UTF-8): a file
    failing as a whole is read line by line, each line in another encoding or none a problem
    row; stray NUL bytes are removed and reported."""
    problems: list[dict[str, Any]] = []
    for bom, encoding, label in (
        (codecs.BOM_UTF8, "utf-8", "utf-8-sig"),
        (codecs.BOM_UTF16_LE, "utf-16-le", "utf-16-le"),
        (codecs.BOM_UTF16_BE, "utf-16-be", "utf-16-be"),
    ):
        if data.startswith(bom):
            try:
                body = data[len(bom) :]
                return (
                    body.decode(encoding),
                    ENCODING_NAMES[label],
                    problems,
                    body if label == "utf-8-sig" else None,
                )
            except UnicodeDecodeError as exc:
                if encoding != "utf-8":
                    raise ReadError(
                        name, f"文件声明为 {encoding.upper()} 编码，但第 {exc.start} 字节处无法解码"
                    ) from exc
                data = data[len(bom) :]
                break
    if b"\x00" in data:
        sample = data[:8192]
        if sample.count(b"\x00") > _BINARY_NUL_SHARE * len(sample):
            raise ReadError(name, "这是二进制文件，不是 Excel 工作簿或 CSV 表格")
        problems += _nul_problems(name, data)
        data = data.replace(b"\x00", b"")
    try:
        return data.decode("utf-8"), ENCODING_NAMES["utf-8"], problems, data
    except UnicodeDecodeError:
        pass
    mixed = utf8_lines_prevail(data)
    if not mixed:
        try:
            return data.decode("gb18030"), ENCODING_NAMES["gb18030"], problems, None
        except UnicodeDecodeError:
            pass
    order = ("utf-8", "gb18030") if mixed else ("gb18030", "utf-8")
    lines = line_by_line(name, data, order)
    if lines is None:
        raise ReadError(
            name, "无法识别文字编码（已尝试 UTF-8、GB18030/GBK），请另存为 UTF-8 编码的 CSV 或 .xlsx"
        )
    text, line_problems = lines
    return text, ENCODING_NAMES[order[0]], problems + line_problems, None


def _nul_problems(name: str, data: bytes) -> list[dict[str, Any]]:
    """One problem row per line holding NUL bytes (at most 100), which are removed."""
    found: list[dict[str, Any]] = []
    at = data.find(b"\x00")
    while at >= 0 and len(found) < 100:
        line = data.count(b"\n", 0, at) + 1
        found.append(
            problem(
                f"第 {line} 行含有空字符（NUL），已删除",
                file=name,
                row=line,
                value=data[max(at - 8, 0) : at + 8].hex(" "),
                severity=Severity.WARNING,
                code="line_nul",
            )
        )
        end = data.find(b"\n", at)
        at = -1 if end < 0 else data.find(b"\x00", end)
    return found


def _sniffed(name: str, head: str) -> tuple[str, str, int]:
    """(delimiter, sheet name, widest of the first rows) of a text file from its first
    characters; an HTML or XML export is refused."""
    stripped = head[:4096].lstrip()[:16].lower()
    if stripped.startswith(("<!doctype html", "<html", "<table", "<?xml")):
        raise ReadError(name, "这是网页（HTML/XML）格式的导出文件，请在 Excel 中打开后另存为 .xlsx 再导入")
    sample = head[:20000].splitlines()[:50]
    delimiter = max((",", "\t", ";", "|"), key=lambda d: sum(line.count(d) for line in sample))
    if not any(delimiter in line for line in sample):
        delimiter = ","
    sheet = Path(name).stem if not name.lower().endswith(".csv") else "CSV"
    width = max((line.count(delimiter) + 1 for line in sample), default=1)
    return delimiter, sheet, width


# A UTF-8 file at least this large is tried column by column from its bytes (so it holds more
# than COLUMNAR_FROM_CHARS characters); its first HEAD_BYTES are decoded to find the header.
UTF8_COLUMNAR_FROM_BYTES = 4 * COLUMNAR_FROM_CHARS
HEAD_BYTES = 4 << 20


def _utf8_grid(name: str, data: bytes, limits: ReadLimits) -> tuple[Grid | None, bool]:
    """A large clean UTF-8 CSV read column by column from its own bytes, never decoded whole
    (the text of a province's 1 GB step list would take 1 GB more, and 2 s): pyarrow checks
    every cell's UTF-8 as it parses. (The grid, or None where the file is not such a table:
    other encodings, NUL bytes, a head past :data:`HEAD_BYTES`, rows of other widths, invalid
    bytes; it is then read the usual way, which gives the same table. And whether pyarrow
    parsed it: a file that turns out to be UTF-8 need not be parsed column by column again.)"""
    start = len(codecs.BOM_UTF8) if data.startswith(codecs.BOM_UTF8) else 0
    if len(data) - start < UTF8_COLUMNAR_FROM_BYTES or data.find(b"\x00", start) >= 0:
        return None, False
    end = data.rfind(b"\n", start, start + HEAD_BYTES)
    try:
        head = data[start : end + 1].decode("utf-8")
    except UnicodeDecodeError:
        return None, False
    if not _holds_rows(head, HEAD_ROWS + 2):  # the rows the header is looked for among reach further
        return None, False
    delimiter, sheet, width = _sniffed(name, head)
    cells = (data.count(b"\n", start) + 1) * width
    limits.afford(cells, cells * COLUMNAR_CELL_BYTES, "表格")
    frame = columnar_frame(head, delimiter, MAX_CELL_CHARS, memoryview(data)[start:])
    return (Grid(name, sheet, [], frame=frame) if frame is not None else None), True


def _holds_rows(text: str, rows: int) -> bool:
    """Whether ``text`` holds ``rows`` CSV rows (of any delimiter: a quoted line break is
    inside a row either way).

    >>> _holds_rows('a\\n"b\\nc"\\nd\\n', 3), _holds_rows('a\\n"b\\nc"\\nd\\n', 4)
    (True, False)
    """
    reader = csv.reader(io.StringIO(text, newline=""))
    try:
        return sum(1 for _ in itertools.islice(reader, rows)) >= rows
    except csv.Error:
        return False


def _text_grid(name: str, data: bytes, limits: ReadLimits) -> Grid:
    fast, parsed = _utf8_grid(name, data, limits)
    if fast is not None:
        return fast
    text, _label, problems, encoded = _decoded(name, data)
    # a file pyarrow parsed from its bytes and that decodes as UTF-8 would be parsed the same again
    parsed = parsed and encoded is not None
    delimiter, sheet, width = _sniffed(name, text[:20000])  # not a copy of the whole text
    cells = (text.count("\n") + 1) * width
    # Read column by column, a table may be as large as the memory allows; one that is not of one
    # width is read row by row, costed as such.
    if len(text) >= COLUMNAR_FROM_CHARS and not problems and not parsed:
        limits.afford(cells, cells * COLUMNAR_CELL_BYTES, "表格")
        frame = columnar_frame(text, delimiter, MAX_CELL_CHARS, encoded)
        if frame is not None:
            return Grid(name, sheet, [], frame=frame)
    del encoded
    limits.afford(cells, cells * TEXT_CELL_BYTES, "表格")
    rows = fast_rows(text, delimiter)
    if rows is None:
        rows, row_problems = careful_rows(name, sheet, text, delimiter, limits)
        problems += row_problems
    for found in problems:
        found["sheet"] = sheet
    return Grid(name, sheet, rows, problems=problems)
