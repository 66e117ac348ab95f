"""The bulk path on a Dask cluster: figures per list, department and overall, critical paths and
the cross-locality benchmarks of a catalog too large for one machine.

The way through, every step a task on the workers:

1. Each CSV file is cut into blocks at line ends (:func:`dask.bytes.read_bytes`); each block is
   read by the same readers as on one machine, with the file's first lines (title and header)
   put before it, and its rows renumbered as the file's. Other files (xlsx, xls) are read whole,
   one task each.
2. Items and steps are shuffled by item code (dask.dataframe, hash partitioning), so an item and
   its steps land in the same partition.
3. Each partition becomes a dataset (the one-machine normalisation and linking), and gives the
   additive parts of its figures (:func:`approvals.figures.rates.figure_sums`), its processes'
   critical paths and its benchmark rows.
4. The benchmark rows are shuffled again by standard code and compared there; the client adds
   the figure parts up and ranks the localities.

The results equal the one-machine path's where every step of an item carries the item's code
(steps linked by name alone are linked within their partition only) and no cell of a CSV holds a
line break (the blocks are cut at line ends). Merge candidates and 流程再造 flags are not worked
out here: they compare items with each other and belong to a city's or county's own round.
"""

from __future__ import annotations

import contextlib
import itertools
import operator
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from approvals.dataset.build import build_dataset
from approvals.dataset.roles import count_roles, target_names
from approvals.figures.benchmarks import Benchmarks, benchmark_rows, compared, locality_ranks, sorted_gaps
from approvals.figures.benchmarks import benchmarks as benchmarks_of
from approvals.figures.rates import Figures, add_figure_sums, figure_sums, figures_from_sums, item_sums
from approvals.model import ALL_ITEMS, ITEM_COLUMNS, MAPPING_COLUMNS, empty_frame
from approvals.problems import concat_problems, problems_frame
from approvals.processes.paths import critical_paths
from approvals.read.reading import Reading, concat_tables, read_source
from approvals.settings import Settings

BLOCK_BYTES = 64 * 2**20  # a CSV block read by one task
HEAD_BYTES = 64 * 2**10  # where the title and header of a CSV are looked for
# Positions order the items as on one machine: files in the order given, rows in each file.
_FILE_POSITIONS = 10**12
_GROUPINGS = {"lists": "category", "departments": "department", "overall": None}


@dataclass(frozen=True, eq=False)
class BulkAnalysis:
    """What the cluster works out: figures per list, department and overall, every process's
    critical path, the benchmarks across localities, and the problems found on the way."""

    lists: pd.DataFrame
    departments: pd.DataFrame
    overall_table: pd.DataFrame
    processes: pd.DataFrame
    benchmarks: Benchmarks
    problems: pd.DataFrame
    mappings: pd.DataFrame
    settings: Settings
    items: int  # items analysed
    partitions: int
    process_count: int = 0  # processes worked out (all of them, even when not kept)
    path_means: dict[str, float] = field(default_factory=dict)  # version → mean critical path

    @property
    def overall(self) -> Figures:
        return Figures.of(self.overall_table.iloc[0])


@contextlib.contextmanager
def cluster_client(address: str | None = None, workers: int = 2) -> Iterator[Any]:
    """A client of the scheduler at ``address`` (e.g. ``tcp://10.0.0.5:8786``), or of a cluster
    started on this machine (``workers`` processes, one thread each) and stopped afterwards."""
    from distributed import Client, LocalCluster

    if address:
        with Client(address) as client:
            yield client
        return
    with (
        LocalCluster(n_workers=workers, threads_per_worker=1, dashboard_address=None) as cluster,
        Client(cluster) as client,
    ):
        yield client


PARTITION_BYTES = 256 * 2**20
"""Input bytes a partition holds by default: about 280,000 items with their steps, which a worker
builds and analyses in a few GB (a partition of millions of items would be shuffled to disk whole)."""


def default_partitions(input_bytes: int, threads: int) -> int:
    """Partitions for ``input_bytes`` of files on ``threads`` worker threads: one per
    :data:`PARTITION_BYTES` of input, and at least two per thread so every thread has work.

    >>> default_partitions(19 * 2**30, 2), default_partitions(10 * 2**20, 2), default_partitions(0, 0)
    (76, 4, 2)
    """
    return max(2, 2 * threads, -(-input_bytes // PARTITION_BYTES))


def analyze_on_cluster(
    paths: Sequence[Path],
    settings: Settings,
    client: Any,
    *,
    partitions: int | None = None,
    benchmarks: Mapping[str, float] | None = None,
    block_bytes: int = BLOCK_BYTES,
    with_processes: bool = True,
) -> BulkAnalysis:
    """The bulk figures of the files at ``paths`` (CSV, xlsx or xls), worked out on ``client``'s
    cluster in ``partitions`` partitions (default: :func:`default_partitions`). Without
    ``with_processes`` the critical paths are worked out on the workers and only counted and
    averaged per version (``path_means``): a national catalog's tens of millions of processes
    need not come to one machine."""
    import dask
    import dask.dataframe as dd

    if partitions is None:
        size = sum(Path(p).stat().st_size for p in paths)
        partitions = default_partitions(size, sum(client.nthreads().values()))
    blocks = [
        block for n, path in enumerate(paths) for block in _file_blocks(n, Path(path), block_bytes, settings)
    ]
    readings = [dask.delayed(_read_block)(*block, settings) for block in blocks]
    # The first block of each file says how its columns were read, and what its tables look like.
    firsts: dict[int, Any] = {}
    for block, reading in zip(blocks, readings, strict=True):
        firsts.setdefault(block[0], reading)
    first_readings = dict(zip(firsts, client.compute(list(firsts.values()), sync=True), strict=True))
    mappings = pd.concat([r.mappings for r in first_readings.values()], ignore_index=True)
    if mappings.empty:
        mappings = empty_frame(MAPPING_COLUMNS)

    def keyed(kind: str, key: str) -> tuple[Any, Any, list[str]]:
        tables = [getattr(r, kind) for r in first_readings.values()]
        first = concat_tables([t for t in tables if len(t.columns) > 1] or tables)
        meta = _keyed(first, key).iloc[:0]
        parts = [dask.delayed(_table)(r, kind, key, meta) for r in readings]
        shuffled = dd.from_delayed(parts, meta=meta, verify_meta=False).shuffle(
            "_key", npartitions=partitions, ignore_index=True
        )
        sources = dask.delayed(pd.concat)([dask.delayed(_sources)(r, kind) for r in readings])
        return shuffled, sources, list(first.columns)

    items, item_sources, item_columns = keyed("items", "item")
    steps, step_sources, step_columns = keyed("steps", "step")
    parts = [
        dask.delayed(_partition)(
            dask.delayed(_unkeyed)(i, item_sources, item_columns),
            dask.delayed(_unkeyed)(s, step_sources, step_columns),
            mappings,
            settings,
        )
        for i, s in zip(items.to_delayed(), steps.to_delayed(), strict=True)
    ]
    # How items count in 精简率 depends on the department's other items (a 合并 into one of them):
    # the figures are summed on partitions by department.
    by_department = dd.from_delayed(
        [dask.delayed(operator.itemgetter("figure_rows"))(p) for p in parts],
        meta=_figure_rows(empty_frame(ITEM_COLUMNS), np.array([], dtype="int64")),
        verify_meta=False,
    ).shuffle("department", npartitions=partitions, ignore_index=True)
    # A merge may name an item of another department: every part knows the catalog's names.
    names = dd.from_delayed(
        [dask.delayed(operator.itemgetter("target_names"))(p) for p in parts],
        meta=pd.Series(dtype="str", name="name"),
        verify_meta=False,
    ).drop_duplicates(split_out=1)
    known = dask.delayed(frozenset)(names.to_delayed()[0])
    sums = [dask.delayed(_department_sums)(p, known) for p in by_department.to_delayed()]
    rows_meta = benchmark_rows(pd.DataFrame()).assign(_position=pd.Series(dtype="int64"))
    bench_rows = dd.from_delayed(
        [dask.delayed(operator.itemgetter("benchmark_rows"))(p) for p in parts],
        meta=rows_meta,
        verify_meta=False,
    ).shuffle("code", npartitions=partitions, ignore_index=True)
    compared_parts = [dask.delayed(_compared)(p) for p in bench_rows.to_delayed()]
    reading_problems = [dask.delayed(operator.attrgetter("problems"))(r) for r in readings]
    # Only what the answer holds comes back to the client: never the items themselves.
    kept = [dask.delayed(_kept)(p, with_processes) for p in parts]
    done, summed, tables, problems = client.compute([kept, sums, compared_parts, reading_problems], sync=True)

    targets = settings.targets
    benchmarks = dict(benchmarks or {})
    figures = {}
    for name, by in _GROUPINGS.items():
        wanted = (
            benchmarks if name == "lists" else ({ALL_ITEMS: benchmarks[""]} if "" in benchmarks else None)
        )
        sums = add_figure_sums([p[name] for p in summed])
        figures[name] = figures_from_sums(
            sums, by, targets=targets, benchmarks=None if name == "departments" else wanted
        )
    path_sums = pd.concat([p["path_sums"] for p in done]).groupby(level=0, sort=True).sum()
    processes = pd.concat([p["processes"] for p in done], ignore_index=True)
    processes = (
        processes.sort_values("_position", kind="stable").drop(columns="_position").reset_index(drop=True)
    )
    return BulkAnalysis(
        lists=figures["lists"],
        departments=figures["departments"],
        overall_table=figures["overall"],
        processes=processes,
        benchmarks=_joined_benchmarks(tables),
        problems=concat_problems(*problems, *(p["problems"] for p in done)),
        mappings=mappings,
        settings=settings,
        items=sum(p["items"] for p in done),
        process_count=sum(p["process_count"] for p in done),
        path_means=(path_sums["sum"] / path_sums["count"].where(path_sums["count"] > 0)).to_dict(),
        partitions=partitions,
    )


def _file_blocks(n: int, path: Path, block_bytes: int, settings: Settings) -> list[tuple[Any, ...]]:
    """(file number, name, head, block, first line, is first) for each block of one file: a CSV
    in blocks cut at line ends, anything else as one block read whole by a task."""
    import dask
    import dask.bytes

    if path.suffix.lower() not in (".csv", ".txt", ".tsv"):
        return [(n, path.name, b"", dask.delayed(_file_bytes)(str(path)), 0, True)]
    with path.open("rb") as handle:
        head = handle.read(HEAD_BYTES)
    head = _head(path.name, head[: head.rfind(b"\n") + 1] or head, settings)
    _, found = dask.bytes.read_bytes(str(path), delimiter=b"\n", blocksize=block_bytes, sample=False)
    delayed_blocks = found[0]
    # Each block's first line is known once the blocks before it are counted; counted in the same
    # graph as the reading, so every block is read from disk once.
    counts = [dask.delayed(bytes.count)(b, b"\n") for b in delayed_blocks]
    starts = dask.delayed(_starts)(counts)
    return [
        (n, path.name, head, block, dask.delayed(operator.getitem)(starts, i), i == 0)
        for i, block in enumerate(delayed_blocks)
    ]


def _starts(counts: list[int]) -> list[int]:
    """The first line of each block, from the lines of the blocks before it.

    >>> _starts([3, 5, 2])
    [0, 3, 8]
    """
    return list(itertools.accumulate(counts[:-1], initial=0))[: len(counts)]


def _head(name: str, sample: bytes, settings: Settings) -> bytes:
    """The lines of a CSV before its first data row (title and header), found by reading its
    first lines as the readers do."""
    reading = read_source((name, sample), settings.columns)
    rows = [int(t["row"].min()) for t in (reading.items, reading.steps) if len(t)]
    if not rows:
        return sample
    lines = sample.split(b"\n")
    return b"\n".join(lines[: min(rows) - 1]) + b"\n"


def _file_bytes(path: str) -> bytes:
    return Path(path).read_bytes()


def _read_block(
    n: int, name: str, head: bytes, block: bytes, start: int, first: bool, settings: Settings
) -> Reading:
    """One block read as the file it belongs to: after the file's head, rows numbered as in the
    file, each row's position in the whole catalog beside it."""
    if first:
        reading = read_source((name, block), settings.columns)
        shift = 0
    else:
        reading = read_source((name, head + block), settings.columns)
        shift = start - head.count(b"\n")  # the head's lines stand before the block's own

    def moved(table: pd.DataFrame) -> pd.DataFrame:
        if table.empty:
            return table.assign(_position=pd.Series(dtype="int64"))
        rows = table["row"].astype("int64") + shift
        return table.assign(row=rows, _position=n * _FILE_POSITIONS + rows)

    problems = reading.problems
    if not first and not problems.empty:  # the head's own problems are the first block's
        rows = pd.to_numeric(problems["row"], errors="coerce")
        problems = problems[rows.isna() | rows.gt(head.count(b"\n"))]
        problems = problems.assign(
            row=pd.to_numeric(problems["row"], errors="coerce").add(shift).astype("Int64")
        )
    return Reading(moved(reading.items), moved(reading.steps), problems, reading.mappings)


_SOURCE_COLUMNS = ("file", "sheet", "list_title")  # the same for every row of a sheet


def _keyed(table: pd.DataFrame, kind: str) -> pd.DataFrame:
    """A raw table as it is shuffled: ``_key``, a hash of the item code it is partitioned by (an
    item's 事项编码, else its 基本编码, as items are keyed; a step's 事项编码); the columns that
    say where a row was read replaced by ``_source``, a hash of them (:func:`_sources` maps it
    back); no ``row`` (``_position`` holds it). A quarter of a raw table is these columns.
    """
    if "_position" not in table.columns:
        table = table.assign(_position=pd.Series(0, index=table.index, dtype="int64"))
    empty = pd.Series("", index=table.index, dtype="str")
    code = table["code"].astype("str") if "code" in table.columns else empty
    if kind == "item" and "basic_code" in table.columns:
        code = code.where(code.ne(""), table["basic_code"].astype("str"))
    source = [c for c in _SOURCE_COLUMNS if c in table.columns]
    return table.drop(columns=[*source, "row"], errors="ignore").assign(
        _key=_hashed(code.fillna("")), _source=_hashed(table[source])
    )


def _hashed(values: pd.Series | pd.DataFrame) -> pd.Series:
    """A 64-bit hash of each value (each row of a table), the same on every worker."""
    if isinstance(values, pd.DataFrame) and values.columns.empty:
        return pd.Series(0, index=values.index, dtype="int64")
    return pd.util.hash_pandas_object(values, index=False).astype("int64")


def _sources(reading: Reading, kind: str) -> pd.DataFrame:
    """Where a block's rows were read, once per place, under the hash that stands for it."""
    table = getattr(reading, kind)
    source = [c for c in _SOURCE_COLUMNS if c in table.columns]
    places = table[source].drop_duplicates()
    return places.assign(_source=_hashed(places)).reset_index(drop=True)


def _unkeyed(table: pd.DataFrame, sources: pd.DataFrame, columns: Sequence[str]) -> pd.DataFrame:
    """A shuffled table back in its raw ``columns``, as the block read it."""
    places = sources.drop_duplicates("_source").set_index("_source")
    restored = {c: table["_source"].map(places[c]).astype(places[c].dtype) for c in places.columns}
    restored["row"] = table["_position"] % _FILE_POSITIONS
    return table.assign(**restored)[list(columns)]


def _table(reading: Reading, kind: str, key: str, meta: pd.DataFrame) -> pd.DataFrame:
    """A block's raw items or steps as shuffled, in the columns and types of the first blocks'
    (a block without some column has it blank)."""
    table = getattr(reading, kind)
    if table.empty:
        return meta.copy()
    table = _keyed(table, key)
    missing = [c for c in meta.columns if c not in table.columns]
    if missing:
        table = table.assign(**{c: pd.Series("", index=table.index, dtype=meta[c].dtype) for c in missing})
    return table[list(meta.columns)].astype(meta.dtypes.to_dict())


def _partition(
    items: pd.DataFrame, steps: pd.DataFrame, mappings: pd.DataFrame, settings: Settings
) -> dict[str, Any]:
    """One partition's dataset and what the client adds up."""
    items = items.sort_values("_position", kind="stable").reset_index(drop=True)
    steps = steps.sort_values("_position", kind="stable").reset_index(drop=True)
    raw = Reading(
        items.drop(columns="_position"),
        steps.drop(columns="_position"),
        problems_frame([]),
        mappings,
    )
    dataset = build_dataset([raw], settings)
    # Every raw row becomes an item, in order (item_id is the row's number among them).
    item_positions = items["_position"].to_numpy()[dataset.items["item_id"].to_numpy()]
    processes, cycle_problems = critical_paths(dataset.steps)
    by_item = pd.Series(item_positions, index=dataset.items["item_id"].to_numpy())
    processes = processes.assign(_position=processes["item_id"].map(by_item).fillna(-1).astype("int64")).drop(
        columns=["item_id", "critical_step_ids"]
    )
    rows = benchmark_rows(dataset.items)
    rows = rows.assign(_position=pd.Series(item_positions, index=dataset.items.index)[rows.index].to_numpy())
    return {
        "figure_rows": _figure_rows(dataset.items, item_positions),
        "target_names": target_names(dataset.items).rename("name").reset_index(drop=True),
        "processes": processes,
        "benchmark_rows": rows.reset_index(drop=True),
        "problems": concat_problems(dataset.problems, cycle_problems),
        "items": len(dataset.items),
    }


# What figure_sums and count_roles read of an item.
_FIGURE_INPUTS = [
    "item_id", "category", "department", "name", "decision", "merge_target", "has_decision",
    "counts_as", "before_days", "after_days", "statutory_status", "original_status", "committed_status",
]  # fmt: skip


def _figure_rows(items: pd.DataFrame, positions: Any) -> pd.DataFrame:
    """The items' columns the figures need, each item numbered by its position in the catalog."""
    rows = items[_FIGURE_INPUTS].reset_index(drop=True)
    return rows.assign(
        item_id=np.asarray(positions, dtype="int64"), _position=np.asarray(positions, dtype="int64")
    )


def _department_sums(rows: pd.DataFrame, names: frozenset[str]) -> dict[str, pd.DataFrame]:
    """The figure sums of a partition holding every item of its departments: merges counted
    among the department's items, and the catalog's ``names``, as on one machine."""
    rows = rows.sort_values("_position", kind="stable").reset_index(drop=True)
    rows["counts_as"] = count_roles(rows, elsewhere=names).astype("str")
    positions = rows["_position"].to_numpy()
    parts = item_sums(rows)
    return {name: figure_sums(rows, by, positions, parts) for name, by in _GROUPINGS.items()}


def _kept(part: dict[str, Any], with_processes: bool) -> dict[str, Any]:
    processes = part["processes"]
    timed = processes[~processes["has_cycle"].astype(bool)]
    means = timed.groupby("version", sort=True)["critical_path_days"].agg(["count", "sum"])
    return {
        "processes": processes if with_processes else processes.iloc[:0],
        "path_sums": means,
        "problems": part["problems"],
        "items": part["items"],
        "process_count": len(processes),
    }


def _compared(rows: pd.DataFrame) -> tuple[pd.DataFrame, pd.DataFrame]:
    """One partition of benchmark rows (every row of its standard codes) compared."""
    rows = rows.sort_values("_position", kind="stable").drop(columns="_position")
    if rows.empty:
        return benchmarks_of(rows).items, benchmarks_of(rows).gaps
    return compared(rows)


def _joined_benchmarks(tables: list[tuple[pd.DataFrame, pd.DataFrame]]) -> Benchmarks:
    """The partitions' benchmark tables as one, ordered as on one machine, localities ranked."""
    summary = pd.concat([t[0] for t in tables if len(t[0])] or [tables[0][0]], ignore_index=True)
    if summary.empty:
        return benchmarks_of(pd.DataFrame())
    gaps = sorted_gaps(pd.concat([t[1] for t in tables if len(t[1])], ignore_index=True))
    summary = summary.sort_values("code", kind="stable").reset_index(drop=True)
    return Benchmarks(summary, gaps, locality_ranks(gaps))
