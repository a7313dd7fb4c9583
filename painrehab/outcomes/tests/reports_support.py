"""Builders for the report tests: a child's whole stay, through the real services.

``stay()`` admits a child 27 days ago, gives the team (coordinator, physician,
psychologist, PT, teacher), goals with a review, a home exercise, questionnaires
at admission and discharge, and discharges today with every discipline's text.
Canary strings go where no report may look: a psychotherapy note, a signed note
marked adolescent-confidential, a family message and the teen's daily check-in.
Names are fixed, so no random name collides with a canary.
"""

import datetime as dt
import uuid
from dataclasses import dataclass
from decimal import Decimal

from django.utils import timezone

from painrehab.accounts.choices import Discipline, Role
from painrehab.accounts.models import User
from painrehab.careplans import services as careplans
from painrehab.careplans.models import CarePlan
from painrehab.careplans.tests.support import goal_fields
from painrehab.common.testing import staff
from painrehab.episodes import services as episodes
from painrehab.episodes.choices import Disposition
from painrehab.episodes.models import Episode
from painrehab.homeprogram.tests.support import assign
from painrehab.instruments import daily
from painrehab.instruments.choices import TimePoint
from painrehab.instruments.models import DailyRespondent
from painrehab.messaging.services_family import family_thread_start
from painrehab.notes.tests.support import (
    confidential_note,
    psychotherapy_note,
)
from painrehab.outcomes import reports
from painrehab.outcomes.choices import ReportKind
from painrehab.outcomes.tests.cohort_support import score
from painrehab.patients.choices import TeamRole
from painrehab.patients.models import Patient
from painrehab.patients.tests.factories import CareTeamMemberFactory, PatientFactory
from painrehab.portal.tests.support import Family, family
from painrehab.referrals.tests import journey

PN = "CANARY-PN-5e1d"
CONFIDENTIAL = "CANARY-CONF-8a2c"
FAMILY_MESSAGE = "CANARY-FAMMSG-3f70"
CHECKIN = "CANARY-CHECKIN-77b9"
CANARIES = (PN, CONFIDENTIAL, FAMILY_MESSAGE, CHECKIN)

PSYCHOLOGY_SUMMARY = "Learned pacing and a relaxation routine for flare-ups."
MEDICATIONS = "Ibuprofen 400 mg as needed, at most twice a day."
SCHOOL_PLAN = "Half days in the first week, then full days from week two."
HOME_PROGRAMME = "Daily walking and desensitisation."
GOAL_WORDS = "I want to walk to school with my friends"
EXERCISE = "Corridor walk"
STAY_DAYS = 27


def today() -> dt.date:
    return timezone.localdate()


@dataclass
class Stay:
    fam: Family
    episode: Episode
    coordinator: User
    physician: User
    psychologist: User
    pt: User
    teacher: User

    @property
    def child(self) -> Patient:
        return self.fam.child


def member(patient: Patient, role: Role, team_role: TeamRole, first: str) -> User:
    user = staff(
        role,
        username=f"{first.lower()}.{role}",
        first_name=first,
        last_name="Teamson",
    )
    CareTeamMemberFactory(patient=patient, member=user, team_role=team_role)
    return user


def admission_fdi(total: int) -> None:
    """Another child's admission FDI score (the program's admission SD)."""
    episode = journey.referred(PatientFactory(given_name="Other", family_name="Child"))
    score(
        episode,
        "FDI-C",
        total,
        time_point=TimePoint.ADMISSION,
        on=today(),
        by=journey.coordinator(),
    )


def _plant(stay: Stay, checkin_on: dt.date) -> None:
    fam = stay.fam
    psychotherapy_note(stay.child, stay.psychologist, f"Session {PN}")
    confidential_note(
        stay.child, stay.psychologist, CONFIDENTIAL, key="psychology_progress"
    )
    family_thread_start(
        patient=stay.child,
        author=fam.guardian_user,
        subject=f"Question {FAMILY_MESSAGE}",
        body=f"Can we visit on Sunday? {FAMILY_MESSAGE}",
        form_token=uuid.uuid4(),
    )
    if fam.teen_user is not None:
        daily.checkin_record(
            episode=stay.episode,
            on=checkin_on,
            pain_now=5,
            sleep_hours=Decimal("7.5"),
            sleep_quality="ok",
            mood="okay",
            goal_met=True,
            goal_text=f"Walk {CHECKIN}",
            respondent=DailyRespondent.CHILD,
            by=fam.teen_user,
        )


def stay(
    *,
    age: int = 14,
    discharge: bool = True,
    scores: bool = True,
    canaries: bool = True,
    guardian_language: str = "en",
) -> Stay:
    """A child of ``age`` admitted 27 days ago (and discharged today)."""
    fam = family(
        age=age,
        name="Avery",
        surname="Reportchild",
        parent="Dana",
        teen_account=age >= 12,
        stage="none",
    )
    fam.guardian.preferred_language = guardian_language
    fam.guardian.save(update_fields=["preferred_language"])
    Patient.objects.filter(pk=fam.child.pk).update(
        school_name="Lincoln Middle School", school_grade="8"
    )
    fam.child.refresh_from_db()
    episode = journey.admitted(fam.child, days_ago=STAY_DAYS)
    fam.episode = episode
    child = fam.child
    built = Stay(
        fam=fam,
        episode=episode,
        coordinator=member(child, Role.COORDINATOR, TeamRole.COORDINATOR, "Carmen"),
        physician=member(child, Role.PHYSICIAN, TeamRole.ATTENDING, "Priya"),
        psychologist=member(
            child, Role.PSYCHOLOGIST, TeamRole.PRIMARY_PSYCHOLOGIST, "Sam"
        ),
        pt=member(child, Role.PHYSICAL_THERAPIST, TeamRole.PRIMARY_PT, "Pat"),
        teacher=member(child, Role.TEACHER, TeamRole.TEACHER, "Terry"),
    )
    admitted_on = today() - dt.timedelta(days=STAY_DAYS)
    plan = CarePlan.objects.get(episode=episode)
    goal = careplans.goal_create(
        care_plan=plan,
        by=built.pt,
        form_token=uuid.uuid4(),
        fields=goal_fields(child_words=GOAL_WORDS, discipline=Discipline.PT),
    )
    careplans.goal_review(
        goal=goal,
        by=built.pt,
        form_token=uuid.uuid4(),
        reviewed_on=today() - dt.timedelta(days=2),
        score=0,
    )
    assign(child, built.pt, title=EXERCISE, starts_on=admitted_on)
    if scores:
        score(
            episode,
            "FDI-C",
            30,
            time_point=TimePoint.ADMISSION,
            on=admitted_on,
            by=built.coordinator,
        )
        score(
            episode,
            "NRS",
            6,
            time_point=TimePoint.ADMISSION,
            on=admitted_on,
            by=built.coordinator,
        )
    if canaries:
        _plant(built, today() - dt.timedelta(days=3))
    if discharge:
        if scores:
            score(
                episode,
                "FDI-C",
                12,
                time_point=TimePoint.DISCHARGE,
                on=today(),
                by=built.coordinator,
            )
            score(
                episode,
                "NRS",
                4,
                time_point=TimePoint.DISCHARGE,
                on=today(),
                by=built.coordinator,
            )
        episodes.episode_discharge(
            episode=episode,
            by=journey.coordinator(),
            discharged_on=today(),
            disposition=Disposition.HOME,
            texts={
                "summary_medicine": "Pain medicine reviewed; no opioids.",
                "summary_psychology": PSYCHOLOGY_SUMMARY,
                "summary_physical_therapy": "Walks 400 m without aids.",
                "home_programme": HOME_PROGRAMME,
                "school_reentry_plan": SCHOOL_PLAN,
                "medications": MEDICATIONS,
            },
        )
        episode.refresh_from_db()
    return built


def report_input(
    kind: str, built: Stay, *, language: str = "en", **options: object
) -> reports.ReportInput:
    """The form's defaults for ``kind``, with ``options`` changed."""
    defaults = reports.report_defaults(kind=kind, episode=built.episode)
    chosen: dict[str, object] = {}
    if kind == ReportKind.SCHOOL_LETTER:
        chosen = {
            "accommodations": defaults["accommodations"],
            "return_plan": defaults["return_plan"],
            "contact": {"name": "Terry Teamson", "role": "Hospital teacher"},
            "diagnosis_wording": "",
            "family_agreed": False,
        }
    chosen.update(options)
    return reports.ReportInput(
        recipient=defaults.get("recipient") or "Someone",
        recipient_address=defaults.get("recipient_address", ""),
        purpose=defaults["purpose"],
        language=language,
        options=chosen,
    )


def html_of(kind: str, built: Stay, **kwargs: object) -> str:
    """The standalone page of a report, as it would be printed."""
    asked = report_input(kind, built, **kwargs)  # type: ignore[arg-type]
    data = reports.report_data(
        kind=kind,
        episode=built.episode,
        report=asked,
        today=today(),
        by=built.coordinator,
    )
    return reports.render_html(data, report_id=7, standalone=True)


def stored_row(episode: Episode, by: User, *, kind: str = ReportKind.DISCHARGE_SUMMARY):
    """A stored report written straight to the table (no PDF is printed), for
    pages that only list or serve the bytes."""
    from painrehab.outcomes.models import GeneratedReport

    pdf = b"%PDF-1.7 stand-in " + uuid.uuid4().hex.encode()
    return GeneratedReport.objects.create(
        episode=episode,
        kind=kind,
        language="en",
        recipient="Dr. Synthetic Referrer",
        recipient_address="referrer@example.org",
        purpose="Continuity of care",
        html="<p>stand-in</p>",
        pdf=pdf,
        sha256=reports.sha256_of(pdf),
        size=len(pdf),
        created_by=by,
        created_at=timezone.now(),
    )


def planted(built: Stay) -> set[str]:
    """The canaries found where ``stay()`` put them (so a test that finds none in
    a report proves something)."""
    from painrehab.instruments.models import DailyCheckIn
    from painrehab.messaging.models import FamilyMessage
    from painrehab.notes.models import Note, PsychotherapyNote

    child = built.child
    found = set()
    if PsychotherapyNote.objects.filter(patient=child, text__contains=PN).exists():
        found.add(PN)
    confidential = Note.objects.filter(patient=child, confidential=True)
    if any(CONFIDENTIAL in str(note.body) for note in confidential):
        found.add(CONFIDENTIAL)
    messages = FamilyMessage.objects.filter(thread__episode=built.episode)
    if messages.filter(body__contains=FAMILY_MESSAGE).exists():
        found.add(FAMILY_MESSAGE)
    checkins = DailyCheckIn.objects.filter(episode=built.episode)
    if checkins.filter(goal_text__contains=CHECKIN).exists():
        found.add(CHECKIN)
    return found
