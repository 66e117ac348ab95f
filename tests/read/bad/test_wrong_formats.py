"""Files that are not what their names say, or hold no table: each one Chinese sentence, no library names."""

from __future__ import annotations

import io
import re
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest
from builders import workbook
from msoffcrypto.format.ooxml import OOXMLFile
from sample import SETTINGS

from approvals.errors import ReadError
from approvals.read.reading import read_source

LIBRARY_WORDS = re.compile(r"[A-Za-z]+(Error|Exception)|Traceback|calamine|zipfile|XmlError", re.IGNORECASE)


def refusal(name: str, data: bytes) -> str:
    with pytest.raises(ReadError) as raised:
        read_source((name, data), SETTINGS.columns)
    message = str(raised.value)
    assert name in message
    assert not LIBRARY_WORDS.search(message), message
    return message


def docx_bytes() -> bytes:
    import docx

    buffer = io.BytesIO()
    document = docx.Document()
    document.add_paragraph("事项名称")
    document.save(buffer)
    return buffer.getvalue()


PNG = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x02\x00\x00\x00"
PDF = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"
HTML = "<html><body><table><tr><td>事项名称</td></tr><tr><td>取水许可</td></tr></table></body></html>"


@pytest.mark.parametrize(
    ("name", "data", "reason"),
    [
        ("清单.xlsx", PNG, "PNG 图片"),
        ("清单.xls", PDF, "PDF 文档"),
        ("清单.xls", HTML.encode("utf-8"), "网页"),
        ("清单.xlsx", b"", "文件为空"),
        ("清单.csv", b"   \r\n  ", "文件为空"),
    ],
)
def test_a_file_that_is_not_a_table_is_named_for_what_it_is(name: str, data: bytes, reason: str) -> None:
    assert reason in refusal(name, data)


def test_a_word_document_renamed_xlsx_is_called_a_word_document() -> None:
    assert "Word 文档" in refusal("清单.xlsx", docx_bytes())


def test_a_workbook_encrypted_with_a_password_asks_for_the_password_to_be_removed() -> None:
    plain = io.BytesIO(workbook({"许可": [["事项名称"], ["取水许可"]]}))
    encrypted = io.BytesIO()
    OOXMLFile(plain).encrypt("口令123", encrypted)
    assert "打开密码" in refusal("加密.xlsx", encrypted.getvalue())


def test_a_sheet_without_a_header_says_what_its_first_row_holds() -> None:
    message = refusal("无表头.xlsx", workbook({"表": [["取水许可", "20个工作日"], ["林木采伐", "20"]]}))
    assert "事项名称" in message and "取水许可" in message


def test_a_sheet_missing_the_name_column_names_the_missing_column() -> None:
    message = refusal("缺列.csv", "序号,法定办结时限,处理意见\n1,20个工作日,保留\n".encode())
    assert "没有找到“事项名称”列" in message


def test_a_header_only_file_reads_as_no_items_without_an_error() -> None:
    reading = read_source(("表头.csv", "序号,事项名称,法定办结时限\r\n".encode()), SETTINGS.columns)
    assert len(reading.items) == 0 and len(reading.problems[reading.problems["severity"] == "错误"]) == 0


def test_a_zip_with_a_broken_member_is_refused_in_chinese() -> None:
    data = bytearray(workbook({"许可": [["事项名称"], ["取水许可"]]}))
    sheet_at = data.find(b"xl/worksheets/sheet1.xml") + len(b"xl/worksheets/sheet1.xml")
    data[sheet_at + 10 : sheet_at + 60] = b"\x00" * 50
    message = refusal("坏.xlsx", bytes(data))
    assert "损坏" in message


def test_the_command_line_exits_2_with_one_chinese_line_for_an_unreadable_file(tmp_path: Path) -> None:
    path = tmp_path / "图片.xlsx"
    path.write_bytes(PNG)
    done = subprocess.run(
        [sys.executable, "-m", "approvals", "analyze", str(path)],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert done.returncode == 2, done.stderr
    assert "PNG 图片" in done.stderr and "Traceback" not in done.stderr


def test_a_plain_zip_is_still_called_a_zip() -> None:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("说明.txt", "hello")
    assert "压缩包" in refusal("包.xlsx", buffer.getvalue())
