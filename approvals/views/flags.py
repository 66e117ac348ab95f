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


def flag_label(key: str, title: str, steps: tuple[str, ...]) -> str:
    """A flag's number in Chinese, made of what its key is made of (rule|item|process|step
    numbers): the rule's title, the item's code (or 部门/名称), the process, the steps by number
    and name. As stable as the key, and as unique (step numbers tell repeated names apart).

    >>> flag_label("serial_reviews|SL-1|before|2,3,4", "串联审查可改并联", ("初审", "复审", "审核"))
    '串联审查可改并联｜SL-1｜再造前｜第2步初审、第3步复审、第4步审核'
    >>> flag_label("committed_unchanged|市水利局/取水许可||", "承诺时限未压缩", ())
    '承诺时限未压缩｜市水利局/取水许可'
    """
    _, rest = key.split("|", 1)
    item, version, numbers = rest.rsplit("|", 2)
    parts = [title, item]
    if version:
        parts.append(VERSION_LABELS.get(version, version))
    if steps:
        given = numbers.split(",") if numbers else []
        named = (
            [f"第{n}步{name}" for n, name in zip(given, steps, strict=True)]
            if len(given) == len(steps)
            else list(steps)
        )
        parts.append("、".join(named))
    return "｜".join(parts)


def flag_labels(flags: pd.DataFrame) -> pd.Series:
    """:func:`flag_label` of every flag, indexed by flag_key; a label two flags would share (two
    rules given one title in redesign.toml) is told apart by a number after it."""
    labels = pd.Series(
        [
            flag_label(str(k), str(t), tuple(s))
            for k, t, s in zip(flags["flag_key"], flags["title"], flags["steps"], strict=True)
        ],
        index=pd.Index(flags["flag_key"], name="flag_key"),
        dtype="str",
    )
    repeat = labels.groupby(labels.to_numpy()).cumcount()
    return labels.where(repeat.eq(0).to_numpy(), labels + "（" + (repeat + 1).astype("str") + "）")


def keyed_verdicts(loaded: Mapping[str, str], flags: pd.DataFrame) -> dict[str, str]:
    """Verdicts read from a file (:func:`approvals.read.verdicts.read_verdicts`) by flag_key: a
    file may name flags by key (the 流程再造 download) or by :func:`flag_labels` (the analysis
    workbook); a name that is neither is kept as it is (a flag the current data no longer has).

    >>> flags = pd.DataFrame({"flag_key": ["instant|SL-1||"], "title": ["可改为即办"], "steps": [()]})
    >>> keyed_verdicts({"可改为即办｜SL-1": "accepted", "gone|X||": "rejected"}, flags)
    {'instant|SL-1||': 'accepted', 'gone|X||': 'rejected'}
    """
    keys = set(flags["flag_key"])
    by_label = {label: key for key, label in flag_labels(flags).items()} if len(flags) else {}
    return {(k if k in keys else by_label.get(k, k)): v for k, v in loaded.items()}


def item_flags_table(flags: pd.DataFrame, verdicts: Mapping[str, str]) -> pd.DataFrame:
    """:func:`flags_table` of item-level findings (such as the legal basis): no step columns."""
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
    the analyst keeps, hands on or edits in Excel, and loads again with :func:`read_verdicts`
    (flags named by :func:`flag_labels`, as in the analysis workbook)."""
    table = flags_table(flags, verdicts)
    if len(flags):
        table.index = table.index.map(flag_labels(flags))
    table = table.rename_axis("flag_key").reset_index().rename(columns={"flag_key": KEY_LABEL})
    return safe_frame(table).to_csv(index=False).encode("utf-8-sig")
