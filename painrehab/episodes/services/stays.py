"""Admission into a bed, changes of the planned discharge, and the beds themselves."""

from collections.abc import Mapping
from datetime import date

from django.db import IntegrityError, transaction
from django.utils import timezone

from painrehab.accounts.models import User
from painrehab.audit.actions import ActionType
from painrehab.audit.services import record
from painrehab.domain.ages import age_on
from painrehab.domain.eligibility import DEFAULT_RULES
from painrehab.episodes import signals
from painrehab.episodes.choices import (
    Transition,
)
from painrehab.episodes.models import (
    Bed,
    Episode,
    Stay,
    StayExtension,
    WaitlistEntry,
)
from painrehab.episodes.services.transitions import (
    AGE_OUTSIDE,
    BED_INACTIVE,
    BED_TAKEN,
    NOT_BEFORE_ADMISSION,
    NOT_IN_FUTURE,
    PLANNED_NOT_LATER,
    TransitionRefused,
    _audit,
    _move,
    _require,
)
from painrehab.patients.choices import TeamRole
from painrehab.patients.models import CareTeamMember, Patient
from painrehab.patients.services import care_team_member_add

ADMITTED_BEFORE_OPENED = (
    "The admission date cannot be before the referral was received ({opened})."
)

# The admission age check follows the program's eligibility rules.
MIN_ADMISSION_AGE = DEFAULT_RULES.min_age
MAX_ADMISSION_AGE = DEFAULT_RULES.max_age


def _check_age(patient: Patient, admitted_on: date, override_reason: str) -> None:
    age = age_on(patient.date_of_birth, admitted_on)
    if MIN_ADMISSION_AGE <= age <= MAX_ADMISSION_AGE or override_reason.strip():
        return
    raise TransitionRefused(
        "age_override_reason",
        AGE_OUTSIDE.format(
            name=patient.display_name,
            age=age,
            lo=MIN_ADMISSION_AGE,
            hi=MAX_ADMISSION_AGE,
        ),
    )


def _check_stay_dates(admitted_on: date, planned_discharge_on: date) -> None:
    if admitted_on > timezone.localdate():
        raise TransitionRefused("admitted_on", NOT_IN_FUTURE)
    if planned_discharge_on <= admitted_on:
        raise TransitionRefused(
            "planned_discharge_on", NOT_BEFORE_ADMISSION.format(admitted=admitted_on)
        )


def _claim_bed(bed: Bed) -> Bed:
    """Lock the bed row so concurrent admissions to it queue, then check it is free."""
    locked = Bed.objects.select_for_update().get(pk=bed.pk)
    if not locked.active:
        raise TransitionRefused("bed", BED_INACTIVE.format(bed=locked))
    if Stay.objects.filter(bed=locked, discharged_on__isnull=True).exists():
        raise TransitionRefused("bed", BED_TAKEN.format(bed=locked))
    return locked


@transaction.atomic
def episode_admit(
    *,
    episode: Episode,
    by: User,
    bed: Bed,
    admitted_on: date,
    planned_discharge_on: date,
    care_team: Mapping[TeamRole, User] | None = None,
    age_override_reason: str = "",
) -> Stay:
    """Waitlisted → inpatient: a bed, planned dates and the primary care team."""
    _check_stay_dates(admitted_on, planned_discharge_on)
    if admitted_on < episode.opened_on:
        message = ADMITTED_BEFORE_OPENED.format(opened=episode.opened_on.isoformat())
        raise TransitionRefused("admitted_on", message)
    _check_age(episode.patient, admitted_on, age_override_reason)
    claimed = _claim_bed(bed)
    details = {
        "bed": claimed.number,
        "planned_discharge_on": planned_discharge_on.isoformat(),
    }
    if age_override_reason.strip():
        details["age_override_reason"] = age_override_reason.strip()
    moved = _move(episode, Transition.ADMIT, by=by, details=details)
    try:
        with transaction.atomic():
            stay = Stay.objects.create(
                episode=moved,
                bed=claimed,
                admitted_on=admitted_on,
                planned_discharge_on=planned_discharge_on,
            )
    except IntegrityError as error:  # the database's own guard on the bed
        raise TransitionRefused("bed", BED_TAKEN.format(bed=claimed)) from error
    WaitlistEntry.objects.filter(episode=moved).delete()
    _care_team_assign(moved.patient, care_team or {}, start=admitted_on, by=by)
    signals.admitted.send(sender=Stay, stay=stay, by=by)
    return stay


def _care_team_assign(
    patient: Patient, team: Mapping[TeamRole, User], *, start: date, by: User
) -> None:
    current = set(
        CareTeamMember.objects.filter(
            patient=patient, end_date__isnull=True
        ).values_list("team_role", "member_id")
    )
    for role, member in team.items():
        if (role, member.pk) not in current:
            care_team_member_add(
                patient=patient,
                member=member,
                team_role=role,
                start_date=start,
                added_by=by,
            )


@transaction.atomic
def stay_extend(
    *, stay: Stay, planned_discharge_on: date, reason: str, by: User
) -> StayExtension:
    """Change the planned discharge date (longer or shorter), with a reason."""
    locked = Stay.objects.select_for_update().get(pk=stay.pk)
    if locked.discharged_on is not None:
        raise TransitionRefused("planned_discharge_on", "The stay has ended.")
    if planned_discharge_on <= locked.admitted_on:
        raise TransitionRefused(
            "planned_discharge_on",
            NOT_BEFORE_ADMISSION.format(admitted=locked.admitted_on),
        )
    if planned_discharge_on == locked.planned_discharge_on:
        raise TransitionRefused(
            "planned_discharge_on",
            PLANNED_NOT_LATER.format(current=planned_discharge_on),
        )
    extension = StayExtension.objects.create(
        stay=locked,
        previous_planned_discharge_on=locked.planned_discharge_on,
        planned_discharge_on=planned_discharge_on,
        reason=_require(reason),
        by=by,
        at=timezone.now(),
    )
    locked.planned_discharge_on = planned_discharge_on
    locked.save(update_fields=["planned_discharge_on"])
    _audit(
        action="stay.extended",
        episode=locked.episode,
        by=by,
        obj=locked,
        changes={
            "from": extension.previous_planned_discharge_on.isoformat(),
            "to": planned_discharge_on.isoformat(),
        },
    )
    stay.refresh_from_db()
    return extension


@transaction.atomic
def beds_configure(*, count: int, by: User | None) -> list[Bed]:
    """Put beds 1…count in service; beds above ``count`` go out of service."""
    for number in range(1, count + 1):
        Bed.objects.get_or_create(number=number, defaults={"label": f"Bed {number}"})
    Bed.objects.filter(number__lte=count).update(active=True)
    Bed.objects.filter(number__gt=count).update(active=False)
    record(
        action="beds.configured",
        action_type=ActionType.UPDATE,
        actor=by,
        changes={"count": count},
    )
    return list(Bed.objects.filter(active=True))
