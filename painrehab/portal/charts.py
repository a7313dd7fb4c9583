"""The family's progress chart: an SVG drawn on the server with matplotlib.

Two panels over the same dates: how hard everyday activities are (the child's own
report, 0-60) and pain (the weekly average of the daily check-in, 0-10); lower is
better in both. Every label is translated when the chart is drawn, so the view
draws it inside the request's language; dates are written with Django's
locale-aware formats. Text stays text in the SVG (``svg.fonttype: none``), and the
file carries a ``<title>`` and a ``<desc>`` naming every value, for screen readers
that open the image; the page beside it has the same values as tables.

Only ``matplotlib.figure.Figure`` with the SVG canvas is used (never ``pyplot``):
no global figure state, nothing kept between requests.
"""

import io
import textwrap
from typing import Any

import matplotlib
from django.utils.formats import date_format, number_format
from django.utils.html import escape
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from matplotlib import dates as mdates
from matplotlib.axes import Axes
from matplotlib.backends.backend_svg import FigureCanvasSVG
from matplotlib.figure import Figure
from matplotlib.ticker import FuncFormatter
from matplotlib.typing import RcKeyType

from painrehab.portal.selectors.progress import (
    FUNCTION_MAX,
    PAIN_MAX,
    ProgressSeries,
)

# The colours of app.css (WCAG AA on white), shared with the staff's charts.
PALETTE = {
    "ink": "#1b1f24",
    "muted": "#4d5562",
    "grid": "#c9ced6",
    "paper": "#ffffff",
    "function": "#0b5c7a",  # --brand
    "pain": "#b54708",  # --focus: orange, told apart from blue in colour blindness
}
# Deterministic output: the same data draws the same bytes.
RC: dict[RcKeyType, Any] = {
    "svg.fonttype": "none",
    "svg.hashsalt": "painrehab-progress",
    "font.family": "sans-serif",
    "font.size": 11,
    "axes.edgecolor": PALETTE["muted"],
    "axes.labelcolor": PALETTE["ink"],
    "xtick.color": PALETTE["muted"],
    "ytick.color": PALETTE["muted"],
    "text.color": PALETTE["ink"],
}
SIZE_INCHES = (6.4, 5.6)
MAX_DATE_TICKS = 4


def _day(value: float, *, with_year: bool) -> str:
    day = mdates.num2date(value).date()  # type: ignore[no-untyped-call]
    return date_format(day, "SHORT_DATE_FORMAT" if with_year else "MONTH_DAY_FORMAT")


# Characters a panel title may take on one line (longer titles wrap: Spanish runs
# about a fifth longer than English).
TITLE_WIDTH = 52


def _panel(ax: Axes, *, title: str, top: int, step: int) -> None:
    title = textwrap.fill(title, TITLE_WIDTH)
    ax.set_title(title, loc="left", fontsize=12, fontweight="bold", pad=10)
    ax.set_ylim(0, top)
    ax.set_yticks(range(0, top + 1, step))
    ax.grid(axis="y", color=PALETTE["grid"], linewidth=0.8)
    ax.set_axisbelow(True)
    for side in ("top", "right"):
        ax.spines[side].set_visible(False)


def _empty(ax: Axes, text: str) -> None:
    ax.text(
        0.5,
        0.5,
        text,
        transform=ax.transAxes,
        ha="center",
        va="center",
        color=PALETTE["muted"],
    )


def description(series: ProgressSeries) -> str:
    """Every value of the chart in one paragraph of words (the SVG's ``<desc>``)."""
    parts = [
        _(
            "How hard everyday activities are, from 0 (no trouble) to 60 (very "
            "hard); lower is better."
        )
    ]
    parts += [
        _("%(date)s: %(value)s out of 60.")
        % {
            "date": date_format(p.on, "DATE_FORMAT"),
            "value": number_format(p.total, decimal_pos=0),
        }
        for p in series.function
    ] or [_("No answers yet.")]
    parts.append(
        _("Pain, the average of each week's check-ins, from 0 to 10; lower is better.")
    )
    parts += [
        _("Week of %(date)s: %(value)s out of 10.")
        % {
            "date": date_format(w.week_of, "DATE_FORMAT"),
            "value": number_format(w.average, decimal_pos=1),
        }
        for w in series.pain
    ] or [_("No check-ins yet.")]
    return " ".join(parts)


def progress_svg(series: ProgressSeries, *, title: str) -> str:
    """The chart as an SVG document, labelled in the active language."""
    days = series.dates
    span = (days[-1] - days[0]).days if days else 0
    with matplotlib.rc_context(RC):
        fig = Figure(figsize=SIZE_INCHES, facecolor=PALETTE["paper"])
        FigureCanvasSVG(fig)
        function_ax, pain_ax = fig.subplots(2, 1, sharex=True)
        _panel(
            function_ax,
            title=_("How hard everyday activities are (lower is better)"),
            top=FUNCTION_MAX,
            step=15,
        )
        _panel(
            pain_ax,
            title=_("Pain, weekly average (lower is better)"),
            top=PAIN_MAX,
            step=2,
        )
        if series.function:
            function_ax.plot(
                [p.on for p in series.function],
                [p.total for p in series.function],
                color=PALETTE["function"],
                marker="o",
                markersize=7,
                linewidth=2.5,
            )
        else:
            _empty(function_ax, _("No answers yet."))
        if series.pain:
            pain_ax.plot(
                [w.week_of for w in series.pain],
                [w.average for w in series.pain],
                color=PALETTE["pain"],
                marker="s",
                markersize=7,
                linewidth=2.5,
                linestyle="--",
            )
        else:
            _empty(pain_ax, _("No check-ins yet."))
        if days:
            first = float(mdates.date2num(days[0]))  # type: ignore[no-untyped-call]
            last = float(mdates.date2num(days[-1]))  # type: ignore[no-untyped-call]
            margin = max(3.0, span * 0.08)
            pain_ax.set_xlim(first - margin, last + margin)
            pain_ax.xaxis.set_major_locator(
                mdates.AutoDateLocator(  # type: ignore[no-untyped-call]
                    minticks=2, maxticks=MAX_DATE_TICKS
                )
            )
            # Dates over more than one calendar year show the year too.
            with_year = days[0].year != days[-1].year
            pain_ax.xaxis.set_major_formatter(
                FuncFormatter(lambda value, _pos: _day(value, with_year=with_year))
            )
        else:
            pain_ax.set_xticks([])
        fig.align_ylabels()
        fig.tight_layout(h_pad=2.0)
        out = io.StringIO()
        fig.savefig(
            out,
            format="svg",
            metadata={"Title": title, "Date": None, "Creator": None},
        )
    return _described(out.getvalue(), series)


def _described(svg: str, series: ProgressSeries) -> str:
    """Add the ``<desc>`` after matplotlib's ``<title>``, and the language."""
    desc = f"</title>\n <desc>{escape(description(series))}</desc>"
    svg = svg.replace("</title>", desc, 1)
    return svg.replace("<svg ", f'<svg xml:lang="{get_language()}" ', 1)
