"""事项: the item table, filtered; decisions and new committed limits edited in place."""

from __future__ import annotations

import streamlit as st

from approvals.figures.rates import figures
from approvals.model import DECISION_LABELS
from approvals.views.format import percent
from approvals.views.labels import LABEL_DECISIONS
from approvals.views.tables import filter_items, items_table, table_edits
from ui.frame import page
from ui.state import edit_item

SHOWN_ROWS = 2000  # an editable table beyond this is unusable; filters narrow it down

with page("事项") as loaded:
    analysis, ws = loaded.analysis, loaded.workspace
    items = analysis.dataset.items
    st.title("事项")

    c = st.columns([2, 2, 2, 3])
    departments = c[0].multiselect(
        "实施部门", sorted(items["department"].unique()), key="items_departments", placeholder="全部部门"
    )
    categories = c[1].multiselect(
        "事项类型（清单）", sorted(items["category"].unique()), key="items_categories", placeholder="全部清单"
    )
    decisions = c[2].multiselect("处理意见", list(LABEL_DECISIONS), key="items_decisions", placeholder="全部")
    search = c[3].text_input("搜索（名称、编码、部门、设定依据）", key="items_search")
    subset = filter_items(
        items,
        departments=departments,
        categories=categories,
        decisions=[LABEL_DECISIONS[d] for d in decisions],
        search=search,
    )

    row = figures(subset, None, targets=ws.targets).iloc[0]
    m = st.columns(4)
    m[0].metric("筛选出的事项", f"{len(subset)} / {len(items)}")
    m[1].metric("精简率", percent(row["streamlining_rate"]))
    m[2].metric("缩短率", percent(row["shortening_rate"]))
    m[3].metric("已修改", f"{int(subset['edited'].ne('').sum())} 项")

    if len(subset) > SHOWN_ROWS:
        st.warning(f"共 {len(subset)} 项，只显示前 {SHOWN_ROWS} 项；请用上面的筛选缩小范围。")
    shown = items_table(subset.head(SHOWN_ROWS))
    st.caption(
        "“处理意见”和“承诺办结时限（清理后）”两列可以直接修改，修改后精简率和缩短率立即重新计算；"
        "原始清单不变，修改记录在“已修改”一列。"
    )
    edited = st.data_editor(
        shown,
        hide_index=True,
        disabled=[c for c in shown.columns if c not in ("处理意见", "承诺办结时限（清理后）")],
        column_config={
            "处理意见": st.column_config.SelectboxColumn(
                "处理意见", options=list(DECISION_LABELS.values()), required=True
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
    changes = table_edits(shown, edited)
    if len(changes):
        by_id = subset.set_index("item_id")
        for change in changes.itertuples(index=False):
            edit_item(by_id.loc[change.item_id], change.field, change.value)
        st.rerun()
