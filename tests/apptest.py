"""Driving the app as Streamlit runs it (AppTest): what every test of a screen needs.

The fixtures themselves (``own_database``, ``app``) live in conftest.py; a module of screen
tests marks itself ``pytest.mark.usefixtures("own_database")``.
"""

from __future__ import annotations

from pathlib import Path

from streamlit.testing.v1 import AppTest

from approvals.store.db import default_url
from approvals.store.records import RoundState
from approvals.store.rounds import Store
from ui.frame import PAGE_ERROR

ROOT = Path(__file__).resolve().parent.parent
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
PAGES = [
    "pages/overview.py",
    "pages/import.py",
    "pages/items.py",
    "pages/process.py",
    "pages/redesign.py",
    "pages/export.py",
    "pages/history.py",
]


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
