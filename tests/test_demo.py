"""The seeded demo: `painrehab demo --no-serve` builds the whole synthetic program.

A build takes a few seconds, so one build is shared by the module: it runs inside a
module-wide transaction that is rolled back at the end, and each test runs in its
own savepoint within it. `--reset` replaces the SQLite file, so its test runs the
command in a subprocess against a temporary directory.
"""

import os
import re
import sqlite3
import subprocess
import sys
from collections import Counter
from collections.abc import Iterator
from datetime import date, timedelta
from io import StringIO
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings as django_settings
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import transaction
from django.utils import timezone
from django_otp.plugins.otp_totp.models import TOTPDevice
from pytest_django import DjangoDbBlocker

from painrehab.accounts.choices import STAFF_ROLES, Discipline, Role
from painrehab.accounts.models import StaffProfile, User
from painrehab.audit.models import AuditEvent
from painrehab.audit.selectors import audit_chain_verify
from painrehab.demo.plan import (
    PHASE_PLAN,
    DemoProgram,
    PlannedPhase,
    program_plan,
)
from painrehab.episodes.choices import Phase
from painrehab.episodes.models import (
    Episode,
    FollowUp,
    Stay,
    StayExtension,
    WaitlistEntry,
)
from painrehab.patients.choices import TeamRole
from painrehab.patients.models import CareTeamMember, Guardian, Patient, PatientGuardian
from painrehab.referrals.models import EligibilityDecision, Evaluation, Referral

# pytest-django's ``settings`` wrapper class is not importable.
SettingsWrapper = Any
# Building the demo takes seconds: the modules that build it share one worker
# (pytest -n 2 --dist loadgroup) so that no worker builds it twice.
pytestmark = pytest.mark.xdist_group("demo_build")
REPO_ROOT = Path(__file__).resolve().parent.parent
FICTIONAL_PHONE = re.compile(r"^\(\d{3}\) 555-01\d\d$")
FICTIONAL_EMAIL = re.compile(r"@example\.(org|com)$")


def run_demo(*args: str) -> str:
    out = StringIO()
    call_command("demo", "--no-serve", *args, stdout=out)
    return out.getvalue()


def row_counts() -> dict[str, int]:
    models = (User, Patient, Guardian, PatientGuardian, CareTeamMember, AuditEvent)
    return {model.__name__: model.objects.count() for model in models}


def visible_mrns(username: str) -> set[str]:
    user = User.objects.get(username=username)
    return set(Patient.objects.visible_to(user).values_list("mrn", flat=True))


@pytest.fixture(scope="module")
def demo_output(
    django_db_setup: None, django_db_blocker: DjangoDbBlocker
) -> Iterator[str]:
    """One demo build for the module, rolled back when the module is done."""
    with (
        pytest.MonkeyPatch.context() as patch,
        django_db_blocker.unblock(),
        transaction.atomic(),
    ):
        patch.setattr(django_settings, "DEBUG", True)
        patch.setattr(django_settings, "DEMO_MODE", True)
        yield run_demo()
        transaction.set_rollback(True)


@pytest.fixture
def demo_mode(settings: SettingsWrapper) -> SettingsWrapper:
    settings.DEBUG = True
    settings.DEMO_MODE = True
    return settings


@pytest.fixture
def program() -> DemoProgram:
    return program_plan(today=timezone.localdate())


@pytest.mark.django_db
def test_demo_creates_every_discipline_of_the_staff_roster(demo_output: str) -> None:
    disciplines = Counter(StaffProfile.objects.values_list("discipline", flat=True))
    for discipline in ("PT", "OT", "PSY", "SW", "CL", "REC"):
        assert disciplines[discipline] >= 2, discipline
    assert disciplines[Discipline.ACU] == 1
    assert disciplines[Discipline.SCHOOL] == 1
    assert disciplines[Discipline.NURSE] >= 2
    roles = set(User.objects.values_list("role", flat=True))
    oversight = {Role.COORDINATOR, Role.DIRECTOR, Role.PRIVACY_OFFICER, Role.SYSADMIN}
    assert oversight <= roles
    assert User.objects.get(username="admin").role == Role.SYSADMIN


@pytest.mark.django_db
def test_every_demo_staff_account_has_a_confirmed_second_factor(
    demo_output: str,
) -> None:
    staff = User.objects.filter(role__in=STAFF_ROLES)
    assert staff.count() == 25
    with_device = TOTPDevice.objects.filter(user__in=staff, confirmed=True)
    assert with_device.values("user").distinct().count() == 25


@pytest.mark.django_db
def test_demo_accounts_all_share_the_demo_password(demo_output: str) -> None:
    for username in ("coordinator", "pt3", "guardian1", "teen1"):
        assert User.objects.get(username=username).check_password("painrehab-demo")


@pytest.mark.django_db
def test_demo_registers_forty_patients_aged_7_to_19_today(demo_output: str) -> None:
    today = timezone.localdate()
    ages = [patient.age(today) for patient in Patient.objects.all()]
    assert len(ages) == 40
    assert min(ages) >= 7
    assert max(ages) <= 19
    assert Patient.objects.filter(mrn__regex=r"^PR\d{6}$").count() == 40


@pytest.mark.django_db
def test_about_a_third_of_demo_patients_prefer_spanish(demo_output: str) -> None:
    spanish = Patient.objects.filter(preferred_language="es").count()
    assert 10 <= spanish <= 14


@pytest.mark.django_db
def test_every_demo_patient_has_a_guardian_with_fictional_contacts(
    demo_output: str,
) -> None:
    assert not Patient.objects.filter(guardian_links__isnull=True).exists()
    for phone, email in Guardian.objects.values_list("phone", "email"):
        assert FICTIONAL_PHONE.match(phone), phone
        assert FICTIONAL_EMAIL.search(email), email


@pytest.mark.django_db
def test_guardian1_sees_exactly_their_own_child(demo_output: str) -> None:
    assert visible_mrns("guardian1") == {"PR000001"}
    assert "guardian1" in demo_output
    assert "(PR000001)" in demo_output


@pytest.mark.django_db
def test_each_guardian_account_sees_only_the_children_linked_to_them(
    demo_output: str,
) -> None:
    guardians = User.objects.filter(role=Role.GUARDIAN)
    assert guardians.count() >= 5
    for user in guardians:
        links = PatientGuardian.objects.filter(guardian__user=user)
        linked = set(links.values_list("patient__mrn", flat=True))
        assert linked
        assert visible_mrns(user.username) == linked


@pytest.mark.django_db
def test_each_teen_account_sees_only_their_own_record(demo_output: str) -> None:
    teens = User.objects.filter(role=Role.PATIENT)
    assert teens.count() >= 3
    for teen in teens:
        (own,) = Patient.objects.visible_to(teen)
        assert own.user == teen
        assert own.age() >= 12


@pytest.mark.django_db
def test_pt3_is_on_no_care_team_and_sees_no_patient(demo_output: str) -> None:
    assert visible_mrns("pt3") == set()
    assert not CareTeamMember.objects.filter(member__username="pt3").exists()


@pytest.mark.django_db
def test_pt2_sees_some_but_not_all_patients(demo_output: str) -> None:
    assert 0 < len(visible_mrns("pt2")) < 40
    assert visible_mrns("pt") != visible_mrns("pt2")


@pytest.mark.django_db
def test_the_coordinator_sees_every_patient(demo_output: str) -> None:
    assert len(visible_mrns("coordinator")) == 40


@pytest.mark.django_db
def test_referred_patients_have_only_the_evaluation_team(
    demo_output: str, program: DemoProgram
) -> None:
    for planned in program.patients:
        team = CareTeamMember.objects.filter(patient__mrn=planned.mrn)
        roles = set(team.values_list("team_role", flat=True))
        if planned.planned_phase == PlannedPhase.REFERRED:
            assert roles == {TeamRole.ATTENDING, TeamRole.PRIMARY_PSYCHOLOGIST}
        else:
            assert {TeamRole.PRIMARY_PT, TeamRole.NURSE} <= roles


@pytest.mark.django_db
def test_every_demo_patient_stands_in_their_planned_phase(demo_output: str) -> None:
    plan = program_plan(today=timezone.localdate())
    planned = {p.mrn: str(p.planned_phase) for p in plan.patients}
    actual = dict(Episode.objects.values_list("patient__mrn", "phase"))
    assert actual == planned
    assert set(actual.values()) == set(Phase.values)


def test_the_demo_unit_is_full_with_children_on_different_days(
    demo_output: str,
) -> None:
    stays = Stay.objects.filter(discharged_on__isnull=True)
    assert stays.count() == 12
    assert stays.values("bed").distinct().count() == 12
    today = timezone.localdate()
    days = {s.day_of_stay(today) for s in stays}
    assert len(days) == 12
    assert StayExtension.objects.count() >= 1


def test_the_demo_has_decisions_both_ways_and_a_missed_follow_up(
    demo_output: str,
) -> None:
    outcomes = set(EligibilityDecision.objects.values_list("outcome", flat=True))
    assert {"admit", "decline", "defer"} <= outcomes
    assert Referral.objects.filter(triage_status="new").exists()
    assert Evaluation.objects.filter(status="draft").exists()
    overdue = FollowUp.objects.filter(
        status="scheduled", due_on__lt=timezone.localdate() - timedelta(days=14)
    )
    assert overdue.count() >= 1
    assert WaitlistEntry.objects.count() == 5


def test_demo_build_is_audited_and_the_chain_verifies(demo_output: str) -> None:
    assert AuditEvent.objects.filter(action="patient.created").count() == 40
    assert AuditEvent.objects.filter(action="care_team.member_added").exists()
    assert audit_chain_verify() is None


@pytest.mark.django_db
def test_demo_prints_logins_password_and_second_factor_note(
    demo_output: str,
) -> None:
    assert "painrehab-demo" in demo_output
    assert "Second factor: enter 000000" in demo_output
    assert "http://127.0.0.1:8000/" in demo_output
    for username in ("coordinator", "pt3", "privacy", "admin", "teen1"):
        assert re.search(rf"^{username}\s", demo_output, re.MULTILINE), username


@pytest.mark.django_db
def test_running_the_demo_again_creates_nothing(
    demo_output: str, demo_mode: SettingsWrapper
) -> None:
    before = row_counts()
    output = run_demo()
    assert row_counts() == before
    assert "already present" in output
    assert "guardian1" in output


@pytest.mark.django_db
def test_reset_refuses_a_database_that_is_not_a_sqlite_file(
    demo_output: str, demo_mode: SettingsWrapper
) -> None:
    before = row_counts()
    with pytest.raises(CommandError, match="append-only"):
        run_demo("--reset")
    assert row_counts() == before


def test_reset_replaces_the_sqlite_demo_database(tmp_path: Path) -> None:
    old = sqlite3.connect(tmp_path / "painrehab.sqlite3")
    old.execute("CREATE TABLE leftover (id INTEGER)")
    old.commit()
    old.close()
    env = os.environ | {"PAINREHAB_VAR_DIR": str(tmp_path), "PAINREHAB_DEBUG": "1"}
    env |= {"PAINREHAB_DEMO": "1", "DJANGO_SETTINGS_MODULE": "config.settings_test"}
    env.pop("DATABASE_URL", None)
    command = [sys.executable, "-m", "painrehab", "demo", "--no-serve", "--reset"]
    done = subprocess.run(
        command, cwd=REPO_ROOT, env=env, capture_output=True, text=True, check=False
    )
    assert done.returncode == 0, done.stderr
    assert "Built in" in done.stdout
    new = sqlite3.connect(tmp_path / "painrehab.sqlite3")
    tables = {row[0] for row in new.execute("SELECT name FROM sqlite_master")}
    (patients,) = new.execute("SELECT count(*) FROM patients_patient").fetchone()
    new.close()
    assert "leftover" not in tables
    assert patients == 40


@pytest.mark.django_db
def test_demo_refuses_to_run_outside_demo_mode(settings: SettingsWrapper) -> None:
    settings.DEBUG = True
    settings.DEMO_MODE = False
    before = row_counts()
    with pytest.raises(CommandError, match="PAINREHAB_DEMO=1"):
        run_demo()
    assert row_counts() == before


def test_plan_is_the_same_for_the_same_seed() -> None:
    first = program_plan(seed=2026, today=date(2026, 3, 1))
    again = program_plan(seed=2026, today=date(2026, 3, 1))
    assert first == again
    other = program_plan(seed=7, today=date(2026, 3, 1))
    assert [p.family_name for p in other.patients] != [
        p.family_name for p in first.patients
    ]


def test_plan_names_and_accounts_do_not_depend_on_the_day() -> None:
    def identity(program: DemoProgram) -> list[tuple[str, ...]]:
        return [
            (p.mrn, p.given_name, p.family_name, p.username, p.guardians[0].given_name)
            for p in program.patients
        ]

    winter = program_plan(seed=2026, today=date(2026, 1, 15))
    leap_day = program_plan(seed=2026, today=date(2028, 2, 29))
    assert identity(winter) == identity(leap_day)


@pytest.mark.parametrize(
    "today",
    [date(2026, 1, 15), date(2028, 2, 29), date(2027, 9, 1)],
    ids=["winter_case", "leap_day_case", "school_year_start_case"],
)
def test_planned_patients_are_aged_7_to_19_on_any_day(today: date) -> None:
    program = program_plan(seed=2026, today=today)
    for patient in program.patients:
        born = patient.date_of_birth
        age = (
            today.year - born.year - ((today.month, today.day) < (born.month, born.day))
        )
        assert 7 <= age <= 19, patient.mrn
        assert patient.school_name and patient.school_grade


def test_phase_plan_fills_the_twelve_beds() -> None:
    phases = Counter(PHASE_PLAN)
    assert len(PHASE_PLAN) == 40
    assert phases[PlannedPhase.INPATIENT] == 12
    assert set(phases) == set(PlannedPhase)


def test_planned_teams_spread_the_physical_therapists(program: DemoProgram) -> None:
    pts = Counter(
        member.username
        for patient in program.patients
        for member in patient.care_team
        if member.team_role == TeamRole.PRIMARY_PT
    )
    assert set(pts) == {"pt", "pt2"}
    assert max(pts.values()) - min(pts.values()) <= 1


def test_the_demo_has_reports_already_sent_each_accounted_for(demo_output: str) -> None:
    import hashlib

    from painrehab.outcomes.choices import ReportKind
    from painrehab.outcomes.models import GeneratedReport

    reports = list(GeneratedReport.objects.order_by("pk"))
    kinds = Counter(report.kind for report in reports)
    assert kinds == {
        ReportKind.DISCHARGE_SUMMARY: 3,
        ReportKind.SCHOOL_LETTER: 1,
        ReportKind.FAMILY_PROGRESS: 1,
    }
    for report in reports:
        content = bytes(report.pdf)
        assert content.startswith(b"%PDF")
        assert hashlib.sha256(content).hexdigest() == report.sha256
    generated = AuditEvent.objects.filter(action="report.generated")
    assert sorted(generated.values_list("object_id", flat=True)) == sorted(
        str(report.pk) for report in reports
    )
