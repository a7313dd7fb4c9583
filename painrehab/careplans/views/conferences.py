"""The weekly team conference: the list, planning one, starting it, adding a child
admitted since, closing it. One child's card and its forms are in
``views.conference_items``."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from painrehab.accounts.choices import CLINICAL_ROLES, Role
from painrehab.accounts.decorators import roles
from painrehab.careplans import selectors_conference as selectors
from painrehab.careplans.forms_conference import (
    AddChildForm,
    ConferenceForm,
    conference_initial,
)
from painrehab.careplans.services import conferences as services
from painrehab.careplans.views._common import add_service_errors, user_of
from painrehab.common.htmx import HtmxHttpRequest

LEAD_ROLES = tuple(sorted(services.LEAD_ROLES))
PLANNED = _("Team conference planned.")
STARTED = _("The conference has started: every child's agenda is ready.")
ADDED = _("Added to the agenda.")
CLOSED = _("The conference is closed; its record is kept as it is now.")


def conference_url(conference_id: int) -> str:
    return reverse("careplans:conference_detail", args=[conference_id])


@require_GET
@roles(*CLINICAL_ROLES)
def conference_list(request: HtmxHttpRequest) -> HttpResponse:
    """Upcoming and open conferences, then past ones."""
    user = user_of(request)
    context = {
        "page": selectors.conference_list(user=user),
        "may_plan": user.role == Role.COORDINATOR,
    }
    return render(request, "careplans/conference_list.html", context)


@require_http_methods(["GET", "POST"])
@roles(Role.COORDINATOR)
def conference_new(request: HtmxHttpRequest) -> HttpResponse:
    """Plan the conference of a day, with its chair; a double click plans one."""
    user = user_of(request)
    template = "careplans/conference_form.html"
    if request.method == "GET":
        form = ConferenceForm(initial=conference_initial(user))
        return render(request, template, {"form": form})
    form = ConferenceForm(request.POST)
    if form.is_valid():
        data = form.cleaned_data
        try:
            conference = services.conference_create(
                by=user,
                held_on=data["held_on"],
                chaired_by=data["chaired_by"],
                form_token=data["form_token"],
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, PLANNED)
            return redirect(conference_url(conference.pk))
    return render(request, template, {"form": form}, status=400)


@require_GET
@roles(*CLINICAL_ROLES)
def conference_detail(request: HtmxHttpRequest, conference_id: int) -> HttpResponse:
    """Every child's agenda card the user may see (a planned one: who is coming)."""
    page = selectors.conference_page(user=user_of(request), conference_id=conference_id)
    return render(request, "careplans/conference.html", {"page": page})


def _refused(request: HtmxHttpRequest, error: ValidationError) -> None:
    for message in error.messages:
        messages.error(request, message)


@require_POST
@roles(*LEAD_ROLES)
def conference_start(request: HtmxHttpRequest, conference_id: int) -> HttpResponse:
    """Planned → in progress: the agenda is built for every inpatient."""
    conference = selectors.conference_get(conference_id=conference_id)
    try:
        services.conference_start(conference=conference, by=user_of(request))
    except ValidationError as error:
        _refused(request, error)
    else:
        messages.success(request, STARTED)
    return redirect(conference_url(conference_id))


@require_POST
@roles(*LEAD_ROLES)
def conference_add_child(request: HtmxHttpRequest, conference_id: int) -> HttpResponse:
    """Put a child admitted since the start on the agenda."""
    user = user_of(request)
    conference = selectors.conference_get(conference_id=conference_id)
    form = AddChildForm(request.POST)
    if form.is_valid():
        episode = selectors.addable_episode(
            user=user, conference=conference, episode_id=form.cleaned_data["episode"]
        )
        try:
            services.conference_item_add(
                conference=conference, by=user, episode=episode
            )
        except ValidationError as error:
            _refused(request, error)
        else:
            messages.success(request, ADDED)
    return redirect(conference_url(conference_id))


@require_http_methods(["GET", "POST"])
@roles(*LEAD_ROLES)
def conference_close(request: HtmxHttpRequest, conference_id: int) -> HttpResponse:
    """Close the conference (after a confirmation naming what stays unreleased)."""
    user = user_of(request)
    if request.method == "POST":
        conference = selectors.conference_get(conference_id=conference_id)
        try:
            services.conference_close(conference=conference, by=user)
        except ValidationError as error:
            _refused(request, error)
        else:
            messages.success(request, CLOSED)
        return redirect(conference_url(conference_id))
    page = selectors.conference_page(user=user, conference_id=conference_id)
    unreleased = [c for c in page.cards if not (c.summary and c.summary.is_released)]
    context = {"page": page, "unreleased": unreleased}
    return render(request, "careplans/conference_close.html", context)
