"""The frame every page draws first: page config, the sidebar menu, the data set, uploads.

Pages live in pages/ (Streamlit's file-based pages, default menu hidden by config) and each calls
:func:`frame` itself, so a page opened directly — a bookmark after a restart, the first request
to a fresh server — still gets the whole frame.
"""

from __future__ import annotations

import logging
from collections.abc import Iterator
from contextlib import contextmanager
from functools import partial

import streamlit as st

from approvals.views.frame import dataset_status
from ui.state import Loaded, add_uploads, cached, load, restore_sample

APP_TITLE = "审批流程精简分析器"
PAGES: list[tuple[str, str, str]] = [
    ("app.py", "开始", ":material/home:"),
    ("pages/overview.py", "总览", ":material/monitoring:"),
    ("pages/import.py", "导入", ":material/upload_file:"),
    ("pages/items.py", "事项", ":material/table_view:"),
    ("pages/process.py", "流程图", ":material/account_tree:"),
    ("pages/redesign.py", "流程再造", ":material/auto_fix_high:"),
    ("pages/export.py", "导出", ":material/download:"),
]
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
    """A file uploader whose files join the workspace as soon as they are chosen."""

    def added() -> None:
        files = st.session_state.get(key) or []
        if files:
            add_uploads([(f.name, f.getvalue()) for f in files])

    st.file_uploader(
        label,
        type=UPLOAD_TYPES,
        accept_multiple_files=True,
        key=key,
        on_change=added,
        help="各部门报送的 Excel（.xlsx / .xls）或 CSV 文件；上传后替换示例数据，再次上传则追加。",
    )


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
    loaded = load()
    with st.sidebar:
        _dataset(loaded)
    for failure in loaded.failures:
        st.error(str(failure), icon=":material/error:")
    return loaded


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
        f"{PAGE_ERROR}（{type(exc).__name__}），详细信息已记录在服务器日志中。"
        "已导入的数据和其他页面不受影响；可以刷新页面或恢复示例数据后重试。",
        icon=":material/error:",
    )


def _dataset(loaded: Loaded) -> None:
    status = cached(
        loaded, "dataset_status", partial(dataset_status, loaded.workspace, loaded.analysis, loaded.failures)
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
        st.button("恢复示例数据", on_click=restore_sample, icon=":material/restart_alt:")
