"""Flags as the screens, the report and the downloads show them: tables with verdicts, summaries, filters."""

from __future__ import annotations

from collections.abc import Mapping

import pandas as pd

from approvals.model import (
    VERDICT_HEADER,
    VERDICT_KEY_HEADER,
    VERDICT_LABELS,
    VERDICTS_BY_LABEL,
    VERSION_LABELS,
    Verdict,
)
from approvals.redesign.verdicts import verdicts_of
from approvals.safety import safe_frame
from approvals.views.tables import chosen_rows

FLAG_LABELS: dict[str, str] = {
    "verdict": VERDICT_HEADER,
    "title": "提示",
    "department": "实施部门",
    "item": "事项名称",
    "version": "流程",
    "steps": "涉及环节",
    "days_saved": "可缩短（工作日）",
    "why": "发现的问题",
    "suggestion": "建议",
}


def flags_table(flags: pd.DataFrame, verdicts: Mapping[str, str]) -> pd.DataFrame:
    """Flags with Chinese headers and the verdict as a label, indexed by flag_key.

    >>> flags = pd.DataFrame({"flag_key": ["a", "b"], "title": ["重复审查", "可改为即办"],
    ...     "department": "市水利局", "item": "取水许可", "version": ["before", ""],
    ...     "steps": [("审查", "复审"), ()], "days_saved": [2.0, 0.0], "why": "…", "suggestion": "…"})
    >>> flags_table(flags, {"a": "accepted"})[["是否采纳", "流程", "涉及环节"]].to_numpy().tolist()
    [['采纳', '再造前', '审查→复审'], ['待定', '事项', '']]
    """
    table = pd.DataFrame(
        {
            "verdict": verdicts_of(flags, verdicts).map(VERDICT_LABELS).to_numpy(),
            "title": flags["title"].to_numpy(),
            "department": flags["department"].to_numpy(),
            "item": flags["item"].to_numpy(),
            "version": flags["version"].map({**VERSION_LABELS, "": "事项"}).fillna("").to_numpy(),
            "steps": flags["steps"].map(lambda s: "→".join(s)).to_numpy(),
            "days_saved": flags["days_saved"].to_numpy(),
            "why": flags["why"].to_numpy(),
            "suggestion": flags["suggestion"].to_numpy(),
        },
        index=pd.Index(flags["flag_key"], name="flag_key"),
    )
    return table.rename(columns=FLAG_LABELS)


def item_flags_table(flags: pd.DataFrame, verdicts: Mapping[str, str]) -> pd.DataFrame:
    """:func:`flags_table` of item-level findings (legal basis, merge candidates): no step columns."""
    steps_only = [FLAG_LABELS[c] for c in ("version", "steps", "days_saved")]
    return flags_table(flags, verdicts).drop(columns=steps_only)


def verdict_changes(shown: pd.DataFrame, edited: pd.DataFrame) -> dict[str, list[str]]:
    """What the analyst changed in the 是否采纳 column of a :func:`flags_table`: verdict → keys."""
    column = FLAG_LABELS["verdict"]
    old = shown[column].astype("str")
    new = edited[column].reindex(shown.index).fillna(VERDICT_LABELS[Verdict.PENDING]).astype("str")
    changed = new[old.ne(new)]
    out: dict[str, list[str]] = {}
    for key, label in changed.items():
        out.setdefault(VERDICTS_BY_LABEL.get(label, str(Verdict.PENDING)), []).append(str(key))
    return out


def flag_summary(flags: pd.DataFrame, verdicts: Mapping[str, str], by: str) -> pd.DataFrame:
    """Counts per ``by`` ("title" for rules, "department"): flags, accepted, rejected, and the
    most days one flag saves; largest groups first."""
    states = verdicts_of(flags, verdicts)
    grouped = (
        flags.assign(
            _accepted=states.eq(Verdict.ACCEPTED).to_numpy(), _rejected=states.eq(Verdict.REJECTED).to_numpy()
        )
        .groupby(by, sort=False)
        .agg(
            n=("flag_key", "size"),
            accepted=("_accepted", "sum"),
            rejected=("_rejected", "sum"),
            with_saving=("days_saved", lambda d: int((d > 0).sum())),
            most_saved=("days_saved", "max"),
        )
        .sort_values("n", ascending=False, kind="stable")
    )
    labels = {
        "n": "提示数",
        "accepted": "已采纳",
        "rejected": "不采纳",
        "with_saving": "可缩短时限的",
        "most_saved": "单条最多可缩短（工作日）",
    }
    heading = {"title": "提示", "department": "实施部门"}.get(by, by)
    return grouped.rename(columns=labels).rename_axis(heading).reset_index()


def filter_flags(
    flags: pd.DataFrame,
    states: pd.Series,
    *,
    titles: list[str] | None = None,
    departments: list[str] | None = None,
    verdicts: list[str] | None = None,
    search: str = "",
    saving_only: bool = False,
) -> pd.DataFrame:
    """The flags matching every filter given (an empty filter matches all); ``states`` from
    :func:`verdicts_of`; ``search`` looks in the item name and the step names."""
    keep = chosen_rows(flags, {"title": titles, "department": departments})
    if verdicts:
        keep &= states.isin(verdicts)
    if search.strip():
        words = search.strip()
        keep &= flags["item"].str.contains(words, regex=False) | flags["steps"].map("、".join).str.contains(
            words, regex=False
        )
    if saving_only:
        keep &= flags["days_saved"].gt(0)
    return flags[keep.to_numpy()]


KEY_LABEL = VERDICT_KEY_HEADER


def verdicts_csv(flags: pd.DataFrame, verdicts: Mapping[str, str]) -> bytes:
    """The flags and their verdicts as CSV in UTF-8 with BOM: a record of what was accepted that
    the analyst keeps, hands on or edits in Excel, and loads again with :func:`read_verdicts`."""
    table = flags_table(flags, verdicts).reset_index().rename(columns={"flag_key": KEY_LABEL})
    return safe_frame(table).to_csv(index=False).encode("utf-8-sig")
