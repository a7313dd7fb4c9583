"""Writes for episodes: the named transitions, stays and beds, and aftercare.

One module per concern; every public name is re-exported here.
"""

from painrehab.episodes.services.aftercare import (
    DISCHARGE_TEXT_FIELDS,
    episode_discharge,
    follow_up_record,
    step_down_plan_update,
)
from painrehab.episodes.services.stays import (
    MAX_ADMISSION_AGE,
    MIN_ADMISSION_AGE,
    beds_configure,
    episode_admit,
    stay_extend,
)
from painrehab.episodes.services.transitions import (
    AGE_OUTSIDE,
    ALREADY_OPEN,
    BED_INACTIVE,
    BED_TAKEN,
    NOT_BEFORE_ADMISSION,
    NOT_IN_FUTURE,
    PLANNED_NOT_LATER,
    REASON_REQUIRED,
    WRONG_PHASE,
    TransitionRefused,
    episode_accept,
    episode_close,
    episode_decline,
    episode_open,
    episode_start_evaluation,
    episode_start_follow_up,
    episode_waitlist,
)

__all__ = [
    "AGE_OUTSIDE",
    "ALREADY_OPEN",
    "BED_INACTIVE",
    "BED_TAKEN",
    "DISCHARGE_TEXT_FIELDS",
    "MAX_ADMISSION_AGE",
    "MIN_ADMISSION_AGE",
    "NOT_BEFORE_ADMISSION",
    "NOT_IN_FUTURE",
    "PLANNED_NOT_LATER",
    "REASON_REQUIRED",
    "WRONG_PHASE",
    "TransitionRefused",
    "beds_configure",
    "episode_accept",
    "episode_admit",
    "episode_close",
    "episode_decline",
    "episode_discharge",
    "episode_open",
    "episode_start_evaluation",
    "episode_start_follow_up",
    "episode_waitlist",
    "follow_up_record",
    "stay_extend",
    "step_down_plan_update",
]
