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


def _clean_up_list(rows: int = 3000) -> bytes:
    header = ["序号", "实施部门", "事项名称", "法定办结时限", "承诺办结时限", "处理意见"]
    body = [
        [str(n), f"市局{n % 7}", f" 事项{n}号许可\u3000", "20个工作日", "10", "保留"]
        for n in range(1, rows + 1)
    ]
    body[10][5] = '取消,"并入"别项'
    return written([["某市行政许可事项清理表"], header, *body]).encode("utf-8-sig")


def _both_ways(monkeypatch: pytest.MonkeyPatch, data: bytes) -> tuple[object, object]:
    """(the reading with a large UTF-8 file parsed from its bytes, the reading of the text)."""
    monkeypatch.setattr(files, "COLUMNAR_FROM_CHARS", 0)
    monkeypatch.setattr(files, "HEAD_BYTES", 8_000)
    monkeypatch.setattr(files, "UTF8_COLUMNAR_FROM_BYTES", 0)
    from_bytes = read_source(("清理表.csv", data), SETTINGS.columns)
    monkeypatch.setattr(files, "UTF8_COLUMNAR_FROM_BYTES", 1 << 40)
    return from_bytes, read_source(("清理表.csv", data), SETTINGS.columns)


def test_a_large_utf8_list_is_read_from_its_bytes_without_decoding_it(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    data = _clean_up_list()
    monkeypatch.setattr(files, "UTF8_COLUMNAR_FROM_BYTES", 0)
    monkeypatch.setattr(files, "HEAD_BYTES", 8_000)

    def decoded(*_: object) -> None:
        raise AssertionError("the whole file was decoded")

    with monkeypatch.context() as inner:
        inner.setattr(files, "_decoded", decoded)
        grid, _ = files._utf8_grid("清理表.csv", data, files.ReadLimits("清理表.csv"))
    assert grid is not None and grid.frame is not None
    assert grid.frame.shape == (3002, 6)
    from_bytes, from_text = _both_ways(monkeypatch, data)
    assert from_bytes.items.equals(from_text.items)  # type: ignore[attr-defined]
    assert from_bytes.mappings.equals(from_text.mappings)  # type: ignore[attr-defined]
    assert len(from_bytes.items) == 3000  # type: ignore[attr-defined]


@pytest.mark.parametrize(
    "spoil",
    [
        lambda data: data.replace("事项2000号".encode(), b"\xff\xfe2000"),  # a cell that is not UTF-8
        lambda data: data.replace("事项2500号".encode(), "事项2500号".encode() + b"\x00"),  # a NUL byte
        lambda data: data.decode("utf-8-sig").encode("gb18030"),  # another encoding
        lambda data: data.replace("事项2000号许可".encode(), "事项2000号许可,多一列".encode()),  # a wider row
    ],
    ids=["invalid byte", "NUL", "GB18030", "wider row"],
)
def test_a_large_file_that_is_not_clean_utf8_reads_as_before(monkeypatch: pytest.MonkeyPatch, spoil) -> None:  # type: ignore[no-untyped-def]
    data = spoil(_clean_up_list())
    with monkeypatch.context() as inner:
        inner.setattr(files, "UTF8_COLUMNAR_FROM_BYTES", 0)
        inner.setattr(files, "HEAD_BYTES", 8_000)
        assert files._utf8_grid("清理表.csv", data, files.ReadLimits("清理表.csv"))[0] is None
    from_bytes, from_text = _both_ways(monkeypatch, data)
    assert from_bytes.items.equals(from_text.items)  # type: ignore[attr-defined]
    assert from_bytes.problems.equals(from_text.problems)  # type: ignore[attr-defined]
    assert len(from_bytes.items) == 3000  # type: ignore[attr-defined]
