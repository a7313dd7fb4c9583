"""Two people edit the same thing: the second save is refused, shows both values
field by field, and "keep mine" saves against the new version; nothing is lost."""

import pytest
from django.test import Client
from django.urls import reverse

from painrehab.accounts.choices import Role
from painrehab.careplans.models import Goal, PlanChange, Prescription
from painrehab.careplans.tests.support import add_goal, admitted_plan, on_team
from painrehab.common.testing import sign_in
from painrehab.referrals.tests import journey

pytestmark = pytest.mark.django_db


def _goal_post(goal: Goal, **values: str) -> dict[str, str]:
    return {
        "version": str(goal.version),
        "domain": goal.domain,
        "discipline": goal.discipline,
        "child_words": goal.child_words,
        "target": goal.target,
        "baseline": goal.baseline,
        "due_on": "",
        "status": goal.status,
        **values,
    }


def test_a_stale_goal_save_shows_theirs_next_to_mine_and_keep_mine_saves() -> None:
    plan = admitted_plan()
    goal = add_goal(plan, journey.coordinator())
    url = reverse("careplans:goal_edit", args=[plan.episode.patient_id, goal.pk])
    pt = sign_in(Client(), on_team(plan, Role.PHYSICAL_THERAPIST, first_name="Pat"))
    physician = sign_in(Client(), on_team(plan, Role.PHYSICIAN, first_name="Dana"))
    # Both open the form at version 1.
    assert pt.get(url).status_code == physician.get(url).status_code == 200
    assert physician.post(url, _goal_post(goal, baseline="180 m")).status_code == 302

    refused = pt.post(url, _goal_post(goal, baseline="160 m", target="Walks 500 m"))

    assert refused.status_code == 409
    page = refused.content.decode()
    assert "Dana" in page  # who saved in between
    assert "180 m" in page and "160 m" in page  # theirs and mine, side by side
    assert "Walks 500 m" in page and "Keep mine" in page
    assert 'name="version" value="2"' in page  # "keep mine" saves against theirs
    goal.refresh_from_db()
    assert (goal.baseline, goal.target, goal.version) == (
        "180 m",
        "Walks 400 m in six minutes",
        2,
    )

    kept = pt.post(url, _goal_post(goal, baseline="160 m", target="Walks 500 m"))

    assert kept.status_code == 302
    goal.refresh_from_db()
    assert (goal.baseline, goal.target, goal.version) == ("160 m", "Walks 500 m", 3)
    entries = PlanChange.objects.filter(action="goal.changed").order_by("at", "pk")
    assert [e.changes["baseline"]["new"] for e in entries] == ["180 m", "160 m"]


def test_take_theirs_reloads_the_form_with_their_values() -> None:
    plan = admitted_plan()
    goal = add_goal(plan, journey.coordinator())
    url = reverse("careplans:goal_edit", args=[plan.episode.patient_id, goal.pk])
    first = sign_in(Client(), journey.coordinator())
    second = sign_in(Client(), on_team(plan, Role.PHYSICIAN))
    first.post(url, _goal_post(goal, baseline="180 m"))
    refused = second.post(url, _goal_post(goal, baseline="160 m"))
    assert f'href="{url}"' in refused.content.decode()  # "Take theirs"
    reloaded = second.get(url).content.decode()
    assert 'value="180 m"' in reloaded and 'name="version" value="2"' in reloaded


def _prescription_post(row: Prescription, **values: str) -> dict[str, str]:
    data = {
        "version": str(row.version),
        "label": row.label,
        "discipline": row.discipline,
        "sessions_per_day": str(row.sessions_per_day or ""),
        "sessions_per_week": str(row.sessions_per_week or ""),
        "minutes": str(row.minutes),
        "mode": row.mode,
        "time_of_day": row.time_of_day,
        "continuity": row.continuity,
        "starts_on": row.starts_on.isoformat(),
        "ends_on": "",
        "reason": "Conference decision",
        **values,
    }
    return data


def test_a_stale_prescription_change_is_refused_with_both_values() -> None:
    plan = admitted_plan()
    row = plan.prescriptions.get(template_key="pt")
    url = reverse("careplans:prescription_edit", args=[plan.episode.patient_id, row.pk])
    pt = sign_in(Client(), on_team(plan, Role.PHYSICAL_THERAPIST))
    coordinator = sign_in(Client(), journey.coordinator())
    assert (
        coordinator.post(url, _prescription_post(row, minutes="45")).status_code == 302
    )

    refused = pt.post(url, _prescription_post(row, time_of_day="afternoon"))

    assert refused.status_code == 409
    page = refused.content.decode()
    assert "Minutes a session" in page
    assert "<td>45</td>" in page and "<td>60</td>" in page
    row.refresh_from_db()
    assert (row.minutes, row.time_of_day) == (45, "morning")


def test_a_stale_stop_is_refused_and_names_who_changed_it() -> None:
    plan = admitted_plan()
    row = plan.prescriptions.get(template_key="acupuncture")
    edit = reverse(
        "careplans:prescription_edit", args=[plan.episode.patient_id, row.pk]
    )
    stop = reverse(
        "careplans:prescription_stop", args=[plan.episode.patient_id, row.pk]
    )
    acupuncturist = sign_in(Client(), on_team(plan, Role.ACUPUNCTURIST))
    physician = sign_in(Client(), on_team(plan, Role.PHYSICIAN, first_name="Dana"))
    physician.post(edit, _prescription_post(row, minutes="45"))
    data = {
        "version": "1",
        "stopped_on": journey.today().isoformat(),
        "reason": "Needle phobia",
    }
    refused = acupuncturist.post(stop, data)
    assert refused.status_code == 409
    assert "Dana" in refused.content.decode()
    row.refresh_from_db()
    assert row.status == "active"
    assert acupuncturist.post(stop, {**data, "version": "2"}).status_code == 302
    row.refresh_from_db()
    assert (row.status, row.stop_reason) == ("stopped", "Needle phobia")


def test_a_stale_formulation_save_shows_both_lists() -> None:
    plan = admitted_plan()
    url = reverse("careplans:formulation_edit", args=[plan.episode.patient_id])
    psy = sign_in(Client(), on_team(plan, Role.PSYCHOLOGIST))
    sw = sign_in(Client(), on_team(plan, Role.SOCIAL_WORKER))
    assert psy.post(url, {"version": "1", "anxiety": "on"}).status_code == 302
    refused = sw.post(url, {"version": "1", "family_distress": "on"})
    assert refused.status_code == 409
    page = refused.content.decode()
    assert "Anxiety" in page and "Family distress" in page
    plan.formulation.refresh_from_db()
    assert plan.formulation.social == []
