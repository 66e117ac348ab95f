"""Plotly figures of the clean-up and of one item's process, for the screens and the reports.

Pure functions from the canonical tables (and the figure tables of :mod:`approvals.metrics`) to
``plotly.graph_objects.Figure``. Everything the analyst reads on a figure is Chinese; the colours
mean the same on every figure: green meets a target, red-orange misses it, red is the critical
path, orange marks a step a redesign rule flagged, grey is time the statutory limit does not count.
"""

from __future__ import annotations

import html
from collections.abc import Iterable, Mapping
from typing import Any

import numpy as np
import pandas as pd
import plotly.graph_objects as go
import plotly.io as pio
from plotly.colors import hex_to_rgb

from approvals.model import Decision

# Charts are written by the standard json module whatever else is installed (plotly would take
# orjson when present): the same figure gives the same bytes in every report and on every machine.
pio.json.config.default_engine = "json"

FONT_FAMILY = "Noto Sans CJK SC, Microsoft YaHei, PingFang SC, SimHei, sans-serif"


TEXT_COLOUR = "#263238"


PASS_COLOUR = "#2e7d32"


FAIL_COLOUR = "#e64a19"


NEUTRAL_COLOUR = "#546e7a"


CRITICAL_COLOUR = "#d32f2f"


FLAGGED_COLOUR = "#ff8f00"


UNCOUNTED_COLOUR = "#9e9e9e"


EDGE_COLOUR = "#78909c"


STEP_COLOUR = "#1e88e5"


BEFORE_COLOUR = "#8d6e63"


AFTER_COLOUR = "#1e88e5"


DECISION_COLOURS: dict[str, str] = {
    Decision.RETAINED: "#2e7d32",
    Decision.CANCELLED: "#c62828",
    Decision.DELEGATED: "#f9a825",
    Decision.MERGED: "#6a1b9a",
    Decision.CHANGED: "#0277bd",
    Decision.UNDECIDED: "#9e9e9e",
}


# Light fills, so the black labels stay readable; no grey or red (they mean uncounted / critical).
OFFICE_COLOURS: tuple[str, ...] = (
    "#a6cee3",
    "#b2df8a",
    "#cab2d6",
    "#ffe082",
    "#80cbc4",
    "#f8bbd0",
    "#d7ccc8",
    "#c5cae9",
    "#dcedc8",
    "#b3e5fc",
    "#fff59d",
    "#e1bee7",
)


OFFICE_LINE_COLOUR = "#607d8b"  # the thin outline of a step drawn in its office's colour


def office_colours(offices: Iterable[str], given: Mapping[str, str] | None = None) -> dict[str, str]:
    """One fill per office: those of ``given`` kept, the others in the order first named, through
    OFFICE_COLOURS. Give every chart of an item the map of all its offices (再造前 first, then
    those only 再造后 has), so an office wears one colour on all of them.

    >>> colours = office_colours(["受理科", "审批科", "受理科"])
    >>> list(colours), colours["受理科"] == OFFICE_COLOURS[0]
    (['受理科', '审批科'], True)
    >>> office_colours(["局长", "受理科"], given=colours)["局长"] == OFFICE_COLOURS[2]
    True
    """
    colours = dict(given or {})
    for office in dict.fromkeys(str(o) for o in offices):
        if office not in colours:
            colours[office] = OFFICE_COLOURS[len(colours) % len(OFFICE_COLOURS)]
    return colours


UNCOUNTED_FILL = "#eeeeee"


UNCOUNTED_NOTE = "不计入时限"


DAY_TOLERANCE = 1e-9  # days are sums of a few decimals (0.5 days and the like)


def _percent(value: float) -> str:
    """A rate as the analyst writes it: at most one decimal, no trailing zero.

    >>> _percent(0.3), _percent(0.5318), _percent(0.325)
    ('30%', '53.2%', '32.5%')
    """
    text = f"{value * 100:.1f}".rstrip("0").rstrip(".")
    return f"{text}%"


def _days_text(days: float, status: str = "") -> str:
    """A step's or item's limit for display: "5个工作日", "0.5个工作日", "即办", or unfilled.

    >>> _days_text(5.0), _days_text(0.5), _days_text(0.0), _days_text(0.0, "blank")
    ('5个工作日', '0.5个工作日', '即办', '时限未填')
    """
    if status == "blank" or days is None or np.isnan(days):
        return "时限未填"
    if days == 0:
        return "即办"
    return f"{days:g}个工作日"


def _rgba(colour: str, alpha: float) -> str:
    red, green, blue = hex_to_rgb(colour)
    return f"rgba({red},{green},{blue},{alpha})"


def _wrap_list(text: str, width: int = 20) -> str:
    """A 、-separated list (materials) in lines of about ``width`` characters, breaking between items."""
    lines: list[str] = []
    for part in (p for p in text.split("、") if p):
        if lines and len(lines[-1]) + 1 + len(part) <= width:
            lines[-1] += "、" + part
        else:
            lines.append(part)
    return "<br>".join(lines)


def _margins(
    subtitle: str, *, legend_below: bool, legend_rows: int = 2, x_title: bool = True
) -> tuple[int, int]:
    """Top and bottom margins: room for the title and each line of its subtitle, and for the
    lines of a legend under the chart (and under the x axis title, if there is one).

    >>> _margins("", legend_below=False), _margins("a<br>b", legend_below=True, legend_rows=3)
    ((72, 48), (120, 124))
    """
    top = 72 + (24 * (subtitle.count("<br>") + 1) if subtitle else 0)
    if not legend_below:
        return top, 48
    return top, (52 if x_title else 16) + 24 * legend_rows


def _styled(
    figure: go.Figure,
    title: str,
    *,
    subtitle: str = "",
    subtitle_colour: str = NEUTRAL_COLOUR,
    height: int | None = None,
    legend_below: bool = False,
    legend_rows: int = 2,
    x_title: bool = True,
) -> go.Figure:
    """The house style: CJK fonts, readable sizes, room for the title and the axis labels.

    ``legend_below`` puts a horizontal legend of about ``legend_rows`` lines at the foot of the
    figure, under the x axis title (``x_title``) or right under the plot.
    """
    top, bottom = _margins(subtitle, legend_below=legend_below, legend_rows=legend_rows, x_title=x_title)
    figure.update_layout(
        template="plotly_white",
        font={"family": FONT_FAMILY, "size": 14, "color": TEXT_COLOUR},
        title={
            "text": f"<b>{markup(title)}</b>",
            "x": 0.01,
            "xanchor": "left",
            "font": {"size": 18},
            "subtitle": {"text": subtitle, "font": {"size": 13, "color": subtitle_colour}},
        },
        hoverlabel={"font": {"family": FONT_FAMILY, "size": 13}},
        legend={"font": {"size": 13}},
        margin={"l": 24, "r": 24, "t": top, "b": bottom},
        height=height,
    )
    if legend_below:
        figure.update_layout(
            legend={"orientation": "h", "yref": "container", "y": 0.01, "yanchor": "bottom", "x": 0}
        )
    figure.update_xaxes(automargin=True)
    figure.update_yaxes(automargin=True)
    return figure


def _note_figure(message: str, title: str, *, colour: str = NEUTRAL_COLOUR) -> go.Figure:
    """A figure with nothing to draw, saying why in the middle."""
    figure = go.Figure()
    figure.add_annotation(
        text=message,
        xref="paper",
        yref="paper",
        x=0.5,
        y=0.5,
        showarrow=False,
        font={"size": 16, "color": colour},
    )
    figure.update_xaxes(visible=False)
    figure.update_yaxes(visible=False)
    return _styled(figure, title, height=320)


def markup(text: object) -> str:
    """Text a file brought (a name, an office) for a figure: plotly reads a figure's text, hover,
    legend and axis labels as a subset of HTML (links and styles among it), so < > & are written
    as entities, which plotly shows as the signs themselves. Quotes stay as they are (plotly does
    not decode ``&quot;``).

    >>> markup('<a href="http://example.com">链接</a> & 1')
    '&lt;a href="http://example.com"&gt;链接&lt;/a&gt; &amp; 1'
    """
    return html.escape(str(text), quote=False)


def _text(values: pd.Series) -> pd.Series:
    return values.fillna("").astype("str").str.strip()


def _legend_entry(figure: go.Figure, name: str, marker: dict[str, Any], *, group: str = "") -> None:
    """A legend line with no data behind it (the boxes themselves are layout shapes)."""
    figure.add_trace(
        go.Scatter(
            x=[None],
            y=[None],
            mode="markers",
            name=markup(name),
            marker={"symbol": "square", "size": 14, **marker},
            legendgroup=group or name,
            hoverinfo="skip",
        )
    )
