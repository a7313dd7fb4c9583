"""The permission matrix of reports: every role, every page."""

from painrehab.accounts.choices import CLINICAL_ROLES

# (page, kind of argument, roles allowed).
PAGES: list[tuple[str, str, frozenset[str]]] = [
    ("outcomes:report_list", "patient", CLINICAL_ROLES),
    ("outcomes:report_create", "kind", CLINICAL_ROLES),
    ("outcomes:report_download", "report", CLINICAL_ROLES),
]
