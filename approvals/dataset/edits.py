"""The analyst's changes to items (a decision, a new committed limit), kept apart from the files.

An edit names its item by item_key (the code, else department/name), so it survives re-reading
the files and a department's resubmission that moves its rows; applying edits is a pure function:
the uploaded lists stay as the departments sent them.
"""

from __future__ import annotations

from dataclasses import replace

import pandas as pd

from approvals.dataset.build import Dataset
from approvals.dataset.decisions import classify_decisions
from approvals.dataset.items import derive_items
from approvals.dataset.limits import parse_limits
from approvals.dataset.lookup import item_label
from approvals.errors import OptionError
from approvals.model import DECISION_LABELS, Decision, LimitStatus
from approvals.problems import concat_problems, problem, problems_frame
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


def limit_refusal(text: str, settings: Settings) -> str | None:
    """Why ``text`` cannot be a new committed limit, or None when it can. The parser the import
    uses decides, so an edit may hold what a department's list may hold, and nothing else.

    >>> [limit_refusal(t, settings) for t in ("二十个工作日", "即办", "法律未规定", "30个自然日")]
    [None, None, None, None]
    >>> limit_refusal("尽快办理", settings)
    '无法识别的办结时限“尽快办理”：应写作天数（如“20个工作日”）、“即办”或“法律未规定”'
    >>> limit_refusal(" ", settings)
    '不能为空'
    """
    parsed = parse_limits(pd.Series([text.strip()], dtype="str"), settings=settings).iloc[0]
    if parsed["status"] == LimitStatus.BLANK:
        return "不能为空"
    if parsed["status"] == LimitStatus.INVALID:
        return str(parsed["message"] or "无法识别")
    return None


def refused_limit(item: pd.Series, text: str, settings: Settings) -> str | None:
    """The refusal of ``text`` as ``item``'s new committed limit, naming the item, the column,
    the value typed and the value kept; None when the text is a limit.

    >>> item = pd.Series({"department": "市水利局", "name": "取水许可", "code": "SL-1",
    ...                   "committed_text": "20个工作日"})
    >>> print(refused_limit(item, "尽快办理", settings))
    市水利局/取水许可（SL-1）的“承诺办结时限（清理后）”未改为“尽快办理”（无法识别的办结时限“尽快办理”：应写作天数（如“20个工作日”）、“即办”或“法律未规定”），仍为“20个工作日”。
    >>> refused_limit(item, "30个自然日", settings) is None
    True
    """
    why = limit_refusal(text, settings)
    if why is None:
        return None
    old = str(item.get("committed_text", "") or "")
    kept = f"仍为“{old}”" if old else "仍为空"
    named = item_label(item) if "department" in item and "name" in item else "该事项"
    return f"{named}的“{EDITABLE_FIELDS['committed']}”未改为“{text}”（{why}），{kept}。"


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
    """The dataset with the analyst's edits applied to its items; steps (and their paths) shared.

    The screens refuse a limit that cannot be read, but an edit saved before they did, or
    written into the store by other means, is still an error on the problems list.
    """
    if edits.empty:
        return dataset
    items = apply_edits(dataset.items, edits, dataset.settings)
    edited = dataset.with_items(items)
    label = EDITABLE_FIELDS["committed"]
    wrong = items[
        items["edited"].str.contains(label, regex=False) & items["committed_status"].eq(LimitStatus.INVALID)
    ]
    if wrong.empty:
        return edited
    rows = [
        problem(
            f"{item_label(row)}修改后的“{label}”无法识别，不计入时限统计；请改为可识别的写法",
            column=label,
            value=row["committed_text"],
            code="limit_invalid",
        )
        for _, row in wrong.iterrows()
    ]
    return replace(edited, problems=concat_problems(dataset.problems, problems_frame(rows)))


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
        refusal = refused_limit(item, limit, settings)
        if refusal is not None:
            raise OptionError(refusal)
        if text != str(item.get("committed_text", "") or ""):
            changes["committed"] = text
    return changes
