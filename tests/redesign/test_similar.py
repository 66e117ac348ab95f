"""Merge candidates: near-identical names and shared subjects are paired, different ones and an
item's own sub-items are not, and the pairs agree with a plain all-pairs comparison."""

from __future__ import annotations

import dataclasses
from itertools import combinations
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
from hypothesis import given
from hypothesis import strategies as st
from rapidfuzz import fuzz
from sample import SETTINGS, sample_dataset

from approvals.model import ITEM_COLUMNS, conform
from approvals.redesign.similar import (
    CANDIDATE_COLUMNS,
    MERGE_COLUMNS,
    _similar_pairs,
    merge_candidates,
    merge_list,
)
from approvals.settings import DEFAULTS_DIR, load_settings

SIMILARITY = SETTINGS.similar  # the bundled similar.toml


def items(*rows: tuple[str, str] | tuple[str, str, str], counts_as: list[str] | None = None) -> pd.DataFrame:
    """Retained items from (name, department[, sub_item]); item_id 0, 1, …; keys differ per row."""
    records = [
        {
            "item_id": i,
            "item_key": f"K{i}",
            "name": row[0],
            "department": row[1],
            "sub_item": row[2] if len(row) > 2 else "",
            "counts_as": counts_as[i] if counts_as else "retained",
        }
        for i, row in enumerate(rows)
    ]
    return conform(pd.DataFrame(records, columns=["item_id", "item_key", "name", "department", "sub_item",
                                                  "counts_as"]), ITEM_COLUMNS)  # fmt: skip


def pairs_of(table: pd.DataFrame, rules: Any = SIMILARITY, **kw: Any) -> set[tuple[int, int]]:
    found = merge_candidates(table, rules, **kw)
    return set(zip(found["item_id_a"], found["item_id_b"], strict=True))


def sample_items() -> pd.DataFrame:
    """The bundled sample's items (shared: never mutated here)."""
    return sample_dataset().items


# --------------------------------------------------------------------------- what is paired


def test_near_identical_names_across_departments_are_paired() -> None:
    found = merge_candidates(
        items(("建筑工程施工许可", "市住建局"), ("建筑工程施工许可证核发", "市城管局")), SIMILARITY
    )
    assert list(found.columns) == CANDIDATE_COLUMNS
    row = found.iloc[0]
    assert (row["item_id_a"], row["item_id_b"]) == (0, 1)
    assert (row["name_a"], row["name_b"]) == ("建筑工程施工许可", "建筑工程施工许可证核发")
    assert (row["department_a"], row["department_b"]) == ("市住建局", "市城管局")
    assert row["score"] == 100.0
    assert not row["same_department"]
    assert row["reason"] == "办理对象相同：“建筑工程施工”"


def test_clearly_different_names_are_not_paired() -> None:
    assert pairs_of(items(("烟花爆竹经营许可", "市应急管理局"), ("建筑工程施工许可", "市住建局"))) == set()


def test_stages_of_one_subject_in_one_department_are_paired_as_the_same_subject() -> None:
    found = merge_candidates(
        items(("民办学校设立审批", "市教育局"), ("民办学校终止审批", "市教育局")), SIMILARITY
    )
    assert found["reason"].tolist() == ["办理对象相同：“民办学校”"]
    assert found["same_department"].tolist() == [True]


def test_the_same_name_in_two_departments_is_paired_as_the_same_name() -> None:
    found = merge_candidates(
        items(("犬类准养许可", "市公安局"), ("犬类准养许可", "市城市管理局")), SIMILARITY
    )
    assert found["reason"].tolist() == ["名称相同"]
    assert found["score"].tolist() == [100.0]


def test_names_one_character_apart_are_near_identical_with_their_score() -> None:
    a, b = "城镇污水排入排水管网许可", "城镇污水排入排水管道许可"
    found = merge_candidates(items((a, "市水务局"), (b, "市住房和城乡建设局")), SIMILARITY)
    expected = round(fuzz.ratio("城镇污水排入排水管网", "城镇污水排入排水管道"), 1)  # 90.0
    assert found["score"].tolist() == [expected]
    assert found["reason"].tolist() == [f"名称几乎相同（相似度 {expected:.0f}）"]


def test_a_subject_contained_in_another_is_paired_when_long_enough() -> None:
    found = merge_candidates(
        items(("医疗机构设置审批", "市卫健委"), ("中医医疗机构设置审批", "市中医药局")), SIMILARITY
    )
    assert found["reason"].tolist() == ["办理对象相近：“医疗机构”包含在“中医医疗机构”中"]
    assert found["score"].tolist() == [round(fuzz.ratio("医疗机构", "中医医疗机构"), 1)]


def test_a_short_subject_inside_a_longer_one_is_not_enough() -> None:
    # "机动车" has three characters, below contained_min_chars (4).
    assert pairs_of(items(("机动车登记", "市公安局"), ("报废机动车回收拆解企业认定", "市商务局"))) == set()


# --------------------------------------------------------------------------- what is not


def test_an_items_own_sub_items_are_not_paired() -> None:
    table = items(
        ("食品经营许可", "市市场监督管理局", "食品经营许可新办"),
        ("食品经营许可", "市市场监督管理局", "食品经营许可延续"),
        ("食品经营许可", "市市场监督管理局", "食品经营许可变更"),
    )
    assert pairs_of(table) == set()


def test_an_item_with_sub_items_is_paired_once_with_another_item() -> None:
    table = items(
        ("食品经营许可", "市市场监督管理局", "新办"),
        ("食品经营许可", "市市场监督管理局", "延续"),
        ("食品经营许可证核发", "示例区市场监督管理局"),
    )
    assert pairs_of(table) == {(0, 2)}


def test_rows_of_the_same_item_key_are_not_paired() -> None:
    table = items(("犬类准养许可", "市公安局"), ("犬类准养许可", "市公安局"))
    table["item_key"] = "990100-XK-0001"
    assert pairs_of(table) == set()


def test_the_same_name_twice_in_a_department_under_different_keys_is_paired() -> None:
    assert pairs_of(items(("犬类准养许可", "市公安局"), ("犬类准养许可", "市公安局"))) == {(0, 1)}


def test_only_items_still_in_the_catalog_are_compared() -> None:
    table = items(
        ("民办学校设立审批", "市教育局"),
        ("民办学校终止审批", "市教育局"),
        ("民办学校变更审批", "市教育局"),
        counts_as=["retained", "streamlined", "undecided"],
    )
    assert pairs_of(table) == set()


def test_names_of_generic_words_only_are_not_compared() -> None:
    assert pairs_of(items(("登记", "市民政局"), ("登记", "市公安局"), ("审批", "市商务局"))) == set()


def test_empty_input_gives_an_empty_table_of_the_candidate_columns() -> None:
    for table in (items(), items(("民办学校设立审批", "市教育局"))):
        found = merge_candidates(table, SIMILARITY)
        assert found.empty
        assert list(found.columns) == CANDIDATE_COLUMNS


# --------------------------------------------------------------------------- threshold and order


def test_the_threshold_comes_from_the_settings_file_and_can_be_lowered(tmp_path: Path) -> None:
    # "民用爆炸物品销售" and "民用爆炸物品购买" score 75: below 90, above 70.
    table = items(("民用爆炸物品销售许可", "市公安局"), ("民用爆炸物品购买许可", "市应急管理局"))
    assert SIMILARITY.threshold == 90
    assert pairs_of(table) == set()
    assert pairs_of(table, threshold=70) == {(0, 1)}
    text = (DEFAULTS_DIR / "similar.toml").read_text(encoding="utf-8")
    (tmp_path / "similar.toml").write_text(
        text.replace("similarity = 90", "similarity = 70"), encoding="utf-8"
    )
    lowered = load_settings(tmp_path, year=2026).similar
    assert lowered.threshold == 70
    assert pairs_of(table, lowered) == {(0, 1)}


def test_pairs_are_ordered_within_and_the_same_whatever_the_row_order() -> None:
    table = items(
        ("民办学校设立审批", "市教育局"),
        ("建筑工程施工许可", "市住房和城乡建设局"),
        ("民办学校终止审批", "市教育局"),
        ("建筑工程施工许可证核发", "市城市管理局"),
        ("医疗机构设置审批", "市卫生健康委员会"),
        ("中医医疗机构设置审批", "市中医药局"),
    )
    found = merge_candidates(table, SIMILARITY)
    assert (found["item_id_a"] < found["item_id_b"]).all()
    assert found["score"].is_monotonic_decreasing
    expected = {(0, 2), (1, 3), (4, 5)}
    assert pairs_of(table) == expected
    assert pairs_of(table.iloc[::-1].reset_index(drop=True)) == expected


# --------------------------------------------------------------------------- the blocked comparison


@given(
    st.lists(
        st.text(alphabet="许可审批民办学校食品经营建设", min_size=1, max_size=9), max_size=40, unique=True
    ),
    st.sampled_from([60.0, 75.0, 90.0, 100.0]),
    st.integers(min_value=1, max_value=7),
)
def test_blocked_comparison_finds_exactly_the_pairs_a_full_comparison_finds(
    subjects: list[str], threshold: float, block_rows: int
) -> None:
    a, b = _similar_pairs(subjects, threshold, block_rows)
    found = set(zip(a.tolist(), b.tolist(), strict=True))
    expected = {(i, j) for i, j in combinations(range(len(subjects)), 2)
                if fuzz.ratio(subjects[i], subjects[j]) >= threshold}  # fmt: skip
    assert found == expected
    assert len(found) == len(a)  # no pair twice


def test_a_smaller_block_size_changes_nothing() -> None:
    sample = sample_items()
    small = dataclasses.replace(SIMILARITY, block_rows=7)
    pd.testing.assert_frame_equal(merge_candidates(sample, SIMILARITY), merge_candidates(sample, small))


# --------------------------------------------------------------------------- the bundled sample


def test_the_sample_gives_a_modest_number_of_sensible_pairs() -> None:
    sample = sample_items()
    found = merge_candidates(sample, SIMILARITY)
    retained = set(sample.loc[sample["counts_as"] == "retained", "item_id"])
    assert 5 <= len(found) <= 30
    assert set(found["item_id_a"]) | set(found["item_id_b"]) <= retained
    names = set(zip(found["name_a"], found["name_b"], strict=True))
    assert ("民办学校设立审批", "民办学校终止审批") in names
    assert ("事业单位设立登记", "事业单位变更登记") in names
    assert not any(a == b for a, b in names)  # the sample's sub-items share their item's name
    assert found["score"].between(0, 100).all()
    assert np.isin(found["same_department"].to_numpy(), [True, False]).all()


# --------------------------------------------------------------------------- ranked, apart from the flags


def test_merge_candidates_are_ranked_by_similarity() -> None:
    table = items(
        ("医疗机构设置审批", "市卫生健康委员会"),
        ("中医医疗机构设置审批", "市中医药局"),
        ("城镇污水排入排水管网许可", "市水务局"),
        ("城镇污水排入排水管道许可", "市住房和城乡建设局"),
        ("民办学校设立审批", "市教育局"),
        ("民办学校终止审批", "市教育局"),
    )
    found = merge_candidates(table, SIMILARITY)
    expected = sorted(
        [
            ((4, 5), 100.0),
            ((2, 3), round(fuzz.ratio("城镇污水排入排水管网", "城镇污水排入排水管道"), 1)),  # 90
            ((0, 1), round(fuzz.ratio("医疗机构", "中医医疗机构"), 1)),  # 80
        ],
        key=lambda pair: -pair[1],
    )
    assert list(zip(found["item_id_a"], found["item_id_b"], strict=True)) == [p for p, _ in expected]
    assert found["score"].tolist() == [s for _, s in expected]


def test_among_pairs_of_one_score_the_same_name_comes_first() -> None:
    # Both pairs score 100 (one subject); the identical names are the stronger candidate.
    table = items(
        ("民办学校设立审批", "市教育局"),
        ("民办学校终止审批", "市教育局"),
        ("犬类准养许可", "市公安局"),
        ("犬类准养许可", "市城市管理局"),
    )
    found = merge_candidates(table, SIMILARITY)
    assert found["score"].tolist() == [100.0, 100.0]
    assert found["reason"].tolist() == ["名称相同", "办理对象相同：“民办学校”"]


def test_the_merge_list_says_what_to_do_with_each_pair() -> None:
    table = items(
        ("民办学校设立审批", "市教育局"),
        ("民办学校终止审批", "市教育局"),
        ("建筑工程施工许可", "市住建局"),
        ("建筑工程施工许可证核发", "市城管局"),
    )
    found = merge_list(table, SIMILARITY)
    assert list(found.columns) == MERGE_COLUMNS
    advice = dict(zip(found["name_a"], found["suggestion"], strict=True))
    assert advice == {
        "民办学校设立审批": "同一部门内可合并为一个事项",
        "建筑工程施工许可": "可合并为一个事项，由一个部门牵头办理",
    }
    pd.testing.assert_frame_equal(found.drop(columns="suggestion"), merge_candidates(table, SIMILARITY))


def test_a_catalog_above_the_item_limit_gets_no_merge_list() -> None:
    table = items(
        ("民办学校设立审批", "市教育局"), ("民办学校终止审批", "市教育局"), ("犬类准养许可", "市公安局")
    )
    assert len(merge_list(table, dataclasses.replace(SIMILARITY, max_items=3))) == 1
    capped = merge_list(table, dataclasses.replace(SIMILARITY, max_items=2))
    assert capped.empty and list(capped.columns) == MERGE_COLUMNS
