"""导出: the published lists (Excel, Word, CSV), the analysis workbook and the offline report."""

from __future__ import annotations

import streamlit as st

from approvals.model import ITEM_COLUMNS
from approvals.publish.catalogs import LIST_KINDS, CatalogOptions, catalog_title
from approvals.publish.documents import (
    FORMATS,
    list_documents,
    list_tables,
    report_document,
    workbook_document,
)
from approvals.views.labels import INTERNAL_COLUMNS, ITEM_LABELS
from approvals.views.process import process_items
from ui.frame import page

ORDERS = {"listed": "按清单中出现的顺序", "count": "事项多的部门在前", "chosen": "指定部门在前"}
NUMBERINGS = {"continuous": "全部连续编号", "per_department": "各部门分别编号"}
OPTIONAL_COLUMNS = ["code", "fee_standard", "materials", "visits", "original_text"]

with page("导出") as loaded:
    analysis, ws = loaded.analysis, loaded.workspace
    items = analysis.dataset.items
    st.title("导出")
    st.caption("公布用的目录（Excel 可直接打印：A4 横向、每页重复表头；Word；CSV）、分析工作簿和分析报告。")

    c = st.columns([2, 1, 3])
    region = c[0].text_input("地区名称（用于标题）", key="export_region", placeholder="如：示例市")
    level = c[1].text_input("层级", value="市本级", key="export_level")
    subtitle = c[2].text_input(
        "标题下的说明（可空）", key="export_subtitle", placeholder="如：2026年11月23日市人民政府令第12号公布"
    )
    c = st.columns([2, 2, 3])
    numbering = c[0].radio("序号", list(NUMBERINGS), format_func=NUMBERINGS.get, key="export_numbering")
    order = c[1].radio("部门顺序", list(ORDERS), format_func=ORDERS.get, key="export_order")
    departments = list(dict.fromkeys(items["department"]))
    first = (
        c[2].multiselect(
            "排在前面的部门（按所选顺序）", departments, key="export_first", placeholder="选择部门"
        )
        if order == "chosen"
        else []
    )
    extra_choices = [col for col in OPTIONAL_COLUMNS if col in items.columns and items[col].ne("").any()]
    extra_choices += [col for col in items.columns if col not in ITEM_COLUMNS and col not in INTERNAL_COLUMNS]
    extras = st.multiselect(
        "另加的列（导入清单中的其他列）",
        extra_choices,
        format_func=lambda col: ITEM_LABELS.get(col, col),
        key="export_extras",
        placeholder="不另加列",
    )
    kinds = st.multiselect(
        "导出的目录",
        list(LIST_KINDS),
        default=list(LIST_KINDS),
        format_func=LIST_KINDS.get,
        key="export_kinds",
    )
    options = CatalogOptions(
        region=region.strip(),
        level=level.strip(),
        department_order=first if order == "chosen" else order,
        numbering=numbering,
        extras=extras,
        subtitle=subtitle.strip(),
    )
    if not kinds:
        st.info("请至少选择一个目录。")
        st.stop()

    tables = list_tables(items, kinds, options)
    st.subheader("预览")
    shown = st.selectbox("目录", list(tables), format_func=LIST_KINDS.get, key="export_preview")
    st.markdown(f"**{catalog_title(shown, options)}**" + (f"　{subtitle}" if subtitle else ""))
    st.caption(f"共 {len(tables[shown])} 项，{tables[shown]['实施部门'].nunique()} 个部门。")
    st.dataframe(tables[shown], hide_index=True, height=360)
    missing = [LIST_KINDS[k] for k in kinds if k not in tables]
    if missing:
        st.caption(f"没有事项、不导出：{'、'.join(missing)}")

    st.subheader("下载")
    st.markdown("**目录**")
    # Documents are made when their button is pressed (deferred), so changing an option stays quick.
    xlsx_name = catalog_title(next(iter(tables)), options)
    xlsx_name = (xlsx_name if len(tables) == 1 else f"{xlsx_name}等{len(tables)}个目录") + ".xlsx"
    st.download_button(
        f"Excel（每个目录一个工作表）：{xlsx_name}",
        lambda: list_documents(items, kinds, "xlsx", options)[0].data,
        file_name=xlsx_name,
        mime=FORMATS["xlsx"][1],
        icon=":material/table:",
        key="export_catalog_xlsx",
    )
    for kind, table in tables.items():
        name, word, csv = st.columns([4, 2, 2], vertical_alignment="center")
        name.markdown(f"{LIST_KINDS[kind]}（{len(table)} 项）")
        for cell, fmt, label, icon in (
            (word, "docx", "Word", ":material/description:"),
            (csv, "csv", "CSV", ":material/csv:"),
        ):
            cell.download_button(
                label,
                lambda kind=kind, fmt=fmt: list_documents(items, [kind], fmt, options)[0].data,
                file_name=catalog_title(kind, options) + FORMATS[fmt][0],
                mime=FORMATS[fmt][1],
                icon=icon,
                key=f"export_{fmt}_{kind}",
                help=f"{catalog_title(kind, options)}{FORMATS[fmt][0]}",
            )

    st.markdown("**分析**")
    choices = process_items(analysis)
    labels = dict(zip(choices["item_id"], choices["label"], strict=True))
    charted = st.multiselect(
        "报告中附流程图的事项（可输入名称查找）",
        list(labels),
        format_func=labels.get,
        key="export_items",
        placeholder="不附流程图",
    )
    verdicts = dict(ws.verdicts)
    left, right = st.columns(2)
    left.download_button(
        "分析工作簿（Excel）",
        lambda: workbook_document(analysis, verdicts).data,
        file_name="审批事项清理分析.xlsx",
        mime=FORMATS["xlsx"][1],
        icon=":material/table_view:",
        key="export_workbook",
        help="汇总、部门、事项、流程、流程再造提示、问题，各一个工作表。",
    )
    right.download_button(
        "分析报告（HTML，离线可打开）",
        lambda: report_document(analysis, verdicts, charted).data,
        file_name="审批事项清理分析报告.html",
        mime="text/html",
        icon=":material/summarize:",
        key="export_report",
        help="主要指标对照目标、各部门图表、事项去向图、流程再造成效和所选事项的流程图；图表已嵌入文件，无需联网。",
    )
