"""Group sessions: write one session, get one draft note per attending child."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_GET, require_http_methods

from painrehab.accounts.decorators import roles
from painrehab.common.htmx import HtmxHttpRequest
from painrehab.episodes.choices import OPEN_PHASES
from painrehab.notes import groups
from painrehab.notes.forms import GroupSessionForm
from painrehab.notes.templates_catalog import GROUP_LEADER_ROLES
from painrehab.notes.views._common import add_service_errors, user_of
from painrehab.patients.models import Patient

CREATED = _("One draft note per child is ready. Finish and sign each one on its own.")


@require_http_methods(["GET", "POST"])
@roles(*GROUP_LEADER_ROLES)
def group_new(request: HtmxHttpRequest) -> HttpResponse:
    """Record a group session: who attended and what the group did."""
    user = user_of(request)
    patients = (
        Patient.objects.visible_to(user)
        .filter(episodes__phase__in=sorted(OPEN_PHASES))
        .distinct()
        .order_by("family_name", "given_name")
    )
    form = GroupSessionForm(
        request.POST if request.method == "POST" else None, patients=patients
    )
    if form.is_bound and form.is_valid():
        try:
            session = groups.group_session_create(leader=user, **form.cleaned_data)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, CREATED)
            return redirect("notes:group_detail", session.pk)
    status = 400 if form.is_bound else 200
    return render(request, "notes/group_new.html", {"form": form}, status=status)


@require_GET
@roles(*GROUP_LEADER_ROLES)
def group_detail(request: HtmxHttpRequest, group_id: int) -> HttpResponse:
    """The leader's list of the session's notes, one per child."""
    session, notes = groups.group_session_get(user=user_of(request), group_id=group_id)
    return render(
        request, "notes/group_detail.html", {"session": session, "notes": notes}
    )
