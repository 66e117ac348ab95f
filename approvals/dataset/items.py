"""Raw item text → canonical items: limits parsed, decisions classified, keys made, doubts reported."""

from __future__ import annotations

import re

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from approvals.dataset.decisions import classify_decisions
from approvals.dataset.limits import parse_limit, parse_limits
from approvals.dataset.roles import count_roles
from approvals.model import (
    ATTRIBUTE_COLUMNS,
    ITEM_COLUMNS,
    Decision,
    LimitStatus,
    Severity,
    conform,
    empty_frame,
)
from approvals.problems import concat_problems, problems_frame
from approvals.read.columns import category_of
from approvals.settings import Settings
from approvals.settings.columns import Vocabulary
from approvals.text import fold, map_distinct

UNCATEGORISED = "未分类"


# Raw text fields an items sheet may have (besides the carried-along columns).
_RAW_ITEM_FIELDS = (
    "code", "name", "sub_item", "department", "category", "legal_basis", "fee", "fee_standard",
    "fee_basis", "materials", "visits", "visits_after", "remarks", "statutory", "statutory_unit",
    "statutory_note", "original", "committed", "committed_unit", "committed_note", "decision", "process_text",
    "process_after_text", "special_name", "special_limit", "special_unit", *ATTRIBUTE_COLUMNS,
)  # fmt: skip


_LIMIT_SOURCES = {"statutory": "statutory", "original": "original", "committed": "committed"}


def normalise_items(
    raw: pd.DataFrame,
    headers: dict[tuple[str, str, str], str],
    settings: Settings,
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Raw item text → canonical items (limits parsed, decisions classified, keys) + problems."""
    if raw.empty:
        return empty_frame(ITEM_COLUMNS), empty_frame(list(problems_frame([]).columns))
    items = raw.copy()
    for f in _RAW_ITEM_FIELDS:
        if f not in items.columns:
            items[f] = ""
    if "has_decision" not in items.columns:
        items["has_decision"] = False
    items["has_decision"] = items["has_decision"].astype(bool)
    problems: list[pd.DataFrame] = []

    # Category: the list the item belongs to. A code names a list only when columns.toml knows it.
    raw_category = items["category"]
    distinct = pd.unique(raw_category)
    names = {t: category_of(t, settings.columns) or _uncoded(t) for t in distinct}
    items["category"] = raw_category.map(names).astype("str")
    problems.append(_category_problems(items, raw_category, headers, settings))

    # Notes written into the department or the name go to 备注.
    _move_notes(items, settings.columns)

    # Codes: the local implementation code keys the item; a list with the standard code only is
    # keyed by that. Levels as names, whether written as codes or words.
    items["code"] = items["code"].where(items["code"].ne(""), items["basic_code"])
    items["level"] = map_distinct(items["level"], lambda t: level_names(t, settings.columns))

    items["special_procedure"] = special_procedures(items, settings)

    # Limits. One cell may give both ("法定办结时限：60个工作日\n承诺办结时限：40个工作日").
    problems.append(_split_combined_limits(items, headers))
    for prefix, fld in _LIMIT_SOURCES.items():
        units = raw[f"{fld}_unit"] if f"{fld}_unit" in raw.columns else None
        parsed = parse_limits(items[fld], units, settings=settings)
        extra_note = items.get(f"{fld}_note", pd.Series("", index=items.index))
        note = _joined_notes(parsed["note"], extra_note)
        items[f"{prefix}_text"] = items[fld]
        items[f"{prefix}_days"] = parsed["days"].astype(float)
        items[f"{prefix}_status"] = parsed["status"].astype("str")
        items[f"{prefix}_unit"] = parsed["unit"].astype("str")
        items[f"{prefix}_note"] = note.astype("str")
        items[f"{prefix}_converted"] = parsed["converted"].astype(bool)
        problems.append(_limit_problems(items, parsed, fld, headers))

    # Decisions.
    classified = classify_decisions(items["decision"], settings.decisions)
    items["decision_text"] = items["decision"]
    items["decision"] = classified["decision"].where(items["has_decision"], str(Decision.RETAINED))
    items["merge_target"] = classified["merge_target"].where(items["has_decision"], "")
    problems.append(_decision_problems(items, classified, headers))

    items = items.drop(
        columns=[
            c
            for c in ("statutory", "original", "committed", "special_name", "special_limit", "special_unit")
            if c in items.columns
        ]
    )
    items["item_id"] = np.arange(len(items))
    items["item_key"] = item_keys(items)
    problems.append(_duplicate_problems(items))
    problems.append(_long_name_problems(items, headers, settings.similar.compared_chars))
    items["item_key"] = distinct_keys(items["item_key"])
    items = derive_items(conform(items, ITEM_COLUMNS))
    return items, concat_problems(*problems)


def derive_items(items: pd.DataFrame) -> pd.DataFrame:
    """Columns that follow from others: before/after days and how each item counts.

    Re-run after the analyst edits a decision or a limit, so the figures follow the edit.
    """
    out = items.copy()
    original = out["original_status"].eq(LimitStatus.VALUE)
    statutory = out["statutory_status"].eq(LimitStatus.VALUE)
    out["before_days"] = out["original_days"].where(original, out["statutory_days"].where(statutory))
    out["before_source"] = np.select([original, statutory], ["original", "statutory"], "")
    committed = out["committed_status"].eq(LimitStatus.VALUE)
    out["after_days"] = out["committed_days"].where(committed)
    out["counts_as"] = count_roles(out).astype("str")
    return out


def item_keys(items: pd.DataFrame) -> pd.Series:
    """Code where present, else department/name; a sub-item adds its own name.

    >>> item_keys(pd.DataFrame({"code": ["A1", ""], "department": ["市教育局", "市教育局"],
    ...                         "name": ["甲", "乙"], "sub_item": ["", "子"]})).tolist()
    ['A1', '市教育局/乙/子']
    """
    base = items["code"].where(items["code"].ne(""), items["department"] + "/" + items["name"])
    return base.where(items["sub_item"].eq(""), base + "/" + items["sub_item"]).astype("str")


def distinct_keys(keys: pd.Series) -> pd.Series:
    """The keys with every later repeat made distinct: the first row keeps its key, the next ones
    get "#2", "#3", … (skipping any that another row already has), in reading order.

    >>> distinct_keys(pd.Series(["A1", "B2", "A1", "A1#2", "A1"])).tolist()
    ['A1', 'B2', 'A1#3', 'A1#2', 'A1#4']
    """
    repeated = keys.duplicated(keep="first").to_numpy()
    if not repeated.any():
        return keys
    out = keys.to_numpy(dtype=object, copy=True)
    taken = set(out)
    number: dict[str, int] = {}
    for position in np.flatnonzero(repeated):
        key = out[position]
        n = number.get(key, 2)
        while f"{key}#{n}" in taken:
            n += 1
        out[position] = f"{key}#{n}"
        taken.add(out[position])
        number[key] = n + 1
    return pd.Series(out, index=keys.index, dtype="str", name=keys.name)


def _joined_notes(first: pd.Series, second: pd.Series) -> pd.Series:
    """Two note columns (of the same rows) joined by "；", either of them possibly empty.

    >>> _joined_notes(pd.Series(["不含公示", "", ""]), pd.Series(["另行通知", "另行通知", ""])).tolist()
    ['不含公示；另行通知', '另行通知', '']
    """
    a, b = (pa.array(s.astype("str")).cast(pa.large_string()) for s in (first, second))
    joined = pc.binary_join_element_wise(a, b, pa.scalar("；", pa.large_string()))
    return pd.Series(pc.utf8_trim(joined, "；"), index=first.index, dtype="str")


def _column(
    headers: dict[tuple[str, str, str], str], file: pd.Series, sheet: pd.Series, fld: str
) -> list[str]:
    return [headers.get((f, s, fld), "") for f, s in zip(file, sheet, strict=True)]


def _limit_problems(
    items: pd.DataFrame, parsed: pd.DataFrame, fld: str, headers: dict[tuple[str, str, str], str]
) -> pd.DataFrame:
    invalid = parsed["status"].eq(LimitStatus.INVALID).to_numpy()
    absurd = invalid & parsed["absurd"].to_numpy(dtype=bool)
    frames = []
    for bad, code in ((invalid & ~absurd, "limit_invalid"), (absurd, "limit_absurd")):
        if not bad.any():
            continue
        rows = items.loc[bad]
        frames.append(
            pd.DataFrame(
                {
                    "file": rows["file"],
                    "sheet": rows["sheet"],
                    "row": rows["row"],
                    "column": _column(headers, rows["file"], rows["sheet"], fld),
                    "value": rows[fld],
                    "message": parsed.loc[bad, "message"].where(
                        parsed.loc[bad, "message"].ne(""), "无法识别的时限，该项时限未计入平均"
                    ),
                    "severity": str(Severity.ERROR),
                    "code": code,
                }
            )
        )
    if not frames:
        return problems_frame([])
    return problems_frame(pd.concat(frames).sort_index(kind="stable"))


_LABELLED_LIMIT = re.compile(r"(法定|承诺)[^：:\n，,；;]{0,6}[：:]\s*([^\n；;，,]+)")


def combined_limits(text: str) -> tuple[str, str] | None:
    """(statutory, committed) when one cell labels both limits, else None.

    >>> combined_limits("法定办结时限：60个工作日\\n承诺办结时限：40个工作日")
    ('60个工作日', '40个工作日')
    >>> combined_limits("20个工作日") is None, combined_limits("承诺时限：5个工作日") is None
    (True, True)
    """
    found = {kind: value.strip() for kind, value in _LABELLED_LIMIT.findall(text)}
    if "法定" in found and "承诺" in found:
        return found["法定"], found["承诺"]
    return None


def _split_combined_limits(items: pd.DataFrame, headers: dict[tuple[str, str, str], str]) -> pd.DataFrame:
    """Read a cell that labels both the statutory and the committed limit into both columns (where
    the other is empty or is that cell), with a warning so the analyst knows."""
    parts = []
    for fld in ("statutory", "committed", "original"):
        cells = items[fld]
        if not cells.str.contains("[：:]", regex=True).any():
            continue
        candidates = pd.unique(cells[cells.str.contains("[：:]", regex=True)])
        split = {str(k): v for k in candidates if (v := combined_limits(str(k))) is not None}
        if not split:
            continue
        mask = cells.isin(list(split)).to_numpy()
        rows = items.loc[mask]
        statutory = rows[fld].map({k: v[0] for k, v in split.items()}).astype("str")
        committed = rows[fld].map({k: v[1] for k, v in split.items()}).astype("str")
        for target, values in (("statutory", statutory), ("committed", committed)):
            free = rows[target].eq("") | rows[target].eq(rows[fld])
            items.loc[free[free].index, target] = values[free]
        if fld == "original":
            items.loc[rows.index, "original"] = ""
        parts.append(pd.DataFrame({
            "file": rows["file"], "sheet": rows["sheet"], "row": rows["row"],
            "column": _column(headers, rows["file"], rows["sheet"], fld),
            "value": rows[fld],
            "message": [f"一个单元格中同时写了法定和承诺办结时限，已分别读取：法定“{s}”，承诺“{c}”，请核实"
                        for s, c in zip(statutory, committed, strict=True)],
            "severity": str(Severity.WARNING), "code": "limit_combined",
        }))  # fmt: skip
    return problems_frame(pd.concat(parts)) if parts else problems_frame([])


def department_note(text: str, vocab: Vocabulary) -> tuple[str, str]:
    """(department, note) of a department cell with a bracketed note after the department's name.

    >>> department_note("区教育局(部分为审批,部分为省教育厅委托事项)", settings.columns)
    ('区教育局', '部分为审批,部分为省教育厅委托事项')
    >>> department_note("区教育局", settings.columns), department_note("（空）", settings.columns)
    (('区教育局', ''), ('（空）', ''))
    """
    match = _BRACKETED.fullmatch(text.strip())
    if match and match["body"].endswith(tuple(vocab.words["department_suffixes"])):
        return match["body"].strip(), match["note"].strip()
    return text, ""


def name_marker(text: str, vocab: Vocabulary) -> tuple[str, str]:
    """(name, marker) of an item name ending in a marker such as "*".

    >>> name_marker("建设工程规划许可*", settings.columns), name_marker("取水许可", settings.columns)
    (('建设工程规划许可', '*'), ('取水许可', ''))
    """
    stripped = text.strip()
    marker = ""
    while stripped and stripped[-1] in vocab.words["name_markers"]:
        marker = stripped[-1] + marker
        stripped = stripped[:-1].rstrip()
    return (stripped, marker) if stripped and marker else (text, "")


_DIGITS = re.compile(r"\d+")
_BRACKETED = re.compile(r"(?P<body>[^（()）]+)[（(](?P<note>[^（()）]+)[）)]")


def _move_notes(items: pd.DataFrame, vocab: Vocabulary) -> None:
    """Department notes in brackets and markers after item names, moved to 备注 (in place)."""
    notes: list[pd.Series] = []
    for field, split, shown in (
        ("department", department_note, "实施部门说明：{}"),
        ("name", name_marker, "名称标记“{}”"),
    ):
        distinct = pd.unique(items[field])
        parts = {str(v): split(str(v), vocab) for v in distinct}
        moved = {k: v for k, v in parts.items() if v[1]}
        if not moved:
            continue
        mask = items[field].isin(list(moved))
        extra = items.loc[mask, field].map({k: shown.format(v[1]) for k, v in moved.items()})
        items.loc[mask, field] = items.loc[mask, field].map({k: v[0] for k, v in moved.items()})
        notes.append(extra)
    for extra in notes:
        current = items.loc[extra.index, "remarks"]
        items.loc[extra.index, "remarks"] = current.where(current.eq(""), current + "；") + extra


def special_procedures(items: pd.DataFrame, settings: Settings) -> pd.Series:
    """特别程序 as one text: its name and its time (unit codes as in the limit columns), which is
    time outside the item's limit (行政许可法 art. 45).

    >>> items = pd.DataFrame({"special_name": ["专家评审", "", "听证"], "special_limit": ["30", "", ""],
    ...                       "special_unit": ["2", "", ""]})
    >>> special_procedures(items, settings).tolist()
    ['专家评审（30个自然日，不计入办结时限）', '', '听证（不计入办结时限）']
    """
    out = pd.Series("", index=items.index, dtype="str")
    given = (items["special_name"].ne("") | items["special_limit"].ne("")).to_numpy()
    if not given.any():  # most lists have no 特别程序: no work per row
        return out
    rows = items.loc[given, ["special_name", "special_limit", "special_unit"]]
    texts: list[str] = []
    for name, limit, unit in rows.itertuples(index=False, name=None):
        name, limit = str(name).strip(), str(limit).strip()
        time = ""
        if limit:
            parsed = parse_limit(limit, unit or None, settings=settings)
            shown = parsed.unit or "工作日"
            time = f"{limit}个{shown}，" if limit.replace(".", "", 1).isdigit() else f"{limit}，"
        texts.append(f"{name or '特别程序'}（{time}不计入办结时限）")
    out[given] = texts
    return out


def _uncoded(text: str) -> str:
    """A category the settings do not know: its own list, unless it is a bare number."""
    return UNCATEGORISED if not text or fold(text).isdigit() else text


def _category_problems(
    items: pd.DataFrame, raw: pd.Series, headers: dict[tuple[str, str, str], str], settings: Settings
) -> pd.DataFrame:
    """A warning on each item whose 事项类型 is a code: a local code (e.g. 99 → 其他) is counted
    under its list, an unknown one under 未分类."""
    codes, texts = pd.factorize(raw, use_na_sentinel=False)
    folded = [fold(t) for t in texts.tolist()]
    coded = np.array([_DIGITS.fullmatch(f) is not None for f in folded], dtype=bool)[codes]
    if not coded.any():
        return problems_frame([])
    national = {fold(c) for c in settings.columns.words["national_category_codes"]}
    known = items["category"].ne(UNCATEGORISED).to_numpy()
    local = coded & known & ~np.array([f in national for f in folded], dtype=bool)[codes]
    unknown = coded & ~known
    parts = []
    for mask, severity, code in (
        (local, Severity.WARNING, "category_local_code"),
        (unknown, Severity.WARNING, "category_unknown_code"),
    ):
        if mask.any():
            rows = items.loc[mask]
            values = raw[mask]
            if code == "category_local_code":
                messages = [
                    f"事项类型写作地方代码“{v}”，按“{c}”统计，请核实"
                    for v, c in zip(values, rows["category"], strict=True)
                ]
            else:
                hint = "可在规则设置的列名识别表（事项类型一节）中补充"
                messages = [f"事项类型代码“{v}”无法识别，按“{UNCATEGORISED}”统计；{hint}" for v in values]
            parts.append(pd.DataFrame({
                "file": rows["file"], "sheet": rows["sheet"], "row": rows["row"],
                "column": _column(headers, rows["file"], rows["sheet"], "category"),
                "value": values, "message": messages, "severity": str(severity), "code": code,
            }))  # fmt: skip
    return problems_frame(pd.concat(parts)) if parts else problems_frame([])


def level_names(text: str, vocab: Vocabulary) -> str:
    """行使层级 as names: codes and spellings → 国家级 / 省级 / 市级 / 县级 / 乡级, several joined
    by 、; what the settings do not know stays as written.

    >>> level_names("3,4", settings.columns), level_names("设区的市级", settings.columns)
    ('市级、县级', '市级')
    >>> level_names("省级、市级、县级", settings.columns), level_names("村级", settings.columns)
    ('省级、市级、县级', '村级')
    """
    parts = [p for p in re.split(r"[,，、;；/\s]+", text.strip()) if p]
    if not parts:
        return ""
    names = [vocab.levels.get(fold(p)) for p in parts]
    if any(n is None for n in names):
        return text.strip()
    return "、".join(dict.fromkeys(n for n in names if n))


def _decision_problems(
    items: pd.DataFrame, classified: pd.DataFrame, headers: dict[tuple[str, str, str], str]
) -> pd.DataFrame:
    decided = items["has_decision"].to_numpy()
    blank = classified["blank"].to_numpy() & decided
    unknown = ~classified["known"].to_numpy() & ~classified["blank"].to_numpy() & decided
    parts = []
    for mask, message, severity, code in (
        (blank, "处理意见为空，按“未决定”计，不计入精简率", Severity.WARNING, "decision_blank"),
        (
            unknown,
            "无法识别的处理意见，按“未决定”计，不计入精简率；可在“处理意见对照表”中补充这种写法",
            Severity.ERROR,
            "decision_unknown",
        ),
    ):
        if mask.any():
            rows = items.loc[mask]
            parts.append(
                pd.DataFrame(
                    {
                        "file": rows["file"],
                        "sheet": rows["sheet"],
                        "row": rows["row"],
                        "column": _column(headers, rows["file"], rows["sheet"], "decision"),
                        "value": rows["decision_text"],
                        "message": message,
                        "severity": str(severity),
                        "code": code,
                    }
                )
            )
    return problems_frame(pd.concat(parts)) if parts else problems_frame([])


def _long_name_problems(
    items: pd.DataFrame, headers: dict[tuple[str, str, str], str], most: int
) -> pd.DataFrame:
    """A hint on every item whose name is longer than the merge-candidate search compares
    (similar.toml ``compared_chars``): likely a paragraph pasted into the name cell."""
    lengths = items["name"].str.len().fillna(0).to_numpy()
    long = lengths > most
    if not long.any():
        return problems_frame([])
    rows = items.loc[long]
    return problems_frame(pd.DataFrame({
        "file": rows["file"], "sheet": rows["sheet"], "row": rows["row"],
        "column": _column(headers, rows["file"], rows["sheet"], "name"),
        "value": rows["name"].str.slice(0, 40) + "…",
        "message": [
            f"事项名称长达{n:,}字，远超一般的事项名称（100字以内），可能误将说明粘贴进了名称格；"
            f"查找可合并的相近事项时只比较前{most}字"
            for n in lengths[long]
        ],
        "severity": str(Severity.INFO), "code": "item_name_long",
    }))  # fmt: skip


def _duplicate_problems(items: pd.DataFrame) -> pd.DataFrame:
    """A warning on every item whose key an earlier row already has, naming that row."""
    keys = items[["item_key", "code", "name", "file", "sheet", "row"]]
    dup = keys["item_key"].duplicated(keep="first").to_numpy()
    if not dup.any():
        return problems_frame([])
    first = keys.loc[~dup].set_index("item_key")
    rows = keys.loc[dup]
    where = first.loc[rows["item_key"], ["file", "sheet", "row"]]
    by_code = rows["code"].ne("").to_numpy()
    return problems_frame(pd.DataFrame({
        "file": rows["file"].to_numpy(), "sheet": rows["sheet"].to_numpy(), "row": rows["row"].to_numpy(),
        "column": np.where(by_code, "事项编码", "事项名称"),
        "value": rows["code"].where(rows["code"].ne(""), rows["name"]).to_numpy(),
        "message": [
            f"与“{f}”工作表“{s}”第{r}行的事项重复（{'编码' if c else '部门和名称'}相同），两行都保留，请核实"
            for f, s, r, c in zip(where["file"], where["sheet"], where["row"], by_code, strict=True)
        ],
        "severity": str(Severity.WARNING), "code": "item_duplicate",
    }))  # fmt: skip
