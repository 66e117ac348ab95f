"""Decision text (处理意见) → decision class and merge target.

The phrases departments write are open-ended (拟取消, 下放至县级, 合并至“XX”, 暂予保留, …), so the
mapping is a table of rules (the decision settings, decisions.toml) that the analyst sees and may
edit. Each distinct text is classified once and the result mapped back, so a column of a million
cells costs as much as its few hundred distinct phrases.
"""

from __future__ import annotations

import re

import numpy as np
import pandas as pd

from approvals.model import DECISION_LABELS, Decision
from approvals.settings.decisions import DecisionRules, Rule
from approvals.text import cell_text, fold

CLASSIFIED_COLUMNS = ["decision", "merge_target", "rule", "known", "blank"]


DECISION_MAPPING_COLUMNS = ["text", "count", "decision", "label", "merge_target", "rule", "known"]


def _distinct_texts(texts: pd.Series) -> tuple[np.ndarray, list[str]]:
    """(code per cell, distinct cells as text): the column is read once per distinct value."""
    codes, uniques = pd.factorize(texts, use_na_sentinel=False)
    return codes, [cell_text(u) for u in uniques]


def _target(match: re.Match[str]) -> str:
    if "target" not in match.re.groupindex:
        return ""
    return (match.group("target") or "").strip().strip("\"'《》")


def _classify_distinct(texts: list[str], rules: DecisionRules) -> pd.DataFrame:
    """One row per distinct text: the first rule that matches it, exact rules first."""
    folded = [fold(t) for t in texts]
    n = len(folded)
    decision = [str(Decision.UNDECIDED)] * n
    target = [""] * n
    rule_used = [""] * n
    known = [False] * n
    exact, ordered = rules.exact, rules.ordered

    def settle(i: int, rule: Rule, merge_target: str = "") -> None:
        decision[i] = rule.decision
        target[i] = merge_target if rule.decision == Decision.MERGED else ""
        rule_used[i] = rule.pattern
        known[i] = True

    pending = []
    for i, text in enumerate(folded):
        if text in exact:
            settle(i, exact[text])
        elif text:
            pending.append(i)
    for rule in ordered:
        still = []
        for i in pending:
            if rule.regex is not None:
                found = rule.regex.search(folded[i])
                if found:
                    settle(i, rule, _target(found))
                    continue
            elif rule.needle in folded[i]:
                settle(i, rule)
                continue
            still.append(i)
        pending = still
    return pd.DataFrame(
        {
            "decision": pd.Series(decision, dtype="str"),
            "merge_target": pd.Series(target, dtype="str"),
            "rule": pd.Series(rule_used, dtype="str"),
            "known": pd.Series(known, dtype="bool"),
            "blank": pd.Series([not t for t in folded], dtype="bool"),
        }
    )


def classify_decisions(texts: pd.Series, rules: DecisionRules) -> pd.DataFrame:
    """Each decision text's class, merge target and the rule that matched, aligned with ``texts``.

    Blank text is ``undecided`` with ``blank`` True; text no rule matches is ``undecided`` with
    ``known`` False, so the analyst can tell "nothing written" from "written but not understood".

    >>> texts = pd.Series(["拟取消", "合并至“建设工程规划许可”", "", "待研究"])
    >>> out = classify_decisions(texts, settings.decisions)
    >>> out["decision"].tolist()
    ['cancelled', 'merged', 'undecided', 'undecided']
    >>> out["merge_target"][1], out["known"].tolist(), out["blank"].tolist()
    ('建设工程规划许可', [True, True, False, False], [False, False, True, False])
    """
    codes, uniques = _distinct_texts(texts)
    distinct = _classify_distinct(uniques, rules)
    out = distinct.iloc[codes].reset_index(drop=True)
    out.index = texts.index
    return out[CLASSIFIED_COLUMNS]


def decision_mapping(texts: pd.Series, rules: DecisionRules) -> pd.DataFrame:
    """What the analyst is shown: each distinct text, how often it occurs and what it became.

    Unrecognised texts come first, then the most frequent, so gaps in the rules show at the top.
    Columns: text, count, decision, label (Chinese), merge_target, rule, known.
    """
    codes, uniques = _distinct_texts(texts)
    per_cell = pd.Series(np.bincount(codes, minlength=len(uniques)), index=uniques, dtype="int64")
    counts = per_cell.groupby(level=0, sort=False).sum()  # " 保留" and "保留" are one text
    distinct = _classify_distinct(list(counts.index), rules)
    frame = pd.DataFrame(
        {
            "text": pd.Series(counts.index, dtype="str"),
            "count": counts.to_numpy(dtype="int64"),
            "decision": distinct["decision"],
            "label": distinct["decision"].map(DECISION_LABELS).astype("str"),
            "merge_target": distinct["merge_target"],
            "rule": distinct["rule"],
            "known": distinct["known"],
        }
    )
    frame = frame.sort_values(["known", "count", "text"], ascending=[True, False, True])
    return frame.reset_index(drop=True)[DECISION_MAPPING_COLUMNS]
