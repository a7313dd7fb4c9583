"""Sign-in: password, lock-out, second factor, enrolment, time-out and sign-out.

Times are frozen with time-machine; nothing sleeps.
"""

import datetime as dt

import pytest
import time_machine
from django.contrib.sessions.models import Session
from django.test import Client
from django.urls import reverse
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from painrehab.accounts import services
from painrehab.accounts.choices import Role
from painrehab.accounts.forms import BAD_CODE, BAD_CREDENTIALS
from painrehab.accounts.models import User
from painrehab.accounts.tests.factories import (
    TEST_PASSWORD,
    StaffFactory,
    UserFactory,
    totp_device,
)
from painrehab.audit.models import AuditEvent
from painrehab.common.testing import sign_in

pytestmark = pytest.mark.django_db

T0 = dt.datetime(2026, 11, 2, 9, 0, tzinfo=dt.UTC)
LOGIN, VERIFY, ENROL = "accounts:login", "accounts:verify", "accounts:enrol"


def _password(client: Client, username: str, password: str = TEST_PASSWORD) -> object:
    data = {"username": username, "password": password}
    return client.post(reverse(LOGIN), data)


def _code(device: TOTPDevice) -> str:
    return f"{totp(device.bin_key, step=device.step, digits=device.digits):06d}"


def _signed_in(client: Client) -> bool:
    return "_auth_user_id" in client.session


@pytest.fixture
def nurse() -> User:
    user: User = StaffFactory(role=Role.NURSE, username="nina")
    totp_device(user)
    return user


def test_a_wrong_password_is_refused_with_a_message_and_recorded(
    client: Client, nurse: User
) -> None:
    response = _password(client, "nina", "wrong password")
    assert response.status_code == 200
    assert str(BAD_CREDENTIALS) in response.content.decode()
    assert not _signed_in(client)
    event = AuditEvent.objects.get(action="auth.login_failed")
    assert event.changes == {"username": "nina"} and event.outcome == "failure"


def test_five_wrong_passwords_lock_the_account_for_fifteen_minutes(
    client: Client, nurse: User
) -> None:
    with time_machine.travel(T0, tick=False) as clock:
        for _ in range(5):
            _password(client, "nina", "wrong password")
        locked = _password(client, "nina")
        assert locked.status_code == 429
        assert "locked" in locked.content.decode().lower()
        assert AuditEvent.objects.filter(action="auth.locked_out").exists()
        clock.shift(dt.timedelta(minutes=15, seconds=1))
        response = _password(client, "nina")
    assert response.status_code == 302
    assert response["Location"] == reverse(VERIFY)


def test_trying_again_during_the_lock_out_keeps_the_account_locked(
    client: Client, nurse: User
) -> None:
    with time_machine.travel(T0, tick=False) as clock:
        for _ in range(5):
            _password(client, "nina", "wrong password")
        clock.shift(dt.timedelta(minutes=14))
        assert _password(client, "nina").status_code == 429
        clock.shift(dt.timedelta(minutes=2))
        assert _password(client, "nina").status_code == 429


def test_a_right_password_alone_gives_staff_no_session(
    client: Client, nurse: User
) -> None:
    response = _password(client, "nina")
    assert response["Location"] == reverse(VERIFY)
    assert not _signed_in(client)
    page = client.get(reverse("patients:patient_list"))
    assert page.status_code == 302 and page["Location"].startswith(reverse(LOGIN))


def test_the_second_factor_signs_staff_in_and_a_code_works_only_once(
    client: Client, nurse: User
) -> None:
    device = TOTPDevice.objects.get(user=nurse)
    with time_machine.travel(T0, tick=False) as clock:
        _password(client, "nina")
        wrong = client.post(reverse(VERIFY), {"code": "123456"})
        assert str(BAD_CODE) in wrong.content.decode()
        assert AuditEvent.objects.filter(action="auth.mfa_failed").count() == 1
        clock.shift(dt.timedelta(seconds=1))  # django-otp throttles after a failure
        code = _code(device)
        signed = client.post(reverse(VERIFY), {"code": code})
        assert signed.status_code == 302 and _signed_in(client)
        assert client.get(reverse("patients:patient_list")).status_code == 200
        again = Client()
        _password(again, "nina")
        replay = again.post(reverse(VERIFY), {"code": code})
    assert str(BAD_CODE) in replay.content.decode() and not _signed_in(again)
    login = AuditEvent.objects.get(action="auth.logged_in")
    assert login.changes == {"second_factor": "totp"}


def test_signing_in_gives_a_new_session_key(client: Client, nurse: User) -> None:
    client.get(reverse(LOGIN))
    _password(client, "nina")
    before = client.session.session_key
    with time_machine.travel(T0, tick=False):
        client.post(
            reverse(VERIFY), {"code": _code(TOTPDevice.objects.get(user=nurse))}
        )
    assert client.session.session_key != before


def test_the_password_step_expires_after_five_minutes(
    client: Client, nurse: User
) -> None:
    with time_machine.travel(T0, tick=False) as clock:
        _password(client, "nina")
        clock.shift(dt.timedelta(minutes=5, seconds=1))
        response = client.post(
            reverse(VERIFY), {"code": _code(nurse.totpdevice_set.get())}
        )
    assert response["Location"] == reverse(LOGIN)
    assert not _signed_in(client)


def test_a_recovery_code_signs_in_once(client: Client, nurse: User) -> None:
    codes = services.recovery_codes_issue(user=nurse)
    _password(client, "nina")
    assert client.post(reverse(VERIFY), {"code": codes[0].upper()}).status_code == 302
    assert _signed_in(client)
    other = Client()
    _password(other, "nina")
    response = other.post(reverse(VERIFY), {"code": codes[0]})
    assert str(BAD_CODE) in response.content.decode()


def test_recovery_codes_are_stored_only_as_hashes(nurse: User) -> None:
    codes = services.recovery_codes_issue(user=nurse)
    stored = set(
        nurse.recoverycodedevice_set.get().codes.values_list("code_hash", flat=True)
    )
    assert len(stored) == 10 and not any(c in stored for c in codes)


def test_staff_without_an_authenticator_must_enrol_first(client: Client) -> None:
    StaffFactory(role=Role.PSYCHOLOGIST, username="pia")
    response = _password(client, "pia")
    assert response["Location"] == reverse(ENROL)
    page = client.get(reverse(ENROL))
    assert b"<svg" in page.content
    device = TOTPDevice.objects.get(user__username="pia", confirmed=False)
    with time_machine.travel(T0, tick=False) as clock:
        assert client.post(reverse(ENROL), {"code": "000001"}).status_code == 200
        assert not _signed_in(client)
        clock.shift(dt.timedelta(seconds=1))
        done = client.post(reverse(ENROL), {"code": _code(device)})
        assert done["Location"] == reverse("accounts:recovery_codes")
        codes_page = client.get(done["Location"]).content.decode()
        assert codes_page.count("<code>") == 10
        assert _signed_in(client)
    device.refresh_from_db()
    assert device.confirmed


def test_the_demo_code_is_refused_when_debug_is_off(
    client: Client, nurse: User, settings: object
) -> None:
    settings.DEMO_MODE = True  # type: ignore[attr-defined]
    settings.DEBUG = False  # type: ignore[attr-defined]
    _password(client, "nina")
    response = client.post(reverse(VERIFY), {"code": "000000"})
    assert not _signed_in(client) and str(BAD_CODE) in response.content.decode()


def test_the_demo_code_works_in_demo_mode_with_debug(
    client: Client, nurse: User, settings: object
) -> None:
    settings.DEMO_MODE = True  # type: ignore[attr-defined]
    settings.DEBUG = True  # type: ignore[attr-defined]
    _password(client, "nina")
    client.post(reverse(VERIFY), {"code": "000000"})
    assert _signed_in(client)
    assert AuditEvent.objects.get(action="auth.logged_in").changes == {
        "second_factor": "demo"
    }


def test_families_without_a_second_factor_sign_in_with_the_password(
    client: Client,
) -> None:
    UserFactory(role=Role.GUARDIAN, username="gina")
    response = _password(client, "gina")
    assert response["Location"] == reverse("accounts:home")
    assert _signed_in(client)


def test_next_only_redirects_inside_the_site(client: Client) -> None:
    UserFactory(role=Role.GUARDIAN, username="gina")
    data = {"username": "gina", "password": TEST_PASSWORD}
    response = client.post(reverse(LOGIN) + "?next=https://example.com/x", data)
    assert response["Location"] == reverse("accounts:home")


def test_staff_are_signed_out_after_fifteen_idle_minutes(
    client: Client, nurse: User
) -> None:
    url = reverse("patients:patient_list")
    with time_machine.travel(T0, tick=False) as clock:
        sign_in(client, nurse)
        assert client.get(url).status_code == 200
        clock.shift(dt.timedelta(minutes=14, seconds=59))
        assert client.get(url).status_code == 200
        clock.shift(dt.timedelta(minutes=15, seconds=1))
        response = client.get(url)
    assert response.status_code == 302
    assert "timed_out=1" in response["Location"]
    assert not Session.objects.exists()
    assert AuditEvent.objects.filter(action="auth.session_timed_out").count() == 1


def test_a_timed_out_htmx_request_is_told_to_redirect(
    client: Client, nurse: User
) -> None:
    with time_machine.travel(T0, tick=False) as clock:
        sign_in(client, nurse)
        client.get(reverse("patients:patient_list"))
        clock.shift(dt.timedelta(minutes=16))
        response = client.get(reverse("patients:patient_list"), HTTP_HX_REQUEST="true")
    assert response["HX-Redirect"].startswith(reverse(LOGIN))


def test_sign_out_ends_the_session_and_clears_the_browser(
    client: Client, nurse: User
) -> None:
    sign_in(client, nurse)
    assert client.get(reverse("accounts:logout")).status_code == 405
    response = client.post(reverse("accounts:logout"))
    assert response["Location"] == reverse(LOGIN)
    assert "storage" in response["Clear-Site-Data"]
    assert not Session.objects.exists()
    assert AuditEvent.objects.filter(action="auth.logged_out").count() == 1
    assert client.get(reverse("patients:patient_list")).status_code == 302


def test_staff_can_replace_their_recovery_codes(client: Client, nurse: User) -> None:
    sign_in(client, nurse)
    first = services.recovery_codes_issue(user=nurse)
    page = client.post(reverse("accounts:recovery_codes")).content.decode()
    assert page.count("<code>") == 10 and first[0] not in page
    other = Client()
    _password(other, "nina")
    assert (
        str(BAD_CODE)
        in other.post(reverse(VERIFY), {"code": first[0]}).content.decode()
    )


def test_each_role_lands_on_its_own_start_page(client_for: object) -> None:
    landing = {
        Role.COORDINATOR: "/patients/",
        Role.PRIVACY_OFFICER: "/audit/",
        Role.DIRECTOR: "/outcomes/",
        Role.SYSADMIN: "/admin/",
        Role.GUARDIAN: "/family/",
    }
    for role, path in landing.items():
        factory = StaffFactory if role != Role.GUARDIAN else UserFactory
        client = client_for(factory(role=role))  # type: ignore[operator]
        assert client.get(reverse("accounts:home"))["Location"] == path


def test_stay_signed_in_resets_the_idle_clock(client: Client, nurse: User) -> None:
    url = reverse("patients:patient_list")
    with time_machine.travel(T0, tick=False) as clock:
        sign_in(client, nurse)
        client.get(url)
        clock.shift(dt.timedelta(minutes=14))
        assert client.post(reverse("accounts:keepalive")).status_code == 204
        clock.shift(dt.timedelta(minutes=14))
        assert client.get(url).status_code == 200


def test_a_busy_session_still_ends_twelve_hours_after_sign_in(
    client: Client, nurse: User
) -> None:
    url = reverse("patients:patient_list")
    with time_machine.travel(T0, tick=False) as clock:
        sign_in(client, nurse)
        for _ in range(73):  # a request every 10 minutes, up to 12 h after sign-in
            assert client.get(url).status_code == 200
            clock.shift(dt.timedelta(minutes=10))
        response = client.get(url)  # 12 h 10 min after sign-in, 10 min idle
    assert response.status_code == 302 and "timed_out=1" in response["Location"]
    event = AuditEvent.objects.get(action="auth.session_timed_out")
    assert event.changes == {"reason": "absolute"}
