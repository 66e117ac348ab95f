"""Two states of a round compared: items added and removed, decisions and limits changed with who
and why, and the overall figures of both, checked against figures counted by hand."""

from __future__ import annotations

import pytest
from builders import messy_items_workbook
from sample import SETTINGS
from test_rounds import FOREST, WATER, forest_file, water_file

from approvals.store.compare import compare_states
from approvals.store.rounds import Store

ECOLOGY = [["市生态环境局", "HB-1", "排污许可", "行政许可", "《环境保护法》", "20", "10", "保留", ""]]


@pytest.fixture
def compared(store: Store):  # type: ignore[no-untyped-def]
    """初稿: 取水许可 保留 45→20, 河道采砂许可 取消, 林木采伐 保留 20→即办. Then 李四 cancels 取水许可,
    the water bureau resubmits without 河道采砂许可, 王五 sets 林木采伐 to 5 days, 排污许可 comes in."""
    current = store.create_round("测试", SETTINGS, by="张三")
    store.import_files(current, [water_file(), forest_file()], by="张三")
    store.snapshot(current, "初稿", by="张三")
    store.edit_item(current, "SL-1", {"decision": "cancelled"}, old={"decision": "retained"}, item="取水许可",
                    department="市水利局", by="李四", reason="常务会议决定", expected=0)  # fmt: skip
    store.import_files(current, [("水利局（第二次）.xlsx", messy_items_workbook([WATER[0]]))], by="赵六")
    store.edit_item(current, "LY-1", {"committed": "5个工作日"}, old={"committed": "即办"}, item=FOREST[0][2],
                    department="市林业局", by="王五", reason="压缩时限", expected=0)  # fmt: skip
    store.import_files(current, [("环保局.xlsx", messy_items_workbook(ECOLOGY))], by="赵六")
    return compare_states(store, current, "初稿", "current")


def test_the_figures_of_both_states_are_those_counted_by_hand(compared) -> None:  # type: ignore[no-untyped-def]
    before, after = compared.before, compared.after
    # 初稿: 3 items, 取消 one of them: 1 / 3; time over 取水 (45→20) and 林木 (20→0).
    assert (before.before, before.retained, before.streamlined) == (3, 2, 1)
    assert before.streamlining_rate == pytest.approx(1 / 3)
    assert (before.before_avg_days, before.after_avg_days) == (32.5, 10.0)
    assert before.shortening_rate == pytest.approx(1 - 10 / 32.5)
    # Now: 取水 取消, 林木 20→5, 排污 20→10: 1 of 3 streamlined; time (20+20)/2 → (5+10)/2.
    assert (after.before, after.retained, after.streamlined) == (3, 2, 1)
    assert after.streamlining_rate == pytest.approx(1 / 3)
    assert (after.before_avg_days, after.after_avg_days) == (20.0, 7.5)
    assert after.shortening_rate == pytest.approx(0.625)


def test_items_added_and_removed_are_named(compared) -> None:  # type: ignore[no-untyped-def]
    assert compared.added[["code", "item", "department"]].values.tolist() == [
        ["HB-1", "排污许可", "市生态环境局"]
    ]
    assert compared.removed[["code", "item", "decision"]].values.tolist() == [
        ["SL-2", "河道采砂许可", "取消"]
    ]


def test_changed_decisions_and_limits_say_who_changed_them_and_why(compared) -> None:  # type: ignore[no-untyped-def]
    changed = compared.changed.sort_values("code")[["code", "field", "old", "new", "by", "reason"]]
    assert changed.values.tolist() == [
        ["LY-1", "承诺办结时限（清理后）", "即办", "5个工作日", "王五", "压缩时限"],
        ["SL-1", "处理意见", "保留", "取消", "李四", "常务会议决定"],
    ]


def test_a_state_compared_with_itself_has_no_changes(store: Store) -> None:
    current = store.create_round("测试", SETTINGS)
    store.import_files(current, [water_file()])
    store.snapshot(current, "初稿")
    same = compare_states(store, current, "初稿", "current")
    assert same.added.empty and same.removed.empty and same.changed.empty
    assert same.before == same.after
