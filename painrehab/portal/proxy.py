"""The patient's say over their guardians' portal access (security.md §3b rule 4).

A teen (12-17) may stop a guardian's portal access; turning it back on is for the
team, who know why it was turned off. An adult patient (18+) decides whether a
guardian keeps access at all. Every change is audited.
"""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from painrehab.accounts.models import User
from painrehab.audit.actions import ActionType, AuditAction, DataCategory
from painrehab.audit.services import record
from painrehab.domain.proxy import ADULT_AGE
from painrehab.patients.models import Patient, PatientGuardian


def _link(patient: Patient, link_id: int) -> PatientGuardian:
    link = (
        PatientGuardian.objects.select_for_update()
        .filter(pk=link_id, patient=patient)
        .first()
    )
    if link is None:
        raise ValidationError(_("That person is not linked to you."), code="link")
    return link


def _audit(by: User, link: PatientGuardian, change: str) -> None:
    record(
        action=AuditAction.PROXY_ACCESS_CHANGED,
        action_type=ActionType.UPDATE,
        actor=by,
        patient_id=link.patient_id,
        data_category=DataCategory.PORTAL_ACCOUNT,
        obj=link,
        changes={"guardian_id": link.guardian_id, "change": change},
    )


def proxy_revoke(*, patient: Patient, link_id: int, by: User) -> PatientGuardian:
    """The patient stops one guardian's portal access."""
    if patient.user_id != by.pk:
        raise ValidationError(_("Only the patient can change this."), code="owner")
    with transaction.atomic():
        link = _link(patient, link_id)
        if link.portal_access or link.adult_access_granted_at:
            link.portal_access = False
            link.adult_access_granted_at = None
            link.save(update_fields=["portal_access", "adult_access_granted_at"])
            _audit(by, link, "revoked")
    return link


def adult_grant(*, patient: Patient, link_id: int, by: User) -> PatientGuardian:
    """An adult patient lets a guardian keep seeing their portal."""
    if patient.user_id != by.pk:
        raise ValidationError(_("Only the patient can change this."), code="owner")
    if patient.age() < ADULT_AGE:
        raise ValidationError(
            _("Until you are 18, the team decides this with you."), code="age"
        )
    with transaction.atomic():
        link = _link(patient, link_id)
        if not link.portal_access:
            raise ValidationError(
                _("Ask the team to turn this person's access back on."), code="off"
            )
        if link.adult_access_granted_at is None:
            link.adult_access_granted_at = timezone.now()
            link.save(update_fields=["adult_access_granted_at"])
            _audit(by, link, "granted")
    return link
