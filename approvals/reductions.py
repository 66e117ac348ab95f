"""Projected process figures and the "四减" that reform reports count, before → after.

For each item the "after" is the process the department submitted after re-engineering, or else
its current process; the analyst's accepted redesign flags are applied to that (vectorised, as
approvals.redesign measures them). 减环节 counts steps, 减材料 distinct materials, 减时限 the timed
critical path, 减跑动 the visits in person (到办事现场次数, where the list has it).
"""

from __future__ import annotations

from collections.abc import Iterable

import numpy as np
import pandas as pd

from approvals.graphs import critical_paths
from approvals.model import Change, Version
from approvals.redesign import apply_changes, settings
from approvals.text import distinct_values

REDUCTION_LABELS: dict[str, str] = {
    "steps": "环节",
    "materials": "材料",
    "days": "时限（工作日）",
    "visits": "跑动（次）",
}
_BEFORE, _AFTER = str(Version.BEFORE), str(Version.AFTER)


def base_versions(steps: pd.DataFrame) -> pd.Series:
    """Per item, the process version suggestions apply to: the submitted after, else before."""
    has_after = steps.groupby("item_id")["version"].agg(lambda v: (v == _AFTER).any())
    return has_after.map({True: _AFTER, False: _BEFORE}).astype("str")


def proposed_table(steps: pd.DataFrame, flags: pd.DataFrame, accepted: Iterable[str]) -> pd.DataFrame:
    """The "after" steps of every item with the accepted flags applied for measuring (removed steps
    kept at 0 days and marked ``removed``, so counts and materials can leave them out)."""
    base = base_versions(steps)
    chosen = steps[steps["version"].to_numpy() == base.reindex(steps["item_id"]).to_numpy()]
    keys = set(accepted)
    applied = flags[flags["flag_key"].isin(keys)] if len(flags) else flags
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


def _materials(steps: pd.DataFrame) -> pd.Series:
    """Distinct materials per item over the steps given."""
    sep = settings().material_separators
    listed = steps.loc[steps["materials"].ne(""), ["item_id", "materials"]]
    if listed.empty:
        return pd.Series(dtype="int64")
    exploded = listed.assign(
        m=listed["materials"].map(lambda t: [m.strip() for m in sep.split(t) if m.strip()])
    )
    exploded = exploded.explode("m").dropna(subset=["m"])
    return exploded.groupby("item_id")["m"].nunique()


def _visits(values: pd.Series) -> np.ndarray:
    def number(text: str) -> float:
        digits = "".join(ch for ch in text if ch.isdigit() or ch == ".")
        try:
            return float(digits)
        except ValueError:
            return float("nan")

    return distinct_values(values.fillna(""), number, float)


def four_reductions(
    items: pd.DataFrame, steps: pd.DataFrame, flags: pd.DataFrame, accepted: Iterable[str]
) -> pd.DataFrame:
    """Per item with a process: steps, materials, critical-path days and visits before and after.

    >>> import pandas as pd
    >>> steps = pd.DataFrame({"step_id": [0, 1, 2], "item_id": 0, "version": "before",
    ...     "step_no": ["1", "2", "3"], "step_name": ["受理", "登记", "决定"], "days": [1.0, 2.0, 1.0],
    ...     "predecessors": ["", "1", "2"], "counted": True, "materials": ["申请表", "", ""],
    ...     "item_name": "甲", "department": "市水利局", "office": "", "person": "",
    ...     "file": "", "sheet": "", "row": 1})
    >>> items = pd.DataFrame({"item_id": [0], "department": ["市水利局"], "category": ["行政许可"],
    ...     "visits": ["2"], "visits_after": [""]})
    >>> flags = pd.DataFrame({"flag_key": ["k"], "item_id": [0], "version": ["before"],
    ...     "change": ["remove"], "change_steps": [(1,)]})
    >>> four_reductions(items, steps, flags, ["k"])[["steps_before", "steps_after", "days_before",
    ...     "days_after"]].iloc[0].tolist()
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
        "visits_before",
        "visits_after",
    ]
    if steps.empty:
        return pd.DataFrame({c: [] for c in columns})
    before = steps[steps["version"].eq(_BEFORE)]
    after = proposed_table(steps, flags, accepted)
    kept = after[~after["removed"]]
    before_paths = critical_paths(before)[0].set_index("item_id")["critical_path_days"]
    after_paths = critical_paths(after.drop(columns="removed"))[0].set_index("item_id")["critical_path_days"]
    ids = pd.Index(sorted(set(steps["item_id"])), name="item_id")
    table = pd.DataFrame(index=ids)
    table["steps_before"] = before.groupby("item_id").size().reindex(ids)
    table["steps_after"] = kept.groupby("item_id").size().reindex(ids)
    table["materials_before"] = _materials(before).reindex(ids)
    table["materials_after"] = _materials(kept).reindex(ids)
    both = before_paths.reindex(ids).notna() & after_paths.reindex(ids).notna()  # same items on both sides
    table["days_before"] = before_paths.reindex(ids).where(both)
    table["days_after"] = after_paths.reindex(ids).where(both)
    by_item = items.set_index("item_id")
    visits = pd.Series(_visits(by_item["visits"]) if "visits" in by_item else np.nan, index=by_item.index)
    later = pd.Series(
        _visits(by_item["visits_after"]) if "visits_after" in by_item else np.nan, index=by_item.index
    )
    table["visits_before"] = visits.reindex(ids)
    table["visits_after"] = later.where(later.notna(), visits).reindex(ids)
    table["department"] = by_item["department"].reindex(ids).fillna("").astype("str")
    table["category"] = by_item["category"].reindex(ids).fillna("").astype("str")
    for column in ("steps_before", "steps_after", "materials_before", "materials_after"):
        table[column] = table[column].astype("Int64")
    return table.reset_index()[columns]


def reduction_figures(per_item: pd.DataFrame, by: str | None = None) -> pd.DataFrame:
    """四减 totals before and after, per department or list (``by``) or overall, with the cut of each
    as a fraction; days as the ratio of the summed critical paths (a ratio of means)."""
    key = per_item[by] if by else pd.Series("全部事项", index=per_item.index)
    sums = per_item.drop(columns=[c for c in ("item_id", "department", "category") if c in per_item.columns])
    grouped = sums.groupby(key.to_numpy(), sort=False).sum(min_count=1)
    grouped.insert(0, "items", per_item.groupby(key.to_numpy(), sort=False).size())
    for measure in REDUCTION_LABELS:
        b, a = grouped[f"{measure}_before"].astype(float), grouped[f"{measure}_after"].astype(float)
        grouped[f"{measure}_cut"] = ((b - a) / b).where(b > 0)
    return grouped.rename_axis("group").reset_index()
