"""A fuzzing session over the readers and parsers: many examples, minutes of running, so it is
not part of the normal test run (the ``fuzz`` marker is deselected in pyproject.toml).

Run it with ``pytest -m fuzz tests/fuzz --hypothesis-show-statistics``; ``FUZZ_EXAMPLES`` sets
the examples of the cheap tests (default 5,000; the whole-file tests run a tenth of it). What a
session found and how long it ran is recorded in bench/RESULTS.md.
"""

from __future__ import annotations

import csv
import io
import json
import math
import os
from typing import Any

import pandas as pd
import pytest
from builders import HEADER_WORDS, workbook
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sample import SETTINGS

from approvals.analysis import analyze
from approvals.dataset.build import build_dataset
from approvals.dataset.decisions import classify_decisions
from approvals.dataset.limits import parse_limit
from approvals.errors import ReadError
from approvals.model import Decision, LimitStatus
from approvals.read.reading import read_source
from approvals.views.command_line import analysis_json, json_text, summary_text
from approvals.views.format import ParsedLimit, limit_text, limit_wording

pytestmark = pytest.mark.fuzz

EXAMPLES = int(os.environ.get("FUZZ_EXAMPLES", "5000"))
MANY = settings(max_examples=EXAMPLES, deadline=None, suppress_health_check=list(HealthCheck))
FEWER = settings(max_examples=max(EXAMPLES // 10, 10), deadline=None, suppress_health_check=list(HealthCheck))
VOCAB = SETTINGS.columns
WORDING = limit_wording(SETTINGS)

ANY_TEXT = st.text(alphabet=st.characters(codec="utf-8", exclude_categories=("Cs",)), max_size=300)
LIMIT_PIECES = st.sampled_from(
    [
        "",
        "个",
        "工作日",
        "自然日",
        "日",
        "天",
        "月",
        "小时",
        "半",
        "-",
        "至",
        "~",
        "（",
        "）",
        "(",
        ")",
        "[",
        "]",
        "，",
        "；",
        "不含",
        "专家评审",
        "公示",
        "即办",
        "无",
        "法律未规定",
        "不超过",
        "自受理之日起",
        "内",
        "办结",
        "0",
        "1",
        "9",
        ".",
        "二",
        "十",
        "百",
        "千",
        "万",
        "两",
        "廿",
        "〇",
        "２",
        "e",
        "+",
        "−",
        " ",
        "\n",
        "\u3000",
    ]
)
LIMIT_TEXT = st.one_of(st.lists(LIMIT_PIECES, max_size=30).map("".join), ANY_TEXT)
CELL: st.SearchStrategy[Any] = st.one_of(
    LIMIT_TEXT,
    st.floats(allow_nan=True, allow_infinity=True),
    st.integers(min_value=-(10**40), max_value=10**40),
    st.none(),
    st.booleans(),
)
UNIT = st.one_of(st.none(), LIMIT_PIECES, ANY_TEXT)


@MANY
@given(CELL, UNIT)
def test_fuzz_limit_parser_returns_a_plausible_value_or_a_status(cell: Any, unit: Any) -> None:
    limit = parse_limit(cell, unit, settings=SETTINGS)
    if limit.status == LimitStatus.VALUE:
        assert 0 <= limit.days <= SETTINGS.limits.maximum_days
    else:
        assert math.isnan(limit.days)
    assert len(limit.message) < 400


@MANY
@given(LIMIT_TEXT, UNIT)
def test_fuzz_a_printed_limit_reads_back_the_same(text: str, unit: Any) -> None:
    first = parse_limit(text, unit, settings=SETTINGS)
    printed = limit_text(
        ParsedLimit(text, first.days, str(first.status), first.unit, first.note, first.converted),
        "statutory",
        WORDING,
    )
    again = parse_limit(printed, settings=SETTINGS)
    if first.status == LimitStatus.VALUE:
        assert again.status == LimitStatus.VALUE
        assert math.isclose(again.days, first.days, rel_tol=1e-9, abs_tol=0.01)
    elif first.status == LimitStatus.NONE:
        assert again.status == LimitStatus.NONE


DECISION = st.one_of(
    st.lists(
        st.sampled_from(
            [
                "拟",
                "取消",
                "保留",
                "下放",
                "至",
                "县级",
                "合并",
                "到",
                "“",
                "”",
                "转变管理方式",
                "暂予",
                "不",
                "（",
                "）",
                "待研究",
                "XX",
            ]
        ),
        max_size=12,
    ).map("".join),
    ANY_TEXT,
    st.floats(allow_nan=True),
    st.none(),
)


@MANY
@given(st.lists(DECISION, min_size=1, max_size=10))
def test_fuzz_decision_mapper_classifies_every_cell(cells: list[Any]) -> None:
    out = classify_decisions(pd.Series(cells, dtype=object), SETTINGS.decisions)
    assert len(out) == len(cells)
    assert set(out["decision"]) <= {str(d) for d in Decision}


@MANY
@given(st.binary(max_size=2000), st.sampled_from(["清单.csv", "清单.txt", "清单.xlsx", "清单.xls", "清单"]))
def test_fuzz_any_bytes_are_read_or_refused_with_a_read_error(data: bytes, name: str) -> None:
    try:
        read_source((name, data), VOCAB)
    except ReadError as error:
        assert str(error)


CSV_CELL = st.one_of(st.sampled_from(HEADER_WORDS), LIMIT_TEXT, DECISION.filter(lambda d: isinstance(d, str)))


@MANY
@given(
    st.sampled_from([",", "\t", ";", "|"]),
    st.lists(st.lists(CSV_CELL, min_size=1, max_size=8), min_size=1, max_size=15),
    st.sampled_from(["utf-8", "utf-8-sig", "gb18030", "utf-16"]),
)
def test_fuzz_csv_files_in_any_delimiter_and_encoding_are_read(
    delimiter: str, rows: list[list[str]], encoding: str
) -> None:
    buffer = io.StringIO()
    csv.writer(buffer, delimiter=delimiter).writerows(rows)
    try:
        data = buffer.getvalue().encode(encoding)
    except UnicodeEncodeError:
        return
    try:
        read_source(("清单.csv", data), VOCAB)
    except ReadError as error:
        assert str(error)


STEP_NO = st.sampled_from(["1", "2", "3", "4", "5", "2", "甲", "", "1.1", "99"])
STEP_ROW = st.tuples(
    st.sampled_from(["A-1", "A-2", "B-1"]),
    STEP_NO,
    st.sampled_from(["受理", "审查", "审核", "登记", "现场勘查", "专家评审", "决定", "送达", "退回补正"]),
    LIMIT_TEXT,
    st.lists(STEP_NO, max_size=4).map("、".join),
    st.sampled_from(["再造前", "再造后", "", "其他"]),
)
# xlsxwriter cannot store NaN or infinities in a cell: a file never holds them.
FILE_CELL = CELL.filter(lambda v: not isinstance(v, float) or math.isfinite(v))
ITEM_ROW = st.tuples(
    st.sampled_from(["市水利局", "市林业局", ""]),
    st.sampled_from(["A-1", "A-2", "B-1", "A-1", ""]),
    st.one_of(st.sampled_from(["取水许可", "取水许可证核发", "河道采砂许可", ""]), ANY_TEXT),
    FILE_CELL,
    FILE_CELL,
    DECISION.filter(lambda v: not isinstance(v, float) or math.isfinite(v)),
)


@FEWER
@given(st.lists(ITEM_ROW, min_size=1, max_size=8), st.lists(STEP_ROW, max_size=14))
def test_fuzz_a_whole_workbook_is_analysed_into_strict_json(
    items: list[tuple[Any, ...]], steps: list[tuple[Any, ...]]
) -> None:
    sheets = {
        "事项": [
            ["序号", "实施部门", "事项编码", "事项名称", "法定时限", "承诺时限", "处理意见"],
            *[[n, *row] for n, row in enumerate(items, start=1)],
        ],
        "办理环节": [
            ["事项编码", "环节序号", "环节名称", "办理时限", "前置环节", "流程版本"],
            *map(list, steps),
        ],
    }
    try:
        reading = read_source(("水利局.xlsx", workbook(sheets)), VOCAB)
    except ReadError as error:
        assert str(error)
        return
    analysis = analyze(build_dataset([reading], SETTINGS))
    text = json_text(analysis_json(analysis))
    json.loads(text, parse_constant=lambda c: pytest.fail(f"not strict JSON: {c}"))
    summary = summary_text(analysis)
    assert "nan" not in summary.lower() and "inf" not in summary.lower()
