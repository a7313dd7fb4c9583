"""Health check, security headers and friendly error pages."""

import pytest
from django.db import connection
from django.test import Client
from django.urls import reverse

from painrehab.accounts.models import User
from painrehab.common.testing import sign_in


@pytest.mark.django_db
def test_health_answers_200_when_the_database_is_reachable(client: Client) -> None:
    response = client.get(reverse("common:healthz"))
    assert response.status_code == 200
    assert response.json() == {"status": "ok", "database": "ok"}


@pytest.mark.django_db
def test_health_answers_503_when_the_database_is_not(
    client: Client, monkeypatch: pytest.MonkeyPatch
) -> None:
    def broken() -> None:
        raise connection.Database.OperationalError("down")

    monkeypatch.setattr(connection, "cursor", broken)
    response = client.get(reverse("common:healthz"))
    assert response.status_code == 503


@pytest.mark.django_db
def test_pages_carry_the_security_headers(client: Client, coordinator: User) -> None:
    response = sign_in(client, coordinator).get(reverse("patients:patient_list"))
    csp = response["Content-Security-Policy"]
    for directive in (
        "default-src 'self'",
        "object-src 'none'",
        "frame-ancestors 'none'",
    ):
        assert directive in csp
    assert "unsafe-inline" not in csp
    assert "no-store" in response["Cache-Control"]
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["X-Frame-Options"] == "DENY"
    assert response["Referrer-Policy"] == "same-origin"
    assert len(response["X-Request-ID"]) == 32


@pytest.mark.django_db
def test_a_missing_page_is_friendly_and_plain(
    client: Client, coordinator: User
) -> None:
    response = sign_in(client, coordinator).get("/no/such/page/")
    assert response.status_code == 404
    assert "Page not found" in response.content.decode()


@pytest.mark.django_db
def test_a_refused_page_explains_itself(client: Client, guardian: User) -> None:
    response = sign_in(client, guardian).get(reverse("audit:event_list"))
    assert response.status_code == 403
    assert "You do not have access to this page" in response.content.decode()


def test_the_server_error_page_shows_no_details(rf: pytest.FixtureRequest) -> None:
    from painrehab.common.views import server_error

    response = server_error(rf.get("/"))  # type: ignore[attr-defined]
    assert response.status_code == 500
    assert (
        b"Something went wrong" in response.content
        and b"Traceback" not in response.content
    )
