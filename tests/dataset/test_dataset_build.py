"""From raw tables to the canonical dataset: limits, decisions, keys, steps linked."""

from __future__ import annotations

import pandas as pd
import pytest
from builders import csv_bytes, workbook
from sample import SETTINGS

from approvals.dataset.build import Dataset, build_dataset, load_dataset
from approvals.model import ITEM_COLUMNS, STEP_COLUMNS
from approvals.read.reading import read_source

ITEM_HEADER = ["序号", "实施部门", "事项编码", "事项名称", "法定时限", "承诺时限", "处理意见", "办理流程"]
STEP_HEADER = [
    "事项编码",
    "事项名称",
    "实施部门",
    "流程版本",
    "环节序号",
    "环节名称",
    "责任科室",
    "办理时限",
    "前置环节",
    "计入时限",
]


def dataset(sheets: dict[str, list[list[object]]], name: str = "水利局.xlsx") -> Dataset:
    return load_dataset([(name, workbook(sheets))], SETTINGS)


def items_sheet(*rows: list[object]) -> list[list[object]]:
    return [ITEM_HEADER, *[[n, *r] for n, r in enumerate(rows, start=1)]]


def problems_of(cat: Dataset, code: str) -> pd.DataFrame:
    return cat.problems[cat.problems["code"] == code]


def test_catalog_tables_have_the_canonical_columns_first() -> None:
    cat = dataset(
        {"许可": items_sheet(["市水利局", "SL-1", "取水许可", "45个工作日", "20个工作日", "保留", ""])}
    )
    assert cat.items.columns[: len(ITEM_COLUMNS)].tolist() == ITEM_COLUMNS
    assert cat.steps.columns[: len(STEP_COLUMNS)].tolist() == STEP_COLUMNS


def test_a_bad_limit_cell_is_a_problem_and_the_row_keeps_its_other_values() -> None:
    cat = dataset(
        {"许可": items_sheet(["市水利局", "SL-1", "取水许可", "二十几天", "20个工作日", "保留", ""])}
    )
    item = cat.items.iloc[0]
    assert (item["name"], item["decision"], item["committed_days"]) == ("取水许可", "retained", 20.0)
    assert item["statutory_status"] == "invalid"
    bad = problems_of(cat, "limit_invalid").iloc[0]
    assert (bad["file"], bad["sheet"], bad["row"], bad["column"], bad["value"]) == (
        "水利局.xlsx",
        "许可",
        2,
        "法定时限",
        "二十几天",
    )


def test_before_is_the_original_commitment_where_one_exists_else_the_statutory_limit() -> None:
    header = ["事项名称", "法定时限", "原承诺时限", "清理后承诺时限", "处理意见"]
    cat = dataset(
        {
            "表": [
                header,
                ["甲", "20", "15", "10", "保留"],
                ["乙", "20", "", "8", "保留"],
                ["丙", "法律未规定", "", "5", "保留"],
            ]
        }
    )
    assert cat.items["before_days"].tolist()[:2] == [15.0, 20.0]
    assert pd.isna(cat.items["before_days"].iloc[2])
    assert cat.items["before_source"].tolist() == ["original", "statutory", ""]
    assert cat.items["statutory_status"].iloc[2] == "none"


def test_unknown_decision_text_counts_as_undecided_and_is_reported() -> None:
    cat = dataset({"许可": items_sheet(["市水利局", "SL-1", "河道采砂许可", "20", "10", "待研究", ""])})
    assert cat.items.iloc[0]["counts_as"] == "undecided"
    assert problems_of(cat, "decision_unknown")["value"].tolist() == ["待研究"]
    assert cat.decisions.set_index("text").loc["待研究", "count"] == 1


def test_a_list_without_a_decision_column_is_a_current_catalog_where_everything_is_retained() -> None:
    cat = dataset({"目录": [["事项名称", "法定时限", "承诺时限"], ["甲", "20", "10"], ["乙", "30", "15"]]})
    assert not cat.items["has_decision"].any()
    assert cat.items["counts_as"].tolist() == ["retained", "retained"]
    assert cat.items["before_days"].tolist() == [20.0, 30.0]
    assert cat.items["after_days"].tolist() == [10.0, 15.0]


def test_duplicate_items_are_kept_and_reported_not_merged() -> None:
    cat = dataset(
        {
            "许可": items_sheet(
                ["市水利局", "", "取水许可", "20", "10", "保留", ""],
                ["市水利局", "", "取水许可", "20", "10", "保留", ""],
            )
        }
    )
    assert len(cat.items) == 2
    assert cat.items["item_key"].tolist() == ["市水利局/取水许可", "市水利局/取水许可#2"]
    dup = problems_of(cat, "item_duplicate").iloc[0]
    assert dup["row"] == 3
    assert "第2行" in dup["message"]


def test_two_rows_with_one_item_code_both_stay_with_distinct_keys_and_a_warning_naming_the_first() -> None:
    rows = items_sheet(
        ["市水利局", "SL-1", "取水许可", "20", "10", "保留", ""],
        ["市水利局", "SL-2", "河道采砂许可", "20", "10", "保留", ""],
        ["市水利局", "SL-1", "取水许可（延续）", "20", "10", "取消", ""],
        ["市水利局", "SL-1", "取水许可（变更）", "20", "10", "取消", ""],
    )
    readings = [read_source(("水利局.xlsx", workbook({"许可": rows})), SETTINGS.columns)]
    cat = build_dataset(readings, SETTINGS)  # validate_items refuses repeated keys: no TableError
    assert cat.items["name"].tolist() == ["取水许可", "河道采砂许可", "取水许可（延续）", "取水许可（变更）"]
    assert cat.items["code"].tolist() == ["SL-1", "SL-2", "SL-1", "SL-1"]
    assert cat.items["item_key"].tolist() == ["SL-1", "SL-2", "SL-1#2", "SL-1#3"]
    dups = problems_of(cat, "item_duplicate")
    assert dups["row"].tolist() == [4, 5]
    assert set(dups["severity"]) == {"警告"}
    assert dups["column"].tolist() == ["事项编码", "事项编码"]
    assert dups["value"].tolist() == ["SL-1", "SL-1"]
    assert all("“水利局.xlsx”工作表“许可”第2行" in m and "编码相同" in m for m in dups["message"])


def test_items_are_keyed_by_code_where_present() -> None:
    cat = dataset(
        {
            "许可": items_sheet(
                ["市水利局", "SL-1", "取水许可", "20", "10", "保留", ""],
                ["市水利局", "", "河道采砂许可", "20", "10", "保留", ""],
            )
        }
    )
    assert cat.items["item_key"].tolist() == ["SL-1", "市水利局/河道采砂许可"]


def test_platform_exports_split_number_and_unit_and_natural_days_are_converted_and_marked() -> None:
    header = ["事项名称", "法定办结时限", "法定办结时限单位", "承诺办结时限", "承诺办结时限单位"]
    cat = dataset({"事项": [header, ["甲", 20, "工作日", 30, "自然日"]]})
    item = cat.items.iloc[0]
    assert item["statutory_days"] == 20.0
    assert item["committed_days"] == pytest.approx(30 * 248 / 365)
    assert item["committed_converted"] and not item["statutory_converted"]


def test_steps_link_to_items_by_code_else_by_department_and_name() -> None:
    steps = [
        STEP_HEADER,
        ["SL-1", "", "", "再造前", 1, "受理", "窗口", "1个工作日", "", ""],
        ["", "河道采砂许可", "市水利局", "再造前", 1, "受理", "窗口", "1个工作日", "", ""],
        ["", "不存在的事项", "市水利局", "再造前", 1, "受理", "窗口", "1个工作日", "", ""],
    ]
    cat = dataset(
        {
            "许可": items_sheet(
                ["市水利局", "SL-1", "取水许可", "20", "10", "保留", ""],
                ["市水利局", "", "河道采砂许可", "20", "10", "保留", ""],
            ),
            "环节": steps,
        }
    )
    linked = cat.steps.set_index("row")["item_id"]
    assert (linked[2], linked[3]) == (0, 1)
    assert linked[4] >= 2  # its own process, not an item's
    assert cat.steps.set_index("row").loc[2, "item_name"] == "取水许可"
    assert problems_of(cat, "step_unlinked")["row"].tolist() == [4]


def test_blank_predecessors_mean_the_previous_step_and_lists_mean_parallel_branches() -> None:
    steps = [
        STEP_HEADER,
        ["SL-1", "", "", "再造前", 1, "受理", "窗口", "1", "", ""],
        ["SL-1", "", "", "再造前", 2, "审查", "水资源科", "10", "", ""],
        ["SL-1", "", "", "再造前", 3, "现场勘查", "水资源科", "5", "1", ""],
        ["SL-1", "", "", "再造前", 4, "决定", "局长", "2", "2、3", ""],
        ["SL-1", "", "", "再造前", 5, "送达", "窗口", "1", "9", ""],
    ]
    cat = dataset(
        {"许可": items_sheet(["市水利局", "SL-1", "取水许可", "20", "10", "保留", ""]), "环节": steps}
    )
    assert cat.steps["predecessors"].tolist() == ["", "1", "1", "2,3", ""]
    bad = problems_of(cat, "predecessor_unknown").iloc[0]
    assert (bad["row"], bad["column"], bad["value"]) == (6, "前置环节", "9")


def test_versions_are_read_from_their_many_spellings() -> None:
    rows = [STEP_HEADER] + [
        ["SL-1", "", "", version, 1, "受理", "窗口", "1", "", ""]
        for version in ("再造前", "现行", "原流程", "再造后", "优化后", "新流程", "")
    ]
    steps = dataset(
        {"许可": items_sheet(["市水利局", "SL-1", "取水许可", "20", "10", "保留", ""]), "环节": rows}
    ).steps.sort_values("row")
    assert steps["version"].tolist() == ["before"] * 3 + ["after"] * 3 + ["before"]


def test_time_outside_the_limit_is_read_from_the_column_or_from_the_kind_of_step() -> None:
    rows = [
        STEP_HEADER,
        ["SL-1", "", "", "", 1, "受理", "窗口", "1", "", ""],
        ["SL-1", "", "", "", 2, "专家评审", "外聘专家", "10", "", ""],
        ["SL-1", "", "", "", 3, "现场勘查", "水资源科", "5", "", "否"],
        ["SL-1", "", "", "", 4, "决定", "局长", "2", "", "是"],
    ]
    steps = dataset(
        {"许可": items_sheet(["市水利局", "SL-1", "取水许可", "20", "10", "保留", ""]), "环节": rows}
    ).steps
    assert steps.sort_values("row")["counted"].tolist() == [True, False, False, True]


def test_the_process_column_gives_a_chain_only_where_no_step_list_covers_the_item() -> None:
    chain = "受理（1个工作日）→审查（5个工作日）→决定（2个工作日）"
    rows = [STEP_HEADER, ["SL-1", "", "", "再造前", 1, "受理", "窗口", "3", "", ""]]
    cat = dataset(
        {
            "许可": items_sheet(
                ["市水利局", "SL-1", "取水许可", "20", "10", "保留", chain],
                ["市水利局", "SL-2", "河道采砂许可", "20", "10", "保留", chain],
            ),
            "环节": rows,
        }
    )
    by_item = cat.steps.groupby("item_id")["step_name"].agg(list)
    assert by_item[0] == ["受理"]
    assert by_item[1] == ["受理", "审查", "决定"]
    assert cat.steps[cat.steps["item_id"] == 1]["days"].tolist() == [1.0, 5.0, 2.0]


def test_a_gb18030_csv_from_a_department_reads_like_its_workbook() -> None:
    rows = [
        ["序号", "实施部门", "事项名称", "法定时限", "承诺时限", "处理意见"],
        [1, "市林业局", "林木采伐许可证核发", "二十个工作日", "五个工作日", "保留"],
    ]
    from_csv = load_dataset([("林业局.csv", csv_bytes(rows, "gb18030"))], SETTINGS).items
    from_xlsx = load_dataset([("林业局.xlsx", workbook({"表": rows}))], SETTINGS).items
    columns = ["name", "department", "before_days", "after_days", "decision", "row"]
    assert from_csv[columns].equals(from_xlsx[columns])
    assert from_csv.iloc[0]["after_days"] == 5.0
