"""导入: upload lists; see what each sheet was read as and correct the column mapping; the
decision mapping; the problems; a preview of the normalised items."""

from __future__ import annotations

from functools import partial

import streamlit as st

from approvals.views.imports import corrections, import_view
from approvals.views.rounds import imports_table
from approvals.views.rules import DECISION_CHOICES, DEFAULT_MATCH, edited_rules, rule_editor
from approvals.views.tables import problem_csv
from ui.frame import page, upload_widget
from ui.state import (
    cached,
    cached_round,
    import_records,
    original_file,
    remove_files,
    set_decision_rules,
    set_overrides,
)
from ui.widgets import WRAPPED_ROW_HEIGHT, edit_table, plain, settings_download, show_table

with page("导入", needs_items=False) as loaded:
    analysis, ws = loaded.analysis, loaded.workspace
    view = cached(loaded, "import", partial(import_view, analysis, ws.files, loaded.failures))
    st.title("导入")

    upload_widget(
        "import_upload",
        "上传各部门报送的清单（.xlsx / .xls / .csv，可一次选多个）",
        disabled=loaded.read_only,
    )
    st.markdown(f"**文件**（{len(ws.files)} 个）")
    for line in view.files:
        st.text(f"· {line}")
    if view.mixed:
        st.warning(plain(view.mixed), icon=":material/warning:")
    if ws.files and not loaded.sample:
        with st.form("import_remove"):
            removing = st.multiselect("移除文件", [f.name for f in ws.files], placeholder="选择要移除的文件")
            if st.form_submit_button("移除", disabled=loaded.read_only) and removing:
                remove_files(removing)
                st.rerun()

    records = import_records(loaded)
    if records:
        with st.expander(
            f"导入记录（{len(records)} 个文件，含已替换和已移除的）", icon=":material/inventory_2:"
        ):
            st.caption("每个导入的文件都按原样保存；部门重新报送的文件替换先前的文件，先前的文件仍可下载。")
            show_table(
                cached_round(loaded, "imports_table", partial(imports_table, records)), hide_index=True
            )
            names = {r.sha256: f"{r.name}（{r.imported_by}，{r.size:,} 字节）" for r in reversed(records)}
            chosen = st.selectbox(
                "下载原文件", list(names), format_func=names.__getitem__, key="import_original"
            )
            if chosen is not None:
                picked = next(r for r in records if r.sha256 == chosen)
                st.download_button(
                    "下载所选的原文件",
                    partial(original_file, chosen),
                    file_name=picked.name,
                    icon=":material/download:",
                    key="import_original_download",
                )

    st.subheader("各工作表的读取方式")
    st.caption(
        "系统按表头识别每一列；识别有误时在“识别为”一栏改正（可输入字段名称查找），改正立即生效，"
        "并用于表头相同的其他文件。"
    )
    for sheet in view.sheets:
        if sheet.mapping is None:
            st.markdown(f"- {plain(sheet.title)}")
            continue
        with st.expander(f"{plain(sheet.title)}，表头在第 {sheet.header_row} 行"):
            edited = edit_table(
                sheet.mapping,
                hide_index=True,
                disabled=loaded.read_only or ["列（表头）"],
                key=f"import_mapping_{sheet.signature}_{sheet.file}_{sheet.sheet}",
                column_config={
                    "识别为": st.column_config.SelectboxColumn("识别为", options=sheet.options, required=True)
                },
            )
            changed = corrections(sheet, edited, analysis)
            if changed is not None:
                set_overrides(sheet.signature, changed)
                st.rerun()

    st.subheader("处理意见对照")
    st.caption(
        "清单中出现的处理意见写法及其归类。未能识别的写法按“未决定”计，不计入精简率；"
        "可在下面的对照表中增加规则（“包含”即处理意见中含有该文字）。"
    )
    show_table(view.decisions, empty="清单中没有处理意见。", hide_index=True, key="import_decisions")
    advanced = st.toggle("也显示正则表达式规则（高级）", key="import_rules_advanced")
    rule_view = rule_editor(ws.settings.decisions.table, advanced=advanced)
    st.caption(rule_view.note)
    with st.form("import_rules"):
        rules = edit_table(
            rule_view.table,
            num_rows="fixed" if loaded.read_only else "dynamic",
            disabled=loaded.read_only,
            hide_index=True,
            column_order=rule_view.columns,
            key="import_rules_editor_all" if advanced else "import_rules_editor",
            column_config={
                "pattern": st.column_config.TextColumn("写法", required=True),
                "match": st.column_config.SelectboxColumn(
                    "比较方式", options=rule_view.match_choices, default=DEFAULT_MATCH, required=True
                ),
                "decision": st.column_config.SelectboxColumn("归类", options=DECISION_CHOICES, required=True),
                "note": st.column_config.TextColumn("说明"),
            },
        )
        if st.form_submit_button("应用对照表", disabled=loaded.read_only):
            new_rules, refusal = edited_rules(ws.settings.decisions.table, rule_view.table, rules)
            if refusal:
                st.error(plain(refusal))
            else:
                set_decision_rules(loaded, new_rules)
                st.rerun()
    settings_download(ws.settings, "decisions.toml", key="import_rules_download")

    st.subheader("问题清单")
    st.caption(plain(view.problems_note))
    show_table(
        view.problems,
        empty="没有发现问题。",
        rows=12,
        hide_index=True,
        row_height=WRAPPED_ROW_HEIGHT,
        column_config={
            "说明": st.column_config.TextColumn("说明", width="large"),
            "原值": st.column_config.TextColumn("原值", width="medium"),
        },
        key="import_problems",
    )
    st.download_button(
        "下载问题清单（CSV）",
        problem_csv(analysis.problems),
        file_name="问题清单.csv",
        mime="text/csv",
        icon=":material/download:",
    )

    st.subheader("读取结果预览")
    st.caption(plain(view.preview_note))
    show_table(view.preview, empty="还没有读取到事项。", hide_index=True, key="import_preview")
