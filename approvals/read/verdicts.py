"""A verdicts file (downloaded from the 流程再造 screen, perhaps edited in Excel) read back."""

from __future__ import annotations

import pandas as pd

from approvals.errors import ReadError
from approvals.model import VERDICT_HEADER, VERDICT_KEY_HEADER, VERDICTS_BY_LABEL, Severity
from approvals.problems import problem, problems_frame
from approvals.read.files import open_grids
from approvals.read.sheets import grid_frame

KEY_LABEL = VERDICT_KEY_HEADER


def read_verdicts(name: str, data: bytes) -> tuple[dict[str, str], pd.DataFrame]:
    """Verdicts (pending included) from a file written by :func:`verdicts_csv` (CSV or a workbook
    it was saved as), and the problems of rows whose verdict is not 采纳 / 不采纳 / 待定. A file
    without the two columns raises :class:`approvals.errors.ReadError` naming what is missing."""
    verdict_label = VERDICT_HEADER
    for grid in open_grids(name, data):
        frame = grid_frame(grid)
        for row in range(min(len(frame), 20)):
            labels = [str(v).strip() for v in frame.iloc[row]]
            if KEY_LABEL in labels and verdict_label in labels:
                key_at, verdict_at = labels.index(KEY_LABEL), labels.index(verdict_label)
                body = frame.iloc[row + 1 :]
                keys = body.iloc[:, key_at].str.strip().str.lstrip("'")
                chosen = body.iloc[:, verdict_at].str.strip()
                known = chosen.isin(VERDICTS_BY_LABEL) & keys.ne("")
                bad = ~known & (keys.ne("") | chosen.ne(""))
                problems = problems_frame(
                    problem(
                        f"“{verdict_label}”应为采纳、不采纳或待定，该行未导入",
                        file=grid.file,
                        sheet=grid.sheet,
                        row=int(r) + 1,
                        column=verdict_label,
                        value=v,
                        severity=Severity.ERROR,
                        code="verdict_invalid",
                    )
                    for r, v in zip(body.index[bad.to_numpy()], chosen[bad], strict=True)
                )
                loaded = {k: VERDICTS_BY_LABEL[v] for k, v in zip(keys[known], chosen[known], strict=True)}
                return loaded, problems
    raise ReadError(name, f"找不到“{KEY_LABEL}”和“{verdict_label}”两列，不是导出的采纳情况表")
