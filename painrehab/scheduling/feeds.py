"""Calendar feeds: the secret token, what a feed holds, and its iCalendar text.

A feed's address carries a random token (``secrets.token_urlsafe(32)``, 256 bits);
only the token's SHA-256 digest is stored, so the database cannot give an address
back and a digest found in it opens nothing. Looking a token up by its digest is
safe against timing: the digest of a random secret reveals nothing about it.

What a feed says is the minimum a calendar outside the hospital needs (a staff
calendar may sync to a phone or a cloud service): the kind of session, its times
in the unit's time zone, the room, and for staff the bed, never the child's name,
record number, diagnosis, prescription or notes. The RFC 5545 text is written by
the ``icalendar`` library, with the unit's VTIMEZONE.
"""

import datetime as dt
import hashlib
import secrets
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from zoneinfo import ZoneInfo

from django.conf import settings
from django.db.models import QuerySet
from django.http import Http404
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from icalendar import Calendar, Event

from painrehab.accounts.choices import FAMILY_ROLES, Discipline
from painrehab.accounts.models import User
from painrehab.audit.actions import ActionType, AuditAction, DataCategory
from painrehab.audit.services import record
from painrehab.careplans.choices import SessionMode
from painrehab.episodes.choices import OPEN_PHASES
from painrehab.episodes.models import Episode
from painrehab.patients.access import patient_get_for_user
from painrehab.patients.models import Patient
from painrehab.scheduling.choices import FeedKind
from painrehab.scheduling.models import CalendarFeed, Session

TOKEN_BYTES = 32
# token_urlsafe(32) is 43 characters; anything much longer is not a token.
TOKEN_MAX_CHARS = 64
DAYS_BACK = 7
DAYS_AHEAD = 28
PRODID = "-//PainRehab//Timetable//EN"
UID_DOMAIN = "painrehab"
# How often calendar apps are asked to look again (RFC 7986 REFRESH-INTERVAL).
REFRESH = dt.timedelta(hours=1)
REFRESH_TEXT = "PT1H"  # the same, for X-PUBLISHED-TTL (a text property)

# The kind of session as a calendar shows it: the discipline, never the
# prescription's own name (which may carry clinical detail).
INDIVIDUAL_KINDS: Mapping[str, object] = {
    Discipline.PT: gettext_lazy("Physical therapy"),
    Discipline.OT: gettext_lazy("Occupational therapy"),
    Discipline.PSY: gettext_lazy("Psychology"),
    Discipline.MED: gettext_lazy("Doctor's visit"),
    Discipline.SW: gettext_lazy("Family session"),
    Discipline.CL: gettext_lazy("Child Life"),
    Discipline.ACU: gettext_lazy("Acupuncture"),
    Discipline.REC: gettext_lazy("Recreational therapy"),
    Discipline.SCHOOL: gettext_lazy("School"),
    Discipline.NURSE: gettext_lazy("Nursing"),
}
GROUP_KINDS: Mapping[str, object] = {
    Discipline.PT: gettext_lazy("Group physical therapy"),
    Discipline.OT: gettext_lazy("Group occupational therapy"),
    Discipline.PSY: gettext_lazy("Group psychology"),
    Discipline.SW: gettext_lazy("Family group"),
    Discipline.CL: gettext_lazy("Child Life group"),
    Discipline.REC: gettext_lazy("Group recreational therapy"),
    Discipline.SCHOOL: gettext_lazy("School"),
}


def token_new() -> str:
    """A fresh feed token: shown once in the address, never stored."""
    return secrets.token_urlsafe(TOKEN_BYTES)


def token_digest(token: str) -> str:
    """The SHA-256 hex digest stored in ``CalendarFeed.token_digest``."""
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def feed_find(*, token: str) -> CalendarFeed | None:
    """The live feed of ``token``; ``None`` when unknown, revoked, or its owner
    is gone (a staff account switched off, a child whose journey has ended)."""
    if not token or len(token) > TOKEN_MAX_CHARS:
        return None
    feed = (
        CalendarFeed.objects.filter(token_digest=token_digest(token), revoked_at=None)
        .select_related("staff", "patient", "created_by")
        .first()
    )
    if feed is None or not feed_owner_active(feed):
        return None
    return feed


# Checks a higher layer adds on a family member's feed (the portal registers one: the
# link ends with the person's access to the child's timetable).
FeedGuard = Callable[[CalendarFeed], bool]
_family_feed_guards: list[FeedGuard] = []


def register_family_feed_guard(guard: FeedGuard) -> None:
    if guard not in _family_feed_guards:
        _family_feed_guards.append(guard)


def feed_owner_active(feed: CalendarFeed) -> bool:
    if feed.kind == FeedKind.STAFF:
        return feed.staff is not None and feed.staff.is_active
    if feed.patient_id is None:
        return False
    maker = feed.created_by
    if maker.role in FAMILY_ROLES:
        # A family member's link ends with their access to the child.
        if not maker.is_active:
            return False
        if not Patient.objects.visible_to(maker).filter(pk=feed.patient_id).exists():
            return False
        if not all(guard(feed) for guard in _family_feed_guards):
            return False
    return Episode.objects.filter(
        patient_id=feed.patient_id, phase__in=OPEN_PHASES
    ).exists()


def feed_window(today: dt.date) -> tuple[dt.date, dt.date]:
    """The days a feed holds: a week back, four weeks ahead."""
    return today - dt.timedelta(days=DAYS_BACK), today + dt.timedelta(days=DAYS_AHEAD)


def feed_sessions(feed: CalendarFeed, *, today: dt.date) -> QuerySet[Session]:
    """The feed's sessions in its window: the therapist's, or the child's own."""
    first, last = feed_window(today)
    sessions = Session.objects.filter(day__range=(first, last))
    if feed.kind == FeedKind.STAFF:
        sessions = sessions.filter(staff=feed.staff_id)
    else:
        sessions = sessions.filter(attendees__episode__patient=feed.patient)
    return (
        sessions.distinct()
        .select_related("room")
        .prefetch_related("staff", "attendees__episode__stay__bed")
        .order_by("day", "start", "pk")
    )


@dataclass(frozen=True)
class FeedEvent:
    """One VEVENT: a session as the calendar shows it (no clinical detail)."""

    uid: str
    day: dt.date
    start: dt.time
    end: dt.time
    summary: str
    location: str
    sequence: int


def session_kind(session: Session) -> str:
    kinds = GROUP_KINDS if session.mode == SessionMode.GROUP else INDIVIDUAL_KINDS
    kind = kinds.get(session.discipline) or INDIVIDUAL_KINDS.get(session.discipline)
    return str(kind or Discipline(session.discipline).label)


def _bed_numbers(session: Session) -> list[int]:
    numbers = []
    for attendee in session.attendees.all():
        stay = getattr(attendee.episode, "stay", None)
        if stay is not None:
            numbers.append(stay.bed.number)
    return sorted(numbers)


def _staff_summary(session: Session) -> str:
    """ "Physical therapy · Bed 4": the bed, never the child's name."""
    numbers = _bed_numbers(session)
    if not numbers:
        return session_kind(session)
    beds = ngettext("Bed %(numbers)s", "Beds %(numbers)s", len(numbers)) % {
        "numbers": ", ".join(str(n) for n in numbers)
    }
    return f"{session_kind(session)} · {beds}"


def _family_summary(session: Session) -> str:
    """ "Physical therapy with Pat": the therapists' first names only."""
    names = [u.first_name for u in session.staff.all() if u.first_name]
    if not names:
        return session_kind(session)
    return ngettext(
        "%(kind)s with %(names)s", "%(kind)s with %(names)s", len(names)
    ) % {"kind": session_kind(session), "names": " & ".join(sorted(names))}


def _event(session: Session, summary: str) -> FeedEvent:
    return FeedEvent(
        uid=f"session-{session.pk}@{UID_DOMAIN}",
        day=session.day,
        start=session.start,
        end=session.end,
        summary=summary,
        location=session.room.name if session.room else "",
        sequence=session.version,
    )


def feed_events(feed: CalendarFeed, sessions: Iterable[Session]) -> list[FeedEvent]:
    if feed.kind == FeedKind.STAFF:
        return [_event(s, _staff_summary(s)) for s in sessions]
    return [_event(s, _family_summary(s)) for s in sessions]


def feed_language(feed: CalendarFeed) -> str:
    """A family's feed speaks the child's language where it is translated."""
    codes = {code for code, _name in settings.LANGUAGES}
    patient = feed.patient
    if patient is not None and patient.preferred_language in codes:
        return patient.preferred_language
    return settings.LANGUAGE_CODE


def feed_name(feed: CalendarFeed) -> str:
    if feed.kind == FeedKind.STAFF:
        return _("PainRehab: my sessions")
    return _("PainRehab: the day on the unit")


def calendar_build(
    *, name: str, events: Sequence[FeedEvent], today: dt.date, now: dt.datetime
) -> bytes:
    """The feed's iCalendar text: one VEVENT a session, times in the unit's zone."""
    zone = ZoneInfo(settings.TIME_ZONE)
    calendar = Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("method", "PUBLISH")
    calendar.add("x-wr-calname", name)
    calendar.add("x-wr-timezone", settings.TIME_ZONE)
    calendar.add("refresh-interval", REFRESH, parameters={"VALUE": "DURATION"})
    calendar.add("x-published-ttl", REFRESH_TEXT)
    for item in events:
        event = Event()
        event.add("uid", item.uid)
        event.add("dtstamp", now.astimezone(dt.UTC))
        event.add("dtstart", dt.datetime.combine(item.day, item.start, tzinfo=zone))
        event.add("dtend", dt.datetime.combine(item.day, item.end, tzinfo=zone))
        event.add("summary", item.summary)
        if item.location:
            event.add("location", item.location)
        event.add("sequence", item.sequence)
        event.add("class", "PRIVATE")
        event.add("transp", "OPAQUE")
        calendar.add_component(event)
    first, last = feed_window(today)
    calendar.add_missing_timezones(
        first_date=first - dt.timedelta(days=1), last_date=last + dt.timedelta(days=1)
    )
    return bytes(calendar.to_ical())


@dataclass(frozen=True)
class FeedDocument:
    """A feed's iCalendar text, and whose sessions it showed (for the audit)."""

    body: bytes
    sessions: int
    patient_ids: tuple[int, ...]


def feed_document(feed: CalendarFeed, *, now: dt.datetime) -> FeedDocument:
    """The whole document of a live feed as of ``now``."""
    today = timezone.localdate(now)
    sessions = list(feed_sessions(feed, today=today))
    with translation.override(feed_language(feed)):
        events = feed_events(feed, sessions)
        name = feed_name(feed)
    patients = {a.episode.patient_id for s in sessions for a in s.attendees.all()}
    return FeedDocument(
        body=calendar_build(name=name, events=events, today=today, now=now),
        sessions=len(sessions),
        patient_ids=tuple(sorted(patients)),
    )


# --- The management pages' reads -------------------------------------------------


def staff_feeds(*, user: User) -> list[CalendarFeed]:
    """A staff member's own feeds, live ones first."""
    feeds = CalendarFeed.objects.filter(kind=FeedKind.STAFF, staff=user)
    return sorted(feeds, key=lambda f: (f.revoked_at is not None, -f.pk))


def staff_feed_get(*, user: User, feed_id: int) -> CalendarFeed:
    """One of the user's own feeds; anyone else's is a 404 like a missing one."""
    feed = CalendarFeed.objects.filter(
        kind=FeedKind.STAFF, staff=user, pk=feed_id
    ).first()
    if feed is None:
        raise Http404
    return feed


@dataclass(frozen=True)
class PatientFeeds:
    patient: Patient
    feeds: list[CalendarFeed]


def patient_feeds(*, user: User, patient_id: int) -> PatientFeeds:
    """A child's family feeds, through the access funnel, audited as a read."""
    patient = patient_get_for_user(user=user, patient_id=patient_id)
    rows = CalendarFeed.objects.filter(kind=FeedKind.PATIENT, patient=patient)
    feeds = sorted(rows, key=lambda f: (f.revoked_at is not None, -f.pk))
    record(
        action=AuditAction.SCHEDULE_VIEWED,
        action_type=ActionType.READ,
        actor=user,
        patient_id=patient.pk,
        data_category=DataCategory.SCHEDULE,
        obj=patient,
        changes={"page": "calendars", "feeds": len(feeds)},
    )
    return PatientFeeds(patient=patient, feeds=feeds)


def patient_feed_get(*, patient: Patient, feed_id: int) -> CalendarFeed:
    feed = CalendarFeed.objects.filter(
        kind=FeedKind.PATIENT, patient=patient, pk=feed_id
    ).first()
    if feed is None:
        raise Http404
    return feed
