"""Folding text for matching: the column-at-a-time fold (pyarrow kernels) gives exactly what the
one-value fold gives, on every character that may reach it."""

from __future__ import annotations

import re
import unicodedata

import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc
from hypothesis import given, settings
from hypothesis import strategies as st

from approvals.text import _ARROW_SAFE, FOLD_IN_PYTHON_BELOW, SPACE_CLASS, fold, fold_all, starts_with_any

EVERY_CHARACTER = [chr(c) for c in range(0x110000) if not 0xD800 <= c < 0xE000]


def test_the_space_class_is_what_python_calls_whitespace() -> None:
    spaces = [c for c in EVERY_CHARACTER if re.fullmatch(r"\s", c)]
    matched = pc.match_substring_regex(pa.array(EVERY_CHARACTER), f"^[{SPACE_CLASS}]$")
    assert [c for c, m in zip(EVERY_CHARACTER, matched.to_pylist(), strict=True) if m] == spaces


def test_pyarrow_normalises_every_character_it_is_given_as_python_does() -> None:
    characters = pa.array(EVERY_CHARACTER)
    safe = pc.match_substring_regex(characters, _ARROW_SAFE).to_pylist()
    given = [c for c, s in zip(EVERY_CHARACTER, safe, strict=True) if s]
    assert len(given) > 29_000  # ASCII, Latin, punctuation, fullwidth forms and the CJK blocks
    theirs = pc.utf8_normalize(pa.array(given), "NFKC").to_pylist()
    assert [c for c, t in zip(given, theirs, strict=True) if unicodedata.normalize("NFKC", c) != t] == []


ALPHABET = st.one_of(
    st.sampled_from(list("合计小计总计事项名称“”「」『』‘’【】〔〕（）：１２３ＡＢａｂ㈠①⑴")),
    st.sampled_from(list(" \u3000\t\n\r\xa0\u2028")),
    st.characters(codec="utf-8"),
)


@settings(max_examples=25, deadline=None)
@given(st.lists(st.text(ALPHABET, max_size=12), min_size=1, max_size=40))
def test_folding_a_long_column_is_folding_each_value(texts: list[str]) -> None:
    repeated = (texts * (FOLD_IN_PYTHON_BELOW // len(texts) + 1))[: FOLD_IN_PYTHON_BELOW + 7]
    column = pd.Series(repeated, dtype="str")
    assert fold_all(column).tolist() == [fold(t) for t in repeated]


def test_a_short_column_is_folded_the_same() -> None:
    column = pd.Series(["序 号", "“合计”", "２０"], index=[5, 6, 7], dtype="str")
    folded = fold_all(column)
    assert folded.tolist() == ["序号", '"合计"', "20"] and folded.index.tolist() == [5, 6, 7]


@settings(max_examples=40, deadline=None)
@given(
    st.lists(st.text(ALPHABET, max_size=10), min_size=1, max_size=40),
    st.lists(st.text(st.sampled_from(list("合计小总共数事项⼩")), min_size=1, max_size=3), max_size=3),
)
def test_starts_with_any_is_folding_then_comparing(texts: list[str], extra: list[str]) -> None:
    words = ["合计", "小计", "总计", *extra]
    wanted = tuple(w for w in map(fold, words) if w)
    for size in (len(texts), FOLD_IN_PYTHON_BELOW + 3):
        repeated = (texts * (size // len(texts) + 1))[:size]
        found = starts_with_any(pd.Series(repeated, dtype="str"), words)
        assert found.tolist() == [bool(wanted) and fold(t).startswith(wanted) for t in repeated]
