"""Who may only read a round and who may edit it: roles per round or for all rounds, the creator
always edits, and every write of a reader is refused with nothing stored."""

from __future__ import annotations

from collections.abc import Callable

import pandas as pd
import pytest
from sample import SETTINGS
from test_rounds import forest_file, water_file

from approvals.errors import OptionError, PermissionRefused
from approvals.store.records import USER_ENV, Round
from approvals.store.rounds import Store

WRITES: dict[str, Callable[[Store, Round, str], object]] = {
    "import_files": lambda s, r, by: s.import_files(r, [("新.xlsx", water_file("下放")[1])], by=by),
    "remove_files": lambda s, r, by: s.remove_files(r, ["林业局.xlsx"], by=by),
    "edit_item": lambda s, r, by: s.edit_item(r, "SL-1", {"decision": "cancelled"}, by=by),
    "set_verdicts": lambda s, r, by: s.set_verdicts(r, _flags(s, r), "accepted", by=by),
    "load_verdicts": lambda s, r, by: s.load_verdicts(
        r, dict.fromkeys(_flags(s, r)["flag_key"], "rejected"), _flags(s, r), by=by
    ),
    "set_settings": lambda s, r, by: s.set_settings(r, SETTINGS.with_year(2025), by=by),
    "set_override": lambda s, r, by: s.set_override(r, "甲|乙", {"甲": "name"}, by=by),
    "snapshot": lambda s, r, by: s.snapshot(r, "初稿", by=by),
    "rename_round": lambda s, r, by: s.rename_round(r, "改名", by=by),
}


@pytest.fixture
def filled(store: Store) -> Store:
    """A round 测试 made by 张三 with the water and forest bureaus' lists."""
    current = store.create_round("测试", SETTINGS, level="市本级", by="张三")
    store.import_files(current, [water_file(), forest_file()], by="张三")
    return store


def _flags(store: Store, current: Round) -> pd.DataFrame:
    """One 流程再造 flag on 取水许可, as an analysis's flags table gives it."""
    row = {
        "flag_key": "parallel|SL-1|受理,审查",
        "item": "取水许可",
        "department": "市水利局",
        "title": "并联审批",
    }
    return pd.DataFrame([row])


def test_with_no_roles_everyone_edits_every_round(filled: Store) -> None:
    current = filled.round("测试")
    assert filled.roles() == []
    assert filled.role_of(current, "李四") == filled.role_of(None, "王五") == "editor"
    filled.edit_item(current, "SL-1", {"decision": "cancelled"}, by="李四")
    assert filled.history(current)["by"].iloc[0] == "李四"


@pytest.mark.parametrize("write", sorted(WRITES))
def test_a_reader_is_refused_every_write_and_nothing_is_stored(filled: Store, write: str) -> None:
    current = filled.round("测试")
    filled.set_role(current, "李四", "reader", by="张三")
    before = (filled.revision(current.id), len(filled.history(current)), filled.round("测试").name)
    with pytest.raises(PermissionRefused, match="李四对清理批次“测试”只有查看权限，不能修改"):
        WRITES[write](filled, filled.round("测试"), "李四")
    assert (filled.revision(current.id), len(filled.history(current)), filled.round("测试").name) == before
    WRITES[write](filled, filled.round("测试"), "王五")  # someone not named still edits
    assert filled.revision(current.id) > before[0]


def test_naming_editors_makes_everyone_else_but_the_creator_a_reader(filled: Store) -> None:
    current = filled.round("测试")
    filled.set_role(None, "li@example.org", "editor", by="张三")
    assert filled.role_of(current, "LI@example.org") == "editor"  # e-mail addresses in any case
    assert filled.role_of(current, "王五") == "reader"
    assert filled.role_of(current, "张三") == "editor"  # the round's creator
    with pytest.raises(PermissionRefused):
        filled.snapshot(current, "初稿", by="王五")


def test_a_role_for_the_round_outweighs_one_for_all_rounds_and_can_be_taken_back(filled: Store) -> None:
    current = filled.round("测试")
    other = filled.create_round("另一批", SETTINGS, by="张三")
    filled.set_role(None, "李四", "reader", by="张三")
    filled.set_role(current, "李四", "editor", by="张三")
    assert (filled.role_of(current, "李四"), filled.role_of(other, "李四")) == ("editor", "reader")
    assert [(g.user, g.scope, g.role) for g in filled.roles()] == [
        ("李四", "所有清理批次", "reader"),
        ("李四", "清理批次“测试”", "editor"),
    ]
    assert [g.scope for g in filled.roles(other)] == ["所有清理批次"]
    filled.set_role(None, "李四", None, by="张三")
    assert filled.role_of(other, "李四") == "editor"


def test_a_role_given_in_a_round_is_in_its_history(filled: Store) -> None:
    current = filled.round("测试")
    filled.set_role(current, "李四", "reader", by="张三")
    filled.set_role(current, "李四", "editor", by="张三")
    rows = filled.history(current).head(2)
    assert rows[["by", "kind", "field", "old", "new"]].values.tolist() == [
        ["张三", "role", "权限：李四", "只读", "可修改"],
        ["张三", "role", "权限：李四", "", "只读"],
    ]


def test_a_reader_cannot_give_roles_and_a_role_must_be_known(filled: Store) -> None:
    current = filled.round("测试")
    filled.set_role(current, "李四", "reader", by="张三")
    with pytest.raises(PermissionRefused):
        filled.set_role(current, "李四", "editor", by="李四")
    with pytest.raises(OptionError, match="权限应为 reader（只读）或 editor（可修改）"):
        filled.set_role(current, "王五", "owner", by="张三")
    with pytest.raises(OptionError, match="请给出要设置权限的用户"):
        filled.set_role(current, "  ", "reader", by="张三")


def test_without_a_name_the_environment_says_who_writes(
    filled: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    current = filled.round("测试")
    filled.set_role(current, "李四", "reader", by="张三")
    monkeypatch.setenv(USER_ENV, "李四")
    with pytest.raises(PermissionRefused, match="李四"):
        filled.snapshot(current, "初稿")
