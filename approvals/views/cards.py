"""Figures as the cards a screen shows: a label, a value, a note or a change, a help text.

A :class:`Metric` is what one ``st.metric`` draws, computed here so a page only renders it; the
headline cards of each list (精简率 and 缩短率 against their targets, items kept, the new mean limit)
are the same on every screen that shows them.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import pandas as pd

from approvals.figures.rates import Figures
from approvals.model import ALL_ITEMS
from approvals.views.format import days, missing, percent

RATE_HELP = "精简率 =（清理前 − 保留）÷ 清理前；未决定的事项不计入。现行目录（无处理意见）不计算精简率。"
SHORTENING_HELP = (
    "缩短率 =（清理前平均时限 − 清理后平均时限）÷ 清理前平均时限，为平均数之比；"
    "清理前取原承诺时限，没有原承诺的取法定时限。"
)


@dataclass(frozen=True)
class Metric:
    """One card: ``note`` is a plain remark under the value (shown without an arrow or colour),
    ``change`` a change against something (shown as one)."""

    label: str
    value: str
    note: str | None = None
    change: str | None = None
    help: str | None = None
    border: bool = False


@dataclass(frozen=True)
class CardGroup:
    """A row of cards under a title (one list's headline figures); ``remarks`` are sentences
    shown under the cards, too long for a card's note."""

    title: str
    cards: tuple[Metric, ...]
    remarks: tuple[str, ...] = ()


def gap(rate: Any, target: Any) -> str | None:
    """The distance to the target in percentage points, e.g. "+23.18 个百分点".

    >>> gap(0.5318, 0.3), gap(None, 0.3)
    ('+23.18 个百分点', None)
    """
    if missing(rate) or missing(target):
        return None
    return f"{(float(rate) - float(target)) * 100:+.2f} 个百分点"


def _with_target(name: str, target: Any) -> str:
    return name if missing(target) else f"{name}（目标 {percent(target, 0)}）"


def headline_cards(row: pd.Series | Figures, title: str) -> CardGroup:
    """精简率 and 缩短率 of one list (a row of a figures table) or of all items, against their
    targets, with the items kept and the new mean limit."""
    undecided = f"，未决定 {int(row['undecided'])}" if row["undecided"] else ""
    current = int(row["current"])
    cleaned = int(row["before"]) - current
    if current and cleaned:
        kept = f"清理前 {cleaned}，精简 {int(row['streamlined'])}{undecided}，现行目录 {current}"
    elif current:
        kept = f"现行目录 {current} 项"
    else:
        kept = f"清理前 {cleaned}，精简 {int(row['streamlined'])}{undecided}"
    note = f"原 {days(row['before_avg_days'])}，计入 {int(row['time_counted_items'])} 项"
    cards = (
        Metric(
            _with_target("精简率", row["streamlining_target"]),
            percent(row["streamlining_rate"]),
            change=gap(row["streamlining_rate"], row["streamlining_target"]),
            help=RATE_HELP,
            border=True,
        ),
        Metric(
            _with_target("缩短率", row["shortening_target"]),
            percent(row["shortening_rate"]),
            change=gap(row["shortening_rate"], row["shortening_target"]),
            help=SHORTENING_HELP,
            border=True,
        ),
        Metric(
            "保留事项（项）",
            f"{int(row['retained'])}",
            note=kept,
            border=True,
        ),
        Metric(
            "新平均时限（工作日）",
            days(row["after_avg_days"]),
            note=note,
            help=f"计入时限统计的保留事项 {int(row['time_counted_items'])} 项的平均承诺时限。",
            border=True,
        ),
    )
    remark = benchmark_remark(row.get("after_avg_days"), row.get("benchmark_days"), row.get("benchmark_gap"))
    return CardGroup(title, cards, (remark,) if remark else ())


def benchmark_remark(after_days: Any, benchmark_days: Any, benchmark_gap: Any) -> str | None:
    """The new mean limit against the benchmark, as a sentence (None without a benchmark).

    >>> benchmark_remark(11.01, 11.5, (11.5 - 11.01) / 11.5)
    '新平均时限 11.01 个工作日，比对比基准 11.50 个工作日低 4.26%。'
    >>> benchmark_remark(12.0, 10.0, -0.2), benchmark_remark(12.0, None, None)
    ('新平均时限 12.00 个工作日，比对比基准 10.00 个工作日高 20.00%。', None)
    """
    if missing(benchmark_days) or missing(after_days) or missing(benchmark_gap):
        return None
    side = "低" if float(benchmark_gap) >= 0 else "高"
    return (
        f"新平均时限 {days(after_days)} 个工作日，比对比基准 {days(benchmark_days)} 个工作日"
        f"{side} {percent(abs(float(benchmark_gap)))}。"
    )


def headline(lists: pd.DataFrame, overall: Figures) -> list[CardGroup]:
    """Cards for every list, then for all items together when there is more than one list."""
    groups = [headline_cards(row, str(row["group"])) for _, row in lists.iterrows()]
    if len(lists) > 1:
        groups.append(headline_cards(overall, ALL_ITEMS))
    return groups


def arrow_text(before: Any, after: Any, shown: Any = days) -> str:
    """A figure before → after, "—" where either is missing.

    >>> arrow_text(22.79, 12.03), arrow_text(5, None)
    ('22.79 → 12.03', '—')
    """
    if missing(before) or missing(after):
        return "—"
    return f"{shown(before)} → {shown(after)}"


def count_text(value: Any) -> str:
    """A count as written on a card: no decimals, "—" where missing.

    >>> count_text(3.0), count_text(None)
    ('3', '—')
    """
    return "—" if missing(value) else f"{float(value):g}"
