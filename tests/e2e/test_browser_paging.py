"""A long list in a real browser: an uploaded CSV of 1,100 items is shown 500 rows a page on 事项,
the page box under the table walks it, and the line beside the box says which rows are shown."""

from __future__ import annotations

import pytest
from builders import csv_bytes
from playwright.sync_api import expect

pytestmark = pytest.mark.e2e

HEADER = ["序号", "实施部门", "事项编码", "事项名称", "事项类型", "法定办结时限", "承诺办结时限", "处理意见"]
ITEMS = 1_100


def long_list() -> bytes:
    rows = [
        [n, f"市第{n % 7 + 1}局", f"XK-{n:05d}", f"第{n:04d}号许可事项", "行政许可", "20个工作日",
         "10个工作日", "保留" if n % 3 else "取消"]
        for n in range(1, ITEMS + 1)
    ]  # fmt: skip
    return csv_bytes([["市本级行政许可事项清单"], HEADER, *rows])


def test_an_uploaded_list_of_1100_items_is_walked_page_by_page(app, streamlit_servers) -> None:  # type: ignore[no-untyped-def]
    server = streamlit_servers("paging")
    app.open(server.url)
    app.give_name("张三")
    app.upload([{"name": "市本级行政许可事项清单.csv", "mimeType": "text/csv", "buffer": long_list()}])

    app.go_to("事项")
    expect(app.main.get_by_text("共 1,100 项，分 3 页，这是第 1 页（第 1–500 项）")).to_be_visible()
    expect(app.main.get_by_text(f"{ITEMS:,} / {ITEMS:,}")).to_be_visible()
    app.screenshot("第1页")
    box = app.main.get_by_role("spinbutton", name="页码")
    box.fill("3")
    box.press("Enter")
    app.wait()
    app.expect_no_exception()
    expect(app.main.get_by_text("共 1,100 项，分 3 页，这是第 3 页（第 1,001–1,100 项）")).to_be_visible()
    app.screenshot("第3页")

    app.page.reload()  # the page shown is the session's; a reload starts again at the first
    app.wait()
    app.expect_no_exception()
    expect(app.main.get_by_text("共 1,100 项，分 3 页，这是第 1 页（第 1–500 项）")).to_be_visible()
