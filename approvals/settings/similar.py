"""similar.toml compiled: the generic words of item names and the thresholds of merge candidates."""

from __future__ import annotations

import re
from dataclasses import dataclass

from approvals.settings.values import Section
from approvals.text import fold


@dataclass(frozen=True)
class Similarity:
    """The generic words, the punctuation and the thresholds of the merge-candidate search."""

    generic: re.Pattern[str]
    threshold: float
    contained_min_chars: int
    min_chars: int
    compared_chars: int  # only this many characters of a subject are compared (bounded time)
    block_rows: int
    max_items: int
    # a subject carried out by more departments than this is the same standard item in many
    # places (a province's counties), not two items of one government to merge
    max_departments: int = 5

    def subject(self, name: str) -> str:
        """A name without its generic words and punctuation: what the item is about.

        >>> similar = settings.similar
        >>> similar.subject("建筑工程施工许可证核发"), similar.subject("道路运输站（场）经营许可")
        ('建筑工程施工', '道路运输站场经营')
        """
        return self.generic.sub("", fold(name))


def similarity_from(section: Section) -> Similarity:
    """The merge-candidate settings from the data of similar.toml, every value checked."""
    section.only("names", "thresholds")
    names = section.table("names").only("generic", "punctuation")
    words = sorted({fold(w) for w in names.strings("generic") if w.strip()}, key=len, reverse=True)
    punctuation = names.string("punctuation")
    names.regex("punctuation")
    limits = section.table("thresholds").only(
        "similarity",
        "contained_min_chars",
        "min_chars",
        "compared_chars",
        "block_rows",
        "max_items",
        "max_departments",
    )
    return Similarity(
        generic=re.compile("|".join([re.escape(w) for w in words] + [punctuation])),
        threshold=limits.number("similarity", minimum=1, maximum=100),
        contained_min_chars=limits.integer("contained_min_chars", minimum=1),
        min_chars=limits.integer("min_chars", minimum=1),
        compared_chars=limits.integer("compared_chars", 200, minimum=10),
        block_rows=limits.integer("block_rows", minimum=1),
        max_items=limits.integer("max_items", minimum=2),
        max_departments=limits.integer("max_departments", 5, minimum=2),
    )
