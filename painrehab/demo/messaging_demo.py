"""Team messages for the demo: a few short threads about each inpatient.

Runs after the journeys, once the inpatients stand on the unit with their care
teams, and writes only through ``messaging.services``, so mentions, read marks and
audit rows are the real ones. Each inpatient gets two or three threads drawn from
``SCRIPTS``, written by the team member of the named role (the coordinator when the
child's team has nobody in that role), back-dated within the stay and never later
than now. ``{PT}``-style slots become ``@username`` mentions of that team member.

What the demo users see: every child's oldest thread has been read by the whole
team, the newest is unread for everyone but its authors (so the "Messages" badge
and the "Mentions of me" filter have something to show), and the one in between
is read by about half of them.
"""

import random
import uuid
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from django.utils import timezone

from painrehab.accounts.choices import CLINICAL_ROLES, Role
from painrehab.accounts.models import User
from painrehab.episodes.choices import Phase
from painrehab.episodes.models import Episode, Stay
from painrehab.messaging import services
from painrehab.messaging.models import Thread
from painrehab.patients.models import CareTeamMember

R = Role
Script = tuple[str, tuple[tuple[Role, str], ...]]
SCRIPTS: tuple[Script, ...] = (
    (
        "Weekend walking programme",
        (
            (
                R.PHYSICAL_THERAPIST,
                "{child} walked the corridor twice today without crutches. Can "
                "nursing prompt two short walks on Saturday and Sunday? {NURSE}",
            ),
            (R.NURSE, "Yes, added to the weekend plan: after breakfast and dinner."),
            (R.PHYSICAL_THERAPIST, "Thank you. Any flare goes in the nursing note."),
        ),
    ),
    (
        "Family meeting this week",
        (
            (
                R.SOCIAL_WORKER,
                "The parents can come on Thursday at 3 pm for the family meeting. "
                "{PSYCHOLOGIST} {PHYSICIAN} does that time work?",
            ),
            (
                R.PSYCHOLOGIST,
                "Works for me. I would like to go over how they respond when "
                "{child} reports pain.",
            ),
            (R.PHYSICIAN, "I can join for the first half hour."),
        ),
    ),
    (
        "Return to school",
        (
            (
                R.TEACHER,
                "{child} managed two full hospital-school blocks today. "
                "{COORDINATOR} could we contact the home school about a graded "
                "return?",
            ),
            (
                R.COORDINATOR,
                "I will call the school counsellor tomorrow and bring the plan "
                "to conference.",
            ),
        ),
    ),
    (
        "Sleep routine",
        (
            (
                R.NURSE,
                "Lights out at 21:30, but {child} was awake past midnight the "
                "last two nights. {PSYCHOLOGIST}",
            ),
            (
                R.PSYCHOLOGIST,
                "Let us keep screens out of the room after 21:00; I will add a "
                "wind-down routine to the coping plan.",
            ),
            (R.OCCUPATIONAL_THERAPIST, "I can make a bedtime routine chart in OT."),
        ),
    ),
    (
        "Home programme for desensitisation",
        (
            (
                R.OCCUPATIONAL_THERAPIST,
                "Desensitisation of the left foot is going well. "
                "{PHYSICAL_THERAPIST} shall we show the parents the home "
                "programme on Friday?",
            ),
            (R.PHYSICAL_THERAPIST, "Yes, I will add it to the step-down handout."),
        ),
    ),
    (
        "Evening medication",
        (
            (
                R.PHYSICIAN,
                "Plan to stop the evening gabapentin dose from Monday. {NURSE} "
                "please watch for changes in sleep.",
            ),
            (R.NURSE, "Noted for the night team."),
        ),
    ),
)
THREADS_PER_CHILD = (2, 3)
MIDDLE_READ_SHARE = 0.5
GAP_MINUTES = (15, 180)
SETTLE = timedelta(minutes=10)  # the newest message is at least this old


@dataclass(frozen=True)
class Team:
    """Who writes about one child: a member per role, and everyone who reads."""

    by_role: dict[str, User]
    readers: tuple[User, ...]
    coordinator: User

    def writer(self, role: Role) -> User:
        return self.by_role.get(role, self.coordinator)


def _coordinator() -> User | None:
    people = User.objects.filter(role=Role.COORDINATOR, is_active=True)
    return (
        people.filter(username="coordinator").first() or people.order_by("pk").first()
    )


def _team(episode: Episode, coordinator: User, today: date) -> Team:
    members = (
        CareTeamMember.objects.filter(
            patient=episode.patient,
            end_date__isnull=True,
            start_date__lte=min(today, timezone.localdate()),
            member__is_active=True,
            member__role__in=sorted(CLINICAL_ROLES),
        )
        .select_related("member")
        .order_by("pk")
    )
    by_role: dict[str, User] = {}
    for membership in members:
        by_role.setdefault(membership.member.role, membership.member)
    readers = {u.pk: u for u in [*(m.member for m in members), coordinator]}
    return Team(by_role, tuple(readers.values()), coordinator)


def _text(template: str, team: Team, child: str) -> str:
    slots = {role.name: f"@{team.writer(role).username}" for role in CLINICAL_ROLES}
    return template.format(child=child, **slots)


def _window(stay: Stay) -> tuple[datetime, datetime]:
    """From the morning of admission (or two hours before now) to just before now."""
    now = timezone.now()
    midnight = timezone.make_aware(datetime.combine(stay.admitted_on, time(0, 0)))
    end = min(now, max(now - SETTLE, midnight))
    start = max(min(midnight + timedelta(hours=8), end - timedelta(hours=2)), midnight)
    return min(start, end), end


def _times(
    rng: random.Random, count: int, window: tuple[datetime, datetime]
) -> list[datetime]:
    start, end = window
    room = max((end - start).total_seconds() - count * GAP_MINUTES[1] * 60, 0)
    at = start + timedelta(seconds=rng.random() * room)
    times = []
    for _ in range(count):
        times.append(min(at, end))
        at += timedelta(minutes=rng.randint(*GAP_MINUTES))
    return times


def _thread(
    rng: random.Random,
    episode: Episode,
    team: Team,
    script: Script,
    window: tuple[datetime, datetime],
) -> Thread:
    subject, lines = script
    child = episode.patient.preferred_name or episode.patient.given_name
    times = _times(rng, len(lines), window)
    (role, first), *replies = lines
    thread = services.thread_start(
        episode=episode,
        author=team.writer(role),
        subject=subject,
        body=_text(first, team, child),
        form_token=uuid.UUID(int=rng.getrandbits(128)),
        at=times[0],
    )
    for (role, body), at in zip(replies, times[1:], strict=True):
        services.message_post(
            thread=thread,
            author=team.writer(role),
            body=_text(body, team, child),
            form_token=uuid.UUID(int=rng.getrandbits(128)),
            at=at,
        )
    return thread


def _reads(rng: random.Random, threads: list[Thread], team: Team) -> None:
    """The oldest thread read by all, the newest by none, the middle by about half."""
    for place, thread in enumerate(threads):
        for reader in team.readers:
            newest = place == len(threads) - 1
            if newest or (place > 0 and rng.random() >= MIDDLE_READ_SHARE):
                continue
            services.thread_mark_read(thread=thread, user=reader)


def messaging_populate(*, rng: random.Random, today: date) -> None:
    """A few team threads about every inpatient, some read and some not."""
    coordinator = _coordinator()
    if coordinator is None:
        return
    stays = Stay.objects.filter(
        episode__phase=Phase.INPATIENT, admitted_on__lte=today
    ).select_related("episode__patient")
    for stay in stays.order_by("episode__patient__mrn"):
        team = _team(stay.episode, coordinator, today)
        window = _window(stay)
        scripts = sorted(
            rng.sample(SCRIPTS, rng.choice(THREADS_PER_CHILD)), key=SCRIPTS.index
        )
        threads = [_thread(rng, stay.episode, team, s, window) for s in scripts]
        threads.sort(key=lambda t: t.created_at)
        _reads(rng, threads, team)
