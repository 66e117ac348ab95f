"""Merge candidates: retained items whose names are near-identical or name the same subject.

A name is reduced to its subject (办理对象) by removing the generic words of the similarity settings
(similar.toml: 审批, 许可证, 设立, 变更, …): "民办学校设立审批" and "民办学校终止审批" both become "民办学校".
Chinese has no spaces to split words on, so subjects are compared character by character with
rapidfuzz's ``fuzz.ratio`` (an Indel similarity, 0-100). Two kinds of pair are suggested:

- near-identical subjects, ratio at or above the threshold (identical subjects score 100);
- one subject contained whole in the other ("医疗机构设置" in "中医医疗机构设置"), when the shorter
  has enough characters to mean something. ``fuzz.partial_ratio`` would find these too, but it
  also scores shared endings such as "品经营" highly, and it is some fifty times slower.

The all-pairs comparison runs on distinct subjects in blocks of rows, each block compared only
with the subjects long enough to reach the threshold (a ratio of r needs the shorter string to be
at least r / (200 - r) of the longer), so memory stays bounded and 50,000 names take seconds.
Only the first ``compared_chars`` characters of a subject are compared: the substring search of
contained subjects is cubic in a name's length, and a pasted paragraph must not take minutes.
"""

from __future__ import annotations

import re
from collections import Counter

import numpy as np
import pandas as pd
from rapidfuzz import fuzz, process

from approvals.model import Counts
from approvals.settings.similar import Similarity
from approvals.text import fold, map_distinct

CANDIDATE_COLUMNS = [
    "item_id_a",
    "item_id_b",
    "name_a",
    "name_b",
    "department_a",
    "department_b",
    "score",
    "same_department",
    "reason",
]


def _recoded(subjects: list[str]) -> list[str]:
    """The same strings with each character replaced one for one, the 255 most frequent by
    characters below 256. A ratio only compares characters for equality, so scores do not change;
    rapidfuzz looks such characters up in a plain array instead of a hash map, about twice as fast.

    >>> _recoded(["许可", "可"])
    ['\\x02\\x01', '\\x01']
    """
    counts = Counter("".join(subjects))
    codes: dict[int, str] = {}
    for rank, (char, _) in enumerate(counts.most_common()):
        point = rank + 1 if rank < 255 else rank + 0x100
        codes[ord(char)] = chr(point + 0x800 if point >= 0xD800 else point)  # skip surrogates
    return [s.translate(codes) for s in subjects]


def _similar_pairs(subjects: list[str], threshold: float, block_rows: int) -> tuple[np.ndarray, np.ndarray]:
    """Index pairs (i < j) of ``subjects`` whose ratio is at least ``threshold``."""
    lengths = np.array([len(s) for s in subjects])
    order = np.argsort(lengths, kind="stable")
    recoded = _recoded(subjects)
    ordered = [recoded[k] for k in order]
    sorted_lengths = lengths[order]
    reach = (200.0 - threshold) / threshold if threshold > 0 else np.inf
    firsts, seconds = [], []
    for start in range(0, len(ordered), block_rows):
        stop = min(start + block_rows, len(ordered))
        longest = sorted_lengths[stop - 1] * reach
        end = len(ordered) if np.isinf(longest) else np.searchsorted(sorted_lengths, longest + 1e-9, "right")
        scores = process.cdist(
            ordered[start:stop],
            ordered[start:end],
            scorer=fuzz.ratio,
            score_cutoff=threshold,
            dtype=np.uint8,
            workers=1,
        )
        rows, columns = np.nonzero(scores)
        upper = columns > rows  # columns start at the block's own first row
        firsts.append(order[rows[upper] + start])
        seconds.append(order[columns[upper] + start])
    if not firsts:
        return np.array([], dtype=np.int64), np.array([], dtype=np.int64)
    a, b = np.concatenate(firsts), np.concatenate(seconds)
    return np.minimum(a, b), np.maximum(a, b)


def _contained_pairs(subjects: list[str], min_chars: int) -> tuple[np.ndarray, np.ndarray]:
    """Index pairs (shorter, longer) where the shorter subject, of ``min_chars`` or more, lies
    whole inside the longer. Every substring of each subject is looked up among the subjects."""
    index = {s: k for k, s in enumerate(subjects)}
    shorter: list[int] = []
    longer: list[int] = []
    for k, s in enumerate(subjects):
        n = len(s)
        found = {
            index[s[i:j]]
            for width in range(min_chars, n)
            for i in range(n - width + 1)
            if s[i : (j := i + width)] in index
        }
        shorter.extend(found)
        longer.extend([k] * len(found))
    return np.array(shorter, dtype=np.int64), np.array(longer, dtype=np.int64)


_HANDLING_BRACKET = re.compile(r"^(?P<main>.+?)[（(][^（()）]+[）)]$")


def main_items(items: pd.DataFrame) -> np.ndarray:
    """What identifies the 主项 an item is a 办理项 of: its 基本编码 where the list has one, else its
    department and its name before a trailing bracket ("食品经营许可（新办）"), else "" (an item
    of its own).

    >>> names = ["食品经营许可", "食品经营许可（延续）", "药品零售许可（新办）", "药品零售许可（变更）"]
    >>> main_items(pd.DataFrame({"basic_code": ["B1", "B1", "", ""], "department": "市场监管局",
    ...     "name": names})).tolist()
    ['B1', 'B1', '市场监管局/药品零售许可', '市场监管局/药品零售许可']
    """
    basic = items["basic_code"] if "basic_code" in items.columns else pd.Series("", index=items.index)
    stems = items["name"].str.extract(_HANDLING_BRACKET)["main"].fillna("")
    by_name = (items["department"] + "/" + stems).where(stems.ne(""), "")
    return basic.where(basic.ne(""), by_name).astype("str").to_numpy(dtype=object)


def _empty() -> pd.DataFrame:
    columns: dict[str, pd.Series] = {c: pd.Series(dtype="str") for c in CANDIDATE_COLUMNS}
    columns["item_id_a"] = pd.Series(dtype="int64")
    columns["item_id_b"] = pd.Series(dtype="int64")
    columns["score"] = pd.Series(dtype="float64")
    columns["same_department"] = pd.Series(dtype="bool")
    return pd.DataFrame(columns)[CANDIDATE_COLUMNS]


def merge_candidates(items: pd.DataFrame, rules: Similarity, threshold: float | None = None) -> pd.DataFrame:
    """Pairs of retained items that may be merged, one row per pair with item_id_a < item_id_b.

    ``score`` is the ratio (0-100) of the two subjects; ``reason`` says in Chinese why the pair is
    suggested. ``threshold`` defaults to that of ``rules`` (similar.toml). A subject carried out by
    more than ``rules.max_departments`` departments is left out (the same standard item in many
    places, compared on 对标 instead). Rows of the same item_key,
    and an item's own sub-items (same department and name, different sub_item), are never paired;
    an item listed with several sub-items is paired once with each other item. Sorted by score, highest first.

    >>> items = pd.DataFrame({"item_id": [1, 2, 3], "item_key": ["a", "b", "c"],
    ...     "name": ["建筑工程施工许可", "建筑工程施工许可证核发", "烟花爆竹经营许可"],
    ...     "sub_item": "", "department": ["市住建局", "市城管局", "市应急局"], "counts_as": "retained"})
    >>> pairs = merge_candidates(items, settings.similar)
    >>> pairs[["item_id_a", "item_id_b", "score", "same_department", "reason"]]
       item_id_a  item_id_b  score  same_department           reason
    0          1          2  100.0            False  办理对象相同：“建筑工程施工”
    """
    threshold = rules.threshold if threshold is None else float(threshold)
    kept = items[items["counts_as"].eq(str(Counts.RETAINED))]
    most = rules.compared_chars  # a pasted paragraph as a name must not take minutes
    subject = map_distinct(kept["name"], lambda name: rules.subject(name)[:most])
    kept, subject = kept[subject.str.len() >= rules.min_chars], subject[subject.str.len() >= rules.min_chars]
    places = kept["department"].groupby(subject.to_numpy()).transform("nunique")
    local = places.le(rules.max_departments).to_numpy()  # more: one standard item in many places
    kept, subject = kept[local], subject[local]
    if len(kept) < 2:
        return _empty()
    codes, uniques = pd.factorize(subject)
    distinct = [str(u) for u in uniques]

    similar_a, similar_b = _similar_pairs(distinct, threshold, max(rules.block_rows, 1))
    shorter, longer = _contained_pairs(distinct, max(rules.contained_min_chars, 1))
    contained_a, contained_b = np.minimum(shorter, longer), np.maximum(shorter, longer)
    same = np.arange(len(distinct))  # items sharing one subject pair with each other
    pairs = pd.DataFrame(
        {
            "subject_a": np.concatenate([same, similar_a, contained_a]),
            "subject_b": np.concatenate([same, similar_b, contained_b]),
            "contained": np.concatenate(
                [np.zeros(len(same) + len(similar_a), bool), np.ones(len(contained_a), bool)]
            ),
        }
    ).drop_duplicates(["subject_a", "subject_b"])  # a contained pair may also be a similar one

    rows = pd.DataFrame(
        {
            "item_id": kept["item_id"].to_numpy(),
            "item_key": kept["item_key"].to_numpy(),
            "name": kept["name"].to_numpy(),
            "sub_item": kept["sub_item"].to_numpy(),
            "department": kept["department"].to_numpy(),
            "subject": codes,
            "main": main_items(kept),
        }
    )
    rows["entry"] = rows.groupby(["department", "name"], sort=False).ngroup()
    joined = pairs.merge(rows.add_suffix("_a"), on="subject_a").merge(rows.add_suffix("_b"), on="subject_b")
    joined = joined[joined["item_id_a"] != joined["item_id_b"]]
    swap = joined["item_id_a"].to_numpy() > joined["item_id_b"].to_numpy()
    for column in ["item_id", "item_key", "name", "sub_item", "department", "subject", "entry", "main"]:
        a, b = joined[f"{column}_a"].to_numpy(), joined[f"{column}_b"].to_numpy()
        joined[f"{column}_a"], joined[f"{column}_b"] = np.where(swap, b, a), np.where(swap, a, b)
    own_sub_item = (joined["entry_a"] == joined["entry_b"]) & (joined["sub_item_a"] != joined["sub_item_b"])
    # 办理项 of one 主项 (设立 / 变更 / 延续 …) are one item of the standard, not two to merge.
    same_main = joined["main_a"].ne("") & (joined["main_a"] == joined["main_b"])
    joined = joined[(joined["item_key_a"] != joined["item_key_b"]) & ~own_sub_item & ~same_main]
    joined = joined.drop_duplicates(["item_id_a", "item_id_b"])
    low = np.minimum(joined["entry_a"], joined["entry_b"])
    high = np.maximum(joined["entry_a"], joined["entry_b"])
    joined = joined.assign(_low=low, _high=high).sort_values(["item_id_a", "item_id_b"])
    joined = joined.drop_duplicates(["_low", "_high"])  # one pair per two listed items
    if joined.empty:
        return _empty()

    subject_a = [distinct[k] for k in joined["subject_a"]]
    subject_b = [distinct[k] for k in joined["subject_b"]]
    score = process.cpdist(subject_a, subject_b, scorer=fuzz.ratio, dtype=np.float64, workers=1)
    # Among pairs of one score, those whose whole names are closer come first ("名称相同" on top).
    names_a = [fold(n)[:most] for n in joined["name_a"]]
    names_b = [fold(n)[:most] for n in joined["name_b"]]
    whole = process.cpdist(names_a, names_b, scorer=fuzz.ratio, dtype=np.float64, workers=1)
    result = pd.DataFrame(
        {
            "item_id_a": joined["item_id_a"].astype("int64").to_numpy(),
            "item_id_b": joined["item_id_b"].astype("int64").to_numpy(),
            "name_a": joined["name_a"].to_numpy(),
            "name_b": joined["name_b"].to_numpy(),
            "department_a": joined["department_a"].to_numpy(),
            "department_b": joined["department_b"].to_numpy(),
            "score": np.round(score, 1),
            "same_department": (joined["department_a"] == joined["department_b"]).to_numpy(),
            "reason": _reasons(joined, subject_a, subject_b, score),
            "_whole": whole,
        }
    )
    result = result.sort_values(
        ["score", "_whole", "item_id_a", "item_id_b"], ascending=[False, False, True, True]
    ).drop(columns="_whole")
    text_columns = ["name_a", "name_b", "department_a", "department_b", "reason"]
    return result.reset_index(drop=True).astype(dict.fromkeys(text_columns, "str"))


MERGE_COLUMNS = [*CANDIDATE_COLUMNS, "suggestion"]


def merge_list(items: pd.DataFrame, rules: Similarity) -> pd.DataFrame:
    """The catalog's merge candidates as the screens, the exports and the command line list them,
    apart from the 流程再造 flags: :func:`merge_candidates`, highest score first, each with what
    to do. None for a catalog of more than ``max_items`` retained items (similar.toml): a
    province's catalog holds each item once per county, so compare one jurisdiction at a time.

    >>> items = pd.DataFrame({"item_id": [1, 2], "item_key": ["a", "b"], "sub_item": "",
    ...     "name": ["民办学校设立审批", "民办学校终止审批"], "department": "市教育局",
    ...     "counts_as": "retained"})
    >>> merge_list(items, settings.similar)[["score", "reason", "suggestion"]].to_numpy().tolist()
    [[100.0, '办理对象相同：“民办学校”', '同一部门内可合并为一个事项']]
    """
    if items["counts_as"].eq(str(Counts.RETAINED)).sum() > rules.max_items:
        return _empty().assign(suggestion=pd.Series(dtype="str"))
    pairs = merge_candidates(items, rules)
    suggestion = np.where(
        pairs["same_department"], "同一部门内可合并为一个事项", "可合并为一个事项，由一个部门牵头办理"
    )
    return pairs.assign(suggestion=pd.Series(suggestion, index=pairs.index, dtype="str"))


def _reasons(
    joined: pd.DataFrame, subject_a: list[str], subject_b: list[str], score: np.ndarray
) -> list[str]:
    """Why each pair is suggested, in the analyst's words."""
    reasons = []
    names = zip(joined["name_a"], joined["name_b"], joined["contained"], strict=True)
    for (name_a, name_b, contained), a, b, s in zip(names, subject_a, subject_b, score, strict=True):
        if a == b:
            reasons.append("名称相同" if fold(name_a) == fold(name_b) else f"办理对象相同：“{a}”")
        elif contained:
            short, long = (a, b) if len(a) <= len(b) else (b, a)
            reasons.append(f"办理对象相近：“{short}”包含在“{long}”中")
        else:
            reasons.append(f"名称几乎相同（相似度 {s:.0f}）")
    return reasons
