"""One item's process as the process screen and the report show it."""

from __future__ import annotations

from typing import Any

import pandas as pd

from approvals.analysis import Analysis
from approvals.figures.rates import item_shortening_rates
from approvals.model import VERSION_LABELS
from approvals.views.labels import STEP_LABELS


def process_items(analysis: Analysis) -> pd.DataFrame:
    """Items that have a process, with a label for picking one: "部门｜名称（子项）"."""
    with_steps = analysis.processes.drop_duplicates("item_id")
    label = with_steps["department"] + "｜" + with_steps["item_name"]
    items = analysis.dataset.items.set_index("item_id")
    sub = with_steps["item_id"].map(items["sub_item"]).fillna("")
    label = label.where(sub.eq(""), label + "（" + sub + "）")
    return pd.DataFrame({"item_id": with_steps["item_id"].to_numpy(), "label": label.to_numpy()})


def process_figures(analysis: Analysis, item_id: int) -> dict[str, Any]:
    """One item's process and limit figures, before and after, for the process screen."""
    processes = analysis.processes[analysis.processes["item_id"].eq(item_id)].set_index("version")
    out: dict[str, Any] = {}
    for version in VERSION_LABELS:
        row = processes.loc[version] if version in processes.index else None
        for column in (
            "critical_path_days",
            "whole_duration_days",
            "outside_limit_days",
            "total_effort_days",
            "step_count",
        ):
            out[f"{version}_{column}"] = None if row is None else row[column]
        out[f"{version}_critical_path"] = () if row is None else tuple(row["critical_path"])
    before, after = out["before_critical_path_days"], out["after_critical_path_days"]
    out["path_shortening_rate"] = (
        (before - after) / before if before is not None and after is not None and before > 0 else None
    )
    items = analysis.dataset.items
    item = items[items["item_id"].eq(item_id)]
    if len(item):
        out["before_days"] = item["before_days"].iloc[0]
        out["after_days"] = item["after_days"].iloc[0]
        out["limit_shortening_rate"] = item_shortening_rates(item).iloc[0]
    return out


def process_steps(steps: pd.DataFrame, item_id: int, version: str) -> pd.DataFrame:
    """The steps of one item's process version, in step order."""
    part = steps[steps["item_id"].eq(item_id) & steps["version"].eq(version)]
    return part.sort_values("step_id")


def steps_table(steps: pd.DataFrame) -> pd.DataFrame:
    """Steps with Chinese headers; 计入时限 as 是 / 否."""
    table = steps[list(STEP_LABELS)].assign(counted=steps["counted"].map({True: "是", False: "否"}))
    return table.rename(columns=STEP_LABELS).reset_index(drop=True)
