"""A flag's change applied to its process, measured on the critical path; the process after."""

from __future__ import annotations

import numpy as np
import pandas as pd

from approvals.model import Change
from approvals.processes.paths import critical_paths, zeroed_critical_paths


def apply_changes(steps: pd.DataFrame, changes: pd.DataFrame) -> pd.DataFrame:
    """Steps with changes applied for measuring: removed steps take 0 days, 即办 processes take
    0 days, serial chains run in parallel. ``changes`` has item_id, version, change, change_steps
    (step ids of ``steps``, whose step_id must be unique).

    Several changes of one process compose; parallel chains are applied in rounds, one chain per
    process per round, each round over all processes at once.
    """
    out = steps.copy()
    graph = changes[changes["change"].ne(str(Change.NONE))] if len(changes) else changes
    if graph.empty or out.empty:
        return out
    kind = graph["change"].to_numpy()
    removed = [i for ids in graph.loc[kind == str(Change.REMOVE), "change_steps"] for i in ids]
    instant = graph[kind == str(Change.INSTANT)]
    zero = out["step_id"].isin(removed)
    if len(instant):
        keys = pd.MultiIndex.from_frame(instant[["item_id", "version"]])
        zero |= pd.MultiIndex.from_frame(out[["item_id", "version"]]).isin(keys)
    out.loc[zero.to_numpy(), "days"] = 0.0
    chains = graph[kind == str(Change.PARALLEL)]
    if len(chains):
        rounds = chains.groupby(["item_id", "version"]).cumcount().to_numpy()
        for r in range(rounds.max() + 1):
            out = _parallel(out, list(chains.loc[rounds == r, "change_steps"]))
    return out


def _parallel(steps: pd.DataFrame, chains: list[tuple[int, ...]]) -> pd.DataFrame:
    """Run each chain (at most one per process) in parallel: its steps all wait for what its first
    step waited for, and whatever waited for its last step waits for all of them."""
    out = steps.reset_index(drop=True)
    chains = [c for c in chains if len(c) >= 2]
    if not chains:
        return out
    position = pd.Index(out["step_id"])
    lengths = np.fromiter((len(c) for c in chains), dtype=np.int64, count=len(chains))
    starts = np.concatenate([[0], np.cumsum(lengths)[:-1]])
    rows = position.get_indexer(np.fromiter((i for c in chains for i in c), dtype=np.int64))
    found = np.minimum.reduceat(rows, starts) >= 0  # every step of the chain is in ``steps``
    chain_of = np.repeat(np.arange(len(chains)), lengths)
    keep = found[chain_of]
    rows, chain_of = rows[keep], chain_of[keep]
    if not len(rows):
        return out
    starts = np.flatnonzero(np.r_[True, chain_of[1:] != chain_of[:-1]])
    ends = np.r_[starts[1:], len(rows)] - 1
    preds = out["predecessors"].to_numpy(dtype=object).copy()
    numbers = out["step_no"].to_numpy(dtype=object)
    process = out.groupby(["item_id", "version"], sort=False).ngroup().to_numpy()
    first = np.repeat(rows[starts], ends - starts + 1)
    preds[rows] = preds[first]
    # whatever waited for the chain's last step now waits for every step of the chain
    chain_numbers = numbers[rows].tolist()
    all_numbers = [
        ",".join(chain_numbers[a : b + 1]) for a, b in zip(starts.tolist(), ends.tolist(), strict=True)
    ]
    chain_process = process[rows[starts]]
    by_process = dict(zip(chain_process.tolist(), range(len(starts)), strict=True))
    tails = numbers[rows[ends]]
    in_chain = np.zeros(len(out), dtype=bool)
    in_chain[rows] = True
    for row in np.flatnonzero(np.isin(process, chain_process) & ~in_chain):
        k = by_process[int(process[row])]
        refs = [r for r in str(preds[row]).split(",") if r]
        if tails[k] in refs:
            widened = [r for r in refs if r != tails[k]] + all_numbers[k].split(",")
            preds[row] = ",".join(dict.fromkeys(widened))
    out["predecessors"] = pd.Series(preds, index=out.index, dtype="str")
    return out


COPY_ROWS = 1_000_000
"""At most this many copied steps are measured at once, so memory stays bounded."""

# What a critical path reads of a step: measuring copies these columns only, not every text of a step.
_PATH_COLUMNS = [
    "step_id", "item_id", "version", "step_no", "step_name", "item_name", "department", "predecessors",
    "days", "counted",
]  # fmt: skip


def measure(steps: pd.DataFrame, flags: pd.DataFrame, processes: pd.DataFrame | None = None) -> pd.DataFrame:
    """``flags`` with days_saved: the timed critical path of the flag's process minus the same with
    only that flag's change applied. A flag that removes one step is measured on the process
    itself, for all such flags at once (:func:`approvals.processes.paths.zeroed_critical_paths`:
    no copy of a process per flag); the others (several steps removed, a chain run in parallel,
    即办) are built as variants and measured in vectorised passes of at most ``COPY_ROWS``
    copied steps."""
    flags = flags.reset_index(drop=True).copy()
    graph = flags.index[flags["change"].ne(str(Change.NONE))]
    if not len(graph):
        return flags
    if processes is None:
        processes = critical_paths(steps)[0]
    steps = steps[_PATH_COLUMNS]
    before = processes.set_index(["item_id", "version"])["critical_path_days"]
    sizes = processes.set_index(["item_id", "version"])["step_count"]
    where = pd.MultiIndex.from_frame(flags.loc[graph, ["item_id", "version"]])
    size = sizes.reindex(where).fillna(0).to_numpy()
    one = flags.loc[graph, "change_steps"].map(len).to_numpy() == 1
    fast = one & flags.loc[graph, "change"].eq(str(Change.REMOVE)).to_numpy()
    if fast.any():
        ids = np.array([ids[0] for ids in flags.loc[graph[fast], "change_steps"]], dtype=np.int64)
        big = steps.merge(flags.loc[graph[fast], ["item_id", "version"]].drop_duplicates())
        after = zeroed_critical_paths(big, ids)
        flags.loc[graph[fast], "days_saved"] = np.round(before.reindex(where[fast]).to_numpy() - after, 6)
    rest, weight = graph[~fast], size[~fast]
    batch = np.cumsum(weight) // COPY_ROWS
    for b in np.unique(batch):
        part = rest[batch == b]
        flags.loc[part, "days_saved"] = _measured_copies(steps, flags.loc[part], before)
    return flags


def _measured_copies(steps: pd.DataFrame, flags: pd.DataFrame, before: pd.Series) -> np.ndarray:
    """days_saved of ``flags``: each flag's process copied, its change applied, all measured at once."""
    graph = flags.index
    keyed = flags[["item_id", "version", "change", "change_steps"]].assign(_variant=graph.to_numpy())
    copies = steps.merge(keyed[["item_id", "version", "_variant"]], on=["item_id", "version"])
    # Each copy is its own process (item_id = the flag's position) with fresh step ids.
    new_ids = np.arange(len(copies))
    translate = dict(zip(zip(copies["_variant"], copies["step_id"], strict=True), new_ids, strict=True))
    copies["item_id"] = copies["_variant"]
    copies["step_id"] = new_ids
    changes = keyed.assign(
        item_id=keyed["_variant"],
        change_steps=[
            tuple(translate[(v, i)] for i in ids if (v, i) in translate)
            for v, ids in zip(keyed["_variant"], keyed["change_steps"], strict=True)
        ],
    )
    applied = apply_changes(copies.drop(columns="_variant"), changes)
    after = critical_paths(applied)[0].set_index("item_id")["critical_path_days"]
    original = before.reindex(pd.MultiIndex.from_frame(flags[["item_id", "version"]])).to_numpy()
    return np.round(original - after.reindex(graph).to_numpy(), 6)


def proposed_steps(steps: pd.DataFrame, flags: pd.DataFrame) -> pd.DataFrame:
    """One process with its flags' changes really made, for charts: removed steps are taken out and
    whatever waited for them waits for their predecessors; chains run in parallel; 即办 takes 0 days.

    Its critical path equals what :func:`measure` finds for the same changes.
    """
    graph = flags[flags["change"].ne(str(Change.NONE))] if len(flags) else flags
    out = steps.copy()
    for chain in graph.loc[graph["change"].eq(str(Change.PARALLEL)), "change_steps"] if len(graph) else []:
        out = _parallel(out, [tuple(chain)])
    if len(graph) and graph["change"].eq(str(Change.INSTANT)).any():
        out["days"] = 0.0
    removed = {
        i
        for c, ids in zip(graph.get("change", []), graph.get("change_steps", []), strict=True)
        if c == Change.REMOVE
        for i in ids
    }
    out = out.reset_index(drop=True)
    for step_id in [i for i in out["step_id"] if i in removed]:
        row = out.index[out["step_id"].eq(step_id)][0]
        number = str(out.at[row, "step_no"])
        inherited = [r for r in str(out.at[row, "predecessors"]).split(",") if r]

        def rewire(text: str, number: str = number, inherited: list[str] = inherited) -> str:
            refs = [r for r in text.split(",") if r]
            if number not in refs:
                return text
            return ",".join(dict.fromkeys([x for r in refs for x in (inherited if r == number else [r])]))

        out = out.drop(index=row)
        out["predecessors"] = out["predecessors"].map(rewire).astype("str")
        out = out.reset_index(drop=True)
    return out
