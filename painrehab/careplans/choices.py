"""Choices of the care plan: goal domains and statuses, attainment, prescriptions,
and the coded factors of the biopsychosocial formulation."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from painrehab.accounts.choices import Discipline


class GoalDomain(models.TextChoices):
    """The areas of a child's life a goal belongs to, in the plan page's order."""

    PHYSICAL_FUNCTION = "physical_function", _("Physical function")
    SCHOOL = "school", _("School")
    SLEEP = "sleep", _("Sleep")
    COPING = "coping", _("Pain coping and fear")
    EMOTIONAL = "emotional", _("Emotional well-being")
    FAMILY = "family", _("Family")
    DAILY_LIVING = "daily_living", _("Daily living")
    RECREATION = "recreation", _("Recreation")


class GoalStatus(models.TextChoices):
    ACTIVE = "active", _("Active")
    MET = "met", _("Met")
    REVISED = "revised", _("Revised (replaced by a new goal)")
    DISCONTINUED = "discontinued", _("Discontinued")


# Goals no longer worked on: a review is not recorded against them.
CLOSED_GOAL_STATUSES = frozenset({GoalStatus.REVISED, GoalStatus.DISCONTINUED})


class Attainment(models.IntegerChoices):
    """Goal attainment scaling (Kiresuk & Sherman 1968): 0 is the expected outcome."""

    MUCH_LESS = -2, _("−2 much less than expected")
    LESS = -1, _("−1 somewhat less than expected")
    EXPECTED = 0, _("0 expected level")
    MORE = 1, _("+1 somewhat more than expected")
    MUCH_MORE = 2, _("+2 much more than expected")


class SessionMode(models.TextChoices):
    """The timetable format's ``activities[].kind``."""

    INDIVIDUAL = "individual", _("Individual")
    GROUP = "group", _("Group")


class TimeOfDay(models.TextChoices):
    MORNING = "morning", _("Morning")
    AFTERNOON = "afternoon", _("Afternoon")
    EVENING = "evening", _("Evening")
    ANY = "any", _("Any time")


class Continuity(models.TextChoices):
    """Whether the child should see the same therapist of the discipline each time."""

    SAME_PREFERRED = "same_preferred", _("Same therapist preferred")
    SAME_REQUIRED = "same_required", _("Same therapist required")
    NO_PREFERENCE = "no_preference", _("No preference")


class PrescriptionStatus(models.TextChoices):
    ACTIVE = "active", _("Active")
    STOPPED = "stopped", _("Stopped")


class Weekday(models.IntegerChoices):
    """``date.weekday()`` numbering: Monday is 0."""

    MONDAY = 0, _("Monday")
    TUESDAY = 1, _("Tuesday")
    WEDNESDAY = 2, _("Wednesday")
    THURSDAY = 3, _("Thursday")
    FRIDAY = 4, _("Friday")
    SATURDAY = 5, _("Saturday")
    SUNDAY = 6, _("Sunday")


# Disciplines a therapy can be prescribed for. Hospital school is a fixed block of
# the day (the timetable's ``blocked``), and coordination is not a therapy.
PRESCRIBABLE_DISCIPLINES: tuple[Discipline, ...] = (
    Discipline.PT,
    Discipline.OT,
    Discipline.PSY,
    Discipline.MED,
    Discipline.SW,
    Discipline.CL,
    Discipline.ACU,
    Discipline.REC,
    Discipline.NURSE,
)
# Disciplines a goal can be the responsibility of.
GOAL_DISCIPLINES: tuple[Discipline, ...] = (
    *PRESCRIBABLE_DISCIPLINES,
    Discipline.SCHOOL,
)


class FormulationDomain(models.TextChoices):
    BIOLOGICAL = "biological", _("Biological")
    PSYCHOLOGICAL = "psychological", _("Psychological")
    SOCIAL = "social", _("Social")


class Factor(models.TextChoices):
    """Coded factors of the formulation; ``FACTOR_DOMAIN`` says where each belongs."""

    CENTRAL_SENSITIZATION = "central_sensitization", _("Central sensitization")
    SLEEP_DISRUPTION = "sleep_disruption", _("Sleep disruption")
    DECONDITIONING = "deconditioning", _("Deconditioning")
    HYPERMOBILITY = "hypermobility", _("Joint hypermobility")
    AUTONOMIC = "autonomic", _("Autonomic symptoms (e.g. dizziness on standing)")
    INFLAMMATORY_DISEASE = (
        "inflammatory_disease",
        _("Inflammatory or autoimmune disease"),
    )
    INJURY_TRIGGER = "injury_trigger", _("Preceding injury or surgery")
    MEDICATION_OVERUSE = "medication_overuse", _("Medication overuse")
    GASTROINTESTINAL = "gastrointestinal", _("Gastrointestinal symptoms")
    OTHER_BIOLOGICAL = "other_biological", _("Other biological factor")
    FEAR_AVOIDANCE = "fear_avoidance", _("Fear-avoidance of movement")
    CATASTROPHIZING = "catastrophizing", _("Pain catastrophizing")
    ANXIETY = "anxiety", _("Anxiety")
    LOW_MOOD = "low_mood", _("Low mood")
    PERFECTIONISM = "perfectionism", _("Perfectionism, high self-expectations")
    LIMITED_COPING = "limited_coping", _("Limited coping strategies")
    ADVERSE_EXPERIENCES = "adverse_experiences", _("Adverse experiences or trauma")
    NEEDLE_FEAR = "needle_fear", _("Fear of needles or procedures")
    OTHER_PSYCHOLOGICAL = "other_psychological", _("Other psychological factor")
    SCHOOL_ABSENCE = "school_absence", _("School absence")
    FAMILY_DISTRESS = "family_distress", _("Family distress")
    PROTECTIVE_RESPONSES = "protective_responses", _("Protective parent responses")
    PEER_ISOLATION = "peer_isolation", _("Peer isolation or bullying")
    ACADEMIC_PRESSURE = "academic_pressure", _("Academic pressure")
    ILLNESS_IN_FAMILY = "illness_in_family", _("Chronic pain or illness in the family")
    PRACTICAL_STRAIN = "practical_strain", _("Financial or practical strain")
    OTHER_SOCIAL = "other_social", _("Other social factor")


_B, _P, _S = FormulationDomain
FACTOR_DOMAIN: dict[str, FormulationDomain] = {
    Factor.CENTRAL_SENSITIZATION: _B,
    Factor.SLEEP_DISRUPTION: _B,
    Factor.DECONDITIONING: _B,
    Factor.HYPERMOBILITY: _B,
    Factor.AUTONOMIC: _B,
    Factor.INFLAMMATORY_DISEASE: _B,
    Factor.INJURY_TRIGGER: _B,
    Factor.MEDICATION_OVERUSE: _B,
    Factor.GASTROINTESTINAL: _B,
    Factor.OTHER_BIOLOGICAL: _B,
    Factor.FEAR_AVOIDANCE: _P,
    Factor.CATASTROPHIZING: _P,
    Factor.ANXIETY: _P,
    Factor.LOW_MOOD: _P,
    Factor.PERFECTIONISM: _P,
    Factor.LIMITED_COPING: _P,
    Factor.ADVERSE_EXPERIENCES: _P,
    Factor.NEEDLE_FEAR: _P,
    Factor.OTHER_PSYCHOLOGICAL: _P,
    Factor.SCHOOL_ABSENCE: _S,
    Factor.FAMILY_DISTRESS: _S,
    Factor.PROTECTIVE_RESPONSES: _S,
    Factor.PEER_ISOLATION: _S,
    Factor.ACADEMIC_PRESSURE: _S,
    Factor.ILLNESS_IN_FAMILY: _S,
    Factor.PRACTICAL_STRAIN: _S,
    Factor.OTHER_SOCIAL: _S,
}
# "Other …" says nothing on its own: its free text is required.
OTHER_FACTORS = frozenset(
    {Factor.OTHER_BIOLOGICAL, Factor.OTHER_PSYCHOLOGICAL, Factor.OTHER_SOCIAL}
)


def factors_of(domain: str) -> list[Factor]:
    """The coded factors of one formulation domain, in the choices' order."""
    return [f for f in Factor if FACTOR_DOMAIN[f] == domain]


# --- Team conference ----------------------------------------------------------


class ConferenceStatus(models.TextChoices):
    """Planned → in progress (the agenda is live) → closed (a fixed record)."""

    PLANNED = "planned", _("Planned")
    IN_PROGRESS = "in_progress", _("In progress")
    CLOSED = "closed", _("Closed")


class DecisionKind(models.TextChoices):
    """What the team decided for one child; each kind is applied in one step."""

    CHANGE_PRESCRIPTION = (
        "change_prescription",
        _("Change a prescription (minutes or how often)"),
    )
    STOP_PRESCRIPTION = "stop_prescription", _("Stop a prescription")
    NEW_GOAL = "new_goal", _("New goal")
    EXTEND_STAY = "extend_stay", _("Extend the stay")
    SHORTEN_STAY = "shorten_stay", _("Shorten the stay")
    PLAN_DISCHARGE = "plan_discharge", _("Plan the discharge date")
    NO_CHANGE = "no_change", _("No change to the plan")
    OTHER = "other", _("Other decision")


# Decisions that change the stay's planned discharge (episodes' ``stay_extend``).
STAY_DECISIONS = frozenset(
    {DecisionKind.EXTEND_STAY, DecisionKind.SHORTEN_STAY, DecisionKind.PLAN_DISCHARGE}
)
