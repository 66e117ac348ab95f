"""One sheet's grid → its header found, columns mapped, data rows kept, and every skipped row a problem."""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc
from pandas.api.types import infer_dtype

from approvals.model import MAPPING_COLUMNS, Severity, empty_frame
from approvals.problems import concat_problems, problem, problems_frame
from approvals.read.columns import category_of, map_headers
from approvals.read.files import Grid
from approvals.settings.columns import Vocabulary
from approvals.text import cell_text, fold, starts_with_any

HEADER_SEARCH_ROWS = 30


_TITLE_DEPARTMENT = r"(?:{labels})(?:\(盖章\)|（盖章）)?[:：]\s*([^\s:：,，;；]+)"


_NUMBER_ROW = re.compile(r"^\d{1,3}$")


Overrides = Mapping[str, Mapping[str, str]]  # header signature → {header: field, "" = not recognised}


@dataclass
class _Header:
    row: int  # 0-based index of the (first) header row
    height: int  # 1 or 2 header rows
    labels: list[str]  # header text per column, as the analyst would name it
    kind: str  # "items" / "steps"
    fields: list[str | None]


def grid_frame(grid: Grid) -> pd.DataFrame:
    """The grid as a rectangular table of display text, vertical merges filled down."""
    if grid.frame is not None:
        return grid.frame
    width = max((len(r) for r in grid.rows), default=0)
    rows = [
        r if len(r) == width and isinstance(r, list) else [*r, *[""] * (width - len(r))] for r in grid.rows
    ]
    frame = pd.DataFrame(rows, columns=range(width), dtype=object)
    del rows
    for c in frame.columns:
        col = frame[c]
        # Text columns (all of a CSV) are trimmed in one pass by pyarrow (Unicode white space,
        # the ideographic space included); mixed columns go cell by cell.
        if infer_dtype(col, skipna=False) == "string":
            trimmed = pc.utf8_trim_whitespace(pa.array(col.to_numpy(), type=pa.large_string()))
            frame[c] = pd.Series(trimmed, index=col.index, dtype="str")
        else:
            frame[c] = col.map(cell_text)
    frame = frame.astype("str") if width else frame
    for (r1, c1), (r2, _c2) in grid.merges:
        if r2 > r1 and 0 <= c1 < width and 0 <= r1 < len(frame):  # merges outside the grid are clipped
            frame.iloc[r1 + 1 : r2 + 1, c1] = frame.iat[r1, c1]
    return frame


LIKELY_HEADER_ROWS = 20


def likely_header(grid: Grid) -> list[str]:
    """The cells of the row most likely to be a sheet's header when no header was recognised:
    of the first rows, the one with the most filled cells (the first of equals)."""
    best: list[str] = []
    rows = grid.frame.head(LIKELY_HEADER_ROWS).values.tolist() if grid.frame is not None else grid.rows
    for row in rows[:LIKELY_HEADER_ROWS]:
        cells = [t for t in (cell_text(v) for v in row) if t]
        if len(cells) > len(best):
            best = cells
    return best


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
    merges: Iterable[tuple[tuple[int, int], tuple[int, int]]],
    vocab: Vocabulary,
) -> _Header | None:
    """The header row (or two rows) of a sheet: the top row that names the most known fields.

    Title rows above it ("××市行政许可事项清理表", "填报单位：…") are passed over.
    """
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
    grid: Grid, vocab: Vocabulary, overrides: Overrides | None = None
) -> tuple[str, pd.DataFrame, pd.DataFrame, pd.DataFrame]:
    """One sheet → (kind, table, problems, mapping). The table holds text columns named by field
    (code, name, …), unrecognised columns under their own header, and file / sheet / row.

    ``overrides`` are the analyst's column-mapping corrections, keyed by :func:`header_signature`.
    """
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

    keep, table, row_problems = _keep_rows(table, body, header, grid, name_field, vocab)
    table = table[keep]
    context_problems = no_problems
    if header.kind == "items":
        table, context_problems = _items_context(table, frame, header, grid, vocab)
    table.insert(0, "sheet", grid.sheet)
    table.insert(0, "file", grid.file)
    mapping = pd.DataFrame(mapping_rows, columns=MAPPING_COLUMNS)
    mapping["header_row"] = mapping["header_row"].astype("Int64")
    return header.kind, table.reset_index(drop=True), concat_problems(row_problems, context_problems), mapping


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
) -> tuple[pd.Series, pd.DataFrame, pd.DataFrame]:
    """(data rows to keep, the table with sub-item rows' names filled in, the problems of the rows
    skipped): blank, summary, column-number and note rows are skipped and reported."""
    filled = body.ne("")
    count = filled.sum(axis=1)
    blank = count.eq(0)
    probe_cols = [c for c in ("seq", name_field, "code", "item_name") if c in table.columns]
    probe = table[probe_cols] if probe_cols else body.iloc[:, :2]
    summary = pd.Series(False, index=body.index)
    for column in probe.columns:
        summary |= starts_with_any(probe[column], vocab.words["summary"])
    summary &= ~blank
    # A row of column numbers (1 2 3 …) is looked for only right under the header.
    number_row = pd.Series(False, index=body.index)
    under = header.row + header.height
    if under in body.index:
        cells = [v for v in body.loc[under].tolist() if v]
        number_row[under] = len(cells) >= 3 and all(_NUMBER_ROW.fullmatch(v) for v in cells)
    names = table[name_field] if name_field in table.columns else pd.Series("", index=table.index)
    if header.kind == "items" and "sub_item" in table.columns:
        # A sub-item row under a name merged in Excel but split in CSV: the name is the one above.
        subs = table["sub_item"].ne("") & names.eq("")
        if subs.any():
            table = table.assign(
                **{
                    fld: table[fld]
                    .mask(table[fld].eq(""))
                    .ffill()
                    .fillna("")
                    .where(subs | table[fld].ne(""), table[fld])
                    for fld in ("name", "code", "department", "category")
                    if fld in table.columns
                }
            )
            names = table[name_field]
    no_name = names.eq("") & ~blank & ~summary & ~number_row
    note = no_name & (count == 1)
    missing = no_name & (count > 1)
    keep = ~(blank | summary | number_row | note | missing)

    def report(
        mask: pd.Series, message: str, severity: Severity, code: str, column: str = ""
    ) -> list[dict[str, Any]]:
        return [
            problem(
                message,
                file=grid.file,
                sheet=grid.sheet,
                row=int(r) + 1,
                column=column,
                value=" | ".join(v for v in body.loc[r].tolist() if v)[:200],
                severity=severity,
                code=code,
            )
            for r in body.index[mask.to_numpy()]
        ]

    inner_blank = blank & body.index.to_series().lt(
        body.index[filled.any(axis=1).to_numpy()].max() if filled.any().any() else -1
    )
    label = vocab.label(header.kind, name_field)
    problems = [
        *_blank_runs(inner_blank, grid),
        *report(summary, "合计/小计行，已跳过（合计由系统重新计算）", Severity.INFO, "row_summary"),
        *report(number_row, "表头下的列序号行，已跳过", Severity.INFO, "row_column_numbers"),
        *report(note, "说明或备注行（没有事项名称），已跳过", Severity.INFO, "row_note"),
        *report(
            missing, f"缺少“{label}”，该行未计入，请补全后重新导入", Severity.ERROR, "row_no_name", label
        ),
    ]
    return keep, table, problems_frame(problems)


def _blank_runs(blank: pd.Series, grid: Grid) -> list[dict[str, Any]]:
    """One problem per run of blank rows inside a table (a run of many rows is one row, so a
    sheet with a stray cell far below stays a short list)."""
    rows = (blank.index[blank.to_numpy()] + 1).tolist()
    problems = []
    start = 0
    for k in range(1, len(rows) + 1):
        if k == len(rows) or rows[k] != rows[k - 1] + 1:
            first, last = rows[start], rows[k - 1]
            message = (
                "空行，已跳过"
                if first == last
                else f"空行（第 {first} 至 {last} 行，共 {last - first + 1} 行），已跳过"
            )
            problems.append(
                problem(
                    message,
                    file=grid.file,
                    sheet=grid.sheet,
                    row=first,
                    severity=Severity.INFO,
                    code="row_blank",
                )
            )
            start = k
    return problems


def _items_context(
    table: pd.DataFrame,
    frame: pd.DataFrame,
    header: _Header,
    grid: Grid,
    vocab: Vocabulary,
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """(the items with department and list from the title where the table has no column for
    them, and the problem of a department found nowhere)."""
    department, category = _title_facts(frame, header.row, grid.sheet, vocab)
    problems: list[dict[str, Any]] = []
    if "department" not in table.columns:
        departments: Any = department
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
    else:
        departments = (
            table["department"].mask(table["department"].eq(""), department)
            if department
            else table["department"]
        )
    if "category" not in table.columns:
        categories: Any = category
    else:
        categories = (
            table["category"].mask(table["category"].eq(""), category) if category else table["category"]
        )
    title = " ".join(v for v in frame.iloc[: header.row].to_numpy().ravel() if v)[:200]
    filled = table.assign(
        department=departments,
        category=categories,
        has_decision="decision" in header.fields,
        list_title=title,
    )
    return filled, problems_frame(problems)
