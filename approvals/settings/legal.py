"""legal_tiers.toml compiled: the tiers of legal basis in order of authority and the rules that
recognise them (the first rule that matches a source document gives its tier)."""

from __future__ import annotations

import re
from dataclasses import dataclass

from approvals.settings.values import Section
from approvals.text import fold

UNKNOWN = "unknown"  # a source no rule recognised: 待核实
NONE = "none"  # no basis written: 未填写

_PLACEHOLDER = re.compile(r"\{([A-Za-z_]+)\}")  # {place}, not a count like {4}


@dataclass(frozen=True)
class Rule:
    """One recognition rule: a pattern (or a list of full titles) and the tier it gives."""

    tier: str
    pattern: re.Pattern[str] | None
    titles: frozenset[str]
    example: str

    def matches(self, folded: str) -> bool:
        if self.pattern is not None and self.pattern.search(folded):
            return True
        return any(title in folded for title in self.titles)


@dataclass(frozen=True)
class Tiers:
    """The tiers in order of authority and the ordered recognition rules."""

    keys: tuple[str, ...]
    labels: dict[str, str]
    may_set: dict[str, bool]
    empty_words: frozenset[str]
    rules: tuple[Rule, ...]
    candidate_lists: frozenset[str] = frozenset({"行政许可"})  # lists whose weak bases are 取消 candidates

    def rank(self, key: str) -> int:
        return self.keys.index(key)

    def ordered_labels(self) -> dict[str, str]:
        """Tier key → Chinese label, in order of authority.

        >>> list(settings.legal.ordered_labels().items())[:2]
        [('law', '法律'), ('regulation', '行政法规')]
        """
        return {key: self.labels[key] for key in self.keys}

    def tier_of(self, source: str) -> str:
        """The tier key of one source document (one title with its order or document number).

        >>> settings.legal.tier_of("《中华人民共和国行政许可法》第十二条")
        'law'
        >>> settings.legal.tier_of("《种子生产经营管理办法》（农业部令第5号）"), settings.legal.tier_of("")
        ('ministry_rule', 'none')
        """
        folded = fold(source)
        if not folded or folded in self.empty_words:
            return NONE
        return next((rule.tier for rule in self.rules if rule.matches(folded)), UNKNOWN)


def _expand(pattern: str, parts: dict[str, str]) -> str:
    return _PLACEHOLDER.sub(lambda m: parts.get(m.group(1), m.group(0)), pattern)


def tiers_from(section: Section) -> Tiers:
    """The tiers and rules from the data of legal_tiers.toml, every value checked."""
    section.only("tier", "parts", "rule", "empty", "candidates")
    tier_tables = [t.only("key", "label", "may_set") for t in section.tables("tier")]
    keys = tuple(t.string("key", empty=False) for t in tier_tables)
    repeated = [k for n, k in enumerate(keys) if k in keys[:n]]
    if repeated:
        raise section.error("tier", repeated[0], "层级的 key 重复")
    for special in (UNKNOWN, NONE):
        if special not in keys:
            raise section.error("tier", special, f"缺少层级“{special}”（未识别的依据和未填写的依据需要它）")
    parts_table = section.table("parts", {})
    parts = {name: parts_table.string(name) for name, _ in parts_table.items()}
    rules = []
    for r in section.tables("rule"):
        r.only("tier", "pattern", "titles", "example")
        tier = r.choice("tier", keys)
        pattern = r.regex("pattern", _expand(r.string("pattern"), parts)) if r.has("pattern") else None
        titles = frozenset(fold(t) for t in r.strings("titles", []))
        if pattern is None and not titles:
            raise r.error("pattern", None, "每条规则需要 pattern 或 titles")
        rules.append(Rule(tier, pattern, titles, r.string("example", "")))
    return Tiers(
        keys=keys,
        labels={t.string("key"): t.string("label", empty=False) for t in tier_tables},
        may_set={t.string("key"): t.boolean("may_set") for t in tier_tables},
        empty_words=frozenset(fold(w) for w in section.table("empty", {}).only("words").strings("words", [])),
        rules=tuple(rules),
        candidate_lists=frozenset(
            section.table("candidates", {}).only("lists").strings("lists", ["行政许可"])
        ),
    )
