"""Wall time and peak memory of one call, repeated a few times.

Time is ``time.perf_counter``. Memory is the process's resident set: before each call the
kernel's high-water mark is reset (``/proc/self/clear_refs``, Linux 4.0 and later), so the
peak read after the call (``VmHWM``, which ``resource.getrusage().ru_maxrss`` also reports)
belongs to that call alone and not to loading its inputs. Where the reset is refused, the
peak is the process's peak so far, which can only overstate.
"""

from __future__ import annotations

import gc
import resource
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

_STATUS = Path("/proc/self/status")
_CLEAR_REFS = Path("/proc/self/clear_refs")
_peaks_before_reset: list[int] = [0]  # the process's peak survives each reset here


def _status_kb(key: str) -> int | None:
    try:
        for line in _STATUS.read_text().splitlines():
            if line.startswith(key + ":"):
                return int(line.split()[1])
    except OSError:
        return None
    return None


def rss_kb() -> int:
    """The resident set size now, in KiB (0 where /proc is missing)."""
    return _status_kb("VmRSS") or 0


def peak_kb() -> int:
    """The resident set's high-water mark since the last reset, in KiB."""
    return _status_kb("VmHWM") or resource.getrusage(resource.RUSAGE_SELF).ru_maxrss


def process_maxrss_kb() -> int:
    """The process's peak resident set over its whole life (KiB), across resets.

    ``ru_maxrss`` follows the resets, so the peak seen before each reset is kept aside.
    """
    return max(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss, peak_kb(), *_peaks_before_reset)


def reset_peak() -> bool:
    """Reset the high-water mark to the current resident set; False where refused."""
    _peaks_before_reset[0] = max(_peaks_before_reset[0], peak_kb())
    try:
        _CLEAR_REFS.write_text("5")
    except OSError:
        return False
    return True


@dataclass
class Runs:
    """Seconds and memory of each repetition of one call."""

    seconds: list[float] = field(default_factory=list)
    peak_kb: list[int] = field(default_factory=list)  # resident peak during the call
    base_kb: list[int] = field(default_factory=list)  # resident set just before the call
    exact_peak: bool = True  # False when the high-water mark could not be reset
    last: Any = None  # the last call's result, when asked to keep it

    @property
    def extra_kb(self) -> int:
        """The most memory a call took above what the process held before it."""
        return max((p - b for p, b in zip(self.peak_kb, self.base_kb, strict=True)), default=0)


def measure(call: Callable[[], Any], *, repeat: int = 3, budget: float = 60.0, keep: bool = False) -> Runs:
    """Call ``call`` up to ``repeat`` times, stopping early once ``budget`` seconds are spent.

    >>> runs = measure(lambda: sum(range(1000)), repeat=2)
    >>> len(runs.seconds), runs.seconds[0] >= 0
    (2, True)
    """
    runs = Runs()
    while True:
        gc.collect()
        runs.exact_peak &= reset_peak()
        base = rss_kb()
        start = time.perf_counter()
        result = call()
        elapsed = time.perf_counter() - start
        runs.seconds.append(elapsed)
        runs.peak_kb.append(peak_kb())
        runs.base_kb.append(base)
        done = len(runs.seconds) >= repeat or sum(runs.seconds) + elapsed > budget
        if keep and done:
            runs.last = result
        del result
        if done:
            return runs


def process_group_rss_kb(group: int) -> int:
    """The resident memory in KiB of every process in a process group (a server or a cluster
    started in a session of its own, with its children)."""
    total = 0
    for proc in Path("/proc").glob("[0-9]*"):
        try:
            if int((proc / "stat").read_text().rsplit(")", 1)[1].split()[2]) != group:
                continue
            for line in (proc / "status").read_text().splitlines():
                if line.startswith("VmRSS:"):
                    total += int(line.split()[1])
        except (OSError, IndexError, ValueError):
            continue
    return total
