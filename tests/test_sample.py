"""The bundled synthetic sample reproduces the published city case, read cell by cell.

The workbooks are read with openpyxl, independently of the product's reader: merged cells take
their top-left value, limits are read by the small parser below, decisions by a tiny map, and
critical paths by networkx. The figures are the published ones (DOMAIN.md).
"""

from __future__ import annotations

import doctest
import importlib.util
import re
import subprocess
import sys
import tomllib
from collections import Counter, defaultdict
from functools import cache
from pathlib import Path
from typing import Any

import networkx as nx
import openpyxl
import pytest

ROOT = Path(__file__).resolve().parent.parent
SAMPLE = ROOT / "data" / "sample"
GENERATOR = ROOT / "data" / "make_sample.py"
WORDS = ROOT / "data" / "sample_words.toml"
ITEMS_FILE = "示例市行政审批事项清理汇总表（合成数据）.xlsx"
STEPS_FILE = "示例市保留事项办理环节（合成数据）.xlsx"
LICENSING, INVESTMENT = "行政许可", "投资项目审批"

ITEM_HEADER = [
    "序号", "实施部门", "事项编码", "事项名称", "子项名称", "事项类型", "设定依据", "法定办结时限",
    "原承诺办结时限", "承诺办结时限（清理后）", "是否收费", "收费依据", "申请材料", "到办事现场次数",
    "到办事现场次数（再造后）", "处理意见",
    "备注",
]  # fmt: skip
STEP_HEADER = [
    "事项编码", "事项名称", "实施部门", "流程版本", "环节序号", "环节名称", "责任科室", "责任人员",
    "办理时限", "前置环节", "所需材料", "计入时限",
]  # fmt: skip

CHANGED_WORDINGS = {
    "转变管理方式", "调整为备案管理", "实行告知承诺制", "调整为内部管理事项", "调整为日常监管",
}  # fmt: skip
STREAMLINED = {"cancelled", "delegated", "merged", "changed"}


# --------------------------------------------------------------------------- reading


def decision_class(text: str) -> str:
    """处理意见 → class, by a map of our own (the product's table is not used here)."""
    if text.startswith(("合并至“", "并入“")):
        return "merged"
    if "下放" in text:
        return "delegated"
    if "取消" in text:
        return "cancelled"
    if text in CHANGED_WORDINGS:
        return "changed"
    if text in {"保留", "予以保留", "暂予保留", "拟保留"}:
        return "retained"
    raise AssertionError(f"unclassified decision {text!r}")


_CN_DIGITS = {c: i for i, c in enumerate("零一二三四五六七八九")}


def chinese_int(text: str) -> int:
    """二十 → 20, 十五 → 15, 一百二十 → 120."""
    total, digit = 0, 0
    for ch in text:
        if ch in _CN_DIGITS:
            digit = _CN_DIGITS[ch]
        elif ch == "十":
            total += (digit or 1) * 10
            digit = 0
        elif ch == "百":
            total += digit * 100
            digit = 0
        else:
            raise ValueError(text)
    return total + digit


_LIMIT = re.compile(r"(\d+(?:\.\d+)?|[零一二三四五六七八九十百]+)(个工作日|日|天|小时)")


def limit_days(value: Any) -> float | None:
    """A limit cell in working days; None where there is none (blank, 法律未规定, 无)."""
    if value is None or value == "":
        return None
    if isinstance(value, int | float):
        return float(value)
    text = re.sub(r"（[^）]*）$", "", str(value).strip())
    if text in {"即办", "当场办结"}:
        return 0.0
    if text in {"法律未规定", "无"}:
        return None
    match = _LIMIT.fullmatch(text)
    if not match:
        raise ValueError(f"unreadable limit {value!r}")
    number, unit = match.groups()
    days = float(number) if number[0].isdigit() else float(chinese_int(number))
    return days / 8 if unit == "小时" else days


def filled_grid(sheet: Any) -> list[list[Any]]:
    """The sheet's values with every merged range filled from its top-left cell."""
    grid = [list(row) for row in sheet.iter_rows(values_only=True)]
    for merged in sheet.merged_cells.ranges:
        value = sheet.cell(merged.min_row, merged.min_col).value
        for r in range(merged.min_row - 1, merged.max_row):
            for c in range(merged.min_col - 1, merged.max_col):
                grid[r][c] = value
    return grid


@cache
def workbook(path: Path) -> Any:
    return openpyxl.load_workbook(path)


@cache
def items(sheet_name: str) -> tuple[dict[str, Any], ...]:
    """Data rows of an item sheet (header on row 3, up to the 合计 row), merged cells filled."""
    grid = filled_grid(workbook(SAMPLE / ITEMS_FILE)[sheet_name])
    header = grid[2]
    rows = []
    for values in grid[3:]:
        if values[0] == "合计":
            break
        row = dict(zip(header, values, strict=True))
        row["decision"] = decision_class(row["处理意见"])
        before_text = row["原承诺办结时限"] or row["法定办结时限"]
        row["before"] = limit_days(before_text)
        row["after"] = limit_days(row["承诺办结时限（清理后）"])
        rows.append(row)
    return tuple(rows)


def retained(sheet_name: str) -> list[dict[str, Any]]:
    return [r for r in items(sheet_name) if r["decision"] == "retained"]


@cache
def steps() -> tuple[dict[str, Any], ...]:
    grid = filled_grid(workbook(SAMPLE / STEPS_FILE)["办理环节"])
    return tuple(dict(zip(grid[1], values, strict=True)) for values in grid[2:])


def processes() -> dict[tuple[str, str], list[dict[str, Any]]]:
    grouped: dict[tuple[str, str], list[dict[str, Any]]] = defaultdict(list)
    for step in steps():
        grouped[step["事项编码"], step["流程版本"]].append(step)
    return grouped


def predecessors(step: dict[str, Any]) -> list[int]:
    """前置环节: blank means the previous step by number; else numbers joined by 、."""
    written = step["前置环节"]
    if written is None or written == "":
        return [step["环节序号"] - 1] if step["环节序号"] > 1 else []
    return [int(p) for p in str(written).split("、")]


def counted_days(step: dict[str, Any]) -> float:
    if step["计入时限"] == "否":
        return 0.0
    days = limit_days(step["办理时限"])
    assert days is not None, step
    return days


def critical_path(process: list[dict[str, Any]]) -> float:
    """Longest path over counted durations, by networkx: edge weight = the target's duration."""
    graph = nx.DiGraph()
    for step in process:
        graph.add_edge("start", step["环节序号"], weight=counted_days(step))
    by_no = {s["环节序号"]: s for s in process}
    for step in process:
        for p in predecessors(step):
            assert p in by_no, (step, p)
            graph.add_edge(p, step["环节序号"], weight=counted_days(step))
    assert nx.is_directed_acyclic_graph(graph)
    return nx.dag_longest_path_length(graph, weight="weight")


def cell_contents(folder: Path) -> dict[tuple[str, str], Any]:
    """Every sheet's values and merged ranges, for comparing two generations."""
    out: dict[tuple[str, str], Any] = {}
    for name in (ITEMS_FILE, STEPS_FILE):
        book = openpyxl.load_workbook(folder / name)
        for sheet in book.worksheets:
            out[name, sheet.title] = (
                [list(row) for row in sheet.iter_rows(values_only=True)],
                sorted(str(r) for r in sheet.merged_cells.ranges),
            )
    return out


def generate(folder: Path, *args: str) -> Path:
    subprocess.run(
        [sys.executable, str(GENERATOR), "--out", str(folder), *args],
        check=True,
        capture_output=True,
    )
    return folder


# --------------------------------------------------------------------------- the reader above


@pytest.mark.parametrize(
    ("cell", "days"),
    [
        ("二十个工作日", 20), ("十五个工作日", 15), ("一百二十个工作日", 120), ("20个工作日", 20),
        (20, 20), ("20日", 20), ("15个工作日（不含专家评审时间）", 15), ("4小时", 0.5),
        ("1小时", 0.125), ("0.5个工作日", 0.5), ("2.5个工作日", 2.5), ("即办", 0),
        ("法律未规定", None), (None, None),
    ],
)  # fmt: skip
def test_limit_spellings_read_as_working_days(cell: Any, days: float | None) -> None:
    assert limit_days(cell) == days


def test_unknown_limit_text_is_refused() -> None:
    with pytest.raises(ValueError):
        limit_days("二十几天")


# --------------------------------------------------------------------------- the item lists


def test_sample_folder_holds_exactly_the_two_workbooks() -> None:
    assert sorted(p.name for p in SAMPLE.iterdir()) == sorted([ITEMS_FILE, STEPS_FILE])


@pytest.mark.parametrize("sheet_name", [LICENSING, INVESTMENT])
def test_item_sheet_is_laid_out_like_a_collected_list(sheet_name: str) -> None:
    sheet = workbook(SAMPLE / ITEMS_FILE)[sheet_name]
    merged = {str(r) for r in sheet.merged_cells.ranges}
    assert {"A1:Q1", "A2:Q2"} <= merged
    assert "合成示例数据，非真实清单" in sheet["A1"].value
    assert sheet["A2"].value.startswith("填报单位：示例市人民政府法制办公室")
    assert [c.value for c in sheet[3]] == ITEM_HEADER
    last = [c.value for c in sheet[sheet.max_row]]
    assert last[0] == "合计"
    assert last[3] == f"共{len(items(sheet_name))}项"
    assert {r["事项类型"] for r in items(sheet_name)} == {sheet_name}
    assert [r["序号"] for r in items(sheet_name)] == list(range(1, len(items(sheet_name)) + 1))


@pytest.mark.parametrize(
    ("sheet_name", "total", "kept", "streamlined", "rate"),
    [(LICENSING, 393, 184, 209, "53.18%"), (INVESTMENT, 53, 29, 24, "45.28%")],
)
def test_city_lists_streamline_as_published(
    sheet_name: str, total: int, kept: int, streamlined: int, rate: str
) -> None:
    classes = Counter(r["decision"] for r in items(sheet_name))
    assert len(items(sheet_name)) == total
    assert classes["retained"] == kept
    assert sum(classes[c] for c in STREAMLINED) == streamlined
    assert f"{streamlined / total:.2%}" == rate


@pytest.mark.parametrize(
    ("sheet_name", "mix"),
    [
        (LICENSING, {"cancelled": 90, "delegated": 50, "merged": 30, "changed": 39}),
        (INVESTMENT, {"cancelled": 9, "delegated": 5, "merged": 5, "changed": 5}),
    ],
)
def test_streamlining_mixes_every_kind_of_decision(sheet_name: str, mix: dict[str, int]) -> None:
    classes = Counter(r["decision"] for r in items(sheet_name))
    assert {c: classes[c] for c in STREAMLINED} == mix
    wordings = {r["处理意见"] for r in items(sheet_name)}
    assert len(wordings) >= (20 if sheet_name == LICENSING else 10)


@pytest.mark.parametrize(
    ("sheet_name", "before_sum", "after_sum", "before_mean", "after_mean", "rate"),
    [
        (LICENSING, 3659.5, 2025.5, "19.89", "11.01", "44.65%"),
        (INVESTMENT, 1194.875, 685.25, "41.20", "23.63", "42.65%"),
    ],
)
def test_retained_limits_give_the_published_shortening(
    sheet_name: str,
    before_sum: float,
    after_sum: float,
    before_mean: str,
    after_mean: str,
    rate: str,
) -> None:
    kept = retained(sheet_name)
    before = sum(r["before"] for r in kept)
    after = sum(r["after"] for r in kept)
    assert (before, after) == (before_sum, after_sum)
    assert f"{before / len(kept):.2f}" == before_mean
    assert f"{after / len(kept):.2f}" == after_mean
    assert f"{1 - after / before:.2%}" == rate


@pytest.mark.parametrize("sheet_name", [LICENSING, INVESTMENT])
def test_every_retained_item_has_a_numeric_before_and_a_shorter_or_equal_after(
    sheet_name: str,
) -> None:
    for row in retained(sheet_name):
        assert row["before"] is not None, row
        assert row["after"] is not None, row
        assert 0 <= row["after"] <= row["before"], row
        if not row["原承诺办结时限"]:
            assert limit_days(row["法定办结时限"]) == row["before"]


def test_licensing_benchmark_is_4_3_percent_below_the_province() -> None:
    kept = retained(LICENSING)
    after_mean = sum(r["after"] for r in kept) / len(kept)
    assert f"{(11.5 - round(after_mean, 2)) / 11.5:.1%}" == "4.3%"


@pytest.mark.parametrize("sheet_name", [LICENSING, INVESTMENT])
def test_merged_items_are_absorbed_by_a_retained_item_of_their_department(
    sheet_name: str,
) -> None:
    kept = {(r["实施部门"], r["事项名称"]) for r in retained(sheet_name) if not r["子项名称"]}
    merged = [r for r in items(sheet_name) if r["decision"] == "merged"]
    assert merged
    for row in merged:
        target = re.search(r"“(.+)”", row["处理意见"]).group(1)
        assert (row["实施部门"], target) in kept, row
        assert target != row["事项名称"]


def test_fifty_five_departments_carry_licensing_items() -> None:
    departments = {r["实施部门"] for r in items(LICENSING)}
    assert len(departments) == 55
    assert all(d.startswith("市") for d in departments)


def test_investment_items_sit_in_a_subset_of_the_departments() -> None:
    investment = {r["实施部门"] for r in items(INVESTMENT)}
    assert investment < {r["实施部门"] for r in items(LICENSING)}
    assert {"市发展和改革委员会", "市自然资源和规划局", "市住房和城乡建设局"} <= investment


def test_codes_are_unique_and_names_unique_within_a_department() -> None:
    rows = items(LICENSING) + items(INVESTMENT)
    codes = [r["事项编码"] for r in rows]
    assert len(set(codes)) == len(codes)
    assert all(re.fullmatch(r"990100-(XK|TZ)-\d{4}(-\d{2})?", c) for c in codes)
    for sheet_name in (LICENSING, INVESTMENT):
        keys = [(r["实施部门"], r["事项名称"], r["子项名称"]) for r in items(sheet_name)]
        assert len(set(keys)) == len(keys)


@pytest.mark.parametrize("sheet_name", [LICENSING, INVESTMENT])
def test_department_cells_are_merged_over_each_departments_rows(sheet_name: str) -> None:
    sheet = workbook(SAMPLE / ITEMS_FILE)[sheet_name]
    rows_of: dict[str, list[int]] = defaultdict(list)
    for offset, row in enumerate(items(sheet_name)):
        rows_of[row["实施部门"]].append(4 + offset)
    merged = {str(r) for r in sheet.merged_cells.ranges if r.min_col == r.max_col == 2}
    for department, numbers in rows_of.items():
        assert numbers == list(range(numbers[0], numbers[-1] + 1)), department
        if len(numbers) > 1:
            assert f"B{numbers[0]}:B{numbers[-1]}" in merged, department
    assert len(merged) == sum(1 for n in rows_of.values() if len(n) > 1)


def test_four_items_come_in_two_sub_items_under_one_merged_name() -> None:
    sheet = workbook(SAMPLE / ITEMS_FILE)[LICENSING]
    name_merges = [r for r in sheet.merged_cells.ranges if r.min_col == r.max_col == 4]
    assert len(name_merges) == 4
    for merged in name_merges:
        assert merged.max_row - merged.min_row == 1
        subs = [sheet.cell(r, 5).value for r in (merged.min_row, merged.max_row)]
        assert all(subs) and subs[0] != subs[1]
        assert sheet.cell(merged.max_row, 4).value is None  # only the top cell holds the name
    with_sub = [r for r in items(LICENSING) if r["子项名称"]]
    assert len(with_sub) == 8


def test_limits_are_written_in_the_varied_spellings_of_real_lists() -> None:
    cells = [
        r[c]
        for sheet_name in (LICENSING, INVESTMENT)
        for r in items(sheet_name)
        for c in ("法定办结时限", "原承诺办结时限", "承诺办结时限（清理后）")
        if r[c] not in (None, "")
    ]
    texts = [c for c in cells if isinstance(c, str)]
    assert any(isinstance(c, int) for c in cells)
    patterns = {
        "arabic working days": r"\d+个工作日",
        "chinese numerals": r"[一二三四五六七八九十百]+个工作日.*",
        "bare 日": r"\d+日",
        "excluded time": r".+（不含专家评审时间）",
        "hours": r"\d+小时",
        "half a day": r"0\.5个工作日",
        "immediate": r"即办",
        "no statutory limit": r"法律未规定",
    }
    for kind, pattern in patterns.items():
        assert any(re.fullmatch(pattern, t) for t in texts), kind
    for cell in cells:
        limit_days(cell)  # every spelling is one the parser knows


def test_legal_bases_span_the_tiers_of_the_licensing_law() -> None:
    bases = [r["设定依据"] for s in (LICENSING, INVESTMENT) for r in items(s)]
    assert all(b.startswith(("《", "示例市人民政府办公室")) for b in bases)
    assert any("（国务院令第412号）" in b for b in bases)
    assert any(b.startswith("《中华人民共和国") for b in bases)
    assert any(b.startswith("《示例省") for b in bases)
    assert any(re.search(r"令第\d+号）", b) and "国务院令" not in b for b in bases)
    assert any(b.startswith("示例市人民政府办公室关于") for b in bases)


# --------------------------------------------------------------------------- the processes


def test_steps_sheet_has_its_title_and_header() -> None:
    sheet = workbook(SAMPLE / STEPS_FILE)["办理环节"]
    assert sheet["A1"].value == "示例市保留事项办理环节表（合成示例数据）"
    assert [c.value for c in sheet[2]] == STEP_HEADER


@cache
def no_after_departments() -> frozenset[str]:
    """The departments that sent only their current process, as the words file lists them."""
    with WORDS.open("rb") as handle:
        return frozenset(tomllib.load(handle)["processes"]["no_after_departments"])


def test_every_retained_item_has_a_before_process_and_an_after_one_unless_its_department_sent_none() -> None:
    kept = {r["事项编码"]: r for s in (LICENSING, INVESTMENT) for r in retained(s)}
    assert len(kept) == 184 + 29
    no_after = no_after_departments()
    sent_after = {c for c, r in kept.items() if r["实施部门"] not in no_after}
    assert set(processes()) == {(c, "再造前") for c in kept} | {(c, "再造后") for c in sent_after}
    without = sorted(set(kept) - sent_after)
    assert len(without) == 60
    assert sum(c.startswith("990100-TZ-") for c in without) == 7  # investment items among them
    for (code, _), process in processes().items():
        row = kept[code]
        assert {(s["实施部门"]) for s in process} == {row["实施部门"]}
        assert [s["环节序号"] for s in process] == list(range(1, len(process) + 1))
        assert process[0]["环节名称"] == "受理"


def test_large_and_small_departments_sent_no_after_process() -> None:
    retained_per_department = Counter(r["实施部门"] for s in (LICENSING, INVESTMENT) for r in retained(s))
    no_after = no_after_departments()
    assert len(no_after) == 10
    assert no_after <= set(retained_per_department)  # each has retained items to show it
    sizes = sorted(retained_per_department[d] for d in no_after)
    assert sizes[0] == 1 and sizes[-1] >= 10
    # the rest still show a submitted after process beside the before one
    assert len(set(retained_per_department) - no_after) == 35


def test_critical_paths_equal_the_items_before_and_after_limits() -> None:
    kept = {r["事项编码"]: r for s in (LICENSING, INVESTMENT) for r in retained(s)}
    for (code, version), process in processes().items():
        limit = kept[code]["before" if version == "再造前" else "after"]
        assert critical_path(process) == limit, (code, version)


def test_immediate_items_are_accepted_and_decided_on_the_spot() -> None:
    kept = [r for s in (LICENSING, INVESTMENT) for r in retained(s) if r["after"] == 0]
    assert len(kept) >= 3
    for row in kept:
        assert row["before"] <= 3
        process = processes()[row["事项编码"], "再造后"]
        assert [s["环节名称"] for s in process] == ["受理", "决定"]
        assert {s["办理时限"] for s in process} == {"即办"}


def test_about_a_quarter_of_before_processes_run_a_parallel_branch() -> None:
    def parallel(process: list[dict[str, Any]]) -> bool:
        return any(len(predecessors(s)) > 1 for s in process)

    before = [p for (_, v), p in processes().items() if v == "再造前"]
    after = [p for (_, v), p in processes().items() if v == "再造后"]
    share = sum(map(parallel, before)) / len(before)
    assert 0.18 <= share <= 0.35
    assert sum(map(parallel, after)) >= 10


def test_expert_review_and_publicity_are_outside_the_limit() -> None:
    uncounted = [s for s in steps() if s["计入时限"] == "否"]
    assert {s["环节名称"] for s in uncounted} == {"专家评审", "公示"}
    assert all(s["计入时限"] == "否" for s in steps() if s["环节名称"] in {"专家评审", "公示"})
    before_with = {s["事项编码"] for s in uncounted if s["流程版本"] == "再造前"}
    assert len(before_with) >= 10
    notes = {
        r["事项编码"]
        for sheet_name in (LICENSING, INVESTMENT)
        for r in retained(sheet_name)
        if "（不含" in str(r["原承诺办结时限"] or r["法定办结时限"])
    }
    assert notes == before_with


def test_step_materials_come_from_the_items_materials() -> None:
    materials = {
        r["事项编码"]: set(r["申请材料"].split("、")) for s in (LICENSING, INVESTMENT) for r in retained(s)
    }
    for step in steps():
        if step["所需材料"]:
            assert set(step["所需材料"].split("、")) <= materials[step["事项编码"]], step


def test_steps_name_offices_and_roles_not_people() -> None:
    persons = Counter(s["责任人员"] for s in steps())
    assert {"科员", "科长", "分管副局长", "局长"} <= set(persons)
    assert all(p.endswith(("科员", "科长", "局长", "主任", "支队长")) for p in persons)
    assert all(s["责任科室"] for s in steps())


# --------------------------------------------------------------------------- the generator


@pytest.fixture(scope="module")
def regenerated(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    first = generate(tmp_path_factory.mktemp("first"))
    second = generate(tmp_path_factory.mktemp("second"))
    return first, second


def test_generator_gives_the_same_workbooks_every_time(regenerated: tuple[Path, Path]) -> None:
    first, second = regenerated
    assert cell_contents(first) == cell_contents(second)
    for name in (ITEMS_FILE, STEPS_FILE):
        assert (first / name).read_bytes() == (second / name).read_bytes()


def test_bundled_sample_is_what_the_generator_writes(regenerated: tuple[Path, Path]) -> None:
    assert cell_contents(regenerated[0]) == cell_contents(SAMPLE)


def test_another_seed_gives_other_rows_with_the_same_figures(tmp_path: Path) -> None:
    other = generate(tmp_path, "--seed", "7")
    contents = cell_contents(other)
    assert contents != cell_contents(SAMPLE)
    book = openpyxl.load_workbook(other / ITEMS_FILE)
    for sheet_name, before_sum, after_sum in ((LICENSING, 3659.5, 2025.5), (INVESTMENT, 1194.875, 685.25)):
        grid = filled_grid(book[sheet_name])
        header = grid[2]
        rows = [dict(zip(header, v, strict=True)) for v in grid[3:] if v[0] != "合计"]
        kept = [r for r in rows if decision_class(r["处理意见"]) == "retained"]
        before = sum(limit_days(r["原承诺办结时限"] or r["法定办结时限"]) for r in kept)
        after = sum(limit_days(r["承诺办结时限（清理后）"]) for r in kept)
        assert (before, after) == (before_sum, after_sum)


def test_generator_examples_hold() -> None:
    spec = importlib.util.spec_from_file_location("make_sample", GENERATOR)
    module = importlib.util.module_from_spec(spec)
    sys.modules["make_sample"] = module  # dataclasses look their module up while loading
    try:
        spec.loader.exec_module(module)
        result = doctest.testmod(module)
    finally:
        del sys.modules["make_sample"]
    assert result.attempted >= 5
    assert result.failed == 0
