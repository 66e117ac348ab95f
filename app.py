"""审批流程精简分析器 — the start page: the loaded data set's headline figures and where to go next.

Run with ``make run``. Every page (this one and those in pages/) draws the shared frame itself.
"""

from __future__ import annotations

from functools import partial

import streamlit as st

from approvals.views.overview import overview
from ui.frame import page, screen_links
from ui.state import cached
from ui.widgets import headline, plain

with page("开始", needs_items=False) as loaded:
    shown = cached(loaded, "overview", partial(overview, loaded.analysis))

    st.title("审批流程精简分析器")
    st.markdown(
        f"当前数据：**{plain(loaded.workspace.label)}**。下面是各清单的精简率和缩短率，"
        "再往下是每个页面的入口，顺序与左侧菜单相同。"
    )
    if shown.empty:
        st.info("当前没有可分析的事项。请在左侧或“导入”页上传清单，或恢复示例数据。")
    else:
        headline(shown.headline)

    st.divider()
    screen_links()
