"""The command line's figures and documents on the bundled sample are exactly the stored ones.

The stored copies (tests/golden/) were made before the package was regrouped; a change of
layout must not change one byte of what the tool says. A deliberate change of a figure or a
document rewrites them with ``python tests/golden/outputs.py`` in the same commit.
"""

from __future__ import annotations

import difflib
import sys
from pathlib import Path

import pytest

GOLDEN = Path(__file__).resolve().parent / "golden"
sys.path.insert(0, str(GOLDEN))

import outputs  # noqa: E402


@pytest.fixture(scope="module")
def fresh() -> dict[str, str]:
    return outputs.outputs()


def stored_names() -> list[str]:
    return sorted(
        str(p.relative_to(GOLDEN))
        for p in GOLDEN.rglob("*")
        if p.is_file() and p.suffix != ".py" and p.parent.name != "inputs"
    )


def test_every_stored_output_is_made_again(fresh: dict[str, str]) -> None:
    assert sorted(fresh) == stored_names()


@pytest.mark.parametrize("name", stored_names())
def test_the_output_is_byte_for_byte_the_stored_one(fresh: dict[str, str], name: str) -> None:
    expected = (GOLDEN / name).read_bytes().decode("utf-8")
    got = fresh[name]
    if got != expected:
        diff = difflib.unified_diff(
            expected.splitlines()[:5000], got.splitlines()[:5000], "stored", "now", lineterm="", n=1
        )
        pytest.fail(f"{name} differs from the stored copy:\n" + "\n".join(list(diff)[:60]))
