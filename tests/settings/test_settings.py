"""Settings: the bundled files load; a bad value in any file is an error naming the file, the key and
the value; a folder of the analyst's own replaces files one by one; variations and round trips keep
equality by content."""

from __future__ import annotations

import copy
import re
import tomllib
from datetime import date
from pathlib import Path
from typing import Any

import pandas as pd
import pytest
from sample import SETTINGS

from approvals.errors import OptionError, SettingsError
from approvals.settings import (
    DEFAULTS_DIR,
    SETTINGS_ENV,
    SETTINGS_FILES,
    Settings,
    load_settings,
    settings_from,
    settings_from_json,
)
from approvals.settings.export import LIST_KEYS
from approvals.settings.legal import NONE, UNKNOWN
from approvals.settings.redesign import RULE_THRESHOLDS
from approvals.settings.targets import Targets

DELETE: Any = object()  # as a new value: the key is taken out of its table
_PART = re.compile(r"^(?P<name>[^\[\]]+)(?:\[(?P<index>\d+)\])?$")


def changed(file: str, path: str, value: Any) -> dict[str, Any]:
    """The bundled data of ``file`` with the value at ``path`` set (or deleted).

    ``path`` is written like the keys of the messages: dotted names, ``[n]`` (1-based) for an entry
    of an array, e.g. ``"rule[7].pattern"`` or ``"approval.levels[2]"``.
    """
    data = copy.deepcopy(dict(SETTINGS.data[file]))
    steps: list[str | int] = []
    for part in path.split("."):
        found = _PART.match(part)
        assert found, part
        steps.append(found["name"])
        if found["index"]:
            steps.append(int(found["index"]) - 1)
    parent: Any = data
    for step in steps[:-1]:
        parent = parent[step]
    if value is DELETE:
        del parent[steps[-1]]
    else:
        parent[steps[-1]] = value
    return data


def shown(value: Any) -> str:
    """A value as a message writes it: lists in brackets with their items quoted."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, list):
        return "[" + ", ".join(f'"{v}"' if isinstance(v, str) else str(v) for v in value) + "]"
    return str(value)


def toml_text(data: dict[str, Any]) -> str:
    """Data as TOML (enough of it for these tests: tables, arrays of tables, lists, scalars)."""

    def scalar(value: Any) -> str:
        if isinstance(value, bool):
            return "true" if value else "false"
        if isinstance(value, int | float | date):
            return value.isoformat() if isinstance(value, date) else repr(value)
        if isinstance(value, str):
            return '"' + value.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n") + '"'
        if isinstance(value, list):
            return "[" + ", ".join(scalar(v) for v in value) + "]"
        if isinstance(value, dict):
            return "{" + ", ".join(f"{quoted(k)} = {scalar(v)}" for k, v in value.items()) + "}"
        raise TypeError(value)

    def quoted(key: str) -> str:
        return key if re.fullmatch(r"[A-Za-z0-9_-]+", key) else scalar(key)

    lines: list[str] = []

    def table(prefix: str, values: dict[str, Any]) -> None:
        plain = {k: v for k, v in values.items() if not _is_table(v) and not _is_tables(v)}
        if prefix:
            lines.append(f"[{prefix}]")
        lines.extend(f"{quoted(k)} = {scalar(v)}" for k, v in plain.items())
        for k, v in values.items():
            name = f"{prefix}.{quoted(k)}" if prefix else quoted(k)
            if _is_table(v):
                table(name, v)
            elif _is_tables(v):
                for entry in v:
                    lines.append(f"[[{name}]]")
                    lines.extend(f"{quoted(a)} = {scalar(b)}" for a, b in entry.items())

    table("", data)
    return "\n".join(lines) + "\n"


def _is_table(value: Any) -> bool:
    return isinstance(value, dict)


def _is_tables(value: Any) -> bool:
    return isinstance(value, list) and bool(value) and all(isinstance(v, dict) for v in value)


@pytest.fixture(autouse=True)
def _no_settings_folder_of_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv(SETTINGS_ENV, raising=False)


# --------------------------------------------------------------------------- the bundled files


def test_every_bundled_settings_file_ships_with_the_package_and_loads() -> None:
    assert sorted(p.name for p in DEFAULTS_DIR.glob("*.toml")) == sorted(SETTINGS_FILES)
    settings = load_settings(year=2026)
    assert settings.year == 2026
    assert set(settings.data) == set(SETTINGS_FILES)
    assert {f.key for f in settings.columns.fields["items"]} >= {"code", "name", "decision", "statutory"}
    assert {f.key for f in settings.columns.fields["steps"]} >= {"step_name", "step_no", "limit"}
    assert settings.decisions.table.columns.tolist() == ["pattern", "match", "decision", "note"]
    assert len(settings.decisions.table) == len(settings.data["decisions.toml"]["rule"])
    assert settings.limits.hours_per_day == 8
    assert settings.calendar.year_source(2026) == "official"
    assert settings.targets.streamlining_for("行政许可") == 0.3
    assert settings.targets.shortening_for() == 0.3
    assert set(settings.redesign.rules) == set(RULE_THRESHOLDS)
    assert settings.redesign.rules["serial_reviews"]["min_steps"] == 2
    assert {UNKNOWN, NONE} <= set(settings.legal.keys)
    assert settings.similar.threshold == 90
    assert tuple(settings.export.lists) == LIST_KEYS


def test_the_year_defaults_to_this_year() -> None:
    assert load_settings().year == date.today().year


# --------------------------------------------------------------------------- bad values, file by file

# (path to change, new value, the key the error names, the value it names)
BAD_VALUES: dict[str, list[tuple[str, Any, str, Any]]] = {
    "columns.toml": [
        ("items.name.aliases", "事项名称", "items.name.aliases", "事项名称"),
        ("items.name.aliases", ["事项名称", 3], "items.name.aliases", 3),
        ("items.code.patterns", ["(未闭合"], "items.code.patterns[1]", "(未闭合"),
        ("items.name.label", "  ", "items.name.label", "  "),
        ("items.name", DELETE, "items.name", None),
        ("steps.step_name", DELETE, "steps.step_name", None),
        ("steps", DELETE, "steps", None),
        ("items.code", "事项编码", "items.code", "事项编码"),
        ("versions.middle", ["中间"], "versions.middle", "middle"),
        ("categories.行政许可", "01", "categories.行政许可", "01"),
        ("words.summary", "合计", "words.summary", "合计"),
        ("words.yes", DELETE, "words.yes", None),
    ],
    "decisions.toml": [
        ("rule[3].decision", "kept", "rule[3].decision", "kept"),
        ("rule[1].match", "fuzzy", "rule[1].match", "fuzzy"),
        ("rule[7].pattern", "不(再", "rule[7].pattern", "不(再"),
        ("rule[2].pattern", " ", "rule[2].pattern", " "),
        ("rule[2].pattern", 5, "rule[2].pattern", 5),
        ("rule[4].decision", DELETE, "rule[4].decision", None),
        ("rule[1].examples", "保留", "rule[1].examples", "保留"),
        ("rule", "保留", "rule", "保留"),
    ],
    "limits.toml": [
        ("hours_per_day", 25, "hours_per_day", 25),
        ("hours_per_day", 0, "hours_per_day", 0),
        ("hours_per_day", "8", "hours_per_day", "8"),
        ("bare_number", "周", "bare_number", "周"),
        ("text_units.日", "周", "text_units.日", "周"),
        ("column_units", ["日"], "column_units", ["日"]),
        ("phrases", DELETE, "phrases", None),
        ("phrases.immediate", "即办", "phrases.immediate", "即办"),
        ("phrases.none_marks", 1, "phrases.none_marks", 1),
        ("excluded.kinds", DELETE, "excluded.kinds", None),
    ],
    "holidays.toml": [
        ("2031", {"holidays": [date(2031, 5, 1)], "workdays": [date(2031, 5, 1)]}, "", None),
        ("abc", {"holidays": []}, "abc", "abc"),
        ("2031", {"holiday": [date(2031, 5, 1)]}, "2031.holiday", "holiday"),
        ("2031", {"holidays": ["五月一日"]}, "2031.holidays", "五月一日"),
        ("2031", {"holidays": date(2031, 5, 1)}, "2031.holidays", date(2031, 5, 1)),
        (
            "2031",
            {"holidays": [{"from": date(2031, 5, 5), "to": date(2031, 5, 1)}]},
            "2031.holidays",
            "2031-05-05 至 2031-05-01",
        ),
    ],
    "targets.toml": [
        ("streamlining.default", 30, "streamlining.default", 30),
        ("streamlining.default", -0.1, "streamlining.default", -0.1),
        ("shortening.default", True, "shortening.default", True),
        ("streamlining.by_category.行政许可", "30%", "streamlining.by_category.行政许可", "30%"),
        ("shortening.by_category.投资项目审批", 1.5, "shortening.by_category.投资项目审批", 1.5),
        ("shortening", 0.3, "shortening", 0.3),
    ],
    "redesign.toml": [
        ("rules.serial_reviews.min_steps", 0, "rules.serial_reviews.min_steps", 0),
        ("rules.serial_reviews.min_steps", 2.5, "rules.serial_reviews.min_steps", 2.5),
        ("rules.signoff_chain.kinds", ["approve", "sign"], "rules.signoff_chain.kinds", "sign"),
        ("rules.signoff_chain.keep_levels", DELETE, "rules.signoff_chain.keep_levels", None),
        ("rules.pass_through.min_days", -1, "rules.pass_through.min_days", -1),
        ("rules.pass_through.max_days", 5, "rules.pass_through.max_days", 5),
        ("rules.no_such_rule", {"title": "无此规则"}, "rules.no_such_rule", "no_such_rule"),
        ("rules.instant", DELETE, "rules.instant", None),
        ("rules.instant.title", "", "rules.instant.title", ""),
        ("rules", DELETE, "rules", None),
        ("approval.levels[2]", ["科长", 0], "approval.levels[2]", ["科长", 0]),
        ("approval.levels[3]", "股长", "approval.levels[3]", "股长"),
        ("approval.levels", 3, "approval.levels", 3),
        ("approval.levels", "科长", "approval.levels", "科长"),
        ("approval.levels", DELETE, "approval.levels", None),
        ("kind[1].key", "", "kind[1].key", ""),
        ("kind[2].exact", "登记", "kind[2].exact", "登记"),
        ("materials.separators", "[、", "materials.separators", "[、"),
        ("materials", DELETE, "materials", None),
    ],
    "legal_tiers.toml": [
        ("rule[1].tier", "constitution", "rule[1].tier", "constitution"),
        ("rule[1].pattern", "纪要(", "rule[1].pattern", "纪要("),
        ("rule[2].pattern", DELETE, "rule[2].pattern", None),
        ("tier[10].key", "unclear", "tier", UNKNOWN),
        ("tier[1].may_set", "yes", "tier[1].may_set", "yes"),
        ("tier[1].label", "", "tier[1].label", ""),
        ("parts.place", 1, "parts.place", 1),
        ("empty.words", "无", "empty.words", "无"),
        ("tier", DELETE, "tier", UNKNOWN),
    ],
    "similar.toml": [
        ("thresholds.similarity", 150, "thresholds.similarity", 150),
        ("thresholds.similarity", 0, "thresholds.similarity", 0),
        ("thresholds.min_chars", "二", "thresholds.min_chars", "二"),
        ("thresholds.max_items", 1, "thresholds.max_items", 1),
        ("thresholds.block_rows", DELETE, "thresholds.block_rows", None),
        ("names.punctuation", "[、，", "names.punctuation", "[、，"),
        ("names.generic", "许可", "names.generic", "许可"),
        ("thresholds", DELETE, "thresholds", None),
    ],
    "export.toml": [
        ("columns.name.width", 300, "columns.name.width", 300),
        ("columns.name.width_cm", "3厘米", "columns.name.width_cm", "3厘米"),
        ("columns.name.align", "right", "columns.name.align", "right"),
        ("columns.name.wrap", "yes", "columns.name.wrap", "yes"),
        ("columns.extra", DELETE, "columns.extra", None),
        ("lists.retained", ["number", "no_such_column"], "lists.retained", "no_such_column"),
        ("fonts.title.size", 100, "fonts.title.size", 100),
        ("fonts.body", DELETE, "fonts.body", None),
        ("titles.retained", "", "titles.retained", ""),
        ("page.margin_top_cm", -1, "page.margin_top_cm", -1),
        ("page", DELETE, "page", None),
    ],
}
CASES = [
    pytest.param(
        file,
        path,
        value,
        key,
        named,
        id=f"{file}:{path}" + (" deleted" if value is DELETE else f"={value!r}"),
    )
    for file, cases in BAD_VALUES.items()
    for path, value, key, named in cases
]
FIRST_OF_EACH_FILE = [next(c for c in CASES if c.values[0] == file) for file in BAD_VALUES]


def test_every_settings_file_has_a_table_of_bad_values() -> None:
    assert set(BAD_VALUES) == set(SETTINGS_FILES)


@pytest.mark.parametrize(("file", "path", "value", "key", "named"), CASES)
def test_a_bad_value_is_a_settings_error_naming_the_file_the_key_and_the_value(
    file: str, path: str, value: Any, key: str, named: Any
) -> None:
    with pytest.raises(SettingsError) as raised:
        SETTINGS.replaced(file, changed(file, path, value))
    error = raised.value
    assert (error.file, error.key, error.value) == (file, key, named)
    assert error.reason
    message = str(error)
    if key and named is not None:
        assert message == f"设置文件“{file}”中“{key}”的值“{shown(named)}”有误：{error.reason}"
    elif key:
        assert message == f"设置文件“{file}”中“{key}”有误：{error.reason}"
    else:
        assert message == f"设置文件“{file}”有误：{error.reason}"


@pytest.mark.parametrize(("file", "path", "value", "key", "named"), FIRST_OF_EACH_FILE)
def test_a_bad_value_in_a_file_of_the_settings_folder_is_refused_when_loading(
    tmp_path: Path, file: str, path: str, value: Any, key: str, named: Any
) -> None:
    (tmp_path / file).write_text(toml_text(changed(file, path, value)), encoding="utf-8")
    with pytest.raises(SettingsError) as raised:
        load_settings(tmp_path, year=2026)
    assert (raised.value.file, raised.value.key) == (file, key)


def test_the_test_writer_of_toml_gives_back_the_bundled_data() -> None:
    for file in SETTINGS_FILES:
        assert tomllib.loads(toml_text(dict(SETTINGS.data[file]))) == SETTINGS.data[file], file


# --------------------------------------------------------------------------- the year


@pytest.mark.parametrize("year", [1999, 2101, "2026", 2026.0, True])
def test_a_year_that_is_no_calendar_year_of_the_tool_is_refused_naming_the_year(year: Any) -> None:
    with pytest.raises(OptionError) as raised:
        SETTINGS.with_year(year)
    assert f"“{year}”" in str(raised.value)
    assert "年度" in str(raised.value)


# --------------------------------------------------------------------------- folders and files


def test_a_settings_folder_replaces_the_bundled_files_file_by_file(tmp_path: Path) -> None:
    (tmp_path / "targets.toml").write_text("[streamlining]\ndefault = 0.5\n", encoding="utf-8")
    settings = load_settings(tmp_path, year=2026)
    assert settings.targets.streamlining_for("行政许可") == 0.5
    assert settings.targets.shortening_for() is None
    for file in SETTINGS_FILES:
        if file != "targets.toml":
            assert settings.data[file] == SETTINGS.data[file], file
    assert settings != SETTINGS


def test_the_environment_names_the_settings_folder(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    (tmp_path / "similar.toml").write_text(
        toml_text(changed("similar.toml", "thresholds.similarity", 80)), encoding="utf-8"
    )
    monkeypatch.setenv(SETTINGS_ENV, str(tmp_path))
    assert load_settings(year=2026).similar.threshold == 80
    other = tmp_path / "other"
    other.mkdir()
    assert load_settings(other, year=2026).similar.threshold == 90  # a folder given wins


def test_files_override_one_file_over_the_folder_and_the_bundled_ones(tmp_path: Path) -> None:
    folder = tmp_path / "own"
    folder.mkdir()
    (folder / "targets.toml").write_text("[streamlining]\ndefault = 0.5\n", encoding="utf-8")
    (folder / "limits.toml").write_text(
        toml_text(changed("limits.toml", "hours_per_day", 7.5)), encoding="utf-8"
    )
    given = tmp_path / "targets-2027.toml"
    given.write_text("[streamlining]\ndefault = 0.4\n", encoding="utf-8")
    settings = load_settings(folder, year=2026, files={"targets.toml": given})
    assert settings.targets.streamlining_for() == 0.4
    assert settings.limits.hours_per_day == 7.5  # the folder's
    assert settings.data["columns.toml"] == SETTINGS.data["columns.toml"]  # the bundled one
    alone = load_settings(year=2026, files={"targets.toml": given})
    assert alone.targets.streamlining_for() == 0.4
    assert alone.limits.hours_per_day == 8


def test_a_file_that_is_not_a_settings_file_is_refused_naming_it(tmp_path: Path) -> None:
    path = tmp_path / "rules.toml"
    path.write_text("", encoding="utf-8")
    with pytest.raises(SettingsError) as raised:
        load_settings(year=2026, files={"rules.toml": path})
    assert raised.value.file == "rules.toml"
    assert "“rules.toml”" in str(raised.value)
    with pytest.raises(SettingsError, match="不是设置文件"):
        SETTINGS.replaced("rules.toml", {})


def test_a_settings_folder_that_does_not_exist_is_refused(tmp_path: Path) -> None:
    with pytest.raises(SettingsError, match="设置文件夹不存在") as raised:
        load_settings(tmp_path / "missing", year=2026)
    assert raised.value.file == "missing"


@pytest.mark.parametrize(
    ("content", "complaint"),
    [
        (b"hours_per_day = \n", "不是有效的 TOML 文件"),
        ("[text_units\n工作日 = 工作日\n".encode(), "不是有效的 TOML 文件"),
        ("这不是设置".encode(), "不是有效的 TOML 文件"),
        ("hours_per_day = 8\n# 注释".encode("gbk"), "不是 UTF-8 编码"),
    ],
    ids=["no value", "unclosed table", "plain text", "gbk"],
)
def test_a_file_that_is_not_toml_is_a_settings_error_naming_it(
    tmp_path: Path, content: bytes, complaint: str
) -> None:
    (tmp_path / "limits.toml").write_bytes(content)
    with pytest.raises(SettingsError, match=complaint) as raised:
        load_settings(tmp_path, year=2026)
    assert (raised.value.file, raised.value.key) == ("limits.toml", "")
    assert str(raised.value).startswith("设置文件“limits.toml”有误：")


def test_a_file_written_with_a_byte_order_mark_is_read(tmp_path: Path) -> None:
    (tmp_path / "targets.toml").write_bytes("[streamlining]\ndefault = 0.45\n".encode("utf-8-sig"))
    assert load_settings(tmp_path, year=2026).targets.streamlining_for() == 0.45


def test_settings_missing_a_file_are_refused_naming_it() -> None:
    data = {f: d for f, d in SETTINGS.data.items() if f != "export.toml"}
    with pytest.raises(SettingsError) as raised:
        Settings(data, 2026)
    assert raised.value.file == "export.toml"


# --------------------------------------------------------------------------- variations, equality, digests


def other_decisions() -> pd.DataFrame:
    return pd.concat(
        [pd.DataFrame([{"pattern": "待研究", "match": "exact", "decision": "undecided", "note": "暂缓决定"}]),
         SETTINGS.decisions.table],
        ignore_index=True,
    )  # fmt: skip


def test_each_variation_gives_other_settings_with_another_digest() -> None:
    variations = {
        "year": SETTINGS.with_year(2025),
        "targets": SETTINGS.with_targets(Targets(streamlining_default=0.5)),
        "decisions": SETTINGS.with_decisions(other_decisions()),
        "file": SETTINGS.replaced("similar.toml", changed("similar.toml", "thresholds.similarity", 85)),
    }
    digests = {name: s.digest for name, s in variations.items()}
    assert len(set(digests.values())) == len(variations)
    for name, varied in variations.items():
        assert varied != SETTINGS, name
        assert varied.digest != SETTINGS.digest, name
    assert variations["year"].year == 2025
    assert variations["targets"].targets.streamlining_for("行政许可") == 0.5
    assert variations["decisions"].decisions.table["pattern"].iloc[0] == "待研究"
    assert variations["file"].similar.threshold == 85
    assert SETTINGS.year == 2026 and SETTINGS.similar.threshold == 90  # the original is untouched


def test_the_same_data_gives_equal_settings_with_equal_hashes() -> None:
    again = load_settings(year=2026)
    rebuilt = settings_from(SETTINGS.data, 2026)
    same_targets = SETTINGS.with_targets(SETTINGS.targets)
    same_decisions = SETTINGS.with_decisions(SETTINGS.decisions.table)
    same_file = SETTINGS.replaced("limits.toml", SETTINGS.data["limits.toml"])
    for equal in (again, rebuilt, SETTINGS.with_year(2026), same_file, same_targets):
        assert equal == SETTINGS
        assert hash(equal) == hash(SETTINGS)
        assert equal.digest == SETTINGS.digest
    assert same_decisions.decisions.table.equals(SETTINGS.decisions.table)
    assert same_decisions.with_decisions(same_decisions.decisions.table) == same_decisions
    assert len({SETTINGS, again, rebuilt}) == 1
    assert {SETTINGS: "cached"}[again] == "cached"
    assert SETTINGS.data != SETTINGS  # only settings equal settings


def test_targets_stored_and_read_back_are_the_same_targets() -> None:
    targets = Targets(streamlining={"行政许可": 0.4}, streamlining_default=0.3, shortening_default=0.25)
    settings = SETTINGS.with_targets(targets)
    assert settings.targets == targets
    assert settings.with_targets(targets) == settings


def test_decisions_edited_with_an_unusable_rule_are_refused_naming_the_rule() -> None:
    table = other_decisions()
    table.loc[1, "match"] = "fuzzy"
    with pytest.raises(SettingsError) as raised:
        SETTINGS.with_decisions(table)
    assert (raised.value.file, raised.value.key, raised.value.value) == (
        "decisions.toml",
        "rule[2].match",
        "fuzzy",
    )


def test_settings_keep_their_own_copy_of_the_data_they_were_given() -> None:
    data = changed("targets.toml", "streamlining.default", 0.4)
    settings = SETTINGS.replaced("targets.toml", data)
    digest = settings.digest
    data["streamlining"]["default"] = 0.9
    assert settings.data["targets.toml"]["streamlining"]["default"] == 0.4
    assert settings.targets.streamlining_for() == 0.4
    assert settings.digest == digest


def test_the_reading_digest_follows_only_what_reading_depends_on() -> None:
    reading = SETTINGS.reading_digest
    assert SETTINGS.with_targets(Targets(streamlining_default=0.5)).reading_digest == reading
    assert SETTINGS.replaced(
        "export.toml", changed("export.toml", "titles.level", "县本级")
    ).reading_digest == (reading)
    assert SETTINGS.with_year(2025).reading_digest != reading
    assert SETTINGS.with_decisions(other_decisions()).reading_digest != reading
    assert (
        SETTINGS.replaced("limits.toml", changed("limits.toml", "hours_per_day", 7)).reading_digest != reading
    )
    assert SETTINGS.replaced(
        "columns.toml", changed("columns.toml", "words.yes", ["是", "计入"])
    ).reading_digest != (reading)
    holidays = {"2031": {"holidays": [date(2031, 1, 1)]}}
    assert SETTINGS.replaced("holidays.toml", holidays).reading_digest != reading


# --------------------------------------------------------------------------- stored and read back


HOLIDAYS_2031 = {
    "2031": {
        "source": "测试用的虚构安排",
        "holidays": [date(2031, 1, 1), {"from": date(2031, 10, 1), "to": date(2031, 10, 7)}],
        "workdays": [date(2031, 9, 27), date(2031, 10, 11)],
    },
    "2032": {"holidays": [date(2032, 1, 1)]},
}


def test_settings_stored_as_json_read_back_equal() -> None:
    assert settings_from_json(SETTINGS.to_json()) == SETTINGS
    varied = SETTINGS.with_year(2025).with_targets(Targets(shortening_default=0.2))
    back = settings_from_json(varied.to_json())
    assert back == varied
    assert (back.year, back.targets.shortening_for(), back.targets.streamlining_for()) == (2025, 0.2, None)


def test_settings_with_holiday_dates_stored_as_json_read_back_equal() -> None:
    settings = SETTINGS.replaced("holidays.toml", HOLIDAYS_2031).with_year(2031)
    back = settings_from_json(settings.to_json())
    assert back == settings
    assert hash(back) == hash(settings)
    assert back.reading_digest == settings.reading_digest
    assert back.data["holidays.toml"] == HOLIDAYS_2031  # dates come back as dates, the source as text
    for day in (date(2031, 1, 1), date(2031, 10, 6), date(2031, 9, 27), date(2031, 10, 8), date(2032, 1, 1)):
        assert back.calendar.is_workday(day) == settings.calendar.is_workday(day), day
    assert back.calendar.workdays_in_year(2031) == settings.calendar.workdays_in_year(2031)
    assert back.calendar.year_source(2031) == "data_file"


def test_decisions_edited_in_chinese_stored_as_json_read_back_equal() -> None:
    table = pd.concat(
        [pd.DataFrame([{"pattern": "待研究", "match": "完全一致", "decision": "未决定", "note": ""}]),
         SETTINGS.decisions.table],
        ignore_index=True,
    )  # fmt: skip
    settings = SETTINGS.with_decisions(table)
    back = settings_from_json(settings.to_json())
    assert back == settings
    assert back.decisions.exact["待研究"].decision == "undecided"
