"""The machine a run was on, the results as a table, and the record in bench/RESULTS.md."""

from __future__ import annotations

import os
import platform
import statistics
import subprocess
import unicodedata
from importlib import metadata
from pathlib import Path
from typing import Any

RESULTS_FILE = Path(__file__).resolve().parent / "RESULTS.md"
MARKER = "<!-- 新的记录加在这一行下面，最新的在最前 -->"
LIBRARIES = (
    "pandas",
    "numpy",
    "pyarrow",
    "networkx",
    "python-calamine",
    "xlsxwriter",
    "chinese-calendar",
)
HEADERS = (
    "编号",
    "测量内容",
    "规模",
    "次数",
    "中位数（秒）",
    "最快（秒）",
    "峰值内存（MB）",
    "调用增量（MB）",
    "进程 ru_maxrss（MB）",
)

_PREAMBLE = f"""# 性能基准记录

`make bench`（即 `.venv/bin/python -m bench`）在临时文件夹中生成一个省的合成政务服务事项目录（种子固定，
合成数据，非真实清单），逐项测量审批核心的耗时和内存，把结果表打印出来并记在这里。
`--scale 0.1` 按十分之一规模快速运行；`--only build,paths` 只测其中几项；`--no-record` 不写本文件；
`--profile paths` 用 cProfile 剖析一项。

测量方法：每一项在单独的子进程中运行，先读入输入（不计时），再用 `time.perf_counter` 计时；
能重复的项重复几次（总时长超过预算就停），表中给出中位数和最快一次。内存为常驻内存（RSS）：
每次调用前把内核记录的峰值清零（`/proc/self/clear_refs`），调用后读取峰值（`VmHWM`，即
`getrusage` 的 `ru_maxrss`），所以“峰值内存”是这次调用期间进程的最高常驻内存（含已读入的输入），
“调用增量”是峰值减去调用前的常驻内存；“进程 ru_maxrss”是整个子进程（含读入输入）的峰值。
5a–5c 是 5 的组成部分，只计时。

各项：
0. 准备（只作记录）：生成原始表、写 CSV 和 .xlsx 文件。
1. `parse_limits`：全省法定时限一列（含平台导出的单位列）；1b 为其中 10% 附带各不相同的说明文字时。
2. `classify_decisions` + `count_roles`：全省事项的处理意见。
3. `figures`：按清单、按部门、全部事项。
4. `critical_paths`：全省每个事项每个流程版本的关键路径。
5. `build_dataset`：从读取结果（原始文字表）到规范的事项表和环节表（`normalise_items` 与 `build_steps`）。
6. `read_source`：20 万行的 CSV（UTF-8 带 BOM）和 10 万行的 .xlsx。
7. 示例数据（data/sample/*.xlsx）`load_dataset` + `analyze`，即每次打开应用的代价：
   同一进程中连续 5 次的中位数；7c 为新进程中的第一次（含导入 approvals），5 个进程的中位数。

{MARKER}
"""


def _cpu_model() -> str:
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or "未知"


def _memory_gib() -> float | None:
    try:
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemTotal:"):
                return int(line.split()[1]) / 2**20
    except OSError:
        pass
    return None


def _version(package: str) -> str:
    try:
        return metadata.version(package)
    except metadata.PackageNotFoundError:
        return "未安装"


def machine() -> dict[str, str]:
    """What the run ran on: CPU, cores, memory, system, Python and library versions, date."""
    try:
        date = subprocess.run(["date"], capture_output=True, text=True, check=True).stdout.strip()
    except (OSError, subprocess.CalledProcessError):
        date = ""
    usable = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count()
    memory = _memory_gib()
    return {
        "date": date,
        "cpu": _cpu_model(),
        "cores": f"{os.cpu_count()} 个逻辑核（本进程可用 {usable} 个）",
        "memory": f"{memory:.1f} GiB" if memory else "未知",
        "system": f"{platform.system()} {platform.release()}",
        "python": platform.python_version(),
        "libraries": "，".join(f"{name} {_version(name)}" for name in LIBRARIES),
    }


def load_average() -> str:
    """The 1, 5 and 15 minute load averages, as text."""
    try:
        return " / ".join(f"{v:.2f}" for v in os.getloadavg())
    except OSError:
        return "未知"


def cells(result: dict[str, Any]) -> list[str]:
    """One result row as table cells.

    >>> cells({"id": "4", "label": "critical_paths", "size": "10 环节", "seconds": [2.0, 1.0, 3.0],
    ...        "peak_mb": 100.0, "extra_mb": 50.0, "process_mb": 120.0})
    ['4', 'critical_paths', '10 环节', '3', '2.00', '1.00', '100', '50', '120']
    """
    seconds = result.get("seconds") or []

    def mb(key: str) -> str:
        value = result.get(key)
        return "—" if value is None else f"{value:,.0f}"

    return [
        str(result["id"]),
        str(result.get("label", "")),
        str(result.get("size", "")),
        str(len(seconds)),
        _seconds(statistics.median(seconds)) if seconds else "—",
        _seconds(min(seconds)) if seconds else "—",
        mb("peak_mb"),
        mb("extra_mb"),
        mb("process_mb"),
    ]


def _seconds(value: float) -> str:
    return f"{value:.3f}" if value < 1 else f"{value:.2f}"


def _width(text: str) -> int:
    return sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in text)


def text_table(results: list[dict[str, Any]]) -> str:
    """The results as an aligned plain-text table (Chinese characters count double)."""
    rows = [list(HEADERS), *(cells(r) for r in results)]
    widths = [max(_width(row[c]) for row in rows) for c in range(len(HEADERS))]
    numeric = set(range(3, len(HEADERS)))
    lines = []
    for n, row in enumerate(rows):
        parts = []
        for c, text in enumerate(row):
            pad = " " * (widths[c] - _width(text))
            parts.append(pad + text if c in numeric and n else text + pad)
        lines.append("  ".join(parts).rstrip())
        if n == 0:
            lines.append("  ".join("-" * w for w in widths))
    return "\n".join(lines)


def markdown_table(results: list[dict[str, Any]]) -> str:
    """The results as a Markdown table."""
    lines = ["| " + " | ".join(HEADERS) + " |", "|" + "|".join("---" for _ in HEADERS) + "|"]
    for result in results:
        lines.append("| " + " | ".join(c.replace("|", "／") for c in cells(result)) + " |")
    return "\n".join(lines)


def section(results: list[dict[str, Any]], info: dict[str, str], facts: list[str], title: str) -> str:
    """One run's record: title, machine, facts about the run, the table and the notes of rows."""
    lines = [
        f"## {title}",
        "",
        f"- 日期（`date`）：{info['date']}",
        f"- CPU：{info['cpu']}（/proc/cpuinfo），{info['cores']}；内存 {info['memory']}；{info['system']}",
        f"- Python {info['python']}；{info['libraries']}",
        *(f"- {fact}" for fact in facts),
        "",
        markdown_table(results),
    ]
    notes = [f"- {r['id']}：{r['note']}" for r in results if r.get("note")]
    if notes:
        lines += ["", *notes]
    return "\n".join(lines) + "\n"


def record(text: str, path: Path = RESULTS_FILE) -> None:
    """Put a run's section at the top of the record (newest first), keeping the older ones."""
    current = path.read_text(encoding="utf-8") if path.exists() else _PREAMBLE
    if MARKER not in current:
        current = current.rstrip("\n") + "\n\n" + MARKER + "\n"
    head, tail = current.split(MARKER, 1)
    older = tail.lstrip("\n")
    path.write_text(head + MARKER + "\n\n" + text + ("\n" + older if older else ""), encoding="utf-8")
