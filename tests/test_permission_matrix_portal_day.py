"""The permission matrix of these family-portal pages: every role, every page."""

PAGES: list[tuple[str, str, frozenset[str]]] = []
