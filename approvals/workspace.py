"""An analyst's working set: the files, the corrections and edits, the targets — all of it data.

Everything the screens show is recomputed from a Workspace, so saving one (and later a clean-up
round in the database) is saving this object. Uploaded files are kept as they came.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field, replace
from datetime import date
from pathlib import Path

import pandas as pd

from approvals.dataset.build import Dataset, Options, build_dataset
from approvals.dataset.edits import edited_dataset, empty_edits
from approvals.errors import ReadError
from approvals.model import DATA_DIR
from approvals.read.reading import Reading, read_source
from approvals.read.sheets import Overrides
from approvals.settings.decisions import decision_rules
from approvals.settings.targets import Targets

SAMPLE_DIR = DATA_DIR / "sample"
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


@dataclass(frozen=True)
class Workspace:
    """Files, column corrections, decision table, edits, targets, benchmarks, calendar year and
    the verdicts on 流程再造 flags."""

    label: str
    files: tuple[Upload, ...]
    overrides: dict[str, dict[str, str]] = field(default_factory=dict)
    rules: pd.DataFrame = field(default_factory=decision_rules)
    edits: pd.DataFrame = field(default_factory=empty_edits)
    targets: Targets = field(default_factory=Targets.load)
    benchmarks: dict[str, float] = field(default_factory=dict)
    year: int = field(default_factory=lambda: date.today().year)
    verdicts: dict[str, str] = field(default_factory=dict)  # 流程再造 flag_key → accepted / rejected

    def reading_key(self) -> str:
        """Identifies what reading depends on: the files' content and the column corrections."""
        payload = [[f.name, f.digest] for f in self.files], self.overrides
        return _digest(payload)

    def dataset_key(self) -> str:
        """Identifies what the catalog depends on: reading, the decision table and the year."""
        rules = self.rules.to_csv(index=False)
        return _digest([self.reading_key(), rules, self.year])

    def edits_key(self) -> str:
        return _digest(self.edits.astype("str").to_csv(index=False))

    def with_files(self, files: list[Upload], label: str) -> Workspace:
        """A workspace on other files; corrections and verdicts stay (keyed by headers and by
        flag keys), edits go."""
        return replace(self, files=tuple(files), label=label, edits=empty_edits())


def _digest(payload: object) -> str:
    text = json.dumps(payload, ensure_ascii=False, sort_keys=True, default=str)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:16]


def sample_files() -> list[Upload]:
    """The bundled synthetic sample, as uploads."""
    return [Upload.of(p.name, p.read_bytes()) for p in sorted(Path(SAMPLE_DIR).glob("*.xlsx"))]


def sample_workspace() -> Workspace:
    """The workspace a new analyst starts with: the bundled sample."""
    return Workspace(SAMPLE_LABEL, tuple(sample_files()))


def read_upload(upload: Upload, overrides: Overrides | None = None) -> Reading | ReadError:
    """One file read, or the error that says why it cannot be (never raises for bad files)."""
    try:
        return read_source((upload.name, upload.data), overrides=overrides)
    except ReadError as error:
        return error


def workspace_dataset(
    workspace: Workspace, readings: list[Reading | ReadError]
) -> tuple[Dataset, list[ReadError]]:
    """The catalog of the files that could be read, with the analyst's edits; and the failures."""
    good = [r for r in readings if isinstance(r, Reading)]
    failures = [r for r in readings if isinstance(r, ReadError)]
    dataset = build_dataset(good, Options(year=workspace.year, rules=workspace.rules))
    return dataset, failures


def edited(dataset: Dataset, workspace: Workspace) -> Dataset:
    """The catalog with the workspace's edits applied."""
    return edited_dataset(dataset, workspace.edits) if len(workspace.edits) else dataset
