"""流程再造 rules: each finds what it should, not what it should not, and saves the days it says."""

from __future__ import annotations

import glob

import networkx as nx
import pandas as pd
import pytest
from hypothesis import given
from hypothesis import strategies as st

from approvals.dataset.build import Options, load_dataset
from approvals.model import ITEM_COLUMNS, STEP_COLUMNS, conform
from approvals.processes.paths import critical_paths
from approvals.redesign.changes import apply_changes, proposed_steps
from approvals.redesign.flags import redesign_flags

OFFICES = ["行政审批科", "规划科", "法规科", "建设科", "分管领导", "主要领导"]


def process(*rows: tuple, item_id: int = 0, version: str = "before") -> pd.DataFrame:
    """Steps of one process, each row (no, name, office, person, days, predecessors[, counted,
    materials, basis])."""
    records = []
    for n, row in enumerate(rows):
        no, name, office, person, days, preds, *rest = row
        counted, materials, basis = (list(rest) + [True, "", ""][len(rest) :])[:3]
        records.append(
            {
                "step_id": 100 * item_id + n,
                "item_id": item_id,
                "item_name": f"事项{item_id}",
                "department": "市住建局",
                "version": version,
                "step_no": str(no),
                "step_name": name,
                "office": office,
                "person": person,
                "days": float(days),
                "predecessors": preds,
                "counted": counted,
                "materials": materials,
                "legal_basis": basis,
                "file": "a.xlsx",
                "sheet": "环节",
                "row": n + 2,
            }
        )
    return conform(pd.DataFrame(records), STEP_COLUMNS)


def items(*rows: dict) -> pd.DataFrame:
    base = {
        "item_key": "",
        "name": "事项0",
        "department": "市住建局",
        "category": "行政许可",
        "counts_as": "retained",
        "statutory_status": "value",
        "committed_status": "value",
        "original_status": "blank",
        "statutory_days": 20.0,
        "committed_days": 10.0,
        "before_days": 20.0,
        "after_days": 10.0,
        "materials": "",
        "sub_item": "",
        "code": "",
    }
    records = [
        {**base, "item_id": i, "item_key": f"K{i}", "name": f"事项{i}", **row} for i, row in enumerate(rows)
    ]
    return conform(pd.DataFrame(records), ITEM_COLUMNS)


def flags_of(steps: pd.DataFrame, catalog_items: pd.DataFrame | None = None, rule: str | None = None):
    found = redesign_flags(steps, items({}) if catalog_items is None else catalog_items)
    return found if rule is None else found[found["rule"] == rule]


LEAN = process(
    ("1", "受理", "行政审批科", "科员", 1, ""),
    ("2", "审查", "规划科", "科长", 3, "1"),
    ("3", "决定", "分管领导", "分管副局长", 1, "2"),
)


def test_a_lean_process_with_a_shortened_commitment_gets_no_flag() -> None:
    assert flags_of(LEAN).empty


def test_three_serial_reviews_in_parallel_save_seven_days() -> None:
    steps = process(
        ("1", "受理", "行政审批科", "科员", 1, ""),
        ("2", "审查", "规划科", "科长", 4, "1"),
        ("3", "审查", "法规科", "科长", 3, "2"),
        ("4", "审查", "建设科", "科长", 5, "3"),
        ("5", "决定", "分管领导", "分管副局长", 1, "4"),
    )
    found = flags_of(steps, items({"after_days": 20.0}), "serial_reviews")
    assert len(found) == 1
    flag = found.iloc[0]
    assert flag["steps"] == ("审查", "审查", "审查")
    assert flag["days_saved"] == 7.0  # 1 + 4 + 3 + 5 + 1 = 14 → 1 + max(4, 3, 5) + 1 = 7


def test_serial_reviews_by_one_office_are_not_parallel_candidates() -> None:
    steps = process(
        ("1", "受理", "行政审批科", "科员", 1, ""),
        ("2", "审查", "规划科", "科员", 4, "1"),
        ("3", "复核", "规划科", "科长", 3, "2"),
        ("4", "决定", "分管领导", "分管副局长", 1, "3"),
    )
    assert flags_of(steps, rule="serial_reviews").empty


def test_a_check_of_the_review_before_it_is_not_a_parallel_candidate() -> None:
    steps = process(
        ("1", "受理", "行政审批科", "科员", 1, ""),
        ("2", "审查", "规划科", "科员", 4, "1"),
        ("3", "审核", "行政审批科", "科长", 3, "2"),
        ("4", "决定", "分管领导", "分管副局长", 1, "3"),
    )
    assert flags_of(steps, rule="serial_reviews").empty


def test_reviews_already_in_parallel_are_not_flagged() -> None:
    steps = process(
        ("1", "受理", "行政审批科", "科员", 1, ""),
        ("2", "审查", "规划科", "科长", 4, "1"),
        ("3", "审查", "法规科", "科长", 3, "1"),
        ("4", "决定", "分管领导", "分管副局长", 1, "2,3"),
    )
    assert flags_of(steps, rule="serial_reviews").empty


def test_a_pass_through_step_that_takes_days_is_flagged_with_its_days() -> None:
    steps = process(
        ("1", "受理", "行政审批科", "科员", 1, ""),
        ("2", "登记", "办公室", "科员", 2, "1"),
        ("3", "审查", "规划科", "科长", 5, "2"),
        ("4", "决定", "分管领导", "分管副局长", 1, "3"),
    )
    flag = flags_of(steps, rule="pass_through").iloc[0]
    assert (flag["steps"], flag["days_saved"], flag["change"]) == (("登记",), 2.0, "remove")


def test_a_pass_through_step_of_no_time_is_left_alone() -> None:
    steps = process(
        ("1", "受理", "行政审批科", "科员", 1, ""),
        ("2", "签收", "办公室", "科员", 0, "1"),
        ("3", "决定", "分管领导", "分管副局长", 1, "2"),
    )
    assert flags_of(steps, rule="pass_through").empty


def test_the_same_review_twice_is_flagged_and_removing_the_second_saves_its_days() -> None:
    steps = process(
        ("1", "受理", "行政审批科", "科员", 1, ""),
        ("2", "审查", "规划科", "科长", 5, "1"),
        ("3", "审查", "规划科", "科长", 3, "2"),
        ("4", "决定", "分管领导", "分管副局长", 1, "3"),
    )
    flag = flags_of(steps, rule="repeated_review").iloc[0]
    assert flag["steps"] == ("审查", "审查")
    assert flag["days_saved"] == 3.0


def test_different_reviews_by_different_people_are_not_repeats() -> None:
    steps = process(
        ("1", "受理", "行政审批科", "科员", 1, ""),
        ("2", "初审", "规划科", "科员", 5, "1"),
        ("3", "审核", "法规科", "科长", 3, "1"),
        ("4", "决定", "分管领导", "分管副局长", 1, "2,3"),
    )
    assert flags_of(steps, rule="repeated_review").empty


def test_three_sign_off_levels_suggest_delegating_the_top_one() -> None:
    steps = process(
        ("1", "受理", "行政审批科", "科员", 1, ""),
        ("2", "审核", "规划科", "科长", 2, "1"),
        ("3", "审批", "分管领导", "分管副局长", 2, "2"),
        ("4", "签发", "主要领导", "局长", 1, "3"),
    )
    flag = flags_of(steps, rule="signoff_chain").iloc[0]
    assert flag["change_steps"] == (3,)  # 签发 by 局长
    assert flag["days_saved"] == 1.0
    assert "分管副局长" in flag["suggestion"]


def test_two_sign_off_levels_are_fine() -> None:
    steps = process(
        ("1", "受理", "行政审批科", "科员", 1, ""),
        ("2", "审核", "规划科", "科长", 2, "1"),
        ("3", "审批", "分管领导", "分管副局长", 2, "2"),
    )
    assert flags_of(steps, rule="signoff_chain").empty


def test_a_step_without_legal_basis_where_the_list_records_them_is_flagged() -> None:
    steps = process(
        ("1", "受理", "行政审批科", "科员", 1, "", True, "", "《行政许可法》第三十二条"),
        ("2", "审查", "规划科", "科长", 5, "1", True, "", "《城乡规划法》第四十条"),
        ("3", "会审", "法规科", "科长", 2, "2", True, "", ""),
        ("4", "决定", "分管领导", "分管副局长", 1, "3", True, "", ""),
    )
    found = flags_of(steps, rule="no_step_basis")
    assert found["steps"].tolist() == [("会审",)]  # 决定 needs no basis of its own
    assert found.iloc[0]["days_saved"] == 2.0


def test_steps_are_not_asked_for_a_basis_when_the_list_records_none() -> None:
    assert flags_of(LEAN, rule="no_step_basis").empty


def test_accept_and_decide_only_becomes_instant_saving_its_days() -> None:
    steps = process(("1", "受理", "行政审批科", "科员", 1, ""), ("2", "决定", "行政审批科", "科长", 2, "1"))
    flag = flags_of(steps, rule="instant").iloc[0]
    assert (flag["change"], flag["days_saved"]) == ("instant", 3.0)


def test_an_instant_process_already_at_zero_days_is_not_flagged() -> None:
    steps = process(("1", "受理", "行政审批科", "科员", 0, ""), ("2", "决定", "行政审批科", "科长", 0, "1"))
    assert flags_of(steps, rule="instant").empty


def test_the_same_material_at_several_steps_is_flagged_without_changing_the_path() -> None:
    steps = process(
        ("1", "受理", "行政审批科", "科员", 1, "", True, "申请表、营业执照"),
        ("2", "审查", "规划科", "科长", 3, "1", True, "申请表"),
        ("3", "决定", "分管领导", "分管副局长", 1, "2"),
    )
    flag = flags_of(steps, rule="repeated_material").iloc[0]
    assert flag["steps"] == ("受理", "审查") and "申请表" in flag["why"]
    assert flag["days_saved"] == 0.0


def test_distinct_materials_per_step_are_fine() -> None:
    steps = process(
        ("1", "受理", "行政审批科", "科员", 1, "", True, "申请表"),
        ("2", "审查", "规划科", "科长", 3, "1", True, "设计方案"),
        ("3", "决定", "分管领导", "分管副局长", 1, "2"),
    )
    assert flags_of(steps, rule="repeated_material").empty


def test_a_critical_path_longer_than_the_limit_is_flagged() -> None:
    assert len(flags_of(LEAN, items({"before_days": 4.0}), "path_over_limit")) == 1  # path 5 > 4
    assert flags_of(LEAN, items({"before_days": 5.0}), "path_over_limit").empty


def test_time_outside_the_limit_longer_than_the_limit_is_flagged() -> None:
    steps = process(
        ("1", "受理", "行政审批科", "科员", 1, ""),
        ("2", "专家评审", "专家组", "", 20, "1", False),
        ("3", "决定", "分管领导", "分管副局长", 1, "2"),
    )
    assert len(flags_of(steps, items({"before_days": 15.0}), "outside_over_limit")) == 1
    assert flags_of(steps, items({"before_days": 25.0}), "outside_over_limit").empty


@pytest.mark.parametrize(
    ("statutory", "committed", "rule", "expected"),
    [
        (20.0, 30.0, "committed_above_statutory", 1),
        (20.0, 20.0, "committed_above_statutory", 0),
        (20.0, 20.0, "no_speedup", 1),
        (20.0, 10.0, "no_speedup", 0),
    ],
)
def test_committed_limits_against_statutory_ones(
    statutory: float, committed: float, rule: str, expected: int
) -> None:
    found = flags_of(LEAN, items({"statutory_days": statutory, "committed_days": committed}), rule)
    assert len(found) == expected


def test_a_streamlined_item_gets_no_limit_flags() -> None:
    found = flags_of(LEAN, items({"committed_days": 30.0, "counts_as": "streamlined"}))
    assert found.empty


def test_materials_the_government_already_holds_are_flagged() -> None:
    assert len(flags_of(LEAN, items({"materials": "申请书、营业执照复印件"}), "shared_material")) == 1
    assert flags_of(LEAN, items({"materials": "申请书、设计方案"}), "shared_material").empty


def test_a_removed_step_really_removed_gives_the_same_critical_path_as_at_zero_days() -> None:
    steps = process(
        ("1", "受理", "行政审批科", "科员", 1, ""),
        ("2", "登记", "办公室", "科员", 2, "1"),
        ("3", "审查", "规划科", "科长", 5, "2"),
        ("4", "现场勘查", "建设科", "科员", 3, "2"),
        ("5", "决定", "分管领导", "分管副局长", 1, "3,4"),
    )
    found = flags_of(steps)
    real = proposed_steps(steps, found)
    assert "登记" not in real["step_name"].tolist()
    assert real.set_index("step_name").loc["审查", "predecessors"] == "1"
    zero = apply_changes(steps, found)
    assert (
        critical_paths(real)[0]["critical_path_days"].iloc[0]
        == critical_paths(zero)[0]["critical_path_days"].iloc[0]
    )


# ------------------------------------------------------------------ properties on random processes

NAMES = [
    "受理",
    "登记",
    "审查",
    "复审",
    "审核",
    "现场勘查",
    "专家评审",
    "集体讨论",
    "审批",
    "签发",
    "决定",
    "送达",
]
PEOPLE = ["科员", "科长", "分管副局长", "局长", ""]


@st.composite
def random_processes(draw: st.DrawFn) -> pd.DataFrame:
    frames = []
    for item in range(draw(st.integers(1, 3))):
        n = draw(st.integers(1, 9))
        rows = []
        for k in range(n):
            earlier = [str(j + 1) for j in range(k)]
            preds = draw(st.lists(st.sampled_from(earlier), unique=True, max_size=2)) if earlier else []
            rows.append(
                (
                    str(k + 1),
                    draw(st.sampled_from(NAMES)),
                    draw(st.sampled_from(OFFICES)),
                    draw(st.sampled_from(PEOPLE)),
                    draw(st.sampled_from([0, 0.5, 1, 2, 3, 5])),
                    ",".join(preds) or ("" if k == 0 else str(k)),
                    draw(st.booleans()) or k % 2 == 0,
                    draw(st.sampled_from(["", "申请表", "申请表、方案"])),
                )
            )
        frames.append(process(*rows, item_id=item))
    return pd.concat(frames, ignore_index=True)


@given(random_processes())
def test_applying_any_flag_or_all_of_them_never_lengthens_the_path_and_keeps_it_acyclic(
    steps: pd.DataFrame,
) -> None:
    catalog_items = items(*[{} for _ in range(steps["item_id"].nunique())])
    found = redesign_flags(steps, catalog_items)
    assert (found["days_saved"] >= -1e-9).all()
    before = critical_paths(steps)[0].set_index("item_id")["critical_path_days"]
    combined = apply_changes(steps, found)
    paths, problems = critical_paths(combined)
    assert problems.empty and not paths["has_cycle"].any()
    assert (paths.set_index("item_id")["critical_path_days"] <= before + 1e-9).all()
    for item_id, part in steps.groupby("item_id"):
        real = proposed_steps(part, found[found["item_id"] == item_id])
        graph = nx.DiGraph()
        graph.add_nodes_from(real["step_no"])
        graph.add_edges_from(
            (p, s)
            for s, ps in zip(real["step_no"], real["predecessors"], strict=True)
            for p in ps.split(",")
            if p
        )
        assert nx.is_directed_acyclic_graph(graph)
        expected = paths.set_index("item_id").loc[item_id, "critical_path_days"]
        real_days = critical_paths(real)[0]["critical_path_days"].sum()  # no steps left: 0 days
        assert real_days == pytest.approx(expected)


def test_the_sample_yields_flags_whose_accepted_application_gives_a_plausible_after_process() -> None:
    dataset = load_dataset(sorted(glob.glob("data/sample/*.xlsx")), Options(year=2026))
    found = redesign_flags(dataset.steps, dataset.items)
    assert {"serial_reviews", "signoff_chain", "pass_through"} <= set(found["rule"])
    before = dataset.steps[dataset.steps["version"] == "before"]
    paths = critical_paths(before)[0].set_index("item_id")["critical_path_days"]
    proposed = critical_paths(apply_changes(before, found[found["version"] == "before"]))[0]
    proposed = proposed.set_index("item_id")["critical_path_days"]
    submitted = critical_paths(dataset.steps[dataset.steps["version"] == "after"])[0]["critical_path_days"]
    assert (proposed <= paths).all()
    # Shorter than today, but not shorter than what departments themselves promised after redesign.
    assert submitted.mean() < proposed.mean() < paths.mean()
    assert found.loc[found["change"] != "none", "days_saved"].gt(0).mean() > 0.9


def test_a_retained_item_resting_only_on_a_ministry_rule_is_a_cancel_candidate() -> None:
    catalog_items = items(
        {"legal_basis": "《种子生产经营管理办法》（农业部令第5号）第八条"},
        {"legal_basis": "《中华人民共和国种子法》第三十一条；《种子生产经营管理办法》（农业部令第5号）"},
        {"legal_basis": "示例市人民政府办公室关于加强种子管理的通知（示政办发〔2007〕19号）",
         "counts_as": "streamlined"},
    )  # fmt: skip
    found = flags_of(LEAN, catalog_items, "legal_basis")
    assert found["item_id"].tolist() == [0]  # item 1 also has a law; item 2 is already gone
    assert "部门规章" in found.iloc[0]["why"] and found.iloc[0]["days_saved"] == 0.0


def test_near_identical_items_of_two_departments_are_merge_candidates_and_different_ones_not() -> None:
    catalog_items = items(
        {"name": "建筑工程施工许可", "department": "市住建局"},
        {"name": "建筑工程施工许可证核发", "department": "市城管局"},
        {"name": "烟花爆竹经营许可", "department": "市应急局"},
    )
    found = flags_of(LEAN, catalog_items, "merge_candidate")
    assert found["item_id"].tolist() == [0]
    assert "建筑工程施工许可证核发" in found.iloc[0]["why"] and "市城管局" in found.iloc[0]["why"]
    assert found.iloc[0]["flag_key"] == "merge_candidate|K0||K1"
    alone = items({"name": "建筑工程施工许可"}, {"name": "烟花爆竹经营许可", "department": "市应急局"})
    assert flags_of(LEAN, alone, "merge_candidate").empty
