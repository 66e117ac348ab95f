"""The house's layout holds: imports follow the data's way, the core never imports the app, pages
stay thin, and settings are loaded in one place.

Each module of approvals/ belongs to a layer; a module may import its own package and lower
layers only (docs/architecture.md draws the same picture).
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
PACKAGE = ROOT / "approvals"

# unit → layer: a unit is a subpackage of approvals/ or one of its top-level modules.
LAYERS: dict[str, int] = {
    "errors": 0, "text": 0, "model": 0, "problems": 0, "safety": 0, "workdays": 0, "settings": 0,
    "memory": 0,
    "read": 1,
    "dataset": 2,
    "figures": 3, "processes": 3,
    "redesign": 4,
    "analysis": 5, "engines": 5,
    "workspace": 6,
    "store": 7,
    "views": 8,
    "charts": 9,
    "report": 10,
    "publish": 11,
    "cli": 12,
    "__main__": 13, "__init__": 13,
}  # fmt: skip
# Within the foundation the order is strict too: nothing imports what comes after it here.
FOUNDATION = ["errors", "text", "model", "problems", "safety", "workdays", "settings", "memory"]
# Libraries that belong to one edge of the house only.
APP_LIBRARIES = {"streamlit"}
DRAWING_LIBRARIES = {"plotly", "kaleido"}
WRITER_LIBRARIES = {"xlsxwriter", "docx"}
PAGE_FILES = sorted([ROOT / "app.py", *(ROOT / "pages").glob("*.py")])
# Attribute calls that mean a page is transforming tables itself.
TABLE_WORK = {
    "loc", "iloc", "groupby", "merge", "assign", "isin", "eq", "ne", "query", "pivot_table", "sort_values",
    "drop_duplicates", "set_index", "reset_index", "apply", "map", "concat", "value_counts", "fillna",
}  # fmt: skip


def modules() -> list[Path]:
    return sorted(p for p in PACKAGE.rglob("*.py"))


def unit_of(path: Path) -> str:
    parts = path.relative_to(PACKAGE).with_suffix("").parts
    return parts[0]


def imported(path: Path) -> list[tuple[int, str]]:
    """(line, module) of every import in a file, relative imports resolved."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found += [(node.lineno, alias.name) for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.module:
            found.append((node.lineno, node.module))
    return found


@pytest.mark.parametrize("path", modules(), ids=lambda p: str(p.relative_to(ROOT)))
def test_a_module_imports_only_its_own_package_and_lower_layers(path: Path) -> None:
    source = unit_of(path)
    wrong = []
    for line, module in imported(path):
        if not module.startswith("approvals."):
            continue
        target = module.split(".")[1]
        if target == source:
            continue
        ranks = (LAYERS[target], LAYERS[source])
        if source in FOUNDATION and target in FOUNDATION:
            ranks = (FOUNDATION.index(target), FOUNDATION.index(source))
        if ranks[0] >= ranks[1]:
            wrong.append(f"line {line}: {module}")
    assert not wrong, f"{path.relative_to(ROOT)} imports upwards: {wrong}"


def test_every_unit_of_the_package_has_a_layer() -> None:
    assert {unit_of(p) for p in modules()} <= set(LAYERS)


@pytest.mark.parametrize("path", modules(), ids=lambda p: str(p.relative_to(ROOT)))
def test_the_core_never_imports_the_app_and_draws_only_at_its_edge(path: Path) -> None:
    libraries = {module.split(".")[0] for _, module in imported(path)}
    assert not libraries & APP_LIBRARIES
    unit = unit_of(path)
    if LAYERS[unit] < LAYERS["charts"] or path.name == "flowlayout.py":
        assert not libraries & DRAWING_LIBRARIES, "plotly belongs to approvals.charts"
    if LAYERS[unit] < LAYERS["report"]:
        assert not libraries & WRITER_LIBRARIES, "spreadsheet and Word writers belong to report and publish"


def calls(path: Path, name: str) -> list[int]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    return [
        node.lineno
        for node in ast.walk(tree)
        if isinstance(node, ast.Call)
        and (getattr(node.func, "id", None) == name or getattr(node.func, "attr", None) == name)
    ]


def test_settings_are_loaded_only_by_the_command_line_and_the_app() -> None:
    loading = {
        str(p.relative_to(ROOT))
        for p in [*modules(), *(ROOT / "ui").glob("*.py"), *PAGE_FILES]
        if calls(p, "load_settings") and p.parent.name != "settings"
    }
    assert loading == {"approvals/cli/inputs.py", "ui/state.py"}


@pytest.mark.parametrize("path", PAGE_FILES, ids=lambda p: str(p.relative_to(ROOT)))
def test_a_page_holds_widgets_and_rendering_but_no_table_work(path: Path) -> None:
    libraries = {module.split(".")[0] for _, module in imported(path)}
    assert not libraries & {"pandas", "numpy"}
    tree = ast.parse(path.read_text(encoding="utf-8"))
    work = sorted(
        {
            f"line {node.lineno}: .{node.attr}"
            for node in ast.walk(tree)
            if isinstance(node, ast.Attribute) and node.attr in TABLE_WORK
        }
    )
    assert not work, f"{path.name} transforms tables itself: {work}"


def test_test_modules_have_distinct_names() -> None:
    """Test folders are not packages, so two test modules of one name would shadow each other's
    helpers (``from test_rounds import …`` reaching the wrong file)."""
    names = [p.name for p in (ROOT / "tests").rglob("test_*.py")]
    assert sorted(n for n in set(names) if names.count(n) > 1) == []
