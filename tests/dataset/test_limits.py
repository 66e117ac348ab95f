"""Time-limit text → working days: the shapes departments write, units, conversion, notes."""

from __future__ import annotations

import math
from datetime import date
from typing import Any

import pandas as pd
import pytest
from hypothesis import given
from hypothesis import strategies as st
from sample import SETTINGS

import approvals.dataset.limits as limits
from approvals.dataset.limits import Limit, parse_limit, parse_limits
from approvals.model import LimitStatus
from approvals.settings import Settings

WORKING_DAYS_2026 = 248
DAYS_2026 = 365
NATURAL_2026 = WORKING_DAYS_2026 / DAYS_2026
MONTH_2026 = WORKING_DAYS_2026 / 12

VALUE, NONE, BLANK, INVALID = "value", "none", "blank", "invalid"


def limit_of(text: Any, unit: Any = None, settings: Settings = SETTINGS) -> Limit:
    """One cell read with the bundled settings (year 2026) unless others are given."""
    return parse_limit(text, unit, settings=settings)


def column_of(texts: pd.Series, units: pd.Series | None = None) -> pd.DataFrame:
    """A column read with the bundled settings (year 2026)."""
    return parse_limits(texts, units, settings=SETTINGS)


def chinese_numeral(n: int) -> str:
    """How a clerk writes 0-999 in Chinese numerals (一百零五, 十五, 二十)."""
    digits = "零一二三四五六七八九"
    if n < 10:
        return digits[n]
    if n < 20:
        return "十" + (digits[n % 10] if n % 10 else "")
    if n < 100:
        return digits[n // 10] + "十" + (digits[n % 10] if n % 10 else "")
    hundreds, rest = divmod(n, 100)
    head = digits[hundreds] + "百"
    if rest == 0:
        return head
    if rest < 10:
        return head + "零" + digits[rest]
    tens, units = divmod(rest, 10)
    return head + digits[tens] + "十" + (digits[units] if units else "")


def full_width(text: str) -> str:
    return text.translate({ord(c): ord(c) + 0xFEE0 for c in "0123456789"})


# ---------------------------------------------------------------- the shapes of real lists
SHAPES = [
    ("20个工作日", 20, VALUE),
    ("二十个工作日", 20, VALUE),
    ("２０", 20, VALUE),
    ("20", 20, VALUE),
    (20.0, 20, VALUE),
    (20, 20, VALUE),
    ("20.0", 20, VALUE),
    ("20日", 20, VALUE),
    ("30天", 30, VALUE),
    ("即办", 0, VALUE),
    ("当场办结", 0, VALUE),
    ("即时办结", 0, VALUE),
    ("法律未规定", None, NONE),
    ("无", None, NONE),
    ("—", None, NONE),
    ("-", None, NONE),
    ("/", None, NONE),
    ("法律法规未规定", None, NONE),
    ("15个工作日（不含专家评审时间）", 15, VALUE),
    ("3个月", 3 * MONTH_2026, VALUE),
    ("48小时", 6, VALUE),
    ("0.5个工作日", 0.5, VALUE),
    ("十五个工作日", 15, VALUE),
    ("三十日", 30, VALUE),
    ("一百二十日", 120, VALUE),
    ("两个工作日", 2, VALUE),
    ("1个月", MONTH_2026, VALUE),
    ("30个自然日", 30 * NATURAL_2026, VALUE),
    ("30日历日", 30 * NATURAL_2026, VALUE),
    ("5-10个工作日", 10, VALUE),
    ("五至十个工作日", 10, VALUE),
    ("20个工作日内办结", 20, VALUE),
    ("不超过20个工作日", 20, VALUE),
    ("20 个工作日。", 20, VALUE),
    ("", None, BLANK),
    ("   ", None, BLANK),
    (None, None, BLANK),
    (float("nan"), None, BLANK),
    ("尽快", None, INVALID),
    ("按规定", None, INVALID),
    ("2020年", None, INVALID),
    ("5个工作日-10个自然日", None, INVALID),
]


@pytest.mark.parametrize(("text", "days", "status"), SHAPES)
def test_limit_shapes_seen_in_real_lists(text, days, status):
    limit = limit_of(text)
    assert limit.status == status
    if days is None:
        assert math.isnan(limit.days)
    else:
        assert limit.days == pytest.approx(days)


def test_twenty_working_days_in_chinese_numerals():
    assert limit_of("二十个工作日") == limit_of("20个工作日")


def test_no_statutory_limit_is_not_zero_days():
    limit = limit_of("法律未规定")
    assert limit.status == LimitStatus.NONE
    assert math.isnan(limit.days)
    assert limit.message == ""


@pytest.mark.parametrize("text", ["即办", "当场办结", "即时办结"])
def test_on_the_spot_handling_is_zero_working_days(text):
    limit = limit_of(text)
    assert (limit.days, limit.unit, limit.converted) == (0.0, "即办", False)


def test_excluded_expert_review_is_kept_as_a_note():
    limit = limit_of("15个工作日（不含专家评审时间）")
    assert (limit.days, limit.unit) == (15.0, "工作日")
    assert limit.note == "不含专家评审时间"
    assert limit.excluded == "专家评审"


@pytest.mark.parametrize(
    ("text", "excluded"),
    [
        ("20个工作日（含公示时间）", ""),
        ("20个工作日(检验检测时间除外)", "检验,检测"),
        ("20个工作日（含公示时间；现场勘查时间不计入）", "现场勘查"),
        ("20个工作日，听证、招标时间不计算在内", "听证,招标"),
        ("20个工作日（自受理之日起）", ""),
    ],
)
def test_only_time_the_note_leaves_out_counts_as_excluded(text, excluded):
    limit = limit_of(text)
    assert limit.days == 20
    assert limit.excluded == excluded
    assert limit.note


def test_a_range_counts_its_upper_bound_and_says_so():
    limit = limit_of("5-10个工作日")
    assert limit.days == 10
    assert "5-10个工作日" in limit.note
    assert "上限" in limit.note


def test_text_after_the_limit_is_kept_as_a_note():
    limit = limit_of("20日，可延长10日")
    assert (limit.days, limit.note) == (20.0, "可延长10日")


@pytest.mark.parametrize("text", ["尽快", "按规定", "二十几天"])
def test_gibberish_is_invalid_with_a_message_naming_the_text(text):
    limit = limit_of(text)
    assert limit.status == LimitStatus.INVALID
    assert math.isnan(limit.days)
    assert f"“{text}”" in limit.message


# ---------------------------------------------------------------- units and conversion
def test_thirty_natural_days_are_30_times_248_over_365_in_2026():
    assert limit_of("30个自然日").days == pytest.approx(30 * 248 / 365)
    assert limit_of("30", "自然日").days == pytest.approx(30 * 248 / 365)


@pytest.mark.parametrize(
    ("text", "converted"),
    [
        ("20个工作日", False),
        ("20", False),
        ("即办", False),
        ("30个自然日", True),
        ("3个月", True),
        ("48小时", True),
    ],
)
def test_converted_marks_values_not_written_in_working_days(text, converted):
    assert limit_of(text).converted is converted


@pytest.mark.parametrize(
    ("unit", "expected"),
    [
        ("工作日", 20),
        ("自然日", 20 * NATURAL_2026),
        ("日", 20 * NATURAL_2026),
        ("天", 20 * NATURAL_2026),
        ("月", 20 * MONTH_2026),
        ("个月", 20 * MONTH_2026),
        ("小时", 20 / 8),
    ],
)
def test_the_unit_column_governs_its_number(unit, expected):
    limit = limit_of("20", unit)
    assert limit.days == pytest.approx(expected)
    assert limit.unit == unit.removeprefix("个")


@pytest.mark.parametrize("word", ["日", "天"])
def test_day_in_free_text_is_a_working_day_but_in_a_unit_column_a_natural_day(word):
    assert limit_of(f"20{word}").days == 20
    assert limit_of("20", word).days == pytest.approx(20 * NATURAL_2026)


def test_the_unit_column_overrides_a_unit_written_in_the_cell():
    limit = limit_of("20个工作日", "自然日")
    assert limit.days == pytest.approx(20 * NATURAL_2026)
    assert "按单位列计" in limit.note


def test_an_unknown_unit_is_invalid_with_a_message():
    limit = limit_of("20", "年")
    assert limit.status == LimitStatus.INVALID
    assert "“年”" in limit.message


def test_platform_export_columns_parse_row_by_row():
    texts = pd.Series([20, 30, "即办", "20个工作日", None, "无"], index=[11, 12, 13, 14, 15, 16])
    units = pd.Series(["工作日", "自然日", "工作日", None, "工作日", ""], index=texts.index)
    frame = column_of(texts, units)
    assert frame.index.tolist() == texts.index.tolist()
    assert frame["status"].tolist() == [VALUE, VALUE, VALUE, VALUE, BLANK, NONE]
    assert frame["days"].iloc[:4].tolist() == pytest.approx([20, 30 * NATURAL_2026, 0, 20])
    assert frame["converted"].tolist() == [False, True, False, False, False, False]
    assert frame["unit"].tolist() == ["工作日", "自然日", "即办", "工作日", "", ""]


def test_a_unit_column_with_another_index_order_is_aligned_by_label():
    texts = pd.Series(["20", "20"], index=["a", "b"])
    units = pd.Series(["自然日", "工作日"], index=["b", "a"])
    assert column_of(texts, units)["days"].tolist() == pytest.approx([20, 20 * NATURAL_2026])


def test_conversion_follows_the_calendar_of_the_year():
    national_day = {"holidays": [{"from": date(2031, 10, 1), "to": date(2031, 10, 7)}]}
    settings = SETTINGS.replaced("holidays.toml", {"2031": national_day}).with_year(2031)
    working_2031 = 261 - 5  # weekdays of 2031 minus the five weekdays of 1-7 October
    limit = limit_of("365个自然日", settings=settings)
    assert limit.days == pytest.approx(working_2031)
    assert limit_of("12个月", settings=settings).days == pytest.approx(working_2031)
    weekends_only = SETTINGS.with_year(2031)  # the same year without its holidays
    assert limit_of("12个月", settings=weekends_only).days == pytest.approx(261)


@pytest.mark.parametrize(
    ("section", "factor"),
    [
        ("text_units", {"工作日": 1, "自然日": NATURAL_2026, "月": MONTH_2026, "小时": 1 / 8}),
        ("column_units", {"工作日": 1, "自然日": NATURAL_2026, "月": MONTH_2026, "小时": 1 / 8}),
    ],
)
def test_every_unit_word_in_the_data_file_reads_as_its_kind(section, factor):
    words = SETTINGS.data["limits.toml"][section]
    assert words
    for word, kind in words.items():
        limit = limit_of(f"12{word}") if section == "text_units" else limit_of(12, word)
        assert limit.days == pytest.approx(12 * factor[kind]), word
        assert limit.converted is (kind != "工作日"), word


# ---------------------------------------------------------------- property tests
@given(n=st.integers(min_value=0, max_value=999))
def test_n_working_days_read_the_same_in_every_spelling(n):
    spellings = [f"{n}个工作日", full_width(f"{n}个工作日"), f"{chinese_numeral(n)}个工作日"]
    for text in spellings:
        limit = limit_of(text)
        assert limit.status == LimitStatus.VALUE, text
        assert limit.days == n, text


def test_the_test_spelling_of_chinese_numerals_is_the_clerks_one():
    assert [chinese_numeral(n) for n in (0, 10, 15, 20, 105, 110, 120, 999)] == [
        "零",
        "十",
        "十五",
        "二十",
        "一百零五",
        "一百一十",
        "一百二十",
        "九百九十九",
    ]


CELLS = st.one_of(
    st.sampled_from([s[0] for s in SHAPES]),
    st.text(alphabet="0123456789一二十百个工作日天月小时即办无()（）-至", max_size=8),
)
UNITS = st.sampled_from([None, "", "工作日", "自然日", "日", "月", "小时", "年"])


@given(rows=st.lists(st.tuples(CELLS, UNITS), max_size=30))
def test_the_column_parse_equals_the_cell_parse_row_by_row(rows):
    texts = pd.Series([r[0] for r in rows], dtype=object)
    units = pd.Series([r[1] for r in rows], dtype=object)
    frame = column_of(texts, units)
    assert len(frame) == len(rows)
    for (text, unit), got in zip(rows, frame.itertuples(index=False), strict=True):
        expected = limit_of(text, unit)
        assert got.status == expected.status
        assert got.days == pytest.approx(expected.days, nan_ok=True)
        assert (got.unit, got.note, got.excluded, got.converted, got.message) == (
            expected.unit,
            expected.note,
            expected.excluded,
            expected.converted,
            expected.message,
        )


# ---------------------------------------------------------------- the column as a whole
def test_each_distinct_cell_is_parsed_once(monkeypatch):
    calls = []
    original = limits._parse_cell

    def counting(*args):
        calls.append(args[:2])
        return original(*args)

    monkeypatch.setattr(limits, "_parse_cell", counting)
    texts = pd.Series(["20个工作日", "即办", "无"] * 10_000, dtype="str")
    frame = column_of(texts)
    assert len(calls) == 3
    assert frame["days"].iloc[:2].tolist() == [20.0, 0.0]
    assert frame["status"].value_counts().to_dict() == {VALUE: 20_000, NONE: 10_000}


def test_the_result_has_the_documented_columns_and_dtypes():
    frame = column_of(pd.Series(["20个工作日", None], dtype="str"))
    assert frame.columns.tolist() == limits.LIMIT_RESULT_COLUMNS
    assert frame["days"].dtype == "float64"
    assert frame["converted"].dtype == "bool"
    for column in ("status", "unit", "note", "excluded", "message"):
        assert frame[column].dtype == "str", column


def test_an_empty_column_gives_an_empty_table():
    frame = column_of(pd.Series([], dtype="str"))
    assert frame.empty
    assert frame.columns.tolist() == limits.LIMIT_RESULT_COLUMNS
