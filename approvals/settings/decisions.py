"""The decision table (data/decisions.toml): which written 处理意见 is which decision class."""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from approvals.model import DATA_DIR, DECISION_LABELS, Decision
from approvals.text import cell_text, fold

RULES_PATH = DATA_DIR / "decisions.toml"


RULE_COLUMNS = ["pattern", "match", "decision", "note"]


MATCH_LABELS: dict[str, str] = {"exact": "完全一致", "contains": "包含", "regex": "正则表达式"}


# An analyst editing the table may write the Chinese names instead of the codes.
_MATCH_CODES = {**{k: k for k in MATCH_LABELS}, **{v: k for k, v in MATCH_LABELS.items()}}


_DECISION_CODES = {
    **{str(d): str(d) for d in Decision},
    **{label: str(d) for d, label in DECISION_LABELS.items()},
}


@dataclass(frozen=True)
class _Rule:
    pattern: str  # as the analyst wrote it, reported back in the ``rule`` column
    match: str
    decision: str
    needle: str  # the folded pattern (exact / contains)
    regex: re.Pattern[str] | None


def decision_rules(path: Path | None = None) -> pd.DataFrame:
    """The decision rules as a table: ``pattern``, ``match``, ``decision``, ``note``, in file order.

    >>> rules = decision_rules()
    >>> rules.columns.tolist(), rules.loc[0, "pattern"], rules.loc[0, "decision"]
    (['pattern', 'match', 'decision', 'note'], '保留', 'retained')
    """
    with open(path or RULES_PATH, "rb") as handle:
        data = tomllib.load(handle)
    rows = [{c: str(rule.get(c, "")) for c in RULE_COLUMNS} for rule in data.get("rule", [])]
    return pd.DataFrame(rows, columns=RULE_COLUMNS).astype("str")


def _rule_errors(rules: pd.DataFrame) -> list[tuple[int, str, str, _Rule | None]]:
    """(position, column, message, compiled rule or None) for every row of the table."""
    checked: list[tuple[int, str, str, _Rule | None]] = []
    used = rules.reindex(columns=["pattern", "match", "decision"])  # the note is not needed
    for pos, row in enumerate(used.itertuples(index=False, name=None)):
        pattern, match, decision = (cell_text(v) for v in row)
        match_code = _MATCH_CODES.get(fold(match).lower(), "")
        decision_code = _DECISION_CODES.get(fold(decision).lower(), "")
        if not fold(pattern):
            checked.append((pos, "pattern", "规则的匹配文字为空，已忽略", None))
        elif not match_code:
            checked.append((pos, "match", "比较方式应为 exact / contains / regex，已忽略", None))
        elif not decision_code:
            checked.append((pos, "decision", "处理类别无法识别，已忽略", None))
        else:
            regex = None
            if match_code == "regex":
                try:
                    regex = re.compile(pattern)
                except re.error as exc:
                    checked.append((pos, "pattern", f"正则表达式有误（{exc}），已忽略", None))
                    continue
            rule = _Rule(pattern, match_code, decision_code, fold(pattern), regex)
            checked.append((pos, "", "", rule))
    return checked


def _compiled(rules: pd.DataFrame) -> tuple[dict[str, _Rule], list[_Rule]]:
    """Exact rules by folded pattern (the first of a pattern wins), then the others in order."""
    usable = [rule for *_, rule in _rule_errors(rules) if rule is not None]
    exact: dict[str, _Rule] = {}
    for rule in usable:
        if rule.match == "exact":
            exact.setdefault(rule.needle, rule)
    return exact, [rule for rule in usable if rule.match != "exact"]
