"""The memory a file's reading may take (2 GB on top of what the process held): a table estimated
past it is refused before it is parsed, a read that grows past it stops, and a list of a million
rows reads well within it."""

from __future__ import annotations

import io
import mmap

import pytest
import xlsxwriter
from sample import SETTINGS

import approvals.read.workbooks as workbooks
from approvals.errors import ReadError
from approvals.read.reading import Reading, read_source
from approvals.read.workbooks import ReadLimits

HEADER = "序号,实施部门,事项名称,法定办结时限,处理意见"


def read(name: str, data: bytes) -> Reading:
    return read_source((name, data), SETTINGS.columns)


def csv_of(rows: int) -> bytes:
    lines = [HEADER] + [f"{n},市局{n % 50},事项{n}号许可,20个工作日,保留" for n in range(1, rows + 1)]
    return ("\n".join(lines) + "\n").encode("utf-8")


def test_a_csv_estimated_past_the_limit_is_refused_before_it_is_parsed_naming_its_size(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(workbooks, "MAX_READ_BYTES", 8 << 20)
    with pytest.raises(ReadError) as raised:
        read("全省目录.csv", csv_of(100_000))  # 500,000 cells at 100 bytes: about 48 MB
    message = str(raised.value)
    assert "全省目录.csv" in message and "表格有 500,010 个单元格" in message
    assert "读入约需 0.0 GB 内存" not in message and "超过 8 MB 的上限" in message
    assert "请拆分文件后分别导入" in message


def test_a_sheet_estimated_past_the_limit_is_refused_before_its_cells_become_python_values(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    buffer = io.BytesIO()
    book = xlsxwriter.Workbook(buffer, {"in_memory": True})
    sheet = book.add_worksheet("许可事项")
    sheet.write_row(0, 0, HEADER.split(","))
    for n in range(1, 20_001):
        sheet.write_row(n, 0, [n, "市水利局", f"事项{n}号许可", "20个工作日", "保留"])
    book.close()
    monkeypatch.setattr(workbooks, "MAX_READ_BYTES", 4 << 20)
    with pytest.raises(ReadError) as raised:
        read("许可.xlsx", buffer.getvalue())  # 100,005 cells at 100 bytes: about 10 MB
    assert "工作表“许可事项”有 100,005 个单元格" in str(raised.value)


def test_a_read_whose_memory_grows_past_the_limit_stops_at_the_next_check(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    resident = [500 << 20]
    monkeypatch.setattr(workbooks, "resident_bytes", lambda: resident[0])
    limits = ReadLimits("甲.csv", memory=16 << 20)
    resident[0] += 15 << 20
    limits.check()
    resident[0] += 2 << 20
    with pytest.raises(ReadError, match=r"甲\.csv.*读取占用的内存超过 16 MB 的上限"):
        limits.check()


def test_the_resident_memory_read_grows_with_what_the_process_holds() -> None:
    before = workbooks.resident_bytes()
    with mmap.mmap(-1, 64 << 20) as fresh:  # new pages, resident once written
        fresh.write(b"x" * (64 << 20))
        assert workbooks.resident_bytes() - before >= 48 << 20


def test_a_list_of_a_million_rows_is_read_whole_within_the_limit() -> None:
    reading = read("百万行.csv", csv_of(1_000_000))
    assert len(reading.items) == 1_000_000
    assert reading.items["name"].iloc[-1] == "事项1000000号许可"
    assert reading.problems.empty
