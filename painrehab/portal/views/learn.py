"""The education library: short articles for families, in their language.

Family accounts only; the articles hold no patient data, so nothing is audited.
An unknown article is the 404 of a missing page.
"""

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from painrehab.accounts.decorators import family
from painrehab.education.articles import ArticleNotFound, article_get, article_list


@require_GET
@family
def library(request: HttpRequest) -> HttpResponse:
    return render(request, "portal/learn.html", {"articles": article_list()})


@require_GET
@family
def article(request: HttpRequest, slug: str) -> HttpResponse:
    try:
        found = article_get(slug)
    except ArticleNotFound:
        raise Http404 from None
    others = [a for a in article_list() if a.slug != found.slug]
    return render(request, "portal/article.html", {"article": found, "others": others})
