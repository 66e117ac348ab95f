"""总览: 精简率 and 缩短率 per list and overall against targets; departments; charts → items."""

from __future__ import annotations

import streamlit as st

from approvals.charts.overview import decision_sankey, department_rates_chart, limit_distribution_chart
from approvals.settings.targets import Targets
from approvals.views.labels import LABEL_DECISIONS
from approvals.views.tables import figures_table, filter_items, items_table
from ui.frame import page
from ui.state import update
from ui.widgets import headline, style_figures

with page("总览") as loaded:
    analysis, ws = loaded.analysis, loaded.workspace
    st.title("总览")

    with st.expander("考核目标与对比基准", icon=":material/flag:"):
        st.caption(
            "默认为“三个30%”：行政许可事项、其他审批事项精简30%以上，审批时限压缩30%以上。"
            "对比基准填某一平均时限（如省直部门平均 11.5 个工作日），0 表示不对比。"
        )
        lists = analysis.lists["group"].tolist()
        with st.form("overview_targets"):
            default = st.columns(2)
            s_default = default[0].number_input(
                "精简率目标（%，各部门和合计）",
                0.0,
                100.0,
                100 * (ws.targets.streamlining_default or 0.0),
                1.0,
            )
            t_default = default[1].number_input(
                "缩短率目标（%，各部门和合计）", 0.0, 100.0, 100 * (ws.targets.shortening_default or 0.0), 1.0
            )
            per_list: dict[str, tuple[float, float, float]] = {}
            for name in lists:
                c = st.columns(3)
                per_list[name] = (
                    c[0].number_input(
                        f"{name}：精简率目标（%）",
                        0.0,
                        100.0,
                        100 * (ws.targets.streamlining_for(name) or 0.0),
                        1.0,
                    ),
                    c[1].number_input(
                        f"{name}：缩短率目标（%）",
                        0.0,
                        100.0,
                        100 * (ws.targets.shortening_for(name) or 0.0),
                        1.0,
                    ),
                    c[2].number_input(
                        f"{name}：对比基准（工作日）", 0.0, 1000.0, float(ws.benchmarks.get(name, 0.0)), 0.5
                    ),
                )
            if st.form_submit_button("应用"):
                update(
                    targets=Targets(
                        streamlining={k: v[0] / 100 for k, v in per_list.items()},
                        streamlining_default=s_default / 100,
                        shortening={k: v[1] / 100 for k, v in per_list.items()},
                        shortening_default=t_default / 100,
                    ),
                    benchmarks={k: v[2] for k, v in per_list.items() if v[2] > 0},
                )
                st.rerun()

    if analysis.dataset.items.empty:
        st.info("当前没有可分析的事项。")
        st.stop()

    headline(analysis.lists, analysis.overall)

    st.subheader("各部门")
    st.caption("点击表头排序；选中一行，下方列出该部门的事项。")
    departments = figures_table(analysis.departments, "部门")
    picked = st.dataframe(
        style_figures(departments),
        hide_index=True,
        on_select="rerun",
        selection_mode="single-row",
        key="overview_departments",
    )
    chart = st.plotly_chart(
        department_rates_chart(analysis.departments, ws.targets.streamlining_default),
        on_select="rerun",
        selection_mode="points",
        key="overview_department_chart",
    )

    selected = [departments.iloc[r]["部门"] for r in picked.selection.rows]
    selected += [
        p["customdata"][0] if isinstance(p.get("customdata"), list) else p.get("customdata")
        for p in chart.selection.points
        if p.get("customdata") is not None
    ]
    if selected:
        department = selected[-1]
        st.markdown(f"**{department}** 的事项")
        st.dataframe(
            items_table(filter_items(analysis.dataset.items, departments=[department]), extras=False),
            hide_index=True,
            key="overview_department_items",
        )

    st.subheader("事项去向")
    sankey, limits = st.columns(2)
    sankey.plotly_chart(decision_sankey(analysis.dataset.items), key="overview_sankey")
    limits.plotly_chart(limit_distribution_chart(analysis.dataset.items), key="overview_limits")

    st.subheader("按清单查看事项")
    c = st.columns(2)
    category = c[0].selectbox("清单", lists, key="overview_list")
    decision = c[1].selectbox("处理意见", ["全部", *LABEL_DECISIONS], key="overview_decision")
    chosen = [] if decision == "全部" else [LABEL_DECISIONS[decision]]
    st.dataframe(
        items_table(
            filter_items(analysis.dataset.items, categories=[category], decisions=chosen), extras=False
        ),
        hide_index=True,
        key="overview_list_items",
    )
