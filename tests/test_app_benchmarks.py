"""对标 in the app: a province's implementation lists uploaded, an item's limits across counties with
the shortest marked, a county's lags with the days it would save, the tables downloadable."""

from __future__ import annotations

import io

import openpyxl
import pytest
from apptest import assert_ok, started, upload
from builders import csv_bytes
from figures.test_benchmarks import HEADER, ROWS

from approvals.views.benchmarks import EMPTY_NOTE

pytestmark = pytest.mark.usefixtures("own_database")


def test_the_benchmarks_page_shows_an_items_counties_and_a_countys_lags() -> None:
    at = started()
    upload(at, "全省实施清单.csv", csv_bytes([HEADER, *ROWS]))
    at.switch_page("pages/benchmarks.py").run()
    assert_ok(at)
    assert any("3 个标准事项由两个以上地区实施，涉及 3 个地区" in c.value for c in at.caption)
    item = at.selectbox(key="benchmarks_item")
    assert item.options == ["取水许可（S1）", "河道采砂许可（S2）", "探矿权新立登记（S4）"]
    table = next(d for d in at.dataframe if "最短" in d.value.columns)
    assert table.value[["地区", "承诺时限（工作日）", "最短"]].values.tolist() == [
        ["乙县", 5.0, "是"], ["甲县", 5.0, "是"], ["丙县", 12.0, ""],
    ]  # fmt: skip
    assert len(at.get("plotly_chart")) == 1

    at.selectbox(key="benchmarks_locality").set_value("乙县").run()
    assert_ok(at)
    assert any(
        "乙县在 3 个地区中排第 2" in m.value and "合计可缩短 7 个工作日" in m.value for m in at.markdown
    )
    lags = next(d for d in at.dataframe if "可缩短（工作日）" in d.value.columns)
    assert lags.value[["事项名称", "可缩短（工作日）"]].values.tolist() == [
        ["探矿权新立登记", 4.0], ["河道采砂许可", 3.0], ["取水许可", 0.0],
    ]  # fmt: skip
    assert any(b.label == "下载对标结果（Excel）" for b in at.get("download_button"))


def test_the_benchmarks_workbook_holds_the_three_tables() -> None:
    from sample import SETTINGS

    from approvals.analysis import analyze
    from approvals.dataset.build import build_dataset
    from approvals.read.reading import read_source
    from approvals.report.workbook import BENCHMARK_SHEETS, analysis_workbook, benchmark_workbook

    reading = read_source(("全省实施清单.csv", csv_bytes([HEADER, *ROWS])), SETTINGS.columns)
    analysis = analyze(build_dataset([reading], SETTINGS))
    book = openpyxl.load_workbook(io.BytesIO(benchmark_workbook(analysis)))
    assert tuple(book.sheetnames) == BENCHMARK_SHEETS
    gaps = list(book["各地差距"].values)
    assert gaps[0][:4] == ("标准事项编码", "事项名称", "地区", "承诺时限（工作日）")
    assert ("S1", "取水许可", "丙县", 12, 5, "乙县、甲县", 7) in gaps
    whole = openpyxl.load_workbook(io.BytesIO(analysis_workbook(analysis)))
    assert [s for s in whole.sheetnames if s in BENCHMARK_SHEETS] == list(BENCHMARK_SHEETS)


def test_a_list_without_a_shared_standard_item_says_what_the_page_compares(app) -> None:  # type: ignore[no-untyped-def]
    app.switch_page("pages/benchmarks.py").run()
    assert_ok(app)
    assert any(EMPTY_NOTE in c.value for c in app.caption)
    assert not app.get("plotly_chart")
