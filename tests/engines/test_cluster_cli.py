"""``analyze --engine dask`` on the command line: the keys the cluster works out equal the
one-machine JSON's, and options that do not go with it are refused in Chinese."""

from __future__ import annotations

import json
import subprocess

import pytest
from test_cli import analyze as run_analyze

from bench.files import write_csv
from bench.synthetic import file_tables

SHARED_KEYS = ["sheets", "lists", "overall", "departments", "processes", "benchmarks", "benchmark_gaps",
               "benchmark_localities"]  # fmt: skip


def analyze(*args: str) -> subprocess.CompletedProcess[str]:
    """``analyze`` in the sample year, given the time a cluster takes to start and stop."""
    return run_analyze(*args, "--year", "2026", timeout=300)


@pytest.fixture(scope="module")
def catalog(tmp_path_factory: pytest.TempPathFactory) -> list[str]:
    folder = tmp_path_factory.mktemp("catalog")
    items, steps = file_tables(300, seed=5)
    return [str(write_csv(folder / "事项.csv", items)), str(write_csv(folder / "环节.csv", steps))]


def test_the_cluster_json_has_the_one_machine_figures(catalog: list[str]) -> None:
    local = analyze(*catalog, "--json")
    cluster = analyze(*catalog, "--json", "--engine", "dask", "--partitions", "3")
    assert local.returncode == 0, local.stderr
    assert cluster.returncode == 0, cluster.stderr
    one, bulk = json.loads(local.stdout), json.loads(cluster.stdout)
    assert bulk["engine"] == {"name": "dask", "partitions": 3, "items": 300}
    for key in ("lists", "departments", "overall"):
        assert json.dumps(bulk[key], sort_keys=True) == json.dumps(one[key], sort_keys=True) or _close(
            bulk[key], one[key]
        ), key
    assert sorted(map(json.dumps, bulk["processes"])) == sorted(map(json.dumps, one["processes"]))
    assert bulk["sheets"] == one["sheets"]
    assert set(SHARED_KEYS) <= set(bulk) and "flags" not in bulk


def _close(a: object, b: object) -> bool:
    """Equal, floats to 12 significant digits (sums in another order)."""
    if isinstance(a, float) and isinstance(b, float):
        return abs(a - b) <= 1e-12 * max(abs(a), abs(b), 1.0)
    if isinstance(a, dict) and isinstance(b, dict):
        return a.keys() == b.keys() and all(_close(a[k], b[k]) for k in a)
    if isinstance(a, list) and isinstance(b, list):
        return len(a) == len(b) and all(_close(x, y) for x, y in zip(a, b, strict=True))
    return a == b


def test_the_summary_names_the_cluster(catalog: list[str]) -> None:
    result = analyze(*catalog, "--engine", "dask", "--partitions", "2")
    assert result.returncode == 0, result.stderr
    assert "Dask 集群，2 份" in result.stdout and "300 个事项" in result.stdout


@pytest.mark.parametrize(
    ("options", "message"),
    [
        (["--engine", "dask", "--out", "表"], "暂不写 Parquet"),
        (["--scheduler", "tcp://127.0.0.1:1"], "--scheduler 须与 --engine dask 一起使用"),
        (["--engine", "dask", "--partitions", "0"], "--partitions 须为正整数"),
    ],
)
def test_options_that_do_not_go_with_it_are_refused(
    catalog: list[str], options: list[str], message: str
) -> None:
    result = analyze(*catalog, *options)
    assert result.returncode == 2
    assert message in result.stderr and "Traceback" not in result.stderr
