"""Where a request came from, as the audit trail records it."""

from django.test import RequestFactory, override_settings

from painrehab.audit.context import client_address


def test_without_a_proxy_the_socket_address_counts() -> None:
    request = RequestFactory().get(
        "/", REMOTE_ADDR="10.1.2.3", HTTP_X_FORWARDED_FOR="6.6.6.6"
    )
    assert client_address(request) == "10.1.2.3"


@override_settings(BEHIND_PROXY=True)
def test_behind_the_proxy_only_its_own_entry_is_trusted() -> None:
    request = RequestFactory().get(
        "/", REMOTE_ADDR="10.0.0.1", HTTP_X_FORWARDED_FOR="6.6.6.6, 172.16.4.20"
    )
    assert client_address(request) == "172.16.4.20"
