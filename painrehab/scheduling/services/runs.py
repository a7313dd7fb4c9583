"""Solves in the background: request one, run it in the worker, store the week.

``solve_request`` (the coordinator) queues a ``SolveRun`` and, once the request
commits, the ``timetable`` task queue's ``solve_run`` task. The worker runs
``run_execute``: it builds the problem fresh from the database, solves it with
progress written to the run at most every 2 seconds, and then, in one
transaction, replaces the range's replaceable sessions by the solution's (a solve)
or keeps the solution as a proposal (a repair, decided in ``services.absences``).
A failure of any kind leaves the run ``failed`` with a message a coordinator can
act on, and nothing stored. The storing itself is ``services.storing``'s.
docs/scheduling.md, "Background solves".
"""

import logging
import time
import uuid
from datetime import date, datetime, timedelta

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from painrehab.accounts.choices import Role
from painrehab.accounts.models import User
from painrehab.audit.actions import ActionType, AuditAction, DataCategory
from painrehab.audit.services import record
from painrehab.domain import timetable as tt
from painrehab.scheduling.builder import build_problem
from painrehab.scheduling.choices import OPEN_RUN_STATUSES, RunKind, RunStatus
from painrehab.scheduling.models import SolveRun
from painrehab.scheduling.services.storing import (
    Solved,
    StaleTimetable,
    proposal_store,
    sessions_store,
)
from painrehab.scheduling.services.storing import in_words as in_words

logger = logging.getLogger(__name__)

MAX_DAYS = 14
TIME_LIMITS = (5, 600)
PROGRESS_EVERY = 2.0  # seconds between progress writes
# A run still open this long after its time limit was abandoned (a worker stopped).
ABANDONED_AFTER = timedelta(minutes=15)

ONLY_COORDINATOR = gettext_lazy("Only the coordinator builds the timetable.")
LAST_BEFORE_FIRST = gettext_lazy("The last day is before the first.")
TOO_LONG = gettext_lazy("A timetable covers at most 14 days at a time.")
BAD_TIME_LIMIT = gettext_lazy("The time limit is 5 to 600 seconds.")
BUSY = gettext_lazy("These days are being solved already; wait for that run to finish.")
STALE = gettext_lazy("The timetable changed while solving; solve again.")
ABANDONED = gettext_lazy(
    "The solver stopped without finishing (was the worker stopped?); solve again."
)
REFUSED_PROBLEM = gettext_lazy(
    "The timetable could not be built from the setup: {path}: {message}. "
    "Correct the setup and solve again."
)
CRASHED = gettext_lazy(
    "The solver stopped with an error ({error}). Nothing was stored; solve again, "
    "and tell the system administrator if it happens again."
)


# --- The request -------------------------------------------------------------------


def solve_request(
    *,
    first_day: date,
    last_day: date,
    by: User,
    form_token: uuid.UUID,
    time_limit: int = 60,
) -> SolveRun:
    """Queue a solve of ``first_day``..``last_day`` (the coordinator only).

    The same ``form_token`` again returns the first run: a double click queues
    one. Refused with ``ValidationError`` keyed by field: a reversed or longer
    than 14-day range, a time limit outside 5-600 s, days overlapping an open run.
    """
    if by.role != Role.COORDINATOR:
        raise PermissionDenied(ONLY_COORDINATOR)
    with transaction.atomic():
        existing = SolveRun.objects.filter(form_token=form_token).first()
        if existing is not None:
            return existing
        _check_request(first_day, last_day, time_limit)
        run = SolveRun.objects.create(
            kind=RunKind.SOLVE,
            first_day=first_day,
            last_day=last_day,
            time_limit=time_limit,
            requested_by=by,
            form_token=form_token,
        )
        record(
            action=AuditAction.SCHEDULE_SOLVE_REQUESTED,
            action_type=ActionType.EXECUTE,
            actor=by,
            data_category=DataCategory.SCHEDULE,
            obj=run,
            changes={
                "first_day": first_day.isoformat(),
                "last_day": last_day.isoformat(),
                "time_limit": time_limit,
            },
        )
        run_enqueue(run)
    return run


def _check_request(first_day: date, last_day: date, time_limit: int) -> None:
    errors: dict[str, list[str]] = {}
    if last_day < first_day:
        errors["last_day"] = [str(LAST_BEFORE_FIRST)]
    elif (last_day - first_day).days + 1 > MAX_DAYS:
        errors["last_day"] = [str(TOO_LONG)]
    if not TIME_LIMITS[0] <= time_limit <= TIME_LIMITS[1]:
        errors["time_limit"] = [str(BAD_TIME_LIMIT)]
    if not errors and open_runs(first_day, last_day):
        errors["first_day"] = [str(BUSY)]
    if errors:
        raise ValidationError(errors)


def open_runs(first_day: date, last_day: date) -> list[SolveRun]:
    """Queued or running runs overlapping the days; abandoned ones are closed."""
    found = []
    overlapping = SolveRun.objects.select_for_update().filter(
        status__in=sorted(OPEN_RUN_STATUSES),
        first_day__lte=last_day,
        last_day__gte=first_day,
    )
    for run in overlapping:
        if timezone.now() - run.requested_at > _allowance(run):
            _fail(run, str(ABANDONED))
        else:
            found.append(run)
    return found


def _allowance(run: SolveRun) -> timedelta:
    return timedelta(seconds=run.time_limit) + ABANDONED_AFTER


def run_enqueue(run: SolveRun) -> None:
    """Hand ``run`` to the worker once the current transaction commits."""
    run_id = run.pk
    transaction.on_commit(lambda: _enqueue(run_id))


def _enqueue(run_id: int) -> None:
    from painrehab.scheduling.tasks import solve_run  # the task imports this module

    result = solve_run.enqueue(run_id)
    SolveRun.objects.filter(pk=run_id).update(task_id=str(result.id))


# --- The worker --------------------------------------------------------------------


def run_execute(run_id: int, *, now: datetime | None = None) -> None:
    """Solve a queued run and store the result (what the worker runs).

    ``now`` (default: the current time) decides which sessions are past and kept;
    the demo passes the week's start to plan the whole week. A run already taken
    by a worker, or no longer queued, is left alone.
    """
    run = _claim(run_id)
    if run is None:
        return
    try:
        solved = run_solve(run, now=now)
    except Exception as error:  # every failure ends the run with a message
        _fail(run, _failure_message(error))
        return
    run_complete(run, solved)


def _claim(run_id: int) -> SolveRun | None:
    claimed = SolveRun.objects.filter(pk=run_id, status=RunStatus.QUEUED).update(
        status=RunStatus.RUNNING,
        started_at=timezone.now(),
        progress=_("Building the problem"),
    )
    return SolveRun.objects.get(pk=run_id) if claimed else None


def run_solve(run: SolveRun, *, now: datetime | None = None) -> Solved:
    """Build the run's problem fresh, keep it on the run, and solve it."""
    built = build_problem(
        first_day=run.first_day,
        last_day=run.last_day,
        now=now,
        previous=run.kind == RunKind.REPAIR,
    )
    document = tt.problem_to_json(built.problem)
    tt.load_problem(document)  # a contradiction fails here, naming its path
    run.problem = document
    run.keys = {
        **built.keys.to_json(),
        "notes": list(built.notes),
        "requested": requested_minutes(built.problem),
    }
    run.progress = _("Solving (at most %(seconds)s s)") % {"seconds": run.time_limit}
    run.save(update_fields=["problem", "keys", "progress"])
    options = tt.SolveOptions(
        time_limit=float(run.time_limit), log=Progress(run, time.monotonic())
    )
    return Solved(built=built, result=tt.solve(built.problem, options))


def requested_minutes(problem: tt.Problem) -> int:
    """Weighted minutes asked for: every requested session delivered."""
    return sum(
        a.value * a.per_day * len(problem.days_of(a)) for a in problem.activities
    )


class Progress:
    """The solver's log as the run's progress, written at most every 2 seconds."""

    def __init__(self, run: SolveRun, began: float) -> None:
        self.run_id = run.pk
        self.began = began
        self.written = began

    def __call__(self, message: str) -> None:
        moment = time.monotonic()
        if moment - self.written < PROGRESS_EVERY:
            return
        self.written = moment
        day = message.partition(":")[0]
        text = _("Searched %(day)s; %(seconds)s s so far") % {
            "day": day,
            "seconds": round(moment - self.began),
        }
        SolveRun.objects.filter(pk=self.run_id).update(progress=text[:200])


def run_complete(run: SolveRun, solved: Solved) -> None:
    """Store what ``solved`` holds, all or nothing; a failure fails the run."""
    try:
        with transaction.atomic():
            if run.kind == RunKind.REPAIR:
                proposal_store(run, solved)
            else:
                sessions_store(run, solved)
    except StaleTimetable:
        _fail(run, str(STALE))
    except Exception as error:  # every failure ends the run with a message
        _fail(run, _failure_message(error))


# --- Failure -----------------------------------------------------------------------


def _failure_message(error: Exception) -> str:
    if isinstance(error, tt.ProblemError):
        return REFUSED_PROBLEM.format(path=error.path, message=error.message)
    logger.exception("Solve run failed")
    return CRASHED.format(error=type(error).__name__)


def _fail(run: SolveRun, message: str) -> None:
    SolveRun.objects.filter(pk=run.pk).update(
        status=RunStatus.FAILED,
        message=message,
        progress="",
        finished_at=timezone.now(),
    )
    run.refresh_from_db()
