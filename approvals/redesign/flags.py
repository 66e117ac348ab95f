"""流程再造: rules that flag redundant steps, the days each change saves, and the process after.

Every rule is a small function over the whole step table (vectorised; a province has millions of
steps) that returns candidate flags. A flag that proposes a change to the graph (remove steps, run
a chain in parallel, make the item 即办) is measured by applying just that change to its process
and recomputing the critical path in bulk — never estimated (a one-step removal on the process
itself, the other changes on copies of it). Applying the accepted flags
of a process the same way gives the proposed "after" process.

Removing a step is measured as making it take no time: on a longest path, a 0-day step that waits
for its predecessors and is waited for by its successors is the same as joining them directly
(:func:`proposed_steps` does the real removal for charts; a test checks both agree).
"""

from __future__ import annotations

import pandas as pd

from approvals.redesign.changes import measure
from approvals.redesign.context import context, empty_flags
from approvals.redesign.rules import RULES
from approvals.settings import Settings


def redesign_flags(
    steps: pd.DataFrame,
    items: pd.DataFrame,
    processes: pd.DataFrame,
    settings: Settings,
    edges: pd.DataFrame | None = None,
) -> pd.DataFrame:
    """Every rule's flags, measured, in rule order then item order.

    ``processes`` are the critical paths of ``steps`` (approvals.processes.paths.critical_paths);
    ``edges`` their step_edges, where the caller has them.
    """
    ctx = context(steps, items, processes, settings, edges)
    found = [f for f in (rule.flags(ctx) for rule in RULES) if len(f)]
    del ctx  # the annotated steps are not needed to measure: a province's is hundreds of MB
    flags = pd.concat(found, ignore_index=True) if found else empty_flags()
    del found
    return measure(steps, flags, processes)
