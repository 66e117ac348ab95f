"""The server's own settings (.streamlit/config.toml) keep the app safe to serve: requests
checked against forgery, uploads limited, nothing sent to outside sites, no internals shown in
the browser, only this machine served unless the office chooses otherwise."""

from __future__ import annotations

import re
import tomllib
from pathlib import Path
from typing import Any

import pytest
from streamlit import config as streamlit_config

ROOT = Path(__file__).resolve().parent.parent
CONFIG = ROOT / ".streamlit" / "config.toml"


@pytest.fixture(scope="module")
def server_config() -> dict[str, Any]:
    return tomllib.loads(CONFIG.read_text(encoding="utf-8"))


def test_forged_requests_are_refused_and_other_sites_may_not_call_the_server(server_config: dict) -> None:
    server = server_config["server"]
    assert server["enableXsrfProtection"] is True
    assert server.get("enableCORS", True) is True  # Streamlit's default, never turned off


def test_uploads_are_limited_to_what_the_uploader_says(server_config: dict) -> None:
    limit = server_config["server"]["maxUploadSize"]
    assert isinstance(limit, int) and 0 < limit <= 200
    said = (ROOT / "ui" / "frame.py").read_text(encoding="utf-8")
    assert re.findall(r"单个不超过 (\d+) MB", said) == [str(limit)]


def test_only_this_machine_is_served_by_default(server_config: dict) -> None:
    assert server_config["server"]["address"] in {"localhost", "127.0.0.1"}
    assert server_config["server"]["headless"] is True


def test_nothing_is_sent_to_outside_sites(server_config: dict) -> None:
    assert server_config["browser"]["gatherUsageStats"] is False
    assert server_config["client"]["showErrorLinks"] is False


def test_no_traceback_or_program_interface_reaches_the_browser(server_config: dict) -> None:
    assert server_config["client"]["showErrorDetails"] == "none"
    assert server_config["server"]["enableStaticServing"] is False
    assert server_config["server"]["enableAgentApi"] is False


def test_every_setting_in_the_file_is_one_streamlit_knows() -> None:
    known = streamlit_config.get_config_options()
    written = tomllib.loads(CONFIG.read_text(encoding="utf-8"))
    names = [f"{section}.{key}" for section, options in written.items() for key in options]
    assert [n for n in names if n not in known] == []
    # "none" is this Streamlit's own word for showing no error details at all
    assert "none" in {str(v) for v in streamlit_config.ShowErrorDetailsConfigOptions}
