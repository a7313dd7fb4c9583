"""Builders for the team conference tests: real admissions, real services."""

import uuid
from datetime import date
from typing import Any

from painrehab.accounts.models import User
from painrehab.careplans.inputs import DecisionInput
from painrehab.careplans.models import (
    CarePlan,
    ConferenceDecision,
    ConferenceItem,
    TeamConference,
)
from painrehab.careplans.services import conferences, decisions
from painrehab.episodes.models import Episode
from painrehab.instruments.choices import TimePoint
from painrehab.instruments.models import Score
from painrehab.instruments.tests.support import all_answers, fill_and_submit, start
from painrehab.referrals.tests import journey


def planned(held_on: date | None = None, by: User | None = None) -> TeamConference:
    coordinator = by or journey.coordinator()
    return conferences.conference_create(
        by=coordinator,
        held_on=held_on or journey.today(),
        chaired_by=coordinator,
        form_token=uuid.uuid4(),
    )


def started(held_on: date | None = None) -> TeamConference:
    conference = planned(held_on)
    return conferences.conference_start(conference=conference, by=journey.coordinator())


def item_of(conference: TeamConference, plan: CarePlan | Episode) -> ConferenceItem:
    episode = plan.episode if isinstance(plan, CarePlan) else plan
    return ConferenceItem.objects.get(conference=conference, episode=episode)


def decide(
    item: ConferenceItem,
    by: User,
    kind: str,
    *,
    rationale: str = "Agreed by the team",
    token: uuid.UUID | None = None,
    **values: Any,
) -> ConferenceDecision:
    return decisions.decision_apply(
        item=item,
        by=by,
        form_token=token or uuid.uuid4(),
        decision=DecisionInput(kind=kind, rationale=rationale, **values),
    )


def scored(
    episode: Episode,
    code: str,
    value: int,
    *,
    time_point: TimePoint = TimePoint.ADMISSION,
    index: int = 0,
) -> Score:
    """A questionnaire submitted today with every item answered ``value``."""
    by = journey.coordinator()
    administration = start(episode, by, code, time_point=time_point, index=index)
    return fill_and_submit(administration, by, all_answers(code, value))
