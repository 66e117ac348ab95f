"""Driving the app as Streamlit runs it (AppTest): what every test of a screen needs.

The fixtures themselves (``own_database``, ``app``) live in conftest.py; a module of screen
tests marks itself ``pytest.mark.usefixtures("own_database")``.
"""

from __future__ import annotations

from datetime import date, timedelta
from pathlib import Path

import chinese_calendar
from streamlit.testing.v1 import AppTest

from approvals.store.db import default_url
from approvals.store.records import RoundState
from approvals.store.rounds import Store
from ui.frame import PAGE_ERROR, START_PAGE
from ui.frame import PAGES as MENU

ROOT = Path(__file__).resolve().parent.parent
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
PAGES = [p.path for p in MENU if p.path != START_PAGE]  # every screen but 开始, in menu order


def started() -> AppTest:
    """A new session of the app, its first run done and sound."""
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60)
    at.run()
    assert_ok(at)
    return at


def assert_ok(at: AppTest) -> None:
    """The page ran: no exception reached Streamlit, and the frame's guard caught none either (it
    turns a defect into a 页面出错 message, which AppTest does not count as an exception)."""
    assert not at.exception
    assert not [e.value for e in at.error if PAGE_ERROR in e.value]


def upload(at: AppTest, name: str, data: bytes) -> None:
    """One file chosen on 导入's uploader."""
    upload_all(at, [(name, data)])


def upload_all(at: AppTest, files: list[tuple[str, bytes]]) -> None:
    """Several files chosen at once on 导入's uploader."""
    at.switch_page("pages/import.py").run()
    uploader = next(u for u in at.get("file_uploader") if u.key == "import_upload")
    uploader.set_value([(name, data, XLSX) for name, data in files]).run()
    assert_ok(at)


def opened(at: AppTest) -> RoundState:
    """The state of the round the session has open, as the database holds it."""
    store = Store.open(default_url())
    try:
        return store.state(store.round_by_id(int(at.session_state["round"])))
    finally:
        store.close()


def metric_values(at: AppTest) -> list[str]:
    return [m.value for m in at.metric]


def official_due_date(start: date, days: float) -> date:
    """The day ``days`` working days after ``start`` on the official calendar (chinese-calendar,
    an independent source: the clock starts the day after acceptance)."""
    day, counted = start, 0
    while counted < days:
        day += timedelta(days=1)
        counted += chinese_calendar.is_workday(day)
    return day
