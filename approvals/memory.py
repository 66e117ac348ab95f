"""Memory given back to the system once a long-running process has freed it.

A server that reads one large upload after another frees what each used, but the allocators keep
the pages for reuse: pyarrow's pool (mimalloc or jemalloc) and glibc's malloc arenas. Over many
sessions the process only grows. Releasing them now and then returns the freed pages; live data
is untouched.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import functools

import pyarrow as pa


@functools.cache
def _malloc_trim() -> ctypes._CFuncPtr | None:  # type: ignore[name-defined]
    """glibc's malloc_trim, or None where the C library has none (musl, macOS, Windows)."""
    name = ctypes.util.find_library("c")
    if not name:
        return None
    try:
        trim = ctypes.CDLL(name).malloc_trim
    except (OSError, AttributeError):
        return None
    trim.argtypes = [ctypes.c_size_t]
    trim.restype = ctypes.c_int
    return trim  # type: ignore[no-any-return]


def release_unused_memory() -> None:
    """Return freed memory to the system: pyarrow's pool first, then glibc's heap.

    >>> release_unused_memory()  # safe at any time: only free pages go
    """
    pa.default_memory_pool().release_unused()
    trim = _malloc_trim()
    if trim is not None:
        trim(0)
