"""Rounds, files and imports, the analyst's corrections, edits and verdicts, the audit trail and
snapshots.

Revision ID: 0001
Revises:
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None


def _when(name: str) -> sa.Column:
    return sa.Column(name, sa.DateTime(timezone=True), nullable=False)


def _round_key() -> sa.Column:
    return sa.Column("round_id", sa.Integer, sa.ForeignKey("rounds.id", ondelete="CASCADE"), primary_key=True)


def upgrade() -> None:
    op.create_table(
        "rounds",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("name", sa.String(200), nullable=False, unique=True),
        sa.Column("level", sa.String(50), nullable=False),
        sa.Column("year", sa.Integer, nullable=False),
        sa.Column("settings", sa.Text, nullable=False),
        _when("created_at"),
        sa.Column("created_by", sa.String(100), nullable=False),
        _when("updated_at"),
        sa.Column("revision", sa.Integer, nullable=False),
        sa.Column("version", sa.Integer, nullable=False),
    )
    op.create_table(
        "files",
        sa.Column("sha256", sa.String(64), primary_key=True),
        sa.Column("size", sa.Integer, nullable=False),
        sa.Column("data", sa.LargeBinary, nullable=False),
    )
    op.create_table(
        "imports",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("round_id", sa.Integer, sa.ForeignKey("rounds.id", ondelete="CASCADE"), nullable=False),
        sa.Column("sha256", sa.String(64), sa.ForeignKey("files.sha256"), nullable=False),
        sa.Column("name", sa.String(500), nullable=False),
        sa.Column("size", sa.Integer, nullable=False),
        _when("imported_at"),
        sa.Column("imported_by", sa.String(100), nullable=False),
        sa.Column("contents", sa.Text, nullable=False),
        sa.Column("readable", sa.Boolean, nullable=False),
        sa.Column("reason", sa.Text, nullable=False),
        sa.Column("replaced_by", sa.Integer, sa.ForeignKey("imports.id"), nullable=True),
    )
    op.create_index("ix_imports_round", "imports", ["round_id"])
    op.create_table(
        "overrides",
        _round_key(),
        sa.Column("key", sa.String(64), primary_key=True),
        sa.Column("signature", sa.Text, nullable=False),
        sa.Column("corrections", sa.Text, nullable=False),
        _when("updated_at"),
        sa.Column("updated_by", sa.String(100), nullable=False),
    )
    op.create_table(
        "item_versions",
        _round_key(),
        sa.Column("item_key", sa.String(500), primary_key=True),
        sa.Column("version", sa.Integer, nullable=False),
        _when("updated_at"),
        sa.Column("updated_by", sa.String(100), nullable=False),
    )
    op.create_table(
        "item_edits",
        _round_key(),
        sa.Column("item_key", sa.String(500), primary_key=True),
        sa.Column("field", sa.String(40), primary_key=True),
        sa.Column("value", sa.Text, nullable=False),
    )
    op.create_table(
        "verdicts",
        _round_key(),
        sa.Column("key", sa.String(64), primary_key=True),
        sa.Column("flag_key", sa.Text, nullable=False),
        sa.Column("verdict", sa.String(20), nullable=False),
        _when("updated_at"),
        sa.Column("updated_by", sa.String(100), nullable=False),
    )
    op.create_table(
        "audit",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("round_id", sa.Integer, sa.ForeignKey("rounds.id", ondelete="CASCADE"), nullable=False),
        _when("at"),
        sa.Column("by", sa.String(100), nullable=False),
        sa.Column("kind", sa.String(20), nullable=False),
        sa.Column("item_key", sa.String(500), nullable=False),
        sa.Column("item", sa.Text, nullable=False),
        sa.Column("department", sa.Text, nullable=False),
        sa.Column("field", sa.String(200), nullable=False),
        sa.Column("old", sa.Text, nullable=False),
        sa.Column("new", sa.Text, nullable=False),
        sa.Column("reason", sa.Text, nullable=False),
    )
    op.create_index("ix_audit_round_item", "audit", ["round_id", "item_key"])
    op.create_table(
        "snapshots",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("round_id", sa.Integer, sa.ForeignKey("rounds.id", ondelete="CASCADE"), nullable=False),
        sa.Column("label", sa.String(200), nullable=False),
        _when("created_at"),
        sa.Column("created_by", sa.String(100), nullable=False),
        sa.Column("state", sa.Text, nullable=False),
        sa.UniqueConstraint("round_id", "label", name="uq_snapshots_round_label"),
    )


def downgrade() -> None:
    for table in ("snapshots", "audit", "verdicts", "item_edits", "item_versions", "overrides", "imports"):
        op.drop_table(table)
    op.drop_table("files")
    op.drop_table("rounds")
