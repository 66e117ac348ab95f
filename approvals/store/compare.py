"""Two states of a round side by side: the items added and removed, the decisions and limits that
changed (with who changed them and why, from the audit), and the overall figures of both.

Items are matched by item_key (the code, else department/name), the key edits use too, so an item
a department resubmits in another row is the same item.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

import pandas as pd

from approvals.analysis import Analysis
from approvals.dataset.edits import EDITABLE_FIELDS
from approvals.errors import ReadError
from approvals.figures.rates import Figures
from approvals.model import DECISION_LABELS, Decision
from approvals.read.reading import Reading
from approvals.store.records import CURRENT, CURRENT_LABEL, Round, RoundState
from approvals.store.rounds import Store
from approvals.workspace import analyze_workspace

ITEM_FIELDS = ["item_key", "code", "item", "department", "category", "decision"]
CHANGE_COLUMNS = ["item_key", "code", "item", "department", "field", "old", "new", "by", "reason"]
# The fields compared, by the label the audit and the screens use, and where the value comes from.
COMPARED: dict[str, str] = {
    EDITABLE_FIELDS["decision"]: "decision",
    EDITABLE_FIELDS["committed"]: "committed_text",
    "法定办结时限": "statutory_text",
    "原承诺办结时限": "original_text",
}


@dataclass(frozen=True)
class Comparison:
    """What changed from one state of a round to another (``source`` → ``target``, each a
    snapshot label or ``current``)."""

    source: str
    target: str
    added: pd.DataFrame  # ITEM_FIELDS
    removed: pd.DataFrame  # ITEM_FIELDS
    changed: pd.DataFrame  # CHANGE_COLUMNS
    before: Figures  # the overall figures of source
    after: Figures  # the overall figures of target
    failures: tuple[ReadError, ...] = ()


def shown_decision(items: pd.DataFrame) -> pd.Series:
    """Each item's decision as the comparison shows it: the class in Chinese, the item a merge
    joins after it.

    >>> items = pd.DataFrame({"decision": ["cancelled", "merged"], "merge_target": ["", "校车使用许可"]})
    >>> shown_decision(items).tolist()
    ['取消', '合并至“校车使用许可”']
    """
    labels = items["decision"].map(DECISION_LABELS).fillna(items["decision"]).astype("str")
    merged = items["decision"].eq(Decision.MERGED) & items["merge_target"].astype("str").ne("")
    joined = "合并至“" + items["merge_target"].astype("str") + "”"
    return labels.where(~merged.to_numpy(), joined).astype("str")


def _listed(items: pd.DataFrame) -> pd.DataFrame:
    return pd.DataFrame(
        {
            "item_key": items["item_key"].astype("str"),
            "code": items["code"].astype("str"),
            "item": items["name"].astype("str"),
            "department": items["department"].astype("str"),
            "category": items["category"].astype("str"),
            "decision": shown_decision(items),
        }
    ).reset_index(drop=True)


def _values(items: pd.DataFrame) -> pd.DataFrame:
    out = pd.DataFrame(index=pd.Index(items["item_key"].astype("str"), name="item_key"))
    for label, column in COMPARED.items():
        values = shown_decision(items) if column == "decision" else items[column].astype("str")
        out[label] = values.to_numpy()
    return out


def changed_items(before: pd.DataFrame, after: pd.DataFrame, audit: pd.DataFrame) -> pd.DataFrame:
    """The compared fields of items in both tables whose value differs, one row per item and
    field; ``by`` and ``reason`` from the latest audit row of that item and field in ``audit``
    (the rows between the two states), else from the import that brought the item's file.

    >>> before = pd.DataFrame({"item_key": ["A"], "code": ["A"], "name": ["甲"], "department": ["局"],
    ...     "decision": ["retained"], "merge_target": [""], "committed_text": ["20日"],
    ...     "statutory_text": ["20日"], "original_text": [""], "file": ["a.xlsx"]})
    >>> after = before.assign(decision="cancelled")
    >>> audit = pd.DataFrame({"kind": ["edit"], "item_key": ["A"], "field": ["处理意见"],
    ...     "by": ["张三"], "reason": ["常务会议决定"], "new": ["取消"]})
    >>> changed_items(before, after, audit)[["field", "old", "new", "by", "reason"]].values.tolist()
    [['处理意见', '保留', '取消', '张三', '常务会议决定']]
    """
    old, new = _values(before), _values(after)
    common = old.index.intersection(new.index)
    old, new = old.loc[common], new.loc[common]
    rows = []
    info = after.set_index(after["item_key"].astype("str"))  # item keys are unique in a dataset
    edits = audit[audit["kind"].eq("edit")]
    imports = audit[audit["kind"].eq("import")]
    for label in COMPARED:
        differ = old[label].ne(new[label]).to_numpy()
        for key in common[differ]:
            item = info.loc[key]
            who = edits[edits["item_key"].eq(key) & edits["field"].eq(label)]
            if label == EDITABLE_FIELDS["decision"] and who.empty:
                who = edits[edits["item_key"].eq(key) & edits["field"].eq(EDITABLE_FIELDS["merge_target"])]
            if len(who):
                by, reason = str(who.iloc[0]["by"]), str(who.iloc[0]["reason"])
            else:
                brought = imports[imports["new"].eq(str(item["file"]))]
                by = str(brought.iloc[0]["by"]) if len(brought) else ""
                reason = f"重新导入“{item['file']}”" if len(brought) else ""
            rows.append({
                "item_key": key, "code": str(item["code"]), "item": str(item["name"]),
                "department": str(item["department"]), "field": label, "old": old.at[key, label],
                "new": new.at[key, label], "by": by, "reason": reason,
            })  # fmt: skip
    return pd.DataFrame(rows, columns=CHANGE_COLUMNS)


def compare_analyses(
    source: str, before: Analysis, target: str, after: Analysis, audit: pd.DataFrame
) -> Comparison:
    """The comparison of two analyses of a round (``audit``: the rows between their states,
    newest first)."""
    old, new = before.dataset.items, after.dataset.items
    old_keys, new_keys = set(old["item_key"]), set(new["item_key"])
    return Comparison(
        source=source,
        target=target,
        added=_listed(new[~new["item_key"].isin(old_keys).to_numpy()]),
        removed=_listed(old[~old["item_key"].isin(new_keys).to_numpy()]),
        changed=changed_items(old, new, audit),
        before=before.overall,
        after=after.overall,
    )


def state_label(label: str) -> str:
    """A state as a screen names it: 当前 for the current state, else the snapshot's label."""
    return CURRENT_LABEL if label == CURRENT else label


def compare_states(store: Store, current: Round, source: str, target: str) -> Comparison:
    """Compare two states of a round, each a snapshot label or ``current``."""
    states: list[RoundState] = [store.state(current, source), store.state(current, target)]
    memo: dict[str, Reading | ReadError] = {}
    analysed = [analyze_workspace(s.workspace(), memo) for s in states]
    low, high = sorted(s.audit_mark for s in states)
    audit = store.history(current, after=low, upto=high)
    out = compare_analyses(source, analysed[0][0], target, analysed[1][0], audit)
    failures = tuple({str(f): f for _, found in analysed for f in found}.values())
    return replace(out, failures=failures)
