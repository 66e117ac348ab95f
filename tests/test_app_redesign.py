"""流程再造 on a county workbook as a new user loads it: the sign-off chain written with posts in
brackets is flagged, merge candidates sit on their own tab out of every count, a sheet without a
设定依据 column reads as 未填写, and an item without a process after says so."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pandas as pd
import pytest
from apptest import XLSX, assert_ok
from builders import messy_items_rows, workbook
from sample import SETTINGS, sample_analysis
from streamlit.testing.v1 import AppTest

from approvals.analysis import Analysis, analyze
from approvals.dataset.build import load_dataset

pytestmark = pytest.mark.usefixtures("own_database")
ROOT = Path(__file__).resolve().parent.parent

ITEMS = [
    ["县住建局", "ZJ-1", "建筑工程施工许可", "行政许可", "《建筑法》第八条", "20", "15", "保留", ""],
    ["县教育局", "JY-1", "民办学校设立审批", "行政许可", "《民办教育促进法》", "20", "15", "保留", ""],
    ["县教育局", "JY-2", "民办学校终止审批", "行政许可", "《民办教育促进法》", "20", "15", "保留", ""],
    ["县卫健局", "WJ-1", "医疗机构设置审批", "行政许可", "《医疗机构管理条例》", "20", "15", "保留", ""],
    ["县卫健局", "WJ-2", "中医医疗机构设置审批", "行政许可", "《中医药法》", "20", "15", "保留", ""],
]  # fmt: skip
NO_BASIS_HEADER = ["序号", "实施部门", "事项编码", "事项名称", "事项类型", "法定时限", "承诺时限", "处理意见"]
TRANSPORT = [["县交通运输局", f"JT-{n}", f"运输事项{n}", "行政许可", "20", "15", "保留"] for n in range(6)]
STEPS = [
    ["事项编码", "环节序号", "环节名称", "责任科室", "办理人员", "办理时限", "前置环节"],
    ["ZJ-1", 1, "受理", "窗口", "赵六", "1", ""],
    ["ZJ-1", 2, "初审", "审批股", "张三", "3", "1"],
    ["ZJ-1", 3, "复审", "审批股", "李四", "2", "2"],
    ["ZJ-1", 4, "审核(科长)", "审批股", "王五", "2", "3"],
    ["ZJ-1", 5, "审批(分管领导)", "局领导", "钱七", "2", "4"],
    ["ZJ-1", 6, "签发(局长)", "局领导", "孙八", "1", "5"],
]
DATA = workbook(
    {
        "清理汇总": messy_items_rows(ITEMS),
        "交通": messy_items_rows(TRANSPORT, header=NO_BASIS_HEADER),
        "办理环节": STEPS,
    }
)


@pytest.fixture(scope="module")
def expected() -> Analysis:
    """The same workbook analysed without the app, to hold the screens to."""
    return analyze(load_dataset([("县清理表.xlsx", DATA)], SETTINGS))


@pytest.fixture
def app() -> AppTest:
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60)
    at.run()
    assert_ok(at)
    at.switch_page("pages/import.py").run()
    uploader = next(u for u in at.get("file_uploader") if u.key == "import_upload")
    uploader.set_value(("县清理表.xlsx", DATA, XLSX)).run()
    assert_ok(at)
    at.switch_page("pages/redesign.py").run()
    assert_ok(at)
    return at


def table_with(at: AppTest, *columns: str) -> pd.DataFrame:
    """The one table shown with all these columns."""
    found = [d.value for d in at.dataframe if set(columns) <= set(d.value.columns)]
    assert len(found) == 1, columns
    return found[0]


def cards(at: AppTest) -> dict[str, Any]:
    return {m.label: m for m in at.metric}


def test_the_chain_with_posts_in_brackets_is_flagged_and_counted(app: AppTest, expected: Analysis) -> None:
    flags = expected.flags
    assert "signoff_chain" in set(flags["rule"])
    assert cards(app)["提示"].value == f"{len(flags)} 条"
    by_rule = table_with(app, "提示", "提示数")
    counts = dict(zip(by_rule["提示"], by_rule["提示数"], strict=True))
    assert counts["签批层级过多"] == 1
    assert "可合并的相近事项" not in counts
    listed = table_with(app, "发现的问题", "实施部门")
    chain = listed[listed["提示"].eq("签批层级过多")]
    assert chain["涉及环节"].tolist() == ["审核(科长)→审批(分管领导)→签发(局长)"]


def test_merge_candidates_have_their_own_tab_with_a_score_the_analyst_moves(
    app: AppTest, expected: Analysis
) -> None:
    pairs = expected.merge_candidates
    assert len(pairs) == 2
    assert len(expected.flags) == int(cards(app)["提示"].value.split()[0])  # no pair among the flags
    slider = app.slider(key="redesign_merge_from")
    assert slider.value == SETTINGS.redesign.rules["merge_candidate"]["shown_from"] == 80
    shown = table_with(app, "相似度")
    assert shown["相似度"].tolist() == pairs.loc[pairs["score"].ge(80), "score"].tolist()
    assert shown["事项名称"].tolist()[0] == "民办学校设立审批"  # the same subject: 100, on top

    slider.set_value(95.0).run()
    assert_ok(app)
    assert table_with(app, "相似度")["事项名称"].tolist() == ["民办学校设立审批"]
    assert any("相似度不低于 95 的 1 对" in c.value for c in app.caption)
    slider.set_value(0.0).run()
    assert len(table_with(app, "相似度")) == len(pairs)
    assert cards(app)["提示"].value == f"{len(expected.flags)} 条"  # moving it counts nothing


def test_a_sheet_without_a_basis_column_is_unfilled_not_unable_to_set_a_licence(
    app: AppTest, expected: Analysis
) -> None:
    by_department = table_with(app, "不得设定许可的").set_index("部门")
    assert by_department.loc["县交通运输局", "未填写"] == len(TRANSPORT)
    assert by_department.loc["县交通运输局", "不得设定许可的"] == 0
    candidates = expected.flags[expected.flags["rule"].eq("legal_basis")]
    assert candidates.empty  # every basis written is a law or a regulation; the rest are blank
    assert "**设定依据层级不足、列为取消候选的事项（0 项）**" in [m.value for m in app.markdown]


def test_an_item_without_a_process_after_says_so_on_the_process_screen(
    app: AppTest, expected: Analysis
) -> None:
    app.switch_page("pages/process.py").run()
    assert_ok(app)
    items = expected.dataset.items
    building = int(items.loc[items["name"].eq("建筑工程施工许可"), "item_id"].iloc[0])
    app.selectbox(key="process_item").set_value(building).run()
    assert_ok(app)
    shown = cards(app)
    assert shown["环节数"].value.endswith("→ 未报送") and shown["环节数"].delta == "未报送再造后流程"
    assert shown["关键路径（工作日）"].value.endswith("→ 未报送")
    assert shown["关键路径（工作日）"].delta == "未报送再造后流程"
    assert not any(m.value.endswith("→ 0") for m in app.metric)


def test_the_sample_counts_its_flags_without_its_merge_candidates_on_redesign_and_overview() -> None:
    sample = sample_analysis()
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60)
    at.run()
    assert_ok(at)
    values = [m.value for m in at.metric]
    assert "53.18%" in values and "44.65%" in values  # the published figures stay as they were
    at.switch_page("pages/overview.py").run()
    assert_ok(at)
    assert not any("可合并" in m.label or "可合并" in m.value for m in at.metric)
    at.switch_page("pages/redesign.py").run()
    assert_ok(at)
    assert cards(at)["提示"].value == f"{len(sample.flags)} 条"
    assert "merge_candidate" not in set(sample.flags["rule"]) and len(sample.merge_candidates) > 0
    shown = table_with(at, "相似度")
    assert (
        shown["相似度"].tolist()
        == sample.merge_candidates.loc[sample.merge_candidates["score"].ge(80), "score"].tolist()
    )
