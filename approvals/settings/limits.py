"""limits.toml compiled: unit words, on-the-spot and no-limit phrases, kinds of excluded time."""

from __future__ import annotations

import re
from dataclasses import dataclass

from approvals.settings.values import Section
from approvals.text import fold

WORKING, NATURAL, MONTH, HOUR = "工作日", "自然日", "月", "小时"
KINDS = (WORKING, NATURAL, MONTH, HOUR)

CN_DIGITS = dict(zip("〇零一二三四五六七八九", [0, 0, 1, 2, 3, 4, 5, 6, 7, 8, 9], strict=True))
CN_DIGITS |= {"两": 2} | dict(zip("壹贰叁肆伍陆柒捌玖", range(1, 10), strict=True))
CN_POWERS = {"十": 10, "拾": 10, "百": 100, "佰": 100, "千": 1000, "仟": 1000}
_CN_NUMERAL = "[" + "".join(CN_DIGITS) + "".join(CN_POWERS) + "万廿卅]+"
_NUMBER = rf"[0-9]+(?:\.[0-9]+)?|{_CN_NUMERAL}|半"


@dataclass(frozen=True)
class LimitRules:
    """The reading rules of limits.toml, compiled."""

    text_units: dict[str, str]
    column_units: dict[str, str]
    bare_number: str
    hours_per_day: float
    maximum_days: float  # a limit above it (in working days) is a slip of the pen, not a limit
    immediate: frozenset[str]
    none: frozenset[str]
    none_contains: tuple[str, ...]
    none_marks: frozenset[str]
    excluded_kinds: tuple[str, ...]
    exclusion_markers: tuple[str, ...]
    step_kinds: tuple[str, ...]  # step names whose time the limit does not count (专家评审, 公示, …)
    prefix: re.Pattern[str]
    shape: re.Pattern[str]


def _alternation(words: list[str]) -> str:
    """A regex alternation of ``words``, longest first so "自然日" wins over "日"."""
    return "|".join(re.escape(w) for w in sorted(set(words), key=len, reverse=True))


def _units(section: Section, name: str) -> dict[str, str]:
    table = section.table(name)
    return {fold(word): table.choice(word, KINDS) for word, _ in table.items()}


def limit_rules_from(section: Section) -> LimitRules:
    """The limit-reading rules from the data of limits.toml, every value checked."""
    section.only(
        "hours_per_day", "maximum_days", "bare_number", "text_units", "column_units", "phrases", "excluded"
    )
    text_units = _units(section, "text_units")
    column_units = _units(section, "column_units")
    phrases = section.table("phrases").only(
        "immediate", "none", "none_contains", "none_marks", "before_number", "after_unit", "range_separators"
    )
    units = _alternation(list(text_units))
    separators = _alternation([fold(s) for s in phrases.strings("range_separators")])
    after = _alternation([fold(s) for s in phrases.strings("after_unit")])
    shape = re.compile(
        rf"(?P<a>{_NUMBER})个?(?P<ha>半)?(?P<ua>{units})?"
        rf"(?:(?P<sep>{separators})(?P<b>{_NUMBER})个?(?P<hb>半)?(?P<ub>{units})?)?"
        rf"(?:{after})*(?P<rest>.*)"
    )
    prefix = re.compile(rf"^(?:{_alternation([fold(s) for s in phrases.strings('before_number')])})+")
    marks = phrases.string("none_marks")
    excluded = section.table("excluded").only("kinds", "exclusion_markers", "step_kinds")
    return LimitRules(
        text_units=text_units,
        column_units=column_units,
        bare_number=section.choice("bare_number", KINDS),
        hours_per_day=section.number("hours_per_day", minimum=1, maximum=24),
        maximum_days=section.number("maximum_days", 3650, minimum=1, maximum=100_000),
        immediate=frozenset(fold(s) for s in phrases.strings("immediate")),
        none=frozenset(fold(s) for s in phrases.strings("none")),
        none_contains=tuple(fold(s) for s in phrases.strings("none_contains")),
        none_marks=frozenset(marks) | frozenset(fold(marks)),
        excluded_kinds=excluded.strings("kinds"),
        exclusion_markers=excluded.strings("exclusion_markers"),
        step_kinds=excluded.strings("step_kinds", []),
        prefix=prefix,
        shape=shape,
    )
