"""Projected process figures and the "四减" that reform reports count, before → after.

For each item the "after" is the process the department submitted after re-engineering, or else
its current process; the analyst's accepted redesign flags are applied to that (vectorised, as
approvals.redesign measures them). 减环节 counts steps, 减材料 distinct materials, 减时限 the timed
critical path, 减跑动 the visits in person (到办事现场次数, where the list has it).
"""

from __future__ import annotations

import re
from collections.abc import Iterable

import numpy as np
import pandas as pd

from approvals.model import Change, Version
from approvals.processes.paths import critical_paths
from approvals.redesign.changes import apply_changes
from approvals.redesign.rules import material_rows
from approvals.settings.redesign import RedesignRules
from approvals.text import distinct_values

MEASURES: dict[str, tuple[str, str]] = {  # measure → (what is counted, the reduction's name)
    "steps": ("环节数", "减环节"),
    "materials": ("材料数", "减材料"),
    "days": ("关键路径（工作日）", "减时限"),
    "visits": ("到现场次数", "减跑动"),
}


_BEFORE, _AFTER = str(Version.BEFORE), str(Version.AFTER)


def flags_in(flags: pd.DataFrame, keys: set[str]) -> np.ndarray:
    """Which flags have their key in ``keys`` (a plain set lookup: far quicker than an Arrow isin
    of hundreds of thousands of keys)."""
    return np.fromiter((k in keys for k in flags["flag_key"].tolist()), dtype=bool, count=len(flags))


_MEASURED = [  # what the critical paths, counts and materials read
    "step_id", "item_id", "item_name", "department", "version", "step_no", "step_name",
    "predecessors", "days", "counted", "materials", "file", "sheet", "row",
]  # fmt: skip


def base_versions(steps: pd.DataFrame) -> pd.Series:
    """Per item, the process version suggestions apply to: the submitted after, else before."""
    ids = pd.Index(steps["item_id"].unique(), name="item_id")
    has_after = ids.isin(steps.loc[steps["version"].eq(_AFTER).to_numpy(), "item_id"].unique())
    return pd.Series(np.where(has_after, _AFTER, _BEFORE), index=ids, dtype="str").sort_index()


def proposed_table(steps: pd.DataFrame, flags: pd.DataFrame, accepted: Iterable[str]) -> pd.DataFrame:
    """The "after" steps of every item with the accepted flags applied for measuring (removed steps
    kept at 0 days and marked ``removed``, so counts and materials can leave them out)."""
    base = base_versions(steps)
    chosen = steps[steps["version"].to_numpy() == base.reindex(steps["item_id"]).to_numpy()]
    keys = set(accepted)
    applied = flags[flags_in(flags, keys)] if len(flags) else flags
    if len(applied):
        applied = applied[
            applied["version"].to_numpy() == base.reindex(applied["item_id"]).fillna("").to_numpy()
        ]
    out = apply_changes(chosen, applied) if len(applied) else chosen.copy()
    removed = {
        i
        for c, ids in zip(applied.get("change", []), applied.get("change_steps", []), strict=True)
        if c == Change.REMOVE
        for i in ids
    }
    out["removed"] = out["step_id"].isin(removed)
    return out


def _materials(steps: pd.DataFrame, rules: RedesignRules, shared_dropped: Iterable[int] = ()) -> pd.Series:
    """Distinct materials per item over the steps given; for the items in ``shared_dropped`` (an
    accepted 可共享获取的材料 flag) the materials the government already holds are left out."""
    rows = material_rows(steps, rules)
    dropped = rows["item_id"].isin(set(shared_dropped))
    if dropped.any():
        words = "|".join(re.escape(w) for w in rules.shared_materials)
        dropped &= rows["material"].str.contains(words, regex=True)
        rows = rows[~dropped.to_numpy()]
    return rows.groupby("item_id")["material"].nunique()


def _visits(values: pd.Series) -> np.ndarray:
    def number(text: str) -> float:
        digits = "".join(ch for ch in text if ch.isdigit() or ch == ".")
        try:
            return float(digits)
        except ValueError:
            return float("nan")

    return distinct_values(values, number, float)


def four_reductions(
    items: pd.DataFrame,
    steps: pd.DataFrame,
    flags: pd.DataFrame,
    accepted: Iterable[str],
    rules: RedesignRules,
    processes: pd.DataFrame | None = None,
) -> pd.DataFrame:
    """Per item with a process: steps, materials, critical-path days and visits before and after.

    ``rules`` split the materials and name those the government holds (redesign.toml).

    >>> import pandas as pd
    >>> steps = pd.DataFrame({"step_id": [0, 1, 2], "item_id": 0, "version": "before",
    ...     "step_no": ["1", "2", "3"], "step_name": ["受理", "登记", "决定"], "days": [1.0, 2.0, 1.0],
    ...     "predecessors": ["", "1", "2"], "counted": True, "materials": ["申请表", "", ""],
    ...     "item_name": "甲", "department": "市水利局", "office": "", "person": "",
    ...     "file": "", "sheet": "", "row": 1})
    >>> items = pd.DataFrame({"item_id": [0], "department": ["市水利局"], "category": ["行政许可"],
    ...     "visits": ["2"], "visits_after": [""]})
    >>> flags = pd.DataFrame({"flag_key": ["k"], "rule": ["pass_through"], "item_id": [0],
    ...     "version": ["before"], "change": ["remove"], "change_steps": [(1,)]})
    >>> table = four_reductions(items, steps, flags, ["k"], settings.redesign)
    >>> table[["steps_before", "steps_after", "days_before", "days_after"]].iloc[0].tolist()
    [3.0, 2.0, 4.0, 2.0]
    """
    columns = [
        "item_id",
        "department",
        "category",
        "steps_before",
        "steps_after",
        "materials_before",
        "materials_after",
        "days_before",
        "days_after",
        "days_submitted",
        "visits_before",
        "visits_after",
    ]
    if steps.empty:
        return pd.DataFrame({c: [] for c in columns})
    accepted = set(accepted)
    steps = steps[_MEASURED]  # narrow: every filter copies columns
    before = steps[steps["version"].eq(_BEFORE)]
    after = proposed_table(steps, flags, accepted)
    if processes is None:  # the critical paths of today's processes, unless the caller has them
        processes = critical_paths(steps)[0]
    paths = processes.set_index(["item_id", "version"])["critical_path_days"]
    bases = base_versions(steps)
    on_base = pd.MultiIndex.from_arrays([bases.index, bases.to_numpy()])
    base_paths = pd.Series(paths.reindex(on_base).to_numpy(), index=bases.index)
    kept = after[~after["removed"]]
    before_paths = paths.xs(_BEFORE, level="version") if len(paths) else pd.Series(dtype="float64")
    after_paths = critical_paths(after.drop(columns="removed"))[0].set_index("item_id")["critical_path_days"]
    ids = pd.Index(sorted(set(steps["item_id"])), name="item_id")
    table = pd.DataFrame(index=ids)
    table["steps_before"] = before.groupby("item_id").size().reindex(ids)
    table["steps_after"] = kept.groupby("item_id").size().reindex(ids)
    table["materials_before"] = _materials(before, rules).reindex(ids)
    shared = (
        flags.loc[flags["rule"].eq("shared_material").to_numpy() & flags_in(flags, accepted), "item_id"]
        if len(flags)
        else []
    )
    table["materials_after"] = _materials(kept, rules, shared).reindex(ids)
    both = before_paths.reindex(ids).notna() & after_paths.reindex(ids).notna()  # same items on both sides
    table["days_before"] = before_paths.reindex(ids).where(both)
    table["days_after"] = after_paths.reindex(ids).where(both)
    table["days_submitted"] = base_paths.reindex(ids).where(both)
    by_item = items.set_index("item_id")
    visits = pd.Series(_visits(by_item["visits"]), index=by_item.index)
    later = pd.Series(_visits(by_item["visits_after"]), index=by_item.index)
    table["visits_before"] = visits.reindex(ids)
    table["visits_after"] = later.where(later.notna(), visits).reindex(ids)
    table["department"] = by_item["department"].reindex(ids).fillna("").astype("str")
    table["category"] = by_item["category"].reindex(ids).fillna("").astype("str")
    for column in ("steps_before", "steps_after", "materials_before", "materials_after"):
        table[column] = table[column].astype("Int64")
    return table.reset_index()[columns]


def reduction_figures(per_item: pd.DataFrame, by: str | None = None) -> pd.DataFrame:
    """四减 totals before and after, per department or list (``by``) or overall, with the cut of each
    as a fraction; days as the ratio of the summed critical paths (a ratio of means). The overall
    table always has its one row, empty where no item has a process.

    >>> empty = pd.DataFrame({c: [] for c in ["item_id", "steps_before", "steps_after", "materials_before",
    ...     "materials_after", "days_before", "days_after", "visits_before", "visits_after"]})
    >>> reduction_figures(empty)[["group", "items", "steps_before"]].values.tolist()
    [['全部事项', 0, nan]]
    """
    key = per_item[by] if by else pd.Series("全部事项", index=per_item.index)
    dropped = ("item_id", "department", "category", "days_submitted")
    sums = per_item.drop(columns=[c for c in dropped if c in per_item.columns])
    grouped = sums.groupby(key.to_numpy(), sort=False).sum(min_count=1)
    grouped.insert(0, "items", per_item.groupby(key.to_numpy(), sort=False).size())
    if by is None and grouped.empty:  # no processes: the overall row still exists, with no figures
        grouped = grouped.reindex(["全部事项"]).assign(items=0)
    for measure in MEASURES:
        b, a = grouped[f"{measure}_before"].astype(float), grouped[f"{measure}_after"].astype(float)
        grouped[f"{measure}_cut"] = ((b - a) / b).where(b > 0)
    return grouped.rename_axis("group").reset_index()


def projected_items(items: pd.DataFrame, per_item: pd.DataFrame) -> pd.DataFrame:
    """Items with each new committed limit shortened by the days the accepted changes take off its
    process's critical path (never below 0): the limits that give the projected 缩短率.

    Savings pass into the commitment day for day; an item without a process, or with no accepted
    change, keeps its limit, so with nothing accepted the projection equals today's figures.

    >>> items = pd.DataFrame({"item_id": [1, 2], "after_days": [10.0, 3.0]})
    >>> per_item = pd.DataFrame({"item_id": [1, 2], "days_submitted": [12.0, 8.0], "days_after": [9.0, 2.0]})
    >>> projected_items(items, per_item)["after_days"].tolist()
    [7.0, 0.0]
    """
    saved = (per_item["days_submitted"] - per_item["days_after"]).clip(lower=0)
    saved = pd.Series(saved.to_numpy(), index=per_item["item_id"]).fillna(0.0)
    cut = items["item_id"].map(saved).fillna(0.0).to_numpy()
    return items.assign(after_days=(items["after_days"] - cut).clip(lower=0))


def applicable(flags: pd.DataFrame, steps: pd.DataFrame) -> pd.Series:
    """Whether each flag bears on the process suggestions apply to: item-level findings, and flags
    on the submitted "after" version or, where none was submitted, on the current one. A flag on
    the "before" version of an item whose department submitted an "after" shows what was already
    re-engineered; it is not applied again."""
    if flags.empty:
        return pd.Series(dtype="bool")
    base = base_versions(steps)
    on = flags["item_id"].map(base).astype("object").fillna(_BEFORE)
    return (flags["version"].eq("") | flags["version"].eq(on)).astype("bool")
