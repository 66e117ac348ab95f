"""设定依据 by tier: each kind of document is recognised, items take their highest tier, and the
items whose basis may not set a licence are marked as 取消 candidates."""

from __future__ import annotations

import pandas as pd
import pytest
from builders import messy_items_rows, workbook
from hypothesis import given
from hypothesis import strategies as st
from sample import SETTINGS, sample_dataset

from approvals.analysis import Analysis, analyze
from approvals.dataset.build import load_dataset
from approvals.model import ITEM_COLUMNS, conform
from approvals.redesign.legal import (
    BASIS_COLUMNS,
    BREAKDOWN_COLUMNS,
    basis_tiers,
    split_sources,
    tier_breakdown,
)
from approvals.views.redesign import legal_audit

TIERS = SETTINGS.legal  # the bundled legal_tiers.toml


def items(*bases: str, **columns: list[str]) -> pd.DataFrame:
    """An item table with one item per legal basis (item_id 0, 1, …) and any extra columns."""
    frame = pd.DataFrame({"item_id": range(len(bases)), "legal_basis": list(bases), **columns})
    frame["name"] = [f"事项{i}" for i in range(len(bases))]
    return conform(frame, ITEM_COLUMNS)


def tier_of(basis: str) -> str:
    return str(basis_tiers(items(basis), TIERS)["top_tier"].iloc[0])


def sample_items() -> pd.DataFrame:
    """The bundled sample's items (shared: never mutated here)."""
    return sample_dataset().items


# --------------------------------------------------------------------------- one source, one tier


@pytest.mark.parametrize(
    ("basis", "tier"),
    [
        # 法律
        ("《中华人民共和国行政许可法》第十二条", "law"),
        ("《中华人民共和国城乡规划法》第四十条", "law"),
        ("《中华人民共和国烟草专卖法》", "law"),
        ("中华人民共和国道路交通安全法第十九条", "law"),  # the book-title marks left out
        ("《全国人民代表大会常务委员会关于维护互联网安全的决定》", "law"),
        # 行政法规
        ("《植物检疫条例》第七条", "regulation"),
        ("《校车安全管理条例》第十四条", "regulation"),
        ("《城市市容和环境卫生管理条例》第十四条", "regulation"),  # 城市 is no city's name
        ("《人力资源市场暂行条例》第十八条", "regulation"),  # nor is 市场
        ("《中华人民共和国道路交通安全法实施条例》第五条", "regulation"),
        ("《中华人民共和国发票管理办法》第十五条", "regulation"),
        ("《娱乐场所管理条例》（国务院令第458号）第九条", "regulation"),
        ("《食盐专营办法》第八条", "regulation"),
        # 国务院决定
        (
            "《国务院对确需保留的行政审批项目设定行政许可的决定》（国务院令第412号）第301项",
            "state_council_decision",
        ),
        ("国务院令第412号第15项", "state_council_decision"),
        ("《国务院关于第六批取消和调整行政审批项目的决定》（国发〔2012〕52号）", "state_council_decision"),
        # 地方性法规
        ("《示例省粮食流通管理条例》第八条", "local_regulation"),
        ("《示例市城市绿化条例》第十二条", "local_regulation"),
        ("《示例省人民代表大会常务委员会关于加强粮食流通管理的决定》", "local_regulation"),
        ("示例省人大常委会公告第5号", "local_regulation"),
        # 省级政府规章
        ("《示例省建筑市场管理办法》（示例省人民政府令第88号）第五条", "provincial_rule"),
        ("《上海市建设工程招标投标管理办法》（上海市人民政府令第50号）", "provincial_rule"),
        ("《示例省建筑市场管理规定》第五条", "provincial_rule"),
        # 部门规章
        ("《种子生产经营管理办法》（农业部令第5号）第十条", "ministry_rule"),
        ("《价格和能源管理办法》（国家发展和改革委员会令第40号）第六十三条", "ministry_rule"),
        ("《城市轨道交通运营管理规定》（交通运输部令2018年第8号）", "ministry_rule"),
        ("《外国人在中国就业管理规定》第五条", "ministry_rule"),
        # 设区的市政府规章
        ("《示例市城市绿化管理办法》（示例市人民政府令第12号）", "city_rule"),
        # 规范性文件
        ("示例市人民政府办公室关于加强民办教育管理工作的通知（示政办发〔2007〕19号）", "normative"),
        ("《农业部关于种子经营管理的通知》（农农发〔2005〕12号）", "normative"),
        ("《示例省种子管理办法》（示农发[2006]3号）", "normative"),  # a 办法 issued as a document
        ("《示例省物价局 财政厅关于民办教育收费标准的通知》", "normative"),
        ("市政府红头文件", "normative"),
        # 内部文件
        ("市政府常务会议纪要（2009年第5次）", "internal"),
        ("分管副市长批示", "internal"),
        ("局内部规定", "internal"),
    ],
)
def test_each_form_of_legal_basis_falls_in_its_tier(basis: str, tier: str) -> None:
    assert tier_of(basis) == tier


def test_every_rule_example_in_the_tier_file_falls_in_its_rules_tier() -> None:
    t = TIERS
    assert t.rules, "legal_tiers.toml has no rules"
    for rule in t.rules:
        assert rule.example, f"a rule of tier {rule.tier} has no example"
        assert t.tier_of(rule.example) == rule.tier, rule.example


def test_tier_labels_are_chinese_and_in_order_of_authority() -> None:
    labels = TIERS.ordered_labels()
    assert list(labels)[:3] == ["law", "regulation", "state_council_decision"]
    assert list(labels)[3:5] == ["local_regulation", "provincial_rule"]
    assert labels["law"] == "法律"
    assert labels["ministry_rule"] == "部门规章"
    assert labels["unknown"] == "待核实"
    assert labels["none"] == "未填写"


def test_only_the_five_tiers_of_articles_14_to_17_may_set_a_licence() -> None:
    settable = {key for key, may in TIERS.may_set.items() if may}
    assert settable == {"law", "regulation", "state_council_decision", "local_regulation", "provincial_rule"}


# --------------------------------------------------------------------------- splitting


@pytest.mark.parametrize(
    ("text", "sources"),
    [
        ("《A法》第一条；《B条例》第二条", ["《A法》第一条", "《B条例》第二条"]),
        ("《A法》第一条;《B条例》第二条", ["《A法》第一条", "《B条例》第二条"]),
        ("《A法》第一条\n《B条例》第二条\r\n", ["《A法》第一条", "《B条例》第二条"]),
        ("《A法》第一条、《B条例》第二条", ["《A法》第一条", "《B条例》第二条"]),
        ("依据《A法》和《B办法》（农业部令第5号）", ["依据《A法》", "《B办法》（农业部令第5号）"]),
        ("《A法》《B条例》《C办法》", ["《A法》", "《B条例》", "《C办法》"]),
        ("《国务院关于修改〈B条例〉的决定》", ["《国务院关于修改〈B条例〉的决定》"]),
        ("《国务院关于修改《B条例》的决定》第三条", ["《国务院关于修改《B条例》的决定》第三条"]),
        ("国务院令第412号第15项", ["国务院令第412号第15项"]),
        ("", []),
        ("；\n ", []),
    ],
)
def test_a_basis_is_split_into_its_sources(text: str, sources: list[str]) -> None:
    assert split_sources(text) == sources


SOURCES = ["《A法》第一条", "《B条例》", "国务院令第412号", "示政办发〔2007〕19号"]


@given(st.lists(st.sampled_from(SOURCES), max_size=4))
def test_sources_joined_by_semicolons_split_back_into_the_same_sources(sources: list[str]) -> None:
    assert split_sources("；".join(sources)) == sources


# --------------------------------------------------------------------------- items


def test_a_mixed_basis_takes_its_highest_tier_and_lists_all_in_order() -> None:
    basis = "示政办发〔2007〕19号；《种子管理办法》（农业部令第5号）；《中华人民共和国种子法》第三十一条"
    row = basis_tiers(items(basis), TIERS).iloc[0]
    assert row["tiers"] == ("law", "ministry_rule", "normative")
    assert row["top_tier"] == "law"
    assert row["top_label"] == "法律"
    assert bool(row["may_set"]) is True
    assert bool(row["weak"]) is False


def test_a_basis_of_rules_and_documents_only_is_weak() -> None:
    basis = "《种子生产经营管理办法》（农业部令第5号）第十条；市政府常务会议纪要（2009年第5次）"
    row = basis_tiers(items(basis), TIERS).iloc[0]
    assert row["tiers"] == ("ministry_rule", "internal")
    assert row["top_label"] == "部门规章"
    assert bool(row["may_set"]) is False
    assert bool(row["weak"]) is True


@pytest.mark.parametrize("blank", ["", "  ", "无", "／", "——"])
def test_an_empty_basis_is_unfilled_not_weak(blank: str) -> None:
    row = basis_tiers(items(blank), TIERS).iloc[0]
    assert (row["tiers"], row["top_tier"], row["top_label"]) == ((), "none", "未填写")
    assert not row["may_set"]
    assert not row["weak"]


@pytest.mark.parametrize("garbage", ["详见附件", "按上级要求办理", "xyz123", "第五条"])
def test_text_no_rule_recognises_is_to_be_checked_and_not_weak(garbage: str) -> None:
    row = basis_tiers(items(garbage), TIERS).iloc[0]
    assert (row["tiers"], row["top_tier"], row["top_label"]) == (("unknown",), "unknown", "待核实")
    assert not row["weak"]


def test_an_unrecognised_source_beside_a_rule_keeps_the_item_from_being_weak() -> None:
    row = basis_tiers(items("《种子生产经营管理办法》（农业部令第5号）；详见附件"), TIERS).iloc[0]
    assert row["top_tier"] == "ministry_rule"
    assert row["tiers"] == ("ministry_rule", "unknown")
    assert not row["weak"]


def test_basis_tiers_has_one_row_per_item_in_the_items_order_and_index() -> None:
    table = items("《植物检疫条例》第七条", "", "《植物检疫条例》第七条", "会议纪要")
    table.index = [10, 11, 12, 13]
    table["item_id"] = [7, 3, 5, 1]
    result = basis_tiers(table, TIERS)
    assert list(result.columns) == BASIS_COLUMNS
    assert result.index.tolist() == [10, 11, 12, 13]
    assert result["item_id"].tolist() == [7, 3, 5, 1]
    assert result["top_tier"].tolist() == ["regulation", "none", "regulation", "internal"]
    assert result["weak"].tolist() == [False, False, False, True]


def test_no_items_give_empty_tables() -> None:
    assert basis_tiers(items(), TIERS).empty
    assert list(basis_tiers(items(), TIERS).columns) == BASIS_COLUMNS
    assert tier_breakdown(items(), TIERS).empty


# --------------------------------------------------------------------------- breakdown


BREAKDOWN_ITEMS = items(
    "《中华人民共和国种子法》第三十一条",
    "《中华人民共和国种子法》第三十二条；示政办发〔2007〕19号",
    "《植物检疫条例》第七条",
    "《种子生产经营管理办法》（农业部令第5号）",
    "示政办发〔2007〕19号",
    "",
    department=["市农业农村局", "市农业农村局", "市农业农村局", "市林业局", "市林业局", ""],
)


def test_the_breakdown_counts_items_by_their_highest_tier_in_order_of_authority() -> None:
    table = tier_breakdown(BREAKDOWN_ITEMS, TIERS)
    assert list(table.columns) == BREAKDOWN_COLUMNS
    assert table["group"].eq("全部事项").all()
    assert table["label"].tolist() == ["法律", "行政法规", "部门规章", "规范性文件", "未填写"]
    assert table["items"].tolist() == [2, 1, 1, 1, 1]
    assert table["share"].tolist() == pytest.approx([2 / 6, 1 / 6, 1 / 6, 1 / 6, 1 / 6])
    assert table["may_set"].tolist() == [True, True, False, False, False]
    assert table["weak"].tolist() == [False, False, True, True, False]  # 未填写 may not, yet is not weak
    assert table["share"].sum() == pytest.approx(1.0)


def test_the_breakdown_per_department_shares_sum_to_one_in_each() -> None:
    table = tier_breakdown(BREAKDOWN_ITEMS, TIERS, by="department")
    assert table["group"].unique().tolist() == ["市农业农村局", "市林业局", "（未注明）"]
    farm = table[table["group"] == "市农业农村局"]
    assert dict(zip(farm["label"], farm["items"], strict=True)) == {"法律": 2, "行政法规": 1}
    forest = table[table["group"] == "市林业局"]
    assert forest["share"].tolist() == pytest.approx([0.5, 0.5])
    assert table.groupby("group")["share"].sum().tolist() == pytest.approx([1.0, 1.0, 1.0])


# --------------------------------------------------------------------------- the bundled sample


def test_every_legal_basis_of_the_sample_falls_in_a_known_tier() -> None:
    result = basis_tiers(sample_items(), TIERS)
    assert len(result) == len(sample_items())
    assert not result["tiers"].map(lambda found: "unknown" in found).any()
    assert result["top_tier"].isin(["law", "regulation", "state_council_decision", "local_regulation",
                                    "ministry_rule", "normative"]).all()  # fmt: skip


def test_cancelled_items_of_the_sample_rest_on_weak_bases_more_often_than_retained_ones() -> None:
    sample = sample_items()
    weak = basis_tiers(sample, TIERS)["weak"]
    cancelled = weak[sample["decision"] == "cancelled"].mean()
    retained = weak[sample["decision"] == "retained"].mean()
    # The generator draws 取消 bases half from rules and documents, 保留 ones 7 in 100.
    assert cancelled > 0.3
    assert retained < 0.15
    assert cancelled > 2 * retained


def test_the_sample_breakdown_per_list_covers_every_item() -> None:
    sample = sample_items()
    table = tier_breakdown(sample, TIERS, by="category")
    assert table.groupby("group")["items"].sum().to_dict() == sample["category"].value_counts().to_dict()
    assert table.groupby("group")["share"].sum().tolist() == pytest.approx([1.0, 1.0])


# --------------------------------------------------------------------------- a list with no 设定依据 column


NO_BASIS_HEADER = ["序号", "实施部门", "事项编码", "事项名称", "事项类型", "法定时限", "承诺时限", "处理意见"]


def no_basis_analysis() -> Analysis:
    """A clean-up list of 31 licences without a 设定依据 column beside a sheet with one, as a
    county's workbook came: the missing column must read as 未填写, never as a weak basis."""
    without = [["市交通运输局", f"JT-{n}", f"运输事项{n}", "行政许可", "20", "10", "保留"] for n in range(31)]
    with_basis = [
        ["市水利局", "SL-1", "取水许可", "行政许可", "《中华人民共和国水法》第七条", "20", "10", "保留"],
        ["市水利局", "SL-2", "河道采砂许可", "行政许可", "《采砂办法》（水利部令第5号）", "20", "10", "保留"],
    ]
    data = workbook(
        {
            "交通": messy_items_rows(without, header=NO_BASIS_HEADER),
            "水利": messy_items_rows(with_basis),
        }
    )
    return analyze(load_dataset([("县清理表.xlsx", data)], SETTINGS))


def test_items_of_a_sheet_without_a_basis_column_are_unfilled_and_never_cancel_candidates() -> None:
    analysis = no_basis_analysis()
    items = analysis.dataset.items
    assert items["legal_basis"].eq("").sum() == 31
    audit = legal_audit(analysis, {})
    breakdown = audit.breakdown.set_index("label")
    assert breakdown.loc["未填写", "items"] == 31
    assert not breakdown.loc["未填写", "weak"]
    assert breakdown.loc["部门规章", "items"] == 1 and breakdown.loc["部门规章", "weak"]
    assert audit.count == 1  # only 河道采砂许可, on a ministry rule
    weak = analysis.flags[analysis.flags["rule"].eq("legal_basis")]
    assert weak["item"].tolist() == ["河道采砂许可"]


def test_the_department_table_counts_only_real_weak_bases_as_unable_to_set_a_licence() -> None:
    table = legal_audit(no_basis_analysis(), {}).by_department.set_index("部门")
    assert table.loc["市交通运输局", "未填写"] == 31
    assert table.loc["市交通运输局", "不得设定许可的"] == 0
    assert table.loc["市水利局", "不得设定许可的"] == 1
    assert table.loc["市水利局", "事项数"] == 2
