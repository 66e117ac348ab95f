"""The command line: ``python -m approvals COMMAND …`` (docs/cli.md is its contract).

Exit 0 when the command did what it was asked; exit 2 with one Chinese line on stderr when a file
cannot be read at all, a settings file holds a bad value, an option is wrong or the database
refuses (an :class:`~approvals.errors.ApprovalsError`); exit 1 on a defect, with "内部错误" on
stderr and the traceback in a log file. A thin shell: figures come from approvals.analysis,
documents from approvals.publish, rounds from approvals.store.

May import: everything.
"""

from __future__ import annotations

import os
import sys
import tempfile
import traceback
from collections.abc import Sequence
from datetime import datetime
from pathlib import Path

from approvals.cli import commands
from approvals.cli.parser import build_parser
from approvals.errors import ApprovalsError

LOG_ENV = "APPROVALS_LOG"
LOG_FILE = "approvals-internal-errors.log"

__all__ = ["LOG_ENV", "build_parser", "main", "run"]


def run(argv: Sequence[str]) -> int:
    args = build_parser().parse_args(argv)
    return commands.COMMANDS[args.command](args)


def main(argv: Sequence[str] | None = None) -> int:
    try:
        return run(sys.argv[1:] if argv is None else argv)
    except BrokenPipeError:  # the reader of our output went away (e.g. `| head`)
        sys.stdout = open(os.devnull, "w")  # noqa: SIM115 - silences the flush at exit
        return 0
    except ApprovalsError as exc:
        print(" ".join(str(exc).split("\n")), file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        return 130
    except Exception as exc:
        if _database_error(exc):  # the database went away or refused mid-way
            reason = " ".join(str(getattr(exc, "orig", None) or exc).split())
            print(f"数据库操作失败，未作任何修改：{reason}", file=sys.stderr)
            return 2
        # a defect: one Chinese line here, the traceback in the log
        where = _log_defect()
        print(
            f"内部错误：程序出现缺陷，未能完成。详细信息已写入 {where}，请将该文件交给维护人员。",
            file=sys.stderr,
        )
        return 1


def _database_error(exc: Exception) -> bool:
    """Whether ``exc`` is SQLAlchemy's; asked without importing it, which only the commands on
    rounds need."""
    errors = sys.modules.get("sqlalchemy.exc")
    return errors is not None and isinstance(exc, errors.SQLAlchemyError)


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
