"""流程再造: the flags found, the analyst's verdicts, the proposed process and what it would give."""

from __future__ import annotations

from functools import partial

import streamlit as st

from approvals.charts.flowchart import process_flowchart
from approvals.charts.overview import legal_tier_chart
from approvals.errors import ReadError
from approvals.model import Verdict
from approvals.read.verdicts import read_verdicts
from approvals.views.flags import FLAG_LABELS, flag_summary, keyed_verdicts, verdict_changes, verdicts_csv
from approvals.views.redesign import (
    MERGE_LABELS,
    MERGE_SCORES,
    SCOPES,
    Chart,
    effect,
    flag_choices,
    flag_selection,
    flagged_items,
    item_redesign,
    legal_audit,
    merge_pairs,
    merge_shown_from,
    redesign_metrics,
    verdict_load_note,
)
from approvals.views.tables import problems_table
from ui.frame import page
from ui.state import Loaded, cached, figure, load_verdicts, projection, set_verdicts
from ui.widgets import edit_table, metrics, page_number, page_picker, plain, settings_download, show_table


def draw(loaded: Loaded, chart: Chart, key: str, width_hint: int | None = 520) -> None:
    """One process chart, made once per analysis and chart."""
    made = figure(
        loaded,
        f"redesign|{chart.key}|{chart.title}",
        partial(
            process_flowchart, chart.steps, flagged=chart.flagged, title=chart.title, width_hint=width_hint
        ),
    )
    st.plotly_chart(made, key=key)


def merge_section(loaded: Loaded) -> None:
    """可合并的相近事项: the pairs from the score the analyst chooses, highest first."""
    default = merge_shown_from(loaded.analysis)
    low, high = MERGE_SCORES
    shown_from = st.slider(
        "只列相似度不低于", low, high, default, step=1.0, format="%.0f", key="redesign_merge_from"
    )
    merges = cached(loaded, f"merge_pairs|{shown_from}", partial(merge_pairs, loaded.analysis, shown_from))
    if not merges.total:
        st.info("保留事项中没有名称几乎相同或办理对象相同的事项。")
        return
    st.markdown(f"**{plain(merges.title)}**")
    st.caption(plain(merges.note))
    if len(merges.table):
        show_table(
            merges.table,
            hide_index=True,
            column_config={MERGE_LABELS["score"]: st.column_config.NumberColumn(format="%.1f")},
        )
    st.caption(
        "相近事项另列于此，不计入提示条数和采纳情况。去掉“审批”“许可”“设立”“变更”等通用词语后"
        "逐字比较事项名称（规则设置中的相近事项比较），相似度 0-100，办理对象相同为 100；"
        "一项的办理对象包含在另一项中的也列出。默认只列相似度达到规则设置所定值的事项对；"
        "是否合并由分析人员判断，决定合并的在“事项”中把处理意见改为合并。"
    )


with page("流程再造") as loaded:
    analysis, ws = loaded.analysis, loaded.workspace
    flags = analysis.flags
    st.title("流程再造")
    st.caption(
        "按流程再造规则（规则设置，可在下面下载查看）逐个流程查找可以取消、合并、并联或压缩的环节；"
        "“可缩短”是把该项修改真正用到流程上、重新计算关键路径得出的工作日。"
        "采纳的建议用于生成再造后的流程和预计成效。"
    )
    with st.expander("规则设置", icon=":material/tune:"):
        st.caption("查找提示、识别设定依据层级和比较相近事项所用的关键词和阈值，可用文本编辑器查看。")
        for file in ("redesign.toml", "legal_tiers.toml", "similar.toml"):
            settings_download(ws.settings, file, key=f"redesign_settings_{file}")
    if flags.empty:
        st.info("当前数据没有发现需要提示的问题（或没有办理环节）。")
        merge_section(loaded)
        st.stop()

    result = projection(loaded)
    metrics(redesign_metrics(analysis, result, ws.verdicts))
    choices = cached(loaded, "flag_choices", partial(flag_choices, analysis))

    tab_flags, tab_chart, tab_effect, tab_legal, tab_merge = st.tabs(
        ["提示清单", "流程对比", "预计成效（四减）", "设定依据审查", "可合并事项"]
    )

    with tab_flags:
        left, right = st.columns(2)
        left.markdown("**按规则**")
        right.markdown("**按部门**")
        for column, by in ((left, "title"), (right, "department")):
            summary = cached(
                loaded, f"flag_summary|{by}", partial(flag_summary, flags, ws.verdicts, by), verdicts=True
            )
            with column:
                show_table(summary, hide_index=True, height=260)

        c = st.columns([3, 3, 2, 2])
        rules = c[0].multiselect("提示类别", choices.titles, key="redesign_rules", placeholder="全部类别")
        departments = c[1].multiselect(
            "实施部门", choices.departments, key="redesign_departments", placeholder="全部部门"
        )
        verdicts = c[2].multiselect("是否采纳", choices.verdicts, key="redesign_verdicts", placeholder="全部")
        search = c[3].text_input("搜索事项或环节", key="redesign_search")
        o = st.columns(2)
        saving_only = o[0].checkbox("只看能缩短时限的提示", key="redesign_saving")
        history = o[1].checkbox(
            f"也显示已提交再造后流程的事项在再造前流程上的提示（{choices.history} 条，仅供对照）",
            key="redesign_history",
        )
        filtered = f"{history}|{rules}|{departments}|{verdicts}|{search}|{saving_only}"
        page_key, number = page_number("redesign", filtered)
        selection = cached(
            loaded,
            f"flag_selection|{filtered}|{number}",
            partial(flag_selection, analysis, ws.verdicts, history=history, titles=rules,
                    departments=departments, verdict_labels=verdicts, search=search,
                    saving_only=saving_only, page=number),
            verdicts=True,
        )  # fmt: skip
        keys = selection.keys
        b = st.columns([2, 2, 2, 4])
        for cell, label, chosen, key in (
            (b[0], f"采纳筛选出的 {len(keys)} 条", Verdict.ACCEPTED, "redesign_accept_all"),
            (b[1], "全部设为不采纳", Verdict.REJECTED, "redesign_reject_all"),
            (b[2], "恢复待定", Verdict.PENDING, "redesign_reset"),
        ):
            if cell.button(label, key=key, disabled=not keys or loaded.read_only):
                set_verdicts(loaded, keys, chosen)
                st.rerun()

        verdict_column = FLAG_LABELS["verdict"]
        edited = edit_table(
            selection.table,
            empty="没有符合筛选条件的提示。",
            hide_index=True,
            disabled=loaded.read_only or [col for col in selection.table.columns if col != verdict_column],
            column_config={
                verdict_column: st.column_config.SelectboxColumn(
                    verdict_column, options=choices.verdicts, required=True
                ),
                FLAG_LABELS["days_saved"]: st.column_config.NumberColumn(format="%.2f"),
                FLAG_LABELS["why"]: st.column_config.TextColumn(width="large"),
                FLAG_LABELS["suggestion"]: st.column_config.TextColumn(width="large"),
            },
            key=f"redesign_editor_{hash(frozenset(ws.verdicts.items()))}_{selection.paging.page}",
        )
        page_picker(selection.paging, "条", page_key)
        changes = verdict_changes(selection.table, edited)
        if changes:
            for verdict, changed in changes.items():
                set_verdicts(loaded, changed, verdict)
            st.rerun()

        keep, restore = st.columns(2)
        keep.download_button(
            "下载采纳情况（CSV）",
            cached(loaded, "verdicts_csv", partial(verdicts_csv, flags, ws.verdicts), verdicts=True),
            file_name="流程再造采纳情况.csv",
            mime="text/csv",
            help="全部提示及是否采纳；可在 Excel 中修改“是否采纳”一列后重新载入，或交给同事载入。",
            key="redesign_download",
        )
        saved = restore.file_uploader(
            "载入采纳情况（CSV 或 Excel）",
            key=f"redesign_restore_{len(ws.verdicts)}",
            disabled=loaded.read_only,
            help="载入以前下载的采纳情况表（.csv，或在 Excel 中另存的 .xlsx / .xls）；"
            "表中每条提示的“是否采纳”覆盖当前的选择。",
        )
        if saved is not None:
            try:
                read, bad_rows = read_verdicts(saved.name, saved.getvalue())
                loaded_verdicts = keyed_verdicts(read, flags)
            except ReadError as error:
                restore.error(plain(error))
            else:
                known = set(flags["flag_key"])
                load_verdicts(loaded, {k: v for k, v in loaded_verdicts.items() if k in known})
                st.session_state["redesign_restored"] = (verdict_load_note(loaded_verdicts, known), bad_rows)
                st.rerun()
        if "redesign_restored" in st.session_state:
            note, bad_rows = st.session_state.pop("redesign_restored")
            st.success(plain(note))
            if len(bad_rows):
                st.warning(f"{len(bad_rows)} 行未能载入：")
                show_table(problems_table(bad_rows), hide_index=True)

    with tab_chart:
        labels = cached(loaded, "flagged_items", partial(flagged_items, analysis))
        item_id = st.selectbox(
            "事项（可输入名称查找）", list(labels), format_func=labels.__getitem__, key="redesign_item"
        )
        shown = cached(
            loaded,
            f"item_redesign|{item_id}",
            partial(item_redesign, analysis, int(item_id), ws.verdicts, result),
            verdicts=True,
        )
        show_table(shown.flags_table, hide_index=True)
        if shown.reductions:
            metrics(shown.reductions)
        before, after, extra, note = shown.screen_charts()
        left, right = st.columns(2)
        with left:
            draw(loaded, before, "redesign_chart_before")
        with right:
            draw(loaded, after, "redesign_chart_after")
        if extra is not None:
            draw(loaded, extra, "redesign_chart_proposed", width_hint=None)
        if note:
            st.caption(plain(note))

    with tab_effect:
        shown_effect = cached(loaded, "effect", partial(effect, analysis, result), verdicts=True)
        st.markdown("#### 四减（有流程的保留事项，再造前 → 再造后并采纳建议）")
        metrics(shown_effect.metrics)
        st.markdown("#### 各部门")
        formats = {c: st.column_config.NumberColumn(format="percent") for c in shown_effect.percent_columns}
        formats |= {c: st.column_config.NumberColumn(format="%.2f") for c in shown_effect.day_columns}
        show_table(shown_effect.departments, hide_index=True, column_config=formats)
        show_table(shown_effect.overall, hide_index=True, column_config=formats)
        st.caption(
            "预计缩短率：每个事项的承诺时限减去采纳建议后其流程关键路径缩短的工作日，再按缩短率公式计算；"
            "不采纳任何建议时与承诺时限的缩短率相同。减材料计入采纳的“可共享获取的材料”。"
        )

    with tab_legal:
        scope = st.radio("范围", SCOPES, horizontal=True, key="redesign_legal_scope")
        audit = cached(
            loaded, f"legal|{scope}", partial(legal_audit, analysis, ws.verdicts, str(scope)), verdicts=True
        )
        tiers = figure(loaded, f"tiers|{scope}", partial(legal_tier_chart, audit.breakdown))
        st.plotly_chart(tiers, key="redesign_legal_chart")
        st.markdown("**各部门事项的设定依据最高层级（项）**")
        show_table(audit.by_department, hide_index=True)
        st.markdown(f"**设定依据层级不足、列为取消候选的事项（{audit.count} 项）**")
        if audit.count:
            show_table(audit.candidates, hide_index=True)
        st.caption(
            "依据层级按设定依据层级规则（规则设置，可在本页上方下载）从设定依据的文字识别；"
            "一项有多个依据时取最高一级。"
            "“待核实”为未能识别的写法，“未填写”为设定依据一栏为空或清单没有这一栏的事项，"
            "两者都不算“不得设定”，也不列为取消候选。"
        )

    with tab_merge:
        merge_section(loaded)
