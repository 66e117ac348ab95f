"""Rounds, their history and the comparison of two states, as the command line prints them (JSON,
the contract, or Chinese text) and as the 历史 screen shows them."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import pandas as pd

from approvals.store.compare import Comparison, state_label
from approvals.store.records import KIND_LABELS, ImportRecord, Round, Snapshot, local_time
from approvals.views.command_line import figure_record, text_table
from approvals.views.format import days, percent
from approvals.views.tables import chosen_rows

HISTORY_LABELS = {
    "at": "时间",
    "by": "修改人",
    "kind": "类别",
    "department": "实施部门",
    "item": "事项",
    "field": "内容",
    "old": "原值",
    "new": "新值",
    "reason": "理由",
}
CHANGE_LABELS = {
    "department": "实施部门",
    "item": "事项",
    "code": "编码",
    "field": "内容",
    "old": "原值",
    "new": "新值",
    "by": "修改人",
    "reason": "理由",
}
LISTED_LABELS = {
    "department": "实施部门",
    "item": "事项",
    "code": "编码",
    "category": "清单",
    "decision": "处理意见",
}
# The figures the 历史 screen sets side by side: label → (field of Figures, how it is shown).
FIGURE_ROWS: list[tuple[str, str, str]] = [
    ("清理前事项", "before", "count"),
    ("保留", "retained", "count"),
    ("精简", "streamlined", "count"),
    ("未决定", "undecided", "count"),
    ("精简率", "streamlining_rate", "percent"),
    ("原平均时限（工作日）", "before_avg_days", "days"),
    ("新平均时限（工作日）", "after_avg_days", "days"),
    ("缩短率", "shortening_rate", "percent"),
]


def _moment(value: Any) -> str:
    return value.isoformat() if hasattr(value, "isoformat") else str(value)


def round_records(
    rounds: list[Round], files: dict[int, int], snapshots: dict[int, list[Snapshot]]
) -> list[dict[str, Any]]:
    """``round list --json``: one object per round."""
    return [
        {
            "name": r.name,
            "level": r.level,
            "year": r.year,
            "created_at": _moment(r.created_at),
            "created_by": r.created_by,
            "updated_at": _moment(r.updated_at),
            "revision": r.revision,
            "files": files.get(r.id, 0),
            "snapshots": [s.label for s in snapshots.get(r.id, [])],
        }
        for r in rounds
    ]


def rounds_text(rounds: list[Round], files: dict[int, int], snapshots: dict[int, list[Snapshot]]) -> str:
    """``round list``: a table for the terminal."""
    if not rounds:
        return "还没有清理批次。用 python -m approvals round create 名称 建立一个。"
    rows = [["名称", "层级", "年度", "文件", "快照", "最近修改"]]
    for r in rounds:
        labels = "、".join(s.label for s in snapshots.get(r.id, [])) or "—"
        rows.append(
            [r.name, r.level or "—", str(r.year), str(files.get(r.id, 0)), labels, local_time(r.updated_at)]
        )
    return "\n".join(text_table(rows))


def history_records(history: pd.DataFrame) -> list[dict[str, Any]]:
    """``history --json``: the audit rows, newest first."""
    return [
        {
            "at": _moment(row.at),
            "by": row.by,
            "kind": row.kind,
            "item": row.item,
            "department": row.department,
            "field": row.field,
            "old": row.old,
            "new": row.new,
            "reason": row.reason,
        }
        for row in history.itertuples(index=False)
    ]


def history_table(history: pd.DataFrame) -> pd.DataFrame:
    """The audit rows as the 历史 screen and ``history`` show them: Chinese headers, local time."""
    table = pd.DataFrame(
        {
            "at": [local_time(a) for a in history["at"]],
            "by": history["by"].astype("str"),
            "kind": history["kind"].map(KIND_LABELS).fillna(history["kind"]).astype("str"),
            "department": history["department"].astype("str"),
            "item": history["item"].astype("str"),
            "field": history["field"].astype("str"),
            "old": history["old"].astype("str"),
            "new": history["new"].astype("str"),
            "reason": history["reason"].astype("str"),
        }
    )
    return table.rename(columns=HISTORY_LABELS)


def history_text(history: pd.DataFrame) -> str:
    if history.empty:
        return "没有修改记录。"
    table = history_table(history)
    return "\n".join(text_table([list(table.columns), *table.astype("str").to_numpy().tolist()]))


def _listed(frame: pd.DataFrame) -> list[dict[str, Any]]:
    return [
        {
            "item": r.item,
            "department": r.department,
            "code": r.code,
            "category": r.category,
            "decision": r.decision,
        }
        for r in frame.itertuples(index=False)
    ]


def comparison_json(comparison: Comparison) -> dict[str, Any]:
    """``compare --json``: from, to, the items added and removed, the changed fields, the figures."""
    return {
        "from": comparison.source,
        "to": comparison.target,
        "added": _listed(comparison.added),
        "removed": _listed(comparison.removed),
        "changed": [
            {
                "item": r.item,
                "department": r.department,
                "code": r.code,
                "field": r.field,
                "old": r.old,
                "new": r.new,
                "by": r.by,
                "reason": r.reason,
            }
            for r in comparison.changed.itertuples(index=False)
        ],
        "figures": {"from": figure_record(comparison.before, ""), "to": figure_record(comparison.after, "")},
    }


def _shown(value: Any, how: str) -> str:
    if how == "percent":
        return percent(value)
    if how == "days":
        return days(value)
    return "—" if value is None else str(value)


@dataclass(frozen=True)
class ComparisonView:
    """The comparison as the 历史 screen shows it."""

    title: str
    figures: pd.DataFrame  # 指标, from, to
    changed: pd.DataFrame  # Chinese headers
    added: pd.DataFrame
    removed: pd.DataFrame
    item_keys: list[str]  # of the changed rows, in order (to open an item from the table)
    item_titles: list[str]  # 部门/名称 of the changed rows
    searches: list[str]  # what finds each changed row's item on the 事项 screen: its code, else name
    summary: str


def comparison_view(comparison: Comparison) -> ComparisonView:
    source, target = state_label(comparison.source), state_label(comparison.target)
    rows = [
        [label, _shown(comparison.before[field], how), _shown(comparison.after[field], how)]
        for label, field, how in FIGURE_ROWS
    ]
    figures = pd.DataFrame(
        rows, columns=["指标", source, target] if source != target else ["指标", "前", "后"]
    )
    changed = comparison.changed
    summary = (
        f"从“{source}”到“{target}”：新增 {len(comparison.added)} 项，减少 {len(comparison.removed)} 项，"
        f"{changed['item_key'].nunique() if len(changed) else 0} 个事项的处理意见或时限有变化。"
    )
    return ComparisonView(
        title=f"“{source}”与“{target}”对比",
        figures=figures,
        changed=changed[list(CHANGE_LABELS)].rename(columns=CHANGE_LABELS).reset_index(drop=True),
        added=comparison.added[list(LISTED_LABELS)].rename(columns=LISTED_LABELS),
        removed=comparison.removed[list(LISTED_LABELS)].rename(columns=LISTED_LABELS),
        item_keys=changed["item_key"].astype("str").tolist(),
        item_titles=(changed["department"].astype("str") + "/" + changed["item"].astype("str")).tolist(),
        searches=[code or item for code, item in zip(changed["code"], changed["item"], strict=True)],
        summary=summary,
    )


def comparison_text(comparison: Comparison) -> str:
    """``compare`` without --json: the figures side by side, then what changed."""
    view = comparison_view(comparison)
    lines = [view.summary, ""]
    lines += text_table([list(view.figures.columns), *view.figures.astype("str").to_numpy().tolist()])
    for title, table in (("新增事项", view.added), ("减少事项", view.removed), ("变化", view.changed)):
        if len(table):
            lines += ["", f"{title}（{len(table)}）："]
            lines += text_table([list(table.columns), *table.astype("str").to_numpy().tolist()])
    return "\n".join(lines)


def round_label(current: Round) -> str:
    """A round as the selector names it: 名称（层级 · 年度）."""
    level = f"{current.level} · " if current.level else ""
    return f"{current.name}（{level}{current.year} 年）"


def snapshot_table(snapshots: list[Snapshot]) -> pd.DataFrame:
    """The round's snapshots, newest first."""
    rows = [[s.label, local_time(s.created_at), s.created_by] for s in reversed(snapshots)]
    return pd.DataFrame(rows, columns=["快照", "保存时间", "保存人"])


@dataclass(frozen=True)
class AuditFilters:
    """What the audit trail can be filtered by: the items it names (key → 部门/名称), the
    fields and the people in it."""

    items: dict[str, str]
    fields: list[str]
    people: list[str]


def audit_filters(history: pd.DataFrame) -> AuditFilters:
    named = history[history["item_key"].ne("")].drop_duplicates("item_key")
    items = {
        str(k): f"{d}/{n}" if d else str(n)
        for k, d, n in zip(named["item_key"], named["department"], named["item"], strict=True)
    }
    return AuditFilters(
        items=dict(sorted(items.items(), key=lambda kv: kv[1])),
        fields=sorted(set(history["field"].astype("str")) - {""}),
        people=sorted(set(history["by"].astype("str"))),
    )


def filtered_history(
    history: pd.DataFrame,
    *,
    item_key: str | None = None,
    fields: list[str] | None = None,
    people: list[str] | None = None,
) -> pd.DataFrame:
    """The audit rows of one item, some fields and some people (each optional), as shown."""
    keep = chosen_rows(history, {"item_key": [item_key] if item_key else [], "field": fields, "by": people})
    return history_table(history[keep.to_numpy()])


IMPORT_COLUMNS = ["文件", "大小", "导入时间", "导入人", "状态", "摘要（SHA-256）"]


def imports_table(records: list[ImportRecord]) -> pd.DataFrame:
    """Every file imported into the round, the replaced and removed ones too, newest first."""
    names = {r.id: r.name for r in records}
    rows = []
    for r in reversed(records):
        if r.replaced_by == r.id:
            status = "已移除"
        elif r.replaced_by is not None:
            status = f"已被“{names.get(r.replaced_by, '')}”替换"
        elif not r.readable:
            status = f"无法读取：{r.reason}"
        else:
            status = "使用中"
        size = f"{r.size / 1024:,.1f} KB" if r.size < 1 << 20 else f"{r.size / (1 << 20):,.1f} MB"
        rows.append([r.name, size, local_time(r.imported_at), r.imported_by, status, r.sha256[:16]])
    return pd.DataFrame(rows, columns=IMPORT_COLUMNS)
