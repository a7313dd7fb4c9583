"""Properties that hold for every catalog instrument, checked with hypothesis."""

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from painrehab.domain.scoring import CATALOG, score
from painrehab.domain.scoring.definitions import InstrumentDefinition

ALL = [pytest.param(d, id=f"{d.code}_case") for d in CATALOG.values()]
WORSE = [
    pytest.param(d, id=f"{d.code}_case") for d in CATALOG.values() if d.higher_is_worse
]


def _answers(
    definition: InstrumentDefinition,
) -> st.SearchStrategy[dict[str, int | None]]:
    return st.fixed_dictionaries(
        {
            item.key: st.one_of(st.none(), st.sampled_from(item.values))
            for item in definition.items
        }
    )


@pytest.mark.parametrize("definition", ALL)
@settings(max_examples=40, deadline=None)
@given(data=st.data())
def test_scores_stay_within_the_scale_range(
    definition: InstrumentDefinition, data: st.DataObject
) -> None:
    answers = data.draw(_answers(definition))
    result = score(definition, answers)
    for key, scale_score in result.scales.items():
        low, high = definition.bounds(key)
        if scale_score.value is not None:
            assert low <= scale_score.value <= high
        assert scale_score.scorable is (scale_score.value is not None)


@pytest.mark.parametrize("definition", ALL)
@settings(max_examples=40, deadline=None)
@given(data=st.data())
def test_complete_answers_are_always_scorable(
    definition: InstrumentDefinition, data: st.DataObject
) -> None:
    answers = {
        item.key: data.draw(st.sampled_from(item.values)) for item in definition.items
    }
    result = score(definition, answers)
    assert result.scorable
    assert result.missing == ()
    assert not result.prorated


@pytest.mark.parametrize("definition", WORSE)
@settings(max_examples=40, deadline=None)
@given(data=st.data())
def test_more_severe_answer_never_lowers_a_score(
    definition: InstrumentDefinition, data: st.DataObject
) -> None:
    answers = data.draw(_answers(definition))
    answered = [key for key, value in answers.items() if value is not None]
    if not answered:
        return
    key = data.draw(st.sampled_from(answered))
    item = definition.item(key)
    current = answers[key]
    assert current is not None
    # Severity is the scored value: for reverse-keyed items a lower answer.
    worse = [v for v in item.values if item.scored(v) > item.scored(current)]
    if not worse:
        return
    raised = {**answers, key: data.draw(st.sampled_from(worse))}
    before, after = score(definition, answers), score(definition, raised)
    for scale_key, old in before.scales.items():
        new = after.scales[scale_key]
        assert old.scorable is new.scorable
        if old.value is not None and new.value is not None:
            assert new.value >= old.value
