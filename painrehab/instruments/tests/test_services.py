import uuid
from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from painrehab.accounts.choices import Role
from painrehab.accounts.models import User
from painrehab.accounts.tests.factories import StaffFactory, UserFactory
from painrehab.audit.models import AuditEvent
from painrehab.episodes.models import Episode
from painrehab.instruments import rules, services
from painrehab.instruments.choices import AdministrationStatus, RespondentKind
from painrehab.instruments.models import Administration, Score
from painrehab.instruments.selectors import flagged_scores_for
from painrehab.instruments.tests.support import all_answers, fill_and_submit, start
from painrehab.patients.access import PatientNotFound
from painrehab.patients.models import Guardian, Patient
from painrehab.patients.tests.factories import CareTeamMemberFactory, PatientFactory
from painrehab.referrals.tests import journey


@pytest.fixture
def episode(child: Patient) -> Episode:
    return journey.admitted(child, days_ago=1)


def _actions(administration: Administration) -> list[str]:
    return list(
        AuditEvent.objects.filter(
            object_type="instruments.Administration",
            object_id=str(administration.pk),
        )
        .order_by("seq")
        .values_list("action", flat=True)
    )


def test_scores_fdi_child_all_twos_as_30_severe(
    episode: Episode, coordinator: User
) -> None:
    administration = start(episode, coordinator, "FDI-C")

    score = fill_and_submit(administration, coordinator, all_answers("FDI-C", 2))

    assert score.total == 30
    assert score.band == "Severe disability"
    assert score.scorable and not score.flagged
    assert score.engine_version == "1.0.0"
    assert score.definition_version == "1.0"
    assert score.scales["total"]["value"] == 30
    administration.refresh_from_db()
    assert administration.status == AdministrationStatus.SUBMITTED
    assert administration.submitted_at is not None
    assert _actions(administration) == [
        "administration.started",
        "administration.saved",
        "administration.submitted",
    ]


def test_records_who_answered_and_who_entered(
    episode: Episode, coordinator: User
) -> None:
    administration = start(episode, coordinator, "FDI-C")

    assert administration.respondent_kind == RespondentKind.CHILD
    assert administration.respondent_patient == episode.patient
    assert administration.entered_by == coordinator


def test_draft_answers_merge_and_none_clears(
    episode: Episode, coordinator: User
) -> None:
    administration = start(episode, coordinator)
    saved = services.answers_save(
        administration=administration,
        by=coordinator,
        answers={"1": 3, "2": 1},
        version=administration.version,
    )

    saved = services.answers_save(
        administration=saved, by=coordinator, answers={"2": None}, version=saved.version
    )

    assert saved.answers == {"1": 3}
    assert saved.version == 3


@pytest.mark.parametrize(
    ("answers", "item", "message"),
    [
        pytest.param(
            {"16": 1},
            "16",
            rules.UNKNOWN_ITEM.format(item="16"),
            id="unknown_item_case",
        ),
        pytest.param(
            {"3": 5},
            "3",
            rules.NOT_AN_OPTION.format(item="3", value=5, allowed="0, 1, 2, 3, 4"),
            id="outside_options_case",
        ),
        pytest.param(
            {"4": "2"},
            "4",
            rules.NOT_A_NUMBER.format(item="4"),
            id="not_a_number_case",
        ),
    ],
)
def test_refuses_bad_answer_naming_the_item_and_saves_nothing(
    episode: Episode,
    coordinator: User,
    answers: dict[str, int],
    item: str,
    message: str,
) -> None:
    administration = start(episode, coordinator)

    with pytest.raises(ValidationError) as refused:
        services.answers_save(
            administration=administration,
            by=coordinator,
            answers={"1": 2, **answers},
            version=administration.version,
        )

    assert refused.value.message_dict == {item: [message]}
    administration.refresh_from_db()
    assert administration.answers == {}
    assert administration.version == 1


def test_refuses_a_stale_version(episode: Episode, coordinator: User) -> None:
    administration = start(episode, coordinator)
    services.answers_save(
        administration=administration, by=coordinator, answers={"1": 1}, version=1
    )

    with pytest.raises(ValidationError) as refused:
        services.answers_save(
            administration=administration, by=coordinator, answers={"1": 4}, version=1
        )

    assert refused.value.message_dict == {"version": [services.STALE_VERSION]}
    administration.refresh_from_db()
    assert administration.answers == {"1": 1}


def test_refuses_answers_after_submission(episode: Episode, coordinator: User) -> None:
    administration = start(episode, coordinator)
    fill_and_submit(administration, coordinator, all_answers("FDI-C", 1))

    with pytest.raises(ValidationError, match="submitted"):
        services.answers_save(
            administration=administration,
            by=coordinator,
            answers={"1": 4},
            version=administration.version,
        )

    administration.refresh_from_db()
    assert administration.answers["1"] == 1


def test_double_submit_returns_the_same_score_unchanged(
    episode: Episode, coordinator: User
) -> None:
    administration = start(episode, coordinator)
    first = fill_and_submit(administration, coordinator, all_answers("FDI-C", 2))

    again = services.administration_submit(
        administration=administration, by=coordinator, version=1
    )

    assert again.pk == first.pk
    assert Score.objects.filter(administration=administration).count() == 1
    assert _actions(administration).count("administration.submitted") == 1


def test_same_form_token_gives_one_administration(
    episode: Episode, coordinator: User
) -> None:
    token = uuid.uuid4()

    first = start(episode, coordinator, token=token)
    second = start(episode, coordinator, token=token)

    assert first.pk == second.pk
    assert Administration.objects.filter(episode=episode).count() == 1


def test_form_token_of_another_form_is_refused(
    episode: Episode, coordinator: User
) -> None:
    token = uuid.uuid4()
    start(episode, coordinator, "FDI-C", token=token)

    with pytest.raises(ValidationError) as refused:
        start(episode, coordinator, "PCS-C", token=token)

    assert refused.value.message_dict == {"form_token": [services.FORM_REUSED]}


def test_correction_is_a_new_draft_linked_to_the_original(
    episode: Episode, coordinator: User
) -> None:
    original = start(episode, coordinator)
    fill_and_submit(original, coordinator, all_answers("FDI-C", 2))
    original.refresh_from_db()

    correction = services.administration_correct(
        administration=original, by=coordinator, reason="Item 3 entered wrongly."
    )

    assert correction.pk != original.pk
    assert correction.corrects == original
    assert correction.status == AdministrationStatus.IN_PROGRESS
    assert correction.answers == original.answers
    original.refresh_from_db()
    assert original.status == AdministrationStatus.SUBMITTED
    score = fill_and_submit(correction, coordinator, {"3": 0})
    assert score.total == 28
    assert Score.objects.get(administration=original).total == 30


def test_refuses_correcting_a_draft_or_without_reason(
    episode: Episode, coordinator: User
) -> None:
    draft = start(episode, coordinator)
    with pytest.raises(ValidationError, match="submitted"):
        services.administration_correct(
            administration=draft, by=coordinator, reason="x"
        )
    fill_and_submit(draft, coordinator, all_answers("FDI-C", 2))

    with pytest.raises(ValidationError) as refused:
        services.administration_correct(
            administration=draft, by=coordinator, reason=" "
        )

    assert refused.value.message_dict == {"reason": [services.REASON_REQUIRED]}


def test_guardian_answers_parent_form_for_own_child(
    episode: Episode, guardian: User
) -> None:
    administration = start(episode, guardian, "FDI-P")

    score = fill_and_submit(administration, guardian, all_answers("FDI-P", 0))

    assert administration.respondent_guardian == Guardian.objects.get(user=guardian)
    assert administration.entered_by == guardian
    assert score.band == "No/minimal disability"


def test_guardian_of_another_child_is_refused_and_nothing_saved(
    episode: Episode, other_guardian: User
) -> None:
    with pytest.raises(PatientNotFound):
        start(episode, other_guardian, "FDI-P")

    assert not Administration.objects.filter(episode=episode).exists()


def test_guardian_of_another_child_cannot_fill_an_open_form(
    episode: Episode, guardian: User, other_guardian: User
) -> None:
    administration = start(episode, guardian, "FDI-P")

    with pytest.raises(PatientNotFound):
        services.answers_save(
            administration=administration,
            by=other_guardian,
            answers={"1": 4},
            version=administration.version,
        )


def test_guardian_may_not_answer_a_child_form(episode: Episode, guardian: User) -> None:
    with pytest.raises(PermissionDenied):
        start(episode, guardian, "FDI-C")


def test_guardian_may_not_answer_as_another_guardian(
    episode: Episode, guardian: User, coordinator: User
) -> None:
    other = UserFactory(role=Role.GUARDIAN)
    second = Guardian.objects.create(given_name="Sam", family_name="Co", user=other)
    episode.patient.guardian_links.create(
        guardian=second, relationship="father", portal_access=False
    )

    with pytest.raises(PermissionDenied):
        start(episode, guardian, "FDI-P", guardian=second)


def test_clinician_entering_a_parent_form_must_name_the_guardian(
    episode: Episode, coordinator: User
) -> None:
    with pytest.raises(ValidationError) as refused:
        start(episode, coordinator, "FDI-P")

    assert refused.value.message_dict == {
        "respondent_guardian": [rules.GUARDIAN_REQUIRED]
    }


def test_teen_answers_own_child_form_but_not_a_parent_form(db: None) -> None:
    teen = UserFactory(role=Role.PATIENT)
    patient = PatientFactory(user=teen)
    episode = journey.admitted(patient)

    administration = start(episode, teen, "PCS-C")

    assert administration.respondent_patient == patient
    with pytest.raises(PermissionDenied):
        start(
            episode,
            teen,
            "FDI-P",
            guardian=Guardian.objects.create(given_name="A", family_name="B"),
        )


def test_clinician_off_the_care_team_is_refused(
    episode: Episode, pt_off_team: User
) -> None:
    with pytest.raises(PatientNotFound):
        start(episode, pt_off_team, "FDI-C")


def test_refuses_respondent_kind_that_contradicts_the_definition(
    episode: Episode, coordinator: User
) -> None:
    with pytest.raises(ValidationError) as refused:
        services.administration_start(
            episode=episode,
            instrument_code="FDI-C",
            time_point="admission",  # type: ignore[arg-type]
            time_point_index=0,
            respondent_kind=RespondentKind.PARENT,
            entered_by=coordinator,
            form_token=uuid.uuid4(),
        )

    assert "respondent_kind" in refused.value.message_dict


def test_flagged_depression_score_is_audited_listed_and_acknowledged(
    episode: Episode, child: Patient
) -> None:
    psychologist = StaffFactory(role=Role.PSYCHOLOGIST)
    CareTeamMemberFactory(patient=child, member=psychologist)
    outsider = StaffFactory(role=Role.PSYCHOLOGIST)
    administration = start(episode, psychologist, "CES-DC")

    score = fill_and_submit(administration, psychologist, all_answers("CES-DC", 3))

    assert score.flagged
    assert score.scales["total"]["flagged"] is True
    assert "score.flagged" in _actions(administration)
    assert list(flagged_scores_for(psychologist)) == [score]
    assert list(flagged_scores_for(outsider)) == []
    services.score_acknowledge(score=score, by=psychologist)
    assert list(flagged_scores_for(psychologist)) == []
    assert "score.acknowledged" in _actions(administration)


def test_answered_on_defaults_to_today_and_takes_a_paper_date(
    episode: Episode, coordinator: User
) -> None:
    today = timezone.localdate()
    first = start(episode, coordinator, "FDI-C")
    fill_and_submit(first, coordinator, all_answers("FDI-C", 1))
    paper = start(episode, coordinator, "PCS-C")
    saved = services.answers_save(
        administration=paper,
        by=coordinator,
        answers=all_answers("PCS-C", 1),
        version=paper.version,
    )
    yesterday = today - timedelta(days=1)

    services.administration_submit(
        administration=saved,
        by=coordinator,
        version=saved.version,
        answered_on=yesterday,
    )

    first.refresh_from_db()
    paper.refresh_from_db()
    assert first.answered_on == today
    assert paper.answered_on == yesterday
    event = AuditEvent.objects.get(
        action="administration.submitted", object_id=str(paper.pk)
    )
    assert event.changes["answered_on"] == yesterday.isoformat()


@pytest.mark.parametrize(
    ("offset", "message"),
    [(1, services.ANSWERED_IN_FUTURE), (-30, "before the episode opened")],
)
def test_refuses_an_answer_date_in_the_future_or_before_the_episode(
    episode: Episode, coordinator: User, offset: int, message: str
) -> None:
    administration = start(episode, coordinator, "FDI-C")
    saved = services.answers_save(
        administration=administration,
        by=coordinator,
        answers=all_answers("FDI-C", 1),
        version=administration.version,
    )
    on = timezone.localdate() + timedelta(days=offset)

    with pytest.raises(ValidationError) as refused:
        services.administration_submit(
            administration=saved, by=coordinator, version=saved.version, answered_on=on
        )

    assert message in " ".join(refused.value.message_dict["answered_on"])
    saved.refresh_from_db()
    assert saved.status == AdministrationStatus.IN_PROGRESS
    assert not Score.objects.filter(administration=saved).exists()
