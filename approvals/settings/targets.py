"""Targets (targets.toml): the minimum 精简率 and 缩短率 per list, with a default."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from approvals.settings.values import Section
from approvals.text import fold

RATES = ("streamlining", "shortening")


@dataclass(frozen=True)
class Targets:
    """Minimum rates to meet, per list (category) with a default; None means no target.

    The default applies to lists without a target of their own, to departments and overall.
    The bundled targets.toml holds the province's "三个30%"; ``Targets()`` sets none.

    >>> targets = Targets(streamlining={"行政许可": 0.5}, streamlining_default=0.3)
    >>> targets.streamlining_for("行政许可"), targets.streamlining_for("其他"), targets.shortening_for()
    (0.5, 0.3, None)
    """

    streamlining: Mapping[str, float] = field(default_factory=dict)
    streamlining_default: float | None = None
    shortening: Mapping[str, float] = field(default_factory=dict)
    shortening_default: float | None = None

    @staticmethod
    def _lookup(table: Mapping[str, float], default: float | None, category: str | None) -> float | None:
        if category:
            folded = {fold(k): v for k, v in table.items()}
            return folded.get(fold(category), default)
        return default

    def streamlining_for(self, category: str | None = None) -> float | None:
        """The 精简率 target for a list, or the default."""
        return self._lookup(self.streamlining, self.streamlining_default, category)

    def shortening_for(self, category: str | None = None) -> float | None:
        """The 缩短率 target for a list, or the default."""
        return self._lookup(self.shortening, self.shortening_default, category)

    def data(self) -> dict[str, Any]:
        """The targets as the data of a targets.toml (what a clean-up round stores).

        >>> Targets(streamlining_default=0.3).data()
        {'streamlining': {'default': 0.3, 'by_category': {}}, 'shortening': {'by_category': {}}}
        """
        out: dict[str, Any] = {}
        for rate in RATES:
            default = getattr(self, f"{rate}_default")
            section: dict[str, Any] = {} if default is None else {"default": default}
            out[rate] = section | {"by_category": dict(getattr(self, rate))}
        return out


RATE_HINT = "应为 0 到 1 之间的小数（0.30 即 30%）"


def _rate(section: Section, name: str) -> float:
    value = section.number(name)
    if not 0 <= value <= 1:
        raise section.error(name, section.get(name), RATE_HINT)
    return value


def targets_from(section: Section) -> Targets:
    """The targets from the data of targets.toml; each rate a fraction from 0 to 1."""
    section.only(*RATES)
    values: dict[str, Any] = {}
    for rate in RATES:
        table = section.table(rate, {}).only("default", "by_category")
        by = table.table("by_category", {})
        values[f"{rate}_default"] = _rate(table, "default") if table.has("default") else None
        values[rate] = {str(k): _rate(by, k) for k, _ in by.items()}
    return Targets(**values)
