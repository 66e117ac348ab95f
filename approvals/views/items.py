"""The 事项 screen: the item table filtered, its figures, and the cells the analyst may edit."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import pandas as pd

from approvals.analysis import Analysis
from approvals.dataset.edits import decided_edits, refused_limit
from approvals.dataset.lookup import item_label
from approvals.errors import OptionError
from approvals.figures.rates import overall_figures
from approvals.model import DECISION_LABELS, Decision
from approvals.settings import Settings
from approvals.views.cards import Metric
from approvals.views.format import percent
from approvals.views.labels import EDITABLE_COLUMNS, ITEM_LABELS, LABEL_DECISIONS
from approvals.views.paging import Paging, paging
from approvals.views.tables import filter_items, items_table, table_edits


@dataclass(frozen=True)
class ItemFilters:
    """The choices of the 事项 screen's filters (decisions as their Chinese labels)."""

    departments: list[str]
    categories: list[str]
    decisions: list[str]


@dataclass(frozen=True, eq=False)
class ItemsView:
    """The filtered items: their figures, the table to edit, and whether it was cut short."""

    subset: pd.DataFrame  # canonical rows, for recording edits
    metrics: tuple[Metric, ...]
    table: pd.DataFrame  # Chinese headers, the rows of one page, indexed by item_id
    paging: Paging  # which page of the filtered items the table holds
    editable: tuple[str, ...]
    pinned: tuple[str, ...]  # the editable columns first, then the item's name: kept in sight
    decision_options: tuple[str, ...]
    labels: dict[str, str]  # item_key → 部门/名称（编码） of the rows shown, to pick one by

    @property
    def page_note(self) -> str | None:
        """Which of the filtered items the page shows, when they take more than one page."""
        return self.paging.note("项")

    def item(self, item_key: str) -> pd.Series:
        """The canonical row of one item of the view."""
        return self.subset[self.subset["item_key"].eq(item_key).to_numpy()].iloc[0]


def item_filters(analysis: Analysis) -> ItemFilters:
    items = analysis.dataset.items
    return ItemFilters(
        sorted(items["department"].unique()), sorted(items["category"].unique()), list(LABEL_DECISIONS)
    )


def items_view(
    analysis: Analysis,
    *,
    departments: Sequence[str] = (),
    categories: Sequence[str] = (),
    decisions: Sequence[str] = (),
    search: str = "",
    page: int = 1,
) -> ItemsView:
    """The items matching the filters (decisions as labels), with their 精简率 and 缩短率; the
    table holds page ``page`` of them (:data:`approvals.views.paging.PAGE_ROWS` a page)."""
    items = analysis.dataset.items
    subset = filter_items(
        items,
        departments=departments,
        categories=categories,
        decisions=[LABEL_DECISIONS[d] for d in decisions],
        search=search,
    )
    row = overall_figures(subset, analysis.targets)
    metrics = (
        Metric("筛选出的事项", f"{len(subset):,} / {len(items):,}"),
        Metric("精简率", percent(row.streamlining_rate)),
        Metric("缩短率", percent(row.shortening_rate)),
        Metric("已修改", f"{int(subset['edited'].ne('').sum())} 项"),
    )
    pages = paging(len(subset), page)
    on_page = pages.rows(subset)
    shown = items_table(on_page)
    # The cells the analyst types in come first, beside the name of their item, and stay at the
    # left however far the table scrolls.
    pinned = tuple(c for c in (*EDITABLE_COLUMNS, ITEM_LABELS["name"]) if c in shown.columns)
    table = shown[[*pinned, *(c for c in shown.columns if c not in pinned)]]
    return ItemsView(
        subset=subset,
        metrics=metrics,
        table=table,
        paging=pages,
        editable=tuple(EDITABLE_COLUMNS),
        pinned=pinned,
        decision_options=tuple(DECISION_LABELS.values()),
        labels={str(row["item_key"]): item_label(row) for _, row in on_page.iterrows()},
    )


Cell = tuple[int, str]  # item_id, field


@dataclass(frozen=True)
class TableEdits:
    """What the analyst changed in the item table, checked before anything is saved."""

    changes: list[tuple[pd.Series, str, str]]  # (the item's row, field, value) to save
    cells: dict[Cell, str]  # the cells of those changes, each as the table holds it
    refusals: tuple[str, ...]  # a sentence per cell refused, naming item, column and value
    stale: bool  # the table still shows an edit saved before, over what the item holds now


def item_changes(
    view: ItemsView, edited: pd.DataFrame, settings: Settings, *, saved: Mapping[Cell, str] | None = None
) -> TableEdits:
    """What the analyst changed in the table, cell by cell. A new committed limit is read by the
    import's parser and refused, with the old value kept, when it cannot be read. ``saved`` are
    the cells this table saved last (cell → value): the table keeps showing them, so one that
    differs from the item now (changed since, on the form or by someone else) is stale, never
    saved again.
    """
    found = table_edits(view.table, edited)
    by_id = view.subset.set_index("item_id", drop=False)
    saved = saved or {}
    changes, cells, refusals, stale = [], {}, [], False
    for cell in found.itertuples(index=False):
        key: Cell = (int(cell.item_id), str(cell.field))
        if saved.get(key) == str(cell.value):
            stale = True
            continue
        item, value = by_id.loc[cell.item_id], str(cell.value)
        if cell.field == "committed":
            refusal = refused_limit(item, value, settings)
            if refusal is not None:
                refusals.append(refusal)
                continue
            value = value.strip()
        changes.append((item, str(cell.field), value))
        cells[key] = str(cell.value)
    return TableEdits(changes, cells, tuple(refusals), stale)


def item_form_changes(
    item: pd.Series, settings: Settings, *, decision: str, target: str = "", limit: str = ""
) -> dict[str, str]:
    """The edits the 事项 screen's form makes of one item: the decision (its Chinese label), the
    item a merge joins, and a new committed limit (blank: unchanged); only those that change
    something. A merge without the item it joins, or a limit that cannot be read, is refused.

    >>> item = pd.Series({"decision": "retained", "merge_target": "", "committed_text": "20个工作日"})
    >>> item_form_changes(item, settings, decision="取消", limit="10个工作日")
    {'decision': 'cancelled', 'committed': '10个工作日'}
    """
    chosen = LABEL_DECISIONS[decision]
    target = target.strip()
    if chosen == Decision.MERGED and not target:
        raise OptionError("处理意见为“合并”时，请填写合并至哪个事项")
    changes: dict[str, str] = {}
    if chosen != item["decision"]:
        changes["decision"] = str(chosen)
    kept = target if chosen == Decision.MERGED else ""
    if kept != str(item.get("merge_target", "") or ""):
        changes["merge_target"] = kept
    if limit.strip():
        changes |= decided_edits(item, settings, limit=limit)
    return changes
