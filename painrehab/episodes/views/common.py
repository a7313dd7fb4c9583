"""Small helpers every episode page shares."""

from collections.abc import Callable
from typing import Any, cast

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponseRedirect, QueryDict
from django.shortcuts import redirect

from painrehab.accounts.models import User
from painrehab.episodes.forms import refuse
from painrehab.episodes.models import Episode
from painrehab.patients import chart
from painrehab.patients.models import Patient


def user_of(request: HttpRequest) -> User:
    """The signed-in user; the role decorator has already turned others away."""
    return cast(User, request.user)


def posted(request: HttpRequest) -> QueryDict | None:
    """Form data on a POST (even an empty one, so it shows its errors)."""
    return request.POST if request.method == "POST" else None


def submitted(
    request: HttpRequest, form: forms.Form, refusal: str | None = None
) -> bool:
    """A POST the episode's phase allows, with valid input."""
    return request.method == "POST" and refusal is None and form.is_valid()


def attempt(form: forms.Form, write: Callable[[], object]) -> bool:
    """Run one service call; a refusal goes onto ``form``. True when it wrote."""
    try:
        write()
    except ValidationError as error:
        refuse(form, error)
        return False
    return True


def done(
    request: HttpRequest, message: str, url_name: str, *args: object
) -> HttpResponseRedirect:
    """Post/Redirect/Get with a success message."""
    messages.success(request, message)
    return redirect(url_name, *args)


def chart_context(patient: Patient) -> dict[str, Any]:
    """What the chart header and tabs need."""
    return {"patient": patient, **chart.header_context(patient)}


def episode_context(episode: Episode, refusal: str | None) -> dict[str, Any]:
    """Context of a page that acts on one episode; ``refusal`` disables its form."""
    return {"episode": episode, "refusal": refusal, **chart_context(episode.patient)}
