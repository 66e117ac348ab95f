"""Hostile and broken files, each built by its test: reading answers in seconds, in bounded memory."""

from __future__ import annotations

import time
import tracemalloc
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import TypeVar

import pytest

T = TypeVar("T")

# A bad file must be answered this fast even on a loaded two-core machine; a hang or a swallowed
# gigabyte takes minutes, so the bound is generous and still tells the two apart.
ANSWER_SECONDS = 30
# Python memory a bad file of a few MB may take while it is read.
ANSWER_BYTES = 400 << 20


@contextmanager
def _measured() -> Iterator[dict[str, float]]:
    tracemalloc.start()
    started = time.perf_counter()
    found: dict[str, float] = {}
    try:
        yield found
    finally:
        found["seconds"] = time.perf_counter() - started
        found["peak"] = tracemalloc.get_traced_memory()[1]
        tracemalloc.stop()


@pytest.fixture
def bounded() -> Callable[[Callable[[], T]], T]:
    """Run a read; fail when it took longer than ANSWER_SECONDS or more than ANSWER_BYTES."""

    def run(read: Callable[[], T]) -> T:
        raised: BaseException | None = None
        with _measured() as found:
            try:
                result = read()
            except Exception as exc:  # checked against the bounds first, then raised again
                raised = exc
        assert found["seconds"] < ANSWER_SECONDS, f"took {found['seconds']:.1f} s"
        assert found["peak"] < ANSWER_BYTES, f"peaked at {found['peak'] / (1 << 20):.0f} MB"
        if raised is not None:
            raise raised
        return result

    return run
