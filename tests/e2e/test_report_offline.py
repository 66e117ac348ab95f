"""The HTML report in a real browser with the network shut: every chart draws, nothing is fetched,
and a script written into an item name does not run."""

from __future__ import annotations

import re
from datetime import date
from pathlib import Path

import pytest
from sample import SAMPLE_FILES, SETTINGS

from approvals.analysis import analyze
from approvals.dataset.build import load_dataset
from approvals.report.html import html_report

pytestmark = pytest.mark.e2e

ROOT = Path(__file__).resolve().parents[2]
SCRIPT = "<script>alert(1)</script>"


def test_the_report_opens_offline_and_draws_every_chart(browser, tmp_path: Path) -> None:
    analysis = analyze(load_dataset(SAMPLE_FILES, SETTINGS))  # its own: the test renames an item
    versions = analysis.processes.groupby("item_id")["version"].nunique()
    chosen = [int(i) for i in versions[versions.eq(2)].index[:2]]
    # this test's own analysis: a script as the name of a charted item
    items, steps = analysis.dataset.items, analysis.dataset.steps
    items.loc[items["item_id"].eq(chosen[0]), "name"] = SCRIPT
    steps.loc[steps["item_id"].eq(chosen[0]), "item_name"] = SCRIPT
    page = html_report(analysis, items=chosen, generated=date(2026, 11, 23))
    path = tmp_path / "报告.html"
    path.write_text(page, encoding="utf-8")
    charts = len(re.findall(r'<div id="chart-\d+"', page))
    requested: list[str] = []
    errors: list[str] = []
    dialogs: list[str] = []

    def refuse(route) -> None:
        requested.append(route.request.url)
        route.abort()

    tab = browser.new_page()
    try:
        tab.route("http*://**", refuse)
        tab.on("pageerror", lambda error: errors.append(str(error)))
        tab.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
        tab.goto(path.as_uri(), timeout=120_000)
        # every chart drawn: each plot div holds its SVG (a loaded machine draws slowly)
        tab.wait_for_function(
            f"document.querySelectorAll('.js-plotly-plot .main-svg').length >= {charts}", timeout=120_000
        )
        drawn = tab.evaluate("document.querySelectorAll('.js-plotly-plot').length")
    finally:
        tab.close()
    assert charts >= 4 + 3 * len(chosen) and drawn == charts
    assert requested == [] and errors == [] and dialogs == []
