"""流程再造 rules: each finds what it should, not what it should not, and saves the days it says.

Every rule has one table below: each row is a small process written as its steps (and the items
it belongs to), with what the rule flags — the step names of each flag, or the item's name where
a flag names no step — and the working days each flag's change takes off the timed critical path.
"""

from __future__ import annotations

import math
import tomllib
from dataclasses import dataclass, field
from typing import Any

import networkx as nx
import pandas as pd
import pytest
from hypothesis import given
from hypothesis import strategies as st
from sample import SETTINGS, sample_analysis, sample_dataset

from approvals.model import ITEM_COLUMNS, STEP_COLUMNS, column_dtype, conform, validate_items, validate_steps
from approvals.processes.paths import critical_paths
from approvals.redesign.changes import apply_changes, proposed_steps
from approvals.redesign.flags import redesign_flags
from approvals.redesign.rules import RULE_KEYS, RULES
from approvals.settings import DEFAULTS_DIR
from approvals.settings.redesign import MERGE_RULE

OFFICES = ["行政审批科", "规划科", "法规科", "建设科", "分管领导", "主要领导"]

# A step as written: (no, name, office, person, days, predecessors[, counted, materials, basis]).
Row = tuple[Any, ...]


def process(*rows: Row, item_id: int = 0, version: str = "before") -> pd.DataFrame:
    """Steps of one process as the canonical step table; step ids 100 × item (+ 50 after) + row."""
    first = 100 * item_id + (50 if version == "after" else 0)
    records = []
    for n, row in enumerate(rows):
        no, name, office, person, days, preds, *rest = row
        counted, materials, basis = (list(rest) + [True, "", ""][len(rest) :])[:3]
        records.append(
            {
                "step_id": first + n,
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
    return validate_steps(conform(pd.DataFrame(records), STEP_COLUMNS))


def items(*rows: dict[str, Any]) -> pd.DataFrame:
    """Retained items 0, 1, … (key K0, K1, …) with a 20-day statutory limit and a 10-day commitment,
    each with the fields of its row."""
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
    table = conform(pd.DataFrame(records), ITEM_COLUMNS)
    text = [c for c in ITEM_COLUMNS if column_dtype(c) == "str"]
    table[text] = table[text].fillna("")  # a field only some rows give is blank in the others, as read
    return validate_items(table)


def flags_of(steps: pd.DataFrame, catalog_items: pd.DataFrame | None = None) -> pd.DataFrame:
    """Every rule's flags on ``steps``, measured, with the bundled settings."""
    catalog = items({}) if catalog_items is None else catalog_items
    return redesign_flags(steps, catalog, critical_paths(steps)[0], SETTINGS)


LEAN = (
    ("1", "受理", "行政审批科", "科员", 1, ""),
    ("2", "审查", "规划科", "科长", 3, "1"),
    ("3", "决定", "分管领导", "分管副局长", 1, "2"),
)  # 5 days, one review, two sign-off levels


# ------------------------------------------------------------------ the tables


@dataclass(frozen=True)
class Case:
    """One row of a rule's table."""

    name: str
    before: tuple[Row, ...]  # the item's process today (item 0)
    flagged: tuple[tuple[str, ...] | str, ...] = ()  # per flag: its step names, or the item's name
    saved: tuple[float, ...] = ()  # per flag: working days off the timed critical path
    items: tuple[dict[str, Any], ...] = ({},)
    after: tuple[Row, ...] = ()  # the item's process after re-engineering, where submitted
    says: tuple[str, ...] = ()  # words every flag's why or suggestion holds
    fields: dict[str, tuple[Any, ...]] = field(default_factory=dict)  # other flag columns, per flag

    def steps(self) -> pd.DataFrame:
        versions = [process(*self.before)] + ([process(*self.after, version="after")] if self.after else [])
        return pd.concat(versions, ignore_index=True)


REPEATED_REVIEW = [
    Case(
        "the_same_review_twice_removing_the_second_saves_its_3_days",
        (
            ("1", "受理", "行政审批科", "科员", 1, ""),
            ("2", "审查", "规划科", "科长", 5, "1"),
            ("3", "审查", "规划科", "科长", 3, "2"),
            ("4", "决定", "分管领导", "分管副局长", 1, "3"),
        ),
        flagged=(("审查", "审查"),),
        saved=(3.0,),
        says=("同名审查",),
        fields={"change_steps": ((2,),)},
    ),
    Case(
        "one_office_and_role_reviewing_twice_under_two_names",
        (
            ("1", "受理", "行政审批科", "科员", 1, ""),
            ("2", "初审", "规划科", "科长", 4, "1"),
            ("3", "复核", "规划科", "科长", 2, "2"),
            ("4", "决定", "分管领导", "分管副局长", 1, "3"),
        ),
        flagged=(("初审", "复核"),),
        saved=(2.0,),
        says=("同一科室同一岗位",),
    ),
    Case(
        "different_reviews_by_different_people_are_not_repeats",
        (
            ("1", "受理", "行政审批科", "科员", 1, ""),
            ("2", "初审", "规划科", "科员", 5, "1"),
            ("3", "审核", "法规科", "科长", 3, "1"),
            ("4", "决定", "分管领导", "分管副局长", 1, "2,3"),
        ),
    ),
    Case(
        "the_same_review_before_and_after_redesign_is_no_repeat",
        LEAN,
        after=(
            ("1", "受理", "行政审批科", "科员", 1, ""),
            ("2", "审查", "规划科", "科长", 2, "1"),
            ("3", "决定", "分管领导", "分管副局长", 1, "2"),
        ),
    ),
    Case(
        "reviews_by_one_office_with_no_post_written_are_not_one_post",
        (
            ("1", "受理", "行政审批科", "", 1, ""),
            ("2", "初审", "审批科", "", 3, "1"),
            ("3", "复审", "审批科", "", 2, "2"),
            ("4", "审核(科长)", "审批科", "", 2, "3"),
            ("5", "决定", "审批科", "", 1, "4"),
        ),
    ),
    Case(
        "one_post_in_brackets_reviewing_twice_in_one_office",
        (
            ("1", "受理", "行政审批科", "", 1, ""),
            ("2", "初审（科员）", "审批科", "", 3, "1"),
            ("3", "复核（科员）", "审批科", "", 2, "2"),
            ("4", "决定", "分管领导", "", 1, "3"),
        ),
        flagged=(("初审（科员）", "复核（科员）"),),
        saved=(2.0,),
        says=("同一科室同一岗位",),
    ),
    Case(
        "two_site_inspections_are_not_reviews",
        (
            ("1", "受理", "行政审批科", "科员", 1, ""),
            ("2", "现场勘查", "建设科", "科员", 2, "1"),
            ("3", "现场勘查", "建设科", "科员", 1, "2"),
            ("4", "决定", "分管领导", "分管副局长", 1, "3"),
        ),
    ),
]

SERIAL_REVIEWS = [
    Case(
        "three_offices_in_series_4_3_5_days_in_parallel_save_7",  # 1+4+3+5+1 = 14 → 1+max(4,3,5)+1 = 7
        (
            ("1", "受理", "行政审批科", "科员", 1, ""),
            ("2", "审查", "规划科", "科长", 4, "1"),
            ("3", "审查", "法规科", "科长", 3, "2"),
            ("4", "审查", "建设科", "科长", 5, "3"),
            ("5", "决定", "分管领导", "分管副局长", 1, "4"),
        ),
        flagged=(("审查", "审查", "审查"),),
        saved=(7.0,),
        items=({"after_days": 20.0},),
        says=("串联用时 12 个工作日", "并联审批"),
    ),
    Case(
        "a_review_and_a_site_inspection_of_two_offices_save_the_shorter",
        (
            ("1", "受理", "行政审批科", "科员", 1, ""),
            ("2", "规划审查", "规划科", "科长", 4, "1"),
            ("3", "现场勘查", "建设科", "科员", 3, "2"),
            ("4", "决定", "分管领导", "分管副局长", 1, "3"),
        ),
        flagged=(("规划审查", "现场勘查"),),
        saved=(3.0,),
    ),
    Case(
        "an_uncounted_expert_review_beside_the_review_saves_no_timed_day",
        (
            ("1", "受理", "行政审批科", "科员", 1, ""),
            ("2", "审查", "规划科", "科长", 4, "1"),
            ("3", "专家评审", "专家组", "", 10, "2", False),
            ("4", "决定", "分管领导", "分管副局长", 1, "3"),
        ),
        flagged=(("审查", "专家评审"),),
        saved=(0.0,),
        says=("串联用时 4 个工作日，另有不计时 10 个工作日",),
    ),
    Case(
        "reviews_by_one_office_are_not_parallel_candidates",
        (
            ("1", "受理", "行政审批科", "科员", 1, ""),
            ("2", "审查", "规划科", "科员", 4, "1"),
            ("3", "复核", "规划科", "科长", 3, "2"),
            ("4", "决定", "分管领导", "分管副局长", 1, "3"),
        ),
    ),
    Case(
        "a_check_of_the_review_before_it_is_not_a_parallel_candidate",
        (
            ("1", "受理", "行政审批科", "科员", 1, ""),
            ("2", "审查", "规划科", "科员", 4, "1"),
            ("3", "审核", "行政审批科", "科长", 3, "2"),
            ("4", "决定", "分管领导", "分管副局长", 1, "3"),
        ),
    ),
    Case(
        "reviews_already_in_parallel_are_not_flagged",
        (
            ("1", "受理", "行政审批科", "科员", 1, ""),
            ("2", "审查", "规划科", "科长", 4, "1"),
            ("3", "审查", "法规科", "科长", 3, "1"),
            ("4", "决定", "分管领导", "分管副局长", 1, "2,3"),
        ),
    ),
]

SIGNOFF_CHAIN = [
    Case(
        "three_levels_delegate_the_top_one_saving_its_day",
        (
            ("1", "受理", "行政审批科", "科员", 1, ""),
            ("2", "审核", "规划科", "科长", 2, "1"),
            ("3", "审批", "分管领导", "分管副局长", 2, "2"),
            ("4", "签发", "主要领导", "局长", 1, "3"),
        ),
        flagged=(("审核", "审批", "签发"),),
        saved=(1.0,),
        says=("授权由分管副局长签发",),
        fields={"change_steps": ((3,),)},  # 签发 by 局长
    ),
    Case(
        "four_levels_keep_the_two_lowest",
        (
            ("1", "受理", "行政审批科", "科员", 1, ""),
            ("2", "初审", "规划科", "科员", 3, "1"),
            ("3", "审核", "规划科", "科长", 2, "2"),
            ("4", "审批", "分管领导", "分管副局长", 2, "3"),
            ("5", "签发", "主要领导", "局长", 1, "4"),
        ),
        flagged=(("初审", "审核", "审批", "签发"),),
        saved=(3.0,),
        says=("签批经过 4 个层级", "授权由科长签发"),
        fields={"change_steps": ((3, 4),)},
    ),
    Case(
        "two_sign_off_levels_are_fine",
        (
            ("1", "受理", "行政审批科", "科员", 1, ""),
            ("2", "审核", "规划科", "科长", 2, "1"),
            ("3", "审批", "分管领导", "分管副局长", 2, "2"),
        ),
    ),
    Case("a_review_and_a_decision_are_two_levels", LEAN),
    Case(
        "posts_in_brackets_of_the_step_names_are_levels",  # as a county bureau wrote its chain
        (
            ("1", "受理", "行政审批科", "", 1, ""),
            ("2", "初审", "审批科", "", 3, "1"),
            ("3", "复审", "审批科", "", 2, "2"),
            ("4", "审核(科长)", "审批科", "", 2, "3"),
            ("5", "审批(分管领导)", "", "", 2, "4"),
            ("6", "签发(局长)", "", "", 1, "5"),
        ),
        flagged=(("审核(科长)", "审批(分管领导)", "签发(局长)"),),
        saved=(1.0,),
        says=("签批经过 3 个层级：审核(科长)→审批(分管领导)→签发(局长)", "授权由分管领导签发"),
        fields={"change_steps": ((5,),)},
    ),
    Case(
        "posts_in_full_width_brackets_beside_personal_names",
        (
            ("1", "受理", "行政审批科", "赵六", 1, ""),
            ("2", "审核（股长）", "审批股", "张三", 2, "1"),
            ("3", "审批（副局长）", "局领导", "李四", 3, "2"),
            ("4", "签发（主要领导）", "局领导", "王五", 2, "3"),
        ),
        flagged=(("审核（股长）", "审批（副局长）", "签发（主要领导）"),),
        saved=(2.0,),
        says=("授权由副局长签发",),
        fields={"change_steps": ((3,),)},
    ),
    Case(
        "posts_in_the_person_column_beside_names_in_the_step_names",
        (
            ("1", "受理", "窗口", "工作人员", 1, ""),
            ("2", "初审", "审批科", "经办人", 3, "1"),
            ("3", "审核", "审批科", "科室负责人", 2, "2"),
            ("4", "审批", "局领导", "分管领导", 2, "3"),
        ),
        flagged=(("初审", "审核", "审批"),),
        saved=(2.0,),
        says=(
            "签批经过 3 个层级：初审（经办人）→审核（科室负责人）→审批（分管领导）",
            "授权由科室负责人签发",
        ),
        fields={"change_steps": ((3,),)},
    ),
    Case(
        "the_office_names_the_level_where_the_person_is_a_name",
        (
            ("1", "受理", "行政审批科", "赵六", 1, ""),
            ("2", "审核", "科长室", "张三", 2, "1"),
            ("3", "审批", "分管领导", "李四", 3, "2"),
            ("4", "签发", "主要领导", "王五", 2, "3"),
        ),
        flagged=(("审核", "审批", "签发"),),
        saved=(2.0,),
        says=("授权由分管领导签发",),
    ),
    Case(
        "personal_names_are_no_levels",
        (
            ("1", "受理", "行政审批科", "赵六", 1, ""),
            ("2", "初审", "审批科", "张三", 3, "1"),
            ("3", "审核", "审批科", "李四", 2, "2"),
            ("4", "审批", "审批科", "王五", 2, "3"),
            ("5", "签发", "审批科", "钱七", 1, "4"),
        ),
    ),
    Case(
        "a_principal_staff_member_is_a_clerk_not_a_director",  # 主任科员 is a rank of 科员
        (
            ("1", "受理", "行政审批科", "科员", 1, ""),
            ("2", "初审", "审批科", "主任科员", 3, "1"),
            ("3", "审核", "审批科", "科长", 2, "2"),
            ("4", "审批", "分管领导", "分管副主任", 2, "3"),
        ),
        flagged=(("初审", "审核", "审批"),),
        saved=(2.0,),
        says=("签批经过 3 个层级",),
    ),
    Case(
        "levels_falling_from_the_top_are_no_chain",
        (
            ("1", "受理", "行政审批科", "科员", 1, ""),
            ("2", "审批", "主要领导", "局长", 1, "1"),
            ("3", "审核", "规划科", "科长", 2, "2"),
            ("4", "审查", "规划科", "科员", 3, "3"),
        ),
    ),
]

PASS_THROUGH = [
    Case(
        "a_registration_of_2_days_saves_2",
        (
            ("1", "受理", "行政审批科", "科员", 1, ""),
            ("2", "登记", "办公室", "科员", 2, "1"),
            ("3", "审查", "规划科", "科长", 5, "2"),
            ("4", "决定", "分管领导", "分管副局长", 1, "3"),
        ),
        flagged=(("登记",),),
        saved=(2.0,),
        says=("占用 2 个工作日",),
    ),
    Case(
        "two_pass_throughs_in_series_each_save_their_own_days",
        (
            ("1", "受理", "行政审批科", "科员", 1, ""),
            ("2", "登记", "办公室", "科员", 2, "1"),
            ("3", "转办", "办公室", "科员", 1, "2"),
            ("4", "审查", "规划科", "科长", 5, "3"),
            ("5", "决定", "分管领导", "分管副局长", 1, "4"),
        ),
        flagged=(("登记",), ("转办",)),
        saved=(2.0, 1.0),
    ),
    Case(
        "a_pass_on_off_the_critical_path_saves_nothing",
        (
            ("1", "受理", "行政审批科", "科员", 1, ""),
            ("2", "转办", "办公室", "科员", 1, "1"),
            ("3", "审查", "规划科", "科长", 2, "2"),
            ("4", "现场勘查", "建设科", "科员", 5, "1"),
            ("5", "决定", "分管领导", "分管副局长", 1, "3,4"),
        ),
        flagged=(("转办",),),
        saved=(0.0,),
    ),
    Case(
        "a_sign_for_of_no_time_is_left_alone",
        (
            ("1", "受理", "行政审批科", "科员", 1, ""),
            ("2", "签收", "办公室", "科员", 0, "1"),
            ("3", "决定", "分管领导", "分管副局长", 1, "2"),
        ),
    ),
    Case(
        "a_registration_that_also_reviews_is_no_pass_through",
        (
            ("1", "受理", "行政审批科", "科员", 1, ""),
            ("2", "登记审查", "办公室", "科员", 2, "1"),
            ("3", "决定", "分管领导", "分管副局长", 1, "2"),
        ),
    ),
]

NO_STEP_BASIS = [
    Case(
        "a_step_without_basis_where_the_list_records_them",  # 决定 needs no basis of its own
        (
            ("1", "受理", "行政审批科", "科员", 1, "", True, "", "《行政许可法》第三十二条"),
            ("2", "审查", "规划科", "科长", 5, "1", True, "", "《城乡规划法》第四十条"),
            ("3", "会审", "法规科", "科长", 2, "2", True, "", ""),
            ("4", "决定", "分管领导", "分管副局长", 1, "3", True, "", ""),
        ),
        flagged=(("会审",),),
        saved=(2.0,),
    ),
    Case("no_basis_is_asked_for_where_the_list_records_none", LEAN),
    Case(
        "every_step_with_its_basis",
        (
            ("1", "受理", "行政审批科", "科员", 1, "", True, "", "《行政许可法》第三十二条"),
            ("2", "审查", "规划科", "科长", 5, "1", True, "", "《城乡规划法》第四十条"),
            ("3", "决定", "分管领导", "分管副局长", 1, "2", True, "", "《行政许可法》第三十八条"),
        ),
    ),
    Case(
        "acceptance_decision_and_delivery_need_no_basis_of_their_own",
        (
            ("1", "受理", "行政审批科", "科员", 1, "", True, "", ""),
            ("2", "审查", "规划科", "科长", 5, "1", True, "", "《城乡规划法》第四十条"),
            ("3", "决定", "分管领导", "分管副局长", 1, "2", True, "", ""),
            ("4", "送达", "行政审批科", "科员", 0, "3", True, "", ""),
        ),
    ),
]

INSTANT = [
    Case(
        "accept_and_decide_in_3_days_become_instant",
        (("1", "受理", "行政审批科", "科员", 1, ""), ("2", "决定", "行政审批科", "科长", 2, "1")),
        flagged=(("受理", "决定"),),
        saved=(3.0,),
        says=("却需 3 个工作日",),
    ),
    Case(
        "the_submitted_after_process_of_accept_and_decide",
        LEAN,
        after=(("1", "受理", "行政审批科", "科员", 1, ""), ("2", "决定", "行政审批科", "科长", 1, "1")),
        flagged=(("受理", "决定"),),
        saved=(2.0,),
        fields={"version": ("after",)},
    ),
    Case(
        "accept_and_decide_already_at_0_days",
        (("1", "受理", "行政审批科", "科员", 0, ""), ("2", "决定", "行政审批科", "科长", 0, "1")),
    ),
    Case("a_review_between_them_keeps_the_process", LEAN),
    Case(
        "accept_and_deliver_is_no_decision",
        (("1", "受理", "行政审批科", "科员", 1, ""), ("2", "送达", "行政审批科", "科员", 1, "1")),
    ),
]

REPEATED_MATERIAL = [
    Case(
        "the_same_form_at_two_steps_changes_no_path",
        (
            ("1", "受理", "行政审批科", "科员", 1, "", True, "申请表、营业执照"),
            ("2", "审查", "规划科", "科长", 3, "1", True, "申请表"),
            ("3", "决定", "分管领导", "分管副局长", 1, "2"),
        ),
        flagged=(("受理", "审查"),),
        saved=(0.0,),
        says=("申请表在 2 个环节都要求提供",),
    ),
    Case(
        "two_materials_again_under_other_separators_in_another_order",
        (
            ("1", "受理", "行政审批科", "科员", 1, "", True, "申请表；设计方案"),
            ("2", "审查", "规划科", "科长", 3, "1", True, "设计方案/申请表"),
            ("3", "决定", "分管领导", "分管副局长", 1, "2"),
        ),
        flagged=(("受理", "审查"),),
        saved=(0.0,),
        says=("申请表、设计方案在 2 个环节都要求提供",),
    ),
    Case(
        "distinct_materials_per_step_are_fine",
        (
            ("1", "受理", "行政审批科", "科员", 1, "", True, "申请表"),
            ("2", "审查", "规划科", "科长", 3, "1", True, "设计方案"),
            ("3", "决定", "分管领导", "分管副局长", 1, "2"),
        ),
    ),
    Case(
        "the_same_form_before_and_after_redesign_is_no_repeat",
        (
            ("1", "受理", "行政审批科", "科员", 1, "", True, "申请表"),
            ("2", "审查", "规划科", "科长", 3, "1"),
            ("3", "决定", "分管领导", "分管副局长", 1, "2"),
        ),
        after=(
            ("1", "受理", "行政审批科", "科员", 1, "", True, "申请表"),
            ("2", "审查", "规划科", "科长", 2, "1"),
        ),
    ),
]

PATH_OVER_LIMIT = [
    Case(
        "a_5_day_path_over_a_4_day_limit",
        LEAN,
        flagged=(("受理", "审查", "决定"),),
        saved=(0.0,),
        items=({"before_days": 4.0},),
        says=("关键路径 5 个工作日，超过办结时限 4 个工作日",),
        fields={"version": ("before",)},
    ),
    Case(
        "the_submitted_after_process_against_the_new_limit",
        LEAN,
        after=(
            ("1", "受理", "行政审批科", "科员", 1, ""),
            ("2", "审查", "规划科", "科长", 4, "1"),
            ("3", "决定", "分管领导", "分管副局长", 1, "2"),
        ),
        flagged=(("受理", "审查", "决定"),),
        saved=(0.0,),
        items=({"after_days": 5.0},),
        fields={"version": ("after",)},
    ),
    Case("a_5_day_path_within_a_5_day_limit", LEAN, items=({"before_days": 5.0},)),
    Case(
        "an_item_without_a_limit_has_none_to_exceed",
        LEAN,
        items=({"statutory_status": "none", "statutory_days": math.nan, "before_days": math.nan},),
    ),
    Case(
        "a_process_with_a_cycle_has_no_path_to_compare",
        (("1", "受理", "行政审批科", "科员", 1, "2"), ("2", "审查", "规划科", "科长", 3, "1")),
        items=({"before_days": 0.0},),
    ),
]

EXPERT_OUTSIDE = (
    ("1", "受理", "行政审批科", "科员", 1, ""),
    ("2", "专家评审", "专家组", "", 20, "1", False),
    ("3", "决定", "分管领导", "分管副局长", 1, "2"),
)  # 2 days within the limit, 20 outside it

OUTSIDE_OVER_LIMIT = [
    Case(
        "20_days_of_expert_review_beside_a_15_day_limit",
        EXPERT_OUTSIDE,
        flagged=(("受理", "专家评审", "决定"),),
        saved=(0.0,),
        items=({"before_days": 15.0},),
        says=("另需 20 个工作日，长于办结时限 15 个工作日",),
    ),
    Case("20_days_beside_a_25_day_limit", EXPERT_OUTSIDE, items=({"before_days": 25.0},)),
    Case("an_instant_item_has_no_limit_to_outgrow", EXPERT_OUTSIDE, items=({"before_days": 0.0},)),
]

COMMITTED_ABOVE_STATUTORY = [
    Case(
        "30_days_promised_against_20_statutory",
        LEAN,
        flagged=("事项0",),
        saved=(0.0,),
        items=({"statutory_days": 20.0, "committed_days": 30.0},),
        says=("应承诺不超过 20 个工作日",),
    ),
    Case("as_long_as_the_statutory", LEAN, items=({"statutory_days": 20.0, "committed_days": 20.0},)),
    Case("a_streamlined_item", LEAN, items=({"committed_days": 30.0, "counts_as": "streamlined"},)),
    Case(
        "no_statutory_limit_to_exceed",
        LEAN,
        items=({"statutory_status": "none", "statutory_days": math.nan, "committed_days": 30.0},),
    ),
]

NO_SPEEDUP = [
    Case(
        "the_statutory_20_days_promised_again",
        LEAN,
        flagged=("事项0",),
        saved=(0.0,),
        items=({"statutory_days": 20.0, "committed_days": 20.0},),
        says=("均为 20 个工作日",),
    ),
    Case("10_days_promised_against_20", LEAN, items=({"statutory_days": 20.0, "committed_days": 10.0},)),
    Case("instant_by_law_and_promise", LEAN, items=({"statutory_days": 0.0, "committed_days": 0.0},)),
    Case(
        "a_streamlined_item",
        LEAN,
        items=({"statutory_days": 20.0, "committed_days": 20.0, "counts_as": "streamlined"},),
    ),
]

SHARED_MATERIAL = [
    Case(
        "a_copy_of_the_business_licence",
        LEAN,
        flagged=("事项0",),
        saved=(0.0,),
        items=({"materials": "申请书、营业执照复印件"},),
        says=("营业执照", "政务数据共享"),
    ),
    Case("only_the_applicants_own_papers", LEAN, items=({"materials": "申请书、设计方案"},)),
    Case("a_streamlined_item", LEAN, items=({"materials": "营业执照", "counts_as": "streamlined"},)),
]

LEGAL_BASIS = [
    Case(
        "a_retained_item_resting_only_on_a_ministry_rule",  # item 1 also has a law; item 2 is already gone
        LEAN,
        flagged=("事项0",),
        saved=(0.0,),
        items=(
            {"legal_basis": "《种子生产经营管理办法》（农业部令第5号）第八条"},
            {"legal_basis": "《中华人民共和国种子法》第三十一条；《种子生产经营管理办法》（农业部令第5号）"},
            {
                "legal_basis": "示例市人民政府办公室关于加强种子管理的通知（示政办发〔2007〕19号）",
                "counts_as": "streamlined",
            },
        ),
        says=("部门规章",),
    ),
    Case("a_basis_no_rule_recognises_is_checked_not_cancelled", LEAN, items=({"legal_basis": "详见附件"},)),
    Case("no_basis_written", LEAN, items=({"legal_basis": ""},)),
]

RULE_TABLES: dict[str, list[Case]] = {
    "repeated_review": REPEATED_REVIEW,
    "serial_reviews": SERIAL_REVIEWS,
    "signoff_chain": SIGNOFF_CHAIN,
    "pass_through": PASS_THROUGH,
    "no_step_basis": NO_STEP_BASIS,
    "instant": INSTANT,
    "repeated_material": REPEATED_MATERIAL,
    "path_over_limit": PATH_OVER_LIMIT,
    "outside_over_limit": OUTSIDE_OVER_LIMIT,
    "committed_above_statutory": COMMITTED_ABOVE_STATUTORY,
    "no_speedup": NO_SPEEDUP,
    "shared_material": SHARED_MATERIAL,
    "legal_basis": LEGAL_BASIS,
}
RULE_BY_KEY = {rule.key: rule for rule in RULES}


def flagged(flags: pd.DataFrame) -> list[tuple[str, ...] | str]:
    """What each flag names: its steps, or its item where it names no step."""
    return [
        tuple(steps) if len(steps) else item
        for steps, item in zip(flags["steps"], flags["item"], strict=True)
    ]


@pytest.mark.parametrize(
    ("rule", "case"),
    [
        pytest.param(rule, case, id=f"{rule}-{case.name}")
        for rule, table in RULE_TABLES.items()
        for case in table
    ],
)
def test_each_rule_flags_what_its_table_says_and_saves_the_days_it_says(rule: str, case: Case) -> None:
    found = flags_of(case.steps(), items(*case.items))
    mine = found[found["rule"] == rule]
    assert flagged(mine) == list(case.flagged)
    assert mine["days_saved"].tolist() == list(case.saved)
    assert mine["change"].eq(str(RULE_BY_KEY[rule].change)).all()
    assert mine["title"].eq(SETTINGS.redesign.title(rule)).all()
    for word in case.says:
        assert all(
            word in why + suggestion for why, suggestion in zip(mine["why"], mine["suggestion"], strict=True)
        )
    for column, values in case.fields.items():
        assert mine[column].tolist() == list(values), column


def test_every_rule_has_a_table_of_rows_that_flag_and_rows_that_must_not() -> None:
    assert tuple(RULE_TABLES) == RULE_KEYS
    for rule, table in RULE_TABLES.items():
        assert any(case.flagged for case in table), rule
        assert any(not case.flagged for case in table), rule
        for case in table:
            assert len(case.flagged) == len(case.saved), (rule, case.name)
            assert all(len(values) == len(case.flagged) for values in case.fields.values()), (rule, case.name)


def test_the_registry_is_the_rule_sections_of_the_bundled_redesign_toml_in_order() -> None:
    bundled = tomllib.loads((DEFAULTS_DIR / "redesign.toml").read_text(encoding="utf-8"))["rules"]
    # the last section is the merge candidates': a list of their own, not a rule of the registry
    assert (*RULE_KEYS, MERGE_RULE) == (*(rule.key for rule in RULES), MERGE_RULE) == tuple(bundled)
    for rule in RULES:
        title = SETTINGS.redesign.title(rule.key)
        assert title == bundled[rule.key]["title"]
        assert title.strip() and any("\u4e00" <= ch <= "\u9fff" for ch in title), rule.key
        assert rule.summary.strip(), rule.key


# ------------------------------------------------------------------ every rule at once


def test_a_lean_process_with_a_shortened_commitment_gets_no_flag() -> None:
    assert flags_of(process(*LEAN)).empty


def test_a_streamlined_item_gets_no_limit_flags() -> None:
    assert flags_of(process(*LEAN), items({"committed_days": 30.0, "counts_as": "streamlined"})).empty


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
    found = flags_of(steps, catalog_items)
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


# ------------------------------------------------------------------ the bundled sample


def test_the_sample_yields_flags_whose_accepted_application_gives_a_plausible_after_process() -> None:
    dataset = sample_dataset()
    found = redesign_flags(dataset.steps, dataset.items, sample_analysis().processes, SETTINGS)
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
