"""The records written column by column are the text orjson writes for the same dicts."""

from __future__ import annotations

import math

import numpy as np
import orjson
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from approvals.views import json_records
from approvals.views.json_records import Records, json_bytes

texts = st.text(alphabet=st.characters(codec="utf-8", exclude_categories=["Cs"]), max_size=6)
days = st.one_of(st.floats(allow_nan=True, allow_infinity=True, width=64), st.just(20.0), st.just(0.5))
steps = st.lists(st.sampled_from(["受理", "审查", '一"二', "\\", "\n"]), max_size=3).map(tuple)
rows = st.lists(st.tuples(texts, days, st.integers(-(2**40), 2**40), st.booleans(), steps), max_size=40)


def by_dicts(table: pd.DataFrame, fields: list[tuple[str, str]]) -> bytes:
    records = [{key: row[column] for key, column in fields} for row in table.to_dict("records")]
    return orjson.dumps(records, option=orjson.OPT_SERIALIZE_NUMPY)


FIELDS = [("item", "name"), ("days", "days"), ("n", "n"), ("ok", "ok"), ("steps", "steps")]


def frame(found: list[tuple[str, float, int, bool, tuple[str, ...]]]) -> pd.DataFrame:
    table = pd.DataFrame(found, columns=["name", "days", "n", "ok", "steps"])
    return table.astype({"name": "str", "days": "float64", "n": "int64", "ok": "bool", "steps": object})


tables = rows.map(frame)


@settings(max_examples=150, deadline=None)
@given(tables)
def test_records_are_the_text_of_the_same_dicts(table: pd.DataFrame) -> None:
    assert json_bytes(Records(table, FIELDS)) == by_dicts(table, FIELDS)


@settings(max_examples=30, deadline=None)
@given(tables)
def test_records_cut_into_chunks_read_the_same(table: pd.DataFrame) -> None:
    whole = json_bytes(Records(table, FIELDS))
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(json_records, "CHUNK_ROWS", 3)
        assert json_bytes(Records(table, FIELDS)) == whole


def test_missing_values_are_null_and_lists_are_arrays() -> None:
    table = pd.DataFrame(
        {
            "name": pd.Series(["甲", None], dtype="str"),
            "days": [np.nan, math.inf],
            "count": pd.array([3, None], dtype="Int64"),
            "steps": pd.Series([["受理", "决定"], np.array(["审查"])], dtype=object),
        }
    )
    fields = [(c, c) for c in table.columns]
    assert orjson.loads(json_bytes(Records(table, fields))) == [
        {"name": "甲", "days": None, "count": 3, "steps": ["受理", "决定"]},
        {"name": None, "days": None, "count": None, "steps": ["审查"]},
    ]


def test_a_fragment_sits_in_the_document_where_its_list_would() -> None:
    table = pd.DataFrame({"name": ["取水许可"], "days": [20.0]})
    document = {"processes": Records(table, [("item", "name"), ("days", "days")]), "n": 1}
    assert json_bytes(document).decode() == '{"processes":[{"item":"取水许可","days":20.0}],"n":1}'
