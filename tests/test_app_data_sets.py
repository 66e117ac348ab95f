"""The app with data sets a new user really loads: a clean-up list beside a current catalogue, a
file that cannot be read, a header with no rows. Every page answers; no figure misleads."""

from __future__ import annotations

from pathlib import Path

import pytest
from apptest import PAGES, assert_ok, upload, upload_all
from builders import csv_bytes, messy_items_workbook
from streamlit.testing.v1 import AppTest

pytestmark = pytest.mark.usefixtures("own_database")
ROOT = Path(__file__).resolve().parent.parent
# Seven items of a county environmental bureau, four streamlined: 57.14% (the published case).
CLEAN_UP = [
    ["县环保局", "HB-1", "排污许可", "行政许可", "《环境保护法》", "30个工作日", "7个工作日", "保留"],
    ["县环保局", "HB-2", "环评审批", "行政许可", "《环境影响评价法》", "20个工作日", "5个工作日", "保留"],
    [
        "县环保局",
        "HB-3",
        "危废转移审批",
        "行政许可",
        "《固体废物污染环境防治法》",
        "20个工作日",
        "10个工作日",
        "保留",
    ],
    ["县环保局", "HB-4", "噪声排放审批", "行政许可", "县政府文件", "20个工作日", "", "取消"],
    ["县环保局", "HB-5", "辐射安全审批", "行政许可", "《放射性污染防治法》", "20个工作日", "", "下放至乡镇"],
    ["县环保局", "HB-6", "排水审批", "行政许可", "县政府文件", "20个工作日", "", "取消"],
    ["县环保局", "HB-7", "扬尘备案", "行政许可", "县政府文件", "20个工作日", "", "调整为备案管理"],
]
CATALOGUE_HEADER = ["事项名称", "实施主体", "事项类型", "法定办结时限", "承诺办结时限"]


def catalogue(n: int) -> bytes:
    """A platform's current catalogue, no decision column, as a GB18030 CSV."""
    rows = [CATALOGUE_HEADER] + [
        [f"政务服务事项{i}", "县行政审批局", "公共服务", "20", "10"] for i in range(n)
    ]
    return csv_bytes(rows, encoding="gb18030")


def shown_text(at: AppTest) -> str:
    parts = [t.value for t in at.text] + [m.value for m in at.markdown] + [c.value for c in at.caption]
    parts += [i.value for i in at.info] + [w.value for w in at.warning] + [e.value for e in at.error]
    return "\n".join(str(p) for p in parts)


def test_a_current_catalogue_beside_a_clean_up_list_never_enters_the_rate(app: AppTest) -> None:
    upload_all(
        app,
        [
            ("县环保局清理表.xlsx", messy_items_workbook(CLEAN_UP, title="某县行政许可事项清理表")),
            ("县政务服务事项目录.csv", catalogue(20)),
        ],
    )
    text = shown_text(app)
    assert "县环保局清理表.xlsx（" in text and "清理清单 7 项" in text
    assert "现行目录 20 项（没有处理意见列），GB18030（GBK） 编码" in text
    warning = " ".join(w.value for w in app.warning)
    assert "同时导入了清理清单（县环保局清理表.xlsx）和现行目录（县政务服务事项目录.csv）" in warning
    app.switch_page("pages/overview.py").run()
    assert_ok(app)
    assert any("现行目录的 20 个事项没有处理意见，不计入精简率" in w.value for w in app.warning)
    rates = [m.value for m in app.metric if m.label.startswith("精简率")]
    assert rates and set(rates) - {"—"} == {f"{4 / 7 * 100:.2f}%"}  # never 4 / 27
    assert "清理前 7，精简 4，现行目录 20" in [m.delta for m in app.metric]


def test_a_file_that_cannot_be_read_on_the_sample_keeps_the_sample(app: AppTest) -> None:
    upload(app, "坏.xlsx", b"%PDF-1.4\x00 not a workbook")
    assert "round" not in app.session_state or app.session_state["round"] in (None, "sample")
    notices = " ".join(w.value for w in app.warning)
    assert "坏.xlsx" in notices and "PDF" in notices and "仍显示原来的数据" in notices
    assert "53.18%" in [m.value for m in app.metric] or "示例市（合成示例数据）" in [
        m.value for m in app.sidebar.markdown
    ]


@pytest.fixture
def empty_round(app: AppTest) -> AppTest:
    """A round of its own whose only file cannot be read."""
    form_name = next(t for t in app.sidebar.text_input if t.label == "新清理批次的名称")
    form_name.set_value("某县2026年清理")
    next(b for b in app.sidebar.button if b.label == "新建").click().run()
    assert_ok(app)
    upload(app, "坏.xlsx", b"%PDF-1.4\x00 not a workbook")
    return app


@pytest.mark.parametrize("page", PAGES)
def test_every_page_with_only_an_unreadable_file_says_there_is_nothing_to_show(
    empty_round: AppTest, page: str
) -> None:
    empty_round.switch_page(page).run()
    assert_ok(empty_round)
    assert "无法读取" in shown_text(empty_round)
    if page not in ("pages/import.py", "pages/history.py"):
        assert any("还没有可分析的事项" in i.value for i in empty_round.info), page


@pytest.mark.parametrize("page", PAGES)
def test_every_page_with_a_header_only_list_answers(app: AppTest, page: str) -> None:
    header_only = csv_bytes([["事项名称", "实施部门", "法定办结时限", "承诺办结时限", "处理意见"]])
    form_name = next(t for t in app.sidebar.text_input if t.label == "新清理批次的名称")
    form_name.set_value("空表")
    next(b for b in app.sidebar.button if b.label == "新建").click().run()
    upload(app, "空表.csv", header_only)
    app.switch_page(page).run()
    assert_ok(app)
    if page not in ("pages/import.py", "pages/history.py"):
        assert any("还没有可分析的事项" in i.value for i in app.info), page


def test_the_start_page_with_only_an_unreadable_file_still_opens(empty_round: AppTest) -> None:
    empty_round.switch_page("app.py").run()
    assert_ok(empty_round)
    assert "无法读取" in shown_text(empty_round)
