"""Signing in on an office network: with login set up in the secrets file, a visitor sees the
Chinese sign-in page, goes through a real OpenID Connect provider (tests/e2e/oidc_provider.py,
on the loopback) and back, and the name the provider gives is who the audit says changed things."""

from __future__ import annotations

import re
import socket
from collections.abc import Iterator
from pathlib import Path

import pytest
from oidc_provider import OidcProvider, ProviderUser
from playwright.sync_api import expect
from test_browser import UPLOAD_ROWS, messy_workbook
from test_browser_rounds import CHANGED, REASON, XLSX, cancel_on_the_form

from approvals.store.rounds import Store
from ui.frame import APP_TITLE, SIGN_IN_NOTE

pytestmark = pytest.mark.e2e
USER = ProviderUser(sub="wang-xiaoming", name="王小明", email="wangxm@example.org")
CLIENT_ID, CLIENT_SECRET = "approvals", "client-secret-for-the-tests"


@pytest.fixture
def provider() -> Iterator[OidcProvider]:
    """The provider, its client registered for a Streamlit server on a port chosen now."""
    with socket.socket() as probe:  # a port nothing listens on, for the Streamlit server
        probe.bind(("127.0.0.1", 0))
        port = int(probe.getsockname()[1])
    started = OidcProvider(CLIENT_ID, CLIENT_SECRET, f"http://127.0.0.1:{port}/oauth2callback", USER).start()
    yield started
    started.stop()


def secrets_file(folder: Path, provider: OidcProvider) -> Path:
    """A secrets.toml as an office sets one up (README: 登录), for this provider."""
    path = folder / "secrets.toml"
    path.write_text(
        "[auth]\n"
        f'redirect_uri = "{provider.redirect_uri}"\n'
        'cookie_secret = "a-long-random-string-only-the-server-knows-0123456789"\n'
        f'client_id = "{CLIENT_ID}"\n'
        f'client_secret = "{CLIENT_SECRET}"\n'
        f'server_metadata_url = "{provider.metadata_url}"\n',
        encoding="utf-8",
    )
    return path


def test_a_visitor_signs_in_and_the_audit_names_them(app, streamlit_servers, provider, tmp_path) -> None:  # type: ignore[no-untyped-def]
    port = int(provider.redirect_uri.rsplit(":", 1)[1].split("/")[0])
    server = streamlit_servers(
        "login", port=port, options=["--secrets.files", str(secrets_file(tmp_path, provider))]
    )
    app.open(server.url)
    app.expect_no_exception()
    expect(app.main.get_by_role("heading", name=APP_TITLE)).to_be_visible()
    expect(app.main.get_by_text(SIGN_IN_NOTE)).to_be_visible()
    expect(app.menu_link("导入")).to_have_count(0)  # nothing but the sign-in page
    app.screenshot("登录页")

    app.main.get_by_role("button", name=re.compile("登录")).click()
    app.page.wait_for_url(lambda url: url.rstrip("/") == server.url and "code=" not in url)
    app.wait()
    app.expect_no_exception()
    assert provider.signed_in == [USER.sub]
    expect(app.sidebar.get_by_text(f"修改人：{USER.name}")).to_be_visible()
    expect(app.sidebar.get_by_role("button", name=re.compile("退出登录"))).to_be_visible()
    expect(app.sidebar.get_by_role("textbox", name=re.compile("您的姓名"))).to_have_count(0)
    app.screenshot("登录后")

    app.go_to("导入")
    app.main.locator('input[type="file"]').first.set_input_files(
        files=[
            {"name": "市本级行政许可事项清理表.xlsx", "mimeType": XLSX, "buffer": messy_workbook(UPLOAD_ROWS)}
        ]
    )
    app.wait()
    cancel_on_the_form(app)

    app.go_to("历史")
    app.expect_no_exception()
    audit = app.main.get_by_test_id("stDataFrame").last
    expect(audit).to_be_visible()
    who = app.main.get_by_role("combobox", name="修改人").last  # the audit's own filter: who
    who.click()
    app.page.keyboard.type(USER.name[0])  # typing opens the list even where the click only focused
    expect(app.page.get_by_role("option").filter(has_text=USER.name).first).to_be_visible()
    app.page.keyboard.press("Escape")
    app.screenshot("历史")
    store = Store.open(f"sqlite:///{server.data / 'approvals.sqlite3'}")
    try:
        current = store.rounds()[0]
        assert current.created_by == USER.name
        edits = store.history(current).query("kind == 'edit'")
        assert edits[["by", "item", "reason"]].values.tolist() == [[USER.name, CHANGED, REASON]]
    finally:
        store.close()
