"""A list whose names carry markdown and HTML, in a real browser: on every page the names read
as written, and none of them becomes an image, a link, a script or a request to another site.

Each page is saved as a screenshot (test-output/screenshots/)."""

from __future__ import annotations

import re

import pytest
from builders import (
    HOSTILE_BOLD,
    HOSTILE_DEPARTMENT,
    HOSTILE_FILE,
    HOSTILE_LIST,
    HOSTILE_NAMES,
    HOSTILE_SHEET,
    hostile_workbook,
)
from playwright.sync_api import Dialog, expect

pytestmark = pytest.mark.e2e

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
LOCAL = ["127.0.0.1", "localhost", "[::1]"]  # URL.hostname writes IPv6 in brackets
PAGES = ["开始", "总览", "导入", "事项", "流程图", "流程再造", "导出", "历史"]


def shown_as(text: str, *, whole: bool = False) -> re.Pattern[str]:
    """The text as the page shows it: word joiners (U+2060, invisible) may sit inside web
    addresses, where they keep the renderer from making links of them."""
    pattern = "\u2060?".join(re.escape(c) for c in text)
    return re.compile(f"^{pattern}$" if whole else pattern)


# Links and images of the page that point off this machine (data: and blob: are the page's own).
_OUTSIDE_SCRIPT = """
(local) => {
  const outside = (url) => {
    try {
      const parsed = new URL(url, location.href);
      return ["http:", "https:"].includes(parsed.protocol) && !local.includes(parsed.hostname);
    } catch (error) { return false; }
  };
  const links = [...document.querySelectorAll("a[href]")].map((a) => a.href).filter(outside);
  const images = [...document.querySelectorAll("img[src], image[href]")]
    .map((i) => i.getAttribute("src") || i.getAttribute("href")).filter(outside);
  const injected = [...document.querySelectorAll('img[src="x"], img[onerror]')].length;
  return { links, images, injected };
}
"""


def test_names_with_markdown_and_html_read_as_written_on_every_page(app, streamlit_servers) -> None:  # type: ignore[no-untyped-def]
    dialogs: list[str] = []

    def refuse(dialog: Dialog) -> None:
        dialogs.append(dialog.message)
        dialog.dismiss()

    app.page.on("dialog", refuse)
    server = streamlit_servers("hostile")
    app.open(server.url)
    app.go_to("导入")
    app.main.locator('input[type="file"]').first.set_input_files(
        files=[{"name": HOSTILE_FILE, "mimeType": XLSX, "buffer": hostile_workbook()}]
    )
    app.wait()
    app.expect_no_exception()

    # The file and its sheet are named as written on 导入: in the list of files and on the sheet's panel.
    expect(app.main.get_by_text(re.compile("· " + re.escape(HOSTILE_FILE))).first).to_be_visible()
    expect(app.main.get_by_text(shown_as(f"{HOSTILE_FILE} / {HOSTILE_SHEET}")).first).to_be_visible()

    for title in PAGES:
        app.go_to(title)
        app.expect_no_exception()
        found = app.page.evaluate(_OUTSIDE_SCRIPT, LOCAL)
        assert found == {"links": [], "images": [], "injected": 0}, title
        assert not app.main.locator("strong", has_text="粗体").count(), title
        app.screenshot(title)

    # The list's name heads its cards on 总览, the department its row; an item's name is text on 事项.
    app.go_to("总览")
    expect(app.main.get_by_text(shown_as(HOSTILE_LIST, whole=True)).first).to_be_visible()
    expect(app.main.locator("svg text", has_text=HOSTILE_DEPARTMENT).first).to_be_visible()  # the chart
    app.go_to("流程图")
    chosen = app.main.get_by_role("combobox", name=re.compile("事项")).first  # the item picked
    expect(chosen).to_have_value(shown_as(HOSTILE_NAMES[0]))
    expect(app.main.locator("svg text", has_text=HOSTILE_BOLD).first).to_be_visible()  # a step's box
    app.screenshot("流程图-名称")

    assert dialogs == []
    assert app.blocked_requests == []
