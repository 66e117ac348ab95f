"""One process as a networkx graph: its layers, its schedule, its steps in order."""

from __future__ import annotations

import networkx as nx
import numpy as np
import pandas as pd

from approvals.processes.paths import _step_no_key, step_edges


def process_graph(steps: pd.DataFrame) -> nx.DiGraph:
    """One process's steps as a DAG for charts and redesign rules: nodes are step_id.

    Each node carries name, office, person, days, counted and step_no; an edge runs from a
    predecessor to the step that waits for it.

    Example
    -------
    >>> from approvals.model import STEP_COLUMNS, conform
    >>> steps = conform(pd.DataFrame({"step_id": [5, 6], "item_id": 1, "version": "after",
    ...     "step_no": ["1", "2"], "step_name": ["受理", "决定"], "days": [0.0, 3.0],
    ...     "predecessors": ["", "1"], "counted": True}), STEP_COLUMNS)
    >>> graph = process_graph(steps)
    >>> list(graph.edges), graph.nodes[6]["name"], graph.nodes[6]["days"]
    ([(5, 6)], '决定', 3.0)
    """
    graph = nx.DiGraph()
    attributes = pd.DataFrame(
        {
            "name": steps["step_name"].array,
            "office": steps["office"].array,
            "person": steps["person"].array,
            "days": steps["days"].array,
            "counted": steps["counted"].array,
            "step_no": steps["step_no"].array,
        }
    ).to_dict("records")
    graph.add_nodes_from(zip(steps["step_id"].tolist(), attributes, strict=True))
    edges = step_edges(steps)
    graph.add_edges_from(zip(edges["src"].astype(int), edges["dst"].astype(int), strict=True))
    return graph


def process_layers(graph: nx.DiGraph) -> dict[object, int]:
    """Each step's column in a left-to-right chart: 0 for start steps, then one per wait.

    Raises networkx.NetworkXUnfeasible when the process has a cycle.

    >>> process_layers(nx.DiGraph([(1, 2), (1, 3), (2, 4), (3, 4)]))
    {1: 0, 2: 1, 3: 1, 4: 2}
    """
    return {
        node: layer
        for layer, generation in enumerate(nx.topological_generations(graph))
        for node in generation
    }


SCHEDULE_COLUMNS: list[str] = [
    "step_id",
    "step_no",
    "step_name",
    "office",
    "start",  # earliest start, working days from the start of the process
    "finish",  # earliest finish: start + the step's days
    "critical",  # zero slack: delaying the step delays the whole process
    "counted",  # the step's time counts toward the statutory limit
]


def step_schedule(steps: pd.DataFrame) -> pd.DataFrame:
    """Earliest start and finish of every step of ONE process, for a Gantt chart.

    A step starts when all its predecessors have finished. Every step takes its days, counted or
    not (专家评审 and 公示 are time the applicant waits), so the latest finish is the process's
    whole duration; ``critical`` marks the steps with zero slack against it (the longest path by
    whole duration, every one of them where several paths tie). Rows come in step order.
    Raises networkx.NetworkXUnfeasible when the process has a cycle.

    Example
    -------
    受理 (1 day) → {审查 (5), 勘查 (3)} → 决定 (2): 勘查 may slip 2 days, the rest is critical.

    >>> from approvals.model import STEP_COLUMNS, conform
    >>> steps = conform(pd.DataFrame({"step_id": [1, 2, 3, 4], "item_id": 1,
    ...     "version": "before", "step_no": ["1", "2", "3", "4"],
    ...     "step_name": ["受理", "审查", "勘查", "决定"], "days": [1.0, 5, 3, 2],
    ...     "predecessors": ["", "1", "1", "2,3"], "counted": True}), STEP_COLUMNS)
    >>> schedule = step_schedule(steps)
    >>> schedule[["step_name", "start", "finish", "critical"]].to_numpy().tolist()
    [['受理', 0.0, 1.0, True], ['审查', 1.0, 6.0, True], ['勘查', 1.0, 4.0, False], ['决定', 6.0, 8.0, True]]
    """
    if steps.empty:
        dtypes = {"step_id": "int64", "start": "float64", "finish": "float64"}
        dtypes |= {"critical": "bool", "counted": "bool"}
        return pd.DataFrame({c: pd.Series(dtype=dtypes.get(c, "str")) for c in SCHEDULE_COLUMNS})
    graph = process_graph(steps)
    days = dict(graph.nodes(data="days"))
    order = list(nx.topological_sort(graph))
    start: dict[int, float] = {}
    finish: dict[int, float] = {}
    for node in order:
        start[node] = max((finish[p] for p in graph.predecessors(node)), default=0.0)
        finish[node] = start[node] + days[node]
    end = max(finish.values())
    latest_finish: dict[int, float] = {}
    for node in reversed(order):
        latest_finish[node] = min((latest_finish[s] - days[s] for s in graph.successors(node)), default=end)
    # Days are sums of a few decimals (0.5 days and the like): compare with a tolerance.
    slack = {node: latest_finish[node] - finish[node] for node in order}

    rows = steps.iloc[step_order(steps)]
    row_ids = rows["step_id"].tolist()
    return pd.DataFrame(
        {
            "step_id": pd.array(row_ids, dtype="int64"),
            "step_no": rows["step_no"].array,
            "step_name": rows["step_name"].array,
            "office": rows["office"].array,
            "start": pd.array([start[i] for i in row_ids], dtype="float64"),
            "finish": pd.array([finish[i] for i in row_ids], dtype="float64"),
            "critical": pd.array([abs(slack[i]) < 1e-9 for i in row_ids], dtype="bool"),
            "counted": rows["counted"].array,
        }
    )


def step_order(steps: pd.DataFrame) -> np.ndarray:
    """Row positions of ``steps`` in step order: natural order of step_no, then step_id.

    The order a chart lists steps in, the same tie-break the critical paths use.

    >>> steps = pd.DataFrame({"step_id": [7, 8, 9], "step_no": ["10", "2", "2"]})
    >>> step_order(steps).tolist()
    [1, 2, 0]
    """
    keys = [
        (_step_no_key(no), step_id) for no, step_id in zip(steps["step_no"], steps["step_id"], strict=True)
    ]
    return np.array(sorted(range(len(steps)), key=keys.__getitem__), dtype=np.int64)
