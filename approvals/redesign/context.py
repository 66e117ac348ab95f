"""What every 流程再造 rule reads (the annotated step table), the rule object, and the builders
of flag tables."""

from __future__ import annotations

import itertools
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from approvals.model import FLAG_COLUMNS, STEP_COLUMNS, VERSION_LABELS, Change, extra_columns
from approvals.processes.paths import step_edges
from approvals.settings import Settings
from approvals.settings.columns import header_key
from approvals.settings.redesign import RuleSettings
from approvals.text import distinct_values, map_distinct


@dataclass(frozen=True)
class Context:
    """What every rule reads: steps with kind, level and degrees; edges; items; processes; the
    settings (step kinds, levels, each rule's title and thresholds, tiers, similarity)."""

    steps: pd.DataFrame  # canonical steps + kind, post, level, in_degree, out_degree, process
    edges: pd.DataFrame  # src, dst (step_id)
    items: pd.DataFrame
    processes: pd.DataFrame
    settings: Settings
    ids: np.ndarray  # the steps' step_id, for looking steps up by id
    edge_rows: tuple[np.ndarray, np.ndarray]  # each edge's two ends as rows of ``steps``
    positional: bool  # step_id is the row number, as in a dataset's steps

    def rows(self, step_ids: np.ndarray) -> np.ndarray:
        """The row of ``steps`` holding each step id (−1 for none): the id itself where the steps
        are numbered by position, as a dataset's are (no hash table over a province's steps)."""
        return step_rows(self.ids, step_ids, self.positional)

    def thresholds(self, rule: Rule) -> RuleSettings:
        """The rule's title and thresholds (its ``[rules.<key>]`` section of redesign.toml)."""
        return self.settings.redesign.rules[rule.key]


@dataclass(frozen=True)
class Rule:
    """One 流程再造 rule: its key (naming its settings section and its flags), the function that
    finds its flags over the whole annotated table, and how a flag's change is applied to the
    process (``Change.NONE`` for findings about limits, materials or the item)."""

    key: str
    find: Callable[[Context, Rule], pd.DataFrame]
    change: Change

    @property
    def summary(self) -> str:
        """The first line of the rule's docstring: what it looks for."""
        return (self.find.__doc__ or "").strip().splitlines()[0]

    def flags(self, ctx: Context) -> pd.DataFrame:
        return self.find(ctx, self)


_RULE_COLUMNS = [
    "step_id", "item_id", "item_name", "department", "version", "step_no", "step_name", "office",
    "person", "days", "predecessors", "materials", "counted", "legal_basis",
]  # fmt: skip


def _text(values: pd.Series) -> pd.Series:
    return values.astype(object).where(values.notna(), "").astype("str")


def step_posts(steps: pd.DataFrame, settings: Settings) -> pd.DataFrame:
    """Each step's post and approval level (redesign.toml ``[approval]``), from the first of these
    that names a level: its person column (责任人员, 岗位, 办理人员 …) and any further column of
    that kind the list has, a post written in brackets in its name ("审核（科长）"), its office
    and any further office column. A personal name names no level, so "张三" never counts as one;
    post "" and level 0 where nothing names a level.

    >>> steps = pd.DataFrame({"step_name": ["审核（科长）", "审批", "初审", "复审"],
    ...     "person": ["", "张三", "科员", "李四"], "office": ["审批科", "分管领导", "审批科", "审批科"]})
    >>> step_posts(steps, settings).to_numpy().tolist()
    [['科长', 2], ['分管领导', 3], ['科员', 1], ['', 0]]
    """
    rules = settings.redesign
    # A list with both 岗位 and 办理人员 keeps the first as the person; the other is carried along
    # under its own header, an alias of the same field (columns.toml).
    aliases = {f.key: f.aliases for f in settings.columns.fields["steps"] if f.key in ("person", "office")}
    further = {
        kind: [_text(steps[c]) for c in extra_columns(steps, STEP_COLUMNS)
               if isinstance(c, str) and header_key(c) in aliases[kind]]
        for kind in ("person", "office")
    }  # fmt: skip
    sources = [
        steps["person"],
        *further["person"],
        map_distinct(steps["step_name"], rules.post_in_name),
        steps["office"],
        *further["office"],
    ]
    post = pa.array(np.full(len(steps), "", dtype=object), type=pa.large_string())
    level = np.zeros(len(steps), dtype=np.int64)
    for source in sources:
        found = distinct_values(source, rules.level_of, np.int64)
        take = (level == 0) & (found > 0)
        if take.any():
            post = pc.if_else(take, pa.array(source.array, type=pa.large_string()), post)
            level[take] = found[take]
    return pd.DataFrame(
        {"post": pd.Series(post, index=steps.index, dtype="str"), "level": level}, index=steps.index
    )


def context(
    steps: pd.DataFrame,
    items: pd.DataFrame,
    processes: pd.DataFrame,
    settings: Settings,
    edges: pd.DataFrame | None = None,
) -> Context:
    """Annotate the steps once for all rules: each step's kind, post and approval level (by the
    words of redesign.toml, :func:`step_posts`), its process number and how many steps it waits
    for and is waited for by. ``edges``: the steps' step_edges, where the caller has them."""
    rules = settings.redesign
    # only what the rules read (every filter of a rule copies each column it carries); the
    # columns are shared with the steps, not copied
    annotated = steps[_RULE_COLUMNS]
    annotated["kind"] = map_distinct(steps["step_name"], rules.kind_of)
    posts = step_posts(steps, settings)
    annotated["post"] = posts["post"].array
    annotated["level"] = posts["level"].to_numpy()
    annotated["process"] = steps.groupby(["item_id", "version"], sort=False).ngroup().to_numpy()
    if not len(steps):
        edges = pd.DataFrame({"src": [], "dst": []})
    else:
        edges = (step_edges(steps) if edges is None else edges).astype("int64")
    ids = annotated["step_id"].to_numpy(dtype=np.int64)
    positional = numbered_by_position(ids)
    src, dst = (step_rows(ids, edges[end].to_numpy(), positional) for end in ("src", "dst"))
    known = (src >= 0) & (dst >= 0)
    for column, rows in (("in_degree", dst), ("out_degree", src)):
        annotated[column] = np.bincount(rows[rows >= 0], minlength=len(ids)).astype("int64")
    return Context(annotated, edges, items, processes, settings, ids, (src[known], dst[known]), positional)


def numbered_by_position(ids: np.ndarray) -> bool:
    """Whether ``ids`` are 0, 1, 2, … (a dataset's step_id and item_id are the row's number)."""
    n = len(ids)
    return bool(n and ids[0] == 0 and ids[-1] == n - 1 and np.array_equal(ids, np.arange(n)))


def step_rows(ids: np.ndarray, wanted: Any, positional: bool | None = None) -> np.ndarray:
    """The position in ``ids`` of each of ``wanted`` (−1 for one not there); ``ids`` unique.
    ``positional``: :func:`numbered_by_position` of ``ids``, where the caller knows it.

    >>> step_rows(np.arange(4), np.array([2, 7])).tolist()
    [2, -1]
    >>> step_rows(np.array([5, 9]), np.array([9, 1])).tolist()
    [1, -1]
    """
    wanted = np.asarray(wanted, dtype=np.int64)
    if numbered_by_position(ids) if positional is None else positional:
        return np.where((wanted >= 0) & (wanted < len(ids)), wanted, -1)
    return pd.Index(ids).get_indexer(wanted)


def step_flags(
    ctx: Context,
    rule: Rule,
    step_groups: pd.Series,
    why: pd.Series | list[str],
    suggestion: str | list[str],
    change_steps: pd.Series | None = None,
) -> pd.DataFrame:
    """Flags from groups of step ids (a Series of tuples indexed by anything), one per group;
    ``change_steps`` are the steps the change acts on where they are not the group itself;
    ``suggestion`` one text for every flag, or one per flag."""
    if len(step_groups) == 0:
        return empty_flags()
    groups = list(step_groups)
    positions, ends = _group_positions(ctx, groups)
    names = _cut(taken(ctx.steps["step_name"], positions), ends)
    numbers = [",".join(n) for n in _cut(taken(ctx.steps["step_no"], positions), ends)]
    firsts = positions[ends[:-1]]
    item_ids = ctx.steps["item_id"].to_numpy()[firsts].tolist()
    keys = _item_keys(ctx.items, item_ids)
    versions = ctx.steps["version"].array.take(firsts)
    return pd.DataFrame({
        "flag_key": [
            f"{rule.key}|{k}|{v}|{n}"
            for k, v, n in zip(keys, versions.to_numpy(dtype=object).tolist(), numbers, strict=True)
        ],
        "rule": rule.key, "title": ctx.thresholds(rule).title, "item_id": item_ids,
        "item": ctx.steps["item_name"].array.take(firsts),
        "department": ctx.steps["department"].array.take(firsts),
        "version": versions, "step_ids": groups, "steps": names, "change": str(rule.change),
        "days_saved": 0.0, "why": list(why), "suggestion": _each(suggestion),
        "change_steps": list(step_groups if change_steps is None else change_steps),
    })  # fmt: skip


def _each(text: str | list[str]) -> str | list[str]:
    """One text for every flag as it is (a column of one value), or the texts of each."""
    return text if isinstance(text, str) else list(text)


def _group_positions(ctx: Context, groups: list[tuple[int, ...]]) -> tuple[np.ndarray, np.ndarray]:
    """(the row of every step named in the groups, laid end to end; where each group starts, and
    the end of the last)."""
    lengths = np.fromiter(map(len, groups), dtype=np.int64, count=len(groups))
    flat = np.fromiter(itertools.chain.from_iterable(groups), dtype=np.int64, count=int(lengths.sum()))
    return ctx.rows(flat), np.concatenate([[0], np.cumsum(lengths)])


def _cut(values: list[Any], ends: np.ndarray) -> list[tuple[Any, ...]]:
    """``values`` cut into tuples at ``ends`` (each group's start, and the end of the last).

    >>> _cut(["a", "b", "c"], np.array([0, 2, 2, 3]))
    [('a', 'b'), (), ('c',)]
    """
    return [tuple(values[a:b]) for a, b in itertools.pairwise(ends.tolist())]


def _grouped(ctx: Context, groups: list[tuple[int, ...]], column: str) -> list[tuple[Any, ...]]:
    """A column of the steps named in each group, as tuples in the groups' order (one vectorised
    lookup for all groups)."""
    positions, ends = _group_positions(ctx, groups)
    return _cut(taken(ctx.steps[column], positions), ends)


def taken(values: pd.Series, positions: np.ndarray) -> list[Any]:
    """The values at these positions as Python values: only they are converted (an Arrow column
    of a million texts is not turned into Python strings to read a few thousand), and each
    distinct value once, so the flags of a province share one string per step name.

    >>> names = taken(pd.Series(["受理", "审查", "决定"]), np.array([1, 1, 0]))
    >>> names, names[0] is names[1]
    (['审查', '审查', '受理'], True)
    """
    codes, distinct = pd.factorize(values.array.take(positions), use_na_sentinel=False)
    labels = np.empty(len(distinct), dtype=object)
    labels[:] = distinct.tolist()
    return labels[codes].tolist()


_INFO_COLUMNS = [
    "step_name",
    "office",
    "person",
    "step_no",
    "days",
    "item_id",
    "item_name",
    "department",
    "version",
    "post",
    "level",
    "counted",
]


def step_info(steps: pd.DataFrame, ids: list[int] | tuple[int, ...]) -> dict[int, dict[str, Any]]:
    """step_id → the step's fields, for the steps named (one vectorised selection, then dicts).

    ``steps`` are the annotated steps of a :class:`Context` (they carry each step's ``level``)."""
    wanted = np.unique(np.asarray(ids, dtype=np.int64))
    positions = step_rows(steps["step_id"].to_numpy(dtype=np.int64), wanted)
    values = [taken(steps[c], positions) for c in _INFO_COLUMNS]
    return {
        step_id: dict(zip(_INFO_COLUMNS, row, strict=True))
        for step_id, *row in zip(wanted.tolist(), *values, strict=True)
    }


def _item_keys(items: pd.DataFrame, item_ids: list[int]) -> list[str]:
    """Each item's key ("#<id>" for an id not among the items), looked up by position: only the
    keys asked for become Python strings."""
    if not len(items):
        return [f"#{i}" for i in item_ids]
    rows = step_rows(items["item_id"].to_numpy(dtype=np.int64), item_ids)  # items are numbered alike
    found = np.full(len(item_ids), None, dtype=object)
    inside = rows >= 0
    found[inside] = items["item_key"].array.take(rows[inside]).to_numpy(dtype=object)
    return [k if isinstance(k, str) else f"#{i}" for k, i in zip(found.tolist(), item_ids, strict=True)]


def empty_flags() -> pd.DataFrame:
    """A flags table with no rows."""
    return pd.DataFrame(
        {
            c: pd.Series(dtype="float64" if c == "days_saved" else object)
            for c in [*FLAG_COLUMNS, "change_steps"]
        }
    )


def named(info: dict[int, dict[str, Any]], ids: tuple[int, ...], detail: str, joiner: str = "→") -> str:
    """Step names with a detail in brackets, e.g. "审查（投资科）→复审（法规科）"."""
    return joiner.join(
        f"{info[i]['step_name']}（{info[i][detail]}）" if info[i][detail] else info[i]["step_name"]
        for i in ids
    )


def version_label(version: str) -> str:
    return VERSION_LABELS.get(version, version)


def day_text(value: float) -> str:
    return f"{value:g}"


def item_flags(
    ctx: Context,
    rule: Rule,
    items: pd.DataFrame,
    why: list[str],
    suggestion: str | list[str],
    version: str = "",
    step_ids: list[tuple[int, ...]] | None = None,
) -> pd.DataFrame:
    """Item-level flags (a finding about the item, its limits or materials), one per row of ``items``."""
    if items.empty:
        return empty_flags()
    step_ids = step_ids or [()] * len(items)
    return pd.DataFrame({
        "flag_key": [f"{rule.key}|{k}|{version}|" for k in items["item_key"].tolist()], "rule": rule.key,
        "title": ctx.thresholds(rule).title, "item_id": items["item_id"].to_numpy(),
        "item": items["name"].array, "department": items["department"].array, "version": version,
        "step_ids": step_ids, "steps": _grouped(ctx, step_ids, "step_name"), "change": str(Change.NONE),
        "days_saved": 0.0, "why": why, "suggestion": _each(suggestion), "change_steps": [()] * len(items),
    })  # fmt: skip


def process_flags(
    ctx: Context, rule: Rule, hit: pd.DataFrame, why: list[str], suggestion: str
) -> pd.DataFrame:
    """Flags on whole processes (a row of the processes table per flag, naming its critical path)."""
    if hit.empty:
        return empty_flags()
    items = hit.rename(columns={"item_department": "department_"}).assign(
        name=hit["name"], department=hit["item_department"]
    )
    flags = item_flags(
        ctx, rule, items, why, suggestion, step_ids=[tuple(c) for c in hit["critical_step_ids"].tolist()]
    )
    flags["version"] = hit["version"].to_numpy()
    flags["flag_key"] = [
        f"{rule.key}|{k}|{v}|" for k, v in zip(hit["item_key"].tolist(), hit["version"].tolist(), strict=True)
    ]
    return flags
