"""The project's docs say what the code does: every JSON key, command option, rule, settings file and
problem code is documented (a newcomer has nothing but docs/)."""

from __future__ import annotations

import ast
import json
import re
from itertools import pairwise
from pathlib import Path
from typing import Any

import pytest
from sample import sample_dataset

from approvals.analysis import analyze
from approvals.cli import LOG_ENV, build_parser
from approvals.figures.rates import LEFT_OUT_LABELS
from approvals.redesign.rules import RULES
from approvals.settings import SETTINGS_ENV, SETTINGS_FILES
from approvals.views.command_line import analysis_json, json_text

ROOT = Path(__file__).resolve().parent.parent
DOCS = ROOT / "docs"
CLI = (DOCS / "cli.md").read_text(encoding="utf-8")
DOMAIN = (DOCS / "domain.md").read_text(encoding="utf-8")
ARCHITECTURE = (DOCS / "architecture.md").read_text(encoding="utf-8")
# Objects whose keys are data (headers, decision classes, reasons), documented as such.
DATA_KEYS = {"columns", "by_decision", "left_out"}


def json_keys(value: Any, found: set[str] | None = None) -> set[str]:
    found = set() if found is None else found
    if isinstance(value, dict):
        for key, inner in value.items():
            found.add(key)
            if key not in DATA_KEYS:
                json_keys(inner, found)
    elif isinstance(value, list):
        for inner in value[:200]:
            json_keys(inner, found)
    return found


def documented(name: str, text: str) -> bool:
    return f"`{name}`" in text or f"`{name} " in text


def test_every_key_of_the_json_contract_is_documented() -> None:
    analysis = analyze(sample_dataset(), {"行政许可": 11.5})
    keys = json_keys(json.loads(json_text(analysis_json(analysis))))
    assert {"lists", "overall", "benchmark", "flags", "problems"} <= keys  # the sample reaches them all
    missing = sorted(k for k in keys if not documented(k, CLI))
    assert not missing, f"docs/cli.md does not document these JSON keys: {missing}"


def options(parser: Any = None, prefix: str = "") -> list[tuple[str, str]]:
    """(command, option) of every command, ``round create`` and the like included."""
    parser = parser or build_parser()
    found = []
    for action in parser._actions:
        if action.choices and isinstance(action.choices, dict):  # the sub-commands
            for name, sub in action.choices.items():
                command = f"{prefix} {name}".strip()
                found += [(command, o) for a in sub._actions for o in a.option_strings]
                found += [f for f in options(sub, command) if f[0] != command]
    return found


@pytest.mark.parametrize(("command", "option"), options())
def test_every_command_line_option_is_documented(command: str, option: str) -> None:
    assert documented(command, CLI), f"docs/cli.md does not document the command {command}"
    assert re.search(rf"`{re.escape(option)}[ `,]", CLI), f"docs/cli.md does not document {command} {option}"


@pytest.mark.parametrize("rule", RULES, ids=lambda r: r.key)
def test_every_rule_is_documented_with_its_title(rule: Any) -> None:
    title = sample_dataset().settings.redesign.title(rule.key)
    assert documented(rule.key, CLI) and title in CLI
    assert rule.key in DOMAIN and title in DOMAIN


@pytest.mark.parametrize("file", list(SETTINGS_FILES))
def test_every_settings_file_is_documented(file: str) -> None:
    assert documented(file, ARCHITECTURE), f"docs/architecture.md does not describe {file}"


@pytest.mark.parametrize("reason", list(LEFT_OUT_LABELS))
def test_every_reason_an_item_is_left_out_of_the_time_figures_is_documented(reason: str) -> None:
    assert documented(reason, CLI)


def problem_codes() -> set[str]:
    """The problem codes the package can emit: every ``code=`` given to a problem, every code of a
    problems frame, and every code that follows a Severity in a call or a tuple."""
    codes: set[str] = set()
    for path in (ROOT / "approvals").rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            codes |= {s.value for s in _code_strings(node) if _is_code(s)}
    return codes


def _code_strings(node: ast.AST) -> list[ast.expr]:
    found: list[ast.expr] = []
    if isinstance(node, ast.Call):
        found += [k.value for k in node.keywords if k.arg == "code"]
    if isinstance(node, ast.Dict):
        found += [
            v for k, v in zip(node.keys, node.values, strict=True) if getattr(k, "value", None) == "code"
        ]
    if isinstance(node, ast.Call | ast.Tuple):
        parts = node.args if isinstance(node, ast.Call) else node.elts
        found += [
            b
            for a, b in pairwise(parts)
            if isinstance(a, ast.Attribute) and getattr(a.value, "id", "") == "Severity"
        ]
    if isinstance(node, ast.Assign) and any(getattr(t, "id", "") == "CYCLE_CODE" for t in node.targets):
        found.append(node.value)
    return found


def _is_code(node: ast.expr) -> bool:
    return (
        isinstance(node, ast.Constant)
        and isinstance(node.value, str)
        and bool(re.fullmatch("[a-z_]+", node.value))
    )


def test_every_problem_code_is_documented() -> None:
    codes = problem_codes()
    assert {"row_summary", "limit_invalid", "process_cycle", "calendar_fallback"} <= codes
    missing = sorted(c for c in codes if not documented(c, CLI))
    assert not missing, f"docs/cli.md does not document these problem codes: {missing}"


@pytest.mark.parametrize("variable", [SETTINGS_ENV, LOG_ENV])
def test_every_environment_variable_is_documented(variable: str) -> None:
    assert documented(variable, CLI)


@pytest.mark.parametrize("page", ["domain.md", "architecture.md", "cli.md"])
def test_the_docs_link_only_to_pages_that_exist(page: str) -> None:
    text = (DOCS / page).read_text(encoding="utf-8")
    for target in re.findall(r"\]\(([^)#]+)(?:#[^)]*)?\)", text):
        if not target.startswith("http"):
            assert (DOCS / target).exists(), f"{page} links to {target}"
