"""A seeded synthetic province catalog, in the shape the readers give, at any size.

A province's published service catalog holds every area's implementation of every item: the
province, its cities, counties and towns each carry out a few hundred to two thousand items
drawn from one catalog of item kinds. The generator builds that catalog of kinds from the
word tables in ``bench/vocabulary.toml`` (departments, objects, actions, flow templates, the
many ways limits and decisions are written), then one raw items table and one raw steps
table per file (one file per city, one for the province), as :class:`approvals.read.reading.Reading`
objects, so :func:`approvals.dataset.build.build_dataset` can be timed without Excel.

Every row is generated column-wise with numpy and Arrow string ``take``: distinct texts are
built once in Python and indexed, so 1.6 million items and 6.4 million steps take seconds.
The output depends only on ``n_items`` and ``seed``.
"""

from __future__ import annotations

import tomllib
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from approvals.model import MAPPING_COLUMNS, conform
from approvals.problems import problems_frame
from approvals.read import sheets as readers
from approvals.read.reading import Reading
from approvals.text import chinese_numeral

SEED = 20261123
WORDS_FILE = Path(__file__).resolve().parent / "vocabulary.toml"
ITEMS_SHEET = "事项目录"
STEPS_SHEET = "办理环节"
ITEMS_HEADER_ROW = 3  # 1-based: a title row and a 填报单位 line above it
STEPS_HEADER_ROW = 2
DUPLICATE_SHARE = 0.00005
SUB_ITEM_SHARE = 0.02
PLATFORM_EVERY = 3  # every third file is a platform export (number and unit columns)
CURRENT_EVERY = 5  # every fifth file is a current catalog without a decision column

# Headers as departments write them, per raw field; a platform export names the limits its way.
ITEM_HEADERS: dict[str, str] = {
    "seq": "序号",
    "department": "实施主体",
    "code": "事项编码",
    "name": "事项名称",
    "sub_item": "子项名称",
    "category": "事项类型",
    "legal_basis": "设定依据",
    "statutory": "法定办结时限",
    "statutory_unit": "法定办结时限单位",
    "original": "原承诺办结时限",
    "committed": "承诺办结时限（清理后）",
    "committed_unit": "承诺办结时限单位",
    "fee": "是否收费",
    "materials": "申请材料",
    "decision": "处理意见",
    "remarks": "备注",
}
PLATFORM_HEADERS = {"committed": "承诺办结时限"}
STEP_HEADERS: dict[str, str] = {
    "code": "事项编码",
    "item_name": "事项名称",
    "sub_item": "子项名称",
    "department": "实施部门",
    "version": "流程版本",
    "step_no": "环节序号",
    "step_name": "环节名称",
    "office": "责任科室",
    "person": "责任人员",
    "limit": "办理时限",
    "predecessors": "前置环节",
    "materials": "所需材料",
    "counted": "计入时限",
}
_FREE_TEXT_FIELDS = [f for f in ITEM_HEADERS if f not in ("statutory_unit", "committed_unit")]
_PLATFORM_FIELDS = [f for f in ITEM_HEADERS if f != "original"]

_FULL_WIDTH = str.maketrans("0123456789", "０１２３４５６７８９")
_DECISION_CLASSES = ("retained", "cancelled", "delegated", "merged", "changed", "blank", "unknown")
_REMARKS = ["", "", "", "", "", "", "", "", "容缺受理", "网上可办", "全省通办", "告知承诺"]


@cache
def words() -> dict[str, Any]:
    """The word tables of ``bench/vocabulary.toml``."""
    with WORDS_FILE.open("rb") as handle:
        return tomllib.load(handle)


def spell(template: str, n: int) -> str:
    """A limit spelling with its number filled in: {n} digits, {cn} Chinese, {fw} full width.

    >>> spell("{cn}个工作日", 20), spell("{fw}", 20), spell("{n}天", 30)
    ('二十个工作日', '２０', '30天')
    """
    return template.format(n=n, cn=chinese_numeral(n), fw=str(n).translate(_FULL_WIDTH))


def _take(labels: Sequence[str], codes: np.ndarray) -> pd.api.extensions.ExtensionArray:
    """``labels[codes]`` as a ``str`` array: each distinct text is built once, then indexed."""
    return pd.array(list(labels), dtype="str").take(np.asarray(codes, dtype=np.int64))


def _weights(values: Sequence[float] | np.ndarray) -> np.ndarray:
    array = np.asarray(values, dtype=float)
    return array / array.sum()


# ------------------------------------------------------------------ the catalog of item kinds


@dataclass(frozen=True)
class Kinds:
    """Every kind of item the province's areas implement, ordered by department."""

    name: list[str]
    department: np.ndarray  # index into words()["department"]; -1 for town-level kinds
    category: list[str]  # the list the kind belongs to (its canonical name)
    statutory: np.ndarray  # working days; 0 is 即办, -1 no statutory limit
    template: list[str]  # flow template name
    legal_basis: list[str]
    materials: list[str]
    merge_target: list[str]  # a sibling kind's name, for "合并至“…”"
    weight: np.ndarray  # how often areas implement the kind


def kinds(rng: np.random.Generator) -> Kinds:
    """The catalog of item kinds: each department object combined with each action."""
    w = words()
    actions = w["action"]
    material_words = w["steps"]["materials"]
    rows: list[tuple[Any, ...]] = []
    groups = [(d, dept["objects"], dept["law"]) for d, dept in enumerate(w["department"])]
    groups.append((-1, w["town"]["objects"], w["town"]["law"]))
    for d, objects, law in groups:
        for obj in objects:
            for a, action in enumerate(actions):
                target_action = actions[1 if a == 0 else 0]["name"]
                article = int(rng.integers(2, 90))
                picked = rng.choice(len(material_words), size=int(rng.integers(2, 5)), replace=False)
                rows.append(
                    (
                        obj + action["name"],
                        d,
                        action["category"],
                        int(rng.choice(action["statutory"])),
                        str(rng.choice(action["template"])),
                        f"{law}第{chinese_numeral(article)}条",
                        "、".join(material_words[i] for i in sorted(picked)),
                        obj + target_action,
                        float(action["weight"]) * (5.0 if d == -1 else 1.0),
                    )
                )
    columns = list(zip(*rows, strict=True))
    return Kinds(
        name=list(columns[0]),
        department=np.array(columns[1]),
        category=list(columns[2]),
        statutory=np.array(columns[3]),
        template=list(columns[4]),
        legal_basis=list(columns[5]),
        materials=list(columns[6]),
        merge_target=list(columns[7]),
        weight=np.array(columns[8]),
    )


# ------------------------------------------------------------------ areas and files


@dataclass(frozen=True)
class Area:
    """One area carrying out items: its name, code, level and how many items it implements."""

    name: str
    code: str
    level: str  # "province" / "city" / "county" / "town"
    file: int  # the file its items are published in
    size: int


def areas(n_items: int, rng: np.random.Generator) -> tuple[list[Area], list[str]]:
    """The areas of a province scaled to ``n_items`` items, and the file names.

    The province, its cities and counties keep their proportions; towns fill the rest.
    """
    w = words()
    levels = w["levels"]
    scale = n_items / 1_600_000
    n_cities = max(1, min(levels["cities"], round(levels["cities"] * scale)))
    n_counties = max(1, min(levels["counties"], round(levels["counties"] * scale)))
    names = _place_names(rng)
    province = w["province"]
    prefix = w["area_code_prefix"]
    out = [Area(province, f"{prefix}0000000", "province", 0, levels["province_items"])]
    files = [f"{province}省级政务服务事项目录（合成数据）.xlsx"]
    cities = []
    for c in range(n_cities):
        city = next(names) + "市"
        cities.append(city)
        files.append(f"{province}{city}政务服务事项目录（合成数据）.xlsx")
        out.append(Area(city, f"{prefix}{c + 1:02d}00000", "city", c + 1, levels["city_items"]))
    county_suffixes = w["areas"]["county_suffixes"]
    counties = []
    for k in range(n_counties):
        c = k % n_cities
        county = next(names) + county_suffixes[k % len(county_suffixes)]
        counties.append((county, c))
        out.append(Area(county, f"{prefix}{c + 1:02d}{k + 1:03d}00", "county", c + 1, levels["county_items"]))
    town_suffixes = w["areas"]["town_suffixes"]
    left = n_items - sum(a.size for a in out)
    t = 0
    while left > 0:
        county, c = counties[t % len(counties)]
        suffix = town_suffixes[t % len(town_suffixes)]
        size = min(levels["town_items"], left)
        code = f"{prefix}{c + 1:02d}{t % len(counties) + 1:03d}{t // len(counties) + 1:02d}"
        out.append(Area(county + next(names) + suffix, code, "town", c + 1, size))
        left -= size
        t += 1
    if left < 0:  # fewer items than the province and cities carry: shrink the last areas
        excess = -left
        for i in range(len(out) - 1, -1, -1):
            cut = min(excess, out[i].size - 1)
            out[i] = Area(out[i].name, out[i].code, out[i].level, out[i].file, out[i].size - cut)
            excess -= cut
            if not excess:
                break
    return out, files


def _place_names(rng: np.random.Generator) -> Iterator[str]:
    """Endless distinct two- or three-character place names from the word table."""
    first, second = words()["areas"]["first"], words()["areas"]["second"]
    pairs = [a + b for a in first for b in second]
    for i in rng.permutation(len(pairs)):
        yield pairs[i]
    for i in rng.permutation(len(pairs) * len(second)):
        yield pairs[i // len(second)] + second[i % len(second)]


def _department_name(area: Area, department: int) -> str:
    w = words()
    if area.level == "town" or department < 0:
        if area.name.endswith("街道"):
            return area.name + w["areas"]["street_office"]
        return area.name + w["areas"]["town_government"]
    dept = w["department"][department]
    return area.name + (dept["province_name"] if area.level == "province" else dept["name"])


# ------------------------------------------------------------------ limits and decisions


@dataclass(frozen=True)
class _Spellings:
    """Limit texts for (value, spelling) pairs, built once; rows index into ``texts``."""

    values: np.ndarray  # the day values that have spellings, sorted
    texts: list[str]
    per_value: int


def _limit_spellings(values: Sequence[int], templates: Sequence[str]) -> _Spellings:
    distinct = np.array(sorted(set(values)))
    texts = [spell(t, int(v)) for v in distinct for t in templates]
    return _Spellings(distinct, texts, len(templates))


def _limit_texts(days: np.ndarray, rng: np.random.Generator) -> pd.api.extensions.ExtensionArray:
    """Free-text limits for day values (0 即办, -1 no statutory limit) in varied spellings."""
    lim = words()["limits"]
    n = len(days)
    value_templates = lim["value_spellings"]
    positive = np.maximum(days, 1)
    table = _limit_spellings(positive.tolist(), value_templates)
    pick = rng.choice(len(value_templates), size=n, p=_weights(lim["value_weights"]))
    codes = np.searchsorted(table.values, positive) * table.per_value + pick
    labels = list(table.texts)

    def extend(choices: list[str]) -> int:
        labels.extend(choices)
        return len(labels) - len(choices)

    base = extend(lim["immediate"])
    zero = days == 0
    codes[zero] = base + rng.integers(0, len(lim["immediate"]), int(zero.sum()))
    base = extend(lim["none"])
    none = days < 0
    codes[none] = base + rng.integers(0, len(lim["none"]), int(none.sum()))
    specials = lim["special"]
    special = (days > 0) & (rng.random(n) < 0.05)
    which = rng.choice(len(specials), size=int(special.sum()), p=_weights([s["weight"] for s in specials]))
    special_values = positive[special]
    special_table = [spell(s["text"], int(v)) for s in specials for v in table.values]
    base = extend(special_table)
    codes[special] = base + which * len(table.values) + np.searchsorted(table.values, special_values)
    return _take(labels, codes)


def _committed_days(statutory: np.ndarray, rng: np.random.Generator) -> np.ndarray:
    """A new commitment below the statutory limit: unchanged for some, halved or cut for most."""
    factor = rng.choice([1.0, 0.5, 0.6, 0.7, 0.3, 0.4], size=len(statutory), p=[0.3, 0.2, 0.2, 0.1, 0.1, 0.1])
    cut = np.maximum(1, np.rint(statutory * factor)).astype(np.int64)
    out = np.where(statutory > 0, cut, statutory)
    no_limit = statutory < 0
    out[no_limit] = rng.choice([5, 10, 0, -1], size=int(no_limit.sum()))
    return out


def _platform_limits(
    days: np.ndarray, rng: np.random.Generator
) -> tuple[pd.api.extensions.ExtensionArray, pd.api.extensions.ExtensionArray]:
    """A platform export's number column and unit column for day values."""
    units = words()["limits"]["platform_units"]["units"]
    numbers = _take(
        [str(v) for v in range(int(days.max(initial=0)) + 1)] + ["无"], np.where(days < 0, -1, days)
    )
    unit_codes = rng.integers(0, len(units), len(days))
    unit_codes[days < 0] = len(units)
    return numbers, _take([*units, ""], unit_codes)


def _decisions(
    targets: Sequence[str], kind: np.ndarray, rng: np.random.Generator
) -> pd.api.extensions.ExtensionArray:
    """Decision texts in varied spellings; merges name a sibling item as their target."""
    spec = words()["decisions"]
    n = len(kind)
    cls = rng.choice(
        len(_DECISION_CLASSES), size=n, p=_weights([spec["weights"][c] for c in _DECISION_CLASSES])
    )
    labels: list[str] = [""]
    codes = np.zeros(n, dtype=np.int64)
    for c, name in enumerate(_DECISION_CLASSES):
        rows = np.flatnonzero(cls == c)
        if name == "blank" or not len(rows):
            continue
        spellings = spec[name]
        pick = rng.integers(0, len(spellings), len(rows))
        if name == "merged":
            # One text per (spelling, target): the target is the kind's sibling.
            distinct_targets = sorted(set(targets))
            target_code = {t: i for i, t in enumerate(distinct_targets)}
            row_targets = np.array([target_code[targets[k]] for k in kind[rows]])
            base = len(labels)
            labels.extend(s.format(target=t) for s in spellings for t in distinct_targets)
            codes[rows] = base + pick * len(distinct_targets) + row_targets
        else:
            base = len(labels)
            labels.extend(spellings)
            codes[rows] = base + pick
    return _take(labels, codes)


# ------------------------------------------------------------------ steps


@dataclass(frozen=True)
class _Templates:
    names: list[str]
    length: np.ndarray
    offset: np.ndarray
    step_name: list[str]
    days: np.ndarray
    predecessors: list[str]
    counted: list[str]


def _templates() -> _Templates:
    spec = words()["templates"]
    names = list(spec)
    length = np.array([len(spec[t]["steps"]) for t in names])
    flat = [step for t in names for step in spec[t]["steps"]]
    return _Templates(
        names=names,
        length=length,
        offset=np.r_[0, np.cumsum(length)[:-1]],
        step_name=[s[0] for s in flat],
        days=np.array([s[1] for s in flat]),
        predecessors=[s[2] for s in flat],
        counted=[s[3] for s in flat],
    )


def _step_table(
    items: pd.DataFrame, template: np.ndarray, file: str, rng: np.random.Generator
) -> pd.DataFrame:
    """Step rows for ``items`` (one before process each, some after, a few cycles)."""
    spec = words()["steps"]
    tpl = _templates()
    n = len(items)
    before_tpl = template.copy()
    cycle = rng.random(n) < spec["cycle_share"]
    before_tpl[cycle] = tpl.names.index("补正循环")
    after_items = np.flatnonzero(rng.random(n) < spec["after_share"])
    proc_item = np.r_[np.arange(n), after_items]
    proc_tpl = np.r_[before_tpl, np.full(len(after_items), tpl.names.index("再造后"))]
    proc_after = np.r_[np.zeros(n, dtype=bool), np.ones(len(after_items), dtype=bool)]
    order = np.lexsort((proc_after, proc_item))
    proc_item, proc_tpl, proc_after = proc_item[order], proc_tpl[order], proc_after[order]

    length = tpl.length[proc_tpl]
    row_proc = np.repeat(np.arange(len(proc_item)), length)
    position = np.arange(len(row_proc)) - np.repeat(np.cumsum(length) - length, length)
    flat = tpl.offset[proc_tpl][row_proc] + position
    row_item = proc_item[row_proc]
    m = len(row_proc)

    days = tpl.days[flat]
    jitter = rng.integers(-1, 3, m)
    days = np.where(days > 0, np.maximum(1, days + jitter), 0)
    limit_spellings = ["{n}个工作日", "{n}个工作日", "{n}", "{cn}个工作日", "{n}日", "{n}天"]
    table = _limit_spellings(np.maximum(days, 1).tolist(), limit_spellings)
    limit_codes = np.searchsorted(table.values, np.maximum(days, 1)) * table.per_value
    limit_codes += rng.integers(0, len(limit_spellings), m)
    labels = [*table.texts, "即办", "当场办结", "", "视情况"]
    zero = days == 0
    limit_codes[zero] = len(table.texts) + rng.integers(0, 2, int(zero.sum()))
    draw = rng.random(m)
    limit_codes[draw < spec["blank_limit_share"]] = len(labels) - 2
    limit_codes[draw > 1 - spec["invalid_limit_share"]] = len(labels) - 1

    versions_before, versions_after = spec["versions_before"], spec["versions_after"]
    version_labels = [str(rng.choice(versions_before)), str(rng.choice(versions_after))]
    materials = ["", "", "", *spec["materials"]]

    def item_column(column: str) -> Any:
        return items[column].array.take(row_item)

    frame = pd.DataFrame(
        {
            "file": file,
            "sheet": STEPS_SHEET,
            "code": item_column("code"),
            "item_name": item_column("name"),
            "sub_item": item_column("sub_item"),
            "department": item_column("department"),
            "version": _take(version_labels, proc_after[row_proc].astype(np.int64)),
            "step_no": _take([str(i) for i in range(1, int(position.max(initial=0)) + 2)], position),
            "step_name": _take(tpl.step_name, flat),
            "office": _take(spec["offices"], rng.integers(0, len(spec["offices"]), m)),
            "person": _take(spec["persons"], rng.integers(0, len(spec["persons"]), m)),
            "limit": _take(labels, limit_codes),
            "predecessors": _take(tpl.predecessors, flat),
            "materials": _take(materials, rng.integers(0, len(materials), m)),
            "counted": _take(tpl.counted, flat),
        }
    )
    frame["row"] = np.arange(STEPS_HEADER_ROW + 1, STEPS_HEADER_ROW + 1 + m, dtype=np.int64)
    return frame


# ------------------------------------------------------------------ items


def _item_table(
    area_list: list[Area], file: str, catalog: Kinds, rng: np.random.Generator
) -> tuple[pd.DataFrame, np.ndarray]:
    """Raw item rows of the areas of one file (every field, both layouts) and each row's kind."""
    town_kind = catalog.department < 0
    area_of, kind_of = [], []
    for a, area in enumerate(area_list):
        pool = np.flatnonzero(np.ones_like(town_kind) if area.level == "town" else ~town_kind)
        p = _weights(catalog.weight[pool])
        chosen = np.sort(rng.choice(pool, size=min(area.size, len(pool)), replace=False, p=p))
        area_of.append(np.full(len(chosen), a))
        kind_of.append(chosen)
    area_idx = np.concatenate(area_of)
    kind = np.concatenate(kind_of)
    n = len(kind)

    # Department text per distinct (area, department) pair.
    pair = area_idx * (len(words()["department"]) + 1) + (catalog.department[kind] + 1)
    pair_codes, pair_values = pd.factorize(pair)
    width = len(words()["department"]) + 1
    dept_names = [_department_name(area_list[v // width], v % width - 1) for v in pair_values]

    category_spellings = words()["category_spellings"]
    categories = sorted(set(catalog.category))
    cat_labels = [s for c in categories for s in category_spellings[c]]
    cat_base = np.cumsum([0] + [len(category_spellings[c]) for c in categories])[:-1]
    cat_index = np.array([categories.index(c) for c in catalog.category])[kind]
    cat_count = np.array([len(category_spellings[c]) for c in categories])[cat_index]
    cat_codes = cat_base[cat_index] + (rng.random(n) * cat_count).astype(np.int64)

    statutory = catalog.statutory[kind].copy()
    jitter = rng.random(n) < 0.2
    statutory[jitter] = rng.choice([1, 3, 5, 7, 10, 15, 20, 30, 45, 60], size=int(jitter.sum()))
    committed = _committed_days(statutory, rng)
    original = np.where(statutory > 0, np.maximum(1, np.rint(statutory * 0.8)).astype(np.int64), statutory)
    has_original = rng.random(n) < 0.3

    code_areas = _take([a.code for a in area_list], area_idx)
    code_kinds = _take([f"{k:04d}" for k in range(len(catalog.name))], kind)
    codes = pd.Series(code_areas, dtype="str") + "-" + pd.Series(code_kinds, dtype="str") + "-000"
    sub = rng.random(n) < SUB_ITEM_SHARE
    sub_labels = ["", "首次申请", "变更", "延续", "注销"]
    sub_codes = np.where(sub, rng.integers(1, len(sub_labels), n), 0)
    names = _take(catalog.name, kind)
    statutory_number, statutory_unit = _platform_limits(statutory, rng)
    committed_number, committed_unit = _platform_limits(committed, rng)
    frame = pd.DataFrame(
        {
            "file": file,
            "sheet": ITEMS_SHEET,
            "seq": _take([str(i) for i in range(1, n + 1)], np.arange(n)),
            "department": _take(dept_names, pair_codes),
            "code": codes.array,
            "name": names,
            "sub_item": _take(sub_labels, sub_codes),
            "category": _take(cat_labels, cat_codes),
            "legal_basis": _take(catalog.legal_basis, kind),
            "statutory": _limit_texts(statutory, rng),
            "statutory_number": statutory_number,
            "statutory_unit": statutory_unit,
            "original": _limit_texts(original, rng),
            "committed": _limit_texts(committed, rng),
            "committed_number": committed_number,
            "committed_unit": committed_unit,
            "fee": _take(["否", "是"], (rng.random(n) < 0.1).astype(np.int64)),
            "materials": _take(catalog.materials, kind),
            "decision": _decisions(catalog.merge_target, kind, rng),
            "remarks": _take(_REMARKS, rng.integers(0, len(_REMARKS), n)),
        }
    )
    frame["original"] = frame["original"].where(has_original, "")
    frame["code"] = frame["code"].where(
        sub_codes == 0, frame["code"] + "-" + pd.Series(sub_codes).astype("str")
    )
    return frame, kind


def _layout(frame: pd.DataFrame, platform: bool, has_decision: bool) -> pd.DataFrame:
    """The columns one file has, in header order, as the reader gives them."""
    out = frame.copy()
    if platform:
        out["statutory"] = out["statutory_number"]
        out["committed"] = out["committed_number"]
        fields = list(_PLATFORM_FIELDS)
    else:
        fields = list(_FREE_TEXT_FIELDS)
    if not has_decision:
        fields.remove("decision")
    out = out[["file", "sheet", *fields]].copy()
    out["row"] = np.arange(ITEMS_HEADER_ROW + 1, ITEMS_HEADER_ROW + 1 + len(out), dtype=np.int64)
    out["has_decision"] = has_decision
    return out


def _mappings(file: str, items: pd.DataFrame, platform: bool, steps: pd.DataFrame) -> pd.DataFrame:
    """The column mapping a reader would report for the file's two sheets."""
    sheets = []
    for sheet, kind, header_row, present in (
        (ITEMS_SHEET, "items", ITEMS_HEADER_ROW, [f for f in items.columns if f in ITEM_HEADERS]),
        (STEPS_SHEET, "steps", STEPS_HEADER_ROW, [f for f in steps.columns if f in STEP_HEADERS]),
    ):
        headers = ITEM_HEADERS if kind == "items" else STEP_HEADERS
        labels = [
            PLATFORM_HEADERS.get(f, headers[f]) if platform and kind == "items" else headers[f]
            for f in present
        ]
        sheets.append(
            pd.DataFrame(
                {
                    "file": file,
                    "sheet": sheet,
                    "kind": kind,
                    "header_row": header_row,
                    "column": labels,
                    "field": present,
                    "signature": _signature(labels),
                }
            )
        )
    mapping = conform(pd.concat(sheets, ignore_index=True), MAPPING_COLUMNS)[MAPPING_COLUMNS]
    mapping["header_row"] = mapping["header_row"].astype("Int64")
    return mapping


def _signature(labels: list[str]) -> str:
    """The reader's header signature where the reader has one (it keys mapping corrections)."""
    signature = getattr(readers, "header_signature", None)
    return signature(labels) if signature else ""


def file_layout(index: int) -> tuple[bool, bool]:
    """(platform export, has a decision column) of the file at ``index``.

    >>> [file_layout(i) for i in range(6)]
    [(False, True), (False, True), (False, True), (True, True), (False, True), (False, False)]
    """
    platform = index % PLATFORM_EVERY == 0 and index > 0
    has_decision = not (index % CURRENT_EVERY == 0 and index > 0)
    return platform, has_decision


def province_readings(n_items: int, seed: int = SEED, *, with_steps: bool = True) -> list[Reading]:
    """Raw tables of a province catalog with about ``n_items`` items, one Reading per file.

    Files alternate between free-text lists and platform exports (number and unit columns),
    and a few are current catalogs without a decision column, as a province's are.
    """
    root = np.random.default_rng(seed)
    catalog = kinds(root)
    area_list, files = areas(n_items, root)
    children = np.random.SeedSequence(seed).spawn(len(files))
    readings = []
    for f, file in enumerate(files):
        members = [a for a in area_list if a.file == f]
        if not members:
            continue
        rng = np.random.default_rng(children[f])
        full, kind = _item_table(members, file, catalog, rng)
        duplicate = np.flatnonzero(rng.random(len(full)) < DUPLICATE_SHARE)
        if len(duplicate):
            full = pd.concat([full, full.iloc[duplicate]], ignore_index=True)
        platform, has_decision = file_layout(f)
        items = _layout(full, platform, has_decision)
        if with_steps:
            unique = full.iloc[: len(kind)]
            templates = np.array(
                [_templates().names.index(catalog.template[k]) for k in range(len(catalog.name))]
            )
            steps = _step_table(unique, templates[kind], file, rng)
        else:
            steps = pd.DataFrame()
        readings.append(
            Reading(
                items=items,
                steps=steps,
                problems=problems_frame([]),
                mappings=_mappings(file, items, platform, steps),
            )
        )
    return readings


def file_rows(n_items: int, seed: int = SEED) -> pd.DataFrame:
    """Free-text item rows (with decisions) of about ``n_items`` items, headed as departments write.

    The columns are the Chinese headers of :data:`ITEM_HEADERS`, for writing CSV and Excel files.
    """
    return _file_tables(n_items, seed, with_steps=False)[0]


def file_tables(n_items: int, seed: int = SEED) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The item rows of :func:`file_rows` and the step rows of the same items (one before process
    each, some after), headed as a department's step table is (:data:`STEP_HEADERS`)."""
    return _file_tables(n_items, seed, with_steps=True)


def _file_tables(n_items: int, seed: int, *, with_steps: bool) -> tuple[pd.DataFrame, pd.DataFrame]:
    root = np.random.default_rng(seed)
    catalog = kinds(root)
    area_list, files = areas(n_items, root)
    rng = np.random.default_rng(seed + 1)
    full, kind = _item_table(area_list, files[0], catalog, rng)
    full, kind = full.iloc[:n_items].reset_index(drop=True), kind[:n_items]
    table = _layout(full, platform=False, has_decision=True)
    items = table[_FREE_TEXT_FIELDS].rename(columns=ITEM_HEADERS)
    items[ITEM_HEADERS["seq"]] = np.arange(1, len(items) + 1)
    if not with_steps:
        return items, pd.DataFrame()
    templates = np.array([_templates().names.index(catalog.template[k]) for k in range(len(catalog.name))])
    steps = _step_table(full, templates[kind], files[0], rng)
    return items, steps[list(STEP_HEADERS)].rename(columns=STEP_HEADERS)
