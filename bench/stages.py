"""The measured stages, each run in a process of its own by ``python -m bench``.

A stage loads its inputs from the working folder (written by ``prepare`` and ``build``), then
times the approvals function it is about, so loading never counts and each stage's peak memory
is its own. Run one stage by hand with::

    .venv/bin/python -m bench.stages STAGE WORKDIR SCALE REPEAT

It prints one JSON line: a list of result rows (see :func:`row`).
"""

from __future__ import annotations

import compileall
import cProfile
import json
import os
import pickle
import pstats
import signal
import statistics
import subprocess
import sys
import threading
import time
from collections.abc import Callable
from functools import partial
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from bench.measure import Runs, measure, process_group_rss_kb, process_maxrss_kb

PROVINCE_ITEMS = 1_600_000
CSV_ROWS = 200_000
XLSX_ROWS = 100_000
SAMPLE_RUNS = 5
YEAR = 2026  # the calendar year limits are converted in (the holiday schedule is published)
HIGH_CARDINALITY_SHARE = 0.1

READINGS_FILE = "readings.pkl"
LIMITS_FILE = "limit_cells.pkl"
ITEMS_FILE = "items.pkl"
STEPS_FILE = "steps.pkl"
CSV_FILE = "事项目录（合成数据）.csv"
XLSX_FILE = "事项目录（合成数据）.xlsx"


def row(key: str, label: str, size: str, runs: Runs, note: str = "") -> dict[str, Any]:
    """One result row: what was measured, on how much, and each repetition's time and memory."""
    return {
        "id": key,
        "label": label,
        "size": size,
        "seconds": runs.seconds,
        "peak_mb": max(runs.peak_kb) / 1024,
        "extra_mb": runs.extra_kb / 1024,
        "exact_peak": runs.exact_peak,
        "note": note,
    }


def scaled(n: int, scale: float) -> int:
    """``n`` at ``scale``, at least one.

    >>> scaled(1_600_000, 0.1), scaled(10, 0.01)
    (160000, 1)
    """
    return max(1, round(n * scale))


def _save(path: Path, value: Any) -> None:
    with path.open("wb") as handle:
        pickle.dump(value, handle, protocol=pickle.HIGHEST_PROTOCOL)


def _load(path: Path) -> Any:
    with path.open("rb") as handle:
        return pickle.load(handle)


def _count(n: int, unit: str) -> str:
    return f"{n:,} {unit}"


# ------------------------------------------------------------------ stages


def prepare(workdir: Path, scale: float, repeat: int) -> list[dict[str, Any]]:
    """Generate the raw tables, the limit cells and the CSV / Excel files (timed for the record)."""
    from bench.files import write_csv, write_xlsx
    from bench.synthetic import file_rows, province_readings

    n_items = scaled(PROVINCE_ITEMS, scale)
    runs = measure(lambda: province_readings(n_items), repeat=1, keep=True)
    readings = runs.last
    items = sum(len(r.items) for r in readings)
    steps = sum(len(r.steps) for r in readings)
    out = [
        row(
            "0a",
            "生成合成目录（原始表）",
            f"{_count(items, '事项')}，{_count(steps, '环节')}，{len(readings)} 个文件",
            runs,
        )
    ]
    _save(workdir / READINGS_FILE, readings)

    texts = pd.concat([r.items["statutory"] for r in readings], ignore_index=True)
    units = pd.concat(
        [r.items.get("statutory_unit", pd.Series("", index=r.items.index)) for r in readings],
        ignore_index=True,
    ).fillna("")
    del readings
    rng = np.random.default_rng(7)
    noted = rng.random(len(texts)) < HIGH_CARDINALITY_SHARE
    numbers = pd.Series(rng.integers(1, 50_000, len(texts))).astype("str")
    varied = texts.where(~noted, texts + "（另见" + numbers + "号文件）")
    _save(workdir / LIMITS_FILE, {"texts": texts, "units": units, "varied": varied})

    for key, label, name, n_rows, write in (
        ("0b", "写 CSV（UTF-8 带 BOM）", CSV_FILE, CSV_ROWS, write_csv),
        ("0c", "写 .xlsx（xlsxwriter 省内存模式）", XLSX_FILE, XLSX_ROWS, write_xlsx),
    ):
        rows = file_rows(scaled(n_rows, scale))
        runs = measure(partial(write, workdir / name, rows), repeat=1)
        size = (workdir / name).stat().st_size
        out.append(row(key, label, f"{_count(len(rows), '行')}，{size / 2**20:.1f} MB", runs))
        del rows, runs
    return out


SAMPLE_DIR = Path(__file__).resolve().parent.parent / "data" / "sample"


def _settings() -> Any:
    """The bundled settings of the benchmark's year, loaded once per process."""
    from approvals.settings import load_settings

    if "settings" not in _SETTINGS:
        _SETTINGS["settings"] = load_settings(year=YEAR)
    return _SETTINGS["settings"]


_SETTINGS: dict[str, Any] = {}


def build(workdir: Path, scale: float, repeat: int) -> list[dict[str, Any]]:
    """Stage 5: build_dataset from raw tables, split into normalise_items and build_steps."""
    from approvals.dataset import build as catalog_module
    from approvals.dataset.build import build_dataset

    readings = _load(workdir / READINGS_FILE)
    items = sum(len(r.items) for r in readings)
    steps = sum(len(r.steps) for r in readings)
    parts: dict[str, list[float]] = {"normalise_items": [], "build_steps": []}

    def timed(name: str, function: Callable[..., Any]) -> Callable[..., Any]:
        def wrapper(*args: Any, **kwargs: Any) -> Any:
            start = time.perf_counter()
            try:
                return function(*args, **kwargs)
            finally:
                parts[name].append(time.perf_counter() - start)

        return wrapper

    originals = {name: getattr(catalog_module, name) for name in parts}
    for name, function in originals.items():
        setattr(catalog_module, name, timed(name, function))
    try:
        runs = measure(lambda: build_dataset(readings, _settings()), repeat=repeat, keep=True, budget=120)
    finally:
        for name, function in originals.items():
            setattr(catalog_module, name, function)
    dataset = runs.last
    _save(workdir / ITEMS_FILE, dataset.items)
    _save(workdir / STEPS_FILE, dataset.steps)
    size = f"{_count(items, '事项')}，{_count(steps, '环节')}"
    note = f"得到 {_count(len(dataset.steps), '环节')}，{_count(len(dataset.problems), '条问题')}"
    rest = [
        total - a - b
        for total, a, b in zip(runs.seconds, parts["normalise_items"], parts["build_steps"], strict=True)
    ]
    return [
        row("5", "build_dataset（合计）", size, runs, note),
        _part(
            "5a",
            "normalise_items（时限、处理意见、编码、重复）",
            _count(items, "事项"),
            parts["normalise_items"],
        ),
        _part(
            "5b",
            "build_steps（关联事项、序号、前置环节、环节时限）",
            _count(steps, "环节"),
            parts["build_steps"],
        ),
        _part("5c", "其余（合并各文件、问题表、处理意见对照）", "", rest),
    ]


def _part(key: str, label: str, size: str, seconds: list[float]) -> dict[str, Any]:
    """A share of a measured call: its time only (memory belongs to the whole call)."""
    return {"id": key, "label": label, "size": size, "seconds": seconds, "peak_mb": None, "extra_mb": None}


def limits(workdir: Path, scale: float, repeat: int) -> list[dict[str, Any]]:
    """Stage 1: parse_limits on a province's statutory-limit column, then on varied notes."""
    from approvals.dataset.limits import parse_limits

    cells = _load(workdir / LIMITS_FILE)
    texts, units, varied = cells["texts"], cells["units"], cells["varied"]
    out = []
    for key, label, column in (
        ("1", "parse_limits（法定时限列，含单位列）", texts),
        ("1b", "parse_limits（10% 带各不相同的说明）", varied),
    ):
        distinct = len(pd.DataFrame({"text": column, "unit": units}).drop_duplicates())
        runs = measure(partial(parse_limits, column, units, settings=_settings()), repeat=repeat)
        out.append(row(key, label, f"{_count(len(column), '格')}（{distinct:,} 种写法）", runs))
    return out


def decisions(workdir: Path, scale: float, repeat: int) -> list[dict[str, Any]]:
    """Stage 2: classify_decisions and count_roles over the catalog's items."""
    from approvals.dataset.decisions import classify_decisions
    from approvals.dataset.roles import count_roles

    items = _load(workdir / ITEMS_FILE)
    rules = _settings().decisions
    texts = items["decision_text"]
    size = f"{_count(len(items), '事项')}（{texts.nunique():,} 种写法）"
    classify = measure(lambda: classify_decisions(texts, rules), repeat=repeat)
    roles = measure(lambda: count_roles(items), repeat=repeat)
    both = measure(lambda: (classify_decisions(texts, rules), count_roles(items)), repeat=repeat)
    return [
        row("2", "classify_decisions + count_roles", size, both),
        row("2a", "classify_decisions", size, classify),
        row("2b", "count_roles（含合并目标查找）", _count(len(items), "事项"), roles),
    ]


def figures(workdir: Path, scale: float, repeat: int) -> list[dict[str, Any]]:
    """Stage 3: figures by list, by department and overall."""
    from approvals.figures.rates import figures as figures_of

    items = _load(workdir / ITEMS_FILE)
    targets = _settings().targets
    out = []
    parts = []
    for key, label, by in (
        ("3a", "按清单", "category"),
        ("3b", "按部门", "department"),
        ("3c", "全部事项", None),
    ):
        groups = 1 if by is None else items[by].nunique()
        runs = measure(partial(figures_of, items, by, targets=targets), repeat=repeat)
        parts.append(row(key, f"figures {label}", f"{_count(len(items), '事项')}，{groups:,} 组", runs))
    both = measure(
        lambda: [figures_of(items, by, targets=targets) for by in ("category", "department", None)],
        repeat=repeat,
    )
    out.append(row("3", "figures（按清单 + 按部门 + 全部）", _count(len(items), "事项"), both))
    return out + parts


def paths(workdir: Path, scale: float, repeat: int) -> list[dict[str, Any]]:
    """Stage 4: critical_paths of every process of the catalog."""
    from approvals.processes.paths import critical_paths

    steps = _load(workdir / STEPS_FILE)
    processes = steps.groupby(["item_id", "version"]).ngroups
    runs = measure(lambda: critical_paths(steps), repeat=repeat)
    size = f"{_count(len(steps), '环节')}，{_count(processes, '个流程')}"
    return [row("4", "critical_paths", size, runs)]


def redesign(workdir: Path, scale: float, repeat: int) -> list[dict[str, Any]]:
    """Stage 9: every 流程再造 rule over the catalog, each graph change measured; then the 四减 with
    every flag accepted (the heaviest projection)."""
    from approvals.processes.paths import critical_paths
    from approvals.redesign.flags import redesign_flags
    from approvals.redesign.reductions import four_reductions

    steps = _load(workdir / STEPS_FILE)
    items = _load(workdir / ITEMS_FILE)
    processes = critical_paths(steps)[0]
    settings = _settings()
    runs = measure(lambda: redesign_flags(steps, items, processes, settings), repeat=repeat, keep=True)
    flags = runs.last
    size = f"{_count(len(steps), '环节')}，{_count(len(items), '事项')}"
    rows = [row("9a", "redesign_flags（全部规则 + 逐条测算）", size, runs, f"{len(flags):,} 条提示")]
    keys = flags["flag_key"].tolist()
    reduced = measure(lambda: four_reductions(items, steps, flags, keys, settings.redesign), repeat=repeat)
    rows.append(row("9b", "four_reductions（采纳全部提示）", size, reduced))
    return rows


def read_csv(workdir: Path, scale: float, repeat: int) -> list[dict[str, Any]]:
    """Stage 6a: read_source on the CSV file."""
    return _read(workdir / CSV_FILE, "6a", "read_source（CSV，UTF-8 带 BOM）", repeat)


def read_xlsx(workdir: Path, scale: float, repeat: int) -> list[dict[str, Any]]:
    """Stage 6b: read_source on the Excel workbook."""
    return _read(workdir / XLSX_FILE, "6b", "read_source（.xlsx）", repeat)


def _read(path: Path, key: str, label: str, repeat: int) -> list[dict[str, Any]]:
    from approvals.read.reading import read_source

    vocab = _settings().columns
    runs = measure(lambda: read_source(path, vocab), repeat=repeat, keep=True)
    rows = len(runs.last.items)
    size = f"{_count(rows, '行')}，{path.stat().st_size / 2**20:.1f} MB"
    return [row(key, label, size, runs)]


def sample(workdir: Path, scale: float, repeat: int) -> list[dict[str, Any]]:
    """Stage 7: the bundled sample read and analysed, as each app start does (warm, median of 5)."""
    from approvals.analysis import analyze
    from approvals.dataset.build import load_dataset

    files = sorted(SAMPLE_DIR.glob("*.xlsx"))
    settings = _settings()
    runs = measure(lambda: analyze(load_dataset(files, settings)), repeat=SAMPLE_RUNS, budget=600, keep=True)
    items = len(runs.last.dataset.items)
    steps = len(runs.last.dataset.steps)
    size = f"{len(files)} 个文件，{_count(items, '事项')}，{_count(steps, '环节')}"
    return [row("7", "示例数据 load_dataset + analyze（同一进程连续 5 次）", size, runs)]


def sample_cold(workdir: Path, scale: float, repeat: int) -> list[dict[str, Any]]:
    """Stage 7, first run in a fresh process: importing the package, then reading and analysing."""
    start = time.perf_counter()
    from approvals.analysis import analyze
    from approvals.dataset.build import load_dataset
    from approvals.settings import load_settings

    imported = time.perf_counter() - start
    files = sorted(SAMPLE_DIR.glob("*.xlsx"))
    runs = measure(lambda: analyze(load_dataset(files, load_settings(year=YEAR))), repeat=1)
    first = runs.seconds[0]
    return [{"id": "7c", "seconds": [imported + first], "import": imported, "first": first, "peak_mb": None}]


STORE_ITEMS = 200_000
STORE_FILES = ("事项目录（合成数据，入库）.csv", "办理环节（合成数据，入库）.csv")


def store(workdir: Path, scale: float, repeat: int) -> list[dict[str, Any]]:
    """Stage 10: a 200,000-item import (an items file and a steps file) kept in a new round of a
    new SQLite database, as ``import --round`` and an upload do; split into reading the files and
    storing them, each against a floor measured here: pyarrow parsing the same CSV files, and
    the standard library's sqlite3 inserting the same rows into a bare table of the same width."""
    from approvals.store import rounds as rounds_module
    from approvals.store.rounds import Store
    from bench.files import write_csv
    from bench.synthetic import file_tables

    n_items = scaled(STORE_ITEMS, scale)
    paths = [workdir / name for name in STORE_FILES]
    for path, table in zip(paths, file_tables(n_items), strict=True):
        write_csv(path, table)
    files = [(path.name, path.read_bytes()) for path in paths]
    settings = _settings()
    reading: list[float] = []
    original = rounds_module.read_upload

    def timed_read(*args: Any, **kwargs: Any) -> Any:
        start = time.perf_counter()
        try:
            return original(*args, **kwargs)
        finally:
            reading.append(time.perf_counter() - start)

    databases = [workdir / f"store-{n}.db" for n in range(repeat)]
    stores = []
    for path in databases:
        opened = Store.open(f"sqlite:///{path}")
        stores.append((opened, opened.create_round("基准", settings, level="县本级", by="基准")))
    pending = list(stores)

    def one_import() -> Any:
        opened, current = pending.pop(0)
        return opened.import_files(current, files, by="基准")

    rounds_module.read_upload = timed_read  # type: ignore[assignment]
    try:
        runs = measure(one_import, repeat=repeat, keep=True, budget=300)
    finally:
        rounds_module.read_upload = original  # type: ignore[assignment]
    result = runs.last
    if result.unreadable or len(result.added) != len(files):
        raise RuntimeError(f"import failed: {result}")
    used = len(runs.seconds)
    per_run = [sum(reading[i * len(files) : (i + 1) * len(files)]) for i in range(used)]
    storing = [total - read for total, read in zip(runs.seconds, per_run, strict=True)]
    rows = _stored_rows(databases[used - 1])
    for opened, _ in stores:
        opened.close()

    parse = measure(partial(_parse_floor, paths), repeat=repeat)
    insert = measure(partial(_insert_floor, workdir / "floor.db", rows), repeat=repeat)
    n_rows = sum(len(r) for r in rows.values())
    size = (
        f"{_count(n_items, '事项')}，{_count(len(rows['imported_steps']), '环节')}，"
        f"2 个 CSV 文件 {sum(len(d) for _, d in files) / 2**20:.1f} MB"
    )
    read_ratio = median(per_run) / median(parse.seconds)
    store_ratio = median(storing) / median(insert.seconds)
    return [
        row("10", "入库：import_files 到新的 SQLite 清理批次（读取 + 写入，一个事务）", size, runs,
            f"读取为 pyarrow 解析的 {read_ratio:.1f} 倍，写入为 sqlite3 直接插入的 {store_ratio:.1f} 倍"),
        _part("10a", "其中读取两个文件（read_source）", size, per_run),
        _part("10b", "其中写入数据库（原文件、导入记录、逐行原始表）", f"{_count(n_rows, '行')}", storing),
        row("10c", "下限：pyarrow.csv 解析同样的两个文件", size, parse),
        row("10d", "下限：sqlite3 executemany 同样的行（空表，一个事务）", f"{_count(n_rows, '行')}", insert),
    ]  # fmt: skip


def _stored_rows(path: Path) -> dict[str, list[tuple[Any, ...]]]:
    """The raw rows an import stored, per table, as tuples."""
    import sqlite3

    with sqlite3.connect(path) as c:
        return {
            table: c.execute(f"SELECT * FROM {table}").fetchall()
            for table in ("imported_items", "imported_steps")
        }


def _parse_floor(paths: list[Path]) -> int:
    """Both CSV files parsed by pyarrow (the title line skipped): the least reading can cost."""
    from pyarrow import csv

    options = csv.ReadOptions(skip_rows=1)
    return sum(csv.read_csv(path, read_options=options).num_rows for path in paths)


def _insert_floor(path: Path, rows: dict[str, list[tuple[Any, ...]]]) -> None:
    """The same rows inserted by sqlite3 into bare tables of the same width (no keys, no
    indexes), WAL and synchronous=NORMAL as the store has them, one transaction: the least
    storing them can cost."""
    import sqlite3

    path.unlink(missing_ok=True)
    c = sqlite3.connect(path, isolation_level=None)
    try:
        c.execute("PRAGMA journal_mode=WAL")
        c.execute("PRAGMA synchronous=NORMAL")  # as the store's engine sets it
        c.execute("BEGIN")
        for table, values in rows.items():
            width = len(values[0]) if values else 1
            c.execute(f"CREATE TABLE {table} ({', '.join(f'c{i}' for i in range(width))})")
            marks = ", ".join("?" * width)
            c.executemany(f"INSERT INTO {table} VALUES ({marks})", values)
        c.execute("COMMIT")
    finally:
        c.close()


EXPORT_ITEMS = 1_000_000
EXPORT_FILE = "事项目录（合成数据，导出）.csv"


def export(workdir: Path, scale: float, repeat: int) -> list[dict[str, Any]]:
    """Stage 11: a 1,000,000-item list published as the 保留事项目录: the table (catalog_table),
    then CSV and a workbook ready to print, each against a floor measured here on the same table:
    pyarrow writing the CSV, and xlsxwriter streaming the bare cells (constant_memory, no formats)."""
    import pyarrow as pa
    import pyarrow.csv as pv

    from approvals.dataset.build import load_dataset
    from approvals.publish.catalogs import catalog_csv, catalog_table, catalog_title, catalog_xlsx
    from bench.files import write_csv
    from bench.synthetic import file_rows

    n_items = scaled(EXPORT_ITEMS, scale)
    path = write_csv(workdir / EXPORT_FILE, file_rows(n_items))
    settings = _settings()
    items = load_dataset([path], settings).items
    retained = int(items["decision"].eq("retained").sum())
    tables = measure(lambda: catalog_table(items, "retained", settings=settings), repeat=repeat, keep=True)
    table = tables.last
    title = catalog_title("retained", layout=settings.export)
    as_csv = measure(partial(catalog_csv, table), repeat=repeat, budget=300)
    as_xlsx = measure(partial(catalog_xlsx, table, title, layout=settings.export), repeat=repeat, budget=600)
    arrow = pa.Table.from_pandas(table.astype("str"), preserve_index=False)
    csv_floor = measure(partial(_csv_floor, arrow, pv), repeat=repeat)
    xlsx_floor = measure(partial(_xlsx_floor, workdir / "floor.xlsx", table), repeat=repeat, budget=600)
    size = f"{_count(retained, '保留事项')}（共 {_count(n_items, '事项')}），{table.shape[1]} 列"
    csv_ratio = median(as_csv.seconds) / median(csv_floor.seconds)
    xlsx_ratio = median(as_xlsx.seconds) / median(xlsx_floor.seconds)
    return [
        row("11a", "导出：保留事项目录表（catalog_table）", size, tables),
        row("11b", "导出：目录 CSV（catalog_csv，含防公式注入）", size, as_csv,
            f"为 pyarrow 写 CSV 的 {csv_ratio:.1f} 倍"),
        row("11c", "导出：可打印的目录工作簿（catalog_xlsx，逐行写出）", size, as_xlsx,
            f"为 xlsxwriter 直接写单元格的 {xlsx_ratio:.1f} 倍"),
        row("11d", "下限：pyarrow.csv 写同一张表", size, csv_floor),
        row("11e", "下限：xlsxwriter 逐行写同一张表（constant_memory，无格式）", size, xlsx_floor),
    ]  # fmt: skip


def _csv_floor(table: Any, pv: Any) -> int:
    """The table written as CSV by pyarrow into memory: the least a CSV export can cost."""
    import pyarrow as pa

    sink = pa.BufferOutputStream()
    pv.write_csv(table, sink)
    return int(sink.getvalue().size)


def _xlsx_floor(path: Path, table: pd.DataFrame) -> int:
    """The table's cells streamed by xlsxwriter with no formats: the least a workbook can cost."""
    import xlsxwriter

    book = xlsxwriter.Workbook(str(path), {"constant_memory": True, "strings_to_formulas": False})
    sheet = book.add_worksheet()
    sheet.write_row(0, 0, [str(c) for c in table.columns])
    for r, values in enumerate(zip(*(table[c].tolist() for c in table.columns), strict=True), start=1):
        sheet.write_row(r, 0, values)
    book.close()
    return path.stat().st_size


APP_PAGES = [
    "app.py",
    "pages/overview.py",
    "pages/import.py",
    "pages/items.py",
    "pages/process.py",
    "pages/redesign.py",
    "pages/export.py",
]


def app(workdir: Path, scale: float, repeat: int) -> list[dict[str, Any]]:
    """Stage 8: a rerun of each page of the app on the sample, as Streamlit runs it when the analyst
    touches a widget (streamlit.testing AppTest; the first run of each page is not timed)."""
    from streamlit.testing.v1 import AppTest

    root = Path(__file__).resolve().parent.parent
    at = AppTest.from_file(str(root / "app.py"), default_timeout=120)
    at.run()
    rows = []
    for n, page in enumerate(APP_PAGES, start=1):
        if page != "app.py":
            at.switch_page(page)
        at.run()
        if at.exception:
            raise RuntimeError(f"{page}: {at.exception[0].message}")
        runs = measure(at.run, repeat=SAMPLE_RUNS, budget=120)
        rows.append(row(f"8{chr(96 + n)}", f"应用页面重新运行：{page}", "示例数据，446 事项", runs))
    return rows


APP_SCALE_SIZES = (10_000, 200_000)
APP_SCALE_PAGES = [*APP_PAGES[1:], "pages/benchmarks.py", "pages/history.py"]


def app_scale(
    workdir: Path, scale: float, repeat: int, sizes: tuple[int, ...] = APP_SCALE_SIZES
) -> list[dict[str, Any]]:
    """Stage 8s: the app on a round of 10,000 and of 200,000 items (an items CSV and a steps CSV
    imported into a new SQLite database): the first run that opens the round (read from the
    database, analysed), then a rerun of each page as Streamlit runs it when the analyst touches
    a widget, against a floor measured here: a rerun of a page that shows one line of text."""
    from streamlit.testing.v1 import AppTest

    from approvals.store.db import DB_ENV
    from approvals.store.rounds import Store
    from bench.files import write_csv
    from bench.synthetic import file_tables

    root = Path(__file__).resolve().parent.parent
    floor_page = workdir / "floor_page.py"
    floor_page.write_text('import streamlit as st\nst.write("空白页")\n', encoding="utf-8")
    floor_app = AppTest.from_file(str(floor_page), default_timeout=60)
    floor_app.run()
    floor = measure(floor_app.run, repeat=SAMPLE_RUNS, budget=30)
    rows = [row("8s.0", "下限：只显示一行文字的页面重新运行", "—", floor)]
    previous = os.environ.get(DB_ENV)
    try:
        for n, size in enumerate(sizes, start=1):
            n_items = scaled(size, scale)
            database = workdir / f"app-{n}.db"
            database.unlink(missing_ok=True)  # a run stopped half-way left it
            os.environ[DB_ENV] = f"sqlite:///{database}"
            files = []
            for name, table in zip(CLI_FILES, file_tables(n_items), strict=True):
                path = write_csv(workdir / name, table)
                files.append((path.name, path.read_bytes()))
                path.unlink()
            opened = Store.open(os.environ[DB_ENV])
            current = opened.create_round("基准", _settings(), level="县本级", by="基准")
            opened.import_files(current, files, by="基准")
            opened.close()
            label = _count(n_items, "事项")
            at = AppTest.from_file(str(root / "app.py"), default_timeout=900)
            first = measure(at.run, repeat=1)
            _app_sound(at, "app.py")
            rows.append(row(f"8s.{n}", "应用打开清理批次（读库、分析）", label, first))
            for m, page in enumerate(APP_SCALE_PAGES, start=1):
                at.switch_page(page)
                at.run()
                _app_sound(at, page)
                runs = measure(at.run, repeat=SAMPLE_RUNS, budget=120)
                _app_sound(at, page)
                ratio = median(runs.seconds) / median(floor.seconds)
                rows.append(row(f"8s.{n}{chr(96 + m)}", f"页面重新运行：{page}", label, runs,
                                f"为下限的 {ratio:.0f} 倍"))  # fmt: skip
            database.unlink()
    finally:
        if previous is None:
            os.environ.pop(DB_ENV, None)
        else:
            os.environ[DB_ENV] = previous
    return rows


def _app_sound(at: Any, page: str) -> None:
    """The page ran without an exception and without the frame's 页面出错 message."""
    from ui.frame import PAGE_ERROR

    if at.exception or any(PAGE_ERROR in e.value for e in at.error):
        message = at.exception[0].message if at.exception else PAGE_ERROR
        raise RuntimeError(f"{page}: {message}")


CLI_SIZES = (10_000, 100_000, 200_000)
CLI_FILES = ("事项目录（合成数据，命令行）.csv", "办理环节（合成数据，命令行）.csv")
_PARSE_ONLY = (
    "import sys; from pyarrow import csv; "
    "o = csv.ReadOptions(skip_rows=1); [csv.read_csv(p, read_options=o) for p in sys.argv[1:]]"
)


def _whole_process(command: list[str]) -> tuple[float, int]:
    """Wall seconds and peak resident KiB of one child process, its output thrown away. A run that
    left a file out (the command line goes on past a file it cannot read) is a failure too: it
    did not measure the whole catalog."""
    start = time.perf_counter()
    child = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    _, status, usage = os.wait4(child.pid, 0)
    elapsed = time.perf_counter() - start
    message = child.stderr.read().decode("utf-8", "replace") if child.stderr else ""
    if status != 0 or "无法读取" in message:
        raise RuntimeError(f"{command[:4]} failed: {message[-2000:]}")
    return elapsed, usage.ru_maxrss


def _process_runs(command: list[str], repeat: int, budget: float) -> Runs:
    runs = Runs()
    while len(runs.seconds) < repeat and sum(runs.seconds) < budget:
        seconds, peak = _whole_process(command)
        runs.seconds.append(seconds)
        runs.peak_kb.append(peak)
        runs.base_kb.append(0)
    return runs


def cli(
    workdir: Path, scale: float, repeat: int, sizes: tuple[int, ...] = CLI_SIZES, key: str = "12"
) -> list[dict[str, Any]]:
    """Stage 12: ``python -m approvals analyze items.csv steps.csv --json`` as a whole process on
    catalogues of 10,000 to 200,000 items, each against the floor measured in the same run:
    a whole process that only parses the same two files with pyarrow."""
    from bench.files import write_csv
    from bench.synthetic import file_tables

    # An installed tool runs from compiled modules: compile them once, so that no run pays for
    # compiling them (a shell with PYTHONDONTWRITEBYTECODE would otherwise pay on every run).
    compileall.compile_dir(Path(__file__).resolve().parent.parent / "approvals", quiet=1)
    rows = []
    for n, size in enumerate(sizes, start=1):
        n_items = scaled(size, scale)
        paths = [workdir / f"{n}-{name}" for name in CLI_FILES]
        for path, table in zip(paths, file_tables(n_items), strict=True):
            write_csv(path, table)
        files = [str(p) for p in paths]
        floor = _process_runs([sys.executable, "-c", _PARSE_ONLY, *files], repeat, 60)
        analyze = [sys.executable, "-m", "approvals", "analyze", *files, "--json", "--year", str(YEAR)]
        runs = _process_runs(analyze, repeat if n_items <= 200_000 else 1, 600)
        mb = sum(p.stat().st_size for p in paths) / 2**20
        label = f"{_count(n_items, '事项')}，2 个 CSV 文件 {mb:.1f} MB"
        ratio = median(runs.seconds) / median(floor.seconds)
        per_item = median(runs.seconds) / n_items * 1e6
        note = f"为 pyarrow 只解析同样文件（整个进程）的 {ratio:.1f} 倍；每个事项 {per_item:.1f} 微秒"
        rows.append(row(f"{key}.{n}", "命令行 analyze --json（整个进程）", label, runs, note))
        rows.append(row(f"{key}.{n}f", "下限：pyarrow 解析同样的两个文件（整个进程）", label, floor))
        for path in paths:
            path.unlink()
    return rows


def cli_province(workdir: Path, scale: float, repeat: int) -> list[dict[str, Any]]:
    """Stage 12p: the same on the province's 1.6 million items (one run)."""
    return cli(workdir, scale, 1, sizes=(PROVINCE_ITEMS,), key="12p")


NATIONAL_ITEMS = 20_000_000
NATIONAL_CHUNK = 500_000  # one group of localities carrying out every standard item of the chunk
NATIONAL_LIMIT = 5400.0  # seconds the cluster run may take here before it is stopped and reported
_NATIONAL_RUN = """
import json, sys, threading, time
from pathlib import Path
from approvals.engines.cluster import analyze_on_cluster, cluster_client
from approvals.settings import load_settings

FINISHED = ("memory", "forgotten", "erred")


def groups(dask_scheduler):
    # tasks finished and tasks known, per task group (the function a task runs)
    return {name: [sum(g.states.get(s, 0) for s in FINISHED), sum(g.states.values())]
            for name, g in dask_scheduler.task_groups.items()}


def report(client, began, stop):
    # one line a minute saying how far the run got, read back if the run is stopped
    while not stop.wait(60):
        try:
            found = client.run_on_scheduler(groups)
        except Exception:
            continue
        print(json.dumps({"progress": found, "seconds": time.perf_counter() - began}), flush=True)


def main():
    began = time.perf_counter()
    with cluster_client(workers=2) as client:
        stop = threading.Event()
        threading.Thread(target=report, args=(client, began, stop), daemon=True).start()
        settings = load_settings(year=int(sys.argv[1]))
        bulk = analyze_on_cluster([Path(p) for p in sys.argv[2:]], settings, client, with_processes=False)
        stop.set()
    print(json.dumps({"items": bulk.items, "processes": bulk.process_count, "partitions": bulk.partitions,
                      "standard_items": len(bulk.benchmarks.items), "gaps": len(bulk.benchmarks.gaps),
                      "seconds": time.perf_counter() - began}), flush=True)

if __name__ == "__main__":
    main()
"""


def _how_far(out: str) -> str:
    """The last progress line of a stopped national run, in words: each task group's tasks
    finished of those known ("_read_block 120/260 …")."""
    lines = [json.loads(line) for line in out.splitlines() if line.startswith('{"progress"')]
    if not lines:
        return "尚无进度记录（第一分钟内）"
    last = lines[-1]
    done = "，".join(f"{name} {a}/{b}" for name, (a, b) in sorted(last["progress"].items()) if b)
    return f"{last['seconds']:.0f} 秒时各类任务完成数：{done}"


_GROUP = "@@@"  # stands for a group's number in the text written once per chunk


def _national_files(workdir: Path, n_items: int) -> list[Path]:
    """A national catalog as two CSV files: every group of localities carries out the standard
    items of one generated chunk under codes of its own (基本编码 the standard code, 行政区划 the
    group's), with the chunk's steps under the same codes. A chunk is written to text once, with
    a mark where the group's number goes, and copied for every group with the mark replaced."""
    from bench.files import TITLE
    from bench.synthetic import file_tables

    chunk = min(NATIONAL_CHUNK, n_items)
    items, steps = file_tables(chunk)
    paths = [workdir / "全国事项目录（合成数据）.csv", workdir / "全国办理环节（合成数据）.csv"]
    for path in paths:
        path.write_text(TITLE + "\r\n", encoding="utf-8-sig")
    groups = -(-n_items // chunk)
    texts: dict[int, tuple[str, str]] = {}
    for k in range(groups):
        take = min(chunk, n_items - k * chunk)
        if take not in texts:
            part = items.iloc[:take]
            part = part.assign(
                行政区划=f"第{_GROUP}组地区",
                基本编码=part["事项编码"],
                事项编码=part["事项编码"] + f"-{_GROUP}",
                实施主体=f"第{_GROUP}组" + part["实施主体"],
            )
            own = steps[steps["事项编码"].isin(set(items["事项编码"].iloc[:take]))]
            own = own.assign(
                事项编码=own["事项编码"] + f"-{_GROUP}", 实施部门=f"第{_GROUP}组" + own["实施部门"]
            )
            texts[take] = (
                part.to_csv(index=False, lineterminator="\r\n"),
                own.to_csv(index=False, lineterminator="\r\n"),
            )
        for path, text in zip(paths, texts[take], strict=True):
            if k > 0:  # the header once, at the top
                text = text[text.index("\r\n") + 2 :]
            with path.open("ab") as handle:
                handle.write(text.replace(_GROUP, f"{k + 1:03d}").encode())
    return paths


def cluster_national(workdir: Path, scale: float, repeat: int) -> list[dict[str, Any]]:
    """Stage 13: the bulk path of ``analyze --engine dask`` on a generated national catalog
    (20 million items at scale 1) on a LocalCluster of two workers here, as one process group:
    wall time, and the peak of the client's and the workers' resident memory together."""
    n_items = scaled(NATIONAL_ITEMS, scale)
    began = time.perf_counter()
    paths = _national_files(workdir, n_items)
    written = time.perf_counter() - began
    mb = sum(p.stat().st_size for p in paths) / 2**20
    child = subprocess.Popen(
        [sys.executable, "-c", _NATIONAL_RUN, str(YEAR), *map(str, paths)],
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )
    # The child's lines are read as they come: a full pipe would stop its writing, and the run.
    lines: list[bytes] = []
    stdout = child.stdout
    assert stdout is not None
    reader = threading.Thread(target=lambda: lines.extend(iter(stdout.readline, b"")), daemon=True)
    reader.start()
    peak = 0
    start = time.perf_counter()
    while child.poll() is None and time.perf_counter() - start < NATIONAL_LIMIT:
        peak = max(peak, process_group_rss_kb(child.pid))
        time.sleep(1.0)
    if child.poll() is None:
        os.killpg(child.pid, signal.SIGKILL)
        child.wait()
    seconds = time.perf_counter() - start
    reader.join(timeout=60)
    out = b"".join(lines).decode()
    for path in paths:
        path.unlink()
    label = f"{_count(n_items, '事项')}，2 个 CSV 文件 {mb:,.0f} MB（生成 {written:.0f} 秒）"
    runs = Runs(seconds=[seconds], peak_kb=[peak], base_kb=[0])
    if child.returncode != 0:
        why = "超过时限被停止" if seconds >= NATIONAL_LIMIT else f"进程退出码 {child.returncode}"
        note = f"未完成：{why}，运行 {seconds:.0f} 秒；{_how_far(out)}"
        return [row("13", "Dask 集群（本机两个工作进程）上的批量计算", label, runs, note)]
    found = json.loads(out.strip().splitlines()[-1])
    print(_how_far(out), file=sys.stderr)
    note = (
        f"{found['items']:,} 个事项、{found['processes']:,} 个流程、"
        f"{found['standard_items']:,} 个标准事项对标，"
        f"{found['partitions']} 份；分析本身（进程内计时，含启动集群）{found['seconds']:.0f} 秒；"
        f"每个事项 {seconds / n_items * 1e6:.1f} 微秒；内存为客户端与工作进程合计"
    )
    return [row("13", "Dask 集群（本机两个工作进程）上的批量计算", label, runs, note)]


STAGES: dict[str, Callable[[Path, float, int], list[dict[str, Any]]]] = {
    "prepare": prepare,
    "build": build,
    "limits": limits,
    "decisions": decisions,
    "figures": figures,
    "paths": paths,
    "redesign": redesign,
    "read_csv": read_csv,
    "read_xlsx": read_xlsx,
    "sample": sample,
    "sample_cold": sample_cold,
    "app": app,
    "app_scale": app_scale,
    "store": store,
    "export": export,
    "cli": cli,
    "cli_province": cli_province,
    "cluster_national": cluster_national,
}


def median(values: list[float]) -> float:
    """The median of a non-empty list.

    >>> median([3.0, 1.0, 2.0])
    2.0
    """
    return float(statistics.median(values))


def main(argv: list[str]) -> int:
    """Run one stage and print its rows as one JSON line; BENCH_PROFILE=1 profiles it."""
    name, workdir, scale, repeat = argv[0], Path(argv[1]), float(argv[2]), int(argv[3])
    stage = STAGES[name]
    if os.environ.get("BENCH_PROFILE") == "1":
        profiler = cProfile.Profile()
        rows = profiler.runcall(stage, workdir, scale, repeat)
        profiler.dump_stats(workdir / f"{name}.prof")
        pstats.Stats(profiler, stream=sys.stderr).sort_stats("cumulative").print_stats(40)
    else:
        rows = stage(workdir, scale, repeat)
    maxrss = process_maxrss_kb() / 1024
    for r in rows:
        r["process_mb"] = maxrss
    print(json.dumps(rows, ensure_ascii=False))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
