"""The permission matrix of these family-portal pages: every role, every page.

Progress and its chart are pages about one child (guardian or the teen's own
account); the education library is for every family account and holds no
patient data. Walked by the generic portal matrix test as staff, another family
and anonymous visitors; the guardian and teen behaviour is tested in
``painrehab/portal/tests/test_progress.py`` and ``test_learn.py``.
"""

PAGES: list[tuple[str, str, frozenset[str]]] = [
    ("portal:progress", "child", frozenset()),
    ("portal:progress_chart", "child", frozenset()),
    ("portal:learn", "", frozenset()),
    ("portal:article", "slug", frozenset()),
]
