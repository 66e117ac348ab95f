"""Shared test settings. Speed is measured in bench/, never by test deadlines: on a loaded
two-core machine the first example of a property test may take a while."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, settings
from sample import untouched

settings.register_profile("project", deadline=None, suppress_health_check=[HealthCheck.too_slow])
settings.load_profile("project")


@pytest.fixture(scope="session", autouse=True)
def _the_shared_sample_stays_as_read() -> Iterator[None]:
    """Tests share one reading of the sample (tests/sample.py); one that changed its tables in
    place would change what the others see, so the session fails if any did."""
    yield
    assert untouched(), "a test changed the shared sample's tables in place"


@pytest.fixture
def own_database(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The test's rounds in a database of its own (a data folder under its tmp_path)."""
    from approvals.store.db import DATA_ENV

    monkeypatch.setenv(DATA_ENV, str(tmp_path / "数据"))
    monkeypatch.delenv("APPROVALS_DB_URL", raising=False)


@pytest.fixture
def app(own_database: None) -> Any:
    """A new session of the app on a database of its own, first run done (AppTest)."""
    from apptest import started

    return started()
