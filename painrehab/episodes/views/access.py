"""Who may use each episode page, and which actions a chart offers whom.

Role sets here feed both the view decorators and the journey tab's buttons, so a
button never leads to a refusal.
"""

from dataclasses import dataclass

from painrehab.accounts.choices import Role
from painrehab.episodes.choices import TRANSITIONS, Phase, Transition

COORDINATOR = frozenset({Role.COORDINATOR})
CENSUS_ROLES = frozenset({Role.COORDINATOR, Role.DIRECTOR, Role.PHYSICIAN, Role.NURSE})
WAITLIST_ROLES = frozenset({Role.COORDINATOR, Role.DIRECTOR, Role.PHYSICIAN})
STAY_ROLES = frozenset({Role.COORDINATOR, Role.PHYSICIAN})
STEP_DOWN_ROLES = frozenset(
    {
        Role.COORDINATOR,
        Role.PHYSICIAN,
        Role.PSYCHOLOGIST,
        Role.PHYSICAL_THERAPIST,
        Role.OCCUPATIONAL_THERAPIST,
    }
)


def _phases_allowing(transition: Transition) -> frozenset[str]:
    return frozenset(p for p, moves in TRANSITIONS.items() if transition in moves)


@dataclass(frozen=True)
class EpisodeAction:
    """A button on the journey tab: its label, page, and when and for whom."""

    label: str
    url_name: str
    phases: frozenset[str]
    roles: frozenset[Role]


ACTIONS = (
    EpisodeAction(
        "Add to the waitlist",
        "episodes:waitlist_add",
        _phases_allowing(Transition.WAITLIST),
        COORDINATOR,
    ),
    EpisodeAction(
        "Admit", "episodes:admit", _phases_allowing(Transition.ADMIT), COORDINATOR
    ),
    EpisodeAction(
        "Extend the stay", "episodes:extend", frozenset({Phase.INPATIENT}), STAY_ROLES
    ),
    EpisodeAction(
        "Discharge", "episodes:discharge", frozenset({Phase.INPATIENT}), STAY_ROLES
    ),
    EpisodeAction(
        "Step-down plan",
        "episodes:step_down",
        frozenset({Phase.STEP_DOWN}),
        STEP_DOWN_ROLES,
    ),
    EpisodeAction(
        "Close the episode",
        "episodes:close",
        _phases_allowing(Transition.CLOSE),
        COORDINATOR,
    ),
)


def actions_for(*, phase: str, role: str) -> list[EpisodeAction]:
    """The actions a person in ``role`` may take on an episode in ``phase``."""
    return [a for a in ACTIONS if phase in a.phases and role in a.roles]
