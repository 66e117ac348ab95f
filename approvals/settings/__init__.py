"""Settings: every table of words and every threshold, the targets, the calendar and the year.

One :class:`Settings` object holds all of it, loaded and checked once (:func:`load_settings`) and
passed explicitly to whatever needs it; nothing in the package reads a settings file of its own.
A bad value in a file is a :class:`~approvals.errors.SettingsError` naming the file, the key and
the value. The files ship inside the package (approvals/data/); a folder of the analyst's own
(``--settings DIR`` or ``APPROVALS_SETTINGS``) replaces them file by file.

Settings travel with the data: a Dataset keeps the settings it was built with, and a clean-up
round stores them (:meth:`Settings.data` is plain data, :func:`settings_from` rebuilds them).
Two Settings are equal when their data and year are; the hash is that of their digest, so
caches key on them.

May import: the other foundation modules (errors, text, model, problems, workdays) only.
"""

from __future__ import annotations

import copy
import hashlib
import json
import os
import tomllib
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

import pandas as pd

from approvals.errors import OptionError, SettingsError
from approvals.settings.columns import Vocabulary, vocabulary_from
from approvals.settings.decisions import DecisionRules, decision_rules_from, decision_rules_of
from approvals.settings.export import Layout, layout_from
from approvals.settings.legal import Tiers, tiers_from
from approvals.settings.limits import LimitRules, limit_rules_from
from approvals.settings.redesign import RedesignRules, redesign_rules_from
from approvals.settings.similar import Similarity, similarity_from
from approvals.settings.targets import Targets, targets_from
from approvals.settings.toml import toml_text
from approvals.settings.values import Section
from approvals.workdays import WorkCalendar

DEFAULTS_DIR = Path(__file__).resolve().parent.parent / "data"
SETTINGS_ENV = "APPROVALS_SETTINGS"

# Each settings file: what it holds (Chinese, for messages and docs).
SETTINGS_FILES: dict[str, str] = {
    "columns.toml": "列名识别表",
    "decisions.toml": "处理意见归类表",
    "limits.toml": "办结时限的写法与单位",
    "holidays.toml": "法定节假日安排（国务院公布的年份之外）",
    "targets.toml": "考核目标",
    "redesign.toml": "流程再造规则的关键词、名称和阈值",
    "legal_tiers.toml": "设定依据层级的识别规则",
    "similar.toml": "相近事项的比较",
    "export.toml": "公布用目录的标题、列、字体和页面",
}
# The files whose values change what reading a department file gives (the rest change figures,
# flags or documents only): a Dataset need not be rebuilt when only the others change.
READING_FILES = ("columns.toml", "decisions.toml", "limits.toml", "holidays.toml")
EARLIEST_YEAR, LATEST_YEAR = 2000, 2100


def _compiled(file: str, compile: Callable[[Section], Any], data: Mapping[str, Any]) -> Any:
    return compile(Section(file, data))


@dataclass(frozen=True, eq=False)
class Settings:
    """Every setting, compiled, with the data it was compiled from and the calendar year.

    ``year`` is the year whose working days convert natural days, months and hours.

    >>> settings.year, settings.targets.streamlining_for("行政许可")
    (2026, 0.3)
    >>> settings.with_year(2025) == settings, settings.with_year(2026) == settings
    (False, True)
    """

    data: Mapping[str, Mapping[str, Any]] = field(repr=False)  # file name → its TOML data
    year: int
    columns: Vocabulary = field(init=False, repr=False)
    decisions: DecisionRules = field(init=False, repr=False)
    limits: LimitRules = field(init=False, repr=False)
    calendar: WorkCalendar = field(init=False, repr=False)
    targets: Targets = field(init=False, repr=False)
    redesign: RedesignRules = field(init=False, repr=False)
    legal: Tiers = field(init=False, repr=False)
    similar: Similarity = field(init=False, repr=False)
    export: Layout = field(init=False, repr=False)
    digest: str = field(init=False)
    file_digests: Mapping[str, str] = field(init=False, repr=False)  # file name → digest of its data
    reading_digest: str = field(init=False, repr=False)  # what reading depends on: reading files, year

    def __post_init__(self) -> None:
        missing = [f for f in SETTINGS_FILES if f not in self.data]
        if missing:
            raise SettingsError(missing[0], "", None, "缺少这个设置文件")
        # The year is an option (--year), not a value of a file: its error names no file.
        if isinstance(self.year, bool) or not isinstance(self.year, int):
            raise OptionError(f"年度“{self.year}”有误：应为整数，如 2026")
        if not EARLIEST_YEAR <= self.year <= LATEST_YEAR:
            raise OptionError(f"年度“{self.year}”有误：应在 {EARLIEST_YEAR} 至 {LATEST_YEAR} 之间")
        d = self.data
        parts = {
            "columns": _compiled("columns.toml", vocabulary_from, d["columns.toml"]),
            "decisions": _compiled("decisions.toml", decision_rules_from, d["decisions.toml"]),
            "limits": _compiled("limits.toml", limit_rules_from, d["limits.toml"]),
            "calendar": WorkCalendar(d["holidays.toml"], "holidays.toml"),
            "targets": _compiled("targets.toml", targets_from, d["targets.toml"]),
            "redesign": _compiled("redesign.toml", redesign_rules_from, d["redesign.toml"]),
            "legal": _compiled("legal_tiers.toml", tiers_from, d["legal_tiers.toml"]),
            "similar": _compiled("similar.toml", similarity_from, d["similar.toml"]),
            "export": _compiled("export.toml", layout_from, d["export.toml"]),
            "digest": _digest(d, self.year),
            "file_digests": {name: _digest(d[name], 0) for name in SETTINGS_FILES},
        }
        parts["reading_digest"] = _digest([parts["file_digests"][f] for f in READING_FILES], self.year)
        for name, value in parts.items():
            object.__setattr__(self, name, value)

    def __hash__(self) -> int:
        return hash(self.digest)

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Settings) and other.digest == self.digest

    def replaced(self, file: str, data: Mapping[str, Any]) -> Settings:
        """These settings with one file's data replaced (checked like a file read from disk)."""
        if file not in SETTINGS_FILES:
            raise SettingsError(file, "", None, f"不是设置文件（可用：{'、'.join(SETTINGS_FILES)}）")
        return Settings({**self.data, file: copy.deepcopy(dict(data))}, self.year)

    def with_year(self, year: int) -> Settings:
        return Settings(self.data, year)

    def with_targets(self, targets: Targets) -> Settings:
        return self.replaced("targets.toml", targets.data())

    def with_decisions(self, table: pd.DataFrame) -> Settings:
        """These settings with another decision table (as edited on the 导入 screen)."""
        return self.replaced("decisions.toml", decision_rules_of(table).data())

    def to_json(self) -> str:
        """The settings as JSON: what a clean-up round stores (:func:`settings_from_json`)."""
        return json.dumps({"year": self.year, "files": self.data}, ensure_ascii=False, default=_plain)


def _plain(value: Any) -> Any:
    """TOML dates and times as text, for JSON."""
    return value.isoformat() if hasattr(value, "isoformat") else str(value)


def _digest(data: Any, year: int) -> str:
    text = json.dumps([data, year], ensure_ascii=False, sort_keys=True, default=_plain)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:20]


def read_settings_file(path: Path) -> dict[str, Any]:
    """One settings file's data; a file that is not valid TOML is a SettingsError naming it."""
    try:
        text = path.read_bytes().decode("utf-8-sig")
    except OSError as exc:
        raise SettingsError(path.name, "", None, f"无法打开（{exc.strerror or exc}）") from None
    except UnicodeDecodeError:
        raise SettingsError(path.name, "", None, "不是 UTF-8 编码的文本文件") from None
    try:
        return tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise SettingsError(path.name, "", None, f"不是有效的 TOML 文件（{exc}）") from None


def settings_from(data: Mapping[str, Mapping[str, Any]], year: int) -> Settings:
    """Settings from the data of every file (as :meth:`Settings.data` gives it) and a year."""
    return Settings({name: copy.deepcopy(dict(value)) for name, value in data.items()}, year)


def settings_from_json(text: str) -> Settings:
    """Settings back from :meth:`Settings.to_json`.

    >>> settings_from_json(settings.to_json()) == settings
    True
    """
    raw = json.loads(text)
    holidays = raw["files"].get("holidays.toml", {})
    raw["files"]["holidays.toml"] = {
        year: {k: [_date_back(v) for v in values] if k != "source" else values for k, values in table.items()}
        for year, table in holidays.items()
    }
    return settings_from(raw["files"], int(raw["year"]))


def _date_back(value: Any) -> Any:
    if isinstance(value, str):
        return date.fromisoformat(value)
    if isinstance(value, dict):
        return {k: _date_back(v) for k, v in value.items()}
    return value


def load_settings(
    folder: Path | str | None = None,
    *,
    year: int | None = None,
    files: Mapping[str, Path | str] | None = None,
) -> Settings:
    """Read every settings file and check it, once.

    Each file comes from ``files`` (file name → path, e.g. ``{"decisions.toml": path}`` for the
    command line's ``--decisions``), else from ``folder`` (or the folder the environment variable
    APPROVALS_SETTINGS names) where it has the file, else from the bundled defaults. ``year``
    defaults to this year.
    """
    chosen = folder if folder is not None else os.environ.get(SETTINGS_ENV) or None
    own = Path(chosen) if chosen else None
    if own is not None and not own.is_dir():
        raise SettingsError(str(own.name or own), "", None, "设置文件夹不存在")
    given = {name: Path(path) for name, path in (files or {}).items()}
    for name in given:
        if name not in SETTINGS_FILES:
            raise SettingsError(name, "", None, f"不是设置文件（可用：{'、'.join(SETTINGS_FILES)}）")
    data = {name: read_settings_file(given.get(name) or settings_path(name, own)) for name in SETTINGS_FILES}
    return Settings(data, date.today().year if year is None else year)


def settings_path(name: str, folder: Path | str | None = None) -> Path:
    """Where :func:`load_settings` reads a settings file from when no path is given for it:
    ``folder`` (or the folder APPROVALS_SETTINGS names) where it has the file, else the bundled
    default."""
    chosen = folder if folder is not None else os.environ.get(SETTINGS_ENV) or None
    own = Path(chosen) / name if chosen else None
    return own if own is not None and own.is_file() else DEFAULTS_DIR / name


def settings_file_text(settings: Settings, name: str) -> bytes:
    """One settings file as ``settings`` hold it, for the analyst to read or keep: the file it
    was read from, comments and all, while its data is unchanged; else (a table edited on a
    screen, a round's own targets) the data written as TOML under a note saying so.

    >>> settings_file_text(settings, "targets.toml") == (DEFAULTS_DIR / "targets.toml").read_bytes()
    True
    >>> edited = settings.with_targets(Targets(streamlining_default=0.4))
    >>> tomllib.loads(settings_file_text(edited, "targets.toml").decode()) == edited.data["targets.toml"]
    True
    """
    data = settings.data[name]
    try:
        raw = settings_path(name).read_bytes()
        if tomllib.loads(raw.decode("utf-8-sig")) == data:
            return raw
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError):
        pass
    note = f"{SETTINGS_FILES[name]}：当前使用的设置（已在界面上修改，原文件的注释未保留）"
    return toml_text(data, note).encode("utf-8")
