"""Critical paths of every process at once, and one process as a networkx graph.

A process is the steps of one item in one version (再造前 / 再造后); a step waits for the steps
named in its ``predecessors``, and steps with no path between them run in parallel. Two
durations are kept apart because the law keeps them apart (行政许可法 art. 45): the critical
path over the steps the statutory limit counts, and the whole duration the applicant waits.

The catalog-wide figures run over arrays for all processes together (a province holds 1.6
million items), level by level through the steps, so the number of rounds follows the longest
chain of steps and not the number of processes. networkx builds one process's graph when a
chart or a redesign rule needs its structure.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import numpy as np
import pandas as pd

from approvals.model import PROBLEM_COLUMNS, VERSION_LABELS, Severity, Version, empty_frame
from approvals.problems import problems_frame
from approvals.text import fold

PROCESS_COLUMNS: list[str] = [
    "item_id",
    "version",
    "item_name",
    "department",
    "step_count",
    "critical_path_days",  # longest path over counted steps: the time the limit covers
    "critical_path",  # tuple of step names along that path, in order
    "critical_step_ids",  # tuple of step_id along that path
    "whole_duration_days",  # longest path over every step: what the applicant waits
    "outside_limit_days",  # whole_duration_days - critical_path_days
    "total_effort_days",  # sum of all step days
    "has_cycle",
]


CYCLE_CODE = "process_cycle"


_PREDECESSOR_HEADER = "前置环节"


_VERSION_ORDER = {Version.BEFORE: 0, Version.AFTER: 1}


_PREDECESSOR_SPLIT = re.compile(r"[,，]")


_DIGITS = re.compile(r"(\d+)")


@dataclass(frozen=True)
class _Index:
    """The steps as numbered nodes: node ``i`` is row ``order[i]`` of the steps table.

    Nodes are sorted by process, then by step number, then by step_id, so a lower node number
    is the deterministic choice on ties and every process is a contiguous run of nodes.
    """

    order: np.ndarray  # row positions in the steps table
    proc: np.ndarray  # process number of each node, non-decreasing
    starts: np.ndarray  # first node of each process
    src: np.ndarray  # edges as node numbers, sorted by dst
    dst: np.ndarray


def _step_no_key(text: str) -> list[int | str]:
    """Natural order for step numbers, so "2" comes before "10" and "1" before "1.1".

    >>> sorted(["10", "2", "1.1", "1", "甲"], key=_step_no_key)
    ['1', '1.1', '2', '10', '甲']
    """
    parts = _DIGITS.split(fold(text))
    return [int(p) if i % 2 else p for i, p in enumerate(parts)]


def _codes_and_labels(values: pd.Series) -> tuple[np.ndarray, list[str]]:
    """Codes of the stripped text of each cell; each distinct value is stripped only once."""
    codes, uniques = pd.factorize(values)
    labels = [str(u).strip() for u in uniques]
    merged, distinct = pd.factorize(pd.Index(labels, dtype="str"))
    return merged[codes], list(distinct)


def _ranks(keys: list) -> np.ndarray:
    """The position each key takes in sorted order (few distinct values, sorted in Python)."""
    rank = np.empty(len(keys), dtype=np.int64)
    rank[sorted(range(len(keys)), key=keys.__getitem__)] = np.arange(len(keys))
    return rank


def _index(steps: pd.DataFrame) -> _Index:
    """Number the steps as nodes and resolve every predecessor to an edge, over all processes."""
    n = len(steps)
    item_codes, _ = pd.factorize(steps["item_id"], sort=True, use_na_sentinel=False)
    version_codes, versions = pd.factorize(steps["version"])
    version_rank = _ranks([(_VERSION_ORDER.get(v, len(_VERSION_ORDER)), v) for v in versions])
    proc_key = item_codes.astype(np.int64) * max(len(versions), 1) + version_rank[version_codes]
    proc_of_row, _ = pd.factorize(proc_key, sort=True)

    no_codes, step_nos = _codes_and_labels(steps["step_no"])
    no_rank = _ranks([_step_no_key(s) for s in step_nos])
    width = max(len(step_nos), 1)
    node_key = proc_of_row.astype(np.int64) * width + no_rank[no_codes]

    step_ids = steps["step_id"].to_numpy(dtype=np.int64)
    order = np.arange(n)
    if np.any(step_ids[1:] <= step_ids[:-1]):
        order = np.argsort(step_ids, kind="stable")
    if np.any(node_key[order][1:] < node_key[order][:-1]):  # readers usually emit steps in order
        order = order[np.argsort(node_key[order], kind="stable")]
    proc = proc_of_row[order]
    sorted_keys = node_key[order]
    starts = _first_per_group(proc)

    # Explode each distinct predecessor text once, then repeat its parts for every step using it.
    no_code_of = {s: i for i, s in enumerate(step_nos)}
    pred_codes, pred_texts = pd.factorize(steps["predecessors"])
    owners: list[int] = []
    parts: list[int] = []
    for j, text in enumerate(pred_texts):
        wanted = dict.fromkeys(p.strip() for p in _PREDECESSOR_SPLIT.split(str(text)))
        for p in wanted:
            if p in no_code_of:
                owners.append(j)
                parts.append(no_code_of[p])
    part_counts = np.bincount(np.asarray(owners, dtype=np.int64), minlength=len(pred_texts))
    part_offsets = np.r_[0, np.cumsum(part_counts)]
    part_codes = np.asarray(parts, dtype=np.int64)

    node_pred = pred_codes[order]
    counts = part_counts[node_pred]
    dst = np.repeat(np.arange(n), counts)
    within = np.arange(len(dst)) - np.repeat(np.cumsum(counts) - counts, counts)
    part = part_codes[np.repeat(part_offsets[node_pred], counts) + within]
    wanted_keys = proc[dst].astype(np.int64) * width + no_rank[part]
    src = np.searchsorted(sorted_keys, wanted_keys)
    found = src < n
    found[found] = sorted_keys[src[found]] == wanted_keys[found]
    return _Index(order=order, proc=proc, starts=starts, src=src[found], dst=dst[found])


def step_edges(steps: pd.DataFrame, idx: _Index | None = None) -> pd.DataFrame:
    """Every "waits for" link of the steps table as ``src`` → ``dst`` step_id pairs.

    A predecessor is looked up among the steps of the same process (item_id, version); a step
    number that names no step there is left out (the reader reports it).

    Example
    -------
    >>> from approvals.model import STEP_COLUMNS, conform
    >>> steps = conform(pd.DataFrame({"step_id": [1, 2, 3], "item_id": [7, 7, 7],
    ...     "version": "before", "step_no": ["1", "2", "3"], "predecessors": ["", "1", "1,2,9"]}),
    ...     STEP_COLUMNS)
    >>> step_edges(steps).to_numpy().tolist()
    [[1, 2], [1, 3], [2, 3]]
    """
    if steps.empty:
        return pd.DataFrame({"src": pd.Series(dtype="Int64"), "dst": pd.Series(dtype="Int64")})
    idx = _index(steps) if idx is None else idx
    step_ids = steps["step_id"].to_numpy(dtype=np.int64)[idx.order]
    return pd.DataFrame(
        {
            "src": pd.array(step_ids[idx.src], dtype="Int64"),
            "dst": pd.array(step_ids[idx.dst], dtype="Int64"),
        }
    )


def _longest_finish(
    idx: _Index, weights: tuple[np.ndarray, ...]
) -> tuple[list[np.ndarray], list[np.ndarray], np.ndarray]:
    """Earliest finish of every node under each weight, by Kahn's algorithm level by level.

    Returns the finish times (NaN where a node never became free: on or after a cycle), the
    latest finish among each node's predecessors, and which nodes were reached.
    """
    n = len(idx.order)
    by_src = np.argsort(idx.src, kind="stable")
    src, dst = idx.src[by_src], idx.dst[by_src]
    out_degree = np.bincount(src, minlength=n)
    first_out = np.r_[0, np.cumsum(out_degree)]
    waiting = np.bincount(dst, minlength=n)
    ready = [np.zeros(n) for _ in weights]
    finish = [np.full(n, np.nan) for _ in weights]
    reached = np.zeros(n, dtype=bool)

    frontier = np.flatnonzero(waiting == 0)
    while frontier.size:
        reached[frontier] = True
        for f, r, w in zip(finish, ready, weights, strict=True):
            f[frontier] = r[frontier] + w[frontier]
        counts = out_degree[frontier]
        total = int(counts.sum())
        if not total:
            break
        edge = np.repeat(first_out[frontier] - (np.cumsum(counts) - counts), counts)
        edge += np.arange(total)
        heads = dst[edge]
        for f, r in zip(finish, ready, strict=True):
            np.maximum.at(r, heads, f[src[edge]])
        heads, arrived = np.unique(heads, return_counts=True)
        waiting[heads] -= arrived
        frontier = heads[waiting[heads] == 0]
    return finish, ready, reached


def _first_per_group(groups: np.ndarray) -> np.ndarray:
    """Positions where a sorted group array starts a new group."""
    return np.flatnonzero(np.r_[True, groups[1:] != groups[:-1]]) if len(groups) else groups


def _walk_back(
    starts: np.ndarray, pointer: np.ndarray, stop: np.ndarray
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Follow ``pointer`` from each start until it reaches ``stop`` (per start) or leaves nodes.

    All walks advance side by side, one round per move. Returns, for every visited node, the
    index of the start it belongs to, the move it was reached on (0 for the start), and the node.
    """
    owner = np.arange(len(starts))
    node = starts
    owners, nodes = [], []
    while node.size:
        owners.append(owner)
        nodes.append(node)
        node = pointer[node]
        keep = (node < len(pointer)) & (node != stop[owner])
        node, owner = node[keep], owner[keep]
    if not owners:
        nothing = np.array([], dtype=np.int64)
        return nothing, nothing, nothing
    moves = np.repeat(np.arange(len(owners)), [len(o) for o in owners])
    return np.concatenate(owners), moves, np.concatenate(nodes)


def _tuples(values: np.ndarray, lengths: np.ndarray, labels: np.ndarray | None = None) -> np.ndarray:
    """Consecutive runs of ``values`` of the given lengths as an object array of tuples.

    With ``labels``, values are codes into it: the few distinct runs (受理 → 审查 → 决定 recurs
    across thousands of items) are built once and shared.
    """
    out = np.empty(len(lengths), dtype=object)
    out.fill(())
    offsets = np.cumsum(lengths) - lengths
    for length in np.unique(lengths[lengths > 0]):
        rows = np.flatnonzero(lengths == length)
        block = values[offsets[rows][:, None] + np.arange(length)]
        if labels is not None:
            run = np.zeros(len(rows), dtype=np.int64)
            for column in block.T:
                run, _ = pd.factorize(run * len(labels) + column)
            first = np.unique(run, return_index=True)[1]
            distinct = zip(*labels[block[first]].T.tolist(), strict=True)
            out[rows] = np.fromiter(distinct, object, len(first))[run]
        else:
            out[rows] = np.fromiter(zip(*block.T.tolist(), strict=True), object, len(rows))
    return out


def critical_paths(steps: pd.DataFrame, idx: _Index | None = None) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Duration figures of every process (item and version), and a problem for each cycle.

    ``critical_path_days`` is the longest path where only counted steps carry their days (the
    time the statutory limit covers); ``whole_duration_days`` the longest path over all days
    (what the applicant waits). Ties go to the lowest step number. A process with a cycle has
    ``has_cycle`` set, no path figures, and one problem naming the steps on the cycle.

    Example
    -------
    受理 (1 day) → {审查 (5), 专家评审 (10, not counted)} → 决定 (2):

    >>> from approvals.model import STEP_COLUMNS, conform
    >>> steps = conform(pd.DataFrame({"step_id": [1, 2, 3, 4], "item_id": 1,
    ...     "version": "before", "step_no": ["1", "2", "3", "4"],
    ...     "step_name": ["受理", "审查", "专家评审", "决定"], "days": [1.0, 5, 10, 2],
    ...     "predecessors": ["", "1", "1", "2,3"], "counted": [True, True, False, True]}),
    ...     STEP_COLUMNS)
    >>> processes, problems = critical_paths(steps)
    >>> row = processes.iloc[0]
    >>> row.critical_path_days, row.critical_path, row.whole_duration_days, row.total_effort_days
    (np.float64(8.0), ('受理', '审查', '决定'), np.float64(13.0), np.float64(18.0))
    """
    if steps.empty:
        return _empty_processes(), empty_frame(PROBLEM_COLUMNS)
    idx = _index(steps) if idx is None else idx
    n = len(idx.order)
    days = steps["days"].to_numpy()[idx.order]
    counted = steps["counted"].to_numpy()[idx.order]
    (timed, whole), (timed_ready, _), reached = _longest_finish(idx, (days * counted, days))

    starts = idx.starts
    critical = np.maximum.reduceat(timed, starts)  # NaN wherever a node was never reached
    duration = np.maximum.reduceat(whole, starts)
    cyclic = np.isnan(critical)

    # The path ends at the last-finishing step, a final step where there is a choice, and runs
    # back through the predecessor that finished last (ties: the lowest step number).
    out_degree = np.bincount(idx.src, minlength=n)
    ends = np.flatnonzero(timed == critical[idx.proc])
    ends = ends[np.argsort(idx.proc[ends] * 2 + (out_degree[ends] > 0), kind="stable")]
    ends = ends[_first_per_group(idx.proc[ends])]
    tight = reached[idx.dst] & (timed[idx.src] == timed_ready[idx.dst])
    back = np.full(n, n)
    np.minimum.at(back, idx.dst[tight], idx.src[tight])
    owner, move, visited = _walk_back(ends, back, np.full(len(ends), -1))
    walked = np.bincount(owner, minlength=len(ends))
    path = np.empty_like(visited)
    path[(np.cumsum(walked) - 1)[owner] - move] = visited  # the walk went backwards
    lengths = np.zeros(len(starts), dtype=np.int64)
    lengths[idx.proc[ends]] = walked

    name_codes, name_labels = pd.factorize(steps["step_name"])
    name_codes, name_labels = name_codes[idx.order], np.asarray(name_labels, dtype=object)
    step_ids = steps["step_id"].to_numpy(dtype=np.int64)[idx.order]
    first_rows = idx.order[starts]
    processes = pd.DataFrame(
        {
            "item_id": steps["item_id"].iloc[first_rows].array,
            "version": steps["version"].iloc[first_rows].array,
            "item_name": steps["item_name"].iloc[first_rows].array,
            "department": steps["department"].iloc[first_rows].array,
            "step_count": np.diff(np.r_[starts, n]),
            "critical_path_days": critical,
            "critical_path": _tuples(name_codes[path], lengths, name_labels),
            "critical_step_ids": _tuples(step_ids[path], lengths),
            "whole_duration_days": duration,
            "outside_limit_days": duration - critical,
            "total_effort_days": np.add.reduceat(days, starts),
            "has_cycle": cyclic,
        }
    )
    return processes, _cycle_problems(steps, idx, reached, name_codes, name_labels)


def _cycle_problems(
    steps: pd.DataFrame, idx: _Index, reached: np.ndarray, name_codes: np.ndarray, name_labels: np.ndarray
) -> pd.DataFrame:
    """One problem per process with a cycle, naming the steps around one cycle in order.

    Every step never reached waits for another step never reached; following such a
    predecessor from any of them must come round to a cycle within as many moves as the
    process has such steps.
    """
    stuck = ~reached
    if not stuck.any():
        return empty_frame(PROBLEM_COLUMNS)
    n = len(idx.order)
    inner = stuck[idx.src] & stuck[idx.dst]
    waits_for = np.full(n, n)
    np.minimum.at(waits_for, idx.dst[inner], idx.src[inner])
    stuck_nodes = np.flatnonzero(stuck)
    firsts = _first_per_group(idx.proc[stuck_nodes])
    node = stuck_nodes[firsts]
    for _ in range(int(np.diff(np.r_[firsts, len(stuck_nodes)]).max())):
        node = waits_for[node]
    owner, move, around = _walk_back(node, waits_for, node)

    # The walk went against the arrows; read it forwards, starting at the lowest step number.
    sizes = np.bincount(owner)
    forward = (-move) % sizes[owner]
    lowest = np.full(len(sizes), n)
    np.minimum.at(lowest, owner, around)
    head = around == lowest[owner]
    shift = np.empty(len(sizes), dtype=np.int64)
    shift[owner[head]] = forward[head]
    forward = (forward - shift[owner]) % sizes[owner]
    cycle = pd.DataFrame(
        {"owner": owner, "at": forward, "name": name_labels[name_codes[around]], "node": around}
    )
    cycle = cycle.sort_values(["owner", "at"])
    text = cycle.groupby("owner")["name"].agg(" → ".join)
    heads = cycle[cycle["at"] == 0].set_index("owner")
    rows = steps.iloc[idx.order[heads["node"].to_numpy()]]
    labels = rows["version"].map(lambda v: VERSION_LABELS.get(v, v))
    messages = [
        f"事项“{item}”（{label}）的办理流程存在循环：{path} → {first}，无法计算关键路径，请检查前置环节"
        for item, label, path, first in zip(rows["item_name"], labels, text, heads["name"], strict=True)
    ]
    return problems_frame(
        pd.DataFrame(
            {
                "file": rows["file"].array,
                "sheet": rows["sheet"].array,
                "row": rows["row"].array,
                "column": _PREDECESSOR_HEADER,
                "value": rows["predecessors"].array,
                "message": messages,
                "severity": str(Severity.ERROR),
                "code": CYCLE_CODE,
            }
        )
    )


def _empty_processes() -> pd.DataFrame:
    dtypes = {"item_id": "Int64", "step_count": "int64", "has_cycle": "bool"}
    dtypes |= dict.fromkeys(("version", "item_name", "department"), "str")
    dtypes |= dict.fromkeys(("critical_path", "critical_step_ids"), "object")
    return pd.DataFrame({c: pd.Series(dtype=dtypes.get(c, "float64")) for c in PROCESS_COLUMNS})


def paths_and_edges(steps: pd.DataFrame) -> tuple[tuple[pd.DataFrame, pd.DataFrame], pd.DataFrame]:
    """:func:`critical_paths` and :func:`step_edges` of the same steps, from one numbering of them
    (what an analysis needs: the 流程再造 rules read the edges)."""
    if steps.empty:
        return critical_paths(steps), step_edges(steps)
    idx = _index(steps)
    return critical_paths(steps, idx), step_edges(steps, idx)


def zeroed_critical_paths(steps: pd.DataFrame, step_ids: np.ndarray) -> np.ndarray:
    """For each of ``step_ids``, the timed critical path of its process with that one step taking
    0 days (NaN for a process with a cycle), without copying the process once per step.

    A path that avoids step s either lies wholly before s in a topological order, wholly after
    it, or jumps over it along one edge (u, v); so the longest such path comes from the earliest
    finish EF and the longest tail LT of every node: max(EF before s, LT after s, EF(u) + LT(v)
    over the edges that jump over s), and the longest path through s without its days is
    EF(s) + LT(s) - 2 w(s). Linear in steps and edges, up to a sort.

    Example
    -------
    受理 (1) → 审查 (5) → 决定 (2), with 登记 (3) beside 审查: without 审查's days the path runs
    through 登记, 1 + 3 + 2 = 6 days; without 登记's it stays 8.

    >>> from approvals.model import STEP_COLUMNS, conform
    >>> steps = conform(pd.DataFrame({"step_id": [1, 2, 3, 4], "item_id": 1,
    ...     "version": "before", "step_no": ["1", "2", "3", "4"], "days": [1.0, 5, 3, 2],
    ...     "predecessors": ["", "1", "1", "2,3"], "counted": True}), STEP_COLUMNS)
    >>> zeroed_critical_paths(steps, np.array([2, 3, 1])).tolist()
    [6.0, 8.0, 7.0]
    """
    out = np.full(len(step_ids), np.nan)
    if steps.empty or not len(step_ids):
        return out
    idx = _index(steps)
    n = len(idx.order)
    w = (steps["days"].to_numpy(dtype=float) * steps["counted"].to_numpy(dtype=bool))[idx.order]
    (ef,), _, reached = _longest_finish(idx, (w,))
    back = _Index(order=idx.order, proc=idx.proc, starts=idx.starts, src=idx.dst, dst=idx.src)
    (lt,), _, _ = _longest_finish(back, (w,))
    (depth,), _, _ = _longest_finish(idx, (np.ones(n),))

    node_of = dict(zip(steps["step_id"].to_numpy(dtype=np.int64)[idx.order].tolist(), range(n), strict=True))
    nodes = np.array([node_of.get(int(s), -1) for s in step_ids], dtype=np.int64)
    cyclic = np.zeros(len(idx.starts), dtype=bool)
    np.logical_or.at(cyclic, idx.proc, ~reached)
    wanted = np.flatnonzero(nodes >= 0)
    wanted = wanted[~cyclic[idx.proc[nodes[wanted]]]]
    if not len(wanted):
        return out
    # Positions in a topological order: by process, then by the longest chain ending at the node.
    pos = np.empty(n, dtype=np.int64)
    topo = np.lexsort((np.arange(n), depth, idx.proc))
    pos[topo] = np.arange(n)
    ef_t, lt_t = ef[topo], lt[topo]
    # Exclusive prefix max of EF and suffix max of LT within each process (a contiguous run).
    before, after = np.zeros(n), np.zeros(n)
    for start, stop in zip(idx.starts.tolist(), np.r_[idx.starts[1:], n].tolist(), strict=True):
        if stop - start > 1:
            before[start + 1 : stop] = np.maximum.accumulate(ef_t[start : stop - 1])
            after[start : stop - 1] = np.maximum.accumulate(lt_t[stop - 1 : start : -1])[::-1]
    # The best edge jumping over each position: edges by value, highest first, each filling the
    # positions strictly between its ends that no higher edge filled (``nxt`` is a union-find of
    # the next unfilled position).
    value = ef[idx.src] + lt[idx.dst]
    by_value = np.argsort(-value, kind="stable")
    lo, hi = pos[idx.src][by_value], pos[idx.dst][by_value]
    spans = hi - lo > 1
    jump = np.zeros(n)
    nxt = list(range(n + 1))

    def find(x: int) -> int:
        root = x
        while nxt[root] != root:
            root = nxt[root]
        while nxt[x] != root:
            nxt[x], x = root, nxt[x]
        return root

    for first, last, v in zip(
        lo[spans].tolist(), hi[spans].tolist(), value[by_value][spans].tolist(), strict=True
    ):
        p = find(first + 1)
        while p < last:
            jump[p] = v
            nxt[p] = p + 1
            p = find(p + 1)
    s = nodes[wanted]
    p = pos[s]
    through = ef[s] + lt[s] - 2 * w[s]
    out[wanted] = np.maximum.reduce([before[p], after[p], jump[p], through])
    return out
