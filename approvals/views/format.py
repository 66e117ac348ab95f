"""Figures as the analyst reads them: rates rounded only for display, days, pass/fail words."""

from __future__ import annotations

import math
from typing import Any


def missing(value: Any) -> bool:
    """True for None, NaN and pandas' NA: a figure that does not exist."""
    if value is None:
        return True
    try:
        return bool(value != value) or (isinstance(value, float) and math.isnan(value))
    except TypeError:  # pandas.NA refuses comparison
        return True


def percent(value: Any, digits: int = 2) -> str:
    """A fraction as a percentage; "—" where the figure does not exist.

    >>> percent(0.5318066), percent(None), percent(float("nan")), percent(0.3, 0)
    ('53.18%', '—', '—', '30%')
    """
    return "—" if missing(value) else f"{float(value) * 100:.{digits}f}%"


def days(value: Any, digits: int = 2) -> str:
    """A number of working days for display.

    >>> days(19.8886), days(None)
    ('19.89', '—')
    """
    return "—" if missing(value) else f"{float(value):.{digits}f}"


def met(value: Any) -> str:
    """达标 / 未达标 / — (no target or no figure)."""
    if missing(value):
        return "—"
    return "达标" if value else "未达标"
