"""Group sessions: one session, one draft note per attending child.

Each child's note lives in that child's chart and is signed on its own. The text
describing the group (``GROUP_CONTENT``) is copied into each note; it may not name
any attendee, and a note naming another attendee cannot be signed
(``rules.check_group_note``), so nothing of one child reaches another's chart.
"""

import uuid
from collections.abc import Sequence
from datetime import date

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from painrehab.accounts.models import User
from painrehab.audit.actions import ActionType, AuditAction, DataCategory
from painrehab.audit.services import record
from painrehab.notes import rules, services
from painrehab.notes.models import GroupSession, Note
from painrehab.notes.templates_catalog import GROUP_CONTENT
from painrehab.patients.access import PatientNotFound, patient_get_for_user
from painrehab.patients.models import Patient

GROUP_TEMPLATE = "group_session"
NO_ATTENDEES = "Choose the children who attended."
TOPIC_REQUIRED = "Name the group, e.g. “Pacing group”."
FORM_REUSED = "This form was already used for another group session; reload the page."
NOT_LEADER = "Only the clinician who led this group can open it."


@transaction.atomic
def group_session_create(
    *,
    leader: User,
    service_date: date,
    topic: str,
    group_content: str,
    patients: Sequence[Patient],
    form_token: uuid.UUID,
) -> GroupSession:
    """The session and one draft per attending child; a double submit makes one set."""
    rules.check_may_write(leader, GROUP_TEMPLATE)
    existing = GroupSession.objects.filter(form_token=form_token).first()
    if existing is not None:
        return _same_form(existing, leader)
    attendees = _attendees(leader, patients)
    _check(topic, group_content, attendees)
    session = GroupSession(
        leader=leader,
        service_date=service_date,
        topic=topic.strip(),
        form_token=form_token,
    )
    session.full_clean()
    try:
        with transaction.atomic():
            session.save()
    except IntegrityError:
        return _same_form(GroupSession.objects.get(form_token=form_token), leader)
    for patient in attendees:
        services.note_create(
            patient=patient,
            template_key=GROUP_TEMPLATE,
            author=leader,
            service_date=service_date,
            form_token=uuid.uuid5(form_token, str(patient.pk)),
            body={GROUP_CONTENT: group_content},
            group_session=session,
        )
    return session


def _same_form(existing: GroupSession, leader: User) -> GroupSession:
    if existing.leader_id != leader.pk:
        raise ValidationError({"form_token": FORM_REUSED})
    return existing


def _attendees(leader: User, patients: Sequence[Patient]) -> list[Patient]:
    unique = {p.pk: p for p in patients}
    if not unique:
        raise ValidationError({"patients": NO_ATTENDEES})
    return [patient_get_for_user(user=leader, patient_id=pk) for pk in sorted(unique)]


def _check(topic: str, group_content: str, attendees: list[Patient]) -> None:
    if not topic.strip():
        raise ValidationError({"topic": TOPIC_REQUIRED})
    rules.check_names_only({"topic": topic}, None, attendees)
    rules.check_names_only({GROUP_CONTENT: group_content}, None, attendees)


def group_session_get(*, user: User, group_id: int) -> tuple[GroupSession, list[Note]]:
    """The leader's own session and its notes; anyone else gets the missing-page 404."""
    session = GroupSession.objects.filter(pk=group_id).first()
    if session is None or session.leader_id != user.pk:
        raise PatientNotFound
    notes = [
        n
        for n in session.notes.select_related("patient").order_by(
            "patient__family_name"
        )
        if _visible(user, n.patient_id)
    ]
    for note in notes:
        record(
            action=AuditAction.NOTES_LISTED,
            action_type=ActionType.QUERY,
            actor=user,
            patient_id=note.patient_id,
            data_category=DataCategory.NOTE,
            obj=note,
            changes={"group_session": session.pk},
        )
    return session, notes


def _visible(user: User, patient_id: int) -> bool:
    try:
        patient_get_for_user(user=user, patient_id=patient_id)
    except PatientNotFound:
        return False
    return True
