"""Command line: ``python -m approvals analyze PATH... [--json]`` and
``python -m approvals export PATH... --catalog OUT.xlsx [--docx …] [--csv …] [--report …] [--workbook …]``.

Exit 0 when every file could be read (row problems are in the output); exit 2 with one Chinese
line on stderr when a file cannot be read at all, a settings file holds a bad value or an option
is wrong (an :class:`~approvals.errors.ApprovalsError`); exit 1 on a defect, with "内部错误" on
stderr and the traceback in a log file. A thin shell: every figure comes from approvals.analysis
and every document from approvals.publish.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import sys
import tempfile
import traceback
from collections.abc import Iterator, Sequence
from datetime import datetime
from pathlib import Path
from typing import Any

from approvals.analysis import Analysis, analyze
from approvals.dataset.build import load_dataset
from approvals.errors import ApprovalsError, OptionError
from approvals.publish.catalogs import LIST_KINDS, CatalogOptions
from approvals.publish.documents import find_items, list_documents, report_document, workbook_document
from approvals.read.files import SPREADSHEET_SUFFIXES
from approvals.read.verdicts import read_verdicts
from approvals.settings import Settings, load_settings
from approvals.views.command_line import analysis_json, summary_text

LOG_ENV = "APPROVALS_LOG"
LOG_FILE = "approvals-internal-errors.log"


# argparse's own words, in Chinese (its messages are English and would reach the terminal).
_ARGPARSE_WORDS: tuple[tuple[str, str], ...] = (
    (r"the following arguments are required: (.+)", r"缺少参数：\1"),
    (r"argument (\S+): invalid choice: '([^']*)' \(choose from (.+)\)", r"\1 的取值“\2”无效，可选：\3"),
    (r"argument (\S+): invalid (\w+) value: '([^']*)'", r"\1 的取值“\3”不是有效的数"),
    (r"argument (\S+): expected one argument", r"\1 后面需要一个值"),
    (r"unrecognized arguments: (.+)", r"无法识别的参数：\1"),
    (r"argument (\S+): ambiguous option: (.+)", r"\1 可能指多个选项：\2"),
)


def _in_chinese(message: str) -> str:
    """An argparse message in Chinese.

    >>> _in_chinese("argument --numbering: invalid choice: 'roman' (choose from continuous, per_department)")
    '--numbering 的取值“roman”无效，可选：continuous, per_department'
    >>> _in_chinese("the following arguments are required: PATH")
    '缺少参数：PATH'
    """
    for pattern, replacement in _ARGPARSE_WORDS:
        translated, found = re.subn(pattern, replacement, message)
        if found:
            return translated
    return message


class _Formatter(argparse.HelpFormatter):
    def add_usage(self, usage: Any, actions: Any, groups: Any, prefix: str | None = None) -> None:
        super().add_usage(usage, actions, groups, "用法：" if prefix is None else prefix)


class _Parser(argparse.ArgumentParser):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("formatter_class", _Formatter)
        kwargs["add_help"] = False
        super().__init__(*args, **kwargs)
        self._positionals.title = "参数"
        self._optionals.title = "选项"
        self.add_argument("-h", "--help", action="help", help="显示本说明并退出")

    def error(self, message: str) -> None:  # type: ignore[override]
        raise OptionError(f"参数有误：{_in_chinese(message)}")


def spreadsheet_files(paths: Sequence[str]) -> Iterator[Path]:
    """The files named, with folders expanded to the spreadsheets inside them (sorted)."""
    for raw in paths:
        path = Path(raw)
        if path.is_dir():
            found = sorted(
                p
                for p in path.rglob("*")
                if p.is_file()
                and p.suffix.lower() in SPREADSHEET_SUFFIXES
                and not p.name.startswith(("~$", "."))
            )
            if not found:
                raise OptionError(f"文件夹“{raw}”中没有 Excel 或 CSV 文件")
            yield from found
        elif path.is_file():
            yield path
        else:
            raise OptionError(f"找不到文件“{raw}”")


def _benchmarks(values: Sequence[str]) -> dict[str, float]:
    out: dict[str, float] = {}
    for value in values:
        name, _, days = value.rpartition("=")
        try:
            out[name.strip()] = float(days)
        except ValueError:
            raise OptionError(
                f"--benchmark 应写作“清单=天数”或“天数”，如 行政许可=11.5，实为“{value}”"
            ) from None
        if out[name.strip()] <= 0:
            raise OptionError(f"--benchmark 的天数必须大于 0，实为“{value}”")
    return out


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(prog="python -m approvals", description="审批流程精简分析器（命令行）")
    sub = parser.add_subparsers(dest="command", required=True, title="命令", metavar="命令")
    analyze_cmd = sub.add_parser("analyze", help="读取清单，计算精简率、缩短率和流程关键路径")
    _reading_arguments(analyze_cmd)
    analyze_cmd.add_argument("--json", action="store_true", help="输出一个 JSON 对象")
    analyze_cmd.add_argument(
        "--benchmark",
        action="append",
        default=[],
        metavar="清单=天数",
        help="对比基准的平均时限，如 行政许可=11.5；只写天数则用于合计",
    )
    _export_parser(sub)
    return parser


def _export_parser(sub: Any) -> None:
    cmd = sub.add_parser("export", help="导出公布用目录（Excel、Word、CSV）和分析报告")
    _reading_arguments(cmd)
    out = cmd.add_argument_group("输出文件（至少一个）")
    out.add_argument("--catalog", type=Path, metavar="OUT.xlsx", help="目录工作簿：每个目录一个工作表")
    out.add_argument(
        "--docx", type=Path, metavar="OUT.docx", help="Word 目录（保留事项目录；其他目录另存同名文件）"
    )
    out.add_argument(
        "--csv", type=Path, metavar="OUT.csv", help="CSV 目录（UTF-8 带 BOM；其他目录另存同名文件）"
    )
    out.add_argument("--report", type=Path, metavar="OUT.html", help="分析报告（单个 HTML 文件，可离线打开）")
    out.add_argument(
        "--workbook", type=Path, metavar="OUT.xlsx", help="分析工作簿（汇总、部门、事项、流程、提示、问题）"
    )
    cmd.add_argument(
        "--lists",
        default=",".join(LIST_KINDS),
        metavar="目录",
        help=f"导出哪些目录，逗号分隔：{','.join(LIST_KINDS)}（默认全部）",
    )
    cmd.add_argument("--region", default="", metavar="地区", help="标题中的地区名称，如 示例市")
    cmd.add_argument("--level", metavar="层级", help="标题中的层级（默认“市本级”）")
    cmd.add_argument("--subtitle", default="", metavar="说明", help="标题下的说明行，如公布日期和文号")
    cmd.add_argument("--numbering", choices=["continuous", "per_department"], default="continuous",
                     help="序号：continuous 连续编号，per_department 各部门分别编号")  # fmt: skip
    cmd.add_argument("--order", default="listed", metavar="顺序",
                     help="部门顺序：listed 按出现顺序，count 按事项数，或逗号分隔的部门名称")  # fmt: skip
    cmd.add_argument("--extra", action="append", default=[], metavar="列名", help="另加的原表列（可重复）")
    cmd.add_argument("--item", action="append", default=[], metavar="编码或名称",
                     help="报告中画出流程图的事项（可重复）")  # fmt: skip
    cmd.add_argument(
        "--verdicts",
        type=Path,
        metavar="FILE.csv",
        help="流程再造采纳情况表（应用中下载的 CSV），用于报告的预计成效",
    )


def _reading_arguments(cmd: argparse.ArgumentParser) -> None:
    """What analyze and export both read: the files and the settings."""
    cmd.add_argument("paths", nargs="+", metavar="PATH", help="清单文件或文件夹（.xlsx / .xls / .csv）")
    cmd.add_argument("--year", type=int, metavar="年度", help="自然日换算工作日所用的年度（默认今年）")
    cmd.add_argument(
        "--settings",
        type=Path,
        metavar="DIR",
        help="设置文件夹：其中的 TOML 文件逐个替换内置设置（也可用环境变量 APPROVALS_SETTINGS）",
    )
    cmd.add_argument(
        "--decisions",
        type=Path,
        metavar="FILE.toml",
        help="处理意见归类表（TOML，格式同内置的 decisions.toml）",
    )
    cmd.add_argument(
        "--targets", type=Path, metavar="FILE.toml", help="考核目标（TOML，格式同内置的 targets.toml）"
    )


def _settings(args: argparse.Namespace) -> Settings:
    """The settings, loaded once: the folder and files named, else the bundled ones."""
    files = {
        name: path
        for name, path in (("decisions.toml", args.decisions), ("targets.toml", args.targets))
        if path is not None
    }
    return load_settings(args.settings, year=args.year, files=files)


def _analysis(args: argparse.Namespace) -> Analysis:
    settings = _settings(args)
    dataset = load_dataset(list(spreadsheet_files(args.paths)), settings)
    return analyze(dataset, _benchmarks(getattr(args, "benchmark", [])))


def _catalog_options(args: argparse.Namespace) -> CatalogOptions:
    order: str | list[str] = args.order
    if args.order not in ("listed", "count"):
        order = [name.strip() for name in args.order.replace("，", ",").split(",") if name.strip()]
    try:
        return CatalogOptions(
            region=args.region,
            level=args.level,
            department_order=order,
            numbering=args.numbering,
            extras=args.extra,
            subtitle=args.subtitle,
        )
    except ValueError as exc:  # an order or numbering the catalog cannot take
        raise OptionError(str(exc)) from None


def _list_kinds(text: str) -> list[str]:
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


def _write(path: Path, data: bytes) -> None:
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)
    except OSError as exc:
        raise OptionError(f"无法写入“{path}”：{exc.strerror or exc}") from None
    print(f"已写出：{path}")


def export(args: argparse.Namespace) -> int:
    outputs = (args.catalog, args.docx, args.csv, args.report, args.workbook)
    if not any(outputs):
        raise OptionError("请至少指定一个输出文件：--catalog、--docx、--csv、--report 或 --workbook")
    kinds = _list_kinds(args.lists)
    options = _catalog_options(args)
    verdicts: dict[str, str] = {}
    if args.verdicts:
        verdicts, bad = read_verdicts(args.verdicts.name, _read_bytes(args.verdicts))
        for row in bad.itertuples(index=False):
            print(f"{row.file} 第{row.row}行：{row.message}（{row.value}）", file=sys.stderr)
    analysis = _analysis(args)
    items = analysis.dataset.items
    try:
        for path, fmt in ((args.catalog, "xlsx"), (args.docx, "docx"), (args.csv, "csv")):
            if path is None:
                continue
            for n, document in enumerate(
                list_documents(items, kinds, fmt, options, analysis.settings.export)
            ):
                # the first list goes to the path given, the others beside it under their names
                label = LIST_KINDS.get(document.kind, "")
                _write(path.with_name(f"{path.stem}（{label}）{path.suffix}") if n else path, document.data)
    except ValueError as exc:  # an --extra column the lists do not have
        raise OptionError(str(exc)) from None
    if args.workbook:
        _write(args.workbook, workbook_document(analysis, verdicts).data)
    if args.report:
        chosen, missing = find_items(items, args.item)
        if missing:
            raise OptionError(f"--item 找不到这些事项：{'、'.join(missing)}")
        _write(args.report, report_document(analysis, verdicts, chosen).data)
    return 0


def _read_bytes(path: Path) -> bytes:
    try:
        return path.read_bytes()
    except OSError as exc:
        raise OptionError(f"无法读取“{path}”：{exc.strerror or exc}") from None


def run(argv: Sequence[str]) -> int:
    args = build_parser().parse_args(argv)
    if args.command == "export":
        return export(args)
    analysis = _analysis(args)
    if args.json:
        json.dump(analysis_json(analysis), sys.stdout, ensure_ascii=False)
        sys.stdout.write("\n")
    else:
        print(summary_text(analysis))
    return 0


def main(argv: Sequence[str] | None = None) -> int:
    try:
        return run(sys.argv[1:] if argv is None else argv)
    except BrokenPipeError:  # the reader of our output went away (e.g. `| head`)
        sys.stdout = open(os.devnull, "w")  # noqa: SIM115 - silences the flush at exit
        return 0
    except ApprovalsError as exc:
        print(str(exc).replace("\n", " "), file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        return 130
    except Exception:  # a defect: one Chinese line here, the traceback in the log
        where = _log_defect()
        print(
            f"内部错误：程序出现缺陷，未能完成。详细信息已写入 {where}，请将该文件交给维护人员。",
            file=sys.stderr,
        )
        return 1


def _log_defect() -> str:
    """Append the current exception's traceback to the log file; where it went (or why not)."""
    path = Path(os.environ.get(LOG_ENV) or Path(tempfile.gettempdir()) / LOG_FILE)
    try:
        with path.open("a", encoding="utf-8") as log:
            log.write(
                f"--- {datetime.now().isoformat(timespec='seconds')} "
                f"python -m approvals {' '.join(sys.argv[1:])}\n"
            )
            log.write(traceback.format_exc())
    except OSError:
        return "（日志文件无法写入）"
    return str(path)


if __name__ == "__main__":
    sys.exit(main())
