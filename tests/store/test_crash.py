"""A writer killed in the middle of an import (SIGKILL, no chance to clean up) leaves the database
as it was: the integrity check passes, the last snapshot and the round are unchanged, and the
next import goes through."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
from pathlib import Path

from builders import messy_items_workbook
from sample import SETTINGS
from sqlalchemy import text
from test_rounds import water_file

from approvals.store import schema as t
from approvals.store.rounds import Store
from approvals.workspace import analyze_workspace

ROOT = Path(__file__).resolve().parents[2]
MANY = [
    ["市交通运输局", f"JT-{n}", f"道路运输许可{n}", "行政许可", "", "20", "10", "保留", ""] for n in range(40)
]
# The writer: the store's own import, held after its first batch of rows is written (inside the
# transaction) until it is killed.
WRITER = """
import sys, time
from pathlib import Path
from approvals.store import rounds
from approvals.store.rounds import Store
original = rounds._batches
def held(rows, size=rounds.BATCH_ROWS):
    for n, batch in enumerate(original(rows, 5)):
        if n == 1:
            print("写入中", flush=True)
            time.sleep(600)
        yield batch
rounds._batches = held
store = Store.open(sys.argv[1])
store.import_files(store.round("测试"), [("交通局.xlsx", Path(sys.argv[2]).read_bytes())], by="中断")
print("不应到达", flush=True)
"""


def fingerprint(store: Store) -> dict[str, object]:
    current = store.round("测试")
    counts = {table.name: store.count(table, current) for table in (t.imports, t.audit, t.imported_items)}
    frozen = store.state(current, "初稿")
    analysis, _ = analyze_workspace(frozen.workspace())
    return {
        **counts,
        "revision": store.revision(current.id),
        "snapshot_files": [f.digest for f in frozen.files],
        "snapshot_items": analysis.dataset.items["item_key"].tolist(),
        "snapshot_rate": analysis.overall.streamlining_rate,
    }


def test_a_writer_killed_mid_import_leaves_the_database_as_it_was(db_url: str, tmp_path: Path) -> None:
    store = Store.open(db_url)
    current = store.create_round("测试", SETTINGS)
    store.import_files(current, [water_file()])
    store.snapshot(current, "初稿")
    before = fingerprint(store)
    store.close()

    big = tmp_path / "交通局.xlsx"
    big.write_bytes(messy_items_workbook(MANY))
    writer = subprocess.Popen(
        [sys.executable, "-c", WRITER, db_url, str(big)],
        cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
    )  # fmt: skip
    try:
        assert writer.stdout is not None
        line = writer.stdout.readline()
        assert line.strip() == "写入中", writer.stderr.read() if writer.stderr else ""
        os.kill(writer.pid, signal.SIGKILL)
    finally:
        writer.wait(timeout=60)
    assert writer.returncode == -signal.SIGKILL

    reopened = Store.open(db_url)
    try:
        if reopened.engine.dialect.name == "sqlite":
            with reopened.engine.connect() as c:
                assert c.execute(text("PRAGMA integrity_check")).scalar() == "ok"
        assert fingerprint(reopened) == before
        assert [r.name for r in reopened.imports(reopened.round("测试"))] == ["水利局.xlsx"]
        done = reopened.import_files(reopened.round("测试"), [("交通局.xlsx", big.read_bytes())])
        assert [r.name for r in done.added] == ["交通局.xlsx"]
        assert reopened.count(t.imported_items, reopened.round("测试")) == 2 + len(MANY)
    finally:
        reopened.close()
