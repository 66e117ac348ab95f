"""Problems are data: one row per thing the analyst should know about, from import to export."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

import pandas as pd

from approvals.model import PROBLEM_COLUMNS, Severity, conform, empty_frame


def problem(
    message: str,
    *,
    file: str = "",
    sheet: str = "",
    row: int | None = None,
    column: str = "",
    value: Any = "",
    severity: Severity = Severity.ERROR,
    code: str = "",
) -> dict[str, Any]:
    """One problem row; ``row`` is the number the analyst sees in Excel (1-based).

    >>> problem("无法识别的办结时限", file="a.xlsx", row=4, value="二十几天")["row"]
    4
    """
    return {
        "file": file,
        "sheet": sheet,
        "row": row,
        "column": column,
        "value": "" if value is None else str(value),
        "message": message,
        "severity": str(severity),
        "code": code,
    }


def problems_frame(rows: Iterable[Mapping[str, Any]] | pd.DataFrame) -> pd.DataFrame:
    """The problems table from rows (or frames) of :func:`problem`."""
    if isinstance(rows, pd.DataFrame):
        frame = rows
    else:
        rows = list(rows)
        if not rows:
            return empty_frame(PROBLEM_COLUMNS)
        frame = pd.DataFrame(rows)
    frame = conform(frame, PROBLEM_COLUMNS)[PROBLEM_COLUMNS]
    frame["row"] = pd.array(frame["row"], dtype="Int64")
    for c in PROBLEM_COLUMNS:
        if c != "row":
            frame[c] = frame[c].fillna("").astype("str")
    return frame.reset_index(drop=True)


def concat_problems(*frames: pd.DataFrame) -> pd.DataFrame:
    """Several problems tables as one, in the order given."""
    parts = [f for f in frames if len(f)]
    if not parts:
        return empty_frame(PROBLEM_COLUMNS)
    return problems_frame(pd.concat(parts, ignore_index=True))
