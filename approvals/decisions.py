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
from approvals.text import fold

RULES_PATH = DATA_DIR / "decisions.toml"
RULE_COLUMNS = ["pattern", "match", "decision", "note"]
MATCH_LABELS: dict[str, str] = {"exact": "完全一致", "contains": "包含", "regex": "正则表达式"}
CLASSIFIED_COLUMNS = ["decision", "merge_target", "rule", "known", "blank"]
MAPPING_COLUMNS = ["text", "count", "decision", "label", "merge_target", "rule", "known"]

# An analyst editing the table may write the Chinese names instead of the codes.
_MATCH_CODES = {**{k: k for k in MATCH_LABELS}, **{v: k for k, v in MATCH_LABELS.items()}}
_DECISION_CODES = {
    **{str(d): str(d) for d in Decision},
    **{label: str(d) for d, label in DECISION_LABELS.items()},
}
_STREAMLINED = [str(Decision.CANCELLED), str(Decision.DELEGATED), str(Decision.CHANGED)]
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


def _field(value: object) -> str:
    return "" if value is None or (isinstance(value, float) and np.isnan(value)) else str(value)


def _rule_errors(rules: pd.DataFrame) -> list[tuple[int, str, str, _Rule | None]]:
    """(position, column, message, compiled rule or None) for every row of the table."""
    checked: list[tuple[int, str, str, _Rule | None]] = []
    for pos, row in enumerate(rules[RULE_COLUMNS].itertuples(index=False, name=None)):
        pattern, match, decision = (_field(v) for v in row[:3])
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
            value=_field(rules.iloc[pos][column]),
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


def _clean_texts(texts: pd.Series) -> pd.Series:
    return texts.astype("str").fillna("").str.strip()


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
    clean = _clean_texts(texts)
    codes, uniques = pd.factorize(clean)
    distinct = _classify_distinct([str(u) for u in uniques], rules)
    out = distinct.iloc[codes].reset_index(drop=True)
    out.index = texts.index
    return out[CLASSIFIED_COLUMNS]


def decision_mapping(texts: pd.Series, rules: pd.DataFrame) -> pd.DataFrame:
    """What the analyst is shown: each distinct text, how often it occurs and what it became.

    Unrecognised texts come first, then the most frequent, so gaps in the rules show at the top.
    Columns: text, count, decision, label (Chinese), merge_target, rule, known.
    """
    clean = _clean_texts(texts)
    counts = clean.value_counts(sort=False)
    distinct = _classify_distinct([str(t) for t in counts.index], rules)
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
    return frame.reset_index(drop=True)[MAPPING_COLUMNS]


def _keys(values: pd.Series, *, strip_marks: bool = False) -> np.ndarray:
    """Folded text per cell (computed once per distinct value), for comparing names."""
    clean = values.astype("str").fillna("")
    codes, uniques = pd.factorize(clean)
    folded = [fold(str(u)) for u in uniques]
    if strip_marks:
        folded = [f.translate(_NAME_MARKS) for f in folded]
    return np.asarray(folded, dtype=object)[codes] if len(codes) else np.array([], dtype=object)


def _merge_parts(items: pd.DataFrame) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """(merged rows, target position or -1, department keys, target keys), positionally."""
    decided = items["has_decision"].fillna(False).astype(bool).to_numpy()
    merged = decided & (items["decision"].astype("str").fillna("") == Decision.MERGED).to_numpy()
    names = _keys(items["name"], strip_marks=True)
    targets = _keys(items["merge_target"], strip_marks=True)
    departments = _keys(items["department"])
    positions = np.arange(len(items))
    # A merged row naming itself is a member of its merge, not the item others merge into.
    can_be_target = (names != "") & ~(merged & (targets == names))
    candidates = pd.DataFrame({"department": departments, "name": names, "pos": positions}).loc[can_be_target]
    in_department = candidates.drop_duplicates(["department", "name"]).set_index(["department", "name"])[
        "pos"
    ]
    anywhere = candidates.drop_duplicates("name").set_index("name")["pos"]
    lookup = merged & (targets != "")
    found = np.full(len(items), -1, dtype="int64")
    if lookup.any():
        query = pd.MultiIndex.from_arrays([departments[lookup], targets[lookup]])
        same = in_department.reindex(query).to_numpy(dtype="float64")
        other = anywhere.reindex(targets[lookup]).to_numpy(dtype="float64")
        best = np.where(np.isnan(same), other, same)
        found[lookup] = np.where(np.isnan(best), -1, best).astype("int64")
    return merged, found, departments, targets


def merge_targets(items: pd.DataFrame) -> pd.Series:
    """The ``item_id`` of the item each merged row names as its target (same department first).

    <NA> where the row is not merged or its target is not an item of the table (a new item).
    """
    _, found, _, _ = _merge_parts(items)
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
    decision = items["decision"].astype("str").fillna("").to_numpy()
    has_decision = items["has_decision"].fillna(False).astype(bool).to_numpy()
    roles = np.full(len(items), str(Counts.UNDECIDED), dtype=object)
    roles[decision == Decision.RETAINED] = str(Counts.RETAINED)
    roles[np.isin(decision, _STREAMLINED)] = str(Counts.STREAMLINED)
    merged, found, departments, targets = _merge_parts(items)
    roles[merged & (found >= 0)] = str(Counts.STREAMLINED)
    new_item = merged & (found < 0)
    if new_item.any():
        groups = pd.DataFrame({"department": departments[new_item], "target": targets[new_item]})
        absorbed = groups.duplicated(keep="first").to_numpy()
        roles[new_item] = np.where(absorbed, str(Counts.STREAMLINED), str(Counts.RETAINED))
    roles[~has_decision] = str(Counts.RETAINED)
    return pd.Series(roles, index=items.index, dtype="str", name="counts_as")
