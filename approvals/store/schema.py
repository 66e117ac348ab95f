"""The tables of the store, as SQLAlchemy Core tables (the migrations create them; this is what the
code reads and writes).

A round (清理批次) holds imports of files (each file's bytes kept once, by sha256), the analyst's
column corrections, item edits and 流程再造 verdicts, an audit row for every change, and snapshots
that freeze it. ``imported_items`` / ``imported_steps`` keep the rows each import read, as text,
for tools that query the database directly. ``roles`` says who may only read a round and who
may edit it.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from sqlalchemy import (
    Boolean,
    Column,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    MetaData,
    String,
    Table,
    Text,
    UniqueConstraint,
)
from sqlalchemy.types import TypeDecorator


class Moment(TypeDecorator[datetime]):
    """A moment in time, kept in UTC: SQLite stores no time zone, so one read back is taken as UTC."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Any) -> datetime | None:
        if value is None:
            return None
        return value.astimezone(UTC) if value.tzinfo else value.replace(tzinfo=UTC)

    def process_result_value(self, value: datetime | None, dialect: Any) -> datetime | None:
        if value is None:
            return None
        return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


metadata = MetaData()

rounds = Table(
    "rounds",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("name", String(200), nullable=False, unique=True),
    Column("level", String(50), nullable=False, default=""),
    Column("year", Integer, nullable=False),
    Column("settings", Text, nullable=False),  # approvals.settings.Settings.to_json()
    Column("created_at", Moment(), nullable=False),
    Column("created_by", String(100), nullable=False),
    Column("updated_at", Moment(), nullable=False),  # the last change of any kind
    Column("revision", Integer, nullable=False, default=0),  # +1 on every change to the round
    Column("version", Integer, nullable=False, default=1),  # optimistic lock of name and settings
)

files = Table(
    "files",
    metadata,
    Column("sha256", String(64), primary_key=True),
    Column("size", Integer, nullable=False),
    Column("data", LargeBinary, nullable=False),
)

imports = Table(
    "imports",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("round_id", Integer, ForeignKey("rounds.id", ondelete="CASCADE"), nullable=False),
    Column("sha256", String(64), ForeignKey("files.sha256"), nullable=False),
    Column("name", String(500), nullable=False),
    Column("size", Integer, nullable=False),
    Column("imported_at", Moment(), nullable=False),
    Column("imported_by", String(100), nullable=False),
    Column("contents", Text, nullable=False),  # JSON: [kind, department] pairs the file holds
    Column("readable", Boolean, nullable=False),
    Column("reason", Text, nullable=False, default=""),  # why it cannot be read at all
    Column("replaced_by", Integer, ForeignKey("imports.id"), nullable=True),
    Index("ix_imports_round", "round_id"),
)

overrides = Table(
    "overrides",
    metadata,
    Column("round_id", Integer, ForeignKey("rounds.id", ondelete="CASCADE"), primary_key=True),
    Column("key", String(64), primary_key=True),  # sha256 of the header signature
    Column("signature", Text, nullable=False),
    Column("corrections", Text, nullable=False),  # JSON: header → field
    Column("updated_at", Moment(), nullable=False),
    Column("updated_by", String(100), nullable=False),
)

item_versions = Table(
    "item_versions",
    metadata,
    Column("round_id", Integer, ForeignKey("rounds.id", ondelete="CASCADE"), primary_key=True),
    Column("item_key", String(500), primary_key=True),
    Column("version", Integer, nullable=False),  # optimistic lock: +1 on every saved edit of the item
    Column("updated_at", Moment(), nullable=False),
    Column("updated_by", String(100), nullable=False),
)

item_edits = Table(
    "item_edits",
    metadata,
    Column("round_id", Integer, ForeignKey("rounds.id", ondelete="CASCADE"), primary_key=True),
    Column("item_key", String(500), primary_key=True),
    Column("field", String(40), primary_key=True),
    Column("value", Text, nullable=False),
)

verdicts = Table(
    "verdicts",
    metadata,
    Column("round_id", Integer, ForeignKey("rounds.id", ondelete="CASCADE"), primary_key=True),
    Column("key", String(64), primary_key=True),  # sha256 of the flag key
    Column("flag_key", Text, nullable=False),
    Column("verdict", String(20), nullable=False),
    Column("updated_at", Moment(), nullable=False),
    Column("updated_by", String(100), nullable=False),
)

audit = Table(
    "audit",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("round_id", Integer, ForeignKey("rounds.id", ondelete="CASCADE"), nullable=False),
    Column("at", Moment(), nullable=False),
    Column("by", String(100), nullable=False),
    Column(
        "kind", String(20), nullable=False
    ),  # import / edit / mapping / verdict / settings / round / snapshot
    Column("item_key", String(500), nullable=False, default=""),
    Column("item", Text, nullable=False, default=""),  # the item's name as the lists give it
    Column("department", Text, nullable=False, default=""),
    Column("field", String(200), nullable=False, default=""),
    Column("old", Text, nullable=False, default=""),
    Column("new", Text, nullable=False, default=""),
    Column("reason", Text, nullable=False, default=""),
    Index("ix_audit_round_item", "round_id", "item_key"),
)

snapshots = Table(
    "snapshots",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("round_id", Integer, ForeignKey("rounds.id", ondelete="CASCADE"), nullable=False),
    Column("label", String(200), nullable=False),
    Column("created_at", Moment(), nullable=False),
    Column("created_by", String(100), nullable=False),
    Column("state", Text, nullable=False),  # JSON: imports, overrides, edits, verdicts, settings, audit mark
    UniqueConstraint("round_id", "label", name="uq_snapshots_round_label"),
)

imported_items = Table(
    "imported_items",
    metadata,
    Column("import_id", Integer, ForeignKey("imports.id", ondelete="CASCADE"), primary_key=True),
    Column("position", Integer, primary_key=True),
    Column("sheet", Text, nullable=False),
    Column("row", Integer, nullable=True),
    Column("code", Text, nullable=False),
    Column("name", Text, nullable=False),
    Column("sub_item", Text, nullable=False),
    Column("department", Text, nullable=False),
    Column("category", Text, nullable=False),
    Column("legal_basis", Text, nullable=False),
    Column("statutory", Text, nullable=False),
    Column("original", Text, nullable=False),
    Column("committed", Text, nullable=False),
    Column("decision", Text, nullable=False),
)

imported_steps = Table(
    "imported_steps",
    metadata,
    Column("import_id", Integer, ForeignKey("imports.id", ondelete="CASCADE"), primary_key=True),
    Column("position", Integer, primary_key=True),
    Column("sheet", Text, nullable=False),
    Column("row", Integer, nullable=True),
    Column("code", Text, nullable=False),
    Column("item_name", Text, nullable=False),
    Column("department", Text, nullable=False),
    Column("version", Text, nullable=False),
    Column("step_no", Text, nullable=False),
    Column("step_name", Text, nullable=False),
    Column("office", Text, nullable=False),
    Column("person", Text, nullable=False),
    Column("limit", Text, nullable=False),
    Column("predecessors", Text, nullable=False),
)

roles = Table(
    "roles",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("user", String(100), nullable=False),  # the signed-in name or e-mail, or a CLI user
    Column("round_id", Integer, ForeignKey("rounds.id", ondelete="CASCADE"), nullable=True),  # None: all
    Column("role", String(20), nullable=False),  # reader / editor
    Column("granted_at", Moment(), nullable=False),
    Column("granted_by", String(100), nullable=False),
    Index("ix_roles_user", "user"),
)

ITEM_ROW_FIELDS = [
    c.name for c in imported_items.columns if c.name not in ("import_id", "position", "sheet", "row")
]
STEP_ROW_FIELDS = [
    c.name for c in imported_steps.columns if c.name not in ("import_id", "position", "sheet", "row")
]
