"""Decision text (处理意见) → decision class and merge target, and how each item counts.

The phrases departments write are open-ended (拟取消, 下放至县级, 合并至“XX”, 暂予保留, …), so the
mapping is a table of rules (data/decisions.toml) that the analyst sees and may edit. Each distinct
text is classified once and the result mapped back, so a column of a million cells costs as much as
its few hundred distinct phrases.
"""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

from approvals.model import DATA_DIR, DECISION_LABELS, Counts, Decision, Severity
from approvals.problems import problem, problems_frame
from approvals.text import cell_text, fold

RULES_PATH = DATA_DIR / "decisions.toml"
RULE_COLUMNS = ["pattern", "match", "decision", "note"]
MATCH_LABELS: dict[str, str] = {"exact": "完全一致", "contains": "包含", "regex": "正则表达式"}
CLASSIFIED_COLUMNS = ["decision", "merge_target", "rule", "known", "blank"]
DECISION_MAPPING_COLUMNS = ["text", "count", "decision", "label", "merge_target", "rule", "known"]

# An analyst editing the table may write the Chinese names instead of the codes.
_MATCH_CODES = {**{k: k for k in MATCH_LABELS}, **{v: k for k, v in MATCH_LABELS.items()}}
_DECISION_CODES = {
    **{str(d): str(d) for d in Decision},
    **{label: str(d) for d, label in DECISION_LABELS.items()},
}
_STREAMLINED = [str(Decision.CANCELLED), str(Decision.DELEGATED), str(Decision.CHANGED)]
_ROLE_NAMES = np.array([str(Counts.RETAINED), str(Counts.STREAMLINED), str(Counts.UNDECIDED)], dtype=object)
_RETAINED, _STREAMLINED_CODE, _UNDECIDED = 0, 1, 2
# Quotes and title marks around a name do not make it another item.
_NAME_MARKS = str.maketrans("", "", "\"'《》<>")


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


def rule_problems(rules: pd.DataFrame) -> pd.DataFrame:
    """Rows of the rule table that cannot be used (the problems table); they are skipped.

    ``row`` is the rule's 1-based position in the table, as the analyst sees it.
    """
    rows = [
        problem(
            message,
            row=pos + 1,
            column=column,
            value=cell_text(rules.iloc[pos].get(column, "")),
            severity=Severity.WARNING,
            code="decision_rule_invalid",
        )
        for pos, column, message, rule in _rule_errors(rules)
        if rule is None
    ]
    return problems_frame(rows)


def _compiled(rules: pd.DataFrame) -> tuple[dict[str, _Rule], list[_Rule]]:
    """Exact rules by folded pattern (the first of a pattern wins), then the others in order."""
    usable = [rule for *_, rule in _rule_errors(rules) if rule is not None]
    exact: dict[str, _Rule] = {}
    for rule in usable:
        if rule.match == "exact":
            exact.setdefault(rule.needle, rule)
    return exact, [rule for rule in usable if rule.match != "exact"]


def _distinct_texts(texts: pd.Series) -> tuple[np.ndarray, list[str]]:
    """(code per cell, distinct cells as text): the column is read once per distinct value."""
    codes, uniques = pd.factorize(texts, use_na_sentinel=False)
    return codes, [cell_text(u) for u in uniques]


def _target(match: re.Match[str]) -> str:
    if "target" not in match.re.groupindex:
        return ""
    return (match.group("target") or "").strip().strip("\"'《》")


def _classify_distinct(texts: list[str], rules: pd.DataFrame) -> pd.DataFrame:
    """One row per distinct text: the first rule that matches it, exact rules first."""
    folded = [fold(t) for t in texts]
    n = len(folded)
    decision = [str(Decision.UNDECIDED)] * n
    target = [""] * n
    rule_used = [""] * n
    known = [False] * n
    exact, ordered = _compiled(rules)

    def settle(i: int, rule: _Rule, merge_target: str = "") -> None:
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


def classify_decisions(texts: pd.Series, rules: pd.DataFrame) -> pd.DataFrame:
    """Each decision text's class, merge target and the rule that matched, aligned with ``texts``.

    Blank text is ``undecided`` with ``blank`` True; text no rule matches is ``undecided`` with
    ``known`` False, so the analyst can tell "nothing written" from "written but not understood".

    >>> texts = pd.Series(["拟取消", "合并至“建设工程规划许可”", "", "待研究"])
    >>> out = classify_decisions(texts, decision_rules())
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


def decision_mapping(texts: pd.Series, rules: pd.DataFrame) -> pd.DataFrame:
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


def _key_codes(*columns: pd.Series, strip_marks: bool = False) -> list[np.ndarray]:
    """Integer keys per cell, equal where the folded texts are equal (0 is the empty text).

    The columns share one vocabulary, so a merge target's key can be looked up among the names.
    Each distinct cell is folded once.
    """
    vocabulary: dict[str, int] = {"": 0}
    keys = []
    for values in columns:
        codes, uniques = pd.factorize(values, use_na_sentinel=False)
        ids = np.zeros(len(uniques), dtype="int64")
        for i, value in enumerate(uniques):
            key = fold(cell_text(value))
            if strip_marks:
                key = key.translate(_NAME_MARKS)
            ids[i] = vocabulary.setdefault(key, len(vocabulary))
        keys.append(ids[codes] if len(codes) else np.zeros(0, dtype="int64"))
    return keys


def _first_of_each(keys: np.ndarray, positions: np.ndarray, query: np.ndarray) -> np.ndarray:
    """For each query key, the position of the first row with that key, or -1."""
    distinct, first = np.unique(keys, return_index=True)
    if not len(distinct):
        return np.full(len(query), -1, dtype="int64")
    at = np.minimum(np.searchsorted(distinct, query), len(distinct) - 1)
    return np.where(distinct[at] == query, positions[first][at], -1)


def _is(column: pd.Series, value: str) -> np.ndarray:
    return (column == value).fillna(False).to_numpy(dtype=bool)


def _merge_parts(items: pd.DataFrame) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(merged rows, target position or -1, (department, target) key), positionally."""
    decided = items["has_decision"].fillna(False).to_numpy(dtype=bool)
    merged = decided & _is(items["decision"], Decision.MERGED)
    names, targets = _key_codes(items["name"], items["merge_target"], strip_marks=True)
    (departments,) = _key_codes(items["department"])
    width = max(int(names.max(initial=0)), int(targets.max(initial=0))) + 1
    named_in = departments * width + names
    aimed_at = departments * width + targets
    positions = np.arange(len(items))
    # A merged row naming itself is a member of its merge, not the item others merge into.
    can_be_target = (names != 0) & ~(merged & (targets == names))
    lookup = merged & (targets != 0)
    found = np.full(len(items), -1, dtype="int64")
    if lookup.any():
        pool = positions[can_be_target]
        same = _first_of_each(named_in[can_be_target], pool, aimed_at[lookup])
        other = _first_of_each(names[can_be_target], pool, targets[lookup])
        found[lookup] = np.where(same >= 0, same, other)
    return merged, found, aimed_at


def merge_targets(items: pd.DataFrame) -> pd.Series:
    """The ``item_id`` of the item each merged row names as its target (same department first).

    <NA> where the row is not merged or its target is not an item of the table (a new item).
    """
    _, found, _ = _merge_parts(items)
    ids = pd.array(items["item_id"], dtype="Int64")
    out = pd.Series(pd.array([pd.NA] * len(items), dtype="Int64"), index=items.index)
    hit = found >= 0
    out[hit] = ids[found[hit]]
    return out.rename("merge_target_id")


def count_roles(items: pd.DataFrame) -> pd.Series:
    """How each item counts in 精简率 (a ``Counts`` value), aligned with ``items``.

    保留 → retained; 取消 / 下放 / 转变管理方式 → streamlined; no decision → undecided; an item
    from a list without a decision column (a current catalog) → retained. A 合并 of k items into
    one streamlines k−1 of them: items merged into an item of the table are all streamlined (the
    target counts by its own decision); items merged into a target the table lacks form one new
    item per (department, target), whose first row counts as retained. A bare "合并" with no
    target groups with the department's other bare merges.

    >>> items = pd.DataFrame({
    ...     "name": ["甲", "乙", "丙", "丁"], "department": "市局",
    ...     "decision": ["retained", "merged", "merged", "cancelled"],
    ...     "merge_target": ["", "新事项", "新事项", ""], "has_decision": True})
    >>> count_roles(items).tolist()
    ['retained', 'retained', 'streamlined', 'streamlined']
    """
    decision = items["decision"]
    has_decision = items["has_decision"].fillna(False).to_numpy(dtype=bool)
    role = np.full(len(items), _UNDECIDED, dtype="int8")
    role[_is(decision, Decision.RETAINED)] = _RETAINED
    role[decision.isin(_STREAMLINED).to_numpy(dtype=bool)] = _STREAMLINED_CODE
    merged, found, aimed_at = _merge_parts(items)
    role[merged & (found >= 0)] = _STREAMLINED_CODE
    new_item = merged & (found < 0)
    if new_item.any():
        absorbed = pd.Series(aimed_at[new_item]).duplicated(keep="first").to_numpy()
        role[new_item] = np.where(absorbed, _STREAMLINED_CODE, _RETAINED)
    role[~has_decision] = _RETAINED
    return pd.Series(_ROLE_NAMES[role], index=items.index, dtype="str", name="counts_as")
