"""Setting up a family account with an invitation (services/join.py, views/join.py).

The last test runs two uses of one code in real concurrent transactions.
"""

import datetime as dt
import threading
import uuid
from collections.abc import Iterator

import pytest
from django.db import connection
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from painrehab.accounts.choices import Role
from painrehab.accounts.models import User
from painrehab.accounts.tests.factories import UserFactory
from painrehab.audit.actions import AuditAction
from painrehab.audit.models import AuditEvent
from painrehab.common.testing import audit_triggers_lifted
from painrehab.patients.access import PatientNotFound
from painrehab.patients.models import Guardian, Patient
from painrehab.portal.access import child_get, children_of
from painrehab.portal.models import Invitation, InvitationKind
from painrehab.portal.services.invitations import (
    NewInvitation,
    code_digest,
    invitation_create,
    invitation_revoke,
)
from painrehab.portal.services.join import (
    GUARDIAN_HAS_ACCOUNT,
    REFUSED,
    TEEN_EMAIL_SHARED,
    TEEN_PHONE_SHARED,
    TOO_MANY,
    JoinRefused,
    NewAccount,
    invitation_accept,
)
from painrehab.portal.tests.support import Family, family
from painrehab.portal.tests.test_invitations import (
    coordinator,
    invite_guardian,
    invite_teen,
    second_guardian,
)

pytestmark = pytest.mark.django_db

PASSWORD = "a quiet garden by the river"
JOIN = "/family/join/"


def _account(username: str = "sam.t", **extra: str) -> dict[str, str]:
    return {
        "step": "account",
        "username": username,
        "password1": PASSWORD,
        "password2": PASSWORD,
        "language": "en",
        **extra,
    }


def _guardian_invited(fam: Family) -> tuple[Guardian, NewInvitation]:
    guardian = second_guardian(fam.child)
    return guardian, invite_guardian(fam.child, guardian, coordinator())


def _open(client: Client, code: str) -> None:
    """Step 1 by the e-mailed link: a good code goes on to step 2."""
    response = client.get(reverse("portal:join_code", args=[code]))
    assert response.status_code == 302, response.content
    assert response["Location"] == reverse("portal:join")


def _error(response: object, field: str) -> str:
    html = response.content.decode()  # type: ignore[attr-defined]
    start = html.index(f'id="id_{field}_error"')
    return html[start : html.index("</p>", start)]


# A guardian sets up their account


def test_the_emailed_link_leads_to_the_account_form_and_drops_the_code() -> None:
    fam = family(stage="none")
    _guardian, made = _guardian_invited(fam)
    client = Client()

    _open(client, made.code or "")
    page = client.get(JOIN).content.decode()

    assert "This account is for Sam Testfamily." in page
    assert made.code not in page
    assert made.code not in str(dict(client.session))


def test_a_guardian_sets_up_their_account_and_is_signed_in() -> None:
    fam = family(stage="none")
    guardian, made = _guardian_invited(fam)
    client = Client()
    _open(client, made.code or "")

    response = client.post(JOIN, _account(language="es"))

    assert response.status_code == 302
    assert response["Location"] == reverse("portal:account")
    user = User.objects.get(username="sam.t")
    guardian.refresh_from_db()
    assert guardian.user == user
    assert (user.role, user.first_name, user.preferred_language) == (
        Role.GUARDIAN,
        "Sam",
        "es",
    )
    invitation = Invitation.objects.get()
    assert invitation.used_by == user and invitation.used_at is not None
    assert response.cookies["django_language"].value == "es"
    follow = client.get(reverse("portal:account"))
    assert follow.status_code == 200
    assert "second factor" in follow.content.decode().lower()
    actions = set(AuditEvent.objects.values_list("action", flat=True))
    assert {
        AuditAction.PORTAL_INVITATION_ACCEPTED,
        AuditAction.USER_CREATED,
    } <= actions


def test_a_code_typed_by_hand_is_forgiven_its_case_and_spaces() -> None:
    fam = family(stage="none")
    _guardian, made = _guardian_invited(fam)
    typed = (made.code or "").lower().replace("-", " ")

    response = Client().post(JOIN, {"step": "code", "code": typed})

    assert response.status_code == 302
    assert response["Location"] == reverse("portal:join")


def test_a_guardian_account_made_from_an_invitation_reaches_only_that_child() -> None:
    fam = family(stage="none")
    other = family(name="Kim", surname="Otherfamily", parent="Lee", stage="none")
    _guardian, made = _guardian_invited(fam)
    client = Client()
    _open(client, made.code or "")
    client.post(JOIN, _account())
    user = User.objects.get(username="sam.t")

    assert [c.patient for c in children_of(user)] == [fam.child]
    assert list(Patient.objects.visible_to(user)) == [fam.child]
    request = type("Request", (), {"user": user})()
    with pytest.raises(PatientNotFound):
        child_get(request, other.child.pk)  # type: ignore[arg-type]


def test_a_guardian_who_got_an_account_meanwhile_is_told_clearly() -> None:
    fam = family(stage="none")
    guardian, made = _guardian_invited(fam)
    client = Client()
    _open(client, made.code or "")
    meanwhile = UserFactory(role=Role.GUARDIAN, username="sam.meanwhile")
    Guardian.objects.filter(pk=guardian.pk).update(user=meanwhile)

    response = client.post(JOIN, _account())

    assert response.status_code == 400
    assert str(GUARDIAN_HAS_ACCOUNT) in response.content.decode()
    assert not User.objects.filter(username="sam.t").exists()
    assert Invitation.objects.get().used_at is None


def test_the_password_must_pass_the_validators_and_match() -> None:
    fam = family(stage="none")
    _guardian, made = _guardian_invited(fam)
    client = Client()
    _open(client, made.code or "")

    short = client.post(JOIN, _account(password1="short", password2="short"))
    differ = client.post(JOIN, _account(password2=PASSWORD + "!"))

    assert short.status_code == differ.status_code == 400
    assert "too short" in _error(short, "password1")
    assert "not the same" in _error(differ, "password2")
    assert not User.objects.filter(username="sam.t").exists()


def test_a_username_taken_in_another_case_is_refused() -> None:
    fam = family(stage="none")
    _guardian, made = _guardian_invited(fam)
    client = Client()
    _open(client, made.code or "")

    response = client.post(JOIN, _account(username="DANA.TESTFAMILY"))

    assert response.status_code == 400
    assert "already taken" in _error(response, "username")


def test_someone_signed_in_is_asked_to_sign_out_first() -> None:
    fam = family(stage="none")
    _guardian, made = _guardian_invited(fam)

    response = fam.guardian_client().get(reverse("portal:join_code", args=[made.code]))

    assert response.status_code == 200
    assert "please sign out first" in response.content.decode()
    assert Invitation.objects.get().used_at is None


# Codes that do not work: one refusal for all


def _expired(fam: Family) -> str:
    long_ago = timezone.now() - dt.timedelta(days=8)
    made = invite_guardian(
        fam.child, second_guardian(fam.child), coordinator(), at=long_ago
    )
    return made.code or ""


def _used(fam: Family) -> str:
    _guardian, made = _guardian_invited(fam)
    invitation_accept(
        digest=code_digest(made.code or ""),
        new=NewAccount(username="first.user", password=PASSWORD, language="en"),
    )
    return made.code or ""


def _revoked(fam: Family) -> str:
    _guardian, made = _guardian_invited(fam)
    invitation_revoke(
        patient_id=fam.child.pk, invitation_id=made.invitation.pk, by=coordinator()
    )
    return made.code or ""


def _unknown(fam: Family) -> str:
    return "ABCD-EFGH-2345"


BAD_CODES = {
    "expired": _expired,
    "used": _used,
    "revoked": _revoked,
    "unknown": _unknown,
}


@pytest.mark.parametrize("kind", list(BAD_CODES), ids=lambda k: f"{k}_case")
@pytest.mark.parametrize("way", ["link", "typed"])
def test_expired_used_revoked_and_unknown_codes_get_the_same_refusal(
    kind: str, way: str
) -> None:
    code = BAD_CODES[kind](family(stage="none"))
    client = Client()

    if way == "link":
        response = client.get(reverse("portal:join_code", args=[code]))
    else:
        response = client.post(JOIN, {"step": "code", "code": code})

    assert response.status_code == 400
    assert str(REFUSED) in _error(response, "code")
    for other in ("expired", "used", "revoked", "unknown", "no longer"):
        assert other not in _error(response, "code").replace(str(REFUSED), "")
    assert client.session.get("portal_join_invitation") is None
    refusal = AuditEvent.objects.filter(
        action=AuditAction.PORTAL_INVITATION_REFUSED
    ).latest("seq")
    assert refusal.outcome_reason.startswith("unknown" if kind == "unknown" else kind)


def test_a_used_code_cannot_set_up_a_second_account() -> None:
    fam = family(stage="none")
    code = _used(fam)

    with pytest.raises(JoinRefused):
        invitation_accept(
            digest=code_digest(code),
            new=NewAccount(username="second.user", password=PASSWORD, language="en"),
        )

    assert not User.objects.filter(username="second.user").exists()


def test_an_invitation_revoked_between_the_steps_is_refused_at_the_second() -> None:
    fam = family(stage="none")
    _guardian, made = _guardian_invited(fam)
    client = Client()
    _open(client, made.code or "")
    invitation_revoke(
        patient_id=fam.child.pk, invitation_id=made.invitation.pk, by=coordinator()
    )

    response = client.post(JOIN, _account(), follow=True)

    assert str(REFUSED) in response.content.decode()
    assert not User.objects.filter(username="sam.t").exists()


def test_after_ten_wrong_codes_even_a_good_code_waits() -> None:
    fam = family(stage="none")
    _guardian, made = _guardian_invited(fam)
    client = Client()
    for n in range(10):
        wrong = client.post(JOIN, {"step": "code", "code": f"ABCD-EFGH-{n:04d}"})
        assert wrong.status_code == 400

    response = client.post(JOIN, {"step": "code", "code": made.code})

    assert response.status_code == 429
    assert str(TOO_MANY) in _error(response, "code")
    assert Invitation.objects.get().used_at is None
    assert AuditEvent.objects.filter(outcome_reason="too many wrong codes").exists()


def test_wrong_codes_from_one_address_count_across_browser_sessions() -> None:
    fam = family(stage="none")
    _guardian, made = _guardian_invited(fam)
    for n in range(10):
        Client().post(JOIN, {"step": "code", "code": f"ABCD-EFGH-{n:04d}"})

    response = Client().get(reverse("portal:join_code", args=[made.code]))

    assert response.status_code == 429


def test_wrong_codes_from_one_session_count_across_addresses() -> None:
    fam = family(stage="none")
    _guardian, made = _guardian_invited(fam)
    client = Client()
    for n in range(10):
        code = f"ABCD-EFGH-{n:04d}"
        client.post(JOIN, {"step": "code", "code": code}, REMOTE_ADDR=f"10.0.0.{n}")

    blocked = client.post(
        JOIN, {"step": "code", "code": made.code}, REMOTE_ADDR="10.0.1.1"
    )
    elsewhere = Client(REMOTE_ADDR="10.0.1.2").post(
        JOIN, {"step": "code", "code": made.code}
    )

    assert blocked.status_code == 429
    assert elsewhere.status_code == 302


def test_nine_wrong_codes_still_leave_a_try() -> None:
    fam = family(stage="none")
    _guardian, made = _guardian_invited(fam)
    client = Client()
    for n in range(9):
        client.post(JOIN, {"step": "code", "code": f"ABCD-EFGH-{n:04d}"})

    response = client.post(JOIN, {"step": "code", "code": made.code})

    assert response.status_code == 302


def test_the_wait_ends_after_the_window(settings: object) -> None:
    settings.PORTAL_JOIN_WAIT_MINUTES = 15  # type: ignore[attr-defined]
    fam = family(stage="none")
    _guardian, made = _guardian_invited(fam)
    client = Client()
    for n in range(10):
        client.post(JOIN, {"step": "code", "code": f"ABCD-EFGH-{n:04d}"})
    assert client.post(JOIN, {"step": "code", "code": made.code}).status_code == 429

    settings.PORTAL_JOIN_WAIT_MINUTES = 0  # type: ignore[attr-defined]
    response = client.post(JOIN, {"step": "code", "code": made.code})

    assert response.status_code == 302


# A teen sets up their own account


def _teen_invited(fam: Family) -> Client:
    made = invite_teen(fam.child, coordinator(), email="robin@example.net")
    client = Client()
    _open(client, made.code or "")
    return client


def test_a_teen_sets_up_their_own_account_with_their_own_contacts() -> None:
    fam = family(age=14, stage="none")
    client = _teen_invited(fam)

    response = client.post(
        JOIN, _account("robin.t", email="robin@example.net", phone="555-0177")
    )

    assert response.status_code == 302
    user = User.objects.get(username="robin.t")
    fam.child.refresh_from_db()
    assert fam.child.user == user
    assert (user.role, user.email, user.phone) == (
        Role.PATIENT,
        "robin@example.net",
        "555-0177",
    )
    assert [c.is_teen for c in children_of(user)] == [True]


def test_a_teens_email_shared_with_a_guardian_is_refused_on_the_email_field() -> None:
    fam = family(age=14, stage="none")
    client = _teen_invited(fam)

    response = client.post(
        JOIN, _account("robin.t", email="Dana.TestFamily@Example.org")
    )

    assert response.status_code == 400
    assert str(TEEN_EMAIL_SHARED) in _error(response, "email")
    assert 'id="id_phone_error"' not in response.content.decode()
    assert not User.objects.filter(username="robin.t").exists()
    assert Invitation.objects.get().used_at is None


def test_a_teens_phone_shared_with_a_guardian_is_refused_on_the_phone_field() -> None:
    fam = family(age=14, stage="none")
    client = _teen_invited(fam)

    # The guardian's record says 555-0100; written another way it is the same.
    response = client.post(
        JOIN, _account("robin.t", email="robin@example.net", phone="(555) 01 00")
    )

    assert response.status_code == 400
    assert str(TEEN_PHONE_SHARED) in _error(response, "phone")
    assert 'id="id_email_error"' not in response.content.decode()


def test_the_guardians_own_account_contacts_count_too() -> None:
    fam = family(age=14, stage="none")
    User.objects.filter(pk=fam.guardian_user.pk).update(
        email="dana.private@example.com", phone="+1 415 555 0142"
    )
    client = _teen_invited(fam)

    response = client.post(
        JOIN,
        _account("robin.t", email="DANA.PRIVATE@example.com", phone="415-555-0142"),
    )

    assert response.status_code == 400
    assert str(TEEN_EMAIL_SHARED) in _error(response, "email")
    assert str(TEEN_PHONE_SHARED) in _error(response, "phone")


def test_a_teen_gives_an_email_or_a_phone() -> None:
    fam = family(age=14, stage="none")
    client = _teen_invited(fam)

    response = client.post(JOIN, _account("robin.t", email="", phone=""))

    assert response.status_code == 400
    assert "e-mail address or mobile phone" in _error(response, "email")


def test_a_guardians_account_email_may_not_be_the_teens() -> None:
    fam = family(age=14, teen_account=True, stage="none")
    _guardian, made = _guardian_invited(fam)
    client = Client()
    _open(client, made.code or "")

    response = client.post(JOIN, _account(email="robin.testfamily@example.net"))

    assert response.status_code == 400
    assert "child&#x27;s own account" in _error(response, "email")


# Two uses of one code at the same moment


@pytest.fixture(scope="module")
def _triggers_lifted(
    django_db_setup: None, django_db_blocker: object
) -> Iterator[None]:
    with audit_triggers_lifted(django_db_blocker):
        yield


def _accept_in_thread(
    digest: str, username: str, barrier: threading.Barrier, outcomes: list[str]
) -> None:
    try:
        barrier.wait(timeout=10)
        invitation_accept(
            digest=digest,
            new=NewAccount(username=username, password=PASSWORD, language="en"),
        )
        outcomes.append("accepted")
    except JoinRefused:
        outcomes.append("refused")
    finally:
        connection.close()


@pytest.mark.django_db(transaction=True)
@pytest.mark.usefixtures("_triggers_lifted")
@pytest.mark.parametrize("attempt", range(3))
def test_two_simultaneous_uses_of_one_code_make_exactly_one_account(
    attempt: int,
) -> None:
    fam = family(stage="none")
    made = invitation_create(
        patient_id=fam.child.pk,
        created_by=coordinator(),
        kind=InvitationKind.GUARDIAN,
        guardian=second_guardian(fam.child),
        form_token=uuid.uuid4(),
    )
    digest = code_digest(made.code or "")
    barrier, outcomes = threading.Barrier(2), []
    threads = [
        threading.Thread(
            target=_accept_in_thread, args=(digest, name, barrier, outcomes)
        )
        for name in ("first.racer", "second.racer")
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)

    assert sorted(outcomes) == ["accepted", "refused"], outcomes
    assert User.objects.filter(username__endswith=".racer").count() == 1
    invitation = Invitation.objects.get()
    assert invitation.used_by is not None
    assert invitation.used_by.username.endswith(".racer")


def test_a_guardian_with_an_account_is_told_before_filling_in_anything() -> None:
    fam = family(stage="none")
    guardian, made = _guardian_invited(fam)
    meanwhile = UserFactory(role=Role.GUARDIAN, username="sam.meanwhile")
    Guardian.objects.filter(pk=guardian.pk).update(user=meanwhile)
    client = Client()
    _open(client, made.code or "")

    page = client.get(JOIN).content.decode()

    assert str(GUARDIAN_HAS_ACCOUNT) in page
    assert 'name="password1"' not in page
