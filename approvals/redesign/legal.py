"""设定依据 by tier: which kind of document each item's legal basis is, and whether it may set a licence.

Arts. 14-17 of the Administrative Licensing Law let only 法律, 行政法规, 国务院决定, 地方性法规 and
省级政府规章 set a licence. An item whose basis names only 部门规章, 规范性文件 or internal documents is
a candidate for 取消. The tiers, their labels and the recognition rules are the legal-tier settings
(legal_tiers.toml):
an ordered list of regular expressions where the first match wins, so the issuer and document
number (农业部令第5号, 〔2007〕19号) decide before the shape of the title (……办法》) does.

A basis often lists several documents; each is classified on its own and the item takes the
highest tier found. Bases repeat across a province's catalog, so each distinct document text is
classified once.
"""

from __future__ import annotations

import re

import numpy as np
import pandas as pd

from approvals.model import ALL_ITEMS, UNSPECIFIED_GROUP
from approvals.settings.legal import NONE, UNKNOWN, Tiers
from approvals.text import map_distinct

BASIS_COLUMNS = ["item_id", "tiers", "top_tier", "top_label", "may_set", "weak"]


BREAKDOWN_COLUMNS = ["group", "tier", "label", "may_set", "weak", "items", "share"]


_SEPARATORS = re.compile(r"[；;\r\n]+")


_TAGGED = re.compile(r"(?=【)")
_CONNECTOR_TAIL = re.compile(r"(?:[、，,。\s]|以及|和|及|与|或)+$")


def split_sources(text: str) -> list[str]:
    """The documents one 设定依据 cell names: split on ；, ; and line breaks, and before each
    further 《 title (the article numbers after a title stay with it; 、 和 及 between titles go).

    >>> split_sources("《中华人民共和国教育法》第十二条、《示例省教育条例》第八条；国务院令第412号")
    ['《中华人民共和国教育法》第十二条', '《示例省教育条例》第八条', '国务院令第412号']
    >>> split_sources("【法律】《中华人民共和国水法》第七条【行政法规】《取水许可和水资源费征收管理条例》")
    ['【法律】《中华人民共和国水法》第七条', '【行政法规】《取水许可和水资源费征收管理条例》']
    >>> split_sources("《国务院关于修改〈植物检疫条例〉的决定》"), split_sources("  ")
    (['《国务院关于修改〈植物检疫条例〉的决定》'], [])
    """
    pieces: list[str] = []
    # A tier tag (【法律】…) starts a source of its own.
    for chunk in (c for part in _SEPARATORS.split(text) for c in _TAGGED.split(part)):
        start, depth, closed = 0, 0, False
        for i, char in enumerate(chunk):
            if char == "《":
                if depth == 0 and closed:
                    pieces.append(chunk[start:i])
                    start, closed = i, False
                depth += 1
            elif char == "》" and depth > 0:
                depth -= 1
                closed = closed or depth == 0
        pieces.append(chunk[start:])
    stripped = (_CONNECTOR_TAIL.sub("", p.strip()) for p in pieces)
    return [p for p in stripped if p]


def _classify_bases(bases: pd.Series, t: Tiers) -> pd.DataFrame:
    """One row per value of ``bases`` (distinct texts): tiers, top_tier, top_label, may_set, weak.

    The tiers found in a text are kept as a bit mask (bit r for the tier of rank r), so the highest
    tier is the lowest bit set and the few distinct masks become tuples once each.
    """
    sources = pd.Series([split_sources(b) for b in bases], dtype=object).explode().dropna()
    tier = map_distinct(sources.astype("str"), t.tier_of) if len(sources) else pd.Series([], dtype="str")
    rank = tier.map({k: i for i, k in enumerate(t.keys)}).to_numpy(dtype=np.int64)
    owner = sources.index.to_numpy(dtype=np.int64)
    real = rank != t.rank(NONE)  # a "无" beside real sources says nothing
    masks = np.zeros(len(bases), dtype=np.int64)
    np.bitwise_or.at(masks, owner[real], np.left_shift(1, rank[real]))

    def bits(keys: list[str]) -> int:
        return sum(1 << t.rank(k) for k in keys)

    lowest = masks & -masks
    top = np.where(masks > 0, np.log2(np.maximum(lowest, 1)).astype(np.int64), t.rank(NONE))
    may_set = (masks & bits([k for k in t.keys if t.may_set[k]])) != 0
    unknown = (masks & bits([UNKNOWN])) != 0
    tuples = {int(m): tuple(k for r, k in enumerate(t.keys) if int(m) >> r & 1) for m in np.unique(masks)}
    keys = np.array(t.keys, dtype=object)
    return pd.DataFrame(
        {
            "tiers": pd.Series(masks).map(tuples).to_numpy(dtype=object),
            "top_tier": keys[top],
            "top_label": np.array([t.labels[k] for k in t.keys], dtype=object)[top],
            "may_set": may_set,
            # An unrecognised source may yet be a law: such items are to be checked, not cancelled.
            "weak": (masks > 0) & ~may_set & ~unknown,
        }
    )


def basis_tiers(items: pd.DataFrame, tiers: Tiers) -> pd.DataFrame:
    """Per item: the tiers its 设定依据 names (in order of authority), the highest one, whether any
    source may set a licence, and ``weak``: a basis is written but none of it may set one, and
    every source was recognised (the 取消 candidate). Empty bases are tier "none", never weak.

    >>> items = pd.DataFrame({"item_id": [1, 2, 3], "legal_basis": [
    ...     "《种子生产经营管理办法》（农业部令第5号）；《中华人民共和国种子法》第三十一条",
    ...     "示例市人民政府办公室关于加强种子管理的通知（示政办发〔2007〕19号）", ""]})
    >>> basis_tiers(items, settings.legal)[["item_id", "tiers", "top_tier", "may_set", "weak"]]
       item_id                 tiers   top_tier  may_set   weak
    0        1  (law, ministry_rule)        law     True  False
    1        2          (normative,)  normative    False   True
    2        3                    ()       none    False  False
    """
    t = tiers
    codes, uniques = pd.factorize(items["legal_basis"], use_na_sentinel=False)
    per_text = _classify_bases(pd.Series(uniques, dtype="str"), t)
    result = per_text.take(codes).reset_index(drop=True)
    result.insert(0, "item_id", items["item_id"].to_numpy())
    result["top_tier"] = result["top_tier"].astype("str")
    result["top_label"] = result["top_label"].astype("str")
    result.index = items.index
    return result[BASIS_COLUMNS]


def tier_breakdown(items: pd.DataFrame, tiers: Tiers, by: str | None = None) -> pd.DataFrame:
    """Items counted by their highest tier, with each tier's share of the group's items.

    One block of rows per group of ``by`` (e.g. "department", "category"; groups in order of first
    appearance, blank ones "（未注明）"), or one block for group "全部事项" when ``by`` is None.
    Tiers run in order of authority; tiers no item of the group reaches are left out. ``share`` is
    a fraction: the shares of a group sum to 1. ``weak`` marks the tiers that may not set a
    licence; 待核实 (a basis not recognised) and 未填写 (none written, or no 设定依据 column at
    all) are neither: nothing is known of them.

    >>> items = pd.DataFrame({"item_id": [1, 2, 3, 4, 5], "legal_basis": [
    ...     "《中华人民共和国种子法》第三十一条", "《植物检疫条例》第七条",
    ...     "《种子生产经营管理办法》（农业部令第5号）", "《中华人民共和国畜牧法》第二十二条", ""]})
    >>> tier_breakdown(items, settings.legal)[["tier", "may_set", "weak", "items", "share"]]
                tier  may_set   weak  items  share
    0            law     True  False      2    0.4
    1     regulation     True  False      1    0.2
    2  ministry_rule    False   True      1    0.2
    3           none    False  False      1    0.2
    """
    t = tiers
    basis = basis_tiers(items, tiers)
    if by is None:
        group = pd.Series(ALL_ITEMS, index=items.index, dtype="str")
    else:
        group = items[by].str.strip()
        group = group.mask(group == "", UNSPECIFIED_GROUP)
    frame = pd.DataFrame(
        {
            "group": pd.Categorical(group, categories=pd.unique(group)),
            "tier": pd.Categorical(basis["top_tier"], categories=list(t.keys)),
        }
    )
    counts = frame.groupby(["group", "tier"], observed=True, sort=True).size().rename("items").reset_index()
    counts["share"] = counts["items"] / counts.groupby("group", observed=True)["items"].transform("sum")
    counts["group"] = counts["group"].astype("str")
    counts["tier"] = counts["tier"].astype("str")
    counts["label"] = counts["tier"].map(t.labels).astype("str")
    counts["may_set"] = counts["tier"].map(t.may_set).astype(bool)
    counts["weak"] = ~counts["may_set"] & ~counts["tier"].isin([UNKNOWN, NONE])
    counts["items"] = counts["items"].astype("int64")
    return counts[BREAKDOWN_COLUMNS]
