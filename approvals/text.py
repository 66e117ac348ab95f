"""Cell text as departments type it, made comparable: width, spaces, brackets, quotes."""

from __future__ import annotations

import math
import re
import unicodedata
from collections.abc import Callable
from datetime import date, datetime
from typing import Any

import numpy as np
import pandas as pd
import pyarrow as pa

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


def cell_text(value: Any) -> str:
    """A raw cell (str, float, int, date, None, NaN) as the text the analyst sees.

    Excel stores 20 as 20.0; it is shown as "20".

    >>> cell_text(20.0), cell_text(None), cell_text(float("nan")), cell_text("  即办 ")
    ('20', '', '', '即办')
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
        return repr(value)
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


def map_distinct(values: pd.Series, func: Callable[[str], Any]) -> pd.Series:
    """``values.map(func)`` computing ``func`` once per distinct value.

    Department lists repeat the same few texts (版本, 序号, 是/否) over millions of rows.

    >>> map_distinct(pd.Series(["再造 前", "再造 前", "新"]), fold).tolist()
    ['再造前', '再造前', '新']
    """
    codes, uniques = pd.factorize(values, use_na_sentinel=False)
    mapped = pa.array([str(func(u)) for u in uniques.tolist()], type=pa.large_string())
    return pd.Series(mapped.take(pa.array(codes)), index=values.index, dtype="str")


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
