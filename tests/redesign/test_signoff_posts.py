"""签批层级过多 on step lists as departments write them: the post in brackets in the step name, in
a 岗位 column, in a 办理人员 column, beside personal names that must never count as levels."""

from __future__ import annotations

from typing import Any

import pandas as pd
import pytest
from builders import messy_items_rows, workbook
from sample import SETTINGS

from approvals.analysis import analyze
from approvals.dataset.build import load_dataset
from approvals.redesign.context import step_posts

ITEM = ["市住建局", "ZJ-1", "建筑工程施工许可", "行政许可", "《建筑法》第八条", "20", "10", "保留", ""]
NAMES = ["受理", "初审", "复审", "审核", "审批", "签发"]
DAYS = [1, 3, 2, 2, 2, 1]


def step_sheet(header: list[str], columns: list[list[str]], names: list[str] = NAMES) -> list[list[Any]]:
    """A step list of item ZJ-1's six steps in a row: 事项编码, 环节序号, 环节名称, the columns
    given (one list of six cells per header), 办理时限, 前置环节."""
    rows: list[list[Any]] = [["事项编码", "环节序号", "环节名称", *header, "办理时限", "前置环节"]]
    for n, (name, days) in enumerate(zip(names, DAYS, strict=True), start=1):
        rows.append(["ZJ-1", n, name, *(c[n - 1] for c in columns), str(days), str(n - 1) if n > 1 else ""])
    return rows


def signoff_flags(steps: list[list[Any]]) -> pd.DataFrame:
    data = workbook({"清理汇总": messy_items_rows([ITEM]), "办理环节": steps})
    flags = analyze(load_dataset([("住建局.xlsx", data)], SETTINGS)).flags
    return flags[flags["rule"].eq("signoff_chain")]


OFFICES = ["窗口", "审批科", "审批科", "审批科", "局领导", "局领导"]
PEOPLE = ["赵六", "张三", "李四", "王五", "钱七", "孙八"]
POSTS = ["工作人员", "科员", "", "科长", "分管副局长", "局长"]


def test_posts_in_brackets_of_the_step_names_make_a_chain_of_three_levels() -> None:
    names = ["受理", "初审", "复审", "审核(科长)", "审批(分管领导)", "签发(局长)"]
    found = signoff_flags(step_sheet(["责任科室"], [OFFICES], names))
    assert [tuple(s) for s in found["steps"]] == [("审核(科长)", "审批(分管领导)", "签发(局长)")]
    assert found["days_saved"].tolist() == [1.0]  # 签发 by 局长 goes: its day leaves the path
    assert "授权由分管领导签发" in found["suggestion"].iloc[0]


@pytest.mark.parametrize("post_header", ["岗位", "办理人员", "责任人员"])
def test_posts_in_a_post_column_make_a_chain_of_four_levels(post_header: str) -> None:
    found = signoff_flags(step_sheet(["责任科室", post_header], [OFFICES, POSTS]))
    # 复审 has no post: 审核 → 审批 → 签发 is the chain one to one, of three levels
    assert [tuple(s) for s in found["steps"]] == [("审核", "审批", "签发")]
    assert found["why"].iloc[0] == "签批经过 3 个层级：审核（科长）→审批（分管副局长）→签发（局长）"


@pytest.mark.parametrize("order", ["posts_first", "names_first"])
def test_a_post_column_beside_a_column_of_personal_names_is_read_whichever_comes_first(order: str) -> None:
    header, columns = (["岗位", "办理人员"], [POSTS, PEOPLE])
    if order == "names_first":
        header, columns = header[::-1], columns[::-1]
    found = signoff_flags(step_sheet(["责任科室", *header], [OFFICES, *columns]))
    assert [tuple(s) for s in found["steps"]] == [("审核", "审批", "签发")]
    assert "授权由分管副局长签发" in found["suggestion"].iloc[0]


def test_personal_names_alone_are_no_levels() -> None:
    found = signoff_flags(step_sheet(["责任科室", "办理人员"], [["审批科"] * 6, PEOPLE]))
    assert found.empty


def test_personal_names_leave_the_level_to_the_office() -> None:
    offices = ["窗口", "审批科", "审批科", "科长室", "分管领导", "主要领导"]
    found = signoff_flags(step_sheet(["责任科室", "办理人员"], [offices, PEOPLE]))
    assert [tuple(s) for s in found["steps"]] == [("审核", "审批", "签发")]
    assert "授权由分管领导签发" in found["suggestion"].iloc[0]


def test_each_step_takes_the_first_post_that_names_a_level() -> None:
    steps = pd.DataFrame(
        {
            "step_name": ["审核（科长）", "审批", "签发（局长）", "复审", "现场勘查（必要时）"],
            "person": ["", "分管副局长", "张三", "李四", ""],
            "office": ["审批科", "主要领导", "局领导", "审批科", "审批科"],
            "岗位": ["", "", "", "科员", ""],
        }
    )
    posts = step_posts(steps, SETTINGS)
    assert posts["post"].tolist() == ["科长", "分管副局长", "局长", "科员", ""]
    assert posts["level"].tolist() == [2, 3, 4, 1, 0]
