"""The de-identified research export: its files and columns, what never leaves,
pseudonyms, the data dictionary, and the disclosure in the audit trail."""

import csv
import datetime as dt
import io
import uuid
import zipfile

import pytest
from django.test import Client
from django.urls import reverse

from painrehab.accounts.choices import Role
from painrehab.accounts.models import User
from painrehab.accounts.tests.factories import StaffFactory
from painrehab.audit.actions import ActionType, AuditAction, DataCategory
from painrehab.audit.models import AuditEvent
from painrehab.common.testing import sign_in
from painrehab.instruments.choices import TimePoint
from painrehab.notes.tests.support import (
    clinician,
    confidential_note,
    psychotherapy_note,
)
from painrehab.outcomes.export import (
    ALREADY_EXPORTED,
    EPISODE_COLUMNS,
    Pseudonyms,
    long_columns,
    research_export_build,
    research_export_create,
)
from painrehab.outcomes.selectors import CohortFilter
from painrehab.outcomes.tests.cohort_support import closed_episode, score, today
from painrehab.patients.models import Patient

pytestmark = pytest.mark.django_db

PSYCHOTHERAPY_CANARY = "CANARY-PSYCHOTHERAPY-7f3a"
CONFIDENTIAL_CANARY = "CANARY-CONFIDENTIAL-91bc"


def _days_ago(n: int) -> dt.date:
    return today() - dt.timedelta(days=n)


@pytest.fixture
def children() -> list[Patient]:
    """Two discharged children with scores, notes, and a confidential note."""
    patients = []
    for given, family, mrn in (
        ("Zebedee", "Quillfeather", "MRN8800001"),
        ("Ysolde", "Marchbanks", "MRN8800002"),
    ):
        episode = closed_episode(given_name=given, family_name=family, mrn=mrn)
        score(episode, "FDI-C", 30, on=_days_ago(40))
        score(episode, "PCS-C", 26, on=_days_ago(40))
        score(episode, "FDI-C", 10, time_point=TimePoint.DISCHARGE, on=_days_ago(13))
        patients.append(episode.patient)
    psychologist = clinician(Role.PSYCHOLOGIST, *patients)
    psychotherapy_note(patients[0], psychologist, PSYCHOTHERAPY_CANARY)
    confidential_note(patients[1], psychologist, CONFIDENTIAL_CANARY)
    return patients


def _rows(content: bytes) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(content.decode("utf-8"))))


def test_the_files_and_their_columns(children: list[Patient]) -> None:
    export = research_export_build(filters=CohortFilter.default())

    assert set(export.files) == {
        "outcomes_long.csv",
        "episodes.csv",
        "data_dictionary.csv",
        "README.txt",
    }
    long = _rows(export.files["outcomes_long.csv"])
    assert list(long[0]) == long_columns()
    assert long_columns()[:8] == [
        "patient",
        "episode",
        "instrument",
        "timepoint",
        "days_from_admission",
        "total",
        "t_score",
        "respondent",
    ]
    assert "scale_rumination" in long_columns()
    assert len(long) == export.rows == 6
    pcs = next(r for r in long if r["instrument"] == "PCS-C")
    assert pcs["scale_rumination"] != "" and pcs["scale_fear"] == ""
    discharge = next(r for r in long if r["timepoint"] == "discharge")
    assert discharge["days_from_admission"] == "27"
    assert discharge["total"] == "10.0" and discharge["respondent"] == "child"
    episodes = _rows(export.files["episodes.csv"])
    assert list(episodes[0]) == EPISODE_COLUMNS
    assert {e["length_of_stay_days"] for e in episodes} == {"27"}
    assert {e["age_band"] for e in episodes} == {"12-14"}
    assert {e["diagnosis_group"] for e in episodes} == {"crps"}
    assert export.patients == 2


def test_no_identifier_or_note_reaches_any_file(children: list[Patient]) -> None:
    export = research_export_build(filters=CohortFilter.default())

    forbidden = [PSYCHOTHERAPY_CANARY, CONFIDENTIAL_CANARY]
    for patient in children:
        forbidden += [
            patient.given_name,
            patient.family_name,
            patient.mrn,
            patient.date_of_birth.isoformat(),
        ]
    for name, content in export.files.items():
        text = content.decode("utf-8")
        for secret in forbidden:
            assert secret not in text, (name, secret)


def test_admission_dates_are_shifted_per_patient_within_180_days(
    children: list[Patient],
) -> None:
    names = Pseudonyms(b"k" * 32)
    export = research_export_build(filters=CohortFilter.default(), key=b"k" * 32)

    for row in _rows(export.files["episodes.csv"]):
        patient = next(p for p in children if names.patient(p.pk) == row["patient"])
        shift = names.shift(patient.pk)
        admitted = _days_ago(40)
        assert -180 <= shift <= 180
        assert dt.date.fromisoformat(row["admission_date_shifted"]) == (
            admitted + dt.timedelta(days=shift)
        )


def test_pseudonyms_are_stable_within_an_export_and_differ_across(
    children: list[Patient],
) -> None:
    first = research_export_build(filters=CohortFilter.default())
    second = research_export_build(filters=CohortFilter.default())

    long = _rows(first.files["outcomes_long.csv"])
    episodes = {r["patient"] for r in _rows(first.files["episodes.csv"])}
    assert {r["patient"] for r in long} == episodes
    assert len(episodes) == 2
    assert all(p.startswith("P-") and len(p) == 14 for p in episodes)
    again = {r["patient"] for r in _rows(second.files["episodes.csv"])}
    assert episodes.isdisjoint(again)


def test_the_data_dictionary_lists_every_column(children: list[Patient]) -> None:
    export = research_export_build(filters=CohortFilter.default())

    dictionary = _rows(export.files["data_dictionary.csv"])
    listed = {(r["file"], r["name"]) for r in dictionary}
    for name in ("outcomes_long.csv", "episodes.csv"):
        header = next(csv.reader(io.StringIO(export.files[name].decode())))
        assert {(name, column) for column in header} <= listed
    assert all(r["type"] and r["meaning"] and r["units_or_coding"] for r in dictionary)
    assert "HMAC-SHA256" in export.files["README.txt"].decode()


def test_the_export_is_audited_as_a_disclosure(children: list[Patient]) -> None:
    director = StaffFactory(role=Role.DIRECTOR)

    export = research_export_create(
        filters=CohortFilter.default(),
        by=director,
        purpose="Annual outcomes paper",
        recipient="Dr. Stats, University",
        channel="web",
    )

    event = AuditEvent.objects.get(action=AuditAction.OUTCOMES_EXPORTED)
    assert event.action_type == ActionType.EXPORT
    assert event.data_category == DataCategory.OUTCOMES
    assert event.actor_id == director.pk
    assert event.changes["rows"] == export.rows == 6
    assert event.changes["patients"] == 2
    assert event.changes["purpose"] == "Annual outcomes paper"
    assert event.changes["recipient"] == "Dr. Stats, University"


@pytest.fixture
def director() -> User:
    return StaffFactory(role=Role.DIRECTOR, username="dee")


def test_the_view_returns_a_zip_of_the_files(
    director: User, children: list[Patient]
) -> None:
    client = sign_in(Client(), director)
    form = {
        "purpose": "Annual outcomes paper",
        "recipient": "Dr. Stats",
        "form_token": str(uuid.uuid4()),
    }

    response = client.post(reverse("outcomes:export"), form)

    assert response.status_code == 200
    assert response["Content-Type"] == "application/zip"
    names = zipfile.ZipFile(io.BytesIO(response.content)).namelist()
    assert sorted(n.split("/")[1] for n in names) == [
        "README.txt",
        "data_dictionary.csv",
        "episodes.csv",
        "outcomes_long.csv",
    ]
    assert AuditEvent.objects.filter(action=AuditAction.OUTCOMES_EXPORTED).count() == 1


def test_purpose_and_recipient_are_required(director: User) -> None:
    client = sign_in(Client(), director)

    response = client.post(
        reverse("outcomes:export"), {"form_token": str(uuid.uuid4())}
    )

    html = response.content.decode()
    assert response.status_code == 400
    assert 'id="id_purpose_error"' in html and 'id="id_recipient_error"' in html
    assert not AuditEvent.objects.filter(action=AuditAction.OUTCOMES_EXPORTED).exists()


def test_a_double_click_makes_one_disclosure(
    director: User, children: list[Patient]
) -> None:
    client = sign_in(Client(), director)
    form = {
        "purpose": "Paper",
        "recipient": "Dr. Stats",
        "form_token": str(uuid.uuid4()),
    }
    client.post(reverse("outcomes:export"), form)

    response = client.post(reverse("outcomes:export"), form)

    assert response.status_code == 400
    assert ALREADY_EXPORTED in response.content.decode()
    assert AuditEvent.objects.filter(action=AuditAction.OUTCOMES_EXPORTED).count() == 1


def test_the_export_page_carries_the_dashboards_filters(director: User) -> None:
    response = sign_in(Client(), director).get(
        reverse("outcomes:export"), {"sex": "male"}
    )

    assert response.status_code == 200
    assert '<option value="male" selected>' in response.content.decode()
