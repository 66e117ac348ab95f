"""The 导入 screen: the files and how each sheet was read, the column mapping to correct, the
decision mapping and its rule table, the problems, a preview of the items."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import pandas as pd

from approvals.analysis import Analysis
from approvals.errors import ReadError
from approvals.settings.decisions import rule_problems
from approvals.views.labels import NOT_RECOGNISED
from approvals.views.tables import (
    decision_rules_from_table,
    decision_texts_table,
    field_choices,
    items_table,
    mapping_corrections,
    problem_counts,
    problems_table,
    sheet_mapping,
    sheets_read,
)
from approvals.workspace import Upload

PREVIEW_ROWS = 200
MATCH_CHOICES = ["exact", "contains", "regex"]
DECISION_CHOICES = ["保留", "取消", "下放", "合并", "转变管理方式", "未决定"]


@dataclass(frozen=True, eq=False)
class SheetView:
    """One sheet: what it was read as, and (for an item or step list) its columns to correct."""

    file: str
    sheet: str
    kind: str
    title: str
    header_row: int | None
    signature: str
    mapping: pd.DataFrame | None
    options: list[str]


@dataclass(frozen=True, eq=False)
class ImportView:
    files: list[str]  # one line per file: name, size, read or not
    sheets: list[SheetView]
    decisions: pd.DataFrame
    problems_note: str
    problems: pd.DataFrame
    preview_note: str
    preview: pd.DataFrame


def file_lines(files: Sequence[Upload], failures: Sequence[ReadError]) -> list[str]:
    """Each file with its size and whether it could be read.

    >>> file_lines([Upload.of("甲.xlsx", b"x" * 2048)], [])
    ['甲.xlsx（2 KB）：已读取']
    """
    failed = {f.file for f in failures}
    return [
        f"{u.name}（{len(u.data) / 1024:.0f} KB）：{'无法读取' if u.name in failed else '已读取'}"
        for u in files
    ]


def import_view(analysis: Analysis, files: Sequence[Upload], failures: Sequence[ReadError]) -> ImportView:
    dataset = analysis.dataset
    vocab = dataset.settings.columns
    sheets = []
    for sheet in sheets_read(dataset.mappings).itertuples(index=False):
        title = f"{sheet.file} / {sheet.sheet}：{sheet.kind_label}"
        known = sheet.kind in ("items", "steps")
        sheets.append(
            SheetView(
                file=sheet.file,
                sheet=sheet.sheet,
                kind=sheet.kind,
                title=title if known else f"{title}（没有找到“事项名称”或“环节名称”列，未读取）",
                header_row=int(sheet.header_row) if known else None,
                signature=sheet.signature,
                mapping=sheet_mapping(dataset.mappings, sheet.file, sheet.sheet, vocab) if known else None,
                options=[*field_choices(sheet.kind, vocab).values(), NOT_RECOGNISED] if known else [],
            )
        )
    counts = problem_counts(analysis.problems)
    return ImportView(
        files=file_lines(files, failures),
        sheets=sheets,
        decisions=decision_texts_table(dataset.decisions),
        problems_note=(
            f"错误 {counts['错误']} 条，警告 {counts['警告']} 条，提示 {counts['提示']} 条。"
            "有问题的单元格不影响同一行的其他内容；行号即 Excel 中看到的行号。"
        ),
        problems=problems_table(analysis.problems),
        preview_note=(
            f"共 {len(dataset.items)} 个事项、{len(dataset.steps)} 个办理环节；"
            f"下表显示前 {PREVIEW_ROWS} 个事项。"
        ),
        preview=items_table(dataset.items.head(PREVIEW_ROWS)),
    )


def corrections(sheet: SheetView, edited: pd.DataFrame, analysis: Analysis) -> dict[str, str] | None:
    """The corrections of a sheet's mapping the analyst made (None when nothing changed)."""
    if sheet.mapping is None or edited.equals(sheet.mapping):
        return None
    return mapping_corrections(edited, sheet.kind, analysis.settings.columns)


def edited_rules(edited: pd.DataFrame) -> tuple[pd.DataFrame, str | None]:
    """The decision table as the analyst edited it, and why it cannot be used (None when it can)."""
    rules = decision_rules_from_table(edited)
    bad = rule_problems(rules)
    if len(bad):
        return rules, "对照表中有无法使用的规则：" + "；".join(
            f"第{r.row}条 {r.message}" for r in bad.itertuples(index=False)
        )
    return rules, None
