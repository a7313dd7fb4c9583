"""The staff page about a child's portal access: who has an account, who is invited.

A read, through the access funnel (``PatientNotFound`` for a child the person may
not see), recorded as ``PORTAL_ACCESS_VIEWED``. Rows are plain dataclasses, so the
template needs no queries.
"""

from dataclasses import dataclass

from django.utils import timezone
from django.utils.translation import gettext as _

from painrehab.accounts.models import User
from painrehab.audit.actions import ActionType, AuditAction, DataCategory
from painrehab.audit.services import record
from painrehab.domain.ages import ADOLESCENT_AGE
from painrehab.patients.access import patient_get_for_user
from painrehab.patients.models import Guardian, Patient, PatientGuardian
from painrehab.portal.models import Invitation, InvitationKind
from painrehab.portal.services.invitations import (
    INVITERS,
    InvitationState,
    invitation_state,
)

TEEN = "teen"
GUARDIAN_PREFIX = "guardian:"


@dataclass(frozen=True)
class GuardianRow:
    link: PatientGuardian

    @property
    def guardian(self) -> Guardian:
        return self.link.guardian

    @property
    def has_account(self) -> bool:
        return self.link.guardian.user_id is not None


@dataclass(frozen=True)
class InvitationRow:
    invitation: Invitation
    state: InvitationState
    invitee: str

    @property
    def is_pending(self) -> bool:
        return self.state == InvitationState.PENDING


@dataclass(frozen=True)
class FamilyAccess:
    """Everything the "Family access" tab shows about one child."""

    patient: Patient
    guardians: list[GuardianRow]
    teen_age: bool  # 12 or older: may have their own account
    teen_has_account: bool
    invitations: list[InvitationRow]
    can_invite: bool

    def invitee_choices(self) -> list[tuple[str, str]]:
        """Who may be invited now: guardians with access and no account, the teen."""
        choices = [
            (f"{GUARDIAN_PREFIX}{row.guardian.pk}", _guardian_label(row.link))
            for row in self.guardians
            if row.link.portal_access and not row.has_account
        ]
        if self.teen_age and not self.teen_has_account:
            label = _("%(name)s (the patient)") % {"name": self.patient.display_name}
            choices.append((TEEN, label))
        return choices

    def invitee(self, value: str) -> tuple[InvitationKind, Guardian | None]:
        """The kind and guardian a choice stands for (the service checks them)."""
        if value == TEEN:
            return InvitationKind.TEEN, None
        wanted = value.removeprefix(GUARDIAN_PREFIX)
        for row in self.guardians:
            if str(row.guardian.pk) == wanted:
                return InvitationKind.GUARDIAN, row.guardian
        return InvitationKind.GUARDIAN, None


def _guardian_label(link: PatientGuardian) -> str:
    return f"{link.guardian} ({link.get_relationship_display()})"


def _invitation_rows(patient: Patient) -> list[InvitationRow]:
    now = timezone.now()
    found = Invitation.objects.filter(patient=patient).select_related(
        "guardian", "created_by", "used_by", "revoked_by"
    )
    return [
        InvitationRow(
            invitation,
            invitation_state(invitation, now=now),
            str(invitation.guardian)
            if invitation.kind == InvitationKind.GUARDIAN
            else _("the patient"),
        )
        for invitation in found
    ]


def family_access_get(*, user: User, patient_id: int) -> FamilyAccess:
    """The child's guardians, own account and invitations, if ``user`` sees them."""
    patient = patient_get_for_user(user=user, patient_id=patient_id)
    links = patient.guardian_links.select_related("guardian").order_by(
        "-is_primary_contact", "pk"
    )
    access = FamilyAccess(
        patient=patient,
        guardians=[GuardianRow(link) for link in links],
        teen_age=patient.age() >= ADOLESCENT_AGE,
        teen_has_account=patient.user_id is not None,
        invitations=_invitation_rows(patient),
        can_invite=user.role in INVITERS,
    )
    record(
        action=AuditAction.PORTAL_ACCESS_VIEWED,
        action_type=ActionType.READ,
        actor=user,
        patient_id=patient.pk,
        data_category=DataCategory.PORTAL_ACCOUNT,
        obj=patient,
    )
    return access
