"""The decision table (decisions.toml): which written 处理意见 is which decision class.

The table is data the analyst sees and edits (on the 导入 screen, or in the file): an ordered list
of rules, each a pattern, how it is compared (exact / contains / regex) and the class it gives.
Exact rules are looked up first; the others are tried in order and the first match wins.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import pandas as pd

from approvals.model import DECISION_LABELS, Decision, Severity
from approvals.problems import problem, problems_frame
from approvals.settings.values import Section
from approvals.text import cell_text, fold

RULE_COLUMNS = ["pattern", "match", "decision", "note"]
MATCH_LABELS: dict[str, str] = {"exact": "完全相同", "contains": "包含", "regex": "正则表达式"}

# An analyst editing the table may write the Chinese names instead of the codes (完全一致 is
# what the table called an exact rule before).
_MATCH_CODES = {
    **{k: k for k in MATCH_LABELS},
    **{v: k for k, v in MATCH_LABELS.items()},
    "完全一致": "exact",
}
_DECISION_CODES = {
    **{str(d): str(d) for d in Decision},
    **{label: str(d) for d, label in DECISION_LABELS.items()},
}


def match_code(text: str) -> str:
    """The comparison a rule's ``match`` cell names, as its code ("" when it names none).

    >>> match_code("包含"), match_code("REGEX"), match_code("大致相同")
    ('contains', 'regex', '')
    """
    return _MATCH_CODES.get(fold(text).lower(), "")


@dataclass(frozen=True)
class Rule:
    """One usable rule of the table, compiled."""

    pattern: str  # as the analyst wrote it, reported back in the ``rule`` column
    match: str
    decision: str
    needle: str  # the folded pattern (exact / contains)
    regex: re.Pattern[str] | None


@dataclass(frozen=True, eq=False)
class DecisionRules:
    """The decision table as the analyst sees it, and compiled: exact rules by folded pattern
    (the first of a pattern wins), then the others in order."""

    table: pd.DataFrame  # pattern, match, decision, note (text), in order
    exact: Mapping[str, Rule]
    ordered: tuple[Rule, ...]

    def data(self) -> dict[str, Any]:
        """The table as the data of a decisions.toml (what a clean-up round stores)."""
        return {
            "rule": [dict(zip(RULE_COLUMNS, row, strict=True)) for row in self.table.itertuples(index=False)]
        }


def rule_checks(table: pd.DataFrame) -> list[tuple[int, str, str, Rule | None]]:
    """(position, column, message, compiled rule or None) for every row of a rule table."""
    checked: list[tuple[int, str, str, Rule | None]] = []
    used = table.reindex(columns=["pattern", "match", "decision"])  # the note is not needed
    for pos, row in enumerate(used.itertuples(index=False, name=None)):
        pattern, match, decision = (cell_text(v) for v in row)
        code = match_code(match)
        decision_code = _DECISION_CODES.get(fold(decision).lower(), "")
        if not fold(pattern):
            checked.append((pos, "pattern", "规则的匹配文字为空", None))
        elif not code:
            checked.append((pos, "match", "比较方式应为“完全相同”“包含”或“正则表达式”", None))
        elif not decision_code:
            checked.append((pos, "decision", "处理类别无法识别", None))
        else:
            regex = None
            if code == "regex":
                try:
                    regex = re.compile(pattern)
                except re.error as exc:
                    where = f"（第 {exc.pos + 1} 个字符附近）" if exc.pos is not None else ""
                    checked.append((pos, "pattern", f"正则表达式有误{where}", None))
                    continue
            checked.append((pos, "", "", Rule(pattern, code, decision_code, fold(pattern), regex)))
    return checked


def rule_problems(table: pd.DataFrame) -> pd.DataFrame:
    """Rows of a rule table that cannot be used, as problem rows (``row`` is the rule's 1-based
    position, as the analyst sees it in the table).

    >>> table = pd.DataFrame({"pattern": ["拟取消", ""], "match": ["包含", "exact"],
    ...                       "decision": ["取消", "retained"], "note": ""})
    >>> rule_problems(table)[["row", "column", "message"]].to_numpy().tolist()
    [[2, 'pattern', '规则的匹配文字为空']]
    """
    return problems_frame(
        problem(
            message,
            row=pos + 1,
            column=column,
            value=cell_text(table.iloc[pos].get(column, "")),
            severity=Severity.WARNING,
            code="decision_rule_invalid",
        )
        for pos, column, message, rule in rule_checks(table)
        if rule is None
    )


def decision_rules_of(table: pd.DataFrame) -> DecisionRules:
    """A rule table compiled; rows that cannot be used are left out (see :func:`rule_problems`)."""
    shown = table.reindex(columns=RULE_COLUMNS).fillna("").astype("str").reset_index(drop=True)
    usable = [rule for *_, rule in rule_checks(shown) if rule is not None]
    exact: dict[str, Rule] = {}
    for rule in usable:
        if rule.match == "exact":
            exact.setdefault(rule.needle, rule)
    return DecisionRules(shown, exact, tuple(rule for rule in usable if rule.match != "exact"))


def decision_rules_from(section: Section) -> DecisionRules:
    """The decision table from the data of decisions.toml; a rule that cannot be used is an error
    naming it (``rule[3].match``)."""
    section.only("rule")
    rows = []
    for rule in section.tables("rule"):
        rule.only(*RULE_COLUMNS, "examples")
        rows.append({c: rule.string(c) if c != "note" else rule.string(c, "") for c in RULE_COLUMNS})
        rule.strings("examples", [])
    if not rows:
        raise section.error("rule", None, "没有任何规则：每个处理意见都会按“未决定”计")
    table = pd.DataFrame(rows, columns=RULE_COLUMNS).astype("str")
    for pos, column, message, compiled in rule_checks(table):
        if compiled is None:
            raise section.error(f"rule[{pos + 1}].{column}", table.iloc[pos][column], message)
    return decision_rules_of(table)
