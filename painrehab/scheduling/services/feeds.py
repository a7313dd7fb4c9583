"""Calendar feeds: create one (the address is shown once), revoke it, read it.

A therapist makes and revokes their own feeds; the coordinator makes and revokes
a family's feed of a child. Creation is idempotent on the form's ``form_token``:
the second click of a double click finds the first feed, whose token is gone by
then (only its digest is kept), so it comes back without an address. Revoking is
immediate: the next fetch of the address is the same 404 as an unknown one.
Creations, revocations and every fetch are audited.
"""

import datetime as dt
import uuid
from dataclasses import dataclass

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone

from painrehab.accounts.choices import CLINICAL_ROLES, Role
from painrehab.accounts.models import User
from painrehab.audit.actions import ActionType, AuditAction, DataCategory
from painrehab.audit.services import record
from painrehab.episodes.choices import OPEN_PHASES
from painrehab.episodes.models import Episode
from painrehab.patients.access import patient_get_for_user
from painrehab.patients.models import Patient
from painrehab.scheduling.choices import FeedKind
from painrehab.scheduling.feeds import feed_document, feed_find, token_digest, token_new
from painrehab.scheduling.models import CalendarFeed

LABEL_MAX = 80
# A calendar app polls often; the last use is written at most this often.
TOUCH_EVERY = dt.timedelta(minutes=1)
# Who keeps calendars of their own sessions, and who makes a family's.
FEED_OWNER_ROLES = CLINICAL_ROLES
FAMILY_FEED_ROLES = frozenset({Role.COORDINATOR})

FORM_REUSED = "This form was already used for another calendar; reload the page."
LABEL_TOO_LONG = f"Keep the name under {LABEL_MAX} characters."
NOT_AN_OWNER = "Only staff who deliver sessions keep a calendar of them."
ONLY_COORDINATOR = "Only the coordinator makes or revokes a family's calendar."
NOT_YOURS = "This calendar is not yours to revoke."
NO_JOURNEY = (
    "This child has no current stay on the program; the calendar would be empty."
)


@dataclass(frozen=True)
class CreatedFeed:
    """A new feed and its token, shown once; ``token`` is ``None`` when the form
    had already made this feed (its address was shown the first time)."""

    feed: CalendarFeed
    token: str | None


def _checked_label(label: str) -> str:
    cleaned = label.strip()
    if len(cleaned) > LABEL_MAX:
        raise ValidationError({"label": LABEL_TOO_LONG})
    return cleaned


def _repeat(form_token: uuid.UUID, owner: Q) -> CreatedFeed | None:
    """The feed this form already made, or ``None``; another owner's is refused."""
    existing = CalendarFeed.objects.filter(form_token=form_token).first()
    if existing is None:
        return None
    if not CalendarFeed.objects.filter(owner, pk=existing.pk).exists():
        raise ValidationError(FORM_REUSED)
    return CreatedFeed(feed=existing, token=None)


def _insert(feed: CalendarFeed, owner: Q, form_token: uuid.UUID) -> CreatedFeed:
    """Save the new feed; a concurrent twin with the same form token wins."""
    token = token_new()
    feed.token_digest = token_digest(token)
    feed.full_clean(validate_unique=False)
    try:
        with transaction.atomic():
            feed.save()
    except IntegrityError:
        again = _repeat(form_token, owner)
        if again is None:
            raise
        return again
    return CreatedFeed(feed=feed, token=token)


def _audit(
    *, action: AuditAction, action_type: ActionType, by: User, feed: CalendarFeed
) -> None:
    record(
        action=action,
        action_type=action_type,
        actor=by,
        patient_id=feed.patient_id,
        data_category=DataCategory.SCHEDULE,
        obj=feed,
        changes={"kind": feed.kind, "label": feed.label},
    )


@transaction.atomic
def staff_feed_create(*, by: User, label: str, form_token: uuid.UUID) -> CreatedFeed:
    """A calendar of ``by``'s own sessions."""
    owner = Q(kind=FeedKind.STAFF, staff=by)
    repeat = _repeat(form_token, owner)
    if repeat is not None:
        return repeat
    if by.role not in FEED_OWNER_ROLES:
        raise PermissionDenied(NOT_AN_OWNER)
    feed = CalendarFeed(
        kind=FeedKind.STAFF,
        staff=by,
        label=_checked_label(label),
        created_by=by,
        form_token=form_token,
    )
    created = _insert(feed, owner, form_token)
    if created.token is not None:
        _audit(
            action=AuditAction.CALENDAR_FEED_CREATED,
            action_type=ActionType.CREATE,
            by=by,
            feed=feed,
        )
    return created


def _check_family_feed_maker(by: User, patient_id: int) -> Patient:
    """The access funnel first (a 404 like a missing chart), then the role."""
    visible = patient_get_for_user(user=by, patient_id=patient_id)
    if by.role not in FAMILY_FEED_ROLES:
        raise PermissionDenied(ONLY_COORDINATOR)
    return visible


@transaction.atomic
def patient_feed_create(
    *, by: User, patient: Patient, label: str, form_token: uuid.UUID
) -> CreatedFeed:
    """A calendar of a child's own sessions, for the family."""
    patient = _check_family_feed_maker(by, patient.pk)
    owner = Q(kind=FeedKind.PATIENT, patient=patient)
    repeat = _repeat(form_token, owner)
    if repeat is not None:
        return repeat
    if not Episode.objects.filter(patient=patient, phase__in=OPEN_PHASES).exists():
        raise ValidationError(NO_JOURNEY)
    feed = CalendarFeed(
        kind=FeedKind.PATIENT,
        patient=patient,
        label=_checked_label(label),
        created_by=by,
        form_token=form_token,
    )
    created = _insert(feed, owner, form_token)
    if created.token is not None:
        _audit(
            action=AuditAction.CALENDAR_FEED_CREATED,
            action_type=ActionType.CREATE,
            by=by,
            feed=feed,
        )
    return created


def _check_revoker(by: User, feed: CalendarFeed) -> None:
    if feed.kind == FeedKind.STAFF:
        if feed.staff_id != by.pk:
            raise PermissionDenied(NOT_YOURS)
        return
    _check_family_feed_maker(by, feed.patient_id or 0)


@transaction.atomic
def feed_revoke(*, by: User, feed: CalendarFeed) -> CalendarFeed:
    """Switch the feed off for good; revoking twice changes nothing."""
    locked = CalendarFeed.objects.select_for_update(of=("self",)).get(pk=feed.pk)
    _check_revoker(by, locked)
    if locked.revoked_at is not None:
        return locked
    locked.revoked_at = timezone.now()
    locked.revoked_by = by
    locked.save(update_fields=["revoked_at", "revoked_by"])
    _audit(
        action=AuditAction.CALENDAR_FEED_REVOKED,
        action_type=ActionType.UPDATE,
        by=by,
        feed=locked,
    )
    return locked


def _touch(feed: CalendarFeed, now: dt.datetime) -> None:
    """Note the fetch, at most once a minute (calendar apps poll)."""
    recent = Q(last_used_at__gte=now - TOUCH_EVERY)
    CalendarFeed.objects.filter(pk=feed.pk).exclude(recent).update(last_used_at=now)


@transaction.atomic
def feed_read(*, token: str, now: dt.datetime | None = None) -> bytes | None:
    """The iCalendar text of the live feed of ``token``; ``None`` when there is
    none (unknown, revoked, owner gone), which the page answers with a 404."""
    feed = feed_find(token=token)
    if feed is None:
        return None
    now = now or timezone.now()
    document = feed_document(feed, now=now)
    _touch(feed, now)
    changes: dict[str, object] = {"kind": feed.kind, "sessions": document.sessions}
    if feed.kind == FeedKind.STAFF:
        # Only beds are shown, but whose sessions were sent is on the record.
        changes["patients"] = list(document.patient_ids)
    record(
        action=AuditAction.CALENDAR_FEED_READ,
        action_type=ActionType.READ,
        patient_id=feed.patient_id,
        data_category=DataCategory.SCHEDULE,
        obj=feed,
        changes=changes,
    )
    return document.body
