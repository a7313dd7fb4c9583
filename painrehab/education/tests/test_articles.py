"""The articles of the education library and their Spanish translation."""

from pathlib import Path

import pytest
from django.utils.translation import override

from painrehab.education.articles import (
    ARTICLES,
    ArticleNotFound,
    article_get,
    article_list,
    translatable_strings,
)

MESSAGES = Path(__file__).resolve().parents[1] / "locale" / "es" / "LC_MESSAGES"


def test_the_library_has_the_six_articles_the_program_promised() -> None:
    assert [a.slug for a in article_list()] == [
        "how-chronic-pain-works",
        "why-function-comes-first",
        "sleep",
        "back-to-school",
        "responding-to-pain",
        "what-to-expect",
    ]


def test_each_article_is_short_300_to_500_words() -> None:
    with override("en"):
        counts = {a.slug: a.word_count for a in ARTICLES}
    assert all(300 <= n <= 500 for n in counts.values()), counts


def test_every_article_has_a_summary_and_sections_of_paragraphs() -> None:
    for article in ARTICLES:
        assert str(article.title) and str(article.summary)
        assert article.sections
        assert all(s.paragraphs and str(s.heading) for s in article.sections)


def test_every_article_string_has_a_spanish_translation() -> None:
    strings = translatable_strings()
    with override("en"):
        english = [str(s) for s in strings]
    with override("es"):
        spanish = [str(s) for s in strings]
    untranslated = [e for e, s in zip(english, spanish, strict=True) if not s or s == e]
    assert untranslated == []
    assert len(set(english)) == len(english) == 87


def test_the_message_file_is_committed_compiled_and_has_no_fuzzy_entry() -> None:
    po = (MESSAGES / "django.po").read_text(encoding="utf-8")
    assert "#, fuzzy" not in po
    assert (MESSAGES / "django.mo").stat().st_size > 0


def test_an_unknown_slug_is_refused() -> None:
    with pytest.raises(ArticleNotFound):
        article_get("not-an-article")
    assert article_get("sleep").slug == "sleep"
