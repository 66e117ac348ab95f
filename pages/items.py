"""事项: the item table, filtered; decisions and new committed limits edited in place (saved to the
open round at once); an item's history."""

from __future__ import annotations

from functools import partial

import streamlit as st

from approvals.views.items import item_filters, items_view
from approvals.views.rounds import filtered_history
from ui.frame import page
from ui.state import (
    cached,
    cached_round,
    history,
    item_table_key,
    save_item_form,
    save_table_edits,
    table_refusals,
)
from ui.widgets import edit_table, metrics, page_number, page_picker, plain, show_table

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
    filtered = f"{departments}|{categories}|{decisions}|{search}"
    page_key, number = page_number("items", filtered)
    view = cached(
        loaded,
        f"items|{filtered}|{number}",
        partial(items_view, analysis, departments=departments, categories=categories, decisions=decisions,
                search=search, page=number),
    )  # fmt: skip
    metrics(view.metrics)
    st.caption(
        "左边的“处理意见”和“承诺办结时限（清理后）”两列可以直接修改，修改后精简率和缩短率立即重新计算；"
        "时限按导入时的规则识别，无法识别的不保存并保留原值。原始清单不变，修改记录在“已修改”一列。"
    )
    for refusal in table_refusals():
        st.error(plain(refusal), icon=":material/error:")
    pinned = {name: st.column_config.Column(pinned=True) for name in view.pinned}
    edited = edit_table(
        view.table,
        empty="没有符合筛选条件的事项。",
        hide_index=True,
        disabled=loaded.read_only or [c for c in view.table.columns if c not in view.editable],
        column_config={
            **pinned,
            "处理意见": st.column_config.SelectboxColumn(
                "处理意见", options=view.decision_options, required=True, pinned=True
            ),
            "承诺办结时限（清理后）": st.column_config.TextColumn(
                "承诺办结时限（清理后）",
                help="如“20个工作日”“二十个工作日”“30个自然日”“即办”“法律未规定”",
                pinned=True,
            ),
            "缩短率": st.column_config.NumberColumn("缩短率", format="percent"),
            "清理前时限（工作日）": st.column_config.NumberColumn(format="%.2f"),
            "清理后时限（工作日）": st.column_config.NumberColumn(format="%.2f"),
        },
        key=f"{item_table_key()}|{view.paging.page}",  # kept across saved edits: the table keeps its scroll
    )
    page_picker(view.paging, "项", page_key)
    if save_table_edits(loaded, view, edited):
        st.rerun()

    with st.form("items_edit", clear_on_submit=True):
        st.markdown("**修改一个事项**（可写明理由，记入修改记录）")
        c = st.columns([4, 2, 3])
        chosen = c[0].selectbox(
            "事项", list(view.labels), format_func=view.labels.__getitem__, index=None,
            key="items_edit_item", placeholder="选择或输入事项名称",
        )  # fmt: skip
        decision = c[1].selectbox("处理意见", view.decision_options, key="items_edit_decision")
        target = c[2].text_input("合并至（处理意见为合并时填写）", key="items_edit_target")
        c = st.columns([2, 5])
        limit = c[0].text_input(
            "承诺办结时限（清理后，空则不变）", key="items_edit_limit", placeholder="如：10个工作日"
        )
        reason = c[1].text_input("理由", key="items_edit_reason", placeholder="如：市政府常务会议决定")
        saved = st.form_submit_button("保存修改", icon=":material/save:", disabled=loaded.read_only)
    if (
        saved
        and chosen is not None
        and save_item_form(loaded, view.item(chosen), str(decision), target, limit, reason)
    ):
        st.rerun()

    st.subheader("修改记录")
    if loaded.sample:
        st.caption("示例数据只读，没有修改记录；修改后会自动新建清理批次并记录每一次修改。")
    else:
        labels = view.labels
        chosen = st.selectbox(
            "事项",
            list(labels),
            format_func=labels.__getitem__,
            index=None,
            key="items_history_item",
            placeholder="选择事项，查看谁在何时改了什么",
        )
        if chosen is not None:
            rows = cached_round(
                loaded, f"item_history|{chosen}", partial(filtered_history, history(loaded), item_key=chosen)
            )
            if rows.empty:
                st.caption("此事项还没有修改记录。")
            else:
                show_table(rows, hide_index=True, key="items_history")
