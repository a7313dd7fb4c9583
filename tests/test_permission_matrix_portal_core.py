"""The permission matrix of the portal's own pages (home, notes, sharing).

Family pages about a child are checked with a guardian of that child, the child's
own teen account, another family's guardian and every staff role (see
``painrehab.portal.tests.matrix``).
"""

PAGES: list[tuple[str, str, frozenset[str]]] = [
    ("portal:home", "", frozenset()),
    ("portal:notes", "child", frozenset()),
    ("portal:sharing", "child", frozenset()),
]
