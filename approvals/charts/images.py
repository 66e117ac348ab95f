"""Charts out of the app: standalone HTML pages that open offline, and PNG / SVG images.

HTML carries plotly.js inline (about 4.8 MB, once per page), so a page opens without a network,
as it must on an office's internal machines. Static images are drawn by kaleido in a headless
Chromium; starting the browser takes seconds, so a batch of figures shares one browser. Where
kaleido or a browser is missing, :func:`static_export_available` says why in Chinese and
:func:`figure_images` raises :class:`ImageExportError` with that message for the caller to show.
"""

from __future__ import annotations

import asyncio
import html
import os
import shutil
from collections.abc import Sequence
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any, Literal

import plotly.graph_objects as go
from plotly.offline import get_plotlyjs

from approvals.charts.style import FONT_FAMILY, TEXT_COLOUR

ImageFormat = Literal["png", "svg"]
IMAGE_FORMATS: tuple[str, ...] = ("png", "svg")
DEFAULT_WIDTH_PX = 1000  # the canvas the charts lay themselves out for when given no width
DEFAULT_HEIGHT_PX = 500
RENDER_TIMEOUT_S = 60  # one figure; a browser that hangs must not hang the page that asked
CHART_CONFIG: dict[str, Any] = {"displaylogo": False, "responsive": True}
# Chromium-based browsers looked up on PATH when choreographer's own search is not at hand.
_BROWSER_NAMES = ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable", "chrome")

NO_KALEIDO = "未安装 kaleido，无法导出 PNG / SVG 图片；可改为下载 HTML 图表，或请管理员安装 kaleido。"
NO_BROWSER = (
    "找不到 Chrome 或 Chromium 浏览器，无法导出 PNG / SVG 图片；"
    "可改为下载 HTML 图表，或请管理员安装 Chromium（如 apt-get install chromium）。"
)


class ImageExportError(RuntimeError):
    """Images cannot be made here, or making them failed; the message is Chinese, for the analyst."""


# --- HTML -------------------------------------------------------------------------------------


def chart_div(figure: go.Figure, div_id: str) -> str:
    """One figure as a ``<div>`` and the script that draws it, for a page that loads plotly.js.

    Plotly writes the figure's data as JSON with ``<`` escaped, so text from the data cannot
    close the script.
    """
    return figure.to_html(
        full_html=False,
        include_plotlyjs=False,
        include_mathjax=False,
        div_id=div_id,
        config=CHART_CONFIG,
    )


def html_page(title: str, body: str, *, style: str = "") -> str:
    """A complete page with plotly.js inline once in its head and a CJK font stack.

    ``title`` is plain text (escaped here); ``body`` and ``style`` are markup the caller has
    already made safe.
    """
    return (
        '<!DOCTYPE html>\n<html lang="zh-CN">\n<head>\n<meta charset="utf-8">\n'
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        f"<title>{html.escape(title)}</title>\n"
        f"<style>\nbody {{ font-family: {FONT_FAMILY}; color: {TEXT_COLOUR}; margin: 0; }}\n{style}</style>\n"
        # MathJax stays off: it would be fetched from a CDN.
        '<script>window.PlotlyConfig = {MathJaxConfig: "local"};</script>\n'
        f"<script>{get_plotlyjs()}</script>\n"
        f"</head>\n<body>\n{body}\n</body>\n</html>\n"
    )


def figure_html(figure: go.Figure, title: str) -> bytes:
    """One chart as a standalone HTML file (UTF-8) that opens offline; ``title`` names the page."""
    body = f'<div style="max-width: 1100px; margin: 16px auto;">{chart_div(figure, "chart")}</div>'
    return html_page(title, body).encode("utf-8")


# --- static images ------------------------------------------------------------------------------


def _usable(path: str | None) -> bool:
    return bool(path) and Path(str(path)).is_file() and os.access(str(path), os.X_OK)


def _browser() -> tuple[str | None, str]:
    """The browser kaleido would start, or None and why not (Chinese)."""
    try:
        import kaleido  # noqa: F401
    except ImportError:
        return None, NO_KALEIDO
    configured = os.environ.get("BROWSER_PATH")
    try:
        from choreographer.browsers import Chromium

        path = Chromium.find_browser(skip_local=False)
    except Exception:  # another choreographer: fall back to PATH, as it searches
        path = configured or next((p for p in map(shutil.which, _BROWSER_NAMES) if p), None)
    if _usable(path):
        return str(path), ""
    if configured:
        return None, (
            f"环境变量 BROWSER_PATH 指定的浏览器不存在或无法运行（{configured}），无法导出 PNG / SVG 图片。"
        )
    return None, NO_BROWSER


def static_export_available() -> tuple[bool, str]:
    """Whether PNG / SVG export can run here, and if not, why (Chinese); never raises.

    Only looks for kaleido and a browser; a browser that is found but will not start shows up
    as an :class:`ImageExportError` from :func:`figure_images`.
    """
    try:
        path, reason = _browser()
    except Exception as exc:  # a check must not break the page that asks
        return False, f"无法确认图片导出环境：{exc}"
    return path is not None, reason


def _options(figure: go.Figure, format: str, scale: float) -> dict[str, Any]:
    return {
        "format": format,
        "width": figure.layout.width or DEFAULT_WIDTH_PX,
        "height": figure.layout.height or DEFAULT_HEIGHT_PX,
        "scale": scale,
    }


async def _render(jobs: list[tuple[go.Figure, dict[str, Any]]], browser_path: str) -> list[bytes]:
    import kaleido

    async with kaleido.Kaleido(n=1, path=browser_path, mathjax=False, timeout=RENDER_TIMEOUT_S) as browser:
        return [bytes(await browser.calc_fig(figure, options)) for figure, options in jobs]


def _failure(exc: BaseException) -> str:
    if isinstance(exc, TimeoutError):
        return f"生成图片超时（单张超过 {RENDER_TIMEOUT_S} 秒），请稍后重试或改为下载 HTML 图表。"
    # The browser's own error (a type name, English text) is for the log, not for the screen.
    if isinstance(exc, FileNotFoundError):
        return "找不到用于生成图片的浏览器（Chromium）；可改为下载 HTML 图表。"
    if isinstance(exc, MemoryError):
        return "生成图片时内存不足；可改为下载 HTML 图表。"
    return "浏览器未能生成图片；可改为下载 HTML 图表。"


def figure_images(
    figures: Sequence[go.Figure], format: ImageFormat = "png", *, scale: float = 2.0
) -> list[bytes]:
    """Each figure as PNG or SVG bytes, in order, from one browser started for the whole batch.

    A figure without a width is drawn 1000 px wide, the canvas the charts assume; ``scale``
    multiplies the pixels of a PNG (2 keeps text sharp in a Word document). The browser runs in
    a thread of its own, so this works where an event loop is already running. Raises
    :class:`ImageExportError` (Chinese message) when export is unavailable or fails.
    """
    if format not in IMAGE_FORMATS:
        raise ValueError(f"图片格式应为 png 或 svg，实为 {format!r}")
    if not figures:
        return []
    path, reason = _browser()
    if path is None:
        raise ImageExportError(reason)
    jobs = [(figure, _options(figure, format, scale)) for figure in figures]
    try:
        with ThreadPoolExecutor(max_workers=1) as pool:
            return pool.submit(asyncio.run, _render(jobs, path)).result()
    except Exception as exc:
        raise ImageExportError(_failure(exc)) from exc
