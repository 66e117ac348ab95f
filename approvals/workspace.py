"""An analyst's working set: the files, the settings, the corrections and edits — all of it data.

Everything the screens show is recomputed from a Workspace, so saving one (and later a clean-up
round in the database) is saving this object. Uploaded files are kept as they came.

The steps from file to analysis are offered here so a caller that caches them (the app) reuses
each one while only the later inputs change: :func:`read_upload` per file and column settings,
:func:`workspace_dataset` per :meth:`Workspace.dataset_key`, :func:`workspace_analysis` per
:meth:`Workspace.analysis_key`. An analysis of edited decisions or other targets reuses the
dataset's critical paths.

May import: everything up to approvals.analysis.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from pathlib import Path

import pandas as pd

from approvals.analysis import Analysis, Projection, analyze, project
from approvals.dataset.build import Dataset, build_dataset
from approvals.dataset.edits import edited_dataset, empty_edits
from approvals.errors import ReadError
from approvals.read.reading import Reading, read_source
from approvals.read.sheets import Overrides
from approvals.redesign.verdicts import accepted_keys
from approvals.settings import Settings

SAMPLE_LABEL = "示例市（合成示例数据）"


@dataclass(frozen=True)
class Upload:
    """A file as the analyst gave it: name, bytes, and a digest that identifies the content."""

    name: str
    data: bytes
    digest: str

    @classmethod
    def of(cls, name: str, data: bytes) -> Upload:
        return cls(name, data, hashlib.sha256(data).hexdigest())


@dataclass(frozen=True, eq=False)
class Workspace:
    """Files, settings (decision table, targets, year, …), column corrections, edits,
    benchmarks and the verdicts on 流程再造 flags."""

    label: str
    files: tuple[Upload, ...]
    settings: Settings
    overrides: Mapping[str, Mapping[str, str]] = field(default_factory=dict)
    edits: pd.DataFrame = field(default_factory=empty_edits)
    benchmarks: Mapping[str, float] = field(default_factory=dict)
    verdicts: Mapping[str, str] = field(default_factory=dict)  # flag_key → accepted / rejected

    def reading_key(self, upload: Upload) -> str:
        """Identifies what reading one file depends on: its content, the column corrections and
        the column settings."""
        return _digest(
            [upload.name, upload.digest, self.overrides, self.settings.file_digests["columns.toml"]]
        )

    def dataset_key(self) -> str:
        """Identifies what the dataset depends on: every file's reading and the reading settings
        (columns, decisions, limits, holidays, year)."""
        return _digest([[self.reading_key(f) for f in self.files], self.settings.reading_digest])

    def edits_key(self) -> str:
        return _digest(self.edits.astype("str").to_csv(index=False))

    def verdicts_key(self) -> str:
        """Identifies the verdicts (for what shows them)."""
        return _digest(sorted(self.verdicts.items()))

    def analysis_key(self) -> str:
        """Identifies what the analysis depends on: the dataset, the edits, every setting and the
        benchmarks."""
        return _digest([self.dataset_key(), self.edits_key(), self.settings.digest, self.benchmarks])

    def with_files(self, files: list[Upload], label: str) -> Workspace:
        """A workspace on other files; corrections and verdicts stay (keyed by headers and by
        flag keys), edits go."""
        return replace(self, files=tuple(files), label=label, edits=empty_edits())


def _digest(payload: object) -> str:
    text = json.dumps(payload, ensure_ascii=False, sort_keys=True, default=str)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:16]


def folder_files(folder: Path) -> list[Upload]:
    """The workbooks of a folder (the bundled sample), as uploads, in name order."""
    return [Upload.of(p.name, p.read_bytes()) for p in sorted(folder.glob("*.xlsx"))]


def sample_workspace(settings: Settings, folder: Path) -> Workspace:
    """The workspace a new analyst starts with: the sample in ``folder``."""
    return Workspace(SAMPLE_LABEL, tuple(folder_files(folder)), settings)


def read_upload(
    upload: Upload, settings: Settings, overrides: Overrides | None = None
) -> Reading | ReadError:
    """One file read, or the error that says why it cannot be (never raises for bad files)."""
    try:
        return read_source((upload.name, upload.data), settings.columns, overrides)
    except ReadError as error:
        return error


def workspace_dataset(
    workspace: Workspace, readings: list[Reading | ReadError]
) -> tuple[Dataset, list[ReadError]]:
    """The dataset of the files that could be read (before the analyst's edits); and the failures."""
    good = [r for r in readings if isinstance(r, Reading)]
    failures = [r for r in readings if isinstance(r, ReadError)]
    return build_dataset(good, workspace.settings), failures


def workspace_analysis(workspace: Workspace, dataset: Dataset) -> Analysis:
    """The analysis of ``dataset`` (from :func:`workspace_dataset`) under the workspace's current
    settings, with its edits and benchmarks."""
    current = dataset.with_settings(workspace.settings)
    return analyze(edited_dataset(current, workspace.edits), workspace.benchmarks)


def workspace_projection(workspace: Workspace, analysis: Analysis) -> Projection:
    """What the workspace's accepted 流程再造 flags would give."""
    return project(analysis, accepted_keys(analysis.flags, workspace.verdicts))


def workspace_readings(
    workspace: Workspace, memo: dict[str, Reading | ReadError] | None = None
) -> list[Reading | ReadError]:
    """Every file of the workspace read; ``memo`` (by reading key) spares reading one twice."""
    memo = {} if memo is None else memo
    out = []
    for upload in workspace.files:
        key = workspace.reading_key(upload)
        if key not in memo:
            memo[key] = read_upload(upload, workspace.settings, workspace.overrides)
        out.append(memo[key])
    return out


def analyze_workspace(
    workspace: Workspace, memo: dict[str, Reading | ReadError] | None = None
) -> tuple[Analysis, list[ReadError]]:
    """The workspace read and analysed in one go (the command line's way; the app caches the
    steps); and the files that could not be read."""
    dataset, failures = workspace_dataset(workspace, workspace_readings(workspace, memo))
    return workspace_analysis(workspace, dataset), failures
