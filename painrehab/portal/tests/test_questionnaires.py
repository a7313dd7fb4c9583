"""Questionnaires in the portal: each person fills only their own forms, scored by
the same core as the staff pages, and never sees a score or another's answers."""

import math
import uuid
from typing import Any

import pytest
from django.test import Client, override_settings
from django.urls import reverse

from painrehab.audit.models import AuditEvent
from painrehab.domain.proxy import DEFAULT_LIMITED, Category
from painrehab.domain.scoring import get
from painrehab.instruments.choices import (
    AdministrationStatus,
    RespondentKind,
    TimePoint,
)
from painrehab.instruments.models import Administration, Score
from painrehab.instruments.tests.support import all_answers, fill_and_submit, start
from painrehab.portal.tests.support import Family, family
from painrehab.referrals.tests import journey

pytestmark = pytest.mark.django_db

PER_PAGE = 5
FDI_P_TITLE = "How your child manages everyday activities"
CES_DC_TITLE = "How you have been feeling"


def _list(fam: Family) -> str:
    return reverse("portal:questionnaires", args=[fam.child.pk])


def _url(fam: Family, a: Administration, page: int | None = None) -> str:
    url = reverse("portal:questionnaire", args=[fam.child.pk, a.pk])
    return url if page is None else f"{url}?page={page}"


def _start(client: Client, fam: Family, code: str, token: str = "") -> Any:
    data = {"instrument_code": code, "form_token": token or str(uuid.uuid4())}
    return client.post(_list(fam), data)


def _opened(client: Client, fam: Family, code: str) -> Administration:
    response = _start(client, fam, code)
    assert response.status_code == 302
    a = Administration.objects.get(instrument_version__code=code)
    assert response["Location"] == _url(fam, a)
    return a


def _fill(
    client: Client, fam: Family, a: Administration, values: dict[str, int]
) -> Any:
    """Answer page by page with "Next", then "Send" on the last page."""
    keys = list(get(a.instrument_version.code).item_keys)
    pages = math.ceil(len(keys) / PER_PAGE)
    response = None
    for page in range(1, pages + 1):
        a.refresh_from_db()
        on_page = keys[(page - 1) * PER_PAGE : page * PER_PAGE]
        data = {"page": str(page), "version": str(a.version)}
        data |= {f"item-{key}": str(values[key]) for key in on_page}
        data["submit" if page == pages else "next"] = "1"
        response = client.post(_url(fam, a), data)
        assert response.status_code == 302, response.content.decode()
    assert response is not None
    return response


@pytest.fixture
def young() -> Family:
    return family(age=9, name="Robin", surname="Youngfamily", parent="Dana")


@pytest.fixture
def teen() -> Family:
    return family(
        age=14, name="Sam", surname="Teenfamily", parent="Lee", teen_account=True
    )


# --- The list ---------------------------------------------------------------------


def test_a_guardian_is_offered_only_the_parent_forms_due(young: Family) -> None:
    page = young.guardian_client().get(_list(young))

    body = page.content.decode()
    assert page.status_code == 200
    assert FDI_P_TITLE in body
    assert "Your thoughts about your child&#x27;s pain" in body
    assert "How you respond when your child is in pain" in body
    assert "How you manage everyday activities" not in body  # the child's FDI
    assert "For the start of the stay" in body
    assert body.count('name="form_token"') == 3


def test_the_teen_is_offered_only_their_own_forms(teen: Family) -> None:
    body = teen.teen_client().get(_list(teen)).content.decode()

    assert CES_DC_TITLE in body
    assert "How you manage everyday activities" in body
    assert FDI_P_TITLE not in body
    assert "Your parents do not see them." in body
    assert body.count('name="form_token"') == 5


def test_the_guardian_of_a_teen_still_fills_the_parent_forms(teen: Family) -> None:
    body = teen.guardian_client().get(_list(teen)).content.decode()

    assert FDI_P_TITLE in body
    assert CES_DC_TITLE not in body


@override_settings(
    PORTAL_GUARDIAN_TEEN_SEES=sorted(DEFAULT_LIMITED - {Category.QUESTIONNAIRES})
)
def test_where_the_program_hides_questionnaires_the_guardian_is_told_why(
    teen: Family,
) -> None:
    client = teen.guardian_client()

    body = client.get(_list(teen)).content.decode()
    refused = _start(client, teen, "FDI-P")

    assert "some of your child&#x27;s record is shared with your child" in body
    assert FDI_P_TITLE not in body
    assert refused.status_code == 404
    assert not Administration.objects.exists()


def test_viewing_the_list_is_audited(young: Family) -> None:
    young.guardian_client().get(_list(young))

    event = AuditEvent.objects.filter(action="portal.viewed").latest("seq")
    assert event.patient_id == young.child.pk
    assert event.changes["page"] == "portal:questionnaires"


def test_with_no_episode_nothing_is_waiting() -> None:
    fam = family(stage="none")

    body = fam.guardian_client().get(_list(fam)).content.decode()

    assert "Nothing is waiting for you right now." in body


# --- Starting ---------------------------------------------------------------------


def test_a_double_click_on_start_is_one_administration(young: Family) -> None:
    client = young.guardian_client()
    token = str(uuid.uuid4())

    first = _start(client, young, "FDI-P", token)
    second = _start(client, young, "FDI-P", token)

    a = Administration.objects.get()
    assert first["Location"] == second["Location"] == _url(young, a)
    assert a.respondent_kind == RespondentKind.PARENT
    assert a.respondent_guardian == young.guardian
    assert a.entered_by == young.guardian_user
    assert (a.time_point, a.time_point_index) == (TimePoint.ADMISSION, 0)


def test_a_started_form_shows_carry_on_on_the_list(young: Family) -> None:
    client = young.guardian_client()
    a = _opened(client, young, "FDI-P")

    body = client.get(_list(young)).content.decode()

    assert _url(young, a) in body
    assert "Carry on" in body
    assert body.count('name="form_token"') == 2


@pytest.mark.parametrize(
    "code",
    ["FDI-C", "CES-DC", "NO-SUCH-FORM"],
    ids=["child_form_case", "teen_only_form_case", "unknown_case"],
)
def test_a_guardian_cannot_start_a_form_that_is_not_theirs(
    young: Family, code: str
) -> None:
    response = _start(young.guardian_client(), young, code)

    assert response.status_code == 302
    assert response["Location"] == _list(young)
    assert not Administration.objects.exists()


def test_the_teen_cannot_start_a_parent_form(teen: Family) -> None:
    _start(teen.teen_client(), teen, "FDI-P")

    assert not Administration.objects.exists()


def test_another_familys_child_cannot_be_started_for(
    young: Family, teen: Family
) -> None:
    response = _start(young.guardian_client(), teen, "FDI-P")

    assert response.status_code == 404
    assert not Administration.objects.exists()


# --- Filling in and scoring ---------------------------------------------------------


def test_a_parent_questionnaire_is_scored_end_to_end_from_the_portal(
    young: Family,
) -> None:
    client = young.guardian_client()
    a = _opened(client, young, "FDI-P")
    first_page = client.get(_url(young, a)).content.decode()
    # FDI-P: 15 items coded 0-4, the total is the plain sum (Walker & Greene 1991).
    values = {str(n): (n * 3) % 5 for n in range(1, 16)}
    manual_total = sum(values.values())

    sent = _fill(client, young, a, values)
    thanks = client.get(sent["Location"])

    assert "Item 1: walking to the bathroom" in first_page
    assert "DEMO ONLY" in first_page
    score = Score.objects.get(administration=a)
    assert score.total == manual_total == 30
    a.refresh_from_db()
    assert a.status == AdministrationStatus.SUBMITTED
    assert a.answers == values
    body = thanks.content.decode()
    assert "Your answers were sent to the team" in body
    for hidden in ("disability", "score", "total", "option 2"):
        assert hidden not in body.lower()


def test_the_teens_own_questionnaire_is_scored_end_to_end(teen: Family) -> None:
    client = teen.teen_client()
    a = _opened(client, teen, "CES-DC")
    # CES-DC: 20 items coded 0-3; items 4, 8, 12 and 16 are reverse-keyed
    # (3 - answer) before summing (Bright Futures CES-DC instructions).
    values = {str(n): n % 4 for n in range(1, 21)}
    manual_total = sum(
        3 - v if key in {"4", "8", "12", "16"} else v for key, v in values.items()
    )

    sent = _fill(client, teen, a, values)

    score = Score.objects.get(administration=a)
    assert score.total == manual_total == 42
    a.refresh_from_db()
    assert a.respondent_patient == teen.child
    assert a.entered_by == teen.teen_user
    assert (
        "Your answers were sent to the team"
        in client.get(sent["Location"]).content.decode()
    )


def test_each_tap_is_saved_at_once(young: Family) -> None:
    client = young.guardian_client()
    a = _opened(client, young, "PCS-P")

    saved = client.post(
        _url(young, a),
        {"page": "1", "version": str(a.version), "item-2": "3"},
        headers={"HX-Request": "true"},
    )

    a.refresh_from_db()
    assert saved.status_code == 200
    assert a.answers == {"2": 3}
    assert f'name="version" value="{a.version}"' in saved.content.decode()
    assert "1 of 13 answered" in saved.content.decode()


def test_next_and_previous_move_between_pages_keeping_the_answers(
    young: Family,
) -> None:
    client = young.guardian_client()
    a = _opened(client, young, "FDI-P")

    moved = client.post(
        _url(young, a),
        {"page": "1", "version": str(a.version), "item-1": "4", "next": "1"},
    )
    back = client.post(
        _url(young, a),
        {"page": "2", "version": str(a.version + 1), "previous": "1"},
    )

    assert moved["Location"] == _url(young, a, 2)
    assert back["Location"] == _url(young, a, 1)
    page_one = client.get(back["Location"]).content.decode()
    assert 'name="item-1" value="4" checked' in page_one


def test_an_answer_that_is_not_an_option_is_shown_next_to_its_item(
    young: Family,
) -> None:
    client = young.guardian_client()
    a = _opened(client, young, "FDI-P")

    refused = client.post(
        _url(young, a),
        {"page": "1", "version": str(a.version), "item-3": "9", "next": "1"},
    )

    body = refused.content.decode()
    assert refused.status_code == 400
    assert 'aria-describedby="item-3-error"' in body
    assert 'id="item-3-error">Choose one of the answers shown.' in body
    a.refresh_from_db()
    assert a.answers == {}


def test_a_stale_page_saves_nothing_and_says_so(young: Family) -> None:
    client = young.guardian_client()
    a = _opened(client, young, "FDI-P")
    client.post(_url(young, a), {"page": "1", "version": "1", "item-1": "1"})

    stale = client.post(
        _url(young, a), {"page": "1", "version": "1", "item-1": "4", "next": "1"}
    )

    assert stale.status_code == 400
    assert "changed somewhere else" in stale.content.decode()
    a.refresh_from_db()
    assert a.answers == {"1": 1}


def test_a_sent_form_cannot_be_changed_from_the_portal(young: Family) -> None:
    client = young.guardian_client()
    a = _opened(client, young, "FDI-P")
    _fill(client, young, a, {str(n): 1 for n in range(1, 16)})

    again = client.post(
        _url(young, a), {"page": "1", "version": "99", "item-1": "4", "next": "1"}
    )

    assert again["Location"] == _url(young, a)
    a.refresh_from_db()
    assert a.answers["1"] == 1


def test_a_sent_form_is_listed_as_done_with_a_thank_you(young: Family) -> None:
    client = young.guardian_client()
    a = _opened(client, young, "FDI-P")
    _fill(client, young, a, {str(n): 0 for n in range(1, 16)})

    body = client.get(_list(young)).content.decode()

    assert "Done on" in body and "thank you." in body
    assert body.count('name="form_token"') == 2  # PCS-P and ARCS still wait


def test_opening_a_questionnaire_is_audited(young: Family) -> None:
    client = young.guardian_client()
    a = _opened(client, young, "FDI-P")

    client.get(_url(young, a))

    viewed = AuditEvent.objects.filter(action="administration.viewed").get()
    assert viewed.actor == young.guardian_user
    portal = AuditEvent.objects.filter(action="portal.viewed").latest("seq")
    assert portal.changes["page"] == "portal:questionnaire"
    assert portal.object_id == str(a.pk)


# --- Nobody reaches another respondent's forms ---------------------------------------


def test_another_respondents_administration_is_a_404(
    young: Family, teen: Family, coordinator: object
) -> None:
    teens_own = start(teen.episode, teen.teen_user, "CES-DC")  # type: ignore[arg-type]
    teens_parent = start(
        teen.episode,  # type: ignore[arg-type]
        teen.guardian_user,
        "FDI-P",
        guardian=teen.guardian,
    )
    youngs_parent = start(
        young.episode,  # type: ignore[arg-type]
        young.guardian_user,
        "FDI-P",
        guardian=young.guardian,
    )
    asks = [
        (teen.guardian_client(), teen, teens_own),  # the teen's, for the guardian
        (teen.teen_client(), teen, teens_parent),  # the guardian's, for the teen
        (young.guardian_client(), young, teens_parent),  # another family's form
        (young.guardian_client(), teen, teens_parent),  # another family's child
        (teen.guardian_client(), teen, youngs_parent),  # another episode's
    ]

    for client, fam, a in asks:
        assert client.get(_url(fam, a)).status_code == 404
        posted = client.post(
            _url(fam, a), {"page": "1", "version": "1", "item-1": "1", "next": "1"}
        )
        assert posted.status_code == 404
    for a in (teens_own, teens_parent, youngs_parent):
        a.refresh_from_db()
        assert a.answers == {}


def test_a_made_up_administration_id_is_the_same_404_as_a_missing_page(
    young: Family,
) -> None:
    client = young.guardian_client()
    a = _opened(client, young, "FDI-P")
    made_up = reverse("portal:questionnaire", args=[young.child.pk, a.pk + 999])

    assert client.get(made_up).status_code == 404


def test_a_guardian_never_sees_the_teens_answers(teen: Family) -> None:
    teens = start(teen.episode, teen.teen_user, "CES-DC")  # type: ignore[arg-type]
    fill_and_submit(teens, teen.teen_user, all_answers("CES-DC", 2))
    draft = start(
        teen.episode,  # type: ignore[arg-type]
        teen.teen_user,
        "FDI-C",
    )
    client = teen.guardian_client()

    listed = client.get(_list(teen)).content.decode()

    assert CES_DC_TITLE not in listed
    assert "How you manage everyday activities" not in listed
    assert client.get(_url(teen, teens)).status_code == 404
    assert client.get(_url(teen, draft)).status_code == 404


def test_a_team_entered_paper_form_is_listed_for_its_respondent_only(
    young: Family, coordinator: object
) -> None:
    paper = start(
        young.episode,  # type: ignore[arg-type]
        journey.coordinator(),
        "ARCS",
        guardian=young.guardian,
    )
    fill_and_submit(paper, journey.coordinator(), all_answers("ARCS", 1))

    body = young.guardian_client().get(_list(young)).content.decode()

    assert "How you respond when your child is in pain" in body
    assert "Done on" in body
