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
from hashlib import sha256
from typing import NamedTuple

import streamlit as st

from approvals.errors import ApprovalsError
from approvals.views.frame import dataset_status, empty_note
from approvals.views.rounds import round_label
from ui import state
from ui.state import Loaded, cached
from ui.widgets import plain

APP_TITLE = "审批流程精简分析器"


class Page(NamedTuple):
    """One screen of the menu: its file, its name, its icon, and what it is for (the start
    page's link to it says so)."""

    path: str
    label: str
    icon: str
    purpose: str


START_PAGE = "app.py"
# The one list of screens: the menu and the start page's links are both drawn from it.
PAGES: list[Page] = [
    Page(START_PAGE, "开始", ":material/home:", "各清单的精简率和缩短率"),
    Page("pages/overview.py", "总览", ":material/monitoring:", "按部门对照目标"),
    Page("pages/import.py", "导入", ":material/upload_file:", "上传清单、核对列名和处理意见"),
    Page("pages/items.py", "事项", ":material/table_view:", "筛选并修改处理意见"),
    Page("pages/process.py", "流程图", ":material/account_tree:", "再造前后的办理流程对比"),
    Page("pages/redesign.py", "流程再造", ":material/auto_fix_high:", "采纳或不采纳再造建议"),
    Page("pages/benchmarks.py", "对标", ":material/leaderboard:", "同一事项各地承诺时限的对比"),
    Page("pages/export.py", "导出", ":material/download:", "公布用目录、分析工作簿和报告"),
    Page("pages/history.py", "历史", ":material/history:", "快照、版本对比和修改记录"),
]
SAMPLE_CHOICE = "示例数据（只读演示）"
LEVELS = ["", "市本级", "县本级", "区本级", "省本级", "乡镇（街道）"]  # "": as the lists' own titles say
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
# Uploaders take every file and the readers answer in Chinese for one they cannot read (a
# browser's own refusal of a file type would be in English); the accepted types are said beside
# each uploader instead.
UPLOAD_NOTE = (
    "可上传 Excel 工作簿（.xlsx、.xls、.xlsm）或 CSV、文本表格（.csv、.txt）；其他文件会说明无法读取的原因。"
)


def upload_widget(key: str, label: str = "上传清单（可多选）", *, disabled: bool = False) -> None:
    """A file uploader whose files go into the open round as soon as they are chosen.

    The uploader keeps listing what was chosen before; only the files new to it are imported,
    so a file refused once is not sent again with the next choice."""

    def added() -> None:
        files = {
            f"{f.name}|{sha256(f.getvalue()).hexdigest()}": (f.name, f.getvalue())
            for f in st.session_state.get(key) or []
        }
        # What is no longer in the uploader may be chosen again.
        handled = st.session_state.get(f"{key}_handled", set()) & files.keys()
        fresh = [file for mark, file in files.items() if mark not in handled]
        st.session_state[f"{key}_handled"] = handled | files.keys()
        if fresh:
            _guarded(state.add_uploads, fresh)

    st.file_uploader(
        label,
        accept_multiple_files=True,
        key=key,
        on_change=added,
        disabled=disabled,
        help=f"{UPLOAD_NOTE}各部门报送的文件保存到当前清理批次（原文件完整保留）；在示例数据上上传则新建一个清理批次。",
    )


def screen_links(per_row: int = 4) -> None:
    """Links to every screen of the menu but the start page, in the menu's order, each saying
    what the screen is for."""
    screens = [p for p in PAGES if p.path != START_PAGE]
    for first in range(0, len(screens), per_row):
        for cell, screen in zip(st.columns(per_row), screens[first : first + per_row], strict=False):
            cell.page_link(screen.path, label=f"{screen.label}：{screen.purpose}", icon=screen.icon)


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
    state.memory_releaser()
    if state.login_configured() and not state.logged_in():
        _sign_in()
        st.stop()
    with st.sidebar:
        st.markdown(f"### {APP_TITLE}")
        for screen in PAGES:
            st.page_link(screen.path, label=screen.label, icon=screen.icon)
        st.divider()
        _round_selector()
    loaded = state.load()
    with st.sidebar:
        _dataset(loaded)
    note = state.store().opened.note
    if note:
        st.sidebar.caption(plain(note))
    # One container whatever it holds: the page's own elements keep their places from one run to
    # the next, so a notice that comes and goes does not reset the page's tabs or charts.
    with st.container():
        for text in state.notices():
            (st.warning if text.startswith("未能完成") else st.info)(plain(text), icon=":material/info:")
        for failure in loaded.failures:
            st.error(plain(failure), icon=":material/error:")
        if loaded.read_only:
            st.caption(f":material/lock: {plain(loaded.refusal)}")
        _conflict(loaded)
    return loaded


SIGN_IN_NOTE = "本系统仅供单位内部使用，请先用单位账号登录；登录后的姓名将记入修改记录。"


def _sign_in() -> None:
    """What a visitor sees before signing in, on every page: the title, one sentence, 登录."""
    st.title(APP_TITLE)
    st.markdown(SIGN_IN_NOTE)
    st.button("登录", on_click=st.login, type="primary", icon=":material/login:", key="frame_login")


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
            level = c[0].selectbox("层级", LEVELS, format_func=lambda v: v or "按清单标题判断")
            year = c[1].number_input("年度", min_value=2004, max_value=2100, value=date.today().year, step=1)
            if st.form_submit_button("新建", icon=":material/add:"):
                _guarded(state.create_round, name, str(level), int(year))
                st.rerun()
        if current is not None:
            with st.form("frame_rename_round", border=False):
                new_name = st.text_input("改名为", value=current.name)
                if st.form_submit_button("改名", disabled=bool(state.refusal_of(current))):
                    _guarded(state.rename_round, new_name)
                    st.rerun()
    if state.logged_in():
        st.caption(f"修改人：{plain(state.analyst())}")
        st.button("退出登录", on_click=st.logout, icon=":material/logout:", key="frame_logout")
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
        st.warning(plain(waiting.error), icon=":material/warning:")
        mine = "，".join(f"{field}改为“{value}”" for field, value in waiting.shown_changes)
        st.markdown(f"您的修改：{plain(mine)}")
        c = st.columns([1, 1, 3])
        c[0].button("保留对方的修改", on_click=state.keep_theirs, key="frame_keep_theirs", type="primary")
        c[1].button("仍用我的修改", on_click=state.apply_mine, args=(loaded,), key="frame_apply_mine")


PAGE_ERROR = "页面出错"


@contextmanager
def page(title: str, *, needs_items: bool = True) -> Iterator[Loaded]:
    """Draw the frame and run the page body; a defect in either shows a Chinese message, never a
    traceback (Streamlit's stop and rerun are not exceptions of this kind and pass through).

    A page that ``needs_items`` shows, on a data set without items, what is missing and stops."""
    try:
        loaded = frame(title)
    except Exception as exc:
        _defect(title, exc)
        st.stop()
    note = empty_note(len(loaded.analysis.dataset.items), len(loaded.workspace.files), len(loaded.failures))
    if needs_items and note:
        st.title(title)
        st.info(note, icon=":material/info:")
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
    st.markdown(plain(status.label))
    st.caption(plain(status.size))
    for line in status.lists:
        st.caption(plain(line))
    if status.errors:
        st.caption(f":red[{plain(status.errors)}]")
    upload_widget("sidebar_upload", disabled=loaded.read_only)
    if not status.sample:
        st.button("打开示例数据", on_click=state.restore_sample, icon=":material/restart_alt:")
