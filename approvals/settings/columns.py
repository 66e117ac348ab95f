"""columns.toml compiled: the fields of each sheet kind and the ways departments write their headers."""

from __future__ import annotations

import re
from dataclasses import dataclass

from approvals.settings.values import Section
from approvals.text import fold

SHEET_FIELDS = ("items", "steps")
REQUIRED_FIELDS = {"items": ("name",), "steps": ("step_name",)}
WORD_LISTS = (
    "summary", "department_labels", "yes", "no",
    "department_suffixes", "name_markers", "national_category_codes",
)  # fmt: skip


@dataclass(frozen=True)
class Field:
    """One canonical field of a sheet kind and the ways its header is written."""

    key: str
    label: str
    aliases: frozenset[str]
    patterns: tuple[re.Pattern[str], ...]


@dataclass(frozen=True)
class Vocabulary:
    """Everything columns.toml says: fields per sheet kind, categories, versions, words."""

    fields: dict[str, tuple[Field, ...]]  # "items" / "steps" → fields in priority order
    categories: dict[str, str]  # folded alias → category name
    versions: dict[str, str]  # folded alias → "before" / "after"
    words: dict[str, tuple[str, ...]]
    levels: dict[str, str]  # folded alias or code → 国家级 / 省级 / 市级 / 县级 / 乡级

    def label(self, kind: str, key: str) -> str:
        """The Chinese label of a field, e.g. ``label("items", "name") == "事项名称"``."""
        for f in self.fields[kind]:
            if f.key == key:
                return f.label
        return key


def header_key(text: str) -> str:
    """A header as it is compared with the aliases: folded, Latin letters in lower case (a
    platform's export writes TASK_NAME or task_name).

    >>> header_key("TASK_NAME"), header_key("事项\\n名称")
    ('task_name', '事项名称')
    """
    return fold(text).lower()


def vocabulary_from(section: Section) -> Vocabulary:
    """The column vocabulary from the data of columns.toml, every value checked."""
    section.only(*SHEET_FIELDS, "categories", "versions", "words", "levels")
    fields = {}
    for kind in SHEET_FIELDS:
        table = section.table(kind)
        compiled = []
        for key, _ in table.items():
            spec = table.table(key).only("label", "aliases", "patterns")
            compiled.append(
                Field(
                    key=key,
                    label=spec.string("label", key, empty=False),
                    aliases=frozenset(header_key(a) for a in spec.strings("aliases", [])),
                    patterns=tuple(
                        spec.regex(f"patterns[{n}]", p)
                        for n, p in enumerate(spec.strings("patterns", []), start=1)
                    ),
                )
            )
        for required in REQUIRED_FIELDS[kind]:
            if required not in {f.key for f in compiled}:
                raise table.error(required, None, "缺少这个字段：没有它无法识别表格")
        fields[kind] = tuple(compiled)
    categories_table = section.table("categories")
    categories = {
        fold(alias): name
        for name, _ in categories_table.items()
        for alias in [name, *categories_table.strings(name)]
    }
    versions_table = section.table("versions")
    versions: dict[str, str] = {}
    for version, _ in versions_table.items():
        if version not in ("before", "after"):
            raise versions_table.error(version, version, "流程版本只能是 before（再造前）或 after（再造后）")
        versions |= {fold(alias): version for alias in versions_table.strings(version)}
    words_table = section.table("words").only(*WORD_LISTS)
    words = {key: words_table.strings(key) for key in WORD_LISTS}
    levels_table = section.table("levels")
    levels = {
        fold(alias): name for name, _ in levels_table.items() for alias in [name, *levels_table.strings(name)]
    }
    return Vocabulary(fields, categories, versions, words, levels)
