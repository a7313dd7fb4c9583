"""The permission matrix of the program's outcome pages: every role, every page."""

from painrehab.accounts.choices import Role

PROGRAM = frozenset({Role.DIRECTOR, Role.COORDINATOR})

# (page, kind of argument, roles allowed).
PAGES: list[tuple[str, str, frozenset[str]]] = [
    ("outcomes:dashboard", "", PROGRAM),
    ("outcomes:cohort", "code", PROGRAM),
    ("outcomes:export", "", frozenset({Role.DIRECTOR})),
]
