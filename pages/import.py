"""导入: upload lists; see what each sheet was read as and correct the column mapping; the
decision mapping; the problems; a preview of the normalised items."""

from __future__ import annotations

import streamlit as st

from approvals.dataset.decisions import rule_problems
from approvals.views.labels import NOT_RECOGNISED
from approvals.views.tables import (
    decision_rules_from_table,
    decision_rules_table,
    decision_texts_table,
    field_choices,
    items_table,
    mapping_corrections,
    problem_counts,
    problem_csv,
    problems_table,
    sheet_mapping,
    sheets_read,
)
from ui.frame import page, upload_widget
from ui.state import remove_files, set_overrides, update

with page("导入") as loaded:
    analysis, ws = loaded.analysis, loaded.workspace
    dataset = analysis.dataset
    st.title("导入")

    upload_widget("import_upload", "上传各部门报送的清单（.xlsx / .xls / .csv，可一次选多个）")
    failed = {f.file for f in loaded.failures}
    st.markdown(f"**文件**（{len(ws.files)} 个）")
    for upload in ws.files:
        state = "无法读取" if upload.name in failed else "已读取"
        st.markdown(f"- {upload.name}（{len(upload.data) / 1024:.0f} KB）：{state}")
    if ws.files:
        with st.form("import_remove"):
            removing = st.multiselect("移除文件", [f.name for f in ws.files], placeholder="选择要移除的文件")
            if st.form_submit_button("移除") and removing:
                remove_files(removing)
                st.rerun()

    st.subheader("各工作表的读取方式")
    st.caption("系统按表头识别每一列；识别有误时在“识别为”一栏改正，改正立即生效，并用于表头相同的其他文件。")
    for sheet in sheets_read(dataset.mappings).itertuples(index=False):
        title = f"{sheet.file} / {sheet.sheet}：{sheet.kind_label}"
        if sheet.kind == "ignored":
            st.markdown(f"- {title}（没有找到“事项名称”或“环节名称”列，未读取）")
            continue
        with st.expander(f"{title}，表头在第 {sheet.header_row} 行"):
            table = sheet_mapping(dataset.mappings, sheet.file, sheet.sheet)
            options = [*field_choices(sheet.kind).values(), NOT_RECOGNISED]
            edited = st.data_editor(
                table,
                hide_index=True,
                disabled=["列（表头）"],
                key=f"import_mapping_{sheet.signature}_{sheet.sheet}",
                column_config={
                    "识别为": st.column_config.SelectboxColumn("识别为", options=options, required=True)
                },
            )
            if not edited.equals(table):
                set_overrides(sheet.signature, mapping_corrections(edited, sheet.kind))
                st.rerun()

    st.subheader("处理意见对照")
    st.caption(
        "清单中出现的处理意见写法及其归类。未能识别的写法按“未决定”计，不计入精简率；"
        "可在下面的对照表中增加规则（“包含”即处理意见中含有该文字）。"
    )
    st.dataframe(decision_texts_table(dataset.decisions), hide_index=True, key="import_decisions")
    with st.form("import_rules"):
        rules = st.data_editor(
            decision_rules_table(ws.rules),
            num_rows="dynamic",
            hide_index=True,
            key="import_rules_editor",
            column_config={
                "pattern": st.column_config.TextColumn("写法"),
                "match": st.column_config.SelectboxColumn(
                    "比较方式",
                    options=["exact", "contains", "regex"],
                    help="exact 完全一致；contains 包含；regex 正则表达式",
                ),
                "decision": st.column_config.SelectboxColumn(
                    "归类", options=["保留", "取消", "下放", "合并", "转变管理方式", "未决定"]
                ),
                "note": st.column_config.TextColumn("说明"),
            },
        )
        if st.form_submit_button("应用对照表"):
            new_rules = decision_rules_from_table(rules)
            bad = rule_problems(new_rules)
            if len(bad):
                st.error(
                    "对照表中有无法使用的规则："
                    + "；".join(f"第{r.row}条 {r.message}" for r in bad.itertuples(index=False))
                )
            else:
                update(rules=new_rules)
                st.rerun()

    st.subheader("问题清单")
    counts = problem_counts(analysis.problems)
    st.caption(
        f"错误 {counts['错误']} 条，警告 {counts['警告']} 条，提示 {counts['提示']} 条。"
        "有问题的单元格不影响同一行的其他内容；行号即 Excel 中看到的行号。"
    )
    st.dataframe(problems_table(analysis.problems), hide_index=True, key="import_problems")
    st.download_button(
        "下载问题清单（CSV）",
        problem_csv(analysis.problems),
        file_name="问题清单.csv",
        mime="text/csv",
        icon=":material/download:",
    )

    st.subheader("读取结果预览")
    st.caption(f"共 {len(dataset.items)} 个事项、{len(dataset.steps)} 个办理环节；下表显示前 200 个事项。")
    st.dataframe(items_table(dataset.items.head(200)), hide_index=True, key="import_preview")
