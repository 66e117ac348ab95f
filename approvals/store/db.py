"""Where the store lives and how it is opened: SQLite in the data folder by default, any database
SQLAlchemy reaches (PostgreSQL) when ``APPROVALS_DB_URL`` or ``--db`` names one; the schema brought
up to date by the migrations on every open.

SQLite runs in WAL mode (readers never wait for the writer) with foreign keys on and a busy
timeout, so the app's sessions and a command line can share one file.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Engine, create_engine, event
from sqlalchemy.engine import make_url
from sqlalchemy.exc import ArgumentError, OperationalError, SQLAlchemyError

from approvals.errors import OptionError

DB_ENV = "APPROVALS_DB_URL"
DATA_ENV = "APPROVALS_DATA_DIR"
DB_FILE = "approvals.sqlite3"
MIGRATIONS = Path(__file__).resolve().parent / "migrations"
BUSY_TIMEOUT_MS = 30_000
UPGRADE_LOCK = 20261201  # the PostgreSQL advisory lock an upgrade holds


def data_dir() -> Path:
    """The data folder: ``APPROVALS_DATA_DIR``, else ``var/`` beside the app in a checkout, else
    the user's own data folder (~/.local/share/approvals)."""
    chosen = os.environ.get(DATA_ENV)
    if chosen:
        return Path(chosen).expanduser()
    checkout = Path(__file__).resolve().parents[2]
    if (checkout / "app.py").is_file() and (checkout / "approvals").is_dir():
        return checkout / "var"
    base = os.environ.get("XDG_DATA_HOME") or str(Path.home() / ".local" / "share")
    return Path(base) / "approvals"


def default_url() -> str:
    """``APPROVALS_DB_URL``, else the SQLite file in the data folder."""
    return os.environ.get(DB_ENV) or f"sqlite:///{data_dir() / DB_FILE}"


def shown_url(url: str) -> str:
    """A database URL as it may be printed: the password hidden.

    >>> shown_url("postgresql+psycopg://office:secret@127.0.0.1:5432/approvals")
    'postgresql+psycopg://office:***@127.0.0.1:5432/approvals'
    """
    try:
        return make_url(url).render_as_string(hide_password=True)
    except ArgumentError:
        return url


def _sqlite_pragmas(connection: Any, _record: Any) -> None:
    # The driver's own transaction handling begins late and never for reads; the store's
    # transactions begin where SQLAlchemy says (see _sqlite_begin), so a read sees one moment.
    connection.isolation_level = None
    cursor = connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute(f"PRAGMA busy_timeout={BUSY_TIMEOUT_MS}")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.close()


def _sqlite_begin(connection: Any) -> None:
    """BEGIN, or BEGIN IMMEDIATE for a writer (execution option ``write``): a writer takes the
    lock before it reads, so two writers queue instead of one failing on its upgrade."""
    write = connection.get_execution_options().get("write", False)
    connection.exec_driver_sql("BEGIN IMMEDIATE" if write else "BEGIN")


def engine_for(url: str) -> Engine:
    """An engine on ``url``; for SQLite the folder is created and the pragmas set on every
    connection. A URL SQLAlchemy cannot use is an OptionError naming it."""
    try:
        parsed = make_url(url)
    except ArgumentError:
        raise OptionError(f"数据库地址“{url}”无法识别（如 sqlite:///数据/approvals.sqlite3）") from None
    if parsed.get_backend_name() == "sqlite":
        if parsed.database and parsed.database != ":memory:":
            Path(parsed.database).expanduser().parent.mkdir(parents=True, exist_ok=True)
        engine = create_engine(parsed, connect_args={"timeout": BUSY_TIMEOUT_MS / 1000})
        event.listen(engine, "connect", _sqlite_pragmas)
        event.listen(engine, "begin", _sqlite_begin)
        return engine
    try:
        return create_engine(parsed, pool_pre_ping=True)
    except (ArgumentError, ImportError) as exc:
        raise OptionError(f"无法连接数据库“{shown_url(url)}”：{exc}") from None


def _config(connection: Any) -> Config:
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    config.attributes["connection"] = connection
    return config


def head_revision() -> str:
    head = ScriptDirectory.from_config(_config(None)).get_current_head()
    assert head is not None
    return head


@dataclass(frozen=True)
class Upgrade:
    """What opening the database did to its schema: the revision it had (None for a new one)
    and the one it has now."""

    before: str | None
    after: str

    @property
    def note(self) -> str | None:
        """What to tell the user: nothing for a new or current database."""
        if self.before is None or self.before == self.after:
            return None
        return f"数据库已从版本 {self.before} 升级到 {self.after}，原有数据保留。"


def upgrade(engine: Engine, to: str = "head") -> Upgrade:
    """Bring the schema to revision ``to`` (the newest by default), in one transaction."""
    try:
        with engine.execution_options(write=True).begin() as connection:
            if connection.dialect.name == "postgresql":  # two servers starting at once: one upgrades
                connection.exec_driver_sql(f"SELECT pg_advisory_xact_lock({UPGRADE_LOCK})")
            before = MigrationContext.configure(connection).get_current_revision()
            command.upgrade(_config(connection), to)
            after = MigrationContext.configure(connection).get_current_revision()
    except OperationalError as exc:
        raise OptionError(f"无法打开数据库“{shown_url(str(engine.url))}”：{exc.orig}") from None
    except SQLAlchemyError as exc:
        raise OptionError(f"数据库“{shown_url(str(engine.url))}”无法升级：{exc}") from None
    assert after is not None
    return Upgrade(before, after)


def location() -> str:
    """Where the rounds are kept, as ``make run`` says it."""
    url = default_url()
    parsed = make_url(url)
    if parsed.get_backend_name() == "sqlite" and parsed.database:
        return f"清理批次保存在：{parsed.database}（SQLite；可用环境变量 {DATA_ENV} 或 {DB_ENV} 改变）"
    return f"清理批次保存在：{shown_url(url)}"


if __name__ == "__main__":
    print(location())
