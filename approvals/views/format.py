"""Figures as the analyst reads them: rates rounded only for display, days, pass/fail words, and
time limits in the one wording the published catalogs print."""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, NamedTuple

import pandas as pd

from approvals.dataset.limits import IMMEDIATE_UNIT, READING_NOTES, unit_factors
from approvals.model import LimitStatus, limit_columns
from approvals.settings import Settings
from approvals.settings.export import LimitWords
from approvals.settings.limits import WORKING
from approvals.text import fold


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


class ParsedLimit(NamedTuple):
    """One limit as the items table holds it (``<prefix>_text``, ``_days``, ``_status``, ``_unit``,
    ``_note``, ``_converted``)."""

    text: str
    days: float
    status: str
    unit: str
    note: str
    converted: bool


@dataclass(frozen=True)
class LimitWording:
    """What printing limits in one wording needs: export.toml's words, the working days of each
    unit in the settings' year, and the reader's unit words (limits.toml)."""

    words: LimitWords
    factors: Mapping[str, float]  # unit kind → working days
    column_units: Mapping[str, str]
    text_units: Mapping[str, str]
    bare_number: str


def limit_wording(settings: Settings) -> LimitWording:
    """The limit wording of ``settings``."""
    rules = settings.limits
    return LimitWording(
        words=settings.export.limits,
        factors=unit_factors(settings),
        column_units=rules.column_units,
        text_units=rules.text_units,
        bare_number=rules.bare_number,
    )


def figure(value: float) -> str:
    """A number of a limit as printed: whole numbers without decimals, others to two at most.

    >>> figure(9.0), figure(0.5), figure(20.000000001), figure(1.125)
    ('9', '0.5', '20', '1.12')
    """
    rounded = round(float(value), 2)
    if rounded == round(rounded):
        return str(round(rounded))
    return f"{rounded:.2f}".rstrip("0").rstrip(".")


def _unit_kind(limit: ParsedLimit, wording: LimitWording) -> str | None:
    """The kind of unit the reader counted the limit in; None where the unit word does not say."""
    if not limit.converted:
        return WORKING
    if not limit.unit:
        return wording.bare_number if wording.bare_number != WORKING else None
    for table in (wording.column_units, wording.text_units):
        kind = table.get(limit.unit)
        if kind is not None and kind != WORKING:
            return kind
    return None


def limit_text(limit: ParsedLimit, prefix: str, wording: LimitWording) -> str:
    """A limit in the catalog's wording, from what the reader made of it: "9个工作日", "即办",
    "法律未规定", natural days as "30个自然日", months and hours in their own unit, the
    department's note after the figure in brackets. A cell that could not be read, or that gave
    a range, keeps its original text (a range whose unit a unit column gave is printed as its
    upper end in that unit, as it was counted); the reader's own remarks (a unit column that overrode the
    text) are not printed. ``prefix`` is statutory, original or committed.

    Natural days, months and hours were converted to working days when read; the figure printed
    is the one written: working days ÷ the working days of one unit in the year.

    >>> from approvals.dataset.limits import parse_limit
    >>> wording = limit_wording(settings)
    >>> def shown(text, unit=None, prefix="statutory"):
    ...     read = parse_limit(text, unit, settings=settings)
    ...     limit = ParsedLimit(text, read.days, read.status, read.unit, read.note, read.converted)
    ...     return limit_text(limit, prefix, wording)
    >>> shown("９个工作日"), shown("6"), shown("九个工作日"), shown("30天"), shown("当场办结")
    ('9个工作日', '6个工作日', '9个工作日', '30个工作日', '即办')
    >>> shown("30个自然日"), shown("30", "天"), shown("三个月"), shown("4小时"), shown("无")
    ('30个自然日', '30个自然日', '3个月', '4小时', '法律未规定')
    >>> shown("15个工作日（不含专家评审时间）"), shown("5-10个工作日"), shown("视情况而定")
    ('15个工作日（不含专家评审时间）', '5-10个工作日', '视情况而定')
    >>> shown("5-10", "自然日"), shown("0-177月", "工作日")
    ('10个自然日', '177个工作日')
    >>> shown("无", prefix="committed"), shown("")
    ('无', '')
    """
    words = wording.words
    status = str(limit.status)
    if status == LimitStatus.BLANK:
        return ""
    if status not in (LimitStatus.VALUE, LimitStatus.NONE):  # unreadable: quoted as written
        return limit.text
    parts = [part for part in str(limit.note).split("；") if part]
    overridden = any(READING_NOTES["unit"].fullmatch(part) for part in parts)
    own = [
        part
        for part in parts
        if not READING_NOTES["unit"].fullmatch(part) and not READING_NOTES["range"].fullmatch(part)
    ]
    note = f"（{'；'.join(own)}）" if own else ""
    if any(READING_NOTES["range"].fullmatch(part) for part in parts):
        # A range is quoted as written, unless a unit column gave its unit: then the text alone
        # would say another unit (or none), so the upper end it was counted by is printed.
        from_column = overridden or bool(limit.unit and limit.unit not in fold(str(limit.text)))
        kind = _unit_kind(limit, wording) if from_column else None
        if kind is None or missing(limit.days):
            return limit.text
        return words.units[kind].replace("{n}", figure(float(limit.days) / wording.factors[kind])) + note
    if status == LimitStatus.NONE:
        return words.none.get(prefix, words.none["committed"]) + note
    if limit.unit == IMMEDIATE_UNIT:
        return words.immediate + note
    kind = _unit_kind(limit, wording)
    if kind is None or missing(limit.days):
        return limit.text
    return words.units[kind].replace("{n}", figure(float(limit.days) / wording.factors[kind])) + note


def limit_texts(items: pd.DataFrame, prefix: str, wording: LimitWording) -> pd.Series:
    """:func:`limit_text` of one limit of every item (index aligned), worked out once per distinct
    limit: a province's 1.6 million items write a few thousand different ones."""
    columns = limit_columns(prefix)
    frame = items[columns].reset_index(drop=True)
    distinct = frame.drop_duplicates()
    shown = [limit_text(ParsedLimit(*row), prefix, wording) for row in distinct.itertuples(index=False)]
    lookup = distinct.assign(_shown=pd.Series(shown, index=distinct.index, dtype="str"))
    out = frame.merge(lookup, on=columns, how="left", sort=False)["_shown"]
    return pd.Series(out.to_numpy(), index=items.index, dtype="str", name=f"{prefix}_text")
