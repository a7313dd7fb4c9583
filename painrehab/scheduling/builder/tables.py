"""The builder's program defaults: docs/scheduling.md, "Building the problem".

What a prescription does not say (room kinds, weights) and how times of day and
care-team places read as timetable fields. Change a row here and the docs' table.
"""

from painrehab.accounts.choices import DISCIPLINE_OF_ROLE, Discipline
from painrehab.careplans.choices import PRESCRIBABLE_DISCIPLINES, TimeOfDay
from painrehab.patients.choices import TeamRole
from painrehab.scheduling.choices import RoomKind

SLOT_MINUTES = 15
DAY_MINUTES = 24 * 60
WEEKDAYS = 5  # Monday to Friday: always in a problem; weekends only when requested

# docs/careplans.md: morning 08:30-12:00, afternoon 12:00-17:00, evening 17:00-20:00.
PREFERRED_WINDOWS: dict[str, tuple[int, int]] = {
    TimeOfDay.MORNING: (8 * 60 + 30, 12 * 60),
    TimeOfDay.AFTERNOON: (12 * 60, 17 * 60),
    TimeOfDay.EVENING: (17 * 60, 20 * 60),
}

D, K = Discipline, RoomKind
# The room kinds a session of the discipline may use; a discipline not listed
# (pain medicine, nursing) needs no room. Group sessions look in GROUP_ROOM_KINDS
# first.
ROOM_KINDS: dict[str, tuple[str, ...]] = {
    D.PT: (K.PT,),
    D.OT: (K.OT,),
    D.PSY: (K.PSY,),
    D.SW: (K.SW,),
    D.ACU: (K.ACU,),
    D.CL: (K.CL,),
    D.REC: (K.REC,),
}
GROUP_ROOM_KINDS: dict[str, tuple[str, ...]] = {
    D.PT: (K.GROUP_PT,),
    D.REC: (K.WELLNESS, K.REC),
}

# The value of one delivered minute (the format's ``weight``): psychotherapy
# first, then the individual physical and occupational therapy the stay is built
# on. Group sessions look in GROUP_WEIGHTS first; anything else is worth 1.
WEIGHTS: dict[str, int] = {
    D.PSY: 4,
    D.PT: 3,
    D.OT: 3,
    D.ACU: 2,
    D.SW: 2,
    D.MED: 2,
    D.REC: 1,
    D.CL: 1,
    D.NURSE: 1,
}
GROUP_WEIGHTS: dict[str, int] = {D.PT: 2}

# The care-team place whose holder is the child's usual person of a discipline.
TEAM_ROLE_DISCIPLINE: dict[str, str] = {
    TeamRole.PRIMARY_PT: D.PT,
    TeamRole.PRIMARY_OT: D.OT,
    TeamRole.PRIMARY_PSYCHOLOGIST: D.PSY,
    TeamRole.SOCIAL_WORKER: D.SW,
    TeamRole.CHILD_LIFE: D.CL,
    TeamRole.ACUPUNCTURIST: D.ACU,
    TeamRole.RECREATIONAL_THERAPIST: D.REC,
    TeamRole.ATTENDING: D.MED,
    TeamRole.NURSE: D.NURSE,
}

# Staff roles whose discipline is prescribable: they deliver sessions.
THERAPY_ROLES: tuple[str, ...] = tuple(
    sorted(r for r, d in DISCIPLINE_OF_ROLE.items() if d in PRESCRIBABLE_DISCIPLINES)
)


def room_kinds(discipline: str, *, group: bool) -> tuple[str, ...]:
    if group and discipline in GROUP_ROOM_KINDS:
        return tuple(map(str, GROUP_ROOM_KINDS[discipline]))
    return tuple(map(str, ROOM_KINDS.get(discipline, ())))


def weight(discipline: str, *, group: bool) -> int:
    if group and discipline in GROUP_WEIGHTS:
        return GROUP_WEIGHTS[discipline]
    return WEIGHTS.get(discipline, 1)
