"""Raw item text → canonical items: limits parsed, decisions classified, keys made, doubts reported."""

from __future__ import annotations

import numpy as np
import pandas as pd

from approvals.dataset.decisions import classify_decisions
from approvals.dataset.limits import parse_limits
from approvals.dataset.roles import count_roles
from approvals.model import (
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

UNCATEGORISED = "未分类"


# Raw text fields an items sheet may have (besides the carried-along columns).
_RAW_ITEM_FIELDS = (
    "code", "name", "sub_item", "department", "category", "legal_basis", "fee", "fee_standard",
    "fee_basis", "materials", "visits", "visits_after", "remarks", "statutory", "statutory_unit",
    "statutory_note", "original", "committed", "committed_unit", "committed_note", "decision", "process_text",
    "process_after_text",
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

    # Category: the list the item belongs to.
    distinct = pd.unique(items["category"])
    names = {t: category_of(t, settings.columns) or (t or UNCATEGORISED) for t in distinct}
    items["category"] = items["category"].map(names).astype("str")

    # Limits.
    for prefix, fld in _LIMIT_SOURCES.items():
        units = items.get(f"{fld}_unit") if f"{fld}_unit" in raw.columns else None
        parsed = parse_limits(items[fld], units, settings=settings)
        extra_note = items.get(f"{fld}_note", pd.Series("", index=items.index))
        note = parsed["note"].str.cat(extra_note, sep="；").str.strip("；")
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
            for c in ("statutory", "original", "committed", "statutory_unit", "committed_unit")
            if c in items.columns
        ]
    )
    items["item_id"] = np.arange(len(items))
    items["item_key"] = item_keys(items)
    problems.append(_duplicate_problems(items))
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


def _column(
    headers: dict[tuple[str, str, str], str], file: pd.Series, sheet: pd.Series, fld: str
) -> list[str]:
    return [headers.get((f, s, fld), "") for f, s in zip(file, sheet, strict=True)]


def _limit_problems(
    items: pd.DataFrame, parsed: pd.DataFrame, fld: str, headers: dict[tuple[str, str, str], str]
) -> pd.DataFrame:
    bad = parsed["status"].eq(LimitStatus.INVALID).to_numpy()
    if not bad.any():
        return problems_frame([])
    rows = items.loc[bad]
    return problems_frame(
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
                "code": "limit_invalid",
            }
        )
    )


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
