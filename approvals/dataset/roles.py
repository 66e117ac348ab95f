"""How each item counts in 精简率: kept, streamlined or undecided, merges included."""

from __future__ import annotations

from collections.abc import Collection

import numpy as np
import pandas as pd

from approvals.model import Counts, Decision
from approvals.text import cell_text, fold

_STREAMLINED = [str(Decision.CANCELLED), str(Decision.DELEGATED), str(Decision.CHANGED)]


_ROLE_NAMES = np.array([str(Counts.RETAINED), str(Counts.STREAMLINED), str(Counts.UNDECIDED)], dtype=object)


_RETAINED, _STREAMLINED_CODE, _UNDECIDED = 0, 1, 2


# Quotes and title marks around a name do not make it another item.
_NAME_MARKS = str.maketrans("", "", "\"'《》<>")


def _key_codes(*columns: pd.Series, strip_marks: bool = False) -> list[np.ndarray]:
    """Integer keys per cell, equal where the folded texts are equal (0 is the empty text).

    The columns share one vocabulary, so a merge target's key can be looked up among the names.
    Each distinct cell is folded once.
    """
    vocabulary: dict[str, int] = {"": 0}
    keys = []
    for values in columns:
        codes, uniques = pd.factorize(values, use_na_sentinel=False)
        ids = np.zeros(len(uniques), dtype="int64")
        for i, value in enumerate(uniques):
            key = fold(cell_text(value))
            if strip_marks:
                key = key.translate(_NAME_MARKS)
            ids[i] = vocabulary.setdefault(key, len(vocabulary))
        keys.append(ids[codes] if len(codes) else np.zeros(0, dtype="int64"))
    return keys


def _first_of_each(keys: np.ndarray, positions: np.ndarray, query: np.ndarray) -> np.ndarray:
    """For each query key, the position of the first row with that key, or -1."""
    distinct, first = np.unique(keys, return_index=True)
    if not len(distinct):
        return np.full(len(query), -1, dtype="int64")
    at = np.minimum(np.searchsorted(distinct, query), len(distinct) - 1)
    return np.where(distinct[at] == query, positions[first][at], -1)


def _is(column: pd.Series, value: str) -> np.ndarray:
    return (column == value).fillna(False).to_numpy(dtype=bool)


def _merge_parts(
    items: pd.DataFrame, elsewhere: Collection[str] = ()
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(merged rows, target position or -1, (department, target) key), positionally; a target
    found only among ``elsewhere`` (names of the catalog's items outside ``items``) is at
    ``len(items)``."""
    decided = items["has_decision"].fillna(False).to_numpy(dtype=bool)
    merged = decided & _is(items["decision"], Decision.MERGED)
    names, targets, outside = _key_codes(
        items["name"], items["merge_target"], pd.Series(list(elsewhere), dtype="str"), strip_marks=True
    )
    (departments,) = _key_codes(items["department"])
    width = max(int(names.max(initial=0)), int(targets.max(initial=0))) + 1
    named_in = departments * width + names
    aimed_at = departments * width + targets
    positions = np.arange(len(items))
    # A merged row naming itself is a member of its merge, not the item others merge into.
    can_be_target = (names != 0) & ~(merged & (targets == names))
    lookup = merged & (targets != 0)
    found = np.full(len(items), -1, dtype="int64")
    if lookup.any():
        pool = positions[can_be_target]
        same = _first_of_each(named_in[can_be_target], pool, aimed_at[lookup])
        other = _first_of_each(names[can_be_target], pool, targets[lookup])
        found[lookup] = np.where(same >= 0, same, other)
        if len(outside):
            beyond = lookup & (found < 0) & np.isin(targets, outside)
            found[beyond] = len(items)
    return merged, found, aimed_at


def target_names(items: pd.DataFrame) -> pd.Series:
    """The names an item merged elsewhere may name as its target: every item's but a merged
    row's naming itself (see :func:`count_roles`)."""
    decided = items["has_decision"].fillna(False).to_numpy(dtype=bool)
    merged = decided & _is(items["decision"], Decision.MERGED)
    names, targets = _key_codes(items["name"], items["merge_target"], strip_marks=True)
    return items["name"][(names != 0) & ~(merged & (targets == names))]


def merge_targets(items: pd.DataFrame) -> pd.Series:
    """The ``item_id`` of the item each merged row names as its target (same department first).

    <NA> where the row is not merged or its target is not an item of the table (a new item).
    """
    _, found, _ = _merge_parts(items)
    ids = pd.array(items["item_id"], dtype="Int64")
    out = pd.Series(pd.array([pd.NA] * len(items), dtype="Int64"), index=items.index)
    hit = found >= 0
    out[hit] = ids[found[hit]]
    return out.rename("merge_target_id")


def count_roles(items: pd.DataFrame, elsewhere: Collection[str] = ()) -> pd.Series:
    """How each item counts in 精简率 (a ``Counts`` value), aligned with ``items``.

    保留 → retained; 取消 / 下放 / 转变管理方式 → streamlined; no decision → undecided; an item
    from a list without a decision column (a current catalog) → retained. A 合并 of k items into
    one streamlines k−1 of them: items merged into an item of the table are all streamlined (the
    target counts by its own decision); items merged into a target the table lacks form one new
    item per (department, target), whose first row counts as retained. A bare "合并" with no
    target groups with the department's other bare merges.

    >>> items = pd.DataFrame({
    ...     "name": ["甲", "乙", "丙", "丁"], "department": "市局",
    ...     "decision": ["retained", "merged", "merged", "cancelled"],
    ...     "merge_target": ["", "新事项", "新事项", ""], "has_decision": True})
    >>> count_roles(items).tolist()
    ['retained', 'retained', 'streamlined', 'streamlined']

    A part of a catalog is counted as within the whole when ``elsewhere`` holds the names of the
    other parts' items (:func:`target_names`): here 新事项 is an item of another part.

    >>> count_roles(items, elsewhere=["新事项"]).tolist()
    ['retained', 'streamlined', 'streamlined', 'streamlined']
    """
    decision = items["decision"]
    has_decision = items["has_decision"].fillna(False).to_numpy(dtype=bool)
    role = np.full(len(items), _UNDECIDED, dtype="int8")
    role[_is(decision, Decision.RETAINED)] = _RETAINED
    role[decision.isin(_STREAMLINED).to_numpy(dtype=bool)] = _STREAMLINED_CODE
    merged, found, aimed_at = _merge_parts(items, elsewhere)
    role[merged & (found >= 0)] = _STREAMLINED_CODE
    new_item = merged & (found < 0)
    if new_item.any():
        absorbed = pd.Series(aimed_at[new_item]).duplicated(keep="first").to_numpy()
        role[new_item] = np.where(absorbed, _STREAMLINED_CODE, _RETAINED)
    role[~has_decision] = _RETAINED
    return pd.Series(_ROLE_NAMES[role], index=items.index, dtype="str", name="counts_as")
