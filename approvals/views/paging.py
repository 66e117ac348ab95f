"""Long tables shown a page at a time: which rows a page holds, and the line that says so. A
table of 200,000 items is never sent to the browser whole; the filters narrow it, the pages walk it.
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

PAGE_ROWS = 500
"""Rows of one page of a long table (an editable grid stays quick to draw at this size)."""


@dataclass(frozen=True)
class Paging:
    """One page of a table of ``total`` rows: its number (from 1, within 1..pages), how many pages
    there are and the rows it holds.

    >>> p = paging(1234, 3, 500)
    >>> p.page, p.pages, p.start, p.stop
    (3, 3, 1000, 1234)
    >>> p.note("项")
    '共 1,234 项，分 3 页，这是第 3 页（第 1,001–1,234 项）'
    >>> paging(10, 7, 500).page, paging(0, 1, 500).pages, paging(10, 1, 500).note("项") is None
    (1, 1, True)
    """

    page: int
    pages: int
    start: int  # the first row of the page, from 0
    stop: int  # one past its last row
    total: int

    def rows(self, table: pd.DataFrame) -> pd.DataFrame:
        """The page's rows of ``table`` (in the order the table has them)."""
        return table.iloc[self.start : self.stop]

    def note(self, unit: str) -> str | None:
        """What the page shows, in words ("共 1,234 项，分 3 页，…"); None when one page holds all."""
        if self.pages <= 1:
            return None
        return (
            f"共 {self.total:,} {unit}，分 {self.pages:,} 页，这是第 {self.page:,} 页"
            f"（第 {self.start + 1:,}–{self.stop:,} {unit}）"
        )


def paging(total: int, page: int, size: int | None = None) -> Paging:
    """Page ``page`` of a table of ``total`` rows cut into pages of ``size`` (:data:`PAGE_ROWS`);
    a page number past the last (the filters left fewer rows) or below the first is the nearest
    page there is."""
    size = size or PAGE_ROWS
    pages = max(-(-total // size), 1)
    page = min(max(int(page), 1), pages)
    start = (page - 1) * size
    return Paging(page, pages, start, min(start + size, total), total)
