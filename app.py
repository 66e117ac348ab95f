"""审批流程精简分析器 — the start page: the loaded data set's headline figures and where to go next.

Run with ``make run``. Every page (this one and those in pages/) draws the shared frame itself.
"""

from __future__ import annotations

from functools import partial

import streamlit as st

from approvals.views.overview import overview
from ui.frame import page
from ui.state import cached
from ui.widgets import headline

with page("开始") as loaded:
    shown = cached(loaded, "overview", partial(overview, loaded.analysis))

    st.title("审批流程精简分析器")
    st.markdown(
        f"当前数据：**{loaded.workspace.label}**。下面是各清单的精简率和缩短率；"
        "在“导入”中上传各部门报送的清单，在“总览”中按部门查看是否达标，在“事项”中修改处理意见，"
        "在“流程图”中查看每个保留事项再造前后的办理流程。"
    )
    if shown.empty:
        st.info("当前没有可分析的事项。请在左侧或“导入”页上传清单，或恢复示例数据。")
    else:
        headline(shown.headline)

    st.divider()
    cols = st.columns(4)
    cols[0].page_link("pages/overview.py", label="总览：按部门对照目标", icon=":material/monitoring:")
    cols[1].page_link("pages/import.py", label="导入：上传清单、核对列名", icon=":material/upload_file:")
    cols[2].page_link("pages/items.py", label="事项：筛选并修改处理意见", icon=":material/table_view:")
    cols[3].page_link("pages/process.py", label="流程图：再造前后对比", icon=":material/account_tree:")
