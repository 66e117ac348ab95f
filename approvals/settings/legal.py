"""data/legal_tiers.toml compiled: the tiers of legal basis by authority and the rules recognising them."""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from approvals.model import DATA_DIR
from approvals.text import fold

TIERS_FILE = DATA_DIR / "legal_tiers.toml"


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
    """data/legal_tiers.toml: the tiers in order of authority and the ordered recognition rules."""

    keys: tuple[str, ...]
    labels: dict[str, str]
    may_set: dict[str, bool]
    empty_words: frozenset[str]
    rules: tuple[Rule, ...]

    def rank(self, key: str) -> int:
        return self.keys.index(key)

    def tier_of(self, source: str) -> str:
        """The tier key of one source document (one title with its order or document number).

        >>> tiers().tier_of("《中华人民共和国行政许可法》第十二条")
        'law'
        >>> tiers().tier_of("《种子生产经营管理办法》（农业部令第5号）"), tiers().tier_of("")
        ('ministry_rule', 'none')
        """
        folded = fold(source)
        if not folded or folded in self.empty_words:
            return NONE
        return next((rule.tier for rule in self.rules if rule.matches(folded)), UNKNOWN)


def _expand(pattern: str, parts: dict[str, str]) -> str:
    return _PLACEHOLDER.sub(lambda m: parts.get(m.group(1), m.group(0)), pattern)


@cache
def tiers(path: Path = TIERS_FILE) -> Tiers:
    """The tiers and rules, read once per file."""
    raw = tomllib.loads(path.read_text(encoding="utf-8"))
    keys = tuple(t["key"] for t in raw["tier"])
    for special in (UNKNOWN, NONE):
        if special not in keys:
            raise ValueError(f"{path.name} 缺少层级“{special}”")
    parts = {name: str(value) for name, value in raw.get("parts", {}).items()}
    rules = []
    for r in raw["rule"]:
        if r["tier"] not in keys:
            raise ValueError(f"{path.name} 中的规则指向未定义的层级“{r['tier']}”")
        pattern = re.compile(_expand(r["pattern"], parts)) if "pattern" in r else None
        titles = frozenset(fold(t) for t in r.get("titles", []))
        rules.append(Rule(r["tier"], pattern, titles, r.get("example", "")))
    return Tiers(
        keys=keys,
        labels={t["key"]: t["label"] for t in raw["tier"]},
        may_set={t["key"]: bool(t["may_set"]) for t in raw["tier"]},
        empty_words=frozenset(fold(w) for w in raw.get("empty", {}).get("words", [])),
        rules=tuple(rules),
    )


def tier_labels() -> dict[str, str]:
    """Tier key → Chinese label, in order of authority.

    >>> list(tier_labels().items())[:2]
    [('law', '法律'), ('regulation', '行政法规')]
    """
    t = tiers()
    return {key: t.labels[key] for key in t.keys}
