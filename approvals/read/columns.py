"""Header text → canonical field, by the alias families of the column settings (columns.toml).

Departments name the same column many ways ("审批事项名称", "事项\\n名称", "承诺办结时限（清理后）");
the table of names is data an analyst can read and extend, and the mapping chosen is reported.
"""

from __future__ import annotations

import re

from approvals.settings.columns import Vocabulary
from approvals.text import fold

_TRAILING_BRACKET = re.compile(r"\([^()]*\)$")


def match_field(header: str, kind: str, vocab: Vocabulary) -> str | None:
    """The field a header names in a sheet of ``kind``, or None.

    Exact aliases first, then patterns in field order, then the header without a trailing
    bracketed remark.

    >>> v = settings.columns
    >>> match_field("承诺办结时限（清理后）", "items", v), match_field("审批事项\\n名称", "items", v)
    ('committed', 'name')
    >>> match_field("事项名称（全称）", "items", v), match_field("联系电话", "items", v) is None
    ('name', True)
    """
    folded = fold(header)
    if not folded:
        return None
    fields = vocab.fields[kind]
    for f in fields:
        if folded in f.aliases:
            return f.key
    for f in fields:
        if any(p.search(folded) for p in f.patterns):
            return f.key
    stripped = _TRAILING_BRACKET.sub("", folded)
    if stripped != folded:
        for f in fields:
            if stripped in f.aliases:
                return f.key
    return None


def map_headers(headers: list[str], kind: str, vocab: Vocabulary) -> list[str | None]:
    """The field of each header; a field claimed twice keeps its first column only.

    An unqualified committed limit ("承诺办结时限") is the new commitment unless another column
    already is, in which case it is the original one (DOMAIN.md).

    >>> map_headers(["事项名称", "法定时限", "承诺时限"], "items", settings.columns)
    ['name', 'statutory', 'committed']
    >>> map_headers(["事项名称", "承诺时限", "清理后承诺时限"], "items", settings.columns)
    ['name', 'original', 'committed']
    """
    fields = [match_field(h, kind, vocab) for h in headers]
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
