"""The Trajectory tab's charts: SVG drawn on the server with matplotlib.

Presentation only: the dataclasses of ``outcomes.trajectory`` in, SVG text out, to
be inlined in the page. As ``portal.charts``: ``matplotlib.figure.Figure`` with the
SVG canvas (never ``pyplot``), the app's ``PALETTE``, text kept as text, dates in
the active locale, and the same data drawing the same bytes. Each chart carries a
``<title>`` and a ``<desc>`` naming every value; the page puts a table beside it.

Every chart shares the page's time axis and marks admission, discharge and each
follow-up visit with a labelled vertical line (solid, dashed, dotted). Bands are
light fills behind the line, each with its label written in it, so colour is
never the only cue; the y axis label says which direction is better, with an
arrow.

Inlining: the page's Content-Security-Policy allows no inline style, so the
``style`` attributes matplotlib writes become SVG presentation attributes (which
the policy does not govern) and its ``<style>`` element is dropped; every id gets
the chart's prefix so several charts can share one page.
"""

import io
import re
import textwrap
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

import matplotlib
from django.utils.formats import date_format
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _
from matplotlib import dates as mdates
from matplotlib.axes import Axes
from matplotlib.backends.backend_svg import FigureCanvasSVG
from matplotlib.figure import Figure
from matplotlib.ticker import FuncFormatter
from matplotlib.typing import RcKeyType

from painrehab.domain.outcomes import Direction
from painrehab.outcomes.change import day, num
from painrehab.outcomes.trajectory import (
    Attendance,
    DailySeries,
    GoalLine,
    InstrumentSeries,
    Marker,
    MeasureSeries,
)
from painrehab.portal.charts import PALETTE, RC

SIZE_INCHES = (6.4, 3.6)
MAX_DATE_TICKS = 5
TITLE_WIDTH = 60
BAND_LABEL_WIDTH = 14  # band labels wrap beside the axes, right of the plot
LABELLED_POINTS = 12  # write each value beside its point up to this many points
# Text over lines and fills sits on a small white box, to stay legible.
VALUE_BOX = {"facecolor": PALETTE["paper"], "edgecolor": "none", "pad": 0.8}
MARKER_STYLES = {"admission": "-", "discharge": "--", "follow_up": ":"}
# Light fills behind the line, one per band in the band's order.
BAND_FILLS = ("#e6f2ea", "#fdf1d8", "#fbe2e0", "#e9edf2")
# Okabe & Ito's colour-blind safe colours (the yellow left out: too light on white),
# each goal also with its own marker and line style.
SERIES_COLOURS = ("#0072b2", "#d55e00", "#009e73", "#cc79a7", "#e69f00", "#56b4e9")
SERIES_MARKERS = ("o", "s", "^", "D", "v", "P")
SERIES_LINES = ("-", "--", "-.", ":")
GOAL_TICKS = (-2, -1, 0, 1, 2)
# Fixed margins (fractions of the figure), quicker than a layout engine: room for
# the title, the axis labels, band labels on the right and legends below.
MARGINS = {"left": 0.11, "right": 0.97, "top": 0.88, "bottom": 0.12}
BESIDE_BANDS = {"right": 0.81}
ABOVE_LEGEND = {"bottom": 0.22}
LEGEND_COLUMNS = 4
LEGEND_ROW_INCHES = 0.28
# SVG presentation attributes: what a matplotlib style attribute may become.
PRESENTATION = frozenset(
    {
        "clip-path",
        "fill",
        "fill-opacity",
        "fill-rule",
        "font-family",
        "font-size",
        "font-style",
        "font-weight",
        "opacity",
        "stroke",
        "stroke-dasharray",
        "stroke-dashoffset",
        "stroke-linecap",
        "stroke-linejoin",
        "stroke-miterlimit",
        "stroke-opacity",
        "stroke-width",
        "text-anchor",
    }
)


@dataclass(frozen=True)
class Chart:
    """One drawn chart: the id its table and words refer to, and the SVG."""

    id: str
    title: str
    svg: SafeString


# --- Making matplotlib's SVG fit inline in a page ------------------------------


def _presentation(match: re.Match[str]) -> str:
    """One tag with its ``style`` attribute turned into presentation attributes."""
    before, style, after = match.group(1), match.group(2), match.group(3)
    present = set(re.findall(r"([\w:-]+)=", before + after))
    attributes = []
    for declaration in style.split(";"):
        name, _sep, value = declaration.partition(":")
        name, value = name.strip(), value.strip()
        if name in PRESENTATION and name not in present and value:
            attributes.append(f'{name}="{value}"')
            present.add(name)
    return before + "".join(f" {a}" for a in attributes) + after


def inline_svg(svg: str, *, prefix: str, desc: str) -> str:
    """matplotlib's SVG document as an element for an HTML page (see above)."""
    svg = svg[svg.index("<svg") :]
    svg = re.sub(r"\s*<metadata>.*?</metadata>", "", svg, flags=re.S)
    svg = re.sub(r"\s*<style[^>]*>.*?</style>", "", svg, flags=re.S)
    svg = re.sub(r"\s*<defs>\s*</defs>", "", svg)
    svg = re.sub(r'(<[^<>]*?)\sstyle="([^"]*)"([^<>]*>)', _presentation, svg)
    svg = re.sub(r'(\s)id="([^"]+)"', rf'\1id="{prefix}-\2"', svg)
    svg = re.sub(r"url\(#([^)]+)\)", rf"url(#{prefix}-\1)", svg)
    svg = re.sub(r'(xlink:href|href)="#([^"]+)"', rf'\1="#{prefix}-\2"', svg)
    svg = svg.replace(
        "<svg ",
        f'<svg class="trajectory-svg" role="img" '
        f'aria-labelledby="{prefix}-title {prefix}-desc" '
        'stroke-linejoin="round" stroke-linecap="butt" ',
        1,
    )
    return svg.replace(
        "<title>",
        f'<title id="{prefix}-title">',
        1,
    ).replace(
        "</title>",
        f'</title>\n <desc id="{prefix}-desc">{escape(desc)}</desc>',
        1,
    )


# --- Drawing -----------------------------------------------------------------------


def _num_date(on: date) -> float:
    return float(mdates.date2num(on))  # type: ignore[no-untyped-call]


def _day_tick(value: float, *, with_year: bool) -> str:
    on = mdates.num2date(value).date()  # type: ignore[no-untyped-call]
    return date_format(on, "SHORT_DATE_FORMAT" if with_year else "MONTH_DAY_FORMAT")


def _time_axis(ax: Axes, span: tuple[date, date]) -> None:
    first, last = span
    margin = max(3.0, (last - first).days * 0.06)
    ax.set_xlim(_num_date(first) - margin, _num_date(last) + margin)
    ax.xaxis.set_major_locator(
        mdates.AutoDateLocator(minticks=2, maxticks=MAX_DATE_TICKS)  # type: ignore[no-untyped-call]
    )
    with_year = first.year != last.year
    ax.xaxis.set_major_formatter(
        FuncFormatter(lambda value, _pos: _day_tick(value, with_year=with_year))
    )


def _journey(ax: Axes, markers: Sequence[Marker]) -> None:
    """The vertical lines of admission, discharge and each follow-up visit."""
    for marker in markers:
        x = _num_date(marker.on)
        ax.axvline(
            x,
            color=PALETTE["muted"],
            linestyle=MARKER_STYLES.get(marker.kind, "-"),
            linewidth=1.3,
            zorder=1,
        )
        ax.text(
            x,
            0.97,
            f" {marker.label}",
            transform=ax.get_xaxis_transform(),
            rotation=90,
            va="top",
            ha="right",
            fontsize=9,
            color=PALETTE["ink"],
            bbox=VALUE_BOX,
            zorder=1.5,  # under the values and their labels
        )


def _arrow(direction: Direction | None) -> str:
    if direction is None:
        return ""
    return " ↓" if direction is Direction.LOWER_IS_BETTER else " ↑"


def _frame(ax: Axes, *, title: str, low: float, high: float, ylabel: str) -> None:
    ax.set_title(textwrap.fill(title, TITLE_WIDTH), loc="left", fontsize=11)
    ax.set_ylim(low, high)
    ax.set_ylabel(ylabel)
    ax.grid(axis="y", color=PALETTE["grid"], linewidth=0.6)
    ax.set_axisbelow(True)
    for side in ("top", "right"):
        ax.spines[side].set_visible(False)


def _line(
    ax: Axes,
    days: Sequence[date],
    values: Sequence[float],
    *,
    colour: str = PALETTE["function"],
    marker: str = "o",
    linestyle: str = "-",
    label: str | None = None,
    labelled: bool = True,
) -> None:
    ax.plot(
        [_num_date(d) for d in days],
        list(values),
        color=colour,
        marker=marker,
        markersize=6,
        linewidth=2,
        linestyle=linestyle,
        label=label,
        zorder=3,
    )
    if labelled and len(values) <= LABELLED_POINTS:
        for on, value in zip(days, values, strict=True):
            ax.annotate(
                num(value),
                (_num_date(on), value),
                textcoords="offset points",
                xytext=(0, 7),
                ha="center",
                fontsize=9,
                color=PALETTE["ink"],
                bbox=VALUE_BOX,
                zorder=4,
            )


def _draw(
    chart_id: str,
    title: str,
    desc: str,
    paint: Callable[[Axes], None],
    *,
    span: tuple[date, date],
    markers: Sequence[Marker],
    size: tuple[float, float] = SIZE_INCHES,
    margins: dict[str, float] | None = None,
) -> Chart:
    rc: dict[RcKeyType, Any] = {**RC, "svg.hashsalt": f"trajectory-{chart_id}"}
    with matplotlib.rc_context(rc):
        fig = Figure(figsize=size, facecolor=PALETTE["paper"])
        FigureCanvasSVG(fig)
        fig.subplots_adjust(**{**MARGINS, **(margins or {})})
        ax = fig.subplots()
        paint(ax)
        _journey(ax, markers)
        _time_axis(ax, span)
        out = io.StringIO()
        fig.savefig(
            out, format="svg", metadata={"Title": title, "Date": None, "Creator": None}
        )
    svg = inline_svg(out.getvalue(), prefix=chart_id, desc=desc)
    return Chart(chart_id, title, mark_safe(svg))  # noqa: S308 (our own drawing, escaped)


def _legend(ax: Axes, *, columns: int) -> None:
    """The legend across the bottom of the figure, under the date axis."""
    figure = ax.get_figure()
    if figure is not None:
        figure.legend(
            loc="lower center", ncols=columns, fontsize=9, frameon=False, borderpad=0.2
        )


def _markers_words(markers: Sequence[Marker]) -> str:
    if not markers:
        return ""
    listed = "; ".join(f"{m.label} {day(m.on)}" for m in markers)
    return _("Lines mark: %(markers)s.") % {"markers": listed}


# --- One chart per kind of series --------------------------------------------------


def _bands(ax: Axes, series: InstrumentSeries) -> None:
    for i, band in enumerate(series.bands):
        low = max(series.low, band.low - 0.5)
        high = min(series.high, band.high + 0.5)
        ax.axhspan(low, high, color=BAND_FILLS[i % len(BAND_FILLS)], lw=0, zorder=0)
        ax.text(
            1.01,
            (low + high) / 2,
            textwrap.fill(band.label, BAND_LABEL_WIDTH),
            transform=ax.get_yaxis_transform(),
            ha="left",
            va="center",
            fontsize=9,
            color=PALETTE["muted"],
        )


def instrument_description(series: InstrumentSeries, markers: Sequence[Marker]) -> str:
    parts = [
        _("%(name)s, %(unit)s from %(low)s to %(high)s; %(better)s.")
        % {
            "name": series.name,
            "unit": series.unit,
            "low": num(series.low),
            "high": num(series.high),
            "better": series.better,
        }
    ]
    if series.bands:
        bands = "; ".join(f"{b.label} {num(b.low)}–{num(b.high)}" for b in series.bands)
        parts.append(_("Bands: %(bands)s.") % {"bands": bands})
    values = "; ".join(
        f"{day(p.on)} ({p.label}): {num(p.value)}" for p in series.points
    )
    parts.append(_("Values: %(values)s.") % {"values": values})
    parts.append(_markers_words(markers))
    return " ".join(p for p in parts if p)


def instrument_chart(
    series: InstrumentSeries, *, markers: Sequence[Marker], span: tuple[date, date]
) -> Chart:
    title = f"{series.name} ({series.code})"

    def paint(ax: Axes) -> None:
        ylabel = f"{series.unit}, {series.better}{_arrow(series.direction)}"
        _frame(ax, title=title, low=series.low, high=series.high, ylabel=ylabel)
        _bands(ax, series)
        _line(ax, [p.on for p in series.points], [p.value for p in series.points])

    desc = instrument_description(series, markers)
    chart_id = f"chart-{series.code.lower()}"
    margins = BESIDE_BANDS if series.bands else None
    return _draw(
        chart_id, title, desc, paint, span=span, markers=markers, margins=margins
    )


def daily_chart(
    series: DailySeries, *, markers: Sequence[Marker], span: tuple[date, date]
) -> Chart:
    def paint(ax: Axes) -> None:
        better = f", {series.better}" if series.better else ""
        ylabel = f"{series.unit}{better}{_arrow(series.direction)}"
        _frame(ax, title=series.title, low=series.low, high=series.high, ylabel=ylabel)
        ax.plot(
            [_num_date(p.on) for p in series.days],
            [p.value for p in series.days],
            linestyle="none",
            marker=".",
            markersize=7,
            color=PALETTE["muted"],
            label=_("Each day"),
            zorder=2,
        )
        middle = [w.week_of + timedelta(days=3) for w in series.weeks]
        _line(
            ax,
            middle,
            [w.mean for w in series.weeks],
            colour=PALETTE["pain"],
            marker="s",
            label=_("Weekly mean"),
        )
        _legend(ax, columns=2)

    weeks = "; ".join(
        _("week of %(date)s: %(mean)s (%(days)s days)")
        % {"date": day(w.week_of), "mean": num(w.mean), "days": w.days}
        for w in series.weeks
    )
    desc = " ".join(
        [
            series.words,
            _("Each day as a dot, each week's mean as a line: %(weeks)s.")
            % {"weeks": weeks},
            _markers_words(markers),
        ]
    )
    chart_id = f"chart-{series.key.replace('_', '-')}"
    return _draw(
        chart_id,
        series.title,
        desc,
        paint,
        span=span,
        markers=markers,
        margins=ABOVE_LEGEND,
    )


def attendance_chart(
    found: Sequence[Attendance], *, markers: Sequence[Marker], span: tuple[date, date]
) -> Chart:
    title = _("School attendance")

    def paint(ax: Axes) -> None:
        ylabel = _("Days attended, higher is better") + " ↑"
        _frame(ax, title=title, low=0, high=115, ylabel=ylabel)
        ax.set_yticks([0, 25, 50, 75, 100])
        ax.yaxis.set_major_formatter(FuncFormatter(lambda v, _pos: f"{v:.0f}%"))
        shown = [a for a in found if a.percent is not None]
        ax.bar(
            [_num_date(a.on) for a in shown],
            [a.percent or 0.0 for a in shown],
            width=2.5,
            color=PALETTE["function"],
            zorder=3,
        )
        for a in found:
            ax.annotate(
                f"{num(a.attended)}/{a.offered}",
                (_num_date(a.on), a.percent or 0.0),
                textcoords="offset points",
                xytext=(0, 3),
                ha="center",
                fontsize=9,
                bbox=VALUE_BOX,
                zorder=4,
            )

    values = "; ".join(
        _("%(date)s: %(attended)s of %(offered)s days") % {
            "date": day(a.on), "attended": num(a.attended), "offered": a.offered
        }
        for a in found
    )  # fmt: skip
    desc = " ".join(
        [
            _("School days attended of the days offered, each as a bar in percent."),
            _("Values: %(values)s.") % {"values": values},
            _markers_words(markers),
        ]
    )
    return _draw(
        "chart-attendance",
        title,
        desc,
        paint,
        span=span,
        markers=markers,
        margins={"left": 0.13},
    )


def measure_chart(
    series: MeasureSeries, *, markers: Sequence[Marker], span: tuple[date, date]
) -> Chart:
    def paint(ax: Axes) -> None:
        ylabel = f"{series.unit}, {series.better}{_arrow(series.direction)}"
        _frame(ax, title=series.title, low=series.low, high=series.high, ylabel=ylabel)
        _line(ax, [p.on for p in series.points], [p.value for p in series.points])

    values = "; ".join(
        f"{day(p.on)}: {num(p.value)} {series.unit}" for p in series.points
    )
    desc = " ".join(
        [
            f"{series.title} ({series.unit}); {series.better}.",
            _("Values: %(values)s.") % {"values": values},
            _markers_words(markers),
        ]
    )
    chart_id = f"chart-{series.kind.replace('_', '-')}"
    return _draw(chart_id, series.title, desc, paint, span=span, markers=markers)


def _goal_tick(value: float, _pos: int) -> str:
    if value == 0:
        return _("0 expected")
    return f"{int(value):+d}".replace("-", "−")


def goals_chart(
    goals: Sequence[GoalLine], *, markers: Sequence[Marker], span: tuple[date, date]
) -> Chart:
    title = _("Goal attainment (−2 to +2; 0 is the expected level)")

    def paint(ax: Axes) -> None:
        ylabel = _("Attainment, higher is better") + " ↑"
        _frame(ax, title=title, low=-2.4, high=2.4, ylabel=ylabel)
        ax.set_yticks(GOAL_TICKS)
        ax.yaxis.set_major_formatter(FuncFormatter(_goal_tick))
        for i, goal in enumerate(goals):
            _line(
                ax,
                [r.on for r in goal.reviews],
                [float(r.score) for r in goal.reviews],
                colour=SERIES_COLOURS[i % len(SERIES_COLOURS)],
                marker=SERIES_MARKERS[i % len(SERIES_MARKERS)],
                linestyle=SERIES_LINES[i % len(SERIES_LINES)],
                label=goal.name,
                labelled=False,
            )
        _legend(ax, columns=min(LEGEND_COLUMNS, max(1, len(goals))))

    listed = " ".join(
        _("%(goal)s (%(words)s): %(reviews)s.")
        % {
            "goal": goal.name,
            "words": goal.words,
            "reviews": "; ".join(f"{day(r.on)}: {r.score:+d}" for r in goal.reviews),
        }
        for goal in goals
    )
    desc = " ".join(
        [
            _("Goal attainment scaling, each goal as its own line and marker."),
            listed,
            _markers_words(markers),
        ]
    )
    rows = -(-len(goals) // LEGEND_COLUMNS)
    height = SIZE_INCHES[1] + LEGEND_ROW_INCHES * rows
    margins = {"left": 0.21, "bottom": (0.5 + LEGEND_ROW_INCHES * rows) / height}
    return _draw(
        "chart-goals",
        title,
        desc,
        paint,
        span=span,
        markers=markers,
        size=(SIZE_INCHES[0], height),
        margins=margins,
    )
