from collections.abc import Callable, Iterator

import pytest
from django.urls import URLPattern, URLResolver, get_resolver


def _names(resolver: URLResolver, namespace: str = "") -> Iterator[str]:
    for entry in resolver.url_patterns:
        if isinstance(entry, URLResolver):
            inner = f"{namespace}:{entry.namespace}" if namespace else entry.namespace
            yield from _names(entry, inner or namespace)
        elif isinstance(entry, URLPattern) and entry.name:
            yield f"{namespace}:{entry.name}" if namespace else entry.name


@pytest.fixture
def urlconf_names() -> Callable[[], set[str]]:
    """All named URL patterns as ``namespace:name``."""
    return lambda: set(_names(get_resolver()))
