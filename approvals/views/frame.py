"""What the frame of every screen shows beside the page: the data set in use and how it reads."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from approvals.analysis import Analysis
from approvals.errors import ReadError
from approvals.views.format import percent
from approvals.views.tables import problem_counts
from approvals.workspace import SAMPLE_LABEL, Workspace


@dataclass(frozen=True)
class DatasetStatus:
    """The sidebar's account of the data set: its name, its size, each list's two rates, the
    errors and unreadable files (None when there are neither), and whether it is the sample."""

    label: str
    size: str
    lists: tuple[str, ...]
    errors: str | None
    sample: bool


def dataset_status(workspace: Workspace, analysis: Analysis, failures: Sequence[ReadError]) -> DatasetStatus:
    items = analysis.dataset.items
    counts = problem_counts(analysis.problems)
    errors = None
    if counts["错误"] or failures:
        errors = f"问题：错误 {counts['错误']} 条，无法读取的文件 {len(failures)} 个"
    return DatasetStatus(
        label=workspace.label,
        size=f"{len(workspace.files)} 个文件 · {len(items)} 个事项 · {items['department'].nunique()} 个部门",
        lists=tuple(
            f"{row.group}：精简率 {percent(row.streamlining_rate)} · 缩短率 {percent(row.shortening_rate)}"
            for row in analysis.lists.itertuples(index=False)
        ),
        errors=errors,
        sample=workspace.label == SAMPLE_LABEL,
    )


def empty_note(items: int, files: int, unreadable: int) -> str | None:
    """What a screen that needs items says when the data set has none (None when it has some):
    no file yet, every file unreadable, or files with a header and no rows.

    >>> empty_note(3, 1, 0) is None
    True
    >>> empty_note(0, 1, 1).split("。")[0]
    '还没有可分析的事项：已上传的 1 个文件都无法读取（原因见上方）'
    """
    if items:
        return None
    if not files:
        why = "当前清理批次还没有文件"
    elif unreadable >= files:
        why = f"已上传的 {files} 个文件都无法读取（原因见上方）"
    else:
        why = "已上传的文件中没有事项行（只有表头、空表，或未找到事项名称列）"
    return f"还没有可分析的事项：{why}。请在“导入”页上传各部门报送的清单，或打开示例数据。"
