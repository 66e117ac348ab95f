"""An older database is brought up to date on opening, keeps what it held, and says so."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from sample import SETTINGS

from approvals.store.db import engine_for, head_revision, upgrade
from approvals.store.rounds import Store

ROOT = Path(__file__).resolve().parents[2]


def first_revision_database(url: str) -> None:
    """A database as the first release left it: schema 0001 with a round in it."""
    engine = engine_for(url)
    opened = upgrade(engine, "0001")
    assert opened.after == "0001"
    Store(engine, opened).create_round("旧批次", SETTINGS, level="县本级", by="张三")
    engine.dispose()


def test_an_older_database_is_upgraded_on_opening_and_keeps_its_rounds(db_url: str) -> None:
    first_revision_database(db_url)
    store = Store.open(db_url)
    try:
        assert (store.opened.before, store.opened.after) == ("0001", head_revision())
        assert store.opened.note == f"数据库已从版本 0001 升级到 {head_revision()}，原有数据保留。"
        kept = store.round("旧批次")
        assert (kept.level, kept.created_by) == ("县本级", "张三")
        assert store.history(kept)["new"].tolist() == ["旧批次"]
    finally:
        store.close()
    again = Store.open(db_url)  # the second opening has nothing to do
    assert again.opened.note is None
    again.close()


def test_the_command_line_says_it_upgraded_the_database(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / '旧.sqlite3'}"
    first_revision_database(url)
    result = subprocess.run(
        [sys.executable, "-m", "approvals", "round", "list", "--db", url],
        cwd=ROOT, capture_output=True, text=True, timeout=120, check=False,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    assert "数据库已从版本 0001 升级到" in result.stderr
    assert "旧批次" in result.stdout


def test_the_migrations_make_exactly_the_tables_the_code_reads(tmp_path: Path) -> None:
    from alembic.autogenerate import compare_metadata
    from alembic.runtime.migration import MigrationContext

    from approvals.store.schema import metadata

    engine = engine_for(f"sqlite:///{tmp_path / 'neu.sqlite3'}")
    assert upgrade(engine).after == head_revision() == "0003"
    with engine.connect() as c:
        differences = compare_metadata(MigrationContext.configure(c), metadata)
    engine.dispose()
    assert differences == []
    assert "roles" in metadata.tables
