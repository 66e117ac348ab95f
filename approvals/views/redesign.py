"""The 流程再造 screen and the report's redesign sections: the flags found, the verdicts, one item's
process with the accepted suggestions applied, the 四减, the legal-basis audit, and the merge
candidates (a ranked list of their own, never counted among the flags).

:func:`item_redesign` is the one place that decides which flags of an item apply (the accepted
ones on the version suggestions apply to), what its process becomes and how its charts are
titled; the screen and the report both draw from it.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import pandas as pd

from approvals.analysis import Analysis, Projection
from approvals.model import VERDICT_LABELS, Counts, Verdict, Version
from approvals.redesign.changes import proposed_steps
from approvals.redesign.legal import tier_breakdown
from approvals.redesign.reductions import MEASURES, applicable, base_versions
from approvals.redesign.verdicts import flagged_steps, verdicts_of
from approvals.settings.redesign import MERGE_RULE
from approvals.views.cards import Metric, count_text
from approvals.views.flags import FLAG_LABELS, filter_flags, flags_table, item_flags_table
from approvals.views.format import days, missing, percent
from approvals.views.labels import item_label, item_labels
from approvals.views.paging import Paging, paging
from approvals.views.process import NO_AFTER_PROCESS, item_flags, process_change, process_steps
from approvals.views.tables import projection_table, tier_table

SHOWN_ROWS = 2000  # merge candidates listed at most (highest first); the slider narrows them
SCOPES = ("保留和未决定的事项", "全部事项")  # which items the legal-basis audit covers
MEAN_PATH = "平均关键路径（工作日）"


@dataclass(frozen=True)
class FlagChoices:
    """The choices of the flag filters."""

    titles: list[str]
    departments: list[str]
    verdicts: list[str]  # Chinese labels
    history: int  # flags on a before-process already re-engineered: shown only on request


def redesign_metrics(
    analysis: Analysis, projection: Projection, verdicts: Mapping[str, str]
) -> tuple[Metric, ...]:
    """The four cards over the screen: flags, verdicts, the projected 缩短率, the steps cut."""
    flags = analysis.flags
    states = verdicts_of(flags, verdicts)
    cut = projection.reductions_overall.iloc[0]
    steps = "—" if missing(cut["steps_before"]) else f"{int(cut['steps_before'])} → {int(cut['steps_after'])}"
    return (
        Metric("提示", f"{len(flags)} 条", note=f"涉及 {flags['item_id'].nunique()} 个事项"),
        Metric(
            "已采纳 / 不采纳",
            f"{int(states.eq(Verdict.ACCEPTED).sum())} / {int(states.eq(Verdict.REJECTED).sum())}",
            note=f"待定 {int(states.eq(Verdict.PENDING).sum())}",
        ),
        Metric(
            "预计缩短率",
            percent(projection.overall.shortening_rate),
            note=f"承诺时限的缩短率 {percent(analysis.overall.shortening_rate)}",
            help="采纳的建议缩短了流程的关键路径，相应的天数从承诺时限中扣除后计算的缩短率。",
        ),
        Metric(
            "减环节",
            steps,
            note=None if missing(cut["steps_cut"]) else percent(cut["steps_cut"]),
            help="有流程的保留事项在再造前与再造后（采纳建议后）的环节总数。",
        ),
    )


def flag_choices(analysis: Analysis) -> FlagChoices:
    flags = analysis.flags
    applies = applicable(flags, analysis.dataset.steps)
    return FlagChoices(
        titles=list(dict.fromkeys(flags["title"])),
        departments=sorted(flags["department"].unique()),
        verdicts=list(VERDICT_LABELS.values()),
        history=int((~applies).sum()),
    )


@dataclass(frozen=True, eq=False)
class FlagSelection:
    """The flags the filters leave, their keys (for accepting them at once) and the table shown."""

    flags: pd.DataFrame
    keys: list[str]
    table: pd.DataFrame  # the flags of one page, verdict editable
    paging: Paging  # which page of the selected flags the table holds


def flag_selection(
    analysis: Analysis,
    verdicts: Mapping[str, str],
    *,
    history: bool = False,
    titles: Sequence[str] = (),
    departments: Sequence[str] = (),
    verdict_labels: Sequence[str] = (),
    search: str = "",
    saving_only: bool = False,
    page: int = 1,
) -> FlagSelection:
    """The flags that match the filters, the table holding page ``page`` of them; flags on a
    before-process whose department submitted an after-process are shown only with ``history``
    (they show what was already re-engineered)."""
    flags = analysis.flags
    states = verdicts_of(flags, verdicts)
    if not history:
        applies = applicable(flags, analysis.dataset.steps).to_numpy()
        flags, states = flags[applies], states[applies]
    chosen = [key for key, label in VERDICT_LABELS.items() if label in verdict_labels]
    subset = filter_flags(
        flags,
        states,
        titles=list(titles),
        departments=list(departments),
        verdicts=chosen,
        search=search,
        saving_only=saving_only,
    )
    pages = paging(len(subset), page)
    return FlagSelection(
        subset, subset["flag_key"].tolist(), flags_table(pages.rows(subset), verdicts), pages
    )


def flagged_items(analysis: Analysis) -> dict[int, str]:
    """The items with flags, item_id → 部门｜名称（子项）, in the order of their first flag."""
    first = analysis.flags.drop_duplicates("item_id")
    items = analysis.dataset.items
    named = item_labels(items[items["item_id"].isin(set(first["item_id"]))])
    return {
        int(i): named.get(int(i), item_label(d, n))
        for i, d, n in zip(first["item_id"], first["department"], first["item"], strict=True)
    }


@dataclass(frozen=True, eq=False)
class Chart:
    """One process chart to draw: its steps, the steps to outline, its title, and a key that
    says everything it depends on (for caching it)."""

    steps: pd.DataFrame
    flagged: frozenset[int]
    title: str
    key: str


@dataclass(frozen=True, eq=False)
class ItemRedesign:
    """One item's flags and what the accepted ones make of its process.

    ``base`` is the version suggestions apply to: the after-process the department submitted,
    else the current one; ``accepted`` the accepted flags on it; ``proposed`` its steps with their
    changes made.
    """

    item_id: int
    label: str
    flags: pd.DataFrame
    flags_table: pd.DataFrame  # without the department and item columns
    base: str
    before: pd.DataFrame
    submitted: pd.DataFrame  # the steps of the base version
    accepted: pd.DataFrame
    proposed: pd.DataFrame
    reductions: tuple[Metric, ...]  # the item's 四减, where it has a process

    @property
    def submitted_after(self) -> bool:
        return self.base == Version.AFTER

    def _key(self, kind: str, marked: frozenset[int] = frozenset()) -> str:
        return f"{kind}|{self.item_id}|{sorted(marked)}|{sorted(self.accepted['flag_key'])}"

    def screen_charts(self) -> tuple[Chart, Chart, Chart | None, str | None]:
        """The screen's charts: before (flags outlined), the after side, a further chart for the
        accepted suggestions on a submitted after-process, and a note."""
        marks = frozenset(flagged_steps(self.flags, Version.BEFORE))
        left = Chart(self.before, marks, "再造前流程（橙框为提示涉及的环节）", self._key("before", marks))
        if self.submitted_after:
            after_marks = frozenset(flagged_steps(self.flags, Version.AFTER))
            right = Chart(
                self.submitted,
                after_marks,
                "部门提交的再造后流程（橙框为仍可改进的环节）",
                self._key("after", after_marks),
            )
            if len(self.accepted):
                extra = Chart(
                    self.proposed,
                    frozenset(),
                    "在提交的再造后流程上采纳建议后的流程",
                    self._key("proposed-after"),
                )
                return left, right, extra, None
            return (
                left,
                right,
                None,
                "部门已提交再造后流程；采纳其中“再造后”的提示后，这里显示进一步优化的流程。",
            )
        right = Chart(self.proposed, frozenset(), "采纳建议后的流程", self._key("proposed"))
        note = (
            "尚未采纳本事项的建议，右侧与再造前相同；在“提示清单”中采纳后即更新。"
            if self.accepted.empty
            else None
        )
        return left, right, None, note

    def report_charts(self) -> tuple[Chart, Chart | None]:
        """The report's charts: before, and the process after (None where the department
        submitted none and nothing was accepted)."""
        before = Chart(self.before, frozenset(flagged_steps(self.flags, Version.BEFORE)), "再造前流程", "")
        if self.submitted_after:
            title = "再造后流程" + ("（含采纳的建议）" if len(self.accepted) else "")
            marked = (
                frozenset(flagged_steps(self.flags, Version.AFTER)) if self.accepted.empty else frozenset()
            )
            steps = self.proposed if len(self.accepted) else self.submitted
            return before, Chart(steps, marked, title, "")
        if self.accepted.empty:
            return before, None
        return before, Chart(self.proposed, frozenset(), "采纳建议后的流程", "")


def _item_reductions(
    projection: Projection | None, item_id: int, *, submitted: bool, accepted: bool
) -> tuple[Metric, ...]:
    """The item's 四减 cards. Where the department submitted no process after re-engineering, the
    process figures say so, unless accepted suggestions make an "after" of the current process."""
    if projection is None:
        return ()
    per_item = projection.per_item[projection.per_item["item_id"].eq(item_id)]
    if per_item.empty:
        return ()
    row = per_item.iloc[0]
    out = []
    for measure, (counted, name) in MEASURES.items():
        before, after = row[f"{measure}_before"], row[f"{measure}_after"]
        show = days if measure == "days" else count_text
        label = f"{name}（{counted}）"
        if measure == "visits" or submitted:  # visits are the item's, not its process's
            value = "—" if missing(before) or missing(after) else f"{show(before)} → {show(after)}"
            out.append(Metric(label, value))
        elif accepted:
            out.append(
                Metric(label, process_change(before, after, show), note=f"采纳建议后（{NO_AFTER_PROCESS}）")
            )
        else:
            out.append(
                Metric(label, process_change(before, after, show, submitted=False), note=NO_AFTER_PROCESS)
            )
    return tuple(out)


def item_redesign(
    analysis: Analysis, item_id: int, verdicts: Mapping[str, str], projection: Projection | None = None
) -> ItemRedesign:
    """One item's flags and its process with the accepted suggestions applied."""
    steps = analysis.dataset.steps
    own = item_flags(analysis, item_id)
    states = verdicts_of(own, verdicts)
    base = str(base_versions(steps).get(item_id, Version.BEFORE))
    accepted = own[states.eq(Verdict.ACCEPTED).to_numpy() & own["version"].eq(base).to_numpy()]
    submitted = process_steps(steps, item_id, base)
    items = analysis.dataset.items
    row = items[items["item_id"].eq(item_id)]
    label = item_label(*row[["department", "name", "sub_item"]].iloc[0]) if len(row) else ""
    return ItemRedesign(
        item_id=item_id,
        label=label,
        flags=own,
        flags_table=flags_table(own, verdicts).drop(columns=["实施部门", "事项名称"]),
        base=base,
        before=process_steps(steps, item_id, Version.BEFORE),
        submitted=submitted,
        accepted=accepted,
        proposed=proposed_steps(submitted, accepted) if len(accepted) else submitted,
        reductions=_item_reductions(
            projection, item_id, submitted=base == Version.AFTER, accepted=not accepted.empty
        ),
    )


@dataclass(frozen=True)
class Reduction:
    """One of the 四减 over every item with a process: before, after (days as the mean critical
    path per item, the others as totals) and the cut as a fraction."""

    measure: str
    name: str  # 减环节, …
    counted: str  # what is counted
    before: float | None
    after: float | None
    cut: float | None


def reductions(projection: Projection) -> list[Reduction]:
    """The 四减 of every item with a process, as the screen and the report show them."""
    cut = projection.reductions_overall.iloc[0]
    out = []
    for measure, (counted, name) in MEASURES.items():
        before, after = cut[f"{measure}_before"], cut[f"{measure}_after"]
        if measure == "days":  # a sum of days says little: the mean critical path per item
            before, after = before / cut["items"], after / cut["items"]
            counted = MEAN_PATH
        out.append(
            Reduction(
                measure,
                name,
                counted,
                None if missing(before) else float(before),
                None if missing(after) else float(after),
                None if missing(cut[f"{measure}_cut"]) else float(cut[f"{measure}_cut"]),
            )
        )
    return out


def reduction_metrics(projection: Projection) -> tuple[Metric, ...]:
    """The 四减 as cards."""
    out = []
    for r in reductions(projection):
        if r.before is None:
            note = "清单未填写到办事现场次数" if r.measure == "visits" else None
            out.append(Metric(r.name, "—", note=note))
            continue
        shown = days if r.measure == "days" else (lambda v: str(int(v)))
        out.append(
            Metric(
                r.name,
                f"{shown(r.before)} → {shown(r.after)}",
                note=None if r.cut is None else f"减少 {percent(r.cut)}",
                help=(
                    "平均每个事项的关键路径（工作日）"
                    if r.measure == "days"
                    else f"{MEASURES[r.measure][0]}合计"
                )
                + "：再造前流程 → 部门提交的再造后流程（没有的取现行流程）并采纳建议。",
            )
        )
    return tuple(out)


@dataclass(frozen=True, eq=False)
class Effect:
    """预计成效: the 四减 cards and the projection per department and for all items."""

    metrics: tuple[Metric, ...]
    departments: pd.DataFrame
    overall: pd.DataFrame
    percent_columns: list[str]
    day_columns: list[str]


def effect(analysis: Analysis, projection: Projection) -> Effect:
    table = projection_table(analysis.departments, projection.departments, projection.reductions_departments)
    overall = projection_table(
        analysis.overall_table, projection.overall_table, projection.reductions_overall
    )
    return Effect(
        metrics=reduction_metrics(projection),
        departments=table,
        overall=overall,
        percent_columns=[c for c in table.columns if "率" in c or c.startswith("减")],
        day_columns=[c for c in table.columns if "平均时限" in c or c.startswith("关键路径")],
    )


@dataclass(frozen=True, eq=False)
class LegalAudit:
    """设定依据审查: items by the highest tier of their basis, per department, and the 取消
    candidates."""

    scope: str
    breakdown: pd.DataFrame  # for the chart
    by_department: pd.DataFrame
    candidates: pd.DataFrame
    count: int


def audited_items(analysis: Analysis, scope: str = SCOPES[0]) -> pd.DataFrame:
    """The items the legal-basis audit covers: those not streamlined (kept or not yet decided),
    or every item."""
    items = analysis.dataset.items
    return items[items["counts_as"].ne(str(Counts.STREAMLINED))] if scope == SCOPES[0] else items


def legal_audit(analysis: Analysis, verdicts: Mapping[str, str], scope: str = SCOPES[0]) -> LegalAudit:
    audited = audited_items(analysis, scope)
    tiers = analysis.settings.legal
    weak = analysis.flags[analysis.flags["rule"].eq("legal_basis")]
    return LegalAudit(
        scope=scope,
        breakdown=tier_breakdown(audited, tiers),
        by_department=tier_table(tier_breakdown(audited, tiers, "department"), tiers),
        candidates=item_flags_table(weak, verdicts),
        count=len(weak),
    )


MERGE_LABELS: dict[str, str] = {
    "score": "相似度",
    "department_a": "实施部门",
    "name_a": "事项名称",
    "department_b": "相近事项的实施部门",
    "name_b": "相近事项",
    "reason": "理由",
    "suggestion": "建议",
}
MERGE_SCORES = (0.0, 100.0)  # the range of a similarity score, and of the screen's slider


@dataclass(frozen=True, eq=False)
class MergeList:
    """可合并的相近事项 as the screen lists them: the pairs scoring at least ``shown_from``,
    highest first, out of ``total`` found. They are no flag: no count of flags includes them."""

    title: str
    shown_from: float
    total: int
    table: pd.DataFrame  # at most SHOWN_ROWS rows, Chinese headers
    note: str


def merge_shown_from(analysis: Analysis) -> float:
    """The score the screen lists merge candidates from until the analyst moves it
    (redesign.toml ``[rules.merge_candidate] shown_from``)."""
    return float(analysis.settings.redesign.rules[MERGE_RULE]["shown_from"])


def merge_pairs(analysis: Analysis, shown_from: float | None = None) -> MergeList:
    """The merge candidates scoring at least ``shown_from`` (by default the settings'), ranked.

    >>> from types import SimpleNamespace
    >>> pairs = pd.DataFrame({"score": [100.0, 85.7, 50.0], "department_a": "市教育局",
    ...     "name_a": ["民办学校设立审批", "甲", "乙"], "department_b": "市教育局",
    ...     "name_b": ["民办学校终止审批", "丙", "丁"], "reason": "…", "suggestion": "…"})
    >>> shown = merge_pairs(SimpleNamespace(merge_candidates=pairs, settings=settings), 80)
    >>> shown.table["相似度"].tolist(), shown.note
    ([100.0, 85.7], '共找到 3 对，相似度不低于 80 的 2 对，按相似度从高到低排列。')
    """
    pairs = analysis.merge_candidates
    threshold = merge_shown_from(analysis) if shown_from is None else float(shown_from)
    chosen = pairs[pairs["score"].ge(threshold).to_numpy()]
    note = f"共找到 {len(pairs)} 对，相似度不低于 {threshold:g} 的 {len(chosen)} 对，按相似度从高到低排列。"
    if len(chosen) > SHOWN_ROWS:
        note += f"只显示前 {SHOWN_ROWS} 对。"
    return MergeList(
        title=analysis.settings.redesign.title(MERGE_RULE),
        shown_from=threshold,
        total=len(pairs),
        table=merge_table(chosen.head(SHOWN_ROWS)),
        note=note,
    )


def merge_table(pairs: pd.DataFrame) -> pd.DataFrame:
    """Merge candidates (approvals.redesign.similar.MERGE_COLUMNS) with Chinese headers, in their order."""
    return pairs[list(MERGE_LABELS)].rename(columns=MERGE_LABELS).reset_index(drop=True)


def saved_days_text(flags_shown: pd.DataFrame) -> pd.DataFrame:
    """A flags table with the days saved written as the report writes them."""
    column = FLAG_LABELS["days_saved"]
    return flags_shown.assign(**{column: flags_shown[column].map(days)})


def verdict_load_note(loaded: Mapping[str, str], known: set[str]) -> str:
    """What loading a verdicts file did: how many verdicts, and how many name no current flag.

    >>> verdict_load_note({"a": "accepted", "z": "rejected"}, {"a", "b"})
    '已载入 2 条提示的采纳情况，其中 1 条在当前数据中已没有。'
    """
    gone = len(set(loaded) - known)
    note = f"，其中 {gone} 条在当前数据中已没有" if gone else ""
    return f"已载入 {len(loaded)} 条提示的采纳情况{note}。"
