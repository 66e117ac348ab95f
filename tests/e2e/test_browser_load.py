"""Ten analysts at once on one server, in real browsers: each opens a round of their own, uploads
their department's list, cancels an item on the form and browses every screen, all at the same
time. Every session must see only its own round and figures, nothing may error, and the server's
memory must come back near where it started once they have gone: the first wave leaves what the
caches keep, and once they are full a further wave of ten adds next to nothing.

Not part of ``make test`` (minutes of ten browsers on two cores): run it with ``make load``,
which prints the measurements recorded in bench/RESULTS.md.
"""

from __future__ import annotations

import itertools
import re
import threading
import time
from dataclasses import dataclass, field, replace

import pytest
from playwright.sync_api import Browser, expect
from test_browser import UPLOAD_ROWS, messy_workbook
from test_browser_rounds import cancel_on_the_form, figures_after_the_change

from bench.measure import process_group_rss_kb
from conftest import (
    VIEWPORT,
    AppPage,
    PageLog,
    StreamlitServer,
    expect_no_exception,
    page_path,
    wait_for_app,
)

pytestmark = [pytest.mark.e2e, pytest.mark.load]

SESSIONS = 10
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
BROWSED = ("总览", "流程图", "流程再造", "导出", "历史", "开始")
# Seconds the whole run may take, and the server's allowance to drop disconnected sessions
# (server.disconnectedSessionTTL) before its memory is read again.
RUN_LIMIT = 2400.0
SESSION_TTL = 10
SETTLE_AFTER_CLOSE = 90.0
# Memory after the sessions have gone may exceed the start by this much: what the caches keep
# (ten readings and analyses of small lists) and what the allocator holds on to.
ALLOWED_GROWTH_MB = 200.0
# Waves of ten sessions, one after another; the last may add no more than this: the caches are
# full by then and bounded, so more sessions must not take more memory.
WAVES = 3
ALLOWED_LATER_WAVE_MB = 40.0


def tag(n: int) -> str:
    return f"（负载{n:02d}组）"


def round_name(w: int, n: int) -> str:
    return f"负载测试第{w}轮清理批次{n:02d}"


def own_rows(n: int) -> list:  # type: ignore[type-arg]
    """The upload rows with every department named for session ``n``."""
    return [replace(row, department=row.department + tag(n)) for row in UPLOAD_ROWS]


def rss_mb(group: int) -> float:
    """The resident memory in MB of every process in a process group (the server runs in its own)."""
    return process_group_rss_kb(group) / 1024


@dataclass
class Sampler:
    """The server's resident memory, read twice a second in a thread of its own."""

    pid: int
    samples: list[tuple[float, float]] = field(default_factory=list)
    _stop: threading.Event = field(default_factory=threading.Event)

    def __post_init__(self) -> None:
        self._began = time.monotonic()
        self._thread = threading.Thread(target=self._run, daemon=True)
        self._thread.start()

    def _run(self) -> None:
        while not self._stop.is_set():
            self.samples.append((time.monotonic() - self._began, rss_mb(self.pid)))
            self._stop.wait(0.5)

    def stop(self) -> float:
        self._stop.set()
        self._thread.join()
        return max(mb for _, mb in self.samples)


def each(apps: list[AppPage], action) -> float:  # type: ignore[no-untyped-def]
    """Start ``action`` on every page, then wait for them all: the server runs them at once.
    Returns the seconds until the last page settled."""
    began = time.monotonic()
    for app in apps:
        action(app)
    for app in apps:
        wait_for_app(app.page, timeout=240)
    return time.monotonic() - began


def click_menu(app: AppPage, title: str) -> None:
    link = app.menu_link(title)
    target = page_path(link.get_attribute("href") or "")
    link.click()
    app.page.wait_for_url(lambda url: page_path(url) == target, timeout=120_000)


def give_name(app: AppPage, n: int) -> None:
    box = app.sidebar.get_by_role("textbox", name=re.compile("您的姓名"))
    box.fill(f"分析员{n:02d}")
    box.press("Enter")


def new_round(app: AppPage, name: str) -> None:
    app.sidebar.get_by_text("新建或改名").click()
    form = app.sidebar.get_by_test_id("stForm").first
    form.get_by_role("textbox", name="新清理批次的名称").fill(name)
    form.get_by_role("button", name=re.compile("新建")).click()


def upload(app: AppPage, n: int) -> None:
    app.main.locator('input[type="file"]').first.set_input_files(
        files=[{"name": f"负载{n:02d}组行政许可事项清理表.xlsx", "mimeType": XLSX,
                "buffer": messy_workbook(own_rows(n))}]
    )  # fmt: skip


def opened_round(app: AppPage, w: int, n: int, step: str) -> None:
    """The page says the session's own round is open ("当前数据：…" on 开始, or the note that it was
    made); else a screenshot and a failure naming what the page says instead."""
    shown = app.main.inner_text()
    if f"当前数据：{round_name(w, n)}" not in shown and f"“{round_name(w, n)}”" not in shown:
        app.screenshot(step)
        raise AssertionError(f"第 {w} 轮第 {n} 个会话{step}打开的不是自己的清理批次：{shown[:300]}")


def wave(browser: Browser, server: StreamlitServer, w: int) -> dict[str, float]:
    """Ten sessions at once, from opening the app to closing the browser; the seconds of each step."""
    timings: dict[str, float] = {}
    contexts = [
        browser.new_context(locale="zh-CN", timezone_id="Asia/Shanghai", viewport=VIEWPORT)
        for _ in range(SESSIONS)
    ]
    apps = []
    for n, context in enumerate(contexts, start=1):
        log = PageLog()
        opened = context.new_page()
        opened.on("pageerror", lambda error, log=log: log.errors.append(str(error)))
        apps.append(AppPage(opened, f"load-{w}-{n:02d}", log))
    numbered = list(enumerate(apps, start=1))
    number = {id(app): n for n, app in numbered}

    timings["打开应用"] = each(apps, lambda a: a.page.goto(server.url, wait_until="domcontentloaded"))
    timings["填写姓名"] = each(apps, lambda a: give_name(a, number[id(a)]))
    timings["新建清理批次"] = each(apps, lambda a: new_round(a, round_name(w, number[id(a)])))
    for n, app in numbered:  # each session has the round it made open before it uploads
        opened_round(app, w, n, "新建清理批次")
    timings["打开导入页"] = each(apps, lambda a: click_menu(a, "导入"))
    timings["上传清单"] = each(apps, lambda a: upload(a, number[id(a)]))
    for app in apps:
        expect(app.main.get_by_text(re.compile("导入记录")).first).to_be_visible(timeout=120_000)
    t = time.monotonic()
    for _, app in numbered:  # the form takes several clicks; the others' reruns go on meanwhile
        cancel_on_the_form(app)
    timings["在表单上取消一个事项（逐个）"] = time.monotonic() - t
    for title in BROWSED:
        timings[f"浏览：{title}"] = each(apps, lambda a, title=title: click_menu(a, title))
    for n, app in numbered:  # 开始, the last page browsed, names the round open
        opened_round(app, w, n, "浏览之后")
    timings["再次打开总览"] = each(apps, lambda a: click_menu(a, "总览"))

    streamlining, shortening = figures_after_the_change()
    for n, app in numbered:
        expect_no_exception(app.page)
        assert not app.page_log.errors, f"第 {n} 个会话：{app.page_log}"
        for figure in (streamlining, shortening):
            expect(app.main.get_by_text(figure).first).to_be_visible()
        assert "页面出错" not in app.main.inner_text()
    timings["再次打开导入页"] = each(apps, lambda a: click_menu(a, "导入"))
    for n, app in numbered:  # the files listed are the session's own, and only those
        shown = app.main.inner_text()
        assert tag(n).strip("（）") in shown, f"第 {n} 个会话的导入页没有它自己的文件"
        others = [m for m in range(1, SESSIONS + 1) if m != n and tag(m).strip("（）") in shown]
        assert not others, f"第 {n} 个会话看到了第 {others} 个会话的文件"
    for context in contexts:
        context.close()
    return timings


def settled_rss_mb(server: StreamlitServer) -> float:
    """The server's memory once the closed sessions have been dropped and it has stopped moving."""
    time.sleep(SESSION_TTL + 5)
    last = rss_mb(server.process.pid)
    began = time.monotonic()
    while time.monotonic() - began < SETTLE_AFTER_CLOSE:
        time.sleep(5)
        now = rss_mb(server.process.pid)
        if abs(now - last) < 1:
            return now
        last = now
    return last


def test_ten_sessions_at_once_each_see_only_their_own_round(  # type: ignore[no-untyped-def]
    browser: Browser, streamlit_servers
) -> None:
    # Closed sessions are dropped after SESSION_TTL seconds instead of Streamlit's 120, so the run
    # need not wait two minutes for what a real server does two minutes later.
    server: StreamlitServer = streamlit_servers(
        "load", options=["--server.disconnectedSessionTTL", str(SESSION_TTL)]
    )
    began = time.monotonic()

    # The start: the server after one visitor has seen the sample and gone.
    warm = browser.new_context(locale="zh-CN", timezone_id="Asia/Shanghai")
    warm_page = warm.new_page()
    warm_page.goto(server.url, wait_until="domcontentloaded")
    wait_for_app(warm_page)
    warm.close()
    start_mb = settled_rss_mb(server)
    sampler = Sampler(server.process.pid)
    timings, after_mb = [], []
    for w in range(1, WAVES + 1):
        timings.append(wave(browser, server, w))
        after_mb.append(settled_rss_mb(server))
    peak_mb = sampler.stop()
    total = time.monotonic() - began
    assert not server.new_errors(), server.new_errors()

    lines = [
        f"{WAVES} 轮，每轮 {SESSIONS} 个会话同时使用，共 {total:.0f} 秒；"
        "每步为最后一个会话完成的用时（各轮依次）："
    ]
    lines += [f"  {step}：{' / '.join(f'{t[step]:.1f}' for t in timings)} 秒" for step in timings[0]]
    growth = [after - before for before, after in itertools.pairwise([start_mb, *after_mb])]
    lines += [
        f"  服务器内存：开始 {start_mb:.0f} MB，峰值 {peak_mb:.0f} MB；各轮全部关闭后 "
        + "，".join(f"{mb:.0f} MB（{g:+.0f}）" for mb, g in zip(after_mb, growth, strict=True))
    ]
    print("\n" + "\n".join(lines))
    assert total < RUN_LIMIT
    assert growth[0] < ALLOWED_GROWTH_MB, "\n".join(lines)
    assert growth[-1] < ALLOWED_LATER_WAVE_MB, "\n".join(lines)
