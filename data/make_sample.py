"""Generate the bundled synthetic sample: a city's approval clean-up and its retained processes.

The sample is shaped on the published city case (393 licensing items of which 184 retained,
19.89 → 11.01 working days; 53 investment-project items of which 29 retained, 41.20 → 23.63),
so the product, reading it, must reproduce those figures. Every name, code and legal basis is
made up (合成示例数据); nothing here is a real government list. The words (departments, items,
wordings, step kinds, legal-basis forms) are in ``sample_words.toml`` beside this file; the
calibration to the published figures and the drawing logic are here.

Two workbooks are written:

* ``示例市行政审批事项清理汇总表（合成数据）.xlsx`` — sheets 行政许可 and 投资项目审批, laid out as a
  department-collected list (merged title, 填报单位 line, header on row 3, a 合计 row), with the
  retained items' visits in person (到办事现场次数) before and after re-engineering;
* ``示例市保留事项办理环节（合成数据）.xlsx`` — sheet 办理环节, the 再造前 and 再造后 process of
  every retained item, whose critical paths equal the item's before and after limits; the items of
  the departments that submitted only their current process (``[processes]`` in the words file)
  have their 再造前 process alone.

The output depends only on the seed: ``random.Random(seed)``, no clock, a fixed creation date.
The serial reviews and the visits are drawn from a stream of their own per item (seed and item
code), so that tuning them leaves the limits, decisions and every other cell as they were.

Usage: ``.venv/bin/python data/make_sample.py [--out DIR] [--seed N]``.
"""

from __future__ import annotations

import argparse
import random
import sys
import tomllib
from collections.abc import Callable, Collection, Sequence
from dataclasses import dataclass, field, replace
from datetime import datetime
from pathlib import Path
from typing import Any

import xlsxwriter

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:  # run as ``python data/make_sample.py``, the package beside data/ is not
    sys.path.insert(0, str(ROOT))

from approvals.text import chinese_numeral  # noqa: E402

SEED = 2026
SAMPLE_DIR = Path(__file__).resolve().parent / "sample"
CITY_CODE = "990100"  # no province has code 99: the sample cannot be mistaken for a real area
CREATED = datetime(2026, 11, 20, 9, 0, 0)

ITEMS_FILE = "示例市行政审批事项清理汇总表（合成数据）.xlsx"
STEPS_FILE = "示例市保留事项办理环节（合成数据）.xlsx"
LICENSING = "行政许可"
INVESTMENT = "投资项目审批"
STEPS_SHEET = "办理环节"

ITEM_HEADER = (
    "序号",
    "实施部门",
    "事项编码",
    "事项名称",
    "子项名称",
    "事项类型",
    "设定依据",
    "法定办结时限",
    "原承诺办结时限",
    "承诺办结时限（清理后）",
    "是否收费",
    "收费依据",
    "申请材料",
    "到办事现场次数",
    "到办事现场次数（再造后）",
    "处理意见",
    "备注",
)
STEP_HEADER = (
    "事项编码",
    "事项名称",
    "实施部门",
    "流程版本",
    "环节序号",
    "环节名称",
    "责任科室",
    "责任人员",
    "办理时限",
    "前置环节",
    "所需材料",
    "计入时限",
)
SHEET_TITLES = {
    LICENSING: "示例市市本级行政许可事项清理汇总表（合成示例数据，非真实清单）",
    INVESTMENT: "示例市市本级投资项目审批事项清理汇总表（合成示例数据，非真实清单）",
}
FILLER_LINE = "填报单位：示例市人民政府法制办公室    填报日期：2026年11月"
STEPS_TITLE = "示例市保留事项办理环节表（合成示例数据）"

# The published case: per list, how many items end in each decision class, and the exact sums
# of the retained items' before / after limits (working days) that give the published means.
RETAINED, CANCELLED, DELEGATED, MERGED, CHANGED = "保留", "取消", "下放", "合并", "转变管理方式"
QUOTAS = {
    LICENSING: {RETAINED: 184, CANCELLED: 90, DELEGATED: 50, MERGED: 30, CHANGED: 39},
    INVESTMENT: {RETAINED: 29, CANCELLED: 9, DELEGATED: 5, MERGED: 5, CHANGED: 5},
}
TARGET_SUMS = {LICENSING: (3659.5, 2025.5), INVESTMENT: (1194.875, 685.25)}
CODE_KINDS = {LICENSING: "XK", INVESTMENT: "TZ"}

# Statutory limits (working days) and how often they occur among retained items. Like the quotas
# and sums above (and unlike the words in sample_words.toml) they calibrate the published case.
STATUTORY_LADDER = {
    LICENSING: ((3, 2), (5, 5), (7, 4), (10, 8), (15, 8), (20, 50), (30, 12), (45, 4), (60, 3)),
    INVESTMENT: ((10, 1), (15, 1), (20, 4), (30, 5), (45, 4), (60, 5), (90, 2), (120, 1)),
}
ORIGINAL_SHARE = {LICENSING: 0.45, INVESTMENT: 0.40}

# Retained items with limits of a few days or hours, as
# (statutory text, original text or "", after text, before days, after days). Their fractions
# give the totals theirs: licensing before 3 × .5 = 1.5 and after 2.5 (3659.5, 2025.5);
# investment before .5 + .375 = .875 and after .25 (1194.875, 685.25).
SPECIAL_LIMITS: dict[str, tuple[tuple[str, str, str, float, float], ...]] = {
    LICENSING: (
        ("5个工作日", "4小时", "即办", 0.5, 0.0),
        ("3个工作日", "0.5个工作日", "2小时", 0.5, 0.25),
        ("10个工作日", "4小时", "2小时", 0.5, 0.25),
        ("1个工作日", "", "4小时", 1.0, 0.5),
        ("2个工作日", "", "0.5个工作日", 2.0, 0.5),
        ("1个工作日", "", "即办", 1.0, 0.0),
        ("3个工作日", "", "1小时", 3.0, 0.125),
        ("2个工作日", "", "3小时", 2.0, 0.375),
        ("3个工作日", "", "4小时", 3.0, 0.5),
        ("3个工作日", "1个工作日", "即办", 1.0, 0.0),
    ),
    INVESTMENT: (
        ("5个工作日", "4小时", "2小时", 0.5, 0.25),
        ("3个工作日", "3小时", "即办", 0.375, 0.0),
    ),
}

# --------------------------------------------------------------------------- vocabulary

WORDS_FILE = Path(__file__).resolve().parent / "sample_words.toml"


def _load_words(path: Path = WORDS_FILE) -> dict[str, Any]:
    """The word tables of ``sample_words.toml``: the analyst edits them there, not here."""
    with path.open("rb") as handle:
        return tomllib.load(handle)


WORDS = _load_words()


@dataclass(frozen=True)
class Department:
    """A department with its business offices, laws and the licensing items it carries out."""

    name: str
    offices: tuple[str, ...]
    laws: tuple[str, ...]
    ministry: str
    topic: str
    materials: tuple[str, ...]
    items: tuple[str, ...]


DEPARTMENTS: tuple[Department, ...] = tuple(
    Department(
        name=d["name"],
        offices=tuple(d["offices"]),
        laws=tuple(d["laws"]),
        ministry=d["ministry"],
        topic=d["topic"],
        materials=tuple(d["materials"]),
        items=tuple(d["items"]),
    )
    for d in WORDS["department"]
)
INVESTMENT_ITEMS: dict[str, tuple[str, ...]] = {
    d["name"]: tuple(d["investment_items"]) for d in WORDS["department"] if "investment_items" in d
}
# Items carried out in parts: the 事项名称 cell is merged over one row per 子项名称.
SUB_ITEMS: dict[tuple[str, str], tuple[str, ...]] = {
    (s["department"], s["item"]): tuple(s["parts"]) for s in WORDS["sub_item"]
}

# Decisions that real clean-ups took for these items; the rest are drawn by the quotas.
DECISION_HINTS: dict[str, str] = WORDS["decision"]["hints"]
DECISION_WORDINGS: dict[str, tuple[tuple[str, int], ...]] = {
    cls: tuple(wordings.items()) for cls, wordings in WORDS["decision"]["wordings"].items()
}
MERGE_WORDINGS: tuple[str, ...] = tuple(WORDS["decision"]["merge_wordings"])
REMARKS: dict[str, tuple[str, ...]] = {
    cls: tuple(texts) for cls, texts in WORDS["decision"]["remarks"].items()
}

GENERIC_MATERIALS: tuple[str, ...] = tuple(WORDS["materials"]["generic"])
INVESTMENT_MATERIALS: tuple[str, ...] = tuple(WORDS["materials"]["investment"])

QUICK_WORDS: tuple[str, ...] = tuple(WORDS["limits"]["quick_words"])
NO_LIMIT_TEXTS: tuple[str, ...] = tuple(WORDS["limits"]["none"])
ODD_LIMIT_TEXTS: tuple[str, ...] = tuple(WORDS["limits"]["odd"])
EXPERT_REVIEW_TEXTS: tuple[str, ...] = tuple(WORDS["limits"]["expert_review"])
OTHER_UNCOUNTED_TEXTS: tuple[str, ...] = tuple(WORDS["limits"]["other_uncounted"])

# Legal bases by tier (law, 412, local, rule, norm): how often each tier is drawn per decision, and its form.
LEGAL_TIERS: tuple[str, ...] = tuple(WORDS["legal_basis"]["tiers"])
LEGAL_WEIGHTS: dict[str, list[int]] = WORDS["legal_basis"]["weights"]
LEGAL_FORMS: dict[str, str] = WORDS["legal_basis"]["forms"]

# Step kinds: (responsible office role, responsible person role, weight in sharing the limit).
STEP_ROLES: dict[str, tuple[str, str, float]] = {
    name: (kind["office"], kind["person"], kind["weight"]) for name, kind in WORDS["step_kinds"].items()
}
# The most working days a step of these kinds takes while other steps can take the rest.
STEP_CAPS: dict[str, float] = {
    name: kind["cap"] for name, kind in WORDS["step_kinds"].items() if "cap" in kind
}
UNCOUNTED: tuple[str, ...] = tuple(WORDS["steps"]["uncounted"])
PARALLEL_SIBLINGS: tuple[str, ...] = tuple(WORDS["steps"]["parallel_siblings"])
PARALLEL_SIBLINGS_AFTER: tuple[str, ...] = tuple(WORDS["steps"]["parallel_siblings_after"])
REVIEWS: tuple[str, ...] = tuple(WORDS["steps"]["reviews"])
MATERIAL_CHECKS: tuple[str, ...] = tuple(WORDS["steps"]["material_checks"])
# Steps dropped first when a short limit cannot give every step a day.
DROP_ORDER: tuple[str, ...] = tuple(WORDS["steps"]["drop_order"])
# Reviews by other offices put in series after a review of a before process (串联审查).
SERIAL: dict[str, Any] = WORDS["serial_reviews"]
SERIAL_INSERTS: tuple[tuple[tuple[str, ...], int], ...] = tuple(
    (tuple(entry["steps"]), entry["weight"]) for entry in SERIAL["insert"]
)
# Departments that submitted no 再造后 process: their after steps are drawn like everyone's (the
# stream stays as it was) and left out when the step sheet is written.
NO_AFTER_DEPARTMENTS: frozenset[str] = frozenset(WORDS["processes"]["no_after_departments"])
if unknown := NO_AFTER_DEPARTMENTS - {d.name for d in DEPARTMENTS}:
    raise ValueError(f"no_after_departments names unknown departments: {sorted(unknown)}")
# 到办事现场次数: weights of the counts before and after, and how they are written.
VISITS: dict[str, Any] = WORDS["visits"]
# Office names of the fixed office roles; 业务科, 其他业务科 and 会议 depend on the department.
STEP_OFFICES: dict[str, str] = WORDS["offices"]
# (department name endings, deputy, head, meeting); the entry without endings is everyone else's.
LEADERS: tuple[tuple[tuple[str, ...], str, str, str], ...] = tuple(
    (tuple(body["suffixes"]), body["deputy"], body["head"], body["meeting"]) for body in WORDS["leaders"]
)

# --------------------------------------------------------------------------- text helpers


def duration_text(days: float, rng: random.Random) -> str:
    """A step's time limit as written: 即办, hours below a day, else (half) working days.

    >>> r = random.Random(0)
    >>> duration_text(0, r), duration_text(0.25, r), duration_text(3, r), duration_text(2.5, r)
    ('即办', '2小时', '3个工作日', '2.5个工作日')
    """
    if days == 0:
        return "即办"
    if days == 0.5:
        return rng.choice(("0.5个工作日", "4小时"))
    if days < 1:
        return f"{round(days * 8)}小时"
    if days == int(days):
        return f"{int(days)}个工作日"
    if days * 2 == int(days * 2):
        return f"{days:g}个工作日"
    raise ValueError(f"no spelling for {days} working days")


def limit_cell(
    days: float, rng: random.Random, *, sheet: str, note: str = "", plain: bool = False
) -> str | int:
    """An item's whole-day limit in one of the spellings real lists use (a bare number is an int).

    ``note`` names time not counted (专家评审, 公示) and is written in brackets after the number.
    """
    n = int(days)
    if days != n:
        raise ValueError(days)
    suffix = f"（不含{note}时间）" if note else ""
    choices = [("arabic", 50), ("chinese", 18), ("number", 15), ("ri", 12)]
    if plain or sheet != LICENSING:
        choices = [c for c in choices if c[0] != "ri"]  # "20日" only where 日 means working days
    if note:
        choices = [c for c in choices if c[0] != "number"]
    kind = _weighted(rng, choices)
    if kind == "number":
        return n
    if kind == "chinese":
        return f"{chinese_numeral(n)}个工作日{suffix}"
    if kind == "ri":
        return f"{n}日{suffix}"
    return f"{n}个工作日{suffix}"


def _weighted(rng: random.Random, pairs: Sequence[tuple[str, int | float]]) -> str:
    return rng.choices([p[0] for p in pairs], weights=[p[1] for p in pairs])[0]


# --------------------------------------------------------------------------- the tables


@dataclass
class Item:
    """One row of the clean-up list (a sub-item row is an item of its own)."""

    sheet: str
    department: str
    name: str
    sub_name: str = ""
    code: str = ""
    decision: str = ""
    decision_text: str = ""
    legal_basis: str = ""
    statutory: float | None = None  # None: 法律未规定
    original: float | None = None
    before: float = 0.0
    after: float | None = None
    statutory_text: str | int = ""
    original_text: str | int = ""
    after_text: str | int = ""
    fee: str = "否"
    fee_basis: str = ""
    materials: list[str] = field(default_factory=list)
    remarks: str = ""
    special: bool = False
    before_note: str = ""  # time the before limit does not count (专家评审 / 公示)
    after_note: str = ""
    visits: str = ""  # 到办事现场次数 as written, retained items only
    visits_after: str = ""

    @property
    def has_sub(self) -> bool:
        return bool(self.sub_name)

    @property
    def step_name(self) -> str:
        return f"{self.name}（{self.sub_name}）" if self.sub_name else self.name


@dataclass
class Step:
    """One step of one process version of one retained item."""

    item: Item
    version: str  # 再造前 / 再造后
    no: int
    name: str
    office: str
    person: str
    days: float
    text: str
    preds: tuple[int, ...]
    written_preds: str | int  # what the 前置环节 cell holds ("" = the previous step)
    materials: str
    counted: bool
    counted_text: str


@dataclass
class Sample:
    """The generated clean-up lists (per sheet) and the steps of every retained item, both versions
    as drawn (:func:`submitted_steps` says which of them the step sheet holds)."""

    items: dict[str, list[Item]]
    steps: list[Step]


def build_sample(seed: int = SEED) -> Sample:
    """Build the sample's rows from ``seed`` alone; the same seed gives the same rows."""
    rng = random.Random(seed)
    departments = {d.name: d for d in DEPARTMENTS}
    items = {LICENSING: _licensing_rows(), INVESTMENT: _investment_rows()}
    steps: list[Step] = []
    for sheet, rows in items.items():
        _assign_codes(rows, sheet)
        _assign_decisions(rows, sheet, rng)
        for item in rows:
            _describe(item, departments[item.department], rng)
        _assign_limits(rows, sheet, rng)
        for item in rows:
            if item.decision == RETAINED:
                steps += _processes(item, departments[item.department], rng, seed)
        for item in rows:
            _write_limits(item, rng)
    return Sample(items=items, steps=steps)


def _licensing_rows() -> list[Item]:
    """389 named items (trimmed from the vocabulary) and 4 of them in two parts: 393 rows."""
    names = {d.name: list(d.items) for d in DEPARTMENTS}
    target = sum(QUOTAS[LICENSING].values()) - len(SUB_ITEMS)
    protected = {name for _, name in SUB_ITEMS} | set(DECISION_HINTS)
    while sum(len(v) for v in names.values()) > target:
        dept = max(names, key=lambda d: len(names[d]))
        drop = next(n for n in reversed(names[dept]) if n not in protected)
        names[dept].remove(drop)
    rows = []
    for dept, dept_names in names.items():
        if len(set(dept_names)) != len(dept_names):
            raise ValueError(f"duplicate item names in {dept}")
        for name in dept_names:
            subs = SUB_ITEMS.get((dept, name))
            if subs:
                rows += [Item(LICENSING, dept, name, sub_name=s) for s in subs]
            else:
                rows.append(Item(LICENSING, dept, name))
    return rows


def _investment_rows() -> list[Item]:
    order = [d.name for d in DEPARTMENTS]
    rows = [
        Item(INVESTMENT, dept, name)
        for dept in sorted(INVESTMENT_ITEMS, key=order.index)
        for name in INVESTMENT_ITEMS[dept]
    ]
    if len(rows) != sum(QUOTAS[INVESTMENT].values()):
        raise ValueError(f"{len(rows)} investment items")
    return rows


def _assign_codes(rows: list[Item], sheet: str) -> None:
    number = 0
    previous = None
    for item in rows:
        if not (item.has_sub and previous == (item.department, item.name)):
            number += 1
            part = 0
        base = f"{CITY_CODE}-{CODE_KINDS[sheet]}-{number:04d}"
        if item.has_sub:
            part += 1
            item.code = f"{base}-{part:02d}"
        else:
            item.code = base
        previous = (item.department, item.name)


def _assign_decisions(rows: list[Item], sheet: str, rng: random.Random) -> None:
    """Decision classes by the published quotas, merges absorbed by a retained item of the dept."""
    left = dict(QUOTAS[sheet])
    free = []
    for item in rows:
        hint = DECISION_HINTS.get(item.name)
        if hint and not item.has_sub:
            item.decision = hint
            left[hint] -= 1
        else:
            free.append(item)
    pool = [d for d, n in left.items() for _ in range(n)]
    rng.shuffle(pool)
    # sub-item rows take no merge: keep merges on whole items
    free.sort(key=lambda it: it.has_sub, reverse=True)
    for item in free:
        choice = next(d for d in pool if not (item.has_sub and d == MERGED))
        pool.remove(choice)
        item.decision = choice
    if pool:
        raise AssertionError(f"{len(pool)} decisions left over: the vocabulary is short")
    _repair_merges(rows, rng)
    for item in rows:
        if item.decision == MERGED:
            targets = _merge_targets(rows, item.department)
            target = rng.choice(targets)
            item.decision_text = rng.choice(MERGE_WORDINGS).format(target.name)
        else:
            item.decision_text = _weighted(rng, DECISION_WORDINGS[item.decision])


def _merge_targets(rows: list[Item], department: str) -> list[Item]:
    return [it for it in rows if it.department == department and it.decision == RETAINED and not it.has_sub]


def _repair_merges(rows: list[Item], rng: random.Random) -> None:
    """Swap decisions so that every merged item's department keeps a retained item to absorb it."""
    for item in rows:
        if item.decision != MERGED or _merge_targets(rows, item.department):
            continue
        swaps = [
            other
            for other in rows
            if other.department != item.department
            and other.decision in (CANCELLED, DELEGATED, CHANGED)
            and not other.has_sub
            and other.name not in DECISION_HINTS
            and _merge_targets(rows, other.department)
        ]
        other = rng.choice(swaps)
        item.decision, other.decision = other.decision, item.decision
    for item in rows:
        if item.decision == MERGED and not _merge_targets(rows, item.department):
            raise AssertionError(f"no merge target for {item.name}")


def _closest_law(name: str, laws: Sequence[str], rng: random.Random) -> str:
    """The department's law sharing most two-character words with the item's name.

    >>> _closest_law("民办学校设立审批", ("《教师资格条例》", "《民办教育促进法》"), random.Random(0))
    '《民办教育促进法》'
    """
    pairs = {name[i : i + 2] for i in range(len(name) - 1)}
    scores = [sum(1 for i in range(len(law) - 1) if law[i : i + 2] in pairs) for law in laws]
    best = [law for law, score in zip(laws, scores, strict=True) if score == max(scores)]
    return rng.choice(best)


def _legal_basis(item: Item, dept: Department, rng: random.Random) -> str:
    """设定依据 in one tier's form; the draws stay in the order the forms are filled."""
    weights = LEGAL_WEIGHTS.get(item.decision, LEGAL_WEIGHTS["other"])
    tier = _weighted(rng, list(zip(LEGAL_TIERS, weights, strict=True)))
    article = chinese_numeral(rng.randint(5, 80))
    form = LEGAL_FORMS[tier]
    if tier == "law":
        text = form.format(law=_closest_law(item.name, dept.laws, rng), article=article)
        if rng.random() < 0.2:
            local = LEGAL_FORMS["local"].format(topic=dept.topic, article=chinese_numeral(rng.randint(3, 40)))
            text = f"{text}；{local}"
        return text
    if tier == "412":
        return form.format(number=rng.randint(1, 500))
    if tier == "local":
        return form.format(topic=dept.topic, article=article)
    if tier == "rule":
        return form.format(
            topic=dept.topic, ministry=dept.ministry, number=rng.randint(1, 60), article=article
        )
    year = rng.randint(2001, 2008)
    return form.format(topic=dept.topic, year=year, number=rng.randint(3, 90))


def _describe(item: Item, dept: Department, rng: random.Random) -> None:
    """Legal basis, fee, materials and remarks: the columns no figure depends on."""
    item.legal_basis = _legal_basis(item, dept, rng)
    if rng.random() < 0.06:
        item.fee = "是"
        item.fee_basis = LEGAL_FORMS["fee"].format(topic=dept.topic)
    if item.sheet == INVESTMENT:
        own = rng.sample(INVESTMENT_MATERIALS, rng.randint(3, 5))
    else:
        own = rng.sample(GENERIC_MATERIALS, 2)
        own += rng.sample(dept.materials, min(len(dept.materials), rng.randint(1, 3)))
    item.materials = own
    if rng.random() < (0.08 if item.decision == RETAINED else 0.25):
        item.remarks = rng.choice(REMARKS[item.decision])


def _ladder_step(ladder: list[int], value: int, up: bool) -> int:
    i = ladder.index(value) + (1 if up else -1)
    return ladder[min(max(i, 0), len(ladder) - 1)]


def _assign_limits(rows: list[Item], sheet: str, rng: random.Random) -> None:
    """Limits of every item; the retained ones sum exactly to the published before / after."""
    retained = [it for it in rows if it.decision == RETAINED]
    quick = [it for it in retained if not it.has_sub and any(w in it.name for w in QUICK_WORDS)]
    specials_for = [it for it in quick if it.name in DECISION_HINTS] or []
    rest_quick = [it for it in quick if it not in specials_for]
    rng.shuffle(rest_quick)
    chosen = (specials_for + rest_quick)[: len(SPECIAL_LIMITS[sheet])]
    for item, (stat, orig, after, before_days, after_days) in zip(chosen, SPECIAL_LIMITS[sheet], strict=True):
        item.special = True
        item.statutory_text, item.original_text, item.after_text = stat, orig, after
        item.before, item.after = before_days, after_days
    normal = [it for it in retained if not it.special]
    before_target, after_target = TARGET_SUMS[sheet]
    special = [it for it in retained if it.special]
    before_left = before_target - sum(it.before for it in special)
    after_left = after_target - sum(it.after or 0.0 for it in special)
    if before_left != int(before_left) or after_left != int(after_left):
        raise AssertionError("special limits leave a fraction")
    _draw_before(normal, sheet, int(before_left), rng)
    _draw_after(normal, int(after_left), rng)
    for item in rows:
        if item.decision != RETAINED:
            _streamlined_limits(item, sheet, rng)


def _draw_before(items: list[Item], sheet: str, total: int, rng: random.Random) -> None:
    """Statutory limits from the ladder, then original commitments shaving the excess to ``total``."""
    pairs = STATUTORY_LADDER[sheet]
    ladder = [v for v, _ in pairs]
    statutory = [rng.choices(ladder, weights=[w for _, w in pairs])[0] for _ in items]
    low, high = int(total * 1.10), int(total * 1.16)
    while not low <= sum(statutory) <= high:
        i = rng.randrange(len(items))
        statutory[i] = _ladder_step(ladder, statutory[i], up=sum(statutory) < low)
    has_original = [rng.random() < ORIGINAL_SHARE[sheet] for _ in items]
    original = list(statutory)
    excess = sum(statutory) - total
    while excess > 0:
        open_ = [i for i in range(len(items)) if has_original[i] and original[i] > (statutory[i] + 1) // 2]
        if not open_:
            spare = [i for i in range(len(items)) if not has_original[i]]
            has_original[rng.choice(spare)] = True
            continue
        i = rng.choice(open_)
        cut = min(excess, rng.choice((1, 1, 2, 3, 5)), original[i] - (statutory[i] + 1) // 2)
        original[i] -= cut
        excess -= cut
    for i, item in enumerate(items):
        item.statutory = float(statutory[i])
        item.original = float(original[i]) if has_original[i] else None
        item.before = float(original[i])
    # a few retained items have no statutory limit but an original commitment
    unlimited = [it for it in items if it.original is not None and it.sheet == LICENSING]
    for item in rng.sample(unlimited, min(2, len(unlimited))):
        item.statutory = None


def _draw_after(items: list[Item], total: int, rng: random.Random) -> None:
    """New commitments at 35-75% of before, a few unchanged, adjusted to sum to ``total``."""
    fixed = set()
    for i, item in enumerate(items):
        if rng.random() < 0.04:
            item.after = item.before
            fixed.add(i)
        else:
            item.after = float(max(1, round(item.before * rng.uniform(0.35, 0.75))))
            item.after = min(item.after, item.before - 1) if item.before > 1 else item.after
    diff = total - sum(it.after or 0.0 for it in items)
    movable = [i for i in range(len(items)) if i not in fixed]
    for _ in range(100_000):
        if diff == 0:
            break
        i = rng.choice(movable)
        after = items[i].after or 0.0
        if diff > 0 and after < items[i].before - 1:
            items[i].after = after + 1
            diff -= 1
        elif diff < 0 and after > 1:
            items[i].after = after - 1
            diff += 1
    else:
        raise AssertionError("new commitments cannot reach their total")


def _streamlined_limits(item: Item, sheet: str, rng: random.Random) -> None:
    """Limits of items that leave the list: varied, sometimes none, no new commitment mostly."""
    r = rng.random()
    if r < 0.07:
        item.statutory_text = rng.choice(NO_LIMIT_TEXTS)
    elif r < 0.10:
        item.statutory_text = rng.choice(ODD_LIMIT_TEXTS)
    else:
        pairs = STATUTORY_LADDER[sheet]
        value = rng.choices([v for v, _ in pairs], weights=[w for _, w in pairs])[0]
        item.statutory_text = limit_cell(value, rng, sheet=sheet)
        if rng.random() < 0.3:
            item.original_text = limit_cell(max(1, value * 2 // 3), rng, sheet=sheet)
    if item.decision == CHANGED and rng.random() < 0.4:
        item.after_text = "即办"


def _write_limits(item: Item, rng: random.Random) -> None:
    """The retained items' limit cells, spelled variously; the note goes where before is read."""
    if item.decision != RETAINED or item.special:
        return
    before_column = "original" if item.original is not None else "statutory"
    if item.statutory is None:
        item.statutory_text = "法律未规定"
    else:
        note = item.before_note if before_column == "statutory" else ""
        item.statutory_text = limit_cell(item.statutory, rng, sheet=item.sheet, note=note)
    if item.original is not None:
        item.original_text = limit_cell(item.original, rng, sheet=item.sheet, note=item.before_note)
    after = item.after or 0.0
    item.after_text = "即办" if after == 0 else limit_cell(after, rng, sheet=item.sheet, note=item.after_note)


# --------------------------------------------------------------------------- processes


def critical_path(steps: Sequence[Step]) -> float:
    """The longest path over counted step durations (uncounted steps weigh 0) of one process.

    >>> s = [_bare(1, 1, ()), _bare(2, 3, (1,)), _bare(3, 2, (1,)), _bare(4, 1, (2, 3))]
    >>> critical_path(s)
    5.0
    """
    by_no = {s.no: s for s in steps}
    waiting = {s.no: set(s.preds) for s in steps}
    finish: dict[int, float] = {}
    ready = sorted(n for n, p in waiting.items() if not p)
    while ready:
        n = ready.pop(0)
        step = by_no[n]
        start = max((finish[p] for p in step.preds), default=0.0)
        finish[n] = start + (step.days if step.counted else 0.0)
        for m, p in waiting.items():
            if n in p:
                p.discard(n)
                if not p and m not in finish and m not in ready:
                    ready.append(m)
        ready.sort()
    if len(finish) != len(steps):
        raise ValueError("process has a cycle")
    return max(finish.values(), default=0.0)


def _bare(no: int, days: float, preds: tuple[int, ...]) -> Step:
    """A step with only what :func:`critical_path` reads (for its example)."""
    return Step(Item("", "", ""), "", no, "", "", "", days, "", preds, "", "", True, "")


def _leaders(department: str) -> tuple[str, str, str]:
    """(deputy, head, meeting) as the department's kind of body calls them.

    >>> _leaders("市公安局交通警察支队"), _leaders("市教育局")
    (('分管副支队长', '支队长', '支队务会'), ('分管副局长', '局长', '局务会'))
    """
    for suffixes, deputy, head, meeting in LEADERS:
        if not suffixes or department.endswith(suffixes):
            return deputy, head, meeting
    raise ValueError(f"no leaders' titles for {department}")


def _allocate(total: float, names: list[str], rng: random.Random) -> list[float]:
    """Split ``total`` working days over the counted steps ``names`` (the chain of the process).

    Whole days where every step can have one, else half days, else hours; a remainder that is
    not a whole grain goes to 受理 on its own (e.g. 受理 "2小时").
    """
    n = len(names)
    if total == 0:
        return [0.0] * n
    if total * 8 < n:  # fewer hours than steps: the first steps are done on the spot (即办)
        hours = round(total * 8)
        return [0.0] * (n - hours) + [0.125] * hours
    for grain in (1.0, 0.5, 0.125):
        units = int(total // grain)
        if units >= n:
            break
    rest = total - units * grain
    days = [0.0] * n
    share = list(range(n))
    if rest:
        days[0] = rest
        share = list(range(1, n))
    for i in share:
        days[i] = grain
    for _ in range(units - len(share)):
        # steps that decide nothing stay short while another step can take the time
        open_ = [i for i in share if days[i] + grain <= STEP_CAPS.get(names[i], total)] or share
        weights = [STEP_ROLES[names[i]][2] for i in open_]
        days[rng.choices(open_, weights=weights)[0]] += grain
    if grain == 1.0 and not rest and days[0] == 1 and n > 2 and rng.random() < 0.3:
        days[0] = 0.5
        days[share[1]] += 0.5
    if abs(sum(days) - total) > 1e-9:
        raise AssertionError((total, days))
    return days


def _before_chain(total: float, rng: random.Random) -> list[str]:
    if total < 1:
        return ["受理", "审核", "决定"]
    if total < 4:
        return ["受理", "审查", "审批", "办结"]
    chain = ["受理"]
    optional = [
        ("登记", 0.3),
        ("初审", 0.6),
        ("审查", 1.0),
        ("现场勘查", 0.25),
        ("专家评审", 0.15 if total >= 10 else 0.0),
        ("复审", 0.5),
        ("审核", 0.7),
        ("集体讨论", 0.2 if total >= 10 else 0.0),
        ("流转", 0.2),
        ("审批", 1.0),
        ("签发", 0.5),
        ("公示", 0.08 if total >= 10 else 0.0),
        ("决定", 0.4),
    ]
    for name, p in optional:
        if rng.random() < p:
            chain.append(name)
    if "专家评审" in chain and "公示" in chain:
        chain.remove("公示")
    chain.append(rng.choice(("办结", "送达")))
    return _fit(chain, total)


def _after_chain(total: float, before: list[str], rng: random.Random) -> list[str]:
    if total == 0:
        return ["受理", "决定"]
    if total < 1:
        return ["受理", "审核", "决定"] if total * 8 >= 3 else ["受理", "决定"]
    if total < 3:
        return ["受理", "审查", "决定"]
    chain = ["受理", "审查"]
    if "现场勘查" in before and rng.random() < 0.6:
        chain.append("现场勘查")
    if "专家评审" in before and rng.random() < 0.5:
        chain.append("专家评审")
    if rng.random() < 0.4:
        chain.append("审核")
    chain.append(rng.choice(("审批", "决定")))
    if rng.random() < 0.5:
        chain.append("办结")
    return _fit(chain, total)


def _fit(chain: list[str], total: float) -> list[str]:
    """Drop optional steps until each counted step can have at least a whole day."""
    for name in DROP_ORDER:
        if sum(1 for s in chain if s not in UNCOUNTED) <= total:
            break
        if name in chain and len(chain) > 3:
            chain.remove(name)
    return chain


def _own_stream(seed: int, item: Item, purpose: str) -> random.Random:
    """A stream of draws for one item and purpose, apart from the sample's main stream.

    Draws added to the generator later take theirs from here, so the main stream, which decides
    the limits of the lists drawn after, stays as it was.
    """
    return random.Random(f"{seed}:{item.code}:{purpose}")


def _processes(item: Item, dept: Department, rng: random.Random, seed: int = SEED) -> list[Step]:
    """The 再造前 and 再造后 processes of a retained item, each asserted against its limit."""
    before_chain = _before_chain(item.before, rng)
    after = item.after or 0.0
    after_chain = _after_chain(after, before_chain, rng)
    item.before_note = next((s for s in before_chain if s in UNCOUNTED), "")
    item.after_note = next((s for s in after_chain if s in UNCOUNTED), "")
    if item.special:
        item.before_note = item.after_note = ""
        before_chain = [s for s in before_chain if s not in UNCOUNTED]
        after_chain = [s for s in after_chain if s not in UNCOUNTED]
    steps = []
    parallel_before = item.before >= 4 and rng.random() < 0.3
    office = rng.choice(dept.offices)  # the business office that handles the item
    parallel_after = after >= 3 and rng.random() < 0.35
    for version, chain, total, parallel in (
        ("再造前", before_chain, item.before, parallel_before),
        ("再造后", after_chain, after, parallel_after),
    ):
        process = _process(item, dept, office, version, chain, total, parallel, rng)
        if version == "再造前":
            people = _people(item, dept, office)
            process = _serial_reviews(process, item, people, _own_stream(seed, item, "serial"))
        if critical_path(process) != total:
            raise AssertionError(f"{item.code} {version}: {critical_path(process)} != {total}")
        steps += process
    _visits(item, steps, _own_stream(seed, item, "visits"))
    return steps


def _people(item: Item, dept: Department, office: str) -> tuple[str, list[str], str, str, str]:
    """(business office, the department's other offices, deputy, head, meeting) of a process."""
    deputy, head, meeting = _leaders(item.department)
    others = [o for o in dept.offices if o != office] or [STEP_OFFICES["法规科"]]
    return office, others, deputy, head, meeting


def _serial_reviews(
    process: list[Step], item: Item, people: tuple[str, list[str], str, str, str], rng: random.Random
) -> list[Step]:
    """Put reviews by other offices (征求意见, 合法性审查, 会审) in series after one review step.

    Their days are split off the host step, so the critical path stays the item's limit. The host
    has one predecessor and one successor, which waits for it alone: the added steps form a plain
    chain that the 串联审查 rule can find.
    """
    if item.before < SERIAL["min_days"] or rng.random() >= SERIAL["share"]:
        return process
    names = {s.name for s in process}
    successors: dict[int, list[Step]] = {}
    for step in process:
        for p in step.preds:
            successors.setdefault(p, []).append(step)
    hosts = [
        s
        for s in process
        if s.name in SERIAL["hosts"]
        and s.counted
        and s.days == int(s.days)
        and s.days >= 2
        and len(s.preds) == 1
        and len(successors.get(s.no, [])) == 1
        and successors[s.no][0].preds == (s.no,)
    ]
    if not hosts:
        return process
    host = rng.choice(hosts)
    inserts = [
        (added, weight)
        for added, weight in SERIAL_INSERTS
        if not names & set(added) and host.days >= len(added) + 1
    ]
    if not inserts:
        return process
    added = rng.choices([a for a, _ in inserts], weights=[w for _, w in inserts])[0]
    shift = len(added)

    def moved(no: int) -> int:
        return no + shift if no > host.no else no

    def moved_written(written: str | int) -> str | int:
        if isinstance(written, int):
            return moved(written)
        return "、".join(str(moved(int(p))) for p in written.split("、")) if written else ""

    left = host.days
    new_steps = []
    for offset, name in enumerate(added, start=1):
        # at most half of what the host can spare, keeping a day for it and each step still to add
        days = float(rng.randint(1, max(1, int(left - 1 - (shift - offset)) // 2)))
        left -= days
        no = host.no + offset
        mark = host.counted_text == "是"
        new_steps.append(_step(item, host.version, no, name, days, (no - 1,), "", people, mark, rng))
    out = []
    for step in process:
        if step.no == host.no:
            out.append(replace(step, days=left, text=duration_text(left, rng)))
            out += new_steps
        elif step.no > host.no:
            written = step.written_preds
            if step.preds == (host.no,):  # the host's successor now waits for the last added step
                written = host.no + shift if written != "" else ""
                preds: tuple[int, ...] = (host.no + shift,)
            else:
                written = moved_written(written)
                preds = tuple(moved(p) for p in step.preds)
            out.append(replace(step, no=step.no + shift, preds=preds, written_preds=written))
        else:
            out.append(step)
    return out


def _visits(item: Item, steps: Sequence[Step], rng: random.Random) -> None:
    """到办事现场次数 before and after re-engineering, from the steps of the item's processes.

    One more visit before for each 现场勘查 / 专家评审; after, mostly at most one (最多跑一次),
    sometimes two where a 现场勘查 stays; never more than before.
    """
    before_names = {s.name for s in steps if s.version == "再造前"}
    after_names = {s.name for s in steps if s.version == "再造后"}
    before = int(_weighted(rng, list(VISITS["before"].items())))
    before += sum(1 for name in VISITS["extra_for"] if name in before_names)
    after = int(_weighted(rng, list(VISITS["after"].items())))
    if after_names & set(VISITS["twice_for"]) and rng.random() < VISITS["twice_share"]:
        after = 2
    after = min(after, before)
    forms = list(VISITS["forms"].items())
    item.visits = _weighted(rng, forms).format(n=before)
    item.visits_after = _weighted(rng, forms).format(n=after)


def _process(
    item: Item,
    dept: Department,
    office: str,
    version: str,
    chain: list[str],
    total: float,
    parallel: bool,
    rng: random.Random,
) -> list[Step]:
    counted_names = [s for s in chain if s not in UNCOUNTED]
    days = iter(_allocate(total, counted_names, rng))
    durations = [next(days) if s not in UNCOUNTED else 0.0 for s in chain]
    # a branch beside one review step: it waits for the same step and the next one waits for both
    branch_at = None
    if parallel:
        spots = [
            i for i, s in enumerate(chain) if s in REVIEWS and 0 < i < len(chain) - 1 and durations[i] >= 1
        ]
        if spots:
            branch_at = rng.choice(spots)
    sibling = ""
    if branch_at is not None:
        # after re-engineering, a review that ran in series now runs beside the other one
        options = PARALLEL_SIBLINGS_AFTER if version == "再造后" else PARALLEL_SIBLINGS
        sibling = rng.choice([s for s in options if s not in chain])
    people = _people(item, dept, office)
    mark_counted = rng.random() < 0.5
    steps: list[Step] = []
    number_of: dict[int, int] = {}
    for i, name in enumerate(chain):
        no = len(steps) + 1
        number_of[i] = no
        if i == 0:
            preds: tuple[int, ...] = ()
        elif branch_at is not None and i == branch_at + 1:
            preds = (number_of[branch_at], no - 1)
        elif branch_at is not None and i == branch_at:
            preds = (number_of[i - 1],)
        else:
            preds = (no - 1,)
        written: str | int = ""
        if branch_at is not None and i == branch_at:
            written = preds[0]
        elif branch_at is not None and i == branch_at + 1:
            written = "、".join(str(p) for p in preds)
        steps.append(
            _step(
                item,
                version,
                no,
                name,
                durations[i],
                preds,
                written,
                people,
                mark_counted,
                rng,
            )
        )
        if i == branch_at:
            cap = durations[i]
            grain = 1.0 if cap >= 1 else 0.5
            length = grain * rng.randint(1, int(cap // grain))
            steps.append(
                _step(
                    item,
                    version,
                    no + 1,
                    sibling,
                    length,
                    preds,
                    preds[0],
                    people,
                    mark_counted,
                    rng,
                )
            )
    return steps


def _step(
    item: Item,
    version: str,
    no: int,
    name: str,
    days: float,
    preds: tuple[int, ...],
    written: str | int,
    people: tuple[str, list[str], str, str, str],
    mark_counted: bool,
    rng: random.Random,
) -> Step:
    office, others, deputy, head, meeting = people
    role_office, role_person, _ = STEP_ROLES[name]
    offices = {**STEP_OFFICES, "业务科": office, "其他业务科": others[0], "会议": meeting}
    persons = {"科员": "科员", "科长": "科长", "分管领导": deputy, "主要领导": head}
    counted = name not in UNCOUNTED
    if counted:
        text = duration_text(days, rng)
        counted_text = "是" if mark_counted else ""
    else:
        text = rng.choice(EXPERT_REVIEW_TEXTS if name == "专家评审" else OTHER_UNCOUNTED_TEXTS)
        counted_text = "否"
    return Step(
        item=item,
        version=version,
        no=no,
        name=name,
        office=offices[role_office],
        person=persons[role_person],
        days=days,
        text=text,
        preds=preds,
        written_preds=written,
        materials=_step_materials(name, item.materials, version, rng),
        counted=counted,
        counted_text=counted_text,
    )


def _step_materials(name: str, materials: list[str], version: str, rng: random.Random) -> str:
    if name == "受理":
        return "、".join(materials)
    if name in MATERIAL_CHECKS:
        most = 3 if version == "再造前" else 2
        return "、".join(rng.sample(materials, min(len(materials), rng.randint(1, most))))
    return ""


# --------------------------------------------------------------------------- writing


def write_sample(out_dir: Path, seed: int = SEED) -> list[Path]:
    """Write the two workbooks into ``out_dir`` (created if missing); return their paths."""
    out_dir.mkdir(parents=True, exist_ok=True)
    sample = build_sample(seed)
    items_path = out_dir / ITEMS_FILE
    steps_path = out_dir / STEPS_FILE
    _write_items(items_path, sample)
    _write_steps(steps_path, sample)
    return [items_path, steps_path]


def _book(path: Path, title: str) -> xlsxwriter.Workbook:
    book = xlsxwriter.Workbook(str(path), {"in_memory": True, "strings_to_formulas": False})
    book.set_properties(
        {
            "title": title,
            "subject": "合成示例数据，非真实清单",
            "author": "示例市人民政府法制办公室",
            "company": "示例市人民政府法制办公室",
            "comments": "由 data/make_sample.py 生成的合成示例数据",
            "created": CREATED,
        }
    )
    return book


def _write_items(path: Path, sample: Sample) -> None:
    book = _book(path, "示例市行政审批事项清理汇总表（合成数据）")
    title = book.add_format({"bold": True, "font_size": 14, "align": "center", "valign": "vcenter"})
    filler = book.add_format({"align": "left", "valign": "vcenter"})
    header = book.add_format(
        {
            "bold": True,
            "align": "center",
            "valign": "vcenter",
            "text_wrap": True,
            "border": 1,
            "bg_color": "#D9E1F2",
        }
    )
    cell = book.add_format({"valign": "vcenter", "text_wrap": True, "border": 1})
    merged = book.add_format({"align": "center", "valign": "vcenter", "text_wrap": True, "border": 1})
    widths = (6, 20, 20, 30, 16, 10, 40, 14, 14, 14, 8, 20, 36, 10, 10, 20, 20)
    last_col = len(ITEM_HEADER) - 1
    for sheet_name, rows in sample.items.items():
        sheet = book.add_worksheet(sheet_name)
        for col, width in enumerate(widths):
            sheet.set_column(col, col, width)
        sheet.merge_range(0, 0, 0, last_col, SHEET_TITLES[sheet_name], title)
        sheet.merge_range(1, 0, 1, last_col, FILLER_LINE, filler)
        sheet.write_row(2, 0, ITEM_HEADER, header)
        sheet.freeze_panes(3, 0)
        first = 3
        for offset, item in enumerate(rows):
            values = (
                offset + 1,
                item.department,
                item.code,
                item.name,
                item.sub_name,
                sheet_name,
                item.legal_basis,
                item.statutory_text,
                item.original_text,
                item.after_text,
                item.fee,
                item.fee_basis,
                "、".join(item.materials),
                item.visits,
                item.visits_after,
                item.decision_text,
                item.remarks,
            )
            for col, value in enumerate(values):
                if value == "":
                    sheet.write_blank(first + offset, col, None, cell)
                else:
                    sheet.write(first + offset, col, value, cell)
        # 实施部门 over each department's rows; 事项名称 over the rows of one item's sub-items
        for column, key in (
            (1, lambda it: it.department),
            (3, lambda it: (it.department, it.name) if it.has_sub else None),
        ):
            for start, end in _runs(rows, key):
                if end > start:
                    text = rows[start].department if column == 1 else rows[start].name
                    sheet.merge_range(first + start, column, first + end, column, text, merged)
        total_row = first + len(rows)
        retained = sum(1 for it in rows if it.decision == RETAINED)
        sheet.write(total_row, 0, "合计", header)
        sheet.write(total_row, 3, f"共{len(rows)}项", header)
        summary = f"保留{retained}项，精简{len(rows) - retained}项"
        sheet.write(total_row, ITEM_HEADER.index("处理意见"), summary, header)
    book.close()


def _runs(rows: list[Item], key: Callable[[Item], object]) -> list[tuple[int, int]]:
    """(first, last) of each run of consecutive rows sharing a key; a None key forms no run."""
    runs = []
    start = 0
    for i in range(1, len(rows) + 1):
        if i == len(rows) or key(rows[i]) != key(rows[start]) or key(rows[start]) is None:
            if key(rows[start]) is not None:
                runs.append((start, i - 1))
            start = i
    return runs


def submitted_steps(steps: Sequence[Step], no_after: Collection[str] = NO_AFTER_DEPARTMENTS) -> list[Step]:
    """The steps the departments sent: no 再造后 process from the departments in ``no_after``.

    >>> police, water = Item(LICENSING, "市公安局", "甲"), Item(LICENSING, "市水利局", "乙")
    >>> pairs = [(i, v) for i in (police, water) for v in ("再造前", "再造后")]
    >>> drawn = [replace(_bare(1, 1, ()), item=i, version=v) for i, v in pairs]
    >>> [(s.item.department, s.version) for s in submitted_steps(drawn, {"市公安局"})]
    [('市公安局', '再造前'), ('市水利局', '再造前'), ('市水利局', '再造后')]
    """
    return [s for s in steps if s.version != "再造后" or s.item.department not in no_after]


def _write_steps(path: Path, sample: Sample) -> None:
    book = _book(path, "示例市保留事项办理环节（合成数据）")
    title = book.add_format({"bold": True, "font_size": 14, "align": "center", "valign": "vcenter"})
    header = book.add_format(
        {
            "bold": True,
            "align": "center",
            "valign": "vcenter",
            "text_wrap": True,
            "border": 1,
            "bg_color": "#E2EFDA",
        }
    )
    cell = book.add_format({"valign": "vcenter", "text_wrap": True, "border": 1})
    sheet = book.add_worksheet(STEPS_SHEET)
    for col, width in enumerate((20, 30, 20, 10, 8, 12, 16, 12, 12, 10, 36, 8)):
        sheet.set_column(col, col, width)
    sheet.merge_range(0, 0, 0, len(STEP_HEADER) - 1, STEPS_TITLE, title)
    sheet.write_row(1, 0, STEP_HEADER, header)
    sheet.freeze_panes(2, 0)
    for r, step in enumerate(submitted_steps(sample.steps), start=2):
        values = (
            step.item.code,
            step.item.step_name,
            step.item.department,
            step.version,
            step.no,
            step.name,
            step.office,
            step.person,
            step.text,
            step.written_preds,
            step.materials,
            step.counted_text,
        )
        for col, value in enumerate(values):
            if value == "":
                sheet.write_blank(r, col, None, cell)
            else:
                sheet.write(r, col, value, cell)
    book.close()


def main(argv: Sequence[str] | None = None) -> int:
    """Command line: write the sample into ``--out`` (default data/sample)."""
    parser = argparse.ArgumentParser(description="生成合成示例数据（示例市行政审批事项清理）")
    parser.add_argument("--out", type=Path, default=SAMPLE_DIR, help="输出目录（默认 data/sample）")
    parser.add_argument("--seed", type=int, default=SEED, help=f"随机种子（默认 {SEED}）")
    args = parser.parse_args(argv)
    for path in write_sample(args.out, args.seed):
        print(f"已生成：{path}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
