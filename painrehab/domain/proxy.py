"""What the family portal shows to whom: the visibility matrix as data.

reference/security.md §3b. A guardian's access is a *tier* computed from the child's
date of birth on the day of the request (never a cached flag): full before 12,
limited from the 12th birthday to the 18th, none from the 18th unless the adult
patient grants it. The teen's own account sees their own record except psychotherapy
notes. Every decision that hides something carries a reason code, so a hidden item
is never hidden without a recorded basis (§3b rule 2).

No Django here: the portal (``painrehab.portal.access``) applies these decisions,
and property tests drive them directly.
"""

from dataclasses import dataclass
from datetime import date
from enum import StrEnum

from painrehab.domain.ages import ADOLESCENT_AGE, age_on

ADULT_AGE = 18


class Viewer(StrEnum):
    GUARDIAN = "guardian"
    TEEN = "teen"


class Tier(StrEnum):
    """How much of the child's record a guardian's account reaches."""

    FULL = "full"  # the child is under 12
    LIMITED = "limited"  # 12 to 17: only what the program's list allows
    GRANTED = "granted"  # 18 or over, and the adult patient granted access
    NONE = "none"  # 18 or over, no grant
    OWN = "own"  # the teen's own account


class Category(StrEnum):
    """The kinds of information the portal shows (rows of the §3b matrix)."""

    SCHEDULE = "schedule"  # timetable, family time, appointments, calendar feed
    MESSAGES = "messages"  # conversations with the team
    HOME_PROGRAMME = "home_programme"  # PT/OT home exercises and the daily tick
    DISCHARGE = "discharge"  # discharge instructions, step-down, follow-up, school
    GOALS = "goals"  # care-plan goals and their attainment
    FAMILY_SUMMARY = "family_summary"  # the released summary of each conference
    OUTCOMES = "outcomes"  # pain and function over time (no item responses)
    QUESTIONNAIRES = "questionnaires"  # forms this person is asked to fill in
    CHECKIN = "checkin"  # the teen's daily check-in (a self-report)
    NOTES_MEDICAL = "notes_medical"  # physician, PT, OT, nursing notes
    NOTES_PSYCHOSOCIAL = "notes_psychosocial"  # psychology, social work, Child Life
    CONFIDENTIAL = "confidential"  # entries marked adolescent-confidential
    PSYCHOTHERAPY = "psychotherapy"  # psychotherapy notes: never in the portal


class Withhold(StrEnum):
    """Why something is not shown (security.md §3b rule 2)."""

    # 45 CFR 164.524(a)(1)(i): no right of access to psychotherapy notes.
    PN_UNREVIEWABLE = "pn_unreviewable"
    # 45 CFR 171.202(b): the program's written policy for parents of 12-17s,
    # applied the same way to every family (the configurable list).
    PRIVACY_171_202_B = "privacy_171_202_b"
    # The entry's own code: the teen's request (171.202(e)) or the clinician's
    # determination (171.201; Cal. HSC 123115(a)(2)); the entry carries which.
    ENTRY_CONFIDENTIAL = "entry_confidential"
    # 45 CFR 164.502(g): a parent is no longer the personal representative of an
    # adult patient; access continues only if the patient grants it.
    ADULT_PATIENT = "adult_patient_164_502_g"
    # Not for this viewer: a form or check-in another person answers.
    NOT_THIS_RESPONDENT = "not_this_respondent"


# What a guardian still sees while the child is 12 to 17 (the program can change
# the list in settings; see docs/portal.md).
DEFAULT_LIMITED: frozenset[Category] = frozenset(
    {
        Category.SCHEDULE,
        Category.MESSAGES,
        Category.HOME_PROGRAMME,
        Category.DISCHARGE,
        Category.GOALS,
        Category.FAMILY_SUMMARY,
        Category.OUTCOMES,
        Category.QUESTIONNAIRES,
        Category.NOTES_MEDICAL,
    }
)

# Never in anyone's portal, whatever the settings say.
NEVER: frozenset[Category] = frozenset({Category.PSYCHOTHERAPY})
# Never to a guardian, whatever the settings say.
NEVER_TO_GUARDIANS: frozenset[Category] = frozenset(
    {Category.PSYCHOTHERAPY, Category.CONFIDENTIAL, Category.CHECKIN}
)


@dataclass(frozen=True)
class Decision:
    shown: bool
    reason: Withhold | None = None

    def __post_init__(self) -> None:
        if self.shown == (self.reason is not None):
            raise ValueError("a hidden item needs a reason; a shown one has none")


SHOWN = Decision(True)


def guardian_tier(birth_date: date, on: date, *, adult_granted: bool) -> Tier:
    """The guardian's tier on ``on`` (the program's local date)."""
    age = age_on(birth_date, on)
    if age >= ADULT_AGE:
        return Tier.GRANTED if adult_granted else Tier.NONE
    if age >= ADOLESCENT_AGE:
        return Tier.LIMITED
    return Tier.FULL


def decide(
    tier: Tier,
    category: Category,
    *,
    limited: frozenset[Category] = DEFAULT_LIMITED,
) -> Decision:
    """Whether a viewer of ``tier`` sees ``category``, and if not, why."""
    if category in NEVER:
        return Decision(False, Withhold.PN_UNREVIEWABLE)
    if tier is Tier.OWN:
        return SHOWN
    if tier is Tier.NONE:
        return Decision(False, Withhold.ADULT_PATIENT)
    if category is Category.CONFIDENTIAL:
        return Decision(False, Withhold.ENTRY_CONFIDENTIAL)
    if category is Category.CHECKIN:
        return Decision(False, Withhold.NOT_THIS_RESPONDENT)
    if tier is Tier.LIMITED and category not in limited - NEVER_TO_GUARDIANS:
        return Decision(False, Withhold.PRIVACY_171_202_B)
    return SHOWN
