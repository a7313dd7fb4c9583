"""The plan's header and its biopsychosocial formulation."""

from dataclasses import replace

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from painrehab.accounts.choices import Role
from painrehab.audit.models import AuditEvent
from painrehab.careplans import services, validation
from painrehab.careplans.choices import Factor
from painrehab.careplans.inputs import FactorItem, FormulationFields, PlanHeaderFields
from painrehab.careplans.models import PlanChange
from painrehab.careplans.tests.support import admitted_plan, on_team
from painrehab.referrals.tests import journey

pytestmark = pytest.mark.django_db

FORMULATION = FormulationFields(
    biological=(
        FactorItem(Factor.CENTRAL_SENSITIZATION, "Allodynia of the left foot"),
        FactorItem(Factor.SLEEP_DISRUPTION),
    ),
    psychological=(FactorItem(Factor.FEAR_AVOIDANCE, "Avoids weight-bearing"),),
    social=(FactorItem(Factor.SCHOOL_ABSENCE, "Out of school 4 months"),),
    summary="Pain kept going by avoidance and poor sleep.",
)


def test_a_physical_therapist_writes_the_formulation() -> None:
    plan = admitted_plan()
    pt = on_team(plan, Role.PHYSICAL_THERAPIST)
    saved = services.formulation_change(
        care_plan=plan, by=pt, version=1, fields=FORMULATION
    )
    assert saved.version == 2
    assert saved.biological[0] == {
        "code": "central_sensitization",
        "text": "Allodynia of the left foot",
    }
    entry = PlanChange.objects.get(action="formulation.changed")
    assert entry.changes["psychological"] == {
        "old": [],
        "new": [{"code": "fear_avoidance", "text": "Avoids weight-bearing"}],
    }
    assert AuditEvent.objects.filter(action="formulation.changed").count() == 1


def test_removing_a_factor_keeps_it_in_the_history() -> None:
    plan = admitted_plan()
    by = journey.coordinator()
    services.formulation_change(care_plan=plan, by=by, version=1, fields=FORMULATION)
    fewer = replace(FORMULATION, biological=FORMULATION.biological[:1])
    services.formulation_change(care_plan=plan, by=by, version=2, fields=fewer)
    last = PlanChange.objects.filter(action="formulation.changed").first()
    assert last is not None
    assert len(last.changes["biological"]["old"]) == 2
    assert len(last.changes["biological"]["new"]) == 1


@pytest.mark.parametrize(
    ("fields", "errors"),
    [
        (
            FormulationFields(biological=(FactorItem(Factor.ANXIETY),)),
            {
                "biological": [
                    validation.UNKNOWN_FACTOR.format(
                        code="anxiety", domain="biological"
                    )
                ]
            },
        ),
        (
            FormulationFields(social=(FactorItem(Factor.OTHER_SOCIAL, " "),)),
            {"social": [validation.OTHER_NEEDS_TEXT]},
        ),
        (
            FormulationFields(
                psychological=(FactorItem(Factor.ANXIETY), FactorItem(Factor.ANXIETY))
            ),
            {"psychological": [validation.FACTOR_TWICE.format(factor="anxiety")]},
        ),
    ],
    ids=["wrong_domain_case", "other_without_text_case", "twice_case"],
)
def test_a_bad_formulation_is_refused(
    fields: FormulationFields, errors: dict[str, list[str]]
) -> None:
    plan = admitted_plan()
    with pytest.raises(ValidationError) as refused:
        services.formulation_change(
            care_plan=plan, by=journey.coordinator(), version=1, fields=fields
        )
    assert refused.value.message_dict == errors
    plan.formulation.refresh_from_db()
    assert plan.formulation.version == 1


def test_a_stale_formulation_is_refused() -> None:
    plan = admitted_plan()
    by = journey.coordinator()
    services.formulation_change(care_plan=plan, by=by, version=1, fields=FORMULATION)
    with pytest.raises(ValidationError) as refused:
        services.formulation_change(
            care_plan=plan, by=by, version=1, fields=FormulationFields(summary="Mine")
        )
    assert refused.value.message_dict == {"version": [services.STALE]}


def test_only_coordinator_and_physicians_change_the_header() -> None:
    plan = admitted_plan()
    fields = PlanHeaderFields("Back to school by week 3", "Dancing again", 360)
    with pytest.raises(PermissionDenied):
        services.care_plan_change(
            care_plan=plan,
            by=on_team(plan, Role.PSYCHOLOGIST),
            version=1,
            fields=fields,
        )
    saved = services.care_plan_change(
        care_plan=plan, by=on_team(plan, Role.PHYSICIAN), version=1, fields=fields
    )
    assert (saved.version, saved.max_therapy_minutes_per_day) == (2, 360)
    entry = PlanChange.objects.get(action="care_plan.changed")
    assert entry.changes["max_therapy_minutes_per_day"] == {"old": 420, "new": 360}


def test_the_daily_limit_stays_within_reason() -> None:
    plan = admitted_plan()
    with pytest.raises(ValidationError) as refused:
        services.care_plan_change(
            care_plan=plan,
            by=journey.coordinator(),
            version=1,
            fields=PlanHeaderFields("", "", 30),
        )
    assert refused.value.message_dict == {
        "max_therapy_minutes_per_day": [validation.MAX_MINUTES_RANGE]
    }
