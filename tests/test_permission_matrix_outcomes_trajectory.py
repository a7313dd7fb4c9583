"""The permission matrix of a child's outcome trajectory: every role, every page."""

from painrehab.accounts.choices import CLINICAL_ROLES

# (page, kind of argument, roles allowed).
PAGES: list[tuple[str, str, frozenset[str]]] = [
    ("outcomes:trajectory", "patient", CLINICAL_ROLES),
]
