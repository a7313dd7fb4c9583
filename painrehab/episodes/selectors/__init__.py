"""Reads of episodes, always through the access funnel (``patients.access``).

One module per page family; every public reader is importable from here.
"""

from painrehab.episodes.selectors.aftercare import FollowUpLine, follow_up_list
from painrehab.episodes.selectors.census import (
    CensusBoard,
    PatientRef,
    WaitlistLine,
    census_board,
    register_due_questionnaires,
    waitlist_list,
)
from painrehab.episodes.selectors.episodes import (
    ADMISSION_TEAM,
    INPATIENT_PHASES,
    STEP_DOWN_PHASES,
    AdmissionOptions,
    Aftercare,
    admission_options,
    aftercare_get,
    chart_header,
    episode_current,
    episode_get,
    episode_history,
    episode_stay,
    follow_up_get,
    free_beds,
    phase_refusal,
    stay_extensions,
    transition_refusal,
)
from painrehab.episodes.selectors.journey import Journey, journey_get

__all__ = [
    "ADMISSION_TEAM",
    "INPATIENT_PHASES",
    "STEP_DOWN_PHASES",
    "AdmissionOptions",
    "Aftercare",
    "CensusBoard",
    "FollowUpLine",
    "Journey",
    "PatientRef",
    "WaitlistLine",
    "admission_options",
    "aftercare_get",
    "census_board",
    "chart_header",
    "episode_current",
    "episode_get",
    "episode_history",
    "episode_stay",
    "follow_up_get",
    "follow_up_list",
    "free_beds",
    "journey_get",
    "phase_refusal",
    "register_due_questionnaires",
    "stay_extensions",
    "transition_refusal",
    "waitlist_list",
]
