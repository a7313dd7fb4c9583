"""Storing what a solve produced, inside the caller's transaction.

A solve replaces the range's replaceable sessions by the solution's new ones and
lists what it could not place (``unscheduled_store``), refused with
``StaleTimetable`` when the range's sessions changed since the problem was built;
a repair only keeps the solution on its run, as a proposal (decided in
``services.absences``). ``services.runs`` calls these and fails the run on any
error.
"""

from collections import Counter
from dataclasses import dataclass
from datetime import date

from django.utils import timezone

from painrehab.audit.actions import ActionType, AuditAction, DataCategory
from painrehab.audit.services import record
from painrehab.domain import timetable as tt
from painrehab.scheduling.builder import (
    Built,
    Keys,
    ids_in_words,
    range_fingerprint,
    sessions_from_domain,
)
from painrehab.scheduling.choices import RunStatus, SessionSource
from painrehab.scheduling.models import Session, SolveRun, UnscheduledItem


class StaleTimetable(Exception):
    """The range's stored sessions changed between building and storing."""


@dataclass(frozen=True)
class Solved:
    """What a run's solve produced, ready to store."""

    built: Built
    result: tt.SolveResult


def _finish(run: SolveRun, solved: Solved, status: RunStatus) -> None:
    solution = solved.result.solution
    run.solution = tt.solution_to_json(solution)
    run.objective = solution.stats.objective
    run.bound = solution.stats.bound
    run.baseline_objective = solved.result.baseline.stats.objective
    run.status = status
    run.progress = ""
    run.finished_at = timezone.now()
    run.save(
        update_fields=[
            "solution",
            "objective",
            "bound",
            "baseline_objective",
            "status",
            "progress",
            "finished_at",
        ]
    )


def proposal_store(run: SolveRun, solved: Solved) -> None:
    """Keep the solution on the run as a proposal; no session changes."""
    SolveRun.objects.select_for_update().get(pk=run.pk)
    _finish(run, solved, RunStatus.PROPOSED)


def sessions_store(run: SolveRun, solved: Solved) -> None:
    """Replace the range's replaceable sessions by the solution's new ones."""
    SolveRun.objects.select_for_update().get(pk=run.pk)
    # Hold the range's sessions so none is moved between the check and the store.
    days = (run.first_day, run.last_day)
    list(Session.objects.select_for_update().filter(day__range=days).values("pk"))
    keys = solved.built.keys
    if range_fingerprint(run.first_day, run.last_day) != keys.fingerprint:
        raise StaleTimetable
    Session.objects.filter(pk__in=keys.replaceable).delete()
    fresh = new_sessions(solved.result.solution, solved.built.problem.fixed)
    rows = sessions_from_domain(fresh, keys=keys, run=run, source=SessionSource.SOLVER)
    unscheduled = unscheduled_store(run, solved.result.solution, keys)
    _finish(run, solved, RunStatus.DONE)
    record(
        action=AuditAction.SCHEDULE_SOLVED,
        action_type=ActionType.CREATE,
        actor=run.requested_by,
        data_category=DataCategory.SCHEDULE,
        obj=run,
        changes={
            "first_day": run.first_day.isoformat(),
            "last_day": run.last_day.isoformat(),
            "sessions": len(rows),
            "replaced": len(keys.replaceable),
            "unscheduled": unscheduled,
        },
    )


def new_sessions(
    solution: tt.Solution, fixed: tuple[tt.Session, ...]
) -> list[tt.Session]:
    """The solution's sessions less the fixed ones (stored already)."""
    kept = Counter(fixed)
    fresh = []
    for session in solution.sessions:
        if kept[session] > 0:
            kept[session] -= 1
        else:
            fresh.append(session)
    return fresh


def unscheduled_store(run: SolveRun, solution: tt.Solution, keys: Keys) -> int:
    """One row per (activity, day) left unplaced, with its children; the count."""
    items, children = [], []
    for entry in solution.unscheduled:
        ref = keys.activities.get(entry.activity)
        if ref is None:
            continue
        items.append(
            UnscheduledItem(
                run=run,
                day=date.fromisoformat(entry.day),
                activity=entry.activity,
                discipline=ref.discipline,
                label=ref.label[:80],
                count=entry.count,
                reason=in_words(entry.reason, keys)[:300],
            )
        )
        children.append(ref.episode_ids)
    created = UnscheduledItem.objects.bulk_create(items)
    through = UnscheduledItem.episodes.through
    through.objects.bulk_create(
        [
            through(unscheduleditem_id=item.pk, episode_id=episode)
            for item, episodes in zip(created, children, strict=True)
            for episode in episodes
        ]
    )
    return sum(item.count for item in created)


def in_words(reason: str, keys: Keys) -> str:
    """A solver reason with staff, rooms and children named as on the boards."""
    activities = {key: ref.label for key, ref in keys.activities.items()}
    return ids_in_words(reason, {**keys.labels, **activities})
