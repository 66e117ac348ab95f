"""An item whose department submitted no process after re-engineering says so where its process
figures are compared before → after (流程图, 流程再造), instead of a figure such as "5 → 0"."""

from __future__ import annotations

import pytest
from builders import messy_items_rows, workbook
from sample import SETTINGS

from approvals.analysis import Analysis, analyze, project
from approvals.dataset.build import load_dataset
from approvals.model import Verdict
from approvals.views.process import NO_AFTER_PROCESS, item_process
from approvals.views.redesign import item_redesign

ITEMS = [
    ["市住建局", "ZJ-1", "建筑工程施工许可", "行政许可", "《建筑法》第八条", "20", "10", "保留", ""],
    ["市水利局", "SL-1", "取水许可", "行政许可", "《中华人民共和国水法》第七条", "45", "20", "保留", ""],
]  # fmt: skip
STEPS = [
    ["事项编码", "流程版本", "环节序号", "环节名称", "责任科室", "办理时限", "前置环节"],
    # 建筑工程施工许可: five steps today, no process after re-engineering
    ["ZJ-1", "再造前", 1, "受理", "窗口", "1", ""],
    ["ZJ-1", "再造前", 2, "转办", "办公室", "2", "1"],
    ["ZJ-1", "再造前", 3, "审查", "审批科", "5", "2"],
    ["ZJ-1", "再造前", 4, "审核", "审批科", "3", "3"],
    ["ZJ-1", "再造前", 5, "决定", "局长", "1", "4"],
    # 取水许可: four steps before, three after
    ["SL-1", "再造前", 1, "受理", "窗口", "1", ""],
    ["SL-1", "再造前", 2, "审查", "水资源科", "10", "1"],
    ["SL-1", "再造前", 3, "审核", "水资源科", "5", "2"],
    ["SL-1", "再造前", 4, "决定", "局长", "2", "3"],
    ["SL-1", "再造后", 1, "受理", "窗口", "1", ""],
    ["SL-1", "再造后", 2, "审查", "水资源科", "6", "1"],
    ["SL-1", "再造后", 3, "决定", "局长", "1", "2"],
]


@pytest.fixture(scope="module")
def analysis() -> Analysis:
    data = workbook({"清理汇总": messy_items_rows(ITEMS), "办理环节": STEPS})
    return analyze(load_dataset([("汇总.xlsx", data)], SETTINGS))


def item_id(analysis: Analysis, name: str) -> int:
    items = analysis.dataset.items
    return int(items.loc[items["name"].eq(name), "item_id"].iloc[0])


def cards(metrics) -> dict[str, tuple[str, str | None]]:
    return {m.label: (m.value, m.note) for m in metrics}


def test_the_process_screen_says_no_process_after_was_submitted_instead_of_zero_steps(
    analysis: Analysis,
) -> None:
    shown = cards(item_process(analysis, item_id(analysis, "建筑工程施工许可"), {}).metrics)
    assert shown["环节数"] == ("5 → 未报送", NO_AFTER_PROCESS)
    assert shown["关键路径（工作日）"] == ("12.00 → 未报送", NO_AFTER_PROCESS)
    assert shown["工作量合计（工作日）"] == ("12.00 → 未报送", NO_AFTER_PROCESS)
    assert shown["承诺时限（工作日）"][0] == "20.00 → 10.00"  # the item's limits, not its process
    assert not any("→ 0" in value for value, _ in shown.values())


def test_a_submitted_process_after_keeps_its_figures(analysis: Analysis) -> None:
    shown = cards(item_process(analysis, item_id(analysis, "取水许可"), {}).metrics)
    assert shown["环节数"][0] == "4 → 3"
    assert shown["关键路径（工作日）"][0] == "18.00 → 8.00"
    assert shown["关键路径（工作日）"][1] == f"{(18 - 8) / 18:.2%}"


def test_the_redesign_screen_says_so_until_a_suggestion_is_accepted(analysis: Analysis) -> None:
    building = item_id(analysis, "建筑工程施工许可")
    shown = cards(item_redesign(analysis, building, {}, project(analysis, [])).reductions)
    assert shown["减环节（环节数）"] == ("5 → 未报送", NO_AFTER_PROCESS)
    assert shown["减时限（关键路径（工作日））"] == ("12.00 → 未报送", NO_AFTER_PROCESS)

    flags = analysis.flags
    transfer = flags[flags["rule"].eq("pass_through") & flags["item_id"].eq(building)]["flag_key"].tolist()
    assert len(transfer) == 1  # 转办 takes 2 days and decides nothing
    verdicts = {transfer[0]: str(Verdict.ACCEPTED)}
    accepted = cards(item_redesign(analysis, building, verdicts, project(analysis, transfer)).reductions)
    assert accepted["减环节（环节数）"] == ("5 → 4", f"采纳建议后（{NO_AFTER_PROCESS}）")
    assert accepted["减时限（关键路径（工作日））"][0] == "12.00 → 10.00"


def test_the_redesign_screen_compares_a_submitted_process_after(analysis: Analysis) -> None:
    water = item_id(analysis, "取水许可")
    shown = cards(item_redesign(analysis, water, {}, project(analysis, [])).reductions)
    assert shown["减环节（环节数）"] == ("4 → 3", None)
