"""``analyze`` and ``export``: on files named on the command line, or on a round in the database
(its current state or a snapshot); and the table of every command."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from pathlib import Path

from approvals.analysis import Analysis, analyze
from approvals.cli import rounds
from approvals.cli.inputs import SETTINGS_OPTIONS, benchmarks, settings_of, spreadsheet_files
from approvals.cli.rounds import open_store, print_warnings
from approvals.dataset.build import Dataset, build_dataset
from approvals.errors import OptionError, ReadError
from approvals.publish.catalogs import LIST_KINDS, CatalogOptions, Place, catalog_place, catalog_title
from approvals.publish.documents import (
    find_items,
    list_documents,
    report_document,
    titled_options,
    workbook_document,
)
from approvals.read.reading import read_source
from approvals.read.verdicts import read_verdicts
from approvals.report.tables import write_tables
from approvals.settings import Settings
from approvals.views.command_line import analysis_json, json_text, summary_text
from approvals.views.flags import keyed_verdicts
from approvals.workspace import analyze_workspace


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
            readings.append(read_source(path, settings.columns))
        except ReadError as refusal:
            failures.append(refusal)
    if not readings:
        for other in failures[1:]:
            print(f"注意：{other}", file=sys.stderr)
        raise failures[0]
    for unread in failures:
        print(f"注意：{unread}（未计入结果）", file=sys.stderr)
    return build_dataset(readings, settings)


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
    store = open_store(args)
    state = store.state(store.round(args.round), args.snapshot)
    analysis, failures = analyze_workspace(replace(state.workspace(), benchmarks=wanted))
    print_warnings(failures)
    return Source(analysis, state.source, state.round.level or None, dict(state.verdicts))


def analyze_command(args: argparse.Namespace) -> int:
    analysis = source_of(args).analysis
    if args.out is not None:
        try:
            written = write_tables(analysis, args.out)
        except OSError as exc:
            raise OptionError(f"无法写入“{args.out}”：{exc.strerror or exc}") from None
        for path in written:
            print(f"已写出：{path}", file=sys.stderr if args.json else sys.stdout)
    if args.json:
        sys.stdout.write(json_text(analysis_json(analysis)) + "\n")
    else:
        print(summary_text(analysis))
    return 0


def catalog_options(args: argparse.Namespace, source: Source, place: Place) -> CatalogOptions:
    """The catalog options the command line gives; the region and level not given are the round's
    or what the lists' own titles say, else export.toml's level."""
    order: str | list[str] = args.order
    if args.order not in ("listed", "count"):
        order = [name.strip() for name in args.order.replace("，", ",").split(",") if name.strip()]
    try:
        return CatalogOptions(
            region=place.region if args.region is None else args.region,
            level=args.level if args.level is not None else (source.level or place.level or None),
            department_order=order,
            numbering=args.numbering,
            extras=args.extra,
            subtitle=args.subtitle,
            source=source.line,
            holds=args.holds.strip(),
            limits_as_written=args.limits_as_written,
        )
    except ValueError as exc:  # an order or numbering the catalog cannot take
        raise OptionError(str(exc)) from None


def title_line(args: argparse.Namespace, source: Source, place: Place, title: str, default: str) -> str:
    """What the catalogs are titled, and where the region and level came from."""
    if args.level is not None:
        why = ""
    elif source.level:
        why = "（层级取自清理批次）"
    elif place.level:
        what = "地区和层级" if args.region is None and place.region else "层级"
        why = f"（{what}取自{place.found_in}）"
    else:
        why = f"（清单中看不出层级，用了 export.toml 的默认层级“{default}”；可用 --level 指定）"
    return f"目录标题：{title}{why}"


def list_kinds(text: str) -> list[str]:
    """--lists as list kinds; the Chinese names (保留, 取消事项目录, …) are understood too."""
    kinds = []
    for token in (k.strip() for k in text.replace("，", ",").replace("、", ",").split(",")):
        kind = (
            token
            if token in LIST_KINDS
            else next((k for k, v in LIST_KINDS.items() if token and v.startswith(token)), None)
        )
        if kind is None:
            choices = "、".join(f"{k}（{v}）" for k, v in LIST_KINDS.items())
            raise OptionError(f"--lists 中的“{token}”不是目录名称，可选：{choices}")
        kinds.append(kind)
    return kinds


def write(path: Path, data: bytes) -> None:
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)
    except OSError as exc:
        raise OptionError(f"无法写入“{path}”：{exc.strerror or exc}") from None
    print(f"已写出：{path}")


def read_bytes(path: Path) -> bytes:
    try:
        return path.read_bytes()
    except OSError as exc:
        raise OptionError(f"无法读取“{path}”：{exc.strerror or exc}") from None


def export_command(args: argparse.Namespace) -> int:
    outputs = (args.catalog, args.docx, args.csv, args.report, args.workbook)
    if not any(outputs):
        raise OptionError("请至少指定一个输出文件：--catalog、--docx、--csv、--report 或 --workbook")
    kinds = list_kinds(args.lists)
    given: dict[str, str] | None = None
    if args.verdicts:
        given, bad = read_verdicts(args.verdicts.name, read_bytes(args.verdicts))
        for row in bad.itertuples(index=False):
            print(f"{row.file} 第{row.row}行：{row.message}（{row.value}）", file=sys.stderr)
    source = source_of(args)
    analysis = source.analysis
    items = analysis.dataset.items
    place = catalog_place(items, analysis.settings)
    options = catalog_options(args, source, place)
    verdicts = source.verdicts if given is None else keyed_verdicts(given, analysis.flags)
    layout = analysis.settings.export
    if args.catalog or args.docx or args.csv:
        title = catalog_title("retained", titled_options(options, items, layout), layout=layout)
        print(title_line(args, source, place, title, layout.level))
    try:
        for path, fmt in ((args.catalog, "xlsx"), (args.docx, "docx"), (args.csv, "csv")):
            if path is None:
                continue
            for n, document in enumerate(list_documents(items, kinds, fmt, options, analysis.settings)):
                # the first list goes to the path given, the others beside it under their names
                label = LIST_KINDS.get(document.kind, "")
                write(path.with_name(f"{path.stem}（{label}）{path.suffix}") if n else path, document.data)
    except ValueError as exc:  # an --extra column the lists do not have
        raise OptionError(str(exc)) from None
    if args.workbook:
        write(args.workbook, workbook_document(analysis, verdicts, source=source.line).data)
    if args.report:
        chosen, missing = find_items(items, args.item)
        if missing:
            raise OptionError(f"--item 找不到这些事项：{'、'.join(missing)}")
        write(args.report, report_document(analysis, verdicts, chosen, source=source.line).data)
    return 0


COMMANDS: dict[str, Callable[[argparse.Namespace], int]] = {
    "analyze": analyze_command,
    "export": export_command,
    "round": rounds.round_command,
    "import": rounds.import_command,
    "decide": rounds.decide_command,
    "snapshot": rounds.snapshot_command,
    "compare": rounds.compare_command,
    "history": rounds.history_command,
    "roles": rounds.roles_command,
}
