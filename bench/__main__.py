"""Command line: ``python -m bench [--scale 0.1] [--only build,paths] [--no-record]``.

Runs every stage of :mod:`bench.stages` in a subprocess of its own, in a temporary folder
outside the repository, prints the results table and records it in bench/RESULTS.md.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Sequence
from datetime import datetime
from pathlib import Path
from typing import Any

from bench import report
from bench.stages import (
    CSV_FILE,
    ITEMS_FILE,
    LIMITS_FILE,
    READINGS_FILE,
    SAMPLE_RUNS,
    STEPS_FILE,
    XLSX_FILE,
    median,
)
from bench.synthetic import SEED

ROOT = Path(__file__).resolve().parent.parent
ORDER = (
    "prepare",
    "build",
    "limits",
    "decisions",
    "figures",
    "paths",
    "redesign",
    "read_csv",
    "read_xlsx",
    "sample",
    "app",
    "app_scale",
    "store",
    "export",
    "cli",
    "cli_province",
    "cluster_national",
)
# Stages run only when named in --only: the national catalog on a cluster takes most of an hour.
ASKED_FOR_ONLY = frozenset({"cluster_national"})
# What each stage reads from the working folder, and which stage writes it.
NEEDS = {
    "build": (READINGS_FILE,),
    "limits": (LIMITS_FILE,),
    "decisions": (ITEMS_FILE,),
    "figures": (ITEMS_FILE,),
    "paths": (STEPS_FILE,),
    "redesign": (ITEMS_FILE, STEPS_FILE),
    "read_csv": (CSV_FILE,),
    "read_xlsx": (XLSX_FILE,),
}
WRITER = {READINGS_FILE: "prepare", LIMITS_FILE: "prepare", CSV_FILE: "prepare", XLSX_FILE: "prepare"}
WRITER |= {ITEMS_FILE: "build", STEPS_FILE: "build"}


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="python -m bench", description="审批核心的性能基准（合成的全省事项目录）"
    )
    parser.add_argument(
        "--scale", type=float, default=1.0, help="规模，1 为全省 160 万事项（默认）；0.1 为快速运行"
    )
    parser.add_argument(
        "--repeat", type=int, default=3, help="每项最多重复几次（默认 3；耗时长的项会少于此数）"
    )
    parser.add_argument("--only", default="", help=f"只运行这些项，逗号分隔：{','.join(ORDER)}")
    parser.add_argument("--workdir", type=Path, help="工作文件夹（默认新建临时文件夹，结束后删除）")
    parser.add_argument("--keep", action="store_true", help="结束后保留工作文件夹")
    parser.add_argument("--no-record", action="store_true", help="不写 bench/RESULTS.md")
    parser.add_argument("--profile", default="", help="用 cProfile 剖析这一项，结果打印到标准错误")
    return parser


def stages_to_run(only: Sequence[str], workdir: Path) -> list[str]:
    """The stages asked for, plus those that write inputs the folder lacks, in running order.

    >>> stages_to_run(["paths"], Path("/nonexistent"))
    ['prepare', 'build', 'paths']
    """
    wanted = set(only or (s for s in ORDER if s not in ASKED_FOR_ONLY))
    unknown = wanted - set(ORDER)
    if unknown:
        raise SystemExit(f"没有这一项：{'、'.join(sorted(unknown))}（可选：{'、'.join(ORDER)}）")
    changed = True
    while changed:
        changed = False
        for stage in list(wanted):
            for needed in NEEDS.get(stage, ()):
                writer = WRITER[needed]
                if not (workdir / needed).exists() and writer not in wanted:
                    wanted.add(writer)
                    changed = True
    return [s for s in ORDER if s in wanted]


def run_stage(
    name: str, workdir: Path, scale: float, repeat: int, profile: bool = False
) -> list[dict[str, Any]]:
    """One stage in a fresh Python process; its result rows."""
    env = dict(
        os.environ, PYTHONPATH=os.pathsep.join(filter(None, [str(ROOT), os.environ.get("PYTHONPATH")]))
    )
    if profile:
        env["BENCH_PROFILE"] = "1"
    command = [sys.executable, "-m", "bench.stages", name, str(workdir), str(scale), str(repeat)]
    done = subprocess.run(command, cwd=ROOT, env=env, stdout=subprocess.PIPE, text=True, check=False)
    if done.returncode != 0:
        raise SystemExit(f"基准“{name}”运行失败（退出码 {done.returncode}），见上面的错误信息")
    return json.loads(done.stdout.strip().splitlines()[-1])


def cold_sample(workdir: Path) -> dict[str, Any]:
    """Stage 7c: the sample's first run in each of several fresh processes, as one row."""
    runs = [run_stage("sample_cold", workdir, 1.0, 1)[0] for _ in range(SAMPLE_RUNS)]
    imports = [r["import"] for r in runs]
    firsts = [r["first"] for r in runs]
    return {
        "id": "7c",
        "label": "示例数据首次运行（新进程：导入 approvals + load_dataset + analyze）",
        "size": f"{SAMPLE_RUNS} 个进程",
        "seconds": [r["seconds"][0] for r in runs],
        "peak_mb": None,
        "extra_mb": None,
        "process_mb": max(r["process_mb"] for r in runs),
        "note": (
            f"其中导入 approvals 中位数 {median(imports):.2f} 秒，"
            f"首次读取和分析中位数 {median(firsts):.2f} 秒"
        ),
    }


def _order(key: str) -> tuple[int, str]:
    digits = "".join(c for c in key if c.isdigit())
    return int(digits or 0), key


def main(argv: Sequence[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    if args.scale <= 0:
        raise SystemExit("--scale 必须大于 0")
    only = [s.strip() for s in args.only.split(",") if s.strip()]
    workdir = args.workdir or Path(tempfile.mkdtemp(prefix="approvals-bench-"))
    workdir.mkdir(parents=True, exist_ok=True)
    if workdir.resolve().is_relative_to(ROOT) and not workdir.resolve().is_relative_to(
        ROOT / "bench" / "output"
    ):
        raise SystemExit("工作文件夹不能放在仓库中（bench/output/ 除外）")
    info = report.machine()
    load_before = report.load_average()
    started = time.perf_counter()
    results: list[dict[str, Any]] = []
    try:
        for stage in stages_to_run(only, workdir):
            print(f"[{datetime.now():%H:%M:%S}] 正在运行：{stage}", file=sys.stderr, flush=True)
            results += run_stage(stage, workdir, args.scale, args.repeat, profile=stage == args.profile)
            if stage == "sample":
                results.append(cold_sample(workdir))
    finally:
        if not args.keep and not args.workdir:
            shutil.rmtree(workdir, ignore_errors=True)
    elapsed = time.perf_counter() - started
    results.sort(key=lambda r: _order(str(r["id"])))
    print(report.text_table(results))
    for r in results:
        if r.get("note"):
            print(f"  {r['id']}：{r['note']}")
    inexact = [r["id"] for r in results if r.get("exact_peak") is False]
    facts = [
        f"规模 {args.scale:g}（1 为全省 160 万事项），种子 {SEED}，每项最多重复 {args.repeat} 次",
        f"1/5/15 分钟平均负载：开始时 {load_before}，结束时 {report.load_average()}；"
        "本机只有 2 个核，测量时可能有其他任务同时运行，时间可能偏长、有波动",
        f"全部用时 {elapsed / 60:.1f} 分钟（含生成数据和每项读入输入）",
    ]
    if inexact:
        facts.append(f"{'、'.join(inexact)} 的峰值内存无法清零重测，为进程到当时为止的峰值")
    if not args.no_record:
        title = f"{datetime.now():%Y-%m-%d %H:%M} — 规模 {args.scale:g}"
        if only:
            title += f"（只运行 {', '.join(only)}）"
        report.record(report.section(results, info, facts, title))
        print(f"已记入 {report.RESULTS_FILE.relative_to(ROOT)}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
