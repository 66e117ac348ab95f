"""``pip install .`` gives a working command line outside the checkout: the settings files and the
database migrations ship inside the package."""

from __future__ import annotations

import json
import os
import shutil
import site
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def run(*args: str | Path, cwd: Path, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [str(a) for a in args], cwd=cwd, capture_output=True, text=True, timeout=300, check=False,
        env={**os.environ, **(env or {})},
    )  # fmt: skip


def test_an_installed_package_analyses_the_sample_far_from_the_checkout(tmp_path: Path) -> None:
    source = tmp_path / "source"
    shutil.copytree(ROOT / "approvals", source / "approvals", ignore=shutil.ignore_patterns("__pycache__"))
    for name in ("pyproject.toml", "README.md"):
        shutil.copy(ROOT / name, source / name)
    venv = tmp_path / "venv"
    base = getattr(sys, "_base_executable", sys.executable)
    assert run(base, "-m", "venv", "--without-pip", venv, cwd=tmp_path).returncode == 0
    python = venv / "bin" / "python"
    # The dependencies, pip and setuptools come from the project's own environment (no network);
    # the package itself is built from the copied sources and installed into the new one.
    found = run(python, "-c", "import site; print(site.getsitepackages()[0])", cwd=tmp_path)
    fresh_site = Path(found.stdout.strip())
    (fresh_site / "project-dependencies.pth").write_text("\n".join(site.getsitepackages()) + "\n")
    installed = run(
        python, "-m", "pip", "install", "--quiet", "--no-deps", "--no-build-isolation", source, cwd=tmp_path
    )
    assert installed.returncode == 0, installed.stderr

    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    for workbook in (ROOT / "data" / "sample").glob("*.xlsx"):
        shutil.copy(workbook, elsewhere / workbook.name)
    where = run(python, "-c", "import approvals.settings as s; print(s.DEFAULTS_DIR)", cwd=elsewhere)
    assert str(fresh_site) in where.stdout and str(ROOT) not in where.stdout
    result = run(python, "-m", "approvals", "analyze", ".", "--json", "--year", "2026", cwd=elsewhere)
    assert result.returncode == 0, result.stderr
    lists = {row["category"]: row for row in json.loads(result.stdout)["lists"]}
    assert round(lists["行政许可"]["streamlining_rate"], 4) == 0.5318
    assert round(lists["投资项目审批"]["shortening_rate"], 4) == 0.4265

    # A round in a database the installed package creates (its migrations shipped with it).
    data = {"APPROVALS_DATA_DIR": str(tmp_path / "数据")}
    for command in (("round", "create", "示例", "--year", "2026"), ("import", "--round", "示例", ".")):
        made = run(python, "-m", "approvals", *command, cwd=elsewhere, env=data)
        assert made.returncode == 0, made.stderr
    assert (tmp_path / "数据" / "approvals.sqlite3").is_file()
    stored = run(python, "-m", "approvals", "analyze", "--round", "示例", "--json", cwd=elsewhere, env=data)
    assert stored.returncode == 0, stored.stderr
    assert json.loads(stored.stdout)["lists"] == json.loads(result.stdout)["lists"]
