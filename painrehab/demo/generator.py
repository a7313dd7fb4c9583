"""Writes the planned demo program through the services, so audit rows exist too.

Nothing here builds a model directly: staff, families, patients and care teams are
created by the same service functions the application uses, inside one transaction.
The plan itself (who exists, with which phase) lives in ``painrehab.demo.plan``.
"""

import random
from dataclasses import dataclass
from datetime import date

from django.contrib.auth.hashers import make_password
from django.db import transaction
from django.utils import timezone

from painrehab.accounts.choices import Role
from painrehab.accounts.models import User
from painrehab.accounts.services import (
    staff_member_create,
    totp_device_register,
    user_create,
)
from painrehab.demo.careplans_demo import careplans_populate
from painrehab.demo.conferences_demo import conferences_populate
from painrehab.demo.families import DemoGuardian
from painrehab.demo.family_messages_demo import family_messages_populate
from painrehab.demo.homeprogram_demo import homeprogram_populate
from painrehab.demo.invitations_demo import invitations_populate
from painrehab.demo.journeys import journeys_replay
from painrehab.demo.logins import DemoLogin, demo_logins
from painrehab.demo.measures import measures_record
from painrehab.demo.messaging_demo import messaging_populate
from painrehab.demo.notes_demo import notes_populate
from painrehab.demo.plan import DEFAULT_SEED, DemoPatient, DemoProgram, program_plan
from painrehab.demo.reports_demo import reports_populate
from painrehab.demo.roster import DemoStaff
from painrehab.demo.scheduling_changes_demo import (
    absence_populate,
    attendance_populate,
)
from painrehab.demo.scheduling_demo import scheduling_populate
from painrehab.patients.models import Patient
from painrehab.patients.services import (
    care_team_member_add,
    guardian_link,
    patient_create,
)

DEMO_PASSWORD = "painrehab-demo"  # noqa: S105  (the demo's published password)
# The account whose presence means the demo has been built already.
SENTINEL_USERNAME = "coordinator"


@dataclass(frozen=True)
class DemoBuildResult:
    """What a build created, and the plan it followed (for later steps to extend)."""

    program: DemoProgram
    staff_count: int
    patient_count: int
    guardian_count: int
    care_team_count: int
    logins: tuple[DemoLogin, ...]


def demo_data_exists() -> bool:
    return User.objects.filter(username__iexact=SENTINEL_USERNAME).exists()


@transaction.atomic
def demo_build(
    *, seed: int = DEFAULT_SEED, today: date | None = None
) -> DemoBuildResult:
    """Create the whole synthetic program for ``seed``; the caller checks it is new."""
    program = program_plan(seed=seed, today=today or timezone.localdate())
    # One hash for every account: PBKDF2 costs about half a second per call.
    password_hash = make_password(DEMO_PASSWORD)
    staff = _staff_create(program.staff, password_hash=password_hash)
    coordinator = staff[SENTINEL_USERNAME]
    guardians = members = 0
    created: list[tuple[Patient, DemoPatient]] = []
    for planned in program.patients:
        patient = _patient_create(planned, coordinator, password_hash=password_hash)
        guardians += _guardians_link(patient, planned, coordinator, password_hash)
        members += _care_team_add(patient, planned, staff, coordinator)
        created.append((patient, planned))
    journeys_replay(
        created,
        today=today or timezone.localdate(),
        coordinator=coordinator,
        staff=staff,
    )
    measures_record(
        created,
        seed=seed,
        today=today or timezone.localdate(),
        staff=staff,
        coordinator=coordinator,
    )
    careplans_populate(
        rng=random.Random(f"{seed}-careplans"), today=today or timezone.localdate()
    )
    conferences_populate(
        rng=random.Random(f"{seed}-conferences"), today=today or timezone.localdate()
    )
    notes_populate(
        rng=random.Random(f"{seed}-notes"), today=today or timezone.localdate()
    )
    messaging_populate(
        rng=random.Random(f"{seed}-messaging"), today=today or timezone.localdate()
    )
    scheduling_populate(
        rng=random.Random(f"{seed}-scheduling"), today=today or timezone.localdate()
    )
    attendance_populate(
        rng=random.Random(f"{seed}-attendance"), today=today or timezone.localdate()
    )
    absence_populate(
        rng=random.Random(f"{seed}-absences"), today=today or timezone.localdate()
    )
    family_messages_populate(
        rng=random.Random(f"{seed}-family-messages"),
        today=today or timezone.localdate(),
    )
    homeprogram_populate(
        rng=random.Random(f"{seed}-homeprogram"), today=today or timezone.localdate()
    )
    invitations_populate(
        rng=random.Random(f"{seed}-invitations"), today=today or timezone.localdate()
    )
    reports_populate(
        rng=random.Random(f"{seed}-reports"), today=today or timezone.localdate()
    )
    return DemoBuildResult(
        program=program,
        staff_count=len(staff),
        patient_count=len(program.patients),
        guardian_count=guardians,
        care_team_count=members,
        logins=demo_logins(program),
    )


def _staff_create(
    roster: tuple[DemoStaff, ...], *, password_hash: str
) -> dict[str, User]:
    """Every staff account with a confirmed authenticator; admin creates the rest."""
    users: dict[str, User] = {}
    for person in roster:
        user = staff_member_create(
            username=person.username,
            role=person.role,
            password=None,
            password_hash=password_hash,
            first_name=person.first_name,
            last_name=person.last_name,
            email=person.email,
            credentials=person.credentials,
            job_title=person.job_title,
            created_by=users.get("admin"),
        )
        totp_device_register(user=user)
        users[person.username] = user
    return users


def _patient_create(
    planned: DemoPatient, coordinator: User, *, password_hash: str
) -> Patient:
    return patient_create(
        mrn=planned.mrn,
        given_name=planned.given_name,
        family_name=planned.family_name,
        preferred_name=planned.preferred_name,
        date_of_birth=planned.date_of_birth,
        sex=planned.sex,
        preferred_language=planned.preferred_language,
        interpreter_needed=planned.interpreter_needed,
        school_name=planned.school_name,
        school_grade=planned.school_grade,
        address_line=planned.address_line,
        city=planned.city,
        state=planned.state,
        postal_code=planned.postal_code,
        allergies=planned.allergies,
        user=_teen_account(planned, coordinator, password_hash),
        created_by=coordinator,
    )


def _teen_account(
    planned: DemoPatient, coordinator: User, password_hash: str
) -> User | None:
    if not planned.username:
        return None
    return user_create(
        username=planned.username,
        role=Role.PATIENT,
        password=None,
        password_hash=password_hash,
        first_name=planned.preferred_name or planned.given_name,
        last_name=planned.family_name,
        preferred_language=planned.preferred_language,
        created_by=coordinator,
    )


def _guardians_link(
    patient: Patient, planned: DemoPatient, coordinator: User, password_hash: str
) -> int:
    for guardian in planned.guardians:
        guardian_link(
            patient=patient,
            given_name=guardian.given_name,
            family_name=guardian.family_name,
            relationship=guardian.relationship,
            phone=guardian.phone,
            email=guardian.email,
            preferred_language=guardian.preferred_language,
            is_primary_contact=guardian.is_primary_contact,
            user=_guardian_account(guardian, coordinator, password_hash),
            linked_by=coordinator,
        )
    return len(planned.guardians)


def _guardian_account(
    guardian: DemoGuardian, coordinator: User, password_hash: str
) -> User | None:
    if not guardian.username:
        return None
    return user_create(
        username=guardian.username,
        role=Role.GUARDIAN,
        password=None,
        password_hash=password_hash,
        first_name=guardian.given_name,
        last_name=guardian.family_name,
        email=guardian.email,
        preferred_language=guardian.preferred_language,
        created_by=coordinator,
    )


def _care_team_add(
    patient: Patient, planned: DemoPatient, staff: dict[str, User], coordinator: User
) -> int:
    for slot in planned.care_team:
        care_team_member_add(
            patient=patient,
            member=staff[slot.username],
            team_role=slot.team_role,
            start_date=planned.team_since,
            added_by=coordinator,
        )
    return len(planned.care_team)
