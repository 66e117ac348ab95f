"""Property tests of the readers: header detection and CSV delimiter sniffing take any cells or
bytes without an exception other than the one domain error, with a Chinese message."""

from __future__ import annotations

import csv
import io
from typing import Any

from builders import HEADER_WORDS
from hypothesis import given
from hypothesis import strategies as st
from sample import SETTINGS

from approvals.errors import ReadError
from approvals.read.files import Grid, open_grids
from approvals.read.reading import read_source
from approvals.read.sheets import find_header, grid_frame, likely_header, read_grid

VOCAB = SETTINGS.columns
CELL: st.SearchStrategy[Any] = st.one_of(
    st.sampled_from(HEADER_WORDS),
    st.text(max_size=20),
    st.integers(min_value=-(10**20), max_value=10**20),
    st.floats(allow_nan=True, allow_infinity=True),
    st.none(),
    st.booleans(),
)


def _filled(value: Any) -> bool:
    """Whether a cell shows something: not None, not NaN, not only spaces."""
    return value is not None and value == value and str(value).strip() != ""


ROWS = st.lists(st.lists(CELL, max_size=8), max_size=12)


@given(ROWS)
def test_any_grid_gives_a_header_or_none_and_its_likeliest_row(rows: list[list[Any]]) -> None:
    grid = Grid("表.xlsx", "Sheet1", rows)
    frame = grid_frame(grid)
    header = find_header(frame, grid.merges, VOCAB) if len(frame) else None
    if header is not None:
        assert header.kind in ("items", "steps")
    best = likely_header(grid)
    assert all(isinstance(c, str) and c for c in best)
    assert len(best) == max([0] + [sum(1 for v in r if _filled(v)) for r in rows[:20]])
    kind, _table, problems, _ = read_grid(grid, VOCAB)
    assert kind in ("items", "steps", "ignored")
    assert kind != "ignored" or header is None
    assert set(problems.columns) >= {"file", "sheet", "row", "column", "value", "message"}


def csv_text(rows: list[list[str]], delimiter: str) -> str:
    buffer = io.StringIO()
    csv.writer(buffer, delimiter=delimiter).writerows(rows)
    return buffer.getvalue()


TEXT_CELL = st.one_of(
    st.sampled_from(HEADER_WORDS),
    st.text(alphabet=st.characters(codec="utf-8", exclude_categories=("Cs",)), max_size=12),
)


@given(
    st.sampled_from([",", "\t", ";", "|"]),
    st.lists(st.lists(TEXT_CELL, min_size=3, max_size=6), min_size=1, max_size=8),
)
def test_a_csv_in_any_delimiter_opens_with_its_cells_or_a_read_error(
    delimiter: str, body: list[list[str]]
) -> None:
    header = ["事项名称", "实施部门", "处理意见"]
    text = csv_text([header, *body], delimiter)
    try:
        grids = open_grids("清单.csv", text.encode("utf-8"))
    except ReadError as error:
        assert str(error)
        return
    assert len(grids) == 1
    first = [str(c) for c in grids[0].rows[0]]
    if not any(delimiter in cell or '"' in cell for row in body for cell in row):
        assert first == header  # the delimiter the file uses was found


@given(st.binary(max_size=400))
def test_any_bytes_as_a_csv_are_read_or_refused_with_a_read_error(data: bytes) -> None:
    try:
        reading = read_source(("清单.csv", data), VOCAB)
    except ReadError as error:
        assert str(error)
        return
    assert set(reading.problems.columns) >= {"file", "message"}
