"""The analysis workbook, read back as the analyst's Excel would show it: seven sheets, numbers
at full precision, verdicts that load back, text that is never a formula."""

from __future__ import annotations

import dataclasses
import re
from datetime import date

import openpyxl
import pytest
from report_cases import FORMULA, SCRIPT, current_catalog, empty_catalog, hostile, read_book, rows_of
from sample import sample_analysis

from approvals.analysis import Analysis
from approvals.model import Verdict
from approvals.read.verdicts import read_verdicts
from approvals.report import workbook as report
from approvals.report.workbook import SHEET_NAMES, analysis_workbook
from approvals.views.flags import flag_labels, keyed_verdicts


@pytest.fixture(scope="module")
def sample() -> Analysis:
    return sample_analysis()


@pytest.fixture(scope="module")
def book(sample: Analysis) -> openpyxl.Workbook:
    return read_book(analysis_workbook(sample))


def test_workbook_has_the_seven_sheets_in_order(book):
    assert book.sheetnames == list(SHEET_NAMES) == [
        "汇总", "部门", "事项", "流程", "流程再造提示", "可合并事项", "问题",
    ]  # fmt: skip


def test_merge_candidates_have_a_sheet_of_their_own_and_are_no_flags(book, sample):
    merges = rows_of(book["可合并事项"])
    assert merges[0][:3] == ["相似度", "实施部门", "事项名称"]
    pairs = sample.merge_candidates
    assert [r[0] for r in merges[1:]] == pairs["score"].tolist()
    assert [(r[2], r[4]) for r in merges[1:]] == list(zip(pairs["name_a"], pairs["name_b"], strict=True))
    assert len(rows_of(book["流程再造提示"])) == 1 + len(sample.flags)
    assert "可合并的相近事项" not in [r[2] for r in rows_of(book["流程再造提示"])[1:]]


@pytest.mark.parametrize("name", SHEET_NAMES)
def test_every_sheet_has_a_bold_frozen_filtered_header(book, name):
    sheet = book[name]
    header = [cell for cell in sheet[1] if cell.value is not None]
    assert header and all(cell.font.b for cell in header)
    assert sheet.freeze_panes == "A2"
    assert sheet.auto_filter.ref.startswith("A1:")
    assert all(sheet.column_dimensions[c.column_letter].width >= 6 for c in header)


def test_summary_rows_are_the_lists_then_all_items(book):
    rows = rows_of(book["汇总"])
    assert rows[0][:8] == ["清单", "清理前", "保留", "精简", "未决定", "精简率", "精简率目标", "精简率达标"]
    assert [r[0] for r in rows[1:4]] == ["行政许可", "投资项目审批", "全部事项"]
    assert rows[1][1:5] == [393, 184, 209, 0]
    assert rows[2][1:5] == [53, 29, 24, 0]


def test_city_licensing_rate_is_a_percent_formatted_number_at_full_precision(book, sample):
    sheet = book["汇总"]
    header = [c.value for c in sheet[1]]
    rate = sheet.cell(row=2, column=header.index("精简率") + 1)
    assert rate.data_type == "n" and rate.number_format == "0.00%"
    assert rate.value == pytest.approx(209 / 393, rel=1e-15)
    assert rate.value == pytest.approx(sample.lists["streamlining_rate"].iloc[0], rel=1e-15)
    shortening = sheet.cell(row=2, column=header.index("缩短率") + 1)
    assert shortening.number_format == "0.00%"
    assert round(shortening.value, 4) == 0.4465
    target = sheet.cell(row=2, column=header.index("精简率目标") + 1)
    assert (target.value, target.number_format) == (0.3, "0.00%")
    assert sheet.cell(row=2, column=header.index("精简率达标") + 1).value == "达标"
    before = sheet.cell(row=2, column=header.index("原平均时限") + 1)
    assert before.number_format == "0.00" and round(before.value, 2) == 19.89


def test_summary_explains_the_rates_under_the_table(book):
    notes = [r[0] for r in rows_of(book["汇总"])[4:] if r[0]]
    assert any(n.startswith("精简率 = ") for n in notes) and any(n.startswith("缩短率 = ") for n in notes)


def test_departments_sheet_has_one_row_per_department(book, sample):
    rows = rows_of(book["部门"])
    assert rows[0][0] == "部门"
    assert [r[0] for r in rows[1:]] == sample.departments["group"].tolist()


def test_items_sheet_has_every_item_with_decision_and_limits(book, sample):
    rows = rows_of(book["事项"])
    header = rows[0]
    wanted = ["事项名称", "实施部门", "处理意见", "清理前时限（工作日）", "清理后时限（工作日）", "缩短率"]
    assert set(wanted) <= set(header)
    assert len(rows) - 1 == len(sample.dataset.items)
    decisions = {r[header.index("处理意见")] for r in rows[1:]}
    assert decisions == {"保留", "取消", "下放", "合并", "转变管理方式"}
    rates = [row[header.index("缩短率")] for row in book["事项"].iter_rows(min_row=2)]
    assert all(c.number_format == "0.00%" for c in rates if c.value is not None)
    assert sum(c.value is not None for c in rates) == 213  # the retained items with both limits


def test_items_sheet_keeps_the_departments_own_columns(sample):
    items = sample.dataset.items.assign(联系电话=["0571-1234"] * len(sample.dataset.items))
    analysis = dataclasses.replace(sample, dataset=sample.dataset.with_items(items))
    header = rows_of(read_book(analysis_workbook(analysis))["事项"])[0]
    assert header[-1] == "联系电话"


def test_processes_sheet_has_each_item_version_with_its_critical_path(book, sample):
    rows = rows_of(book["流程"])
    header = rows[0]
    assert header[:5] == ["实施部门", "事项编码", "事项名称", "流程", "环节数"]
    assert len(rows) - 1 == len(sample.processes)
    first = sample.processes.iloc[0]
    row = dict(zip(header, rows[1], strict=True))
    assert row["事项名称"] == first["item_name"] == "供电营业区划分审批"
    assert row["流程"] == "再造前"
    assert row["关键路径（工作日）"] == first["critical_path_days"] == 30
    assert row["工作量合计（工作日）"] == 35
    assert row["关键路径环节"] == "受理→登记→审查→复审→审核→审批→送达"
    assert row["存在循环"] == "否"


def test_flags_sheet_carries_verdicts_and_loads_back_as_a_verdicts_file(sample):
    keys = sample.flags["flag_key"].iloc[[0, 5]].tolist()
    data = analysis_workbook(sample, {keys[0]: Verdict.ACCEPTED, keys[1]: Verdict.REJECTED})
    rows = rows_of(read_book(data)["流程再造提示"])
    assert rows[0][:3] == ["提示编号", "是否采纳", "提示"]
    labels = flag_labels(sample.flags)
    verdict = {r[0]: r[1] for r in rows[1:]}
    assert (verdict[labels[keys[0]]], verdict[labels[keys[1]]]) == ("采纳", "不采纳")
    assert sum(v == "待定" for v in verdict.values()) == len(sample.flags) - 2
    loaded, problems = read_verdicts("分析结果.xlsx", data)
    keyed = keyed_verdicts(loaded, sample.flags)
    assert (keyed[keys[0]], keyed[keys[1]]) == (Verdict.ACCEPTED, Verdict.REJECTED)
    assert set(keyed) == set(sample.flags["flag_key"])  # every label maps back to its flag
    assert problems.empty


def test_flags_are_numbered_by_rule_item_process_and_steps_in_chinese(book, sample):
    first = sample.flags.iloc[0]
    assert first["flag_key"] == "repeated_review|990100-XK-0088|before|4,9"
    numbers = [r[0] for r in rows_of(book["流程再造提示"])[1:]]
    assert numbers[0] == "重复审查｜990100-XK-0088｜再造前｜第4步会审、第9步征求意见"
    assert len(set(numbers)) == len(numbers) == len(sample.flags)


def test_problems_sheet_lists_file_sheet_row_column_value_message(book, sample):
    rows = rows_of(book["问题"])
    assert rows[0] == ["级别", "文件", "工作表", "行号", "列", "原值", "说明"]
    assert len(rows) - 1 == len(sample.problems) == 2
    total = next(r for r in rows[1:] if r[2] == "投资项目审批")
    assert total[3] == 57 and "合计" in total[5] and "合计" in total[6]


def test_hostile_names_are_text_not_formulas():
    book = read_book(analysis_workbook(hostile()))
    cells = [cell for sheet in book for row in sheet.iter_rows() for cell in row]
    assert not [c.coordinate for c in cells if c.data_type == "f"]
    names = {c.value for c in cells if isinstance(c.value, str)}
    assert "'" + FORMULA in names and "'+1+1" in names
    assert FORMULA not in names
    assert SCRIPT in names  # not a spreadsheet danger: kept as written


def test_a_table_longer_than_a_sheet_continues_on_the_next(sample, monkeypatch):
    monkeypatch.setattr(report, "EXCEL_ROWS", 101)
    book = read_book(analysis_workbook(sample))
    parts = [name for name in book.sheetnames if name.startswith("事项")]
    assert parts == ["事项", "事项（续2）", "事项（续3）", "事项（续4）", "事项（续5）"]
    assert [book[p].max_row for p in parts] == [101, 101, 101, 101, 47]
    assert all(book[p]["A1"].value == "事项编码" for p in parts)
    assert book["汇总"].max_row <= 101


def test_empty_problems_still_give_a_header(sample):
    empty = dataclasses.replace(sample, problems=sample.problems.iloc[0:0])
    rows = rows_of(read_book(analysis_workbook(empty))["问题"])
    assert rows == [["级别", "文件", "工作表", "行号", "列", "原值", "说明"]]


def test_departments_own_columns_of_any_name_and_type_are_written(sample):
    items = sample.dataset.items
    n = len(items)
    items = items.assign(
        **{
            "事项名称": ["部门自填名称"] * n,  # named like one of ours
            "=来源": ["市政务服务网"] * n,
            "登记日期": [date(2026, 1, 5)] * (n - 1) + [7],
        }
    )
    analysis = dataclasses.replace(sample, dataset=sample.dataset.with_items(items))
    rows = rows_of(read_book(analysis_workbook(analysis))["事项"])
    header = rows[0]
    assert header.count("事项名称") == 2 and "'=来源" in header
    dates = [r[header.index("登记日期")] for r in rows[1:]]
    assert dates[0] == "2026-01-05" and dates[-1] == 7


def test_a_current_catalog_leaves_the_streamlining_rate_cell_empty():
    summary = rows_of(read_book(analysis_workbook(current_catalog()))["汇总"])
    assert summary[1][:5] == ["行政许可", 393, 393, 0, 0]
    assert summary[1][5] is None  # 精简率: no figure, an empty cell


def test_an_empty_catalog_still_gives_a_workbook():
    book = read_book(analysis_workbook(empty_catalog()))
    assert [book[name].max_row for name in ("事项", "流程", "流程再造提示")] == [1, 1, 1]
    assert [r[0] for r in rows_of(book["汇总"])[1:2]] == ["全部事项"]


LATIN_WORD = re.compile(r"[A-Za-z]{2,}")


def department_written(analysis: Analysis) -> list[str]:
    """What the departments wrote that may hold Latin letters (item codes, the names of their
    files), longest first: printed as written, no word of the workbook's own."""
    items = analysis.dataset.items
    values = {*items["code"], *items["basic_code"], *items["file"], *analysis.problems["file"]}
    return sorted((v for v in values if v), key=len, reverse=True)


def workbook_cases() -> dict[str, tuple[Analysis, dict[str, str]]]:
    sample = sample_analysis()
    everything = {k: Verdict.ACCEPTED for k in sample.flags["flag_key"]}
    return {"sample": (sample, {}), "all accepted": (sample, everything), "current": (current_catalog(), {})}


@pytest.mark.parametrize("case", ["sample", "all accepted", "current"])
def test_no_sheet_name_header_or_cell_holds_an_english_word_none_or_nan(case):
    analysis, verdicts = workbook_cases()[case]
    book = read_book(analysis_workbook(analysis, verdicts))
    written = department_written(analysis)
    found = []
    for sheet in book:
        texts = [(sheet.title, "工作表名")]
        texts += [
            (cell.value, f"{sheet.title}!{cell.coordinate}")
            for row in sheet.iter_rows()
            for cell in row
            if isinstance(cell.value, str)
        ]
        for text, where in texts:
            rest = text
            for value in written:
                rest = rest.replace(value, "")
            if LATIN_WORD.search(rest) or re.search("None|nan|NaN", text):
                found.append((where, text))
    assert not found, found[:10]
    assert sum(1 for sheet in book for row in sheet.iter_rows() for cell in row if cell.value) > 1000
