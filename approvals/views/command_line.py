"""An analysis as the command line prints it: one JSON object (the contract) or Chinese text."""

from __future__ import annotations

import unicodedata
from collections.abc import Iterator, Mapping
from typing import Any

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from approvals.analysis import Analysis
from approvals.engines.cluster import BulkAnalysis
from approvals.figures.benchmarks import BENCHMARK_COLUMNS, LOCALITY_COLUMNS, Benchmarks
from approvals.figures.processes import mean_critical_path
from approvals.figures.rates import LEFT_OUT_LABELS, Figures, plain_value
from approvals.model import DECISION_LABELS, PROBLEM_COLUMNS, SHEET_KINDS, VERSION_LABELS, Decision
from approvals.settings.redesign import MERGE_RULE
from approvals.views.format import days, met, percent
from approvals.views.json_records import Records, json_bytes

_DECISIONS = [str(d) for d in Decision]


def json_text(value: Any) -> str:
    """:func:`json_bytes` as text.

    >>> json_text({"a": [1.5, float("nan")], "b": (pd.NA,)})
    '{"a":[1.5,null],"b":[null]}'
    """
    return json_bytes(value).decode("utf-8")


def table_rows(table: pd.DataFrame, columns: list[str]) -> Iterator[tuple[Any, ...]]:
    """The rows of ``table``'s ``columns`` as tuples of Python values, converted column by column
    (one C loop per column instead of a Python one per cell); NaN stays a float, for the JSON
    writer to make null.

    >>> list(table_rows(pd.DataFrame({"a": ["x", "y"], "b": [1.5, None]}), ["b", "a"]))
    [(1.5, 'x'), (nan, 'y')]
    """
    return zip(*(table[c].to_list() for c in columns), strict=True) if columns else iter(())


def figure_record(row: Mapping[str, Any] | pd.Series | Figures, group_key: str) -> dict[str, Any]:
    """One row of :func:`approvals.metrics.figures` as the JSON contract names it."""
    record: dict[str, Any] = {group_key: row["group"]} if group_key else {}
    for key in ("before", "retained", "streamlined", "undecided", "streamlining_rate"):
        record[key] = plain_value(row[key])
    record["by_decision"] = {d: int(row[f"n_{d}"]) for d in _DECISIONS}
    for key in (
        "time_counted_items",
        "before_avg_days",
        "after_avg_days",
        "shortening_rate",
        "mean_item_shortening_rate",
    ):
        record[key] = plain_value(row[key])
    record["left_out"] = {k: int(v) for k, v in (row["left_out"] or {}).items() if v}
    record["targets"] = {
        "streamlining": {
            "target": plain_value(row["streamlining_target"]),
            "met": plain_value(row["streamlining_met"]),
        },
        "shortening": {
            "target": plain_value(row["shortening_target"]),
            "met": plain_value(row["shortening_met"]),
        },
    }
    if "benchmark_days" in row and plain_value(row["benchmark_days"]) is not None:
        record["benchmark"] = {
            "days": plain_value(row["benchmark_days"]),
            "gap": plain_value(row["benchmark_gap"]),
        }
    return record


def sheet_records(mappings: pd.DataFrame) -> list[dict[str, Any]]:
    """What each sheet was read as, with the header row and the column → field mapping used."""
    records = []
    for (file, sheet), part in mappings.groupby(["file", "sheet"], sort=False):
        records.append(
            {
                "file": file,
                "sheet": sheet,
                "kind": part["kind"].iloc[0],
                "header_row": plain_value(part["header_row"].iloc[0]),
                "columns": {c: f for c, f in zip(part["column"], part["field"], strict=True) if c or f},
            }
        )
    return records


def analysis_json(analysis: Analysis) -> dict[str, Any]:
    """The ``analyze --json`` object: lists, overall, departments, processes, flags, merge
    candidates, problems."""
    return {
        "sheets": sheet_records(analysis.dataset.mappings),
        "decisions": [
            {
                "text": d.text,
                "count": int(d.count),
                "decision": d.decision,
                "label": d.label,
                "known": bool(d.known),
            }
            for d in analysis.dataset.decisions.itertuples(index=False)
        ],
        **_figure_records(analysis.lists, analysis.overall_table, analysis.departments),
        "processes": process_records(analysis.processes),
        "flags": flag_records(analysis.flags),
        "merge_candidates": merge_records(analysis.merge_candidates),
        **benchmark_records(analysis.benchmarks),
        "problems": problem_records(analysis.problems),
    }


def bulk_json(bulk: BulkAnalysis) -> dict[str, Any]:
    """The ``analyze --engine dask --json`` object: the keys of :func:`analysis_json` that the
    cluster works out (no decisions table, flags or merge candidates), and the engine used."""
    return {
        "engine": {"name": "dask", "partitions": bulk.partitions, "items": bulk.items},
        "sheets": sheet_records(bulk.mappings),
        **_figure_records(bulk.lists, bulk.overall_table, bulk.departments),
        "processes": process_records(bulk.processes),
        **benchmark_records(bulk.benchmarks),
        "problems": problem_records(bulk.problems),
    }


def _figure_records(lists: pd.DataFrame, overall: pd.DataFrame, departments: pd.DataFrame) -> dict[str, Any]:
    return {
        "lists": [figure_record(r, "category") for r in lists.to_dict("records")],
        "overall": figure_record(overall.iloc[0], ""),
        "departments": [figure_record(r, "department") for r in departments.to_dict("records")],
    }


_PROCESS_COLUMNS = [
    "item_name", "department", "version", "critical_path_days", "total_effort_days", "critical_path",
    "whole_duration_days", "outside_limit_days", "step_count", "has_cycle",
]  # fmt: skip


def process_records(processes: pd.DataFrame) -> Records:
    """One record per process (item and version) with its critical path (a list of step names;
    empty where none was found)."""
    paths = pd.Series(
        [p if isinstance(p, tuple) else tuple(p) if isinstance(p, list | np.ndarray) else ()
         for p in processes["critical_path"].tolist()], index=processes.index, dtype=object,
    )  # fmt: skip
    table = processes.assign(critical_path=paths, has_cycle=processes["has_cycle"].astype(bool))
    keys = ["item", *_PROCESS_COLUMNS[1:]]
    return Records(table, list(zip(keys, _PROCESS_COLUMNS, strict=True)))


def problem_records(problems: pd.DataFrame) -> Records:
    return Records(problems, [(c, c) for c in PROBLEM_COLUMNS])


def benchmark_records(found: Benchmarks) -> dict[str, Records]:
    """The cross-locality benchmarks as ``analyze --json`` names them: ``benchmarks`` (one object
    per standard item), ``benchmark_gaps`` (per locality and item), ``benchmark_localities``."""

    def records(table: pd.DataFrame, columns: list[str]) -> Records:
        return Records(table, [(c, c) for c in columns])

    return {
        "benchmarks": records(found.items, BENCHMARK_COLUMNS),
        "benchmark_gaps": records(found.gaps, ["code", "locality", "committed_days", "gap_days"]),
        "benchmark_localities": records(found.localities, LOCALITY_COLUMNS),
    }


def merge_records(pairs: pd.DataFrame) -> list[dict[str, Any]]:
    """可合并的相近事项 as the JSON contract names them, highest score first: a list apart from
    the flags, never counted among them."""
    return [
        {
            "item_a": name_a,
            "department_a": department_a,
            "item_b": name_b,
            "department_b": department_b,
            "score": score,
            "same_department": bool(same),
            "reason": reason,
            "suggestion": suggestion,
        }
        for name_a, department_a, name_b, department_b, score, same, reason, suggestion in table_rows(
            pairs, ["name_a", "department_a", "name_b", "department_b", "score", "same_department",
                    "reason", "suggestion"]
        )
    ]  # fmt: skip


def flag_message(why: str, suggestion: str) -> str:
    """A flag's finding and suggestion as one Chinese sentence pair."""
    return f"{why}。建议：{suggestion}。" if suggestion else f"{why}。"


def flag_messages(why: pd.Series, suggestion: pd.Series) -> pd.Series:
    """:func:`flag_message` of every flag, joined column-wise.

    >>> flag_messages(pd.Series(["甲", "乙"]), pd.Series(["取消", ""])).tolist()
    ['甲。建议：取消。', '乙。']
    """
    why_ = pa.array(why.astype("str"), type=pa.string())
    told = pa.array(suggestion.astype("str"), type=pa.string())
    both = pc.binary_join_element_wise(why_, "。建议：", told, "。", "")
    alone = pc.binary_join_element_wise(why_, "。", "")
    joined = pc.if_else(pc.equal(told, ""), alone, both)
    return pd.Series(pd.StringDtype("pyarrow", na_value=np.nan).__from_arrow__(joined), index=why.index)


def flag_records(flags: pd.DataFrame) -> Records:
    """流程再造 flags as the JSON contract names them; ``version`` is "" for item-level findings
    (the steps a list)."""
    keys = ["item", "department", "version", "rule", "title", "steps", "days_saved", "message"]
    table = flags.assign(message=flag_messages(flags["why"], flags["suggestion"]) if len(flags) else [])
    return Records(table, [(k, k) for k in keys])


def _width(text: str) -> int:
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def text_table(rows: list[list[str]], gap: int = 2) -> list[str]:
    """Rows of cells aligned in columns on a terminal, counting a Chinese character as two wide."""
    widths = [max(_width(r[c]) for r in rows if c < len(r)) for c in range(max(map(len, rows)))]
    return [
        (" " * gap).join(cell + " " * (widths[c] - _width(cell)) for c, cell in enumerate(r)).rstrip()
        for r in rows
    ]


def _sheet_lines(mappings: pd.DataFrame) -> list[str]:
    lines = []
    for record in sheet_records(mappings):
        kind = SHEET_KINDS[record["kind"]]
        where = f"，表头在第{record['header_row']}行" if record["header_row"] else ""
        unknown = [c for c, f in record["columns"].items() if not f]
        extra = f"，未识别的列（原样保留）：{'、'.join(unknown)}" if unknown else ""
        lines.append(f"{record['file']} / {record['sheet']}：{kind}{where}{extra}")
    return lines


def _figure_lines(lists: pd.DataFrame, overall_table: pd.DataFrame) -> list[str]:
    """The lists and their total as a table, with the benchmark and left-out notes."""
    table = [
        [
            "清单",
            "清理前",
            "保留",
            "精简",
            "未决定",
            "精简率",
            "目标",
            "达标",
            "原平均时限",
            "新平均时限",
            "缩短率",
            "目标",
            "达标",
        ]
    ]
    notes = []
    rows = [*lists.iterrows(), *overall_table.assign(group="合计").iterrows()]
    for _, r in rows:
        table.append(
            [
                str(r["group"]),
                str(r["before"]),
                str(r["retained"]),
                str(r["streamlined"]),
                str(r["undecided"]),
                percent(r["streamlining_rate"]),
                percent(r["streamlining_target"]),
                met(r["streamlining_met"]),
                days(r["before_avg_days"]),
                days(r["after_avg_days"]),
                percent(r["shortening_rate"]),
                percent(r["shortening_target"]),
                met(r["shortening_met"]),
            ]
        )
        if plain_value(r.get("benchmark_days")) is not None:
            notes.append(
                f"{r['group']}：新平均时限比基准 {r['benchmark_days']:.2f} 天低 {percent(r['benchmark_gap'])}"
            )
        left = {k: v for k, v in (r["left_out"] or {}).items() if v}
        if left:
            notes.append(
                f"{r['group']}：未计入时限统计的"
                + "，".join(f"{LEFT_OUT_LABELS.get(k, k)} {v} 项" for k, v in left.items())
            )
    return text_table(table) + notes


def _department_lines(departments: pd.DataFrame, top_departments: int) -> list[str]:
    failing = departments[departments["streamlining_met"].eq(False) | departments["shortening_met"].eq(False)]
    lines = ["", f"部门：{len(departments)} 个，未达标 {len(failing)} 个"]
    for _, r in (
        failing.sort_values("streamlining_rate", na_position="first").head(top_departments).iterrows()
    ):
        lines.append(
            f"  {r['group']}：精简率 {percent(r['streamlining_rate'])}，"
            f"缩短率 {percent(r['shortening_rate'])}"
        )

    return lines


def _process_lines(processes: pd.DataFrame) -> list[str]:
    lines: list[str] = []
    if len(processes):
        lines.append("")
        for version, label in VERSION_LABELS.items():
            count, cyclic, mean = mean_critical_path(processes, version)
            if count:
                lines.append(
                    f"{label}流程 {count} 个，关键路径平均 {days(mean)} 个工作日"
                    + (f"（{cyclic} 个流程有循环，未计入）" if cyclic else "")
                )

    return lines


def _problem_lines(problems: pd.DataFrame) -> list[str]:
    severity = problems["severity"].value_counts()
    return [
        "",
        f"问题：{len(problems)} 条（"
        + "，".join(f"{k} {v}" for k, v in severity.items())
        + "）"
        + ("，用 --json 查看明细" if len(problems) else ""),
    ]


def summary_text(analysis: Analysis, top_departments: int = 10) -> str:
    """A Chinese summary for the terminal: lists, overall, weakest departments, problems."""
    items = analysis.dataset.items
    files = analysis.dataset.mappings["file"].nunique()
    lines = [
        f"审批事项清理分析：{files} 个文件，{len(items)} 个事项，{len(analysis.processes)} 个流程",
        "",
        *_sheet_lines(analysis.dataset.mappings),
        "",
        *_figure_lines(analysis.lists, analysis.overall_table),
    ]
    counts = analysis.overall
    decided = "，".join(
        f"{DECISION_LABELS[d]} {int(counts[f'n_{d}'])}" for d in _DECISIONS if int(counts[f"n_{d}"])
    )
    current = int((~analysis.dataset.items["has_decision"]).sum())
    if current and current == len(analysis.dataset.items):
        lines += ["", f"现行目录（清单中没有处理意见列）：{current} 项，不是清理结果"]
    else:
        also = f"（其中现行目录 {current} 项，清单中没有处理意见列）" if current else ""
        lines += ["", f"处理意见：{decided}{also}"]
    unknown = analysis.dataset.decisions[~analysis.dataset.decisions["known"]]
    if len(unknown):
        lines.append(
            "  未能识别、按未决定计的写法："
            + "，".join(f"“{t}”{n} 项" for t, n in zip(unknown["text"], unknown["count"], strict=True))
        )

    lines += _department_lines(analysis.departments, top_departments)
    lines += _process_lines(analysis.processes)
    flags = analysis.flags
    if len(flags):
        by_rule = flags.groupby("title", sort=False).agg(n=("rule", "size"), saved=("days_saved", "max"))
        lines += ["", f"流程再造提示：{len(flags)} 条（用 --json 查看明细）"]
        lines += [
            f"  {title} {int(r.n)} 条"
            + (f"，单条最多缩短关键路径 {days(r.saved)} 个工作日" if r.saved > 0 else "")
            for title, r in by_rule.iterrows()
        ]
    merges = analysis.merge_candidates
    if len(merges):
        top = merges.iloc[0]
        lines += [
            "",
            f"{analysis.settings.redesign.title(MERGE_RULE)}：{len(merges)} 对，另列，不计入提示"
            "（用 --json 查看明细）",
            f"  相似度最高：“{top['name_a']}”与“{top['name_b']}”（{top['score']:g}，{top['reason']}）",
        ]

    lines += _problem_lines(analysis.problems)
    return "\n".join(lines)


def bulk_summary_text(bulk: BulkAnalysis, top_departments: int = 10) -> str:
    """The summary of a catalog worked out on a cluster: its figures, departments, processes
    and benchmarks (merge candidates and 流程再造 flags are a round's, not the cluster's)."""
    files = bulk.mappings["file"].nunique()
    lines = [
        f"审批事项清理分析（Dask 集群，{bulk.partitions} 份）：{files} 个文件，{bulk.items} 个事项，"
        f"{len(bulk.processes)} 个流程",
        "",
        *_sheet_lines(bulk.mappings),
        "",
        *_figure_lines(bulk.lists, bulk.overall_table),
        *_department_lines(bulk.departments, top_departments),
        *_process_lines(bulk.processes),
    ]
    compared = bulk.benchmarks
    if not compared.empty:
        lines += [
            "",
            f"跨地区对标：{len(compared.items)} 个标准事项，{len(compared.localities)} 个地区"
            "（用 --json 查看明细）",
        ]
    lines += _problem_lines(bulk.problems)
    return "\n".join(lines)
