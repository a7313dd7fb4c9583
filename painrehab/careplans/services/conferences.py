"""The weekly team conference: plan it, start it (the agenda), the disciplines'
updates, the family summary, and close it (the agenda is written down for good).

Decisions live in ``services.decisions``. Every write locks the conference row
first, so a close waits for a save in flight and a save after the close is
refused; every write is audited with the child it concerns.
"""

import uuid
from datetime import date

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone

from painrehab.accounts.choices import CLINICAL_ROLES, Role
from painrehab.accounts.models import User
from painrehab.audit.actions import ActionType, AuditAction, DataCategory
from painrehab.audit.services import record
from painrehab.careplans.agenda import agenda_build
from painrehab.careplans.choices import ConferenceStatus
from painrehab.careplans.models import (
    CONFERENCE_CLOSED,
    SUMMARY_RELEASED,
    ConferenceItem,
    DisciplineUpdate,
    FamilySummary,
    TeamConference,
)
from painrehab.careplans.rules import discipline_of
from painrehab.careplans.services._common import FORM_REUSED, STALE
from painrehab.episodes.models import Episode, Stay
from painrehab.patients.access import patient_get_for_user

# Who runs a conference: starts it, adds a child, closes it, chairs it.
LEAD_ROLES = frozenset({Role.COORDINATOR, Role.PHYSICIAN})
PLANNER_ROLES = frozenset({Role.COORDINATOR})
UPDATE_MAX = 3000
SUMMARY_MAX = 4000

CONFERENCE_EXISTS = "A team conference is already planned for {day}."
NOT_A_CHAIR = "The chair is the coordinator or a physician."
ONLY_PLANNER = "Only the coordinator plans team conferences."
ONLY_LEAD = "Only the coordinator or a physician runs the conference."
NOT_YET = "A conference starts on its day ({day})."
NOT_STARTED = "Start the conference first."
NOT_AN_INPATIENT = "This child is not an inpatient on the conference day."
ALREADY_ON_AGENDA = "This child is already on the agenda."
TEXT_REQUIRED = "Write something first."
TOO_LONG = "Keep it under {limit} characters."
NO_DISCIPLINE = "Your account has no discipline to give an update for."
NOT_CLINICAL = "Only members of the care team write conference updates."
NOTHING_TO_RELEASE = "Write and save the summary before releasing it."


def _audit(
    *,
    action: AuditAction,
    by: User,
    obj: object,
    patient_id: int | None = None,
    changes: dict[str, object] | None = None,
    action_type: ActionType = ActionType.UPDATE,
) -> None:
    record(
        action=action,
        action_type=action_type,
        actor=by,
        patient_id=patient_id,
        data_category=DataCategory.CARE_PLAN,
        obj=obj,  # type: ignore[arg-type]
        changes=changes or {},
    )


def check_lead(by: User) -> None:
    if by.role not in LEAD_ROLES:
        raise PermissionDenied(ONLY_LEAD)


def locked_conference(conference_id: int) -> TeamConference:
    return TeamConference.objects.select_for_update().get(pk=conference_id)


def check_in_progress(conference: TeamConference) -> None:
    if conference.status == ConferenceStatus.CLOSED:
        raise ValidationError(CONFERENCE_CLOSED)
    if conference.status != ConferenceStatus.IN_PROGRESS:
        raise ValidationError(NOT_STARTED)


def locked_item(item: ConferenceItem, by: User) -> ConferenceItem:
    """The item under the conference's lock, open, and visible to ``by``."""
    conference = locked_conference(item.conference_id)
    check_in_progress(conference)
    locked = (
        ConferenceItem.objects.select_for_update(of=("self",))
        .select_related("episode__patient", "episode__stay")
        .get(pk=item.pk)
    )
    locked.conference = conference
    patient_get_for_user(user=by, patient_id=locked.episode.patient_id)
    return locked


def _checked_text(text: str, limit: int) -> str:
    cleaned = text.strip()
    if not cleaned:
        raise ValidationError({"text": TEXT_REQUIRED})
    if len(cleaned) > limit:
        raise ValidationError({"text": TOO_LONG.format(limit=limit)})
    return cleaned


# --- Planning and starting ------------------------------------------------------


def _check_chair(chair: User) -> None:
    if chair.role not in LEAD_ROLES or not chair.is_active:
        raise ValidationError({"chaired_by": NOT_A_CHAIR})


def _insert_conference(conference: TeamConference) -> TeamConference | None:
    try:
        with transaction.atomic():
            conference.save()
    except IntegrityError:
        return None
    return conference


@transaction.atomic
def conference_create(
    *, by: User, held_on: date, chaired_by: User, form_token: uuid.UUID
) -> TeamConference:
    """Plan the conference of ``held_on``; the same ``form_token`` again returns it."""
    existing = TeamConference.objects.filter(form_token=form_token).first()
    if existing is not None:
        return existing
    if by.role not in PLANNER_ROLES:
        raise PermissionDenied(ONLY_PLANNER)
    _check_chair(chaired_by)
    taken = ValidationError({"held_on": CONFERENCE_EXISTS.format(day=held_on)})
    if TeamConference.objects.filter(held_on=held_on).exists():
        raise taken
    conference = TeamConference(
        held_on=held_on, chaired_by=chaired_by, created_by=by, form_token=form_token
    )
    conference.full_clean(validate_unique=False)
    if _insert_conference(conference) is None:
        again = TeamConference.objects.filter(form_token=form_token).first()
        if again is None:
            raise taken
        return again
    _audit(
        action=AuditAction.CONFERENCE_CREATED,
        action_type=ActionType.CREATE,
        by=by,
        obj=conference,
        changes={"held_on": held_on.isoformat(), "chaired_by": chaired_by.pk},
    )
    return conference


def inpatient_stays_on(day: date) -> list[Stay]:
    """Stays that had begun by ``day`` and had not ended before it, by bed."""
    return list(
        Stay.objects.filter(admitted_on__lte=day)
        .filter(Q(discharged_on__isnull=True) | Q(discharged_on__gt=day))
        .select_related("episode__patient", "bed")
        .order_by("bed__number", "pk")
    )


def _add(conference: TeamConference, episode: Episode, by: User) -> ConferenceItem:
    item = ConferenceItem(
        conference=conference, episode=episode, added_at=timezone.now(), added_by=by
    )
    item.save()
    _audit(
        action=AuditAction.CONFERENCE_CHILD_ADDED,
        action_type=ActionType.CREATE,
        by=by,
        obj=item,
        patient_id=episode.patient_id,
        changes={"conference": conference.held_on.isoformat()},
    )
    return item


@transaction.atomic
def conference_start(*, conference: TeamConference, by: User) -> TeamConference:
    """Planned → in progress: every child inpatient on the day goes on the agenda.

    Starting twice (a double click) changes nothing the second time.
    """
    check_lead(by)
    locked = locked_conference(conference.pk)
    if locked.status == ConferenceStatus.IN_PROGRESS:
        return locked
    if locked.status == ConferenceStatus.CLOSED:
        raise ValidationError(CONFERENCE_CLOSED)
    if locked.held_on > timezone.localdate():
        raise ValidationError(NOT_YET.format(day=locked.held_on))
    locked.status = ConferenceStatus.IN_PROGRESS
    locked.started_at = timezone.now()
    locked.started_by = by
    locked.save(update_fields=["status", "started_at", "started_by", "updated_at"])
    stays = inpatient_stays_on(locked.held_on)
    for stay in stays:
        _add(locked, stay.episode, by)
    _audit(
        action=AuditAction.CONFERENCE_STARTED,
        by=by,
        obj=locked,
        changes={"children": len(stays)},
    )
    return locked


def addable_stays(conference: TeamConference) -> list[Stay]:
    """Children in a bed now who are not on the agenda yet (admitted since)."""
    on_agenda = conference.items.values("episode_id")
    return list(
        Stay.objects.filter(discharged_on__isnull=True)
        .exclude(episode_id__in=on_agenda)
        .select_related("episode__patient", "bed")
        .order_by("bed__number", "pk")
    )


@transaction.atomic
def conference_item_add(
    *, conference: TeamConference, by: User, episode: Episode
) -> ConferenceItem:
    """Put a child admitted since the conference started on its agenda."""
    check_lead(by)
    locked = locked_conference(conference.pk)
    check_in_progress(locked)
    patient_get_for_user(user=by, patient_id=episode.patient_id)
    if ConferenceItem.objects.filter(conference=locked, episode=episode).exists():
        raise ValidationError({"episode": ALREADY_ON_AGENDA})
    if episode.pk not in {s.episode_id for s in addable_stays(locked)}:
        raise ValidationError({"episode": NOT_AN_INPATIENT})
    return _add(locked, episode, by)


# --- Updates and the family summary -----------------------------------------------


def _discipline(by: User) -> str:
    if by.role not in CLINICAL_ROLES:
        raise PermissionDenied(NOT_CLINICAL)
    found = discipline_of(by)
    if not found:
        raise PermissionDenied(NO_DISCIPLINE)
    return found


def _insert_update(row: DisciplineUpdate) -> bool:
    try:
        with transaction.atomic():
            row.save()
    except IntegrityError:
        return False
    return True


@transaction.atomic
def discipline_update_save(
    *, item: ConferenceItem, by: User, version: int, text: str
) -> DisciplineUpdate:
    """Save the user's discipline's update on ``item``, seen at ``version``.

    ``version`` 0 means the user saw no update yet. A stale version (someone of
    the same discipline saved in between) is refused with ``{"version": STALE}``.
    """
    locked = locked_item(item, by)
    discipline = _discipline(by)
    cleaned = _checked_text(text, UPDATE_MAX)
    row = (
        DisciplineUpdate.objects.select_for_update()
        .filter(item=locked, discipline=discipline)
        .first()
    )
    current = row.version if row is not None else 0
    if version != current:
        raise ValidationError({"version": STALE})
    if row is not None and row.text == cleaned:
        return row
    if row is None:
        row = DisciplineUpdate(
            item=locked, discipline=discipline, text=cleaned, written_by=by
        )
        if not _insert_update(row):
            raise ValidationError({"version": STALE})
    else:
        row.text, row.written_by, row.version = cleaned, by, row.version + 1
        row.save(update_fields=["text", "written_by", "version", "updated_at"])
    _audit(
        action=AuditAction.CONFERENCE_UPDATE_SAVED,
        by=by,
        obj=row,
        patient_id=locked.episode.patient_id,
        changes={"discipline": discipline, "version": row.version},
    )
    return row


def _locked_summary(item: ConferenceItem) -> FamilySummary | None:
    return FamilySummary.objects.select_for_update().filter(item=item).first()


@transaction.atomic
def family_summary_save(
    *, item: ConferenceItem, by: User, version: int, text: str
) -> FamilySummary:
    """Save the family summary of ``item`` seen at ``version`` (0: none yet)."""
    locked = locked_item(item, by)
    _discipline(by)
    cleaned = _checked_text(text, SUMMARY_MAX)
    row = _locked_summary(locked)
    if row is not None and row.is_released:
        raise ValidationError(SUMMARY_RELEASED)
    if version != (row.version if row is not None else 0):
        raise ValidationError({"version": STALE})
    if row is not None and row.text == cleaned:
        return row
    if row is None:
        row = FamilySummary(item=locked, text=cleaned, written_by=by)
        try:
            with transaction.atomic():
                row.save()
        except IntegrityError:
            raise ValidationError({"version": STALE}) from None
    else:
        row.text, row.written_by, row.version = cleaned, by, row.version + 1
        row.save(update_fields=["text", "written_by", "version", "updated_at"])
    _audit(
        action=AuditAction.FAMILY_SUMMARY_SAVED,
        by=by,
        obj=row,
        patient_id=locked.episode.patient_id,
        changes={"version": row.version},
    )
    return row


@transaction.atomic
def family_summary_release(
    *, item: ConferenceItem, by: User, version: int
) -> FamilySummary:
    """Mark the saved summary (as seen at ``version``) for the family portal.

    Releasing twice returns the released summary; a released one never changes.
    """
    locked = locked_item(item, by)
    _discipline(by)
    row = _locked_summary(locked)
    if row is None:
        raise ValidationError({"text": NOTHING_TO_RELEASE})
    if row.is_released:
        return row
    if row.version != version:
        raise ValidationError({"version": STALE})
    row.released_at, row.released_by = timezone.now(), by
    row.save(update_fields=["released_at", "released_by", "updated_at"])
    _audit(
        action=AuditAction.FAMILY_SUMMARY_RELEASED,
        by=by,
        obj=row,
        patient_id=locked.episode.patient_id,
        changes={"version": row.version},
    )
    return row


# --- Closing ----------------------------------------------------------------------


@transaction.atomic
def conference_close(*, conference: TeamConference, by: User) -> TeamConference:
    """In progress → closed: each child's agenda is written down as it is now,
    and from then on nothing of the conference changes (the models refuse)."""
    check_lead(by)
    locked = locked_conference(conference.pk)
    if locked.status == ConferenceStatus.CLOSED:
        return locked
    check_in_progress(locked)
    now = timezone.now()
    items = locked.items.select_related("episode__patient", "episode__stay__bed")
    for item in items:
        item.conference = locked
        item.snapshot = agenda_build(item).as_json()
        item.snapshot_at = now
        item.save(update_fields=["snapshot", "snapshot_at"])
    locked.status = ConferenceStatus.CLOSED
    locked.closed_at, locked.closed_by = now, by
    locked.save(update_fields=["status", "closed_at", "closed_by", "updated_at"])
    _audit(
        action=AuditAction.CONFERENCE_CLOSED,
        by=by,
        obj=locked,
        changes={"children": len(items)},
    )
    return locked


__all__ = [
    "ALREADY_ON_AGENDA",
    "CONFERENCE_EXISTS",
    "FORM_REUSED",
    "LEAD_ROLES",
    "NOTHING_TO_RELEASE",
    "NOT_AN_INPATIENT",
    "NOT_A_CHAIR",
    "NOT_STARTED",
    "NOT_YET",
    "TEXT_REQUIRED",
    "addable_stays",
    "check_in_progress",
    "conference_close",
    "conference_create",
    "conference_item_add",
    "conference_start",
    "discipline_update_save",
    "family_summary_release",
    "family_summary_save",
    "inpatient_stays_on",
    "locked_item",
]
