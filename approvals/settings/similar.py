"""data/similar.toml compiled: the generic words of item names and the thresholds of merge candidates."""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from approvals.model import DATA_DIR
from approvals.text import fold

SIMILAR_FILE = DATA_DIR / "similar.toml"


@dataclass(frozen=True)
class Similarity:
    """data/similar.toml: the generic words, the punctuation and the thresholds."""

    generic: re.Pattern[str]
    threshold: float
    contained_min_chars: int
    min_chars: int
    block_rows: int
    max_items: int

    def subject(self, name: str) -> str:
        """A name without its generic words and punctuation: what the item is about.

        >>> settings().subject("建筑工程施工许可证核发"), settings().subject("道路运输站（场）经营许可")
        ('建筑工程施工', '道路运输站场经营')
        """
        return self.generic.sub("", fold(name))


@cache
def settings(path: Path = SIMILAR_FILE) -> Similarity:
    """The merge-candidate settings, read once per file."""
    raw = tomllib.loads(path.read_text(encoding="utf-8"))
    words = sorted({fold(w) for w in raw["names"]["generic"] if w.strip()}, key=len, reverse=True)
    alternatives = [re.escape(w) for w in words] + [raw["names"]["punctuation"]]
    limits = raw["thresholds"]
    return Similarity(
        generic=re.compile("|".join(alternatives)),
        threshold=float(limits["similarity"]),
        contained_min_chars=int(limits["contained_min_chars"]),
        min_chars=int(limits["min_chars"]),
        block_rows=int(limits["block_rows"]),
        max_items=int(limits["max_items"]),
    )
