"""The demo staff roster: one fictional person per account, named after their role.

Usernames say what the person does, so a visitor can pick a point of view at the
sign-in page. ``pt3`` is deliberately on no care team: the "physiotherapist not on
the care team" persona.
"""

from dataclasses import dataclass

from painrehab.accounts.choices import Role


@dataclass(frozen=True)
class DemoStaff:
    """One staff account to create, with what is shown beside the name."""

    username: str
    role: Role
    first_name: str
    last_name: str
    credentials: str
    job_title: str

    @property
    def email(self) -> str:
        return f"{self.username}@example.com"


R = Role
# (username, role, name, credentials). The system administrator comes first: it
# creates everybody else.
_ROWS = (
    ("admin", R.SYSADMIN, "Priya Venkataraman", ""),
    ("coordinator", R.COORDINATOR, "Dana Whitfield", "RN, BSN"),
    ("director", R.DIRECTOR, "Martin Albrecht", "MD"),
    ("privacy", R.PRIVACY_OFFICER, "Helen Osei", "CHPC"),
    ("physician", R.PHYSICIAN, "Laura Brandt", "MD"),
    ("physician2", R.PHYSICIAN, "Omar Haddad", "DO"),
    ("psychologist", R.PSYCHOLOGIST, "Rebecca Lund", "PhD"),
    ("psychologist2", R.PSYCHOLOGIST, "Tomás Ibáñez", "PsyD"),
    ("pt", R.PHYSICAL_THERAPIST, "Jordan Pike", "PT, DPT"),
    ("pt2", R.PHYSICAL_THERAPIST, "Mei Tanaka", "PT, DPT, PCS"),
    ("pt3", R.PHYSICAL_THERAPIST, "Sam Okonkwo", "PT, DPT"),
    ("ot", R.OCCUPATIONAL_THERAPIST, "Kirsten Dahl", "OTR/L"),
    ("ot2", R.OCCUPATIONAL_THERAPIST, "Luis Fuentes", "MS, OTR/L"),
    ("socialworker", R.SOCIAL_WORKER, "Gloria Reyes", "LCSW"),
    ("socialworker2", R.SOCIAL_WORKER, "Aaron Feld", "MSW, ASW"),
    ("childlife", R.CHILD_LIFE, "Tessa Morrow", "CCLS"),
    ("childlife2", R.CHILD_LIFE, "Nadia Rahman", "MS, CCLS"),
    ("acupuncturist", R.ACUPUNCTURIST, "Wen Li", "LAc"),
    ("rectherapist", R.RECREATIONAL_THERAPIST, "Derek Voss", "CTRS"),
    ("rectherapist2", R.RECREATIONAL_THERAPIST, "Camille Dubois", "CTRS"),
    ("teacher", R.TEACHER, "Ruth Calloway", "MA, credentialed teacher"),
    ("nurse", R.NURSE, "Grace Adeyemi", "RN"),
    ("nurse2", R.NURSE, "Ben Kowalczyk", "BSN, RN"),
    ("nurse3", R.NURSE, "Lupe Herrera", "RN, CPN"),
    ("nurse4", R.NURSE, "Irene Castillo", "MSN, RN"),
)

ROLE_TITLES = {
    R.SYSADMIN: "System administrator",
    R.COORDINATOR: "Program coordinator",
    R.DIRECTOR: "Medical director, pediatric pain rehabilitation",
    R.PRIVACY_OFFICER: "Privacy officer",
    R.PHYSICIAN: "Attending physician, pediatric pain medicine",
    R.PSYCHOLOGIST: "Pediatric psychologist",
    R.PHYSICAL_THERAPIST: "Physical therapist",
    R.OCCUPATIONAL_THERAPIST: "Occupational therapist",
    R.SOCIAL_WORKER: "Clinical social worker",
    R.CHILD_LIFE: "Child Life specialist",
    R.ACUPUNCTURIST: "Licensed acupuncturist",
    R.RECREATIONAL_THERAPIST: "Recreational therapist",
    R.TEACHER: "Hospital school teacher",
    R.NURSE: "Staff nurse",
}
TITLE_OVERRIDES = {
    "physician2": "Attending physician, pediatric rehabilitation medicine",
    "pt2": "Physical therapist, pediatric clinical specialist",
    "pt3": "Physical therapist (float pool)",
    "socialworker2": "Associate clinical social worker",
    "nurse4": "Charge nurse",
}


def _staff(username: str, role: Role, name: str, credentials: str) -> DemoStaff:
    first_name, last_name = name.split(" ", 1)
    title = TITLE_OVERRIDES.get(username, ROLE_TITLES[role])
    return DemoStaff(username, role, first_name, last_name, credentials, title)


STAFF: tuple[DemoStaff, ...] = tuple(_staff(*row) for row in _ROWS)
