"""Decision text → class, the editable rule table, and how merges count."""

from __future__ import annotations

from collections import Counter

import numpy as np
import pandas as pd
import pytest
from sample import SETTINGS

import approvals.dataset.decisions as decisions_module
from approvals.dataset.decisions import classify_decisions, decision_mapping
from approvals.dataset.roles import count_roles, merge_targets
from approvals.errors import SettingsError
from approvals.model import ITEM_COLUMNS, Counts, Decision, conform
from approvals.settings import load_settings
from approvals.settings.decisions import DecisionRules, decision_rules_of, rule_problems


@pytest.fixture(scope="module")
def rules() -> DecisionRules:
    return SETTINGS.decisions  # the bundled decisions.toml


def classify_one(text: object, rules: DecisionRules) -> pd.Series:
    return classify_decisions(pd.Series([text], dtype=object), rules).iloc[0]


# ---------------------------------------------------------------- the phrases lists really use

PHRASES = [
    ("保留", Decision.RETAINED, ""),
    ("予以保留", Decision.RETAINED, ""),
    ("拟保留", Decision.RETAINED, ""),
    ("暂予保留", Decision.RETAINED, ""),
    ("保留（调整）", Decision.RETAINED, ""),
    ("取消", Decision.CANCELLED, ""),
    ("拟取消", Decision.CANCELLED, ""),
    ("建议取消", Decision.CANCELLED, ""),
    ("予以取消", Decision.CANCELLED, ""),
    ("取消审批", Decision.CANCELLED, ""),
    ("废止", Decision.CANCELLED, ""),
    ("不予保留", Decision.CANCELLED, ""),
    ("取消，加强事中事后监管", Decision.CANCELLED, ""),
    ("下放", Decision.DELEGATED, ""),
    ("下放至县级", Decision.DELEGATED, ""),
    ("下放至区（县）", Decision.DELEGATED, ""),
    ("下放至县（市、区）实施", Decision.DELEGATED, ""),
    ("委托下放", Decision.DELEGATED, ""),
    ("合并", Decision.MERGED, ""),
    ("合并至“建设工程规划许可”", Decision.MERGED, "建设工程规划许可"),
    ("合并至建设工程规划许可证核发", Decision.MERGED, "建设工程规划许可证核发"),
    ("并入“XX”", Decision.MERGED, "XX"),
    ("与XX合并", Decision.MERGED, "XX"),
    ("转变管理方式", Decision.CHANGED, ""),
    ("调整为备案管理", Decision.CHANGED, ""),
    ("改为备案", Decision.CHANGED, ""),
    ("取消审批改为备案管理", Decision.CHANGED, ""),
    ("实行告知承诺制", Decision.CHANGED, ""),
    ("调整为内部管理事项", Decision.CHANGED, ""),
    ("调整为日常监管", Decision.CHANGED, ""),
    ("不再作为行政审批事项", Decision.CHANGED, ""),
]


@pytest.mark.parametrize(("text", "decision", "target"), PHRASES)
def test_decision_phrase_is_classified(text, decision, target, rules):
    row = classify_one(text, rules)
    assert row["decision"] == decision
    assert row["merge_target"] == target
    assert row["known"]
    assert not row["blank"]
    assert row["rule"] != ""


@pytest.mark.parametrize(
    ("text", "decision", "target"),
    [
        ("  拟 取消 ", Decision.CANCELLED, ""),
        ("拟取消\n", Decision.CANCELLED, ""),
        ("合并至“ＸＸ许可”", Decision.MERGED, "XX许可"),
        ("合并至 XX 许可；", Decision.MERGED, "XX许可"),
        ("取消审批；改为备案", Decision.CHANGED, ""),
    ],
)
def test_spaces_and_full_width_do_not_change_the_class(text, decision, target, rules):
    row = classify_one(text, rules)
    assert (row["decision"], row["merge_target"]) == (decision, target)


def test_cancelling_approval_for_filing_is_a_change_not_a_cancellation(rules):
    row = classify_one("取消审批改为备案管理", rules)
    assert row["decision"] == Decision.CHANGED
    assert "取消" not in row["rule"]


@pytest.mark.parametrize("text", ["待研究", "？", "另行研究", "XX"])
def test_unknown_text_is_undecided_and_marked_unknown(text, rules):
    row = classify_one(text, rules)
    assert row["decision"] == Decision.UNDECIDED
    assert not row["known"]
    assert not row["blank"]
    assert row["rule"] == ""


@pytest.mark.parametrize("blank", ["", "   ", None, float("nan"), "\n"])
def test_blank_text_is_undecided_and_marked_blank(blank, rules):
    row = classify_one(blank, rules)
    assert row["decision"] == Decision.UNDECIDED
    assert row["blank"]
    assert not row["known"]


def _examples() -> list[tuple[str, str, str]]:
    return [
        (example, rule["decision"], rule["pattern"])
        for rule in SETTINGS.data["decisions.toml"]["rule"]
        for example in rule.get("examples", [])
    ]


@pytest.mark.parametrize(("example", "decision", "pattern"), _examples())
def test_every_example_in_the_rule_table_is_caught_by_its_own_rule(example, decision, pattern, rules):
    row = classify_one(example, rules)
    assert (row["decision"], row["rule"]) == (decision, pattern)


def test_rule_table_covers_every_decision_class_that_streamlines(rules):
    table = rules.table
    assert set(table["decision"]) >= {str(d) for d in Decision} - {str(Decision.UNDECIDED)}
    assert set(table["match"]) <= {"exact", "contains", "regex"}
    assert table.columns.tolist() == ["pattern", "match", "decision", "note"]
    assert (table["note"] != "").all()


# ---------------------------------------------------------------- the rules are data the analyst edits


def table(*rows: tuple[str, str, str]) -> pd.DataFrame:
    return pd.DataFrame(rows, columns=["pattern", "match", "decision"]).assign(note="")


def compiled(*rows: tuple[str, str, str]) -> DecisionRules:
    return decision_rules_of(table(*rows))


def test_exact_rules_are_tried_before_earlier_contains_rules():
    rules = compiled(("取消", "contains", "cancelled"), ("取消审批改为备案管理", "exact", "changed"))
    out = classify_decisions(pd.Series(["取消审批改为备案管理", "拟取消"]), rules)
    assert out["decision"].tolist() == ["changed", "cancelled"]


def test_first_matching_rule_in_order_wins():
    rows = table(("下放", "contains", "delegated"), ("取消", "contains", "cancelled"))
    reversed_rows = rows.iloc[::-1].reset_index(drop=True)
    texts = pd.Series(["取消后下放"])
    assert classify_decisions(texts, decision_rules_of(rows))["decision"][0] == "delegated"
    assert classify_decisions(texts, decision_rules_of(reversed_rows))["decision"][0] == "cancelled"


def test_analyst_adds_a_rule_with_chinese_names_and_the_text_becomes_known(rules):
    texts = pd.Series(["待研究", "拟取消"])
    before = classify_decisions(texts, rules)
    added = pd.concat([table(("待研究", "完全一致", "保留")), rules.table], ignore_index=True)
    after = classify_decisions(texts, SETTINGS.with_decisions(added).decisions)
    assert before["known"].tolist() == [False, True]
    assert after["decision"].tolist() == ["retained", "cancelled"]
    assert after["known"].tolist() == [True, True]


def test_regex_without_target_group_gives_no_target():
    rules = compiled(("^合并", "regex", "merged"))
    assert classify_decisions(pd.Series(["合并办理"]), rules)["merge_target"][0] == ""


UNUSABLE = (
    ("(未闭合", "regex", "cancelled"),
    ("拟取消", "fuzzy", "cancelled"),
    ("保留", "contains", "kept"),
    ("", "exact", "retained"),
    ("取消", "contains", "cancelled"),
)


def test_unusable_rules_of_an_edited_table_are_reported_and_skipped():
    rules = table(*UNUSABLE)
    problems = rule_problems(rules)
    assert problems["row"].tolist() == [1, 2, 3, 4]
    assert problems["column"].tolist() == ["pattern", "match", "decision", "pattern"]
    assert problems["value"].tolist() == ["(未闭合", "fuzzy", "kept", ""]
    assert (problems["code"] == "decision_rule_invalid").all()
    out = classify_decisions(pd.Series(["(未闭合", "拟取消", "保留"]), decision_rules_of(rules))
    assert out["decision"].tolist() == ["undecided", "cancelled", "undecided"]


def test_an_unusable_rule_in_the_decisions_file_is_a_settings_error_naming_it():
    data = {"rule": [dict(zip(["pattern", "match", "decision"], row, strict=True)) for row in UNUSABLE]}
    with pytest.raises(SettingsError) as raised:
        SETTINGS.replaced("decisions.toml", data)
    assert (raised.value.file, raised.value.key, raised.value.value) == (
        "decisions.toml",
        "rule[1].pattern",
        "(未闭合",
    )


def test_bundled_rules_have_no_problems(rules):
    assert rule_problems(rules.table).empty


def test_rules_load_from_another_file(tmp_path):
    path = tmp_path / "rules.toml"
    path.write_text(
        '[[rule]]\npattern = "暂缓"\nmatch = "contains"\ndecision = "undecided"\nnote = "暂缓决定"\n',
        encoding="utf-8",
    )
    rules = load_settings(year=2026, files={"decisions.toml": path}).decisions
    assert rules.table.to_dict("records") == [
        {"pattern": "暂缓", "match": "contains", "decision": "undecided", "note": "暂缓决定"}
    ]
    row = classify_decisions(pd.Series(["暂缓审批"]), rules).iloc[0]
    assert (row["decision"], row["known"]) == ("undecided", True)


# ---------------------------------------------------------------- vectorised and aligned


@pytest.mark.parametrize(
    "index",
    [
        pd.RangeIndex(4),
        pd.Index([40, 10, 30, 20]),
        pd.Index(["d", "c", "b", "a"]),
        pd.Index([7, 7, 3, 3]),
    ],
    ids=["range", "shuffled", "labels", "duplicates"],
)
def test_classes_align_with_the_texts_index(index, rules):
    texts = pd.Series(["拟取消", "", "下放至县级", "拟取消"], index=index)
    out = classify_decisions(texts, rules)
    assert out.index.equals(index)
    assert out["decision"].tolist() == ["cancelled", "undecided", "delegated", "cancelled"]
    assert out.columns.tolist() == ["decision", "merge_target", "rule", "known", "blank"]


def test_each_distinct_text_is_read_once(monkeypatch, rules):
    seen: Counter[str] = Counter()
    real_fold = decisions_module.fold

    def counting_fold(text: str) -> str:
        seen[text] += 1
        return real_fold(text)

    monkeypatch.setattr(decisions_module, "fold", counting_fold)
    texts = pd.Series(["拟取消", "下放至县级", "待研究"] * 20_000)
    out = classify_decisions(texts, rules)
    assert (out["decision"].value_counts() == 20_000).all()
    assert [seen[t] for t in ("拟取消", "下放至县级", "待研究")] == [1, 1, 1]


def test_mapping_shows_each_distinct_text_once_unknown_first(rules):
    texts = pd.Series(["拟取消"] * 3 + ["保留"] * 4 + [" 保留 ", "待研究", None, "合并至“XX”"])
    mapping = decision_mapping(texts, rules)
    assert mapping.columns.tolist() == [
        "text",
        "count",
        "decision",
        "label",
        "merge_target",
        "rule",
        "known",
    ]
    assert mapping["count"].sum() == len(texts)
    assert mapping["text"].is_unique
    assert mapping["known"].tolist() == [False, False, True, True, True]
    known = mapping[mapping["known"]].set_index("text")
    assert known["count"].tolist() == [5, 3, 1]
    assert known.loc["保留", "label"] == "保留"
    assert known.loc["拟取消", "label"] == "取消"
    assert known.loc["合并至“XX”", ["label", "merge_target"]].tolist() == ["合并", "XX"]
    assert set(mapping.loc[~mapping["known"], "label"]) == {"未决定"}


# ---------------------------------------------------------------- how items count


def make_items(*rows: dict) -> pd.DataFrame:
    """Items with sensible defaults: one department, a decision column, a retained decision."""
    defaults = {
        "department": "市住建局",
        "category": "行政许可",
        "decision": "retained",
        "merge_target": "",
        "has_decision": True,
    }
    filled = [{"name": f"事项{i}", **defaults, **row} for i, row in enumerate(rows)]
    frame = pd.DataFrame(filled)
    frame["item_id"] = pd.array(range(1, len(frame) + 1), dtype="Int64")
    return conform(frame, ITEM_COLUMNS)


@pytest.mark.parametrize(
    ("decision", "counts"),
    [
        (Decision.RETAINED, Counts.RETAINED),
        (Decision.CANCELLED, Counts.STREAMLINED),
        (Decision.DELEGATED, Counts.STREAMLINED),
        (Decision.CHANGED, Counts.STREAMLINED),
        (Decision.UNDECIDED, Counts.UNDECIDED),
        ("", Counts.UNDECIDED),
    ],
)
def test_each_decision_counts_as(decision, counts):
    assert count_roles(make_items({"decision": str(decision)})).tolist() == [counts]


@pytest.mark.parametrize("decision", ["", "undecided", "cancelled"])
def test_current_catalog_items_count_as_retained(decision):
    items = make_items({"decision": decision, "has_decision": False})
    assert count_roles(items).tolist() == [Counts.RETAINED]


def test_three_items_merged_into_a_new_item_streamline_two():
    items = make_items(
        {"name": "建设用地规划许可", "decision": "merged", "merge_target": "建设项目用地规划许可"},
        {"name": "建设用地批准书核发", "decision": "merged", "merge_target": "“建设项目用地规划许可”"},
        {"name": "选址意见书核发", "decision": "merged", "merge_target": "建设项目用地规划许可"},
        {"name": "施工许可", "decision": "retained"},
    )
    roles = count_roles(items)
    assert roles.tolist() == ["retained", "streamlined", "streamlined", "retained"]
    assert merge_targets(items).isna().all()


def test_items_merged_into_an_existing_retained_item_all_streamline():
    items = make_items(
        {"name": "建设工程规划许可", "decision": "retained"},
        {"name": "建设工程规划验线", "decision": "merged", "merge_target": "“建设工程规划许可”"},
        {"name": "建设工程规划核实", "decision": "merged", "merge_target": "建设工程规划许可"},
        {"name": "临时建设工程规划许可", "decision": "merged", "merge_target": "建设工程规划 许可"},
    )
    assert count_roles(items).tolist() == ["retained", "streamlined", "streamlined", "streamlined"]
    assert merge_targets(items).tolist() == [pd.NA, 1, 1, 1]


def test_the_named_item_counts_by_its_own_decision_even_when_listed_after():
    items = make_items(
        {"name": "甲", "decision": "merged", "merge_target": "乙"},
        {"name": "乙", "decision": "delegated"},
    )
    assert count_roles(items).tolist() == ["streamlined", "streamlined"]


def test_merge_target_is_found_in_the_same_department_first():
    items = make_items(
        {"name": "排水许可", "department": "市水务局"},
        {"name": "排水许可", "department": "市住建局"},
        {"name": "排水接管审批", "department": "市住建局", "decision": "merged", "merge_target": "排水许可"},
        {"name": "污水排放审批", "department": "市环保局", "decision": "merged", "merge_target": "排水许可"},
    )
    assert merge_targets(items).tolist() == [pd.NA, pd.NA, 2, 1]
    assert count_roles(items).tolist() == ["retained", "retained", "streamlined", "streamlined"]


def test_same_new_target_in_two_departments_makes_two_new_items():
    items = make_items(
        {"department": "市交通局", "decision": "merged", "merge_target": "道路运输许可"},
        {"department": "市交通局", "decision": "merged", "merge_target": "道路运输许可"},
        {"department": "县交通局", "decision": "merged", "merge_target": "道路运输许可"},
        {"department": "县交通局", "decision": "merged", "merge_target": "道路运输许可"},
    )
    assert count_roles(items).tolist() == ["retained", "streamlined", "retained", "streamlined"]


def test_an_item_merged_under_its_own_name_is_the_one_that_stays():
    items = make_items(
        {"name": "食品经营许可", "decision": "merged", "merge_target": "食品经营许可"},
        {"name": "餐饮服务许可", "decision": "merged", "merge_target": "食品经营许可"},
        {"name": "食品流通许可", "decision": "merged", "merge_target": "食品经营许可"},
    )
    assert Counter(count_roles(items)) == {"retained": 1, "streamlined": 2}


def test_merges_classified_from_text_count_end_to_end(rules):
    texts = pd.Series(["保留", "合并至“建设工程规划许可”", "合并至建设工程规划许可", "取消"])
    classes = classify_decisions(texts, rules)
    items = make_items(
        {"name": "建设工程规划许可"}, {"name": "验线"}, {"name": "核实"}, {"name": "放线"}
    ).assign(decision=classes["decision"], merge_target=classes["merge_target"])
    assert count_roles(items).tolist() == ["retained", "streamlined", "streamlined", "streamlined"]


def test_counting_a_large_table_matches_the_small_one():
    small = make_items(
        {"name": "A", "decision": "merged", "merge_target": "新"},
        {"name": "B", "decision": "merged", "merge_target": "新"},
        {"name": "C", "decision": "cancelled"},
        {"name": "D", "decision": "undecided"},
    )
    departments = np.repeat([f"部门{i}" for i in range(5_000)], len(small))
    large = pd.concat([small] * 5_000, ignore_index=True).assign(department=departments)
    roles = count_roles(large)
    assert Counter(roles) == {"retained": 5_000, "streamlined": 10_000, "undecided": 5_000}
    assert roles.iloc[:4].tolist() == count_roles(small).tolist()
