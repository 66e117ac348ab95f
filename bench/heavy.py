"""Heavy and broken process structure, timed: dense processes of 500 and 5,000 steps (every step
waiting for many earlier ones), dangling predecessors, repeated step numbers, repeated items and
cycles, each read, analysed (critical paths and every redesign rule) and charted.

Run with ``python -m bench.heavy``; prints one line per stage with seconds and peak memory.
"""

from __future__ import annotations

import io
import random
import resource
import sys
import time
from collections.abc import Callable
from typing import Any

import xlsxwriter

NAMES = [
    "受理",
    "初审",
    "审查",
    "复审",
    "审核",
    "现场勘查",
    "专家评审",
    "集体讨论",
    "审批",
    "签发",
    "登记",
    "送达",
]
OFFICES = ["窗口", "业务科", "法规科", "审批科", "分管领导", "主要领导"]
ITEM_HEADER = ["序号", "实施部门", "事项编码", "事项名称", "法定时限", "承诺时限", "处理意见"]
STEP_HEADER = ["事项编码", "流程版本", "环节序号", "环节名称", "责任科室", "办理时限", "前置环节"]


def dense_steps(code: str, count: int, fan_in: int, seed: int) -> list[list[Any]]:
    """``count`` steps; each waits for up to ``fan_in`` earlier steps chosen at random."""
    rng = random.Random(seed)
    rows = []
    for n in range(1, count + 1):
        earlier = rng.sample(range(1, n), min(fan_in, n - 1)) if n > 1 else []
        rows.append(
            [
                code,
                "再造前",
                n,
                NAMES[n % len(NAMES)],
                OFFICES[n % len(OFFICES)],
                f"{1 + n % 5}个工作日",
                "、".join(str(e) for e in sorted(earlier)),
            ]
        )
    return rows


def broken_steps() -> list[list[Any]]:
    """Dangling predecessors, a repeated step number, a cycle and a self-loop."""
    return [
        ["BAD-1", "再造前", 1, "受理", "窗口", "1", "99"],
        ["BAD-1", "再造前", 2, "审查", "业务科", "5", "1、77、甲"],
        ["BAD-1", "再造前", 2, "审查", "业务科", "5", "1"],
        ["BAD-1", "再造前", 3, "决定", "局长", "1", "2"],
        ["CYC-1", "再造前", 1, "受理", "窗口", "1", "3"],
        ["CYC-1", "再造前", 2, "审查", "业务科", "5", "1"],
        ["CYC-1", "再造前", 3, "退回补正", "窗口", "1", "2"],
        ["CYC-1", "再造前", 4, "决定", "局长", "1", "4"],
    ]


def workbook_bytes(steps: list[list[Any]]) -> bytes:
    items = [
        [1, "市水利局", "D500", "取水许可", "45个工作日", "20个工作日", "保留"],
        [2, "市水利局", "D5000", "河道采砂许可", "45个工作日", "20个工作日", "保留"],
        [3, "市水利局", "BAD-1", "水土保持方案审批", "20", "10", "保留"],
        [4, "市水利局", "BAD-1", "水土保持方案审批", "20", "10", "保留"],
        [5, "市水利局", "CYC-1", "水利基建项目初步设计审批", "20", "10", "保留"],
    ]
    buffer = io.BytesIO()
    book = xlsxwriter.Workbook(buffer, {"in_memory": True, "strings_to_formulas": False})
    for name, rows in (("事项", [ITEM_HEADER, *items]), ("办理环节", [STEP_HEADER, *steps])):
        sheet = book.add_worksheet(name)
        for r, row in enumerate(rows):
            sheet.write_row(r, 0, row)
    book.close()
    return buffer.getvalue()


def timed(label: str, call: Callable[[], Any]) -> Any:
    started = time.perf_counter()
    value = call()
    took = time.perf_counter() - started
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"{label}: {took:.2f} s, 进程峰值内存 {peak:.0f} MB", flush=True)
    return value


def main(fan_in: int = 50) -> None:
    from approvals.analysis import analyze
    from approvals.charts.flowchart import process_flowchart
    from approvals.charts.gantt import gantt_chart
    from approvals.dataset.build import load_dataset
    from approvals.settings import load_settings
    from approvals.views.process import item_process

    settings = load_settings()
    steps = [*dense_steps("D500", 500, 499, 1), *dense_steps("D5000", 5000, fan_in, 2), *broken_steps()]
    data = timed("生成工作簿", lambda: workbook_bytes(steps))
    dataset = timed("读取并建表", lambda: load_dataset([("结构.xlsx", data)], settings))
    edges = sum(len(str(p).split("、")) for p in dataset.steps["predecessors"] if str(p))
    print(f"环节 {len(dataset.steps)} 个，前置关系约 {edges} 条")
    analysis = timed("分析（关键路径、全部再造规则）", lambda: analyze(dataset))
    print(analysis.processes[["item_name", "step_count", "critical_path_days", "has_cycle"]].to_string())
    print(dataset.problems["code"].value_counts().to_string())
    for code in ("D500", "D5000", "CYC-1"):
        item = dataset.items[dataset.items["code"] == code].iloc[0]
        one = dataset.steps[dataset.steps["item_id"] == item["item_id"]]
        timed(f"流程图 {code}（{len(one)} 个环节）", lambda one=one: process_flowchart(one))
        timed(f"时间线 {code}", lambda one=one: gantt_chart(one, one.iloc[0:0]))
        timed(f"事项流程页面内容 {code}", lambda item=item: item_process(analysis, int(item["item_id"]), {}))
    widest = dense_steps("D60", 60, 2, 3)
    drawn = load_dataset([("最大.xlsx", workbook_bytes(widest))], settings).steps
    timed("流程图 D60（60 个环节、约 120 条前后关系，可画出的上限）", lambda: process_flowchart(drawn))


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 50)
