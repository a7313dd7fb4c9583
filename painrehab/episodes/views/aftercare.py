"""Discharge, the step-down plan, clinic follow-ups and closing the episode."""

from django.contrib import messages
from django.forms.models import model_to_dict
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from painrehab.accounts.choices import Role
from painrehab.accounts.decorators import roles
from painrehab.accounts.models import User
from painrehab.common.htmx import HtmxHttpRequest
from painrehab.episodes import selectors, services
from painrehab.episodes.choices import Disposition, Transition
from painrehab.episodes.forms import (
    CloseForm,
    DischargeForm,
    FollowUpRecordForm,
    StepDownForm,
)
from painrehab.episodes.models import Episode, FollowUp, StepDownPlan
from painrehab.episodes.views.access import COORDINATOR, STAY_ROLES, STEP_DOWN_ROLES
from painrehab.episodes.views.common import (
    attempt,
    chart_context,
    done,
    episode_context,
    posted,
    submitted,
    user_of,
)

JOURNEY = "episodes:journey"
NO_PLAN = gettext_lazy("There is no step-down plan yet: it is made at discharge.")
PLAN_FIELDS = list(StepDownForm.base_fields)


def _discharge(form: DischargeForm, episode: Episode, user: User) -> bool:
    data = form.cleaned_data
    return attempt(
        form,
        lambda: services.episode_discharge(
            episode=episode,
            by=user,
            discharged_on=data["discharged_on"],
            disposition=Disposition(data["disposition"]),
            texts=form.texts(),
            step_down_weeks=data["step_down_weeks"],
        ),
    )


@require_http_methods(["GET", "POST"])
@roles(*STAY_ROLES)
def discharge(request: HtmxHttpRequest, episode_id: int) -> HttpResponse:
    """Discharge to step-down; afterwards the page shows the plan and the visits."""
    user = user_of(request)
    episode = selectors.episode_get(user=user, episode_id=episode_id)
    refusal = selectors.transition_refusal(
        episode=episode, transition=Transition.DISCHARGE
    )
    form = DischargeForm(posted(request), today=timezone.localdate())
    if submitted(request, form, refusal) and _discharge(form, episode, user):
        message = _("Discharged. Step-down and follow-up visits are planned.")
        return done(request, message, "episodes:discharge", episode.pk)
    context = {
        "form": form,
        "aftercare": selectors.aftercare_get(episode=episode),
        "can_record_follow_ups": True,  # the same roles as this page
        **episode_context(episode, refusal),
    }
    return render(request, "episodes/discharge.html", context)


def _save_plan(
    request: HtmxHttpRequest, form: StepDownForm, plan: StepDownPlan
) -> HttpResponse | None:
    """Save what changed; ``None`` when the service refused (errors are on ``form``)."""
    changes = form.changes()
    if not changes:
        messages.info(request, _("Nothing changed."))
        return redirect("episodes:step_down", plan.episode_id)
    user = user_of(request)
    if not attempt(
        form,
        lambda: services.step_down_plan_update(plan=plan, by=user, changes=changes),
    ):
        return None
    message = _("Step-down plan saved.")
    return done(request, message, "episodes:step_down", plan.episode_id)


def _plan_refusal(episode: Episode, plan: StepDownPlan | None) -> str | None:
    if plan is None:
        return str(NO_PLAN)
    return selectors.phase_refusal(
        episode=episode, phases=selectors.STEP_DOWN_PHASES, action=_("changed")
    )


@require_http_methods(["GET", "POST"])
@roles(*STEP_DOWN_ROLES)
def step_down(request: HtmxHttpRequest, episode_id: int) -> HttpResponse:
    """Tailor the weekly outpatient sessions after discharge."""
    user = user_of(request)
    episode = selectors.episode_get(user=user, episode_id=episode_id)
    aftercare = selectors.aftercare_get(episode=episode)
    plan = aftercare.step_down
    refusal = _plan_refusal(episode, plan)
    initial = model_to_dict(plan, fields=PLAN_FIELDS) if plan else None
    form = StepDownForm(posted(request), initial=initial)
    if plan and submitted(request, form, refusal):
        response = _save_plan(request, form, plan)
        if response is not None:
            return response
    context = {
        "form": form,
        "aftercare": aftercare,
        "can_complete": user.role in COORDINATOR and refusal is None,
        "can_record_follow_ups": user.role in STAY_ROLES,
        **episode_context(episode, refusal),
    }
    return render(request, "episodes/step_down.html", context)


@require_POST
@roles(Role.COORDINATOR)
def step_down_complete(request: HtmxHttpRequest, episode_id: int) -> HttpResponse:
    """The weekly sessions have ended: the child moves on to clinic follow-up."""
    user = user_of(request)
    episode = selectors.episode_get(user=user, episode_id=episode_id)
    refusal = selectors.transition_refusal(
        episode=episode, transition=Transition.START_FOLLOW_UP
    )
    if refusal is not None:
        messages.error(request, refusal)
        return redirect("episodes:step_down", episode.pk)
    services.episode_start_follow_up(episode=episode, by=user)
    message = _("Step-down completed; clinic follow-up has started.")
    return done(request, message, JOURNEY, episode.patient_id)


@require_GET
@roles(Role.COORDINATOR)
def follow_ups(request: HtmxHttpRequest) -> HttpResponse:
    """Visits due in the next 30 days, overdue ones and missed ones."""
    lines = selectors.follow_up_list(user=user_of(request), today=timezone.localdate())
    return render(request, "episodes/follow_ups.html", {"lines": lines})


def _after_recording(
    request: HtmxHttpRequest, form: FollowUpRecordForm, visit: FollowUp
) -> HttpResponse:
    message = _("Follow-up recorded.")
    back_to_list = form.cleaned_data.get("return_to") == "follow_ups"
    if back_to_list and user_of(request).role in COORDINATOR:
        return done(request, message, "episodes:follow_ups")
    return done(request, message, JOURNEY, visit.episode.patient_id)


def _record(form: FollowUpRecordForm, visit: FollowUp, user: User) -> bool:
    arguments = form.service_arguments()
    return attempt(
        form,
        lambda: services.follow_up_record(follow_up=visit, by=user, **arguments),
    )


@require_http_methods(["GET", "POST"])
@roles(*STAY_ROLES)
def follow_up_record(request: HtmxHttpRequest, follow_up_id: int) -> HttpResponse:
    """Record a clinic visit as seen (with the date), missed or cancelled."""
    user = user_of(request)
    visit = selectors.follow_up_get(user=user, follow_up_id=follow_up_id)
    initial = {"return_to": request.GET.get("return_to", "journey")}
    form = FollowUpRecordForm(posted(request), initial=initial)
    if submitted(request, form) and _record(form, visit, user):
        return _after_recording(request, form, visit)
    context = {"form": form, "visit": visit, **chart_context(visit.episode.patient)}
    return render(request, "episodes/follow_up_record.html", context)


def _close(form: CloseForm, episode: Episode, user: User) -> bool:
    reason = form.cleaned_data["reason"]
    return attempt(
        form, lambda: services.episode_close(episode=episode, by=user, reason=reason)
    )


@require_http_methods(["GET", "POST"])
@roles(Role.COORDINATOR)
def close(request: HtmxHttpRequest, episode_id: int) -> HttpResponse:
    """Close the journey: after follow-up, after a decline, or when withdrawn."""
    user = user_of(request)
    episode = selectors.episode_get(user=user, episode_id=episode_id)
    refusal = selectors.transition_refusal(episode=episode, transition=Transition.CLOSE)
    form = CloseForm(posted(request))
    if submitted(request, form, refusal) and _close(form, episode, user):
        return done(request, _("Episode closed."), JOURNEY, episode.patient_id)
    context = {"form": form, **episode_context(episode, refusal)}
    return render(request, "episodes/close.html", context)
