"""Heavy and broken process structure answered in seconds: dense processes of hundreds and
thousands of steps, dangling predecessors, repeated step numbers and items, cycles."""

from __future__ import annotations

import random
import time

import networkx as nx
import numpy as np
import pandas as pd
from builders import workbook
from hypothesis import given
from hypothesis import strategies as st
from sample import SETTINGS

from approvals.analysis import analyze
from approvals.charts.flowchart import process_flowchart
from approvals.dataset.build import load_dataset
from approvals.model import STEP_COLUMNS, conform
from approvals.processes.paths import zeroed_critical_paths
from approvals.redesign.changes import _measured_copies, measure

ITEM_HEADER = ["序号", "实施部门", "事项编码", "事项名称", "法定时限", "承诺时限", "处理意见"]
STEP_HEADER = ["事项编码", "流程版本", "环节序号", "环节名称", "责任科室", "办理时限", "前置环节"]
NAMES = ["受理", "初审", "审查", "登记", "审核", "现场勘查", "签收", "审批", "转办", "签发", "决定", "送达"]


def dense_rows(code: str, count: int, fan_in: int, seed: int = 1) -> list[list[object]]:
    """``count`` steps, each waiting for up to ``fan_in`` earlier ones picked at random."""
    rng = random.Random(seed)
    rows: list[list[object]] = []
    for n in range(1, count + 1):
        earlier = sorted(rng.sample(range(1, n), min(fan_in, n - 1)))
        rows.append(
            [
                code,
                "再造前",
                n,
                NAMES[n % len(NAMES)],
                f"科室{n % 5}",
                f"{1 + n % 4}",
                "、".join(map(str, earlier)),
            ]
        )
    return rows


def dataset_of(steps: list[list[object]], items: list[list[object]]):
    sheets = {"事项": [ITEM_HEADER, *items], "办理环节": [STEP_HEADER, *steps]}
    return load_dataset([("结构.xlsx", workbook(sheets))], SETTINGS)


def graph_table(edges: list[tuple[int, int]], days: list[float], counted: list[bool]) -> pd.DataFrame:
    n = len(days)
    preds = {k: [str(a + 1) for a, b in edges if b == k] for k in range(n)}
    return conform(
        pd.DataFrame(
            {
                "step_id": np.arange(n) * 10 + 10,
                "item_id": 1,
                "version": "before",
                "step_no": [str(k + 1) for k in range(n)],
                "step_name": [f"环节{k + 1}" for k in range(n)],
                "days": days,
                "counted": counted,
                "predecessors": [",".join(preds[k]) for k in range(n)],
            }
        ),
        STEP_COLUMNS,
    )


@st.composite
def dags(draw: st.DrawFn) -> tuple[list[tuple[int, int]], list[float], list[bool]]:
    n = draw(st.integers(min_value=1, max_value=14))
    pairs = [(a, b) for b in range(n) for a in range(b)]
    edges = draw(st.lists(st.sampled_from(pairs), unique=True, max_size=40)) if pairs else []
    days = draw(st.lists(st.integers(min_value=0, max_value=9).map(float), min_size=n, max_size=n))
    counted = draw(st.lists(st.booleans(), min_size=n, max_size=n))
    return edges, days, counted


@given(dags())
def test_zeroing_one_step_matches_networkx_longest_path(
    dag: tuple[list[tuple[int, int]], list[float], list[bool]],
) -> None:
    edges, days, counted = dag
    steps = graph_table(edges, days, counted)
    got = zeroed_critical_paths(steps, steps["step_id"].to_numpy())
    for k in range(len(days)):
        weights = [0.0 if j == k or not counted[j] else days[j] for j in range(len(days))]
        g = nx.DiGraph()
        g.add_nodes_from(range(len(days)))
        g.add_edges_from(edges)
        # Longest path by node weights: a source node and edge weights of the head's days.
        g.add_edges_from(("s", j) for j in range(len(days)))
        for a, b in g.edges:
            g.edges[a, b]["w"] = weights[b]
        expected = nx.dag_longest_path_length(g, weight="w")
        assert got[k] == expected


def test_one_step_removals_in_a_large_process_save_what_copying_the_process_saves() -> None:
    cat = dataset_of(dense_rows("D", 150, 8, seed=3), [[1, "市水利局", "D", "取水许可", "45", "20", "保留"]])
    flags = analyze(cat).flags
    fast = measure(cat.steps, flags.assign(days_saved=0.0))
    graph = fast.index[fast["change"].ne("none")]
    assert len(graph) > 10
    assert (fast.loc[graph, "change_steps"].map(len) == 1).sum() > 10  # measured without copies
    processes = analyze(cat).processes.set_index(["item_id", "version"])["critical_path_days"]
    copied = _measured_copies(cat.steps, fast.loc[graph], processes)
    assert np.allclose(fast.loc[graph, "days_saved"].to_numpy(), copied)


def test_dense_processes_of_500_and_5000_steps_are_analysed_in_seconds() -> None:
    items = [
        [1, "市水利局", "D500", "取水许可", "45个工作日", "20个工作日", "保留"],
        [2, "市水利局", "D5000", "河道采砂许可", "45个工作日", "20个工作日", "保留"],
    ]
    cat = dataset_of([*dense_rows("D500", 500, 499), *dense_rows("D5000", 5000, 30, seed=2)], items)
    started = time.perf_counter()
    analysis = analyze(cat)
    took = time.perf_counter() - started
    # Copying the 5,000-step process once per flag took about three minutes and 8 GB.
    assert took < 60
    assert analysis.processes["step_count"].tolist() == [500, 5000]
    assert analysis.processes["critical_path_days"].notna().all()
    assert len(analysis.flags) > 100


def test_a_5000_step_flowchart_says_in_chinese_that_it_is_not_drawn() -> None:
    cat = dataset_of(dense_rows("D", 5000, 3), [[1, "市水利局", "D", "取水许可", "45", "20", "保留"]])
    started = time.perf_counter()
    figure = process_flowchart(cat.steps)
    assert time.perf_counter() - started < 20
    text = " ".join(str(a.text) for a in figure.layout.annotations)
    assert "5,000" in text or "5000" in text
    assert "未画出" in text
    assert len(figure.layout.shapes) == 0


def test_broken_structure_is_reported_and_the_other_processes_still_analysed() -> None:
    steps = [
        ["BAD", "再造前", 1, "受理", "窗口", "1", "99"],
        ["BAD", "再造前", 2, "审查", "业务科", "5", "1、77、甲"],
        ["BAD", "再造前", 2, "审查", "业务科", "5", "1"],
        ["BAD", "再造前", 3, "决定", "局长", "1", "2"],
        ["CYC", "再造前", 1, "受理", "窗口", "1", "3"],
        ["CYC", "再造前", 2, "审查", "业务科", "5", "1"],
        ["CYC", "再造前", 3, "退回补正", "窗口", "1", "2"],
        ["OK", "再造前", 1, "受理", "窗口", "1", ""],
        ["OK", "再造前", 2, "决定", "局长", "2", "1"],
    ]
    items = [
        [1, "市水利局", "BAD", "水土保持方案审批", "20", "10", "保留"],
        [2, "市水利局", "BAD", "水土保持方案审批", "20", "10", "保留"],
        [3, "市水利局", "CYC", "水利基建项目初步设计审批", "20", "10", "保留"],
        [4, "市水利局", "OK", "取水许可", "20", "10", "保留"],
    ]
    cat = dataset_of(steps, items)
    analysis = analyze(cat)
    codes = set(analysis.problems["code"])
    assert {"predecessor_unknown", "step_no_duplicate", "item_duplicate", "process_cycle"} <= codes
    by_code = analysis.processes.set_index("item_name")
    assert bool(by_code.loc["水利基建项目初步设计审批", "has_cycle"])
    assert by_code.loc["取水许可", "critical_path_days"] == 3.0
    cycle = analysis.problems[analysis.problems["code"] == "process_cycle"]["message"].iloc[0]
    assert "受理" in cycle and "审查" in cycle and "退回补正" in cycle
