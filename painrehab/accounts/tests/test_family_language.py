"""A family member's language applies to their own requests only."""

import pytest
from django.urls import reverse
from django.utils import translation

from painrehab.portal.tests.support import family

pytestmark = pytest.mark.django_db


def test_a_spanish_request_leaves_the_thread_in_its_own_language() -> None:
    fam = family(age=9)
    fam.guardian_user.preferred_language = "es"
    fam.guardian_user.save(update_fields=["preferred_language"])
    with translation.override("en"):
        response = fam.guardian_client().get(
            reverse("portal:today", args=[fam.child.pk])
        )
        assert response["Content-Language"] == "es"
        assert '<html lang="es">' in response.content.decode()
        # The next thing this thread renders (e.g. the 500 page) is not Spanish.
        assert translation.get_language() == "en"
