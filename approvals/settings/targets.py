"""Targets (data/targets.toml): the minimum 精简率 and 缩短率 per list, with a default."""

from __future__ import annotations

import tomllib
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from approvals.model import DATA_DIR
from approvals.text import fold

TARGETS_PATH = DATA_DIR / "targets.toml"


def _rate_targets(section: Mapping[str, Any], name: str) -> tuple[float | None, dict[str, float]]:
    def checked(value: Any, where: str) -> float:
        if isinstance(value, bool) or not isinstance(value, int | float) or not 0 <= value <= 1:
            raise ValueError(f"目标表中“{where}”应为 0 到 1 之间的小数（0.30 即 30%），实为 {value!r}")
        return float(value)

    default = section.get("default")
    by_category = section.get("by_category", {})
    return (
        None if default is None else checked(default, f"{name}.default"),
        {str(k): checked(v, f"{name}.by_category.{k}") for k, v in by_category.items()},
    )


@dataclass(frozen=True)
class Targets:
    """Minimum rates to meet, per list (category) with a default; None means no target.

    The default applies to lists without a target of their own, to departments and overall.
    The values themselves live in data/targets.toml (:meth:`load`); ``Targets()`` sets none.

    >>> targets = Targets(streamlining={"行政许可": 0.5}, streamlining_default=0.3)
    >>> targets.streamlining_for("行政许可"), targets.streamlining_for("其他"), targets.shortening_for()
    (0.5, 0.3, None)
    """

    streamlining: Mapping[str, float] = field(default_factory=dict)
    streamlining_default: float | None = None
    shortening: Mapping[str, float] = field(default_factory=dict)
    shortening_default: float | None = None

    @classmethod
    def load(cls, path: Path | None = None) -> Targets:
        """Targets from a TOML file (default data/targets.toml, the province's "三个30%")."""
        with open(path or TARGETS_PATH, "rb") as handle:
            data = tomllib.load(handle)
        s_default, s_by = _rate_targets(data.get("streamlining", {}), "streamlining")
        t_default, t_by = _rate_targets(data.get("shortening", {}), "shortening")
        return cls(dict(s_by), s_default, dict(t_by), t_default)

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
