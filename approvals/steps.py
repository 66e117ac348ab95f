"""Raw step rows (办理环节) → canonical steps linked to their items, predecessors resolved.

Steps come from a step list (a sheet of 环节 rows, before and after re-engineering) or, where no
step list covers an item, from its 办理流程 column ("受理（1个工作日）→审查（5个工作日）→决定").
"""

from __future__ import annotations

import re
import tomllib
from functools import cache
from typing import Any

import numpy as np
import pandas as pd

from approvals.columns import Vocabulary, vocabulary
from approvals.limits import parse_limits
from approvals.model import DATA_DIR, STEP_COLUMNS, LimitStatus, Severity, Version, conform, empty_frame
from approvals.problems import concat_problems, problem, problems_frame
from approvals.text import fold, map_distinct
from approvals.workdays import WorkCalendar

_RAW_STEP_FIELDS = (
    "code",
    "item_name",
    "sub_item",
    "department",
    "version",
    "step_no",
    "step_name",
    "office",
    "person",
    "limit",
    "predecessors",
    "materials",
    "counted",
    "legal_basis",
)
_SPLIT_REFS = re.compile(r"[、,，;；/\s]+")
_NO_PREDECESSOR = {"无", "-", "—", "/", "0", "开始", "起始"}
_ARROWS = re.compile(r"\s*(?:→|->|—>|－>|=>|➝|➔|⇒|⟶|＞|>|—|－－|--)\s*")
_LISTS = re.compile(r"\s*[、，,；;]\s*")
_NUMBERING = re.compile(
    r"^\s*(?:第?[0-9一二三四五六七八九十]+(?:步|环节)?[\.、．:：)）]|[(（][0-9]+[)）])\s*"
)
_CHAIN_STEP = re.compile(
    r"^(?P<name>[^（(：:]+?)\s*(?:[（(](?P<paren>[^）)]*)[）)]|[：:]\s*(?P<colon>.+))?\s*$"
)


@cache
def excluded_time_words() -> tuple[str, ...]:
    """Step kinds whose time the limit does not count (专家评审, 公示, …), from data/limits.toml."""
    raw = tomllib.loads((DATA_DIR / "limits.toml").read_text(encoding="utf-8"))
    words = raw.get("excluded", {}).get("step_kinds", [])
    return tuple(words)


def build_steps(
    raw: pd.DataFrame,
    items: pd.DataFrame,
    headers: dict[tuple[str, str, str], str],
    calendar: WorkCalendar,
    year: int,
    vocab: Vocabulary | None = None,
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Canonical steps from step lists and items' 办理流程 columns, plus problems."""
    vocab = vocab or vocabulary()
    problems: list[pd.DataFrame] = []
    listed = _listed_steps(raw, items, vocab, problems) if not raw.empty else pd.DataFrame()
    chained = _chain_steps(items, listed, headers, problems)
    frames = [f for f in (listed, chained) if len(f)]
    if not frames:
        return empty_frame(STEP_COLUMNS), concat_problems(*problems)
    steps = pd.concat(frames, ignore_index=True)
    steps = _number_steps(steps, problems, headers)
    steps = _resolve_predecessors(steps, problems, headers)
    steps = _parse_step_limits(steps, calendar, year, problems, headers)
    steps["counted"] = _counted(steps, vocab)
    steps["step_id"] = np.arange(len(steps))
    keep = [c for c in steps.columns if c in STEP_COLUMNS or c not in _INTERNAL]
    return conform(steps[keep], STEP_COLUMNS), concat_problems(*problems)


_INTERNAL = {"code", "sub_item", "limit", "counted_text", "order", "has_step_list", *_RAW_STEP_FIELDS}


def _listed_steps(
    raw: pd.DataFrame, items: pd.DataFrame, vocab: Vocabulary, problems: list[pd.DataFrame]
) -> pd.DataFrame:
    steps = raw.copy()
    for f in _RAW_STEP_FIELDS:
        if f not in steps.columns:
            steps[f] = ""
    steps["source"] = "step_list"
    steps["order"] = np.arange(len(steps))
    steps["counted_text"] = steps["counted"]

    folded = map_distinct(steps["version"], fold)
    version = folded.map(vocab.versions)
    unknown = folded.ne("") & version.isna()
    if unknown.any():
        rows = steps[unknown]
        problems.append(
            _rows_problem(
                rows,
                "流程版本",
                rows["version"],
                "无法识别的流程版本（应为“再造前”或“再造后”等），按再造前计",
                Severity.WARNING,
                "version_unknown",
            )
        )
    steps["version"] = version.fillna(str(Version.BEFORE)).astype("str")

    steps["item_id"], unlinked = _link(steps, items)
    if unlinked.any():
        rows = steps[unlinked]
        problems.append(
            _rows_problem(
                rows,
                "事项名称",
                rows["item_name"].where(rows["item_name"].ne(""), rows["code"]),
                "环节清单中的事项在事项清单中找不到（按编码、部门和名称都未匹配），"
                "流程照常分析，但不计入事项的统计",
                Severity.WARNING,
                "step_unlinked",
            )
        )
    by_id = items.set_index("item_id")
    linked = steps["item_id"].lt(len(items)) & steps["item_id"].isin(by_id.index)
    ids = steps.loc[linked, "item_id"]
    steps.loc[linked, "item_name"] = by_id.loc[ids, "name"].to_numpy()
    steps.loc[linked, "department"] = by_id.loc[ids, "department"].to_numpy()
    return steps


def _link(steps: pd.DataFrame, items: pd.DataFrame) -> tuple[pd.Series, pd.Series]:
    """Each step's item_id: by code, else department + name, else a name unique in the catalog.

    Steps that match no item get fresh ids past the items' range, one per (department, name).
    """
    result = pd.Series(pd.NA, index=steps.index, dtype="Int64")
    if len(items):
        first = items.drop_duplicates("code")
        by_code = dict(zip(first["code"], first["item_id"], strict=True))
        by_code.pop("", None)
        with_sub = items[items["sub_item"].ne("")]
        by_code_sub = dict(
            zip(with_sub["code"] + "/" + with_sub["sub_item"], with_sub["item_id"], strict=True)
        )
        key = steps["code"] + "/" + steps["sub_item"]
        result = result.fillna(key.map(by_code_sub).where(steps["sub_item"].ne("")).astype("Int64"))
        result = result.fillna(steps["code"].map(by_code).astype("Int64"))
        first_named = items.drop_duplicates(["department", "name"])
        by_dept_name = dict(
            zip(first_named["department"] + "/" + first_named["name"], first_named["item_id"], strict=True)
        )
        result = result.fillna(
            (steps["department"] + "/" + steps["item_name"]).map(by_dept_name).astype("Int64")
        )
        counts = items["name"].value_counts()
        unique_names = items[items["name"].map(counts).eq(1)]
        by_name = dict(zip(unique_names["name"], unique_names["item_id"], strict=True))
        result = result.fillna(steps["item_name"].map(by_name).astype("Int64"))
    unlinked = result.isna()
    if unlinked.any():
        label = steps["department"] + "/" + steps["item_name"].where(steps["item_name"].ne(""), steps["code"])
        codes = pd.factorize(label[unlinked])[0]
        result[unlinked] = len(items) + codes
    return result.astype("int64"), unlinked


def _chain_steps(
    items: pd.DataFrame,
    listed: pd.DataFrame,
    headers: dict[tuple[str, str, str], str],
    problems: list[pd.DataFrame],
) -> pd.DataFrame:
    """Steps from the items' 办理流程 text, for (item, version) pairs no step list covers."""
    covered = set()
    if len(listed):
        covered = set(zip(listed["item_id"], listed["version"], strict=True))
    records: list[dict[str, Any]] = []
    issues: list[dict[str, Any]] = []
    for column, version in (("process_text", Version.BEFORE), ("process_after_text", Version.AFTER)):
        if column not in items.columns:
            continue
        texts = items[items[column].ne("")]
        for item in texts.itertuples(index=False):
            if (item.item_id, str(version)) in covered:
                continue
            header = headers.get((item.file, item.sheet, column), "办理流程")
            chain = parse_chain(getattr(item, column))
            if len(chain) < 1:
                continue
            if all(limit == "" for _, limit in chain):
                issues.append(
                    problem(
                        "办理流程中的环节都没有写时限，环节按0天计，关键路径无法反映实际用时",
                        file=item.file,
                        sheet=item.sheet,
                        row=int(item.row),
                        column=header,
                        value=getattr(item, column),
                        severity=Severity.WARNING,
                        code="chain_no_limits",
                    )
                )
            for n, (name, limit) in enumerate(chain, start=1):
                records.append(
                    {
                        "item_id": item.item_id,
                        "item_name": item.name,
                        "department": item.department,
                        "version": str(version),
                        "step_no": str(n),
                        "step_name": name,
                        "limit": limit,
                        "predecessors": "",
                        "source": "process_column",
                        "file": item.file,
                        "sheet": item.sheet,
                        "row": item.row,
                        "order": n,
                        "counted_text": "",
                        "materials": "",
                        "office": "",
                        "person": "",
                        "legal_basis": "",
                        "code": item.code,
                        "sub_item": "",
                    }
                )
    if issues:
        problems.append(problems_frame(issues))
    return pd.DataFrame(records)


def parse_chain(text: str) -> list[tuple[str, str]]:
    """A 办理流程 text → [(step name, limit text)], in order.

    >>> parse_chain("受理（1个工作日）→审查（5个工作日）→决定（2个工作日）")
    [('受理', '1个工作日'), ('审查', '5个工作日'), ('决定', '2个工作日')]
    >>> parse_chain("1.受理；2.审核：3个工作日；3.办结")
    [('受理', ''), ('审核', '3个工作日'), ('办结', '')]
    """
    text = text.strip()
    if not text:
        return []
    pieces = _ARROWS.split(text)
    if len(pieces) == 1:
        pieces = _LISTS.split(text)
    chain = []
    for piece in pieces:
        piece = _NUMBERING.sub("", piece).strip()
        if not piece:
            continue
        match = _CHAIN_STEP.match(piece)
        if match:
            chain.append((match["name"].strip(), (match["paren"] or match["colon"] or "").strip()))
        else:
            chain.append((piece, ""))
    return chain


def _number_steps(
    steps: pd.DataFrame, problems: list[pd.DataFrame], headers: dict[tuple[str, str, str], str]
) -> pd.DataFrame:
    """Step numbers: as written, else the order within the process; duplicates made unique."""
    rank = steps["version"].ne(str(Version.BEFORE)).astype(int)  # before first, then after
    steps = (
        steps.assign(_rank=rank)
        .sort_values(["item_id", "_rank", "order"], kind="stable")
        .drop(columns="_rank")
        .reset_index(drop=True)
    )
    position = steps.groupby(["item_id", "version"]).cumcount() + 1
    steps["step_no"] = map_distinct(steps["step_no"], fold).where(
        steps["step_no"].ne(""), position.astype("str")
    )
    dup = steps.duplicated(["item_id", "version", "step_no"], keep="first")
    if dup.any():
        rows = steps[dup]
        problems.append(
            _rows_problem(
                rows,
                "环节序号",
                rows["step_no"],
                "同一流程中环节序号重复，已改为带“′”的序号以便区分，请核实前置环节",
                Severity.WARNING,
                "step_no_duplicate",
                headers,
                "step_no",
            )
        )
        while dup.any():
            steps.loc[dup, "step_no"] = steps.loc[dup, "step_no"] + "′"
            dup = steps.duplicated(["item_id", "version", "step_no"], keep="first")
    return steps


def _step_order(steps: pd.DataFrame) -> pd.Series:
    """Sort key within a process: numeric step numbers by value, others by sheet order."""
    numeric = pd.to_numeric(steps["step_no"], errors="coerce")
    all_numeric = numeric.notna().groupby([steps["item_id"], steps["version"]]).transform("all")
    return numeric.where(all_numeric, steps["order"].astype(float))


def _resolve_predecessors(
    steps: pd.DataFrame, problems: list[pd.DataFrame], headers: dict[tuple[str, str, str], str]
) -> pd.DataFrame:
    """Predecessor step numbers, checked; a blank cell means the previous step by number."""
    steps = steps.assign(_key=_step_order(steps), _rank=steps["version"].ne(str(Version.BEFORE)).astype(int))
    steps = steps.sort_values(["item_id", "_rank", "_key"], kind="stable").reset_index(drop=True)
    previous = steps.groupby(["item_id", "version"])["step_no"].shift(1).fillna("")
    raw = map_distinct(steps["predecessors"], fold)
    explicit_none = raw.isin(_NO_PREDECESSOR)
    resolved = raw.where(raw.ne("") | explicit_none, previous).where(~explicit_none, "")

    refs = resolved.str.split(_SPLIT_REFS.pattern, regex=True)
    exploded = refs.explode()
    exploded = exploded[exploded.notna() & exploded.ne("")]
    known = pd.MultiIndex.from_frame(steps[["item_id", "version", "step_no"]])
    probe = pd.MultiIndex.from_arrays(
        [steps.loc[exploded.index, "item_id"], steps.loc[exploded.index, "version"], exploded.to_numpy()]
    )
    exists = probe.isin(known) & (exploded.to_numpy() != steps.loc[exploded.index, "step_no"].to_numpy())
    bad = exploded[~exists]
    if len(bad):
        rows = steps.loc[bad.index]
        problems.append(
            _rows_problem(
                rows.assign(predecessors=bad.to_numpy()),
                "前置环节",
                bad,
                "前置环节指向本流程中不存在的环节序号（或指向自身），已忽略该前置关系",
                Severity.WARNING,
                "predecessor_unknown",
                headers,
                "predecessors",
            )
        )
    good = exploded[exists]
    steps["predecessors"] = _join_by_index(good, steps.index)
    return steps.drop(columns=["_key", "_rank"])


def _join_by_index(values: pd.Series, index: pd.Index) -> pd.Series:
    """Comma-join values sharing an index label; most steps have one predecessor, so only the
    few with several are joined in Python."""
    out = pd.Series("", index=index, dtype="str")
    repeated = values.index.duplicated(keep=False)
    single = values[~repeated]
    out.loc[single.index] = single.to_numpy()
    several = values[repeated]  # exploded lists keep each step's references together
    if len(several):
        keys, refs = several.index.to_numpy(), several.to_numpy()
        starts = np.flatnonzero(np.r_[True, keys[1:] != keys[:-1]])
        ends = np.r_[starts[1:], len(refs)]
        out.loc[keys[starts]] = [",".join(refs[a:b]) for a, b in zip(starts, ends, strict=True)]
    return out


def _parse_step_limits(
    steps: pd.DataFrame,
    calendar: WorkCalendar,
    year: int,
    problems: list[pd.DataFrame],
    headers: dict[tuple[str, str, str], str],
) -> pd.DataFrame:
    parsed = parse_limits(steps["limit"], calendar=calendar, year=year)
    steps["limit_text"] = steps["limit"]
    steps["limit_status"] = parsed["status"].astype("str")
    steps["limit_unit"] = parsed["unit"].astype("str")
    steps["limit_note"] = parsed["note"].astype("str")
    steps["converted"] = parsed["converted"].astype(bool)
    steps["days"] = parsed["days"].where(parsed["status"].eq(LimitStatus.VALUE), 0.0).astype(float)
    listed = steps["source"].eq("step_list")
    for status, message, severity, code in (
        (LimitStatus.BLANK, "环节办理时限为空，按0天计算", Severity.WARNING, "step_limit_blank"),
        (LimitStatus.NONE, "环节没有时限（写作“无”等），按0天计算", Severity.INFO, "step_limit_none"),
        (LimitStatus.INVALID, "无法识别的环节办理时限，按0天计算", Severity.ERROR, "step_limit_invalid"),
    ):
        mask = parsed["status"].eq(status) & (listed | status.__eq__(LimitStatus.INVALID))
        if mask.any():
            rows = steps[mask]
            problems.append(
                _rows_problem(rows, "办理时限", rows["limit"], message, severity, code, headers, "limit")
            )
    return steps


def _counted(steps: pd.DataFrame, vocab: Vocabulary) -> pd.Series:
    """Whether a step's time counts toward the limit: the 计入时限 cell, else the step's kind."""
    text = map_distinct(steps["counted_text"].fillna(""), fold)
    yes = text.isin({fold(w) for w in vocab.words["yes"]})
    no = text.isin({fold(w) for w in vocab.words["no"]})
    words = excluded_time_words()
    pattern = "|".join(re.escape(w) for w in words) if words else "(?!)"
    outside = steps["step_name"].str.contains(pattern, regex=True) | steps["limit_note"].str.contains(
        "不计入", regex=False
    )
    return (yes | (~no & ~outside)).astype(bool)


def _rows_problem(
    rows: pd.DataFrame,
    label: str,
    values: pd.Series,
    message: str,
    severity: Severity,
    code: str,
    headers: dict[tuple[str, str, str], str] | None = None,
    fld: str = "",
) -> pd.DataFrame:
    columns = [
        headers.get((f, s, fld), label) if headers else label
        for f, s in zip(rows["file"], rows["sheet"], strict=True)
    ]
    return problems_frame(
        pd.DataFrame(
            {
                "file": rows["file"].to_numpy(),
                "sheet": rows["sheet"].to_numpy(),
                "row": rows["row"].to_numpy(),
                "column": columns,
                "value": pd.Series(values).astype("str").to_numpy(),
                "message": message,
                "severity": str(severity),
                "code": code,
            }
        )
    )
