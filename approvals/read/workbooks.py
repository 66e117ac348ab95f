"""Workbook zips measured before a library parses them, and sheets too large to lay out read cell by cell.

Nothing in a zip is trusted: every member is inflated here with a running cap (the sizes a zip
declares can lie), XML carrying a document type (the way entity bombs expand) is refused, and the
used range of each worksheet is found from its cells. A sheet whose range would not fit in memory
(one cell at XFD1048576 makes the spreadsheet library ask for 512 GB) is read here, cell by cell,
keeping the cells near the table and naming the far ones as problems.
"""

from __future__ import annotations

import io
import itertools
import os
import posixpath
import re
import resource
import time
import zipfile
import zlib
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

from defusedxml import ElementTree as SafeTree

from approvals.errors import ReadError
from approvals.model import Severity
from approvals.problems import problem

# Everything a workbook may inflate to, all members together.
MAX_UNCOMPRESSED_BYTES = 500 << 20
# A member inflating past _RATIO_CHECK_FROM_BYTES at more than this ratio is a zip bomb.
MAX_COMPRESSION_RATIO = 100
_RATIO_CHECK_FROM_BYTES = 50 << 20
# A sheet's used range (rows x columns) above this is not handed to the spreadsheet library,
# which lays out every cell of the range (32 bytes each: 32M cells are 1 GB).
MAX_SHEET_CELLS = 32_000_000
# Columns kept per row, in a workbook sheet read cell by cell and in a CSV.
MAX_COLUMNS = 1000
# Seconds a file may take to read, and the memory its reading may add to the process (resident
# set); past either, reading stops with a message.
MAX_READ_SECONDS = 60
MAX_READ_BYTES = 2 << 30
# What one cell of a sheet costs once read into Python lists, with a value and empty, including
# the spreadsheet library's own layout while it runs, and one CSV cell (measured on lists of 3 and
# 10 million cells, bench/RESULTS.md 2026-12-01): a table estimated past MAX_READ_BYTES is refused before
# it is read.
WORKBOOK_CELL_BYTES = 150
EMPTY_CELL_BYTES = 40
TEXT_CELL_BYTES = 200
# A CSV cell read column by column by pyarrow, the decoded text included (measured 104 bytes on a
# 200,000-item list of 3.8 million cells, bench/RESULTS.md 2026-12-02).
COLUMNAR_CELL_BYTES = 110
# A sheet whose used range holds this many times more cells than it fills (and more than a
# million) is read cell by cell too: a stray cell far below the table is not laid out.
SPARSE_FACTOR = 10
_SPARSE_FROM_CELLS = 1_000_000
# Cells beyond a run of this many empty rows, or of this many empty columns, are far from the
# table: not read, each named in a problem row.
MAX_BLANK_ROWS = 10_000
MAX_BLANK_COLUMNS = 100
# Problem rows naming dropped far cells, per sheet; the rest are counted in one more.
MAX_REPORTED_CELLS = 100

_CHUNK = 1 << 20
# The fewest bytes a cell with a value takes in a binary workbook (.xls: a MULRK's number).
_SMALLEST_CELL_BYTES = 6
_SMALLEST_CELL = len(b'<c r="A1"/>')
_ROOT = re.compile(rb"<[A-Za-z_]")
_DEFLATED = 8
_STORED = 0
_REF = re.compile(r"^([A-Z]{1,3})([0-9]{1,7})$")
# A reference past column Z or row 99,999: one pass finds both (ordinary sheets have none).
_FAR_REF = re.compile(rb' r="(?:([A-Z]{2,3})([0-9]+)|[A-Z]([0-9]{6,}))"')
_DIMENSION = re.compile(rb'<(?:\w+:)?dimension ref="(?:[A-Z]+[0-9]+:)?([A-Z]+)([0-9]+)"')
_LAST_ROW = re.compile(rb'<(?:\w+:)?row [^>]*?r="([0-9]+)"')


def command_line_read_bytes() -> int:
    """The memory one file's reading may take on the command line: half the machine's memory, at
    least :data:`MAX_READ_BYTES`. The app keeps MAX_READ_BYTES, as it serves many analysts at once;
    the command line is one analyst's process, reading a province's catalog.

    >>> command_line_read_bytes() >= MAX_READ_BYTES
    True
    """
    try:
        physical = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES")
    except (ValueError, OSError, AttributeError):
        return MAX_READ_BYTES
    return max(MAX_READ_BYTES, physical // 2)


class ReadLimits:
    """What reading one file may cost: :data:`MAX_READ_SECONDS` of time and :data:`MAX_READ_BYTES`
    of memory on top of what the process held when it began. Past either, reading stops with a
    Chinese message; :meth:`afford` refuses a step whose estimated memory would pass the limit
    before the step allocates anything.
    """

    def __init__(self, name: str, seconds: float | None = None, memory: int | None = None) -> None:
        self.name = name
        self.seconds = MAX_READ_SECONDS if seconds is None else seconds
        self.memory = MAX_READ_BYTES if memory is None else memory
        self.at = time.monotonic() + self.seconds
        self.resident_at_start = resident_bytes()

    def check(self) -> None:
        """Raise :class:`ReadError` when the time is up or the memory taken is past the limit."""
        if time.monotonic() > self.at:
            raise ReadError(
                self.name, f"读取超过 {self.seconds:.0f} 秒仍未完成，已停止；请拆分文件或另存为 CSV"
            )
        if self.taken() > self.memory:
            limit = _size(self.memory)
            raise ReadError(self.name, f"读取占用的内存超过 {limit} 的上限，已停止；请拆分文件后分别导入")

    def taken(self) -> int:
        """Bytes of memory the process holds beyond what it held when reading began."""
        return max(resident_bytes() - self.resident_at_start, 0)

    def afford(self, cells: int, needed: int, what: str) -> None:
        """Refuse, before it is read, a table of ``cells`` cells estimated to take ``needed`` bytes
        when that would take the memory past the limit; ``what`` names it ("工作表“事项”").

        >>> ReadLimits("甲.xlsx", memory=1 << 30).afford(10_000, 1 << 20, "工作表“事项”")
        >>> try:
        ...     ReadLimits("甲.xlsx", memory=1 << 30).afford(50_000_000, 5 << 30, "工作表“事项”")
        ... except ReadError as refusal:
        ...     print(refusal.reason)
        工作表“事项”有 50,000,000 个单元格，读入约需 5 GB 内存，超过 1 GB 的上限；请拆分文件后分别导入
        """
        if needed + self.taken() > self.memory:
            raise ReadError(
                self.name,
                f"{what}有 {cells:,} 个单元格，读入约需 {_size(needed)} 内存，"
                f"超过 {_size(self.memory)} 的上限；请拆分文件后分别导入",
            )


def _size(size: int) -> str:
    """A memory size as the messages write it: "2 GB", "512 MB"."""
    if size >= 1 << 30:
        return f"{size / (1 << 30):.1f}".removesuffix(".0") + " GB"
    return f"{size / (1 << 20):.0f} MB"


_PAGE_BYTES = resource.getpagesize()


def resident_bytes() -> int:
    """The process's resident memory now (0 where the system does not say)."""
    try:
        with open("/proc/self/statm", "rb") as statm:
            return int(statm.read().split()[1]) * _PAGE_BYTES
    except (OSError, IndexError, ValueError):
        return 0


def column_number(letters: str) -> int:
    """The 1-based number of a column's letters.

    >>> column_number("A"), column_number("Z"), column_number("AA"), column_number("XFD")
    (1, 26, 27, 16384)
    """
    number = 0
    for letter in letters:
        number = number * 26 + ord(letter) - 64
    return number


@dataclass
class Extent:
    """A worksheet part's used range as its cells and its declared dimension give it."""

    rows: int = 0
    columns: int = 26  # at most Z unless a two- or three-letter reference is seen
    filled: int = 0  # at most this many cells are written in the XML (its bytes over the smallest cell's)

    @property
    def cells(self) -> int:
        return self.rows * self.columns

    @property
    def too_large(self) -> bool:
        """Whether the spreadsheet library would lay out too many cells for what the sheet holds."""
        return self.cells > MAX_SHEET_CELLS or (
            self.cells > _SPARSE_FROM_CELLS and self.cells > SPARSE_FACTOR * self.filled
        )


@dataclass
class Inspection:
    """What inflating a workbook found: the extent of each worksheet part."""

    extents: dict[str, Extent] = field(default_factory=dict)
    inflated: int = 0  # bytes of every member together, as inflated

    def most_filled(self, data: bytes) -> int:
        """At most this many cells of any one sheet hold a value: from the worksheets' XML where
        it was measured, else from the bytes (a cell takes at least :data:`_SMALLEST_CELL_BYTES`).

        >>> Inspection().most_filled(b"x" * 600)
        100
        """
        if self.extents:
            return sum(extent.filled for extent in self.extents.values())
        return max(self.inflated, len(data)) // _SMALLEST_CELL_BYTES


def inspect_zip(name: str, data: bytes, limits: ReadLimits) -> Inspection:
    """Inflate every member with a running cap; refuse zip bombs and XML with a document type.

    Raises :class:`ReadError` with a Chinese message; the sizes the zip declares are not trusted.
    """
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            members = archive.infolist()
    except (zipfile.BadZipFile, ValueError, OSError) as exc:
        raise ReadError(name, "文件已损坏，不是有效的 Excel 工作簿") from exc
    names = {m.filename for m in members}
    if not any(n.startswith("xl/") for n in names) and "content.xml" not in names:
        if any(n.startswith("word/") for n in names):
            raise ReadError(name, "这是 Word 文档（.docx），不是 Excel 工作簿，请导入 Excel 或 CSV 文件")
        if any(n.startswith("ppt/") for n in names):
            raise ReadError(name, "这是 PowerPoint 演示文稿，不是 Excel 工作簿，请导入 Excel 或 CSV 文件")
        raise ReadError(name, "这是一个压缩包而不是 Excel 工作簿（.xlsx）")
    inspection = Inspection()
    total = 0
    view = memoryview(data)
    for member in members:
        if member.is_dir():
            continue
        xml = member.filename.endswith((".xml", ".rels", ".vml"))
        sheet = member.filename.startswith("xl/worksheets/") and member.filename.endswith(".xml")
        extent = Extent() if sheet else None
        produced = 0
        tail = b""
        prolog = True
        for chunk in _inflate(name, view, member):
            limits.check()
            produced += len(chunk)
            total += len(chunk)
            if total > MAX_UNCOMPRESSED_BYTES or (
                produced > _RATIO_CHECK_FROM_BYTES
                and produced > MAX_COMPRESSION_RATIO * max(member.compress_size, 1)
            ):
                raise ReadError(
                    name,
                    f"解压后超过 {total / (1 << 20):.0f} MB（上限 {MAX_UNCOMPRESSED_BYTES >> 20} MB，"
                    f"压缩比上限 {MAX_COMPRESSION_RATIO} 倍），疑似恶意文件，已拒绝读取",
                )
            if xml:
                window = tail + chunk
                if prolog:  # a document type (and so an entity) can only come before the root element
                    root = _ROOT.search(window)
                    before = window[: root.start()] if root else window
                    if b"<!DOCTYPE" in before or b"<!ENTITY" in before:
                        raise ReadError(
                            name, "工作簿中含有文档类型声明（可用于实体膨胀攻击），疑似恶意文件，已拒绝读取"
                        )
                    prolog = root is None
                if extent is not None:
                    _measure(window, extent, first=produced == len(chunk))
                tail = chunk[-64:]
        if extent is not None:
            inspection.extents[member.filename] = extent
    inspection.inflated = total
    return inspection


def _inflate(name: str, view: memoryview, member: zipfile.ZipInfo) -> Iterator[bytes]:
    """A member's bytes, inflated from its local header in chunks of at most 1 MB."""
    start = member.header_offset
    header = bytes(view[start : start + 30])
    if len(header) < 30 or not header.startswith(b"PK\x03\x04"):
        raise ReadError(name, "文件已损坏，不是有效的 Excel 工作簿")
    start += 30 + int.from_bytes(header[26:28], "little") + int.from_bytes(header[28:30], "little")
    if member.flag_bits & 0x1:
        raise ReadError(name, "工作簿设置了打开密码，请去掉密码后重新导出")
    if member.compress_type == _STORED:
        stored = view[start : start + member.compress_size]
        for at in range(0, len(stored), _CHUNK):
            yield bytes(stored[at : at + _CHUNK])
        return
    if member.compress_type != _DEFLATED:
        raise ReadError(name, "工作簿使用了不常见的压缩方式，请在 Excel 中打开后另存为 .xlsx 再导入")
    inflater = zlib.decompressobj(-15)
    at = start
    try:
        while not inflater.eof and at < len(view):
            pending: bytes = bytes(view[at : at + (64 << 10)])
            at += len(pending)
            while pending:
                out = inflater.decompress(pending, _CHUNK)
                pending = inflater.unconsumed_tail
                if out:
                    yield out
                if inflater.eof:
                    break
    except zlib.error as exc:
        raise ReadError(name, "文件已损坏（压缩数据有误），不是有效的 Excel 工作簿") from exc


def _measure(window: bytes, extent: Extent, *, first: bool) -> None:
    """Widen ``extent`` by the references in a piece of a worksheet's XML."""
    extent.filled += len(window) // _SMALLEST_CELL
    if first:
        declared = _DIMENSION.search(window)
        if declared:
            _widen(extent, column_number(declared.group(1).decode()), int(declared.group(2)))
    for letters, row, far_row in set(_FAR_REF.findall(window)):
        _widen(extent, column_number(letters.decode()) if letters else 0, int(row or far_row))
    at = window.rfind(b"<row ")
    if at < 0:
        at = window.rfind(b":row ")
    if at >= 0:
        last = _LAST_ROW.search(window, max(at - 4, 0))
        if last:
            _widen(extent, 0, int(last.group(1)))


def _widen(extent: Extent, column: int, row: int) -> None:
    extent.columns = max(extent.columns, column)
    extent.rows = max(extent.rows, row)


def sheet_parts(archive: zipfile.ZipFile) -> dict[str, str]:
    """Sheet name → its worksheet part inside the zip (``xl/worksheets/sheet1.xml``)."""
    ns_rel = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}id"
    book = SafeTree.fromstring(archive.read("xl/workbook.xml"))
    rels = SafeTree.fromstring(archive.read("xl/_rels/workbook.xml.rels"))
    targets = {r.get("Id"): r.get("Target", "") for r in rels if _local(r.tag) == "Relationship"}
    parts = {}
    for element in book.iter():
        if _local(element.tag) == "sheet":
            target = targets.get(element.get(ns_rel), "")
            inside = target.lstrip("/") if target.startswith("/") else posixpath.join("xl", target)
            path = posixpath.normpath(inside)
            parts[element.get("name", "")] = path
    return parts


def _local(tag: str) -> str:
    return tag.rsplit("}", 1)[-1]


def sparse_sheet(
    name: str, archive: zipfile.ZipFile, sheet: str, part: str, limits: ReadLimits
) -> tuple[list[list[Any]], list[tuple[tuple[int, int], tuple[int, int]]], list[dict[str, Any]]]:
    """A sheet too large to lay out, read cell by cell: (rows, merges, problems).

    Cells past :data:`MAX_COLUMNS`, and cells so far below the table that the grid would pass
    :data:`MAX_SHEET_CELLS`, are dropped, each named (sheet, cell, value) in a problem row.
    """
    shared = _shared_strings(archive, limits)
    cells: list[tuple[int, int, Any]] = []
    merges: list[tuple[tuple[int, int], tuple[int, int]]] = []
    dropped: list[tuple[str, Any]] = []
    with archive.open(part) as stream:
        for _event, element in SafeTree.iterparse(stream, events=("end",)):
            tag = _local(element.tag)
            if tag == "c":
                ref = _REF.match(element.get("r", ""))
                if ref is not None:
                    column, row = column_number(ref.group(1)) - 1, int(ref.group(2)) - 1
                    value = _cell_value(element, shared)
                    if value is not None and value != "":
                        if column >= MAX_COLUMNS:
                            dropped.append((element.get("r", ""), value))
                        else:
                            cells.append((row, column, value))
                element.clear()
                if len(cells) % 65536 == 0:
                    limits.check()
            elif tag == "row":
                element.clear()
            elif tag == "mergeCell":
                bounds = element.get("ref", "").split(":")
                refs = [_REF.match(b) for b in bounds]
                if len(refs) == 2 and all(refs):
                    (c1, r1), (c2, r2) = (
                        (column_number(m.group(1)) - 1, int(m.group(2)) - 1) for m in refs if m is not None
                    )
                    merges.append(((r1, c1), (r2, c2)))
    row_end = _before_gap(sorted({r for r, _c, _v in cells}), MAX_BLANK_ROWS)
    column_end = _before_gap(sorted({c for _r, c, _v in cells}), MAX_BLANK_COLUMNS)
    near = [cell for cell in cells if cell[0] < row_end and cell[1] < column_end]
    width = max((c for _r, c, _v in near), default=-1) + 1
    row_cap = min(row_end, MAX_SHEET_CELLS // max(width, 1))
    kept = [cell for cell in near if cell[0] < row_cap]
    dropped += [(_reference(r, c), v) for r, c, v in cells if r >= row_cap or c >= column_end]
    height = max((r for r, _c, _v in kept), default=-1) + 1
    rows: list[list[Any]] = [[] for _ in range(height)]
    for r, c, v in sorted(kept):
        line = rows[r]
        if len(line) < c:
            line.extend([""] * (c - len(line)))
        line.append(v)
    problems = [
        problem(
            f"单元格 {ref} 远在表格范围之外，未读取（保留该单元格会使表格超出 {MAX_COLUMNS} 列或 "
            f"{MAX_SHEET_CELLS // 10000} 万个单元格的上限）",
            file=name,
            sheet=sheet,
            column=ref,
            value=str(value)[:200],
            severity=Severity.ERROR,
            code="cell_out_of_range",
        )
        for ref, value in dropped[:MAX_REPORTED_CELLS]
    ]
    if len(dropped) > MAX_REPORTED_CELLS:
        problems.append(
            problem(
                f"另有 {len(dropped) - MAX_REPORTED_CELLS} 个远在表格范围之外的单元格未读取",
                file=name,
                sheet=sheet,
                severity=Severity.ERROR,
                code="cell_out_of_range",
            )
        )
    return rows, merges, problems


def _before_gap(indexes: list[int], gap: int) -> int:
    """The end of the first run of ``indexes`` (sorted) that no gap wider than ``gap`` breaks.

    >>> _before_gap([0, 1, 2, 500_000], 10_000), _before_gap([0, 1, 2], 10_000)
    (3, 3)
    """
    for before, after in itertools.pairwise(indexes):
        if after - before > gap:
            return before + 1
    return indexes[-1] + 1 if indexes else 0


def _reference(row: int, column: int) -> str:
    letters = ""
    column += 1
    while column:
        column, rem = divmod(column - 1, 26)
        letters = chr(65 + rem) + letters
    return f"{letters}{row + 1}"


def _shared_strings(archive: zipfile.ZipFile, limits: ReadLimits) -> list[str]:
    try:
        stream = archive.open("xl/sharedStrings.xml")
    except KeyError:
        return []
    strings = []
    with stream:
        for _event, element in SafeTree.iterparse(stream, events=("end",)):
            if _local(element.tag) == "si":
                strings.append(_text_of(element))
                element.clear()
                if len(strings) % 65536 == 0:
                    limits.check()
    return strings


def _text_of(element: Any) -> str:
    return "".join(t.text or "" for t in element.iter() if _local(t.tag) == "t")


def _cell_value(element: Any, shared: list[str]) -> Any:
    """A cell's value as the spreadsheet library would give it: text, a number or a flag.

    A formula is never evaluated: its cached value is read, as Excel saved it.
    """
    kind = element.get("t", "n")
    if kind == "inlineStr":
        return _text_of(element)
    value = next((child.text for child in element if _local(child.tag) == "v"), None)
    if value is None:
        return None
    if kind == "s":
        index = int(value) if value.isdigit() else -1
        return shared[index] if 0 <= index < len(shared) else ""
    if kind == "b":
        return value == "1"
    if kind in ("str", "e", "d"):
        return value
    try:
        return float(value)
    except ValueError:
        return value
