"""A CSV read column by column: the rows above the table (titles, the header) by the standard csv
module, the rest by pyarrow's CSV reader, so a list of a million rows never passes through a
Python loop per row. Only a file of one width from its header down is read this way; anything
else (rows of other widths, blank lines, cells past the limits) is left to the row-by-row readers
of :mod:`approvals.read.texts`, which give the same table and name every odd row.
"""

from __future__ import annotations

import csv
import io
import itertools
import re
from collections.abc import Callable

import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc
from pyarrow import csv as pa_csv

from approvals.read.workbooks import MAX_COLUMNS

# Rows above the table read by the csv module: the header is looked for among them.
HEAD_ROWS = 40
_LINE_BREAK = re.compile(r"\r\n|\r|\n")
# Files smaller than this are read row by row anyway (as fast, and no second code path to run).
COLUMNAR_FROM_CHARS = 1 << 20
# The head rows are looked for in this much of the text (a whole file would be copied to do so);
# a head longer than that is read from the whole text.
HEAD_CHARS = 1 << 20
# pyarrow parses blocks of this size on its threads (measured fastest of 1, 4 and 16 MB).
BLOCK_BYTES = 1 << 20


def columnar_frame(
    text: str, delimiter: str, max_cell_chars: int, encoded: bytes | memoryview | None = None
) -> pd.DataFrame | None:
    """The whole CSV as a rectangular table of trimmed text (columns 0, 1, …; row i is the file's
    row i + 1), or None when it is not one width from its widest head row down (or pyarrow finds
    a cell that is not UTF-8). ``encoded``: the file as UTF-8 when the caller holds it already
    (its own bytes), so the body is handed to pyarrow without encoding it again; ``text`` may
    then be only its beginning, holding the head rows.

    >>> text = "清单标题\\n序号,事项名称\\n" + "".join(f"{n}, 事项{n}\\n" for n in range(3))
    >>> columnar_frame(text, ",", 100).values.tolist()
    [['清单标题', ''], ['序号', '事项名称'], ['0', '事项0'], ['1', '事项1'], ['2', '事项2']]
    >>> columnar_frame("a,b,c\\n1,2\\n", ",", 100) is None
    True
    """
    top = _head_text(text, delimiter)
    head_reader = csv.reader(io.StringIO(top, newline=""), delimiter=delimiter)
    try:
        head = list(itertools.islice(head_reader, HEAD_ROWS))
    except csv.Error:
        return None
    width = max(map(len, head), default=0)
    if not 1 < width <= MAX_COLUMNS:
        return None
    start = next(i for i, row in enumerate(head) if len(row) == width)
    above = head[:start]
    lines_above = _lines_of(top, delimiter, start)
    if lines_above is None:
        return None
    if encoded is not None:
        body = memoryview(encoded)[len(text[:lines_above].encode("utf-8")) :]
    else:
        body = memoryview(text[lines_above:].encode("utf-8"))
    bad: list[int] = []

    def invalid(row: pa_csv.InvalidRow) -> str:
        bad.append(row.actual_columns)
        return "skip"

    try:
        table = pa_csv.read_csv(
            pa.BufferReader(pa.py_buffer(body)),
            read_options=pa_csv.ReadOptions(autogenerate_column_names=True, block_size=BLOCK_BYTES),
            parse_options=pa_csv.ParseOptions(
                delimiter=delimiter,
                newlines_in_values=True,
                ignore_empty_lines=False,
                invalid_row_handler=invalid,
            ),
            convert_options=pa_csv.ConvertOptions(
                column_types={f"f{i}": pa.string() for i in range(width)},
                strings_can_be_null=False,
                quoted_strings_can_be_null=False,
            ),
        )
    except (pa.ArrowInvalid, pa.ArrowTypeError):
        return None
    if bad or table.num_columns != width:
        return None
    columns: dict[int, pd.Series] = {}
    for c, values in enumerate(table.columns):
        above_cells = pa.array([row[c] if c < len(row) else "" for row in above], type=pa.string())
        whole = pa.concat_arrays([above_cells, *values.cast(pa.string()).chunks])
        # a cell has no more characters than bytes: count characters only where bytes say it may be long
        if (
            _longest(whole, pc.binary_length) > max_cell_chars
            and _longest(whole, pc.utf8_length) > max_cell_chars
        ):
            return None
        trimmed = pc.utf8_trim_whitespace(whole)
        columns[c] = pd.Series(trimmed.to_pandas(), dtype="str")
    return pd.DataFrame(columns)


def _longest(values: pa.Array, length: Callable[[pa.Array], pa.Array]) -> int:
    return (pc.max(length(values)).as_py() or 0) if len(values) else 0


def _head_text(text: str, delimiter: str) -> str:
    """The start of ``text`` holding its first :data:`HEAD_ROWS` rows (all of it when they are
    longer than :data:`HEAD_CHARS`)."""
    if len(text) <= HEAD_CHARS:
        return text
    top = text[:HEAD_CHARS]
    reader = csv.reader(io.StringIO(top, newline=""), delimiter=delimiter)
    try:
        rows = sum(1 for _ in itertools.islice(reader, HEAD_ROWS + 1))
    except csv.Error:
        return text
    return top if rows > HEAD_ROWS else text


def _lines_of(text: str, delimiter: str, rows: int) -> int | None:
    """The characters the first ``rows`` CSV rows take (quoted line breaks included)."""
    if rows == 0:
        return 0
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    for _ in range(rows):
        next(reader)
    breaks = itertools.islice(_LINE_BREAK.finditer(text), reader.line_num - 1, None)
    found = next(breaks, None)
    return found.end() if found is not None else None
