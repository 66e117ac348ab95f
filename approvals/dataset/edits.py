"""The analyst's changes to items (a decision, a new committed limit), kept apart from the files.

An edit names its item by item_key (the code, else department/name), so it survives re-reading
the files and a department's resubmission that moves its rows; applying edits is a pure function:
the uploaded lists stay as the departments sent them.
"""

from __future__ import annotations

import pandas as pd

from approvals.dataset.build import Dataset
from approvals.dataset.decisions import classify_decisions
from approvals.dataset.items import derive_items
from approvals.dataset.limits import parse_limits
from approvals.errors import OptionError
from approvals.model import DECISION_LABELS, Decision, LimitStatus
from approvals.settings import Settings

EDIT_COLUMNS = ["item_key", "field", "value"]
EDITABLE_FIELDS: dict[str, str] = {
    "decision": "处理意见",
    "merge_target": "合并至",
    "committed": "承诺办结时限（清理后）",
}


def empty_edits() -> pd.DataFrame:
    """No edits yet."""
    return pd.DataFrame({c: pd.Series(dtype="str") for c in EDIT_COLUMNS})


def check_edit(field: str, value: str) -> None:
    """Refuse an edit of a field that cannot be edited, or a decision that is no class."""
    if field not in EDITABLE_FIELDS:
        raise OptionError(f"不能修改的字段：{field}")
    if field == "decision" and value not in {str(d) for d in Decision}:
        shown = "、".join(DECISION_LABELS[d] for d in Decision)
        raise OptionError(f"处理意见应为{shown}之一，实为“{DECISION_LABELS.get(value, value)}”")


def record_edit(edits: pd.DataFrame, item_key: str, field: str, value: str) -> pd.DataFrame:
    """``edits`` with one more change to the item of ``item_key``; the latest one of a field wins.

    >>> edits = record_edit(empty_edits(), "SL-1", "decision", "cancelled")
    >>> record_edit(edits, "SL-1", "decision", "retained")["value"].tolist()
    ['retained']
    """
    check_edit(field, value)
    row = pd.DataFrame([{"item_key": str(item_key), "field": field, "value": str(value)}], dtype="str")
    same = edits["item_key"].eq(str(item_key)) & edits["field"].eq(field)
    return pd.concat([edits[~same.to_numpy()], row], ignore_index=True)


def apply_edits(items: pd.DataFrame, edits: pd.DataFrame, settings: Settings) -> pd.DataFrame:
    """Items with the edits applied and everything that follows from them re-derived.

    A decision edit makes the item decided (has_decision) even in a current catalog; a committed
    limit edit is parsed like a cell of the list. Column ``edited`` names what was changed.
    """
    out = items.copy()
    out["edited"] = ""
    if edits.empty or out.empty:
        return out
    latest = edits.drop_duplicates(["item_key", "field"], keep="last")
    position = pd.Series(range(len(out)), index=pd.Index(out["item_key"]))
    for field, label in EDITABLE_FIELDS.items():
        part = latest[latest["field"].eq(field)]
        if part.empty:
            continue
        keys = pd.Index(part["item_key"])
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


def decided_edits(
    item: pd.Series, settings: Settings, *, decision: str | None = None, limit: str | None = None
) -> dict[str, str]:
    """The edits that give ``item`` (a row of the items table) the decision and the committed
    limit written as in the lists, only those that change something. A decision no rule of the
    decision table understands, or a limit that cannot be read, is an OptionError.

    >>> item = pd.Series({"decision": "retained", "merge_target": "", "committed_text": "20个工作日"})
    >>> decided_edits(item, settings, decision="合并至“建设工程规划许可”", limit="20个工作日")
    {'decision': 'merged', 'merge_target': '建设工程规划许可'}
    >>> decided_edits(item, settings, limit="即办")
    {'committed': '即办'}
    """
    changes: dict[str, str] = {}
    if decision is not None:
        found = classify_decisions(pd.Series([decision.strip()], dtype="str"), settings.decisions).iloc[0]
        if not found["known"]:
            shown = "、".join(DECISION_LABELS[d] for d in Decision if d != Decision.UNDECIDED)
            raise OptionError(
                f"处理意见“{decision}”不在处理意见归类表中：可写{shown}，或“合并至“某事项””等清单中的写法"
            )
        target = str(found["merge_target"]) if found["decision"] == Decision.MERGED else ""
        if found["decision"] != item["decision"]:
            changes["decision"] = str(found["decision"])
        if target != str(item.get("merge_target", "") or ""):
            changes["merge_target"] = target
    if limit is not None:
        text = limit.strip()
        parsed = parse_limits(pd.Series([text], dtype="str"), settings=settings).iloc[0]
        if parsed["status"] in (LimitStatus.INVALID, LimitStatus.BLANK):
            why = f"：{parsed['message']}" if parsed.get("message") else ""
            raise OptionError(f"承诺办结时限“{limit}”无法识别{why}（如“10个工作日”“即办”“法律未规定”）")
        if text != str(item.get("committed_text", "") or ""):
            changes["committed"] = text
    return changes
