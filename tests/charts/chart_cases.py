"""Small processes and item lists the chart tests draw, and how they read a figure back.

Tables are built canonical (and checked so by approvals.model), as the dataset hands them to
the charts.
"""

from __future__ import annotations

import html
import re
from functools import cache

import numpy as np
import pandas as pd
import plotly.graph_objects as go
from sample import sample_analysis

from approvals.charts.style import FONT_FAMILY
from approvals.model import (
    ITEM_COLUMNS,
    STEP_COLUMNS,
    Counts,
    Decision,
    conform,
    validate_items,
    validate_steps,
)
from approvals.processes.graph import step_schedule

CJK = re.compile(r"[\u4e00-\u9fff]")
HALF_COLUMN = 520  # the process page draws 再造前 and 再造后 side by side


def step(no: str, name: str, days: float, after: str = "", *, counted: bool = True, office: str = "审批科"):
    """One step: its number, name, working days, the step numbers it waits for."""
    return {
        "step_no": no,
        "step_name": name,
        "days": float(days),
        "predecessors": after,
        "counted": counted,
        "office": office,
    }


def process(*steps: dict, item_id: int = 1, version: str = "before", first_id: int = 1) -> pd.DataFrame:
    """The canonical steps of one process, step_id numbered from ``first_id`` in writing order."""
    frame = pd.DataFrame(list(steps))
    frame["step_id"] = np.arange(first_id, first_id + len(frame))
    frame["item_id"] = item_id
    frame["version"] = version
    frame["item_name"] = "建设工程规划许可"
    frame["department"] = "市自然资源和规划局"
    frame["person"] = "科长"
    frame["materials"] = "申请表、规划图纸"
    frame["limit_status"] = "value"
    return validate_steps(conform(frame, STEP_COLUMNS))


DIAMOND = (
    step("1", "受理", 1),
    step("2", "审查", 5, "1"),
    step("3", "勘查", 3, "1"),
    step("4", "决定", 2, "2,3"),
)
EXPERT = (
    step("1", "受理", 1),
    step("2", "专家评审", 10, "1", counted=False, office="专家组"),
    step("3", "决定", 2, "2"),
)
CYCLE = (step("1", "受理", 1, "3"), step("2", "审查", 5, "1"), step("3", "补正", 2, "2"))


def items_table(rows: list[dict]) -> pd.DataFrame:
    """Canonical items from rows of :func:`item`, one id and key each."""
    frame = pd.DataFrame(rows)
    frame["item_id"] = np.arange(len(frame))
    frame["item_key"] = pd.Series([f"事项{i}" for i in range(len(frame))], dtype="str")
    return validate_items(conform(frame, ITEM_COLUMNS))


def item(category: str, decision: str, *, has_decision: bool = True, before=20.0, after=10.0) -> dict:
    """An item of a list, decided (or, in a current catalog, not), with its limits before and after."""
    if decision == Decision.RETAINED or not has_decision:
        counts_as = Counts.RETAINED
    elif decision in (Decision.CANCELLED, Decision.DELEGATED, Decision.MERGED, Decision.CHANGED):
        counts_as = Counts.STREAMLINED
    else:
        counts_as = Counts.UNDECIDED
    return {
        "category": category,
        "decision": decision,
        "has_decision": has_decision,
        "counts_as": str(counts_as),
        "before_days": float(before),
        "after_days": float(after) if counts_as == Counts.RETAINED else float("nan"),
    }


@cache
def first_retained() -> tuple[pd.DataFrame, pd.DataFrame, pd.Series]:
    """The sample's first retained item: its before and after steps and its before processes row."""
    sample = sample_analysis()
    items = sample.dataset.items
    item_id = int(items.loc[items["counts_as"] == "retained", "item_id"].iloc[0])
    steps = sample.dataset.steps
    mine = steps[steps["item_id"] == item_id]
    processes = sample.processes
    row = processes[(processes["item_id"] == item_id) & (processes["version"] == "before")].iloc[0]
    return mine[mine["version"] == "before"], mine[mine["version"] == "after"], row


def first_retained_schedules() -> tuple[pd.DataFrame, pd.DataFrame]:
    before, after, _ = first_retained()
    return step_schedule(before), step_schedule(after)


def has_cjk(text: str | None) -> bool:
    return bool(text) and bool(CJK.search(text))


def bars(figure: go.Figure) -> list[go.Bar]:
    return [t for t in figure.data if t.type == "bar"]


def text_px(line: str, font: float) -> float:
    """A label line's width as a browser draws it, near enough: full-width characters one em."""
    plain = html.unescape(re.sub(r"<[^>]+>", "", line))
    return sum(font if CJK.match(c) or c in "（）、…" else 0.62 * font for c in plain)


def assert_chinese(figure: go.Figure) -> None:
    """Title, visible axis titles, legend entries, hovers and notes are Chinese, in a CJK font."""
    layout = figure.layout
    assert has_cjk(layout.title.text)
    assert layout.font.family == FONT_FAMILY and "Noto Sans CJK SC" in FONT_FAMILY
    for axis in (layout.xaxis, layout.yaxis):
        if axis.visible is not False and axis.title.text:
            assert has_cjk(axis.title.text)
    for trace in figure.data:
        if getattr(trace, "showlegend", None) is not False and trace.name:
            assert has_cjk(trace.name), trace.name
        for text in getattr(trace, "hovertext", None) or ():
            assert has_cjk(text)
    for note in layout.annotations:
        if note.text:
            assert has_cjk(note.text)
