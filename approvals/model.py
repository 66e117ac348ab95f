"""The canonical tables (items, steps, problems) and the small vocabularies they use.

Every function in the package takes and returns DataFrames with these columns, so the
reader, the figures, the screens and the exports agree on one shape. Columns that a
department's list has and this model does not know are carried along after these, under
the header the department wrote.
"""

from __future__ import annotations

from enum import StrEnum

import numpy as np
import pandas as pd
import pyarrow as pa

ALL_ITEMS = "全部事项"  # the group of the one row of figures over every item
UNSPECIFIED_GROUP = "（未注明）"  # the group of items whose category / department cell is blank


class Decision(StrEnum):
    """What the clean-up decided for an item (处理意见 reduced to a class)."""

    RETAINED = "retained"
    CANCELLED = "cancelled"
    DELEGATED = "delegated"
    MERGED = "merged"
    CHANGED = "changed"
    UNDECIDED = "undecided"


DECISION_LABELS: dict[str, str] = {
    Decision.RETAINED: "保留",
    Decision.CANCELLED: "取消",
    Decision.DELEGATED: "下放",
    Decision.MERGED: "合并",
    Decision.CHANGED: "转变管理方式",
    Decision.UNDECIDED: "未决定",
}

# The catalogs published per decision, in the order they are published.
LIST_KINDS: dict[str, str] = {
    Decision.RETAINED: "保留事项目录",
    Decision.CANCELLED: "取消事项目录",
    Decision.DELEGATED: "下放事项目录",
    Decision.MERGED: "合并事项目录",
    Decision.CHANGED: "转变管理方式事项目录",
}


class Counts(StrEnum):
    """How an item counts in 精简率: kept, streamlined, or left out (no decision read)."""

    RETAINED = "retained"
    STREAMLINED = "streamlined"
    UNDECIDED = "undecided"


class Version(StrEnum):
    """Which process a step belongs to: before or after re-engineering (流程再造)."""

    BEFORE = "before"
    AFTER = "after"


VERSION_LABELS: dict[str, str] = {Version.BEFORE: "再造前", Version.AFTER: "再造后"}


class LimitStatus(StrEnum):
    """What a time-limit cell held."""

    VALUE = "value"  # a number of days (即办 is the value 0)
    NONE = "none"  # 法律未规定 / 无: no limit exists; not 0, left out of averages
    BLANK = "blank"  # the cell was empty
    INVALID = "invalid"  # text that could not be read as a limit (also a problem row)


class Severity(StrEnum):
    ERROR = "错误"  # a value was lost or could not be read
    WARNING = "警告"  # a value was read under an assumption the analyst should check
    INFO = "提示"  # a row was skipped as designed (blank, 合计)


# Parsed limit columns, repeated for each of the three limits an item carries.
LIMIT_FIELDS = ("text", "days", "status", "unit", "note", "converted")
LIMIT_PREFIXES = ("statutory", "original", "committed")


def limit_columns(prefix: str) -> list[str]:
    """The columns of one parsed limit, e.g. ``statutory_days``.

    >>> limit_columns("committed")[:2]
    ['committed_text', 'committed_days']
    """
    return [f"{prefix}_{field}" for field in LIMIT_FIELDS]


SOURCE_COLUMNS = ["file", "sheet", "row"]

# What a catalogue may say of an item besides the figures' fields (GB/T 39046-2020 and the
# platform's exports, power lists, clean-up forms): text, shown and exportable where a list has it.
ATTRIBUTE_COLUMNS: list[str] = [
    "basic_code",  # 基本编码: the standard item; the same across localities
    "level",  # 行使层级: 国家级 / 省级 / 市级 / 县级 / 乡级, several joined by 、
    "dept_code",  # 部门编码 or 统一社会信用代码 of the implementing body
    "area_code",  # 行政区划代码
    "locality",  # 行政区划 (名称): the place that carries the item out; benchmarks compare these
    "decision_reason",  # 理由 beside the decision
    "handling_type",  # 办件类型: 即办件 / 承诺件
    "intermediary",  # 中介服务
    "service_form",  # 办理形式
    "service_object",  # 服务对象
    "duties",  # 责任事项 (power lists)
    "national_ref",  # the item's number in the central licence list
    "special_procedure",  # 特别程序 and its time, outside the limit: "专家评审（30个自然日，不计入办结时限）"
    "scenes",  # how many handling situations (情形) the item has, as written
]

ITEM_COLUMNS: list[str] = [
    "item_id",  # int, unique per row in reading order
    "item_key",  # code where present, else department/name (#2, #3 … on repeats): unique, keys verdicts
    "code",
    "name",
    "sub_item",
    "department",
    "category",  # the list the item belongs to (行政许可, 投资项目审批, ...)
    "legal_basis",
    "fee",
    "fee_standard",
    "fee_basis",
    "materials",
    "visits",  # 到办事现场次数, as written
    "visits_after",  # the same after re-engineering, where the list has it
    "remarks",
    *ATTRIBUTE_COLUMNS,
    *limit_columns("statutory"),
    *limit_columns("original"),
    *limit_columns("committed"),
    "before_days",  # original commitment where one exists, else statutory (working days)
    "before_source",  # "original" / "statutory" / "" when neither has a value
    "after_days",  # the new commitment (working days)
    "decision_text",
    "decision",  # Decision
    "merge_target",
    "has_decision",  # the list had a decision column (a clean-up, not a current catalog)
    "list_title",  # the text above the list's header (its title and 填报单位 lines), as written
    "counts_as",  # Counts
    "edited",  # what the analyst changed in the app (e.g. "处理意见"), "" when nothing
    "process_text",  # 办理流程 as written, before re-engineering
    "process_after_text",
    *SOURCE_COLUMNS,
]

STEP_COLUMNS: list[str] = [
    "step_id",  # int, unique per row
    "item_id",  # the item this step belongs to (linked by code, else name + department)
    "item_name",
    "department",
    "version",  # Version
    "step_no",  # as written, e.g. "3"
    "step_name",
    "office",
    "person",
    "limit_text",
    "days",  # working days; 0 where the cell was blank (a problem says so)
    "limit_status",
    "limit_unit",
    "limit_note",
    "converted",
    "predecessors",  # step numbers this step waits for, comma-joined, already resolved
    "materials",
    "counted",  # True when the step's time counts toward the item's limit
    "legal_basis",
    "result",  # 办理结果 of the step, as written
    "criteria",  # 审查标准, as written
    "source",  # "step_list" or "process_column"
    *SOURCE_COLUMNS,
]

PROBLEM_COLUMNS: list[str] = [
    "file",
    "sheet",
    "row",  # the row number the analyst sees in Excel (1-based), or <NA>
    "column",  # the header as written in the file
    "value",
    "message",  # Chinese, says what is wrong and what was done
    "severity",  # Severity
    "code",  # machine-readable kind, e.g. "limit_invalid"
]

MAPPING_COLUMNS: list[str] = [
    "file",
    "sheet",
    "kind",  # "items" / "steps" / "ignored"
    "header_row",  # 1-based row of the header, <NA> for ignored sheets
    "column",  # the header as written
    "field",  # the canonical field it was read as, "" when carried along unrecognised
    "signature",  # the sheet's header signature: corrections to the mapping are kept under it
]

SHEET_KINDS: dict[str, str] = {"items": "事项清单", "steps": "环节清单", "ignored": "未识别"}

_INT_COLUMNS = {"item_id", "step_id", "row", "header_row"}
_FLOAT_COLUMNS = {"days", "before_days", "after_days"} | {f"{prefix}_days" for prefix in LIMIT_PREFIXES}
_BOOL_COLUMNS = {"has_decision", "counted", "converted"} | {
    f"{prefix}_converted" for prefix in LIMIT_PREFIXES
}


def column_dtype(column: str) -> str:
    """The dtype a canonical column holds: nullable ints, floats, booleans, else text."""
    if column in _INT_COLUMNS:
        return "Int64"
    if column in _FLOAT_COLUMNS:
        return "float64"
    if column in _BOOL_COLUMNS:
        return "bool"
    return "str"


def empty_frame(columns: list[str]) -> pd.DataFrame:
    """An empty table with the canonical columns and dtypes.

    >>> empty_frame(PROBLEM_COLUMNS).columns[:3].tolist()
    ['file', 'sheet', 'row']
    """
    return pd.DataFrame({c: pd.Series(dtype=column_dtype(c)) for c in columns})


def conform(frame: pd.DataFrame, columns: list[str]) -> pd.DataFrame:
    """Order ``frame`` as the canonical ``columns`` (missing ones added empty), extras after.

    Extra columns are the department's own, carried along unrecognised; they keep their order.
    """
    out = frame.copy()
    for c in columns:
        if c not in out.columns:
            out[c] = blank_column(column_dtype(c), out.index)
    extras = [c for c in out.columns if c not in columns]
    return out[columns + extras]


def blank_column(dtype: str, index: pd.Index) -> pd.Series:
    """A column of ``dtype`` (as :func:`column_dtype` names them) with nothing in it: "" for text,
    False, NaN or a missing integer; built whole, not from a Python list of its cells.

    >>> [blank_column(d, pd.RangeIndex(2)).tolist() for d in ("str", "bool", "float64", "Int64")]
    [['', ''], [False, False], [nan, nan], [<NA>, <NA>]]
    """
    n = len(index)
    if dtype == "bool":
        return pd.Series(np.zeros(n, dtype=bool), index=index)
    if dtype == "str":
        return pd.Series(pa.repeat(pa.scalar("", pa.large_string()), n), index=index, dtype="str")
    if dtype == "Int64":
        return pd.Series(pd.arrays.IntegerArray(np.zeros(n, np.int64), np.ones(n, dtype=bool)), index=index)
    return pd.Series(np.full(n, np.nan), index=index, dtype=dtype)


def extra_columns(frame: pd.DataFrame, columns: list[str]) -> list[str]:
    """The department's own columns carried along after the canonical ones."""
    return [c for c in frame.columns if c not in columns]


class Verdict(StrEnum):
    """The analyst's verdict on a 流程再造 flag."""

    PENDING = "pending"
    ACCEPTED = "accepted"
    REJECTED = "rejected"


VERDICT_LABELS: dict[str, str] = {
    Verdict.PENDING: "待定",
    Verdict.ACCEPTED: "采纳",
    Verdict.REJECTED: "不采纳",
}
VERDICTS_BY_LABEL: dict[str, str] = {label: str(verdict) for verdict, label in VERDICT_LABELS.items()}
# The two columns a verdicts file (downloaded from the 流程再造 screen) is read back by.
VERDICT_KEY_HEADER = "提示编号"
VERDICT_HEADER = "是否采纳"


class Change(StrEnum):
    """What a redesign flag proposes to do to a process, so it can be applied and measured."""

    REMOVE = "remove"  # take the steps out; their successors wait for their predecessors instead
    PARALLEL = "parallel"  # run a serial chain of steps side by side (并联审批)
    INSTANT = "instant"  # the whole process becomes 即办 (0 days)
    NONE = "none"  # a finding about limits, materials or the item; nothing to apply to the graph


FLAG_COLUMNS: list[str] = [
    "flag_key",  # stable across re-reading the same files: rule|item_key|version|step numbers
    "rule",  # rule id, e.g. "pass_through"
    "title",  # Chinese title of the rule
    "item_id",
    "item",  # item name
    "department",
    "version",  # "before" / "after", or "" for an item-level finding
    "step_ids",  # tuple of step_id, in process order
    "steps",  # tuple of step names
    "change",  # Change
    "days_saved",  # working days the change takes off the timed critical path (0 when no change)
    "why",  # Chinese: what was found
    "suggestion",  # Chinese: what to do
]


class TableError(Exception):
    """A canonical table that breaks its contract: a defect in the code that built it, never the
    user's doing (bad cells are problem rows, not exceptions)."""


def _check_columns(frame: pd.DataFrame, columns: list[str], name: str) -> None:
    if list(frame.columns[: len(columns)]) != columns:
        missing = [c for c in columns if c not in frame.columns]
        raise TableError(f"{name}: canonical columns missing or out of order: {missing or 'order'}")
    for column in columns:
        dtype = frame[column].dtype
        want = column_dtype(column)
        ok = {
            "Int64": pd.api.types.is_integer_dtype(dtype),
            "float64": dtype == np.float64,
            "bool": dtype == np.bool_,
            "str": isinstance(dtype, pd.StringDtype),
        }[want]
        if not ok:
            raise TableError(f"{name}.{column}: dtype {dtype}, expected {want}")


def _check_text(frame: pd.DataFrame, columns: list[str], name: str) -> None:
    """Text columns hold text: an empty cell is "", never missing."""
    for column in columns:
        if column_dtype(column) == "str" and frame[column].isna().any():
            raise TableError(f"{name}.{column}: missing text (an empty cell is an empty string)")


def _check_days(frame: pd.DataFrame, columns: list[str], name: str) -> None:
    for column in columns:
        values = frame[column].to_numpy(dtype=float)
        bad = ~(np.isnan(values) | (values >= 0))
        if bad.any():
            raise TableError(f"{name}.{column}: {int(bad.sum())} negative or non-numeric day counts")


def validate_items(items: pd.DataFrame) -> pd.DataFrame:
    """``items`` when it holds the canonical item table, else :class:`TableError`.

    Checked once, where the table is built: the canonical columns in order with their dtypes,
    one row per item_id and per item_key, limits in days non-negative or NaN, every item counted
    one way (a ``Counts`` value). Downstream code trusts these and does not check them again.

    >>> validate_items(empty_frame(ITEM_COLUMNS)).shape[0]
    0
    """
    _check_columns(items, ITEM_COLUMNS, "items")
    _check_text(items, ITEM_COLUMNS, "items")
    if items["item_id"].isna().any() or items["item_id"].duplicated().any():
        raise TableError("items.item_id: missing or repeated")
    if items["item_key"].duplicated().any():
        raise TableError("items.item_key: repeated")
    _check_days(items, [*(f"{p}_days" for p in LIMIT_PREFIXES), "before_days", "after_days"], "items")
    if not items["counts_as"].isin([str(c) for c in Counts]).all():
        raise TableError("items.counts_as: not a Counts value")
    return items


def validate_steps(steps: pd.DataFrame) -> pd.DataFrame:
    """``steps`` when it holds the canonical step table, else :class:`TableError`.

    The canonical columns with their dtypes; step_id unique and rising in row order (the steps of
    a process together, in step order); a version of ``Version``; days non-negative.

    >>> validate_steps(empty_frame(STEP_COLUMNS)).shape[0]
    0
    """
    _check_columns(steps, STEP_COLUMNS, "steps")
    _check_text(steps, STEP_COLUMNS, "steps")
    ids = steps["step_id"].to_numpy(dtype=np.int64, na_value=-1)
    if (ids < 0).any() or (np.diff(ids) <= 0).any():
        raise TableError("steps.step_id: missing, repeated or not rising in row order")
    if not steps["version"].isin([str(v) for v in Version]).all():
        raise TableError("steps.version: not a Version value")
    _check_days(steps, ["days"], "steps")
    if steps["days"].isna().any():
        raise TableError("steps.days: missing day counts")
    return steps
