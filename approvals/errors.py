"""The errors a user can do something about, each with one Chinese message.

Everything the package raises on purpose is an :class:`ApprovalsError`: a file that cannot be
read at all (:class:`ReadError`), a settings file with a bad value (:class:`SettingsError`), an
option or argument that makes no sense (:class:`OptionError`). The command line turns these into
exit code 2 and their message; the app shows the message. Any other exception is a defect.
"""

from __future__ import annotations

import json


class ApprovalsError(Exception):
    """A problem the user can fix; ``str()`` is the Chinese message to show."""


class ReadError(ApprovalsError):
    """A file that cannot be read at all; the message names the file.

    >>> str(ReadError("甲.xlsx", "文件为空"))
    '文件“甲.xlsx”无法读取：文件为空'
    """

    def __init__(self, file: str, reason: str) -> None:
        self.file = file
        self.reason = reason
        super().__init__(f"文件“{file}”无法读取：{reason}")

    def __reduce__(self) -> tuple[type[ReadError], tuple[str, str]]:  # picklable for caches
        return (ReadError, (self.file, self.reason))


class SettingsError(ApprovalsError):
    """A settings file that cannot be used; the message names the file, the key and the value.

    >>> str(SettingsError("targets.toml", "streamlining.default", 3, "应为 0 到 1 之间的小数"))
    '设置文件“targets.toml”中“streamlining.default”的值“3”有误：应为 0 到 1 之间的小数'
    >>> str(SettingsError("redesign.toml", "approval.levels[2]", ["科长", 0], "层级应为正整数"))
    '设置文件“redesign.toml”中“approval.levels[2]”的值“["科长", 0]”有误：层级应为正整数'
    >>> str(SettingsError("targets.toml", "shortening", None, "缺少这一项"))
    '设置文件“targets.toml”中“shortening”有误：缺少这一项'
    >>> str(SettingsError("holidays.toml", "", None, "不是有效的 TOML 文件"))
    '设置文件“holidays.toml”有误：不是有效的 TOML 文件'
    """

    def __init__(self, file: str, key: str, value: object, reason: str) -> None:
        self.file, self.key, self.value, self.reason = file, key, value, reason
        if key and value is not None:
            message = f"设置文件“{file}”中“{key}”的值“{shown_value(value)}”有误：{reason}"
        elif key:
            message = f"设置文件“{file}”中“{key}”有误：{reason}"
        else:
            message = f"设置文件“{file}”有误：{reason}"
        super().__init__(message)

    def __reduce__(self) -> tuple[type[SettingsError], tuple[str, str, object, str]]:
        return (SettingsError, (self.file, self.key, self.value, self.reason))


def shown_value(value: object) -> str:
    """A settings value as the analyst wrote it in TOML: lists and tables in TOML's brackets.

    >>> shown_value("科长"), shown_value(["科长", 0]), shown_value(True), shown_value({"a": 1})
    ('科长', '["科长", 0]', 'true', '{"a": 1}')
    """
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, list | tuple | dict):
        return json.dumps(value, ensure_ascii=False, default=str)
    return str(value)


class OptionError(ApprovalsError):
    """An option, argument or choice that cannot be used; the message says which and why."""


class PermissionRefused(ApprovalsError):
    """A change asked for by someone who may only read the round.

    >>> str(PermissionRefused("李四", "清理批次“2026年市本级清理”"))
    '李四对清理批次“2026年市本级清理”只有查看权限，不能修改'
    """

    def __init__(self, user: str, scope: str) -> None:
        self.user, self.scope = user, scope
        super().__init__(f"{user}对{scope}只有查看权限，不能修改")

    def __reduce__(self) -> tuple[type[PermissionRefused], tuple[str, str]]:
        return (PermissionRefused, (self.user, self.scope))
