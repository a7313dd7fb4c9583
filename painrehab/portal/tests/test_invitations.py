"""Invitations: the code, the rules of who may be invited, revoking, and the
staff's "Family access" tab (services/invitations.py, views/staff_access.py)."""

import datetime as dt
import hashlib
import random
import re
import uuid

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from painrehab.accounts.choices import Role
from painrehab.accounts.models import User
from painrehab.audit.actions import AuditAction, DataCategory
from painrehab.audit.models import AuditEvent
from painrehab.common.testing import sign_in, staff
from painrehab.demo.invitations_demo import DEMO_CODE, invitations_populate
from painrehab.patients.access import PatientNotFound
from painrehab.patients.models import Guardian, Patient
from painrehab.patients.tests.factories import (
    CareTeamMemberFactory,
    GuardianFactory,
    PatientGuardianFactory,
)
from painrehab.portal.models import Invitation, InvitationKind
from painrehab.portal.services import invitations
from painrehab.portal.services.invitations import (
    GUARDIAN_HAS_ACCOUNT,
    NO_PORTAL_ACCESS,
    NOT_PENDING,
    TEEN_EMAIL_IS_GUARDIANS,
    TEEN_HAS_ACCOUNT,
    TEEN_TOO_YOUNG,
    InvitationState,
    NewInvitation,
    code_digest,
    code_new,
    code_normalise,
    invitation_create,
    invitation_revoke,
    invitation_state,
)
from painrehab.portal.tests.support import family

pytestmark = pytest.mark.django_db

CODE_SHAPE = re.compile(
    r"^[0-9A-HJKMNP-TV-Z]{4}-[0-9A-HJKMNP-TV-Z]{4}-[0-9A-HJKMNP-TV-Z]{4}$"
)


def second_guardian(child: Patient, *, portal_access: bool = True) -> Guardian:
    """A father without a portal account, linked to ``child``."""
    guardian: Guardian = GuardianFactory(
        given_name="Sam",
        family_name="Testfamily",
        email="sam.testfamily@example.org",
        phone="(555) 013-3300",
    )
    PatientGuardianFactory(
        patient=child,
        guardian=guardian,
        relationship="father",
        portal_access=portal_access,
    )
    return guardian


def coordinator() -> User:
    """Alice, the coordinator (the same one however often she is asked for)."""
    found = User.objects.filter(username="alice").first()
    return found or staff(Role.COORDINATOR, username="alice", first_name="Alice")


def invite_guardian(
    child: Patient,
    guardian: Guardian,
    by: User,
    *,
    at: dt.datetime | None = None,
    email: str = "sam.testfamily@example.org",
    language: str = "en",
) -> NewInvitation:
    return invitation_create(
        patient_id=child.pk,
        created_by=by,
        kind=InvitationKind.GUARDIAN,
        guardian=guardian,
        email=email,
        language=language,
        form_token=uuid.uuid4(),
        at=at,
    )


def invite_teen(child: Patient, by: User, *, email: str = "") -> NewInvitation:
    return invitation_create(
        patient_id=child.pk,
        created_by=by,
        kind=InvitationKind.TEEN,
        email=email,
        form_token=uuid.uuid4(),
    )


# The code


def test_a_code_is_twelve_unambiguous_characters_in_three_groups() -> None:
    codes = {code_new() for _ in range(50)}

    assert all(CODE_SHAPE.match(code) for code in codes)
    assert len(codes) == 50
    # 12 characters of a 32-letter alphabet: 60 bits.
    assert len(invitations.ALPHABET) ** invitations.CODE_LENGTH >= 2**60


def test_a_typed_code_forgives_case_spaces_and_lookalike_letters() -> None:
    assert code_normalise(" 0b1l-2345 abcd ") == "0B11-2345ABCD".replace("-", "")
    assert code_digest("ob1l 2345 abcd") == code_digest("0B11-2345-ABCD")
    assert code_normalise("SHORT") == ""
    assert code_normalise("UUUU-UUUU-UUUU") == ""  # U is not in the alphabet


def test_only_the_digest_of_the_code_is_stored() -> None:
    fam = family(stage="none")
    made = invite_guardian(fam.child, second_guardian(fam.child), coordinator())

    assert made.code is not None
    row = Invitation.objects.values().get(pk=made.invitation.pk)
    plain = made.code.replace("-", "")
    assert row["code_digest"] == hashlib.sha256(plain.encode()).hexdigest()
    assert not any(plain in str(value) for value in row.values())
    assert not AuditEvent.objects.filter(changes__icontains=plain).exists()


def test_an_invitation_expires_after_seven_days_by_default() -> None:
    fam = family(stage="none")
    at = timezone.now()

    made = invite_guardian(fam.child, second_guardian(fam.child), coordinator(), at=at)

    assert made.invitation.expires_at == at + dt.timedelta(days=7)
    later = at + dt.timedelta(days=7, seconds=1)
    assert invitation_state(made.invitation, now=later) == InvitationState.EXPIRED


def test_the_number_of_days_comes_from_the_setting(settings: object) -> None:
    settings.PORTAL_INVITATION_DAYS = 2  # type: ignore[attr-defined]
    fam = family(stage="none")
    at = timezone.now()

    made = invite_guardian(fam.child, second_guardian(fam.child), coordinator(), at=at)

    assert made.invitation.expires_at == at + dt.timedelta(days=2)


# Who may be invited


def test_the_coordinator_invites_a_linked_guardian_without_an_account() -> None:
    fam = family(stage="none")
    guardian = second_guardian(fam.child)

    made = invite_guardian(fam.child, guardian, coordinator())

    assert made.invitation.guardian == guardian
    assert invitation_state(made.invitation) == InvitationState.PENDING
    event = AuditEvent.objects.get(action=AuditAction.PORTAL_INVITATION_CREATED)
    assert event.patient_id == fam.child.pk
    assert event.data_category == DataCategory.PORTAL_ACCOUNT
    assert event.actor_username == "alice"


def test_a_guardian_who_already_has_an_account_is_not_invited() -> None:
    fam = family(stage="none")

    with pytest.raises(ValidationError) as refused:
        invite_guardian(fam.child, fam.guardian, coordinator())

    assert refused.value.message_dict == {"invitee": [str(GUARDIAN_HAS_ACCOUNT)]}
    assert not Invitation.objects.exists()


def test_a_guardian_whose_portal_access_is_off_is_not_invited() -> None:
    fam = family(stage="none")
    guardian = second_guardian(fam.child, portal_access=False)

    with pytest.raises(ValidationError) as refused:
        invite_guardian(fam.child, guardian, coordinator())

    assert refused.value.message_dict == {"invitee": [str(NO_PORTAL_ACCESS)]}


def test_another_childs_guardian_is_not_invited_for_this_child() -> None:
    fam = family(stage="none")
    other = family(name="Kim", surname="Otherfamily", parent="Lee", stage="none")
    stranger = second_guardian(other.child)

    with pytest.raises(ValidationError) as refused:
        invite_guardian(fam.child, stranger, coordinator())

    assert "invitee" in refused.value.message_dict


def test_a_child_under_twelve_gets_no_invitation_of_their_own() -> None:
    fam = family(age=11, stage="none")

    with pytest.raises(ValidationError) as refused:
        invite_teen(fam.child, coordinator())

    assert refused.value.message_dict == {"invitee": [str(TEEN_TOO_YOUNG)]}


def test_a_teen_of_twelve_without_an_account_is_invited() -> None:
    fam = family(age=12, stage="none")

    made = invite_teen(fam.child, coordinator(), email="robin@example.net")

    assert made.invitation.kind == InvitationKind.TEEN
    assert made.invitation.guardian is None


def test_a_teen_who_has_an_account_is_not_invited_again() -> None:
    fam = family(age=14, teen_account=True, stage="none")

    with pytest.raises(ValidationError) as refused:
        invite_teen(fam.child, coordinator())

    assert refused.value.message_dict == {"invitee": [str(TEEN_HAS_ACCOUNT)]}


def test_a_teens_invitation_never_goes_to_a_guardians_email() -> None:
    fam = family(age=14, stage="none")

    with pytest.raises(ValidationError) as refused:
        invite_teen(fam.child, coordinator(), email="DANA.Testfamily@example.org")

    assert refused.value.message_dict == {"email": [str(TEEN_EMAIL_IS_GUARDIANS)]}


def test_only_coordinators_and_social_workers_invite() -> None:
    fam = family(stage="none")
    physician = staff(Role.PHYSICIAN)
    CareTeamMemberFactory(patient=fam.child, member=physician)

    with pytest.raises(PermissionDenied):
        invite_guardian(fam.child, second_guardian(fam.child), physician)


def test_a_social_worker_off_the_care_team_cannot_reach_the_child() -> None:
    fam = family(stage="none")

    with pytest.raises(PatientNotFound):
        invite_guardian(
            fam.child, second_guardian(fam.child), staff(Role.SOCIAL_WORKER)
        )


def test_the_same_form_token_twice_makes_one_invitation_and_one_code() -> None:
    fam = family(stage="none")
    guardian, by, token = second_guardian(fam.child), coordinator(), uuid.uuid4()

    def send() -> NewInvitation:
        return invitation_create(
            patient_id=fam.child.pk,
            created_by=by,
            kind=InvitationKind.GUARDIAN,
            guardian=guardian,
            form_token=token,
        )

    first, repeat = send(), send()

    assert Invitation.objects.count() == 1
    assert repeat.invitation == first.invitation
    assert first.code is not None and repeat.code is None


def test_a_new_invitation_replaces_the_persons_pending_one() -> None:
    fam = family(stage="none")
    guardian, by = second_guardian(fam.child), coordinator()
    first = invite_guardian(fam.child, guardian, by)

    invite_guardian(fam.child, guardian, by)

    first.invitation.refresh_from_db()
    assert invitation_state(first.invitation) == InvitationState.REVOKED
    assert Invitation.objects.filter(revoked_at__isnull=True).count() == 1


# Revoking


def test_revoking_a_pending_invitation_is_recorded() -> None:
    fam = family(stage="none")
    by = coordinator()
    made = invite_guardian(fam.child, second_guardian(fam.child), by)

    invitation_revoke(patient_id=fam.child.pk, invitation_id=made.invitation.pk, by=by)

    made.invitation.refresh_from_db()
    assert invitation_state(made.invitation) == InvitationState.REVOKED
    assert made.invitation.revoked_by == by
    assert AuditEvent.objects.filter(
        action=AuditAction.PORTAL_INVITATION_REVOKED, patient_id=fam.child.pk
    ).exists()


def test_an_expired_invitation_cannot_be_revoked() -> None:
    fam = family(stage="none")
    by = coordinator()
    long_ago = timezone.now() - dt.timedelta(days=30)
    made = invite_guardian(fam.child, second_guardian(fam.child), by, at=long_ago)

    with pytest.raises(ValidationError) as refused:
        invitation_revoke(
            patient_id=fam.child.pk, invitation_id=made.invitation.pk, by=by
        )

    assert refused.value.messages == [str(NOT_PENDING)]


# The staff page


def _page(client: Client, child: Patient) -> str:
    response = client.get(reverse("portal_staff:family_access", args=[child.pk]))
    assert response.status_code == 200
    return response.content.decode()


def test_the_tab_lists_guardians_accounts_and_every_state_of_invitation() -> None:
    fam = family(age=13, stage="none")
    by = coordinator()
    sam = second_guardian(fam.child)
    expired = invite_guardian(
        fam.child, sam, by, at=timezone.now() - dt.timedelta(days=20)
    )
    revoked = invite_guardian(fam.child, sam, by)
    invitation_revoke(
        patient_id=fam.child.pk, invitation_id=revoked.invitation.pk, by=by
    )
    invite_guardian(fam.child, sam, by)
    used = invite_teen(fam.child, by)
    Invitation.objects.filter(pk=used.invitation.pk).update(used_at=timezone.now())

    page = _page(sign_in(Client(), by), fam.child)

    assert "Dana Testfamily" in page and "Sam Testfamily" in page
    assert "no account of their own yet" in page
    for state in ("pending", "used", "expired", "revoked"):
        assert f"<td>\n                  {state}" in page, state
    assert expired.code not in page
    assert AuditEvent.objects.filter(
        action=AuditAction.PORTAL_ACCESS_VIEWED, patient_id=fam.child.pk
    ).exists()


def _invite_post(
    client: Client, child: Patient, guardian: Guardian, token: str, **extra: str
) -> str:
    data = {
        "invitee": f"guardian:{guardian.pk}",
        "email": "sam.testfamily@example.org",
        "language": "en",
        "form_token": token,
        **extra,
    }
    response = client.post(reverse("portal_staff:invite", args=[child.pk]), data)
    assert response.status_code == 200, response.content
    return response.content.decode()


def test_the_new_code_is_shown_once_and_emailed_in_the_invitees_language() -> None:
    fam = family(stage="none")
    sam = second_guardian(fam.child)
    client = sign_in(Client(), coordinator())

    page = _invite_post(client, fam.child, sam, str(uuid.uuid4()), language="es")

    code = re.search(r"<code>([0-9A-Z]{4}-[0-9A-Z]{4}-[0-9A-Z]{4})</code>", page)
    assert code is not None
    invitation = Invitation.objects.get()
    assert invitation.code_digest == code_digest(code.group(1))
    [email] = mail.outbox
    assert email.to == ["sam.testfamily@example.org"]
    assert code.group(1) in email.body
    assert reverse("portal:join_code", args=[code.group(1)]) in email.body
    # The expiry date is written the Spanish way ("3 de marzo de 2025 a las ...").
    assert " de " in email.body and " a las " in email.body
    assert code.group(1) not in _page(client, fam.child)


def test_a_double_click_on_invite_makes_one_invitation_and_one_email() -> None:
    fam = family(stage="none")
    sam = second_guardian(fam.child)
    client = sign_in(Client(), coordinator())
    token = str(uuid.uuid4())

    _invite_post(client, fam.child, sam, token)
    repeat = _invite_post(client, fam.child, sam, token)

    assert Invitation.objects.count() == 1
    assert len(mail.outbox) == 1
    assert "already made by the first click" in repeat


def test_without_an_email_address_nothing_is_sent() -> None:
    fam = family(stage="none")
    sam = second_guardian(fam.child)
    client = sign_in(Client(), coordinator())

    page = _invite_post(client, fam.child, sam, str(uuid.uuid4()), email="")

    assert mail.outbox == []
    assert "give the code in person" in page


def test_a_refused_invitation_shows_the_message_next_to_the_field() -> None:
    fam = family(age=14, stage="none")
    client = sign_in(Client(), coordinator())
    data = {
        "invitee": "teen",
        "email": "dana.testfamily@example.org",
        "language": "en",
        "form_token": str(uuid.uuid4()),
    }

    response = client.post(reverse("portal_staff:invite", args=[fam.child.pk]), data)

    assert response.status_code == 400
    assert 'id="id_email_error"' in response.content.decode()
    assert "belongs to a parent or guardian" in response.content.decode()
    assert not Invitation.objects.exists()


def test_the_revoke_button_revokes_and_goes_back_to_the_tab() -> None:
    fam = family(stage="none")
    by = coordinator()
    made = invite_guardian(fam.child, second_guardian(fam.child), by)
    url = reverse("portal_staff:revoke", args=[fam.child.pk, made.invitation.pk])

    response = sign_in(Client(), by).post(url)

    assert response.status_code == 302
    assert response["Location"] == reverse(
        "portal_staff:family_access", args=[fam.child.pk]
    )
    made.invitation.refresh_from_db()
    assert made.invitation.revoked_at is not None


def test_another_childs_invitation_cannot_be_revoked_through_this_child() -> None:
    fam = family(stage="none")
    other = family(name="Kim", surname="Otherfamily", parent="Lee", stage="none")
    by = coordinator()
    made = invite_guardian(other.child, second_guardian(other.child), by)
    url = reverse("portal_staff:revoke", args=[fam.child.pk, made.invitation.pk])

    response = sign_in(Client(), by).post(url)

    assert response.status_code == 404
    made.invitation.refresh_from_db()
    assert made.invitation.revoked_at is None


def test_the_director_reads_the_tab_without_invite_or_revoke_buttons() -> None:
    fam = family(stage="none")
    invite_guardian(fam.child, second_guardian(fam.child), coordinator())
    director = staff(Role.DIRECTOR)
    CareTeamMemberFactory(patient=fam.child, member=director)

    page = _page(sign_in(Client(), director), fam.child)

    assert "Sam Testfamily" in page
    assert reverse("portal_staff:invite", args=[fam.child.pk]) not in page
    assert ">Revoke<" not in page


def test_the_tab_is_on_the_chart() -> None:
    fam = family(stage="none")

    page = _page(sign_in(Client(), coordinator()), fam.child)

    assert 'aria-current="page">Family access</a>' in page


# The demo


def test_the_demo_makes_one_pending_and_one_expired_guardian_invitation() -> None:
    fam = family(stage="none")
    other = family(name="Kim", surname="Otherfamily", parent="Lee", stage="none")
    second_guardian(fam.child)
    second_guardian(other.child)
    coordinator()

    invitations_populate(rng=random.Random(7), today=timezone.localdate())

    states = sorted(invitation_state(i) for i in Invitation.objects.all())
    assert states == [InvitationState.EXPIRED, InvitationState.PENDING]
    pending = Invitation.objects.get(expires_at__gt=timezone.now())
    assert pending.code_digest == code_digest(DEMO_CODE)
    assert pending.guardian is not None and pending.guardian.user is None
    assert mail.outbox == []


def test_the_demo_makes_nothing_when_every_guardian_has_an_account() -> None:
    family(stage="none")
    coordinator()

    invitations_populate(rng=random.Random(7), today=timezone.localdate())

    assert not Invitation.objects.exists()
