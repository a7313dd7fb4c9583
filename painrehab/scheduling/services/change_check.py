"""Whether a manual change breaks the solver's rules, and why, in words.

A move or swap is checked with the solver's own rules: the day's problem is
built (``builder.build_problem``), the day's stored sessions become the format's
sessions with the change applied, and ``domain.timetable.check`` judges them. A
change is refused when a broken rule involves a changed session or is new with the
change; rules already broken elsewhere that day, and counts of unscheduled
sessions, are not the change's doing. The reason names people, rooms and children,
never format ids.
"""

import datetime as dt
from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace

from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from painrehab.accounts.models import User
from painrehab.domain import timetable as tt
from painrehab.episodes.models import Episode
from painrehab.scheduling.builder import (
    KEPT_PREFIX,
    Keys,
    build_problem,
    ids_in_words,
    minutes_of,
    room_key,
    sessions_to_domain,
    staff_key,
)
from painrehab.scheduling.models import Room, Session

BROKEN = _("Not possible: {reasons}")


@dataclass(frozen=True)
class Placement:
    """Where and when a session is: its day, times, people and room."""

    day: dt.date
    start: dt.time
    end: dt.time
    staff: tuple[int, ...]
    room: int | None

    @classmethod
    def of(cls, row: Session) -> "Placement":
        staff = tuple(sorted(person.pk for person in row.staff.all()))
        return cls(row.day, row.start, row.end, staff, row.room_id)

    def text(self, names: Mapping[str, str]) -> str:
        people = ", ".join(names.get(staff_key(pk), "") for pk in self.staff)
        room = names.get(room_key(self.room), "") if self.room else ""
        parts = [f"{self.day:%a %d %b} {self.start:%H:%M}–{self.end:%H:%M}", people]
        return ", ".join(p for p in [*parts, room] if p)


def _day_rows(day: dt.date, leaving: Sequence[int] = ()) -> list[Session]:
    rows: QuerySet[Session] = (
        Session.objects.filter(day=day)
        .exclude(pk__in=list(leaving))
        .select_related("room")
        .prefetch_related("staff", "attendees")
        .order_by("start", "pk")
    )
    return list(rows)


def _names(keys: Keys, sessions: Sequence[tt.Session]) -> dict[str, str]:
    """Words for the format's ids: people, rooms and children by name."""
    names = dict(keys.labels)
    people = {int(s[1:]) for session in sessions for s in session.staff}
    for user in User.objects.filter(pk__in=people):
        names[staff_key(user.pk)] = user.get_full_name() or user.get_username()
    rooms = {int(s.room[1:]) for s in sessions if s.room}
    for room in Room.objects.filter(pk__in=rooms):
        names[room_key(room.pk)] = room.name
    children = {int(p[1:]) for s in sessions for p in s.patients}
    for episode in Episode.objects.filter(pk__in=children).select_related("patient"):
        names[f"e{episode.pk}"] = episode.patient.display_name
    for activity_id, ref in keys.activities.items():
        names[activity_id] = ref.label
    return names


def in_words(message: str, names: Mapping[str, str]) -> str:
    """A validator message with every format id replaced by its name."""
    return ids_in_words(message, names)


def broken_rules(
    *,
    day: dt.date,
    changed: Mapping[int, Placement],
    moved_in: Sequence[Session] = (),
) -> list[str]:
    """What the solver's rules say against ``changed`` (session pk → placement)
    on ``day``, in words; empty when the change is allowed.

    ``moved_in`` are sessions coming to ``day`` from another day.
    """
    built = build_problem(first_day=day, last_day=day)
    problem = built.problem
    rows = _day_rows(day, leaving=[r.pk for r in moved_in])
    everyone = [*rows, *moved_in]
    current = _as_problem_has_them(problem, everyone)
    before = current[: len(rows)]
    after = list(current)
    touched = set()
    for index, row in enumerate(everyone):
        if row.pk in changed:
            after[index] = _placed(after[index], changed[row.pk])
            touched.add(index)
    found = _new_violations(problem, before, tuple(after), touched)
    names = _names(built.keys, after)
    return list(dict.fromkeys(in_words(v.message, names) for v in found))


def _as_problem_has_them(
    problem: tt.Problem, rows: Sequence[Session]
) -> tuple[tt.Session, ...]:
    """The rows as the format's sessions, under the ids the problem knows them by
    (a kept session whose group changed is ``kept/<pk>``)."""
    renamed = {s.activity for s in problem.fixed if s.activity.startswith(KEPT_PREFIX)}
    sessions = []
    for row, session in zip(rows, sessions_to_domain(rows), strict=True):
        kept = f"{KEPT_PREFIX}{row.pk}"
        sessions.append(replace(session, activity=kept) if kept in renamed else session)
    return tuple(sessions)


def _placed(session: tt.Session, where: Placement) -> tt.Session:
    return replace(
        session,
        day=where.day.isoformat(),
        start=minutes_of(where.start),
        end=minutes_of(where.end),
        staff=tuple(staff_key(pk) for pk in where.staff),
        room=room_key(where.room) if where.room is not None else None,
    )


# Not the change's doing: what is left unplaced, and a kept session that moved
# (the coordinator moves it on purpose).
IGNORED = frozenset({tt.Rule.UNSCHEDULED, tt.Rule.FIXED_MISSING})


def _report(
    problem: tt.Problem, sessions: tuple[tt.Session, ...]
) -> list[tt.Violation]:
    """Broken rules of ``sessions``; one-offs (activities the problem does not
    ask for: a stopped prescription, a session added by hand) are checked as the
    solver treats them, as fixed sessions."""
    one_offs = tuple(s for s in sessions if s.activity not in problem.activity_by_id)
    checked = replace(problem, fixed=(*problem.fixed, *one_offs))
    solution = tt.Solution(status=tt.Status.FEASIBLE, sessions=sessions)
    violations = tt.check(checked, solution).violations
    return [v for v in violations if v.rule not in IGNORED]


def _new_violations(
    problem: tt.Problem,
    before: tuple[tt.Session, ...],
    after: tuple[tt.Session, ...],
    touched: set[int],
) -> list[tt.Violation]:
    """Violations of ``after`` that involve a changed session or were not there
    before the change."""
    earlier = Counter(v.message for v in _report(problem, before))
    found = []
    for violation in _report(problem, after):
        if violation.session in touched or earlier[violation.message] == 0:
            found.append(violation)
        else:
            earlier[violation.message] -= 1
    return found


def refuse_if_broken(reasons: list[str], field: str = "start") -> None:
    if reasons:
        raise ValidationError({field: BROKEN.format(reasons="; ".join(reasons))})
