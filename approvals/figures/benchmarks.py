"""The same standard item across localities (对标): who commits to the shortest limit, and how far
each locality is from it.

An item's standard code is its 基本编码 where the list has one, else its 事项编码 (lists that
number items by the standard code). Its locality is the list's 行政区划 column where there is one,
else the implementing body (实施部门). A locality's committed limit for a standard item is the
longest of its rows for that code (a locality listing 办理项 separately is judged by what an
applicant may wait at most), in working days as everywhere else (小时 at 8 a working day, 即办 as
0); rows without a usable committed limit are left out. Only standard items carried out by two
or more localities with a limit are compared.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

BENCHMARK_COLUMNS = ["code", "name", "localities", "best_days", "best_localities", "median_days", "max_days"]
GAP_COLUMNS = ["code", "name", "locality", "committed_days", "gap_days"]
LOCALITY_COLUMNS = ["locality", "items", "best_items", "mean_gap_days", "gap_days", "rank"]


@dataclass(frozen=True, eq=False)
class Benchmarks:
    """Three tables: per standard item, per locality and item, per locality."""

    items: pd.DataFrame  # BENCHMARK_COLUMNS, by code
    gaps: pd.DataFrame  # GAP_COLUMNS, by code then gap (largest first)
    localities: pd.DataFrame  # LOCALITY_COLUMNS, by rank

    @property
    def empty(self) -> bool:
        return self.items.empty


def standard_codes(items: pd.DataFrame) -> pd.Series:
    """Each item's standard code: 基本编码 where given, else 事项编码 ("" when neither).

    >>> standard_codes(pd.DataFrame({"basic_code": ["B1", ""], "code": ["C1", "C2"]})).tolist()
    ['B1', 'C2']
    """
    basic = _text(items, "basic_code")
    return basic.where(basic.ne(""), _text(items, "code"))


def localities(items: pd.DataFrame) -> pd.Series:
    """Each item's locality: 行政区划 where the list gives it, else 实施部门.

    >>> places = pd.DataFrame({"locality": ["天河区", ""], "department": ["区市场监管局", "越秀区政务局"]})
    >>> localities(places).tolist()
    ['天河区', '越秀区政务局']
    """
    place = _text(items, "locality")
    return place.where(place.ne(""), _text(items, "department"))


def _text(items: pd.DataFrame, column: str) -> pd.Series:
    if column not in items.columns:
        return pd.Series("", index=items.index, dtype="str")
    return items[column].astype("str").fillna("").str.strip()


def benchmarks(items: pd.DataFrame) -> Benchmarks:
    """The benchmark tables of ``items`` (the canonical item table; ``after_days`` is the committed
    limit in working days).

    Examples
    --------
    Three counties carry out one standard item; two tie for the best limit:

    >>> items = pd.DataFrame({
    ...     "basic_code": ["S1", "S1", "S1", "S2"],
    ...     "code": ["a", "b", "c", "d"],
    ...     "name": ["取水许可", "取水许可", "取水许可", "采砂许可"],
    ...     "locality": ["甲县", "乙县", "丙县", "甲县"],
    ...     "department": "水利局",
    ...     "after_days": [5.0, 5.0, 12.0, 3.0],
    ... })
    >>> found = benchmarks(items)
    >>> found.items[["code", "localities", "best_days", "median_days", "max_days"]].values.tolist()
    [['S1', 3, 5.0, 5.0, 12.0]]
    >>> found.items.iloc[0]["best_localities"]
    ['乙县', '甲县']
    >>> found.gaps[["locality", "gap_days"]].values.tolist()
    [['丙县', 7.0], ['乙县', 0.0], ['甲县', 0.0]]
    >>> found.localities[["locality", "best_items", "mean_gap_days", "rank"]].values.tolist()
    [['乙县', 1, 0.0, 1], ['甲县', 1, 0.0, 1], ['丙县', 0, 7.0, 3]]
    """
    rows = benchmark_rows(items)
    if rows.empty:
        return _empty()
    summary, gaps = compared(rows)
    if summary.empty:
        return _empty()
    return Benchmarks(summary, gaps, locality_ranks(gaps))


def benchmark_rows(items: pd.DataFrame) -> pd.DataFrame:
    """What the benchmarks are made of: each item with a standard code, a locality and a usable
    committed limit, as ``code``, ``locality``, ``name``, ``days`` (in the items' order). The rows
    of one standard code are all a benchmark needs: a catalog split by code compares each part
    on its own (:func:`compared`).
    """
    if "after_days" not in items.columns or items.empty:
        text, days = pd.Series(dtype="str"), pd.Series(dtype="float64")
        return pd.DataFrame({"code": text, "locality": text, "name": text, "days": days})
    frame = pd.DataFrame(
        {
            "code": standard_codes(items).array,
            "locality": localities(items).array,
            "name": _text(items, "name").array,
            "days": pd.to_numeric(items["after_days"], errors="coerce").to_numpy(dtype=float),
        },
        index=items.index,
    )
    return frame[frame["code"].ne("") & frame["locality"].ne("") & np.isfinite(frame["days"])]


def compared(rows: pd.DataFrame) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The per-item table (BENCHMARK_COLUMNS) and the gaps (GAP_COLUMNS) of :func:`benchmark_rows`,
    both by code; standard items carried out by fewer than two localities are left out."""
    names = _common_names(rows)
    per = rows.groupby(["code", "locality"], sort=True, observed=True)["days"].max().reset_index()
    carried = per.groupby("code", sort=False)["locality"].transform("size")
    per = per[carried >= 2].reset_index(drop=True)
    if per.empty:
        empty = _empty()
        return empty.items, empty.gaps
    grouped = per.groupby("code", sort=True)["days"]
    best = grouped.transform("min")
    per["gap_days"] = per["days"] - best
    per["name"] = per["code"].map(names)
    summary = grouped.agg(localities="size", best_days="min", median_days="median", max_days="max")
    at_best = per[per["gap_days"].eq(0)]
    summary["best_localities"] = at_best.groupby("code", sort=True)["locality"].agg(list)
    summary = summary.reset_index()
    summary["name"] = summary["code"].map(names)
    summary["localities"] = summary["localities"].astype("int64")
    gaps = per.rename(columns={"days": "committed_days"})[GAP_COLUMNS]
    return summary[BENCHMARK_COLUMNS].reset_index(drop=True), sorted_gaps(gaps)


def sorted_gaps(gaps: pd.DataFrame) -> pd.DataFrame:
    """Gaps by code, the largest first within a code, localities alphabetically among equals."""
    ordered = gaps.sort_values(["code", "gap_days", "locality"], ascending=[True, False, True], kind="stable")
    return ordered.reset_index(drop=True)


def locality_ranks(gaps: pd.DataFrame) -> pd.DataFrame:
    """Per locality (LOCALITY_COLUMNS): items compared, items at the best, mean and total gap, and
    the rank by mean gap (equal means share the better rank).

    >>> gaps = pd.DataFrame({"code": ["S1", "S1", "S2", "S2"], "locality": ["甲", "乙", "甲", "乙"],
    ...                      "gap_days": [0.0, 4.0, 2.0, 0.0]})
    >>> locality_ranks(gaps)[["locality", "best_items", "mean_gap_days", "rank"]].values.tolist()
    [['甲', 1, 1.0, 1], ['乙', 1, 2.0, 2]]
    """
    places = gaps.groupby("locality", sort=True).agg(
        items=("code", "size"),
        best_items=("gap_days", lambda g: int(g.eq(0).sum())),
        mean_gap_days=("gap_days", "mean"),
        gap_days=("gap_days", "sum"),
    )
    places["rank"] = places["mean_gap_days"].rank(method="min").astype("int64")
    places = places.reset_index().sort_values(["rank", "locality"], kind="stable")
    return places[LOCALITY_COLUMNS].reset_index(drop=True)


def _common_names(frame: pd.DataFrame) -> pd.Series:
    """Each code's most frequent name (the first in order among equals)."""
    counted = frame.groupby(["code", "name"], sort=False).size().reset_index(name="n")
    # the most frequent first; a stable sort keeps equals in the order they first appear
    counted = counted.sort_values("n", ascending=False, kind="stable")
    return counted.drop_duplicates("code").set_index("code")["name"]


def _empty() -> Benchmarks:
    return Benchmarks(
        pd.DataFrame({c: pd.Series(dtype="object") for c in BENCHMARK_COLUMNS}),
        pd.DataFrame({c: pd.Series(dtype="object") for c in GAP_COLUMNS}),
        pd.DataFrame({c: pd.Series(dtype="object") for c in LOCALITY_COLUMNS}),
    )
