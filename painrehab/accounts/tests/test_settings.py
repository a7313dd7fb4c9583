"""Password storage and the demo-mode guard."""

from django.conf import global_settings
from django.contrib.auth.hashers import PBKDF2PasswordHasher
from django.test import override_settings

import config.settings
from painrehab.accounts.checks import DEMO_WITHOUT_DEBUG, demo_mode_only_with_debug


def test_production_keeps_djangos_default_pbkdf2_hashing() -> None:
    assert not hasattr(config.settings, "PASSWORD_HASHERS")
    assert global_settings.PASSWORD_HASHERS[0].endswith("PBKDF2PasswordHasher")


def test_pbkdf2_iterations_meet_the_fips_guidance_floor() -> None:
    assert PBKDF2PasswordHasher.iterations >= 600_000


def test_staff_passwords_need_at_least_twelve_characters() -> None:
    lengths = [
        v["OPTIONS"]["min_length"]
        for v in config.settings.AUTH_PASSWORD_VALIDATORS
        if v["NAME"].endswith("MinimumLengthValidator")
    ]
    assert lengths == [12]


def test_demo_mode_without_debug_fails_the_system_check() -> None:
    with override_settings(DEMO_MODE=True, DEBUG=False):
        assert demo_mode_only_with_debug(None) == [DEMO_WITHOUT_DEBUG]
    with override_settings(DEMO_MODE=True, DEBUG=True):
        assert demo_mode_only_with_debug(None) == []
