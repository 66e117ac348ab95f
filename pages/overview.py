"""总览: 精简率 and 缩短率 per list and overall against targets; departments; charts → items."""

from __future__ import annotations

from functools import partial

import streamlit as st

from approvals.charts.overview import decision_sankey, department_rates_chart, limit_distribution_chart
from approvals.views.overview import (
    TargetRow,
    department_items,
    list_items,
    overview,
    selected_department,
    target_form,
    targets_from_form,
)
from ui.frame import page
from ui.state import cached, figure, set_targets
from ui.widgets import headline, plain, show_table, style_figures

with page("总览") as loaded:
    analysis, ws = loaded.analysis, loaded.workspace
    st.title("总览")

    with st.expander("考核目标与对比基准", icon=":material/flag:"):
        st.caption(
            "默认为“三个30%”：行政许可事项、其他审批事项精简30%以上，审批时限压缩30%以上。"
            "对比基准填某一平均时限（如省直部门平均 11.5 个工作日），0 表示不对比。"
        )
        form = target_form(analysis, ws.benchmarks)
        with st.form("overview_targets"):
            default = st.columns(2)
            s_default = default[0].number_input(
                "精简率目标（%，各部门和合计）", 0.0, 100.0, form.streamlining_default, 1.0
            )
            t_default = default[1].number_input(
                "缩短率目标（%，各部门和合计）", 0.0, 100.0, form.shortening_default, 1.0
            )
            rows = []
            for row in form.rows:
                c = st.columns(3)
                name = plain(row.name)
                rows.append(
                    TargetRow(
                        row.name,
                        c[0].number_input(f"{name}：精简率目标（%）", 0.0, 100.0, row.streamlining, 1.0),
                        c[1].number_input(f"{name}：缩短率目标（%）", 0.0, 100.0, row.shortening, 1.0),
                        c[2].number_input(f"{name}：对比基准（工作日）", 0.0, 1000.0, row.benchmark, 0.5),
                    )
                )
            if st.form_submit_button("应用", disabled=loaded.read_only):
                set_targets(loaded, *targets_from_form(s_default, t_default, rows))
                st.rerun()

    shown = cached(loaded, "overview", partial(overview, analysis))
    if shown.empty:
        st.info("当前没有可分析的事项。")
        st.stop()

    if shown.mixed:
        st.warning(plain(shown.mixed), icon=":material/warning:")
    headline(shown.headline)

    st.subheader("各部门")
    st.caption("点击表头排序；选中一行，下方列出该部门的事项。")
    picked = show_table(
        style_figures(shown.departments),
        rows=25,
        hide_index=True,
        on_select="rerun",
        selection_mode="single-row",
        key="overview_departments",
    )
    chart = st.plotly_chart(
        figure(
            loaded,
            "department_rates",
            partial(department_rates_chart, analysis.departments, shown.streamlining_target),
        ),
        on_select="rerun",
        selection_mode="points",
        key="overview_department_chart",
    )
    picked_rows = picked.selection.rows if picked is not None else []
    department = selected_department(shown.departments, picked_rows, chart.selection.points)
    if department is not None:
        st.markdown(f"**{plain(department)}** 的事项")
        show_table(department_items(analysis, department), hide_index=True, key="overview_department_items")

    st.subheader("事项去向")
    sankey, limits = st.columns(2)
    sankey.plotly_chart(
        figure(loaded, "sankey", partial(decision_sankey, analysis.dataset.items)), key="overview_sankey"
    )
    limits.plotly_chart(
        figure(loaded, "limits", partial(limit_distribution_chart, analysis.dataset.items)),
        key="overview_limits",
    )

    st.subheader("按清单查看事项")
    pick_list, pick_decision = st.columns(2)
    category = pick_list.selectbox("清单", shown.lists, key="overview_list")
    decision = pick_decision.selectbox("处理意见", shown.decision_choices, key="overview_decision")
    show_table(
        list_items(analysis, str(category), str(decision)),
        empty="这个清单中没有所选处理意见的事项。",
        hide_index=True,
        key="overview_list_items",
    )
