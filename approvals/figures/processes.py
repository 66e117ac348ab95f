"""Figures of processes: how much a critical path shortens, the mean critical path of a version.

The critical paths themselves come from approvals.processes.paths; these are the few figures the
screens, the report and the command line show of them.
"""

from __future__ import annotations

import math
from typing import Any

import pandas as pd


def path_shortening_rate(before: Any, after: Any) -> float | None:
    """(before − after) / before of two critical paths in working days; None where either is
    missing or the path before takes no time.

    >>> path_shortening_rate(20.0, 12.0), path_shortening_rate(0.0, 0.0), path_shortening_rate(5, None)
    (0.4, None, None)
    """
    if before is None or after is None:
        return None
    before, after = float(before), float(after)
    if math.isnan(before) or math.isnan(after) or before <= 0:
        return None
    return (before - after) / before


def mean_critical_path(processes: pd.DataFrame, version: str) -> tuple[int, int, float | None]:
    """(processes of ``version``, how many of them have a cycle, the mean critical path in working
    days of the others; None when none is left).

    >>> processes = pd.DataFrame({"version": ["before", "before", "after"],
    ...     "critical_path_days": [10.0, float("nan"), 4.0], "has_cycle": [False, True, False]})
    >>> mean_critical_path(processes, "before"), mean_critical_path(processes, "after")
    ((2, 1, 10.0), (1, 0, 4.0))
    """
    part = processes[processes["version"].eq(version)]
    cyclic = int(part["has_cycle"].sum())
    usable = part.loc[~part["has_cycle"].astype(bool), "critical_path_days"]
    mean = float(usable.mean()) if len(usable) else None
    return len(part), cyclic, mean
