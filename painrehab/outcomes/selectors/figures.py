"""The program's figures as the dashboard shows them: value, n, and how."""

from dataclasses import dataclass

from django.utils.translation import gettext as _

from painrehab.domain import outcomes as metrics
from painrehab.outcomes.selectors.display import num, percent, proportion_text


@dataclass(frozen=True)
class CountFigure:
    label: str
    how: str
    n: int

    @property
    def value_text(self) -> str:
        return str(self.n)

    @property
    def n_text(self) -> str:
        return _("%(n)s stays") % {"n": self.n}


@dataclass(frozen=True)
class OccupancyFigure:
    label: str
    how: str
    bed_days: int
    beds: int
    days: int
    rate: float | None
    n: int  # stays that overlapped the period

    @property
    def value_text(self) -> str:
        return percent(self.rate)

    @property
    def n_text(self) -> str:
        return _(
            "%(bed_days)s bed-days of %(beds)s beds × %(days)s days; %(n)s stays"
        ) % {
            "bed_days": self.bed_days,
            "beds": self.beds,
            "days": self.days,
            "n": self.n,
        }


@dataclass(frozen=True)
class DaysFigure:
    """A distribution of days (median, IQR, mean), from ``summary.n`` patients."""

    label: str
    how: str
    summary: metrics.Summary
    excluded: int = 0

    @property
    def value_text(self) -> str:
        s = self.summary
        if not s.n:
            return _("no data")
        return _("median %(median)s days (IQR %(q1)s–%(q3)s); mean %(mean)s") % {
            "median": num(s.median),
            "q1": num(s.q1),
            "q3": num(s.q3),
            "mean": num(s.mean),
        }

    @property
    def n_text(self) -> str:
        text = _("n = %(n)s patients") % {"n": self.summary.n}
        if self.excluded:
            text += "; " + _("%(x)s left out (dates inconsistent)") % {
                "x": self.excluded
            }
        return text


@dataclass(frozen=True)
class ProportionFigure:
    label: str
    how: str
    proportion: metrics.Proportion
    missing: int = 0  # no value although one was due (not imputed)
    not_yet_due: int = 0
    counts: str = "patients"  # or "visits"

    @property
    def value_text(self) -> str:
        return proportion_text(self.proportion)

    @property
    def n_text(self) -> str:
        parts = [
            _("n = %(n)s visits") % {"n": self.proportion.n}
            if self.counts == "visits"
            else _("n = %(n)s patients") % {"n": self.proportion.n}
        ]
        if self.missing:
            parts.append(_("%(m)s missing (not imputed)") % {"m": self.missing})
        if self.not_yet_due:
            parts.append(_("%(m)s not due yet") % {"m": self.not_yet_due})
        return "; ".join(parts)


Figure = CountFigure | OccupancyFigure | DaysFigure | ProportionFigure


@dataclass(frozen=True)
class ProgramFigures:
    admissions: CountFigure
    occupancy: OccupancyFigure
    length_of_stay: DaysFigure
    waitlist: DaysFigure
    school_discharge: ProportionFigure
    school_follow_up: ProportionFigure
    follow_up_completion: ProportionFigure

    def items(self) -> list[tuple[str, Figure]]:
        """(id, figure) in the order the dashboard shows them."""
        return [
            ("admissions", self.admissions),
            ("occupancy", self.occupancy),
            ("length-of-stay", self.length_of_stay),
            ("waitlist", self.waitlist),
            ("school-discharge", self.school_discharge),
            ("school-follow-up", self.school_follow_up),
            ("follow-up-completion", self.follow_up_completion),
        ]
