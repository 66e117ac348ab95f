"""The 导入 screen: the files and how each sheet was read, the column mapping to correct, the
decision mapping and its rule table, the problems, a preview of the items."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import pandas as pd

from approvals.analysis import Analysis
from approvals.errors import ReadError
from approvals.read.files import text_encoding
from approvals.views.tables import (
    decision_texts_table,
    items_table,
    mapping_choices,
    mapping_corrections,
    problem_counts,
    problems_table,
    sheet_mapping,
    sheets_read,
)
from approvals.workspace import Upload

PREVIEW_ROWS = 200


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
    files: list[str]  # one line per file: name, size, read or not, what it holds, its encoding
    mixed: str | None  # a warning when clean-up lists and current catalogues are loaded together
    sheets: list[SheetView]
    decisions: pd.DataFrame
    problems_note: str
    problems: pd.DataFrame
    preview_note: str
    preview: pd.DataFrame


def file_lines(
    files: Sequence[Upload], failures: Sequence[ReadError], items: pd.DataFrame | None = None
) -> list[str]:
    """Each file with its size, whether it could be read, what its items are (a clean-up list, a
    current catalogue without a decision column, or steps only) and, for a CSV, its encoding.

    >>> file_lines([Upload.of("甲.xlsx", b"PK\\x03\\x04" + b"x" * 2044)], [])
    ['甲.xlsx（2 KB）：已读取']
    >>> items = pd.DataFrame({"file": ["甲.csv"] * 3, "has_decision": [False] * 3})
    >>> file_lines([Upload.of("甲.csv", "事项名称".encode("gbk"))], [], items)
    ['甲.csv（0 KB）：已读取，现行目录 3 项（没有处理意见列），GB18030（GBK） 编码']
    """
    failed = {f.file for f in failures}
    lines = []
    for upload in files:
        line = f"{upload.name}（{len(upload.data) / 1024:.0f} KB）："
        if upload.name in failed:
            lines.append(line + "无法读取")
            continue
        parts = ["已读取"]
        if items is not None and len(items):
            parts += _file_kinds(items[items["file"] == upload.name])
        encoding = text_encoding(upload.name, upload.data)
        if encoding:
            parts.append(f"{encoding} 编码")
        lines.append(line + "，".join(parts))
    return lines


def _file_kinds(items: pd.DataFrame) -> list[str]:
    decided = int(items["has_decision"].sum())
    current = len(items) - decided
    kinds = [f"清理清单 {decided} 项"] if decided else []
    if current:
        kinds.append(f"现行目录 {current} 项（没有处理意见列）")
    return kinds or ["没有事项（仅办理环节）"]


def mixed_lists_note(items: pd.DataFrame) -> str | None:
    """A warning when clean-up lists and current catalogues are loaded together, else None.

    >>> items = pd.DataFrame({"file": ["甲.xlsx", "乙.xlsx"], "has_decision": [True, False]})
    >>> note = mixed_lists_note(items)
    >>> note.split("：")[0], "1 个事项没有处理意见，不计入精简率" in note
    ('同时导入了清理清单（甲.xlsx）和现行目录（乙.xlsx）', True)
    """
    if items.empty:
        return None
    decided = items["has_decision"].astype(bool)
    if decided.all() or not decided.any():
        return None
    clean_up = "、".join(dict.fromkeys(items.loc[decided, "file"]))
    current = "、".join(dict.fromkeys(items.loc[~decided, "file"]))
    return (
        f"同时导入了清理清单（{clean_up}）和现行目录（{current}）：现行目录的 {int((~decided).sum())} "
        "个事项没有处理意见，不计入精简率；其缩短率按承诺时限与法定时限比较。"
        "如需分别统计，请分开导入。"
    )


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
                options=mapping_choices(sheet.kind, vocab) if known else [],
            )
        )
    counts = problem_counts(analysis.problems)
    return ImportView(
        files=file_lines(files, failures, dataset.items),
        mixed=mixed_lists_note(dataset.items),
        sheets=sheets,
        decisions=decision_texts_table(dataset.decisions, dataset.settings.decisions.table),
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
