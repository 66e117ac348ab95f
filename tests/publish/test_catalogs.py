"""The published catalogs: which items, in what order, and files that print and read back."""

from __future__ import annotations

import copy
import csv
import io
import shutil
import subprocess
import tomllib
from pathlib import Path

import docx
import openpyxl
import pandas as pd
import pytest
from builders import messy_items_workbook, workbook
from docx.enum.section import WD_ORIENT
from docx.oxml.ns import qn
from docx.shared import Mm
from hypothesis import given
from hypothesis import strategies as st
from sample import SETTINGS, sample_dataset

from approvals.dataset.build import load_dataset
from approvals.errors import SettingsError
from approvals.model import ITEM_COLUMNS, conform, validate_items
from approvals.publish.catalogs import (
    LIST_KINDS,
    CatalogOptions,
    Place,
    catalog_csv,
    catalog_docx,
    catalog_place,
    catalog_table,
    catalog_title,
    catalog_xlsx,
    catalogs_xlsx,
    place_in,
)
from approvals.settings import DEFAULTS_DIR

LAYOUT = SETTINGS.export
RETAINED_HEADER = [
    "序号",
    "实施部门",
    "事项名称",
    "子项名称",
    "事项类型",
    "设定依据",
    "法定办结时限",
    "承诺办结时限",
    "是否收费",
    "收费依据",
    "备注",
]
HOSTILE = ['=HYPERLINK("http://x","点我")', "+1", "-2", "@SUM(A1)", "\tx"]
OPTIONS = CatalogOptions(region="示例市", subtitle="（2026年11月23日  示例市人民政府令第12号公布）")


def make_items(*rows: tuple[str, str, str], **columns: list[str]) -> pd.DataFrame:
    """Canonical items from (department, name, decision) rows, in list order; extra columns by name."""
    frame = pd.DataFrame(rows, columns=["department", "name", "decision"], dtype="str")
    frame["item_id"] = range(len(frame))
    frame["item_key"] = pd.Series([f"{d}/{n}" for d, n, _ in rows], dtype="str")
    frame["has_decision"] = True
    frame["counts_as"] = frame["decision"].map({"retained": "retained"}).fillna("streamlined").astype("str")
    for name, values in columns.items():
        frame[name] = values
    return validate_items(conform(frame, ITEM_COLUMNS))


@pytest.fixture(scope="module")
def sample_items() -> pd.DataFrame:
    return sample_dataset().items


@pytest.fixture(scope="module")
def retained(sample_items: pd.DataFrame) -> pd.DataFrame:
    return catalog_table(sample_items, "retained", OPTIONS, settings=SETTINGS)


def sheet_of(data: bytes, name: str | None = None):
    book = openpyxl.load_workbook(io.BytesIO(data))
    return book[name] if name else book.active


def column_values(sheet, column: int, first_row: int) -> list[object]:
    return [sheet.cell(r, column).value for r in range(first_row, sheet.max_row + 1)]


# ------------------------------------------------------------------ which items, in what order


@pytest.mark.parametrize(
    ("kind", "count"),
    [("retained", 213), ("cancelled", 99), ("delegated", 55), ("merged", 35), ("changed", 44)],
)
def test_each_sample_list_holds_exactly_the_items_of_its_decision(
    sample_items: pd.DataFrame, kind: str, count: int
) -> None:
    table = catalog_table(sample_items, kind, OPTIONS, settings=SETTINGS)
    expected = sample_items[sample_items["decision"] == kind]
    assert len(table) == count
    # 子项名称 is printed only where some item of the list has one
    assert ("子项名称" in table.columns) == expected["sub_item"].ne("").any()
    subs = table["子项名称"] if "子项名称" in table.columns else [""] * len(table)
    assert sorted(zip(table["实施部门"], table["事项名称"], subs, strict=True)) == sorted(
        zip(expected["department"], expected["name"], expected["sub_item"], strict=True)
    )


def test_sample_retained_catalog_numbers_its_213_items_1_to_213(retained: pd.DataFrame) -> None:
    assert retained.columns.tolist() == RETAINED_HEADER
    assert retained["序号"].tolist() == list(range(1, 214))


def test_items_are_grouped_by_department_in_order_of_first_appearance_and_keep_list_order() -> None:
    items = make_items(
        ("市林业局", "林木采伐许可", "retained"),
        ("市水利局", "取水许可", "retained"),
        ("市林业局", "林草种子生产经营许可", "retained"),
        ("市教育局", "民办学校设立审批", "retained"),
        ("市水利局", "河道采砂许可", "cancelled"),
        ("市水利局", "水工程建设规划同意书审核", "retained"),
    )
    table = catalog_table(items, "retained", settings=SETTINGS)
    assert table[["序号", "实施部门", "事项名称"]].values.tolist() == [
        [1, "市林业局", "林木采伐许可"],
        [2, "市林业局", "林草种子生产经营许可"],
        [3, "市水利局", "取水许可"],
        [4, "市水利局", "水工程建设规划同意书审核"],
        [5, "市教育局", "民办学校设立审批"],
    ]


def test_list_order_follows_item_id_not_the_order_rows_were_passed_in() -> None:
    items = make_items(("市水利局", "取水许可", "retained"), ("市水利局", "河道采砂许可", "retained"))
    table = catalog_table(items.iloc[::-1], "retained", settings=SETTINGS)
    assert table["事项名称"].tolist() == ["取水许可", "河道采砂许可"]


def test_department_order_is_shared_by_all_lists_so_the_published_lists_agree() -> None:
    items = make_items(
        ("市林业局", "林木采伐许可", "cancelled"),
        ("市水利局", "取水许可", "retained"),
        ("市林业局", "林草种子生产经营许可", "retained"),
    )
    assert catalog_table(items, "retained", settings=SETTINGS)["实施部门"].tolist() == [
        "市林业局",
        "市水利局",
    ]


def test_count_order_puts_the_department_with_most_items_in_the_catalog_first() -> None:
    items = make_items(
        ("市林业局", "甲", "retained"),
        ("市水利局", "乙", "retained"),
        ("市水利局", "丙", "retained"),
        ("市教育局", "丁", "retained"),
        ("市林业局", "戊", "cancelled"),
        ("市林业局", "己", "cancelled"),
    )
    table = catalog_table(items, "retained", CatalogOptions(department_order="count"), settings=SETTINGS)
    # 水利局 has 2 retained items; 林业局 and 教育局 tie at 1 and keep their listed order.
    assert table["实施部门"].tolist() == ["市水利局", "市水利局", "市林业局", "市教育局"]


def test_named_departments_come_first_and_the_rest_follow_as_listed() -> None:
    items = make_items(
        ("市林业局", "甲", "retained"),
        ("市水利局", "乙", "retained"),
        ("市教育局", "丙", "retained"),
        ("市公安局", "丁", "retained"),
    )
    options = CatalogOptions(department_order=["市教育局", "市不存在局", "市水利局"])
    table = catalog_table(items, "retained", options, settings=SETTINGS)
    assert table["实施部门"].tolist() == ["市教育局", "市水利局", "市林业局", "市公安局"]


def test_per_department_numbering_restarts_at_one_for_each_department() -> None:
    items = make_items(
        ("市林业局", "甲", "retained"),
        ("市水利局", "乙", "retained"),
        ("市林业局", "丙", "retained"),
        ("市教育局", "丁", "retained"),
    )
    table = catalog_table(items, "retained", CatalogOptions(numbering="per_department"), settings=SETTINGS)
    assert table[["实施部门", "序号"]].values.tolist() == [
        ["市林业局", 1],
        ["市林业局", 2],
        ["市水利局", 1],
        ["市教育局", 1],
    ]


@given(st.lists(st.sampled_from(["市林业局", "市水利局", "市教育局", "市公安局"]), max_size=30))
def test_every_department_is_one_contiguous_block_in_list_order(departments: list[str]) -> None:
    items = make_items(*[(d, f"事项{i}", "retained") for i, d in enumerate(departments)])
    for numbering in ("continuous", "per_department"):
        table = catalog_table(items, "retained", CatalogOptions(numbering=numbering), settings=SETTINGS)
        shown = table["实施部门"].tolist()
        blocks = [d for d, previous in zip(shown, [None, *shown], strict=False) if d != previous]
        assert blocks == list(dict.fromkeys(departments))  # one block each, in order of first appearance
        assert sorted(shown) == sorted(departments)
        order = table["事项名称"].str.removeprefix("事项").astype(int)
        assert all(g.is_monotonic_increasing for _, g in order.groupby(table["实施部门"]))
        if numbering == "continuous":
            assert table["序号"].tolist() == list(range(1, len(table) + 1))
        else:
            assert (table["序号"] == table.groupby("实施部门").cumcount() + 1).all()


def read_items(*limits: tuple[str, str], title: str = "市本级行政许可事项清理表") -> pd.DataFrame:
    """Items read by the reader from a department's list, one per (statutory, committed) limit."""
    rows = [
        [
            "市水利局",
            f"SL-{n}",
            f"事项{n}",
            "行政许可",
            "《中华人民共和国水法》",
            statutory,
            committed,
            "保留",
            "",
        ]
        for n, (statutory, committed) in enumerate(limits, start=1)
    ]
    return load_dataset([("水利局.xlsx", messy_items_workbook(rows, title=title))], SETTINGS).items


# (as the department wrote it, as the catalog prints it)
LIMIT_WORDINGS = [
    ("９个工作日", "9个工作日"),
    ("6", "6个工作日"),
    ("6日", "6个工作日"),
    ("九个工作日", "9个工作日"),
    ("15", "15个工作日"),
    ("20个工作日内办结", "20个工作日"),
    ("即办", "即办"),
    ("当场办结", "即办"),
    ("法律未规定", "法律未规定"),
    ("无", "法律未规定"),
    ("—", "法律未规定"),
    ("30天", "30个工作日"),  # 行政许可法 art. 82: a day in free text is a working day
    ("30个自然日", "30个自然日"),
    ("三个月", "3个月"),
    ("4小时", "4小时"),
    ("0.5个工作日", "0.5个工作日"),
    ("15个工作日（不含专家评审时间）", "15个工作日（不含专家评审时间）"),
    ("二十日(不含公示时间)", "20个工作日（不含公示时间）"),
    ("即办（不含现场勘查时间）", "即办（不含现场勘查时间）"),
    ("5-10个工作日", "5-10个工作日"),  # a range: the upper end is only the reader's assumption
    ("视情况而定", "视情况而定"),  # not a limit: quoted
]


@pytest.mark.parametrize(("written", "printed"), LIMIT_WORDINGS)
def test_statutory_limits_are_printed_in_one_wording_from_what_was_read(written: str, printed: str) -> None:
    table = catalog_table(read_items((written, "10个工作日")), "retained", settings=SETTINGS)
    assert table["法定办结时限"].tolist() == [printed]


def test_committed_limits_share_the_wording_and_say_无_where_none_is_promised() -> None:
    items = read_items(("20", "十个工作日"), ("20", "无"), ("20", "当场办结"), ("20", ""))
    table = catalog_table(items, "retained", settings=SETTINGS)
    assert table["承诺办结时限"].tolist() == ["10个工作日", "无", "即办", ""]


def test_a_platform_unit_column_prints_natural_days_months_and_hours_in_their_own_unit() -> None:
    header = ["实施部门", "事项名称", "法定办结时限", "法定办结时限单位", "承诺办结时限", "承诺办结时限单位"]
    rows = [
        ["区水务局", "取水许可", "30", "天", "20", "工作日"],
        ["区水务局", "河道采砂许可", "2", "月", "8", "小时"],
        ["区水务局", "水工程建设规划同意书审核", "20", "2", "10", "1"],  # the platform's codes
    ]
    data = workbook({"事项": [header, *rows]})
    items = load_dataset([("平台导出.xlsx", data)], SETTINGS).items
    table = catalog_table(items, "retained", settings=SETTINGS)
    assert table[["法定办结时限", "承诺办结时限"]].values.tolist() == [
        ["30个自然日", "20个工作日"],
        ["2个月", "8小时"],
        ["20个自然日", "10个工作日"],
    ]


def test_limits_are_quoted_as_written_when_the_analyst_asks_or_export_toml_says_so() -> None:
    items = read_items(("四十五个工作日（不含专家评审时间）", "二十日"))
    asked = catalog_table(items, "retained", CatalogOptions(limits_as_written=True), settings=SETTINGS)
    assert asked[["法定办结时限", "承诺办结时限"]].values.tolist() == [
        ["四十五个工作日（不含专家评审时间）", "二十日"]
    ]
    data = copy.deepcopy(dict(SETTINGS.data["export.toml"]))
    data["limits"]["as_written"] = True
    quoting = SETTINGS.replaced("export.toml", data)
    assert catalog_table(items, "retained", settings=quoting)["承诺办结时限"].tolist() == ["二十日"]
    told = CatalogOptions(limits_as_written=False)
    assert catalog_table(items, "retained", told, settings=quoting)["承诺办结时限"].tolist() == ["20个工作日"]


def test_the_wording_of_units_and_of_no_limit_comes_from_export_toml() -> None:
    data = copy.deepcopy(dict(SETTINGS.data["export.toml"]))
    data["limits"]["units"]["工作日"] = "{n}工作日"
    data["limits"]["none_statutory"] = "无法定时限"
    own = SETTINGS.replaced("export.toml", data)
    table = catalog_table(read_items(("二十日", "无"), ("法律未规定", "5")), "retained", settings=own)
    assert table[["法定办结时限", "承诺办结时限"]].values.tolist() == [
        ["20工作日", "无"],
        ["无法定时限", "5工作日"],
    ]


def test_a_unit_template_without_its_number_is_refused_naming_the_key() -> None:
    data = copy.deepcopy(dict(SETTINGS.data["export.toml"]))
    data["limits"]["units"]["月"] = "个月"
    with pytest.raises(SettingsError, match=r"limits\.units\.月"):
        SETTINGS.replaced("export.toml", data)


def test_an_export_toml_without_the_newer_tables_reads_with_the_bundled_defaults() -> None:
    data = copy.deepcopy(dict(SETTINGS.data["export.toml"]))
    del data["limits"], data["titles"]["levels"], data["lists"]["optional"]
    old = SETTINGS.replaced("export.toml", data).export
    assert old.limits == LAYOUT.limits and old.levels == LAYOUT.levels
    assert old.optional == frozenset()  # nothing left out, as before


def test_merged_list_shows_the_item_merged_into() -> None:
    items = make_items(
        ("市教育局", "民办学校章程修改核准", "merged"),
        ("市教育局", "校车使用许可", "retained"),
        merge_target=["校车使用许可", ""],
    )
    table = catalog_table(items, "merged", settings=SETTINGS)
    assert "合并至" in table.columns
    assert table[["事项名称", "合并至"]].values.tolist() == [["民办学校章程修改核准", "校车使用许可"]]


def test_delegated_and_changed_lists_show_the_decision_and_drop_the_new_commitment() -> None:
    items = make_items(
        ("市公安局", "旅馆业特种行业许可证核发", "delegated"),
        ("市教育局", "教师资格认定", "changed"),
        decision_text=["下放至县级", "实行告知承诺制"],
    )
    assert catalog_table(items, "delegated", settings=SETTINGS)["处理意见"].tolist() == ["下放至县级"]
    assert catalog_table(items, "changed", settings=SETTINGS)["处理意见"].tolist() == ["实行告知承诺制"]
    for kind in ("cancelled", "delegated", "merged", "changed"):
        assert "承诺办结时限" not in catalog_table(items, kind, settings=SETTINGS).columns


def test_chosen_extra_columns_are_appended_under_their_own_headers() -> None:
    items = make_items(
        ("市水利局", "取水许可", "retained"),
        联系电话=["0000-1234567"],
        code=["SL-1"],
        sub_item=["延续"],
        category=["行政许可"],
        fee=["否"],
        fee_basis=["无"],
        remarks=["—"],
    )
    table = catalog_table(items, "retained", CatalogOptions(extras=("联系电话", "code")), settings=SETTINGS)
    assert table.columns.tolist() == [*RETAINED_HEADER, "联系电话", "事项编码"]
    assert table[["联系电话", "事项编码"]].values.tolist() == [["0000-1234567", "SL-1"]]


def test_an_extra_column_the_items_do_not_have_is_refused() -> None:
    items = make_items(("市水利局", "取水许可", "retained"))
    with pytest.raises(ValueError, match="联系电话"):
        catalog_table(items, "retained", CatalogOptions(extras=("联系电话",)), settings=SETTINGS)


def test_unknown_kinds_and_options_are_refused_in_chinese() -> None:
    items = make_items(("市水利局", "取水许可", "retained"))
    with pytest.raises(ValueError, match="目录"):
        catalog_table(items, "undecided", settings=SETTINGS)
    with pytest.raises(ValueError, match="编号方式"):
        CatalogOptions(numbering="by_category")
    with pytest.raises(ValueError, match="部门排序"):
        CatalogOptions(department_order="alphabetical")


def test_a_list_with_no_items_is_an_empty_table_with_its_header() -> None:
    items = make_items(("市水利局", "取水许可", "retained"))
    table = catalog_table(items, "cancelled", settings=SETTINGS)
    assert table.empty and table.columns[0] == "序号"
    assert sheet_of(catalog_xlsx(table, "取消目录", layout=LAYOUT))["A2"].value == "序号"


# ------------------------------------------------------------------ titles and settings


def test_titles_come_from_the_templates_with_region_and_level() -> None:
    assert catalog_title("retained", OPTIONS, layout=LAYOUT) == "示例市市本级保留行政审批事项目录"
    assert catalog_title("cancelled", CatalogOptions(region="示例县", level="县本级"), layout=LAYOUT) == (
        "示例县县本级取消行政审批事项目录"
    )


def test_titles_headers_and_fonts_follow_the_layout_the_writers_are_given() -> None:
    data = copy.deepcopy(dict(SETTINGS.data["export.toml"]))
    data["titles"]["retained"] = "{region}{level}保留事项清单"
    data["columns"]["name"]["header"] = "审批事项名称"
    data["fonts"]["body"]["name"] = "楷体"
    own_settings = SETTINGS.replaced("export.toml", data)
    own = own_settings.export
    title = catalog_title("retained", OPTIONS, layout=own)
    assert title == "示例市市本级保留事项清单"
    table = catalog_table(make_items(("市水利局", "取水许可", "retained")), "retained", settings=own_settings)
    assert table.columns[2] == "审批事项名称" and "事项名称" not in table.columns
    sheet = sheet_of(catalog_xlsx(table, title, layout=own))
    assert (sheet["A1"].value, sheet["C2"].value, sheet["C3"].value) == (title, "审批事项名称", "取水许可")
    assert sheet["C3"].font.name == "楷体"
    document = docx.Document(io.BytesIO(catalog_docx(table, title, layout=own)))
    assert document.paragraphs[0].text == title
    assert document.styles["Normal"].element.rPr.rFonts.get(qn("w:eastAsia")) == "楷体"
    # the bundled layout is as it was
    assert catalog_title("retained", OPTIONS, layout=LAYOUT) == "示例市市本级保留行政审批事项目录"


def test_every_list_kind_has_a_title_and_columns_and_every_column_a_layout() -> None:
    raw = tomllib.loads((DEFAULTS_DIR / "export.toml").read_text(encoding="utf-8"))
    assert set(raw["titles"]) - {"level", "current", "holds", "holds_default", "levels"} == set(LIST_KINDS)
    assert set(raw["lists"]) - {"optional"} == set(LIST_KINDS)
    for kind in LIST_KINDS:
        keys = raw["lists"][kind]
        assert keys[0] == "number"
        assert set(keys) <= set(raw["columns"])
    assert set(raw["lists"]["optional"]) <= set(raw["columns"]) - {"number", "department", "name"}
    assert {"title", "subtitle", "header", "body", "footer"} <= set(raw["fonts"])


# ------------------------------------------------------------------ .xlsx


@pytest.fixture(scope="module")
def retained_xlsx(retained: pd.DataFrame) -> bytes:
    return catalog_xlsx(retained, catalog_title("retained", OPTIONS, layout=LAYOUT), OPTIONS, layout=LAYOUT)


def test_xlsx_has_the_title_merged_across_the_table_then_the_subtitle_then_the_header(
    retained_xlsx: bytes,
) -> None:
    sheet = sheet_of(retained_xlsx)
    merged = {str(r) for r in sheet.merged_cells.ranges}
    assert {"A1:K1", "A2:K2"} <= merged
    assert sheet["A1"].value == "示例市市本级保留行政审批事项目录"
    assert sheet["A2"].value == "（2026年11月23日  示例市人民政府令第12号公布）"
    assert [c.value for c in sheet[3]] == RETAINED_HEADER


def test_xlsx_rows_are_the_table_in_order(retained_xlsx: bytes, retained: pd.DataFrame) -> None:
    sheet = sheet_of(retained_xlsx)
    assert sheet.max_row == 3 + 213
    assert column_values(sheet, 1, 4) == list(range(1, 214))
    assert column_values(sheet, 2, 4) == retained["实施部门"].tolist()
    assert column_values(sheet, 3, 4) == retained["事项名称"].tolist()
    assert [v or "" for v in column_values(sheet, 8, 4)] == retained["承诺办结时限"].tolist()


def test_xlsx_per_department_numbering_is_written(sample_items: pd.DataFrame) -> None:
    options = CatalogOptions(numbering="per_department")
    table = catalog_table(sample_items, "retained", options, settings=SETTINGS)
    sheet = sheet_of(catalog_xlsx(table, "目录", options, layout=LAYOUT))
    numbers = column_values(sheet, 1, 3)
    departments = column_values(sheet, 2, 3)
    firsts = [n for n, d, prev in zip(numbers, departments, [None, *departments], strict=False) if d != prev]
    assert firsts == [1] * len(set(departments))
    assert (
        max(numbers)
        == sample_items[sample_items["decision"] == "retained"]["department"].value_counts().max()
    )


def test_xlsx_prints_on_a4_landscape_one_page_wide_with_the_header_on_every_page(
    retained_xlsx: bytes,
) -> None:
    sheet = sheet_of(retained_xlsx)
    setup = sheet.page_setup
    assert setup.paperSize == 9
    assert setup.orientation == "landscape"
    assert sheet.sheet_properties.pageSetUpPr.fitToPage is True
    assert setup.fitToWidth in (None, 1)  # 1 is the default, which the file may leave out
    assert setup.fitToHeight == 0  # as many pages down as needed
    assert sheet.print_title_rows == "$3:$3"
    assert sheet.freeze_panes == "A4"
    assert "第 &P 页 共 &N 页" in sheet.oddFooter.center.text


def test_xlsx_uses_the_configured_fonts_for_title_header_and_body(retained_xlsx: bytes) -> None:
    sheet = sheet_of(retained_xlsx)
    fonts = LAYOUT.fonts
    assert (sheet["A1"].font.name, sheet["A1"].font.b, sheet["A1"].font.sz) == ("宋体", True, 22)
    assert sheet["A3"].font.name == fonts["header"].name
    assert sheet["C4"].font.name == sheet["F200"].font.name == fonts["body"].name == "仿宋"
    assert sheet["C4"].font.charset == 134  # GB2312: Excel keeps the Chinese font


def test_xlsx_columns_have_the_configured_widths_and_long_text_wraps(retained_xlsx: bytes) -> None:
    sheet = sheet_of(retained_xlsx)
    columns = LAYOUT.columns
    assert sheet.column_dimensions["F"].width == pytest.approx(columns["legal_basis"].width, abs=1)
    assert sheet["F4"].alignment.wrap_text and sheet["C4"].alignment.wrap_text
    assert not sheet["A4"].alignment.wrap_text
    assert sheet["F4"].border.left.style == "thin"


def test_xlsx_marks_each_departments_first_row_with_a_heavier_rule(
    retained_xlsx: bytes, retained: pd.DataFrame
) -> None:
    sheet = sheet_of(retained_xlsx)
    departments = retained["实施部门"].tolist()
    for r, (department, previous) in enumerate(zip(departments, [None, *departments], strict=False)):
        expected = "medium" if previous is not None and department != previous else "thin"
        assert sheet.cell(4 + r, 3).border.top.style == expected
    assert all(column_values(sheet, 2, 4)), "the department is repeated on every row"


def test_several_lists_go_into_one_workbook_one_sheet_each(sample_items: pd.DataFrame) -> None:
    tables = {kind: catalog_table(sample_items, kind, OPTIONS, settings=SETTINGS) for kind in LIST_KINDS}
    book = openpyxl.load_workbook(io.BytesIO(catalogs_xlsx(tables, OPTIONS, layout=LAYOUT)))
    assert book.sheetnames == list(LIST_KINDS.values())
    merged = book["合并事项目录"]
    assert merged["A1"].value == "示例市市本级合并行政审批事项目录"
    header = [c.value for c in merged[3]]
    assert "合并至" in header
    targets = column_values(merged, header.index("合并至") + 1, 4)
    assert len(targets) == 35 and all(targets)
    assert book["取消事项目录"].max_row == 3 + 99


def test_hostile_names_are_written_as_text_not_formulas() -> None:
    items = make_items(*[("市水利局", name, "retained") for name in HOSTILE])
    table = catalog_table(items, "retained", settings=SETTINGS)
    sheet = sheet_of(catalog_xlsx(table, "=目录", layout=LAYOUT))
    cells = [sheet.cell(r, 3) for r in range(3, 3 + len(HOSTILE))]
    assert all(c.data_type == "s" for c in cells)
    assert [c.value for c in cells] == ["'" + name for name in HOSTILE]
    assert sheet["A1"].data_type == "s" and sheet["A1"].value == "'=目录"

    rows = list(csv.reader(io.StringIO(catalog_csv(table).decode("utf-8-sig"))))
    assert [row[2] for row in rows[1:]] == ["'" + name for name in HOSTILE]


# ------------------------------------------------------------------ .docx


@pytest.fixture(scope="module")
def retained_docx(retained: pd.DataFrame):
    return docx.Document(
        io.BytesIO(
            catalog_docx(retained, catalog_title("retained", OPTIONS, layout=LAYOUT), OPTIONS, layout=LAYOUT)
        )
    )


def test_docx_has_the_title_the_subtitle_and_one_row_per_item_plus_the_header(retained_docx) -> None:
    paragraphs = [p.text for p in retained_docx.paragraphs]
    assert paragraphs[:2] == [
        "示例市市本级保留行政审批事项目录",
        "（2026年11月23日  示例市人民政府令第12号公布）",
    ]
    table = retained_docx.tables[0]
    assert len(table.rows) == 213 + 1
    assert [c.text for c in table.rows[0].cells] == RETAINED_HEADER
    assert [c.text for c in table.rows[1].cells][:3] == ["1", "市发展和改革委员会", "供电营业区划分审批"]
    assert table.rows[213].cells[0].text == "213"
    assert table.style.name == "Table Grid"


def test_docx_title_is_centred_bold_in_the_title_font(retained_docx) -> None:
    title = retained_docx.paragraphs[0]
    run = title.runs[0]
    assert title.alignment == 1  # centre
    assert run.bold and run.font.name == "宋体" and run.font.size.pt == 22


def test_docx_header_row_repeats_on_every_page_and_body_rows_do_not(retained_docx) -> None:
    rows = retained_docx.tables[0].rows
    assert rows[0]._tr.trPr.find(qn("w:tblHeader")) is not None
    assert all(row._tr.trPr.find(qn("w:tblHeader")) is None for row in rows[1:])


def test_docx_sets_the_east_asian_font_on_every_run_and_on_the_normal_style(retained_docx) -> None:
    fonts = LAYOUT.fonts
    normal = retained_docx.styles["Normal"].element.rPr.rFonts
    assert normal.get(qn("w:eastAsia")) == fonts["body"].name
    runs = list(retained_docx.tables[0]._tbl.iter(qn("w:r")))
    assert len(runs) > 213
    names = {r.rPr.rFonts.get(qn("w:eastAsia")) for r in runs}
    assert names == {fonts["header"].name, fonts["body"].name}
    title = retained_docx.paragraphs[0].runs[0]._r.rPr.rFonts
    assert title.get(qn("w:eastAsia")) == fonts["title"].name


def test_docx_page_is_a4_landscape_with_page_numbers_in_the_footer(retained_docx) -> None:
    section = retained_docx.sections[0]
    assert section.orientation == WD_ORIENT.LANDSCAPE
    assert abs(section.page_width - Mm(297)) < Mm(1) and abs(section.page_height - Mm(210)) < Mm(1)
    footer = section.footer._element
    instructions = [f.get(qn("w:instr")).strip() for f in footer.iter(qn("w:fldSimple"))]
    assert instructions == ["PAGE", "NUMPAGES"]
    assert "".join(t.text for t in footer.iter(qn("w:t"))) == "第 1 页 共 1 页"


def test_docx_columns_fill_the_width_between_the_margins(retained_docx) -> None:
    section = retained_docx.sections[0]
    usable = section.page_width - section.left_margin - section.right_margin
    cells = retained_docx.tables[0].rows[1].cells
    assert sum(c.width for c in cells) == pytest.approx(usable, rel=0.01)
    widths = LAYOUT.columns
    legal, number = cells[5].width, cells[0].width
    assert legal / number == pytest.approx(
        widths["legal_basis"].width_cm / widths["number"].width_cm, rel=0.01
    )


def test_docx_marks_each_departments_first_row_with_a_heavier_rule(retained_docx, retained) -> None:
    rows = retained_docx.tables[0].rows
    starts = retained["实施部门"].ne(retained["实施部门"].shift()).to_numpy(copy=True)
    starts[0] = False
    ruled = [row.cells[0]._tc.tcPr.find(qn("w:tcBorders")) is not None for row in rows[1:]]
    assert ruled == starts.tolist()


def test_docx_keeps_line_breaks_and_drops_characters_xml_cannot_hold() -> None:
    items = make_items(
        ("市水利局", "取水\x00许可\x0b", "retained"), ("市水利局", "<b>&河道</b>", "retained"),
        legal_basis=["《中华人民共和国水法》第七条\n《取水许可和水资源费征收管理条例》第二条", ""],
    )  # fmt: skip
    document = docx.Document(
        io.BytesIO(catalog_docx(catalog_table(items, "retained", settings=SETTINGS), "目录", layout=LAYOUT))
    )
    rows = document.tables[0].rows
    header = [cell.text for cell in rows[0].cells]
    assert rows[1].cells[2].text == "取水许可"
    assert rows[2].cells[2].text == "<b>&河道</b>"
    basis = header.index("设定依据")
    assert (
        rows[1].cells[basis].text == "《中华人民共和国水法》第七条\n《取水许可和水资源费征收管理条例》第二条"
    )


# ------------------------------------------------------------------ .csv


def test_csv_is_utf8_with_bom_and_holds_the_table_without_the_title(retained: pd.DataFrame) -> None:
    data = catalog_csv(retained)
    assert data.startswith(b"\xef\xbb\xbf")
    rows = list(csv.reader(io.StringIO(data.decode("utf-8-sig"))))
    assert rows[0] == RETAINED_HEADER
    assert len(rows) == 1 + 213
    assert [r[2] for r in rows[1:]] == retained["事项名称"].tolist()
    assert rows[1][0] == "1" and rows[-1][0] == "213"


# ------------------------------------------------------------------ read back


@pytest.mark.parametrize("fmt", ["xlsx", "csv"])
def test_an_exported_retained_catalog_reads_back_as_the_same_retained_items(
    sample_items: pd.DataFrame, retained: pd.DataFrame, retained_xlsx: bytes, fmt: str
) -> None:
    data = retained_xlsx if fmt == "xlsx" else catalog_csv(retained)
    back = load_dataset([(f"保留事项目录.{fmt}", data)], SETTINGS)
    fields = back.mappings.set_index("column")["field"]
    assert fields["承诺办结时限"] == "committed" and fields["法定办结时限"] == "statutory"
    assert not (back.problems["severity"] == "错误").any()

    def key(items: pd.DataFrame) -> list[tuple[object, ...]]:
        return sorted(
            zip(
                items["department"], items["name"], items["sub_item"], items["category"],
                items["committed_days"].fillna(-1), items["statutory_days"].fillna(-1), strict=True,
            )
        )  # fmt: skip

    original = sample_items[sample_items["decision"] == "retained"]
    assert len(back.items) == 213
    assert (back.items["decision"] == "retained").all()
    assert key(back.items) == key(original)


# ------------------------------------------------------------------ printing through LibreOffice

OFFICE = shutil.which("soffice") or shutil.which("libreoffice")


@pytest.mark.skipif(OFFICE is None, reason="LibreOffice is not installed")
@pytest.mark.parametrize("fmt", ["xlsx", "docx"])
def test_libreoffice_converts_the_catalog_to_pdf(
    tmp_path: Path, retained: pd.DataFrame, fmt: str
) -> None:  # pragma: no cover - needs LibreOffice
    writer = catalog_xlsx if fmt == "xlsx" else catalog_docx
    source = tmp_path / f"保留事项目录.{fmt}"
    source.write_bytes(
        writer(retained, catalog_title("retained", OPTIONS, layout=LAYOUT), OPTIONS, layout=LAYOUT)
    )
    subprocess.run(
        [str(OFFICE), "--headless", f"-env:UserInstallation=file://{tmp_path}/profile",
         "--convert-to", "pdf", "--outdir", str(tmp_path), str(source)],
        check=True, timeout=180, capture_output=True,
    )  # fmt: skip
    pdf = tmp_path / "保留事项目录.pdf"
    assert pdf.exists() and pdf.read_bytes().startswith(b"%PDF")


def test_xlsx_rows_are_tall_enough_for_their_wrapped_text() -> None:
    items = make_items(
        ("市水利局", "取水许可", "retained"),
        ("市水利局", "河道采砂许可", "retained"),
        legal_basis=[
            "《中华人民共和国水法》第七条",
            "《中华人民共和国水法》第七条\n" * 3 + "《河道管理条例》第二十五条",
        ],
    )
    sheet = sheet_of(catalog_xlsx(catalog_table(items, "retained", settings=SETTINGS), "目录", layout=LAYOUT))
    short, tall = sheet.row_dimensions[3].height, sheet.row_dimensions[4].height
    body = LAYOUT.fonts["body"].size
    assert short >= body * 1.2
    assert tall >= 4 * short * 0.9  # four lines against one


# ------------------------------------------------------------------ columns the lists leave blank


def test_fee_columns_a_list_leaves_blank_are_left_out() -> None:
    items = make_items(("市水利局", "取水许可", "retained"), ("市水利局", "河道采砂许可", "retained"))
    header = catalog_table(items, "retained", settings=SETTINGS).columns.tolist()
    assert header == ["序号", "实施部门", "事项名称", "设定依据", "法定办结时限", "承诺办结时限"]


def test_a_column_one_item_fills_is_printed_for_every_item() -> None:
    items = make_items(
        ("市水利局", "取水许可", "retained"), ("市水利局", "河道采砂许可", "retained"), fee=["是", " "]
    )
    table = catalog_table(items, "retained", settings=SETTINGS)
    assert table["是否收费"].tolist() == ["是", " "]
    assert "收费依据" not in table.columns


def test_a_blank_column_the_analyst_adds_is_printed_in_its_place() -> None:
    items = make_items(("市水利局", "取水许可", "retained"))
    table = catalog_table(items, "retained", CatalogOptions(extras=("fee",)), settings=SETTINGS)
    assert table.columns.tolist() == [
        "序号",
        "实施部门",
        "事项名称",
        "设定依据",
        "法定办结时限",
        "承诺办结时限",
        "是否收费",
    ]
    assert table["是否收费"].tolist() == [""]
    ahead = CatalogOptions(extras=("fee", "remarks"))
    header = catalog_table(items, "retained", ahead, settings=SETTINGS).columns.tolist()
    assert header[-2:] == ["是否收费", "备注"]  # the list's own order, not the order chosen


def test_each_list_leaves_out_only_what_its_own_items_leave_blank() -> None:
    items = make_items(
        ("市水利局", "取水许可", "retained"), ("市水利局", "河道采砂许可", "cancelled"), fee=["", "是"]
    )
    assert "是否收费" not in catalog_table(items, "retained", settings=SETTINGS).columns
    assert catalog_table(items, "cancelled", settings=SETTINGS)["是否收费"].tolist() == ["是"]


def test_the_blank_columns_are_left_out_of_every_format() -> None:
    items = make_items(("市水利局", "取水许可", "retained"))
    table = catalog_table(items, "retained", settings=SETTINGS)
    sheet = sheet_of(catalog_xlsx(table, "目录", layout=LAYOUT))
    assert [c.value for c in sheet[2]] == table.columns.tolist()
    document = docx.Document(io.BytesIO(catalog_docx(table, "目录", layout=LAYOUT)))
    assert [c.text for c in document.tables[0].rows[0].cells] == table.columns.tolist()
    assert next(csv.reader(io.StringIO(catalog_csv(table).decode("utf-8-sig")))) == table.columns.tolist()
    assert "是否收费" not in table.columns and "收费依据" not in table.columns


# ------------------------------------------------------------------ whose catalog: region and level


@pytest.mark.parametrize(
    ("text", "region", "level"),
    [
        ("某某县行政审批事项清理表", "某某县", "县本级"),
        ("2026年某某县行政审批事项清理表", "某某县", "县本级"),
        ("示例市市本级行政许可事项清理汇总表", "示例市", "市本级"),
        ("市本级行政许可事项清理表", "", "市本级"),
        ("某某市某某区权责清单", "某某市某某区", "区本级"),
        ("沛县行政许可事项目录", "沛县", "县本级"),
        ("某某自治县保留事项目录", "某某自治县", "县本级"),
        ("某某市城市管理局行政许可事项", "某某市", "市本级"),
        ("区水务局", "", "区本级"),
        ("行政许可事项清理表", "", ""),
        ("关于报送行政审批事项的通知", "", ""),
    ],
)
def test_a_line_of_a_lists_title_names_its_region_and_level(text: str, region: str, level: str) -> None:
    assert (place_in(text, LAYOUT.levels).region, place_in(text, LAYOUT.levels).level) == (region, level)


def test_a_countys_list_is_titled_for_the_county_not_the_city() -> None:
    items = read_items(("20", "10"), title="某某县行政审批事项清理表")
    place = catalog_place(items, SETTINGS)
    assert place == Place("某某县", "县本级", "清单标题")
    options = CatalogOptions(region=place.region, level=place.level)
    assert catalog_title("retained", options, layout=LAYOUT) == "某某县县本级保留行政审批事项目录"


def test_the_region_comes_from_the_填报单位_line_when_the_title_has_none() -> None:
    items = read_items(("20", "10"), title="行政许可事项清理表")  # 填报单位：示例市法制办
    assert catalog_place(items, SETTINGS) == Place("示例市", "市本级", "填报单位")
    spelled = read_items(("20", "10"), title="市本级行政许可事项清理表")
    assert catalog_place(spelled, SETTINGS) == Place("示例市", "市本级", "清单标题")


def test_lists_that_name_no_place_give_no_level() -> None:
    header = ["实施部门", "事项名称", "法定办结时限", "处理意见"]
    data = workbook({"事项": [header, ["水利局", "取水许可", "20", "保留"]]})
    items = load_dataset([("清单.xlsx", data)], SETTINGS).items
    assert catalog_place(items, SETTINGS) == Place()
