"""The child's progress as a family reads it: goals, conference summaries, a chart.

Each reader takes a ``PortalChild`` (the child already passed
``portal.access.child_get``); the page checks ``child.sees(...)`` before calling
it. Nothing here returns a number a family cannot read:

- a goal is shown in the child's own words (else its target) with its latest
  attainment in words, never the -2..+2 score; starter goals of the plan
  template not yet worded by the team are left out;
- only summaries the team *released* to the family are read
  (``careplans.selectors_conference.family_summaries_for``), newest first;
- the chart series are the totals of the child's own report of how hard everyday
  activities are (FDI child report, 0-60) and the weekly average of the daily
  check-in's "pain now" (0-10). No item responses, T-scores, bands or instrument
  codes leave this module.

A fixed number of queries whatever the number of goals, reviews, questionnaires
or check-ins: goals with their reviews (two), summaries (one), scores (one),
check-ins (one).
"""

from collections import defaultdict
from dataclasses import dataclass
from datetime import date, timedelta

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from painrehab.careplans.choices import Attainment, GoalStatus
from painrehab.careplans.models import Goal
from painrehab.careplans.selectors import goals_with_attainment
from painrehab.careplans.selectors_conference import (
    ReleasedSummary,
    family_summaries_for,
)
from painrehab.instruments.models import DailyCheckIn
from painrehab.instruments.selectors import administration_history
from painrehab.portal.access import PortalChild

# Goal attainment scaling (docs/careplans.md): 0 is the outcome the team expected,
# -2 is where the child started or well short of it, +1/+2 beyond it.
ATTAINMENT_WORDS: dict[int, Promise] = {
    Attainment.MUCH_LESS: _("Still working toward this goal"),
    Attainment.LESS: _("Making progress"),
    Attainment.EXPECTED: _("Goal reached"),
    Attainment.MORE: _("Did better than the goal"),
    Attainment.MUCH_MORE: _("Did much better than the goal"),
}
NOT_REVIEWED = _("The team has not checked this goal yet.")

# Goals the family sees: the ones being worked on and the ones met.
SHOWN_STATUSES = frozenset({GoalStatus.ACTIVE, GoalStatus.MET})

FUNCTION_INSTRUMENT = "FDI-C"  # the child's own report; never shown to the family
FUNCTION_MAX = 60
PAIN_MAX = 10


@dataclass(frozen=True)
class GoalLine:
    """One goal in plain words."""

    words: str
    progress: str
    checked_on: date | None
    achieved: bool


def attainment_words(score: int | None) -> str:
    """The latest attainment in words (never the number)."""
    if score is None:
        return str(NOT_REVIEWED)
    return str(ATTAINMENT_WORDS[score])


def goal_lines(child: PortalChild) -> list[GoalLine]:
    """The goals of the child's current (or latest) stay being worked on or met,
    in the child's words (else the target), in the plan's order."""
    episode = child.episode
    if episode is None:
        return []
    return [
        GoalLine(
            words=line.goal.child_words.strip() or line.goal.target,
            progress=attainment_words(line.score),
            checked_on=line.reviewed_on,
            achieved=line.goal.status == GoalStatus.MET,
        )
        for line in goals_with_attainment(episode)
        if line.goal.status in SHOWN_STATUSES and not _starter(line.goal)
    ]


def _starter(goal: Goal) -> bool:
    """A starter goal from the plan template the team has not yet worded with the
    child: its target still has blanks ("… m"), so it is not shown."""
    return bool(goal.template_key) and goal.needs_wording


def released_summaries(child: PortalChild) -> list[ReleasedSummary]:
    """Summaries of the team conferences released to the family, newest first."""
    return family_summaries_for(child.patient)


@dataclass(frozen=True)
class FunctionPoint:
    """How hard everyday activities were on one day (0-60, lower is better)."""

    on: date
    total: float


@dataclass(frozen=True)
class PainWeek:
    """The average "pain now" of the check-ins of one week (0-10)."""

    week_of: date  # the Monday
    average: float


@dataclass(frozen=True)
class ProgressSeries:
    function: tuple[FunctionPoint, ...]
    pain: tuple[PainWeek, ...]

    @property
    def is_empty(self) -> bool:
        return not self.function and not self.pain

    @property
    def dates(self) -> list[date]:
        return sorted({p.on for p in self.function} | {w.week_of for w in self.pain})


def function_points(child: PortalChild) -> tuple[FunctionPoint, ...]:
    """Scorable totals of the child's own report, oldest first (corrections
    replace what they correct)."""
    history = administration_history(patient=child.patient)
    return tuple(
        FunctionPoint(point.answered_on, point.total)
        for point in history.get(FUNCTION_INSTRUMENT, [])
        if point.scorable and point.total is not None
    )


def week_of(day: date) -> date:
    """The Monday of ``day``'s week."""
    return day - timedelta(days=day.weekday())


def pain_weeks(child: PortalChild) -> tuple[PainWeek, ...]:
    """The weekly average of the daily check-in's pain now, oldest week first.

    Only the average leaves: never a day's answer, nor how many days were
    answered (a teen's check-in is their own).
    """
    rows = DailyCheckIn.objects.filter(episode__patient=child.patient).values_list(
        "date", "pain_now"
    )
    by_week: dict[date, list[int]] = defaultdict(list)
    for day, pain in rows:
        by_week[week_of(day)].append(pain)
    return tuple(
        PainWeek(monday, round(sum(values) / len(values), 1))
        for monday, values in sorted(by_week.items())
    )


def progress_series(child: PortalChild) -> ProgressSeries:
    return ProgressSeries(function_points(child), pain_weeks(child))
