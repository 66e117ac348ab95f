"""redesign.toml compiled: step kinds, approval levels, each rule's title and thresholds, material words.

The rules themselves are code (approvals.redesign.rules); what they look for is data here: which
words make a step a review or a pass-through, which words name an approval level, and each rule's
Chinese title and thresholds, read under ``[rules.<key>]``.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from approvals.settings.values import Section
from approvals.text import fold

# Each rule's thresholds: name → kind of value. Every rule has a section with its title.
RULE_THRESHOLDS: dict[str, dict[str, str]] = {
    "repeated_review": {},
    "serial_reviews": {"min_steps": "count", "kinds": "kinds"},
    "signoff_chain": {"levels": "count", "keep_levels": "count", "kinds": "kinds"},
    "pass_through": {"min_days": "days"},
    "no_step_basis": {},
    "instant": {},
    "repeated_material": {},
    "path_over_limit": {},
    "outside_over_limit": {},
    "committed_above_statutory": {},
    "no_speedup": {},
    "shared_material": {},
    "legal_basis": {},
    "merge_candidate": {"shown_from": "score"},
}
# Merge candidates are listed apart from the flags (their own tab and JSON key); their section of
# [rules] holds their title and the score the screen shows them from.
MERGE_RULE = "merge_candidate"

# A bracketed remark in a step name: 审核（科长）, 签发【局长】 (folded: （ is already "(").
_BRACKETED = re.compile(r"[(\[【〔]([^()\[\]【】〔〕]+)[)\]】〕]")


@dataclass(frozen=True)
class RuleSettings:
    """One rule's title and thresholds."""

    key: str
    title: str
    thresholds: Mapping[str, Any]

    def __getitem__(self, name: str) -> Any:
        return self.thresholds[name]


@dataclass(frozen=True)
class StepKind:
    """A kind of step (受理, 审查, 流转, …) and the words of its names."""

    key: str
    label: str
    exact: frozenset[str]
    contains: tuple[str, ...]


@dataclass(frozen=True)
class RedesignRules:
    """Step kinds, approval levels, the rules' titles and thresholds, material words."""

    kinds: tuple[StepKind, ...]
    levels: tuple[tuple[str, int], ...]
    rules: Mapping[str, RuleSettings]
    material_separators: re.Pattern[str]
    shared_materials: tuple[str, ...]

    def kind_of(self, name: str) -> str:
        """The kind of a step by its name ("other" when none matches).

        >>> rules = settings.redesign
        >>> rules.kind_of("合法性审查"), rules.kind_of("转办"), rules.kind_of("打印")
        ('review', 'passthrough', 'other')

        A post in brackets is not part of the name: "审核（审批科科长）" is a check, not an approval.

        >>> rules.kind_of("审核（审批科科长）"), rules.kind_of("签发（局长）")
        ('check', 'approve')
        """
        folded = self._without_post(fold(name))
        for kind in self.kinds:
            if folded in kind.exact:
                return kind.key
        for kind in self.kinds:
            if any(word in folded for word in kind.contains):
                return kind.key
        return "other"

    def level_of(self, who: str) -> int:
        """The approval level of a person or office (0 when unknown).

        >>> rules = settings.redesign
        >>> rules.level_of("分管副局长"), rules.level_of("副科长"), rules.level_of("局长")
        (3, 2, 4)
        """
        folded = fold(who)
        return next((level for word, level in self.levels if word in folded), 0)

    def post_in_name(self, name: str) -> str:
        """The post a step name writes in brackets ("审核（科长）" → "科长"), "" where no bracket
        names an approval level (a remark such as "（必要时）" names no post).

        >>> rules = settings.redesign
        >>> rules.post_in_name("审批（分管领导）"), rules.post_in_name("签发【局长】")
        ('分管领导', '局长')
        >>> rules.post_in_name("现场勘查（必要时）"), rules.post_in_name("初审")
        ('', '')
        """
        for found in _BRACKETED.finditer(fold(name)):
            if self.level_of(found.group(1)):
                return found.group(1)
        return ""

    def _without_post(self, folded: str) -> str:
        """A folded step name without the bracket that names its post."""
        post = self.post_in_name(folded)
        if not post:
            return folded
        return _BRACKETED.sub(lambda m: "" if m.group(1) == post else m.group(0), folded)

    def title(self, rule: str) -> str:
        """A rule's Chinese title, e.g. ``title("pass_through") == "只流转不决定的环节"``."""
        return self.rules[rule].title


def _threshold(section: Section, name: str, kind: str, kinds: tuple[str, ...]) -> Any:
    if kind == "count":
        return section.integer(name, minimum=1)
    if kind == "days":
        return section.number(name, minimum=0)
    if kind == "score":  # a stored round's settings may predate it: then every candidate shows
        return section.number(name, 0, minimum=0, maximum=100)
    chosen = section.strings(name)
    for key in chosen:
        if key not in kinds:
            raise section.error(name, key, f"不是环节类别，应为 {'、'.join(kinds)} 之一")
    return chosen


def redesign_rules_from(section: Section) -> RedesignRules:
    """The redesign settings from the data of redesign.toml, every value checked."""
    section.only("kind", "approval", "rules", "materials")
    kinds = tuple(
        StepKind(
            key=k.string("key", empty=False),
            label=k.string("label", empty=False),
            exact=frozenset(fold(w) for w in k.strings("exact", [])),
            contains=tuple(fold(w) for w in k.strings("contains", [])),
        )
        for k in (t.only("key", "label", "exact", "contains") for t in section.tables("kind"))
    )
    keys = tuple(k.key for k in kinds)
    approval = section.table("approval").only("levels")
    written = approval.get("levels")
    if not isinstance(written, list):
        raise approval.error("levels", written, '应为方括号中的若干项，每一项写作 ["称谓", 层级]')
    levels = []
    for n, pair in enumerate(written, start=1):
        word, level = pair if isinstance(pair, list) and len(pair) == 2 else (None, None)
        if not isinstance(word, str) or isinstance(level, bool) or not isinstance(level, int) or level < 1:
            raise approval.error(f"levels[{n}]", pair, '每一项应写作 ["称谓", 层级]，层级为正整数')
        levels.append((fold(word), int(level)))
    table = section.table("rules")
    rules = {}
    for key, thresholds in RULE_THRESHOLDS.items():
        rule = table.table(key)
        unknown = sorted(set(rule.data) - {"title", *thresholds})
        if unknown:
            raise rule.error(
                unknown[0],
                rule.data[unknown[0]],
                f"不是这条规则的设置项（可用：title、{'、'.join(thresholds) or '无'}）",
            )
        values = {name: _threshold(rule, name, kind, keys) for name, kind in thresholds.items()}
        rules[key] = RuleSettings(key, rule.string("title", empty=False), values)
    extra = sorted(set(table.data) - set(RULE_THRESHOLDS))
    if extra:
        raise table.error(extra[0], extra[0], f"没有这条规则（可用：{'、'.join(RULE_THRESHOLDS)}）")
    materials = section.table("materials").only("separators", "shared")
    return RedesignRules(
        kinds=kinds,
        levels=tuple(levels),
        rules=rules,
        material_separators=materials.regex("separators"),
        shared_materials=materials.strings("shared"),
    )
