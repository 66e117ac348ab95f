"""The bulk path on a Dask cluster gives what one machine gives: a LocalCluster with two workers,
a province-shaped catalog (two counties carrying out the same standard items, their lists as CSV
and xlsx, the steps as CSV) read in blocks and split into eight partitions."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from approvals.analysis import Analysis, analyze
from approvals.dataset.build import load_dataset
from approvals.engines.cluster import BulkAnalysis, analyze_on_cluster, cluster_client
from approvals.settings import load_settings
from bench.files import write_csv, write_xlsx
from bench.synthetic import file_tables

ITEMS = 1200
PARTITIONS = 8
BLOCK_BYTES = 60_000  # several blocks per CSV file


def province(folder: Path) -> list[Path]:
    """Two counties' item lists and one steps file: 乙县 carries out every third item of 甲县's
    under its own code, with the same 基本编码 and a limit of its own (longer, shorter or equal),
    some merged into an item of 甲县's."""
    items, steps = file_tables(ITEMS, seed=11)
    first = items.assign(行政区划="甲县", 基本编码=items["事项编码"])
    shared = items.iloc[::3].reset_index(drop=True)
    limits = pd.to_numeric(shared["承诺办结时限（清理后）"], errors="coerce")
    shift = np.resize([3, -2, 0, 5], len(shared))
    second = shared.assign(
        行政区划="乙县",
        基本编码=shared["事项编码"],
        事项编码=shared["事项编码"] + "-Y",
        实施主体="乙县" + shared["实施主体"],
        **{
            "承诺办结时限（清理后）": (limits + shift)
            .clip(lower=0)
            .astype("Int64")
            .astype("str")
            .where(limits.notna(), shared["承诺办结时限（清理后）"])
        },
    )
    merged = second.index % 17 == 0  # merged into 甲县's item of the same name: counted as one
    second.loc[merged, "处理意见"] = "合并至“" + second.loc[merged, "事项名称"] + "”"
    theirs = steps[steps["事项编码"].isin(shared["事项编码"])]
    theirs = theirs.assign(事项编码=theirs["事项编码"] + "-Y", 实施部门="乙县" + theirs["实施部门"])
    return [
        write_csv(folder / "甲县事项目录.csv", first),
        write_xlsx(folder / "乙县事项目录.xlsx", second.fillna("").astype("str")),
        write_csv(folder / "办理环节.csv", pd.concat([steps, theirs], ignore_index=True)),
    ]


@pytest.fixture(scope="module")
def both(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Analysis, BulkAnalysis]]:
    paths = province(tmp_path_factory.mktemp("province"))
    settings = load_settings(year=2026)
    one = analyze(load_dataset(paths, settings))
    with cluster_client(workers=2) as client:
        assert len(client.scheduler_info()["workers"]) == 2
        bulk = analyze_on_cluster(paths, settings, client, partitions=PARTITIONS, block_bytes=BLOCK_BYTES)
    yield one, bulk


def test_the_catalog_is_what_the_test_means(both: tuple[Analysis, BulkAnalysis]) -> None:
    one, bulk = both
    assert len(one.dataset.items) == bulk.items == ITEMS + len(range(0, ITEMS, 3))
    assert bulk.partitions == PARTITIONS
    assert len(one.benchmarks.items) >= 100  # the shared items with a committed limit in both
    assert set(one.benchmarks.localities["locality"]) == {"甲县", "乙县"}
    assert one.overall["n_merged"] > 0 and len(one.processes) > ITEMS


@pytest.mark.parametrize("table", ["lists", "departments", "overall_table"])
def test_the_figures_are_the_same(both: tuple[Analysis, BulkAnalysis], table: str) -> None:
    one, bulk = both
    expected, got = getattr(one, table), getattr(bulk, table)
    assert len(got) == len(expected) > 0
    # sums of the same numbers in another order may differ in the last bit, nowhere else
    pd.testing.assert_frame_equal(got, expected, check_exact=False, rtol=1e-12, atol=0)


def test_every_critical_path_is_the_same(both: tuple[Analysis, BulkAnalysis]) -> None:
    one, bulk = both
    key = ["item_name", "department", "version"]
    expected = one.processes.drop(columns=["item_id", "critical_step_ids"])
    expected = expected.sort_values(key).reset_index(drop=True)
    got = bulk.processes[list(expected.columns)].sort_values(key).reset_index(drop=True)
    pd.testing.assert_frame_equal(got, expected, check_dtype=False)


@pytest.mark.parametrize("table", ["items", "gaps", "localities"])
def test_the_benchmarks_are_the_same(both: tuple[Analysis, BulkAnalysis], table: str) -> None:
    one, bulk = both
    expected, got = getattr(one.benchmarks, table), getattr(bulk.benchmarks, table)
    assert len(expected) > 0
    pd.testing.assert_frame_equal(got, expected, check_dtype=False)


def test_the_same_problems_are_found_at_the_same_rows(both: tuple[Analysis, BulkAnalysis]) -> None:
    one, bulk = both

    def found(problems: pd.DataFrame) -> list[tuple[str, ...]]:
        return sorted(
            map(tuple, problems[["file", "sheet", "row", "column", "code", "value"]].astype(str).values)
        )

    assert len(one.problems) > 0
    assert found(bulk.problems) == found(one.problems)
