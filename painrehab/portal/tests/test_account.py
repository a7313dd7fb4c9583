"""A family member's account page and the language switch (views/account.py,
services/account.py)."""

import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from painrehab.accounts.choices import Role
from painrehab.accounts.models import User
from painrehab.accounts.tests.factories import TEST_PASSWORD
from painrehab.audit.actions import AuditAction
from painrehab.audit.models import AuditEvent
from painrehab.common.testing import sign_in, staff
from painrehab.portal.tests.support import family

pytestmark = pytest.mark.django_db

ACCOUNT = "/family/account/"
LANGUAGE = "/family/language/"
NEW_PASSWORD = "seven lanterns over the bay"


def _sign_in_with_password(username: str, password: str = TEST_PASSWORD) -> Client:
    client = Client()
    response = client.post(
        reverse("accounts:login"), {"username": username, "password": password}
    )
    assert response.status_code == 302, response.content
    return client


def test_a_guardian_and_a_teen_each_open_their_account_page() -> None:
    fam = family(age=14, teen_account=True, stage="none")

    for client in (fam.guardian_client(), fam.teen_client()):
        response = client.get(ACCOUNT)
        assert response.status_code == 200
        assert "<h1>My account</h1>" in response.content.decode()


def test_staff_are_refused_and_visitors_sent_to_sign_in() -> None:
    staff_response = sign_in(Client(), staff(Role.COORDINATOR)).get(ACCOUNT)
    visitor = Client().get(ACCOUNT)

    assert staff_response.status_code == 403
    assert visitor.status_code == 302
    assert visitor["Location"].startswith(reverse("accounts:login"))


def test_the_chosen_language_is_saved_on_the_account_and_recorded() -> None:
    fam = family(stage="none")

    response = fam.guardian_client().post(
        ACCOUNT, {"action": "language", "language": "es"}
    )

    assert response.status_code == 302
    fam.guardian_user.refresh_from_db()
    assert fam.guardian_user.preferred_language == "es"
    assert response.cookies[settings.LANGUAGE_COOKIE_NAME].value == "es"
    event = AuditEvent.objects.get(action=AuditAction.PORTAL_ACCOUNT_CHANGED)
    assert event.changes == {"preferred_language": ["en", "es"]}


def test_the_language_is_remembered_across_sign_ins() -> None:
    family(stage="none")
    first = _sign_in_with_password("dana.testfamily")
    first.post(ACCOUNT, {"action": "language", "language": "es"})
    first.post(reverse("accounts:logout"))

    # A new browser, with no language cookie: the account remembers.
    again = _sign_in_with_password("dana.testfamily")
    response = again.get(ACCOUNT)

    assert '<html lang="es">' in response.content.decode()
    assert response["Content-Language"] == "es"


def test_an_unknown_language_is_refused_next_to_the_field() -> None:
    fam = family(stage="none")

    response = fam.guardian_client().post(
        ACCOUNT, {"action": "language", "language": "xx"}
    )

    assert response.status_code == 400
    assert 'id="id_language_error"' in response.content.decode()
    fam.guardian_user.refresh_from_db()
    assert fam.guardian_user.preferred_language == "en"


def test_the_password_changes_after_the_old_one_is_given() -> None:
    fam = family(stage="none")
    client = fam.guardian_client()
    data = {
        "action": "password",
        "old_password": "wrong",
        "new_password1": NEW_PASSWORD,
        "new_password2": NEW_PASSWORD,
    }

    wrong = client.post(ACCOUNT, data)
    right = client.post(ACCOUNT, {**data, "old_password": TEST_PASSWORD})

    assert wrong.status_code == 400
    assert 'id="id_old_password_error"' in wrong.content.decode()
    assert right.status_code == 302
    assert client.get(ACCOUNT).status_code == 200  # still signed in here
    _sign_in_with_password("dana.testfamily", NEW_PASSWORD)
    assert AuditEvent.objects.filter(
        action=AuditAction.PORTAL_ACCOUNT_CHANGED, changes={"password": "changed"}
    ).exists()
    assert NEW_PASSWORD not in str(list(AuditEvent.objects.values("changes")))


def test_a_family_member_adds_a_second_factor_and_sign_in_then_asks_for_it() -> None:
    fam = family(stage="none")
    client = fam.guardian_client()

    setup = client.get(ACCOUNT, {"setup": "second-factor"})
    device = TOTPDevice.objects.get(user=fam.guardian_user, confirmed=False)
    code = totp(device.bin_key, step=device.step, t0=device.t0, digits=device.digits)
    done = client.post(ACCOUNT, {"action": "second_factor", "code": f"{code:06d}"})

    assert "<svg" in setup.content.decode()
    assert done.status_code == 200
    assert "shown only now" in done.content.decode()
    device.refresh_from_db()
    assert device.confirmed
    response = Client().post(
        reverse("accounts:login"),
        {"username": "dana.testfamily", "password": TEST_PASSWORD},
    )
    assert response["Location"] == reverse("accounts:verify")
    assert AuditEvent.objects.filter(
        action=AuditAction.PORTAL_ACCOUNT_CHANGED,
        changes={"second_factor": "authenticator app added"},
    ).exists()


def test_a_wrong_authenticator_code_is_refused_next_to_the_field() -> None:
    fam = family(stage="none")
    client = fam.guardian_client()
    client.get(ACCOUNT, {"setup": "second-factor"})

    response = client.post(ACCOUNT, {"action": "second_factor", "code": "000000"})

    assert response.status_code == 400
    assert 'id="id_code_error"' in response.content.decode()
    assert not TOTPDevice.objects.filter(confirmed=True).exists()


# The language switch


def test_a_visitor_switches_language_with_the_cookie_and_goes_back() -> None:
    response = Client().post(LANGUAGE, {"language": "es", "next": "/family/join/"})

    assert response.status_code == 302
    assert response["Location"] == "/family/join/"
    assert response.cookies[settings.LANGUAGE_COOKIE_NAME].value == "es"


def test_the_switch_never_sends_anyone_to_another_site() -> None:
    response = Client().post(
        LANGUAGE, {"language": "es", "next": "https://evil.example/steal"}
    )

    assert response["Location"] == reverse("portal:home")


def test_a_signed_in_family_member_switches_the_account_language_too() -> None:
    fam = family(stage="none")

    fam.guardian_client().post(LANGUAGE, {"language": "es", "next": ACCOUNT})

    fam.guardian_user.refresh_from_db()
    assert fam.guardian_user.preferred_language == "es"


def test_a_staff_member_switching_changes_only_the_cookie() -> None:
    coordinator: User = staff(Role.COORDINATOR)

    response = sign_in(Client(), coordinator).post(LANGUAGE, {"language": "es"})

    coordinator.refresh_from_db()
    assert coordinator.preferred_language == "en"
    assert response.cookies[settings.LANGUAGE_COOKIE_NAME].value == "es"


def test_an_unknown_language_changes_nothing() -> None:
    fam = family(stage="none")

    response = fam.guardian_client().post(LANGUAGE, {"language": "xx"})

    assert settings.LANGUAGE_COOKIE_NAME not in response.cookies
    fam.guardian_user.refresh_from_db()
    assert fam.guardian_user.preferred_language == "en"
