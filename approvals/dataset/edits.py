"""The analyst's changes to items (a decision, a new committed limit), kept apart from the files.

An edit names the cell's source (file, sheet, row) so it survives re-reading the same files, and
applying edits is a pure function: the uploaded lists stay as the departments sent them.
"""

from __future__ import annotations

import pandas as pd

from approvals.dataset.build import Dataset
from approvals.dataset.items import derive_items
from approvals.dataset.limits import parse_limits
from approvals.model import Decision
from approvals.settings import Settings

EDIT_COLUMNS = ["file", "sheet", "row", "field", "value"]
EDITABLE_FIELDS: dict[str, str] = {
    "decision": "处理意见",
    "merge_target": "合并至",
    "committed": "承诺办结时限（清理后）",
}
_KEY = ["file", "sheet", "row"]


def empty_edits() -> pd.DataFrame:
    """No edits yet."""
    return pd.DataFrame({c: pd.Series(dtype="Int64" if c == "row" else "str") for c in EDIT_COLUMNS})


def record_edit(edits: pd.DataFrame, item: pd.Series, field: str, value: str) -> pd.DataFrame:
    """``edits`` with one more change to ``item`` (a row of the items table); the latest one wins.

    >>> item = pd.Series({"file": "a.xlsx", "sheet": "表", "row": 4})
    >>> edits = record_edit(empty_edits(), item, "decision", "cancelled")
    >>> record_edit(edits, item, "decision", "retained")["value"].tolist()
    ['retained']
    """
    if field not in EDITABLE_FIELDS:
        raise ValueError(f"不能修改的字段：{field}")
    if field == "decision" and value not in {str(d) for d in Decision}:
        raise ValueError(f"处理意见应为 {', '.join(str(d) for d in Decision)} 之一，实为“{value}”")
    row = pd.DataFrame(
        [
            {
                "file": item["file"],
                "sheet": item["sheet"],
                "row": int(item["row"]),
                "field": field,
                "value": str(value),
            }
        ]
    )
    row["row"] = row["row"].astype("Int64")
    same = (
        edits["file"].eq(item["file"])
        & edits["sheet"].eq(item["sheet"])
        & edits["row"].eq(int(item["row"]))
        & edits["field"].eq(field)
    )
    return pd.concat([edits[~same.fillna(False)], row], ignore_index=True)


def apply_edits(items: pd.DataFrame, edits: pd.DataFrame, settings: Settings) -> pd.DataFrame:
    """Items with the edits applied and everything that follows from them re-derived.

    A decision edit makes the item decided (has_decision) even in a current catalog; a committed
    limit edit is parsed like a cell of the list. Column ``edited`` names what was changed.
    """
    out = items.copy()
    out["edited"] = ""
    if edits.empty or out.empty:
        return out
    latest = edits.drop_duplicates([*_KEY, "field"], keep="last")
    position = pd.Series(range(len(out)), index=pd.MultiIndex.from_frame(out[_KEY].astype({"row": "Int64"})))
    position = position[~position.index.duplicated()]
    for field, label in EDITABLE_FIELDS.items():
        part = latest[latest["field"].eq(field)]
        if part.empty:
            continue
        keys = pd.MultiIndex.from_frame(part[_KEY])
        found = keys.isin(position.index)
        rows = position.loc[keys[found]].to_numpy()
        values = part["value"].to_numpy()[found]
        if field == "decision":
            out.iloc[rows, out.columns.get_loc("decision")] = values
            out.iloc[rows, out.columns.get_loc("has_decision")] = True
        elif field == "merge_target":
            out.iloc[rows, out.columns.get_loc("merge_target")] = values
        else:
            parsed = parse_limits(pd.Series(values), settings=settings)
            for column in ("days", "status", "unit", "note", "converted"):
                out.iloc[rows, out.columns.get_loc(f"committed_{column}")] = parsed[column].to_numpy()
            out.iloc[rows, out.columns.get_loc("committed_text")] = values
        marks = out.iloc[rows, out.columns.get_loc("edited")]
        out.iloc[rows, out.columns.get_loc("edited")] = [f"{m}、{label}" if m else label for m in marks]
    return derive_items(out)


def edited_dataset(dataset: Dataset, edits: pd.DataFrame) -> Dataset:
    """The dataset with the analyst's edits applied to its items; steps (and their paths) shared."""
    if edits.empty:
        return dataset
    return dataset.with_items(apply_edits(dataset.items, edits, dataset.settings))
