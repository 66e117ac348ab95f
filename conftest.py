"""Doctests see ``settings``: the bundled settings with the calendar of 2026, as the examples assume."""

from __future__ import annotations

from typing import Any

import pytest

from approvals.settings import load_settings


@pytest.fixture(autouse=True)
def _doctest_settings(doctest_namespace: dict[str, Any]) -> None:
    doctest_namespace["settings"] = _bundled()


# Alembic runs the migration scripts itself (env.py needs its context); they hold no doctests.
collect_ignore = ["approvals/store/migrations"]

_CACHE: dict[str, Any] = {}


def _bundled() -> Any:
    if "settings" not in _CACHE:
        _CACHE["settings"] = load_settings(year=2026)
    return _CACHE["settings"]
