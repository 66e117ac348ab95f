"""The 导入 screen's choices: typing a field's whole name in the column mapping picks that
field; the rule editor shows plain rules by default and puts every edit back in place."""

from __future__ import annotations

import pandas as pd
import pytest
from sample import SETTINGS

from approvals.dataset.decisions import decision_mapping
from approvals.views.labels import NOT_RECOGNISED
from approvals.views.rules import ALL_MATCHES, PLAIN_MATCHES, edited_rules, rule_editor
from approvals.views.tables import decision_texts_table, field_choices, mapping_choices, typing_order

RULES = SETTINGS.decisions.table


def picked_by_typing(typed: str, choices: list[str]) -> str:
    """What a selectbox in a table cell picks when ``typed`` is entered: of the choices that
    contain the typed text, the first in their order (the grid's own filter)."""
    return next(c for c in choices if typed in c)


# ---------------------------------------------------------------- typing a field's name
def test_typing_the_statutory_limit_picks_it_and_not_its_unit_or_note() -> None:
    choices = mapping_choices("items", SETTINGS.columns)
    assert {"法定办结时限单位", "法定办结时限说明"} <= set(choices)  # the longer names are there
    assert picked_by_typing("法定办结时限", choices) == "法定办结时限"


@pytest.mark.parametrize("kind", ["items", "steps"])
def test_typing_any_whole_field_name_picks_that_field(kind: str) -> None:
    choices = mapping_choices(kind, SETTINGS.columns)
    assert sorted(choices[:-1]) == sorted(set(field_choices(kind, SETTINGS.columns).values()))
    assert choices[-1] == NOT_RECOGNISED
    assert [picked_by_typing(c, choices) for c in choices] == choices


def test_typing_order_moves_only_what_must_come_earlier() -> None:
    given = ["承诺办结时限单位", "事项名称", "承诺办结时限（清理后）", "承诺办结时限", "备注", "办结"]
    ordered = typing_order(given)
    assert sorted(ordered) == sorted(given)
    for at, name in enumerate(ordered):  # a name never follows a name that contains it
        assert not [n for n in ordered[:at] if name in n and n != name], name
    # names that contain no other keep their order among themselves
    alone = [n for n in given if not any(o != n and o in n for o in given)]
    assert [n for n in ordered if n in alone] == alone


# ---------------------------------------------------------------- the rule editor
def test_the_plain_rule_editor_leaves_out_every_regular_expression_rule() -> None:
    shown = rule_editor(RULES, advanced=False)
    regex = RULES["match"].eq("regex")
    assert regex.sum() > 0
    assert shown.table["place"].tolist() == RULES.index[~regex].tolist()
    assert set(shown.table["match"]) <= set(PLAIN_MATCHES) and shown.match_choices == PLAIN_MATCHES
    assert f"另有 {int(regex.sum())} 条正则表达式规则未列出" in shown.note
    everything = rule_editor(RULES, advanced=True)
    assert everything.table["pattern"].tolist() == RULES["pattern"].tolist()
    assert everything.match_choices == ALL_MATCHES


def test_editing_the_plain_rules_keeps_the_hidden_ones_in_their_places() -> None:
    shown = rule_editor(RULES, advanced=False).table
    first_contains = int(shown.index[shown["match"].eq("包含")][0])
    dropped = int(shown.index[shown["match"].eq("包含")][1])
    edited = shown.drop(index=dropped).copy()
    edited.loc[first_contains, "note"] = "分析人员改写的说明"
    added = pd.DataFrame(
        [{"pattern": "撤销", "match": None, "decision": "取消", "note": None, "place": None}]
    )
    edited = pd.concat([edited, added], ignore_index=True)

    table, refusal = edited_rules(RULES, shown, edited)

    assert refusal is None
    gone = int(shown.loc[dropped, "place"])
    expected = RULES.drop(index=gone).reset_index(drop=True)
    assert table.iloc[:-1][["pattern", "match", "decision"]].equals(
        expected[["pattern", "match", "decision"]]
    )
    changed = int(shown.loc[first_contains, "place"])
    assert table.loc[changed, "note"] == "分析人员改写的说明"
    assert table.iloc[-1][["pattern", "match", "decision"]].tolist() == ["撤销", "contains", "cancelled"]


def test_a_rule_that_cannot_be_used_is_refused_in_chinese_with_its_words() -> None:
    shown = rule_editor(RULES, advanced=True).table
    bad = pd.DataFrame(
        [{"pattern": "不(再", "match": "正则表达式", "decision": "取消", "note": "", "place": None}]
    )
    _, refusal = edited_rules(RULES, shown, pd.concat([shown, bad], ignore_index=True))
    assert refusal is not None
    assert f"第 {len(RULES) + 1} 条（不(再）正则表达式有误" in refusal
    assert not [w for w in ("exact", "contains", "regex", "missing", "position") if w in refusal]


def test_the_decision_mapping_names_a_regular_expression_rule_by_its_note() -> None:
    mapping = decision_mapping(pd.Series(["不再保留", "暂予保留", "保留"]), SETTINGS.decisions)
    shown = decision_texts_table(mapping, RULES).set_index("处理意见（原文）")["匹配的规则"]
    rule = RULES[RULES["pattern"].eq("不(再|予)?保留")].iloc[0]
    assert shown["不再保留"] == rule["note"] and "(" not in shown["不再保留"]
    assert shown["暂予保留"] == "保留" and shown["保留"] == "保留"  # plain rules are their words
