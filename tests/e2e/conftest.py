"""Real-browser tests: a Streamlit server of the app, a headless Chromium driven by Playwright.

Each test module gets a fresh server (a new process: no cache, no session carried over) with a
database of its own; a test that must be a fresh server's very first visitor asks for
``fresh_server`` instead, and one that restarts the server starts another on the same data
folder. Chromium and the CJK font come from Debian's packages (``make browser``); Playwright's own
browser download is never used. Screenshots and server logs go to test-output/.
"""

from __future__ import annotations

import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, BinaryIO
from urllib.parse import urlsplit

import pytest
from playwright.sync_api import (
    Browser,
    Locator,
    Page,
    Playwright,
    Request,
    Route,
    expect,
    sync_playwright,
)
from playwright.sync_api import Error as PlaywrightError

ROOT = Path(__file__).resolve().parents[2]
OUTPUT = ROOT / "test-output"
SCREENSHOTS = OUTPUT / "screenshots"
SERVER_LOGS = OUTPUT / "servers"
CHROMIUM = Path(os.environ.get("CHROMIUM", "/usr/bin/chromium"))
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]
VIEWPORT = {"width": 1400, "height": 900}
SERVER_START_TIMEOUT = 60.0
# A page counts as settled after this long without a running script or stale element.
QUIET_SECONDS = 0.6
SETTLE_TIMEOUT = 60.0
LOCAL_HOSTS = {"127.0.0.1", "localhost", "::1"}

expect.set_options(timeout=20_000)


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line("markers", "e2e: 真实浏览器测试（Chromium + Streamlit 服务器，较慢）")


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Browser tests run one after another on one worker (``--dist loadgroup``): a browser and a
    server each are as much as one core carries without the page timing out."""
    for item in items:
        if item.get_closest_marker("e2e"):
            item.add_marker(pytest.mark.xdist_group("browser"))


# ------------------------------------------------------------------------------------ server


def free_port() -> int:
    """A TCP port on the loopback that nothing listens on right now."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


# The health check must reach the loopback directly, whatever proxy the environment names.
_DIRECT = urllib.request.build_opener(urllib.request.ProxyHandler({}))


def _healthy(url: str) -> bool:
    try:
        with _DIRECT.open(f"{url}/_stcore/health", timeout=2) as answer:
            return answer.read().strip() == b"ok"
    except OSError:
        return False


@dataclass
class StreamlitServer:
    """A running ``streamlit run app.py`` in its own process group, printing to ``log``."""

    label: str
    url: str
    process: subprocess.Popen[bytes]
    log: Path
    data: Path  # the data folder holding its database (APPROVALS_DATA_DIR)
    # Read through a handle of its own, so the output stays readable if the file is removed.
    reader: BinaryIO
    started_in: float = field(default=0.0)
    read_up_to: int = field(default=0)  # bytes of the log already looked through for errors

    def output(self, last: int = 60) -> str:
        """The last lines the server printed."""
        self.reader.seek(0)
        lines = self.reader.read().decode("utf-8", errors="replace").splitlines()
        return "\n".join(lines[-last:])

    def new_errors(self) -> str:
        """What the server printed since the last look, if it holds a Python traceback, else "".

        The app may catch a page's exception and show a short message; the traceback still
        reaches the server's output.
        """
        self.reader.seek(self.read_up_to)
        fresh = self.reader.read()
        self.read_up_to += len(fresh)
        text = fresh.decode("utf-8", errors="replace")
        return text.strip() if "Traceback (most recent call last)" in text else ""

    def stop(self) -> None:
        """Terminate the whole process group, killing it if it does not exit in time."""
        _RUNNING.pop(self.url, None)
        if self.process.poll() is not None:
            return
        for sig, wait in ((signal.SIGTERM, 10), (signal.SIGKILL, 5)):
            try:
                os.killpg(self.process.pid, sig)
            except ProcessLookupError:
                return
            try:
                self.process.wait(timeout=wait)
                return
            except subprocess.TimeoutExpired:
                continue


def start_server(
    label: str,
    timeout: float = SERVER_START_TIMEOUT,
    data: Path | None = None,
    *,
    port: int | None = None,
    options: Sequence[str] = (),
) -> StreamlitServer:
    """Start the app on a free loopback port (or ``port``) and wait until /_stcore/health answers
    "ok"; its rounds go to ``data`` (a new temporary folder unless given). ``options`` are more
    Streamlit options, e.g. ``["--secrets.files", path]`` for a login set up in a secrets file."""
    SERVER_LOGS.mkdir(parents=True, exist_ok=True)
    data = data or Path(tempfile.mkdtemp(prefix="approvals-e2e-"))
    port = port or free_port()
    log = SERVER_LOGS / f"{_safe(label)}-{port}.log"
    command = [
        sys.executable,
        "-m",
        "streamlit",
        "run",
        "app.py",
        "--server.headless",
        "true",
        "--server.address",
        "127.0.0.1",
        "--server.port",
        str(port),
        "--browser.gatherUsageStats",
        "false",
        "--server.fileWatcherType",
        "none",
        *options,
    ]
    # The server reaches a provider on the loopback directly, whatever proxy the environment names.
    env = {
        **os.environ,
        "PYTHONUNBUFFERED": "1",
        "APPROVALS_DATA_DIR": str(data),
        "NO_PROXY": "127.0.0.1,localhost",
    }
    env.pop("APPROVALS_DB_URL", None)
    began = time.monotonic()
    with log.open("wb") as sink:
        process = subprocess.Popen(
            command,
            cwd=ROOT,
            stdin=subprocess.DEVNULL,
            stdout=sink,
            stderr=subprocess.STDOUT,
            env=env,
            start_new_session=True,
        )
    server = StreamlitServer(label, f"http://127.0.0.1:{port}", process, log, data, log.open("rb"))
    while not _healthy(server.url):
        if process.poll() is not None:
            pytest.fail(
                f"Streamlit 服务器启动失败（退出码 {process.returncode}）。输出：\n{server.output()}",
                pytrace=False,
            )
        if time.monotonic() - began > timeout:
            output = server.output()
            server.stop()
            message = f"Streamlit 服务器 {timeout:.0f} 秒内未就绪（{server.url}）。输出：\n{output}"
            pytest.fail(message, pytrace=False)
        time.sleep(0.1)
    server.started_in = time.monotonic() - began
    _SERVER_TIMINGS.append((label, server.started_in))
    _RUNNING[server.url] = server
    return server


_SERVER_TIMINGS: list[tuple[str, float]] = []
_RUNNING: dict[str, StreamlitServer] = {}  # by base URL, so a page finds the server it talks to


@pytest.fixture(scope="session")
def streamlit_servers() -> Iterator[Callable[..., StreamlitServer]]:
    """A factory of fresh servers; every server it started is stopped when the session ends."""
    started: list[StreamlitServer] = []

    def start(label: str, data: Path | None = None, **more: Any) -> StreamlitServer:
        server = start_server(label, data=data, **more)
        started.append(server)
        return server

    yield start
    for server in started:
        server.stop()
        server.reader.close()
    for folder in {server.data for server in started}:
        shutil.rmtree(folder, ignore_errors=True)


@pytest.fixture(scope="module")
def app_server(
    request: pytest.FixtureRequest, streamlit_servers: Callable[..., StreamlitServer]
) -> Iterator[StreamlitServer]:
    """A fresh server shared by the tests of one module, stopped after the module."""
    server = streamlit_servers(request.module.__name__.rsplit(".", 1)[-1])
    yield server
    server.stop()


@pytest.fixture
def app_url(app_server: StreamlitServer) -> str:
    """The base URL of the module's server, e.g. http://127.0.0.1:41234 (no trailing slash)."""
    return app_server.url


@pytest.fixture
def fresh_server(
    request: pytest.FixtureRequest, streamlit_servers: Callable[..., StreamlitServer]
) -> Iterator[StreamlitServer]:
    """A server of this test's own, so the test's first request is the server's first."""
    server = streamlit_servers(request.node.name)
    yield server
    server.stop()


# ----------------------------------------------------------------------------------- browser


@pytest.fixture(scope="session")
def playwright_driver() -> Iterator[Playwright]:
    driver = sync_playwright().start()
    yield driver
    driver.stop()


@pytest.fixture(scope="session")
def browser(playwright_driver: Playwright) -> Iterator[Browser]:
    """Debian's headless Chromium; missing, it fails under CI and skips elsewhere."""
    if not CHROMIUM.exists():
        message = f"未找到 Chromium（{CHROMIUM}）：先运行 make browser"
        if os.environ.get("CI"):
            pytest.fail(message, pytrace=False)
        pytest.skip(message)
    launched = playwright_driver.chromium.launch(
        executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_ARGS
    )
    yield launched
    launched.close()


@dataclass
class PageLog:
    """What the page said besides its content: script errors and requests kept off the network."""

    errors: list[str] = field(default_factory=list)
    blocked: list[str] = field(default_factory=list)

    def __str__(self) -> str:
        parts = [f"页面脚本错误：{e}" for e in self.errors] + [f"已拦截的外部请求：{u}" for u in self.blocked]
        return "\n".join(parts)


@pytest.fixture
def page(browser: Browser, request: pytest.FixtureRequest) -> Iterator[Page]:
    """A page of its own context: 1400x900, zh-CN, Beijing time; requests leave only to the loopback.

    When the test fails, the page as it was is saved as test-output/screenshots/<test>-failed.png.
    """
    context = browser.new_context(
        viewport=VIEWPORT, locale="zh-CN", timezone_id="Asia/Shanghai", accept_downloads=True
    )
    log = PageLog()

    def keep_local(route: Route, route_request: Request) -> None:
        target = urlsplit(route_request.url)
        if target.scheme in {"http", "https", "ws", "wss"} and target.hostname not in LOCAL_HOSTS:
            log.blocked.append(route_request.url)
            route.abort()
        else:
            route.continue_()

    context.route("**/*", keep_local)
    for server in _RUNNING.values():  # what earlier tests caused is theirs
        server.new_errors()
    opened = context.new_page()
    opened.on("pageerror", lambda error: log.errors.append(str(error)))
    request.node.stash[_PAGE_LOG] = log
    yield opened
    report = request.node.stash.get(_CALL_REPORT, None)
    if report is not None and report.failed:
        try:
            save_screenshot(opened, f"{_safe(request.node.name)}-failed")
        except Exception as error:  # the page may be gone; the failure itself matters more
            print(f"失败截图未能保存：{error}")
        if str(log):
            print(log)
    context.close()


_CALL_REPORT = pytest.StashKey[pytest.TestReport]()
_PAGE_LOG = pytest.StashKey[PageLog]()


@pytest.hookimpl(wrapper=True, tryfirst=True)
def pytest_runtest_makereport(item: pytest.Item, call: pytest.CallInfo[None]) -> Iterator[None]:
    report = yield
    if report.when == "call":
        item.stash[_CALL_REPORT] = report
    return report


# ----------------------------------------------------------------------------------- helpers

_BUSY_SCRIPT = """
() => {
  const shown = (el) => el.getClientRects().length > 0 && getComputedStyle(el).visibility !== "hidden";
  const any = (selector) => [...document.querySelectorAll(selector)].some(shown);
  const main = document.querySelector('[data-testid="stMainBlockContainer"]');
  if (!main || main.innerText.trim() === "") return "主区域尚无内容";
  if (any('[data-testid="stStatusWidget"]')) return "脚本运行中";
  if (any('[data-testid="stAppSkeleton"], [data-testid="stSkeleton"], [data-testid="stSpinner"]'))
    return "正在加载";
  if (any('[data-stale="true"]')) return "页面内容尚未更新";
  return "";
}
"""


def wait_for_app(page: Page, timeout: float = SETTLE_TIMEOUT) -> None:
    """Wait until Streamlit has finished running: main area filled, no status widget, spinner,
    skeleton or stale element, and that has held for QUIET_SECONDS (a rerun starts a moment
    after the click that caused it)."""
    began = time.monotonic()
    quiet_since: float | None = None
    reason = ""
    while True:
        now = time.monotonic()
        try:
            reason = page.evaluate(_BUSY_SCRIPT)
        except PlaywrightError:  # the page is being replaced (a reload or a full navigation)
            reason = "页面正在跳转"
        if reason:
            quiet_since = None
        elif quiet_since is None:
            quiet_since = now
        elif now - quiet_since >= QUIET_SECONDS:
            return
        if now - began > timeout:
            raise AssertionError(f"Streamlit 在 {timeout:.0f} 秒内未运行完毕：{reason or '状态不稳定'}")
        page.wait_for_timeout(100)


def open_app(page: Page, url: str) -> None:
    """Load a URL of the app and wait for its script to finish."""
    page.goto(url, wait_until="domcontentloaded")
    wait_for_app(page)


def expect_no_exception(page: Page) -> None:
    """No Python exception shown on the page (Streamlit's stException) nor printed by its server
    since the last look (an exception the app caught and reported in a message of its own)."""
    shown = page.get_by_test_id("stException")
    if shown.count():
        raise AssertionError("页面显示了 Python 异常：\n" + "\n\n".join(shown.all_inner_texts()))
    address = urlsplit(page.url)
    server = _RUNNING.get(f"{address.scheme}://{address.netloc}")
    errors = server.new_errors() if server else ""
    if errors:
        raise AssertionError(f"服务器输出了 Python 异常（{page.url}）：\n{errors}")


def sidebar(page: Page) -> Locator:
    """The sidebar, where the app's menu lives."""
    return page.get_by_test_id("stSidebar")


def page_path(url: str) -> str:
    """The page part of an app URL or menu link: "overview" for http://host:port/overview and for
    the link "overview", "" for the start page."""
    return urlsplit(url).path.strip("/")


def go_to(page: Page, title: str) -> None:
    """Open a page the way a person does: click its link in the sidebar menu, wait for it."""
    link = sidebar(page).get_by_role("link", name=title, exact=True)
    target = page_path(link.get_attribute("href") or "")
    link.click()
    page.wait_for_url(lambda url: page_path(url) == target)
    wait_for_app(page)


def _safe(name: str) -> str:
    return re.sub(r"[^\w.-]+", "_", name).strip("_")


def save_screenshot(page: Page, name: str) -> Path:
    """A full-page PNG at test-output/screenshots/<name>.png.

    Streamlit scrolls inside its own container, so the viewport is stretched to the content's
    height for the shot and put back afterwards.
    """
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    path = SCREENSHOTS / f"{_safe(name)}.png"
    height = page.evaluate(
        """() => Math.max(document.documentElement.scrollHeight,
             ...[...document.querySelectorAll('[data-testid="stMain"], [data-testid="stSidebarContent"]')]
               .map((el) => el.scrollHeight))"""
    )
    size = page.viewport_size or VIEWPORT
    try:
        page.set_viewport_size({"width": size["width"], "height": max(size["height"], int(height))})
        page.screenshot(path=str(path), full_page=True)
    finally:
        page.set_viewport_size(size)
    return path


def glyphs_differ(text: Locator, characters: str) -> bool:
    """Whether ``characters`` draw as distinct, non-blank glyphs in the font of ``text``.

    Without a CJK font every Chinese character falls back to the same box, so two different
    characters drawing identical pixels means the text is unreadable.
    """
    return text.first.evaluate(
        """(element, characters) => {
          const font = getComputedStyle(element).font.replace(/\\d+(\\.\\d+)?px/, "64px");
          const draw = (ch) => {
            const canvas = document.createElement("canvas");
            canvas.width = 96;
            canvas.height = 96;
            const pen = canvas.getContext("2d");
            pen.font = font;
            pen.fillStyle = "#000";
            pen.fillText(ch, 8, 72);
            return canvas.toDataURL();
          };
          const drawn = [...characters].map(draw);
          return new Set(drawn).size === drawn.length && !drawn.includes(draw(" "));
        }""",
        characters,
    )


@dataclass
class AppPage:
    """The app in the browser, driven the way a person uses it; test modules reach the helpers here."""

    page: Page
    test_name: str
    page_log: PageLog

    def open(self, url: str) -> None:
        open_app(self.page, url)

    def wait(self) -> None:
        wait_for_app(self.page)

    def go_to(self, title: str) -> None:
        go_to(self.page, title)

    def give_name(self, name: str) -> None:
        """Type the analyst's name into the sidebar once, as the app asks on a first visit."""
        box = self.sidebar.get_by_role("textbox", name=re.compile("您的姓名"))
        box.fill(name)
        box.press("Enter")
        self.wait()

    def upload(self, files: list[dict[str, Any]]) -> None:
        """Choose files on 导入's uploader (name, mimeType, buffer each) and wait for the import."""
        self.go_to("导入")
        self.main.locator('input[type="file"]').first.set_input_files(files=files)
        self.wait()
        self.expect_no_exception()

    @property
    def sidebar(self) -> Locator:
        return sidebar(self.page)

    @property
    def main(self) -> Locator:
        """The main area, where the current page renders."""
        return self.page.get_by_test_id("stMain")

    @property
    def current_page(self) -> str:
        """The URL path of the page shown, "" for the start page."""
        return page_path(self.page.url)

    @property
    def blocked_requests(self) -> list[str]:
        """Requests the page tried to send off this machine (all were refused)."""
        return self.page_log.blocked

    def menu_link(self, title: str) -> Locator:
        return self.sidebar.get_by_role("link", name=title, exact=True)

    def expect_no_exception(self) -> None:
        expect_no_exception(self.page)

    def screenshot(self, part: str = "") -> Path:
        """test-output/screenshots/<test name>.png, or <test name>-<part>.png."""
        return save_screenshot(self.page, f"{_safe(self.test_name)}-{part}" if part else self.test_name)

    def glyphs_differ(self, text: Locator, characters: str) -> bool:
        return glyphs_differ(text, characters)


@pytest.fixture
def app(page: Page, request: pytest.FixtureRequest) -> Iterator[AppPage]:
    """The browser page as an :class:`AppPage` named after the test.

    The test's screenshots from an earlier run are removed first. After a test that passed, the
    server must not have printed an exception meanwhile.
    """
    name = _safe(request.node.name)
    for old in [*SCREENSHOTS.glob(f"{name}.png"), *SCREENSHOTS.glob(f"{name}-*.png")]:
        old.unlink(missing_ok=True)
    yield AppPage(page, request.node.name, request.node.stash[_PAGE_LOG])
    report = request.node.stash.get(_CALL_REPORT, None)
    if report is not None and report.passed:
        expect_no_exception(page)


def pytest_terminal_summary(terminalreporter: pytest.TerminalReporter) -> None:
    if _SERVER_TIMINGS:
        terminalreporter.section("Streamlit 服务器启动用时")
        for label, seconds in _SERVER_TIMINGS:
            terminalreporter.write_line(f"{seconds:6.2f} s  {label}")
