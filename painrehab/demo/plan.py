"""The synthetic program as pure data, decided before anything is written.

``program_plan(seed=..., today=...)`` draws every person from ``random.Random(seed)``
and returns frozen dataclasses; ``painrehab.demo.generator`` then writes them through
the services. Names, MRNs, accounts, care teams and planned phases depend on the seed
only. Dates of birth, school grades and care-team start dates are placed relative to
``today``, so the ages hold on any day; every draw consumes the same amount of
randomness whatever ``today`` is, which keeps the rest of the plan stable.
"""

import random
from collections import Counter
from dataclasses import dataclass, replace
from datetime import date, timedelta
from enum import StrEnum

from painrehab.demo import names
from painrehab.demo.draw import pick
from painrehab.demo.families import DemoGuardian, guardians_plan
from painrehab.demo.roster import STAFF, DemoStaff
from painrehab.domain.ages import ADOLESCENT_AGE, age_on
from painrehab.patients.choices import Sex, TeamRole

DEFAULT_SEED = 2026
GUARDIAN_ACCOUNTS = 6  # guardian1 … guardian6: the primary guardians of PR000001-6
TEEN_ACCOUNTS = 4  # teen1 … teen4: the first four patients aged 12 or over
SPANISH_FAMILIES = 12  # 30 % of the 40 families; PR000002's family is one of them
FEMALE_SHARE = 0.7  # pediatric chronic-pain programs see mostly girls
ALLERGY_SHARE = 0.2


class PlannedPhase(StrEnum):
    """Where a patient's journey should stand once episodes exist (DESIGN.md)."""

    REFERRED = "referred"
    EVALUATION = "evaluation"
    DECIDED = "decided"
    DECLINED = "declined"
    WAITLISTED = "waitlisted"
    INPATIENT = "inpatient"
    STEP_DOWN = "step_down"
    FOLLOW_UP = "follow_up"
    CLOSED = "closed"


P = PlannedPhase
# One phase per patient, in MRN order. Twelve inpatients fill the unit's 12 beds;
# the families with portal accounts (PR000001-6) are mostly on the unit.
PHASE_PLAN: tuple[PlannedPhase, ...] = (
    P.INPATIENT, P.INPATIENT, P.INPATIENT, P.STEP_DOWN, P.INPATIENT,  # 1-5
    P.WAITLISTED, P.FOLLOW_UP, P.INPATIENT, P.REFERRED, P.EVALUATION,  # 6-10
    P.INPATIENT, P.WAITLISTED, P.STEP_DOWN, P.REFERRED, P.INPATIENT,  # 11-15
    P.DECIDED, P.FOLLOW_UP, P.EVALUATION, P.INPATIENT, P.CLOSED,  # 16-20
    P.WAITLISTED, P.INPATIENT, P.STEP_DOWN, P.REFERRED, P.EVALUATION,  # 21-25
    P.INPATIENT, P.FOLLOW_UP, P.DECLINED, P.WAITLISTED, P.INPATIENT,  # 26-30
    P.STEP_DOWN, P.FOLLOW_UP, P.DECIDED, P.REFERRED, P.INPATIENT,  # 31-35
    P.EVALUATION, P.WAITLISTED, P.STEP_DOWN, P.FOLLOW_UP, P.CLOSED,  # 36-40
)  # fmt: skip
PATIENT_COUNT = len(PHASE_PLAN)

# How long ago (in days, inclusive range) the care team formed, by phase.
TEAM_DAYS_AGO: dict[PlannedPhase, tuple[int, int]] = {
    P.REFERRED: (1, 6),
    P.EVALUATION: (7, 14),
    P.DECIDED: (14, 21),
    P.DECLINED: (14, 21),
    P.WAITLISTED: (21, 45),
    P.INPATIENT: (30, 60),
    P.STEP_DOWN: (55, 80),
    P.FOLLOW_UP: (90, 200),
    P.CLOSED: (200, 400),
}

# Ages 7-19, weighted towards adolescents as in such programs.
AGE_WEIGHTS = {7: 1, 8: 1, 9: 2, 10: 2, 11: 3, 12: 4, 13: 5, 14: 6, 15: 6, 16: 6}
AGE_WEIGHTS |= {17: 5, 18: 3, 19: 2}

TeamPlan = tuple[tuple[TeamRole, tuple[str, ...]], ...]
# Care-team slots and the staff who take turns filling them.
EVALUATION_TEAM: TeamPlan = (
    (TeamRole.ATTENDING, ("physician", "physician2")),
    (TeamRole.PRIMARY_PSYCHOLOGIST, ("psychologist", "psychologist2")),
)
CORE_TEAM: TeamPlan = (
    *EVALUATION_TEAM,
    (TeamRole.PRIMARY_PT, ("pt", "pt2")),  # pt3 is on no team
    (TeamRole.PRIMARY_OT, ("ot", "ot2")),
    (TeamRole.SOCIAL_WORKER, ("socialworker", "socialworker2")),
    (TeamRole.CHILD_LIFE, ("childlife", "childlife2")),
    (TeamRole.NURSE, ("nurse", "nurse2", "nurse3", "nurse4")),
)
UNIT_TEAM: TeamPlan = (
    *CORE_TEAM,
    (TeamRole.ACUPUNCTURIST, ("acupuncturist",)),
    (TeamRole.RECREATIONAL_THERAPIST, ("rectherapist", "rectherapist2")),
    (TeamRole.TEACHER, ("teacher",)),
    # The program director oversees every child on the unit.
    (TeamRole.MEMBER, ("director",)),
)
TEAM_BY_PHASE = {P.REFERRED: EVALUATION_TEAM, P.INPATIENT: UNIT_TEAM}


@dataclass(frozen=True)
class DemoTeamMember:
    username: str
    team_role: TeamRole


@dataclass(frozen=True)
class DemoPatient:
    """One fictional patient with family, care team and the phase a later step sets."""

    mrn: str
    given_name: str
    family_name: str
    preferred_name: str
    date_of_birth: date
    sex: Sex
    preferred_language: str
    interpreter_needed: bool
    school_name: str
    school_grade: str
    address_line: str
    city: str
    postal_code: str
    allergies: str
    planned_phase: PlannedPhase
    team_since: date
    guardians: tuple[DemoGuardian, ...]
    care_team: tuple[DemoTeamMember, ...] = ()
    username: str = ""  # the adolescent's own account, if any
    state: str = "CA"

    @property
    def display_name(self) -> str:
        return f"{self.preferred_name or self.given_name} {self.family_name}"


@dataclass(frozen=True)
class DemoProgram:
    """Everything the demo creates, in creation order."""

    seed: int
    today: date
    staff: tuple[DemoStaff, ...]
    patients: tuple[DemoPatient, ...]


def program_plan(*, seed: int = DEFAULT_SEED, today: date) -> DemoProgram:
    """The whole synthetic program for ``seed``, with ages counted on ``today``."""
    rng = random.Random(seed)
    ages = rng.choices(list(AGE_WEIGHTS), list(AGE_WEIGHTS.values()), k=PATIENT_COUNT)
    teens = _teen_numbers(ages)
    spanish = _spanish_families(rng)
    surnames = _family_names(rng, spanish)
    patients = [
        _patient(
            rng,
            index=i,
            age=ages[i],
            family_name=surnames[i],
            spanish=i in spanish,
            teen_username=f"teen{teens[i]}" if i in teens else "",
            today=today,
        )
        for i in range(PATIENT_COUNT)
    ]
    return DemoProgram(seed, today, STAFF, _with_care_teams(patients))


def _teen_numbers(ages: list[int]) -> dict[int, int]:
    """Patient index → n for the teen<n> accounts (drawn ages, stable over days)."""
    indexes = [i for i, age in enumerate(ages) if age >= ADOLESCENT_AGE]
    return {index: n for n, index in enumerate(indexes[:TEEN_ACCOUNTS], start=1)}


def _spanish_families(rng: random.Random) -> frozenset[int]:
    # PR000002's family (guardian2) always speaks Spanish, to show the Spanish portal.
    others = rng.sample(range(2, PATIENT_COUNT), SPANISH_FAMILIES - 1)
    return frozenset({1, *others})


def _family_names(rng: random.Random, spanish: frozenset[int]) -> list[str]:
    """One distinct family name per patient, Spanish ones for Spanish speakers."""
    es = iter(rng.sample(names.FAMILY_NAMES_ES, len(spanish)))
    other = iter(rng.sample(names.FAMILY_NAMES, PATIENT_COUNT - len(spanish)))
    return [next(es) if i in spanish else next(other) for i in range(PATIENT_COUNT)]


def _patient(
    rng: random.Random,
    *,
    index: int,
    age: int,
    family_name: str,
    spanish: bool,
    teen_username: str,
    today: date,
) -> DemoPatient:
    sex = Sex.FEMALE if rng.random() < FEMALE_SHARE else Sex.MALE
    given_name = pick(rng, _child_names(sex=sex, spanish=spanish))
    birth = _birth_date(rng, age=age, today=today)
    city, postal_code, area_code = pick(rng, names.CITIES)
    school_name, school_grade = _school(rng, birth=birth, today=today)
    phase = PHASE_PLAN[index]
    return DemoPatient(
        mrn=f"PR{index + 1:06d}",
        given_name=given_name,
        family_name=family_name,
        preferred_name=_nickname(rng, given_name),
        date_of_birth=birth,
        sex=sex,
        preferred_language="es" if spanish else "en",
        interpreter_needed=spanish and rng.random() < 0.5,
        school_name=school_name,
        school_grade=school_grade,
        address_line=_street_address(rng),
        city=city,
        postal_code=postal_code,
        allergies=_allergies(rng),
        planned_phase=phase,
        team_since=_team_since(rng, phase=phase, today=today),
        guardians=guardians_plan(
            rng,
            index=index,
            family_name=family_name,
            spanish=spanish,
            area=area_code,
            account=f"guardian{index + 1}" if index < GUARDIAN_ACCOUNTS else "",
        ),
        username=teen_username,
    )


def _child_names(*, sex: Sex, spanish: bool) -> tuple[str, ...]:
    if sex == Sex.FEMALE:
        return names.GIRL_NAMES_ES if spanish else names.GIRL_NAMES_EN
    return names.BOY_NAMES_ES if spanish else names.BOY_NAMES_EN


def _nickname(rng: random.Random, given_name: str) -> str:
    nickname = names.NICKNAMES.get(given_name, "")
    return nickname if nickname and rng.random() < 0.5 else ""


def _years_before(day: date, years: int) -> date:
    try:
        return day.replace(year=day.year - years)
    except ValueError:  # 29 February in a non-leap year
        return day.replace(year=day.year - years, day=28)


def _birth_date(rng: random.Random, *, age: int, today: date) -> date:
    """A birthday that makes the child exactly ``age`` today."""
    latest = _years_before(today, age)
    earliest = _years_before(today, age + 1) + timedelta(days=1)
    span = (latest - earliest).days + 1
    return earliest + timedelta(days=int(rng.random() * span))


def _school(rng: random.Random, *, birth: date, today: date) -> tuple[str, str]:
    """School and grade by California's 1 September cut-off (6 then → 1st grade)."""
    year_start = date(today.year if today.month >= 9 else today.year - 1, 9, 1)
    grade = age_on(birth, year_start) - 5
    if grade > 12:
        return pick(rng, names.COLLEGES), f"College, year {grade - 12}"
    if grade > 8:
        schools = names.HIGH_SCHOOLS
    elif grade > 5:
        schools = names.MIDDLE_SCHOOLS
    else:
        schools = names.ELEMENTARY_SCHOOLS
    suffix = {1: "st", 2: "nd", 3: "rd"}.get(grade, "th")
    return pick(rng, schools), f"{grade}{suffix} grade"


def _street_address(rng: random.Random) -> str:
    number = 100 + int(rng.random() * 9800)
    street = pick(rng, names.STREET_NAMES)
    return f"{number} {street} {pick(rng, names.STREET_SUFFIXES)}"


def _allergies(rng: random.Random) -> str:
    # Both draws always happen, so whether a child has allergies shifts nothing else.
    has_allergy = rng.random() < ALLERGY_SHARE
    allergy = pick(rng, names.ALLERGIES)
    return allergy if has_allergy else ""


def _team_since(rng: random.Random, *, phase: PlannedPhase, today: date) -> date:
    low, high = TEAM_DAYS_AGO[phase]
    return today - timedelta(days=low + int(rng.random() * (high - low + 1)))


def _with_care_teams(patients: list[DemoPatient]) -> tuple[DemoPatient, ...]:
    """Fill each team's slots in turn from each discipline's staff, spreading load."""
    turns: Counter[TeamRole] = Counter()
    planned = []
    for patient in patients:
        team = []
        for team_role, pool in TEAM_BY_PHASE.get(patient.planned_phase, CORE_TEAM):
            username = pool[turns[team_role] % len(pool)]
            team.append(DemoTeamMember(username, team_role))
            turns[team_role] += 1
        planned.append(replace(patient, care_team=tuple(team)))
    return tuple(planned)
