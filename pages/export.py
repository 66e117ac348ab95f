"""导出: the published lists (Excel, Word, CSV), the analysis workbook and the offline report."""

from __future__ import annotations

from functools import partial

import streamlit as st

from approvals.publish.catalogs import LIST_KINDS, CatalogOptions, catalog_place, catalogue_holds
from approvals.publish.documents import (
    ANALYSIS_WORKBOOK_NAME,
    FORMATS,
    REPORT_NAME,
    catalog_file,
    export_preview,
    exportable_columns,
    report_document,
    workbook_document,
)
from approvals.views.process import process_choices
from ui.frame import page
from ui.state import cached, load_snapshot, snapshots
from ui.widgets import plain, show_table

ORDERS = {"listed": "按清单中出现的顺序", "count": "事项多的部门在前", "chosen": "指定部门在前"}
NUMBERINGS = {"continuous": "全部连续编号", "per_department": "各部门分别编号"}
LEVEL_PROMPT = (
    "清单的标题和“填报单位”中看不出这是哪一级政府的目录。请在上面的“层级”中填写，"
    "如“市本级”“县本级”“区本级”，填写后即可预览和下载目录。"
)

with page("导出") as current:
    st.title("导出")
    st.caption("公布用的目录（Excel 可直接打印：A4 横向、每页重复表头；Word；CSV）、分析工作簿和分析报告。")
    frozen = [s.label for s in reversed(snapshots(current))]
    picked = st.selectbox(
        "数据来源",
        ["", *frozen],
        format_func=lambda label: f"快照“{label}”" if label else "当前状态",
        key="export_source",
        disabled=not frozen,
        help="可以用清理批次的某个快照导出；导出的文件注明所用的快照。",
    )
    loaded = load_snapshot(current, picked or "")
    source = loaded.state.source if loaded.state is not None else ""
    if source:
        st.caption(plain(source))
    analysis, ws = loaded.analysis, loaded.workspace
    settings = analysis.settings
    items, layout = analysis.dataset.items, settings.export

    place = cached(loaded, "catalog_place", partial(catalog_place, items, settings))
    known_level = (current.round.level if current.round else "") or place.level
    c = st.columns([2, 1, 3])
    region = c[0].text_input(
        "地区名称（用于标题）",
        value=place.region,
        key="export_region",
        placeholder="如：示例市",
        help="默认取自清单自己的标题或“填报单位”。",
    )
    level = c[1].text_input(
        "层级",
        value=known_level,
        key="export_level",
        placeholder="如：县本级" if known_level else "必填，如：县本级",
        help="默认取自清理批次的层级，或清单标题（如“某某县……” → 县本级）。",
    )
    level_missing = not known_level and not level.strip()
    subtitle = c[2].text_input(
        "标题下的说明（可空）", key="export_subtitle", placeholder="如：2026年11月23日市人民政府令第12号公布"
    )
    c = st.columns([2, 2, 3])
    numbering = c[0].radio(
        "序号", list(NUMBERINGS), format_func=NUMBERINGS.__getitem__, key="export_numbering"
    )
    order = c[1].radio("部门顺序", list(ORDERS), format_func=ORDERS.__getitem__, key="export_order")
    first = (
        c[2].multiselect(
            "排在前面的部门（按所选顺序）",
            list(dict.fromkeys(items["department"])),
            key="export_first",
            placeholder="选择部门",
        )
        if order == "chosen"
        else []
    )
    holds = cached(loaded, "catalogue_holds", partial(catalogue_holds, items, layout))
    if holds:
        holds = st.text_input(
            "目录名称（清单没有处理意见列，是现行目录）",
            value=holds,
            key="export_holds",
            help="用作保留目录的标题，如“权责清单”“政务服务事项目录”；默认取自清单自己的标题。",
        )
    limits_as_written = st.checkbox(
        "办结时限照录原文",
        value=layout.limits.as_written,
        key="export_limits_as_written",
        help="不勾选时统一写作“9个工作日”“即办”“法律未规定”“30个自然日”等，说明（如“不含专家评审时间”）"
        "接在后面；勾选后照录各部门填写的原文。",
    )
    columns = cached(loaded, "exportable_columns", partial(exportable_columns, items, layout))
    extras = st.multiselect(
        "另加的列（导入清单中的其他列；全空的列默认不印）",
        list(columns),
        format_func=columns.__getitem__,
        key="export_extras",
        placeholder="不另加列",
    )
    kinds = st.multiselect(
        "导出的目录",
        list(LIST_KINDS),
        default=list(LIST_KINDS),
        format_func=LIST_KINDS.__getitem__,
        key="export_kinds",
    )
    options = CatalogOptions(
        region=region.strip(),
        level=level.strip(),
        department_order=first if order == "chosen" else str(order),
        numbering=str(numbering),
        extras=extras,
        subtitle=subtitle.strip(),
        source=source,
        holds=holds.strip(),
        limits_as_written=limits_as_written,
    )
    ready = bool(kinds) and not level_missing
    if not kinds:
        st.info("请至少选择一个目录。")
    elif level_missing:
        st.warning(LEVEL_PROMPT, icon=":material/edit:")
    if ready:
        preview = cached(
            loaded, f"export|{kinds}|{options}", partial(export_preview, items, kinds, options, settings)
        )
        st.subheader("预览")
        shown = st.selectbox(
            "目录", list(preview.tables), format_func=LIST_KINDS.__getitem__, key="export_preview"
        )
        if shown is not None:
            st.markdown(f"**{plain(preview.titles[shown])}**" + (f"　{plain(subtitle)}" if subtitle else ""))
            st.caption(plain(preview.counts[shown]))
            show_table(preview.tables[shown], empty="这个目录中没有事项。", hide_index=True, height=360)
        if preview.left_out:
            st.caption(plain(preview.left_out))

    st.subheader("下载")
    if ready:
        st.markdown("**目录**")
        # Documents are made when their button is pressed (deferred), so changing an option stays quick.
        st.download_button(
            f"Excel（每个目录一个工作表）：{plain(preview.workbook_name)}",
            partial(catalog_file, items, kinds, "xlsx", options, settings),
            file_name=preview.workbook_name,
            mime=FORMATS["xlsx"][1],
            icon=":material/table:",
            key="export_catalog_xlsx",
        )
        for kind, table in preview.tables.items():
            name, word, csv = st.columns([4, 2, 2], vertical_alignment="center")
            name.markdown(f"{LIST_KINDS[kind]}（{len(table)} 项）")
            for cell, fmt, label, icon in (
                (word, "docx", "Word", ":material/description:"),
                (csv, "csv", "CSV", ":material/csv:"),
            ):
                cell.download_button(
                    label,
                    partial(catalog_file, items, [kind], fmt, options, settings),
                    file_name=preview.names[(kind, fmt)],
                    mime=FORMATS[fmt][1],
                    icon=icon,
                    key=f"export_{fmt}_{kind}",
                    help=plain(preview.names[(kind, fmt)]),
                )

    st.markdown("**分析**")
    labels = cached(loaded, "process_choices", partial(process_choices, analysis))
    charted = st.multiselect(
        "报告中附流程图的事项（可输入名称查找）",
        list(labels),
        format_func=labels.__getitem__,
        key="export_items",
        placeholder="不附流程图",
    )
    verdicts = dict(ws.verdicts)
    left, right = st.columns(2)
    left.download_button(
        "分析工作簿（Excel）",
        lambda: workbook_document(analysis, verdicts, source=source).data,
        file_name=ANALYSIS_WORKBOOK_NAME,
        mime=FORMATS["xlsx"][1],
        icon=":material/table_view:",
        key="export_workbook",
        help="汇总、部门、事项、流程、流程再造提示、问题，各一个工作表。",
    )
    right.download_button(
        "分析报告（HTML，离线可打开）",
        lambda: report_document(analysis, verdicts, charted, source=source).data,
        file_name=REPORT_NAME,
        mime="text/html",
        icon=":material/summarize:",
        key="export_report",
        help="主要指标对照目标、各部门图表、事项去向图、流程再造成效和所选事项的流程图；图表已嵌入文件，无需联网。",
    )
