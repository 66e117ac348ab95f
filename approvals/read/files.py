"""Department files → grids of cells: the format told by the bytes, text decoded, hostile zips refused."""

from __future__ import annotations

import codecs
import csv
import io
import zipfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import python_calamine

from approvals.errors import ReadError

SPREADSHEET_SUFFIXES = (".xlsx", ".xlsm", ".xls", ".xlsb", ".ods", ".csv", ".txt", ".tsv")


# Guards against hostile workbooks: a zip that inflates past these is refused before parsing.
MAX_UNCOMPRESSED_BYTES = 1 << 30


MAX_COMPRESSION_RATIO = 100


_RATIO_CHECK_FROM_BYTES = 50 << 20


_OLE2_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"


_ZIP_MAGIC = b"PK\x03\x04"


@dataclass
class Grid:
    """One sheet's cells as given, row 0 being Excel's row 1; merges as ((r1, c1), (r2, c2))."""

    file: str
    sheet: str
    rows: list[list[Any]]
    merges: list[tuple[tuple[int, int], tuple[int, int]]] = field(default_factory=list)


Source = Path | str | tuple[str, bytes]


def source_bytes(source: Source) -> tuple[str, bytes]:
    """A file's name and bytes, from a path or an uploaded (name, bytes) pair."""
    if isinstance(source, tuple):
        return source
    path = Path(source)
    try:
        return path.name, path.read_bytes()
    except OSError as exc:
        raise ReadError(path.name, f"无法打开（{exc.strerror or exc}）") from exc


def open_grids(name: str, data: bytes) -> list[Grid]:
    """Every sheet of a workbook, or the one table of a text file, as grids.

    The format is told by the bytes, not the extension: departments rename files freely.
    """
    if not data.strip():
        raise ReadError(name, "文件为空")
    head = data[:8]
    if head.startswith(_ZIP_MAGIC):
        _check_zip(name, data)
        return _workbook_grids(name, data)
    if head.startswith(_OLE2_MAGIC):
        if b"E\x00n\x00c\x00r\x00y\x00p\x00t\x00e\x00d\x00P\x00a\x00c\x00k" in data[: 1 << 20]:
            raise ReadError(name, "工作簿设置了打开密码，请去掉密码后重新导出")
        return _workbook_grids(name, data)
    return [_text_grid(name, data)]


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


def _check_zip(name: str, data: bytes) -> None:
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            members = archive.infolist()
    except (zipfile.BadZipFile, ValueError) as exc:
        raise ReadError(name, "文件已损坏，不是有效的 Excel 工作簿") from exc
    names = {m.filename for m in members}
    if not any(n.startswith("xl/") for n in names) and "content.xml" not in names:
        raise ReadError(name, "这是一个压缩包而不是 Excel 工作簿（.xlsx）")
    inflated = sum(m.file_size for m in members)
    if inflated > MAX_UNCOMPRESSED_BYTES or (
        inflated > _RATIO_CHECK_FROM_BYTES and inflated > MAX_COMPRESSION_RATIO * len(data)
    ):
        raise ReadError(
            name,
            f"解压后约 {inflated / (1 << 20):.0f} MB，超出上限或压缩比异常，疑似恶意文件，已拒绝读取",
        )


def _workbook_grids(name: str, data: bytes) -> list[Grid]:
    try:
        book = python_calamine.CalamineWorkbook.from_filelike(io.BytesIO(data))
    except Exception as exc:  # calamine raises several of its own types for broken files
        raise ReadError(name, "文件已损坏，或不是 Excel 工作簿（如 Word 文档）") from exc
    grids = []
    for meta in book.sheets_metadata:
        if "Chart" in str(meta.typ):
            continue
        try:
            sheet = book.get_sheet_by_name(meta.name)
            rows = sheet.to_python(skip_empty_area=False)
            merges = list(sheet.merged_cell_ranges or [])
        except Exception as exc:
            raise ReadError(name, f"工作表“{meta.name}”已损坏，无法读取") from exc
        grids.append(Grid(name, meta.name, rows, merges))
    if not grids:
        raise ReadError(name, "工作簿中没有工作表")
    return grids


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
    for bom, encoding, label in (
        (codecs.BOM_UTF8, "utf-8", "utf-8-sig"),
        (codecs.BOM_UTF16_LE, "utf-16-le", "utf-16-le"),
        (codecs.BOM_UTF16_BE, "utf-16-be", "utf-16-be"),
    ):
        if data.startswith(bom):
            try:
                return data[len(bom) :].decode(encoding), ENCODING_NAMES[label]
            except UnicodeDecodeError as exc:
                raise ReadError(
                    name, f"文件声明为 {encoding.upper()} 编码，但第 {exc.start} 字节处无法解码"
                ) from exc
    if b"\x00" in data[:8192]:
        kind = "PDF 文档" if data.startswith(b"%PDF") else "二进制文件"
        raise ReadError(name, f"这是{kind}，不是 Excel 工作簿或 CSV 表格")
    for encoding in ("utf-8", "gb18030"):
        try:
            return data.decode(encoding), ENCODING_NAMES[encoding]
        except UnicodeDecodeError:
            continue
    raise ReadError(name, "无法识别文字编码（已尝试 UTF-8、GB18030/GBK），请另存为 UTF-8 编码的 CSV 或 .xlsx")


def _text_grid(name: str, data: bytes) -> Grid:
    text = decode_text(name, data)
    stripped = text.lstrip().lower()
    if stripped.startswith(("<!doctype html", "<html", "<table", "<?xml")):
        raise ReadError(name, "这是网页（HTML/XML）格式的导出文件，请在 Excel 中打开后另存为 .xlsx 再导入")
    sample = text[:20000].splitlines()[:50]
    delimiter = max((",", "\t", ";", "|"), key=lambda d: sum(line.count(d) for line in sample))
    if not any(delimiter in line for line in sample):
        delimiter = ","
    rows = list(csv.reader(io.StringIO(text, newline=""), delimiter=delimiter))
    return Grid(name, Path(name).stem if not name.lower().endswith(".csv") else "CSV", rows)
