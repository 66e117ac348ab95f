"""What the commands read from the command line: spreadsheet files and folders, benchmarks, and
the settings (loaded here, once per run)."""

from __future__ import annotations

import argparse
from collections.abc import Iterator, Sequence
from pathlib import Path

from approvals.errors import OptionError
from approvals.read.files import SPREADSHEET_SUFFIXES
from approvals.settings import Settings, load_settings

SETTINGS_OPTIONS = ("year", "settings", "decisions", "targets")


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


def benchmarks(values: Sequence[str]) -> dict[str, float]:
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


def settings_of(args: argparse.Namespace) -> Settings:
    """The settings, loaded once: the folder and files named, else the bundled ones."""
    files = {
        name: path
        for name, path in (("decisions.toml", args.decisions), ("targets.toml", args.targets))
        if path is not None
    }
    return load_settings(args.settings, year=args.year, files=files)
