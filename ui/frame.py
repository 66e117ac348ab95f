"""The frame every page draws first: page config, the sidebar menu, the round, the analyst, the
data set, uploads; and above the page, what the last change said and any conflict to resolve.

Pages live in pages/ (Streamlit's file-based pages, default menu hidden by config) and each calls
:func:`frame` itself, so a page opened directly — a bookmark after a restart, the first request
to a fresh server — still gets the whole frame.
"""

from __future__ import annotations

import logging
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date
from functools import partial

import streamlit as st

from approvals.errors import ApprovalsError
from approvals.views.frame import dataset_status
from approvals.views.rounds import round_label
from ui import state
from ui.state import Loaded, cached

APP_TITLE = "审批流程精简分析器"
PAGES: list[tuple[str, str, str]] = [
    ("app.py", "开始", ":material/home:"),
    ("pages/overview.py", "总览", ":material/monitoring:"),
    ("pages/import.py", "导入", ":material/upload_file:"),
    ("pages/items.py", "事项", ":material/table_view:"),
    ("pages/process.py", "流程图", ":material/account_tree:"),
    ("pages/redesign.py", "流程再造", ":material/auto_fix_high:"),
    ("pages/export.py", "导出", ":material/download:"),
    ("pages/history.py", "历史", ":material/history:"),
]
SAMPLE_CHOICE = "示例数据（只读演示）"
LEVELS = ["市本级", "县本级", "区本级", "省本级", "乡镇（街道）"]
# Streamlit has no setting for the language of its own widget text; these rules put Chinese in
# the file uploader's button and note (by its stable data-testid attributes).
CHINESE_WIDGET_TEXT = """
[data-testid="stFileUploaderDropzone"] button [data-testid="stMarkdownContainer"] p { font-size: 0; }
[data-testid="stFileUploaderDropzone"] button [data-testid="stMarkdownContainer"] p::after {
  content: "选择文件"; font-size: 0.875rem; }
[data-testid="stFileUploaderDropzoneInstructions"] span { font-size: 0; }
[data-testid="stFileUploaderDropzoneInstructions"] span::after {
  content: "可拖放 · Excel 或 CSV · 单个不超过 200 MB"; font-size: 0.75rem; }
"""
UPLOAD_TYPES = ["xlsx", "xls", "csv", "xlsm", "txt"]


def upload_widget(key: str, label: str = "上传清单（可多选）") -> None:
    """A file uploader whose files go into the open round as soon as they are chosen."""

    def added() -> None:
        files = st.session_state.get(key) or []
        if files:
            _guarded(state.add_uploads, [(f.name, f.getvalue()) for f in files])

    st.file_uploader(
        label,
        type=UPLOAD_TYPES,
        accept_multiple_files=True,
        key=key,
        on_change=added,
        help="各部门报送的 Excel（.xlsx / .xls）或 CSV 文件，保存到当前清理批次（原文件完整保留）；"
        "在示例数据上上传则新建一个清理批次。",
    )


def _guarded(change: object, *args: object) -> None:
    """Run a change the analyst asked for; a refusal (a name taken, a value out of range) is
    said on the page instead of breaking it."""
    try:
        change(*args)  # type: ignore[operator]
    except ApprovalsError as refusal:
        state.notify(f"未能完成：{refusal}")


def frame(title: str) -> Loaded:
    """Set up the page and the sidebar; return the loaded data set for the page to render."""
    # No page_icon: Streamlit fetches icon fonts for it from the internet, which offices lack.
    st.set_page_config(page_title=f"{title} · {APP_TITLE}", layout="wide", initial_sidebar_state="expanded")
    st.html(f"<style>{CHINESE_WIDGET_TEXT}</style>")
    with st.sidebar:
        st.markdown(f"### {APP_TITLE}")
        for path, label, icon in PAGES:
            st.page_link(path, label=label, icon=icon)
        st.divider()
        _round_selector()
    loaded = state.load()
    with st.sidebar:
        _dataset(loaded)
    note = state.store().opened.note
    if note:
        st.sidebar.caption(note)
    # One container whatever it holds: the page's own elements keep their places from one run to
    # the next, so a notice that comes and goes does not reset the page's tabs or charts.
    with st.container():
        for text in state.notices():
            (st.warning if text.startswith("未能完成") else st.info)(text, icon=":material/info:")
        for failure in loaded.failures:
            st.error(str(failure), icon=":material/error:")
        _conflict(loaded)
    return loaded


def _round_selector() -> None:
    """The open round, the analyst's name, and new rounds."""
    current = state.open_round()
    listed = state.rounds()
    choices: list[int | str] = [state.SAMPLE, *(r.id for r in listed)]
    labels: dict[int | str, str] = {state.SAMPLE: SAMPLE_CHOICE}
    labels.update({r.id: round_label(r) for r in listed})
    chosen = current.id if current is not None else state.SAMPLE
    st.selectbox(
        "清理批次",
        choices,
        index=choices.index(chosen),
        format_func=lambda c: labels[c],
        key=f"frame_round_{chosen}",
        on_change=lambda: state.choose_round(st.session_state[f"frame_round_{chosen}"]),
        help="每个清理批次的文件、修改和快照都保存在数据库中，刷新页面或重启后仍在。",
    )
    if current is None:
        st.caption("示例数据只读：上传清单或修改时自动新建清理批次。")
    with st.expander("新建或改名", icon=":material/add:"):
        with st.form("frame_new_round", clear_on_submit=True, border=False):
            name = st.text_input("新清理批次的名称", placeholder="如：2026年市本级行政审批事项清理")
            c = st.columns(2)
            level = c[0].selectbox("层级", LEVELS)
            year = c[1].number_input("年度", min_value=2004, max_value=2100, value=date.today().year, step=1)
            if st.form_submit_button("新建", icon=":material/add:"):
                _guarded(state.create_round, name, str(level), int(year))
                st.rerun()
        if current is not None:
            with st.form("frame_rename_round", border=False):
                new_name = st.text_input("改名为", value=current.name)
                if st.form_submit_button("改名"):
                    _guarded(state.rename_round, new_name)
                    st.rerun()
    if state.logged_in():
        st.caption(f"修改人：{state.analyst()}")
        return
    given = state.analyst()
    name = st.text_input(
        "您的姓名（记入修改记录）",
        value="" if given == state.NO_NAME else given,
        key="frame_analyst",
        placeholder="如：张三",
    )
    if name.strip() and name.strip() != given:
        st.html(state.remember_analyst(name), unsafe_allow_javascript=True)


def _conflict(loaded: Loaded) -> None:
    """Someone else saved the item the analyst just edited: show theirs, let them choose."""
    waiting = state.conflict()
    if waiting is None:
        return
    with st.container(border=True):
        st.warning(str(waiting.error), icon=":material/warning:")
        mine = "，".join(f"{field}改为“{value}”" for field, value in waiting.shown_changes)
        st.markdown(f"您的修改：{mine}")
        c = st.columns([1, 1, 3])
        c[0].button("保留对方的修改", on_click=state.keep_theirs, key="frame_keep_theirs", type="primary")
        c[1].button("仍用我的修改", on_click=state.apply_mine, args=(loaded,), key="frame_apply_mine")


PAGE_ERROR = "页面出错"


@contextmanager
def page(title: str) -> Iterator[Loaded]:
    """Draw the frame and run the page body; a defect in either shows a Chinese message, never a
    traceback (Streamlit's stop and rerun are not exceptions of this kind and pass through)."""
    try:
        loaded = frame(title)
    except Exception as exc:
        _defect(title, exc)
        st.stop()
    try:
        yield loaded
    except Exception as exc:
        _defect(title, exc)


def _defect(title: str, exc: Exception) -> None:
    logging.getLogger("approvals.app").exception("页面“%s”出错", title)
    st.error(
        f"{PAGE_ERROR}，详细信息已记录在服务器日志中。"
        "已保存的数据和其他页面不受影响；可以刷新页面或打开示例数据后重试。",
        icon=":material/error:",
    )


def _dataset(loaded: Loaded) -> None:
    status = cached(
        loaded,
        f"dataset_status|{loaded.workspace.label}",
        partial(dataset_status, loaded.workspace, loaded.analysis, loaded.failures),
    )
    st.markdown("**当前数据**")
    st.markdown(status.label)
    st.caption(status.size)
    for line in status.lists:
        st.caption(line)
    if status.errors:
        st.caption(f":red[{status.errors}]")
    upload_widget("sidebar_upload")
    if not status.sample:
        st.button("打开示例数据", on_click=state.restore_sample, icon=":material/restart_alt:")
