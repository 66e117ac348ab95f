"""Clean-up rounds (清理批次) in the database: their files, the analyst's work, snapshots and history.

:class:`Store` is the one way in. Every change is one transaction that writes the change, an audit
row (who, when, field, old value, new value, reason) and a new revision of the round, so nothing is
updated in place without its audit row, and a process killed in the middle leaves the database as
it was. An item edit carries the version of the item it was based on: a second analyst saving over
an edit they have not seen gets an :class:`~approvals.store.records.EditConflict` naming who saved
what, not a silent overwrite.

:meth:`Store.state` gives a round (or one of its snapshots) as a
:class:`~approvals.store.records.RoundState`, whose workspace approvals.workspace reads and
analyses like any other; files are kept as their bytes, so a round is re-read with whatever reader
is current.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from datetime import datetime
from itertools import islice
from typing import Any

import pandas as pd
from sqlalchemy import ColumnElement, Connection, Engine, Table, delete, func, insert, or_, select, update
from sqlalchemy.exc import IntegrityError

from approvals.dataset.edits import EDIT_COLUMNS, EDITABLE_FIELDS, check_edit, empty_edits
from approvals.errors import OptionError, PermissionRefused, ReadError
from approvals.model import DECISION_LABELS, VERDICT_LABELS, Verdict
from approvals.read.reading import Reading, collector_paused
from approvals.settings import Settings, settings_from_json
from approvals.store import schema as t
from approvals.store.db import Upgrade, default_url, engine_for, upgrade
from approvals.store.records import (
    ALL_ROUNDS,
    CURRENT,
    EDITOR,
    READER,
    ROLE_LABELS,
    Change,
    EditConflict,
    Grant,
    ImportRecord,
    ImportResult,
    Round,
    RoundState,
    Snapshot,
    now,
    who,
)
from approvals.workspace import Upload, read_upload

BATCH_ROWS = 20_000  # rows per executemany when an import's rows are stored
READING_SHARE = 0.4  # of an import's progress: reading the files (saving them the rest, about as long)
AUDIT_COLUMNS = ["at", "by", "kind", "item_key", "item", "department", "field", "old", "new", "reason"]
SETTINGS_LABELS = {
    "columns.toml": "列名对照表",
    "decisions.toml": "处理意见归类表",
    "export.toml": "目录格式",
    "holidays.toml": "节假日安排",
    "legal_tiers.toml": "设定依据层级",
    "limits.toml": "时限写法",
    "redesign.toml": "流程再造规则",
    "similar.toml": "相近事项规则",
    "targets.toml": "考核目标",
}
NAME_LIMIT = 200


def _sha(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def shown_value(field: str, value: str) -> str:
    """An edited field's value as the audit and the screens show it.

    >>> shown_value("decision", "cancelled"), shown_value("committed", "5个工作日")
    ('取消', '5个工作日')
    """
    if field == "decision":
        return DECISION_LABELS.get(value, value)
    return value


def _settings_summary(settings: Settings, file: str) -> str:
    """What a settings file holds, in a few words for the audit."""
    if file == "decisions.toml":
        return f"{len(settings.decisions.table)} 条归类规则"
    if file == "targets.toml":
        targets = settings.targets
        parts = []
        for label, default, table in (
            ("精简率", targets.streamlining_default, targets.streamlining),
            ("缩短率", targets.shortening_default, targets.shortening),
        ):
            own = "、".join(f"{k} {v:.0%}" for k, v in table.items())
            base = "无" if default is None else f"{default:.0%}"
            parts.append(f"{label}目标 {base}" + (f"（{own}）" if own else ""))
        return "，".join(parts)
    return f"版本 {settings.file_digests.get(file, '')[:8]}"


def _round_name(name: str) -> str:
    name = " ".join(name.split())
    if not name:
        raise OptionError("清理批次的名称不能为空")
    if len(name) > NAME_LIMIT:
        raise OptionError(f"清理批次的名称不能超过 {NAME_LIMIT} 个字")
    if name == CURRENT:
        raise OptionError(f"清理批次的名称不能是“{CURRENT}”")
    return name


def contents_of(reading: Reading | ReadError) -> tuple[tuple[str, str], ...]:
    """The (kind, department) pairs a file holds: what its resubmission replaces."""
    if isinstance(reading, ReadError):
        return ()
    pairs = set()
    for kind, table in (("items", reading.items), ("steps", reading.steps)):
        if len(table) and "department" in table.columns:
            pairs |= {(kind, str(d)) for d in table["department"].unique() if str(d).strip()}
    return tuple(sorted(pairs))


def _rows(table: pd.DataFrame, fields: Sequence[str], import_id: int) -> Iterator[tuple[Any, ...]]:
    """The rows of a raw table as the database stores them, in the stored table's column order
    (import, position, sheet, row, then ``fields``): text, "" where the file had no column."""
    if table.empty:
        return iter(())
    n = len(table)
    blank = [""] * n
    sheets = table["sheet"].astype("str").tolist() if "sheet" in table.columns else blank
    rows: list[int | None] = [None] * n
    if "row" in table.columns:
        numbers = pd.to_numeric(table["row"], errors="coerce")
        known = numbers.notna().to_numpy()
        whole = numbers.fillna(0).astype("int64").tolist()
        rows = whole if known.all() else [r if k else None for r, k in zip(whole, known, strict=True)]
    columns = [table[f].astype("str").tolist() if f in table.columns else blank for f in fields]
    return zip([import_id] * n, range(n), sheets, rows, *columns, strict=True)


def _bulk_insert(c: Connection, table: Table, rows: Iterable[tuple[Any, ...]]) -> None:
    """Store ``rows`` (tuples in ``table``'s column order) in bulk inside ``c``'s transaction:
    COPY on PostgreSQL, the driver's executemany on SQLite, in batches of :data:`BATCH_ROWS` —
    never an object per row."""
    names = [col.name for col in table.columns]
    quote = c.dialect.identifier_preparer.quote
    columns = ", ".join(quote(n) for n in names)
    cursor = c.connection.dbapi_connection.cursor()  # type: ignore[union-attr]
    try:
        if c.dialect.name == "postgresql":
            for batch in _batches(rows):
                with cursor.copy(f"COPY {quote(table.name)} ({columns}) FROM STDIN") as copy:
                    for row in batch:
                        copy.write_row(row)
        elif c.dialect.name == "sqlite":
            sql = f"INSERT INTO {quote(table.name)} ({columns}) VALUES ({', '.join('?' * len(names))})"
            for batch in _batches(rows):
                cursor.executemany(sql, batch)
        else:
            for batch in _batches(rows):
                c.execute(insert(table), [dict(zip(names, row, strict=True)) for row in batch])
    finally:
        cursor.close()


def _batches(rows: Iterable[Any], size: int = BATCH_ROWS) -> Iterator[list[Any]]:
    """``rows`` in lists of ``size``.

    >>> [len(b) for b in _batches(range(5), 2)]
    [2, 2, 1]
    """
    it = iter(rows)
    while batch := list(islice(it, size)):
        yield batch


def _round(row: Any) -> Round:
    return Round(
        id=row.id,
        name=row.name,
        level=row.level,
        year=row.year,
        settings=settings_from_json(row.settings),
        created_at=row.created_at,
        created_by=row.created_by,
        updated_at=row.updated_at,
        revision=row.revision,
        version=row.version,
    )


def _import_record(row: Any) -> ImportRecord:
    return ImportRecord(
        id=row.id,
        name=row.name,
        sha256=row.sha256,
        size=row.size,
        imported_at=row.imported_at,
        imported_by=row.imported_by,
        readable=bool(row.readable),
        reason=row.reason,
        replaced_by=row.replaced_by,
        contents=tuple((str(kind), str(department)) for kind, department in json.loads(row.contents)),
    )


def _audit_row(round_id: int, at: datetime, by: str, kind: str, **values: str) -> dict[str, Any]:
    """An audit row, each text value complete ("" where not given)."""
    row: dict[str, Any] = {"round_id": round_id, "at": at, "by": by, "kind": kind}
    row |= {name: "" for name in ("item_key", "item", "department", "field", "old", "new", "reason")}
    row |= {k: str(v) for k, v in values.items()}
    return row


class Store:
    """The rounds of one database.

    >>> store = Store.open("sqlite://")
    >>> first = store.create_round("2026年市本级清理", settings, level="市本级", by="张三")
    >>> [r.name for r in store.rounds()], first.year, first.created_by
    (['2026年市本级清理'], 2026, '张三')
    """

    def __init__(self, engine: Engine, opened: Upgrade) -> None:
        self.engine = engine
        self.opened = opened

    @classmethod
    def open(cls, url: str | None = None) -> Store:
        """The store at ``url`` (default: ``APPROVALS_DB_URL`` or the data folder's SQLite file),
        its schema brought up to date (:attr:`opened` says whether it was upgraded)."""
        engine = engine_for(url or default_url())
        return cls(engine, upgrade(engine))

    def close(self) -> None:
        self.engine.dispose()

    def _write(self) -> Any:
        """A write transaction (on SQLite it takes the write lock at once)."""
        return self.engine.execution_options(write=True).begin()

    # ------------------------------------------------------------------ rounds

    def rounds(self) -> list[Round]:
        """Every round, the most recently changed first."""
        query = select(t.rounds).order_by(t.rounds.c.updated_at.desc(), t.rounds.c.id.desc())
        with self.engine.connect() as c:
            return [_round(r) for r in c.execute(query)]

    def round(self, name: str) -> Round:
        """The round of that name; an OptionError naming the rounds there are when none has it."""
        wanted = " ".join(name.split())
        with self.engine.connect() as c:
            row = c.execute(select(t.rounds).where(t.rounds.c.name == wanted)).first()
            if row is None:
                names = [r.name for r in c.execute(select(t.rounds.c.name).order_by(t.rounds.c.id))]
                there = (
                    f"现有：{'、'.join(names)}" if names else "还没有任何清理批次，请先用 round create 建立"
                )
                raise OptionError(f"没有名为“{name}”的清理批次（{there}）")
            return _round(row)

    def round_by_id(self, round_id: int) -> Round:
        with self.engine.connect() as c:
            row = c.execute(select(t.rounds).where(t.rounds.c.id == round_id)).first()
        if row is None:
            raise OptionError(f"清理批次（编号 {round_id}）已不存在")
        return _round(row)

    def revision(self, round_id: int) -> int:
        """The round's revision: it grows with every change, so a cache of its state knows when to
        read it again."""
        with self.engine.connect() as c:
            value = c.execute(select(t.rounds.c.revision).where(t.rounds.c.id == round_id)).scalar()
        if value is None:
            raise OptionError(f"清理批次（编号 {round_id}）已不存在")
        return int(value)

    def _changed(self, c: Connection, round_id: int, *, version: bool = False) -> None:
        values: dict[str, Any] = {"revision": t.rounds.c.revision + 1, "updated_at": now()}
        if version:
            values["version"] = t.rounds.c.version + 1
        c.execute(update(t.rounds).where(t.rounds.c.id == round_id).values(**values))

    def create_round(self, name: str, settings: Settings, *, level: str = "", by: str | None = None) -> Round:
        """A new round under ``settings`` (their year is the round's calendar year)."""
        name, by, at = _round_name(name), who(by), now()
        try:
            with self._write() as c:
                result = c.execute(
                    insert(t.rounds).values(
                        name=name,
                        level=" ".join(level.split())[:50],
                        year=settings.year,
                        settings=settings.to_json(),
                        created_at=at,
                        created_by=by,
                        updated_at=at,
                        revision=0,
                        version=1,
                    )
                )
                round_id = int(result.inserted_primary_key[0])  # type: ignore[index]
                c.execute(insert(t.audit).values(
                    _audit_row(round_id, at, by, "round", field="名称", new=name, reason="新建")
                ))  # fmt: skip
        except IntegrityError:
            raise OptionError(f"已有名为“{name}”的清理批次") from None
        return self.round_by_id(round_id)

    def rename_round(self, current: Round, new_name: str, *, by: str | None = None) -> Round:
        new_name, by = _round_name(new_name), who(by)
        self._may_edit(current, by)
        old = self.round_by_id(current.id).name
        if new_name == old:
            return self.round_by_id(current.id)
        try:
            with self._write() as c:
                c.execute(update(t.rounds).where(t.rounds.c.id == current.id).values(name=new_name))
                c.execute(insert(t.audit).values(
                    _audit_row(current.id, now(), by, "round", field="名称", old=old, new=new_name)
                ))  # fmt: skip
                self._changed(c, current.id, version=True)
        except IntegrityError:
            raise OptionError(f"已有名为“{new_name}”的清理批次") from None
        return self.round_by_id(current.id)

    def set_settings(
        self, current: Round, settings: Settings, *, by: str | None = None, reason: str = ""
    ) -> Round:
        """Keep other settings with the round (a decision table or targets edited in the app); an
        audit row per settings file that changed."""
        by, at = who(by), now()
        self._may_edit(current, by)
        with self._write() as c:
            row = c.execute(select(t.rounds.c.settings).where(t.rounds.c.id == current.id)).first()
            if row is None:
                raise OptionError(f"清理批次“{current.name}”已不存在")
            old = settings_from_json(row.settings)
            audits = [
                _audit_row(
                    current.id,
                    at,
                    by,
                    "settings",
                    field=SETTINGS_LABELS.get(name, name),
                    old=_settings_summary(old, name),
                    new=_settings_summary(settings, name),
                    reason=reason,
                )
                for name, digest in settings.file_digests.items()
                if old.file_digests.get(name) != digest
            ]
            if old.year != settings.year:
                audits.append(_audit_row(
                    current.id, at, by, "settings", field="年度", old=str(old.year), new=str(settings.year),
                    reason=reason,
                ))  # fmt: skip
            if not audits:
                return self.round_by_id(current.id)
            c.execute(
                update(t.rounds)
                .where(t.rounds.c.id == current.id)
                .values(settings=settings.to_json(), year=settings.year)
            )
            c.execute(insert(t.audit), audits)
            self._changed(c, current.id, version=True)
        return self.round_by_id(current.id)

    # ------------------------------------------------------------------ imports

    def imports(self, current: Round, *, everything: bool = False) -> list[ImportRecord]:
        """The round's imports in the order they came; with ``everything`` also those a
        resubmission replaced."""
        query = select(t.imports).where(t.imports.c.round_id == current.id).order_by(t.imports.c.id)
        if not everything:
            query = query.where(t.imports.c.replaced_by.is_(None))
        with self.engine.connect() as c:
            return [_import_record(r) for r in c.execute(query)]

    def file_bytes(self, sha256: str) -> bytes:
        """The bytes of a file as it was imported."""
        with self.engine.connect() as c:
            data = c.execute(select(t.files.c.data).where(t.files.c.sha256 == sha256)).scalar()
        if data is None:
            raise OptionError(f"没有摘要为 {sha256[:12]}… 的文件")
        return bytes(data)

    def import_files(
        self,
        current: Round,
        files: Sequence[tuple[str, bytes]],
        *,
        by: str | None = None,
        progress: Callable[[float, str], None] | None = None,
    ) -> ImportResult:
        """Keep each file's bytes (once, by sha256), store the rows it reads under the round's
        settings and corrections, and let it replace the earlier files of the departments it
        resubmits — all in one transaction. A file that cannot be read at all is kept too, with
        the reason. ``progress`` is told the share done (0 to 1) and, in Chinese, what is being
        done: each file's reading, then the saving."""
        told = progress or (lambda share, doing: None)
        by = who(by)
        self._may_edit(current, by)
        latest = self.round_by_id(current.id)
        with self.engine.connect() as c:
            overrides = self._overrides(c, current.id)
        uploads: list[Upload] = []
        digests: set[str] = set()
        already: list[str] = []
        for name, data in files:
            upload = Upload.of(name, data)
            if upload.digest in digests:
                already.append(name)
                continue
            digests.add(upload.digest)
            uploads.append(upload)
        # Reading takes the time; it happens before the transaction so no writer waits for it.
        readings: dict[str, Reading | ReadError] = {}
        for n, u in enumerate(uploads):
            told(READING_SHARE * n / len(uploads), f"正在读取（{n + 1}/{len(uploads)}）：{u.name}")
            readings[u.digest] = read_upload(u, latest.settings, overrides)
        told(READING_SHARE, "正在保存到数据库（原文件和逐行记录）……")
        added: list[ImportRecord] = []
        replaced: list[tuple[str, str]] = []
        unreadable: list[tuple[str, str]] = []
        with self._write() as c, collector_paused():
            active = [
                _import_record(r)
                for r in c.execute(
                    select(t.imports)
                    .where(t.imports.c.round_id == current.id, t.imports.c.replaced_by.is_(None))
                    .order_by(t.imports.c.id)
                )
            ]
            held = {r.sha256 for r in active}
            for upload in uploads:
                if upload.digest in held:
                    already.append(upload.name)
                    continue
                reading = readings[upload.digest]
                record = self._import_one(c, latest, upload, reading, by)
                added.append(record)
                if isinstance(reading, ReadError):
                    unreadable.append((upload.name, str(reading)))
                for earlier in active:
                    if record.contents and earlier.contents and set(earlier.contents) <= set(record.contents):
                        c.execute(
                            update(t.imports)
                            .where(t.imports.c.id == earlier.id)
                            .values(replaced_by=record.id)
                        )
                        c.execute(insert(t.audit).values(_audit_row(
                            current.id, now(), by, "import", field="替换文件", old=earlier.name,
                            new=upload.name, reason="部门重新报送",
                        )))  # fmt: skip
                        replaced.append((earlier.name, upload.name))
                active = [a for a in active if (a.name, upload.name) not in replaced] + [record]
            if added:
                self._changed(c, current.id)
        told(1.0, "已保存")
        return ImportResult(added, already, replaced, unreadable)

    def _import_one(
        self, c: Connection, current: Round, upload: Upload, reading: Reading | ReadError, by: str
    ) -> ImportRecord:
        """Store one file: its bytes (unless the database has them), the import and its rows."""
        if c.execute(select(t.files.c.sha256).where(t.files.c.sha256 == upload.digest)).first() is None:
            c.execute(insert(t.files).values(sha256=upload.digest, size=len(upload.data), data=upload.data))
        at = now()
        result = c.execute(
            insert(t.imports).values(
                round_id=current.id,
                sha256=upload.digest,
                name=upload.name[:500],
                size=len(upload.data),
                imported_at=at,
                imported_by=by,
                contents=json.dumps(contents_of(reading), ensure_ascii=False),
                readable=isinstance(reading, Reading),
                reason=str(reading) if isinstance(reading, ReadError) else "",
            )
        )
        import_id = int(result.inserted_primary_key[0])  # type: ignore[index]
        if isinstance(reading, Reading):
            for table, fields, raw in (
                (t.imported_items, t.ITEM_ROW_FIELDS, reading.items),
                (t.imported_steps, t.STEP_ROW_FIELDS, reading.steps),
            ):
                _bulk_insert(c, table, _rows(raw, fields, import_id))
        note = f"{len(upload.data):,} 字节" + ("" if isinstance(reading, Reading) else "，无法读取")
        c.execute(insert(t.audit).values(
            _audit_row(current.id, at, by, "import", field="文件", new=upload.name, reason=note)
        ))  # fmt: skip
        return _import_record(c.execute(select(t.imports).where(t.imports.c.id == import_id)).one())

    def remove_files(self, current: Round, names: Sequence[str], *, by: str | None = None) -> int:
        """Take files out of the round's current state (their bytes and history stay)."""
        by = who(by)
        self._may_edit(current, by)
        with self._write() as c:
            gone = [
                r
                for r in c.execute(
                    select(t.imports.c.id, t.imports.c.name).where(
                        t.imports.c.round_id == current.id,
                        t.imports.c.replaced_by.is_(None),
                        t.imports.c.name.in_(list(names)),
                    )
                )
            ]
            for row in gone:
                # An import that replaces itself is one taken out by hand.
                c.execute(update(t.imports).where(t.imports.c.id == row.id).values(replaced_by=row.id))
                c.execute(insert(t.audit).values(
                    _audit_row(current.id, now(), by, "import", field="移除文件", old=row.name)
                ))  # fmt: skip
            if gone:
                self._changed(c, current.id)
        return len(gone)

    # ------------------------------------------------------------------ the analyst's work

    def set_override(
        self, current: Round, signature: str, corrections: Mapping[str, str], *, by: str | None = None
    ) -> None:
        """Remember a column-mapping correction for every sheet with these headers."""
        by = who(by)
        self._may_edit(current, by)
        key = _sha(signature)
        text = json.dumps(dict(corrections), ensure_ascii=False, sort_keys=True)
        where = (t.overrides.c.round_id == current.id, t.overrides.c.key == key)
        with self._write() as c:
            old = c.execute(select(t.overrides.c.corrections).where(*where)).scalar()
            if old == text:
                return
            values = {"signature": signature, "corrections": text, "updated_at": now(), "updated_by": by}
            if old is None:
                c.execute(insert(t.overrides).values(round_id=current.id, key=key, **values))
            else:
                c.execute(update(t.overrides).where(*where).values(**values))
            c.execute(insert(t.audit).values(_audit_row(
                current.id, now(), by, "mapping", field=f"列对应（表头：{signature}）"[:200],
                old=_corrections_text(old, current.settings), new=_corrections_text(text, current.settings),
            )))  # fmt: skip
            self._changed(c, current.id)

    def item_version(self, current: Round, item_key: str) -> int:
        """The version an item's edits are at (0 for an item never edited)."""
        with self.engine.connect() as c:
            value = c.execute(
                select(t.item_versions.c.version).where(
                    t.item_versions.c.round_id == current.id, t.item_versions.c.item_key == item_key
                )
            ).scalar()
        return int(value or 0)

    def edit_item(
        self,
        current: Round,
        item_key: str,
        changes: Mapping[str, str],
        *,
        old: Mapping[str, str] | None = None,
        item: str = "",
        department: str = "",
        by: str | None = None,
        reason: str = "",
        expected: int | None = None,
    ) -> int:
        """Save edits of one item (field → value: a decision class, a merge target, a new
        committed limit), an audit row per field, all at once; the item's new version.

        ``old`` gives the values the analyst saw (for the audit). ``expected`` is the version
        the edit was based on (0 for an item never edited): when someone saved the item since,
        an EditConflict says who and what instead of overwriting. None saves over whatever is
        there.
        """
        self._may_edit(current, by)
        for name, value in changes.items():
            check_edit(name, value)
        if not changes:
            return self.item_version(current, item_key)
        by, at, old = who(by), now(), old or {}
        key_where = (t.item_versions.c.round_id == current.id, t.item_versions.c.item_key == item_key)
        with self._write() as c:
            version = int(c.execute(select(t.item_versions.c.version).where(*key_where)).scalar() or 0)
            if expected is not None and expected != version:
                raise self._conflict(c, current, item_key, item, version)
            stamp = {"updated_at": at, "updated_by": by}
            if version == 0:
                try:
                    with c.begin_nested():
                        c.execute(insert(t.item_versions).values(
                            round_id=current.id, item_key=item_key, version=1, **stamp
                        ))  # fmt: skip
                except IntegrityError:  # another analyst saved the first edit a moment ago
                    raise self._conflict(c, current, item_key, item, 1) from None
            else:
                done = c.execute(
                    update(t.item_versions)
                    .where(*key_where, t.item_versions.c.version == version)
                    .values(version=version + 1, **stamp)
                )
                if done.rowcount != 1:
                    raise self._conflict(c, current, item_key, item, version + 1)
            edit_where = (t.item_edits.c.round_id == current.id, t.item_edits.c.item_key == item_key)
            held = {
                r.field: r.value
                for r in c.execute(select(t.item_edits.c.field, t.item_edits.c.value).where(*edit_where))
            }
            audits = []
            for name, value in changes.items():
                if name in held:
                    c.execute(
                        update(t.item_edits)
                        .where(*edit_where, t.item_edits.c.field == name)
                        .values(value=value)
                    )
                else:
                    c.execute(insert(t.item_edits).values(
                        round_id=current.id, item_key=item_key, field=name, value=value
                    ))  # fmt: skip
                before = held.get(name, old.get(name, ""))
                audits.append(_audit_row(
                    current.id, at, by, "edit", item_key=item_key, item=item, department=department,
                    field=EDITABLE_FIELDS[name], old=shown_value(name, before), new=shown_value(name, value),
                    reason=reason,
                ))  # fmt: skip
            c.execute(insert(t.audit), audits)
            self._changed(c, current.id)
        return version + 1

    def _conflict(
        self, c: Connection, current: Round, item_key: str, item: str, version: int
    ) -> EditConflict:
        """What the analyst is told: the last saved edit of the item (every field it changed)."""
        where = (t.audit.c.round_id == current.id, t.audit.c.item_key == item_key, t.audit.c.kind == "edit")
        last = c.execute(select(t.audit).where(*where).order_by(t.audit.c.id.desc()).limit(1)).first()
        if last is None:
            return EditConflict(item or item_key, "另一位分析人员", now(), [], version)
        rows = c.execute(
            select(t.audit)
            .where(*where, t.audit.c.at == last.at, t.audit.c.by == last.by)
            .order_by(t.audit.c.id)
        )
        changes = [Change(r.field, r.old, r.new) for r in rows]
        return EditConflict(item or last.item or item_key, last.by, last.at, changes, version)

    def set_verdicts(
        self,
        current: Round,
        flags: pd.DataFrame,
        verdict: Verdict | str,
        *,
        by: str | None = None,
        reason: str = "",
    ) -> int:
        """Accept, reject or reopen 流程再造 flags (rows of an analysis's flags table); an audit row
        for each flag whose verdict changes. How many changed."""
        by, at, chosen = who(by), now(), Verdict(verdict)
        self._may_edit(current, by)
        with self._write() as c:
            held = {
                r.flag_key: r.verdict
                for r in c.execute(
                    select(t.verdicts.c.flag_key, t.verdicts.c.verdict).where(
                        t.verdicts.c.round_id == current.id
                    )
                )
            }
            rows, audits, gone = [], [], []
            for flag in flags.drop_duplicates("flag_key").itertuples(index=False):
                key = str(flag.flag_key)
                old = held.get(key, str(Verdict.PENDING))
                if old == chosen:
                    continue
                if key in held:
                    gone.append(_sha(key))
                if chosen != Verdict.PENDING:
                    rows.append({"round_id": current.id, "key": _sha(key), "flag_key": key,
                                 "verdict": str(chosen), "updated_at": at, "updated_by": by})  # fmt: skip
                parts = key.split("|")
                audits.append(_audit_row(
                    current.id, at, by, "verdict", item_key=parts[1] if len(parts) > 1 else "",
                    item=str(flag.item), department=str(flag.department), field=f"流程再造：{flag.title}",
                    old=VERDICT_LABELS.get(old, old), new=VERDICT_LABELS[chosen], reason=reason,
                ))  # fmt: skip
            for batch in _batches(gone):
                c.execute(
                    delete(t.verdicts).where(t.verdicts.c.round_id == current.id, t.verdicts.c.key.in_(batch))
                )
            for batch in _batches(rows):
                c.execute(insert(t.verdicts), batch)
            for batch in _batches(audits):
                c.execute(insert(t.audit), batch)
            if audits:
                self._changed(c, current.id)
        return len(audits)

    def load_verdicts(
        self, current: Round, verdicts: Mapping[str, str], flags: pd.DataFrame, *, by: str | None = None
    ) -> int:
        """Lay verdicts from a saved file over the round's (for the flags of ``flags`` only)."""
        self._may_edit(current, by)
        by_verdict: dict[str, set[str]] = {}
        for key, verdict in verdicts.items():
            by_verdict.setdefault(verdict, set()).add(key)
        return sum(
            self.set_verdicts(
                current, flags[flags["flag_key"].isin(keys)], verdict, by=by, reason="载入采纳情况表"
            )
            for verdict, keys in by_verdict.items()
        )

    # ------------------------------------------------------------------ who may change a round

    def role_of(self, current: Round | None, user: str | None) -> str:
        """What ``user`` may do in ``current`` (None: in every round): "editor" or "reader".

        The round's creator edits it. Otherwise the role given for this round counts, else one
        given for all rounds; someone not named edits unless editors are named (for this round or
        all rounds): then only they and the creator edit. With no roles, everyone edits.
        """
        name = who(user).casefold()
        if current is not None and current.created_by.casefold() == name:
            return EDITOR
        scope: ColumnElement[bool] = t.roles.c.round_id.is_(None)
        if current is not None:
            scope = or_(scope, t.roles.c.round_id == current.id)
        with self.engine.connect() as c:
            rows = c.execute(select(t.roles.c.user, t.roles.c.round_id, t.roles.c.role).where(scope)).all()
        own = {r.round_id: str(r.role) for r in rows if str(r.user).casefold() == name}
        if current is not None and current.id in own:
            return own[current.id]
        if None in own:
            return own[None]
        return READER if any(r.role == EDITOR for r in rows) else EDITOR

    def _may_edit(self, current: Round, by: str | None) -> None:
        """A PermissionRefused when ``by`` may only read the round."""
        if self.role_of(current, by) == READER:
            raise PermissionRefused(who(by), f"清理批次“{current.name}”")

    def set_role(self, current: Round | None, user: str, role: str | None, *, by: str | None = None) -> None:
        """Give ``user`` a role ("reader" or "editor") in ``current`` (None: in all rounds), or take
        it back (None). Only someone who edits there may; a round's change is in its audit."""
        name = " ".join(user.split())[:100]
        if not name:
            raise OptionError("请给出要设置权限的用户（登录名或邮箱）")
        if role is not None and role not in ROLE_LABELS:
            raise OptionError(f"权限应为 {READER}（只读）或 {EDITOR}（可修改），实为“{role}”")
        by = who(by)
        scope_text = f"清理批次“{current.name}”" if current is not None else ALL_ROUNDS
        if self.role_of(current, by) == READER:
            raise PermissionRefused(by, scope_text)
        scope = t.roles.c.round_id.is_(None) if current is None else t.roles.c.round_id == current.id
        with self._write() as c:
            held = [
                r for r in c.execute(select(t.roles).where(scope)) if r.user.casefold() == name.casefold()
            ]
            old = held[0].role if held else ""
            if old == (role or ""):
                return
            if held:
                c.execute(delete(t.roles).where(t.roles.c.id.in_([r.id for r in held])))
            if role is not None:
                c.execute(insert(t.roles).values(
                    user=name, round_id=current.id if current else None, role=role, granted_at=now(),
                    granted_by=by,
                ))  # fmt: skip
            if current is not None:
                c.execute(insert(t.audit).values(_audit_row(
                    current.id, now(), by, "role", field=f"权限：{name}"[:200], old=ROLE_LABELS.get(old, ""),
                    new=ROLE_LABELS.get(role or "", "（收回）"),
                )))  # fmt: skip
                self._changed(c, current.id)

    def roles(self, current: Round | None = None) -> list[Grant]:
        """The roles given: for ``current`` and for all rounds (every role when None)."""
        query = (
            select(t.roles, t.rounds.c.name.label("round_name"))
            .select_from(t.roles.outerjoin(t.rounds, t.roles.c.round_id == t.rounds.c.id))
            .order_by(t.roles.c.round_id.is_not(None), t.roles.c.round_id, t.roles.c.user)
        )
        if current is not None:
            query = query.where(or_(t.roles.c.round_id.is_(None), t.roles.c.round_id == current.id))
        with self.engine.connect() as c:
            return [
                Grant(r.user, r.round_id, r.round_name or "", r.role, r.granted_at, r.granted_by)
                for r in c.execute(query)
            ]

    # ------------------------------------------------------------------ state and snapshots

    def state(self, current: Round, snapshot: str | None = None) -> RoundState:
        """The round now, or as the snapshot labelled ``snapshot`` froze it (``"current"`` is now)."""
        if snapshot and snapshot.strip() != CURRENT:
            return self._snapshot_state(current, snapshot.strip())
        # One read transaction: on SQLite (WAL) and PostgreSQL alike it sees one moment.
        with self.engine.connect() as c, c.begin():
            row = c.execute(select(t.rounds).where(t.rounds.c.id == current.id)).first()
            if row is None:
                raise OptionError(f"清理批次“{current.name}”已不存在")
            latest = _round(row)
            imported = c.execute(
                select(t.imports.c.id, t.imports.c.name, t.files.c.data, t.files.c.sha256)
                .join(t.files, t.files.c.sha256 == t.imports.c.sha256)
                .where(t.imports.c.round_id == current.id, t.imports.c.replaced_by.is_(None))
                .order_by(t.imports.c.id)
            ).all()
            overrides = self._overrides(c, current.id)
            edits = [
                (r.item_key, r.field, r.value)
                for r in c.execute(
                    select(t.item_edits)
                    .where(t.item_edits.c.round_id == current.id)
                    .order_by(t.item_edits.c.item_key, t.item_edits.c.field)
                )
            ]
            verdicts = {
                r.flag_key: r.verdict
                for r in c.execute(
                    select(t.verdicts.c.flag_key, t.verdicts.c.verdict)
                    .where(t.verdicts.c.round_id == current.id)
                    .order_by(t.verdicts.c.flag_key)
                )
            }
            versions = {
                r.item_key: r.version
                for r in c.execute(
                    select(t.item_versions.c.item_key, t.item_versions.c.version).where(
                        t.item_versions.c.round_id == current.id
                    )
                )
            }
            mark = c.execute(select(func.max(t.audit.c.id)).where(t.audit.c.round_id == current.id)).scalar()
        return RoundState(
            round=latest,
            snapshot=None,
            settings=latest.settings,
            files=tuple(Upload(r.name, bytes(r.data), r.sha256) for r in imported),
            overrides=overrides,
            edits=_edits_table(edits),
            verdicts=verdicts,
            versions=versions,
            revision=latest.revision,
            audit_mark=int(mark or 0),
            import_ids=tuple(int(r.id) for r in imported),
        )

    def _overrides(self, c: Connection, round_id: int) -> dict[str, dict[str, str]]:
        return {
            r.signature: json.loads(r.corrections)
            for r in c.execute(select(t.overrides).where(t.overrides.c.round_id == round_id))
        }

    def snapshot(self, current: Round, label: str, *, by: str | None = None) -> Snapshot:
        """Freeze the round as it is now under ``label`` (e.g. 初稿, 提交常务会议稿)."""
        label = " ".join(label.split())
        if not label or label == CURRENT:
            raise OptionError(f"快照名称不能为空，也不能是“{CURRENT}”")
        if len(label) > NAME_LIMIT:
            raise OptionError(f"快照名称不能超过 {NAME_LIMIT} 个字")
        by, at = who(by), now()
        self._may_edit(current, by)
        state = self.state(current)
        try:
            with self._write() as c:
                frozen = {
                    "imports": list(state.import_ids),
                    "overrides": state.overrides,
                    "edits": state.edits[EDIT_COLUMNS].to_numpy().tolist(),
                    "verdicts": state.verdicts,
                    "settings": state.settings.to_json(),
                    "revision": state.revision,
                    "audit_mark": state.audit_mark,
                }
                c.execute(insert(t.snapshots).values(
                    round_id=current.id, label=label, created_at=at, created_by=by,
                    state=json.dumps(frozen, ensure_ascii=False),
                ))  # fmt: skip
                c.execute(
                    insert(t.audit).values(
                        _audit_row(current.id, at, by, "snapshot", field="快照", new=label)
                    )
                )
                self._changed(c, current.id)
        except IntegrityError:
            raise OptionError(f"清理批次“{current.name}”已有名为“{label}”的快照") from None
        return Snapshot(label, at, by, state.revision)

    def snapshots(self, current: Round) -> list[Snapshot]:
        """The round's snapshots, oldest first."""
        query = select(t.snapshots).where(t.snapshots.c.round_id == current.id).order_by(t.snapshots.c.id)
        with self.engine.connect() as c:
            return [
                Snapshot(r.label, r.created_at, r.created_by, int(json.loads(r.state).get("revision", 0)))
                for r in c.execute(query)
            ]

    def _snapshot_state(self, current: Round, label: str) -> RoundState:
        with self.engine.connect() as c:
            row = c.execute(
                select(t.snapshots).where(t.snapshots.c.round_id == current.id, t.snapshots.c.label == label)
            ).first()
            if row is None:
                query = select(t.snapshots.c.label).where(t.snapshots.c.round_id == current.id)
                labels = [r.label for r in c.execute(query.order_by(t.snapshots.c.id))]
                there = f"现有：{'、'.join(labels)}" if labels else "还没有快照"
                raise OptionError(
                    f"清理批次“{current.name}”没有名为“{label}”的快照（{there}；当前状态为 {CURRENT}）"
                )
            frozen = json.loads(row.state)
            order = {int(import_id): n for n, import_id in enumerate(frozen["imports"])}
            imported = sorted(
                c.execute(
                    select(t.imports.c.id, t.imports.c.name, t.files.c.data, t.files.c.sha256)
                    .join(t.files, t.files.c.sha256 == t.imports.c.sha256)
                    .where(t.imports.c.id.in_(list(order)))
                ),
                key=lambda r: order[r.id],
            )
        latest = self.round_by_id(current.id)
        snapshot = Snapshot(row.label, row.created_at, row.created_by, int(frozen.get("revision", 0)))
        return RoundState(
            round=latest,
            snapshot=snapshot,
            settings=settings_from_json(frozen["settings"]),
            files=tuple(Upload(r.name, bytes(r.data), r.sha256) for r in imported),
            overrides=frozen["overrides"],
            edits=_edits_table([tuple(e) for e in frozen["edits"]]),
            verdicts=frozen["verdicts"],
            versions={},
            revision=snapshot.revision,
            audit_mark=int(frozen.get("audit_mark", 0)),
            import_ids=tuple(order),
        )

    # ------------------------------------------------------------------ history

    def history(
        self,
        current: Round,
        *,
        item_key: str | None = None,
        field_name: str | None = None,
        by: str | None = None,
        after: int | None = None,
        upto: int | None = None,
    ) -> pd.DataFrame:
        """The round's audit rows, newest first: optionally of one item, field or person, and of
        the audit rows after ``after`` up to ``upto`` (the marks of two states). Columns
        :data:`AUDIT_COLUMNS` and ``id``."""
        query = select(t.audit.c.id, *(t.audit.c[name] for name in AUDIT_COLUMNS)).where(
            t.audit.c.round_id == current.id
        )
        if item_key:
            query = query.where(t.audit.c.item_key == item_key)
        if field_name:
            query = query.where(t.audit.c.field == field_name)
        if by:
            query = query.where(t.audit.c.by == by)
        if after is not None:
            query = query.where(t.audit.c.id > after)
        if upto is not None:
            query = query.where(t.audit.c.id <= upto)
        with self.engine.connect() as c:
            rows = [dict(r._mapping) for r in c.execute(query.order_by(t.audit.c.id.desc()))]
        table = pd.DataFrame(rows, columns=["id", *AUDIT_COLUMNS])
        text = [c for c in AUDIT_COLUMNS if c != "at"]
        table[text] = table[text].astype("str")
        return table

    def count(self, table: Any, current: Round) -> int:
        """How many rows of a table belong to the round (rows of an import: through its imports)."""
        with self.engine.connect() as c:
            if "round_id" in table.c:
                query = select(func.count()).select_from(table).where(table.c.round_id == current.id)
            else:
                query = (
                    select(func.count())
                    .select_from(table.join(t.imports, t.imports.c.id == table.c.import_id))
                    .where(t.imports.c.round_id == current.id)
                )
            return int(c.execute(query).scalar() or 0)


def _edits_table(rows: Sequence[tuple[str, str, str]]) -> pd.DataFrame:
    if not rows:
        return empty_edits()
    return pd.DataFrame(list(rows), columns=EDIT_COLUMNS).astype("str")


def _corrections_text(text: str | None, settings: Settings) -> str:
    """A column correction as the audit shows it: 表头→字段, …"""
    if not text:
        return ""
    labels = {f.key: f.label for fields in settings.columns.fields.values() for f in fields}
    return "，".join(
        f"{header}→{labels.get(field, field) or '不识别'}" for header, field in json.loads(text).items()
    )
