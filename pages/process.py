"""流程图: one item's process before and after re-engineering, side by side, and its timeline."""

from __future__ import annotations

from datetime import date
from functools import partial

import streamlit as st

from approvals.charts.flowchart import process_flowchart
from approvals.charts.gantt import gantt_chart
from approvals.charts.images import static_export_available
from approvals.charts.style import office_colours
from approvals.errors import OptionError
from approvals.publish.documents import chart_download, item_chart_names
from approvals.views.process import (
    DATE_EXAMPLES,
    DATE_PATTERN,
    due_dates,
    item_process,
    process_choices,
    typed_date,
)
from ui.frame import page
from ui.state import cached, figure
from ui.widgets import metric, metrics, plain, show_table

DATE_PAUSE = "600ms"  # how long a pause in typing a date waits before it is applied

with page("流程图") as loaded:
    analysis = loaded.analysis
    st.title("流程图")

    labels = cached(loaded, "process_choices", partial(process_choices, analysis))
    if not labels:
        st.info("当前数据没有办理环节。请在“导入”中上传环节清单，或在事项清单中填写“办理流程”一栏。")
        st.stop()
    item_id = st.selectbox(
        "事项（可输入名称查找）", list(labels), format_func=labels.__getitem__, key="process_item"
    )
    if item_id is None:
        st.stop()
    shown = cached(
        loaded,
        f"item_process|{item_id}",
        partial(item_process, analysis, item_id, dict(loaded.workspace.verdicts)),
        verdicts=True,
    )

    metrics(shown.metrics)
    colours = office_colours(shown.offices)  # one colour per office on all three charts
    if shown.outside_note:
        st.caption(plain(shown.outside_note))

    for column, version in zip(st.columns(2), shown.versions, strict=True):
        chart = figure(
            loaded,
            f"process|{shown.item_id}|{version.version}|{sorted(version.flagged)}",
            partial(
                process_flowchart, version.steps, version.row, flagged=version.flagged, title=version.title,
                width_hint=520, office_colours=colours,
            ),
        )  # fmt: skip
        column.plotly_chart(chart, key=f"process_chart_{version.version}")
        with column.expander(f"{plain(version.label)}环节明细"):
            show_table(version.table, empty="没有办理环节。", hide_index=True)

    if len(shown.flags):
        st.markdown(f"**流程再造提示（{len(shown.flags)} 条，橙框标出涉及的环节）**")
        show_table(shown.flags_table, hide_index=True)
        st.page_link(
            "pages/redesign.py", label="到“流程再造”采纳或不采纳这些建议", icon=":material/arrow_forward:"
        )

    timeline = figure(
        loaded,
        f"gantt|{shown.item_id}",
        partial(
            gantt_chart,
            shown.before.steps,
            shown.after.steps,
            title="办理时间线（工作日）",
            office_colours=colours,
        ),
    )
    st.plotly_chart(timeline, key="process_gantt")

    st.markdown("**下载图表**")
    names = item_chart_names(analysis, shown.item_id)
    everything = f"全部 {len(names)} 张（zip）"
    chosen = st.selectbox("图表", [*names, everything], key="process_download_chart")
    wanted = names if chosen == everything else [str(chosen)]
    static, reason = static_export_available()
    for cell, fmt, note in zip(
        st.columns(3),
        ("html", "png", "svg"),
        ("网页，离线可打开、可缩放", "图片，可插入 Word", "矢量图，放大不失真"),
        strict=True,
    ):  # fmt: skip
        if fmt != "html" and not static:
            cell.caption(f"{fmt.upper()}：{reason}")
            continue
        download = chart_download(analysis, shown.item_id, wanted, fmt)
        # drawn only when pressed; images of several charts come from one browser session
        cell.download_button(
            f"{fmt.upper()}（{note}）",
            download.make,
            file_name=download.name,
            mime=download.mime,
            key=f"process_download_{fmt}",
        )

    st.subheader("办结日期测算")
    # A text field applied after a pause in typing: a typed date needs no Enter and no leaving
    # the field (the date picker applies a typed date only once its calendar closes).
    typed = st.text_input(
        "申请材料齐全、受理日期",
        value=date.today().isoformat(),
        key="process_start",
        live=DATE_PAUSE,
        validate=(DATE_PATTERN, f"请写作年、月、日（{DATE_EXAMPLES}）"),
        placeholder=DATE_EXAMPLES,
        help=f"输入后稍停即重新测算，不必按回车或离开输入框；{DATE_EXAMPLES}。",
    )
    st.caption(
        "按《行政许可法》，期限以工作日计算，不含法定节假日，自受理次日起算；按国务院公布的节假日安排（含调休）。"
    )
    try:
        start = typed_date(typed or "")
    except OptionError as refusal:
        st.error(plain(refusal))
        st.stop()
    due = due_dates(
        analysis.settings.calendar, start, shown.figures.get("before_days"), shown.figures.get("after_days")
    )
    st.caption(plain(due.start_note))
    for warning in due.warnings:
        st.warning(plain(warning))
    for column, card in zip(st.columns(2), due.metrics, strict=True):
        metric(column, card)
