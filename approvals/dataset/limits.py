"""Time-limit text → working days, unit and note, vectorised over a column.

Departments write limits as "20个工作日", "二十个工作日", "２０", "30天", "即办", "法律未规定",
"15个工作日（不含专家评审时间）" or, in platform exports, as a number beside a unit column.
Everything is turned into working days, the unit of the Administrative Licensing Law
(Art. 82), so limits can be averaged: natural days, months and hours are converted with
the year's working-day calendar and flagged ``converted``. The unit words, the phrases for
"on the spot" and "no limit", and the kinds of excluded time are the limit settings
(limits.toml).
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from approvals.model import LimitStatus
from approvals.settings import Settings
from approvals.settings.limits import CN_DIGITS, CN_POWERS, HOUR, MONTH, NATURAL, WORKING, LimitRules
from approvals.text import cell_text, fold

IMMEDIATE_UNIT = "即办"


LIMIT_RESULT_COLUMNS = ["days", "status", "unit", "note", "excluded", "converted", "message", "absurd"]


_NOTE_SEPARATORS = "，,；;。.、:："


_FULL_WIDTH = str.maketrans({",": "，", ";": "；", ":": "：", "(": "（", ")": "）"})


_CLAUSE_BREAK = re.compile("[，,；;。]")


_BRACKETED = re.compile(r"\(([^()]*)\)|\[([^\[\]]*)\]")


_LONGEST_NUMERAL = 100


RANGE_NOTE = "原文为区间“{span}”，按上限{upper}计"
UNIT_COLUMN_NOTE = "单位列为“{column}”，时限写作“{text}”，按单位列计"


def _template_pattern(template: str) -> re.Pattern[str]:
    parts = re.split(r"\{\w+\}", template)
    return re.compile(".+?".join(re.escape(p) for p in parts))


READING_NOTES = {"range": _template_pattern(RANGE_NOTE), "unit": _template_pattern(UNIT_COLUMN_NOTE)}
"""What the reader adds to a limit's note (a range read by its upper end, a unit column that
overrode the text), as patterns that tell such a part from a department's own note."""


@dataclass(frozen=True)
class Limit:
    """One parsed limit: working days (NaN unless ``status`` is "value") and what was read."""

    days: float
    status: LimitStatus
    unit: str = ""
    note: str = ""
    excluded: str = ""
    converted: bool = False
    message: str = ""
    absurd: bool = False  # read as a number, but negative, endless or above the plausible maximum


def chinese_number(text: str) -> int | None:
    """The value of a Chinese numeral ("一百二十", "十五", "两", "一〇"), None if malformed.

    >>> chinese_number("一百零五"), chinese_number("十五"), chinese_number("两"), chinese_number("二〇")
    (105, 15, 2, 20)
    """
    text = text.replace("廿", "二十").replace("卅", "三十")
    if not text:
        return None
    if len(text) > 1 and all(c in CN_DIGITS for c in text):
        return int("".join(str(CN_DIGITS[c]) for c in text))
    total, section, digit = 0, 0, None
    for c in text:
        if c in CN_DIGITS:
            digit = CN_DIGITS[c]
        elif c in CN_POWERS:
            section += (1 if digit is None else digit) * CN_POWERS[c]
            digit = None
        elif c == "万":
            total += (section + (digit or 0) or 1) * 10_000
            section, digit = 0, None
        else:
            return None
    return total + section + (digit or 0)


def _number(token: str, half: str | None) -> float | None:
    if token == "半":
        value: float | None = 0.5
    elif token[0].isascii():
        value = float(token)  # a 400-digit number is inf, refused as absurd afterwards
    elif len(token) > _LONGEST_NUMERAL:
        value = math.inf  # nothing a clerk writes in Chinese numerals is this long
    else:
        value = chinese_number(token)
    if value is None:
        return None
    try:
        return float(value) + (0.5 if half else 0.0)
    except OverflowError:
        return math.inf


def _split_notes(text: str) -> tuple[str, list[str]]:
    """The text outside brackets and the bracketed notes; an unclosed bracket opens a note."""
    notes = [a or b for a, b in _BRACKETED.findall(text)]
    main = _BRACKETED.sub("", text)
    for opener in "([":
        if opener in main:
            main, tail = main.split(opener, 1)
            notes.append(tail)
    main = main.replace(")", "").replace("]", "")
    return main.strip(_NOTE_SEPARATORS), [n.strip(_NOTE_SEPARATORS) for n in notes if n.strip()]


def _joined(notes: list[str]) -> str:
    """Notes as one text, with the full-width punctuation the analyst typed (folding removed it)."""
    return "；".join(notes).translate(_FULL_WIDTH)


def _excluded(notes: list[str], rules: LimitRules) -> str:
    """The kinds of time a note says the limit does not count ("不含专家评审时间" → 专家评审)."""
    found: list[str] = []
    for note in notes:
        for clause in _CLAUSE_BREAK.split(note):
            if any(marker in clause for marker in rules.exclusion_markers):
                found += [k for k in rules.excluded_kinds if k in clause and k not in found]
    return ",".join(found)


def _invalid(text: str, notes: list[str], message: str = "") -> Limit:
    text = text if len(text) <= 40 else text[:40] + "…"  # the problem row's value holds it all
    message = message or f"无法识别的办结时限“{text}”：应写作天数（如“20个工作日”）、“即办”或“法律未规定”"
    return Limit(math.nan, LimitStatus.INVALID, note=_joined(notes), message=message)


def _absurd(shown: str, days: float, notes: list[str], rules: LimitRules) -> Limit | None:
    """The refusal of a limit that reads as ``days`` working days but cannot be one: negative,
    too large to compute, or above the plausible maximum (limits.toml ``maximum_days``).

    >>> rules = settings.limits
    >>> _absurd("20", 20.0, [], rules) is None, _absurd("三百六十五万", 3_650_000.0, [], rules).absurd
    (True, True)
    """
    if math.isfinite(days) and 0 <= days <= rules.maximum_days:
        return None
    most = f"{rules.maximum_days:g}"
    if not math.isfinite(days) or days > 1e12:
        why = "数字过大，无法计算"
    elif days < 0:
        why = "为负数"
    else:
        why = f"折合{days:,.0f}个工作日，超过合理上限{most}个工作日"
    short = shown if len(shown) <= 40 else shown[:40] + "…"
    message = f"办结时限“{short}”{why}，不像真实的时限，未计入时限统计；请核对（上限可在时限设置中调整）"
    return Limit(math.nan, LimitStatus.INVALID, note=_joined(notes), message=message, absurd=True)


def _parse_cell(raw_text: Any, raw_unit: Any, rules: LimitRules, factors: dict[str, float]) -> Limit:
    """One cell (and its unit-column cell, if any) read as a limit in working days."""
    shown = cell_text(raw_text)
    text = fold(shown)
    if not text:
        return Limit(math.nan, LimitStatus.BLANK)
    if set(text) <= rules.none_marks:
        return Limit(math.nan, LimitStatus.NONE)
    main, notes = _split_notes(text)
    if not main and notes:
        main, notes = notes[0], notes[1:]
    core = rules.prefix.sub("", main) or main
    if core in rules.none or (not re.search("[0-9]", core) and any(p in core for p in rules.none_contains)):
        return Limit(math.nan, LimitStatus.NONE, note=_joined(notes))
    if core in rules.immediate:
        return Limit(
            0.0, LimitStatus.VALUE, unit=IMMEDIATE_UNIT, note=_joined(notes), excluded=_excluded(notes, rules)
        )

    match = rules.shape.fullmatch(core)
    if match is None:
        return _invalid(shown, notes)
    rest = match["rest"].strip(_NOTE_SEPARATORS)
    text_unit = match["ub"] or match["ua"]
    if rest:
        starts_clause = match["rest"][0] in _NOTE_SEPARATORS
        if not (starts_clause or (text_unit and not re.search("[0-9]", rest))):
            return _invalid(shown, notes)
        notes.append(rest)
    value = _number(match["a"], match["ha"])
    if match["b"] is not None:
        upper = _number(match["b"], match["hb"])
        if value is None or upper is None:
            return _invalid(shown, notes)
        if match["ua"] and match["ub"] and (rules.text_units[match["ua"]] != rules.text_units[match["ub"]]):
            return _invalid(shown, notes, f"办结时限“{shown}”区间两端的单位不一致")
        span = core[match.start("a") : match.start("rest")]
        value = max(value, upper)
        notes.append(RANGE_NOTE.format(span=span, upper=cell_text(value)))
    if value is None:
        return _invalid(shown, notes)

    unit_word = fold(cell_text(raw_unit)).lstrip("个")
    if unit_word:
        kind = rules.column_units.get(unit_word)
        if kind is None:
            known = "、".join(rules.column_units)
            return _invalid(shown, notes, f"无法识别的时限单位“{unit_word}”（可用：{known}）")
        if unit_word.isdigit():  # a platform's unit code: shown as what it means
            unit_word = kind
        if text_unit and rules.text_units[text_unit] != kind:
            notes.append(UNIT_COLUMN_NOTE.format(column=unit_word, text=text_unit))
    else:
        unit_word = text_unit or ""
        kind = rules.text_units[text_unit] if text_unit else rules.bare_number
    refused = _absurd(shown, value * factors[kind], notes, rules)
    if refused is not None:
        return refused
    return Limit(
        days=value * factors[kind],
        status=LimitStatus.VALUE,
        unit=unit_word,
        note=_joined(notes),
        excluded=_excluded(notes, rules),
        converted=kind != WORKING,
    )


def unit_factors(settings: Settings) -> dict[str, float]:
    """Working days per unit of each kind (工作日, 自然日, 月, 小时) in the settings' year.

    >>> factors = unit_factors(settings)
    >>> factors["工作日"], round(factors["自然日"], 6) == round(248 / 365, 6), factors["小时"]
    (1.0, True, 0.125)
    """
    cal, year = settings.calendar, settings.year
    return {
        WORKING: 1.0,
        NATURAL: cal.working_day_ratio(year),
        MONTH: cal.workdays_in_year(year) / 12,
        HOUR: 1.0 / settings.limits.hours_per_day,
    }


def parse_limit(text: Any, unit: Any = None, *, settings: Settings) -> Limit:
    """One limit cell as working days; see :func:`parse_limits` for the rules.

    Natural days convert by the year's working days per calendar day (248/365 in 2026).

    >>> def days(text, unit=None):
    ...     return parse_limit(text, unit, settings=settings).days
    >>> days("二十个工作日"), days("即办"), parse_limit("无", settings=settings).status
    (20.0, 0.0, <LimitStatus.NONE: 'none'>)
    >>> limit = parse_limit("15个工作日（不含专家评审时间）", settings=settings)
    >>> limit.days, limit.note, limit.excluded
    (15.0, '不含专家评审时间', '专家评审')
    >>> round(days(30, "自然日"), 4), round(30 * 248 / 365, 4)
    (20.3836, 20.3836)
    """
    return _parse_cell(text, unit, settings.limits, unit_factors(settings))


def parse_limits(
    texts: pd.Series,
    units: pd.Series | None = None,
    *,
    settings: Settings,
) -> pd.DataFrame:
    """A column of limit cells as working days, one row per cell, index aligned with ``texts``.

    Columns: ``days`` (working days, NaN unless ``status`` is "value"), ``status``
    (LimitStatus: value / none / blank / invalid), ``unit`` (the unit as written, "即办"
    for on-the-spot handling), ``note`` (bracketed and trailing remarks), ``excluded``
    (kinds of time the note leaves out of the limit, comma-joined), ``converted`` (natural
    days, months or hours turned into working days) and ``message`` (why a cell is invalid).

    In free text "日", "天" and a bare number are working days (Administrative Licensing
    Law Art. 82). ``units`` is a platform export's unit column; where it is filled it
    governs the number, and there "日" / "天" are natural days. Conversion uses the calendar of
    the settings' year: natural days × working days / calendar days, months × working days / 12,
    hours / 8; a year without a holiday schedule counts weekends only (the dataset reports it).
    Each distinct (text, unit) pair is parsed once.

    Example: 30 natural days in 2026 are 30 × 248 / 365 working days.

    >>> frame = parse_limits(pd.Series(["20个工作日", "30", "法律未规定"]),
    ...                      pd.Series(["", "自然日", ""]), settings=settings)
    >>> frame["days"].round(2).tolist(), frame["status"].tolist()
    ([20.0, 20.38, nan], ['value', 'value', 'none'])
    """
    if not isinstance(texts, pd.Series):
        texts = pd.Series(texts)
    rules = settings.limits
    factors = unit_factors(settings)

    if texts.dtype == object:  # factorize takes True for 1: an Excel boolean is no number of days
        texts = texts.map(lambda v: cell_text(v) if isinstance(v, bool | np.bool_) else v)
    text_codes, text_values = pd.factorize(texts, use_na_sentinel=True)
    if units is None:
        unit_codes, unit_values = np.full(len(texts), -1, dtype=np.int64), pd.Index([])
    else:
        if not isinstance(units, pd.Series):
            units = pd.Series(units, index=texts.index)
        if not units.index.equals(texts.index):
            units = units.reindex(texts.index)
        unit_codes, unit_values = pd.factorize(units, use_na_sentinel=True)
    width = len(unit_values) + 1
    pairs = (text_codes.astype(np.int64) + 1) * width + (unit_codes.astype(np.int64) + 1)
    pair_codes, distinct = pd.factorize(pairs)

    parsed = []
    for pair in distinct:
        t, u = divmod(int(pair), width)
        raw_text = text_values[t - 1] if t else None
        raw_unit = unit_values[u - 1] if u else None
        parsed.append(_parse_cell(raw_text, raw_unit, rules, factors))

    def column(values: list[Any], dtype: str) -> Any:
        return pd.array(values, dtype=dtype).take(pair_codes)

    frame = pd.DataFrame(
        {
            "days": np.array([p.days for p in parsed], dtype="float64")[pair_codes],
            "status": column([str(p.status) for p in parsed], "str"),
            "unit": column([p.unit for p in parsed], "str"),
            "note": column([p.note for p in parsed], "str"),
            "excluded": column([p.excluded for p in parsed], "str"),
            "converted": np.array([p.converted for p in parsed], dtype=bool)[pair_codes],
            "message": column([p.message for p in parsed], "str"),
            "absurd": np.array([p.absurd for p in parsed], dtype=bool)[pair_codes],
        },
        index=texts.index,
    )
    return frame
