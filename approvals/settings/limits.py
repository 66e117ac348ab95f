"""data/limits.toml compiled: unit words, on-the-spot and no-limit phrases, kinds of excluded time."""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass
from functools import cache

from approvals.model import DATA_DIR
from approvals.text import fold

LIMITS_FILE = DATA_DIR / "limits.toml"


WORKING, NATURAL, MONTH, HOUR = "工作日", "自然日", "月", "小时"


KINDS = (WORKING, NATURAL, MONTH, HOUR)


_CN_DIGITS = dict(zip("〇零一二三四五六七八九", [0, 0, 1, 2, 3, 4, 5, 6, 7, 8, 9], strict=True))


_CN_DIGITS |= {"两": 2} | dict(zip("壹贰叁肆伍陆柒捌玖", range(1, 10), strict=True))


_CN_POWERS = {"十": 10, "拾": 10, "百": 100, "佰": 100, "千": 1000, "仟": 1000}


_CN_NUMERAL = "[" + "".join(_CN_DIGITS) + "".join(_CN_POWERS) + "万廿卅]+"


_NUMBER = rf"[0-9]+(?:\.[0-9]+)?|{_CN_NUMERAL}|半"


@dataclass(frozen=True)
class _Rules:
    """The reading rules of ``data/limits.toml``, compiled."""

    text_units: dict[str, str]
    column_units: dict[str, str]
    bare_number: str
    hours_per_day: float
    immediate: frozenset[str]
    none: frozenset[str]
    none_contains: tuple[str, ...]
    none_marks: frozenset[str]
    excluded_kinds: tuple[str, ...]
    exclusion_markers: tuple[str, ...]
    prefix: re.Pattern[str]
    shape: re.Pattern[str]


def _alternation(words: list[str]) -> str:
    """A regex alternation of ``words``, longest first so "自然日" wins over "日"."""
    return "|".join(re.escape(w) for w in sorted(set(words), key=len, reverse=True))


@cache
def limit_rules() -> _Rules:
    """The rules from ``data/limits.toml``, checked and compiled once."""
    with LIMITS_FILE.open("rb") as f:
        raw = tomllib.load(f)
    text_units = {fold(k): v for k, v in raw["text_units"].items()}
    column_units = {fold(k): v for k, v in raw["column_units"].items()}
    for word, kind in [*text_units.items(), *column_units.items(), ("", raw["bare_number"])]:
        if kind not in KINDS:
            raise ValueError(f"{LIMITS_FILE}：单位“{word}”的含义“{kind}”应为 {'、'.join(KINDS)} 之一")
    phrases = raw["phrases"]
    units = _alternation(list(text_units))
    separators = _alternation([fold(s) for s in phrases["range_separators"]])
    after = _alternation([fold(s) for s in phrases["after_unit"]])
    shape = re.compile(
        rf"(?P<a>{_NUMBER})个?(?P<ha>半)?(?P<ua>{units})?"
        rf"(?:(?P<sep>{separators})(?P<b>{_NUMBER})个?(?P<hb>半)?(?P<ub>{units})?)?"
        rf"(?:{after})*(?P<rest>.*)"
    )
    prefix = re.compile(rf"^(?:{_alternation([fold(s) for s in phrases['before_number']])})+")
    return _Rules(
        text_units=text_units,
        column_units=column_units,
        bare_number=raw["bare_number"],
        hours_per_day=float(raw["hours_per_day"]),
        immediate=frozenset(fold(s) for s in phrases["immediate"]),
        none=frozenset(fold(s) for s in phrases["none"]),
        none_contains=tuple(fold(s) for s in phrases["none_contains"]),
        none_marks=frozenset(phrases["none_marks"]) | frozenset(fold(phrases["none_marks"])),
        excluded_kinds=tuple(raw["excluded"]["kinds"]),
        exclusion_markers=tuple(raw["excluded"]["exclusion_markers"]),
        prefix=prefix,
        shape=shape,
    )
