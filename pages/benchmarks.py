"""对标: the same standard item across localities; the shortest committed limit, each locality's gap."""

from __future__ import annotations

from functools import partial

import streamlit as st

from approvals.charts.benchmarks import locality_limits_chart
from approvals.report.workbook import benchmark_workbook
from approvals.views.benchmarks import benchmark_view, item_localities, locality_lags, locality_summary
from ui.frame import page
from ui.state import cached, figure
from ui.widgets import plain, show_table

with page("对标") as loaded:
    analysis = loaded.analysis
    st.title("对标")
    view = cached(loaded, "benchmarks", partial(benchmark_view, analysis.benchmarks))
    st.caption(plain(view.note))
    if view.empty:
        st.stop()

    st.subheader("按事项")
    code = st.selectbox(
        "标准事项", list(view.item_choices), format_func=view.item_choices.__getitem__, key="benchmarks_item"
    )
    if code is not None:
        rows = cached(loaded, f"benchmarks_item|{code}", partial(item_localities, analysis.benchmarks, code))
        st.plotly_chart(
            figure(
                loaded,
                f"benchmarks_item|{code}",
                partial(locality_limits_chart, rows, f"{view.item_choices[code]}：各地承诺时限"),
            ),
            key="benchmarks_item_chart",
        )
        show_table(rows, hide_index=True, key="benchmarks_item_table")

    st.subheader("按地区")
    place = st.selectbox("地区", view.localities, key="benchmarks_locality")
    if place is not None:
        st.markdown(plain(locality_summary(analysis.benchmarks, place)))
        show_table(
            cached(
                loaded, f"benchmarks_locality|{place}", partial(locality_lags, analysis.benchmarks, place)
            ),
            rows=25,
            hide_index=True,
            key="benchmarks_locality_table",
        )

    st.subheader("全部")
    with st.expander("各标准事项的最短承诺时限", icon=":material/table:"):
        show_table(view.items, rows=25, hide_index=True, key="benchmarks_items")
    with st.expander("地区排名（按平均相差的工作日）", icon=":material/leaderboard:"):
        show_table(view.ranking, rows=25, hide_index=True, key="benchmarks_ranking")
    st.download_button(
        "下载对标结果（Excel）",
        cached(loaded, "benchmarks_workbook", partial(benchmark_workbook, analysis)),
        file_name="跨地区对标.xlsx",
        mime="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        icon=":material/download:",
        help="三张表：各标准事项的最短、中位数和最长承诺时限；各地每个事项与最短相差的工作日；地区排名。",
        key="benchmarks_download",
    )
