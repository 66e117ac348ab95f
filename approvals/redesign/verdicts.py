"""The analyst's verdicts on 流程再造 flags — accepted, rejected or still open — and the flag
tables the screens show.

Verdicts are a plain mapping flag_key → verdict kept in the workspace; flag keys are stable
across re-reading the same files (rule, item key, version, step numbers), so verdicts survive a
re-upload and can be saved with a clean-up round.
"""

from __future__ import annotations

from collections.abc import Mapping

import pandas as pd

PENDING, ACCEPTED, REJECTED = "pending", "accepted", "rejected"


VERDICT_LABELS: dict[str, str] = {PENDING: "待定", ACCEPTED: "采纳", REJECTED: "不采纳"}


LABEL_VERDICTS: dict[str, str] = {label: key for key, label in VERDICT_LABELS.items()}


def verdicts_of(flags: pd.DataFrame, verdicts: Mapping[str, str]) -> pd.Series:
    """Each flag's verdict (pending unless the analyst decided), aligned to ``flags``."""
    return flags["flag_key"].map(dict(verdicts)).astype("object").fillna(PENDING).astype("str")


def flagged_steps(flags: pd.DataFrame, version: str) -> set[int]:
    """The step ids the flags on one process version name (for marking them on its chart)."""
    return {int(i) for ids in flags.loc[flags["version"].eq(version), "step_ids"] for i in ids}


def accepted_keys(flags: pd.DataFrame, verdicts: Mapping[str, str]) -> list[str]:
    """The keys of the accepted flags that are still found in ``flags``."""
    return flags.loc[verdicts_of(flags, verdicts).eq(ACCEPTED).to_numpy(), "flag_key"].tolist()


def with_verdicts(verdicts: Mapping[str, str], keys: list[str], verdict: str) -> dict[str, str]:
    """``verdicts`` with ``keys`` set to ``verdict`` (pending removes the entry)."""
    out = dict(verdicts)
    for key in keys:
        if verdict == PENDING:
            out.pop(key, None)
        else:
            out[key] = verdict
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
