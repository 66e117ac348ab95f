"""Settings data written back as TOML, so an analyst can keep or pass on the settings in force
(a decision table edited on a screen, a round's targets) as a file the tools read again.

Only what settings files hold is written: tables, arrays of tables, strings, numbers, booleans,
dates and lists of these. Comments of the original file are not data and are not kept.
"""

from __future__ import annotations

import json
import math
import re
from collections.abc import Mapping, Sequence
from datetime import date, datetime, time
from typing import Any

_BARE_KEY = re.compile(r"[A-Za-z0-9_-]+")


def toml_text(data: Mapping[str, Any], comment: str = "") -> str:
    """``data`` as TOML text that :mod:`tomllib` reads back as the same data, after ``comment``
    (one ``#`` line per line of it).

    >>> print(toml_text({"title": "示例", "a": {"b": 1.5}, "rule": [{"pattern": "取消"}]}), end="")
    title = "示例"
    <BLANKLINE>
    [a]
    b = 1.5
    <BLANKLINE>
    [[rule]]
    pattern = "取消"
    """
    lines = [f"# {line}".rstrip() for line in comment.splitlines()]
    _write_table(lines, (), data)
    return "\n".join(lines).strip("\n") + "\n"


def _write_table(lines: list[str], path: tuple[str, ...], table: Mapping[str, Any]) -> None:
    for key, value in table.items():
        if not _is_table(value) and not _is_table_array(value):
            lines.append(f"{_key(key)} = {_value(value)}")
    for key, value in table.items():
        inner = (*path, str(key))
        if _is_table(value):
            lines += ["", f"[{'.'.join(_key(k) for k in inner)}]"]
            _write_table(lines, inner, value)
        elif _is_table_array(value):
            for element in value:
                lines += ["", f"[[{'.'.join(_key(k) for k in inner)}]]"]
                _write_table(lines, inner, element)


def _is_table(value: Any) -> bool:
    return isinstance(value, Mapping)


def _is_table_array(value: Any) -> bool:
    return isinstance(value, list) and bool(value) and all(isinstance(v, Mapping) for v in value)


def _key(key: Any) -> str:
    text = str(key)
    return text if _BARE_KEY.fullmatch(text) else _string(text)


def _string(text: str) -> str:
    # JSON's escapes are TOML's, except that TOML wants DEL escaped too.
    return json.dumps(text, ensure_ascii=False).replace("\x7f", "\\u007f")


def _value(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        if math.isnan(value):
            return "nan"
        if math.isinf(value):
            return "inf" if value > 0 else "-inf"
        return repr(value)
    if isinstance(value, str):
        return _string(value)
    if isinstance(value, datetime | date | time):
        return value.isoformat()
    if isinstance(value, Mapping):
        return "{" + ", ".join(f"{_key(k)} = {_value(v)}" for k, v in value.items()) + "}"
    if isinstance(value, Sequence):
        return "[" + ", ".join(_value(v) for v in value) + "]"
    raise TypeError(f"设置中不能写入 TOML 的值：{value!r}")
