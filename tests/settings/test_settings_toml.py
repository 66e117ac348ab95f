"""Settings written back as files: every bundled file reads back as the same data; a file the
analyst has not changed downloads as itself, comments and all; an edited one as TOML the tools
load again."""

from __future__ import annotations

import tomllib
from pathlib import Path

import pandas as pd
import pytest
from hypothesis import given
from hypothesis import strategies as st
from sample import SETTINGS

from approvals.settings import (
    DEFAULTS_DIR,
    SETTINGS_ENV,
    SETTINGS_FILES,
    load_settings,
    settings_file_text,
    settings_path,
)
from approvals.settings.toml import toml_text


@pytest.mark.parametrize("file", list(SETTINGS_FILES))
def test_every_bundled_settings_file_reads_back_as_the_same_data(file: str) -> None:
    data = tomllib.loads((DEFAULTS_DIR / file).read_text("utf-8"))
    assert tomllib.loads(toml_text(data)) == data


@given(st.text(), st.text(min_size=1), st.lists(st.integers() | st.floats(allow_nan=False)))
def test_any_text_key_and_number_survive_the_round_trip(value: str, key: str, numbers: list[float]) -> None:
    data = {"table": {key: value, "numbers": numbers}, "rows": [{"pattern": value}]}
    assert tomllib.loads(toml_text(data, comment="说明\n第二行")) == data


def test_an_unchanged_file_downloads_as_the_file_itself_with_its_comments() -> None:
    text = settings_file_text(SETTINGS, "redesign.toml")
    assert text == (DEFAULTS_DIR / "redesign.toml").read_bytes()
    assert b"#" in text


def test_an_edited_decision_table_downloads_as_toml_that_loads_as_the_edited_table(tmp_path: Path) -> None:
    rules = SETTINGS.decisions.table
    added = rules.iloc[[0]].assign(pattern="拟撤销", match="contains", decision="cancelled", note="")
    edited = SETTINGS.with_decisions(pd.concat([rules, added], ignore_index=True))
    text = settings_file_text(edited, "decisions.toml")
    assert text != (DEFAULTS_DIR / "decisions.toml").read_bytes()
    assert text.decode("utf-8").startswith("# 处理意见归类表：当前使用的设置")
    (tmp_path / "decisions.toml").write_bytes(text)
    again = load_settings(tmp_path, year=SETTINGS.year)
    assert again.decisions.table.equals(edited.decisions.table)
    assert again.decisions.table.iloc[-1]["pattern"] == "拟撤销"


def test_a_file_in_the_analysts_settings_folder_is_the_one_downloaded(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    own = (DEFAULTS_DIR / "targets.toml").read_text("utf-8") + "\n# 本市的考核目标\n"
    (tmp_path / "targets.toml").write_text(own, "utf-8")
    monkeypatch.setenv(SETTINGS_ENV, str(tmp_path))
    assert settings_path("targets.toml") == tmp_path / "targets.toml"
    assert settings_path("redesign.toml") == DEFAULTS_DIR / "redesign.toml"
    assert (
        settings_file_text(load_settings(year=2026), "targets.toml")
        .decode("utf-8")
        .endswith("本市的考核目标\n")
    )
