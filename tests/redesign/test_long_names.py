"""A paragraph pasted into a name cell is answered in seconds: only the first characters of a
subject are compared, and the reading says the name is too long."""

from __future__ import annotations

import random
import time

import pandas as pd
from builders import workbook
from sample import SETTINGS

from approvals.dataset.build import load_dataset
from approvals.redesign.similar import merge_candidates

# Characters of real item names, so a long name reads like a pasted paragraph.
_CHARS = (
    "市县水利林业农业交通住建环保卫生教育文化民政公安工商税务质监安监规划国土审批许可登记备案核发设立变更"
)


def pasted_paragraph(length: int, seed: int = 7) -> str:
    rng = random.Random(seed)
    return "".join(rng.choice(_CHARS) for _ in range(length))


def test_a_30000_character_name_is_compared_in_seconds_by_its_first_characters() -> None:
    long = pasted_paragraph(30_000)
    most = SETTINGS.similar.compared_chars
    items = pd.DataFrame(
        {
            "item_id": [1, 2, 3],
            "item_key": ["a", "b", "c"],
            "name": [long, long[:most] + "另一段完全不同的文字" * 50, "建筑工程施工许可"],
            "sub_item": "",
            "department": ["市水利局", "市林业局", "市住建局"],
            "counts_as": "retained",
        }
    )
    started = time.perf_counter()
    pairs = merge_candidates(items, SETTINGS.similar)
    took = time.perf_counter() - started
    # Before the bound, 4,000 characters took over 30 s and 30,000 about half an hour.
    assert took < 20
    # The two names agree on their first compared characters: a pair, by those characters alone.
    assert pairs[["item_id_a", "item_id_b"]].values.tolist() == [[1, 2]]
    assert len(pairs["reason"].iloc[0]) < most + 40


def test_an_over_long_name_is_a_hint_naming_file_sheet_row_and_column() -> None:
    header = ["序号", "实施部门", "事项编码", "事项名称", "法定时限", "承诺时限", "处理意见"]
    long = pasted_paragraph(5_000)
    sheets = {
        "许可": [
            header,
            [1, "市水利局", "SL-1", long, "20个工作日", "10个工作日", "保留"],
            [2, "市水利局", "SL-2", "取水许可", "20个工作日", "10个工作日", "保留"],
        ]
    }
    cat = load_dataset([("水利局.xlsx", workbook(sheets))], SETTINGS)
    hint = cat.problems[cat.problems["code"] == "item_name_long"]
    assert hint[["file", "sheet", "row", "column", "severity"]].values.tolist() == [
        ["水利局.xlsx", "许可", 2, "事项名称", "提示"]
    ]
    assert "5,000" in hint["message"].iloc[0]
    assert hint["value"].iloc[0] == long[:40] + "…"
    assert cat.items["name"].iloc[0] == long  # the name itself is kept whole
