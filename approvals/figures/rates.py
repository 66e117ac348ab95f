"""The headline figures: 精简率 and 缩短率, per list, per department and overall, against targets.

精简率 = streamlined / decided, where decided = retained + streamlined; items without a decision,
and every item of a current catalog (a list without a decision column, uploaded beside a clean-up),
are left out of the rate and counted beside it. 缩短率 = (T_before − T_after) / T_before over the
retained items that have both limits: a ratio of means, with the mean of per-item ratios beside
it. Items left out of the time figures are counted by reason, never silently dropped.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from approvals.model import ALL_ITEMS, UNSPECIFIED_GROUP, Counts, Decision, LimitStatus
from approvals.settings.targets import Targets

LEFT_OUT_LABELS: dict[str, str] = {
    "before_invalid": "原期限（法定或原承诺）无法识别",
    "before_no_limit": "法定时限为“法律未规定”且无原承诺时限",
    "before_blank": "原期限（法定或原承诺）未填写",
    "before_unusable": "原期限无法折算为工作日",
    "after_invalid": "新承诺时限无法识别",
    "after_no_limit": "新承诺时限为“无时限”",
    "after_blank": "新承诺时限未填写",
    "after_unusable": "新承诺时限无法折算为工作日",
}


FIGURE_COLUMNS: list[str] = [
    "group",
    "before",
    "retained",
    "streamlined",
    "undecided",
    "current",
    "decided",
    *(f"n_{d}" for d in Decision),
    "streamlining_rate",
    "time_counted_items",
    "left_out",
    "before_avg_days",
    "after_avg_days",
    "shortening_rate",
    "mean_item_shortening_rate",
    "streamlining_target",
    "streamlining_met",
    "shortening_target",
    "shortening_met",
    "benchmark_days",
    "benchmark_gap",
]


_DECISIONS = [str(d) for d in Decision]


# Rates are summed floats; a target met exactly must not fail on the last bit.
_TOLERANCE = 1e-12


def _roles(items: pd.DataFrame) -> pd.Series:
    """How each item counts (the dataset works it out: approvals.dataset.roles)."""
    return items["counts_as"]


def _has_decision(items: pd.DataFrame) -> pd.Series:
    return items["has_decision"]


def _status(items: pd.DataFrame, prefix: str) -> pd.Series:
    """A limit's status, with an empty cell read as blank."""
    status = items[f"{prefix}_status"]
    return status.mask(status == "", str(LimitStatus.BLANK))


def _time_parts(items: pd.DataFrame, roles: pd.Series) -> tuple[pd.Series, pd.Series, pd.Series]:
    """(counted, before, after): retained items with both limits, and the limits in days."""
    before = items["before_days"]
    after = items["after_days"]
    counted = (roles == Counts.RETAINED) & before.notna() & after.notna()
    return counted, before, after


def _item_rates(counted: pd.Series, before: pd.Series, after: pd.Series) -> pd.Series:
    usable = counted & (before > 0)
    return ((before - after) / before).where(usable)


def streamlining_rate(items: pd.DataFrame) -> float | None:
    """精简率: streamlined / (retained + streamlined) over the items of clean-up lists; None for a
    current catalog.

    None (not 0) when no item came from a list with a decision column, or nothing was decided.
    The items of a current catalog uploaded beside a clean-up list never enter the rate.

    >>> items = pd.DataFrame({"counts_as": ["retained"] * 184 + ["streamlined"] * 209,
    ...                       "has_decision": True})
    >>> round(streamlining_rate(items), 4)  # 209 / 393
    0.5318
    >>> catalog = pd.DataFrame({"counts_as": ["retained"] * 100, "has_decision": False})
    >>> round(streamlining_rate(pd.concat([items, catalog])), 4)  # still 209 / 393
    0.5318
    """
    has_decision = _has_decision(items)
    if not has_decision.any():
        return None
    roles = _roles(items)
    streamlined = int((roles == Counts.STREAMLINED).sum())
    decided = int(((roles == Counts.RETAINED) & has_decision).sum()) + streamlined
    return streamlined / decided if decided else None


def shortening_rate(items: pd.DataFrame) -> float | None:
    """缩短率 as a ratio of means over the retained items with both limits; None if there are none.

    >>> items = pd.DataFrame({"counts_as": "retained", "has_decision": True,
    ...                       "before_days": [30.0, 20.0], "after_days": [7.0, 5.0]})
    >>> shortening_rate(items)  # (25 - 6) / 25
    0.76
    """
    counted, before, after = _time_parts(items, _roles(items))
    if not counted.any():
        return None
    mean_before = before[counted].mean()
    if mean_before <= 0:
        return None
    return float((mean_before - after[counted].mean()) / mean_before)


def item_shortening_rates(items: pd.DataFrame) -> pd.Series:
    """Each retained item's own (before − after) / before, aligned with ``items``.

    NaN for items not counted in the time figures and for items whose before limit is 0 (即办),
    where a ratio does not exist.

    >>> items = pd.DataFrame({"counts_as": "retained", "has_decision": True,
    ...                       "before_days": [30.0, 20.0], "after_days": [7.0, 5.0]})
    >>> item_shortening_rates(items).round(4).tolist()
    [0.7667, 0.75]
    """
    counted, before, after = _time_parts(items, _roles(items))
    return _item_rates(counted, before, after).rename("item_shortening_rate")


def left_out_reasons(items: pd.DataFrame) -> pd.Series:
    """Why each retained item is left out of the time figures (a LEFT_OUT_LABELS key), else "".

    The before limit is checked first: an item missing both is counted once, under its before limit.
    """
    return _reasons(items, _roles(items))


def _reasons(items: pd.DataFrame, roles: pd.Series) -> pd.Series:
    _, before, after = _time_parts(items, roles)
    retained = roles == Counts.RETAINED
    statutory, original, committed = (_status(items, p) for p in ("statutory", "original", "committed"))
    has_original = original == LimitStatus.VALUE
    no_before = retained & before.isna()
    no_after = retained & before.notna() & after.isna()
    reasons = np.select(
        [
            no_before
            & ((original == LimitStatus.INVALID) | ((statutory == LimitStatus.INVALID) & ~has_original)),
            no_before & (statutory == LimitStatus.NONE) & ~has_original,
            no_before & (statutory == LimitStatus.BLANK) & ~has_original,
            no_before,
            no_after & (committed == LimitStatus.INVALID),
            no_after & (committed == LimitStatus.NONE),
            no_after & (committed == LimitStatus.BLANK),
            no_after,
        ],
        list(LEFT_OUT_LABELS),
        default="",
    )
    return pd.Series(reasons, index=items.index, dtype="str", name="left_out")


def benchmark_gap(days: float, benchmark: float) -> float:
    """How far below a benchmark a mean limit lies: (benchmark − days) / benchmark.

    Negative when the limit is above the benchmark.

    >>> round(benchmark_gap(11.01, 11.5), 4)  # 4.3% below the province's own 11.5 days
    0.0426
    """
    if benchmark <= 0:
        raise ValueError("对比基准的时限必须大于 0 天")
    return (benchmark - days) / benchmark


def _group_key(items: pd.DataFrame, by: str | None) -> pd.Series:
    if by is None:
        return pd.Series(ALL_ITEMS, index=items.index, dtype="str")
    key = items[by].str.strip()
    return key.mask(key == "", UNSPECIFIED_GROUP)


def meets(rate: Any, target: Any) -> Any:
    """Whether a rate (or an array of rates) meets a target: not below it, to the last bit
    (rates are sums of floats, and a target met exactly must not fail).

    >>> meets(0.3, 0.3), meets(0.2999, 0.3), meets(np.array([0.5, 0.1]), 0.3).tolist()
    (True, False, [True, False])
    """
    return rate >= target - _TOLERANCE


def _met(rate: pd.Series, target: pd.Series) -> pd.Series:
    """True / False where both exist, else None."""
    known = rate.notna() & target.notna()
    met = meets(rate, target).astype(object)
    return met.where(known, None)


_COUNT_COLUMNS = ["before", "retained", "streamlined", "undecided", "current", "kept"]
_COUNT_COLUMNS += [f"n_{d}" for d in _DECISIONS] + ["time_counted_items"]
# What a group's figures are made of, each a sum over its items: figures of several parts of a
# catalog (the partitions of a cluster) add up to the figures of the whole.
SUM_COLUMNS: list[str] = [
    *_COUNT_COLUMNS,
    "before_sum",
    "after_sum",
    "decided_lists",
    "item_rate_sum",
    "item_rates",
    *(f"left_{code}" for code in LEFT_OUT_LABELS),
]


def item_sums(items: pd.DataFrame) -> pd.DataFrame:
    """What each item adds to its group's :data:`SUM_COLUMNS` (one row per item, same index): worked
    out once and grouped as many ways as wanted (:func:`figure_sums` with ``parts``)."""
    roles = _roles(items)
    has_decision = _has_decision(items)
    decision = items["decision"]
    decision = decision.where(decision.isin(_DECISIONS), str(Decision.UNDECIDED))
    decision = decision.where(has_decision, str(Decision.RETAINED))  # a current catalog's items
    counted, before, after = _time_parts(items, roles)
    rates = _item_rates(counted, before, after)
    reasons = _reasons(items, roles)
    return pd.DataFrame(
        {
            "before": 1,
            "retained": roles == Counts.RETAINED,
            "streamlined": roles == Counts.STREAMLINED,
            "undecided": roles == Counts.UNDECIDED,
            "current": ~has_decision,
            "kept": (roles == Counts.RETAINED) & has_decision,
            **{f"n_{d}": decision == d for d in _DECISIONS},
            "time_counted_items": counted,
            "before_sum": before.where(counted, 0.0),
            "after_sum": after.where(counted, 0.0),
            "decided_lists": has_decision,
            "item_rate_sum": rates.fillna(0.0),
            "item_rates": rates.notna(),
            **{f"left_{code}": reasons == code for code in LEFT_OUT_LABELS},
        },
        index=items.index,
    )


def figure_sums(
    items: pd.DataFrame, by: str | None = None, positions: Any = None, parts: pd.DataFrame | None = None
) -> pd.DataFrame:
    """The additive parts of :func:`figures`: one row per group (the index), :data:`SUM_COLUMNS`
    and ``first``, the position of the group's first item (``positions``, default the row
    number), which orders the groups as they first appear. ``parts``: the items'
    :func:`item_sums` where the caller has them already.

    >>> from approvals.model import ITEM_COLUMNS, conform
    >>> items = conform(pd.DataFrame({"department": ["甲", "乙", "甲"],
    ...     "counts_as": ["retained", "streamlined", "retained"], "decision": ["retained", "cancelled",
    ...     "retained"], "has_decision": True, "before_days": 20.0, "after_days": [10.0, 5.0, 5.0]}),
    ...     ITEM_COLUMNS)
    >>> sums = figure_sums(items, "department")
    >>> sums[["before", "streamlined", "before_sum", "after_sum", "first"]].reset_index()
      group  before  streamlined  before_sum  after_sum  first
    0     甲       2            0        40.0       15.0      0
    1     乙       1            1         0.0        0.0      1
    """
    work = (item_sums(items) if parts is None else parts).assign(
        group=_group_key(items, by),
        first=np.arange(len(items)) if positions is None else np.asarray(positions),
    )
    grouped = work.groupby("group", sort=False)
    table = grouped[SUM_COLUMNS].sum()
    table["first"] = grouped["first"].min()
    return table


def add_figure_sums(parts: list[pd.DataFrame]) -> pd.DataFrame:
    """The sums of several parts of a catalog as the sums of the whole (groups in the order they
    first appear in it).

    >>> a = pd.DataFrame({"before": [2], "first": [0]}, index=pd.Index(["甲"], name="group"))
    >>> b = pd.DataFrame({"before": [1, 4], "first": [3, 1]}, index=pd.Index(["甲", "乙"], name="group"))
    >>> add_figure_sums([a, b]).reset_index()
      group  before  first
    0     甲       3      0
    1     乙       4      1
    """
    joined = pd.concat(parts)
    grouped = joined.groupby(level=0, sort=False)
    table = grouped[[c for c in joined.columns if c != "first"]].sum()
    table["first"] = grouped["first"].min()
    return table.sort_values("first", kind="stable")


def figures(
    items: pd.DataFrame,
    by: str | None = None,
    *,
    targets: Targets,
    benchmarks: Mapping[str, float] | None = None,
    parts: pd.DataFrame | None = None,
) -> pd.DataFrame:
    """The headline figures, one row per group of ``by`` (a column, e.g. "category" for each list,
    "department"), or one overall row (group "全部事项") when ``by`` is None.

    Rates are NaN where the figure does not exist (the single-figure functions return None);
    ``*_met`` is True / False, or None without a rate or a target. Per-list targets apply only
    with by="category"; departments and the overall row are held to the default target, since a
    department usually has items of several lists.
    ``benchmarks`` maps a group to a benchmark mean
    limit in days; ``benchmark_gap`` is how far the group's after_avg_days lies below it.
    Groups keep the order in which they first appear; blank groups are "（未注明）". ``parts``: the
    items' :func:`item_sums`, when they are grouped several ways.

    >>> from approvals.model import ITEM_COLUMNS, conform
    >>> items = conform(pd.DataFrame({"category": ["行政许可"] * 4 + ["投资项目审批"] * 2,
    ...     "counts_as": ["retained", "streamlined", "streamlined", "undecided",
    ...                   "retained", "retained"],
    ...     "decision": ["retained", "cancelled", "delegated", "undecided", "retained", "retained"],
    ...     "has_decision": True, "before_days": 20.0, "after_days": 10.0}), ITEM_COLUMNS)
    >>> table = figures(items, by="category", targets=Targets(streamlining_default=0.3))
    >>> table[["group", "before", "decided", "streamlining_rate", "streamlining_met"]]
        group  before  decided  streamlining_rate streamlining_met
    0    行政许可       4        3           0.666667             True
    1  投资项目审批       2        2           0.000000            False
    """
    return figures_from_sums(figure_sums(items, by, parts=parts), by, targets=targets, benchmarks=benchmarks)


def figures_from_sums(
    sums: pd.DataFrame,
    by: str | None = None,
    *,
    targets: Targets,
    benchmarks: Mapping[str, float] | None = None,
) -> pd.DataFrame:
    """:func:`figures` from the groups' sums (:func:`figure_sums`, or :func:`add_figure_sums` of
    the parts of a catalog)."""
    table = sums[SUM_COLUMNS].copy()
    if by is None:
        table = table.reindex([ALL_ITEMS])
        table[SUM_COLUMNS] = table[SUM_COLUMNS].fillna(0)
    table[_COUNT_COLUMNS] = table[_COUNT_COLUMNS].astype("int64")
    table["has_decision"] = table["decided_lists"] > 0
    table["mean_item_shortening_rate"] = table["item_rate_sum"] / table["item_rates"].where(
        table["item_rates"] > 0
    )
    table["decided"] = table["kept"] + table["streamlined"]

    table["streamlining_rate"] = (table["streamlined"] / table["decided"]).where(
        table["has_decision"] & (table["decided"] > 0)
    )
    n_timed = table["time_counted_items"].where(table["time_counted_items"] > 0)
    table["before_avg_days"] = table["before_sum"] / n_timed
    table["after_avg_days"] = table["after_sum"] / n_timed
    mean_before = table["before_avg_days"].where(table["before_avg_days"] > 0)
    table["shortening_rate"] = (mean_before - table["after_avg_days"]) / mean_before

    left = table[[f"left_{code}" for code in LEFT_OUT_LABELS]].astype("int64").to_numpy()
    table["left_out"] = pd.Series(
        [{code: int(n) for code, n in zip(LEFT_OUT_LABELS, row, strict=True) if n} for row in left.tolist()],
        index=table.index,
        dtype=object,
    )

    groups = table.index.to_series()
    per_list = by == "category"
    s_target = groups.map(lambda g: targets.streamlining_for(g if per_list else None))
    t_target = groups.map(lambda g: targets.shortening_for(g if per_list else None))
    table["streamlining_target"] = s_target.astype("float64")
    table["shortening_target"] = t_target.astype("float64")
    table["streamlining_met"] = _met(table["streamlining_rate"], table["streamlining_target"])
    table["shortening_met"] = _met(table["shortening_rate"], table["shortening_target"])

    bench = groups.map(dict(benchmarks or {})).astype("float64")
    table["benchmark_days"] = bench.where(bench > 0)
    table["benchmark_gap"] = (table["benchmark_days"] - table["after_avg_days"]) / table["benchmark_days"]
    return table.rename_axis("group").reset_index()[FIGURE_COLUMNS]


def plain_value(value: Any) -> Any:
    """A figure as a Python value, as JSON and records want it: numpy scalars unwrapped, NaN, NA
    and infinities as None (JSON has no number for them).

    >>> plain_value(np.float64(0.5)), plain_value(np.int64(3)), plain_value(float("nan")), plain_value(pd.NA)
    (0.5, 3, None, None)
    >>> plain_value(float("inf")), plain_value(np.float64("-inf"))
    (None, None)
    """
    if value is None or value is pd.NA:
        return None
    if hasattr(value, "item"):
        value = value.item()
    if isinstance(value, float) and not math.isfinite(value):
        return None
    return value


@dataclass(frozen=True)
class Figures:
    """The figures of one group as a record: one row of :func:`figures`, missing figures None.

    It reads like the row it came from as well (``record["n_cancelled"]``), so code that shows a
    row of a figures table shows a record the same way.

    >>> from approvals.model import ITEM_COLUMNS, conform
    >>> items = conform(pd.DataFrame({"counts_as": ["retained"] * 184 + ["streamlined"] * 209,
    ...     "decision": ["retained"] * 184 + ["cancelled"] * 209, "has_decision": True}), ITEM_COLUMNS)
    >>> overall = overall_figures(items, Targets(streamlining_default=0.3))
    >>> round(overall.streamlining_rate, 4), overall.streamlining_met, overall["n_cancelled"]
    (0.5318, True, 209)
    >>> overall.shortening_rate is None
    True
    """

    group: str
    before: int
    retained: int
    streamlined: int
    undecided: int
    current: int
    decided: int
    by_decision: Mapping[str, int]
    streamlining_rate: float | None
    time_counted_items: int
    left_out: Mapping[str, int]
    before_avg_days: float | None
    after_avg_days: float | None
    shortening_rate: float | None
    mean_item_shortening_rate: float | None
    streamlining_target: float | None
    streamlining_met: bool | None
    shortening_target: float | None
    shortening_met: bool | None
    benchmark_days: float | None
    benchmark_gap: float | None

    @classmethod
    def of(cls, row: pd.Series) -> Figures:
        """The record of one row of a :func:`figures` table."""
        values = {name: plain_value(row[name]) for name in FIGURE_COLUMNS if not name.startswith("n_")}
        values["by_decision"] = {d: int(row[f"n_{d}"]) for d in _DECISIONS}
        values["left_out"] = dict(row["left_out"] or {})
        for name in ("streamlining_met", "shortening_met"):
            values[name] = None if values[name] is None else bool(values[name])
        return cls(**values)

    def __getitem__(self, name: str) -> Any:
        if name.startswith("n_") and name[2:] in self.by_decision:
            return self.by_decision[name[2:]]
        if name not in FIGURE_COLUMNS:
            raise KeyError(name)
        return getattr(self, name)

    def __contains__(self, name: object) -> bool:
        return name in FIGURE_COLUMNS

    def get(self, name: str, default: Any = None) -> Any:
        try:
            return self[name]
        except KeyError:
            return default


def overall_figures(items: pd.DataFrame, targets: Targets, benchmark: float | None = None) -> Figures:
    """The figures of every item together (group "全部事项"), as a record; ``benchmark`` is a
    mean limit in days to compare the new mean limit with."""
    table = figures(items, None, targets=targets, benchmarks={ALL_ITEMS: benchmark} if benchmark else None)
    return Figures.of(table.iloc[0])
