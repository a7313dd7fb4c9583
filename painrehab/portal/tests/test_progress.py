"""Progress in plain language: goals in words, released summaries only, the chart."""

import datetime as dt
import uuid
from decimal import Decimal

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils.formats import date_format
from django.utils.html import escape
from django.utils.translation import override

from painrehab.audit.models import AuditEvent
from painrehab.careplans import services as plan_services
from painrehab.careplans.choices import Attainment, GoalStatus
from painrehab.careplans.models import CarePlan, Goal
from painrehab.careplans.services import conferences as conf
from painrehab.careplans.tests.conference_support import item_of, planned
from painrehab.careplans.tests.support import add_goal
from painrehab.domain.proxy import Withhold
from painrehab.episodes.models import Episode
from painrehab.instruments import daily
from painrehab.instruments import services as instrument_services
from painrehab.instruments.choices import TimePoint
from painrehab.instruments.tests.support import all_answers, start
from painrehab.portal.access import WITHHELD_TEXT
from painrehab.portal.selectors.progress import week_of
from painrehab.portal.tests.support import Family, family
from painrehab.referrals.tests import journey

pytestmark = pytest.mark.django_db

CANARY = "CANARY-unreleased-summary-5d81"


def _admitted(fam: Family, days_ago: int = 20) -> Episode:
    fam.episode = journey.admitted(fam.child, days_ago=days_ago)
    return fam.episode


def _plan(episode: Episode) -> CarePlan:
    return CarePlan.objects.get(episode=episode)


def _review(goal: Goal, score: int, on: dt.date | None = None) -> None:
    plan_services.goal_review(
        goal=goal,
        by=journey.coordinator(),
        form_token=uuid.uuid4(),
        reviewed_on=on or journey.today(),
        score=score,
    )


def _fdi(episode: Episode, on: dt.date, value: int, index: int) -> None:
    """The child's report answered on ``on``: every item ``value``, total 15 x value."""
    by = journey.coordinator()
    time_point = TimePoint.ADMISSION if index == 0 else TimePoint.WEEKLY
    administration = start(episode, by, "FDI-C", time_point=time_point, index=index)
    saved = instrument_services.answers_save(
        administration=administration,
        by=by,
        answers=all_answers("FDI-C", value),
        version=administration.version,
    )
    instrument_services.administration_submit(
        administration=saved, by=by, version=saved.version, answered_on=on
    )


def _check_in(episode: Episode, on: dt.date, pain: int) -> None:
    daily.checkin_record(
        episode=episode,
        on=on,
        pain_now=pain,
        sleep_hours=Decimal("8.0"),
        sleep_quality="good",
        mood="okay",
        goal_met=True,
        respondent="child",
        by=journey.coordinator(),
    )


def _summary(episode: Episode, held_on: dt.date, text: str, *, release: bool) -> None:
    conference = planned(held_on)
    conf.conference_start(conference=conference, by=journey.coordinator())
    item = item_of(conference, episode)
    saved = conf.family_summary_save(
        item=item, by=journey.coordinator(), version=0, text=text
    )
    if release:
        conf.family_summary_release(
            item=item, by=journey.coordinator(), version=saved.version
        )


def _page(client: Client, fam: Family) -> str:
    response = client.get(reverse("portal:progress", args=[fam.child.pk]))
    assert response.status_code == 200
    return response.content.decode()


def _chart_url(fam: Family) -> str:
    return reverse("portal:progress_chart", args=[fam.child.pk])


def _measured(episode: Episode) -> dt.date:
    """Two FDI answers, and check-ins over two weeks: 4 and 6, then 3.

    Returns the Monday of the first week of check-ins.
    """
    monday = week_of(journey.today() - dt.timedelta(days=14))
    _fdi(episode, monday - dt.timedelta(days=2), 3, index=0)  # total 45
    _fdi(episode, monday + dt.timedelta(days=8), 2, index=1)  # total 30
    _check_in(episode, monday, 4)
    _check_in(episode, monday + dt.timedelta(days=1), 6)
    _check_in(episode, monday + dt.timedelta(days=7), 3)
    return monday


# --- Goals ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("score", "words"),
    [
        (Attainment.MUCH_LESS, "Still working toward this goal"),
        (Attainment.LESS, "Making progress"),
        (Attainment.EXPECTED, "Goal reached"),
        (Attainment.MORE, "Did better than the goal"),
        (Attainment.MUCH_MORE, "Did much better than the goal"),
    ],
)
def test_each_goal_attainment_is_shown_in_words_never_as_a_score(
    score: int, words: str
) -> None:
    fam = family(age=9, stage="none")
    episode = _admitted(fam)
    goal = add_goal(
        _plan(episode), journey.coordinator(), child_words="I want to ride my bike"
    )
    _review(goal, Attainment.MUCH_LESS, journey.today() - dt.timedelta(days=7))
    _review(goal, score)
    page = _page(fam.guardian_client(), fam)
    assert escape("“I want to ride my bike”") in page
    assert words in page
    assert str(Attainment(score).label) not in page
    assert "expected" not in page


def test_a_goal_without_the_childs_words_shows_its_target_closed_goals_hide() -> None:
    fam = family(age=9, stage="none")
    plan = _plan(_admitted(fam))
    add_goal(plan, journey.coordinator(), child_words="", target="Sits through lunch")
    gone = add_goal(plan, journey.coordinator(), child_words="Swim 10 lengths")
    Goal.objects.filter(pk=gone.pk).update(status=GoalStatus.DISCONTINUED)
    met = add_goal(plan, journey.coordinator(), child_words="Sleep all night")
    Goal.objects.filter(pk=met.pk).update(status=GoalStatus.MET)
    page = _page(fam.guardian_client(), fam)
    assert "Sits through lunch" in page
    assert "The team has not checked this goal yet." in page
    assert "Sleep all night" in page
    assert "Achieved" in page
    assert "Swim 10 lengths" not in page
    # The plan template's starter goals wait for the team to word them.
    assert plan.goals.filter(template_key="").count() == 3
    assert plan.goals.exclude(template_key="").exists()
    assert "Six-minute walk of" not in page


# --- Family summaries ---------------------------------------------------------


def test_an_unreleased_summary_is_never_shown_and_released_ones_are() -> None:
    fam = family(age=9, stage="none")
    episode = _admitted(fam)
    last_week = journey.today() - dt.timedelta(days=7)
    _summary(episode, last_week, "Robin walked to the garden.", release=True)
    _summary(episode, journey.today(), CANARY, release=False)
    for client in (fam.guardian_client(),):
        page = _page(client, fam)
        assert "Robin walked to the garden." in page
        assert date_format(last_week, "DATE_FORMAT") in page
        assert CANARY not in page
        chart = client.get(_chart_url(fam)).content.decode()
        assert CANARY not in chart


def test_released_summaries_are_shown_newest_first() -> None:
    fam = family(age=9, stage="none")
    episode = _admitted(fam)
    _summary(
        episode, journey.today() - dt.timedelta(days=14), "First week.", release=True
    )
    _summary(
        episode, journey.today() - dt.timedelta(days=7), "Second week.", release=True
    )
    page = _page(fam.guardian_client(), fam)
    assert page.index("Second week.") < page.index("First week.")


# --- The chart and its tables -------------------------------------------------


def test_the_guardian_reads_function_and_weekly_pain_without_scores_or_codes() -> None:
    fam = family(age=9, stage="none")
    monday = _measured(_admitted(fam))
    page = _page(fam.guardian_client(), fam)
    assert "45 out of 60" in page
    assert "30 out of 60" in page
    assert "5.0 out of 10" in page
    assert "3.0 out of 10" in page
    assert "6 out of 10" not in page  # a day's own answer never shows
    assert date_format(monday, "DATE_FORMAT") in page
    assert _chart_url(fam) in page
    for jargon in ("FDI", "T-score", "disability", "Functional Disability"):
        assert jargon not in page


def test_the_chart_is_an_svg_with_a_title_and_a_description_for_the_guardian() -> None:
    fam = family(age=9, stage="none")
    _measured(_admitted(fam))
    response = fam.guardian_client().get(_chart_url(fam))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("image/svg+xml")
    svg = response.content.decode()
    assert "<title>Robin's everyday activities and pain over time</title>" in svg
    assert "<desc>" in svg
    assert "45 out of 60" in svg
    assert "How hard everyday activities are" in svg
    assert "style-src 'unsafe-inline'" in response["Content-Security-Policy"]
    for jargon in ("FDI", "T-score", "disability"):
        assert jargon not in svg


def test_the_chart_is_drawn_in_the_guardians_language() -> None:
    fam = family(age=9, stage="none")
    monday = _measured(_admitted(fam))
    fam.guardian_user.preferred_language = "es"
    fam.guardian_user.save()
    svg = fam.guardian_client().get(_chart_url(fam)).content.decode()
    with override("es"):
        spanish_date = date_format(monday - dt.timedelta(days=2), "DATE_FORMAT")
    assert escape(spanish_date) in svg
    assert 'xml:lang="es"' in svg


def test_another_familys_guardian_gets_a_404_for_the_page_and_the_chart() -> None:
    fam = family(age=9, stage="none")
    _measured(_admitted(fam))
    other = family(age=9, name="Sam", surname="Otherkin", parent="Lee", stage="none")
    client = other.guardian_client()
    assert client.get(_chart_url(fam)).status_code == 404
    page = reverse("portal:progress", args=[fam.child.pk])
    assert client.get(page).status_code == 404
    assert (
        client.get(_chart_url(fam).replace(str(fam.child.pk), "999999")).status_code
        == 404
    )


def test_a_guardian_of_a_teen_does_not_see_outcomes_the_program_withholds(
    settings: object,
) -> None:
    settings.PORTAL_GUARDIAN_TEEN_SEES = ["schedule", "goals", "family_summary"]  # type: ignore[attr-defined]
    fam = family(age=14, teen_account=True, stage="none")
    _measured(_admitted(fam))
    client = fam.guardian_client()
    assert client.get(_chart_url(fam)).status_code == 404
    page = _page(client, fam)
    assert escape(str(WITHHELD_TEXT[Withhold.PRIVACY_171_202_B])) in page
    assert _chart_url(fam) not in page
    assert "45 out of 60" not in page
    assert "out of 10" not in page
    event = AuditEvent.objects.filter(action="portal.viewed").order_by("seq").last()
    assert event is not None
    assert event.changes["withheld"] == {"outcomes": Withhold.PRIVACY_171_202_B}
    # The teen sees their own progress and chart.
    teen = fam.teen_client()
    assert "My progress" in _page(teen, fam)
    assert teen.get(_chart_url(fam)).status_code == 200


def test_the_page_and_the_chart_take_the_same_queries_however_much_was_measured() -> (
    None
):
    few = family(age=9, stage="none")
    episode = _admitted(few)
    _fdi(episode, journey.today() - dt.timedelta(days=10), 2, index=0)
    _check_in(episode, journey.today() - dt.timedelta(days=10), 5)
    many = family(age=9, name="Sam", surname="Otherkin", parent="Lee", stage="none")
    _measured(_admitted(many))
    goal = add_goal(_plan(many.episode), journey.coordinator())
    _review(goal, 0)
    counts = []
    for fam in (few, many):
        client = fam.guardian_client()
        for url in (reverse("portal:progress", args=[fam.child.pk]), _chart_url(fam)):
            with CaptureQueriesContext(connection) as queries:
                assert client.get(url).status_code == 200
            counts.append(len(queries))
    assert counts[:2] == counts[2:]


def test_each_view_of_the_page_is_audited_with_what_it_could_show() -> None:
    fam = family(age=9, stage="none")
    _admitted(fam)
    _page(fam.guardian_client(), fam)
    event = AuditEvent.objects.filter(action="portal.viewed").order_by("seq").last()
    assert event is not None
    assert event.patient_id == fam.child.pk
    assert event.changes["page"] == "progress"
    assert "withheld" not in event.changes


def test_a_child_with_nothing_measured_yet_gets_a_plain_empty_page_and_chart() -> None:
    fam = family(age=9, stage="none")
    page = _page(fam.guardian_client(), fam)
    assert "There is nothing to show yet." in page
    assert "There is no note from a team meeting yet." in page
    svg = fam.guardian_client().get(_chart_url(fam)).content.decode()
    assert "No answers yet." in svg
