"""The decision rules as the 导入 screen edits them: the analyst's own words, compared as written
(完全相同 / 包含) by default; regular-expression rules shown, and offered, only when asked for.

The rules left out of the plain table keep their places: an edit of the rows shown is put back
into the whole table, so the order of the rules (the first match wins) does not change.
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from approvals.settings.decisions import MATCH_LABELS, RULE_COLUMNS, match_code, rule_problems
from approvals.views.tables import decision_rules_from_table, decision_rules_table

PLAIN_MATCHES = [MATCH_LABELS["exact"], MATCH_LABELS["contains"]]
ALL_MATCHES = [*PLAIN_MATCHES, MATCH_LABELS["regex"]]
DEFAULT_MATCH = MATCH_LABELS["contains"]
DECISION_CHOICES = ["保留", "取消", "下放", "合并", "转变管理方式", "未决定"]


@dataclass(frozen=True, eq=False)
class RuleEditor:
    """The rules to edit: ``table`` holds pattern, match, decision, note (in Chinese) and each
    rule's ``place`` in the whole table (not shown: rows added have none); ``note`` says what
    is shown and what is not."""

    table: pd.DataFrame
    match_choices: list[str]
    note: str
    columns: tuple[str, ...] = tuple(RULE_COLUMNS)  # the columns the analyst sees


def rule_editor(rules: pd.DataFrame, *, advanced: bool) -> RuleEditor:
    """The rule table to edit: every rule when ``advanced``, else the plain ones only.

    >>> rules = pd.DataFrame({"pattern": ["保留", "不(再|予)?保留", "取消"],
    ...     "match": ["exact", "regex", "contains"], "decision": ["retained", "cancelled", "cancelled"],
    ...     "note": ""})
    >>> shown = rule_editor(rules, advanced=False)
    >>> shown.table["place"].tolist(), shown.table["match"].tolist(), shown.match_choices
    ([0, 2], ['完全相同', '包含'], ['完全相同', '包含'])
    >>> rule_editor(rules, advanced=True).table["place"].tolist()
    [0, 1, 2]
    """
    whole = decision_rules_table(rules[RULE_COLUMNS]).reset_index(drop=True)
    whole["place"] = whole.index
    regex = whole["match"].map(match_code).eq("regex")
    if advanced:
        note = (
            "“完全相同”：处理意见与写法一字不差；“包含”：处理意见中含有写法中的文字；"
            "“正则表达式”：按正则表达式匹配，可用 (?P<target>…) 取出“合并至”的事项。"
            "完全相同的规则先比较，其余规则按表中的先后逐条比较，先匹配者生效；新增的规则排在最后。"
        )
        return RuleEditor(whole, ALL_MATCHES, note)
    hidden = int(regex.sum())
    note = (
        "在“写法”中填写处理意见里的文字，选择“完全相同”或“包含”，系统按原文比较，不需要任何特殊写法。"
        "完全相同的规则先比较，其余规则按表中的先后逐条比较，先匹配者生效；新增的规则排在最后。"
    )
    if hidden:
        note += f"另有 {hidden} 条正则表达式规则未列出，位置和作用不变；打开上面的开关可查看和修改。"
    return RuleEditor(whole[~regex].reset_index(drop=True), PLAIN_MATCHES, note)


def edited_rules(
    rules: pd.DataFrame, shown: pd.DataFrame, edited: pd.DataFrame
) -> tuple[pd.DataFrame, str | None]:
    """The whole rule table after the analyst edited the rows ``shown`` (a
    :func:`rule_editor` table) into ``edited``, and why it cannot be used (None when it can).

    Rules edited stay in their places, rules not shown are kept as they were, rules deleted go,
    rules added come last (compared plainly, 包含, unless a comparison was chosen).

    >>> rules = pd.DataFrame({"pattern": ["保留", "不(再|予)?保留", "取消"],
    ...     "match": ["exact", "regex", "contains"], "decision": ["retained", "cancelled", "cancelled"],
    ...     "note": ""})
    >>> shown = rule_editor(rules, advanced=False).table
    >>> added = pd.DataFrame({"pattern": ["撤销"], "match": [None], "decision": ["取消"], "note": [None],
    ...                       "place": [None]})
    >>> edited = pd.concat([shown[shown["pattern"].ne("取消")], added], ignore_index=True)
    >>> table, refusal = edited_rules(rules, shown, edited)
    >>> table[["pattern", "match"]].to_numpy().tolist(), refusal
    ([['保留', 'exact'], ['不(再|予)?保留', 'regex'], ['撤销', 'contains']], None)
    """
    whole = decision_rules_table(rules[RULE_COLUMNS]).reset_index(drop=True)
    was_shown = set(shown["place"].astype(int).tolist())
    places = pd.to_numeric(edited["place"], errors="coerce")
    still = {int(p): at for at, p in places.items() if pd.notna(p) and int(p) in was_shown}
    kept = [
        edited.loc[[still[place]], RULE_COLUMNS] if place in was_shown else whole.loc[[place], RULE_COLUMNS]
        for place in whole.index
        if place not in was_shown or place in still
    ]
    added = edited.loc[~edited.index.isin(list(still.values())), RULE_COLUMNS].copy()
    added["match"] = added["match"].where(added["match"].notna() & added["match"].ne(""), DEFAULT_MATCH)
    table = decision_rules_from_table(pd.concat([*kept, added], ignore_index=True))
    bad = rule_problems(table)
    if not len(bad):
        return table, None
    reasons = []
    for row in bad.itertuples(index=False):
        pattern = str(table.iloc[int(row.row) - 1]["pattern"])
        reasons.append(f"第 {row.row} 条（{pattern}）{row.message}")
    return table, "对照表中有无法使用的规则：" + "；".join(reasons)
