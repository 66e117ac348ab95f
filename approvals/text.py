"""Cell text as departments type it, made comparable: width, spaces, brackets, quotes."""

from __future__ import annotations

import math
import re
import unicodedata
from collections.abc import Callable, Sequence
from datetime import date, datetime
from typing import Any

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

_SPACES = re.compile(r"\s+")
_QUOTES = str.maketrans(
    {
        "“": '"',
        "”": '"',
        "「": '"',
        "」": '"',
        "『": '"',
        "』": '"',
        "‘": "'",
        "’": "'",
        "【": "[",
        "】": "]",
        "〔": "[",
        "〕": "]",
    }
)
_QUOTE_CLASS = "[" + "".join(chr(k) for k in _QUOTES) + "]"


def cell_text(value: Any) -> str:
    """A raw cell (str, float, int, date, None, NaN) as the text the analyst sees.

    Excel stores 20 as 20.0; it is shown as "20".

    >>> cell_text(20.0), cell_text(None), cell_text(float("nan")), cell_text("  即办 ")
    ('20', '', '', '即办')
    >>> cell_text(np.float64(0.5))
    '0.5'
    """
    if value is None:
        return ""
    if isinstance(value, bool):
        return "是" if value else "否"
    if isinstance(value, float):
        if math.isnan(value):
            return ""
        if value.is_integer() and abs(value) < 1e15:
            return str(int(value))
        return repr(float(value))  # a numpy float's own repr names its type
    if isinstance(value, datetime):
        if value.hour == value.minute == value.second == 0:
            return value.date().isoformat()
        return value.isoformat(sep=" ")
    if isinstance(value, date):
        return value.isoformat()
    return str(value).strip()


def fold(text: str) -> str:
    """Text folded for matching: NFKC (full-width to half-width), no whitespace, plain quotes.

    >>> fold("承诺办结时限（清理后）"), fold("事项\\n类型"), fold("序 号"), fold("２０")
    ('承诺办结时限(清理后)', '事项类型', '序号', '20')
    """
    return _SPACES.sub("", unicodedata.normalize("NFKC", text).translate(_QUOTES))


# Python's \\s on text, as one RE2 class for pyarrow (whose \\s is ASCII only); a test checks that
# it holds exactly the characters Python's \\s matches.
SPACE_CLASS = (
    "\\t\\n\\x0b\\x0c\\r\\x1c-\\x1f \\x{85}\\x{a0}\\x{1680}\\x{2000}-\\x{200a}"
    "\\x{2028}\\x{2029}\\x{202f}\\x{205f}\\x{3000}"
)
# Characters whose NFKC form is the same in Python's unicodedata and in pyarrow's utf8proc (checked
# by a test over every one of them): ASCII and Latin, punctuation, circled and fullwidth forms, CJK.
# A value with any other character is folded by Python, so both ways give the same text.
_ARROW_SAFE = (
    "^[\\t-\\r\\x1c-\\x7e\\x{85}\\x{a0}-\\x{24f}\\x{2000}-\\x{206f}\\x{2150}-\\x{218f}"
    "\\x{2460}-\\x{24ff}\\x{3000}-\\x{303f}\\x{3200}-\\x{33ff}\\x{3400}-\\x{4dbf}"
    "\\x{4e00}-\\x{9fff}\\x{f900}-\\x{faff}\\x{fe30}-\\x{fe4f}\\x{ff00}-\\x{ffef}]*$"
)
# Below this many values, fold them once per distinct value in Python.
FOLD_IN_PYTHON_BELOW = 2000


def fold_all(values: pd.Series) -> pd.Series:
    """:func:`fold` of every value of a string Series. A long Series (names and codes: nearly one
    value per row) is folded by pyarrow's kernels, not a Python loop; a short one once per distinct
    value.

    >>> fold_all(pd.Series(["事项 名称", "“合计”", "事项 名称"])).tolist()
    ['事项名称', '"合计"', '事项名称']
    """
    if len(values) < FOLD_IN_PYTHON_BELOW:
        return map_distinct(values, fold)
    texts = pa.array(values.astype("str"), type=pa.large_string())
    folded = pc.replace_substring_regex(pc.utf8_normalize(texts, "NFKC"), f"[{SPACE_CLASS}]+", "")
    # Python folds what the kernels may not do alike, and what has quotes to make plain (rare).
    by_python = pc.or_(
        pc.invert(pc.match_substring_regex(texts, _ARROW_SAFE)),
        pc.match_substring_regex(folded, _QUOTE_CLASS),
    ).to_numpy(zero_copy_only=False)
    rows = np.flatnonzero(by_python)
    if len(rows):
        done = folded.to_pylist()
        for i, text in zip(rows.tolist(), texts.take(pa.array(rows)).to_pylist(), strict=True):
            done[i] = fold(text)
        folded = pa.array(done, type=pa.large_string())
    return pd.Series(folded, index=values.index, dtype="str")


def starts_with_any(values: pd.Series, words: Sequence[str]) -> pd.Series:
    """Whether each value, folded, starts with one of the folded ``words``: the same as
    ``fold_all(values).str.startswith(...)``, folding only the values whose first two characters
    (past leading spaces) fold to nothing or to a word's first character. A word of Chinese
    characters can start no other folded text: what precedes it folds to nothing, and nothing
    that follows the first characters composes with them.

    >>> texts = pd.Series(["合 计", " 小计：", "事项合计", "\u3000总计"])
    >>> starts_with_any(texts, ["合计", "小计", "总计"]).tolist()
    [True, True, False, True]
    """
    folded = tuple(w for w in (fold(w) for w in words) if w)
    if not folded or len(values) < FOLD_IN_PYTHON_BELOW:
        return (
            map_distinct(values, fold).str.startswith(folded)
            if folded
            else pd.Series(False, index=values.index)
        )
    texts = pa.array(values.astype("str"), type=pa.large_string())
    heads = pc.utf8_slice_codeunits(pc.utf8_ltrim_whitespace(texts), 0, 2)
    firsts = {w[0] for w in folded}
    codes, uniques = pd.factorize(pd.Series(heads, dtype="str"))
    could = np.array([(f := fold(u)) == "" or f[0] in firsts for u in uniques.tolist()] + [False])
    maybe = could[codes] & pc.not_equal(texts, "").to_numpy(zero_copy_only=False)
    found = np.zeros(len(values), dtype=bool)
    rows = np.flatnonzero(maybe)
    if len(rows):
        found[rows] = fold_all(values.iloc[rows]).str.startswith(folded).to_numpy(dtype=bool)
    return pd.Series(found, index=values.index)


def map_distinct(values: pd.Series, func: Callable[[str], Any]) -> pd.Series:
    """``values.map(func)`` computing ``func`` once per distinct value.

    Department lists repeat the same few texts (版本, 序号, 是/否) over millions of rows.

    >>> map_distinct(pd.Series(["再造 前", "再造 前", "新"]), fold).tolist()
    ['再造前', '再造前', '新']
    """
    codes, uniques = pd.factorize(values, use_na_sentinel=False)
    return coded_texts([str(func(u)) for u in uniques.tolist()], codes, values.index)


def coded_texts(texts: list[str], codes: np.ndarray, index: pd.Index) -> pd.Series:
    """The text column whose row i is ``texts[codes[i]]``, built in Arrow (no Python string per row).

    >>> coded_texts(["甲", "乙"], np.array([1, 0, 1]), pd.RangeIndex(3)).tolist()
    ['乙', '甲', '乙']
    """
    column = pa.array(texts, type=pa.large_string()).take(pa.array(codes))
    return pd.Series(column, index=index, dtype="str")


def distinct_values(values: pd.Series, func: Callable[[Any], Any], dtype: Any = object) -> Any:
    """``func`` of each element as a numpy array, computed once per distinct value.

    >>> distinct_values(pd.Series(["3", "x", "3"]), lambda s: float(s) if s.isdigit() else float("nan"),
    ...                 float).tolist()
    [3.0, nan, 3.0]
    """
    codes, uniques = pd.factorize(values, use_na_sentinel=False)
    if not len(uniques):
        return np.array([], dtype)
    return np.array([func(u) for u in uniques.tolist()], dtype=dtype)[codes]


def chinese_numeral(n: int) -> str:
    """A whole number from 0 to 999 in Chinese numerals, as clerks write limits and articles.

    A leading 一十 is written 十 (十五), but not after a hundred (一百一十); an empty tens place
    before a unit is read 零 (一百零五). Limits (二十个工作日) and articles (第四十五条) need no more.

    >>> [chinese_numeral(n) for n in (1, 10, 15, 20, 45, 105, 120)]
    ['一', '十', '十五', '二十', '四十五', '一百零五', '一百二十']
    >>> chinese_numeral(0), chinese_numeral(110), chinese_numeral(999)
    ('零', '一百一十', '九百九十九')
    >>> chinese_numeral(1000)
    Traceback (most recent call last):
    ValueError: 只能写出 0 至 999 的整数：1000
    """
    if not 0 <= n <= 999:
        raise ValueError(f"只能写出 0 至 999 的整数：{n}")
    digits = "零一二三四五六七八九"
    hundreds, rest = divmod(n, 100)
    tens, units = divmod(rest, 10)
    unit = digits[units] if units else ""
    if not hundreds:
        if not tens:
            return digits[units]
        return ("" if tens == 1 else digits[tens]) + "十" + unit
    middle = digits[tens] + "十" if tens else ("零" if units else "")
    return digits[hundreds] + "百" + middle + unit
