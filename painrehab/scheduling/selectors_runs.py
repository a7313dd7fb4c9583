"""Reads of solver runs for the coordinator's pages (docs/scheduling.md).

A run's page shows unit-wide figures and notes that name beds, never children;
opening it is audited (the 2-second status polls are not). Each read is a fixed
number of queries, whatever the size of the unit.
"""

from dataclasses import dataclass
from datetime import date, timedelta

from django.db.models import Sum
from django.shortcuts import get_object_or_404
from django.urls import NoReverseMatch, reverse
from django.utils import timezone

from painrehab.accounts.models import User
from painrehab.audit.actions import ActionType, AuditAction, DataCategory
from painrehab.audit.services import record
from painrehab.scheduling.choices import OPEN_RUN_STATUSES
from painrehab.scheduling.models import SolveRun, UnscheduledItem

RECENT = 20
UNSCHEDULED_PATH = "/schedule/unscheduled/"


@dataclass(frozen=True)
class Share:
    """Weighted minutes and their share of what was requested."""

    minutes: int
    percent: int | None


@dataclass(frozen=True)
class RunPage:
    """One run as its page shows it."""

    run: SolveRun
    is_open: bool
    elapsed_seconds: int | None
    requested: int | None
    solver: Share | None
    baseline: Share | None
    bound: Share | None
    sessions: int
    unscheduled: int
    unscheduled_url: str
    notes: tuple[str, ...]


def run_list(*, limit: int = RECENT) -> list[SolveRun]:
    """The latest runs, newest first (without their documents)."""
    return list(
        SolveRun.objects.select_related("requested_by")
        .defer("problem", "solution", "keys")
        .order_by("-requested_at", "-pk")[:limit]
    )


def run_page(*, user: User, run_id: int, audit: bool = True) -> RunPage:
    """The run's status, progress and results; 404 for an unknown run."""
    run = get_object_or_404(
        SolveRun.objects.select_related("requested_by").defer("problem", "solution"),
        pk=run_id,
    )
    if audit:
        record(
            action=AuditAction.SCHEDULE_VIEWED,
            action_type=ActionType.READ,
            actor=user,
            data_category=DataCategory.SCHEDULE,
            obj=run,
        )
    requested = run.keys.get("requested")
    unscheduled = UnscheduledItem.objects.filter(run=run).aggregate(n=Sum("count"))
    return RunPage(
        run=run,
        is_open=run.status in OPEN_RUN_STATUSES,
        elapsed_seconds=_elapsed(run),
        requested=requested,
        solver=_share(run.objective, requested),
        baseline=_share(run.baseline_objective, requested),
        bound=_share(run.bound, requested),
        sessions=run.sessions.count(),
        unscheduled=unscheduled["n"] or 0,
        unscheduled_url=unscheduled_url(run.first_day),
        notes=tuple(run.keys.get("notes", ())),
    )


def _elapsed(run: SolveRun) -> int | None:
    if run.started_at is None:
        return None
    until = run.finished_at or timezone.now()
    return max(0, round((until - run.started_at).total_seconds()))


def _share(minutes: int | None, requested: int | None) -> Share | None:
    if minutes is None:
        return None
    if not requested:
        return Share(minutes, None)
    return Share(minutes, round(100 * minutes / requested))


def unscheduled_url(day: date) -> str:
    """The boards' list of what could not be placed in ``day``'s week."""
    monday = day - timedelta(days=day.weekday())
    try:
        path = reverse("scheduling:unscheduled")
    except NoReverseMatch:  # the boards are not installed
        path = UNSCHEDULED_PATH
    return f"{path}?week={monday.isoformat()}"
