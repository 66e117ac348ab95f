"""The 导出 screen as Streamlit runs it: catalogs titled for the lists' own government, limits
in one wording (or as written), blank columns left out unless added, and a level asked for
when the lists do not say it. AppTest sees download labels, not bytes: the files themselves are
tested in tests/publish."""

from __future__ import annotations

from pathlib import Path

import pytest
from apptest import XLSX, assert_ok, upload
from builders import messy_items_workbook, workbook
from sample import sample_analysis
from streamlit.testing.v1 import AppTest

pytestmark = pytest.mark.usefixtures("own_database")
ROOT = Path(__file__).resolve().parent.parent
LAW = "《中华人民共和国水法》"
COUNTY = [
    ["县水利局", "SL-1", "取水许可", "行政许可", LAW, "九个工作日", "６日", "保留", ""],
    ["县水利局", "SL-2", "河道采砂许可", "行政许可", LAW, "30个自然日", "当场办结", "保留", ""],
    ["县水利局", "SL-3", "水工程建设规划同意书审核", "行政许可", LAW, "法律未规定", "15", "取消", ""],
]
LEVEL_PROMPT = "看不出这是哪一级政府的目录"


def export_page(app: AppTest, name: str, data: bytes) -> AppTest:
    upload(app, name, data)
    app.switch_page("pages/export.py").run()
    assert_ok(app)
    return app


def titles(app: AppTest) -> list[str]:
    return [m.value for m in app.markdown if m.value.startswith("**") and "事项目录" in m.value]


def download_labels(app: AppTest) -> list[str]:
    return [d.label for d in app.get("download_button")]


def test_a_countys_list_is_titled_for_the_county_with_its_limits_in_one_wording(app: AppTest) -> None:
    export_page(app, "县水利局.xlsx", messy_items_workbook(COUNTY, title="某某县行政审批事项清理表"))
    assert app.text_input(key="export_region").value == "某某县"
    assert app.text_input(key="export_level").value == "县本级"
    assert titles(app) == ["**某某县县本级保留行政审批事项目录**"]
    preview = app.dataframe[0].value
    assert preview["法定办结时限"].tolist() == ["9个工作日", "30个自然日"]
    assert preview["承诺办结时限"].tolist() == ["6个工作日", "即办"]
    assert not [w.value for w in app.warning if LEVEL_PROMPT in w.value]
    workbooks = [label for label in download_labels(app) if label.startswith("Excel（每个目录一个工作表）")]
    assert workbooks == ["Excel（每个目录一个工作表）：某某县县本级保留行政审批事项目录等2个目录.xlsx"]


def test_the_analyst_may_print_the_limits_as_the_departments_wrote_them(app: AppTest) -> None:
    export_page(app, "县水利局.xlsx", messy_items_workbook(COUNTY, title="某某县行政审批事项清理表"))
    assert app.checkbox(key="export_limits_as_written").value is False
    app.checkbox(key="export_limits_as_written").check().run()
    assert_ok(app)
    preview = app.dataframe[0].value
    assert preview["法定办结时限"].tolist() == ["九个工作日", "30个自然日"]
    assert preview["承诺办结时限"].tolist() == ["６日", "当场办结"]


def test_blank_fee_columns_are_left_out_until_the_analyst_adds_them(app: AppTest) -> None:
    export_page(app, "县水利局.xlsx", messy_items_workbook(COUNTY, title="某某县行政审批事项清理表"))
    assert not {"是否收费", "收费依据", "子项名称"} & set(app.dataframe[0].value.columns)
    extras = app.multiselect(key="export_extras")
    assert "是否收费（为空也印出）" in extras.options and "收费依据（为空也印出）" in extras.options
    extras.select("fee").run()
    assert_ok(app)
    preview = app.dataframe[0].value
    assert "是否收费" in preview.columns and preview["是否收费"].eq("").all()
    assert "收费依据" not in preview.columns


def test_a_list_that_names_no_government_makes_the_page_ask_for_the_level(app: AppTest) -> None:
    header = ["实施部门", "事项名称", "法定办结时限", "承诺办结时限", "处理意见"]
    export_page(app, "清单.xlsx", workbook({"事项": [header, ["水利局", "取水许可", "20", "10", "保留"]]}))
    assert app.text_input(key="export_level").value == ""
    assert [w.value for w in app.warning if LEVEL_PROMPT in w.value and "县本级" in w.value]
    assert not app.dataframe and not titles(app)  # no preview, no catalog, and no 市本级 guessed
    labels = download_labels(app)
    assert not [label for label in labels if label.startswith("Excel（每个目录")]
    assert "分析工作簿（Excel）" in labels  # the analysis needs no title
    app.text_input(key="export_region").set_value("某某县").run()
    app.text_input(key="export_level").set_value("县本级").run()
    assert_ok(app)
    assert not [w.value for w in app.warning if LEVEL_PROMPT in w.value]
    assert titles(app) == ["**某某县县本级保留行政审批事项目录**"]
    assert app.dataframe[0].value["法定办结时限"].tolist() == ["20个工作日"]


def test_the_sample_is_titled_from_its_own_title_without_typing(app: AppTest) -> None:
    app.switch_page("pages/export.py").run()
    assert_ok(app)
    assert (app.text_input(key="export_region").value, app.text_input(key="export_level").value) == (
        "示例市",
        "市本级",
    )
    assert titles(app) == ["**示例市市本级保留行政审批事项目录**"]


def test_the_analysis_workbook_loads_back_on_流程再造_though_its_flags_are_numbered_in_chinese(
    app: AppTest,
) -> None:
    from approvals.model import Verdict
    from approvals.report.workbook import analysis_workbook

    sample = sample_analysis()
    chosen = sample.flags[sample.flags["title"].eq("签批层级过多")]["flag_key"]
    data = analysis_workbook(sample, dict.fromkeys(chosen, Verdict.ACCEPTED))
    app.query_params["round"] = "sample"
    app.switch_page("pages/redesign.py").run()
    assert app.metric[1].value == "0 / 0"
    uploader = next(u for u in app.get("file_uploader") if u.key.startswith("redesign_restore"))
    uploader.set_value(("审批事项清理分析.xlsx", data, XLSX)).run()
    assert_ok(app)
    assert app.metric[1].value == f"{len(chosen)} / 0"
    assert any(f"已载入 {len(sample.flags)} 条提示的采纳情况。" == s.value for s in app.success)
