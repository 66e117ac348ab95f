"""The 事项 screen's view: the cells to edit first, and what a change in the table comes to."""

from __future__ import annotations

import pandas as pd
import pytest
from sample import SETTINGS, sample_analysis

import approvals.views.paging as paging_module
from approvals.views.items import ItemsView, item_changes, items_view
from approvals.views.tables import items_table

LIMIT = "承诺办结时限（清理后）"


@pytest.fixture(scope="module")
def view() -> ItemsView:
    return items_view(sample_analysis(), decisions=["保留"])


def typed(view: ItemsView, *cells: tuple[int, str, str]) -> pd.DataFrame:
    """The table as the editor returns it after a value was typed into each (row, column) cell."""
    edited = view.table.copy()
    for row, column, value in cells:
        edited.iloc[row, edited.columns.get_loc(column)] = value
    return edited


def test_the_editable_columns_come_first_then_the_items_name(view: ItemsView) -> None:
    assert view.pinned == ("处理意见", LIMIT, "事项名称")
    assert list(view.table.columns[:3]) == list(view.pinned)
    every = items_table(view.paging.rows(view.subset))
    assert sorted(view.table.columns) == sorted(every.columns)  # moved, none left out
    assert view.table.drop(columns=list(view.pinned)).columns.tolist() == [
        c for c in every.columns if c not in view.pinned
    ]


@pytest.mark.parametrize("text", ["二十个工作日", "即办", "法律未规定", "30个自然日", " 15个工作日 "])
def test_a_limit_the_import_reads_is_a_change_to_save(view: ItemsView, text: str) -> None:
    checked = item_changes(view, typed(view, (0, LIMIT, text)), SETTINGS)
    (item, field, value), *rest = checked.changes
    assert rest == [] and checked.refusals == () and not checked.stale
    assert (item["item_id"], field, value) == (view.table.index[0], "committed", text.strip())
    assert checked.cells == {(int(view.table.index[0]), "committed"): text}


def test_a_limit_the_import_cannot_read_is_refused_naming_item_column_value_and_the_old_one(
    view: ItemsView,
) -> None:
    old = view.table.iloc[1][LIMIT]
    checked = item_changes(view, typed(view, (0, "处理意见", "取消"), (1, LIMIT, "尽快办理")), SETTINGS)
    assert [(item["item_id"], field) for item, field, _ in checked.changes] == [
        (view.table.index[0], "decision")
    ]
    (refusal,) = checked.refusals
    name = view.table.iloc[1]["事项名称"]
    assert name in refusal and f"“{LIMIT}”" in refusal and "“尽快办理”" in refusal
    assert refusal.endswith(f"仍为“{old}”。")


def test_a_cleared_limit_is_refused_too(view: ItemsView) -> None:
    (refusal,) = item_changes(view, typed(view, (0, LIMIT, "")), SETTINGS).refusals
    assert "不能为空" in refusal


def test_an_edit_the_table_saved_before_is_stale_once_the_item_holds_another_value(view: ItemsView) -> None:
    item_id = int(view.table.index[0])
    edited = typed(view, (0, "处理意见", "下放"))
    saved = {(item_id, "decision"): "delegated"}
    checked = item_changes(view, edited, SETTINGS, saved=saved)
    assert checked.changes == [] and checked.stale
    # typing another value in the same cell is a new edit, not the old one shown again
    again = item_changes(view, typed(view, (0, "处理意见", "取消")), SETTINGS, saved=saved)
    assert [(f, v) for _, f, v in again.changes] == [("decision", "cancelled")] and not again.stale


def test_an_unchanged_table_changes_nothing(view: ItemsView) -> None:
    checked = item_changes(view, view.table.copy(), SETTINGS)
    assert (checked.changes, checked.refusals, checked.stale) == ([], (), False)


def test_a_long_list_is_shown_a_page_at_a_time(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(paging_module, "PAGE_ROWS", 100)
    analysis = sample_analysis()
    every = items_view(analysis).subset
    assert len(every) == 446
    third = items_view(analysis, page=3)
    assert third.table.index.tolist() == every["item_id"].iloc[200:300].tolist()
    assert list(third.labels) == every["item_key"].iloc[200:300].astype(str).tolist()
    assert third.page_note == "共 446 项，分 5 页，这是第 3 页（第 201–300 项）"
    last = items_view(analysis, page=9)  # past the last page: the last one
    assert last.paging.page == 5 and last.table.index.tolist() == every["item_id"].iloc[400:].tolist()
    assert items_view(analysis, departments=[every["department"].iloc[0]], page=3).paging.page == 1
