"""CSV files that break naive readers: wide rows, huge cells, open quotes, mixed encodings, NULs."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from sample import SETTINGS

from approvals.read.reading import Reading, read_source

Bounded = Callable[[Callable[[], Any]], Any]
HEADER = "序号,事项名称,法定办结时限"


def read(name: str, data: bytes) -> Reading:
    return read_source((name, data), SETTINGS.columns)


def good_lines(count: int) -> list[str]:
    return [f"{n},事项{n}号许可,20个工作日" for n in range(1, count + 1)]


def names(reading: Reading) -> list[str]:
    return reading.items["name"].tolist()


def test_one_row_of_200000_commas_is_cut_to_1000_columns_and_named(bounded: Bounded) -> None:
    lines = [HEADER, *good_lines(3000), "3001,宽行许可," + "," * 200_000 + "末尾的值"]
    data = "\r\n".join(lines).encode()
    assert len(data) > 200_000
    reading = bounded(lambda: read("宽.csv", data))
    assert names(reading) == [f"事项{n}号许可" for n in range(1, 3001)] + ["宽行许可"]
    wide = reading.problems[reading.problems["code"] == "row_too_wide"]
    assert wide["row"].tolist() == [3002]
    assert "200003 列" in wide["message"].iloc[0] and "末尾的值" in wide["value"].iloc[0]


def test_a_cell_of_200000_characters_is_cut_to_excels_limit_and_named(bounded: Bounded) -> None:
    lines = [HEADER, *good_lines(5), "6,长文许可," + "字" * 200_000, *good_lines(2)]
    reading = bounded(lambda: read("长.csv", "\n".join(lines).encode()))
    assert names(reading)[4:7] == ["事项5号许可", "长文许可", "事项1号许可"]
    assert len(reading.items["statutory"].iloc[5]) == 32_767
    long = reading.problems[reading.problems["code"] == "cell_too_long"]
    assert long[["row", "column"]].values.tolist() == [[7, "第3列"]]


def test_an_unclosed_quote_does_not_swallow_the_rows_below_it(bounded: Bounded) -> None:
    lines = [HEADER, *good_lines(10), '11,"引号没关的许可,20个工作日', *good_lines(300)]
    reading = bounded(lambda: read("引号.csv", "\n".join(lines).encode()))
    assert len(reading.items) == 311
    assert names(reading)[-1] == "事项300号许可"
    quote = reading.problems[reading.problems["code"] == "quote_unclosed"]
    assert len(quote) == 1 and "第 12 行" in quote["message"].iloc[0]


def test_a_quoted_cell_of_a_few_lines_stays_one_cell() -> None:
    lines = [HEADER, '1,"取水\n许可\n（含延续）",20个工作日', *good_lines(2)]
    reading = read("多行.csv", "\n".join(lines).encode())
    assert names(reading)[0] == "取水\n许可\n（含延续）"
    assert "quote_unclosed" not in set(reading.problems["code"])


def test_one_gbk_line_among_fifty_utf8_lines_keeps_every_row(bounded: Bounded) -> None:
    rows = [line.encode("utf-8") for line in [HEADER, *good_lines(50)]]
    gbk = "51,国标编码许可,20个工作日".encode("gbk")
    rows.insert(26, gbk)
    reading = bounded(lambda: read("混合.csv", b"\r\n".join(rows)))
    assert len(reading.items) == 51
    assert "国标编码许可" in names(reading)
    assert "事项1号许可" in names(reading)
    found = reading.problems[reading.problems["code"] == "line_encoding"]
    assert found["row"].tolist() == [27]
    assert found["value"].iloc[0].startswith(gbk[:4].hex(" "))


def test_a_line_no_encoding_decodes_is_kept_with_replacement_and_its_bytes_named() -> None:
    rows = [line.encode("utf-8") for line in [HEADER, *good_lines(20)]]
    rows.append(b"21,\xff\xfe\xfd\x80\x80,20")
    reading = read("坏字节.csv", b"\n".join(rows))
    assert len(reading.items) == 21
    bad = reading.problems[
        (reading.problems["code"] == "line_encoding") & (reading.problems["severity"] == "错误")
    ]
    assert bad["row"].tolist() == [22] and "ff fe fd" in bad["value"].iloc[0]


def test_a_stray_nul_in_the_first_8_kb_is_removed_and_reported() -> None:
    lines = [HEADER, *good_lines(50)]
    lines[3] = "3,事项3\x00号许可,20个工作日"
    reading = read("空字符.csv", "\n".join(lines).encode())
    assert len(reading.items) == 50 and names(reading)[2] == "事项3号许可"
    nul = reading.problems[reading.problems["code"] == "line_nul"]
    assert nul["row"].tolist() == [4]


@pytest.mark.parametrize(
    ("newline", "bom"),
    [("\n", b""), ("\r\n", b""), ("\r", b""), ("\r\n", b"\xef\xbb\xbf"), ("\r", b"\xef\xbb\xbf")],
)
def test_cr_crlf_lf_and_bom_variants_all_read(newline: str, bom: bytes) -> None:
    data = bom + newline.join([HEADER, *good_lines(5)]).encode()
    reading = read("换行.csv", data)
    assert names(reading) == [f"事项{n}号许可" for n in range(1, 6)]


def test_a_utf8_bom_file_with_one_gbk_line_keeps_every_row() -> None:
    rows = [line.encode("utf-8") for line in [HEADER, *good_lines(10)]]
    rows.append("11,国标许可,20".encode("gbk"))
    reading = read("混合.csv", b"\xef\xbb\xbf" + b"\n".join(rows))
    assert len(reading.items) == 11 and names(reading)[-1] == "国标许可"
