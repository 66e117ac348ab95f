"""The command line's arguments: one parser, Chinese help and Chinese errors (argparse's own
messages are English and would reach the terminal)."""

from __future__ import annotations

import argparse
import re
from pathlib import Path
from typing import Any

from approvals.errors import OptionError
from approvals.model import LIST_KINDS

_ARGPARSE_WORDS: tuple[tuple[str, str], ...] = (
    (r"the following arguments are required: (.+)", r"缺少参数：\1"),
    (r"argument (\S+): invalid choice: '([^']*)' \(choose from (.+)\)", r"\1 的取值“\2”无效，可选：\3"),
    (r"argument (\S+): invalid (\w+) value: '([^']*)'", r"\1 的取值“\3”不是有效的数"),
    (r"argument (\S+): expected one argument", r"\1 后面需要一个值"),
    (r"argument (\S+): not allowed with argument (\S+)", r"\1 不能与 \2 同时使用"),
    (r"unrecognized arguments: (.+)", r"无法识别的参数：\1"),
    (r"argument (\S+): ambiguous option: (.+)", r"\1 可能指多个选项：\2"),
)


def in_chinese(message: str) -> str:
    """An argparse message in Chinese.

    >>> in_chinese("argument --numbering: invalid choice: 'roman' (choose from continuous, per_department)")
    '--numbering 的取值“roman”无效，可选：continuous, per_department'
    >>> in_chinese("the following arguments are required: PATH")
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
        raise OptionError(f"参数有误：{in_chinese(message)}")


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(prog="python -m approvals", description="审批流程精简分析器（命令行）")
    sub = parser.add_subparsers(dest="command", required=True, title="命令", metavar="命令")
    analyze = sub.add_parser("analyze", help="读取清单或清理批次，计算精简率、缩短率和流程关键路径")
    _source_arguments(analyze)
    analyze.add_argument("--json", action="store_true", help="输出一个 JSON 对象")
    analyze.add_argument(
        "--out",
        type=Path,
        metavar="文件夹",
        help="另把事项、流程、流程再造提示、问题（及跨地区对标）各写成一个 Parquet 文件，供其他工具读取",
    )
    analyze.add_argument(
        "--benchmark",
        action="append",
        default=[],
        metavar="清单=天数",
        help="对比基准的平均时限，如 行政许可=11.5；只写天数则用于合计",
    )
    cluster = analyze.add_argument_group("在 Dask 集群上计算（全国目录等单机放不下的规模）")
    cluster.add_argument(
        "--engine",
        choices=["local", "dask"],
        default="local",
        help="local：本机（默认）；dask：在集群上计算各清单、部门和合计的指标、关键路径和跨地区对标",
    )
    cluster.add_argument(
        "--scheduler",
        metavar="地址",
        help="集群调度器的地址，如 tcp://10.0.0.5:8786；不给则在本机启动两个工作进程",
    )
    cluster.add_argument(
        "--partitions",
        type=int,
        metavar="份数",
        help="按事项编码分成的份数（默认每 256 MB 输入一份，至少为工作线程数的两倍）",
    )
    _export_parser(sub)
    _round_parsers(sub)
    return parser


def _db_argument(cmd: argparse.ArgumentParser) -> None:
    cmd.add_argument(
        "--db",
        metavar="URL",
        help="数据库地址（默认：环境变量 APPROVALS_DB_URL，或数据文件夹中的 SQLite 文件）",
    )


def _round_argument(cmd: argparse.ArgumentParser, *, required: bool) -> None:
    cmd.add_argument("--round", required=required, metavar="名称", help="清理批次的名称")
    _db_argument(cmd)


def _source_arguments(cmd: argparse.ArgumentParser) -> None:
    """What analyze and export read: files (with the settings) or a round (with its own)."""
    cmd.add_argument("paths", nargs="*", metavar="PATH", help="清单文件或文件夹（.xlsx / .xls / .csv）")
    _round_argument(cmd, required=False)
    cmd.add_argument("--snapshot", metavar="快照", help="用清理批次的某个快照（默认当前状态）")
    _settings_arguments(cmd)


def _settings_arguments(cmd: argparse.ArgumentParser) -> None:
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


def _export_parser(sub: Any) -> None:
    cmd = sub.add_parser("export", help="导出公布用目录（Excel、Word、CSV）和分析报告")
    _source_arguments(cmd)
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
    cmd.add_argument(
        "--region", metavar="地区", help="标题中的地区名称，如 示例市（默认取自清单自己的标题或填报单位）"
    )
    cmd.add_argument(
        "--level",
        metavar="层级",
        help="标题中的层级，如 县本级（默认：清理批次的层级，否则取自清单标题，都没有时用“市本级”）",
    )
    cmd.add_argument("--subtitle", default="", metavar="说明", help="标题下的说明行，如公布日期和文号")
    cmd.add_argument(
        "--holds",
        default="",
        metavar="名称",
        help="没有处理意见列的现行目录的名称（如 权责清单），用作保留目录的标题；默认按清单自己的标题判断",
    )
    cmd.add_argument(
        "--numbering",
        choices=["continuous", "per_department"],
        default="continuous",
        help="序号：continuous 连续编号，per_department 各部门分别编号",
    )
    cmd.add_argument(
        "--order",
        default="listed",
        metavar="顺序",
        help="部门顺序：listed 按出现顺序，count 按事项数，或逗号分隔的部门名称",
    )
    cmd.add_argument(
        "--limits-as-written",
        action=argparse.BooleanOptionalAction,
        default=None,
        help="办结时限照录各部门填写的原文（默认按 export.toml：统一写作“9个工作日”“即办”等）",
    )
    cmd.add_argument(
        "--extra",
        action="append",
        default=[],
        metavar="列名",
        help="另加的原表列（可重复）；也可以是目录中因全空而省去的列，如 fee（是否收费）",
    )
    cmd.add_argument(
        "--item", action="append", default=[], metavar="编码或名称", help="报告中画出流程图的事项（可重复）"
    )
    cmd.add_argument(
        "--verdicts",
        type=Path,
        metavar="FILE.csv",
        help="流程再造采纳情况表（应用中下载的 CSV）；清理批次则默认用其中保存的采纳情况",
    )


def _round_parsers(sub: Any) -> None:
    rounds = sub.add_parser("round", help="清理批次：建立、列出、改名")
    actions = rounds.add_subparsers(dest="action", required=True, title="操作", metavar="操作")
    create = actions.add_parser("create", help="建立清理批次")
    create.add_argument("name", metavar="NAME", help="名称，如 2026年市本级行政审批事项清理")
    create.add_argument("--level", default="", metavar="层级", help="如 市本级、县本级")
    _settings_arguments(create)
    _by_argument(create)
    _db_argument(create)
    listing = actions.add_parser("list", help="列出清理批次")
    listing.add_argument("--json", action="store_true", help="输出 JSON")
    _db_argument(listing)
    rename = actions.add_parser("rename", help="给清理批次改名")
    rename.add_argument("name", metavar="NAME", help="现在的名称")
    rename.add_argument("new_name", metavar="NEW", help="新名称")
    _by_argument(rename)
    _db_argument(rename)

    imports = sub.add_parser("import", help="把清单文件导入清理批次（原文件完整保存）")
    imports.add_argument("paths", nargs="+", metavar="PATH", help="清单文件或文件夹")
    _round_argument(imports, required=True)
    _by_argument(imports)

    decide = sub.add_parser("decide", help="修改一个事项的处理意见或承诺时限（记入修改记录）")
    _round_argument(decide, required=True)
    decide.add_argument("--item", required=True, metavar="ITEM", help="事项编码，或“实施部门/事项名称”")
    decide.add_argument("--decision", metavar="TEXT", help="处理意见，如 保留、取消、下放、合并至“某事项”")
    decide.add_argument("--limit", metavar="TEXT", help="承诺办结时限（清理后），如 10个工作日、即办")
    decide.add_argument("--reason", default="", metavar="TEXT", help="理由，如 常务会议决定")
    _by_argument(decide)

    snapshot = sub.add_parser("snapshot", help="保存清理批次当前状态的快照，如 初稿")
    _round_argument(snapshot, required=True)
    snapshot.add_argument("label", metavar="LABEL", help="快照名称")
    _by_argument(snapshot)

    compare = sub.add_parser("compare", help="对比两个快照（或快照与当前状态）")
    _round_argument(compare, required=True)
    compare.add_argument("source", metavar="FROM", help="快照名称，或 current（当前状态）")
    compare.add_argument("target", metavar="TO", help="快照名称，或 current（当前状态）")
    compare.add_argument("--json", action="store_true", help="输出一个 JSON 对象")

    history = sub.add_parser("history", help="修改记录：谁、何时、改了什么、原值、新值、理由")
    _round_argument(history, required=True)
    history.add_argument("--item", metavar="ITEM", help="只看一个事项（编码或“实施部门/事项名称”）")
    history.add_argument("--json", action="store_true", help="输出 JSON")

    roles = sub.add_parser("roles", help="权限：谁只能查看、谁可以修改清理批次")
    doing = roles.add_subparsers(dest="action", required=True, title="操作", metavar="操作")
    listing = doing.add_parser("list", help="列出已设置的权限")
    _round_argument(listing, required=False)
    grant = doing.add_parser("grant", help="给用户设置权限（本批次，或不给 --round 时所有批次）")
    grant.add_argument("user", metavar="USER", help="登录名或邮箱，如 lisi@example.org")
    grant.add_argument(
        "role", choices=["reader", "editor"], metavar="ROLE", help="reader（只读）或 editor（可修改）"
    )
    _round_argument(grant, required=False)
    _by_argument(grant)
    revoke = doing.add_parser("revoke", help="收回用户的权限")
    revoke.add_argument("user", metavar="USER", help="登录名或邮箱")
    _round_argument(revoke, required=False)
    _by_argument(revoke)


def _by_argument(cmd: argparse.ArgumentParser) -> None:
    cmd.add_argument(
        "--by",
        "--as",
        dest="by",
        metavar="姓名",
        help="以谁的身份修改、记入修改记录（默认：环境变量 APPROVALS_USER，否则系统用户名）",
    )
