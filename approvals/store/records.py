"""What the store hands out: rounds, imports, snapshots, a round's state, and the conflict an
edit over someone else's meets. Plain frozen records; the database stays behind
:class:`~approvals.store.rounds.Store`."""

from __future__ import annotations

import getpass
import os
from dataclasses import dataclass, field
from datetime import UTC, datetime

import pandas as pd

from approvals.errors import ApprovalsError
from approvals.settings import Settings
from approvals.workspace import Upload, Workspace

CURRENT = "current"  # what the command line and the history screen call the round as it is now
CURRENT_LABEL = "当前"
NO_NAME = "未署名"
USER_ENV = "APPROVALS_USER"  # who the command line acts as when --by is not given
READER, EDITOR = "reader", "editor"
ROLE_LABELS = {READER: "只读", EDITOR: "可修改"}
ALL_ROUNDS = "所有清理批次"
KIND_LABELS = {
    "round": "清理批次",
    "import": "导入",
    "mapping": "列对应",
    "edit": "修改事项",
    "verdict": "流程再造采纳",
    "settings": "设置",
    "snapshot": "快照",
    "role": "权限",
}


def now() -> datetime:
    return datetime.now(UTC)


def who(by: str | None) -> str:
    """The name an audit row carries: the one given, else ``APPROVALS_USER``, else the operating
    system's user name."""
    name = " ".join((by or os.environ.get(USER_ENV) or "").split())
    if name:
        return name[:100]
    try:
        return getpass.getuser() or NO_NAME
    except (KeyError, OSError):
        return NO_NAME


def local_time(at: datetime) -> str:
    """A stored moment as the analyst reads it (this computer's time zone, to the minute)."""
    if isinstance(at, pd.Timestamp):
        at = at.to_pydatetime()
    return at.astimezone().strftime("%Y-%m-%d %H:%M")


@dataclass(frozen=True)
class Round:
    """One clean-up round: its name, level, calendar year and the settings kept with it."""

    id: int
    name: str
    level: str
    year: int
    settings: Settings = field(repr=False)
    created_at: datetime
    created_by: str
    updated_at: datetime
    revision: int  # grows with every change to the round
    version: int  # grows with every change of its name or settings


@dataclass(frozen=True)
class ImportRecord:
    """One file imported into a round."""

    id: int
    name: str
    sha256: str
    size: int
    imported_at: datetime
    imported_by: str
    readable: bool
    reason: str
    replaced_by: int | None
    contents: tuple[tuple[str, str], ...]  # (kind, department) pairs the file holds


@dataclass(frozen=True)
class ImportResult:
    """What an import did: the files added, the files already in the round (kept once), the
    earlier files a department's resubmission replaced (earlier name, new name), and the files
    kept although they cannot be read (name, reason)."""

    added: list[ImportRecord]
    already: list[str]
    replaced: list[tuple[str, str]]
    unreadable: list[tuple[str, str]]


@dataclass(frozen=True)
class Snapshot:
    """A frozen state of a round, by label (初稿, 提交常务会议稿, …)."""

    label: str
    created_at: datetime
    created_by: str
    revision: int  # the round's revision it froze


@dataclass(frozen=True, eq=False)
class RoundState:
    """A round as it is now, or as one of its snapshots froze it."""

    round: Round
    snapshot: Snapshot | None
    settings: Settings
    files: tuple[Upload, ...]
    overrides: dict[str, dict[str, str]]
    edits: pd.DataFrame
    verdicts: dict[str, str]
    versions: dict[str, int]  # item_key → the version its edits are at (empty for a snapshot)
    revision: int
    audit_mark: int  # the last audit row this state includes
    import_ids: tuple[int, ...]  # the imports whose files it holds

    @property
    def label(self) -> str:
        if self.snapshot is None:
            return self.round.name
        return f"{self.round.name}（快照“{self.snapshot.label}”）"

    @property
    def source(self) -> str:
        """The line a document made from this state carries."""
        if self.snapshot is None:
            return f"数据来源：清理批次“{self.round.name}”（{local_time(now())} 的当前状态）"
        return (
            f"数据来源：清理批次“{self.round.name}”的快照“{self.snapshot.label}”"
            f"（{local_time(self.snapshot.created_at)}，{self.snapshot.created_by}）"
        )

    def workspace(self) -> Workspace:
        return Workspace(
            self.label,
            self.files,
            self.settings,
            overrides=self.overrides,
            edits=self.edits,
            verdicts=self.verdicts,
        )


@dataclass(frozen=True)
class Change:
    """One field of one item as an audit row shows it (Chinese label and values)."""

    field: str
    old: str
    new: str


class EditConflict(ApprovalsError):
    """Someone else saved the item since the version an edit was based on.

    ``changes`` are what they saved (field label, their value); ``version`` is the item's
    version now, which a save that applies the analyst's edit anyway is based on.
    """

    def __init__(self, item: str, by: str, at: datetime, changes: list[Change], version: int) -> None:
        self.item, self.by, self.at, self.changes, self.version = item, by, at, changes, version
        what = "，".join(f"{c.field}改为“{c.new}”" for c in changes) or "修改了此事项"
        super().__init__(
            f"事项“{item}”已被{by}在 {local_time(at)} 修改（{what}），您的修改尚未保存："
            "可以保留对方的修改，也可以在看过之后仍用您的修改。"
        )


@dataclass(frozen=True)
class Grant:
    """A role given to a user: for one round (its id and name) or for all (None)."""

    user: str
    round_id: int | None
    round_name: str
    role: str
    granted_at: datetime
    granted_by: str

    @property
    def scope(self) -> str:
        return f"清理批次“{self.round_name}”" if self.round_id is not None else ALL_ROUNDS
