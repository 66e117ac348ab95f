"""Department files → sheets → header found, columns mapped → raw item and step tables.

Departments send .xlsx, .xls and .csv (UTF-8, UTF-8 with BOM, GB18030/GBK) with title rows
above the header, merged cells, summary rows and notes below. Reading finds the header, maps
the columns by data/columns.toml, keeps every column it does not know, and turns everything it
skips or doubts into a problem row. Values stay text here; approvals.catalog parses them.
"""

from __future__ import annotations

import codecs
import csv
import io
import re
import zipfile
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pandas as pd
import python_calamine

from approvals.columns import Vocabulary, category_of, map_headers, vocabulary
from approvals.model import MAPPING_COLUMNS, Severity, empty_frame
from approvals.problems import concat_problems, problem, problems_frame
from approvals.text import cell_text, fold, map_distinct

SPREADSHEET_SUFFIXES = (".xlsx", ".xlsm", ".xls", ".xlsb", ".ods", ".csv", ".txt", ".tsv")
HEADER_SEARCH_ROWS = 30
# Guards against hostile workbooks: a zip that inflates past these is refused before parsing.
MAX_UNCOMPRESSED_BYTES = 1 << 30
MAX_COMPRESSION_RATIO = 100
_RATIO_CHECK_FROM_BYTES = 50 << 20
_OLE2_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_ZIP_MAGIC = b"PK\x03\x04"
_TITLE_DEPARTMENT = r"(?:{labels})(?:\(盖章\)|（盖章）)?[:：]\s*([^\s:：,，;；]+)"
_NUMBER_ROW = re.compile(r"^\d{1,3}$")


class ReadError(Exception):
    """A file that cannot be read at all; the message is Chinese and names the file."""

    def __init__(self, file: str, reason: str) -> None:
        self.file = file
        self.reason = reason
        super().__init__(f"文件“{file}”无法读取：{reason}")

    def __reduce__(self) -> tuple[type[ReadError], tuple[str, str]]:  # picklable for caches
        return (ReadError, (self.file, self.reason))


@dataclass
class Grid:
    """One sheet's cells as given, row 0 being Excel's row 1; merges as ((r1, c1), (r2, c2))."""

    file: str
    sheet: str
    rows: list[list[Any]]
    merges: list[tuple[tuple[int, int], tuple[int, int]]] = field(default_factory=list)


@dataclass
class Reading:
    """What reading gave: raw items and steps (text), problems, and the column mapping used."""

    items: pd.DataFrame
    steps: pd.DataFrame
    problems: pd.DataFrame
    mappings: pd.DataFrame


Source = Path | str | tuple[str, bytes]
Overrides = Mapping[str, Mapping[str, str]]  # header signature → {header: field, "" = not recognised}


# ------------------------------------------------------------------ files → grids


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
        raise ReadError(name, f"文件已损坏或不是 Excel 工作簿（{type(exc).__name__}）") from exc
    grids = []
    for meta in book.sheets_metadata:
        if "Chart" in str(meta.typ):
            continue
        try:
            sheet = book.get_sheet_by_name(meta.name)
            rows = sheet.to_python(skip_empty_area=False)
            merges = list(sheet.merged_cell_ranges or [])
        except Exception as exc:
            raise ReadError(name, f"工作表“{meta.name}”无法读取（{type(exc).__name__}）") from exc
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
    for bom, encoding in (
        (codecs.BOM_UTF8, "utf-8"),
        (codecs.BOM_UTF16_LE, "utf-16-le"),
        (codecs.BOM_UTF16_BE, "utf-16-be"),
    ):
        if data.startswith(bom):
            try:
                return data[len(bom) :].decode(encoding)
            except UnicodeDecodeError as exc:
                raise ReadError(
                    name, f"文件声明为 {encoding.upper()} 编码，但第 {exc.start} 字节处无法解码"
                ) from exc
    if b"\x00" in data[:8192]:
        kind = "PDF 文档" if data.startswith(b"%PDF") else "二进制文件"
        raise ReadError(name, f"这是{kind}，不是 Excel 工作簿或 CSV 表格")
    for encoding in ("utf-8", "gb18030"):
        try:
            return data.decode(encoding)
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
    rows = [list(r) for r in csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)]
    return Grid(name, Path(name).stem if not name.lower().endswith(".csv") else "CSV", rows)


# ------------------------------------------------------------------ grid → table


@dataclass
class _Header:
    row: int  # 0-based index of the (first) header row
    height: int  # 1 or 2 header rows
    labels: list[str]  # header text per column, as the analyst would name it
    kind: str  # "items" / "steps"
    fields: list[str | None]


def grid_frame(grid: Grid) -> pd.DataFrame:
    """The grid as a rectangular table of display text, vertical merges filled down."""
    width = max((len(r) for r in grid.rows), default=0)
    frame = pd.DataFrame(
        [list(r) + [""] * (width - len(r)) for r in grid.rows], columns=range(width), dtype=object
    )
    for c in frame.columns:
        col = frame[c]
        if all(type(v) is str for v in col):
            frame[c] = col.str.strip()
        else:
            frame[c] = col.map(cell_text)
    frame = frame.astype("str") if width else frame
    for (r1, c1), (r2, _c2) in grid.merges:
        if r2 > r1 and c1 < width:
            frame.iloc[r1 + 1 : r2 + 1, c1] = frame.iat[r1, c1]
    return frame


def _score(fields: Sequence[str | None]) -> int:
    return sum(1 for f in fields if f not in (None, "seq"))


def _kind_of(items_fields: Sequence[str | None], steps_fields: Sequence[str | None]) -> str | None:
    step_specific = {"step_no", "predecessors", "limit", "office", "person", "version", "counted"}
    if (
        "step_name" in steps_fields
        and len(step_specific & set(steps_fields)) >= 1
        and ("name" not in items_fields or len(step_specific & set(steps_fields)) >= 2)
    ):
        return "steps"
    if "name" in items_fields:
        return "items"
    return None


def find_header(
    frame: pd.DataFrame,
    merges: Iterable[tuple[tuple[int, int], tuple[int, int]]] = (),
    vocab: Vocabulary | None = None,
) -> _Header | None:
    """The header row (or two rows) of a sheet: the top row that names the most known fields.

    Title rows above it ("××市行政许可事项清理表", "填报单位：…") are passed over.
    """
    vocab = vocab or vocabulary()
    best: _Header | None = None
    best_score = 0
    for r in range(min(HEADER_SEARCH_ROWS, len(frame))):
        labels = frame.iloc[r].tolist()
        if sum(1 for v in labels if v) < 2:
            continue
        candidate = _header_at(labels, r, 1, vocab)
        if candidate is None:
            continue
        score = _score(candidate.fields)
        if r + 1 < len(frame):
            combined = _two_row_header(frame, r, list(merges), vocab)
            if combined is not None and _score(combined.fields) > score:
                candidate, score = combined, _score(combined.fields)
        if score > best_score:
            best, best_score = candidate, score
    return best


def _header_at(labels: list[str], row: int, height: int, vocab: Vocabulary) -> _Header | None:
    items_fields = map_headers(labels, "items", vocab)
    steps_fields = map_headers(labels, "steps", vocab)
    kind = _kind_of(items_fields, steps_fields)
    if kind is None:
        return None
    return _Header(row, height, labels, kind, items_fields if kind == "items" else steps_fields)


def _two_row_header(
    frame: pd.DataFrame,
    r: int,
    merges: list[tuple[tuple[int, int], tuple[int, int]]],
    vocab: Vocabulary,
) -> _Header | None:
    upper = frame.iloc[r].tolist()
    lower = frame.iloc[r + 1].tolist()
    if not any(lower):
        return None
    filled = list(upper)
    spans = [(c1, c2) for (r1, c1), (r2, c2) in merges if r1 == r and c2 > c1]
    for c1, c2 in spans:
        for c in range(c1 + 1, min(c2 + 1, len(filled))):
            filled[c] = upper[c1]
    if not spans:  # no merge information (CSV, some .xls): fill right where only the lower row speaks
        for c in range(1, len(filled)):
            if not upper[c] and lower[c] and filled[c - 1]:
                filled[c] = filled[c - 1]
    labels = []
    for top, bottom in zip(filled, lower, strict=True):
        if top and bottom and top != bottom:
            labels.append(f"{top}{bottom}" if bottom.startswith(("(", "（")) else f"{top}（{bottom}）")
        else:
            labels.append(bottom or top)
    return _header_at(labels, r, 2, vocab)


def _title_facts(frame: pd.DataFrame, header_row: int, sheet: str, vocab: Vocabulary) -> tuple[str, str]:
    """Department ("填报单位：…") and list name (e.g. 行政许可) from the rows above the header."""
    title_text = " ".join(v for v in frame.iloc[:header_row].to_numpy().ravel() if v)
    department = ""
    labels = "|".join(re.escape(w) for w in vocab.words["department_labels"])
    found = re.search(_TITLE_DEPARTMENT.format(labels=labels), title_text)
    if found:
        department = found.group(1).strip()
    category = category_of(title_text, vocab) or category_of(sheet, vocab) or ""
    return department, category


def header_signature(labels: Sequence[str]) -> str:
    """What makes two sheets "the same headers": their header cells, folded, in order.

    A column-mapping correction is remembered under this key and applies to every file with it.

    >>> header_signature(["事项\\n名称", "法定时限"]) == header_signature(["事项名称", "法定 时限"])
    True
    """
    return "|".join(fold(label) for label in labels)


def _display_labels(labels: Sequence[str]) -> list[str]:
    return [label or f"第{_column_letter(c)}列" for c, label in enumerate(labels)]


def _apply_overrides(header: _Header, overrides: Overrides) -> _Header | None:
    """The header with the analyst's corrections; None when the sheet no longer names its items."""
    corrections = overrides.get(header_signature(header.labels))
    if not corrections:
        return header
    labels = _display_labels(header.labels)
    fields = list(header.fields)
    for c, label in enumerate(labels):
        if label in corrections:
            chosen = corrections[label] or None
            if chosen is not None:
                fields = [None if f == chosen else f for f in fields]
            fields[c] = chosen
    required = "name" if header.kind == "items" else "step_name"
    if required not in fields:
        return None
    return _Header(header.row, header.height, header.labels, header.kind, fields)


def read_grid(
    grid: Grid, vocab: Vocabulary | None = None, overrides: Overrides | None = None
) -> tuple[str, pd.DataFrame, pd.DataFrame, pd.DataFrame]:
    """One sheet → (kind, table, problems, mapping). The table holds text columns named by field
    (code, name, …), unrecognised columns under their own header, and file / sheet / row.

    ``overrides`` are the analyst's column-mapping corrections, keyed by :func:`header_signature`.
    """
    vocab = vocab or vocabulary()
    frame = grid_frame(grid)
    header = find_header(frame, grid.merges, vocab) if len(frame) else None
    no_problems = empty_frame(list(problems_frame([]).columns))
    if header is not None and overrides:
        corrected = _apply_overrides(header, overrides)
        if corrected is None:
            label = vocab.label(header.kind, "name" if header.kind == "items" else "step_name")
            message = f"按设置的列对应，该表没有“{label}”列，已不读取；请在列对应中指定哪一列是“{label}”"
            no_problems = problems_frame(
                [
                    problem(
                        message,
                        file=grid.file,
                        sheet=grid.sheet,
                        severity=Severity.WARNING,
                        code="mapping_no_name",
                    )
                ]
            )
        header = corrected
    if header is None:
        mapping = empty_frame(MAPPING_COLUMNS)
        mapping.loc[0] = [grid.file, grid.sheet, "ignored", pd.NA, "", "", ""]
        return "ignored", pd.DataFrame(), no_problems, mapping

    start = header.row + header.height
    body = frame.iloc[start:]
    problems: list[dict[str, Any]] = []
    columns: dict[str, pd.Series] = {}
    mapping_rows = []
    used_names: set[str] = set()
    signature = header_signature(header.labels)
    for c, (label, fld) in enumerate(zip(_display_labels(header.labels), header.fields, strict=True)):
        col = body[c]
        if fld is None:
            if not header.labels[c] and not col.str.len().gt(0).any():
                continue  # an empty spacer column
            name = label
            while name in used_names or name in columns:
                name += "（重复）"
            used_names.add(name)
            columns[name] = col
        else:
            columns[fld] = col
        mapping_rows.append([grid.file, grid.sheet, header.kind, header.row + 1, label, fld or "", signature])
    table = pd.DataFrame(columns, index=body.index)
    table["row"] = body.index + 1
    name_field = "name" if header.kind == "items" else "step_name"

    keep = _keep_rows(table, body, header, grid, name_field, vocab, problems)
    table = table[keep].copy()
    if header.kind == "items":
        table = _items_context(table, frame, header, grid, vocab, problems)
    table.insert(0, "sheet", grid.sheet)
    table.insert(0, "file", grid.file)
    mapping = pd.DataFrame(mapping_rows, columns=MAPPING_COLUMNS)
    mapping["header_row"] = mapping["header_row"].astype("Int64")
    return header.kind, table.reset_index(drop=True), problems_frame(problems), mapping


def _column_letter(c: int) -> str:
    letters = ""
    c += 1
    while c:
        c, rem = divmod(c - 1, 26)
        letters = chr(65 + rem) + letters
    return letters


def _keep_rows(
    table: pd.DataFrame,
    body: pd.DataFrame,
    header: _Header,
    grid: Grid,
    name_field: str,
    vocab: Vocabulary,
    problems: list[dict[str, Any]],
) -> pd.Series:
    """Data rows to keep; blank, summary, column-number and note rows are skipped and reported."""
    filled = body.ne("")
    count = filled.sum(axis=1)
    blank = count.eq(0)
    summary_words = tuple(fold(w) for w in vocab.words["summary"])
    probe_cols = [c for c in ("seq", name_field, "code", "item_name") if c in table.columns]
    probe = table[probe_cols] if probe_cols else body.iloc[:, :2]
    folded = probe.apply(lambda s: map_distinct(s, fold))
    summary = folded.apply(lambda s: s.str.startswith(summary_words)).any(axis=1) & ~blank
    numbers = body.apply(lambda s: s.str.fullmatch(_NUMBER_ROW.pattern)).fillna(False)
    number_row = (count >= 3) & numbers.sum(axis=1).eq(count) & ~blank
    number_row &= body.index.to_series().eq(header.row + header.height)  # only right under the header
    names = table[name_field] if name_field in table.columns else pd.Series("", index=table.index)
    if header.kind == "items" and "sub_item" in table.columns:
        # A sub-item row under a name merged in Excel but split in CSV: the name is the one above.
        subs = table["sub_item"].ne("") & names.eq("")
        if subs.any():
            for fld in ("name", "code", "department", "category"):
                if fld in table.columns:
                    table[fld] = (
                        table[fld]
                        .mask(table[fld].eq(""))
                        .ffill()
                        .fillna("")
                        .where(subs | table[fld].ne(""), table[fld])
                    )
            names = table[name_field]
    no_name = names.eq("") & ~blank & ~summary & ~number_row
    note = no_name & (count == 1)
    missing = no_name & (count > 1)
    keep = ~(blank | summary | number_row | note | missing)

    def report(mask: pd.Series, message: str, severity: Severity, code: str, column: str = "") -> None:
        for r in body.index[mask.to_numpy()]:
            values = [v for v in body.loc[r].tolist() if v]
            problems.append(
                problem(
                    message,
                    file=grid.file,
                    sheet=grid.sheet,
                    row=int(r) + 1,
                    column=column,
                    value=" | ".join(values)[:200],
                    severity=severity,
                    code=code,
                )
            )

    inner_blank = blank & body.index.to_series().lt(
        body.index[filled.any(axis=1).to_numpy()].max() if filled.any().any() else -1
    )
    report(inner_blank, "空行，已跳过", Severity.INFO, "row_blank")
    report(summary, "合计/小计行，已跳过（合计由系统重新计算）", Severity.INFO, "row_summary")
    report(number_row, "表头下的列序号行，已跳过", Severity.INFO, "row_column_numbers")
    report(note, "说明或备注行（没有事项名称），已跳过", Severity.INFO, "row_note")
    label = vocab.label(header.kind, name_field)
    report(
        missing,
        f"缺少“{label}”，该行未计入，请补全后重新导入",
        Severity.ERROR,
        "row_no_name",
        label,
    )
    return keep


def _items_context(
    table: pd.DataFrame,
    frame: pd.DataFrame,
    header: _Header,
    grid: Grid,
    vocab: Vocabulary,
    problems: list[dict[str, Any]],
) -> pd.DataFrame:
    """Department and list from the title where the table has no column for them."""
    department, category = _title_facts(frame, header.row, grid.sheet, vocab)
    if "department" not in table.columns:
        table["department"] = department
        if not department and len(table):
            problems.append(
                problem(
                    "没有“实施部门”列，标题中也没有“填报单位：…”，这些事项的实施部门为空",
                    file=grid.file,
                    sheet=grid.sheet,
                    severity=Severity.WARNING,
                    code="no_department",
                )
            )
    elif department:
        table["department"] = table["department"].mask(table["department"].eq(""), department)
    if "category" not in table.columns:
        table["category"] = category
    elif category:
        table["category"] = table["category"].mask(table["category"].eq(""), category)
    table["has_decision"] = "decision" in header.fields
    return table


# ------------------------------------------------------------------ files → reading


def read_sources(
    sources: Iterable[Source], vocab: Vocabulary | None = None, overrides: Overrides | None = None
) -> Reading:
    """Read several files; raises ReadError for the first that cannot be read at all."""
    readings = [read_source(s, vocab, overrides) for s in sources]
    return merge_readings(readings)


def read_source(
    source: Source, vocab: Vocabulary | None = None, overrides: Overrides | None = None
) -> Reading:
    """Read every sheet of one file into raw item and step tables.

    Raises ReadError when the file cannot be opened, or when no sheet in it looks like an item
    list or a step list (the message names the column that is missing).
    """
    vocab = vocab or vocabulary()
    name, data = source_bytes(source)
    grids = open_grids(name, data)
    items, steps, problems, mappings = [], [], [], []
    for grid in grids:
        kind, table, probs, mapping = read_grid(grid, vocab, overrides)
        mappings.append(mapping)
        problems.append(probs)
        if kind == "items":
            items.append(table)
        elif kind == "steps":
            steps.append(table)
    if not items and not steps:
        sheets = "、".join(f"“{g.sheet}”" for g in grids)
        raise ReadError(
            name,
            f"在工作表 {sheets} 中都没有找到“事项名称”列（事项清单）或“环节名称”列（环节清单），请检查表头",
        )
    return Reading(
        items=_concat(items),
        steps=_concat(steps),
        problems=concat_problems(*problems),
        mappings=pd.concat(mappings, ignore_index=True),
    )


def merge_readings(readings: Sequence[Reading]) -> Reading:
    """Several readings as one, in the order given."""
    return Reading(
        items=_concat([r.items for r in readings]),
        steps=_concat([r.steps for r in readings]),
        problems=concat_problems(*(r.problems for r in readings)),
        mappings=pd.concat([r.mappings for r in readings], ignore_index=True)
        if readings
        else empty_frame(MAPPING_COLUMNS),
    )


def _concat(frames: list[pd.DataFrame]) -> pd.DataFrame:
    frames = [f for f in frames if len(f.columns)]
    if not frames:
        return pd.DataFrame()
    out = pd.concat(frames, ignore_index=True)
    text = [c for c in out.columns if c not in ("row", "has_decision")]
    out[text] = out[text].fillna("")
    return out
