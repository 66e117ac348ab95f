"""Command line: ``python -m approvals analyze PATH... [--json]``.

Exit 0 when every file could be read (row problems are in the output); exit 2 with one Chinese
line on stderr when a file cannot be read at all or an option is wrong.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from collections.abc import Iterator, Sequence
from pathlib import Path

from approvals.analysis import analyze
from approvals.catalog import Options, load_catalog
from approvals.decisions import decision_rules
from approvals.metrics import Targets
from approvals.readers import SPREADSHEET_SUFFIXES, ReadError
from approvals.summary import analysis_json, summary_text


class UsageError(Exception):
    """A wrong option or path; the message is Chinese."""


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> None:  # type: ignore[override]
        raise UsageError(f"参数有误：{message}")


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
                raise UsageError(f"文件夹“{raw}”中没有 Excel 或 CSV 文件")
            yield from found
        elif path.is_file():
            yield path
        else:
            raise UsageError(f"找不到文件“{raw}”")


def _benchmarks(values: Sequence[str]) -> dict[str, float]:
    out: dict[str, float] = {}
    for value in values:
        name, _, days = value.rpartition("=")
        try:
            out[name.strip()] = float(days)
        except ValueError:
            raise UsageError(
                f"--benchmark 应写作“清单=天数”或“天数”，如 行政许可=11.5，实为“{value}”"
            ) from None
        if out[name.strip()] <= 0:
            raise UsageError(f"--benchmark 的天数必须大于 0，实为“{value}”")
    return out


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(prog="python -m approvals", description="审批流程精简分析器（命令行）")
    sub = parser.add_subparsers(dest="command", required=True)
    analyze_cmd = sub.add_parser("analyze", help="读取清单，计算精简率、缩短率和流程关键路径")
    analyze_cmd.add_argument(
        "paths", nargs="+", metavar="PATH", help="清单文件或文件夹（.xlsx / .xls / .csv）"
    )
    analyze_cmd.add_argument("--json", action="store_true", help="输出一个 JSON 对象")
    analyze_cmd.add_argument("--year", type=int, help="自然日换算工作日所用的年度（默认今年）")
    analyze_cmd.add_argument(
        "--decisions", type=Path, help="处理意见对照表（TOML，格式同 data/decisions.toml）"
    )
    analyze_cmd.add_argument("--targets", type=Path, help="考核目标（TOML，格式同 data/targets.toml）")
    analyze_cmd.add_argument(
        "--benchmark",
        action="append",
        default=[],
        metavar="清单=天数",
        help="对比基准的平均时限，如 行政许可=11.5；只写天数则用于合计",
    )
    return parser


def run(argv: Sequence[str]) -> int:
    args = build_parser().parse_args(argv)
    options = Options(
        **({"year": args.year} if args.year else {}),
        rules=decision_rules(args.decisions) if args.decisions else None,
    )
    targets = Targets.load(args.targets) if args.targets else Targets.load()
    catalog = load_catalog(list(spreadsheet_files(args.paths)), options)
    analysis = analyze(catalog, targets, _benchmarks(args.benchmark))
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
    except (ReadError, UsageError) as exc:
        print(str(exc).replace("\n", " "), file=sys.stderr)
        return 2
    except (OSError, ValueError) as exc:  # a settings file that cannot be read or holds bad values
        print(f"无法读取设置：{exc}".replace("\n", " "), file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        return 130
    except Exception as exc:  # a defect: still one Chinese line, never a traceback
        print(f"内部错误（{type(exc).__name__}）：{exc}".replace("\n", " "), file=sys.stderr)
        return 1


if __name__ == "__main__":
    sys.exit(main())
