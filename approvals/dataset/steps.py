"""Raw step rows (办理环节) → canonical steps linked to their items, predecessors resolved.

Steps come from a step list (a sheet of 环节 rows, before and after re-engineering) or, where no
step list covers an item, from its 办理流程 column ("受理（1个工作日）→审查（5个工作日）→决定").
A province holds millions of steps, so every pass here runs over columns: keys are integers,
repeated text is handled once per distinct value, and only the rows that need it are touched.
"""

from __future__ import annotations

import re
from typing import Any

import numpy as np
import pandas as pd

from approvals.dataset.limits import parse_limits
from approvals.model import STEP_COLUMNS, LimitStatus, Severity, Version, conform, empty_frame
from approvals.problems import concat_problems, problem, problems_frame
from approvals.settings import Settings
from approvals.settings.columns import Vocabulary
from approvals.text import coded_texts, distinct_values, fold, map_distinct

_RAW_STEP_FIELDS = (
    "code", "item_name", "sub_item", "department", "version", "step_no", "step_name", "office", "person",
    "limit", "predecessors", "materials", "counted", "legal_basis",
)  # fmt: skip
_INTERNAL = {"code", "sub_item", "limit", "counted_text", "order", "_process", *_RAW_STEP_FIELDS}
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
_HEADERS = dict[tuple[str, str, str], str]


def build_steps(
    raw: pd.DataFrame, items: pd.DataFrame, headers: _HEADERS, settings: Settings
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Canonical steps from step lists and items' 办理流程 columns, plus problems.

    ``items`` are the canonical items, whose item_id is their position (0 … n−1).
    """
    listed, listed_problems = (
        _listed_steps(raw, items, settings.columns) if not raw.empty else (pd.DataFrame(), _no_problems())
    )
    chained, chain_problems = _chain_steps(items, listed, headers)
    frames = [f for f in (listed, chained) if len(f)]
    if not frames:
        return empty_frame(STEP_COLUMNS), concat_problems(listed_problems, chain_problems)
    steps = frames[0] if len(frames) == 1 else pd.concat(frames, ignore_index=True)
    steps, order_problems = _order_steps(steps, headers)
    steps, predecessor_problems = _resolve_predecessors(steps, headers)
    steps, limit_problems = _parse_step_limits(steps, settings, headers)
    steps = steps.assign(counted=_counted(steps, settings), step_id=np.arange(len(steps)))
    keep = [c for c in steps.columns if c in STEP_COLUMNS or c not in _INTERNAL]
    problems = concat_problems(
        listed_problems, chain_problems, order_problems, predecessor_problems, limit_problems
    )
    return conform(steps[keep], STEP_COLUMNS), problems


def _no_problems() -> pd.DataFrame:
    return problems_frame([])


def _listed_steps(
    raw: pd.DataFrame, items: pd.DataFrame, vocab: Vocabulary
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The rows of step lists, versions read and each step linked to its item; and problems."""
    problems: list[pd.DataFrame] = []
    missing = {f: "" for f in _RAW_STEP_FIELDS if f not in raw.columns}
    steps = raw.assign(**missing, source="step_list", order=np.arange(len(raw)))
    steps["counted_text"] = steps["counted"]

    # per distinct text: its version (再造前 where blank or unknown), and whether it is unknown
    codes, texts = pd.factorize(steps["version"], use_na_sentinel=False)
    folded = [fold(t) for t in texts.tolist()]
    versions = [vocab.versions.get(f, str(Version.BEFORE)) for f in folded]
    unknown = np.array([f != "" and f not in vocab.versions for f in folded], dtype=bool)[codes]
    if unknown.any():
        problems.append(
            _rows_problem(
                steps,
                unknown,
                "流程版本",
                steps["version"],
                "无法识别的流程版本（应为“再造前”或“再造后”等），按再造前计",
                Severity.WARNING,
                "version_unknown",
            )
        )
    steps["version"] = coded_texts(versions, codes, steps.index)

    ids = link_steps(steps, items)
    unlinked = ids < 0
    if unlinked.any():
        shown = steps["item_name"].where(steps["item_name"].ne(""), steps["code"])
        problems.append(
            _rows_problem(
                steps,
                unlinked,
                "事项名称",
                shown,
                "环节清单中的事项在事项清单中找不到（按编码、部门和名称都未匹配），流程照常分析，但不计入事项的统计",
                Severity.WARNING,
                "step_unlinked",
            )
        )
        label = (steps["department"] + "/" + shown)[unlinked]
        ids[unlinked] = len(items) + pd.factorize(label)[0]
    steps["item_id"] = ids
    if (~unlinked).any():
        linked = pd.Series(~unlinked, index=steps.index)
        take = np.where(unlinked, 0, ids)
        for column, source in (("item_name", "name"), ("department", "department")):
            from_items = items[source].take(take)
            from_items.index = steps.index
            steps[column] = from_items.where(linked, steps[column])
    return steps, concat_problems(*problems)


def link_steps(steps: pd.DataFrame, items: pd.DataFrame) -> np.ndarray:
    """Each step's item_id, −1 where none matches: by code (+ sub-item), else department + name,
    else a name that only one item in the catalog has. Each fallback runs on the rows left.

    Texts are compared as integers: each column of the items and the same column of the steps
    are encoded together once (one hash pass over Arrow strings), and a key of two columns is
    the pair of their codes."""
    result = np.full(len(steps), -1, dtype=np.int64)
    if items.empty:
        return result
    item_ids = items["item_id"].to_numpy()
    encoded: dict[str, tuple[np.ndarray, np.ndarray, int]] = {}

    def keys(*columns: tuple[str, str]) -> tuple[np.ndarray, np.ndarray]:
        item_key = np.zeros(len(items), dtype=np.int64)
        step_key = np.zeros(len(steps), dtype=np.int64)
        for item_column, step_column in columns:
            if item_column not in encoded:
                both = pd.concat([items[item_column], steps[step_column]], ignore_index=True)
                codes, distinct = pd.factorize(both)
                codes = codes.astype(np.int64) + 1  # a missing cell (−1) is a code of its own
                encoded[item_column] = (codes[: len(items)], codes[len(items) :], len(distinct) + 1)
            item_codes, step_codes, width = encoded[item_column]
            item_key = item_key * width + item_codes
            step_key = step_key * width + step_codes
        return item_key, step_key

    code, sub, name = items["code"].ne(""), items["sub_item"].ne(""), items["name"].ne("")
    levels: list[tuple[tuple[tuple[str, str], ...], pd.Series]] = [
        ((("code", "code"), ("sub_item", "sub_item")), code & sub),
        ((("code", "code"),), code),
        ((("department", "department"), ("name", "item_name")), name),
        ((("name", "item_name"),), name & ~items["name"].duplicated(keep=False)),
    ]
    for columns, usable_items in levels:
        todo = np.flatnonzero(result < 0)
        usable = usable_items.to_numpy()
        if not len(todo) or not usable.any():
            continue
        item_key, step_key = keys(*columns)
        position = first_match(item_key[usable], step_key[todo])
        found = position >= 0
        result[todo[found]] = item_ids[usable][position[found]]
    return result


def first_match(keys: np.ndarray, probes: np.ndarray) -> np.ndarray:
    """For each probe, the position in ``keys`` of its first equal key, or −1.

    >>> first_match(np.array([7, 3, 7]), np.array([7, 5, 3])).tolist()
    [0, -1, 1]
    """
    if not len(keys):
        return np.full(len(probes), -1, dtype=np.int64)
    order = np.argsort(keys, kind="stable")  # equal keys stay in their order: the first comes first
    ordered = keys[order]
    at = np.minimum(np.searchsorted(ordered, probes), len(keys) - 1)
    return np.where(ordered[at] == probes, order[at], -1)


def _chain_steps(
    items: pd.DataFrame, listed: pd.DataFrame, headers: _HEADERS
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Steps from the items' 办理流程 text, for (item, version) pairs no step list covers; and
    a problem for each chain that gives no limits."""
    records: list[dict[str, Any]] = []
    issues: list[dict[str, Any]] = []
    for column, version in (("process_text", Version.BEFORE), ("process_after_text", Version.AFTER)):
        if column not in items.columns:
            continue
        has_text = items[column].ne("").to_numpy()
        if not has_text.any():
            continue
        if len(listed):
            covered = listed.loc[listed["version"].eq(str(version)), "item_id"].unique()
            has_text = has_text & ~items["item_id"].isin(covered).to_numpy()
        fields = ["item_id", "name", "department", "code", "file", "sheet", "row", column]
        for item_id, name, department, code, file, sheet, row, text in items.loc[has_text, fields].itertuples(
            index=False
        ):
            chain = parse_chain(text)
            if not chain:
                continue
            if all(limit == "" for _, limit in chain):
                issues.append(
                    problem(
                        "办理流程中的环节都没有写时限，环节按0天计，关键路径无法反映实际用时",
                        file=file,
                        sheet=sheet,
                        row=int(row),
                        column=headers.get((file, sheet, column), "办理流程"),
                        value=text,
                        severity=Severity.WARNING,
                        code="chain_no_limits",
                    )
                )
            for n, (step_name, limit) in enumerate(chain, start=1):
                records.append({
                    "item_id": item_id, "item_name": name, "department": department, "version": str(version),
                    "step_no": str(n), "step_name": step_name, "limit": limit, "predecessors": "",
                    "source": "process_column", "file": file, "sheet": sheet, "row": row, "order": n,
                    "counted_text": "", "materials": "", "office": "", "person": "", "legal_basis": "",
                    "code": code, "sub_item": "",
                })  # fmt: skip
    return pd.DataFrame(records), problems_frame(issues)


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


def _order_steps(steps: pd.DataFrame, headers: _HEADERS) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Steps sorted by process (before first) and step number; numbers as written, else the order
    within the process; a number used twice in a process is made unique and reported."""
    steps = steps.copy()
    problems: list[pd.DataFrame] = []
    process = steps.groupby(["item_id", "version"], sort=False).ngroup().to_numpy()
    rank = steps["version"].ne(str(Version.BEFORE)).to_numpy().astype(np.int64)
    item_ids = steps["item_id"].to_numpy()
    by_order = np.lexsort((steps["order"].to_numpy(), rank, item_ids))
    position = np.empty(len(steps), dtype=np.int64)
    position[by_order] = pd.Series(process[by_order]).groupby(process[by_order]).cumcount().to_numpy() + 1
    written = map_distinct(steps["step_no"], fold)
    blank = written.eq("")
    if blank.any():
        written = written.copy()
        written[blank] = position[blank.to_numpy()].astype(str)
    steps["step_no"] = written
    steps["_process"] = process

    number_codes = pd.factorize(steps["step_no"])[0].astype(np.int64)
    key = pd.Series(process.astype(np.int64) * (number_codes.max() + 1) + number_codes)
    dup = key.duplicated().to_numpy()
    if dup.any():
        problems.append(
            _rows_problem(
                steps,
                dup,
                "环节序号",
                steps["step_no"],
                "同一流程中环节序号重复，已改为带“′”的序号以便区分，请核实前置环节",
                Severity.WARNING,
                "step_no_duplicate",
                headers,
                "step_no",
            )
        )
        while dup.any():
            steps.loc[dup, "step_no"] = steps.loc[dup, "step_no"] + "′"
            dup = steps.duplicated(["_process", "step_no"]).to_numpy()

    numeric = distinct_values(steps["step_no"], _number, float)
    all_numeric = pd.Series(~np.isnan(numeric)).groupby(process).transform("all").to_numpy()
    sort_key = np.where(all_numeric, numeric, steps["order"].to_numpy(dtype=float))
    ordered = steps.take(np.lexsort((sort_key, rank, item_ids))).reset_index(drop=True)
    return ordered, concat_problems(*problems)


def _number(text: str) -> float:
    try:
        return float(text)
    except ValueError:
        return float("nan")


def _resolve_predecessors(steps: pd.DataFrame, headers: _HEADERS) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Predecessor step numbers, checked; a blank cell means the previous step by number.

    Most cells are blank, and the previous step exists by construction; only the written
    references are split (once per distinct text) and checked; a reference to no step of the
    process is left out and reported.
    """
    problems: list[pd.DataFrame] = []
    process = steps["_process"].to_numpy()
    starts = np.r_[True, process[1:] != process[:-1]]
    written = map_distinct(steps["predecessors"], fold)
    explicit_none = written.isin(_NO_PREDECESSOR).to_numpy()
    explicit = written.ne("").to_numpy() & ~explicit_none
    result = steps["step_no"].shift(1, fill_value="").where(~pd.Series(starts | explicit_none), "")

    rows = np.flatnonzero(explicit)
    if len(rows):
        codes, distinct = pd.factorize(written.take(rows))
        parts = [[r for r in _SPLIT_REFS.split(text) if r] for text in distinct]
        lengths = np.array([len(p) for p in parts], dtype=np.int64)
        flat = np.array([r for p in parts for r in p] or [""], dtype=object)
        offsets = np.r_[0, np.cumsum(lengths)[:-1]]
        per_row = lengths[codes]
        owner = np.repeat(rows, per_row)
        within = np.arange(per_row.sum()) - np.repeat(np.cumsum(per_row) - per_row, per_row)
        refs = flat[np.repeat(offsets[codes], per_row) + within]

        # Integer keys (process, number): numbers are unique within a process by now.
        all_codes, distinct_numbers = pd.factorize(
            pd.concat([steps["step_no"], pd.Series(refs, dtype="str")], ignore_index=True)
        )
        width = len(distinct_numbers) + 1
        number_codes, ref_codes = all_codes[: len(steps)], all_codes[len(steps) :]
        step_keys = pd.Index(process.astype(np.int64) * width + number_codes)
        ref_keys = process[owner].astype(np.int64) * width + ref_codes
        exists = (step_keys.get_indexer(ref_keys) >= 0) & (ref_codes != number_codes[owner])
        if not exists.all():
            bad = ~exists
            problems.append(
                _rows_problem(
                    steps.iloc[owner[bad]].reset_index(drop=True),
                    np.ones(bad.sum(), dtype=bool),
                    "前置环节",
                    pd.Series(refs[bad]),
                    "前置环节指向本流程中不存在的环节序号（或指向自身），已忽略该前置关系",
                    Severity.WARNING,
                    "predecessor_unknown",
                    headers,
                    "predecessors",
                )
            )
        joined = _join_by_index(pd.Series(refs[exists], index=owner[exists]), pd.Index(rows))
        result = result.copy()
        result.iloc[rows] = joined.to_numpy()
    return steps.assign(predecessors=result.astype("str")), concat_problems(*problems)


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
    steps: pd.DataFrame, settings: Settings, headers: _HEADERS
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Each step's 办理时限 in working days (0 where it cannot be read); and the problems."""
    parsed = parse_limits(steps["limit"], settings=settings)
    steps = steps.assign(
        limit_text=steps["limit"],
        limit_status=parsed["status"].astype("str"),
        limit_unit=parsed["unit"].astype("str"),
        limit_note=parsed["note"].astype("str"),
        converted=parsed["converted"].astype(bool),
        days=parsed["days"].where(parsed["status"].eq(LimitStatus.VALUE), 0.0).astype(float),
    )
    problems: list[pd.DataFrame] = []
    listed = steps["source"].eq("step_list").to_numpy()
    for kind, message, severity, code in (
        (LimitStatus.BLANK, "环节办理时限为空，按0天计算", Severity.WARNING, "step_limit_blank"),
        (LimitStatus.NONE, "环节没有时限（写作“无”等），按0天计算", Severity.INFO, "step_limit_none"),
        (LimitStatus.INVALID, "无法识别的环节办理时限，按0天计算", Severity.ERROR, "step_limit_invalid"),
    ):
        mask = parsed["status"].eq(str(kind)).to_numpy() & (listed | (kind == LimitStatus.INVALID))
        mask &= ~parsed["absurd"].to_numpy(dtype=bool)
        if mask.any():
            problems.append(
                _rows_problem(
                    steps, mask, "办理时限", steps["limit"], message, severity, code, headers, "limit"
                )
            )
    absurd = parsed["absurd"].to_numpy(dtype=bool)
    if absurd.any():
        message = "环节办理时限为负数、数字过大或超过合理上限，不像真实的时限，按0天计算；请核对"
        problems.append(
            _rows_problem(
                steps, absurd, "办理时限", steps["limit"], message, Severity.ERROR, "step_limit_absurd",
                headers, "limit",
            )
        )  # fmt: skip
    return steps, concat_problems(*problems)


def _counted(steps: pd.DataFrame, settings: Settings) -> pd.Series:
    """Whether a step's time counts toward the limit: the 计入时限 cell, else the step's kind."""
    text = map_distinct(steps["counted_text"].fillna(""), fold)
    yes = text.isin({fold(w) for w in settings.columns.words["yes"]})
    no = text.isin({fold(w) for w in settings.columns.words["no"]})
    words = settings.limits.step_kinds
    kind = re.compile("|".join(re.escape(w) for w in words)) if words else None
    outside = map_distinct(steps["step_name"], lambda s: "1" if kind and kind.search(s) else "").ne("")
    outside |= map_distinct(steps["limit_note"], lambda s: "1" if "不计入" in s else "").ne("")
    return (yes | (~no & ~outside)).astype(bool)


def _rows_problem(
    steps: pd.DataFrame,
    mask: np.ndarray,
    label: str,
    values: pd.Series,
    message: str,
    severity: Severity,
    code: str,
    headers: _HEADERS | None = None,
    fld: str = "",
) -> pd.DataFrame:
    """Problem rows for the steps where ``mask`` holds, naming the column as the file wrote it."""
    picked = steps.loc[mask, ["file", "sheet", "row"]]
    files, sheets = picked["file"].tolist(), picked["sheet"].tolist()
    columns = (
        [headers.get((f, s, fld), label) for f, s in zip(files, sheets, strict=True)] if headers else label
    )
    return problems_frame(pd.DataFrame({
        "file": files, "sheet": sheets, "row": picked["row"].to_numpy(), "column": columns,
        "value": pd.Series(values).astype("str")[mask].to_numpy(), "message": message,
        "severity": str(severity), "code": code,
    }))  # fmt: skip
