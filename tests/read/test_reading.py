"""Reading department files: header found under titles, columns mapped, junk rows reported."""

from __future__ import annotations

import io
import zipfile

import pytest
import xlwt
from builders import ITEM_HEADER, csv_bytes, messy_items_workbook, workbook
from sample import SETTINGS

from approvals.errors import ReadError
from approvals.read import workbooks
from approvals.read.reading import Reading, read_source

ITEMS = [
    [
        "市教育局",
        "XK-001",
        "民办学校设立审批",
        "行政许可",
        "《民办教育促进法》第十二条",
        "20个工作日",
        "10个工作日",
        "保留",
        "0531-1",
    ],
    [
        "市教育局",
        "XK-002",
        "教师资格认定",
        "行政许可",
        "《教师法》第十三条",
        "二十个工作日",
        "即办",
        "取消",
        "",
    ],
    [
        "市民政局",
        "XK-003",
        "社会团体成立登记",
        "行政许可",
        "《社会团体登记管理条例》",
        "60日",
        "30日",
        "下放至县级",
        "",
    ],
]


VOCAB = SETTINGS.columns  # the bundled columns.toml


def read(name: str, data: bytes) -> Reading:
    return read_source((name, data), VOCAB)


def test_header_under_a_merged_title_and_a_filing_unit_row_is_found_on_row_3() -> None:
    reading = read("教育局.xlsx", messy_items_workbook(ITEMS))
    assert reading.items["name"].tolist() == ["民办学校设立审批", "教师资格认定", "社会团体成立登记"]
    assert reading.items["row"].tolist() == [4, 5, 6]
    assert set(reading.mappings["header_row"]) == {3}
    mapped = dict(zip(reading.mappings["column"], reading.mappings["field"], strict=True))
    assert mapped["承诺办结时限（清理后）"] == "committed"
    assert mapped["处理意见"] == "decision"
    assert mapped["联系电话"] == ""  # not recognised, carried along


def test_unrecognised_columns_are_kept_with_their_values() -> None:
    reading = read("教育局.xlsx", messy_items_workbook(ITEMS))
    assert reading.items["联系电话"].tolist() == ["0531-1", "", ""]


def test_blank_summary_and_note_rows_are_skipped_and_reported_with_excel_row_numbers() -> None:
    reading = read("教育局.xlsx", messy_items_workbook(ITEMS))
    by_code = reading.problems.set_index("code")
    assert by_code.loc["row_blank", "row"] == 7
    assert by_code.loc["row_summary", "row"] == 8
    assert by_code.loc["row_note", "row"] == 9
    assert "合计" in by_code.loc["row_summary", "value"]
    assert len(reading.items) == 3


@pytest.mark.parametrize(
    ("header", "field"),
    [
        ("事项\n名称", "name"),
        ("序 号", "seq"),
        ("承诺办结时限（清理后）", "committed"),
        ("承诺办结时限(清理后)", "committed"),
        ("清理前承诺时限", "original"),
        ("法定\n办结时限", "statutory"),
        ("审批事项名称", "name"),
        ("实施机关", "department"),
        ("权力类型", "category"),
        ("实施依据", "legal_basis"),
        ("审改意见", "decision"),
        ("事项名称（全称）", "name"),
    ],
)
def test_header_cells_with_breaks_spaces_and_full_width_brackets_are_recognised(
    header: str, field: str
) -> None:
    other = "实施部门" if field == "name" else "事项名称"
    rows = [[header, other], ["x", "y"]]
    reading = read("a.xlsx", workbook({"表": rows}))
    mapped = dict(zip(reading.mappings["column"], reading.mappings["field"], strict=True))
    assert mapped[header] == field


def test_two_row_header_with_a_merged_parent_names_before_and_after_commitments() -> None:
    rows = [
        ["序号", "事项名称", "法定时限", "承诺时限", "", "处理意见"],
        ["", "", "", "清理前", "清理后", ""],
        [1, "食品经营许可", "20个工作日", "15个工作日", "10个工作日", "保留"],
    ]
    merges = {"表": [(0, 3, 0, 4, "承诺时限"), (0, 0, 1, 0, "序号"), (0, 1, 1, 1, "事项名称")]}
    reading = read("a.xlsx", workbook({"表": rows}, merges))
    item = reading.items.iloc[0]
    assert (item["original"], item["committed"], item["statutory"]) == (
        "15个工作日",
        "10个工作日",
        "20个工作日",
    )
    assert item["row"] == 3


def test_a_single_committed_column_is_the_new_commitment() -> None:
    rows = [["事项名称", "法定时限", "承诺时限"], ["a", "20", "10"]]
    reading = read("a.xlsx", workbook({"表": rows}))
    assert reading.items.iloc[0]["committed"] == "10"
    assert "original" not in reading.items.columns


def test_names_merged_over_sub_item_rows_are_filled_down() -> None:
    rows = [
        ["序号", "实施部门", "事项名称", "子项名称", "法定时限"],
        [1, "市交通运输局", "道路运输经营许可", "道路客运经营许可", "20个工作日"],
        [2, "", "", "道路货运经营许可", "20个工作日"],
        [3, "", "出租汽车经营许可", "", "20个工作日"],
    ]
    merges = {"表": [(1, 2, 2, 2, "道路运输经营许可"), (1, 1, 3, 1, "市交通运输局")]}
    items = read("a.xlsx", workbook({"表": rows}, merges)).items
    assert items["name"].tolist() == ["道路运输经营许可", "道路运输经营许可", "出租汽车经营许可"]
    assert items["department"].tolist() == ["市交通运输局"] * 3


def test_sub_item_rows_of_a_csv_take_the_name_above() -> None:
    rows = [["事项名称", "子项名称", "法定时限"], ["道路运输经营许可", "客运", "20"], ["", "货运", "20"]]
    items = read("a.csv", csv_bytes(rows)).items
    assert items["name"].tolist() == ["道路运输经营许可"] * 2


def test_department_and_list_come_from_the_title_when_the_table_has_no_column_for_them() -> None:
    rows = [
        ["市生态环境局非行政许可审批事项清理表"],
        ["填报单位（盖章）：市生态环境局"],
        ["序号", "事项名称", "法定时限"],
        [1, "排污许可证核发", "20个工作日"],
    ]
    items = read("a.xlsx", workbook({"Sheet1": rows})).items
    assert items.iloc[0]["department"] == "市生态环境局"
    assert items.iloc[0]["category"] == "非行政许可审批"


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "gb18030", "gbk"])
def test_csv_encodings_are_detected_not_asked(encoding: str) -> None:
    rows = [
        ["事项名称", "实施部门", "法定时限"],
        ["建设工程规划许可证核发", "市自然资源和规划局", "二十个工作日"],
    ]
    items = read("清单.csv", csv_bytes(rows, encoding)).items
    assert items.iloc[0]["name"] == "建设工程规划许可证核发"
    assert items.iloc[0]["statutory"] == "二十个工作日"


def test_excel_unicode_text_is_utf16_and_tab_separated() -> None:
    rows = [["事项名称", "法定时限"], ["取水许可", "45个工作日"]]
    data = b"\xff\xfe" + csv_bytes(rows, "utf-16-le", delimiter="\t")
    assert read("清单.txt", data).items.iloc[0]["statutory"] == "45个工作日"


def test_xls_workbooks_are_read_with_merged_titles() -> None:
    book = xlwt.Workbook(encoding="utf-8")
    sheet = book.add_sheet("行政许可")
    sheet.write_merge(0, 0, 0, 3, "市本级行政许可事项清理表")
    for c, text in enumerate(["序号", "事项名称", "法定时限", "处理意见"]):
        sheet.write(2, c, text)
    for c, value in enumerate([1, "林木采伐许可证核发", 20, "保留"]):
        sheet.write(3, c, value)
    buffer = io.BytesIO()
    book.save(buffer)
    items = read("林业局.xls", buffer.getvalue()).items
    assert items.iloc[0][["name", "statutory", "decision", "row"]].tolist() == [
        "林木采伐许可证核发",
        "20",
        "保留",
        4,
    ]


def test_every_sheet_is_read_and_each_is_reported_as_what_it_was_read_as() -> None:
    data = workbook(
        {
            "说明": [["填表说明：请按要求填写"]],
            "许可": [["事项名称", "法定时限"], ["甲", "20"]],
            "环节": [["事项名称", "环节序号", "环节名称", "办理时限"], ["甲", 1, "受理", "1个工作日"]],
        }
    )
    reading = read("a.xlsx", data)
    kinds = reading.mappings.drop_duplicates("sheet").set_index("sheet")["kind"].to_dict()
    assert kinds == {"说明": "ignored", "许可": "items", "环节": "steps"}
    assert reading.steps.iloc[0][["item_name", "step_name", "limit"]].tolist() == ["甲", "受理", "1个工作日"]


@pytest.mark.parametrize(
    ("data", "reason"),
    [
        (b"", "文件为空"),
        (b"%PDF-1.7\n\x00\x01binary", "PDF"),
        (b"\x89PNG\r\n\x1a\n\x00\x00", "二进制"),
        (b"<html><body><table><tr><td>a</td></tr></table></body></html>", "网页"),
        (b"PK\x03\x04 not really a zip", "损坏"),
        (b"\x81\x20" * 50, "编码"),
    ],
)
def test_files_that_cannot_be_read_raise_one_chinese_error_naming_the_file(data: bytes, reason: str) -> None:
    with pytest.raises(ReadError) as raised:
        read("部门清单.xls", data)
    assert "部门清单.xls" in str(raised.value)
    assert reason in str(raised.value)


def test_a_zip_that_is_not_a_workbook_is_refused() -> None:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("readme.txt", "hello")
    with pytest.raises(ReadError, match="压缩包"):
        read("a.xlsx", buffer.getvalue())


def test_a_workbook_inflating_past_the_limit_is_refused_before_parsing(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("xl/workbook.xml", "<workbook/>")
        archive.writestr("xl/worksheets/sheet1.xml", "0" * 5_000_000)
    monkeypatch.setattr(workbooks, "MAX_UNCOMPRESSED_BYTES", 1_000_000)
    with pytest.raises(ReadError, match="疑似恶意文件"):
        read("bomb.xlsx", buffer.getvalue())


def test_a_sheet_without_an_item_name_column_says_which_column_is_missing() -> None:
    data = workbook({"Sheet1": [["序号", "部门", "金额"], [1, "市财政局", 100]]})
    with pytest.raises(ReadError, match="事项名称"):
        read("财政.xlsx", data)


def test_a_row_without_a_name_but_with_values_is_an_error_naming_the_row() -> None:
    rows = [ITEM_HEADER, [1, "市教育局", "XK-9", "", "行政许可", "", "20", "10", "保留", ""]]
    reading = read("a.xlsx", workbook({"表": rows}))
    bad = reading.problems[reading.problems["code"] == "row_no_name"].iloc[0]
    assert (bad["row"], bad["column"], bad["severity"]) == (2, "事项名称", "错误")
    assert "XK-9" in bad["value"]


def test_a_mapping_correction_applies_to_every_file_with_the_same_headers() -> None:
    rows = [["事项名称", "办理时限", "拟保留意见"], ["取水许可", "20", "保留"]]
    plain = read("a.xlsx", workbook({"表": rows}))
    assert "decision" not in plain.items.columns  # "拟保留意见" is not a known header
    signature = plain.mappings["signature"].iloc[0]
    overrides = {signature: {"拟保留意见": "decision", "办理时限": "statutory"}}
    for name in ("a.xlsx", "b.xlsx"):
        corrected = read_source((name, workbook({"另一表": rows})), VOCAB, overrides)
        assert corrected.items.iloc[0][["decision", "statutory"]].tolist() == ["保留", "20"]
        assert "committed" not in corrected.items.columns
        assert bool(corrected.items["has_decision"].iloc[0])


def test_a_correction_can_leave_a_column_unrecognised_and_it_is_carried_along() -> None:
    rows = [["事项名称", "备注"], ["取水许可", "联系人：王"]]
    signature = read("a.xlsx", workbook({"表": rows})).mappings["signature"].iloc[0]
    items = read_source(("a.xlsx", workbook({"表": rows})), VOCAB, {signature: {"备注": ""}}).items
    assert items.iloc[0]["备注"] == "联系人：王"
    assert "remarks" not in items.columns


def test_a_correction_that_removes_the_name_column_leaves_the_sheet_unread_with_a_warning() -> None:
    rows = [["事项名称", "法定时限"], ["取水许可", "20"]]
    data = workbook({"表": rows, "其他": [["事项名称", "备注"], ["y", ""]]})
    signature = read("a.xlsx", workbook({"表": rows})).mappings["signature"].iloc[0]
    reading = read_source(("a.xlsx", data), VOCAB, {signature: {"事项名称": ""}})
    assert reading.items["name"].tolist() == ["y"]
    assert "mapping_no_name" in reading.problems["code"].tolist()


def test_skipped_rows_are_reported_before_a_missing_department_in_sheet_order() -> None:
    rows = [
        ["事项名称", "子项名称", "法定时限"],
        ["道路运输经营许可", "客运", "20"],
        ["", "货运", "20"],
        ["", "", ""],
        ["取水许可", "", "45"],
        ["合计", "", "3项"],
        ["", "", "注：本表由各部门填报"],
    ]
    reading = read("a.csv", csv_bytes(rows))
    assert reading.items["name"].tolist() == ["道路运输经营许可", "道路运输经营许可", "取水许可"]
    assert reading.items["department"].tolist() == ["", "", ""]
    problems = reading.problems
    assert problems["code"].tolist() == ["row_blank", "row_summary", "row_note", "no_department"]
    assert problems["row"].tolist()[:3] == [4, 6, 7]
    assert problems["row"].isna().tolist() == [False, False, False, True]
