"""The education library: every article, for family accounts, in their language."""

import pytest
from django.test import Client
from django.urls import reverse
from django.utils.html import escape
from django.utils.translation import override

from painrehab.accounts.choices import Role
from painrehab.common.testing import sign_in, staff
from painrehab.education.articles import article_get, article_list
from painrehab.portal.tests.support import family

pytestmark = pytest.mark.django_db

SPANISH_SENTENCE = (
    "El dolor es una de las maneras en que el cuerpo nos mantiene a salvo."
)


def test_the_library_lists_every_article_with_its_summary() -> None:
    fam = family(age=9, stage="none")
    response = fam.guardian_client().get(reverse("portal:learn"))
    assert response.status_code == 200
    page = response.content.decode()
    for article in article_list():
        assert reverse("portal:article", args=[article.slug]) in page
        assert escape(str(article.title)) in page
        assert escape(str(article.summary)) in page


def test_an_article_is_shown_in_full() -> None:
    fam = family(age=9, stage="none")
    article = article_get("responding-to-pain")
    url = reverse("portal:article", args=[article.slug])
    page = fam.guardian_client().get(url).content.decode()
    assert f'<h1 id="article-title">{escape(str(article.title))}</h1>' in page
    for text in article.strings():
        assert escape(str(text)) in page
    assert reverse("portal:article", args=["sleep"]) in page  # more to read


def test_an_unknown_article_is_the_404_of_a_missing_page() -> None:
    fam = family(age=9, stage="none")
    url = reverse("portal:article", args=["how-to-cure-pain-overnight"])
    assert fam.guardian_client().get(url).status_code == 404


def test_a_guardian_who_chose_spanish_reads_the_library_in_spanish() -> None:
    fam = family(age=9, stage="none")
    fam.guardian_user.preferred_language = "es"
    fam.guardian_user.save()
    client = fam.guardian_client()
    library = client.get(reverse("portal:learn")).content.decode()
    assert "Cómo funciona el dolor crónico" in library
    url = reverse("portal:article", args=["how-chronic-pain-works"])
    page = client.get(url).content.decode()
    assert SPANISH_SENTENCE in page
    assert "Pain is one of the ways the body keeps us safe." not in page
    with override("es"):
        for text in article_get("how-chronic-pain-works").strings():
            assert escape(str(text)) in page


def test_the_same_article_reads_in_english_by_default() -> None:
    fam = family(age=9, stage="none")
    url = reverse("portal:article", args=["how-chronic-pain-works"])
    page = fam.guardian_client().get(url).content.decode()
    assert "Pain is one of the ways the body keeps us safe." in page
    assert SPANISH_SENTENCE not in page


def test_a_teen_with_their_own_account_may_read_the_library() -> None:
    fam = family(age=14, teen_account=True, stage="none")
    client = fam.teen_client()
    assert client.get(reverse("portal:learn")).status_code == 200
    url = reverse("portal:article", args=["sleep"])
    assert client.get(url).status_code == 200


def test_staff_are_refused_and_anonymous_visitors_are_sent_to_sign_in() -> None:
    url = reverse("portal:article", args=["sleep"])
    clinician = sign_in(Client(), staff(Role.PHYSICIAN))
    assert clinician.get(reverse("portal:learn")).status_code == 403
    assert clinician.get(url).status_code == 403
    response = Client().get(url)
    assert response.status_code == 302
    assert "login" in response["Location"]
