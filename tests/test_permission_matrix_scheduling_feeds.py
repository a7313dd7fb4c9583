"""Permission matrix: the scheduling feeds pages (see test_permission_matrix)."""

import pytest

pytestmark = pytest.mark.django_db

# (page, args, roles allowed), as in tests/test_permission_matrix.py.
PAGES: list[tuple[str, str, frozenset[str]]] = []
PUBLIC: set[str] = set()  # token-protected pages open without signing in
