"""流程图: one item's process before and after re-engineering, side by side, and its timeline."""

from __future__ import annotations

from datetime import date
from functools import partial

import streamlit as st

from approvals.charts.flowchart import process_flowchart
from approvals.charts.gantt import gantt_chart
from approvals.charts.images import static_export_available
from approvals.model import VERSION_LABELS
from approvals.publish.documents import chart_file, item_chart_names, item_figures, safe_file_name
from approvals.redesign.verdicts import flagged_steps
from approvals.views.format import days, missing, percent
from approvals.views.process import process_figures, process_items, process_steps, steps_table
from approvals.views.redesign import flags_table
from approvals.workdays import default_calendar
from ui.frame import page
from ui.state import figure

with page("流程图") as loaded:
    analysis = loaded.analysis
    st.title("流程图")

    choices = process_items(analysis)
    if choices.empty:
        st.info("当前数据没有办理环节。请在“导入”中上传环节清单，或在事项清单中填写“办理流程”一栏。")
        st.stop()
    labels = dict(zip(choices["item_id"], choices["label"], strict=True))
    item_id = st.selectbox("事项（可输入名称查找）", list(labels), format_func=labels.get, key="process_item")
    numbers = process_figures(analysis, item_id)
    processes = analysis.processes[analysis.processes["item_id"].eq(item_id)].set_index("version")

    m = st.columns(4)
    m[0].metric(
        "关键路径（工作日）",
        f"{days(numbers['before_critical_path_days'])} → {days(numbers['after_critical_path_days'])}",
        percent(numbers["path_shortening_rate"]) if not missing(numbers["path_shortening_rate"]) else None,
        delta_color="off",
        delta_arrow="off",
        help="计入办结时限的环节沿最长路径的用时；百分比为关键路径缩短率。",
    )
    m[1].metric("环节数", f"{numbers['before_step_count'] or 0} → {numbers['after_step_count'] or 0}")
    m[2].metric(
        "工作量合计（工作日）",
        f"{days(numbers['before_total_effort_days'])} → {days(numbers['after_total_effort_days'])}",
        help="各环节用时之和，不论是否并行。",
    )
    m[3].metric(
        "承诺时限（工作日）",
        f"{days(numbers.get('before_days'))} → {days(numbers.get('after_days'))}",
        percent(numbers.get("limit_shortening_rate"))
        if not missing(numbers.get("limit_shortening_rate"))
        else None,
        delta_color="off",
        delta_arrow="off",
        help="该事项的缩短率：（清理前时限 − 清理后时限）÷ 清理前时限。",
    )

    outside = [numbers[f"{v}_outside_limit_days"] for v in VERSION_LABELS]
    if any(not missing(o) and o > 0 for o in outside):
        st.caption(
            f"另有不计入办结时限的环节（专家评审、公示等）：再造前 {days(outside[0])} 个工作日，"
            f"再造后 {days(outside[1])} 个工作日；申请人实际等待时间需加上这部分。"
        )

    before, after = (process_steps(analysis.dataset.steps, item_id, v) for v in VERSION_LABELS)
    own_flags = analysis.flags[analysis.flags["item_id"].eq(item_id)]
    left, right = st.columns(2)
    for column, version, part in ((left, "before", before), (right, "after", after)):
        label = VERSION_LABELS[version]
        row = processes.loc[version] if version in processes.index else None
        marked = flagged_steps(own_flags, version)
        chart = figure(
            loaded,
            f"process|{item_id}|{version}|{sorted(marked)}",
            partial(process_flowchart, part, row, flagged=marked, title=f"{label}流程", width_hint=520),
        )
        column.plotly_chart(chart, key=f"process_chart_{version}")
        with column.expander(f"{label}环节明细"):
            st.dataframe(steps_table(part), hide_index=True)

    if len(own_flags):
        st.markdown(f"**流程再造提示（{len(own_flags)} 条，橙框标出涉及的环节）**")
        st.dataframe(
            flags_table(own_flags, loaded.workspace.verdicts).drop(columns=["实施部门", "事项名称"]),
            hide_index=True,
        )
        st.page_link(
            "pages/redesign.py", label="到“流程再造”采纳或不采纳这些建议", icon=":material/arrow_forward:"
        )

    timeline = figure(
        loaded, f"gantt|{item_id}", partial(gantt_chart, before, after, title="办理时间线（工作日）")
    )
    st.plotly_chart(timeline, key="process_gantt")

    st.markdown("**下载图表**")
    names = item_chart_names(analysis, item_id)
    everything = f"全部 {len(names)} 张（zip）"
    chosen = st.selectbox("图表", [*names, everything], key="process_download_chart")
    wanted = names if chosen == everything else [chosen]
    static, reason = static_export_available()
    cells = st.columns(3)
    for cell, fmt, note in (
        (cells[0], "html", "网页，离线可打开、可缩放"),
        (cells[1], "png", "图片，可插入 Word"),
        (cells[2], "svg", "矢量图，放大不失真"),
    ):
        if fmt != "html" and not static:
            cell.caption(f"{fmt.upper()}：{reason}")
            continue
        single = len(wanted) == 1
        cell.download_button(
            f"{fmt.upper()}（{note}）",
            # drawn only when pressed; images of several charts come from one browser session
            lambda fmt=fmt, wanted=wanted: chart_file(item_figures(analysis, item_id, wanted), fmt),
            file_name=safe_file_name(wanted[0] if single else f"{wanted[0]}等")
            + (f".{fmt}" if single else ".zip"),
            mime=(
                {"html": "text/html", "png": "image/png", "svg": "image/svg+xml"}[fmt]
                if single
                else "application/zip"
            ),
            key=f"process_download_{fmt}",
        )

    st.subheader("办结日期测算")
    calendar = default_calendar()
    start = st.date_input("申请材料齐全、受理日期", value=date.today(), key="process_start")
    st.caption(
        "按《行政许可法》，期限以工作日计算，不含法定节假日，自受理次日起算；按国务院公布的节假日安排（含调休）。"
    )
    for warning in calendar.warnings([start.year, start.year + 1]):
        st.warning(warning["message"])
    due = st.columns(2)
    for column, key, label in ((due[0], "before_days", "按原时限"), (due[1], "after_days", "按新时限")):
        limit = numbers.get(key)
        if missing(limit):
            column.metric(label, "—", help="该事项没有可计算的时限")
        else:
            when = calendar.due_date(start, float(limit))
            column.metric(
                f"{label}（{days(limit)} 个工作日）",
                when.strftime("%Y年%m月%d日"),
                "星期" + "一二三四五六日"[when.weekday()],
                delta_color="off",
                delta_arrow="off",
            )
