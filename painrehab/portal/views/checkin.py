"""The teen's daily check-in in the portal (a guardian sees the withheld notice)."""

from typing import TYPE_CHECKING, Any

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db import IntegrityError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods

from painrehab.accounts.decorators import family
from painrehab.audit.actions import DataCategory
from painrehab.domain.proxy import Category
from painrehab.episodes.choices import Phase
from painrehab.instruments import daily
from painrehab.instruments.models import (
    DailyCheckIn,
    DailyRespondent,
    Mood,
    SleepQuality,
)
from painrehab.portal.access import PortalChild, audit_viewed, child_get
from painrehab.portal.views.base import render_child
from painrehab.portal.views.questionnaires import _user

if TYPE_CHECKING:
    from django.utils.functional import _StrOrPromise as StrOrPromise


YES_NO = [("yes", gettext_lazy("Yes")), ("no", gettext_lazy("No"))]


def _radios(label: "StrOrPromise", choices: Any, **kwargs: Any) -> forms.ChoiceField:
    return forms.ChoiceField(
        label=label, choices=choices, widget=forms.RadioSelect, **kwargs
    )


class CheckInForm(forms.Form):
    """Today's check-in in the teen's own words; the day is always today."""

    pain_now = forms.TypedChoiceField(
        label=gettext_lazy("How much does it hurt right now?"),
        help_text=gettext_lazy("0 means no pain. 10 means the worst pain."),
        choices=[(n, str(n)) for n in range(11)],
        coerce=int,
        widget=forms.RadioSelect,
    )
    sleep_hours = forms.DecimalField(
        label=gettext_lazy("How many hours did you sleep last night?"),
        min_value=0,
        max_value=16,
        max_digits=3,
        decimal_places=1,
        widget=forms.NumberInput(
            attrs={"step": "0.5", "min": "0", "max": "16", "inputmode": "decimal"}
        ),
    )
    sleep_quality = _radios(gettext_lazy("How did you sleep?"), SleepQuality.choices)
    mood = _radios(gettext_lazy("How do you feel today?"), Mood.choices)
    goal_met = _radios(gettext_lazy("Did you meet today's goal?"), YES_NO)
    goal_text = forms.CharField(
        label=gettext_lazy("What was today's goal?"),
        help_text=gettext_lazy("You can leave this empty."),
        required=False,
        max_length=200,
    )

    def service_arguments(self) -> dict[str, Any]:
        data = dict(self.cleaned_data)
        data["goal_met"] = data["goal_met"] == "yes"
        return data


@require_http_methods(["GET", "POST"])
@family
def checkin(request: HttpRequest, patient_id: int) -> HttpResponse:
    """The teen's check-in for today; a guardian is told it is the teen's own."""
    child = child_get(request, patient_id)
    audit_viewed(
        child,
        page="portal:checkin",
        data_category=DataCategory.EPISODE,
        shown=[Category.CHECKIN],
    )
    if not child.sees(Category.CHECKIN):
        if request.method == "POST":
            raise Http404
        return _checkin_page(request, child, {"shown": False})
    form = CheckInForm(request.POST if request.method == "POST" else None)
    if request.method == "POST":
        done = _checkin_saved(request, child, form)
        if done is not None:
            return done
    return _checkin_page(request, child, {"shown": True, "form": form})


def _inpatient(child: PortalChild) -> bool:
    episode = child.episode
    return episode is not None and episode.phase == Phase.INPATIENT


def _checkin_saved(
    request: HttpRequest, child: PortalChild, form: CheckInForm
) -> HttpResponse | None:
    """Save a valid check-in and redirect; ``None`` to show the form again."""
    if not _inpatient(child) or not form.is_valid():
        return None
    back = redirect("portal:checkin", child.patient.pk)
    try:
        daily.checkin_record(
            episode=child.episode,  # type: ignore[arg-type]
            on=timezone.localdate(),
            respondent=DailyRespondent.CHILD,
            by=_user(request),
            **form.service_arguments(),
        )
    except IntegrityError:  # a double tap that reached the database twice
        messages.info(request, _("You have already checked in today. Thank you!"))
        return back
    except ValidationError as error:
        if "date" in getattr(error, "error_dict", {}):
            messages.info(request, _("You have already checked in today. Thank you!"))
            return back
        _refuse(form, error)
        return None
    messages.success(request, _("Thank you! Your check-in is saved."))
    return back


def _refuse(form: CheckInForm, error: ValidationError) -> None:
    """Put a service's refusal next to the field it names, or above the form."""
    if not hasattr(error, "error_dict"):
        form.add_error(None, _("Your check-in could not be saved."))
        return
    for field, texts in error.message_dict.items():
        form.add_error(field if field in form.fields else None, texts)


def _checkin_page(
    request: HttpRequest, child: PortalChild, context: dict[str, Any]
) -> HttpResponse:
    context["withheld"] = child.withheld_text(Category.CHECKIN)
    if context["shown"]:
        context.update(_recent(child, request))
    return render_child(
        request,
        "portal/checkin.html",
        child,
        current="checkin",
        context=context,
    )


def _recent(child: PortalChild, request: HttpRequest) -> dict[str, Any]:
    """The teen's own check-ins of the last seven days (an audited read)."""
    open_now = _inpatient(child)
    if child.episode is None:
        return {"open": False, "recent": [], "today_entry": None}
    today = timezone.localdate()
    chart = daily.DailyChart(patient=child.patient, episode=child.episode)
    recent: list[DailyCheckIn] = daily.checkin_recent(
        user=_user(request), chart=chart, today=today
    )
    today_entry = next((c for c in recent if c.date == today), None)
    return {"open": open_now, "recent": recent, "today_entry": today_entry}
