"""The portal's front page: the children this account reaches."""

from typing import cast

from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET

from painrehab.accounts.decorators import family
from painrehab.accounts.models import User
from painrehab.portal.access import children_of


@require_GET
@family
def home(request: HttpRequest) -> HttpResponse:
    """One child: straight to their day. More than one: choose. None: say why."""
    children = children_of(cast(User, request.user))
    if len(children) == 1:
        return redirect("portal:today", patient_id=children[0].patient.pk)
    return render(request, "portal/home.html", {"children": children})
