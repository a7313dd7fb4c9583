"""Waitlisting, admitting and changing the planned discharge of a stay."""

from django.http import HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from painrehab.accounts.choices import Role
from painrehab.accounts.decorators import roles
from painrehab.accounts.models import User
from painrehab.common.htmx import HtmxHttpRequest, is_partial
from painrehab.episodes import selectors, services
from painrehab.episodes.choices import Transition
from painrehab.episodes.forms import AdmitForm, ExtendForm, StayDatesForm, WaitlistForm
from painrehab.episodes.models import Episode, Stay
from painrehab.episodes.views.access import STAY_ROLES
from painrehab.episodes.views.common import (
    attempt,
    done,
    episode_context,
    posted,
    submitted,
    user_of,
)

JOURNEY = "episodes:journey"


def _waitlist(form: WaitlistForm, episode: Episode, user: User) -> bool:
    arguments = form.service_arguments()
    return attempt(
        form,
        lambda: services.episode_waitlist(episode=episode, by=user, **arguments),
    )


@require_http_methods(["GET", "POST"])
@roles(Role.COORDINATOR)
def waitlist_add(request: HtmxHttpRequest, episode_id: int) -> HttpResponse:
    """Put an accepted child on the waitlist, with a priority and a preferred start."""
    user = user_of(request)
    episode = selectors.episode_get(user=user, episode_id=episode_id)
    refusal = selectors.transition_refusal(
        episode=episode, transition=Transition.WAITLIST
    )
    form = WaitlistForm(posted(request), today=timezone.localdate())
    if submitted(request, form, refusal) and _waitlist(form, episode, user):
        return done(request, _("Added to the waitlist."), JOURNEY, episode.patient_id)
    context = {"form": form, **episode_context(episode, refusal)}
    return render(request, "episodes/waitlist_add.html", context)


def _admit(form: AdmitForm, episode: Episode, user: User) -> bool:
    data = form.cleaned_data
    return attempt(
        form,
        lambda: services.episode_admit(
            episode=episode,
            by=user,
            bed=data["bed"],
            admitted_on=data["admitted_on"],
            planned_discharge_on=data["planned_discharge_on"],
            care_team=form.care_team(),
            age_override_reason=data["age_override_reason"],
        ),
    )


def _stay_length(request: HtmxHttpRequest, episode: Episode) -> HttpResponse:
    """The planned length as the dates change (HTMX; dates travel in the body)."""
    context = {"episode": episode, "stay_days": StayDatesForm(request.POST).stay_days()}
    return render(request, "episodes/admit.html#stay-length", context)


@require_http_methods(["GET", "POST"])
@roles(Role.COORDINATOR)
def admit(request: HtmxHttpRequest, episode_id: int) -> HttpResponse:
    """Admit a waitlisted child: a free bed, the planned dates and the care team."""
    user = user_of(request)
    episode = selectors.episode_get(user=user, episode_id=episode_id)
    if is_partial(request, "stay-length"):
        return _stay_length(request, episode)
    refusal = selectors.transition_refusal(episode=episode, transition=Transition.ADMIT)
    options = selectors.admission_options(episode=episode)
    form = AdmitForm(posted(request), options=options, today=timezone.localdate())
    if submitted(request, form, refusal) and _admit(form, episode, user):
        return done(request, _("Admitted."), JOURNEY, episode.patient_id)
    context = {
        "form": form,
        "unit_full": not options.free_beds,
        "stay_days": form.stay_days(),
        **episode_context(episode, refusal),
    }
    return render(request, "episodes/admit.html", context)


def _extend(form: ExtendForm, stay: Stay | None, user: User) -> bool:
    if stay is None:  # the phase check has refused already
        return False
    data = form.cleaned_data
    return attempt(form, lambda: services.stay_extend(stay=stay, by=user, **data))


@require_http_methods(["GET", "POST"])
@roles(*STAY_ROLES)
def extend(request: HtmxHttpRequest, episode_id: int) -> HttpResponse:
    """Change the planned discharge date, with a reason; earlier changes are listed."""
    user = user_of(request)
    episode = selectors.episode_get(user=user, episode_id=episode_id)
    stay = selectors.episode_stay(episode=episode)
    refusal = selectors.phase_refusal(
        episode=episode, phases=selectors.INPATIENT_PHASES, action=_("extended")
    )
    initial = {"planned_discharge_on": stay.planned_discharge_on if stay else None}
    form = ExtendForm(posted(request), initial=initial)
    if submitted(request, form, refusal) and _extend(form, stay, user):
        message = _("Planned discharge changed.")
        return done(request, message, JOURNEY, episode.patient_id)
    context = {
        "form": form,
        "stay": stay,
        "day": stay.day_of_stay(timezone.localdate()) if stay else None,
        "extensions": selectors.stay_extensions(stay=stay) if stay else (),
        **episode_context(episode, refusal),
    }
    return render(request, "episodes/extend.html", context)
