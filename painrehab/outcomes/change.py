"""Change from admission, in numbers and in words, shared by pages and reports.

A questionnaire's change compares its admission value with its discharge value (or
the latest one), in the terms of ``domain.outcomes``: reliable change from the
instrument's published reliability and the SD of the program's admission values of
that instrument (one grouped query for all instruments; a T-score with fewer than
two program values takes SD 10, the T metric's by definition), meaningful
improvement from the published threshold, and "no published threshold" where there
is none. The trajectory page and the discharge summary both read it from here.
"""

import math
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from django.db.models import Count, F, Sum
from django.utils.formats import date_format, number_format
from django.utils.translation import gettext as _

from painrehab.domain import outcomes as metrics
from painrehab.instruments.choices import AdministrationStatus, TimePoint
from painrehab.instruments.models import Score
from painrehab.outcomes.instruments import OutcomeSpec

Direction = metrics.Direction
T_SD = 10.0  # the T metric: SD 10 in the reference population, by definition

# --- Numbers and dates in words ----------------------------------------------


def num(value: float, places: int = 1) -> str:
    """``value`` rounded to at most ``places`` decimals, without trailing zeros."""
    rounded = round(float(value), places) + 0.0  # never "-0"
    shown = next(p for p in range(places + 1) if round(rounded, p) == rounded)
    return number_format(rounded, decimal_pos=shown)


def signed(value: float, places: int = 1) -> str:
    return ("+" if round(value, places) > 0 else "") + num(value, places)


def day(on: date) -> str:
    return date_format(on, "DATE_FORMAT")


def better_words(direction: Direction | None) -> str:
    if direction is None:
        return ""
    if direction is Direction.LOWER_IS_BETTER:
        return _("lower is better")
    return _("higher is better")


def verdict(improvement: float) -> str:
    if improvement > 0:
        return _("an improvement")
    if improvement < 0:
        return _("a worsening")
    return _("no change")


@dataclass(frozen=True)
class Point:
    on: date
    value: float
    label: str  # the time point ("Admission", "Weekly 2"…), or empty
    band: str = ""


@dataclass(frozen=True)
class Change:
    """Admission against discharge (or the latest value), with the verdicts."""

    pre: Point
    post: Point
    post_is_discharge: bool
    change: float
    percent: float | None
    improvement: float  # positive is better
    rci: float | None
    reliable: bool | None  # None: not assessed
    sd_pre: float | None
    sd_n: int  # program admission values behind sd_pre
    sd_by_definition: bool
    meaningful: bool | None  # a meaningful improvement; None: no threshold
    meaningful_worsening: bool | None


# --- The program's admission SD ----------------------------------------------


@dataclass(frozen=True)
class ProgramSd:
    """The SD of the program's admission values of one instrument."""

    n_total: int
    sd_total: float | None
    n_t: int
    sd_t: float | None

    def of(self, *, on_t: bool) -> tuple[int, float | None]:
        return (self.n_t, self.sd_t) if on_t else (self.n_total, self.sd_total)


def _sample_sd(n: int, total: float | None, squares: float | None) -> float | None:
    """The sample SD (n - 1) from the count, sum and sum of squares."""
    if n < 2 or total is None or squares is None:
        return None
    variance = (squares - total * total / n) / (n - 1)
    return math.sqrt(max(variance, 0.0))


def program_admission_sd(codes: Sequence[str]) -> dict[str, ProgramSd]:
    """Per code, the sample SD of every episode's admission total and T-score.

    Sums in the database (SQLite's STDDEV_SAMP fails below two values), one query.
    """
    if not codes:
        return {}
    rows = (
        Score.objects.filter(
            scorable=True,
            administration__status=AdministrationStatus.SUBMITTED,
            administration__time_point=TimePoint.ADMISSION,
            administration__instrument_version__code__in=sorted(codes),
        )
        .exclude(administration__corrections__status=AdministrationStatus.SUBMITTED)
        .values("administration__instrument_version__code")
        .annotate(
            n_total=Count("total"),
            sum_total=Sum("total"),
            squares_total=Sum(F("total") * F("total")),
            n_t=Count("t_score"),
            sum_t=Sum("t_score"),
            squares_t=Sum(F("t_score") * F("t_score")),
        )
        .order_by()
    )
    return {
        row["administration__instrument_version__code"]: ProgramSd(
            n_total=row["n_total"],
            sd_total=_sample_sd(row["n_total"], row["sum_total"], row["squares_total"]),
            n_t=row["n_t"],
            sd_t=_sample_sd(row["n_t"], row["sum_t"], row["squares_t"]),
        )
        for row in rows
    }


# --- One change --------------------------------------------------------------


def _sd(on_t: bool, program: ProgramSd | None) -> tuple[float | None, int, bool]:
    """The SD for the RCI, the number of values behind it, and whether it is the
    T metric's SD by definition."""
    n, sd = program.of(on_t=on_t) if program is not None else (0, None)
    if n >= 2 and sd:
        return float(sd), n, False
    if on_t:
        return T_SD, n, True
    return None, n, False


def _opposite(direction: Direction) -> Direction:
    if direction is Direction.LOWER_IS_BETTER:
        return Direction.HIGHER_IS_BETTER
    return Direction.LOWER_IS_BETTER


def change_of(
    outcome: OutcomeSpec,
    *,
    on_t: bool,
    pre: Point,
    post: Point,
    post_is_discharge: bool,
    program: ProgramSd | None,
) -> Change:
    sd_pre, sd_n, by_definition = _sd(on_t, program)
    rci = None
    if outcome.reliability is not None and sd_pre is not None:
        rci = metrics.reliable_change_index(
            pre.value, post.value, sd_pre=sd_pre, reliability=outcome.reliability.r
        )
    threshold = outcome.threshold_for(on_t_scores=on_t)
    meaningful = worsening = None
    if threshold is not None:
        meaningful = metrics.is_meaningful(
            pre.value, post.value, outcome.direction, threshold
        )
        worsening = metrics.is_meaningful(
            pre.value, post.value, _opposite(outcome.direction), threshold
        )
    return Change(
        pre=pre,
        post=post,
        post_is_discharge=post_is_discharge,
        change=metrics.change(pre.value, post.value),
        percent=metrics.percent_change(pre.value, post.value),
        improvement=metrics.improvement(pre.value, post.value, outcome.direction),
        rci=rci,
        reliable=metrics.is_reliable(rci) if rci is not None else None,
        sd_pre=sd_pre,
        sd_n=sd_n,
        sd_by_definition=by_definition,
        meaningful=meaningful,
        meaningful_worsening=worsening,
    )


def _points_unit(on_t: bool, value: float) -> str:
    if on_t:
        return _("T-score points")
    return _("point") if abs(value) == 1 else _("points")


def _threshold_words(threshold: metrics.MeaningfulChange, on_t: bool) -> str:
    points = percent = ""
    if threshold.points is not None:
        points = f"{num(threshold.points)} {_points_unit(on_t, threshold.points)}"
    if threshold.percent is not None:
        percent = f"{num(threshold.percent)}%"
    size = points or percent
    if points and percent:
        size = _("%(points)s or %(percent)s") % {"points": points, "percent": percent}
    return _("threshold %(size)s; %(source)s") % {
        "size": size,
        "source": threshold.source,
    }


def _reliable_words(outcome: OutcomeSpec, change: Change) -> str:
    reliability = outcome.reliability
    if reliability is None:
        return _(
            "Reliable change not assessed: no published reliability is on file "
            "for this instrument."
        )
    if change.rci is None or change.sd_pre is None:
        return _(
            "Reliable change not assessed: the program's admission values do "
            "not give an SD yet (fewer than two, or all the same)."
        )
    if change.sd_by_definition:
        sd = _(
            "SD 10, the T-score's SD by definition, as the program has fewer "
            "than two admission T-scores"
        )
    else:
        sd = _("SD %(sd)s of %(n)s admission values in the program") % {
            "sd": num(change.sd_pre, 2),
            "n": change.sd_n,
        }
    details = {
        "rci": signed(change.rci),
        "r": num(reliability.r, 2),
        "source": reliability.source,
        "unconfirmed": "" if reliability.verified else _(", source not confirmed"),
        "sd": sd,
    }
    if change.reliable:
        text = _(
            "A reliable change: RCI %(rci)s, beyond ±1.96 (reliability %(r)s from "
            "%(source)s%(unconfirmed)s; %(sd)s)."
        )
    else:
        text = _(
            "Not a reliable change: RCI %(rci)s, within ±1.96 (reliability %(r)s "
            "from %(source)s%(unconfirmed)s; %(sd)s)."
        )
    return text % details


def _meaningful_words(outcome: OutcomeSpec, change: Change, on_t: bool) -> str:
    threshold = outcome.threshold_for(on_t_scores=on_t)
    if threshold is None:
        if outcome.threshold is not None:
            return _(
                "No published threshold for raw sums: the published one is in "
                "T-score points."
            )
        return _("No published threshold of meaningful change.")
    words = {"threshold": _threshold_words(threshold, on_t)}
    if change.meaningful:
        return _("A meaningful improvement (%(threshold)s).") % words
    if change.meaningful_worsening:
        return _("A meaningful worsening (%(threshold)s).") % words
    return _("Not a meaningful change (%(threshold)s).") % words


def change_words(outcome: OutcomeSpec, change: Change, *, on_t: bool) -> str:
    """The change in one paragraph: how much, whether reliable, whether meaningful."""
    if change.post_is_discharge:
        when = _("at discharge (%(date)s)") % {"date": day(change.post.on)}
    else:
        when = _("at the latest administration (%(point)s, %(date)s)") % {
            "point": change.post.label,
            "date": day(change.post.on),
        }
    percent = f", {signed(change.percent)}%" if change.percent is not None else ""
    head = _(
        "%(name)s went from %(pre)s at admission (%(pre_on)s) to %(post)s "
        "%(when)s: %(change)s %(unit)s%(percent)s, %(verdict)s (%(better)s)."
    ) % {
        "name": outcome.name,
        "pre": num(change.pre.value),
        "pre_on": day(change.pre.on),
        "post": num(change.post.value),
        "when": when,
        "change": signed(change.change),
        "unit": _points_unit(on_t, change.change),
        "percent": percent,
        "verdict": verdict(change.improvement),
        "better": better_words(outcome.direction),
    }
    meaningful = _meaningful_words(outcome, change, on_t)
    return " ".join([head, _reliable_words(outcome, change), meaningful])
