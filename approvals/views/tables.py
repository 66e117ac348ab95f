"""Tables as the analyst sees them: Chinese headers, decision labels, filters.

Screens and exports show these instead of the canonical tables, so the wording of a column is
decided once. Nothing here computes a figure; it selects, filters and names.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

import pandas as pd

from approvals.figures.rates import item_shortening_rates
from approvals.model import ATTRIBUTE_COLUMNS, DECISION_LABELS, ITEM_COLUMNS, SHEET_KINDS
from approvals.redesign.reductions import MEASURES
from approvals.safety import safe_frame
from approvals.settings.columns import Vocabulary
from approvals.settings.decisions import MATCH_LABELS, match_code
from approvals.settings.legal import Tiers
from approvals.views.format import met
from approvals.views.labels import (
    DECISION_TEXT_LABELS,
    EDITABLE_COLUMNS,
    FIGURE_LABELS,
    INTERNAL_COLUMNS,
    ITEM_LABELS,
    LABEL_DECISIONS,
    NOT_RECOGNISED,
    PROBLEM_LABELS,
)


def decision_label(values: pd.Series) -> pd.Series:
    """Decision classes as their Chinese labels (保留, 取消, …)."""
    return values.map(DECISION_LABELS).fillna(values).astype("str")


def filter_items(
    items: pd.DataFrame,
    *,
    departments: Iterable[str] = (),
    categories: Iterable[str] = (),
    decisions: Iterable[str] = (),
    search: str = "",
) -> pd.DataFrame:
    """The items matching every filter given; an empty filter keeps everything.

    ``decisions`` are classes (retained, …); ``search`` looks in code, name, sub-item, department
    and legal basis, case-insensitively.

    >>> items = pd.DataFrame({"department": ["市水利局", "市林业局"], "category": ["行政许可"] * 2,
    ...     "decision": ["retained", "cancelled"], "code": ["", ""], "name": ["取水许可", "林木采伐许可"],
    ...     "sub_item": ["", ""], "legal_basis": ["", ""]})
    >>> filter_items(items, search="采伐")["name"].tolist()
    ['林木采伐许可']
    """
    mask = chosen_rows(items, {"department": departments, "category": categories, "decision": decisions})
    search = search.strip()
    if search:
        haystack = items["code"] + " " + items["name"] + " " + items["sub_item"] + " " + items["department"]
        haystack = haystack + " " + items["legal_basis"]
        mask &= haystack.str.contains(search, case=False, regex=False)
    return items[mask]


def chosen_rows(frame: pd.DataFrame, wanted: Mapping[str, Iterable[Any] | None]) -> pd.Series:
    """The rows whose value in each column is among the values wanted for it; a column with no
    values wanted keeps every row (the filters of the screens' multiselects).

    >>> frame = pd.DataFrame({"by": ["张三", "李四"], "field": ["处理意见", "承诺时限"]})
    >>> chosen_rows(frame, {"by": ["张三"], "field": []}).tolist()
    [True, False]
    """
    mask = pd.Series(True, index=frame.index)
    for column, values in wanted.items():
        values = list(values or [])
        if values:
            mask &= frame[column].isin(values)
    return mask


def items_table(items: pd.DataFrame, *, extras: bool = True) -> pd.DataFrame:
    """Items with Chinese headers, decisions as labels, the item's own 缩短率, and (optionally)
    the department's own columns after them. Indexed by item_id."""
    shown = items.assign(item_rate=item_shortening_rates(items), decision=decision_label(items["decision"]))
    # A catalogue's attributes (基本编码, 行使层级, 办件类型 …) show only where a list has them.
    empty = {c for c in ATTRIBUTE_COLUMNS if c in items.columns and not items[c].ne("").any()}
    columns = [c for c in ITEM_LABELS if c in shown.columns and c not in empty]
    extra = [c for c in items.columns if c not in ITEM_COLUMNS] if extras else []
    extra = [c for c in extra if c not in INTERNAL_COLUMNS]
    table = shown[columns + extra].rename(columns=ITEM_LABELS)
    table.index = pd.Index(items["item_id"], name="item_id")
    return table


def figures_table(figures: pd.DataFrame, group_label: str) -> pd.DataFrame:
    """A figures table (approvals.metrics.figures) with Chinese headers; pass/fail as words."""
    table = figures[["group", *FIGURE_LABELS]].copy()
    for column in ("streamlining_met", "shortening_met"):
        table[column] = table[column].map(met).astype("str")
    return table.rename(columns={"group": group_label, **FIGURE_LABELS}).reset_index(drop=True)


def problems_table(problems: pd.DataFrame) -> pd.DataFrame:
    """Problems with Chinese headers, most serious first, in file order within a level."""
    order = {"错误": 0, "警告": 1, "提示": 2}
    ranked = problems.assign(_rank=problems["severity"].map(order).fillna(3))
    ranked = ranked.sort_values(["_rank", "file", "sheet", "row"], kind="stable", na_position="first")
    return ranked[list(PROBLEM_LABELS)].rename(columns=PROBLEM_LABELS).reset_index(drop=True)


def problem_counts(problems: pd.DataFrame) -> dict[str, int]:
    """How many problems of each level (错误, 警告, 提示)."""
    counts = problems["severity"].value_counts()
    return {level: int(counts.get(level, 0)) for level in ("错误", "警告", "提示")}


def field_choices(kind: str, vocab: Vocabulary) -> dict[str, str]:
    """Field key → Chinese label for a sheet kind, the choices of a column-mapping correction."""
    return {f.key: f.label for f in vocab.fields[kind] if f.key != "commitment"}


def mapping_choices(kind: str, vocab: Vocabulary) -> list[str]:
    """What a column of a sheet of ``kind`` may be corrected to: the field labels in
    :func:`typing_order`, then "not recognised"."""
    return [*typing_order(field_choices(kind, vocab).values()), NOT_RECOGNISED]


def typing_order(choices: Iterable[str]) -> list[str]:
    """Choices in an order in which typing a whole choice picks that choice.

    A selectbox in a table cell keeps, of its choices, those containing what is typed, in their
    order, and picks the first: so each choice must come before the choices whose names contain
    it (法定办结时限 before 法定办结时限单位). Otherwise the order given is kept.

    >>> typing_order(["事项名称", "法定办结时限单位", "法定办结时限说明", "法定办结时限", "备注"])
    ['事项名称', '法定办结时限', '法定办结时限单位', '法定办结时限说明', '备注']
    """
    waiting = list(dict.fromkeys(choices))
    ordered = []
    while waiting:
        # The first choice containing no other waiting choice; the shortest waiting one always
        # qualifies, so there is one.
        ready = next(c for c in waiting if not any(o != c and o in c for o in waiting))
        ordered.append(ready)
        waiting.remove(ready)
    return ordered


def sheets_read(mappings: pd.DataFrame) -> pd.DataFrame:
    """One row per sheet: file, sheet, what it was read as (Chinese), header row, signature."""
    first = mappings.drop_duplicates(["file", "sheet"])
    return pd.DataFrame(
        {
            "file": first["file"].to_numpy(),
            "sheet": first["sheet"].to_numpy(),
            "kind": first["kind"].to_numpy(),
            "kind_label": first["kind"].map(SHEET_KINDS).to_numpy(),
            "header_row": first["header_row"].to_numpy(),
            "signature": first["signature"].to_numpy(),
        }
    )


def sheet_mapping(mappings: pd.DataFrame, file: str, sheet: str, vocab: Vocabulary) -> pd.DataFrame:
    """The columns of one sheet and the field each was read as (Chinese), for correction."""
    part = mappings[mappings["file"].eq(file) & mappings["sheet"].eq(sheet) & mappings["column"].ne("")]
    kind = part["kind"].iloc[0] if len(part) else "items"
    labels = field_choices(kind, vocab) if kind in ("items", "steps") else {}
    return pd.DataFrame(
        {
            "列（表头）": part["column"].to_numpy(),
            "识别为": [labels.get(f, NOT_RECOGNISED) if f else NOT_RECOGNISED for f in part["field"]],
        }
    )


def decision_rules_table(rules: pd.DataFrame) -> pd.DataFrame:
    """The decision table with the class and the comparison as their Chinese labels, for editing.

    >>> rules = pd.DataFrame({"pattern": ["拟取消"], "match": ["contains"], "decision": ["cancelled"],
    ...                       "note": [""]})
    >>> decision_rules_table(rules).iloc[0].tolist()
    ['拟取消', '包含', '取消', '']
    """
    codes = rules["match"].astype("str").map(match_code)
    matches = codes.map(MATCH_LABELS).fillna(rules["match"]).astype("str")
    return rules.assign(match=matches, decision=decision_label(rules["decision"]))


def decision_rules_from_table(table: pd.DataFrame) -> pd.DataFrame:
    """Back from :func:`decision_rules_table`: Chinese labels to classes and comparisons; blank
    rows dropped.

    >>> shown = pd.DataFrame({"pattern": ["拟取消", None], "match": ["包含", None],
    ...                       "decision": ["取消", None], "note": [None, None]})
    >>> decision_rules_from_table(shown).to_dict("records")
    [{'pattern': '拟取消', 'match': 'contains', 'decision': 'cancelled', 'note': ''}]
    """
    rules = table.dropna(subset=["pattern"]).copy()
    rules = rules[rules["pattern"].astype("str").str.strip().ne("")]
    rules["decision"] = rules["decision"].map(LABEL_DECISIONS).fillna(rules["decision"]).astype("str")
    if "match" in rules.columns:
        codes = rules["match"].fillna("").astype("str").map(match_code)
        rules["match"] = codes.where(codes.ne(""), rules["match"])
    for column in rules.columns:
        rules[column] = rules[column].fillna("").astype("str")
    return rules.reset_index(drop=True)


def problem_csv(problems: pd.DataFrame) -> bytes:
    """The problems table as CSV in UTF-8 with BOM, so Excel opens it with Chinese intact."""
    return safe_frame(problems_table(problems)).to_csv(index=False).encode("utf-8-sig")


def table_edits(shown: pd.DataFrame, edited: pd.DataFrame) -> pd.DataFrame:
    """What the analyst changed in an :func:`items_table`: item_id, field, value (decisions as
    classes). Only the editable columns count.

    >>> shown = pd.DataFrame({"处理意见": ["保留", "取消"], "承诺办结时限（清理后）": ["10", ""]},
    ...                      index=pd.Index([7, 8], name="item_id"))
    >>> edited = shown.assign(处理意见=["下放", "取消"])
    >>> table_edits(shown, edited).to_dict("records")
    [{'item_id': 7, 'field': 'decision', 'value': 'delegated'}]
    """
    records = []
    for column, field in EDITABLE_COLUMNS.items():
        if column not in shown.columns or column not in edited.columns:
            continue
        old = shown[column].fillna("").astype("str")
        new = edited[column].reindex(shown.index).fillna("").astype("str")
        for item_id in shown.index[old.ne(new).to_numpy()]:
            value = new.loc[item_id]
            records.append(
                {
                    "item_id": int(item_id),
                    "field": field,
                    "value": LABEL_DECISIONS.get(value, value) if field == "decision" else value,
                }
            )
    return pd.DataFrame(records, columns=["item_id", "field", "value"])


def mapping_corrections(table: pd.DataFrame, kind: str, vocab: Vocabulary) -> dict[str, str]:
    """A sheet's edited :func:`sheet_mapping` as corrections: header → field ("" = unrecognised).

    >>> mapping_corrections(pd.DataFrame({"列（表头）": ["拟处理", "电话"],
    ...                                   "识别为": ["处理意见", NOT_RECOGNISED]}), "items", settings.columns)
    {'拟处理': 'decision', '电话': ''}
    """
    by_label = {label: key for key, label in field_choices(kind, vocab).items()}
    return {
        str(column): by_label.get(str(label), "")
        for column, label in zip(table["列（表头）"], table["识别为"], strict=True)
    }


def decision_texts_table(decisions: pd.DataFrame, rules: pd.DataFrame | None = None) -> pd.DataFrame:
    """A catalog's decision mapping (each text, how many items, its class) with Chinese headers;
    with the rule table given, a regular-expression rule is named by its note, not its pattern."""
    table = decisions[list(DECISION_TEXT_LABELS)]
    if rules is not None:
        names = rule_names(rules)
        table = table.assign(rule=table["rule"].map(lambda p: names.get(p, p)).astype("str"))
    return table.rename(columns=DECISION_TEXT_LABELS)


def rule_names(rules: pd.DataFrame) -> dict[str, str]:
    """Pattern → how a screen names a regular-expression rule: its note, else its place in the
    table. The words of a plain rule name it themselves.

    >>> rules = pd.DataFrame({"pattern": ["保留", "不(再|予)?保留", "并入(.+)"],
    ...     "match": ["exact", "regex", "正则表达式"], "decision": "", "note": ["", "不再保留是取消", ""]})
    >>> rule_names(rules)
    {'不(再|予)?保留': '不再保留是取消', '并入(.+)': '第 3 条规则'}
    """
    codes = rules["match"].astype("str").map(match_code)
    plain = set(rules.loc[codes.ne("regex"), "pattern"].astype("str"))
    names: dict[str, str] = {}
    for place, (pattern, code, note) in enumerate(zip(rules["pattern"], codes, rules["note"], strict=True)):
        pattern = str(pattern)
        if code == "regex" and pattern not in plain and pattern not in names:
            names[pattern] = str(note or "").strip() or f"第 {place + 1} 条规则"
    return names


def projection_table(today: pd.DataFrame, projected: pd.DataFrame, reductions: pd.DataFrame) -> pd.DataFrame:
    """Per group (department, or one overall row): today's committed figures, the figures with the
    accepted suggestions applied, and the 四减 before → after.

    ``today`` and ``projected`` are :func:`approvals.metrics.figures` tables of the same grouping,
    ``reductions`` the matching :func:`approvals.reductions.reduction_figures`.
    """
    table = pd.DataFrame({"group": today["group"].to_numpy()})
    table["retained"] = today["retained"].to_numpy()
    table["before_avg"] = today["before_avg_days"].to_numpy()
    table["committed_avg"] = today["after_avg_days"].to_numpy()
    table["committed_rate"] = today["shortening_rate"].to_numpy()
    by_group = projected.set_index("group")
    table["projected_avg"] = table["group"].map(by_group["after_avg_days"]).to_numpy()
    table["projected_rate"] = table["group"].map(by_group["shortening_rate"]).to_numpy()
    cuts = reductions.set_index("group")
    table["with_process"] = table["group"].map(cuts["items"]).astype("Int64").to_numpy()
    for measure in MEASURES:
        for side in ("before", "after"):
            table[f"{measure}_{side}"] = table["group"].map(cuts[f"{measure}_{side}"]).to_numpy()
        table[f"{measure}_cut"] = table["group"].map(cuts[f"{measure}_cut"]).to_numpy()
    labels = {
        "group": "部门",
        "retained": "保留事项",
        "before_avg": "原平均时限",
        "committed_avg": "承诺平均时限",
        "committed_rate": "承诺缩短率",
        "projected_avg": "采纳建议后平均时限",
        "projected_rate": "预计缩短率",
        "with_process": "有流程的事项",
    }
    for measure, (counted, cut) in MEASURES.items():
        labels |= {
            f"{measure}_before": f"{counted}（前）",
            f"{measure}_after": f"{counted}（后）",
            f"{measure}_cut": cut,
        }
    return table.rename(columns=labels)


def tier_table(breakdown: pd.DataFrame, tiers: Tiers) -> pd.DataFrame:
    """A grouped :func:`approvals.legal.tier_breakdown` as one row per group and one column per
    tier (counts, highest tier first), with the items that rest only on weak tiers counted (an
    item with no basis written, or none recognised, is 未填写 or 待核实, not weak)."""
    if breakdown.empty:
        return pd.DataFrame({"部门": []})
    present = set(breakdown["label"])
    labels = [label for label in tiers.ordered_labels().values() if label in present]
    table = breakdown.pivot_table(
        index="group", columns="label", values="items", aggfunc="sum", observed=True
    )
    table = table.reindex(columns=labels).fillna(0).astype("int64")
    weak = breakdown[breakdown["weak"].astype(bool)].groupby("group", observed=True)["items"].sum()
    table.insert(0, "事项数", table.sum(axis=1))
    table["不得设定许可的"] = weak.reindex(table.index).fillna(0).astype("int64")
    order = pd.unique(breakdown["group"].astype("str"))
    return table.reindex(order).rename_axis("部门").reset_index()
