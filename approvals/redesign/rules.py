"""The 流程再造 rules, each a function over the whole step or item table, and their registry.

A rule takes the annotated context and itself (its key, its change, and through the context its
title and thresholds) and returns its flags, unmeasured: approvals.redesign.flags measures them.
"""

from __future__ import annotations

import itertools
from collections.abc import Callable
from typing import Any

import numpy as np
import pandas as pd

from approvals.model import Change, LimitStatus, Version
from approvals.redesign.context import (
    Context,
    Rule,
    day_text,
    empty_flags,
    item_flags,
    named,
    process_flags,
    step_flags,
    step_info,
    version_label,
)
from approvals.redesign.legal import basis_tiers
from approvals.settings.redesign import RedesignRules
from approvals.text import fold, map_distinct


def pass_through(ctx: Context, rule: Rule) -> pd.DataFrame:
    """Steps that only register, sign for or pass a file on (登记, 签收, 转办, …) yet take days."""
    s = ctx.steps
    hit = s[s["kind"].eq("passthrough") & s["days"].gt(ctx.thresholds(rule)["min_days"])]
    why = [
        f"“{n}”只是登记、签收或转交，不作审查或决定，却占用 {day_text(d)} 个工作日"
        for n, d in zip(hit["step_name"].tolist(), hit["days"].tolist(), strict=True)
    ]
    suggestion = "取消该环节，由系统自动流转（或并入受理），前后环节直接衔接"
    return _removals(ctx, rule, hit, why, suggestion)


def _removals(ctx: Context, rule: Rule, hit: pd.DataFrame, why: list[str], suggestion: str) -> pd.DataFrame:
    """One flag per step of ``hit``, each suggesting that the step be removed."""
    steps = pd.Series([(i,) for i in hit["step_id"].tolist()], dtype=object)
    return step_flags(ctx, rule, steps, why, suggestion)


def repeated_review(ctx: Context, rule: Rule) -> pd.DataFrame:
    """The same review done twice in one process: a review step name that recurs, or the same
    office and post reviewing twice (a step whose post is not written is no "same post"). The
    later ones are suggested for removal."""
    s = ctx.steps[ctx.steps["kind"].isin(["review", "check"])].copy()
    s["_name"] = map_distinct(s["step_name"], fold)
    s["_order"] = np.arange(len(s))
    s["_post"] = s["person"].where(s["person"].ne(""), s["post"])
    groups: dict[tuple[int, ...], str] = {}
    for keys, reason in (
        (["process", "_name"], "同名审查"),
        (["process", "office", "_post"], "同一科室同一岗位"),
    ):
        part = s if reason == "同名审查" else s[s["office"].ne("") & s["_post"].ne("")]
        repeated = part.loc[part.duplicated(keys, keep=False).to_numpy(), [*keys, "_order", "step_id"]]
        # groups in the order of their first step, each group's steps in their order
        repeated = repeated.sort_values("_order", kind="stable")
        group = repeated.groupby(keys, sort=False).ngroup().to_numpy()
        order = np.argsort(group, kind="stable")
        for ids in _runs(group[order], repeated["step_id"].to_numpy()[order]):
            groups.setdefault(ids, reason)
    if not groups:
        return empty_flags()
    ids = pd.Series(list(groups), dtype=object)
    info = step_info(s, [i for g in groups for i in g])
    why = [f"{reason}重复出现：{named(info, g, 'office', '、')}" for g, reason in groups.items()]
    suggestion = "合并为一次审查，保留第一次，取消后面的重复审查"
    return step_flags(
        ctx,
        rule,
        ids,
        why,
        suggestion,
        change_steps=pd.Series([g[1:] for g in groups], dtype=object),
    )


def _serial_chains(
    ctx: Context, allowed: np.ndarray, link: Callable[[np.ndarray, np.ndarray], np.ndarray]
) -> pd.Series:
    """Maximal chains of allowed steps (a bool per row of ``ctx.steps``) joined one to one (the only
    successor of one is the next, and it has no other predecessor), where ``link`` holds for each
    joining edge (given the rows of its two ends). A Series of tuples of step ids, in chain
    order, chains of two steps or more."""
    src, dst = ctx.edge_rows
    s = ctx.steps
    ok = allowed[src] & allowed[dst]
    ok &= s["out_degree"].to_numpy()[src] == 1
    ok &= s["in_degree"].to_numpy()[dst] == 1
    src, dst = src[ok], dst[ok]
    linked = link(src, dst)
    src, dst = src[linked], dst[linked]
    if not len(src):
        return pd.Series([], dtype=object)
    ids = s["step_id"].to_numpy()
    return pd.Series(linked_runs(ids[src], ids[dst]), dtype=object)


def linked_runs(src: np.ndarray, dst: np.ndarray) -> list[tuple[int, ...]]:
    """The chains that one-to-one links (each id at most once a source and once a target) make,
    as tuples of ids from head to tail, by head id; links that only go round a cycle make none.
    Each id's head and place in its chain are found by pointer jumping (a few numpy passes, not
    a walk per chain).

    >>> linked_runs(np.array([7, 1, 2, 5, 6]), np.array([8, 2, 3, 6, 5]))
    [(1, 2, 3), (7, 8)]
    """
    nodes = np.unique(np.concatenate([src, dst]))
    before = np.full(len(nodes), -1, dtype=np.int64)
    before[np.searchsorted(nodes, dst)] = np.searchsorted(nodes, src)
    pointer = np.where(before < 0, np.arange(len(nodes)), before)
    rank = (before >= 0).astype(np.int64)
    for _ in range(max(len(nodes), 1).bit_length() + 1):
        jumped = pointer[pointer]
        if np.array_equal(jumped, pointer):
            break
        rank, pointer = rank + rank[pointer], jumped
    reached = before[pointer] < 0  # the head is a head: not a node going round a cycle
    heads, ranks, ids = nodes[pointer][reached], rank[reached], nodes[reached]
    order = np.lexsort((ranks, heads))
    return _runs(heads[order], ids[order])


def serial_reviews(ctx: Context, rule: Rule) -> pd.DataFrame:
    """Reviews by different offices in a row, none needing another's result → 并联审批.

    Three serial reviews of 4, 3 and 5 days become one parallel stage of 5 days: 7 days saved.
    """
    s = ctx.steps
    allowed = (s["kind"].isin(ctx.thresholds(rule)["kinds"]) & s["office"].ne("")).to_numpy()
    office = pd.factorize(s["office"])[0]

    def different_offices(src: np.ndarray, dst: np.ndarray) -> np.ndarray:
        return office[src] != office[dst]

    chains = _serial_chains(ctx, allowed, different_offices)
    chains = chains[chains.map(len) >= ctx.thresholds(rule)["min_steps"]]
    info = step_info(ctx.steps, [i for c in chains for i in c])

    def serialday_text(chain: tuple[int, ...]) -> str:
        inside = sum(info[i]["days"] for i in chain if info[i]["counted"])
        outside = sum(info[i]["days"] for i in chain if not info[i]["counted"])
        extra = f"，另有不计时 {day_text(outside)} 个工作日" if outside else ""
        return f"串联用时 {day_text(inside)} 个工作日{extra}"

    why = [f"{named(info, c, 'office')}由不同科室依次审查，{serialday_text(c)}" for c in chains]
    suggestion = "各科室同时审查（并联审批），以最长的一项为准"
    return step_flags(ctx, rule, chains.reset_index(drop=True), why, suggestion)


def _posted(info: dict[int, dict[str, Any]], ids: tuple[int, ...]) -> str:
    """Step names with their posts in brackets, unless the name already writes it:
    "审核（科长）→审批（分管副局长）", "审核(科长)→签发(局长)"."""
    return "→".join(
        info[i]["step_name"]
        if info[i]["post"] in fold(info[i]["step_name"])
        else f"{info[i]['step_name']}（{info[i]['post']}）"
        for i in ids
    )


def signoff_chain(ctx: Context, rule: Rule) -> pd.DataFrame:
    """Sign-off chains of three or more levels (科员 → 科长 → 分管领导 → 主要领导) → delegate the top.

    A step's level is that of its post (:func:`approvals.redesign.context.step_posts`): its person
    or 岗位 column, a post in brackets in its name, or its office; steps of no known level are no
    link of a chain."""
    s = ctx.steps
    t = ctx.thresholds(rule)
    allowed = (s["kind"].isin(t["kinds"]) & s["level"].gt(0)).to_numpy()
    level = s["level"].to_numpy()

    def rising(src: np.ndarray, dst: np.ndarray) -> np.ndarray:
        return level[dst] >= level[src]

    chains = _serial_chains(ctx, allowed, rising)
    owner, flat = _members(chains)
    levels = pd.DataFrame({"chain": owner, "level": ctx.steps["level"].to_numpy()[ctx.rows(flat)]})
    distinct = np.bincount(levels.drop_duplicates()["chain"].to_numpy(), minlength=len(chains))
    chains = chains[distinct >= t["levels"]]
    info = step_info(ctx.steps, [i for c in chains for i in c])
    keep = int(t["keep_levels"])
    removed, why, suggestion = [], [], []
    for chain in chains:
        levels = sorted({info[i]["level"] for i in chain})
        kept_levels = set(levels[:keep])
        removed.append(tuple(i for i in chain if info[i]["level"] not in kept_levels))
        top = info[[i for i in chain if info[i]["level"] in kept_levels][-1]]
        why.append(f"签批经过 {len(levels)} 个层级：{_posted(info, chain)}")
        suggestion.append(f"授权由{top['post']}签发，取消更高层级的逐级审批")
    return step_flags(
        ctx,
        rule,
        chains.reset_index(drop=True),
        why,
        suggestion,
        change_steps=pd.Series(removed, dtype=object),
    )


def no_step_basis(ctx: Context, rule: Rule) -> pd.DataFrame:
    """Where the list records a legal basis per step, steps without one (受理, 决定, 送达 aside)."""
    s = ctx.steps
    recorded = s["legal_basis"].ne("").groupby(s["process"]).transform("any")
    hit = s[recorded & s["legal_basis"].eq("") & ~s["kind"].isin(["accept", "decide", "deliver"])]
    why = [f"本流程逐环节列明了法定依据，“{n}”没有依据" for n in hit["step_name"].tolist()]
    suggestion = "没有法律法规依据的环节应予取消；确有依据的请补充"
    return _removals(ctx, rule, hit, why, suggestion)


def instant(ctx: Context, rule: Rule) -> pd.DataFrame:
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
    why = [f"流程只有受理和决定两个环节，却需 {day_text(d)} 个工作日" for d in p["critical_path_days"]]
    suggestion = "材料齐全即当场作出决定，改为即办件"
    return step_flags(ctx, rule, groups, why, suggestion)


def material_rows(steps: pd.DataFrame, rules: RedesignRules) -> pd.DataFrame:
    """One row per (step, material named at it): step_id, item_id, version (and process where the
    steps are a rule context's, which numbers the processes), material. Each distinct 所需材料 text
    is split once."""
    sep = rules.material_separators
    wanted = ["step_id", "item_id", "version", *(["process"] if "process" in steps.columns else [])]
    listed = steps.loc[steps["materials"].ne("").to_numpy(), [*wanted, "materials"]]
    codes, texts = pd.factorize(listed["materials"])
    parts = pd.DataFrame({"code": np.arange(len(texts)), "material": [sep.split(t) for t in texts]})
    parts = parts.explode("material")
    parts["material"] = parts["material"].astype("str").str.strip()
    parts = parts[parts["material"].ne("") & parts["material"].ne("nan")]
    out = listed[wanted].assign(code=codes).merge(parts, on="code", sort=False).drop(columns="code")
    return out.drop_duplicates(["step_id", "material"]).reset_index(drop=True)


def _runs(keys: np.ndarray, values: np.ndarray) -> list[tuple[Any, ...]]:
    """``values`` cut into tuples where the (sorted) ``keys`` change, in order.

    >>> _runs(np.array([1, 1, 4, 4, 4, 9]), np.array(["a", "b", "c", "d", "e", "f"]))
    [('a', 'b'), ('c', 'd', 'e'), ('f',)]
    """
    if not len(values):
        return []
    bounds = [0, *(np.flatnonzero(keys[1:] != keys[:-1]) + 1).tolist(), len(values)]
    plain = values.tolist()
    return [tuple(plain[a:b]) for a, b in itertools.pairwise(bounds)]


def _members(chains: pd.Series) -> tuple[np.ndarray, np.ndarray]:
    """(the chain each step belongs to, the step ids), the chains laid end to end."""
    lengths = np.fromiter((len(c) for c in chains), dtype=np.int64, count=len(chains))
    flat = np.fromiter(itertools.chain.from_iterable(chains), dtype=np.int64, count=int(lengths.sum()))
    return np.repeat(np.arange(len(chains)), lengths), flat


def repeated_material(ctx: Context, rule: Rule) -> pd.DataFrame:
    """The same material asked for at several steps of one process."""
    rows = material_rows(ctx.steps, ctx.settings.redesign)
    repeated = rows[rows.groupby(["process", "material"])["step_id"].transform("size").ge(2)]
    if repeated.empty:
        return empty_flags()
    ordered = repeated.sort_values(["process", "step_id"], kind="stable")
    ids = ordered.drop_duplicates(["process", "step_id"])
    names = ordered.drop_duplicates(["process", "material"])
    groups = pd.Series(_runs(ids["process"].to_numpy(), ids["step_id"].to_numpy()), dtype=object)
    materials = ["、".join(m) for m in _runs(names["process"].to_numpy(), names["material"].to_numpy())]
    why = [f"{m}在 {len(g)} 个环节都要求提供" for m, g in zip(materials, groups, strict=True)]
    suggestion = "材料在受理时一次收取，内部流转共享，后续环节不再要求申请人提交"
    return step_flags(ctx, rule, groups.reset_index(drop=True), why, suggestion)


# What item_flags reads of an item: a rule selects these (and what it tests) before it filters rows,
# not the whole table.
_FLAGGED_ITEM_COLUMNS = ["item_id", "item_key", "name", "department"]


def _retained_with_both_limits(ctx: Context) -> pd.DataFrame:
    """Retained items whose committed and statutory limits are both numbers of days."""
    i = ctx.items
    both = (
        i["counts_as"].eq("retained")
        & i["committed_status"].eq(LimitStatus.VALUE)
        & i["statutory_status"].eq(LimitStatus.VALUE)
    )
    return i.loc[both.to_numpy(), [*_FLAGGED_ITEM_COLUMNS, "committed_days", "statutory_days"]]


def committed_above_statutory(ctx: Context, rule: Rule) -> pd.DataFrame:
    """A new committed limit longer than the statutory one."""
    i = _retained_with_both_limits(ctx)
    hit = i[i["committed_days"].gt(i["statutory_days"])]
    why = [
        f"承诺 {day_text(c)} 个工作日，超过法定 {day_text(s)} 个工作日"
        for c, s in zip(hit["committed_days"].tolist(), hit["statutory_days"].tolist(), strict=True)
    ]
    suggestion = [
        f"承诺时限不得超过法定时限，应承诺不超过 {day_text(s)} 个工作日"
        for s in hit["statutory_days"].tolist()
    ]
    return item_flags(ctx, rule, hit, why, suggestion)


def no_speedup(ctx: Context, rule: Rule) -> pd.DataFrame:
    """A retained item whose committed limit equals the statutory one: no speed-up promised."""
    i = _retained_with_both_limits(ctx)
    hit = i[i["statutory_days"].gt(0) & i["committed_days"].eq(i["statutory_days"])]
    why = [f"承诺时限与法定时限相同，均为 {day_text(d)} 个工作日" for d in hit["committed_days"].tolist()]
    suggestion = "按实际办理流程测算，承诺短于法定时限的办结时限"
    return item_flags(ctx, rule, hit, why, suggestion)


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


def path_over_limit(ctx: Context, rule: Rule) -> pd.DataFrame:
    """A process whose timed critical path is longer than its own limit."""
    p = _process_limits(ctx)
    hit = p[p["critical_path_days"].gt(p["limit"])]
    why = [
        f"{version_label(v)}流程关键路径 {day_text(c)} 个工作日，超过办结时限 {day_text(lim)} 个工作日"
        for v, c, lim in zip(
            hit["version"].tolist(), hit["critical_path_days"].tolist(), hit["limit"].tolist(), strict=True
        )
    ]
    suggestion = "按时限倒排各环节用时，或精简、并联关键路径上的环节"
    return process_flags(ctx, rule, hit, why, suggestion)


def outside_over_limit(ctx: Context, rule: Rule) -> pd.DataFrame:
    """Time outside the limit (专家评审, 公示, …) longer than the limit itself."""
    p = _process_limits(ctx)
    hit = p[p["outside_limit_days"].gt(p["limit"]) & p["limit"].gt(0)]
    why = [
        f"{version_label(v)}流程中不计入时限的环节另需 {day_text(o)} 个工作日，"
        f"长于办结时限 {day_text(lim)} 个工作日"
        for v, o, lim in zip(
            hit["version"].tolist(), hit["outside_limit_days"].tolist(), hit["limit"].tolist(), strict=True
        )
    ]
    suggestion = "申请人实际等待远超承诺：为专家评审、公示等环节规定时限，或与审查同步进行"
    return process_flags(ctx, rule, hit, why, suggestion)


def shared_material(ctx: Context, rule: Rule) -> pd.DataFrame:
    """Materials another department already holds (营业执照, 身份证, …): get them by data sharing."""
    items = ctx.items
    wanted = (items["counts_as"].eq("retained") & items["materials"].ne("")).to_numpy()
    i = items.loc[wanted, [*_FLAGGED_ITEM_COLUMNS, "materials"]]
    words = ctx.settings.redesign.shared_materials
    found = map_distinct(i["materials"], lambda t: "、".join(w for w in words if w in t))
    hit = i[found.ne("").to_numpy()]
    shown = found[found.ne("")]
    why = [f"申请材料中的{m}由政府部门制发或掌握" for m in shown.tolist()]
    suggestion = "通过政务数据共享获取，不再要求申请人提交（减材料）"
    return item_flags(ctx, rule, hit, why, suggestion)


def legal_basis(ctx: Context, rule: Rule) -> pd.DataFrame:
    """Items still in the catalog whose 设定依据 is only of tiers that may not set a licence
    (部门规章, 规范性文件, internal documents; 行政许可法 arts. 14-17): 取消 candidates. The
    articles bind licences only: items of other lists are never flagged (legal_tiers.toml
    [candidates])."""
    items = ctx.items
    i = items[
        items["counts_as"].ne("streamlined") & items["category"].isin(ctx.settings.legal.candidate_lists)
    ]
    basis = basis_tiers(i, ctx.settings.legal)
    hit = i[basis["weak"].to_numpy()]
    labels = basis.loc[basis["weak"].to_numpy(), "top_label"]
    why = [f"设定依据最高只是{label}，不属于可以设定行政许可的法律、法规或决定" for label in labels]
    suggestion = "列为取消候选；确有法律、法规依据的，补充依据后保留"
    return item_flags(ctx, rule, hit, why, suggestion)


# The registry, in the order flags are listed. Each rule's title and thresholds are its
# [rules.<key>] section of redesign.toml. Merge candidates (its last section) are no flag of a
# process: approvals.redesign.similar lists them apart, ranked by similarity.
RULES: tuple[Rule, ...] = (
    Rule("repeated_review", repeated_review, Change.REMOVE),
    Rule("serial_reviews", serial_reviews, Change.PARALLEL),
    Rule("signoff_chain", signoff_chain, Change.REMOVE),
    Rule("pass_through", pass_through, Change.REMOVE),
    Rule("no_step_basis", no_step_basis, Change.REMOVE),
    Rule("instant", instant, Change.INSTANT),
    Rule("repeated_material", repeated_material, Change.NONE),
    Rule("path_over_limit", path_over_limit, Change.NONE),
    Rule("outside_over_limit", outside_over_limit, Change.NONE),
    Rule("committed_above_statutory", committed_above_statutory, Change.NONE),
    Rule("no_speedup", no_speedup, Change.NONE),
    Rule("shared_material", shared_material, Change.NONE),
    Rule("legal_basis", legal_basis, Change.NONE),
)
RULE_KEYS: tuple[str, ...] = tuple(rule.key for rule in RULES)
