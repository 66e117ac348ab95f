"""The store: clean-up rounds in a database (SQLite by default, PostgreSQL when one is named), with
every uploaded file kept, every change audited, snapshots, and optimistic locking of item edits.

May import: everything up to approvals.workspace.
"""
