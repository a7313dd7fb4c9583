"""A repair proposal compared with the day as it stands, and the repair page."""

from collections.abc import Iterable
from dataclasses import dataclass

from django.utils.translation import gettext as _

from painrehab.accounts.choices import Discipline
from painrehab.accounts.models import User
from painrehab.domain import timetable as tt
from painrehab.episodes.models import Episode
from painrehab.episodes.selectors.census import short_name
from painrehab.scheduling.builder import KEPT_PREFIX, Keys, sessions_to_domain
from painrehab.scheduling.choices import RunStatus
from painrehab.scheduling.models import Session, SolveRun
from painrehab.scheduling.selectors_boards.common import ChildRef, child_ref, visible_to
from painrehab.scheduling.selectors_changes.session import audit_shown
from painrehab.scheduling.services.change_check import in_words

Identity = frozenset[tuple[str, object]]


def _placement(session: tt.Session) -> tuple[object, ...]:
    """Where, when, with whom: a session as a comparable value."""
    return (
        session.day,
        session.start,
        session.end,
        tuple(sorted(session.staff)),
        session.room,
        tuple(sorted(session.patients)),
    )


def _row_identity(row: Session) -> Identity:
    """What a stored session gives: its prescription or group, and its id."""
    found: set[tuple[str, object]] = {("a", row.activity)}
    if row.prescription_id is not None:
        found.add(("p", row.prescription_id))
    if row.group_id is not None:
        found.add(("g", row.group_id))
    return frozenset(found)


class _Identities:
    """What a proposed session gives. A group's id may differ between the week's
    problem and the day's (``@<day>`` when its children change within the range),
    and a kept session may be ``kept/<pk>``: the prescription or group decides."""

    def __init__(self, keys: Keys, rows: list[Session]) -> None:
        self.keys = keys
        self.kept = {f"{KEPT_PREFIX}{row.pk}": _row_identity(row) for row in rows}

    def of(self, activity_id: str) -> Identity:
        if activity_id in self.kept:
            return self.kept[activity_id]
        found: set[tuple[str, object]] = {("a", activity_id)}
        ref = self.keys.activities.get(activity_id)
        if ref is not None and ref.prescription_id is not None:
            found.add(("p", ref.prescription_id))
        if ref is not None and ref.group_id is not None:
            found.add(("g", ref.group_id))
        return frozenset(found)


@dataclass(frozen=True)
class Proposal:
    """The proposal against the range's stored sessions: ``moved`` pairs a row with
    where it goes, ``removed`` a row with the solver's reason (format ids)."""

    unchanged: tuple[Session, ...]
    moved: tuple[tuple[Session, tt.Session], ...]
    removed: tuple[tuple[Session, str], ...]
    added: tuple[tt.Session, ...]
    unscheduled: tuple[tt.Unscheduled, ...]


def _stored(run: SolveRun) -> list[Session]:
    return list(
        Session.objects.filter(day__range=(run.first_day, run.last_day))
        .select_related("room", "group")
        .prefetch_related("staff", "attendees__episode__stay__bed")
        .order_by("day", "start", "pk")
    )


class _Pool:
    """The proposed sessions not yet matched to a stored one."""

    def __init__(self, sessions: list[tt.Session], identities: _Identities) -> None:
        self.left = [(s, identities.of(s.activity)) for s in sessions]

    def take(self, row: Session, mine: tt.Session, *, exact: bool) -> tt.Session | None:
        """The proposed session giving the same as ``row`` to the same children
        that day: placed exactly the same, or (not ``exact``) the closest in time."""
        mine_identity = _row_identity(row)
        same = [
            (s, ident)
            for s, ident in self.left
            if ident & mine_identity
            and (s.day, sorted(s.patients)) == (mine.day, sorted(mine.patients))
            and (not exact or _placement(s) == _placement(mine))
        ]
        if not same:
            return None
        chosen = min(same, key=lambda pair: abs(pair[0].start - mine.start))
        self.left.remove(chosen)
        return chosen[0]


def proposal_of(run: SolveRun) -> Proposal:
    """Which stored sessions a proposal keeps, moves or drops, and what it adds."""
    solution = tt.load_solution(run.solution)
    keys = Keys.from_json(run.keys)
    rows = _stored(run)
    identities = _Identities(keys, rows)
    first, last = run.first_day.isoformat(), run.last_day.isoformat()
    pool = _Pool([s for s in solution.sessions if first <= s.day <= last], identities)
    pairs = list(zip(rows, sessions_to_domain(rows), strict=True))
    unchanged, rest = [], []
    for row, mine in pairs:
        if pool.take(row, mine, exact=True) is None:
            rest.append((row, mine))
        else:
            unchanged.append(row)
    moved, removed = [], []
    for row, mine in rest:
        match = pool.take(row, mine, exact=False)
        if match is None:
            removed.append((row, _reason(solution, identities, row)))
        else:
            moved.append((row, match))
    return Proposal(
        tuple(unchanged),
        tuple(moved),
        tuple(removed),
        tuple(s for s, _ident in pool.left),
        solution.unscheduled,
    )


def _reason(solution: tt.Solution, identities: _Identities, row: Session) -> str:
    """Why the solver left the row's prescription or group unplaced that day."""
    day, mine = row.day.isoformat(), _row_identity(row)
    for item in solution.unscheduled:
        if item.day == day and identities.of(item.activity) & mine:
            return item.reason
    return ""


@dataclass(frozen=True)
class ChangeLine:
    """One session in the proposal, in words: who, what, before → after."""

    children: str
    discipline: str
    label: str
    before: str
    after: str


@dataclass(frozen=True)
class RepairView:
    run: SolveRun
    who: str
    when: str
    moved: tuple[ChangeLine, ...] = ()
    lost: tuple[ChangeLine, ...] = ()
    added: tuple[ChangeLine, ...] = ()
    unchanged: int = 0

    @property
    def waiting(self) -> bool:
        return self.run.status in (RunStatus.QUEUED, RunStatus.RUNNING)

    @property
    def proposed(self) -> bool:
        return self.run.status == RunStatus.PROPOSED


def _visible_episodes(user: User, ids: Iterable[int]) -> dict[int, ChildRef]:
    episodes = (
        Episode.objects.filter(pk__in=list(ids))
        .select_related("patient", "stay__bed")
        .annotate(patient_visible=visible_to(user, "patient_id"))
    )
    return {
        e.pk: child_ref(e, visible=bool(getattr(e, "patient_visible", False)))
        for e in episodes
    }


class _Words:
    """Names for the proposal's ids: the keys' labels, children by the funnel."""

    def __init__(self, user: User, proposal: Proposal, keys: Keys) -> None:
        rows = [*proposal.unchanged, *(r for r, _s in proposal.moved)]
        rows += [r for r, _reason in proposal.removed]
        episodes = {a.episode_id for r in rows for a in r.attendees.all()}
        episodes |= {int(p[1:]) for s in proposal.added for p in s.patients}
        self.children = _visible_episodes(user, episodes)
        self.labels = dict(keys.labels)
        for key, child in self.children.items():
            self.labels[f"e{key}"] = child.shown
        people = {int(k[1:]) for _r, placed in proposal.moved for k in placed.staff}
        people |= {p.pk for r in rows for p in r.staff.all()}
        for person in User.objects.filter(pk__in=people):
            self.labels[f"u{person.pk}"] = short_name(person)
        for activity_id, ref in keys.activities.items():
            self.labels[activity_id] = ref.label

    def of_row(self, row: Session) -> str:
        people = ", ".join(short_name(p) for p in row.staff.all())
        room = row.room.name if row.room else ""
        return " · ".join(
            p for p in (f"{row.start:%H:%M}–{row.end:%H:%M}", people, room) if p
        )

    def of_session(self, session: tt.Session) -> str:
        people = ", ".join(self.labels.get(s, s) for s in session.staff)
        room = self.labels.get(session.room, session.room) if session.room else ""
        times = f"{tt.problem.clock(session.start)}–{tt.problem.clock(session.end)}"
        return " · ".join(p for p in (times, people, room) if p)

    def who(self, episode_ids: Iterable[int]) -> str:
        return ", ".join(
            self.children[e].shown for e in episode_ids if e in self.children
        )

    def text(self, message: str) -> str:
        return in_words(message, self.labels)


def _line(words: _Words, row: Session, after: str) -> ChangeLine:
    return ChangeLine(
        children=words.who(a.episode_id for a in row.attendees.all()),
        discipline=str(row.get_discipline_display()),
        label=row.label,
        before=words.of_row(row),
        after=after,
    )


def _added_line(words: _Words, keys: Keys, session: tt.Session) -> ChangeLine:
    ref = keys.activities.get(session.activity)
    discipline = ref.discipline if ref else ""
    return ChangeLine(
        children=words.who(int(p[1:]) for p in session.patients),
        discipline=str(Discipline(discipline).label)
        if discipline in Discipline.values
        else discipline,
        label=ref.label if ref else session.activity,
        before="—",
        after=words.of_session(session),
    )


def repair_view(*, user: User, run: SolveRun) -> RepairView:
    """The repair page: its state, and while proposed each change in words."""
    absence = run.absence
    who = (
        absence.staff.get_full_name() or absence.staff.get_username() if absence else ""
    )
    when = ""
    if absence is not None:
        part = (
            _("whole day")
            if absence.start is None
            else f"{absence.start:%H:%M}–{absence.end:%H:%M}"
        )
        when = f"{absence.day:%A %d %B}, {part}"
    if run.status != RunStatus.PROPOSED or not run.solution:
        return RepairView(run=run, who=who, when=when)
    proposal = proposal_of(run)
    keys = Keys.from_json(run.keys)
    words = _Words(user, proposal, keys)
    view = RepairView(
        run=run,
        who=who,
        when=when,
        moved=tuple(_line(words, r, words.of_session(s)) for r, s in proposal.moved),
        lost=tuple(
            _line(words, r, words.text(reason) or _("no longer fits"))
            for r, reason in proposal.removed
        ),
        added=tuple(_added_line(words, keys, s) for s in proposal.added),
        unchanged=len(proposal.unchanged),
    )
    shown = [c for c in words.children.values()]
    audit_shown(user, "repair", shown, run=str(run.pk))
    return view
