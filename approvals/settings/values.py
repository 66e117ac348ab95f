"""Reading one settings file's values with checks, so every bad value names its file, key and value.

A settings file is TOML an analyst edits by hand. :class:`Section` reads a table of it: each
accessor checks the type and range of one value and raises :class:`~approvals.errors.SettingsError`
with the dotted key ("thresholds.similarity", "rule[3].match") when it is wrong.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping
from typing import Any

from approvals.errors import SettingsError

_MISSING: Any = object()


class Section:
    """A table of a settings file, read with checks.

    >>> section = Section("similar.toml", {"thresholds": {"similarity": 90, "min_chars": "二"}})
    >>> section.table("thresholds").number("similarity", minimum=0, maximum=100)
    90.0
    >>> section.table("thresholds").integer("min_chars")
    Traceback (most recent call last):
    approvals.errors.SettingsError: 设置文件“similar.toml”中“thresholds.min_chars”的值“二”有误：应为整数
    """

    def __init__(self, file: str, data: Mapping[str, Any], path: str = "") -> None:
        self.file = file
        self.data = data
        self.path = path

    def key(self, name: str) -> str:
        """The dotted key of ``name`` in this table, as the messages name it."""
        return f"{self.path}.{name}" if self.path else name

    def error(self, name: str, value: object, reason: str) -> SettingsError:
        return SettingsError(self.file, self.key(name) if name else self.path, value, reason)

    def get(self, name: str, default: Any = _MISSING) -> Any:
        if name in self.data:
            return self.data[name]
        if default is _MISSING:
            raise self.error(name, None, "缺少这一项")
        return default

    def has(self, name: str) -> bool:
        return name in self.data

    def table(self, name: str, default: Any = _MISSING) -> Section:
        """A nested table; ``default`` (usually ``{}``) where it may be left out."""
        value = self.get(name, default)
        if not isinstance(value, Mapping):
            raise self.error(name, value, "应为一个小节（[名称] 下的若干项）")
        return Section(self.file, value, self.key(name))

    def tables(self, name: str) -> list[Section]:
        """An array of tables (``[[rule]]``), each addressed as ``name[n]`` (1-based)."""
        value = self.get(name, [])
        if not isinstance(value, list) or not all(isinstance(v, Mapping) for v in value):
            raise self.error(name, value, f"应为若干个 [[{name}]] 小节")
        return [Section(self.file, v, f"{self.key(name)}[{n}]") for n, v in enumerate(value, start=1)]

    def only(self, *names: str) -> Section:
        """This table, after checking it holds no key but ``names`` (a misspelt or outdated key
        would otherwise be ignored without a word)."""
        unknown = [k for k in self.data if k not in names]
        if unknown:
            raise self.error(unknown[0], None, f"无法识别的项（可用：{'、'.join(names)}）")
        return self

    def items(self) -> Iterator[tuple[str, Any]]:
        return iter(self.data.items())

    def string(self, name: str, default: Any = _MISSING, *, empty: bool = True) -> str:
        value = self.get(name, default)
        if not isinstance(value, str):
            raise self.error(name, value, "应为文字（加英文双引号）")
        if not empty and not value.strip():
            raise self.error(name, value, "不能为空")
        return value

    def strings(self, name: str, default: Any = _MISSING) -> tuple[str, ...]:
        value = self.get(name, default)
        if isinstance(value, str) or not isinstance(value, list | tuple):
            raise self.error(name, value, '应为方括号中的一组文字，如 ["甲", "乙"]')
        for item in value:
            if not isinstance(item, str):
                raise self.error(name, item, "列表中的每一项都应为文字")
        return tuple(value)

    def number(
        self,
        name: str,
        default: Any = _MISSING,
        *,
        minimum: float | None = None,
        maximum: float | None = None,
    ) -> float:
        value = self.get(name, default)
        if isinstance(value, bool) or not isinstance(value, int | float):
            raise self.error(name, value, "应为数字")
        if minimum is not None and value < minimum:
            raise self.error(name, value, f"不能小于 {minimum:g}")
        if maximum is not None and value > maximum:
            raise self.error(name, value, f"不能大于 {maximum:g}")
        return float(value)

    def integer(self, name: str, default: Any = _MISSING, *, minimum: int | None = None) -> int:
        value = self.get(name, default)
        if isinstance(value, bool) or not isinstance(value, int):
            raise self.error(name, value, "应为整数")
        if minimum is not None and value < minimum:
            raise self.error(name, value, f"不能小于 {minimum}")
        return int(value)

    def boolean(self, name: str, default: Any = _MISSING) -> bool:
        value = self.get(name, default)
        if not isinstance(value, bool):
            raise self.error(name, value, "应为 true 或 false")
        return value

    def regex(self, name: str, text: str | None = None) -> re.Pattern[str]:
        """The value (or ``text`` made from it) compiled as a regular expression."""
        pattern = self.string(name) if text is None else text
        try:
            return re.compile(pattern)
        except re.error as exc:
            raise self.error(name, pattern, f"正则表达式有误（{exc}）") from None

    def choice(self, name: str, choices: Mapping[str, Any] | tuple[str, ...], default: Any = _MISSING) -> str:
        value = self.string(name, default)
        if value not in choices:
            raise self.error(name, value, f"应为 {'、'.join(choices)} 之一")
        return value
