"""流程再造: rules that flag redundant steps, the days each change saves, and the process after.

Every rule is a small function over the whole step table (vectorised; a province has millions of
steps) that returns candidate flags. A flag that proposes a change to the graph (remove steps, run
a chain in parallel, make the item 即办) is measured by applying just that change to a copy of its
process and recomputing the critical path in bulk — never estimated. Applying the accepted flags
of a process the same way gives the proposed "after" process.

Removing a step is measured as making it take no time: on a longest path, a 0-day step that waits
for its predecessors and is waited for by its successors is the same as joining them directly
(:func:`proposed_steps` does the real removal for charts; a test checks both agree).
"""

from __future__ import annotations

import re
import tomllib
from collections.abc import Callable
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from approvals.graphs import critical_paths, step_edges
from approvals.legal import basis_tiers
from approvals.model import DATA_DIR, FLAG_COLUMNS, VERSION_LABELS, Change, LimitStatus, Version
from approvals.similar import merge_candidates
from approvals.similar import settings as similarity
from approvals.text import fold, map_distinct

RULES_FILE = DATA_DIR / "redesign.toml"

RULE_TITLES: dict[str, str] = {
    "repeated_review": "重复审查",
    "serial_reviews": "串联审查可改并联",
    "signoff_chain": "签批层级过多",
    "pass_through": "只流转不决定的环节",
    "no_step_basis": "环节无法定依据",
    "committed_above_statutory": "承诺时限超过法定时限",
    "path_over_limit": "流程用时超过办结时限",
    "repeated_material": "同一材料多环节重复要求",
    "shared_material": "可共享获取的材料",
    "outside_over_limit": "不计时环节长于办结时限",
    "no_speedup": "承诺时限未压缩",
    "instant": "可改为即办",
    "legal_basis": "设定依据层级不足",
    "merge_candidate": "可合并的相近事项",
}


@dataclass(frozen=True)
class Settings:
    """data/redesign.toml: step kinds, approval levels, thresholds, material words."""

    kinds: tuple[tuple[str, str, frozenset[str], tuple[str, ...]], ...]  # key, label, exact, contains
    levels: tuple[tuple[str, int], ...]
    thresholds: dict[str, Any]
    material_separators: re.Pattern[str]
    shared_materials: tuple[str, ...]

    def kind_of(self, name: str) -> str:
        """The kind of a step by its name ("other" when none matches).

        >>> settings().kind_of("合法性审查"), settings().kind_of("转办"), settings().kind_of("打印")
        ('review', 'passthrough', 'other')
        """
        folded = fold(name)
        for key, _, exact, _ in self.kinds:
            if folded in exact:
                return key
        for key, _, _, contains in self.kinds:
            if any(word in folded for word in contains):
                return key
        return "other"

    def level_of(self, who: str) -> int:
        """The approval level of a person or office (0 when unknown).

        >>> settings().level_of("分管副局长"), settings().level_of("副科长"), settings().level_of("局长")
        (3, 2, 4)
        """
        folded = fold(who)
        return next((level for word, level in self.levels if word in folded), 0)


@cache
def settings(path: Path = RULES_FILE) -> Settings:
    """The rule settings, read once per file."""
    raw = tomllib.loads(path.read_text(encoding="utf-8"))
    kinds = tuple(
        (k["key"], k["label"], frozenset(fold(w) for w in k.get("exact", [])),
         tuple(fold(w) for w in k.get("contains", [])))
        for k in raw["kind"]
    )  # fmt: skip
    return Settings(
        kinds=kinds,
        levels=tuple((fold(word), int(level)) for word, level in raw["approval"]["levels"]),
        thresholds=dict(raw["thresholds"]),
        material_separators=re.compile(raw["materials"]["separators"]),
        shared_materials=tuple(raw["materials"]["shared"]),
    )


# ------------------------------------------------------------------ the annotated step table


@dataclass(frozen=True)
class Context:
    """What every rule reads: steps with kind, level and degrees; edges; items; processes."""

    steps: pd.DataFrame  # canonical steps + kind, level, in_degree, out_degree, process
    edges: pd.DataFrame  # src, dst (step_id)
    items: pd.DataFrame
    processes: pd.DataFrame
    settings: Settings
    ids: pd.Index  # the steps' step_id, for looking steps up by id


_RULE_COLUMNS = [
    "step_id", "item_id", "item_name", "department", "version", "step_no", "step_name", "office",
    "person", "days", "predecessors", "materials", "counted", "legal_basis",
]  # fmt: skip


def context(
    steps: pd.DataFrame,
    items: pd.DataFrame,
    processes: pd.DataFrame | None = None,
    rules: Settings | None = None,
) -> Context:
    """Annotate the steps once for all rules."""
    rules = rules or settings()
    if processes is None:
        processes = critical_paths(steps)[0]
    # only what the rules read: every filter of a rule copies each column it carries
    annotated = steps[[c for c in _RULE_COLUMNS if c in steps.columns]].copy()
    annotated["kind"] = map_distinct(steps["step_name"], rules.kind_of)
    who = steps["person"].where(steps["person"].ne(""), steps["office"])
    annotated["level"] = map_distinct(who, lambda w: str(rules.level_of(w))).astype(int).to_numpy()
    annotated["process"] = steps.groupby(["item_id", "version"], sort=False).ngroup().to_numpy()
    edges = step_edges(steps).astype("int64") if len(steps) else pd.DataFrame({"src": [], "dst": []})
    annotated = annotated.set_index("step_id", drop=False)
    annotated["in_degree"] = edges["dst"].value_counts().reindex(annotated.index, fill_value=0)
    annotated["out_degree"] = edges["src"].value_counts().reindex(annotated.index, fill_value=0)
    annotated = annotated.reset_index(drop=True)
    return Context(annotated, edges, items, processes, rules, pd.Index(annotated["step_id"].to_numpy()))


def _flags(
    ctx: Context,
    rule: str,
    step_groups: pd.Series,
    change: Change,
    why: pd.Series | list[str],
    suggestion: pd.Series | list[str],
    change_steps: pd.Series | None = None,
) -> pd.DataFrame:
    """Flags from groups of step ids (a Series of tuples indexed by anything), one per group."""
    if len(step_groups) == 0:
        return empty_flags()
    groups = list(step_groups)
    names = _grouped(ctx, groups, "step_name")
    numbers = [",".join(n) for n in _grouped(ctx, groups, "step_no")]
    firsts = np.fromiter((g[0] for g in groups), dtype=np.int64, count=len(groups))
    item_ids = [int(i) for i in _lookup(ctx, firsts, "item_id")]
    keys = _item_keys(ctx.items, item_ids)
    versions = [str(v) for v in _lookup(ctx, firsts, "version")]
    return pd.DataFrame({
        "flag_key": [f"{rule}|{k}|{v}|{n}" for k, v, n in zip(keys, versions, numbers, strict=True)],
        "rule": rule, "title": RULE_TITLES[rule], "item_id": item_ids,
        "item": _lookup(ctx, firsts, "item_name"), "department": _lookup(ctx, firsts, "department"),
        "version": versions, "step_ids": groups, "steps": names, "change": str(change),
        "days_saved": 0.0, "why": list(why), "suggestion": list(suggestion),
        "change_steps": list(step_groups if change_steps is None else change_steps),
    })  # fmt: skip


def _grouped(ctx: Context, groups: list[tuple[int, ...]], column: str) -> list[tuple[Any, ...]]:
    """A column of the steps named in each group, as tuples in the groups' order (one vectorised
    lookup for all groups)."""
    lengths = np.fromiter((len(g) for g in groups), dtype=np.int64, count=len(groups))
    flat = np.fromiter((i for g in groups for i in g), dtype=np.int64, count=int(lengths.sum()))
    found = _lookup(ctx, flat, column)
    ends = np.cumsum(lengths).tolist()
    return [tuple(found[end - n : end]) for end, n in zip(ends, lengths.tolist(), strict=True)]


def _lookup(ctx: Context, ids: np.ndarray, column: str) -> list[Any]:
    """``column`` of the steps with these ids, in the order given."""
    position = ctx.ids.get_indexer(ids)
    return ctx.steps[column].to_numpy(dtype=object)[position].tolist()


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
    "level",
    "counted",
]


def step_info(steps: pd.DataFrame, ids: list[int] | tuple[int, ...]) -> dict[int, dict[str, Any]]:
    """step_id → the step's fields, for the steps named (one vectorised selection, then dicts)."""
    columns = [c for c in _INFO_COLUMNS if c in steps.columns]
    wanted = steps.loc[steps["step_id"].isin(np.unique(np.asarray(ids, dtype=np.int64))).to_numpy()]
    values = [wanted[c].tolist() for c in columns]
    return {
        int(step_id): dict(zip(columns, row, strict=True))
        for step_id, *row in zip(wanted["step_id"].tolist(), *values, strict=True)
    }


def _item_keys(items: pd.DataFrame, item_ids: list[int]) -> list[str]:
    if not len(items):
        return [f"#{i}" for i in item_ids]
    keys = pd.Series(items["item_key"].to_numpy(dtype=object), index=items["item_id"].to_numpy())
    found = keys.reindex(item_ids).to_numpy(dtype=object)
    return [k if isinstance(k, str) else f"#{i}" for k, i in zip(found, item_ids, strict=True)]


def empty_flags() -> pd.DataFrame:
    """A flags table with no rows."""
    return pd.DataFrame(
        {
            c: pd.Series(dtype="float64" if c == "days_saved" else object)
            for c in [*FLAG_COLUMNS, "change_steps"]
        }
    )


def _named(info: dict[int, dict[str, Any]], ids: tuple[int, ...], detail: str, joiner: str = "→") -> str:
    """Step names with a detail in brackets, e.g. "审查（投资科）→复审（法规科）"."""
    return joiner.join(
        f"{info[i]['step_name']}（{info[i][detail]}）" if info[i][detail] else info[i]["step_name"]
        for i in ids
    )


def _label(version: str) -> str:
    return VERSION_LABELS.get(version, version)


def _days(value: float) -> str:
    return f"{value:g}"


# ------------------------------------------------------------------ step rules


def pass_through(ctx: Context) -> pd.DataFrame:
    """Steps that only register, sign for or pass a file on (登记, 签收, 转办, …) yet take days."""
    s = ctx.steps
    hit = s[s["kind"].eq("passthrough") & s["days"].gt(ctx.settings.thresholds["passthrough_min_days"])]
    why = [
        f"“{n}”只是登记、签收或转交，不作审查或决定，却占用 {_days(d)} 个工作日"
        for n, d in zip(hit["step_name"], hit["days"], strict=True)
    ]
    suggestion = ["取消该环节，由系统自动流转（或并入受理），前后环节直接衔接"] * len(hit)
    return _removals(ctx, "pass_through", hit, why, suggestion)


def _removals(
    ctx: Context, rule: str, hit: pd.DataFrame, why: list[str], suggestion: list[str]
) -> pd.DataFrame:
    """One flag per step of ``hit``, each suggesting that the step be removed."""
    steps = pd.Series([(i,) for i in hit["step_id"]], dtype=object)
    return _flags(ctx, rule, steps, Change.REMOVE, why, suggestion)


def repeated_review(ctx: Context) -> pd.DataFrame:
    """The same review done twice in one process: a review step name that recurs, or the same
    office and role reviewing twice. The later ones are suggested for removal."""
    s = ctx.steps[ctx.steps["kind"].isin(["review", "check"])].copy()
    s["_name"] = map_distinct(s["step_name"], fold)
    s["_order"] = np.arange(len(s))
    groups: dict[tuple[int, ...], str] = {}
    for keys, reason in (
        (["process", "_name"], "同名审查"),
        (["process", "office", "person"], "同一科室同一岗位"),
    ):
        part = s if reason == "同名审查" else s[s["office"].ne("")]
        repeated = part[part.duplicated(keys, keep=False)]
        for _, group in repeated.sort_values("_order").groupby(keys, sort=False):
            groups.setdefault(tuple(group["step_id"]), reason)
    if not groups:
        return empty_flags()
    ids = pd.Series(list(groups), dtype=object)
    info = step_info(s, [i for g in groups for i in g])
    why = [f"{reason}重复出现：{_named(info, g, 'office', '、')}" for g, reason in groups.items()]
    suggestion = ["合并为一次审查，保留第一次，取消后面的重复审查"] * len(ids)
    return _flags(
        ctx,
        "repeated_review",
        ids,
        Change.REMOVE,
        why,
        suggestion,
        change_steps=pd.Series([g[1:] for g in groups], dtype=object),
    )


def _serial_chains(ctx: Context, allowed: pd.Series, link: Callable[[pd.DataFrame], pd.Series]) -> pd.Series:
    """Maximal chains of allowed steps joined one to one (the only successor of one is the next, and
    it has no other predecessor), where ``link`` holds for each joining edge. A Series of tuples of
    step ids, in chain order, chains of two steps or more."""
    s = ctx.steps.set_index("step_id")
    e = ctx.edges
    ok = allowed.reindex(e["src"]).to_numpy() & allowed.reindex(e["dst"]).to_numpy()
    ok &= s.loc[e["src"], "out_degree"].to_numpy() == 1
    ok &= s.loc[e["dst"], "in_degree"].to_numpy() == 1
    joined = e[ok]
    if joined.empty:
        return pd.Series([], dtype=object)
    pairs = pd.DataFrame({"src": joined["src"].to_numpy(), "dst": joined["dst"].to_numpy()})
    pairs = pairs[link(pairs).to_numpy()]
    if pairs.empty:
        return pd.Series([], dtype=object)
    following = dict(zip(pairs["src"], pairs["dst"], strict=True))
    heads = sorted(set(pairs["src"]) - set(pairs["dst"]))
    chains = []
    for head in heads:
        chain = [head]
        while chain[-1] in following:
            chain.append(following[chain[-1]])
        chains.append(tuple(int(i) for i in chain))
    return pd.Series(chains, dtype=object)


def serial_reviews(ctx: Context) -> pd.DataFrame:
    """Reviews by different offices in a row, none needing another's result → 并联审批.

    Three serial reviews of 4, 3 and 5 days become one parallel stage of 5 days: 7 days saved.
    """
    s = ctx.steps.set_index("step_id")
    allowed = s["kind"].isin(ctx.settings.thresholds["parallel_kinds"]) & s["office"].ne("")
    office = s["office"]

    def different_offices(pairs: pd.DataFrame) -> pd.Series:
        return pd.Series(office.loc[pairs["src"]].to_numpy() != office.loc[pairs["dst"]].to_numpy())

    chains = _serial_chains(ctx, allowed, different_offices)
    chains = chains[chains.map(len) >= ctx.settings.thresholds["parallel_min_steps"]]
    info = step_info(ctx.steps, [i for c in chains for i in c])

    def serial_days(chain: tuple[int, ...]) -> str:
        inside = sum(info[i]["days"] for i in chain if info[i]["counted"])
        outside = sum(info[i]["days"] for i in chain if not info[i]["counted"])
        extra = f"，另有不计时 {_days(outside)} 个工作日" if outside else ""
        return f"串联用时 {_days(inside)} 个工作日{extra}"

    why = [f"{_named(info, c, 'office')}由不同科室依次审查，{serial_days(c)}" for c in chains]
    suggestion = ["各科室同时审查（并联审批），以最长的一项为准"] * len(chains)
    return _flags(ctx, "serial_reviews", chains.reset_index(drop=True), Change.PARALLEL, why, suggestion)


def signoff_chain(ctx: Context) -> pd.DataFrame:
    """Sign-off chains of three or more levels (科员 → 科长 → 分管领导 → 主要领导) → delegate the top."""
    s = ctx.steps.set_index("step_id")
    t = ctx.settings.thresholds
    allowed = s["kind"].isin(t["signoff_kinds"]) & s["level"].gt(0)
    level = s["level"]

    def rising(pairs: pd.DataFrame) -> pd.Series:
        return pd.Series(level.loc[pairs["dst"]].to_numpy() >= level.loc[pairs["src"]].to_numpy())

    chains = _serial_chains(ctx, allowed, rising)
    info = step_info(ctx.steps, [i for c in chains for i in c])
    chains = chains[chains.map(lambda c: len({info[i]["level"] for i in c}) >= t["signoff_levels"])]
    keep = int(t["signoff_keep_levels"])
    removed, why, suggestion = [], [], []
    for chain in chains:
        levels = sorted({info[i]["level"] for i in chain})
        kept_levels = set(levels[:keep])
        removed.append(tuple(i for i in chain if info[i]["level"] not in kept_levels))
        top = info[[i for i in chain if info[i]["level"] in kept_levels][-1]]
        why.append(f"签批经过 {len(levels)} 个层级：{_named(info, chain, 'person')}")
        suggestion.append(f"授权由{top['person'] or top['office']}签发，取消更高层级的逐级审批")
    return _flags(
        ctx,
        "signoff_chain",
        chains.reset_index(drop=True),
        Change.REMOVE,
        why,
        suggestion,
        change_steps=pd.Series(removed, dtype=object),
    )


def no_step_basis(ctx: Context) -> pd.DataFrame:
    """Where the list records a legal basis per step, steps without one (受理, 决定, 送达 aside)."""
    s = ctx.steps
    recorded = s["legal_basis"].ne("").groupby(s["process"]).transform("any")
    hit = s[recorded & s["legal_basis"].eq("") & ~s["kind"].isin(["accept", "decide", "deliver"])]
    why = [f"本流程逐环节列明了法定依据，“{n}”没有依据" for n in hit["step_name"]]
    suggestion = ["没有法律法规依据的环节应予取消；确有依据的请补充"] * len(hit)
    return _removals(ctx, "no_step_basis", hit, why, suggestion)


def instant(ctx: Context) -> pd.DataFrame:
    """Processes of only 受理 and 决定 that still take days → 即办 (当场办结)."""
    s = ctx.steps
    marks = pd.DataFrame({
        "process": s["process"].to_numpy(),
        "accept": s["kind"].eq("accept").to_numpy(),
        "decide": s["kind"].eq("decide").to_numpy(),
    })  # fmt: skip
    counts = marks.groupby("process").agg(
        n=("accept", "size"), accept=("accept", "sum"), decide=("decide", "sum")
    )
    two = counts.index[(counts["n"] == 2) & (counts["accept"] == 1) & (counts["decide"] == 1)]
    p = ctx.processes.merge(
        s.drop_duplicates("process")[["process", "item_id", "version"]], on=["item_id", "version"]
    )
    p = p[p["process"].isin(two) & p["critical_path_days"].gt(0)]
    members = s[s["process"].isin(set(p["process"]))].groupby("process")["step_id"].agg(tuple)
    groups = pd.Series(list(members.reindex(p["process"])), dtype=object)
    why = [f"流程只有受理和决定两个环节，却需 {_days(d)} 个工作日" for d in p["critical_path_days"]]
    suggestion = ["材料齐全即当场作出决定，改为即办件"] * len(p)
    return _flags(ctx, "instant", groups, Change.INSTANT, why, suggestion)


def material_rows(steps: pd.DataFrame, rules: Settings | None = None) -> pd.DataFrame:
    """One row per (step, material named at it): step_id, item_id, version (and process where the
    steps have it), material. Each distinct 所需材料 text is split once."""
    sep = (rules or settings()).material_separators
    wanted = [c for c in ("step_id", "item_id", "version", "process") if c in steps.columns]
    listed = steps.loc[steps["materials"].ne("").to_numpy(), [*wanted, "materials"]]
    codes, texts = pd.factorize(listed["materials"])
    parts = pd.DataFrame({"code": np.arange(len(texts)), "material": [sep.split(t) for t in texts]})
    parts = parts.explode("material")
    parts["material"] = parts["material"].astype("str").str.strip()
    parts = parts[parts["material"].ne("") & parts["material"].ne("nan")]
    out = listed[wanted].assign(code=codes).merge(parts, on="code", sort=False).drop(columns="code")
    return out.drop_duplicates(["step_id", "material"]).reset_index(drop=True)


def _runs(keys: np.ndarray, values: np.ndarray) -> list[tuple[Any, ...]]:
    """``values`` cut into tuples where the (sorted) ``keys`` change, in order."""
    cuts = np.flatnonzero(keys[1:] != keys[:-1]) + 1
    return [tuple(part.tolist()) for part in np.split(values, cuts)] if len(values) else []


def repeated_material(ctx: Context) -> pd.DataFrame:
    """The same material asked for at several steps of one process."""
    rows = material_rows(ctx.steps, ctx.settings)
    repeated = rows[rows.groupby(["process", "material"])["step_id"].transform("size").ge(2)]
    if repeated.empty:
        return empty_flags()
    ordered = repeated.sort_values(["process", "step_id"], kind="stable")
    ids = ordered.drop_duplicates(["process", "step_id"])
    names = ordered.drop_duplicates(["process", "material"])
    groups = pd.Series(_runs(ids["process"].to_numpy(), ids["step_id"].to_numpy()), dtype=object)
    materials = ["、".join(m) for m in _runs(names["process"].to_numpy(), names["material"].to_numpy())]
    why = [f"{m}在 {len(g)} 个环节都要求提供" for m, g in zip(materials, groups, strict=True)]
    suggestion = ["材料在受理时一次收取，内部流转共享，后续环节不再要求申请人提交"] * len(groups)
    return _flags(ctx, "repeated_material", groups.reset_index(drop=True), Change.NONE, why, suggestion)


# ------------------------------------------------------------------ item and limit rules


def _item_flags(
    ctx: Context,
    rule: str,
    items: pd.DataFrame,
    why: list[str],
    suggestion: list[str],
    version: str = "",
    step_ids: list[tuple[int, ...]] | None = None,
) -> pd.DataFrame:
    if items.empty:
        return empty_flags()
    step_ids = step_ids or [()] * len(items)
    return pd.DataFrame({
        "flag_key": [f"{rule}|{k}|{version}|" for k in items["item_key"]], "rule": rule,
        "title": RULE_TITLES[rule], "item_id": items["item_id"].to_numpy(), "item": items["name"].to_numpy(),
        "department": items["department"].to_numpy(), "version": version, "step_ids": step_ids,
        "steps": _grouped(ctx, step_ids, "step_name"), "change": str(Change.NONE),
        "days_saved": 0.0, "why": why, "suggestion": suggestion, "change_steps": [()] * len(items),
    })  # fmt: skip


def _retained_with_both_limits(ctx: Context) -> pd.DataFrame:
    """Retained items whose committed and statutory limits are both numbers of days."""
    i = ctx.items
    return i[
        i["counts_as"].eq("retained")
        & i["committed_status"].eq(LimitStatus.VALUE)
        & i["statutory_status"].eq(LimitStatus.VALUE)
    ]


def committed_above_statutory(ctx: Context) -> pd.DataFrame:
    """A new committed limit longer than the statutory one."""
    i = _retained_with_both_limits(ctx)
    hit = i[i["committed_days"].gt(i["statutory_days"])]
    why = [
        f"承诺 {_days(c)} 个工作日，超过法定 {_days(s)} 个工作日"
        for c, s in zip(hit["committed_days"], hit["statutory_days"], strict=True)
    ]
    suggestion = [
        f"承诺时限不得超过法定时限，应承诺不超过 {_days(s)} 个工作日" for s in hit["statutory_days"]
    ]
    return _item_flags(ctx, "committed_above_statutory", hit, why, suggestion)


def no_speedup(ctx: Context) -> pd.DataFrame:
    """A retained item whose committed limit equals the statutory one: no speed-up promised."""
    i = _retained_with_both_limits(ctx)
    hit = i[i["statutory_days"].gt(0) & i["committed_days"].eq(i["statutory_days"])]
    why = [f"承诺时限与法定时限相同，均为 {_days(d)} 个工作日" for d in hit["committed_days"]]
    suggestion = ["按实际办理流程测算，承诺短于法定时限的办结时限"] * len(hit)
    return _item_flags(ctx, "no_speedup", hit, why, suggestion)


def _process_limits(ctx: Context) -> pd.DataFrame:
    """Each process with the limit of its version: before_days for 再造前, after_days for 再造后."""
    p = ctx.processes.merge(
        ctx.items[["item_id", "item_key", "name", "department", "before_days", "after_days"]].rename(
            columns={"department": "item_department"}
        ),
        on="item_id",
    )
    p["limit"] = p["before_days"].where(p["version"].eq(str(Version.BEFORE)), p["after_days"])
    return p[p["limit"].notna() & ~p["has_cycle"]]


def path_over_limit(ctx: Context) -> pd.DataFrame:
    """A process whose timed critical path is longer than its own limit."""
    p = _process_limits(ctx)
    hit = p[p["critical_path_days"].gt(p["limit"])]
    why = [
        f"{_label(v)}流程关键路径 {_days(c)} 个工作日，超过办结时限 {_days(lim)} 个工作日"
        for v, c, lim in zip(hit["version"], hit["critical_path_days"], hit["limit"], strict=True)
    ]
    suggestion = ["按时限倒排各环节用时，或精简、并联关键路径上的环节"] * len(hit)
    return _process_item_flags(ctx, "path_over_limit", hit, why, suggestion)


def outside_over_limit(ctx: Context) -> pd.DataFrame:
    """Time outside the limit (专家评审, 公示, …) longer than the limit itself."""
    p = _process_limits(ctx)
    hit = p[p["outside_limit_days"].gt(p["limit"]) & p["limit"].gt(0)]
    why = [
        f"{_label(v)}流程中不计入时限的环节另需 {_days(o)} 个工作日，长于办结时限 {_days(lim)} 个工作日"
        for v, o, lim in zip(hit["version"], hit["outside_limit_days"], hit["limit"], strict=True)
    ]
    suggestion = ["申请人实际等待远超承诺：为专家评审、公示等环节规定时限，或与审查同步进行"] * len(hit)
    return _process_item_flags(ctx, "outside_over_limit", hit, why, suggestion)


def _process_item_flags(
    ctx: Context, rule: str, hit: pd.DataFrame, why: list[str], suggestion: list[str]
) -> pd.DataFrame:
    if hit.empty:
        return empty_flags()
    items = hit.rename(columns={"item_department": "department_"}).assign(
        name=hit["name"], department=hit["item_department"]
    )
    flags = _item_flags(
        ctx, rule, items, why, suggestion, step_ids=[tuple(c) for c in hit["critical_step_ids"]]
    )
    flags["version"] = hit["version"].to_numpy()
    flags["flag_key"] = [f"{rule}|{k}|{v}|" for k, v in zip(hit["item_key"], hit["version"], strict=True)]
    return flags


def shared_material(ctx: Context) -> pd.DataFrame:
    """Materials another department already holds (营业执照, 身份证, …): get them by data sharing."""
    i = ctx.items[ctx.items["counts_as"].eq("retained") & ctx.items["materials"].ne("")]
    words = ctx.settings.shared_materials
    found = map_distinct(i["materials"], lambda t: "、".join(w for w in words if w in t))
    hit = i[found.ne("").to_numpy()]
    shown = found[found.ne("")]
    why = [f"申请材料中的{m}由政府部门制发或掌握" for m in shown]
    suggestion = ["通过政务数据共享获取，不再要求申请人提交（减材料）"] * len(hit)
    return _item_flags(ctx, "shared_material", hit, why, suggestion)


def legal_basis(ctx: Context) -> pd.DataFrame:
    """Items still in the catalog whose 设定依据 is only of tiers that may not set a licence
    (部门规章, 规范性文件, internal documents; 行政许可法 arts. 14-17): 取消 candidates."""
    i = ctx.items[ctx.items["counts_as"].ne("streamlined")]
    basis = basis_tiers(i)
    hit = i[basis["weak"].to_numpy()]
    labels = basis.loc[basis["weak"].to_numpy(), "top_label"]
    why = [f"设定依据最高只是{label}，不属于可以设定行政许可的法律、法规或决定" for label in labels]
    suggestion = ["列为取消候选；确有法律、法规依据的，补充依据后保留"] * len(hit)
    return _item_flags(ctx, "legal_basis", hit, why, suggestion)


def merge_candidate(ctx: Context) -> pd.DataFrame:
    """Pairs of retained items with near-identical names or the same subject (rapidfuzz)."""
    rules = similarity()
    if ctx.items["counts_as"].eq("retained").sum() > rules.max_items:
        return empty_flags()  # a province catalog: compare one jurisdiction at a time
    pairs = merge_candidates(ctx.items, rules=rules)
    if pairs.empty:
        return empty_flags()
    by_id = ctx.items.set_index("item_id")
    first = by_id.loc[pairs["item_id_a"]].reset_index()
    where = [
        f"{d}“{n}”" if not same else f"“{n}”"
        for d, n, same in zip(pairs["department_b"], pairs["name_b"], pairs["same_department"], strict=True)
    ]
    why = [f"与{w}相近：{r}" for w, r in zip(where, pairs["reason"], strict=True)]
    suggestion = [
        "同一部门内可合并为一个事项" if same else "可合并为一个事项，由一个部门牵头办理"
        for same in pairs["same_department"]
    ]
    flags = _item_flags(ctx, "merge_candidate", first, why, suggestion)
    other = dict(zip(ctx.items["item_id"], ctx.items["item_key"], strict=True))
    flags["flag_key"] = flags["flag_key"] + pairs["item_id_b"].map(other).to_numpy()
    return flags


STEP_RULES: dict[str, Callable[[Context], pd.DataFrame]] = {
    "repeated_review": repeated_review,
    "serial_reviews": serial_reviews,
    "signoff_chain": signoff_chain,
    "pass_through": pass_through,
    "no_step_basis": no_step_basis,
    "instant": instant,
    "repeated_material": repeated_material,
    "path_over_limit": path_over_limit,
    "outside_over_limit": outside_over_limit,
    "committed_above_statutory": committed_above_statutory,
    "no_speedup": no_speedup,
    "shared_material": shared_material,
    "legal_basis": legal_basis,
    "merge_candidate": merge_candidate,
}


# ------------------------------------------------------------------ applying changes


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
    numbers = out["step_no"].astype("str").to_numpy(dtype=object)
    process = out.groupby(["item_id", "version"], sort=False).ngroup().to_numpy()
    first = np.repeat(rows[starts], ends - starts + 1)
    preds[rows] = preds[first]
    # whatever waited for the chain's last step now waits for every step of the chain
    group = np.repeat(np.arange(len(starts)), ends - starts + 1)
    all_numbers = pd.Series(numbers[rows]).groupby(group).agg(",".join).to_numpy()
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


def measure(steps: pd.DataFrame, flags: pd.DataFrame, processes: pd.DataFrame | None = None) -> pd.DataFrame:
    """``flags`` with days_saved: the timed critical path of the flag's process minus the same with
    only that flag's change applied. All variants are built and measured in one vectorised pass."""
    flags = flags.reset_index(drop=True).copy()
    graph = flags.index[flags["change"].ne(str(Change.NONE))]
    if not len(graph):
        return flags
    if processes is None:
        processes = critical_paths(steps)[0]
    keyed = flags.loc[graph, ["item_id", "version", "change", "change_steps"]].assign(
        _variant=graph.to_numpy()
    )
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
    before = processes.set_index(["item_id", "version"])["critical_path_days"]
    original = before.reindex(pd.MultiIndex.from_frame(flags.loc[graph, ["item_id", "version"]])).to_numpy()
    flags.loc[graph, "days_saved"] = np.round(original - after.reindex(graph).to_numpy(), 6)
    return flags


def redesign_flags(
    steps: pd.DataFrame,
    items: pd.DataFrame,
    processes: pd.DataFrame | None = None,
    rules: Settings | None = None,
) -> pd.DataFrame:
    """Every rule's flags, measured, in rule order then item order."""
    if processes is None:
        processes = critical_paths(steps)[0]
    ctx = context(steps, items, processes, rules)
    found = [rule(ctx) for rule in STEP_RULES.values()]
    flags = (
        pd.concat([f for f in found if len(f)], ignore_index=True)
        if any(len(f) for f in found)
        else empty_flags()
    )
    return measure(steps, flags, processes)


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
