"""历史: the open round's snapshots, the comparison of two states, and the audit trail."""

from __future__ import annotations

from functools import partial

import streamlit as st

from approvals.store.records import CURRENT, CURRENT_LABEL
from approvals.views.rounds import audit_filters, comparison_view, filtered_history, snapshot_table
from ui.frame import page
from ui.state import cached_round, comparison, history, snapshots, take_snapshot
from ui.widgets import plain, show_table

with page("历史", needs_items=False) as loaded:
    st.title("历史")
    if loaded.round is None:
        st.info("示例数据只读，没有历史。请在左侧新建或打开一个清理批次：上传、修改和快照都会记录在这里。")
        st.stop()
    st.caption(f"清理批次“{plain(loaded.round.name)}”的快照、两个版本的对比和全部修改记录。")

    st.subheader("快照")
    frozen = snapshots(loaded)
    with st.form("history_snapshot", clear_on_submit=True):
        c = st.columns([3, 1], vertical_alignment="bottom")
        label = c[0].text_input("快照名称", placeholder="如：初稿、提交常务会议稿", disabled=loaded.read_only)
        saved = c[1].form_submit_button("保存快照", icon=":material/photo_camera:", disabled=loaded.read_only)
        if saved and label.strip():
            take_snapshot(label)
            st.rerun()
    if frozen:
        show_table(snapshot_table(frozen), hide_index=True, key="history_snapshots")
    else:
        st.caption("还没有快照。快照冻结清理批次此刻的状态，之后可用于导出和对比。")

    st.subheader("对比")
    states = [s.label for s in frozen] + [CURRENT]
    shown = {s: (CURRENT_LABEL if s == CURRENT else f"快照“{s}”") for s in states}
    c = list(st.columns(2))
    source = c[0].selectbox(
        "从", states, index=max(len(states) - 2, 0), format_func=shown.__getitem__, key="history_from"
    )
    target = c[1].selectbox(
        "到", states, index=len(states) - 1, format_func=shown.__getitem__, key="history_to"
    )
    if source is not None and target is not None:
        view = cached_round(loaded, f"compare_view|{source}|{target}",
                            lambda: comparison_view(comparison(loaded, source, target)))  # fmt: skip
        st.markdown(plain(view.summary))
        show_table(view.figures, hide_index=True, key="history_figures")
        if len(view.changed):
            st.markdown("**变化的事项**（选中一行查看该事项的修改记录）")
            picked = show_table(
                view.changed,
                hide_index=True,
                on_select="rerun",
                selection_mode="single-row",
                key="history_changed",
            )
            rows = picked.selection.rows if picked is not None else []
            if rows:
                key = view.item_keys[rows[0]]
                st.markdown(f"**{plain(view.item_titles[rows[0]])}**")
                own = cached_round(
                    loaded, f"item_history|{key}", partial(filtered_history, history(loaded), item_key=key)
                )
                show_table(own, empty="此事项没有修改记录。", hide_index=True, key="history_item")
                if st.button("在“事项”页查看此事项", key="history_open_item", icon=":material/table_view:"):
                    st.session_state["items_search"] = view.searches[rows[0]]
                    st.switch_page("pages/items.py")
        for title, table in (("新增的事项", view.added), ("减少的事项", view.removed)):
            if len(table):
                with st.expander(f"{title}（{len(table)} 项）"):
                    show_table(table, hide_index=True)

    st.subheader("修改记录")
    trail = history(loaded)
    choices = cached_round(loaded, "audit_filters", partial(audit_filters, trail))
    c = st.columns([3, 2, 2])
    item = c[0].selectbox(
        "事项", list(choices.items), format_func=choices.items.__getitem__, index=None,
        key="history_filter_item", placeholder="全部事项",
    )  # fmt: skip
    fields = c[1].multiselect("内容", choices.fields, key="history_filter_fields", placeholder="全部")
    people = c[2].multiselect("修改人", choices.people, key="history_filter_people", placeholder="全部")
    rows_shown = cached_round(
        loaded,
        f"audit|{item}|{fields}|{people}",
        partial(filtered_history, trail, item_key=item, fields=fields, people=people),
    )
    st.caption(f"共 {len(rows_shown)} 条修改记录，最新的在前。")
    show_table(rows_shown, empty="没有符合条件的修改记录。", hide_index=True, key="history_audit")
