"""The demo's sign-ins and what each person sees, derived from the plan (no queries).

What a staff member sees follows the access funnel's rules (``ROLE_SCOPE``), so the
printed table cannot drift from the rules it describes.
"""

from dataclasses import dataclass

from painrehab.accounts.choices import Role
from painrehab.demo.families import DemoGuardian
from painrehab.demo.plan import DemoPatient, DemoProgram
from painrehab.demo.roster import DemoStaff
from painrehab.domain.ages import age_on
from painrehab.patients.access import ROLE_SCOPE, Scope

# Roles without charts, and what they use instead.
OVERSIGHT_VIEWS = {
    Role.PRIVACY_OFFICER: "the audit trail; no charts",
    Role.SYSADMIN: "account administration; no charts",
}


@dataclass(frozen=True)
class DemoLogin:
    """One demo account: who signs in, as what, and what they will see."""

    username: str
    role: str
    sees: str


def demo_logins(program: DemoProgram) -> tuple[DemoLogin, ...]:
    """Every demo account, staff first, then guardians, then teens."""
    staff = [_staff_login(person, program) for person in program.staff]
    family = [
        DemoLogin(guardian.username, str(Role.GUARDIAN.label), _child(guardian, p))
        for p in program.patients
        for guardian in p.guardians
        if guardian.username
    ]
    teens = [
        DemoLogin(p.username, str(Role.PATIENT.label), _own_record(p, program))
        for p in program.patients
        if p.username
    ]
    return (*staff, *family, *teens)


def _staff_login(person: DemoStaff, program: DemoProgram) -> DemoLogin:
    return DemoLogin(person.username, str(person.role.label), _sees(person, program))


def _sees(person: DemoStaff, program: DemoProgram) -> str:
    scope = ROLE_SCOPE.get(person.role, Scope.NONE)
    if scope is Scope.ALL:
        return f"all {len(program.patients)} patients"
    if scope is not Scope.CARE_TEAM:
        return OVERSIGHT_VIEWS.get(person.role, "no patient information")
    mrns = [
        patient.mrn
        for patient in program.patients
        if any(m.username == person.username for m in patient.care_team)
    ]
    if not mrns:
        return "no patients: on no care team"
    return f"{len(mrns)} patients on their care teams (first: {mrns[0]})"


def _child(guardian: DemoGuardian, patient: DemoPatient) -> str:
    relation = str(guardian.relationship.label).lower()
    text = f"{relation} of {patient.display_name} ({patient.mrn})"
    return (
        f"{text}; reads the portal in Spanish"
        if guardian.preferred_language == "es"
        else text
    )


def _own_record(patient: DemoPatient, program: DemoProgram) -> str:
    age = age_on(patient.date_of_birth, program.today)
    return f"own record: {patient.display_name} ({patient.mrn}), age {age}"
