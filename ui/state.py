"""The app's state and caches: one Workspace per session, analyses cached at the page boundary.

Reading is cached per file content (st.cache_data keyed by the file's digest), the catalog and
its critical paths per workspace key, the analysis per catalog + edits + targets. Cached objects
are shared and never mutated: every approvals function returns new tables.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass, replace

import pandas as pd
import plotly.graph_objects as go
import streamlit as st

from approvals.analysis import Analysis, Projection, analyze, project
from approvals.dataset.build import Dataset
from approvals.dataset.edits import record_edit
from approvals.errors import ReadError
from approvals.processes.paths import critical_paths
from approvals.read.reading import Reading
from approvals.redesign.verdicts import accepted_keys, merge_verdicts, with_verdicts
from approvals.workspace import (
    SAMPLE_LABEL,
    Upload,
    Workspace,
    edited,
    read_upload,
    sample_workspace,
    workspace_dataset,
)

WORKSPACE_KEY = "workspace"
SEEN_KEY = "read_digests"
PROGRESS_FROM_BYTES = 1 << 20  # files this large show a progress bar while they are read


@dataclass(frozen=True)
class Loaded:
    """What a page renders: the workspace, its analysis, and files that could not be read."""

    workspace: Workspace
    analysis: Analysis
    failures: list[ReadError]
    key: str  # identifies the analysis (files, corrections, decision table, edits, targets)


def workspace() -> Workspace:
    """This session's workspace; a new session starts on the bundled sample."""
    if WORKSPACE_KEY not in st.session_state:
        st.session_state[WORKSPACE_KEY] = _sample_workspace()
    return st.session_state[WORKSPACE_KEY]


def set_workspace(new: Workspace) -> None:
    st.session_state[WORKSPACE_KEY] = new


@st.cache_resource(show_spinner=False)
def _sample_workspace() -> Workspace:
    return sample_workspace()


@st.cache_data(show_spinner=False, max_entries=512)
def _read(name: str, digest: str, overrides: str, _data: bytes) -> Reading | ReadError:
    return read_upload(Upload(name, _data, digest), json.loads(overrides))


@st.cache_resource(show_spinner=False, max_entries=8)
def _catalog(
    key: str, _ws: Workspace, _readings: tuple[Reading | ReadError, ...]
) -> tuple[Dataset, list[ReadError], tuple[pd.DataFrame, pd.DataFrame]]:
    dataset, failures = workspace_dataset(_ws, list(_readings))
    return dataset, failures, critical_paths(dataset.steps)


@st.cache_resource(show_spinner=False, max_entries=32)
def _analysis(
    key: str, _ws: Workspace, _catalog: Dataset, _paths: tuple[pd.DataFrame, pd.DataFrame]
) -> Analysis:
    return analyze(edited(_catalog, _ws), _ws.targets, _ws.benchmarks, _paths)


def load() -> Loaded:
    """Read (or reuse) every file of the workspace and analyse it; a progress bar for slow files."""
    ws = workspace()
    overrides = json.dumps(ws.overrides, ensure_ascii=False, sort_keys=True)
    seen: set[str] = st.session_state.setdefault(SEEN_KEY, set())
    fresh = [f for f in ws.files if f.digest + overrides not in seen]
    slow = sum(len(f.data) for f in fresh) >= PROGRESS_FROM_BYTES or len(fresh) > 3
    bar = st.progress(0.0, text="正在读取清单……") if slow else None
    readings = []
    for n, f in enumerate(ws.files, start=1):
        if bar is not None:
            bar.progress((n - 1) / len(ws.files), text=f"正在读取（{n}/{len(ws.files)}）：{f.name}")
        readings.append(_read(f.name, f.digest, overrides, f.data))
        seen.add(f.digest + overrides)
    if bar is not None:
        bar.empty()
    dataset, failures, paths = _catalog(ws.dataset_key(), ws, tuple(readings))
    key = json.dumps([ws.dataset_key(), ws.edits_key(), repr(ws.targets), ws.benchmarks], ensure_ascii=False)
    return Loaded(ws, _analysis(key, ws, dataset, paths), failures, key)


@st.cache_resource(show_spinner=False, max_entries=128)
def _figure(key: str, _make: Callable[[], go.Figure]) -> go.Figure:
    return _make()


def figure(loaded: Loaded, name: str, make: Callable[[], go.Figure]) -> go.Figure:
    """A chart made once per analysis and ``name`` (which must say everything else the chart
    depends on: item, version, marked steps, title), so reruns only send it to the browser."""
    return _figure(f"{loaded.key}|{name}", make)


@st.cache_resource(show_spinner=False, max_entries=16)
def _projection(key: str, accepted: tuple[str, ...], _analysis: Analysis) -> Projection:
    return project(_analysis, accepted)


def projection(loaded: Loaded) -> Projection:
    """What the accepted 流程再造 suggestions would give, cached per analysis and accepted set."""
    accepted = tuple(sorted(accepted_keys(loaded.analysis.flags, loaded.workspace.verdicts)))
    return _projection(loaded.key, accepted, loaded.analysis)


# ------------------------------------------------------------------ changes the screens make


def add_uploads(files: list[tuple[str, bytes]]) -> None:
    """Add uploaded files; uploading onto the sample replaces it. The same content is kept once."""
    ws = workspace()
    uploads = [Upload.of(name, data) for name, data in files]
    kept = [] if ws.label == SAMPLE_LABEL else list(ws.files)
    digests = {f.digest for f in kept}
    for upload in uploads:
        if upload.digest not in digests:
            kept.append(upload)
            digests.add(upload.digest)
    set_workspace(ws.with_files(kept, f"上传的清单（{len(kept)} 个文件）"))


def remove_files(names: list[str]) -> None:
    ws = workspace()
    kept = [f for f in ws.files if f.name not in names]
    set_workspace(ws.with_files(kept, f"上传的清单（{len(kept)} 个文件）"))


def restore_sample() -> None:
    set_workspace(_sample_workspace())


def set_overrides(signature: str, corrections: dict[str, str]) -> None:
    """Remember a column-mapping correction for every sheet with these headers."""
    ws = workspace()
    overrides = {**ws.overrides, signature: corrections}
    set_workspace(replace(ws, overrides=overrides))


def edit_item(item: pd.Series, field: str, value: str) -> None:
    ws = workspace()
    set_workspace(replace(ws, edits=record_edit(ws.edits, item, field, value)))


def set_verdicts(keys: list[str], verdict: str) -> None:
    """Accept, reject or reopen 流程再造 flags by key."""
    ws = workspace()
    set_workspace(replace(ws, verdicts=with_verdicts(ws.verdicts, keys, verdict)))


def load_verdicts(loaded: dict[str, str]) -> None:
    """Lay verdicts loaded from a saved file over the current ones."""
    ws = workspace()
    set_workspace(replace(ws, verdicts=merge_verdicts(ws.verdicts, loaded)))


def update(**changes: object) -> None:
    """Change workspace settings (rules, targets, benchmarks, year)."""
    set_workspace(replace(workspace(), **changes))  # type: ignore[arg-type]
