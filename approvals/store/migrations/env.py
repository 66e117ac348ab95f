"""Alembic's entry point for the store's migrations: run on the connection the store hands over
(``config.attributes["connection"]``), never on one of its own."""

from __future__ import annotations

from alembic import context

from approvals.store.schema import metadata

connection = context.config.attributes["connection"]
context.configure(connection=connection, target_metadata=metadata, render_as_batch=True)
with context.begin_transaction():
    context.run_migrations()
