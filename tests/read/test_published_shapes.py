"""Headers and codes of lists offices really publish: power lists, clean-up forms, service
catalogues, step tables and the national platform's database exports. Each test writes a small
file in the shape seen and checks what the reader and the dataset make of it."""

from __future__ import annotations

import pytest
from builders import csv_bytes, workbook
from sample import SETTINGS

from approvals.analysis import analyze
from approvals.dataset.build import load_dataset
from approvals.errors import ReadError
from approvals.read.reading import read_source


def mapped(data: bytes, name: str = "清单.xlsx") -> dict[str, str]:
    """Header as written → the field it was read as ("" when kept unrecognised)."""
    reading = read_source((name, data), SETTINGS.columns)
    return dict(zip(reading.mappings["column"], reading.mappings["field"], strict=True))


def titled(header: list[str], *rows: list[object], title: str = "示例区权责清单") -> bytes:
    """A one-sheet workbook: a merged title row over the header, as offices publish them."""
    sheet = [[title], header, *(list(r) for r in rows)]
    return workbook({"清单": sheet}, {"清单": [(0, 0, 0, len(header) - 1, title)]})


def test_a_power_list_reads_its_own_names_for_name_type_code_body_and_source() -> None:
    header = ["序号", "职权编码", "权力基本码", "职权名称", "职权类型", "法定主体", "权力来源", "责任事项"]
    data = titled(
        header,
        [
            1,
            "QL-0001-01",
            "000101001000",
            "建设工程规划许可",
            "行政许可",
            "区自然资源局",
            "《城乡规划法》第四十条",
            "受理责任",
        ],
    )
    assert mapped(data) == {
        "序号": "seq", "职权编码": "code", "权力基本码": "basic_code", "职权名称": "name",
        "职权类型": "category", "法定主体": "department", "权力来源": "legal_basis", "责任事项": "duties",
    }  # fmt: skip
    items = load_dataset([("权责清单.xlsx", data)], SETTINGS).items
    row = items.iloc[0]
    assert (row["item_key"], row["basic_code"], row["category"]) == ("QL-0001-01", "000101001000", "行政许可")
    assert (row["department"], row["duties"]) == ("区自然资源局", "受理责任")


def test_a_clean_up_form_compares_the_set_and_the_proposed_limits_and_keeps_the_reason() -> None:
    header = [
        "序号",
        "实施部门",
        "审批事项名称",
        "设定依据",
        "设定的审批时限",
        "拟确定的审批时限",
        "清理意见",
        "理由",
    ]
    data = titled(
        header,
        [1, "区水务局", "取水许可", "《水法》", "20个工作日", "10个工作日", "保留", "法律设定"],
        [2, "区水务局", "河道采砂许可", "《河道管理条例》", "30个工作日", "15个工作日", "保留", ""],
        title="区级行政审批事项清理表",
    )
    fields = mapped(data)
    assert (fields["设定的审批时限"], fields["拟确定的审批时限"], fields["理由"]) == (
        "original", "committed", "decision_reason",
    )  # fmt: skip
    analysis = analyze(load_dataset([("清理表.xlsx", data)], SETTINGS))
    assert analysis.overall.before_avg_days == pytest.approx(25.0)
    assert analysis.overall.shortening_rate == pytest.approx(0.5)
    assert analysis.dataset.items["decision_reason"].tolist() == ["法律设定", ""]


def test_a_service_catalogue_keeps_body_level_kind_fees_and_service_columns() -> None:
    header = [
        "序号", "事项名称", "办理主体", "中央行政许可事项清单（2022年版）序号", "实施层级", "办件类型",
        "收费标准与依据", "中介服务", "办理形式", "服务对象", "法定办结时限", "承诺办结时限",
    ]  # fmt: skip
    data = titled(
        header,
        [
            1,
            "食品经营许可",
            "区市场监管局",
            "342",
            "县级",
            "承诺件",
            "不收费",
            "无",
            "窗口办理、网上办理",
            "企业",
            "20",
            "10",
        ],
        title="示例区政务服务事项目录",
    )
    assert mapped(data) == {
        "序号": "seq", "事项名称": "name", "办理主体": "department",
        "中央行政许可事项清单（2022年版）序号": "national_ref", "实施层级": "level",
        "办件类型": "handling_type",
        "收费标准与依据": "fee_standard", "中介服务": "intermediary", "办理形式": "service_form",
        "服务对象": "service_object", "法定办结时限": "statutory", "承诺办结时限": "committed",
    }  # fmt: skip
    row = load_dataset([("目录.xlsx", data)], SETTINGS).items.iloc[0]
    assert (row["national_ref"], row["level"], row["handling_type"]) == ("342", "县级", "承诺件")
    assert (row["department"], row["service_object"]) == ("区市场监管局", "企业")


@pytest.mark.parametrize(
    ("header", "expected"),
    [
        (
            ["步骤", "办理人员", "所需时限", "审查标准", "办理结果", "是否计算在法定办结时限内"],
            ["step_name", "person", "limit", "criteria", "result", "counted"],
        ),
        (["步骤", "步骤名称", "所需时限"], ["step_no", "step_name", "limit"]),
    ],
)
def test_step_tables_named_by_step_and_the_time_it_needs_are_step_lists(
    header: list[str], expected: list[str]
) -> None:
    values = {"step_name": "受理", "step_no": "1", "person": "窗口人员", "limit": "1个工作日",
              "criteria": "材料齐全", "result": "受理通知书", "counted": "是"}  # fmt: skip
    data = workbook({"办理流程": [["事项编码", *header], ["XK-1", *(values[f] for f in expected)]]})
    reading = read_source(("流程.xlsx", data), SETTINGS.columns)
    assert reading.mappings["field"].tolist() == ["code", *expected]
    step = reading.steps.iloc[0]
    assert step["step_name"] == "受理" and step["limit"] == "1个工作日"


PLATFORM_HEADER = [
    "TASK_CODE", "CATALOG_CODE", "TASK_NAME", "DEPT_NAME", "DEPT_CODE", "TASK_TYPE", "USE_LEVEL", "AREACODE",
    "ANTICIPATE_DAY", "ANTICIPATE_TYPE", "PROMISE_DAY", "PROMISE_TYPE", "IS_FEE", "IS_INTERMEDIARY",
]  # fmt: skip


def platform_export(*rows: list[object], lower: bool = False) -> bytes:
    header = [h.lower() for h in PLATFORM_HEADER] if lower else PLATFORM_HEADER
    return csv_bytes([header, *rows], encoding="utf-8-sig")


ROWS = [
    ["11370100MB0001-01", "000101001000", "取水许可", "市水利局", "11370100MB0001", "01", "3,4", "370100",
     "20", "1", "10", "1", "否", "否"],
    ["11370100MB0002-01", "000101002000", "河道采砂许可", "市水利局", "11370100MB0001", "1", "3", "370100",
     "30", "2", "15", "1", "否", "否"],
    ["11370100MB0003-01", "000199001000", "水利质量监督", "市水利局", "11370100MB0001", "99", "3", "370100",
     "", "", "5", "1", "否", "否"],
    ["11370100MB0004-01", "000137001000", "水利统计", "市水利局", "11370100MB0001", "37", "3", "370100",
     "", "", "5", "1", "否", "否"],
]  # fmt: skip


@pytest.mark.parametrize("lower", [False, True], ids=["upper-case", "lower-case"])
def test_a_platform_database_export_is_read_by_its_field_names_in_either_case(lower: bool) -> None:
    fields = mapped(platform_export(*ROWS, lower=lower), "事项库导出.csv")
    assert list(fields.values()) == [
        "code", "basic_code", "name", "department", "dept_code", "category", "level", "area_code",
        "statutory", "statutory_unit", "committed", "committed_unit", "fee", "intermediary",
    ]  # fmt: skip


def test_platform_codes_give_lists_levels_and_units_and_unknown_codes_are_problems() -> None:
    dataset = load_dataset([("事项库导出.csv", platform_export(*ROWS))], SETTINGS)
    items = dataset.items
    assert items["category"].tolist() == ["行政许可", "行政许可", "其他", "未分类"]
    assert not items["category"].str.fullmatch(r"\d+").any()  # a list is never named by a number
    assert items["level"].tolist() == ["市级、县级", "市级", "市级", "市级"]
    assert items["item_key"].tolist() == [r[0] for r in ROWS]  # keyed by 实施编码
    assert items["basic_code"].tolist() == [r[1] for r in ROWS]
    # 30 natural days (unit code 2) are converted to working days; unit code 1 is working days.
    assert items["statutory_days"].iloc[0] == 20
    assert items["statutory_unit"].iloc[1] == "自然日" and items["statutory_converted"].iloc[1]
    assert items["committed_unit"].iloc[0] == "工作日"
    coded = dataset.problems[dataset.problems["code"].str.startswith("category_")]
    assert coded[["row", "value", "code"]].values.tolist() == [
        [4, "99", "category_local_code"],
        [5, "37", "category_unknown_code"],
    ]
    assert "按“其他”统计" in coded["message"].iloc[0] and "按“未分类”统计" in coded["message"].iloc[1]


def test_an_unknown_unit_code_is_a_problem_row_not_a_guess() -> None:
    row = [*ROWS[0][:10], "10", "7", "否", "否"]
    dataset = load_dataset([("事项库导出.csv", platform_export(row))], SETTINGS)
    assert dataset.items["committed_status"].iloc[0] == "invalid"
    assert dataset.problems["message"].str.contains("无法识别的时限单位“7”").any()


def test_a_list_with_the_standard_code_only_is_keyed_by_it() -> None:
    data = titled(["基本编码", "事项名称", "实施主体"], ["000101001000", "取水许可", "区水务局"])
    items = load_dataset([("目录.xlsx", data)], SETTINGS).items
    assert (items["item_key"].iloc[0], items["basic_code"].iloc[0]) == ("000101001000", "000101001000")


def test_a_file_whose_headers_are_all_unknown_is_told_what_was_found_and_what_is_near() -> None:
    data = titled(["项目名", "办理单位", "时限要求", "联系电话"], ["取水许可", "区水务局", "20", "1"])
    with pytest.raises(ReadError) as raised:
        read_source(("不认识的表.xlsx", data), SETTINGS.columns)
    message = str(raised.value)
    assert "不认识的表.xlsx" in message and "工作表“清单”的表头" in message
    assert "“办理单位”（最接近：实施部门）" in message
    assert "“联系电话”（无相近字段）" in message


@pytest.mark.parametrize(
    ("cell", "days", "note"),
    [
        ("自受理之日起二十日内", 20, ""),
        ("受理后15个工作日", 15, ""),
        ("自受理申请之日起20个工作日内作出决定", 20, ""),
        ("二十日内不能作出决定的，经批准可延长十日", 20, "不能作出决定的，经批准可延长十日"),
    ],
)
def test_limits_written_as_the_law_words_them_are_read_with_the_extension_kept_as_a_note(
    cell: str, days: int, note: str
) -> None:
    data = titled(["事项名称", "实施部门", "法定办结时限"], ["取水许可", "区水务局", cell])
    row = load_dataset([("目录.xlsx", data)], SETTINGS).items.iloc[0]
    assert (row["statutory_days"], row["statutory_note"]) == (days, note)


def test_one_cell_with_both_limits_fills_both_with_a_warning() -> None:
    cell = "法定办结时限：60个工作日\n承诺办结时限：40个工作日"
    data = titled(["事项名称", "实施部门", "办结时限"], ["建设工程规划许可", "区自然资源局", cell])
    dataset = load_dataset([("目录.xlsx", data)], SETTINGS)
    row = dataset.items.iloc[0]
    assert (row["statutory_days"], row["committed_days"]) == (60, 40)
    warned = dataset.problems[dataset.problems["code"].eq("limit_combined")]
    assert warned[["row", "severity"]].values.tolist() == [[3, "警告"]]
    assert "法定“60个工作日”，承诺“40个工作日”" in warned["message"].iloc[0]


@pytest.mark.parametrize(
    ("basis", "tier"),
    [
        ("【法律】《中华人民共和国水法》第四十八条", "law"),
        ("【行政法规】《取水许可和水资源费征收管理办法》", "regulation"),  # the tag decides, not the name
        ("【地方性法规】《示例省水资源管理规定》", "local_regulation"),
        ("《民用机场管理条例》（国务院、中央军委令第553号）", "regulation"),
        ("【部门规章】《取水许可管理办法》", "ministry_rule"),
    ],
)
def test_a_tier_tag_or_a_joint_state_council_order_decides_the_tier(basis: str, tier: str) -> None:
    assert SETTINGS.legal.tier_of(basis) == tier


def test_several_tagged_sources_in_one_cell_are_each_classified() -> None:
    from approvals.redesign.legal import basis_tiers

    data = titled(
        ["事项名称", "实施部门", "事项类型", "设定依据"],
        [
            "取水许可",
            "区水务局",
            "行政许可",
            "【部门规章】《取水许可管理办法》【法律】《中华人民共和国水法》",
        ],
    )
    items = load_dataset([("目录.xlsx", data)], SETTINGS).items
    tiers = basis_tiers(items, SETTINGS.legal).iloc[0]
    assert tiers["top_tier"] == "law" and set(tiers["tiers"]) == {"law", "ministry_rule"}


def test_a_weak_basis_makes_a_cancel_candidate_of_a_licence_only() -> None:
    header = ["事项名称", "实施部门", "事项类型", "设定依据", "处理意见"]
    rule = "【部门规章】《示例管理办法》"
    data = titled(
        header,
        ["某某许可", "区水务局", "行政许可", rule, "保留"],
        ["某某备案", "区水务局", "07", rule, "保留"],  # 行政确认
    )
    analysis = analyze(load_dataset([("目录.xlsx", data)], SETTINGS))
    flagged = analysis.flags[analysis.flags["rule"].eq("legal_basis")]
    assert flagged["item"].tolist() == ["某某许可"]
    from approvals.redesign.legal import basis_tiers

    audit = basis_tiers(analysis.dataset.items, SETTINGS.legal)
    assert audit["top_tier"].tolist() == ["ministry_rule", "ministry_rule"]  # the audit still shows both


def test_a_bracketed_note_after_the_department_and_a_marker_after_the_name_go_to_remarks() -> None:
    data = titled(
        ["事项名称", "实施部门", "备注"],
        ["民办学校设立审批*", "区教育局(部分为审批,部分为省教育厅委托事项)", "告知承诺"],
        ["教师资格认定", "区教育局", ""],
        ["校车使用许可", "区人民政府（区教育局承办）", ""],
    )
    items = load_dataset([("目录.xlsx", data)], SETTINGS).items
    assert items["name"].tolist() == ["民办学校设立审批", "教师资格认定", "校车使用许可"]
    assert items["department"].tolist() == ["区教育局", "区教育局", "区人民政府"]
    assert items["remarks"].tolist() == [
        "告知承诺；实施部门说明：部分为审批,部分为省教育厅委托事项；名称标记“*”",
        "",
        "实施部门说明：区教育局承办",
    ]


def test_handling_items_of_one_main_item_are_never_merge_candidates() -> None:
    from approvals.redesign.similar import merge_candidates

    data = titled(
        ["实施编码", "基本编码", "事项名称", "办理项名称", "实施部门", "事项类型", "处理意见"],
        ["S-01", "B-1", "民办学校设立审批", "设立", "区教育局", "行政许可", "保留"],
        ["S-02", "B-1", "民办学校变更审批", "变更", "区教育局", "行政许可", "保留"],
        ["S-03", "", "食品经营许可（新办）", "", "区市场监管局", "行政许可", "保留"],
        ["S-04", "", "食品经营许可（延续）", "", "区市场监管局", "行政许可", "保留"],
        ["S-05", "B-9", "民办学校终止审批", "", "区教育局", "行政许可", "保留"],  # another main item
    )
    items = load_dataset([("目录.xlsx", data)], SETTINGS).items
    assert items["sub_item"].tolist()[:2] == ["设立", "变更"]  # 办理项 kept as the item's sub-item
    pairs = merge_candidates(items, SETTINGS.similar)
    keys = dict(zip(items["item_id"], items["code"], strict=True))
    found = {
        frozenset((keys[a], keys[b])) for a, b in zip(pairs["item_id_a"], pairs["item_id_b"], strict=True)
    }
    assert frozenset(("S-01", "S-02")) not in found and frozenset(("S-03", "S-04")) not in found
    assert frozenset(("S-01", "S-05")) in found  # two main items of one subject still are


def test_a_current_catalogue_is_exported_under_what_it_holds_and_summarised_as_such() -> None:
    from approvals.publish.catalogs import CatalogOptions
    from approvals.publish.documents import export_preview
    from approvals.views.command_line import summary_text

    data = titled(
        ["序号", "职权名称", "职权类型", "法定主体", "法定办结时限"],
        [1, "取水许可", "行政许可", "区水务局", "20个工作日"],
        title="示例区权责清单（2024年版）",
    )
    analysis = analyze(load_dataset([("权责清单.xlsx", data)], SETTINGS))
    items = analysis.dataset.items
    preview = export_preview(items, ["retained"], CatalogOptions(region="示例区", level=""), SETTINGS)
    assert preview.titles["retained"] == "示例区权责清单"
    chosen = export_preview(
        items, ["retained"], CatalogOptions(region="示例区", level="", holds="事项目录"), SETTINGS
    )
    assert chosen.titles["retained"] == "示例区事项目录"  # what the analyst sets wins
    text = summary_text(analysis)
    assert "现行目录" in text and "处理意见：保留" not in text


def test_a_platform_special_procedure_is_kept_as_time_outside_the_limit() -> None:
    header = ["TASK_NAME", "DEPT_NAME", "PROMISE_DAY", "PROMISE_TYPE",
              "SPECIAL_NAME", "SPECIAL_DAY", "SPECIAL_TYPE", "LIMIT_SCENE_NUM"]  # fmt: skip
    rows = [header, ["建设工程规划许可", "市自然资源局", "10", "1", "专家评审", "30", "2", "3"]]
    dataset = load_dataset([("事项库导出.csv", csv_bytes(rows, encoding="utf-8-sig"))], SETTINGS)
    row = dataset.items.iloc[0]
    assert row["special_procedure"] == "专家评审（30个自然日，不计入办结时限）"
    assert (row["committed_days"], row["scenes"]) == (10, "3")  # the special time stays out of the limit
