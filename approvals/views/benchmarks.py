"""对标: the same standard item across localities, as the screen, the workbook and the charts show it."""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from approvals.figures.benchmarks import Benchmarks
from approvals.views.format import days

ITEM_TABLE_LABELS = {
    "code": "标准事项编码",
    "name": "事项名称",
    "localities": "实施地区数",
    "best_days": "最短承诺时限（工作日）",
    "best_localities": "达到最短时限的地区",
    "median_days": "中位数（工作日）",
    "max_days": "最长（工作日）",
}
GAP_TABLE_LABELS = {
    "code": "标准事项编码",
    "name": "事项名称",
    "locality": "地区",
    "committed_days": "承诺时限（工作日）",
    "best_days": "最短承诺时限（工作日）",
    "best_localities": "达到最短时限的地区",
    "gap_days": "与最短相差（工作日）",
}
LOCALITY_TABLE_LABELS = {
    "rank": "排名",
    "locality": "地区",
    "items": "参与对标的事项",
    "best_items": "时限最短的事项",
    "mean_gap_days": "平均相差（工作日）",
    "gap_days": "相差合计（工作日）",
}
EMPTY_NOTE = (
    "当前清单中没有由两个以上地区实施、且都填有承诺时限的同一标准事项。"
    "对标按基本编码（没有基本编码时按事项编码）对照同一事项，按“行政区划”一列（没有时按实施部门）区分地区。"
)


@dataclass(frozen=True)
class BenchmarkView:
    """What 对标 shows: a sentence, the standard items to choose from, the three tables."""

    note: str
    item_choices: dict[str, str]  # code → "取水许可（S1）"
    localities: list[str]  # by rank
    items: pd.DataFrame  # ITEM_TABLE_LABELS
    gaps: pd.DataFrame  # GAP_TABLE_LABELS, every locality and item
    ranking: pd.DataFrame  # LOCALITY_TABLE_LABELS

    @property
    def empty(self) -> bool:
        return not self.item_choices


def _joined(places: object) -> str:
    return "、".join(map(str, places)) if isinstance(places, list) else ""


def benchmark_view(found: Benchmarks) -> BenchmarkView:
    """The 对标 screen's content.

    >>> from approvals.figures.benchmarks import benchmarks
    >>> found = benchmarks(pd.DataFrame({"basic_code": "S1", "code": "", "name": "取水许可",
    ...     "locality": ["甲县", "乙县"], "department": "", "after_days": [5.0, 8.0]}))
    >>> view = benchmark_view(found)
    >>> view.note
    '1 个标准事项由两个以上地区实施，涉及 2 个地区；最短承诺时限是各地承诺中最短的一个。'
    >>> view.item_choices, view.localities
    ({'S1': '取水许可（S1）'}, ['甲县', '乙县'])
    """
    if found.empty:
        return BenchmarkView(EMPTY_NOTE, {}, [], pd.DataFrame(), pd.DataFrame(), pd.DataFrame())
    items = found.items.copy()
    items["best_localities"] = items["best_localities"].map(_joined)
    choices = {str(c): f"{n}（{c}）" for c, n in zip(found.items["code"], found.items["name"], strict=True)}
    note = (
        f"{len(choices)} 个标准事项由两个以上地区实施，涉及 {len(found.localities)} 个地区；"
        "最短承诺时限是各地承诺中最短的一个。"
    )
    return BenchmarkView(
        note,
        choices,
        found.localities["locality"].astype("str").tolist(),
        items[list(ITEM_TABLE_LABELS)].rename(columns=ITEM_TABLE_LABELS),
        _gaps(found)[list(GAP_TABLE_LABELS)].rename(columns=GAP_TABLE_LABELS),
        found.localities[list(LOCALITY_TABLE_LABELS)].rename(columns=LOCALITY_TABLE_LABELS),
    )


def _gaps(found: Benchmarks) -> pd.DataFrame:
    best = found.items.set_index("code")
    gaps = found.gaps.copy()
    gaps["best_days"] = gaps["code"].map(best["best_days"])
    gaps["best_localities"] = gaps["code"].map(best["best_localities"].map(_joined))
    return gaps


def item_localities(found: Benchmarks, code: str) -> pd.DataFrame:
    """Every locality's committed limit for one standard item, shortest first, the best marked.

    Columns: 地区, 承诺时限（工作日）, 与最短相差（工作日）, 最短 (是 / "").
    """
    rows = found.gaps[found.gaps["code"].eq(code)].sort_values(["committed_days", "locality"], kind="stable")
    return pd.DataFrame(
        {
            "地区": rows["locality"].to_numpy(),
            "承诺时限（工作日）": rows["committed_days"].to_numpy(dtype=float),
            "与最短相差（工作日）": rows["gap_days"].to_numpy(dtype=float),
            "最短": ["是" if g == 0 else "" for g in rows["gap_days"]],
        }
    )


def locality_lags(found: Benchmarks, locality: str) -> pd.DataFrame:
    """The standard items where ``locality`` lags the best most, with the days it would save by
    matching the best; items where it is best come last (0 days).

    >>> from approvals.figures.benchmarks import benchmarks
    >>> found = benchmarks(pd.DataFrame({"basic_code": ["S1", "S1", "S2", "S2"], "code": "",
    ...     "name": ["取水许可", "取水许可", "采砂许可", "采砂许可"],
    ...     "locality": ["甲县", "乙县", "甲县", "乙县"], "department": "",
    ...     "after_days": [5.0, 8.0, 3.0, 1.0]}))
    >>> locality_lags(found, "乙县")[["事项名称", "可缩短（工作日）"]].values.tolist()
    [['取水许可', 3.0], ['采砂许可', 0.0]]
    """
    gaps = _gaps(found)
    rows = gaps[gaps["locality"].eq(locality)].sort_values(["gap_days", "code"], ascending=[False, True])
    return pd.DataFrame(
        {
            "标准事项编码": rows["code"].to_numpy(),
            "事项名称": rows["name"].to_numpy(),
            "本地承诺时限（工作日）": rows["committed_days"].to_numpy(dtype=float),
            "最短承诺时限（工作日）": rows["best_days"].to_numpy(dtype=float),
            "达到最短时限的地区": rows["best_localities"].to_numpy(),
            "可缩短（工作日）": rows["gap_days"].to_numpy(dtype=float),
        }
    )


def locality_summary(found: Benchmarks, locality: str) -> str:
    """One sentence on a locality: its rank, best items and the days matching the best would save.

    >>> from approvals.figures.benchmarks import benchmarks
    >>> found = benchmarks(pd.DataFrame({"basic_code": "S1", "code": "", "name": "取水许可",
    ...     "locality": ["甲县", "乙县"], "department": "", "after_days": [5.0, 8.0]}))
    >>> locality_summary(found, "乙县")
    '乙县在 2 个地区中排第 2：参与对标的 1 个事项中 0 个时限最短；都达到最短时限，合计可缩短 3 个工作日。'
    """
    row = found.localities[found.localities["locality"].eq(locality)]
    if row.empty:
        return f"{locality}没有参与对标的事项。"
    r = row.iloc[0]
    saved = days(r["gap_days"]).removesuffix(".00")
    return (
        f"{locality}在 {len(found.localities)} 个地区中排第 {int(r['rank'])}："
        f"参与对标的 {int(r['items'])} 个事项中 {int(r['best_items'])} 个时限最短；"
        f"都达到最短时限，合计可缩短 {saved} 个工作日。"
    )
