"""The command line as other tools call it: `python -m approvals analyze PATH... [--json]`."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from builders import csv_bytes, messy_items_rows, workbook

ROOT = Path(__file__).resolve().parent.parent
FIGURE_KEYS = {
    "before",
    "retained",
    "streamlined",
    "undecided",
    "streamlining_rate",
    "by_decision",
    "time_counted_items",
    "before_avg_days",
    "after_avg_days",
    "shortening_rate",
    "mean_item_shortening_rate",
    "targets",
}
PROCESS_KEYS = {"item", "department", "version", "critical_path_days", "total_effort_days", "critical_path"}
FLAG_KEYS = {"item", "department", "version", "rule", "title", "steps", "days_saved", "message"}
PROBLEM_KEYS = {"file", "sheet", "row", "column", "value", "message"}

ITEMS = [
    [
        "市水利局",
        "SL-1",
        "取水许可",
        "行政许可",
        "《水法》第四十八条",
        "45个工作日",
        "20个工作日",
        "保留",
        "",
    ],
    ["市水利局", "SL-2", "河道采砂许可", "行政许可", "《河道管理条例》", "20", "10", "待研究", ""],
    ["市水利局", "SL-3", "水利基建项目初步设计审批", "非行政许可审批", "", "20日", "", "取消", ""],
    ["市林业局", "LY-1", "林木采伐许可证核发", "行政许可", "《森林法》", "二十个工作日", "即办", "保留", ""],
]
STEPS = [
    ["事项编码", "环节序号", "环节名称", "责任科室", "办理时限", "前置环节", "流程版本"],
    ["SL-1", 1, "受理", "窗口", "1个工作日", "", "再造前"],
    ["SL-1", 2, "审查", "水资源科", "10个工作日", "", "再造前"],
    ["SL-1", 3, "现场勘查", "水资源科", "5个工作日", "1", "再造前"],
    ["SL-1", 4, "决定", "局长", "2个工作日", "2、3", "再造前"],
    ["LY-1", 1, "受理", "窗口", "1", "", "再造前"],
    ["LY-1", 2, "审查", "资源科", "2", "3", "再造前"],
    ["LY-1", 3, "退回补正", "窗口", "1", "2", "再造前"],
]


def analyze(*args: str | Path, timeout: float = 120) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "approvals", "analyze", *map(str, args)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=timeout,
        check=False,
    )


@pytest.fixture
def messy(tmp_path: Path) -> Path:
    """A workbook as a city's legal office collects it: titles, header on row 3, 合计, a step sheet."""
    path = tmp_path / "汇总表.xlsx"
    path.write_bytes(workbook({"清理汇总": messy_items_rows(ITEMS), "办理环节": STEPS}))
    return path


def test_json_output_holds_the_contract_keys_with_rates_as_fractions(messy: Path) -> None:
    result = analyze(messy, "--json")
    assert result.returncode == 0, result.stderr
    out = json.loads(result.stdout)
    assert set(out) >= {"lists", "overall", "departments", "processes", "flags", "problems"}
    for record in [*out["lists"], out["overall"], *out["departments"]]:
        assert set(record) >= FIGURE_KEYS
    licensing = next(r for r in out["lists"] if r["category"] == "行政许可")
    # 3 licensing items: 2 retained, 1 undecided (left out of the rate) → 0 streamlined of 2 decided.
    assert (licensing["before"], licensing["retained"], licensing["undecided"]) == (3, 2, 1)
    assert licensing["streamlining_rate"] == 0.0
    # Time over the two retained items: (45 + 20) / 2 = 32.5 → (20 + 0) / 2 = 10.
    assert licensing["before_avg_days"] == 32.5
    assert licensing["after_avg_days"] == 10.0
    assert licensing["shortening_rate"] == pytest.approx(1 - 10 / 32.5)
    assert out["overall"]["by_decision"]["cancelled"] == 1
    assert {d["department"] for d in out["departments"]} == {"市水利局", "市林业局"}


def test_json_reports_what_each_sheet_was_read_as_and_the_decision_mapping(messy: Path) -> None:
    out = json.loads(analyze(messy, "--json").stdout)
    sheets = {s["sheet"]: s for s in out["sheets"]}
    assert (sheets["清理汇总"]["kind"], sheets["清理汇总"]["header_row"]) == ("items", 3)
    assert sheets["清理汇总"]["columns"]["承诺办结时限（清理后）"] == "committed"
    assert sheets["办理环节"]["kind"] == "steps"
    decisions = {d["text"]: d for d in out["decisions"]}
    assert (decisions["待研究"]["decision"], decisions["待研究"]["known"]) == ("undecided", False)
    assert decisions["取消"]["decision"] == "cancelled"


def test_processes_report_critical_paths_and_a_cycle_does_not_stop_the_others(messy: Path) -> None:
    out = json.loads(analyze(messy, "--json").stdout)
    by_item = {p["item"]: p for p in out["processes"]}
    assert set(by_item["取水许可"]) >= PROCESS_KEYS
    assert by_item["取水许可"]["critical_path_days"] == 13.0
    assert by_item["取水许可"]["critical_path"] == ["受理", "审查", "决定"]
    assert by_item["取水许可"]["total_effort_days"] == 18.0
    assert by_item["林木采伐许可证核发"]["critical_path_days"] is None
    cycle = next(p for p in out["problems"] if "循环" in p["message"])
    assert "审查" in cycle["message"] and "退回补正" in cycle["message"]
    assert cycle["sheet"] == "办理环节"


def test_problems_name_file_sheet_row_column_and_value(messy: Path) -> None:
    out = json.loads(analyze(messy, "--json").stdout)
    for p in out["problems"]:
        assert set(p) >= PROBLEM_KEYS
    unknown = next(p for p in out["problems"] if p["value"] == "待研究")
    assert (unknown["file"], unknown["sheet"], unknown["row"], unknown["column"]) == (
        "汇总表.xlsx",
        "清理汇总",
        5,
        "处理意见",
    )
    summary = next(p for p in out["problems"] if "合计" in p["message"])
    assert summary["row"] == 9


def test_the_text_summary_is_chinese_and_shows_the_rates(messy: Path) -> None:
    result = analyze(messy)
    assert result.returncode == 0
    assert "精简率" in result.stdout and "缩短率" in result.stdout
    assert "69.23%" in result.stdout  # 1 − 10 / 32.5


def test_a_gb18030_csv_is_read_from_the_command_line(tmp_path: Path) -> None:
    path = tmp_path / "林业局.csv"
    path.write_bytes(
        csv_bytes(
            [
                ["事项名称", "法定时限", "承诺时限", "处理意见"],
                ["林木采伐许可证核发", "20个工作日", "5个工作日", "保留"],
                ["木材运输证核发", "10个工作日", "", "取消"],
            ],
            "gb18030",
        )
    )
    out = json.loads(analyze(path, "--json").stdout)
    assert out["overall"]["streamlining_rate"] == 0.5
    assert out["overall"]["shortening_rate"] == 0.75


@pytest.mark.parametrize(
    ("name", "data", "reason"),
    [
        ("报告.xlsx", b"%PDF-1.4\n\x00binary", "PDF"),
        ("乱码.csv", b"\x81\x20" * 40, "编码"),
        ("空.xlsx", b"", "文件为空"),
        ("财政.xlsx", None, "事项名称"),
    ],
)
def test_a_file_that_cannot_be_read_exits_2_with_one_chinese_line(
    tmp_path: Path, name: str, data: bytes | None, reason: str
) -> None:
    if data is None:
        data = workbook({"Sheet1": [["序号", "部门", "金额"], [1, "市财政局", 100]]})
    path = tmp_path / name
    path.write_bytes(data)
    result = analyze(path, "--json")
    assert result.returncode == 2
    assert result.stdout == ""
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1
    assert name in lines[0] and reason in lines[0]
    assert "Traceback" not in result.stderr


def test_a_missing_path_exits_2() -> None:
    result = analyze("没有这个文件.xlsx")
    assert result.returncode == 2
    assert "找不到文件" in result.stderr


def test_benchmark_compares_the_new_average_with_a_given_number_of_days(messy: Path) -> None:
    out = json.loads(analyze(messy, "--json", "--benchmark", "行政许可=11.5").stdout)
    licensing = next(r for r in out["lists"] if r["category"] == "行政许可")
    assert licensing["benchmark"]["gap"] == pytest.approx((11.5 - 10) / 11.5)


def test_the_bundled_sample_reproduces_the_published_city_figures() -> None:
    result = analyze(ROOT / "data", "--json", "--year", "2026", "--benchmark", "行政许可=11.5")
    assert result.returncode == 0, result.stderr
    out = json.loads(result.stdout)
    lists = {r["category"]: r for r in out["lists"]}
    licensing, investment = lists["行政许可"], lists["投资项目审批"]
    assert (licensing["before"], licensing["retained"], licensing["streamlined"]) == (393, 184, 209)
    assert round(licensing["streamlining_rate"], 4) == 0.5318
    assert (round(licensing["before_avg_days"], 2), round(licensing["after_avg_days"], 2)) == (19.89, 11.01)
    assert round(licensing["shortening_rate"], 4) == 0.4465
    assert round(licensing["benchmark"]["gap"], 3) == 0.043
    assert (investment["before"], investment["retained"], investment["streamlined"]) == (53, 29, 24)
    assert round(investment["streamlining_rate"], 4) == 0.4528
    assert (round(investment["before_avg_days"], 2), round(investment["after_avg_days"], 2)) == (41.20, 23.63)
    assert round(investment["shortening_rate"], 4) == 0.4265
    assert len(out["departments"]) == 55
    assert {p["version"] for p in out["processes"]} == {"before", "after"}
    # A before process for each of the 184 + 29 retained items; ten departments sent no after (60 items).
    assert len(out["processes"]) == 2 * (184 + 29) - 60
    assert {f["rule"] for f in out["flags"]} >= {"serial_reviews", "signoff_chain", "pass_through"}
    assert all(p["severity"] == "提示" for p in out["problems"])


def test_json_flags_name_the_rule_the_steps_and_the_days_each_change_saves(tmp_path: Path) -> None:
    items = [
        ["市住建局", "ZJ-1", "建筑工程施工许可", "行政许可", "《建筑法》第八条", "20", "15", "保留", ""],
    ]
    steps = [
        ["事项编码", "环节序号", "环节名称", "责任科室", "办理时限", "前置环节"],
        ["ZJ-1", 1, "受理", "窗口", "1", ""],
        ["ZJ-1", 2, "登记", "办公室", "2", ""],
        ["ZJ-1", 3, "规划审查", "规划科", "4", ""],
        ["ZJ-1", 4, "消防审查", "消防科", "3", ""],
        ["ZJ-1", 5, "决定", "局长", "1", ""],
    ]
    path = tmp_path / "住建局.xlsx"
    path.write_bytes(workbook({"事项": messy_items_rows(items), "环节": steps}))
    out = json.loads(analyze(path, "--json").stdout)
    assert out["processes"][0]["critical_path_days"] == 11.0  # 1 + 2 + 4 + 3 + 1
    flags = {f["rule"]: f for f in out["flags"]}
    assert set(flags) == {"pass_through", "serial_reviews"}
    for flag in flags.values():
        assert set(flag) == FLAG_KEYS
        assert (flag["item"], flag["department"]) == ("建筑工程施工许可", "市住建局")
        assert flag["version"] == "before"
        assert "建议" in flag["message"]
    assert (flags["pass_through"]["steps"], flags["pass_through"]["days_saved"]) == (["登记"], 2.0)
    # 规划审查 and 消防审查 side by side: 4 + 3 → max(4, 3), 3 days off the critical path.
    assert (flags["serial_reviews"]["steps"], flags["serial_reviews"]["days_saved"]) == (
        ["规划审查", "消防审查"],
        3.0,
    )
    assert flags["serial_reviews"]["title"] == "串联审查可改并联"


def export(*args: str | Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "approvals", "export", *map(str, args)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )


def test_export_writes_every_document_of_the_sample(tmp_path: Path) -> None:
    import openpyxl
    from docx import Document

    out = {name: tmp_path / name for name in ("目录.xlsx", "目录.docx", "目录.csv", "报告.html", "分析.xlsx")}
    result = export(
        ROOT / "data" / "sample", "--year", "2026", "--region", "示例市",
        "--catalog", out["目录.xlsx"], "--docx", out["目录.docx"], "--csv", out["目录.csv"],
        "--report", out["报告.html"], "--workbook", out["分析.xlsx"], "--item", "供电营业区划分审批",
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    book = openpyxl.load_workbook(out["目录.xlsx"])
    assert book.sheetnames == [
        "保留事项目录",
        "取消事项目录",
        "下放事项目录",
        "合并事项目录",
        "转变管理方式事项目录",
    ]
    assert book["保留事项目录"]["A1"].value == "示例市市本级保留行政审批事项目录"
    # 184 + 29 retained items, numbered one row each under the title and the header
    numbers = [r[0] for r in book["保留事项目录"].iter_rows(min_row=2, values_only=True)]
    assert "序号" in numbers and [n for n in numbers if isinstance(n, int)] == list(range(1, 184 + 29 + 1))
    assert len(Document(str(out["目录.docx"])).tables[0].rows) == 1 + 184 + 29
    csv_rows = out["目录.csv"].read_text(encoding="utf-8-sig").splitlines()
    assert len(csv_rows) == 1 + 184 + 29
    cancelled = tmp_path / "目录（取消事项目录）.csv"
    assert cancelled.exists() and (tmp_path / "目录（合并事项目录）.docx").exists()
    report = out["报告.html"].read_text(encoding="utf-8")
    assert "53.18%" in report and "供电营业区划分审批" in report
    assert not re.search(r"<(script|link)[^>]+(src|href)=[\"']?https?:", report)  # opens offline
    assert "流程再造提示" in openpyxl.load_workbook(out["分析.xlsx"]).sheetnames
    assert result.stdout.count("已写出") == 1 + 5 + 5 + 1 + 1


@pytest.mark.parametrize(
    ("args", "message"),
    [
        ((), "至少指定一个输出文件"),
        (("--csv", "x.csv", "--lists", "保留,待定"), "“待定”不是目录名称"),
        (("--csv", "x.csv", "--extra", "联系电话"), "没有“联系电话”这一列"),
        (("--report", "x.html", "--item", "没有这个事项"), "找不到这些事项：没有这个事项"),
        (("--csv", "x.csv", "--numbering", "roman"), "参数有误"),
    ],
)
def test_export_refuses_wrong_options_with_one_chinese_line(
    tmp_path: Path, args: tuple, message: str
) -> None:
    fixed = [str(tmp_path / a) if a.endswith((".csv", ".html")) else a for a in args]
    result = export(ROOT / "data" / "sample", *fixed)
    assert result.returncode == 2
    assert message in result.stderr and len(result.stderr.strip().splitlines()) == 1
    assert "Traceback" not in result.stderr
    assert not list(tmp_path.iterdir())  # nothing half-written


def test_export_names_a_current_catalogue_by_its_own_title_or_by_holds(tmp_path: Path) -> None:
    title = "示例区权责清单（2024年版）"
    rows = [
        [title],
        ["序号", "职权名称", "职权类型", "法定主体", "法定办结时限"],
        [1, "取水许可", "行政许可", "区水务局", "20"],
    ]
    source = tmp_path / "权责清单.xlsx"
    source.write_bytes(workbook({"清单": rows}))
    result = export(source, "--region", "示例区", "--level", "本级", "--docx", tmp_path / "a.docx")
    assert result.returncode == 0, result.stderr
    from docx import Document

    assert Document(str(tmp_path / "a.docx")).paragraphs[0].text == "示例区本级权责清单"
    result = export(
        source,
        "--region",
        "示例区",
        "--level",
        "本级",
        "--holds",
        "行政权力清单",
        "--docx",
        tmp_path / "b.docx",
    )
    assert result.returncode == 0, result.stderr
    assert Document(str(tmp_path / "b.docx")).paragraphs[0].text == "示例区本级行政权力清单"


def test_export_titles_a_countys_list_for_the_county_and_says_where_the_title_came_from(
    tmp_path: Path,
) -> None:
    from docx import Document

    rows = messy_items_rows(
        [
            [
                "县水利局",
                "SL-1",
                "取水许可",
                "行政许可",
                "《中华人民共和国水法》",
                "九个工作日",
                "６日",
                "保留",
                "",
            ]
        ],
        title="某某县行政审批事项清理表",
    )
    source = tmp_path / "县水利局.xlsx"
    source.write_bytes(workbook({"行政许可": rows}))
    result = export(source, "--docx", tmp_path / "a.docx", "--lists", "保留")
    assert result.returncode == 0, result.stderr
    assert "目录标题：某某县县本级保留行政审批事项目录（地区和层级取自清单标题）" in result.stdout
    document = Document(str(tmp_path / "a.docx"))
    assert document.paragraphs[0].text == "某某县县本级保留行政审批事项目录"
    header = [c.text for c in document.tables[0].rows[0].cells]
    row = [c.text for c in document.tables[0].rows[1].cells]
    assert "是否收费" not in header and "收费依据" not in header
    assert (
        row[header.index("法定办结时限")] == "9个工作日" and row[header.index("承诺办结时限")] == "6个工作日"
    )

    result = export(
        source, "--docx", tmp_path / "b.docx", "--lists", "保留", "--limits-as-written", "--extra", "fee"
    )
    assert result.returncode == 0, result.stderr
    table = Document(str(tmp_path / "b.docx")).tables[0]
    header = [c.text for c in table.rows[0].cells]
    assert [c.text for c in table.rows[1].cells][header.index("法定办结时限")] == "九个工作日"
    assert "是否收费" in header


def test_export_of_a_list_that_names_no_place_uses_export_tomls_level_and_says_so(tmp_path: Path) -> None:
    header = ["实施部门", "事项名称", "法定办结时限", "处理意见"]
    source = tmp_path / "清单.xlsx"
    source.write_bytes(workbook({"事项": [header, ["水利局", "取水许可", "20", "保留"]]}))
    result = export(source, "--csv", tmp_path / "a.csv", "--lists", "保留", "--region", "某某县")
    assert result.returncode == 0, result.stderr
    assert "目录标题：某某县市本级保留行政审批事项目录" in result.stdout
    assert "清单中看不出层级" in result.stdout and "--level" in result.stdout
    told = export(source, "--csv", tmp_path / "b.csv", "--region", "某某县", "--level", "县本级")
    assert "目录标题：某某县县本级保留行政审批事项目录\n" in told.stdout


def test_export_of_a_file_that_is_no_list_exits_2_naming_it(tmp_path: Path) -> None:
    bad = tmp_path / "说明.csv"
    bad.write_text("这是一份说明\n没有表头\n", encoding="utf-8")
    result = export(bad, "--csv", tmp_path / "x.csv")
    assert result.returncode == 2 and "说明.csv" in result.stderr
    assert not (tmp_path / "x.csv").exists()


@pytest.mark.parametrize(
    ("file", "text", "named"),
    [
        ("targets.toml", "[streamlining]\ndefault = 3\n", ["targets.toml", "streamlining.default", "3"]),
        ("targets.toml", "[streamlining\n", ["targets.toml", "TOML"]),
        (
            "decisions.toml",
            '[[rule]]\npattern = "保留"\nmatch = "roughly"\ndecision = "retained"\n',
            ["decisions.toml", "rule[1].match", "roughly"],
        ),
    ],
)
def test_a_settings_file_with_a_bad_value_exits_2_naming_file_key_and_value(
    tmp_path: Path, messy: Path, file: str, text: str, named: list[str]
) -> None:
    path = tmp_path / file
    path.write_text(text, encoding="utf-8")
    option = "--targets" if file == "targets.toml" else "--decisions"
    result = analyze(messy, option, path)
    assert result.returncode == 2
    assert all(part in result.stderr for part in named)
    assert len(result.stderr.strip().splitlines()) == 1 and "Traceback" not in result.stderr


def test_a_settings_folder_replaces_the_bundled_files_it_holds(tmp_path: Path, messy: Path) -> None:
    folder = tmp_path / "设置"
    folder.mkdir()
    (folder / "targets.toml").write_text("[streamlining]\ndefault = 0.6\n", encoding="utf-8")
    out = json.loads(analyze(messy, "--json", "--settings", folder).stdout)
    assert out["overall"]["targets"]["streamlining"]["target"] == 0.6
    assert out["overall"]["targets"]["shortening"]["target"] is None  # that file has no shortening target
    decisions = {d["text"]: d["decision"] for d in out["decisions"]}
    assert decisions["取消"] == "cancelled"  # the other settings are the bundled ones
    missing = analyze(messy, "--settings", tmp_path / "没有这个文件夹")
    assert missing.returncode == 2 and "设置文件夹不存在" in missing.stderr


def test_a_bare_benchmark_compares_all_items_together(messy: Path) -> None:
    out = json.loads(analyze(messy, "--json", "--benchmark", "15").stdout)
    overall = out["overall"]
    assert overall["benchmark"]["days"] == 15
    assert overall["benchmark"]["gap"] == pytest.approx((15 - overall["after_avg_days"]) / 15)


def test_a_defect_exits_1_with_a_chinese_line_and_the_traceback_in_the_log(
    tmp_path: Path, messy: Path
) -> None:
    log = tmp_path / "内部错误.log"
    code = (
        "import sys, approvals.cli as cli, approvals.cli.commands as commands\n"
        "def broken(*args, **kwargs):\n"
        "    raise KeyError('缺陷')\n"
        "commands.COMMANDS['analyze'] = broken\n"
        f"sys.exit(cli.main(['analyze', {str(messy)!r}]))\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", code],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
        env={**os.environ, "APPROVALS_LOG": str(log)},
    )
    assert result.returncode == 1
    assert result.stderr.startswith("内部错误") and "Traceback" not in result.stderr
    assert str(log) in result.stderr
    written = log.read_text(encoding="utf-8")
    assert "Traceback" in written and "KeyError" in written and "缺陷" in written
