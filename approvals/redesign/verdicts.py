"""The analyst's verdicts on 流程再造 flags: accepted, rejected or still open (a ``Verdict``).

Verdicts are a plain mapping flag_key → verdict kept in the workspace; flag keys are stable
across re-reading the same files (rule, item key, version, step numbers), so verdicts survive a
re-upload and can be saved with a clean-up round.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping

import pandas as pd

from approvals.model import Verdict


def verdicts_of(flags: pd.DataFrame, verdicts: Mapping[str, str]) -> pd.Series:
    """Each flag's verdict (pending unless the analyst decided), aligned to ``flags``."""
    return flags["flag_key"].map(dict(verdicts)).astype("object").fillna(str(Verdict.PENDING)).astype("str")


def flagged_steps(flags: pd.DataFrame, version: str) -> set[int]:
    """The step ids the flags on one process version name (for marking them on its chart)."""
    return {int(i) for ids in flags.loc[flags["version"].eq(version), "step_ids"] for i in ids}


def accepted_keys(flags: pd.DataFrame, verdicts: Mapping[str, str]) -> list[str]:
    """The keys of the accepted flags that are still found in ``flags``."""
    return flags.loc[verdicts_of(flags, verdicts).eq(Verdict.ACCEPTED).to_numpy(), "flag_key"].tolist()


def with_verdicts(verdicts: Mapping[str, str], keys: Iterable[str], verdict: Verdict | str) -> dict[str, str]:
    """``verdicts`` with ``keys`` set to ``verdict`` (pending removes the entry).

    >>> with_verdicts({"a": "accepted"}, ["a", "b"], Verdict.REJECTED)
    {'a': 'rejected', 'b': 'rejected'}
    """
    chosen = Verdict(verdict)
    out = dict(verdicts)
    for key in keys:
        if chosen == Verdict.PENDING:
            out.pop(key, None)
        else:
            out[key] = str(chosen)
    return out


def merge_verdicts(current: Mapping[str, str], loaded: Mapping[str, str]) -> dict[str, str]:
    """``current`` with every verdict of ``loaded`` laid over it (pending ones reopen the flag).

    >>> merge_verdicts({"a": "accepted", "b": "rejected"}, {"a": "pending", "c": "accepted"})
    {'b': 'rejected', 'c': 'accepted'}
    """
    out = dict(current)
    for key, verdict in loaded.items():
        out = with_verdicts(out, [key], verdict)
    return out
