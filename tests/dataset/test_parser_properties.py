"""Property tests of the cell parsers: whatever a cell holds, no exception escapes, and a limit
printed in the catalog's wording reads back as the same limit."""

from __future__ import annotations

import math
import string
from typing import Any

import pandas as pd
from hypothesis import given
from hypothesis import strategies as st
from sample import SETTINGS

from approvals.dataset.decisions import classify_decisions, decision_mapping
from approvals.dataset.limits import parse_limit, parse_limits
from approvals.model import Decision, LimitStatus
from approvals.views.format import ParsedLimit, limit_text, limit_wording

WORDING = limit_wording(SETTINGS)
STATUSES = {str(s) for s in LimitStatus}

# The pieces departments build limits from, and characters that break naive parsers.
NUMBERS = st.one_of(
    st.integers(min_value=0, max_value=10**6).map(str),
    st.sampled_from(["二十", "十五", "一百零五", "两", "廿", "半", "２０", "0.5", "三百六十五万", "1" * 400]),
)
UNITS = st.sampled_from(
    ["", "个工作日", "工作日", "日", "天", "个自然日", "日历日", "个月", "小时", "年", "周"]
)
NOTES = st.sampled_from(["", "（不含专家评审时间）", "(含公示)", "，需现场勘查", "[另计听证]", "（", "）"])
PREFIXES = st.sampled_from(["", "不超过", "自受理之日起", "承诺", "法定"])
SUFFIXES = st.sampled_from(["", "内", "以内", "办结", "作出决定"])
SHAPED = st.builds(lambda *p: "".join(p), PREFIXES, NUMBERS, UNITS, SUFFIXES, NOTES)
RANGES = st.builds(
    lambda a, s, b, u: f"{a}{s}{b}{u}", NUMBERS, st.sampled_from(["-", "至", "~", "到"]), NUMBERS, UNITS
)
NASTY = st.text(alphabet=st.characters(codec="utf-8"), max_size=60)
CELLS: st.SearchStrategy[Any] = st.one_of(
    SHAPED,
    RANGES,
    NASTY,
    st.text(alphabet=string.digits + "-.eE+()（）个工作日天月小时至", max_size=40),
    st.floats(allow_nan=True, allow_infinity=True),
    st.integers(min_value=-(10**30), max_value=10**30),
    st.none(),
    st.booleans(),
)
COLUMN_UNITS = st.one_of(
    st.none(), st.sampled_from(["", "工作日", "自然日", "日", "天", "月", "小时", "1", "2", "3", "周"])
)


def _checked(limit: Any) -> None:
    assert str(limit.status) in STATUSES
    if str(limit.status) == LimitStatus.VALUE:
        assert math.isfinite(limit.days)
        assert 0 <= limit.days <= SETTINGS.limits.maximum_days
    else:
        assert math.isnan(limit.days)


@given(CELLS, COLUMN_UNITS)
def test_any_limit_cell_reads_as_a_finite_plausible_value_or_as_a_status(cell: Any, unit: Any) -> None:
    _checked(parse_limit(cell, unit, settings=SETTINGS))


@given(st.lists(st.tuples(CELLS, COLUMN_UNITS), min_size=1, max_size=8))
def test_a_column_of_limits_is_read_cell_by_cell(cells: list[tuple[Any, Any]]) -> None:
    texts = pd.Series([c for c, _ in cells], dtype=object)
    units = pd.Series([u for _, u in cells], dtype=object)
    frame = parse_limits(texts, units, settings=SETTINGS)
    one_by_one = [parse_limit(c, u, settings=SETTINGS) for c, u in cells]
    assert frame["status"].tolist() == [str(x.status) for x in one_by_one]
    assert frame["days"].tolist() == [x.days for x in one_by_one] or all(
        (math.isnan(a) and math.isnan(b)) or a == b
        for a, b in zip(frame["days"], [x.days for x in one_by_one], strict=True)
    )


def _printed(cell: Any, unit: Any, prefix: str = "statutory") -> str:
    read = parse_limit(cell, unit, settings=SETTINGS)
    text = "" if cell is None else str(cell)
    limit = ParsedLimit(text, read.days, str(read.status), read.unit, read.note, read.converted)
    return limit_text(limit, prefix, WORDING)


@given(st.one_of(SHAPED, RANGES, NASTY), COLUMN_UNITS)
def test_a_printed_limit_reads_back_as_the_same_limit(cell: str, unit: Any) -> None:
    first = parse_limit(cell, unit, settings=SETTINGS)
    printed = _printed(cell, unit)
    again = parse_limit(printed, settings=SETTINGS)  # a printed limit carries its unit in words
    if first.status == LimitStatus.VALUE:
        assert again.status == LimitStatus.VALUE
        assert math.isclose(again.days, first.days, rel_tol=1e-9, abs_tol=0.01)
        assert _printed(printed, None) == printed  # and prints the same a second time
    elif first.status == LimitStatus.NONE:
        assert again.status == LimitStatus.NONE


DECISION_CELLS: st.SearchStrategy[Any] = st.one_of(
    st.builds(
        lambda a, b, c: a + b + c,
        st.sampled_from(["", "拟", "建议", "暂予", "同意"]),
        st.sampled_from(
            [
                "取消",
                "保留",
                "下放",
                "下放至县级",
                "合并至",
                "合并到“",
                "转变管理方式",
                "调整为内部管理事项",
                "待研究",
            ]
        ),
        st.one_of(st.just(""), NASTY),
    ),
    NASTY,
    st.floats(allow_nan=True),
    st.integers(),
    st.none(),
)


@given(st.lists(DECISION_CELLS, min_size=1, max_size=8))
def test_any_decision_cell_is_classified_into_a_known_class(cells: list[Any]) -> None:
    texts = pd.Series(cells, dtype=object)
    out = classify_decisions(texts, SETTINGS.decisions)
    assert len(out) == len(cells)
    assert set(out["decision"]) <= {str(d) for d in Decision}
    assert out.loc[out["blank"], "decision"].eq(str(Decision.UNDECIDED)).all()
    mapping = decision_mapping(texts, SETTINGS.decisions)
    assert mapping["count"].sum() == len(cells)
