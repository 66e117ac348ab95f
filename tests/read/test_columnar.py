"""The column-by-column CSV reader gives, cell for cell, the table the row-by-row reader gives, and
steps aside (None) for every file it cannot read the same way."""

from __future__ import annotations

import csv
import io

import pytest
from builders import HEADER_WORDS
from hypothesis import given
from hypothesis import strategies as st
from sample import SETTINGS

import approvals.read.columnar as columnar
import approvals.read.files as files
from approvals.read.columnar import columnar_frame
from approvals.read.files import Grid
from approvals.read.reading import read_source
from approvals.read.sheets import grid_frame
from approvals.read.texts import MAX_CELL_CHARS, fast_rows

LETTERS = st.sampled_from(list('事项名称许可 ,"\n\r\t\u3000ab1'))
CELL = st.one_of(st.text(alphabet=LETTERS, max_size=8), st.sampled_from(HEADER_WORDS))


def by_rows(text: str, delimiter: str = ","):  # type: ignore[no-untyped-def]
    rows = fast_rows(text, delimiter)
    assert rows is not None
    return grid_frame(Grid("甲.csv", "CSV", rows))


def written(rows: list[list[str]], newline: str = "\r\n") -> str:
    buffer = io.StringIO()
    csv.writer(buffer, lineterminator=newline).writerows(rows)
    return buffer.getvalue()


@given(
    st.integers(2, 6).flatmap(
        lambda width: st.tuples(
            st.lists(st.lists(CELL, min_size=1, max_size=width), max_size=3),
            st.lists(st.lists(CELL, min_size=width, max_size=width), min_size=1, max_size=30),
        )
    ),
    st.sampled_from(["\r\n", "\n", "\r"]),
)
def test_any_table_of_one_width_under_titles_reads_cell_for_cell_as_row_by_row(tables, newline) -> None:  # type: ignore[no-untyped-def]
    titles, body = tables
    text = written([*titles, *body], newline)
    frame = columnar_frame(text, ",", MAX_CELL_CHARS)
    if frame is None:  # it may step aside (e.g. a bare \r inside a cell), never differ
        return
    expected = by_rows(text)
    assert frame.shape == expected.shape
    assert frame.values.tolist() == expected.values.tolist()


@pytest.mark.parametrize(
    "text",
    [
        "标题\n序号,名称\n1,甲\n2\n",  # a short row below the header
        "序号,名称\n1," + "长" * (MAX_CELL_CHARS + 1) + "\n",  # a cell past Excel's limit
        "序号\n1\n",  # one column
    ],
)
def test_files_of_other_shapes_are_left_to_the_row_by_row_reader(text: str) -> None:
    assert columnar_frame(text, ",", MAX_CELL_CHARS) is None


def test_a_blank_line_is_a_blank_row_as_row_by_row() -> None:
    text = "序号,名称\n1,甲\n\n2,乙\n"
    frame = columnar_frame(text, ",", MAX_CELL_CHARS)
    assert frame is not None
    assert frame.values.tolist() == by_rows(text).values.tolist()


def test_a_large_list_read_column_by_column_gives_the_same_reading(monkeypatch: pytest.MonkeyPatch) -> None:
    header = ["序号", "实施部门", "事项名称", "法定办结时限", "承诺办结时限", "处理意见"]
    rows = [
        [str(n), f"市局{n % 7}", f" 事项{n}号许可\u3000", "20个工作日", "10", "保留"] for n in range(1, 3001)
    ]
    rows[10][5] = '取消,"并入"别项'
    text = written(
        [["某市行政许可事项清理表"], ["填报单位：某市司法局"], header, *rows, ["合计", "", "", "", "", ""]]
    )
    data = text.encode("utf-8-sig")
    monkeypatch.setattr(files, "COLUMNAR_FROM_CHARS", 1 << 40)
    by_row = read_source(("清理表.csv", data), SETTINGS.columns)
    monkeypatch.setattr(files, "COLUMNAR_FROM_CHARS", 0)
    by_column = read_source(("清理表.csv", data), SETTINGS.columns)
    assert by_column.items.equals(by_row.items)
    assert by_column.problems.equals(by_row.problems)
    assert by_column.mappings.equals(by_row.mappings)
    assert len(by_column.items) == 3000


@pytest.mark.parametrize("row_chars", [20, 3_000])  # the head within HEAD_CHARS; or not
def test_a_file_past_a_megabyte_reads_its_head_as_row_by_row(
    monkeypatch: pytest.MonkeyPatch, row_chars: int
) -> None:
    monkeypatch.setattr(columnar, "HEAD_CHARS", 4_000)
    rows = [[str(n), "甲" * row_chars, f'事项{n},"引号"'] for n in range(400)]
    text = written([["清单标题"], ["序号", "说明", "事项名称"], *rows])
    assert len(text) > columnar.HEAD_CHARS
    for encoded in (None, text.encode("utf-8")):
        frame = columnar_frame(text, ",", MAX_CELL_CHARS, encoded)
        assert frame is not None
        assert frame.values.tolist() == by_rows(text).values.tolist()
