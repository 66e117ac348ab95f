"""The command line's outputs on the bundled sample, in a form that compares byte for byte.

``python tests/golden/outputs.py`` rewrites the stored copies beside this file; do that only when a
change of the figures or of the documents is intended, and say so in the commit. tests/test_golden.py
compares a fresh run against them.

Excel and Word files carry creation times inside their zip, so their cell and paragraph text is
compared instead of their bytes; the offline report is compared whole, but for the plotly.js bundle
(pinned by requirements.txt) that it embeds.
"""

from __future__ import annotations

import json
import re
import subprocess
import sys
import tempfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parents[1]
SAMPLE = ROOT / "data" / "sample"

# (stored file, command-line arguments after `python -m approvals`)
ANALYSES = {
    "analyze.json": ["analyze", str(SAMPLE), "--json", "--year", "2026"],
    "analyze.txt": ["analyze", str(SAMPLE), "--year", "2026"],
    "analyze_benchmark_2025.json": [
        "analyze", str(SAMPLE), "--json", "--year", "2025", "--benchmark", "行政许可=11.5",
    ],
}  # fmt: skip
EXPORT = [
    "export", str(SAMPLE), "--region", "示例市", "--year", "2026", "--item", "供电营业区划分审批",
]  # fmt: skip
# A verdicts file as the 流程再造 screen downloads it (every third flag accepted, some rejected).
VERDICTS = HERE / "inputs" / "verdicts.csv"
PLOTLY_BUNDLE = re.compile(r"<script[^>]*>/\*\*\s*\n\* plotly\.js.*?</script>", re.S)
GENERATED_ON = re.compile(r"生成日期：\d{4}年\d{1,2}月\d{1,2}日")


def run_cli(args: list[str]) -> str:
    done = subprocess.run(
        [sys.executable, "-m", "approvals", *args], cwd=ROOT, capture_output=True, check=True
    )
    return done.stdout.decode("utf-8")


def workbook_text(path: Path) -> str:
    """Every sheet's cell values, row by row, as JSON."""
    import openpyxl

    book = openpyxl.load_workbook(path, read_only=True)
    sheets = {
        ws.title: [[_cell(v) for v in row] for row in ws.iter_rows(values_only=True)]
        for ws in book.worksheets
    }
    return json.dumps(sheets, ensure_ascii=False, indent=0)


def _cell(value: object) -> object:
    return value if value is None or isinstance(value, (int, float, str, bool)) else str(value)


def document_text(path: Path) -> str:
    """A Word file's paragraphs and table cells, in order, as JSON."""
    import docx

    document = docx.Document(str(path))
    body = {
        "paragraphs": [p.text for p in document.paragraphs],
        "tables": [[[c.text for c in row.cells] for row in table.rows] for table in document.tables],
        "footer": [p.text for s in document.sections for p in s.footer.paragraphs],
    }
    return json.dumps(body, ensure_ascii=False, indent=0)


def report_text(path: Path) -> str:
    html = path.read_text(encoding="utf-8")
    stripped, found = PLOTLY_BUNDLE.subn("<script>/* plotly.js */</script>", html, count=1)
    if not found:
        raise AssertionError("the report no longer embeds plotly.js")
    return GENERATED_ON.sub("生成日期：（运行当日）", stripped, count=1)


def outputs() -> dict[str, str]:
    """Stored file name → its expected text, from a fresh run of the command line."""
    out = {name: run_cli(args) for name, args in ANALYSES.items()}
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        run_cli(
            [
                *EXPORT,
                "--catalog", str(folder / "目录.xlsx"),
                "--docx", str(folder / "目录.docx"),
                "--csv", str(folder / "目录.csv"),
                "--report", str(folder / "报告.html"),
                "--workbook", str(folder / "分析.xlsx"),
            ]
        )  # fmt: skip
        for path in sorted(folder.iterdir()):
            if path.suffix == ".csv":
                out[f"export/{path.name}"] = path.read_bytes().decode("utf-8")
            elif path.suffix == ".xlsx":
                out[f"export/{path.stem}.xlsx.json"] = workbook_text(path)
            elif path.suffix == ".docx":
                out[f"export/{path.stem}.docx.json"] = document_text(path)
            elif path.suffix == ".html":
                out[f"export/{path.name}"] = report_text(path)
        run_cli(
            [
                *EXPORT,
                "--verdicts", str(VERDICTS),
                "--report", str(folder / "报告（采纳建议）.html"),
                "--workbook", str(folder / "分析（采纳建议）.xlsx"),
            ]
        )  # fmt: skip
        for path in sorted(folder.glob("*（采纳建议）*")):
            if path.suffix == ".xlsx":
                out[f"export/{path.stem}.xlsx.json"] = workbook_text(path)
            else:
                out[f"export/{path.name}"] = report_text(path)
    return out


def main() -> None:
    for name, text in outputs().items():
        target = HERE / name
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(text.encode("utf-8"))
        print(f"wrote {target.relative_to(ROOT)}")


if __name__ == "__main__":
    main()
