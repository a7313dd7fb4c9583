"""The reads and the write the family portal fills questionnaires with: one
respondent's own due forms, drafts and done forms, and opening a due form."""

import uuid

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from painrehab.accounts.choices import Role
from painrehab.accounts.models import User
from painrehab.accounts.tests.factories import UserFactory
from painrehab.episodes.models import Episode
from painrehab.instruments import services
from painrehab.instruments.choices import RespondentKind, TimePoint
from painrehab.instruments.models import Administration
from painrehab.instruments.selectors import (
    has_wording,
    respondent_administration_get,
    respondent_forms,
)
from painrehab.instruments.tests.support import all_answers, fill_and_submit, start
from painrehab.patients.access import PatientNotFound
from painrehab.patients.models import Guardian, Patient
from painrehab.patients.tests.factories import (
    GuardianFactory,
    PatientFactory,
    PatientGuardianFactory,
)
from painrehab.referrals.tests import journey

pytestmark = pytest.mark.django_db

PARENT_CODES = ["FDI-P", "PCS-P", "ARCS"]
CHILD_CODES = ["FDI-C", "PCS-C", "FOPQ-C-SF", "CES-DC", "PROMIS-PED-PAININT-8A"]


@pytest.fixture
def teen_user() -> User:
    return UserFactory(role=Role.PATIENT, username="sam.teen")  # type: ignore[no-any-return]


@pytest.fixture
def patient(teen_user: User) -> Patient:
    born = journey.today().replace(year=journey.today().year - 14)
    return PatientFactory(  # type: ignore[no-any-return]
        given_name="Sam", family_name="Portal", date_of_birth=born, user=teen_user
    )


@pytest.fixture
def episode(patient: Patient) -> Episode:
    return journey.admitted(patient)


def _guardian(patient: Patient, username: str) -> Guardian:
    user = UserFactory(role=Role.GUARDIAN, username=username)
    guardian: Guardian = GuardianFactory(user=user, given_name=username.title())
    PatientGuardianFactory(patient=patient, guardian=guardian)
    return guardian


@pytest.fixture
def mum(patient: Patient) -> Guardian:
    return _guardian(patient, "dana")


@pytest.fixture
def dad(patient: Patient) -> Guardian:
    return _guardian(patient, "lee")


def _open(
    episode: Episode,
    code: str,
    by: User,
    *,
    kind: RespondentKind = RespondentKind.PARENT,
    guardian: Guardian | None = None,
    token: uuid.UUID | None = None,
) -> Administration:
    return services.administration_open_due(
        episode=episode,
        instrument_code=code,
        respondent_kind=kind,
        respondent_guardian=guardian,
        entered_by=by,
        form_token=token or uuid.uuid4(),
    )


def test_a_guardian_is_due_only_the_parent_forms(
    episode: Episode, mum: Guardian
) -> None:
    found = respondent_forms(
        episode=episode,
        today=journey.today(),
        respondent_kind=RespondentKind.PARENT,
        guardian=mum,
    )

    assert [d.item.instrument_code for d in found.due] == PARENT_CODES
    assert all(d.draft is None for d in found.due)
    assert found.drafts == found.done == []


def test_the_child_is_due_only_their_own_self_report_forms(episode: Episode) -> None:
    found = respondent_forms(
        episode=episode, today=journey.today(), respondent_kind=RespondentKind.CHILD
    )

    assert [d.item.instrument_code for d in found.due] == CHILD_CODES


def test_a_guardian_sees_their_own_draft_and_not_the_other_guardians(
    episode: Episode, mum: Guardian, dad: Guardian
) -> None:
    own = _open(episode, "FDI-P", mum.user, guardian=mum)
    _open(episode, "PCS-P", dad.user, guardian=dad)

    found = respondent_forms(
        episode=episode,
        today=journey.today(),
        respondent_kind=RespondentKind.PARENT,
        guardian=mum,
    )

    drafts = {d.item.instrument_code: d.draft for d in found.due}
    assert drafts == {"FDI-P": own, "PCS-P": None, "ARCS": None}


def test_a_submitted_form_moves_from_due_to_done(
    episode: Episode, mum: Guardian
) -> None:
    a = _open(episode, "FDI-P", mum.user, guardian=mum)
    fill_and_submit(a, mum.user, all_answers("FDI-P", 1))

    found = respondent_forms(
        episode=episode,
        today=journey.today(),
        respondent_kind=RespondentKind.PARENT,
        guardian=mum,
    )

    assert "FDI-P" not in [d.item.instrument_code for d in found.due]
    assert [a.instrument_version.code for a in found.done] == ["FDI-P"]
    assert found.done[0].answered_on == journey.today()


def test_a_draft_no_longer_due_is_listed_as_started_earlier(
    episode: Episode, mum: Guardian, coordinator: User
) -> None:
    # The coordinator enters a paper FDI-P for mum; mum's own draft stays open.
    draft = _open(episode, "FDI-P", mum.user, guardian=mum)
    paper = start(episode, coordinator, "FDI-P", guardian=mum)
    fill_and_submit(paper, coordinator, all_answers("FDI-P", 0))

    found = respondent_forms(
        episode=episode,
        today=journey.today(),
        respondent_kind=RespondentKind.PARENT,
        guardian=mum,
    )

    assert [a.pk for a in found.drafts] == [draft.pk]


def test_the_same_form_token_twice_opens_one_administration(
    episode: Episode, mum: Guardian
) -> None:
    token = uuid.uuid4()

    first = _open(episode, "FDI-P", mum.user, guardian=mum, token=token)
    second = _open(episode, "FDI-P", mum.user, guardian=mum, token=token)

    assert first.pk == second.pk
    assert Administration.objects.filter(episode=episode).count() == 1


def test_a_new_token_reopens_the_respondents_own_draft(
    episode: Episode, mum: Guardian
) -> None:
    first = _open(episode, "FDI-P", mum.user, guardian=mum)

    again = _open(episode, "FDI-P", mum.user, guardian=mum)

    assert again.pk == first.pk


def test_the_time_point_comes_from_the_due_list(
    episode: Episode, mum: Guardian
) -> None:
    a = _open(episode, "PCS-P", mum.user, guardian=mum)

    assert (a.time_point, a.time_point_index) == (TimePoint.ADMISSION, 0)
    assert a.respondent_kind == RespondentKind.PARENT
    assert a.respondent_guardian == mum
    assert a.entered_by == mum.user


def test_the_child_opens_their_own_form_as_themself(
    episode: Episode, teen_user: User
) -> None:
    a = _open(episode, "CES-DC", teen_user, kind=RespondentKind.CHILD)

    assert a.respondent_patient == episode.patient
    assert a.entered_by == teen_user


@pytest.mark.parametrize(
    ("code", "kind"),
    [
        ("FDI-C", RespondentKind.PARENT),  # a child form, not the parent's
        ("PROMIS-PP-MOB-8A", RespondentKind.PARENT),  # not in the protocol
        ("NO-SUCH-FORM", RespondentKind.PARENT),
    ],
    ids=["child_form_case", "not_in_protocol_case", "unknown_case"],
)
def test_a_form_not_due_for_this_respondent_is_refused(
    episode: Episode, mum: Guardian, code: str, kind: RespondentKind
) -> None:
    with pytest.raises(ValidationError) as refused:
        _open(episode, code, mum.user, kind=kind, guardian=mum)

    assert refused.value.message_dict == {"instrument_code": [services.NOT_DUE]}
    assert not Administration.objects.exists()


def test_a_guardian_cannot_answer_as_the_other_guardian(
    episode: Episode, mum: Guardian, dad: Guardian
) -> None:
    with pytest.raises(PermissionDenied):
        _open(episode, "FDI-P", mum.user, guardian=dad)


def test_the_teen_cannot_open_a_parent_form(
    episode: Episode, mum: Guardian, teen_user: User
) -> None:
    with pytest.raises(PermissionDenied):
        _open(episode, "FDI-P", teen_user, guardian=mum)


def test_another_respondents_token_is_refused(
    episode: Episode, mum: Guardian, dad: Guardian
) -> None:
    token = uuid.uuid4()
    _open(episode, "FDI-P", mum.user, guardian=mum, token=token)

    with pytest.raises(ValidationError) as refused:
        _open(episode, "FDI-P", dad.user, guardian=dad, token=token)

    assert refused.value.message_dict == {"form_token": [services.FORM_REUSED]}


def test_another_family_cannot_open_a_form_for_this_child(
    episode: Episode, other_guardian: User
) -> None:
    stranger = Guardian.objects.get(user=other_guardian)

    with pytest.raises(PatientNotFound):
        _open(episode, "FDI-P", other_guardian, guardian=stranger)


def test_get_finds_the_respondents_own_administration(
    episode: Episode, mum: Guardian
) -> None:
    a = _open(episode, "FDI-P", mum.user, guardian=mum)

    found = respondent_administration_get(
        episode=episode,
        administration_id=a.pk,
        respondent_kind=RespondentKind.PARENT,
        guardian=mum,
    )

    assert found == a


def test_get_refuses_every_other_respondents_administration(
    episode: Episode, mum: Guardian, dad: Guardian, teen_user: User
) -> None:
    dads = _open(episode, "FDI-P", dad.user, guardian=dad)
    teens = _open(episode, "FDI-C", teen_user, kind=RespondentKind.CHILD)
    other_episode = journey.admitted()
    asks = [
        (episode, dads.pk, RespondentKind.PARENT, mum),  # the other guardian's
        (episode, teens.pk, RespondentKind.PARENT, mum),  # the teen's, for a parent
        (episode, dads.pk, RespondentKind.CHILD, None),  # a parent's, for the teen
        (other_episode, dads.pk, RespondentKind.PARENT, dad),  # another episode
        (episode, dads.pk + 999, RespondentKind.PARENT, dad),  # made up
    ]

    for on, pk, kind, guardian in asks:
        with pytest.raises(PatientNotFound):
            respondent_administration_get(
                episode=on,
                administration_id=pk,
                respondent_kind=kind,
                guardian=guardian,
            )


def test_a_correction_by_the_team_is_not_the_respondents_own_form(
    episode: Episode, mum: Guardian, coordinator: User
) -> None:
    a = _open(episode, "FDI-P", mum.user, guardian=mum)
    fill_and_submit(a, mum.user, all_answers("FDI-P", 2))
    correction = services.administration_correct(
        administration=a, by=coordinator, reason="typed against the wrong item"
    )

    with pytest.raises(PatientNotFound):
        respondent_administration_get(
            episode=episode,
            administration_id=correction.pk,
            respondent_kind=RespondentKind.PARENT,
            guardian=mum,
        )


def test_wording_ships_for_the_protocols_family_forms_only_for_catalog_codes() -> None:
    assert all(has_wording(code) for code in PARENT_CODES + CHILD_CODES)
    assert not has_wording("NO-SUCH-FORM")
