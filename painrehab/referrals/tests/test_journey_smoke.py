import pytest

from painrehab.episodes.choices import Phase
from painrehab.referrals.tests import journey

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("walk", "phase"),
    [
        (journey.referred, Phase.REFERRED),
        (journey.in_evaluation, Phase.EVALUATION),
        (journey.accepted, Phase.DECIDED),
        (journey.waitlisted, Phase.WAITLISTED),
        (journey.admitted, Phase.INPATIENT),
        (journey.discharged, Phase.STEP_DOWN),
    ],
    ids=lambda v: getattr(v, "__name__", str(v)),
)
def test_the_journey_helpers_reach_each_phase(walk: object, phase: Phase) -> None:
    episode = walk()  # type: ignore[operator]
    episode.refresh_from_db()
    assert episode.phase == phase
    assert episode.history.count() >= 1
