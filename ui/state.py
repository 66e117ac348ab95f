"""The app's state and caches: one Workspace per session, each step of its analysis cached.

The settings are loaded once per server. Reading is cached per file and reading key (content,
corrections, column settings), the dataset per dataset key, the analysis per analysis key: each
step is one call into approvals.workspace, so a rerun after an edit re-does only what the edit
touched (the dataset's critical paths are shared by every analysis of it). Cached objects are
shared and never mutated: every approvals function returns new tables.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any, TypeVar, cast

import pandas as pd
import plotly.graph_objects as go
import streamlit as st

from approvals.analysis import Analysis, Projection
from approvals.dataset.build import Dataset
from approvals.dataset.edits import record_edit
from approvals.errors import ReadError
from approvals.read.reading import Reading
from approvals.redesign.verdicts import accepted_keys, merge_verdicts, with_verdicts
from approvals.settings import Settings, load_settings
from approvals.settings.targets import Targets
from approvals.workspace import (
    SAMPLE_LABEL,
    Upload,
    Workspace,
    read_upload,
    sample_workspace,
    workspace_analysis,
    workspace_dataset,
    workspace_projection,
)

T = TypeVar("T")
SAMPLE_DIR = Path(__file__).resolve().parent.parent / "data" / "sample"
WORKSPACE_KEY = "workspace"
SEEN_KEY = "read_digests"
PROGRESS_FROM_BYTES = 1 << 20  # files this large show a progress bar while they are read


@dataclass(frozen=True)
class Loaded:
    """What a page renders: the workspace, its analysis, and files that could not be read."""

    workspace: Workspace
    analysis: Analysis
    failures: list[ReadError]
    key: str  # identifies the analysis (files, corrections, settings, edits, benchmarks)


@st.cache_resource(show_spinner=False)
def settings() -> Settings:
    """The settings, loaded once per server (the bundled ones, or APPROVALS_SETTINGS's folder)."""
    return load_settings()


@st.cache_resource(show_spinner=False)
def _sample_workspace() -> Workspace:
    return sample_workspace(settings(), SAMPLE_DIR)


def workspace() -> Workspace:
    """This session's workspace; a new session starts on the bundled sample."""
    if WORKSPACE_KEY not in st.session_state:
        st.session_state[WORKSPACE_KEY] = _sample_workspace()
    ws: Workspace = st.session_state[WORKSPACE_KEY]
    return ws


def set_workspace(new: Workspace) -> None:
    st.session_state[WORKSPACE_KEY] = new


@st.cache_resource(show_spinner=False, max_entries=512)
def _read(key: str, _upload: Upload, _ws: Workspace) -> Reading | ReadError:
    return read_upload(_upload, _ws.settings, _ws.overrides)


@st.cache_resource(show_spinner=False, max_entries=8)
def _dataset(
    key: str, _ws: Workspace, _readings: tuple[Reading | ReadError, ...]
) -> tuple[Dataset, list[ReadError]]:
    return workspace_dataset(_ws, list(_readings))


@st.cache_resource(show_spinner=False, max_entries=32)
def _analysis(key: str, _ws: Workspace, _dataset: Dataset) -> Analysis:
    return workspace_analysis(_ws, _dataset)


def load() -> Loaded:
    """Read (or reuse) every file of the workspace and analyse it; a progress bar for slow files."""
    ws = workspace()
    seen: set[str] = st.session_state.setdefault(SEEN_KEY, set())
    keys = [ws.reading_key(f) for f in ws.files]
    fresh = [f for f, key in zip(ws.files, keys, strict=True) if key not in seen]
    slow = sum(len(f.data) for f in fresh) >= PROGRESS_FROM_BYTES or len(fresh) > 3
    bar = st.progress(0.0, text="正在读取清单……") if slow else None
    readings = []
    for n, (f, key) in enumerate(zip(ws.files, keys, strict=True), start=1):
        if bar is not None:
            bar.progress((n - 1) / len(ws.files), text=f"正在读取（{n}/{len(ws.files)}）：{f.name}")
        readings.append(_read(key, f, ws))
        seen.add(key)
    if bar is not None:
        bar.empty()
    dataset, failures = _dataset(ws.dataset_key(), ws, tuple(readings))
    key = ws.analysis_key()
    return Loaded(ws, _analysis(key, ws, dataset), failures, key)


@st.cache_resource(show_spinner=False, max_entries=256)
def _made(key: str, _make: Callable[[], Any]) -> Any:
    return _make()


def cached(loaded: Loaded, name: str, make: Callable[[], T], *, verdicts: bool = False) -> T:
    """A view or chart made once per analysis and ``name`` (which must say everything else it
    depends on: item, version, marked steps, scope …) and, with ``verdicts``, per set of verdicts;
    reruns reuse it. What it returns is shared: never change it."""
    shown = loaded.workspace.verdicts_key() if verdicts else ""
    return cast(T, _made(f"{loaded.key}|{shown}|{name}", make))


def figure(loaded: Loaded, name: str, make: Callable[[], go.Figure]) -> go.Figure:
    """A chart made once per analysis and ``name``, so reruns only send it to the browser."""
    return cached(loaded, f"figure|{name}", make)


@st.cache_resource(show_spinner=False, max_entries=16)
def _projection(key: str, accepted: tuple[str, ...], _ws: Workspace, _analysis: Analysis) -> Projection:
    return workspace_projection(_ws, _analysis)


def projection(loaded: Loaded) -> Projection:
    """What the accepted 流程再造 suggestions would give, cached per analysis and accepted set."""
    accepted = tuple(sorted(accepted_keys(loaded.analysis.flags, loaded.workspace.verdicts)))
    return _projection(loaded.key, accepted, loaded.workspace, loaded.analysis)


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
    set_workspace(replace(ws, overrides={**ws.overrides, signature: corrections}))


def edit_item(item: pd.Series, field: str, value: str) -> None:
    ws = workspace()
    set_workspace(replace(ws, edits=record_edit(ws.edits, str(item["item_key"]), field, value)))


def set_verdicts(keys: list[str], verdict: str) -> None:
    """Accept, reject or reopen 流程再造 flags by key."""
    ws = workspace()
    set_workspace(replace(ws, verdicts=with_verdicts(ws.verdicts, keys, verdict)))


def load_verdicts(loaded: Mapping[str, str]) -> None:
    """Lay verdicts loaded from a saved file over the current ones."""
    ws = workspace()
    set_workspace(replace(ws, verdicts=merge_verdicts(ws.verdicts, loaded)))


def set_decision_rules(table: pd.DataFrame) -> None:
    """Classify decisions by another rule table (as edited on the 导入 screen)."""
    ws = workspace()
    set_workspace(replace(ws, settings=ws.settings.with_decisions(table)))


def set_targets(targets: Targets, benchmarks: dict[str, float]) -> None:
    ws = workspace()
    set_workspace(replace(ws, settings=ws.settings.with_targets(targets), benchmarks=benchmarks))
