"""The per-item tables of an analysis as Parquet files, for the people who open them in other tools
(DuckDB, pandas, a BI tool): items, processes, flags, problems, and the cross-locality benchmarks
where there are any. Columns keep the canonical names of approvals.model (the JSON contract's
English keys); values keep their types (days as numbers, flags' steps as lists of text)."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq

from approvals.analysis import Analysis

TABLE_FILES = ("items", "processes", "flags", "problems")
BENCHMARK_FILES = ("benchmarks", "benchmark_gaps", "benchmark_localities")


def analysis_tables(analysis: Analysis) -> dict[str, pd.DataFrame]:
    """The tables :func:`write_tables` writes, by file stem."""
    tables = {
        "items": analysis.dataset.items,
        "processes": analysis.processes,
        "flags": analysis.flags,
        "problems": analysis.problems,
    }
    if not analysis.benchmarks.empty:
        found = analysis.benchmarks
        tables |= dict(zip(BENCHMARK_FILES, (found.items, found.gaps, found.localities), strict=True))
    return tables


def _arrow(table: pd.DataFrame) -> pa.Table:
    """A table as Arrow: text columns as strings, columns of tuples or lists as lists of text."""
    columns = {}
    for name in table.columns:
        values = table[name]
        if values.dtype == object:
            sample = values.dropna()
            if len(sample) and isinstance(sample.iloc[0], list | tuple):
                columns[str(name)] = pa.array(
                    [list(map(str, v)) if isinstance(v, list | tuple) else [] for v in values],
                    type=pa.list_(pa.string()),
                )
                continue
            values = values.map(lambda v: None if v is None or v is pd.NA else str(v))
            columns[str(name)] = pa.array(values.tolist(), type=pa.string())
            continue
        columns[str(name)] = pa.Array.from_pandas(values)
    return pa.table(columns)


def write_tables(analysis: Analysis, folder: Path) -> list[Path]:
    """Write ``items.parquet``, ``processes.parquet``, ``flags.parquet``, ``problems.parquet`` (and
    the benchmark tables) into ``folder``, made if missing; returns the paths written."""
    folder.mkdir(parents=True, exist_ok=True)
    written = []
    for stem, table in analysis_tables(analysis).items():
        path = folder / f"{stem}.parquet"
        pq.write_table(_arrow(table.reset_index(drop=True)), path, compression="zstd")
        written.append(path)
    return written
