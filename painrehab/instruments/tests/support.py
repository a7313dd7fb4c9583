"""Builders for the instrument tests, on top of ``referrals.tests.journey``."""

import uuid
from collections.abc import Mapping

from painrehab.accounts.models import User
from painrehab.domain.scoring import get
from painrehab.episodes.models import Episode
from painrehab.instruments import services
from painrehab.instruments.choices import RespondentKind, TimePoint
from painrehab.instruments.models import Administration, Score
from painrehab.patients.models import Guardian


def start(
    episode: Episode,
    by: User,
    code: str = "FDI-C",
    *,
    time_point: TimePoint = TimePoint.ADMISSION,
    index: int = 0,
    guardian: Guardian | None = None,
    token: uuid.UUID | None = None,
) -> Administration:
    return services.administration_start(
        episode=episode,
        instrument_code=code,
        time_point=time_point,
        time_point_index=index,
        respondent_kind=RespondentKind(str(get(code).respondent)),
        respondent_guardian=guardian,
        entered_by=by,
        form_token=token or uuid.uuid4(),
    )


def all_answers(code: str, value: int) -> dict[str, int | None]:
    return {key: value for key in get(code).item_keys}


def fill_and_submit(
    administration: Administration, by: User, answers: Mapping[str, int | None]
) -> Score:
    saved = services.answers_save(
        administration=administration,
        by=by,
        answers=answers,
        version=administration.version,
    )
    return services.administration_submit(
        administration=saved, by=by, version=saved.version
    )
