"""The Trajectory tab's charts (painrehab/outcomes/charts.py): SVG that parses, names
its values for screen readers, fits the page's CSP and draws the same bytes again.

No database: the series are built by hand.
"""

import re
import xml.etree.ElementTree as ET
from datetime import date, timedelta

from django.utils import translation

from painrehab.domain.outcomes import Direction
from painrehab.outcomes import charts
from painrehab.outcomes.instruments import spec
from painrehab.outcomes.trajectory import (
    Attendance,
    DailySeries,
    GoalLine,
    GoalReviewPoint,
    InstrumentSeries,
    Marker,
    MeasureSeries,
    Point,
    WeekMean,
)

SVG = "{http://www.w3.org/2000/svg}"
ADMITTED = date(2025, 3, 3)
DISCHARGED = date(2025, 3, 31)
MARKERS = (
    Marker(ADMITTED, "admission", "Admission"),
    Marker(DISCHARGED, "discharge", "Discharge"),
    Marker(date(2025, 6, 30), "follow_up", "3-month follow-up"),
)
SPAN = (ADMITTED, date(2025, 6, 30))


def _fdi(first: float = 34) -> InstrumentSeries:
    outcome = spec("FDI-C")
    return InstrumentSeries(
        code="FDI-C",
        name=outcome.name,
        respondent="child",
        on_t=False,
        low=0.0,
        high=60.0,
        bands=outcome.bands,
        direction=outcome.direction,
        points=(
            Point(ADMITTED, first, "Admission", "Severe disability"),
            Point(ADMITTED + timedelta(days=14), 25, "Weekly 2", "Moderate disability"),
            Point(DISCHARGED, 12, "Discharge", "No/minimal disability"),
        ),
        change=None,
        words="",
    )


def _parsed(chart: charts.Chart) -> ET.Element:
    return ET.fromstring(str(chart.svg))  # noqa: S314 (our own drawing)


def _texts(root: ET.Element) -> list[str]:
    return [t.text or "" for t in root.iter(f"{SVG}text")]


def test_an_instrument_chart_is_svg_with_title_description_bands_and_markers() -> None:
    chart = charts.instrument_chart(_fdi(), markers=MARKERS, span=SPAN)

    root = _parsed(chart)
    title = root.find(f"{SVG}title")
    desc = root.find(f"{SVG}desc")
    assert root.tag == f"{SVG}svg"
    assert root.get("role") == "img"
    assert root.get("aria-labelledby") == "chart-fdi-c-title chart-fdi-c-desc"
    assert title is not None and title.get("id") == "chart-fdi-c-title"
    assert title.text == "Functional Disability Inventory, child report (FDI-C)"
    assert desc is not None and desc.get("id") == "chart-fdi-c-desc"
    assert "Moderate disability 13–29" in (desc.text or "")
    assert "March 3, 2025 (Admission): 34" in (desc.text or "")
    assert "Lines mark: Admission March 3, 2025" in (desc.text or "")
    texts = _texts(root)
    assert "Moderate\ndisability" in texts or "Moderate" in " ".join(texts)
    assert " Admission" in texts
    assert " 3-month follow-up" in texts
    assert any("lower is better ↓" in t for t in texts)


def test_the_same_data_draws_the_same_bytes() -> None:
    first = charts.instrument_chart(_fdi(), markers=MARKERS, span=SPAN)
    again = charts.instrument_chart(_fdi(), markers=MARKERS, span=SPAN)
    changed = charts.instrument_chart(_fdi(first=40), markers=MARKERS, span=SPAN)

    assert first.svg == again.svg
    assert first.svg != changed.svg


def test_no_inline_style_and_every_id_is_the_charts_own() -> None:
    """The page's CSP refuses inline style; two charts on a page share no id."""
    fdi = str(charts.instrument_chart(_fdi(), markers=MARKERS, span=SPAN).svg)
    goals = str(_goals_chart().svg)

    for svg in (fdi, goals):
        assert " style=" not in svg and "<style" not in svg
        assert "<?xml" not in svg and "<!DOCTYPE" not in svg
        ids = re.findall(r'\sid="([^"]+)"', svg)
        references = re.findall(r'url\(#([^)]+)\)|href="#([^"]+)"', svg)
        assert len(ids) == len(set(ids))
        assert {a or b for a, b in references} <= set(ids)
    assert not set(re.findall(r'\sid="([^"]+)"', fdi)) & set(
        re.findall(r'\sid="([^"]+)"', goals)
    )
    assert 'fill="#0b5c7a"' in fdi or 'stroke="#0b5c7a"' in fdi


def test_daily_chart_names_each_weeks_mean() -> None:
    days = tuple(
        Point(ADMITTED + timedelta(days=i), float(8 - i // 7 * 2), "")
        for i in range(14)
    )
    weeks = (
        WeekMean(ADMITTED, 8.0, 7, 8.0, 8.0),
        WeekMean(ADMITTED + timedelta(days=7), 6.0, 7, 6.0, 6.0),
    )
    series = DailySeries(
        key="pain_now",
        title="Pain now (daily check-in)",
        unit="0 to 10",
        low=0.0,
        high=10.0,
        direction=Direction.LOWER_IS_BETTER,
        days=days,
        weeks=weeks,
        words="Pain now: 14 days.",
    )

    root = _parsed(charts.daily_chart(series, markers=MARKERS, span=SPAN))

    desc = root.find(f"{SVG}desc")
    assert desc is not None
    assert "week of March 10, 2025: 6 (7 days)" in (desc.text or "")
    assert {"Each day", "Weekly mean"} <= set(_texts(root))


def test_attendance_and_measure_charts_write_their_values() -> None:
    attendance = (
        Attendance(ADMITTED, 1.0, 5, 20.0),
        Attendance(DISCHARGED, 5.0, 5, 100.0),
    )
    walk = MeasureSeries(
        kind="six_minute_walk",
        title="Six-minute walk distance",
        unit="m",
        low=0.0,
        high=600.0,
        direction=Direction.HIGHER_IS_BETTER,
        points=(Point(ADMITTED, 320.0, ""), Point(DISCHARGED, 480.0, "")),
        words="",
    )

    school = _parsed(charts.attendance_chart(attendance, markers=MARKERS, span=SPAN))
    measure = _parsed(charts.measure_chart(walk, markers=MARKERS, span=SPAN))

    assert {"1/5", "5/5"} <= set(_texts(school))
    assert "March 31, 2025: 5 of 5 days" in (school.findtext(f"{SVG}desc") or "")
    assert {"320", "480"} <= set(_texts(measure))
    assert "March 3, 2025: 320 m" in (measure.findtext(f"{SVG}desc") or "")


def _goals_chart() -> charts.Chart:
    goals = tuple(
        GoalLine(
            number=n,
            words=f"goal words {n}",
            domain="School",
            status="Active",
            reviews=(
                GoalReviewPoint(ADMITTED, -2, "−2"),
                GoalReviewPoint(DISCHARGED, n - 3, ""),
            ),
        )
        for n in range(1, 6)
    )
    return charts.goals_chart(goals, markers=MARKERS, span=SPAN)


def test_goal_chart_has_a_legend_entry_and_a_description_per_goal() -> None:
    root = _parsed(_goals_chart())

    texts = _texts(root)
    desc = root.findtext(f"{SVG}desc") or ""
    assert {f"Goal {n}" for n in range(1, 6)} <= set(texts)
    assert "0 expected" in texts
    assert "Goal 5 (goal words 5): March 3, 2025: -2; March 31, 2025: +2." in desc


def test_labels_follow_the_active_language() -> None:
    with translation.override("es"):
        chart = charts.instrument_chart(_fdi(), markers=MARKERS, span=SPAN)

    desc = _parsed(chart).findtext(f"{SVG}desc") or ""
    assert "3 de marzo de 2025" in desc
