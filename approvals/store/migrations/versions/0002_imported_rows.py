"""The rows each import read, as text, for tools that query the database directly.

Revision ID: 0002
Revises: 0001
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None

ITEM_FIELDS = ("code", "name", "sub_item", "department", "category", "legal_basis", "statutory", "original",
               "committed", "decision")  # fmt: skip
STEP_FIELDS = ("code", "item_name", "department", "version", "step_no", "step_name", "office", "person",
               "limit", "predecessors")  # fmt: skip


def _rows(name: str, fields: tuple[str, ...]) -> None:
    op.create_table(
        name,
        sa.Column("import_id", sa.Integer, sa.ForeignKey("imports.id", ondelete="CASCADE"), primary_key=True),
        sa.Column("position", sa.Integer, primary_key=True),
        sa.Column("sheet", sa.Text, nullable=False),
        sa.Column("row", sa.Integer, nullable=True),
        *(sa.Column(field, sa.Text, nullable=False) for field in fields),
    )


def upgrade() -> None:
    _rows("imported_items", ITEM_FIELDS)
    _rows("imported_steps", STEP_FIELDS)


def downgrade() -> None:
    op.drop_table("imported_steps")
    op.drop_table("imported_items")
