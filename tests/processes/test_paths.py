"""Critical paths over the whole steps table, checked by hand and against networkx."""

from __future__ import annotations

import itertools
import math

import networkx as nx
import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from approvals.model import PROBLEM_COLUMNS, STEP_COLUMNS, conform
from approvals.processes.graph import process_graph, process_layers
from approvals.processes.paths import PROCESS_COLUMNS, critical_paths, step_edges

# --- builders -------------------------------------------------------------------------------


def step(no: str, name: str, days: float, after: str = "", counted: bool = True) -> dict:
    """One step row: its number, name, working days, the step numbers it waits for."""
    return {"step_no": no, "step_name": name, "days": float(days), "predecessors": after, "counted": counted}


def process(item_id: int, *steps: dict, version: str = "before", name: str = "") -> list[dict]:
    item_name = name or f"事项{item_id}"
    return [{"item_id": item_id, "version": version, "item_name": item_name, **s} for s in steps]


def steps_table(*processes: list[dict]) -> pd.DataFrame:
    """The canonical steps table, step_id and Excel row numbered in writing order."""
    rows = [row for p in processes for row in p]
    frame = pd.DataFrame(rows)
    frame["step_id"] = np.arange(1, len(frame) + 1) * 10
    frame["department"] = "市住建局"
    frame["office"] = "审批科"
    frame["person"] = "张三"
    frame["file"] = "住建局.xlsx"
    frame["sheet"] = "办理环节"
    frame["row"] = np.arange(2, len(frame) + 2)
    return conform(frame, STEP_COLUMNS)


def only_process(steps: pd.DataFrame) -> pd.Series:
    processes, problems = critical_paths(steps)
    assert len(processes) == 1
    assert problems.empty
    return processes.iloc[0]


CHAIN = [step("1", "受理", 1), step("2", "审查", 5, "1"), step("3", "决定", 2, "2")]
DIAMOND = [
    step("1", "受理", 1),
    step("2", "审查A", 5, "1"),
    step("3", "现场勘查", 3, "1"),
    step("4", "决定", 2, "2,3"),
]
EXPERT_ON_PATH = [
    step("1", "受理", 1),
    step("2", "专家评审", 10, "1", counted=False),
    step("3", "决定", 2, "2"),
]
EXPERT_BESIDE_REVIEW = [
    step("1", "受理", 1),
    step("2", "审查", 5, "1"),
    step("3", "专家评审", 10, "1", counted=False),
    step("4", "决定", 2, "2,3"),
]
TWO_START_REVIEWS = [step("1", "审查A", 2), step("2", "审查B", 4), step("3", "决定", 1, "1,2")]
ON_THE_SPOT = [step("1", "受理", 0)]
MERGED_AFTER = [step("1", "受理审查", 1), step("2", "决定", 2, "1")]  # 受理 and 审查 as one step

# --- critical_paths: hand-built processes ---------------------------------------------------


@pytest.mark.parametrize(
    ("shape", "critical", "whole", "effort", "path"),
    [
        (CHAIN, 8, 8, 8, ("受理", "审查", "决定")),
        (DIAMOND, 8, 8, 11, ("受理", "审查A", "决定")),
        (EXPERT_ON_PATH, 3, 13, 13, ("受理", "专家评审", "决定")),
        (EXPERT_BESIDE_REVIEW, 8, 13, 18, ("受理", "审查", "决定")),
        (TWO_START_REVIEWS, 5, 5, 7, ("审查B", "决定")),
        (ON_THE_SPOT, 0, 0, 0, ("受理",)),
    ],
    ids=["chain_1_5_2", "diamond", "expert_on_path", "expert_beside_review", "two_starts", "single_step"],
)
def test_critical_path_of_hand_built_process(shape, critical, whole, effort, path):
    row = only_process(steps_table(process(1, *shape)))
    assert row.critical_path_days == critical
    assert row.whole_duration_days == whole
    assert row.outside_limit_days == whole - critical
    assert row.total_effort_days == effort
    assert row.critical_path == path
    assert row.step_count == len(shape)
    assert not row.has_cycle


def test_chain_one_five_two_is_eight_working_days_with_its_step_ids():
    row = only_process(steps_table(process(1, *CHAIN)))
    assert row.critical_path_days == 8.0
    assert row.critical_step_ids == (10, 20, 30)


def test_uncounted_expert_review_is_time_outside_the_limit():
    row = only_process(steps_table(process(1, *EXPERT_ON_PATH)))
    assert (row.critical_path_days, row.whole_duration_days, row.outside_limit_days) == (3, 13, 10)


def test_parallel_site_inspection_does_not_lengthen_the_diamond():
    row = only_process(steps_table(process(1, *DIAMOND)))
    assert "现场勘查" not in row.critical_path
    assert row.total_effort_days - row.critical_path_days == 3


@pytest.mark.parametrize(
    ("first_no", "second_no", "chosen"),
    [("2", "3", "审查甲"), ("3", "2", "审查乙"), ("9", "10", "审查甲"), ("10", "9", "审查乙")],
)
def test_equal_parallel_reviews_tie_to_the_lowest_step_number(first_no, second_no, chosen):
    steps = steps_table(
        process(
            1,
            step("1", "受理", 1),
            step(first_no, "审查甲", 3, "1"),
            step(second_no, "审查乙", 3, "1"),
            step("20", "决定", 1, f"{first_no},{second_no}"),
        )
    )
    row = only_process(steps)
    assert row.critical_path == ("受理", chosen, "决定")
    assert row.critical_path_days == 5


def test_zero_day_delivery_still_ends_the_path():
    steps = steps_table(
        process(1, step("1", "受理", 1), step("2", "决定", 2, "1"), step("3", "送达", 0, "2"))
    )
    assert only_process(steps).critical_path == ("受理", "决定", "送达")


def test_processes_are_one_row_per_item_and_version_sorted_before_after():
    steps = steps_table(
        process(2, *MERGED_AFTER, version="after"),
        process(2, *CHAIN),
        process(1, step("1", "受理", 3)),
    )
    processes, _ = critical_paths(steps)
    assert processes[["item_id", "version"]].to_numpy().tolist() == [
        [1, "before"],
        [2, "before"],
        [2, "after"],
    ]
    assert processes["critical_path_days"].tolist() == [3, 8, 3]
    assert processes["item_name"].tolist() == ["事项1", "事项2", "事项2"]
    assert processes["department"].tolist() == ["市住建局"] * 3


def test_many_identical_processes_each_get_the_same_figures():
    processes, problems = critical_paths(steps_table(*(process(i, *DIAMOND) for i in range(1, 3001))))
    assert problems.empty
    assert len(processes) == 3000
    assert (processes["critical_path_days"] == 8).all()
    assert processes["critical_path"].map(lambda p: p == ("受理", "审查A", "决定")).all()
    step_ids = np.array(processes["critical_step_ids"].tolist())
    assert (step_ids == np.arange(3000)[:, None] * 40 + [10, 20, 40]).all()


def test_a_long_chain_of_two_thousand_steps_adds_up():
    days = np.arange(2000) % 7
    chain = [step(str(i + 1), f"环节{i + 1}", d, str(i) if i else "") for i, d in enumerate(days)]
    row = only_process(steps_table(process(1, *chain)))
    assert row.critical_path_days == days.sum()
    assert len(row.critical_path) == 2000


def test_unknown_predecessor_is_ignored_and_the_step_starts_the_process():
    steps = steps_table(process(1, step("1", "受理", 1, "99"), step("2", "决定", 2, "1")))
    row = only_process(steps)
    assert row.critical_path == ("受理", "决定")
    assert row.critical_path_days == 3


def test_empty_steps_table_gives_empty_tables_with_the_columns():
    processes, problems = critical_paths(conform(pd.DataFrame(), STEP_COLUMNS))
    assert processes.empty
    assert problems.empty
    assert processes.columns.tolist() == PROCESS_COLUMNS
    assert problems.columns.tolist() == PROBLEM_COLUMNS
    assert step_edges(conform(pd.DataFrame(), STEP_COLUMNS)).columns.tolist() == ["src", "dst"]


# --- cycles ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("shape", "version", "cycle", "head_row", "head_value"),
    [
        (
            [step("1", "受理", 1, "2"), step("2", "审查", 5, "1"), step("3", "决定", 2, "2")],
            "before",
            "受理 → 审查 → 受理",
            2,
            "2",
        ),
        (
            [
                step("1", "受理", 1, "3"),
                step("2", "审查", 5, "1"),
                step("3", "退回补正", 1, "2"),
                step("4", "决定", 2, "2"),
            ],
            "after",
            "受理 → 审查 → 退回补正 → 受理",
            2,
            "3",
        ),
        (
            [step("1", "受理", 1), step("2", "审查", 5, "1,3"), step("3", "复审", 2, "2")],
            "before",
            "审查 → 复审 → 审查",
            3,
            "1,3",
        ),
        ([step("1", "受理", 1), step("2", "审查", 5, "1,2")], "before", "审查 → 审查", 3, "1,2"),
    ],
    ids=["two_steps", "correction_back_to_acceptance", "after_a_clean_start", "self_loop"],
)
def test_cycle_is_reported_and_the_other_process_keeps_its_figures(
    shape, version, cycle, head_row, head_value
):
    steps = steps_table(process(1, *shape, version=version, name="建筑工程施工许可"), process(2, *CHAIN))
    processes, problems = critical_paths(steps)

    cyclic, clean = processes.iloc[0], processes.iloc[1]
    assert cyclic.has_cycle
    assert math.isnan(cyclic.critical_path_days)
    assert math.isnan(cyclic.whole_duration_days)
    assert math.isnan(cyclic.outside_limit_days)
    assert cyclic.critical_path == ()
    assert cyclic.total_effort_days == sum(s["days"] for s in shape)
    assert (clean.item_id, clean.critical_path_days, clean.has_cycle) == (2, 8, False)
    assert clean.critical_path == ("受理", "审查", "决定")

    label = {"before": "再造前", "after": "再造后"}[version]
    assert problems.to_dict("records") == [
        {
            "file": "住建局.xlsx",
            "sheet": "办理环节",
            "row": head_row,
            "column": "前置环节",
            "value": head_value,
            "message": f"事项“建筑工程施工许可”（{label}）的办理流程存在循环：{cycle}，"
            "无法计算关键路径，请检查前置环节",
            "severity": "错误",
            "code": "process_cycle",
        }
    ]


def test_every_cyclic_process_gets_one_problem():
    loops = [process(i, step("1", "受理", 1, "2"), step("2", "审查", 2, "1")) for i in range(1, 6)]
    processes, problems = critical_paths(steps_table(*loops, process(9, *CHAIN)))
    assert processes["has_cycle"].tolist() == [True] * 5 + [False]
    assert len(problems) == 5
    assert problems["message"].str.contains("受理 → 审查 → 受理").all()
    assert problems["row"].tolist() == [2, 4, 6, 8, 10]


# --- step_edges -----------------------------------------------------------------------------


def test_edges_link_steps_of_the_same_process_only():
    steps = steps_table(
        process(1, step("1", "受理", 1), step("2", "审查", 1, "1"), step("3", "决定", 1, "1, 2,7")),
        process(1, step("1", "受理", 1), step("2", "决定", 1, "1"), version="after"),
        process(2, step("1", "受理", 1), step("2", "决定", 1, "1，1")),
    )
    edges = step_edges(steps)
    assert edges.columns.tolist() == ["src", "dst"]
    assert sorted(map(tuple, edges.to_numpy().tolist())) == [
        (10, 20),
        (10, 30),
        (20, 30),
        (40, 50),
        (60, 70),
    ]


# --- process_graph and process_layers -------------------------------------------------------


def test_process_graph_carries_step_attributes_and_waits():
    steps = steps_table(process(1, *DIAMOND)).assign(counted=[True, True, False, True])
    graph = process_graph(steps)
    assert set(graph.edges) == {(10, 20), (10, 30), (20, 40), (30, 40)}
    assert graph.nodes[30] == {
        "name": "现场勘查",
        "office": "审批科",
        "person": "张三",
        "days": 3.0,
        "counted": False,
        "step_no": "3",
    }


def test_diamond_layers_put_parallel_branches_in_one_column():
    graph = process_graph(steps_table(process(1, *DIAMOND)))
    names = nx.get_node_attributes(graph, "name")
    assert {names[n]: layer for n, layer in process_layers(graph).items()} == {
        "受理": 0,
        "审查A": 1,
        "现场勘查": 1,
        "决定": 2,
    }


def test_layers_of_a_cycle_raise_networkx_unfeasible():
    graph = process_graph(steps_table(process(1, step("1", "受理", 1, "2"), step("2", "审查", 1, "1"))))
    with pytest.raises(nx.NetworkXUnfeasible):
        process_layers(graph)


# --- property: agrees with networkx on random DAGs ------------------------------------------


@st.composite
def random_processes(draw):
    """Several processes, each a random DAG whose edges run from lower to higher index."""
    processes = []
    for item_id in range(1, draw(st.integers(1, 6)) + 1):
        size = draw(st.integers(1, 12))
        rows = []
        for j in range(size):
            waits = draw(st.lists(st.integers(0, j - 1), max_size=3, unique=True)) if j else []
            half_days = draw(st.integers(0, 40))
            rows.append(
                step(
                    str(j + 1),
                    f"环节{j + 1}",
                    half_days / 2,
                    ",".join(str(w + 1) for w in waits),
                    draw(st.booleans()),
                )
            )
        version = draw(st.sampled_from(["before", "after"]))
        processes.append(process(item_id, *rows, version=version))
    return processes, draw(st.randoms(use_true_random=False))


def node_split_length(graph: nx.DiGraph, weight) -> float:
    """Longest path with node weights, as networkx measures it on edges: each step split in two."""
    split = nx.DiGraph()
    for node, data in graph.nodes(data=True):
        split.add_edge((node, "in"), (node, "out"), weight=weight(data))
    split.add_edges_from((((u, "out"), (v, "in")) for u, v in graph.edges), weight=0.0)
    return nx.dag_longest_path_length(split, weight="weight", default_weight=0)


@settings(max_examples=100, deadline=None)
@given(random_processes())
def test_figures_match_networkx_on_random_dags(drawn):
    processes_spec, rnd = drawn
    steps = steps_table(*processes_spec)
    shuffled = steps.iloc[rnd.sample(range(len(steps)), len(steps))].reset_index(drop=True)
    processes, problems = critical_paths(shuffled)
    assert problems.empty
    assert len(processes) == len(processes_spec)

    for row in processes.itertuples():
        one = steps[steps["item_id"] == row.item_id]
        graph = process_graph(one)
        timed = node_split_length(graph, lambda d: d["days"] if d["counted"] else 0.0)
        whole = node_split_length(graph, lambda d: d["days"])
        assert row.critical_path_days == pytest.approx(timed)
        assert row.whole_duration_days == pytest.approx(whole)
        assert row.outside_limit_days == pytest.approx(whole - timed)
        assert row.total_effort_days == pytest.approx(one["days"].sum())
        assert row.step_count == len(one)

        path = row.critical_step_ids
        assert all(graph.has_edge(u, v) for u, v in itertools.pairwise(path))
        assert graph.in_degree(path[0]) == 0
        assert graph.out_degree(path[-1]) == 0
        weight = sum(graph.nodes[n]["days"] for n in path if graph.nodes[n]["counted"])
        assert weight == pytest.approx(row.critical_path_days)
        assert row.critical_path == tuple(graph.nodes[n]["name"] for n in path)


@settings(max_examples=60, deadline=None)
@given(random_processes())
def test_row_order_does_not_change_the_figures(drawn):
    processes_spec, rnd = drawn
    steps = steps_table(*processes_spec)
    shuffled = steps.iloc[rnd.sample(range(len(steps)), len(steps))]
    pd.testing.assert_frame_equal(critical_paths(steps)[0], critical_paths(shuffled)[0])


@settings(max_examples=80, deadline=None)
@given(random_processes(), st.data())
def test_a_wait_back_upstream_is_reported_as_a_real_cycle_and_spares_the_rest(drawn, data):
    processes_spec, _ = drawn
    target = data.draw(st.integers(0, len(processes_spec) - 1), label="process")
    rows = [dict(r) for r in processes_spec[target]]
    graph = process_graph(steps_table(process(1, *rows)))
    numbers = nx.get_node_attributes(graph, "step_no")
    waiting = data.draw(st.sampled_from(sorted(graph)), label="waiting step")
    upstream_of = data.draw(st.sampled_from(sorted(nx.descendants(graph, waiting) | {waiting})))
    changed = next(r for r in rows if r["step_no"] == numbers[waiting])
    changed["predecessors"] = ",".join(filter(None, [changed["predecessors"], numbers[upstream_of]]))
    graph.add_edge(upstream_of, waiting)

    clean, _ = critical_paths(steps_table(*processes_spec))
    spec = [*processes_spec[:target], rows, *processes_spec[target + 1 :]]
    processes, problems = critical_paths(steps_table(*spec))

    assert processes["has_cycle"].tolist() == [i == target for i in range(len(spec))]
    others = processes.index != target
    pd.testing.assert_frame_equal(processes[others], clean[others])
    assert len(problems) == 1
    cycle = problems.at[0, "message"].split("：")[1].split("，")[0].split(" → ")
    by_name = {d["name"]: n for n, d in graph.nodes(data=True)}
    assert cycle[0] == cycle[-1]
    assert len(set(cycle)) == len(cycle) - 1
    assert all(graph.has_edge(by_name[u], by_name[v]) for u, v in itertools.pairwise(cycle))
