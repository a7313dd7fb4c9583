"""Adding, changing and reviewing goals."""

from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_http_methods

from painrehab.accounts.choices import CLINICAL_ROLES
from painrehab.accounts.decorators import roles
from painrehab.accounts.models import User
from painrehab.careplans import selectors, services
from painrehab.careplans.choices import GOAL_DISCIPLINES
from painrehab.careplans.forms import (
    GoalForm,
    GoalReviewForm,
    goal_initial,
    new_goal_initial,
    review_initial,
)
from painrehab.careplans.inputs import GoalFields
from painrehab.careplans.models import Goal
from painrehab.careplans.rules import Part, check_may_edit, editable_disciplines
from painrehab.careplans.views._common import (
    CONFLICT,
    add_service_errors,
    conflict,
    edit_page,
    is_stale,
    plan_url,
    user_of,
    with_version,
)
from painrehab.common.htmx import HtmxHttpRequest

ADDED = _("Goal added.")
SAVED = _("Goal saved.")
UNCHANGED = _("Nothing was changed.")
REVIEWED = _("Attainment recorded.")
NO_DISCIPLINE = "You have no discipline to add goals for."


def _disciplines(user: User) -> tuple[str, ...]:
    found = editable_disciplines(user, Part.GOAL, GOAL_DISCIPLINES)
    if not found:
        raise PermissionDenied(NO_DISCIPLINE)
    return found


@require_http_methods(["GET", "POST"])
@roles(*CLINICAL_ROLES)
def goal_add(request: HtmxHttpRequest, patient_id: int) -> HttpResponse:
    """A new goal for one of the disciplines the user may set goals for."""
    user = user_of(request)
    plan = selectors.plan_get(user=user, patient_id=patient_id)
    disciplines = _disciplines(user)
    template = "careplans/goal_form.html"
    if request.method == "GET":
        initial = new_goal_initial(selectors.plan_dates(plan).planned_discharge_on)
        form = GoalForm(initial=initial, disciplines=disciplines, editing=False)
        return edit_page(request, plan, template, {"form": form})
    form = GoalForm(request.POST, disciplines=disciplines, editing=False)
    if form.is_valid():
        try:
            services.goal_create(
                care_plan=plan,
                by=user,
                form_token=form.cleaned_data["form_token"],
                fields=form.values(),
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, ADDED)
            return redirect(plan_url(patient_id))
    return edit_page(request, plan, template, {"form": form}, status=400)


def _edit_disciplines(user: User, goal: Goal) -> tuple[str, ...]:
    found = editable_disciplines(user, Part.GOAL, GOAL_DISCIPLINES)
    return found if goal.discipline in found else (*found, goal.discipline)


@require_http_methods(["GET", "POST"])
@roles(*CLINICAL_ROLES)
def goal_edit(request: HtmxHttpRequest, patient_id: int, goal_id: int) -> HttpResponse:
    """Word, retarget, or change the status of a goal (never delete it)."""
    user = user_of(request)
    goal = selectors.goal_get(user=user, patient_id=patient_id, goal_id=goal_id)
    check_may_edit(user, Part.GOAL, goal.discipline)
    kwargs: dict[str, Any] = {
        "disciplines": _edit_disciplines(user, goal),
        "editing": True,
    }
    context: dict[str, Any] = {"goal": goal}
    template = "careplans/goal_form.html"
    if request.method == "GET":
        form = GoalForm(
            initial=goal_initial(GoalFields.of(goal), goal.version), **kwargs
        )
        return edit_page(request, goal.care_plan, template, {**context, "form": form})
    form = GoalForm(request.POST, **kwargs)
    if form.is_valid():
        try:
            saved = services.goal_change(
                goal=goal,
                by=user,
                version=form.cleaned_data["version"],
                fields=form.values(),
                reason=form.cleaned_data["reason"],
            )
        except ValidationError as error:
            if is_stale(error):
                return _goal_conflict(request, goal, kwargs)
            add_service_errors(form, error)
        else:
            changed = saved.version != form.cleaned_data["version"]
            messages.success(request, SAVED if changed else UNCHANGED)
            return redirect(plan_url(patient_id))
    context["form"] = form
    return edit_page(request, goal.care_plan, template, context, status=400)


def _goal_conflict(
    request: HtmxHttpRequest, goal: Goal, kwargs: dict[str, Any]
) -> HttpResponse:
    goal.refresh_from_db()
    form = GoalForm(with_version(request.POST, goal.version), **kwargs)
    form.is_valid()
    shown = conflict(
        subject="goal",
        names=GoalForm.COMPARED,
        theirs=GoalFields.of(goal).as_stored(),
        mine=form.values().as_stored(),
        change=selectors.last_change(goal.care_plan, "goal", goal.pk),
    )
    context = {"goal": goal, "form": form, "conflict": shown}
    return edit_page(
        request, goal.care_plan, "careplans/goal_form.html", context, status=CONFLICT
    )


@require_http_methods(["GET", "POST"])
@roles(*CLINICAL_ROLES)
def goal_review(
    request: HtmxHttpRequest, patient_id: int, goal_id: int
) -> HttpResponse:
    """Record goal attainment (-2…+2); a double click records one review."""
    user = user_of(request)
    goal = selectors.goal_get(user=user, patient_id=patient_id, goal_id=goal_id)
    check_may_edit(user, Part.GOAL, goal.discipline)
    template = "careplans/review_form.html"
    context: dict[str, Any] = {"goal": goal, "reviews": selectors.reviews_of(goal)}
    if request.method == "GET":
        context["form"] = GoalReviewForm(initial=review_initial())
        return edit_page(request, goal.care_plan, template, context)
    form = GoalReviewForm(request.POST)
    if form.is_valid():
        data = form.cleaned_data
        try:
            services.goal_review(
                goal=goal,
                by=user,
                form_token=data["form_token"],
                reviewed_on=data["reviewed_on"],
                score=data["score"],
                note=data["note"],
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, REVIEWED)
            return redirect(plan_url(patient_id))
    context["form"] = form
    return edit_page(request, goal.care_plan, template, context, status=400)
