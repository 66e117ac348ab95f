"""data/redesign.toml compiled: step kinds, approval levels, thresholds, material words."""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

from approvals.model import DATA_DIR
from approvals.text import fold

RULES_FILE = DATA_DIR / "redesign.toml"


RULE_TITLES: dict[str, str] = {
    "repeated_review": "重复审查",
    "serial_reviews": "串联审查可改并联",
    "signoff_chain": "签批层级过多",
    "pass_through": "只流转不决定的环节",
    "no_step_basis": "环节无法定依据",
    "committed_above_statutory": "承诺时限超过法定时限",
    "path_over_limit": "流程用时超过办结时限",
    "repeated_material": "同一材料多环节重复要求",
    "shared_material": "可共享获取的材料",
    "outside_over_limit": "不计时环节长于办结时限",
    "no_speedup": "承诺时限未压缩",
    "instant": "可改为即办",
    "legal_basis": "设定依据层级不足",
    "merge_candidate": "可合并的相近事项",
}


@dataclass(frozen=True)
class Settings:
    """data/redesign.toml: step kinds, approval levels, thresholds, material words."""

    kinds: tuple[tuple[str, str, frozenset[str], tuple[str, ...]], ...]  # key, label, exact, contains
    levels: tuple[tuple[str, int], ...]
    thresholds: dict[str, Any]
    material_separators: re.Pattern[str]
    shared_materials: tuple[str, ...]

    def kind_of(self, name: str) -> str:
        """The kind of a step by its name ("other" when none matches).

        >>> settings().kind_of("合法性审查"), settings().kind_of("转办"), settings().kind_of("打印")
        ('review', 'passthrough', 'other')
        """
        folded = fold(name)
        for key, _, exact, _ in self.kinds:
            if folded in exact:
                return key
        for key, _, _, contains in self.kinds:
            if any(word in folded for word in contains):
                return key
        return "other"

    def level_of(self, who: str) -> int:
        """The approval level of a person or office (0 when unknown).

        >>> settings().level_of("分管副局长"), settings().level_of("副科长"), settings().level_of("局长")
        (3, 2, 4)
        """
        folded = fold(who)
        return next((level for word, level in self.levels if word in folded), 0)


@cache
def settings(path: Path = RULES_FILE) -> Settings:
    """The rule settings, read once per file."""
    raw = tomllib.loads(path.read_text(encoding="utf-8"))
    kinds = tuple(
        (k["key"], k["label"], frozenset(fold(w) for w in k.get("exact", [])),
         tuple(fold(w) for w in k.get("contains", [])))
        for k in raw["kind"]
    )  # fmt: skip
    return Settings(
        kinds=kinds,
        levels=tuple((fold(word), int(level)) for word, level in raw["approval"]["levels"]),
        thresholds=dict(raw["thresholds"]),
        material_separators=re.compile(raw["materials"]["separators"]),
        shared_materials=tuple(raw["materials"]["shared"]),
    )
