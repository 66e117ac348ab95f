"""An analysis as the command line prints it: one JSON object (the contract) or Chinese text."""

from __future__ import annotations

import json
import math
import unicodedata
from typing import Any

import pandas as pd

from approvals.analysis import Analysis
from approvals.figures.benchmarks import BENCHMARK_COLUMNS, LOCALITY_COLUMNS, Benchmarks
from approvals.figures.processes import mean_critical_path
from approvals.figures.rates import LEFT_OUT_LABELS, Figures, plain_value
from approvals.model import DECISION_LABELS, PROBLEM_COLUMNS, SHEET_KINDS, VERSION_LABELS, Decision
from approvals.settings.redesign import MERGE_RULE
from approvals.views.format import days, met, percent

_DECISIONS = [str(d) for d in Decision]


def finite_json(value: Any) -> Any:
    """``value`` with every NaN or infinite float (at any depth) as None: JSON has no such numbers.

    >>> finite_json({"a": [1.5, float("inf")], "b": (float("nan"),), "c": "inf"})
    {'a': [1.5, None], 'b': [None], 'c': 'inf'}
    """
    if isinstance(value, float):
        return value if math.isfinite(value) else None
    if isinstance(value, dict):
        return {k: finite_json(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [finite_json(v) for v in value]
    return plain_value(value) if hasattr(value, "item") else value


def json_text(value: Any) -> str:
    """``value`` as one line of strict JSON (Chinese kept as is): a NaN or an infinity, which
    ``json.dumps`` would write as the invalid ``NaN`` / ``Infinity``, becomes null.

    >>> json_text({"before_avg_days": float("inf"), "name": "取水许可"})
    '{"before_avg_days": null, "name": "取水许可"}'
    """
    return json.dumps(finite_json(value), ensure_ascii=False, allow_nan=False)


def figure_record(row: pd.Series | Figures, group_key: str) -> dict[str, Any]:
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
    processes = [
        {
            "item": p.item_name,
            "department": p.department,
            "version": p.version,
            "critical_path_days": plain_value(p.critical_path_days),
            "total_effort_days": plain_value(p.total_effort_days),
            "critical_path": list(p.critical_path) if isinstance(p.critical_path, tuple | list) else [],
            "whole_duration_days": plain_value(p.whole_duration_days),
            "outside_limit_days": plain_value(p.outside_limit_days),
            "step_count": plain_value(p.step_count),
            "has_cycle": bool(p.has_cycle),
        }
        for p in analysis.processes.itertuples(index=False)
    ]
    problems = [
        {c: plain_value(v) if c == "row" else v for c, v in zip(PROBLEM_COLUMNS, values, strict=True)}
        for values in analysis.problems[PROBLEM_COLUMNS].itertuples(index=False)
    ]
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
        "lists": [figure_record(r, "category") for _, r in analysis.lists.iterrows()],
        "overall": figure_record(analysis.overall, ""),
        "departments": [figure_record(r, "department") for _, r in analysis.departments.iterrows()],
        "processes": processes,
        "flags": flag_records(analysis.flags),
        "merge_candidates": merge_records(analysis.merge_candidates),
        **benchmark_records(analysis.benchmarks),
        "problems": problems,
    }


def benchmark_records(found: Benchmarks) -> dict[str, list[dict[str, Any]]]:
    """The cross-locality benchmarks as ``analyze --json`` names them: ``benchmarks`` (one object
    per standard item), ``benchmark_gaps`` (per locality and item), ``benchmark_localities``."""

    def records(table: pd.DataFrame, columns: list[str]) -> list[dict[str, Any]]:
        return [
            {
                c: (list(v) if isinstance(v, list) else plain_value(v))
                for c, v in zip(columns, row, strict=True)
            }
            for row in table[columns].itertuples(index=False)
        ]

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
            "score": plain_value(score),
            "same_department": bool(same),
            "reason": reason,
            "suggestion": suggestion,
        }
        for name_a, department_a, name_b, department_b, score, same, reason, suggestion in pairs[
            ["name_a", "department_a", "name_b", "department_b", "score", "same_department", "reason",
             "suggestion"]
        ].itertuples(index=False, name=None)
    ]  # fmt: skip


def flag_message(why: str, suggestion: str) -> str:
    """A flag's finding and suggestion as one Chinese sentence pair."""
    return f"{why}。建议：{suggestion}。" if suggestion else f"{why}。"


def flag_records(flags: pd.DataFrame) -> list[dict[str, Any]]:
    """流程再造 flags as the JSON contract names them; ``version`` is "" for item-level findings."""
    columns = ["item", "department", "version", "rule", "title", "steps", "days_saved", "why", "suggestion"]
    return [
        {
            "item": item,
            "department": department,
            "version": version,
            "rule": rule,
            "title": title,
            "steps": list(steps),
            "days_saved": plain_value(saved),
            "message": flag_message(why, suggestion),
        }
        for item, department, version, rule, title, steps, saved, why, suggestion in flags[
            columns
        ].itertuples(index=False, name=None)
    ]


def _width(text: str) -> int:
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def text_table(rows: list[list[str]], gap: int = 2) -> list[str]:
    """Rows of cells aligned in columns on a terminal, counting a Chinese character as two wide."""
    widths = [max(_width(r[c]) for r in rows if c < len(r)) for c in range(max(map(len, rows)))]
    return [
        (" " * gap).join(cell + " " * (widths[c] - _width(cell)) for c, cell in enumerate(r)).rstrip()
        for r in rows
    ]


def summary_text(analysis: Analysis, top_departments: int = 10) -> str:
    """A Chinese summary for the terminal: lists, overall, weakest departments, problems."""
    items = analysis.dataset.items
    files = analysis.dataset.mappings["file"].nunique()
    lines = [
        f"审批事项清理分析：{files} 个文件，{len(items)} 个事项，{len(analysis.processes)} 个流程",
        "",
    ]
    for record in sheet_records(analysis.dataset.mappings):
        kind = SHEET_KINDS[record["kind"]]
        where = f"，表头在第{record['header_row']}行" if record["header_row"] else ""
        unknown = [c for c, f in record["columns"].items() if not f]
        extra = f"，未识别的列（原样保留）：{'、'.join(unknown)}" if unknown else ""
        lines.append(f"{record['file']} / {record['sheet']}：{kind}{where}{extra}")
    lines.append("")
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
    rows = [*analysis.lists.iterrows(), *analysis.overall_table.assign(group="合计").iterrows()]
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
    lines += text_table(table) + notes
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

    failing = analysis.departments[
        analysis.departments["streamlining_met"].eq(False) | analysis.departments["shortening_met"].eq(False)
    ]
    lines += ["", f"部门：{len(analysis.departments)} 个，未达标 {len(failing)} 个"]
    for _, r in (
        failing.sort_values("streamlining_rate", na_position="first").head(top_departments).iterrows()
    ):
        lines.append(
            f"  {r['group']}：精简率 {percent(r['streamlining_rate'])}，"
            f"缩短率 {percent(r['shortening_rate'])}"
        )

    processes = analysis.processes
    if len(processes):
        lines.append("")
        for version, label in VERSION_LABELS.items():
            count, cyclic, mean = mean_critical_path(processes, version)
            if count:
                lines.append(
                    f"{label}流程 {count} 个，关键路径平均 {days(mean)} 个工作日"
                    + (f"（{cyclic} 个流程有循环，未计入）" if cyclic else "")
                )

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

    severity = analysis.problems["severity"].value_counts()
    lines += [
        "",
        f"问题：{len(analysis.problems)} 条（"
        + "，".join(f"{k} {v}" for k, v in severity.items())
        + "）"
        + ("，用 --json 查看明细" if len(analysis.problems) else ""),
    ]
    return "\n".join(lines)
