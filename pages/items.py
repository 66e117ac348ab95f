"""事项: the item table, filtered; decisions and new committed limits edited in place."""

from __future__ import annotations

from functools import partial

import streamlit as st

from approvals.views.items import item_changes, item_filters, items_view
from ui.frame import page
from ui.state import cached, edit_item
from ui.widgets import metrics

with page("事项") as loaded:
    analysis, ws = loaded.analysis, loaded.workspace
    choices = cached(loaded, "item_filters", partial(item_filters, analysis))
    st.title("事项")

    c = st.columns([2, 2, 2, 3])
    departments = c[0].multiselect(
        "实施部门", choices.departments, key="items_departments", placeholder="全部部门"
    )
    categories = c[1].multiselect(
        "事项类型（清单）", choices.categories, key="items_categories", placeholder="全部清单"
    )
    decisions = c[2].multiselect("处理意见", choices.decisions, key="items_decisions", placeholder="全部")
    search = c[3].text_input("搜索（名称、编码、部门、设定依据）", key="items_search")
    view = cached(
        loaded,
        f"items|{departments}|{categories}|{decisions}|{search}",
        partial(items_view, analysis, departments=departments, categories=categories, decisions=decisions,
                search=search),
    )  # fmt: skip
    metrics(view.metrics)

    if view.cut_note:
        st.warning(view.cut_note)
    st.caption(
        "“处理意见”和“承诺办结时限（清理后）”两列可以直接修改，修改后精简率和缩短率立即重新计算；"
        "原始清单不变，修改记录在“已修改”一列。"
    )
    edited = st.data_editor(
        view.table,
        hide_index=True,
        disabled=[c for c in view.table.columns if c not in view.editable],
        column_config={
            "处理意见": st.column_config.SelectboxColumn(
                "处理意见", options=view.decision_options, required=True
            ),
            "承诺办结时限（清理后）": st.column_config.TextColumn(
                "承诺办结时限（清理后）", help="如“10个工作日”“即办”“法律未规定”"
            ),
            "缩短率": st.column_config.NumberColumn("缩短率", format="percent"),
            "清理前时限（工作日）": st.column_config.NumberColumn(format="%.2f"),
            "清理后时限（工作日）": st.column_config.NumberColumn(format="%.2f"),
        },
        key=f"items_editor_{ws.edits_key()}",
    )
    changes = item_changes(view, edited)
    if changes:
        for item, field, value in changes:
            edit_item(item, field, value)
        st.rerun()
