"""Project-wide pytest configuration.

The shared fixtures (painrehab.common.testing) need Django, so they are loaded only
when pytest-django is active; ``pytest painrehab/domain -p no:django`` runs without.
"""

import pytest

pytest.register_assert_rewrite("painrehab.common.testing")


def pytest_configure(config: pytest.Config) -> None:
    if config.pluginmanager.has_plugin("django"):
        config.pluginmanager.import_plugin("painrehab.common.testing")
