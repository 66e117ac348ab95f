"""The command line on rounds, as other tools and our checks call it: round create / list, import,
decide, snapshot, compare --json, history --json, and analyze / export on a round."""

from __future__ import annotations

import io
import json
import os
import shutil
import subprocess
import sys
from contextlib import redirect_stderr, redirect_stdout
from pathlib import Path

import docx
import pytest
from builders import messy_items_workbook
from python_calamine import CalamineWorkbook

from approvals.cli import main
from approvals.store.db import DATA_ENV

ROOT = Path(__file__).resolve().parent.parent
SAMPLE = ROOT / "data" / "sample"
ROUND = "2026年市本级清理"
WATER = [
    ["市水利局", "SL-1", "取水许可", "行政许可", "《水法》", "45个工作日", "20个工作日", "保留", ""],
    ["市水利局", "SL-2", "河道采砂许可", "行政许可", "《河道管理条例》", "20", "10", "取消", ""],
    ["市水利局", "SL-3", "取水许可", "非行政许可审批", "", "20", "10", "保留", ""],  # the same name again
]
FOREST = [["市林业局", "LY-1", "林木采伐许可证核发", "行政许可", "《森林法》", "20", "即办", "保留", ""]]


def cli(data: Path, *args: str | Path) -> subprocess.CompletedProcess[str]:
    """The command run in this process (as ``main`` is by ``python -m approvals``), with its
    data folder, stdout and stderr captured."""
    out, err = io.StringIO(), io.StringIO()
    saved = os.environ.get(DATA_ENV)
    os.environ[DATA_ENV] = str(data)
    try:
        with redirect_stdout(out), redirect_stderr(err):
            code = main([str(a) for a in args])
    finally:
        if saved is None:
            del os.environ[DATA_ENV]
        else:
            os.environ[DATA_ENV] = saved
    return subprocess.CompletedProcess(list(map(str, args)), code, out.getvalue(), err.getvalue())


def run_python(data: Path, *args: str | Path) -> subprocess.CompletedProcess[str]:
    """The command as another tool runs it: ``python -m approvals`` in a process of its own."""
    return subprocess.run(
        [sys.executable, "-m", "approvals", *map(str, args)],
        cwd=ROOT, capture_output=True, text=True, timeout=180, check=False,
        env={**os.environ, DATA_ENV: str(data), "PYTHONPATH": str(ROOT)},
    )  # fmt: skip


def ok(result: subprocess.CompletedProcess[str]) -> subprocess.CompletedProcess[str]:
    assert result.returncode == 0, result.stderr
    return result


@pytest.fixture(scope="module")
def prepared(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A data folder with one round holding the water and forest bureaus' lists, made by the
    commands run as separate processes."""
    root = tmp_path_factory.mktemp("round")
    folder, lists = root / "数据", root / "清单"
    lists.mkdir()
    (lists / "水利局.xlsx").write_bytes(messy_items_workbook(WATER))
    (lists / "林业局.xlsx").write_bytes(messy_items_workbook(FOREST))
    ok(run_python(folder, "round", "create", ROUND, "--level", "市本级", "--year", "2026", "--by", "张三"))
    ok(run_python(folder, "import", "--round", ROUND, lists, "--by", "张三"))
    return root


@pytest.fixture
def data(prepared: Path, tmp_path: Path) -> Path:
    """A copy of the prepared data folder for one test (and its lists beside it)."""
    shutil.copytree(prepared / "清单", tmp_path / "清单")
    return Path(shutil.copytree(prepared / "数据", tmp_path / "数据"))


def test_a_round_is_created_in_the_data_folder_and_listed(data: Path) -> None:
    assert (data / "approvals.sqlite3").is_file()
    listed = json.loads(ok(cli(data, "round", "list", "--json")).stdout)
    assert [(r["name"], r["level"], r["year"], r["files"], r["created_by"]) for r in listed] == [
        (ROUND, "市本级", 2026, 2, "张三")
    ]
    assert ROUND in ok(cli(data, "round", "list")).stdout


def test_importing_the_same_file_again_keeps_it_once(data: Path, tmp_path: Path) -> None:
    again = ok(cli(data, "import", "--round", ROUND, tmp_path / "清单" / "水利局.xlsx"))
    assert "已有相同内容的文件，未重复保存：水利局.xlsx" in again.stdout
    assert json.loads(ok(cli(data, "round", "list", "--json")).stdout)[0]["files"] == 2


def test_decide_then_compare_gives_the_changes_with_who_and_why_and_both_figures(data: Path) -> None:
    ok(cli(data, "snapshot", "--round", ROUND, "初稿", "--by", "张三"))
    done = ok(cli(data, "decide", "--round", ROUND, "--item", "SL-1", "--decision", "拟取消",
                  "--reason", "常务会议决定", "--by", "李四"))  # fmt: skip
    assert "处理意见 保留 → 取消" in done.stdout
    ok(cli(data, "decide", "--round", ROUND, "--item", "市林业局/林木采伐许可证核发", "--limit", "5个工作日",
           "--by", "王五"))  # fmt: skip
    out = json.loads(ok(cli(data, "compare", "--round", ROUND, "初稿", "current", "--json")).stdout)
    assert (out["from"], out["to"], out["added"], out["removed"]) == ("初稿", "current", [], [])
    changed = sorted(out["changed"], key=lambda c: c["item"])
    assert [
        (c["item"], c["department"], c["field"], c["old"], c["new"], c["by"], c["reason"]) for c in changed
    ] == [
        ("取水许可", "市水利局", "处理意见", "保留", "取消", "李四", "常务会议决定"),
        ("林木采伐许可证核发", "市林业局", "承诺办结时限（清理后）", "即办", "5个工作日", "王五", ""),
    ]
    before, after = out["figures"]["from"], out["figures"]["to"]
    # 初稿: 4 items, 1 取消 → 1/4; time over 取水 45→20, 取水(非许可) 20→10, 林木 20→0.
    assert (before["before"], before["streamlined"], before["streamlining_rate"]) == (4, 1, 0.25)
    assert before["after_avg_days"] == pytest.approx(10.0)
    assert before["before_avg_days"] == pytest.approx(85 / 3)
    # Now: 2 取消 → 2/4; time over 取水(非许可) 20→10 and 林木 20→5.
    assert (after["before"], after["streamlined"], after["streamlining_rate"]) == (4, 2, 0.5)
    assert (after["before_avg_days"], after["after_avg_days"]) == (20.0, 7.5)
    assert set(after) >= {"retained", "undecided", "by_decision", "shortening_rate", "targets"}


def test_an_ambiguous_or_unknown_item_exits_2_naming_the_candidates(data: Path) -> None:
    twice = cli(data, "decide", "--round", ROUND, "--item", "取水许可", "--decision", "取消")
    assert twice.returncode == 2 and twice.stdout == ""
    assert "可能指多个事项" in twice.stderr and "SL-1" in twice.stderr and "SL-3" in twice.stderr
    assert len(twice.stderr.strip().splitlines()) == 1
    unknown = cli(data, "decide", "--round", ROUND, "--item", "采伐", "--decision", "取消")
    assert (
        unknown.returncode == 2
        and "找不到事项“采伐”" in unknown.stderr
        and "林木采伐许可证核发" in unknown.stderr
    )
    wrong = cli(data, "decide", "--round", ROUND, "--item", "SL-1", "--decision", "研究后再定")
    assert wrong.returncode == 2 and "不在处理意见归类表中" in wrong.stderr
    limit = cli(data, "decide", "--round", ROUND, "--item", "SL-1", "--limit", "尽快")
    assert limit.returncode == 2 and "无法识别" in limit.stderr
    nothing = cli(data, "decide", "--round", "无此批次", "--item", "SL-1", "--decision", "取消")
    assert nothing.returncode == 2 and f"现有：{ROUND}" in nothing.stderr


def test_history_lists_who_when_field_old_new_and_reason(data: Path) -> None:
    ok(
        cli(
            data,
            "decide",
            "--round",
            ROUND,
            "--item",
            "SL-2",
            "--decision",
            "下放",
            "--reason",
            "市县统筹",
            "--by",
            "李四",
        )
    )
    rows = json.loads(ok(cli(data, "history", "--round", ROUND, "--item", "SL-2", "--json")).stdout)
    assert [(r["by"], r["field"], r["old"], r["new"], r["reason"], r["item"]) for r in rows] == [
        ("李四", "处理意见", "取消", "下放", "市县统筹", "河道采砂许可")
    ]
    assert rows[0]["at"].endswith("+00:00")
    everything = json.loads(ok(cli(data, "history", "--round", ROUND, "--json")).stdout)
    assert {r["kind"] for r in everything} == {"round", "import", "edit"}
    assert "河道采砂许可" in ok(cli(data, "history", "--round", ROUND)).stdout


def test_analyze_on_a_snapshot_prints_what_analyze_prints_for_its_files(tmp_path: Path) -> None:
    folder = tmp_path / "数据"
    ok(cli(folder, "round", "create", "示例", "--year", "2026"))
    ok(cli(folder, "import", "--round", "示例", SAMPLE))
    ok(cli(folder, "snapshot", "--round", "示例", "初稿"))
    from_files = ok(cli(folder, "analyze", SAMPLE, "--json", "--year", "2026")).stdout
    assert ok(cli(folder, "analyze", "--round", "示例", "--snapshot", "初稿", "--json")).stdout == from_files
    assert (
        ok(cli(folder, "analyze", "--round", "示例")).stdout
        == ok(cli(folder, "analyze", SAMPLE, "--year", "2026")).stdout
    )


def test_export_from_a_snapshot_says_which_snapshot_it_was_made_from(data: Path, tmp_path: Path) -> None:
    ok(cli(data, "snapshot", "--round", ROUND, "提交常务会议稿", "--by", "张三"))
    ok(cli(data, "decide", "--round", ROUND, "--item", "SL-1", "--decision", "取消"))  # after the snapshot
    out = tmp_path / "导出"
    files = ["--catalog", out / "目录.xlsx", "--docx", out / "目录.docx", "--report", out / "报告.html"]
    ok(
        cli(
            data,
            "export",
            "--round",
            ROUND,
            "--snapshot",
            "提交常务会议稿",
            *files,
            "--workbook",
            out / "分析.xlsx",
        )
    )
    said = "快照“提交常务会议稿”"
    book = CalamineWorkbook.from_path(str(out / "目录.xlsx"))
    cells = [
        str(v) for name in book.sheet_names for row in book.get_sheet_by_name(name).to_python() for v in row
    ]
    assert any(said in c for c in cells)
    retained = [c for c in cells if c in ("取水许可", "林木采伐许可证核发")]
    assert "取水许可" in retained  # still retained in that snapshot
    assert "市本级" in book.sheet_names[0] or any("市本级" in c for c in cells)  # the round's level
    paragraphs = [p.text for p in docx.Document(io.BytesIO((out / "目录.docx").read_bytes())).paragraphs]
    assert any(said in p for p in paragraphs)
    assert said in (out / "报告.html").read_text(encoding="utf-8")
    summary = CalamineWorkbook.from_path(str(out / "分析.xlsx")).get_sheet_by_name("汇总").to_python()
    assert any(said in str(v) for row in summary for v in row)


def test_bad_input_to_every_round_command_exits_2_with_one_chinese_line(data: Path) -> None:
    cases = [
        ("round", "create", ROUND),  # exists
        ("round", "create", " "),
        ("snapshot", "--round", ROUND, "current"),
        ("compare", "--round", ROUND, "初稿", "current"),  # no such snapshot
        ("history", "--round", ROUND, "--item", "无此事项"),
        ("import", "--round", ROUND, "没有的文件.xlsx"),
        ("analyze", "--round", ROUND, "--year", "2025"),
        ("analyze", "--round", ROUND, "--db", "mysql+nodriver://x"),
        ("round", "list", "--db", "不是地址"),
    ]
    for case in cases:
        result = cli(data, *case)
        assert result.returncode == 2, (case, result.stderr)
        lines = result.stderr.strip().splitlines()
        assert len(lines) == 1 and any("\u4e00" <= ch <= "\u9fff" for ch in lines[0]), (case, result.stderr)
        assert "Traceback" not in result.stderr


def test_an_unreadable_file_is_kept_and_the_import_exits_2_naming_it(data: Path, tmp_path: Path) -> None:
    bad = tmp_path / "损坏.xlsx"
    bad.write_bytes(b"PK\x03\x04broken")
    result = cli(data, "import", "--round", ROUND, bad)
    assert result.returncode == 2 and "损坏.xlsx" in result.stderr and "已保存" in result.stderr
    listed = json.loads(ok(cli(data, "round", "list", "--json")).stdout)
    assert listed[0]["files"] == 3
    analysed = cli(data, "analyze", "--round", ROUND, "--json")
    assert analysed.returncode == 0 and "损坏.xlsx" in analysed.stderr
    assert json.loads(analysed.stdout)["overall"]["before"] == 4


def test_a_reader_given_by_the_roles_command_cannot_change_the_round(
    data: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    assert ok(cli(data, "roles", "list")).stdout.strip() == "尚未设置权限：所有人都可以修改。"
    granted = ok(cli(data, "roles", "grant", "李四", "reader", "--round", ROUND, "--by", "张三"))
    assert granted.stdout.strip() == f"已设置 李四 在清理批次“{ROUND}”的权限：只读"
    assert ok(cli(data, "roles", "list", "--round", ROUND)).stdout.startswith(
        f"李四\t清理批次“{ROUND}”\t只读\t张三"
    )
    refused = cli(data, "decide", "--round", ROUND, "--item", "SL-2", "--decision", "下放", "--as", "李四")
    assert (refused.returncode, refused.stderr.strip()) == (
        2,
        f"李四对清理批次“{ROUND}”只有查看权限，不能修改",
    )
    monkeypatch.setenv("APPROVALS_USER", "李四")  # who the command line acts as without --as
    assert cli(data, "snapshot", "--round", ROUND, "初稿").returncode == 2
    everything = json.loads(ok(cli(data, "history", "--round", ROUND, "--json")).stdout)
    assert {r["kind"] for r in everything} == {"round", "import", "role"}  # no edit, no snapshot
    ok(cli(data, "roles", "revoke", "李四", "--round", ROUND, "--as", "张三"))
    ok(cli(data, "decide", "--round", ROUND, "--item", "SL-2", "--decision", "下放"))
    rows = json.loads(ok(cli(data, "history", "--round", ROUND, "--item", "SL-2", "--json")).stdout)
    assert [r["by"] for r in rows] == ["李四"]
