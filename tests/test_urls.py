"""Default deny: every URL pattern declares who may use it."""

from collections.abc import Iterator

from django.contrib import admin
from django.urls import URLPattern, URLResolver, get_resolver

from painrehab.accounts.admin_site import PainRehabAdminSite

# The only pages anyone may open without signing in.
# The kiosk's closing page shows after the session is signed out; it holds no data.
# A calendar feed is fetched by calendar apps; the secret token in its address is
# the key, and anything but a live token gets a 404.
PUBLIC_PAGES = {
    "accounts:login",
    "accounts:verify",
    "accounts:enrol",
    "common:healthz",
    "instruments:kiosk_ended",
    "scheduling:feed",
    "portal:join",
    "portal:join_code",
    "portal:language",
}


def _patterns(
    resolver: URLResolver, namespace: str = ""
) -> Iterator[tuple[str, URLPattern]]:
    for entry in resolver.url_patterns:
        if isinstance(entry, URLResolver):
            inner = f"{namespace}:{entry.namespace}" if namespace else entry.namespace
            yield from _patterns(entry, inner or namespace)
        else:
            yield namespace, entry


def _name(namespace: str, pattern: URLPattern) -> str:
    return f"{namespace}:{pattern.name}" if namespace else str(pattern.name)


def test_every_url_pattern_declares_who_may_use_it() -> None:
    undeclared = [
        _name(ns, p)
        for ns, p in _patterns(get_resolver())
        if not ns.startswith("admin") and not hasattr(p.callback, "access_rule")
    ]
    assert undeclared == []


def test_the_admin_site_is_the_administrators_own() -> None:
    admin_urls = [p for ns, p in _patterns(get_resolver()) if ns.startswith("admin")]
    assert admin_urls, "the admin site is mounted"
    assert isinstance(admin.site, PainRehabAdminSite)


def test_only_sign_in_health_kiosk_goodbye_and_calendar_feeds_are_public() -> None:
    public = {
        _name(ns, p)
        for ns, p in _patterns(get_resolver())
        if getattr(p.callback, "access_rule", None) is not None
        and not p.callback.access_rule.needs_login
    }
    assert public == PUBLIC_PAGES
