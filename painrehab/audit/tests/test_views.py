"""The privacy officer's audit report (ONC 170.315(d)(3))."""

import csv
import datetime as dt
import io

import pytest
import time_machine
from django.test import Client
from django.urls import reverse

from painrehab.accounts.choices import Role
from painrehab.accounts.models import User
from painrehab.accounts.tests.factories import StaffFactory
from painrehab.audit.actions import ActionType
from painrehab.audit.forms import DATES_REVERSED
from painrehab.audit.models import AuditEvent
from painrehab.audit.services import record
from painrehab.common.testing import sign_in

pytestmark = pytest.mark.django_db
LIST, EXPORT = reverse("audit:event_list"), reverse("audit:event_export")


@pytest.fixture
def privacy() -> User:
    return StaffFactory(role=Role.PRIVACY_OFFICER, username="priya")  # type: ignore[no-any-return]


@pytest.fixture
def trail() -> list[AuditEvent]:
    ana, ben = StaffFactory(username="ana"), StaffFactory(username="ben")
    events = []
    for day, actor, patient in [(1, ana, 7), (2, ben, 8), (3, ana, 8), (4, ben, 9)]:
        with time_machine.travel(dt.datetime(2026, 3, day, 18, tzinfo=dt.UTC)):
            events.append(
                record(
                    action="patient.viewed",
                    action_type=ActionType.READ,
                    actor=actor,
                    patient_id=patient,
                )
            )
    return events


def _seqs(client: Client, **params: str) -> list[int]:
    response = client.get(EXPORT, params)
    rows = list(csv.DictReader(io.StringIO(response.getvalue().decode())))
    return [int(r["seq"]) for r in rows if r["action"] == "patient.viewed"]


def test_the_report_filters_by_user_patient_and_dates(
    client: Client, privacy: User, trail: list[AuditEvent]
) -> None:
    sign_in(client, privacy)
    assert _seqs(client, user="ANA") == [3, 1]
    assert _seqs(client, patient="8") == [3, 2]
    assert _seqs(client, date_from="2026-03-02", date_to="2026-03-03") == [3, 2]
    assert _seqs(client, action="patient.viewed", sort="seq") == [1, 2, 3, 4]


@pytest.mark.parametrize(
    "field", ["recorded_at", "actor_username", "patient_id", "seq"]
)
def test_the_report_sorts_by_each_field_both_ways(
    client: Client, privacy: User, trail: list[AuditEvent], field: str
) -> None:
    sign_in(client, privacy)
    key = int if field in {"patient_id", "seq"} else str

    def column(sort: str) -> list[object]:
        rows = client.get(EXPORT, {"sort": sort, "action": "patient.viewed"}).getvalue()
        return [key(r[field]) for r in csv.DictReader(io.StringIO(rows.decode()))]

    ascending, descending = column(field), column(f"-{field}")
    assert len(ascending) == 4
    assert ascending == sorted(ascending)  # type: ignore[type-var]
    assert descending == sorted(descending, reverse=True)  # type: ignore[type-var]


def test_the_page_lists_events_and_records_that_it_was_viewed(
    client: Client, privacy: User, trail: list[AuditEvent]
) -> None:
    html = sign_in(client, privacy).get(LIST, {"user": "ben"}).content.decode()
    assert "2 events" in html and "ana" not in html.split("<tbody>")[1]
    viewed = AuditEvent.objects.get(action="audit.viewed")
    assert viewed.changes == {"filters": {"user": "ben"}}


def test_a_reversed_date_range_is_explained_next_to_the_field(
    client: Client, privacy: User, trail: list[AuditEvent]
) -> None:
    sign_in(client, privacy)
    html = client.get(LIST, {"date_from": "2026-03-05", "date_to": "2026-03-01"})
    assert str(DATES_REVERSED) in html.content.decode()
    assert (
        client.get(
            EXPORT, {"date_from": "2026-03-05", "date_to": "2026-03-01"}
        ).status_code
        == 400
    )


def test_the_export_is_a_csv_with_a_header_and_is_audited(
    client: Client, privacy: User, trail: list[AuditEvent]
) -> None:
    response = sign_in(client, privacy).get(EXPORT)
    assert response["Content-Type"] == "text/csv"
    assert "attachment" in response["Content-Disposition"]
    header = response.getvalue().decode().splitlines()[0]
    assert header.startswith("seq,recorded_at,actor_username,actor_role,action")
    assert AuditEvent.objects.filter(action="audit.exported").count() == 1


def test_htmx_paging_returns_only_the_table(
    client: Client, privacy: User, trail: list[AuditEvent]
) -> None:
    sign_in(client, privacy)
    response = client.get(LIST, HTTP_HX_REQUEST="true", HTTP_HX_TARGET="audit-table")
    assert response.content.decode().lstrip().startswith('<div id="audit-table"')
