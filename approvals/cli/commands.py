"""``analyze`` on files named on the command line or on a round in the database (its current
state or a snapshot), and the table of every command. Each command's module is imported when the
command runs: ``analyze`` on files never loads the database or document libraries."""

from __future__ import annotations

import argparse
import importlib
import sys
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from approvals.analysis import Analysis, analyze
from approvals.cli.inputs import SETTINGS_OPTIONS, benchmarks, settings_of, spreadsheet_files
from approvals.dataset.build import Dataset, build_dataset
from approvals.errors import OptionError, ReadError
from approvals.memory import release_unused_memory
from approvals.read.reading import read_source
from approvals.read.workbooks import command_line_read_bytes
from approvals.settings import Settings
from approvals.views.command_line import analysis_json, bulk_json, bulk_summary_text, json_bytes, summary_text
from approvals.views.json_records import write_json


@dataclass(frozen=True)
class Source:
    """What analyze and export work on: the analysis, and for a round what documents say of it."""

    analysis: Analysis
    line: str = ""  # the source line of a document made from a round
    level: str | None = None  # the round's level (市本级 / 县本级)
    verdicts: dict[str, str] = field(default_factory=dict)  # the round's 流程再造 verdicts


def files_dataset(paths: list[Path], settings: Settings) -> Dataset:
    """The dataset of the files that can be read; each that cannot is named on standard error and
    left out. Raises the first file's ReadError (exit 2) only when none can be read."""
    readings, failures = [], []
    for path in paths:
        try:
            readings.append(read_source(path, settings.columns, memory=command_line_read_bytes()))
        except ReadError as refusal:
            failures.append(refusal)
    if not readings:
        for other in failures[1:]:
            print(f"注意：{other}", file=sys.stderr)
        raise failures[0]
    for unread in failures:
        print(f"注意：{unread}（未计入结果）", file=sys.stderr)
    dataset = build_dataset(readings, settings)
    # the files' raw tables are gone now: their pages go back before the analysis needs more
    del readings
    release_unused_memory()
    return dataset


def source_of(args: argparse.Namespace) -> Source:
    """Files and settings, or ``--round`` (and ``--snapshot``), analysed."""
    wanted = benchmarks(getattr(args, "benchmark", []))
    if args.round is None:
        if args.snapshot:
            raise OptionError("--snapshot 须与 --round 一起使用")
        if not args.paths:
            raise OptionError("请给出清单文件或文件夹，或用 --round 指定清理批次")
        return Source(analyze(files_dataset(list(spreadsheet_files(args.paths)), settings_of(args)), wanted))
    if args.paths:
        raise OptionError("--round 时不再给出文件：清理批次已保存其文件")
    given = [f"--{name}" for name in SETTINGS_OPTIONS if getattr(args, name) is not None]
    if given:
        raise OptionError(f"--round 时使用清理批次保存的设置，不能再用 {'、'.join(given)}")
    from approvals.cli.rounds import open_store, print_warnings
    from approvals.workspace import analyze_workspace

    store = open_store(args)
    state = store.state(store.round(args.round), args.snapshot)
    analysis, failures = analyze_workspace(replace(state.workspace(), benchmarks=wanted))
    print_warnings(failures)
    return Source(analysis, state.source, state.round.level or None, dict(state.verdicts))


def analyze_command(args: argparse.Namespace) -> int:
    if args.engine == "dask":
        return cluster_command(args)
    for option in ("scheduler", "partitions"):
        if getattr(args, option) is not None:
            raise OptionError(f"--{option} 须与 --engine dask 一起使用")
    analysis = source_of(args).analysis
    if args.out is not None:
        from approvals.report.tables import write_tables

        try:
            written = write_tables(analysis, args.out)
        except OSError as exc:
            raise OptionError(f"无法写入“{args.out}”：{exc.strerror or exc}") from None
        for path in written:
            print(f"已写出：{path}", file=sys.stderr if args.json else sys.stdout)
    if args.json:
        print_json(analysis_json(analysis))
    else:
        print(summary_text(analysis))
    return 0


def print_json(data: bytes | dict[str, Any]) -> None:
    """One JSON object on standard output, as bytes where it can be: ``data`` written in one
    piece, or an object's keys one by one (its long tables in chunks, never the whole text)."""
    out = getattr(sys.stdout, "buffer", None)
    if out is None:  # a text stream with no bytes under it (a caller's own)
        sys.stdout.write((data if isinstance(data, bytes) else json_bytes(data)).decode("utf-8") + "\n")
        return
    sys.stdout.flush()
    if isinstance(data, bytes):
        out.write(data)
    else:
        write_json(data, out)
    out.write(b"\n")
    out.flush()


def cluster_command(args: argparse.Namespace) -> int:
    """``analyze --engine dask``: the bulk figures of files worked out on a Dask cluster."""
    from approvals.engines.cluster import analyze_on_cluster, cluster_client

    if args.round is not None or args.snapshot:
        raise OptionError("--engine dask 只用于清单文件，不能与 --round 一起使用")
    if args.out is not None:
        raise OptionError("--engine dask 暂不写 Parquet 文件（--out），请用 --json")
    if args.partitions is not None and args.partitions < 1:
        raise OptionError("--partitions 须为正整数")
    if not args.paths:
        raise OptionError("请给出清单文件或文件夹")
    paths = list(spreadsheet_files(args.paths))
    settings = settings_of(args)
    wanted = benchmarks(args.benchmark)
    try:
        with cluster_client(args.scheduler) as client:
            bulk = analyze_on_cluster(paths, settings, client, partitions=args.partitions, benchmarks=wanted)
    except OSError as exc:  # no scheduler at that address, or it went away
        raise OptionError(f"无法连接集群调度器“{args.scheduler or '本机'}”：{exc}") from None
    if args.json:
        print_json(bulk_json(bulk))
    else:
        print(bulk_summary_text(bulk))
    return 0


@dataclass(frozen=True)
class Command:
    """A command's function, imported from its module the first time it runs."""

    module: str
    name: str

    def __call__(self, args: argparse.Namespace) -> int:
        function: Callable[[argparse.Namespace], int] = getattr(
            importlib.import_module(self.module), self.name
        )
        return function(args)


_ROUNDS = "approvals.cli.rounds"
COMMANDS: dict[str, Callable[[argparse.Namespace], int]] = {
    "analyze": analyze_command,
    "export": Command("approvals.cli.exports", "export_command"),
    "round": Command(_ROUNDS, "round_command"),
    "import": Command(_ROUNDS, "import_command"),
    "decide": Command(_ROUNDS, "decide_command"),
    "snapshot": Command(_ROUNDS, "snapshot_command"),
    "compare": Command(_ROUNDS, "compare_command"),
    "history": Command(_ROUNDS, "history_command"),
    "roles": Command(_ROUNDS, "roles_command"),
}
