"""Builders for the trajectory tests, on top of ``referrals.tests.journey``.

Everything is written through the services (admission, questionnaires, check-ins,
body maps, measures, goal reviews, discharge), so the rows are those of real use.
A stay here runs from ``ADMITTED_DAYS_AGO`` days ago to today.
"""

import datetime as dt
import uuid
from decimal import Decimal

from django.utils import timezone

from painrehab.accounts.choices import Role
from painrehab.accounts.models import User
from painrehab.careplans import services as careplans
from painrehab.careplans.models import Goal
from painrehab.common.testing import staff
from painrehab.domain.scoring import get
from painrehab.episodes import services as episodes
from painrehab.episodes.choices import Disposition
from painrehab.episodes.models import Episode
from painrehab.instruments import daily, services
from painrehab.instruments.choices import RespondentKind, TimePoint
from painrehab.instruments.models import DailyRespondent, Score
from painrehab.instruments.tests.support import all_answers
from painrehab.patients.models import Guardian, Patient
from painrehab.patients.tests.factories import (
    CareTeamMemberFactory,
    PatientFactory,
    PatientGuardianFactory,
)
from painrehab.referrals.tests import journey

ADMITTED_DAYS_AGO = 27


def today() -> dt.date:
    return timezone.localdate()


def days_ago(n: int) -> dt.date:
    return today() - dt.timedelta(days=n)


def admitted(*, days: int = ADMITTED_DAYS_AGO) -> Episode:
    """A 13-year-old with a guardian, admitted ``days`` days ago."""
    patient: Patient = PatientFactory(
        date_of_birth=today().replace(year=today().year - 13)
    )
    PatientGuardianFactory(patient=patient)
    return journey.admitted(patient, days_ago=days)


def admission_day(episode: Episode) -> dt.date:
    return episode.stay.admitted_on


def discharge(episode: Episode, *, on: dt.date | None = None) -> Episode:
    episodes.episode_discharge(
        episode=episode,
        by=journey.coordinator(),
        discharged_on=on or today(),
        disposition=Disposition.HOME,
    )
    episode.refresh_from_db()
    return episode


def on_team(episode: Episode, role: Role = Role.PHYSICAL_THERAPIST) -> User:
    user = staff(role)
    CareTeamMemberFactory(patient=episode.patient, member=user)
    return user


def _guardian(episode: Episode) -> Guardian:
    return Guardian.objects.filter(patient_links__patient=episode.patient).first()


def answer(
    episode: Episode,
    code: str,
    value: int,
    *,
    on: dt.date,
    time_point: TimePoint = TimePoint.ADMISSION,
    index: int = 0,
) -> Score:
    """Every item of ``code`` answered ``value`` on ``on`` (a paper form typed in)."""
    by = journey.coordinator()
    kind = RespondentKind(str(get(code).respondent))
    started = services.administration_start(
        episode=episode,
        instrument_code=code,
        time_point=time_point,
        time_point_index=index,
        respondent_kind=kind,
        respondent_guardian=_guardian(episode)
        if kind == RespondentKind.PARENT
        else None,
        entered_by=by,
        form_token=uuid.uuid4(),
    )
    saved = services.answers_save(
        administration=started,
        by=by,
        answers=all_answers(code, value),
        version=started.version,
    )
    return services.administration_submit(
        administration=saved, by=by, version=saved.version, answered_on=on
    )


def check_in(episode: Episode, on: dt.date, *, pain: int, sleep: str = "8") -> None:
    daily.checkin_record(
        episode=episode,
        on=on,
        pain_now=pain,
        sleep_hours=Decimal(sleep),
        sleep_quality="ok",
        mood="okay",
        goal_met=True,
        respondent=DailyRespondent.CHILD,
        by=journey.coordinator(),
    )


def body_map(episode: Episode, on: dt.date, regions: list[str]) -> None:
    daily.body_map_record(
        episode=episode,
        on=on,
        regions=regions,
        respondent=DailyRespondent.CHILD,
        by=journey.coordinator(),
    )


def measure(
    episode: Episode,
    on: dt.date,
    kind: str,
    value: str,
    offered: int | None = None,
) -> None:
    daily.measure_record(
        episode=episode,
        on=on,
        kind=kind,
        value=Decimal(value),
        offered=offered,
        by=journey.coordinator(),
    )


def goals(episode: Episode) -> list[Goal]:
    return list(Goal.objects.filter(care_plan__episode=episode).order_by("pk"))


def review(goal: Goal, on: dt.date, score: int, note: str = "") -> None:
    careplans.goal_review(
        goal=goal,
        by=journey.coordinator(),
        form_token=uuid.uuid4(),
        reviewed_on=on,
        score=score,
        note=note,
    )
