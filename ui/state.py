"""The app's state and caches: the open round (or the read-only sample), its analysis, each step
cached; every change written to the store at once.

The store is opened once per server and database; a round's state is read again only when its
revision grows (any change, by anyone). Reading is cached per file and reading key (content,
corrections, column settings), the dataset per dataset key, the analysis per analysis key: each
step is one call into approvals.workspace, so a rerun after an edit re-does only what the edit
touched. Cached objects are shared and never mutated: every approvals function returns new tables.

Which round a browser shows is kept in the page address (``?round=3``), so a reload, a bookmark or
a restarted server opens it again; a new visitor gets the round changed last. The analyst's name
is asked once per browser session (a session cookie) or taken from the login when one is set up.
"""

from __future__ import annotations

import functools
import json
import threading
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field, replace
from datetime import datetime
from pathlib import Path
from typing import Any, ParamSpec, TypeVar, cast
from urllib.parse import quote, unquote

import pandas as pd
import plotly.graph_objects as go
import streamlit as st

from approvals.analysis import Analysis, Projection
from approvals.dataset.build import Dataset
from approvals.dataset.edits import EDITABLE_FIELDS
from approvals.errors import ApprovalsError, PermissionRefused, ReadError
from approvals.memory import release_unused_memory
from approvals.read.reading import Reading
from approvals.redesign.verdicts import accepted_keys
from approvals.settings import Settings, load_settings
from approvals.settings.targets import Targets
from approvals.store.compare import Comparison, compare_analyses
from approvals.store.db import default_url
from approvals.store.records import (
    CURRENT,
    READER,
    EditConflict,
    ImportRecord,
    ImportResult,
    Round,
    RoundState,
    Snapshot,
)
from approvals.store.rounds import AUDIT_COLUMNS, Store, shown_value
from approvals.views.items import ItemsView, item_changes, item_form_changes
from approvals.workspace import (
    Upload,
    Workspace,
    read_upload,
    sample_workspace,
    workspace_analysis,
    workspace_dataset,
    workspace_projection,
)
from ui.widgets import plain

T = TypeVar("T")
P = ParamSpec("P")
SAMPLE_DIR = Path(__file__).resolve().parent.parent / "data" / "sample"
SAMPLE = "sample"  # the read-only demo round
ROUND_KEY = "round"  # session and page-address key of the open round
ANALYST_KEY = "analyst"
ANALYST_COOKIE = "approvals_analyst"
NO_NAME = "未署名"
SEEN_KEY = "read_digests"
VERSIONS_KEY = "seen_versions"  # the item versions the analyst last saw
CONFLICT_KEY = "conflict"
NOTICE_KEY = "notices"
BENCHMARKS_KEY = "benchmarks"
EDITS_KEY = "edit_count"  # how many times the item table started afresh: part of its key
TABLE_SAVED_KEY = "items_table_saved"  # the item table (key, rows, columns) and the cells it saved
TABLE_REFUSED_KEY = "items_table_refused"  # what the item table refused, said beside it next run
PROGRESS_FROM_BYTES = 1 << 20  # files this large show a progress bar while they are read
# What the server keeps for every session to share, by count: files read, analyses (one per round
# and state of its edits), and the views and charts made from them. Past the count the least
# recently used goes, so memory stays bounded however many sessions come and go (make load).
READINGS_KEPT = 128
ANALYSES_KEPT = 12
VIEWS_KEPT = ANALYSES_KEPT * 16
# Where the bar stands when reading is done and when the tables are built (analysis takes the rest).
READING_SHARE, BUILDING_SHARE = 0.6, 0.8
_EMPTY_HISTORY = pd.DataFrame(columns=["id", *AUDIT_COLUMNS])


@dataclass(frozen=True)
class Loaded:
    """What a page renders: the workspace, its analysis, files that could not be read, and the
    round it belongs to (None for the sample)."""

    workspace: Workspace
    analysis: Analysis
    failures: list[ReadError]
    key: str  # identifies the analysis (files, corrections, settings, edits, benchmarks)
    round: Round | None = None
    state: RoundState | None = field(default=None, repr=False)
    seen: Mapping[str, int] = field(default_factory=dict, repr=False)  # item versions last shown
    refusal: str = ""  # why the analyst may only read the round ("" when they may change it)

    @property
    def sample(self) -> bool:
        return self.round is None

    @property
    def read_only(self) -> bool:
        return bool(self.refusal)


@dataclass(frozen=True)
class Conflict:
    """An edit the analyst made over one they had not seen: theirs waits for a choice."""

    item_key: str
    item: pd.Series
    changes: dict[str, str]
    reason: str
    error: EditConflict

    @property
    def shown_changes(self) -> list[tuple[str, str]]:
        """The analyst's own edit as they would read it: (field, value) in Chinese."""
        return [(EDITABLE_FIELDS[k], shown_value(k, v) or "（空）") for k, v in self.changes.items()]


@st.cache_resource(show_spinner=False)
def settings() -> Settings:
    """The settings, loaded once per server (the bundled ones, or APPROVALS_SETTINGS's folder);
    a new round starts with them."""
    return load_settings()


# How often the server gives freed memory back to the system (approvals.memory).
RELEASE_MEMORY_EVERY = 30.0


@st.cache_resource(show_spinner=False)
def memory_releaser() -> threading.Thread:
    """A thread of the server's own, started once, that returns freed memory to the system every
    RELEASE_MEMORY_EVERY seconds: sessions come and go, and the server must not keep what each
    of them freed."""

    def release() -> None:
        while True:
            time.sleep(RELEASE_MEMORY_EVERY)
            release_unused_memory()

    thread = threading.Thread(target=release, name="approvals-release-memory", daemon=True)
    thread.start()
    return thread


@st.cache_resource(show_spinner=False)
def _store(url: str) -> Store:
    return Store.open(url)


def store() -> Store:
    """The store of this server (APPROVALS_DB_URL, else the data folder's SQLite file)."""
    return _store(default_url())


@st.cache_resource(show_spinner=False)
def _sample_workspace() -> Workspace:
    return sample_workspace(settings(), SAMPLE_DIR)


@st.cache_resource(show_spinner=False, max_entries=4)
def _state(url: str, round_id: int, revision: int, snapshot: str) -> RoundState:
    db = _store(url)
    return db.state(db.round_by_id(round_id), snapshot or None)


# ------------------------------------------------------------------ which round, and who


def open_round() -> Round | None:
    """The round this browser has open (None: the sample). Kept in the page address."""
    chosen = st.session_state.get(ROUND_KEY)
    if chosen is None:
        chosen = _first_round()
    if chosen == SAMPLE:
        st.query_params.pop(ROUND_KEY, None)
        st.session_state[ROUND_KEY] = SAMPLE
        return None
    try:
        found = store().round_by_id(int(chosen))
    except (ApprovalsError, ValueError):
        st.session_state[ROUND_KEY] = SAMPLE
        st.query_params.pop(ROUND_KEY, None)
        return None
    st.session_state[ROUND_KEY] = found.id
    st.query_params[ROUND_KEY] = str(found.id)
    return found


def _first_round() -> int | str:
    """A new session's round: the one the page address names, else the one changed last."""
    asked = st.query_params.get(ROUND_KEY)
    if asked is not None:
        return SAMPLE if asked == SAMPLE else asked
    rounds = store().rounds()
    return rounds[0].id if rounds else SAMPLE


def choose_round(choice: int | str) -> None:
    """Open another round (an id) or the sample."""
    st.session_state[ROUND_KEY] = choice
    st.session_state.pop(CONFLICT_KEY, None)
    st.session_state.pop(VERSIONS_KEY, None)


def rounds() -> list[Round]:
    return store().rounds()


def analyst() -> str:
    """Who is working: the login's name when one is set up, else the name given in this browser
    session (kept in a session cookie), else 未署名."""
    try:
        if st.user.is_logged_in:
            return str(st.user.get("name") or st.user.get("email") or NO_NAME)
    except (AttributeError, KeyError):  # no login set up
        pass
    if ANALYST_KEY not in st.session_state:
        cookie = st.context.cookies.get(ANALYST_COOKIE, "")
        st.session_state[ANALYST_KEY] = unquote(cookie) if isinstance(cookie, str) else ""
    return str(st.session_state[ANALYST_KEY]).strip() or NO_NAME


def logged_in() -> bool:
    try:
        return bool(st.user.is_logged_in)
    except AttributeError:
        return False


def login_configured() -> bool:
    """Whether signing in is set up: an ``[auth]`` section in .streamlit/secrets.toml."""
    try:
        return "auth" in st.secrets
    except FileNotFoundError:  # no secrets file at all
        return False


def refusal_of(current: Round | None) -> str:
    """Why the analyst may only read ``current`` ("" when they may change it; the sample's
    changes go into a new round of their own)."""
    if current is None or store().role_of(current, analyst()) != READER:
        return ""
    return (
        f"{analyst()}对清理批次“{current.name}”只有查看权限：修改、导入、快照和改名已停用。"
        f"如需修改，请联系批次创建人（{current.created_by}）设置权限。"
    )


def _refused_said(change: Callable[P, None]) -> Callable[P, None]:
    """A change that, refused to a reader, says so above the page (and saves nothing)."""

    @functools.wraps(change)
    def guarded(*args: P.args, **kwargs: P.kwargs) -> None:
        try:
            change(*args, **kwargs)
        except PermissionRefused as refusal:
            notify(f"未能完成：{refusal}")
            _restart_item_table()  # the item table shows what is saved again

    return guarded


def remember_analyst(name: str) -> str:
    """Remember the analyst's name for this browser session; the script that sets the cookie."""
    clean = " ".join(name.split())[:100]
    st.session_state[ANALYST_KEY] = clean
    value = json.dumps(f"{ANALYST_COOKIE}={quote(clean)}; path=/; SameSite=Strict")
    return f"<script>document.cookie = {value};</script>"


# ------------------------------------------------------------------ the data of a page


def workspace() -> Workspace:
    """The open round's workspace (its current state), or the sample's."""
    return _workspace_of(open_round())[0]


def _workspace_of(current: Round | None, snapshot: str = "") -> tuple[Workspace, RoundState | None]:
    if current is None:
        return _sample_workspace(), None
    db = store()
    state = _state(default_url(), current.id, db.revision(current.id), snapshot)
    ws = state.workspace()
    benchmarks = st.session_state.get(BENCHMARKS_KEY, {}).get(current.id)
    return (replace(ws, benchmarks=benchmarks) if benchmarks else ws), state


@st.cache_resource(show_spinner=False, max_entries=READINGS_KEPT)
def _read(key: str, _upload: Upload, _ws: Workspace) -> Reading | ReadError:
    return read_upload(_upload, _ws.settings, _ws.overrides)


@st.cache_resource(show_spinner=False, max_entries=8)
def _dataset(
    key: str, _ws: Workspace, _readings: tuple[Reading | ReadError, ...]
) -> tuple[Dataset, list[ReadError]]:
    return workspace_dataset(_ws, list(_readings))


@st.cache_resource(show_spinner=False, max_entries=ANALYSES_KEPT)
def _analysis(key: str, _ws: Workspace, _dataset: Dataset) -> Analysis:
    return workspace_analysis(_ws, _dataset)


def _loaded(ws: Workspace, current: Round | None, state: RoundState | None) -> Loaded:
    """Read (or reuse) every file of the workspace and analyse it; a progress bar for slow files."""
    seen: set[str] = st.session_state.setdefault(SEEN_KEY, set())
    keys = [ws.reading_key(f) for f in ws.files]
    fresh = [f for f, key in zip(ws.files, keys, strict=True) if key not in seen]
    slow = sum(len(f.data) for f in fresh) >= PROGRESS_FROM_BYTES or len(fresh) > 3
    bar = st.progress(0.0, text="正在读取清单……") if slow else None
    readings = []
    for n, (f, key) in enumerate(zip(ws.files, keys, strict=True), start=1):
        if bar is not None:
            share = READING_SHARE * (n - 1) / len(ws.files)
            bar.progress(share, text=f"正在读取（{n}/{len(ws.files)}）：{plain(f.name)}")
        readings.append(_read(key, f, ws))
        seen.add(key)
    if bar is not None:
        bar.progress(READING_SHARE, text="正在整理事项和办理环节……")
    dataset, failures = _dataset(ws.dataset_key(), ws, tuple(readings))
    if bar is not None:
        bar.progress(BUILDING_SHARE, text="正在计算精简率、缩短率、关键路径和再造建议……")
    key = ws.analysis_key()
    analysis = _analysis(key, ws, dataset)
    if bar is not None:
        bar.empty()
    return Loaded(ws, analysis, failures, key, current, state)


def load() -> Loaded:
    """The open round (or the sample), read and analysed.

    An edit the analyst makes in this run was made on what the last run showed, so the item
    versions of the last run go with it (:attr:`Loaded.seen`): an edit someone saved in between
    is then a conflict, not silently overwritten.
    """
    current = open_round()
    ws, state = _workspace_of(current)
    versions = dict(state.versions) if state is not None else {}
    round_id = current.id if current is not None else None
    last = st.session_state.get(VERSIONS_KEY)
    seen = last[1] if last is not None and last[0] == round_id else versions
    st.session_state[VERSIONS_KEY] = (round_id, versions)
    return replace(_loaded(ws, current, state), seen=seen, refusal=refusal_of(current))


def load_snapshot(loaded: Loaded, label: str) -> Loaded:
    """The open round as its snapshot ``label`` froze it (the current state for "")."""
    if not label or loaded.round is None:
        return loaded
    ws, state = _workspace_of(loaded.round, label)
    return _loaded(ws, loaded.round, state)


@st.cache_resource(show_spinner=False, max_entries=VIEWS_KEPT)
def _made(key: str, _make: Callable[[], Any]) -> Any:
    return _make()


def cached(loaded: Loaded, name: str, make: Callable[[], T], *, verdicts: bool = False) -> T:
    """A view or chart made once per analysis and ``name`` (which must say everything else it
    depends on: item, version, marked steps, scope …) and, with ``verdicts``, per set of verdicts;
    reruns reuse it. What it returns is shared: never change it."""
    shown = loaded.workspace.verdicts_key() if verdicts else ""
    return cast(T, _made(f"{loaded.key}|{shown}|{name}", make))


def cached_round(loaded: Loaded, name: str, make: Callable[[], T]) -> T:
    """A view of the round's history made once per revision of the round and ``name``."""
    revision = loaded.round.revision if loaded.round is not None else -1
    round_id = loaded.round.id if loaded.round is not None else -1
    return cast(T, _made(f"round|{default_url()}|{round_id}|{revision}|{name}", make))


def figure(loaded: Loaded, name: str, make: Callable[[], go.Figure]) -> go.Figure:
    """A chart made once per analysis and ``name``, so reruns only send it to the browser."""
    return cached(loaded, f"figure|{name}", make)


@st.cache_resource(show_spinner=False, max_entries=ANALYSES_KEPT // 2)
def _projection(key: str, accepted: tuple[str, ...], _ws: Workspace, _analysis: Analysis) -> Projection:
    return workspace_projection(_ws, _analysis)


def projection(loaded: Loaded) -> Projection:
    """What the accepted 流程再造 suggestions would give, cached per analysis and accepted set."""
    accepted = tuple(sorted(accepted_keys(loaded.analysis.flags, loaded.workspace.verdicts)))
    return _projection(loaded.key, accepted, loaded.workspace, loaded.analysis)


# ------------------------------------------------------------------ changes the screens make


def notify(text: str) -> None:
    """A message for the next run of the page (after st.rerun)."""
    st.session_state.setdefault(NOTICE_KEY, []).append(text)


def notices() -> list[str]:
    return list(st.session_state.pop(NOTICE_KEY, []))


def _stamp() -> str:
    return datetime.now().strftime("%Y-%m-%d %H:%M:%S")


def _writable(*, with_sample: bool = True) -> Round:
    """The open round to write to; on the read-only sample, a new round (holding the sample's
    files unless the change brings files of its own) that is opened instead."""
    current = open_round()
    if current is not None:
        return current
    db = store()
    name = f"示例数据练习（{_stamp()}）" if with_sample else f"清理批次（{_stamp()}）"
    made = db.create_round(name, settings(), by=analyst())
    if with_sample:
        sample = _sample_workspace()
        db.import_files(made, [(f.name, f.data) for f in sample.files], by=analyst())
    choose_round(made.id)
    notify(f"示例数据只读：已新建清理批次“{made.name}”保存您的修改，可在左侧改名。")
    return made


def create_round(name: str, level: str, year: int) -> None:
    made = store().create_round(name, settings().with_year(year), level=level, by=analyst())
    choose_round(made.id)
    notify(f"已新建清理批次“{made.name}”。")


@_refused_said
def rename_round(new_name: str) -> None:
    current = open_round()
    if current is not None:
        store().rename_round(current, new_name, by=analyst())


def _told(result: ImportResult) -> None:
    for name in result.already:
        notify(f"“{name}”与已导入的文件内容相同，未重复保存。")
    for old, new in result.replaced:
        notify(f"“{new}”替换了同一部门先前报送的“{old}”（原文件保留在导入记录中）。")
    for name, reason in result.unreadable:
        notify(f"“{name}”已保存，但无法读取：{reason}")


@_refused_said
def add_uploads(files: list[tuple[str, bytes]]) -> None:
    """Import uploaded files into the open round; uploading onto the sample starts a new round
    with them, unless none of them can be read: then the sample stays and the reasons are said."""
    if open_round() is None:
        readings = [read_upload(Upload.of(name, data), settings()) for name, data in files]
        if all(isinstance(r, ReadError) for r in readings):
            for refusal in readings:
                notify(f"未能完成：{refusal}。没有新建清理批次，仍显示原来的数据；请改正文件后重新上传。")
            return
    current = _writable(with_sample=False)
    large = sum(len(data) for _, data in files) >= PROGRESS_FROM_BYTES
    bar = st.progress(0.0, text="正在导入……") if large else None

    def told(share: float, doing: str) -> None:
        if bar is not None:
            bar.progress(share, text=plain(doing))

    _told(store().import_files(current, files, by=analyst(), progress=told))
    if bar is not None:
        bar.empty()


@_refused_said
def remove_files(names: list[str]) -> None:
    current = open_round()
    if current is not None:
        store().remove_files(current, names, by=analyst())


def restore_sample() -> None:
    choose_round(SAMPLE)


@_refused_said
def set_overrides(signature: str, corrections: dict[str, str]) -> None:
    """Remember a column-mapping correction for every sheet with these headers."""
    store().set_override(_writable(), signature, corrections, by=analyst())


def item_table_key() -> str:
    """The item table's key. It changes only when the table must start afresh (an edit refused,
    a conflict, an edit it shows that the item no longer holds); a saved edit keeps it, so the
    table keeps its place, its scroll position and what the analyst is typing."""
    return f"items_editor_{int(st.session_state.get(EDITS_KEY, 0))}"


def table_refusals() -> list[str]:
    """What the item table refused on the last run (said once)."""
    return list(st.session_state.pop(TABLE_REFUSED_KEY, []))


def _restart_item_table() -> None:
    st.session_state[EDITS_KEY] = int(st.session_state.get(EDITS_KEY, 0)) + 1
    st.session_state.pop(TABLE_SAVED_KEY, None)


def save_table_edits(loaded: Loaded, view: ItemsView, edited: pd.DataFrame) -> bool:
    """Save what the analyst changed in the item table, checked first (a limit the import's
    parser cannot read is refused, said beside the table by :func:`table_refusals`, and the table
    starts afresh with the old value). Whether the page must run again to show what came of it."""
    table = (item_table_key(), tuple(view.table.index), tuple(view.table.columns))
    kept = st.session_state.get(TABLE_SAVED_KEY)
    saved = kept[1] if kept is not None and kept[0] == table else {}
    checked = item_changes(view, edited, loaded.workspace.settings, saved=saved)
    if checked.refusals:
        st.session_state[TABLE_REFUSED_KEY] = list(checked.refusals)
    if checked.changes:
        edit_items(loaded, checked.changes)
        st.session_state[TABLE_SAVED_KEY] = (table, {**saved, **checked.cells})
    if checked.refusals or checked.stale:
        _restart_item_table()
    return bool(checked.changes or checked.refusals or checked.stale)


def edit_items(loaded: Loaded, changes: list[tuple[pd.Series, str, str]]) -> None:
    """Save the cells the analyst changed in the item table: (item row, field, value), one save
    per item."""
    by_item: dict[str, tuple[pd.Series, dict[str, str]]] = {}
    for item, name, value in changes:
        by_item.setdefault(str(item["item_key"]), (item, {}))[1][name] = value
    for item, fields in by_item.values():
        edit_item(loaded, item, fields)


@_refused_said
def edit_item(
    loaded: Loaded, item: pd.Series, changes: Mapping[str, str], *, reason: str = "", force: bool = False
) -> None:
    """Save the analyst's edit of one item; over an edit they have not seen, a conflict to
    resolve instead (``force`` applies theirs over it after they chose to)."""
    if not changes:
        return
    key = str(item["item_key"])
    current = _writable()
    same = loaded.round is not None and loaded.round.id == current.id
    expected = int(loaded.seen.get(key, 0)) if same else 0
    conflict: Conflict | None = st.session_state.get(CONFLICT_KEY)
    if force and conflict is not None:
        expected = conflict.error.version
    old = {"decision": str(item["decision"]), "merge_target": str(item["merge_target"]),
           "committed": str(item["committed_text"])}  # fmt: skip
    try:
        store().edit_item(
            current, key, dict(changes), old=old, item=str(item["name"]), department=str(item["department"]),
            by=analyst(), reason=reason.strip(), expected=expected,
        )  # fmt: skip
    except EditConflict as error:
        # The panel holds the analyst's edit now; the table starts afresh from what was saved,
        # so the waiting edit is not sent again on the next run.
        st.session_state[CONFLICT_KEY] = Conflict(key, item, dict(changes), reason, error)
        _restart_item_table()
        return
    st.session_state.pop(CONFLICT_KEY, None)
    st.session_state.pop(VERSIONS_KEY, None)


def conflict() -> Conflict | None:
    return cast(Conflict | None, st.session_state.get(CONFLICT_KEY))


def keep_theirs() -> None:
    st.session_state.pop(CONFLICT_KEY, None)
    st.session_state.pop(VERSIONS_KEY, None)
    _restart_item_table()


def apply_mine(loaded: Loaded) -> None:
    waiting = conflict()
    if waiting is not None:
        edit_item(loaded, waiting.item, waiting.changes, reason=waiting.reason, force=True)


@_refused_said
def set_verdicts(loaded: Loaded, keys: list[str], verdict: str) -> None:
    """Accept, reject or reopen 流程再造 flags by key."""
    flags = loaded.analysis.flags
    store().set_verdicts(_writable(), flags[flags["flag_key"].isin(set(keys))], verdict, by=analyst())


@_refused_said
def load_verdicts(loaded: Loaded, verdicts: Mapping[str, str]) -> None:
    """Lay verdicts loaded from a saved file over the current ones."""
    store().load_verdicts(_writable(), verdicts, loaded.analysis.flags, by=analyst())


@_refused_said
def set_decision_rules(loaded: Loaded, table: pd.DataFrame) -> None:
    """Classify decisions by another rule table (as edited on the 导入 screen), kept with the round."""
    current = _writable()
    new = loaded.workspace.settings.with_decisions(table)
    store().set_settings(current, new, by=analyst(), reason="在“导入”页修改处理意见对照表")


@_refused_said
def set_targets(loaded: Loaded, targets: Targets, benchmarks: dict[str, float]) -> None:
    """Other targets (kept with the round) and benchmarks (for this browser session)."""
    current = _writable()
    store().set_settings(
        current, loaded.workspace.settings.with_targets(targets), by=analyst(), reason="在“总览”页修改目标"
    )
    st.session_state.setdefault(BENCHMARKS_KEY, {})[current.id] = benchmarks


@_refused_said
def take_snapshot(label: str) -> None:
    current = open_round()
    if current is not None:
        made = store().snapshot(current, label, by=analyst())
        notify(f"已保存快照“{made.label}”。")


def import_records(loaded: Loaded) -> list[ImportRecord]:
    """Every file imported into the open round, replaced and removed ones too."""
    if loaded.round is None:
        return []
    current = loaded.round
    return cached_round(loaded, "imports", lambda: store().imports(current, everything=True))


def original_file(sha256: str) -> bytes:
    """The bytes of an imported file, exactly as it came."""
    return store().file_bytes(sha256)


def history(loaded: Loaded) -> pd.DataFrame:
    """The open round's audit trail, newest first (empty for the sample)."""
    if loaded.round is None:
        return _EMPTY_HISTORY
    current = loaded.round
    return cached_round(loaded, "history", lambda: store().history(current))


def snapshots(loaded: Loaded) -> list[Snapshot]:
    if loaded.round is None:
        return []
    current = loaded.round
    return cached_round(loaded, "snapshots", lambda: store().snapshots(current))


def comparison(loaded: Loaded, source: str, target: str) -> Comparison:
    """Two states of the open round compared, each analysed through the app's caches."""

    def make() -> Comparison:
        assert loaded.round is not None
        states = [load_snapshot(loaded, "" if s == CURRENT else s) for s in (source, target)]
        marks = sorted(s.state.audit_mark if s.state else 0 for s in states)
        audit = store().history(loaded.round, after=marks[0], upto=marks[1])
        return compare_analyses(source, states[0].analysis, target, states[1].analysis, audit)

    return cached_round(loaded, f"compare|{source}|{target}", make)


def save_item_form(
    loaded: Loaded, item: pd.Series, decision: str, target: str, limit: str, reason: str
) -> bool:
    """Save the 事项 form's edit of one item; a refusal (a limit that cannot be read, a merge
    without its target) is said on the page. Whether anything was saved or is waiting."""
    try:
        changes = item_form_changes(
            item, loaded.workspace.settings, decision=decision, target=target, limit=limit
        )
    except ApprovalsError as refusal:
        st.error(str(refusal))
        return False
    if not changes:
        st.info("与现有的处理意见和时限相同，未作修改。")
        return False
    edit_item(loaded, item, changes, reason=reason)
    return True
