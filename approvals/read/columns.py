"""Header text → canonical field, by the alias families of the column settings (columns.toml).

Departments name the same column many ways ("审批事项名称", "事项\\n名称", "承诺办结时限（清理后）");
the table of names is data an analyst can read and extend, and the mapping chosen is reported.
"""

from __future__ import annotations

import re
from difflib import SequenceMatcher

from approvals.settings.columns import Vocabulary, header_key
from approvals.text import fold

_TRAILING_BRACKET = re.compile(r"\([^()]*\)$")


def match_field(header: str, kind: str, vocab: Vocabulary) -> str | None:
    """The field a header names in a sheet of ``kind``, or None (the first of
    :func:`field_candidates`).

    >>> v = settings.columns
    >>> match_field("承诺办结时限（清理后）", "items", v), match_field("审批事项\\n名称", "items", v)
    ('committed', 'name')
    >>> match_field("事项名称（全称）", "items", v), match_field("联系电话", "items", v) is None
    ('name', True)
    >>> match_field("TASK_NAME", "items", v), match_field("拟确定的审批时限", "items", v)
    ('name', 'committed')
    """
    candidates = field_candidates(header, kind, vocab)
    return candidates[0] if candidates else None


def field_candidates(header: str, kind: str, vocab: Vocabulary) -> list[str]:
    """Every field a header may name, in the order of the column settings: exact aliases
    first, else the first pattern that matches, else the aliases of the header without a
    trailing bracketed remark.

    >>> field_candidates("步骤", "steps", settings.columns)
    ['step_name', 'step_no']
    """
    folded = header_key(header)
    if not folded:
        return []
    fields = vocab.fields[kind]
    exact = [f.key for f in fields if folded in f.aliases]
    if exact:
        return exact
    for f in fields:
        if any(p.search(folded) for p in f.patterns):
            return [f.key]
    stripped = _TRAILING_BRACKET.sub("", folded)
    if stripped != folded:
        return [f.key for f in fields if stripped in f.aliases]
    return []


def map_headers(headers: list[str], kind: str, vocab: Vocabulary) -> list[str | None]:
    """The field of each header; a field claimed twice keeps its first column only.

    A header that may name several fields (环节表的“步骤”) takes the first of them that no
    header naming one field only has claimed. An unqualified committed limit ("承诺办结时限")
    is the new commitment unless another column already is, in which case it is the original
    one (DOMAIN.md).

    >>> map_headers(["事项名称", "法定时限", "承诺时限"], "items", settings.columns)
    ['name', 'statutory', 'committed']
    >>> map_headers(["事项名称", "承诺时限", "清理后承诺时限"], "items", settings.columns)
    ['name', 'original', 'committed']
    >>> map_headers(["步骤", "步骤名称"], "steps", settings.columns)
    ['step_no', 'step_name']
    >>> map_headers(["步骤", "所需时限"], "steps", settings.columns)
    ['step_name', 'limit']
    """
    candidates = [field_candidates(h, kind, vocab) for h in headers]
    sure = {c[0] for c in candidates if len(c) == 1}
    fields: list[str | None] = []
    for c in candidates:
        if len(c) > 1:
            free = [f for f in c if f not in sure]
            fields.append(free[0] if free else c[0])
        else:
            fields.append(c[0] if c else None)
    if "commitment" in fields:
        target = "original" if "committed" in fields else "committed"
        if target in fields:
            target = "original" if target == "committed" else "committed"
        fields = [target if f == "commitment" else f for f in fields]
    seen: set[str] = set()
    out: list[str | None] = []
    for f in fields:
        if f is not None and f in seen:
            out.append(None)
        else:
            out.append(f)
            if f is not None:
                seen.add(f)
    return out


def closest_field(header: str, vocab: Vocabulary, cutoff: float = 0.5) -> str | None:
    """The label of the known field whose alias is most like ``header`` (items first, then
    steps), or None when none is at least ``cutoff`` alike: a hint for a header no alias names.

    >>> closest_field("审批项目名", settings.columns), closest_field("联系电话", settings.columns) is None
    ('事项名称', True)
    """
    key = header_key(header)
    if not key:
        return None
    best: tuple[float, str] | None = None
    for kind in ("items", "steps"):
        for f in vocab.fields[kind]:
            for alias in f.aliases:
                ratio = SequenceMatcher(None, key, alias).ratio()
                if ratio >= cutoff and (best is None or ratio > best[0]):
                    best = (ratio, f.label)
    return best[1] if best else None


def category_of(text: str, vocab: Vocabulary) -> str | None:
    """The list (清单) a category cell, sheet name or title names; the longest alias wins.

    >>> v = settings.columns
    >>> category_of("01", v), category_of("非行政许可审批事项清理表", v), category_of("行政许可", v)
    ('行政许可', '非行政许可审批', '行政许可')
    >>> category_of("说明", v) is None
    True
    """
    folded = fold(text)
    if not folded:
        return None
    if folded in vocab.categories:
        return vocab.categories[folded]
    best: tuple[int, str] | None = None
    for alias, name in vocab.categories.items():
        if (
            len(alias) >= 2
            and not alias.isdigit()
            and alias in folded
            and (best is None or len(alias) > best[0])
        ):
            best = (len(alias), name)
    return best[1] if best else None
