"""流程再造: the flags found, the analyst's verdicts, the proposed process and what it would give."""

from __future__ import annotations

from functools import partial

import streamlit as st

from approvals.charts.flowchart import process_flowchart
from approvals.charts.overview import legal_tier_chart
from approvals.errors import ReadError
from approvals.read.verdicts import read_verdicts
from approvals.redesign.changes import proposed_steps
from approvals.redesign.legal import tier_breakdown
from approvals.redesign.reductions import MEASURES, applicable, base_versions
from approvals.redesign.verdicts import (
    ACCEPTED,
    PENDING,
    REJECTED,
    VERDICT_LABELS,
    flagged_steps,
    verdicts_of,
)
from approvals.views.format import days, missing, percent
from approvals.views.process import process_steps
from approvals.views.redesign import (
    FLAG_LABELS,
    filter_flags,
    flag_summary,
    flags_table,
    item_flags_table,
    verdict_changes,
    verdicts_csv,
)
from approvals.views.tables import problems_table, projection_table, tier_table
from ui.frame import page
from ui.state import figure, load_verdicts, projection, set_verdicts

SHOWN_ROWS = 2000  # an editable table beyond this is unusable; filters narrow it down

with page("流程再造") as loaded:
    analysis, ws = loaded.analysis, loaded.workspace
    flags = analysis.flags
    st.title("流程再造")
    st.caption(
        "按 data/redesign.toml 中的规则逐个流程查找可以取消、合并、并联或压缩的环节；"
        "“可缩短”是把该项修改真正用到流程上、重新计算关键路径得出的工作日。"
        "采纳的建议用于生成再造后的流程和预计成效。"
    )
    if flags.empty:
        st.info("当前数据没有发现需要提示的问题（或没有办理环节）。")
        st.stop()

    states = verdicts_of(flags, ws.verdicts)
    applies = applicable(flags, analysis.dataset.steps)
    result = projection(loaded)
    overall_today, overall_projected = analysis.overall.iloc[0], result.overall.iloc[0]
    m = st.columns(4)
    m[0].metric(
        "提示",
        f"{len(flags)} 条",
        f"涉及 {flags['item_id'].nunique()} 个事项",
        delta_color="off",
        delta_arrow="off",
    )
    m[1].metric(
        "已采纳 / 不采纳",
        f"{int(states.eq(ACCEPTED).sum())} / {int(states.eq(REJECTED).sum())}",
        f"待定 {int(states.eq(PENDING).sum())}",
        delta_color="off",
        delta_arrow="off",
    )
    m[2].metric(
        "预计缩短率",
        percent(overall_projected["shortening_rate"]),
        f"承诺时限的缩短率 {percent(overall_today['shortening_rate'])}",
        delta_color="off",
        delta_arrow="off",
        help="采纳的建议缩短了流程的关键路径，相应的天数从承诺时限中扣除后计算的缩短率。",
    )
    cut = result.reductions_overall.iloc[0]
    m[3].metric(
        "减环节",
        "—" if missing(cut["steps_before"]) else f"{int(cut['steps_before'])} → {int(cut['steps_after'])}",
        percent(cut["steps_cut"]) if not missing(cut["steps_cut"]) else None,
        delta_color="off",
        delta_arrow="off",
        help="有流程的保留事项在再造前与再造后（采纳建议后）的环节总数。",
    )

    tab_flags, tab_chart, tab_effect, tab_legal, tab_merge = st.tabs(
        ["提示清单", "流程对比", "预计成效（四减）", "设定依据审查", "可合并事项"]
    )

    with tab_flags:
        left, right = st.columns(2)
        left.markdown("**按规则**")
        left.dataframe(flag_summary(flags, ws.verdicts, "title"), hide_index=True, height=260)
        right.markdown("**按部门**")
        right.dataframe(flag_summary(flags, ws.verdicts, "department"), hide_index=True, height=260)

        c = st.columns([3, 3, 2, 2])
        rules = c[0].multiselect("提示类别", list(dict.fromkeys(flags["title"])), key="redesign_rules",
                                 placeholder="全部类别")  # fmt: skip
        departments = c[1].multiselect("实施部门", sorted(flags["department"].unique()),
                                       key="redesign_departments", placeholder="全部部门")  # fmt: skip
        verdicts = c[2].multiselect("是否采纳", list(VERDICT_LABELS.values()), key="redesign_verdicts",
                                    placeholder="全部")  # fmt: skip
        search = c[3].text_input("搜索事项或环节", key="redesign_search")
        o = st.columns(2)
        saving_only = o[0].checkbox("只看能缩短时限的提示", key="redesign_saving")
        history = o[1].checkbox(
            f"也显示已提交再造后流程的事项在再造前流程上的提示（{int((~applies).sum())} 条，仅供对照）",
            key="redesign_history",
        )
        subset = filter_flags(
            flags if history else flags[applies.to_numpy()],
            states if history else states[applies.to_numpy()],
            titles=rules,
            departments=departments,
            verdicts=[k for k, v in VERDICT_LABELS.items() if v in verdicts],
            search=search,
            saving_only=saving_only,
        )
        b = st.columns([2, 2, 2, 4])
        keys = subset["flag_key"].tolist()
        if b[0].button(f"采纳筛选出的 {len(keys)} 条", key="redesign_accept_all", disabled=not keys):
            set_verdicts(keys, ACCEPTED)
            st.rerun()
        if b[1].button("全部设为不采纳", key="redesign_reject_all", disabled=not keys):
            set_verdicts(keys, REJECTED)
            st.rerun()
        if b[2].button("恢复待定", key="redesign_reset", disabled=not keys):
            set_verdicts(keys, PENDING)
            st.rerun()

        if len(subset) > SHOWN_ROWS:
            st.warning(f"共 {len(subset)} 条，只显示前 {SHOWN_ROWS} 条；请用上面的筛选缩小范围。")
        shown = flags_table(subset.head(SHOWN_ROWS), ws.verdicts)
        verdict_column = FLAG_LABELS["verdict"]
        edited = st.data_editor(
            shown,
            hide_index=True,
            disabled=[col for col in shown.columns if col != verdict_column],
            column_config={
                verdict_column: st.column_config.SelectboxColumn(
                    verdict_column, options=list(VERDICT_LABELS.values()), required=True
                ),
                FLAG_LABELS["days_saved"]: st.column_config.NumberColumn(format="%.2f"),
                FLAG_LABELS["why"]: st.column_config.TextColumn(width="large"),
                FLAG_LABELS["suggestion"]: st.column_config.TextColumn(width="large"),
            },
            key=f"redesign_editor_{hash(frozenset(ws.verdicts.items()))}",
        )
        changes = verdict_changes(shown, edited)
        if changes:
            for verdict, changed in changes.items():
                set_verdicts(changed, verdict)
            st.rerun()

        keep, restore = st.columns(2)
        keep.download_button(
            "下载采纳情况（CSV）",
            verdicts_csv(flags, ws.verdicts),
            file_name="流程再造采纳情况.csv",
            mime="text/csv",
            help="全部提示及是否采纳；可在 Excel 中修改“是否采纳”一列后重新载入，或交给同事载入。",
            key="redesign_download",
        )
        saved = restore.file_uploader(
            "载入采纳情况",
            type=["csv", "xlsx", "xls"],
            key=f"redesign_restore_{len(ws.verdicts)}",
            help="载入以前下载的采纳情况表；表中每条提示的“是否采纳”覆盖当前的选择。",
        )
        if saved is not None:
            try:
                loaded_verdicts, bad_rows = read_verdicts(saved.name, saved.getvalue())
            except ReadError as error:
                restore.error(str(error))
            else:
                known = set(flags["flag_key"])
                missing_keys = len(set(loaded_verdicts) - known)
                load_verdicts({k: v for k, v in loaded_verdicts.items() if k in known})
                st.session_state["redesign_restored"] = (len(loaded_verdicts), missing_keys, bad_rows)
                st.rerun()
        if "redesign_restored" in st.session_state:
            count, missing_keys, bad_rows = st.session_state.pop("redesign_restored")
            note = f"，其中 {missing_keys} 条在当前数据中已没有" if missing_keys else ""
            st.success(f"已载入 {count} 条提示的采纳情况{note}。")
            if len(bad_rows):
                st.warning(f"{len(bad_rows)} 行未能载入：")
                st.dataframe(problems_table(bad_rows), hide_index=True)

    with tab_chart:
        flagged_items = flags.drop_duplicates("item_id")
        labels = dict(
            zip(
                flagged_items["item_id"],
                flagged_items["department"] + "｜" + flagged_items["item"],
                strict=True,
            )
        )
        item_id = st.selectbox(
            "事项（可输入名称查找）", list(labels), format_func=labels.get, key="redesign_item"
        )
        steps = analysis.dataset.steps
        own = flags[flags["item_id"].eq(item_id)]
        own_states = states[own.index]
        base = base_versions(steps).get(item_id, "before")
        st.dataframe(flags_table(own, ws.verdicts).drop(columns=["实施部门", "事项名称"]), hide_index=True)

        def chart(version: str, title: str, marked: bool = True) -> None:
            part = process_steps(steps, item_id, version)
            marks = flagged_steps(own, version) if marked else set()
            chart = figure(
                loaded,
                f"redesign|{item_id}|{version}|{sorted(marks)}|{title}",
                partial(process_flowchart, part, flagged=marks, title=title, width_hint=520),
            )
            st.plotly_chart(chart, key=f"redesign_chart_{version}_{title}")

        accepted = own[own_states.eq(ACCEPTED).to_numpy() & own["version"].eq(base).to_numpy()]
        proposed = proposed_steps(process_steps(steps, item_id, base), accepted)
        per_item = result.per_item[result.per_item["item_id"].eq(item_id)]
        if len(per_item):
            row = per_item.iloc[0]
            cells = st.columns(len(MEASURES))
            for column, (measure, (counted, name)) in zip(cells, MEASURES.items(), strict=True):
                before, after = row[f"{measure}_before"], row[f"{measure}_after"]
                show = days if measure == "days" else (lambda v: f"{float(v):g}")
                shown_value = "—" if missing(before) or missing(after) else f"{show(before)} → {show(after)}"
                column.metric(f"{name}（{counted}）", shown_value, delta_arrow="off", delta_color="off")
        left, right = st.columns(2)
        with left:
            chart("before", "再造前流程（橙框为提示涉及的环节）")
        with right:
            if base == "after":
                chart("after", "部门提交的再造后流程（橙框为仍可改进的环节）")
            else:
                chart = figure(
                    loaded,
                    f"proposed|{item_id}|{sorted(accepted['flag_key'])}",
                    partial(process_flowchart, proposed, title="采纳建议后的流程", width_hint=520),
                )
                st.plotly_chart(chart, key="redesign_chart_proposed")
        if base == "after":
            if len(accepted):
                chart = figure(
                    loaded,
                    f"proposed-after|{item_id}|{sorted(accepted['flag_key'])}",
                    partial(process_flowchart, proposed, title="在提交的再造后流程上采纳建议后的流程"),
                )
                st.plotly_chart(chart, key="redesign_chart_proposed")
            else:
                st.caption("部门已提交再造后流程；采纳其中“再造后”的提示后，这里显示进一步优化的流程。")
        elif accepted.empty:
            st.caption("尚未采纳本事项的建议，右侧与再造前相同；在“提示清单”中采纳后即更新。")

    with tab_effect:
        st.markdown("#### 四减（有流程的保留事项，再造前 → 再造后并采纳建议）")
        cards = st.columns(len(MEASURES))
        for column, (measure, (counted, name)) in zip(cards, MEASURES.items(), strict=True):
            before, after = cut[f"{measure}_before"], cut[f"{measure}_after"]
            if measure == "days":  # a sum of days says little: the mean critical path per item
                before, after = before / cut["items"], after / cut["items"]
            if missing(before):
                column.metric(name, "—", "清单未填写到办事现场次数" if measure == "visits" else None,
                              delta_arrow="off", delta_color="off")  # fmt: skip
                continue
            column.metric(
                name,
                f"{days(before) if measure == 'days' else int(before)} → "
                f"{days(after) if measure == 'days' else int(after)}",
                f"减少 {percent(cut[f'{measure}_cut'])}" if not missing(cut[f"{measure}_cut"]) else None,
                delta_color="off",
                delta_arrow="off",
                help=("平均每个事项的关键路径（工作日）" if measure == "days" else f"{counted}合计")
                + "：再造前流程 → 部门提交的再造后流程（没有的取现行流程）并采纳建议。",
            )
        st.markdown("#### 各部门")
        table = projection_table(analysis.departments, result.departments, result.reductions_departments)
        overall = projection_table(analysis.overall, result.overall, result.reductions_overall)
        formats = {
            c: st.column_config.NumberColumn(format="percent")
            for c in table.columns
            if "率" in c or c.startswith("减")
        } | {
            c: st.column_config.NumberColumn(format="%.2f")
            for c in table.columns
            if "平均时限" in c or c.startswith("关键路径")
        }
        st.dataframe(table, hide_index=True, column_config=formats)
        st.dataframe(overall, hide_index=True, column_config=formats)
        st.caption(
            "预计缩短率：每个事项的承诺时限减去采纳建议后其流程关键路径缩短的工作日，再按缩短率公式计算；"
            "不采纳任何建议时与承诺时限的缩短率相同。减材料计入采纳的“可共享获取的材料”。"
        )

    with tab_legal:
        items = analysis.dataset.items
        scope = st.radio(
            "范围", ["保留和未决定的事项", "全部事项"], horizontal=True, key="redesign_legal_scope"
        )
        audited = items[items["counts_as"].ne("streamlined")] if scope.startswith("保留") else items
        tiers = figure(loaded, f"tiers|{scope}", lambda: legal_tier_chart(tier_breakdown(audited)))
        st.plotly_chart(tiers, key="redesign_legal_chart")
        st.markdown("**各部门事项的设定依据最高层级（项）**")
        st.dataframe(tier_table(tier_breakdown(audited, "department")), hide_index=True)
        weak = flags[flags["rule"].eq("legal_basis")]
        st.markdown(f"**设定依据层级不足、列为取消候选的事项（{len(weak)} 项）**")
        if len(weak):
            st.dataframe(item_flags_table(weak, ws.verdicts), hide_index=True)
        st.caption(
            "依据层级按 data/legal_tiers.toml 中的规则从设定依据的文字识别；一项有多个依据时取最高一级。"
            "“待核实”为未能识别的写法，不列为取消候选。"
        )

    with tab_merge:
        pairs = flags[flags["rule"].eq("merge_candidate")]
        if pairs.empty:
            st.info("保留事项中没有名称几乎相同或办理对象相同的事项。")
        else:
            st.markdown(f"**名称相近或办理对象相同的保留事项（{len(pairs)} 对）**")
            st.dataframe(item_flags_table(pairs, ws.verdicts), hide_index=True)
        st.caption(
            "去掉“审批”“许可”“设立”“变更”等通用词语后比较事项名称（data/similar.toml），"
            "相似度达到阈值或一项的办理对象包含在另一项中的列为合并候选，是否合并由分析人员判断；"
            "在“提示清单”中可以采纳或不采纳。"
        )
