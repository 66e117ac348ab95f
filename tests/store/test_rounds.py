"""Rounds in the database, on SQLite and on PostgreSQL: imports keep every file once, a
department's resubmission replaces its earlier file, every change leaves an audit row, a second
analyst's save over an unseen edit is a conflict, snapshots freeze a round."""

from __future__ import annotations

from functools import cache
from pathlib import Path

import pandas as pd
import pytest
from builders import messy_items_workbook, workbook
from sample import SETTINGS

from approvals.errors import OptionError
from approvals.model import Verdict
from approvals.store import schema as t
from approvals.store.db import head_revision
from approvals.store.records import EditConflict
from approvals.store.rounds import Store
from approvals.workspace import analyze_workspace

WATER = [
    ["市水利局", "SL-1", "取水许可", "行政许可", "《水法》", "45个工作日", "20个工作日", "保留", ""],
    ["市水利局", "SL-2", "河道采砂许可", "行政许可", "《河道管理条例》", "20", "10", "取消", ""],
]
FOREST = [["市林业局", "LY-1", "林木采伐许可证核发", "行政许可", "《森林法》", "20", "即办", "保留", ""]]


@cache  # xlsxwriter stamps the time into a workbook: the same file must be the same bytes
def water_file(decision_of_sl2: str = "取消") -> tuple[str, bytes]:
    rows = [WATER[0], [*WATER[1][:7], decision_of_sl2, ""]]
    return "水利局.xlsx", messy_items_workbook(rows)


@cache
def forest_file() -> tuple[str, bytes]:
    return "林业局.xlsx", messy_items_workbook(FOREST)


def items_of(store: Store, name: str, snapshot: str | None = None) -> pd.DataFrame:
    state = store.state(store.round(name), snapshot)
    analysis, failures = analyze_workspace(state.workspace())
    assert not failures
    return analysis.dataset.items


@pytest.fixture
def filled(store: Store) -> Store:
    """A round 测试 with the water and forest bureaus' lists."""
    current = store.create_round("测试", SETTINGS, level="市本级", by="张三")
    store.import_files(current, [water_file(), forest_file()], by="张三")
    return store


def test_a_new_database_is_at_the_newest_revision_and_says_nothing(store: Store) -> None:
    assert store.opened.before is None and store.opened.after == head_revision() == "0003"
    assert store.opened.note is None
    assert store.rounds() == []


def test_a_round_keeps_its_level_year_and_settings(store: Store) -> None:
    made = store.create_round(" 2026年 县本级清理 ", SETTINGS.with_year(2025), level="县本级", by="张三")
    assert (made.name, made.level, made.year, made.created_by) == (
        "2026年 县本级清理",
        "县本级",
        2025,
        "张三",
    )
    again = store.round("2026年 县本级清理")
    assert again.settings == SETTINGS.with_year(2025)
    with pytest.raises(OptionError, match="已有名为"):
        store.create_round("2026年 县本级清理", SETTINGS)
    with pytest.raises(OptionError, match="现有：2026年 县本级清理"):
        store.round("无此批次")


def test_an_import_keeps_each_files_bytes_name_size_and_who(filled: Store) -> None:
    current = filled.round("测试")
    records = filled.imports(current)
    assert [r.name for r in records] == ["水利局.xlsx", "林业局.xlsx"]
    _, data = water_file()
    assert records[0].size == len(data) and records[0].imported_by == "张三"
    assert filled.file_bytes(records[0].sha256) == data
    assert records[0].contents == (("items", "市水利局"),)
    assert filled.count(t.imported_items, current) == 3  # the rows read, stored as text


def test_an_import_says_what_it_is_doing_file_by_file_then_the_saving(store: Store) -> None:
    current = store.create_round("测试", SETTINGS, level="市本级", by="张三")
    told: list[tuple[float, str]] = []
    store.import_files(
        current, [water_file(), forest_file()], by="张三", progress=lambda s, d: told.append((s, d))
    )
    assert [doing for _, doing in told] == [
        "正在读取（1/2）：水利局.xlsx",
        "正在读取（2/2）：林业局.xlsx",
        "正在保存到数据库（原文件和逐行记录）……",
        "已保存",
    ]
    shares = [share for share, _ in told]
    assert shares == sorted(shares) and shares[0] == 0 and shares[-1] == 1
    assert store.count(t.imported_items, store.round("测试")) == 3


def test_the_same_file_imported_twice_is_kept_once(filled: Store) -> None:
    current = filled.round("测试")
    result = filled.import_files(current, [water_file()], by="李四")
    assert result.added == [] and result.already == ["水利局.xlsx"]
    assert len(filled.imports(current, everything=True)) == 2
    with filled.engine.connect() as c:
        assert c.execute(t.files.select()).all().__len__() == 2


def test_a_departments_resubmission_replaces_its_earlier_file_which_stays_in_history(filled: Store) -> None:
    current = filled.round("测试")
    _, data = water_file(decision_of_sl2="下放")
    result = filled.import_files(current, [("水利局（第二次报送）.xlsx", data)], by="李四")
    assert result.replaced == [("水利局.xlsx", "水利局（第二次报送）.xlsx")]
    assert [r.name for r in filled.imports(current)] == ["林业局.xlsx", "水利局（第二次报送）.xlsx"]
    everything = filled.imports(current, everything=True)
    assert [r.name for r in everything] == ["水利局.xlsx", "林业局.xlsx", "水利局（第二次报送）.xlsx"]
    items = items_of(filled, "测试")
    assert len(items) == 3  # not 5: the earlier file no longer counts
    assert items.set_index("code").loc["SL-2", "decision"] == "delegated"


def test_a_file_that_cannot_be_read_is_kept_with_its_reason(filled: Store) -> None:
    current = filled.round("测试")
    result = filled.import_files(current, [("坏文件.xlsx", b"PK\x03\x04 not a workbook")], by="王五")
    assert [name for name, _ in result.unreadable] == ["坏文件.xlsx"]
    record = next(r for r in filled.imports(current) if r.name == "坏文件.xlsx")
    assert not record.readable and record.reason
    assert filled.file_bytes(record.sha256) == b"PK\x03\x04 not a workbook"
    analysis, failures = analyze_workspace(filled.state(current).workspace())
    assert len(analysis.dataset.items) == 3 and len(failures) == 1


def test_every_change_leaves_an_audit_row_with_who_field_old_new_and_reason(filled: Store) -> None:
    current = filled.round("测试")
    before = filled.count(t.audit, current)
    filled.edit_item(
        current, "SL-1", {"decision": "cancelled"}, old={"decision": "retained"}, item="取水许可",
        department="市水利局", by="李四", reason="常务会议决定", expected=0,
    )  # fmt: skip
    filled.set_override(current, "序号|实施部门", {"联系电话": ""}, by="李四")
    filled.set_settings(current, SETTINGS.with_year(2025), by="李四", reason="按上年日历")
    filled.snapshot(current, "初稿", by="李四")
    filled.rename_round(current, "测试（改名）", by="李四")
    assert filled.count(t.audit, current) == before + 5
    history = filled.history(current, item_key="SL-1")
    row = history.iloc[0]
    assert (row["by"], row["kind"], row["item"], row["department"]) == (
        "李四",
        "edit",
        "取水许可",
        "市水利局",
    )
    assert (row["field"], row["old"], row["new"], row["reason"]) == (
        "处理意见",
        "保留",
        "取消",
        "常务会议决定",
    )
    settings_rows = filled.history(current, field_name="年度")
    assert settings_rows[["old", "new", "reason"]].values.tolist() == [["2026", "2025", "按上年日历"]]
    assert set(filled.history(current, by="李四")["kind"]) == {
        "edit",
        "mapping",
        "settings",
        "snapshot",
        "round",
    }


def test_an_edit_is_applied_to_the_item_it_names(filled: Store) -> None:
    current = filled.round("测试")
    filled.edit_item(current, "SL-1", {"decision": "cancelled", "committed": "5个工作日"}, expected=0)
    items = items_of(filled, "测试").set_index("code")
    assert items.loc["SL-1", "decision"] == "cancelled"
    assert items.loc["SL-1", "committed_days"] == 5.0
    assert filled.item_version(current, "SL-1") == 1


def test_two_analysts_saving_the_same_item_the_second_is_told_who_changed_what(db_url: str) -> None:
    first, second = Store.open(db_url), Store.open(db_url)  # two connections, two analysts
    try:
        made = first.create_round("测试", SETTINGS)
        first.import_files(made, [water_file()])
        seen_by_first = first.state(first.round("测试")).versions.get("SL-1", 0)
        seen_by_second = second.state(second.round("测试")).versions.get("SL-1", 0)
        first.edit_item(
            made, "SL-1", {"decision": "cancelled"}, item="取水许可", by="张三", expected=seen_by_first
        )
        with pytest.raises(EditConflict) as conflict:
            second.edit_item(
                second.round("测试"), "SL-1", {"decision": "delegated"}, item="取水许可", by="李四",
                expected=seen_by_second,
            )  # fmt: skip
        told = conflict.value
        assert told.by == "张三" and [(c.field, c.new) for c in told.changes] == [("处理意见", "取消")]
        assert "张三" in str(told) and "取消" in str(told) and "取水许可" in str(told)
        # The first analyst's edit stands until the second chooses to apply theirs.
        assert items_of(first, "测试").set_index("code").loc["SL-1", "decision"] == "cancelled"
        second.edit_item(
            second.round("测试"), "SL-1", {"decision": "delegated"}, by="李四", expected=told.version
        )
        assert items_of(first, "测试").set_index("code").loc["SL-1", "decision"] == "delegated"
        assert first.history(made, item_key="SL-1")["by"].tolist() == ["李四", "张三"]
    finally:
        first.close()
        second.close()


def test_a_snapshot_stays_as_it_was_while_the_round_goes_on(filled: Store) -> None:
    current = filled.round("测试")
    filled.snapshot(current, "初稿", by="张三")
    filled.edit_item(current, "SL-1", {"decision": "cancelled"}, expected=0)
    filled.import_files(current, [("环保局.xlsx", messy_items_workbook(
        [["市生态环境局", "HB-1", "排污许可", "行政许可", "", "20", "10", "保留", ""]]
    ))])  # fmt: skip
    frozen = items_of(filled, "测试", "初稿").set_index("code")
    now = items_of(filled, "测试", "current").set_index("code")
    assert frozen.loc["SL-1", "decision"] == "retained" and "HB-1" not in frozen.index
    assert now.loc["SL-1", "decision"] == "cancelled" and "HB-1" in now.index
    assert [s.label for s in filled.snapshots(current)] == ["初稿"]
    with pytest.raises(OptionError, match="已有名为“初稿”的快照"):
        filled.snapshot(current, "初稿")
    with pytest.raises(OptionError, match="没有名为“终稿”的快照（现有：初稿"):
        filled.state(current, "终稿")


def test_verdicts_are_kept_and_each_change_is_audited(filled: Store) -> None:
    current = filled.round("测试")
    flags = pd.DataFrame(
        {
            "flag_key": ["no_speedup|SL-1||", "instant|LY-1||"],
            "item": ["取水许可", "林木采伐许可证核发"],
            "department": ["市水利局", "市林业局"],
            "title": ["承诺时限未压缩", "可改为即办"],
        }
    )
    assert filled.set_verdicts(current, flags, Verdict.ACCEPTED, by="张三") == 2
    assert filled.set_verdicts(current, flags.head(1), Verdict.ACCEPTED, by="张三") == 0  # no change, no row
    assert filled.set_verdicts(current, flags.head(1), Verdict.PENDING, by="李四") == 1
    assert filled.state(current).verdicts == {"instant|LY-1||": "accepted"}
    rows = filled.history(current, item_key="SL-1")
    assert rows[["by", "field", "old", "new"]].values.tolist() == [
        ["李四", "流程再造：承诺时限未压缩", "采纳", "待定"],
        ["张三", "流程再造：承诺时限未压缩", "待定", "采纳"],
    ]


def test_a_file_can_be_taken_out_and_stays_in_the_history(filled: Store) -> None:
    current = filled.round("测试")
    assert filled.remove_files(current, ["林业局.xlsx"], by="张三") == 1
    assert [r.name for r in filled.imports(current)] == ["水利局.xlsx"]
    assert len(filled.imports(current, everything=True)) == 2
    assert filled.history(current)["field"].iloc[0] == "移除文件"


def test_the_revision_grows_with_every_change_so_caches_know_to_reread(filled: Store) -> None:
    current = filled.round("测试")
    seen = filled.revision(current.id)
    filled.edit_item(current, "SL-1", {"committed": "即办"})
    assert filled.revision(current.id) == seen + 1
    filled.import_files(current, [water_file()])  # nothing new: no change
    assert filled.revision(current.id) == seen + 1


def test_an_edit_of_a_field_that_cannot_be_edited_is_refused_before_anything_is_written(
    filled: Store,
) -> None:
    current = filled.round("测试")
    before = filled.count(t.audit, current)
    with pytest.raises(OptionError, match="处理意见应为保留、取消"):
        filled.edit_item(current, "SL-1", {"decision": "abolished"})
    with pytest.raises(OptionError, match="不能修改的字段"):
        filled.edit_item(current, "SL-1", {"name": "新名称"})
    assert filled.count(t.audit, current) == before


def test_a_round_holds_step_lists_too(store: Store, tmp_path: Path) -> None:
    steps = [
        ["事项编码", "环节序号", "环节名称", "办理时限"],
        ["SL-1", 1, "受理", "1"],
        ["SL-1", 2, "决定", "2"],
    ]
    current = store.create_round("测试", SETTINGS)
    store.import_files(current, [water_file(), ("环节.xlsx", workbook({"办理环节": steps}))])
    assert store.count(t.imported_steps, current) == 2
    analysis, _ = analyze_workspace(store.state(current).workspace())
    assert len(analysis.processes) == 1


def test_the_rows_stored_in_bulk_are_the_rows_read_in_order_with_their_row_numbers(store: Store) -> None:
    from sqlalchemy import select

    steps = [
        ["事项编码", "环节序号", "环节名称", "办理时限", "责任科室"],
        ["SL-1", 1, "受理", "1", "窗口"],
        ["SL-1", 2, "决定", "2个工作日", ""],
    ]
    current = store.create_round("测试", SETTINGS)
    store.import_files(current, [water_file(), ("环节.xlsx", workbook({"办理环节": steps}))])
    with store.engine.connect() as c:
        stored = c.execute(
            select(t.imported_steps.c.position, t.imported_steps.c.row, t.imported_steps.c.step_name,
                   t.imported_steps.c.limit, t.imported_steps.c.office, t.imported_steps.c.person)
            .order_by(t.imported_steps.c.position)
        ).all()  # fmt: skip
        names = c.execute(select(t.imported_items.c.name).order_by(t.imported_items.c.position)).scalars()
        assert list(names) == ["取水许可", "河道采砂许可"]
    # Spreadsheet rows 2 and 3; a column the file lacks (责任人员) is stored as "".
    expected = [(0, 2, "受理", "1", "窗口", ""), (1, 3, "决定", "2个工作日", "", "")]
    assert [tuple(r) for r in stored] == expected
