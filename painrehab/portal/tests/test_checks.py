"""The portal's settings are checked at start-up."""

from typing import Any

from painrehab.portal.checks import guardian_teen_list_is_valid


def test_the_default_list_is_valid() -> None:
    assert guardian_teen_list_is_valid(None) == []


def test_an_unknown_category_is_an_error(settings: Any) -> None:
    settings.PORTAL_GUARDIAN_TEEN_SEES = ["schedule", "shedule"]
    [error] = guardian_teen_list_is_valid(None)
    assert error.id == "painrehab.E101"
    assert "'shedule'" in error.msg


def test_listing_what_guardians_never_see_is_an_error(settings: Any) -> None:
    settings.PORTAL_GUARDIAN_TEEN_SEES = ["schedule", "confidential", "checkin"]
    [error] = guardian_teen_list_is_valid(None)
    assert error.id == "painrehab.E102"
    assert "checkin, confidential" in error.msg
