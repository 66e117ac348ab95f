"""可合并的相近事项 are a ranked list of their own: never a flag, never in a count of flags or in
the headline cards, shown from a score the analyst can move, and under their own key in JSON."""

from __future__ import annotations

import copy
import json

import pytest
from builders import messy_items_workbook
from rapidfuzz import fuzz
from sample import SETTINGS, sample_analysis

from approvals.analysis import Analysis, analyze, project
from approvals.dataset.build import load_dataset
from approvals.errors import SettingsError
from approvals.settings import settings_from
from approvals.settings.redesign import MERGE_RULE
from approvals.views.command_line import analysis_json, json_text, summary_text
from approvals.views.redesign import MERGE_LABELS, merge_pairs, merge_shown_from, redesign_metrics

ROWS = [
    # department, code, name, type, basis, statutory, committed, decision, phone
    ["市教育局", "JY-1", "民办学校设立审批", "行政许可", "《民办教育促进法》", "20", "20", "保留", ""],
    ["市教育局", "JY-2", "民办学校终止审批", "行政许可", "《民办教育促进法》", "20", "15", "保留", ""],
    ["市卫健委", "WJ-1", "医疗机构设置审批", "行政许可", "《医疗机构管理条例》", "20", "15", "保留", ""],
    ["市中医药局", "ZY-1", "中医医疗机构设置审批", "行政许可", "《中医药法》", "20", "15", "保留", ""],
    ["市公安局", "GA-1", "犬类准养许可", "行政许可", "《示例市养犬管理条例》", "20", "15", "保留", ""],
]  # fmt: skip


@pytest.fixture(scope="module")
def analysis() -> Analysis:
    data = messy_items_workbook(ROWS)
    return analyze(load_dataset([("清理表.xlsx", data)], SETTINGS))


def test_merge_candidates_are_no_flags_but_a_list_of_their_own(analysis: Analysis) -> None:
    assert MERGE_RULE not in set(analysis.flags["rule"])
    assert analysis.flags["rule"].tolist() == ["no_speedup"]  # 民办学校设立审批 promises 20 of 20 days
    pairs = analysis.merge_candidates
    assert list(zip(pairs["name_a"], pairs["name_b"], strict=True)) == [
        ("民办学校设立审批", "民办学校终止审批"),
        ("医疗机构设置审批", "中医医疗机构设置审批"),
    ]
    assert pairs["score"].tolist() == [100.0, round(fuzz.ratio("医疗机构", "中医医疗机构"), 1)]


def test_the_redesign_cards_count_the_flags_only(analysis: Analysis) -> None:
    cards = {m.label: m for m in redesign_metrics(analysis, project(analysis, []), {})}
    assert cards["提示"].value == "1 条"
    assert cards["提示"].note == "涉及 1 个事项"


def test_the_screen_lists_the_pairs_from_the_score_of_redesign_toml(analysis: Analysis) -> None:
    assert merge_shown_from(analysis) == SETTINGS.redesign.rules[MERGE_RULE]["shown_from"] == 80
    shown = merge_pairs(analysis)
    assert shown.title == "可合并的相近事项"
    assert shown.total == 2 and shown.shown_from == 80
    assert shown.table[MERGE_LABELS["score"]].tolist() == [100.0, 80.0]  # 80 is at the threshold
    assert list(shown.table.columns) == list(MERGE_LABELS.values())


def test_moving_the_score_up_lists_fewer_pairs_and_down_lists_them_all(analysis: Analysis) -> None:
    higher = merge_pairs(analysis, 95)
    assert higher.table["事项名称"].tolist() == ["民办学校设立审批"]
    assert higher.note == "共找到 2 对，相似度不低于 95 的 1 对，按相似度从高到低排列。"
    assert len(merge_pairs(analysis, 0).table) == 2
    assert merge_pairs(analysis, 100.5).table.empty


def test_json_keeps_the_pairs_under_their_own_key_and_out_of_the_flags(analysis: Analysis) -> None:
    shown = json.loads(json_text(analysis_json(analysis)))
    assert [f["rule"] for f in shown["flags"]] == ["no_speedup"]
    assert shown["merge_candidates"][0] == {
        "item_a": "民办学校设立审批",
        "department_a": "市教育局",
        "item_b": "民办学校终止审批",
        "department_b": "市教育局",
        "score": 100.0,
        "same_department": True,
        "reason": "办理对象相同：“民办学校”",
        "suggestion": "同一部门内可合并为一个事项",
    }
    assert len(shown["merge_candidates"]) == 2


def test_the_summary_counts_the_flags_apart_from_the_merge_candidates(analysis: Analysis) -> None:
    text = summary_text(analysis)
    assert "流程再造提示：1 条" in text
    assert "可合并的相近事项：2 对，另列，不计入提示" in text


def test_the_sample_counts_its_flags_without_its_merge_candidates() -> None:
    sample = sample_analysis()
    assert len(sample.merge_candidates) > 0 and MERGE_RULE not in set(sample.flags["rule"])
    assert f"流程再造提示：{len(sample.flags)} 条" in summary_text(sample)


def test_a_stored_round_whose_settings_predate_the_score_shows_every_pair() -> None:
    data = copy.deepcopy(dict(SETTINGS.data))
    del data["redesign.toml"]["rules"]["merge_candidate"]["shown_from"]
    assert settings_from(data, 2026).redesign.rules[MERGE_RULE]["shown_from"] == 0


@pytest.mark.parametrize("score", [-1, 101, "高"])
def test_a_score_outside_0_to_100_is_refused_with_its_key(score: object) -> None:
    data = copy.deepcopy(dict(SETTINGS.data))
    data["redesign.toml"]["rules"]["merge_candidate"]["shown_from"] = score
    with pytest.raises(SettingsError, match="shown_from"):
        settings_from(data, 2026)


def test_the_same_item_in_many_counties_is_no_merge_candidate_but_two_departments_of_one_city_are() -> None:
    food = ["食品经营许可", "行政许可", "《食品安全法》", "20", "10", "保留", ""]
    counties = [[f"第{n}县市场监督管理局", f"SC-{n}", *food] for n in range(8)]
    city = [
        ["市住房和城乡建设局", "ZJ-1", "建筑工程施工许可", "行政许可", "《建筑法》", "15", "5", "保留", ""],
        ["市城市管理局", "CG-1", "建筑工程施工许可证核发", "行政许可", "《建筑法》", "15", "5", "保留", ""],
    ]
    found = analyze(load_dataset([("全省.xlsx", messy_items_workbook([*counties, *city]))], SETTINGS))
    pairs = found.merge_candidates
    assert pairs[["name_a", "name_b"]].values.tolist() == [["建筑工程施工许可", "建筑工程施工许可证核发"]]
    assert SETTINGS.similar.max_departments == 5
