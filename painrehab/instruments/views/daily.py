"""The chart's Check-in, Body map and Clinician measures tabs.

Each page is a short form beside what was recorded before. The forms live here
rather than in ``instruments.forms`` (the questionnaire forms) to keep the daily
pages in one place.
"""

from collections.abc import Callable
from decimal import Decimal
from typing import TYPE_CHECKING, Any, cast

from django import forms
from django.contrib import messages
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.http import HttpRequest, HttpResponse, QueryDict
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods

from painrehab.accounts.choices import CLINICAL_ROLES, Role
from painrehab.accounts.decorators import roles
from painrehab.accounts.models import User
from painrehab.common.forms import DateInput
from painrehab.common.htmx import HtmxHttpRequest
from painrehab.instruments import bodymap, daily
from painrehab.instruments.models import (
    MEASURE_RANGES,
    DailyRespondent,
    MeasureKind,
    Mood,
    SleepQuality,
)
from painrehab.patients import chart
from painrehab.patients.chart import ChartTab

if TYPE_CHECKING:
    from django.utils.functional import _StrOrPromise as StrOrPromise

MEASURE_ROLES = (
    Role.PHYSICAL_THERAPIST,
    Role.OCCUPATIONAL_THERAPIST,
    Role.PHYSICIAN,
    Role.NURSE,
    Role.TEACHER,
    Role.COORDINATOR,
)
YES_NO = [("yes", gettext_lazy("Yes")), ("no", gettext_lazy("No"))]


def register_chart_tabs() -> None:
    """Add the three tabs to the chart; ``InstrumentsConfig.ready`` calls this."""
    chart.register_tab(ChartTab("Check-in", "instruments:checkin", 30))
    chart.register_tab(ChartTab("Body map", "instruments:body_map", 31))
    chart.register_tab(
        ChartTab("Clinician measures", "instruments:clinician_measures", 32)
    )


# --- Forms -------------------------------------------------------------------


def _date(label: "StrOrPromise") -> forms.DateField:
    return forms.DateField(label=label, widget=DateInput())


def _radios(label: "StrOrPromise", choices: Any) -> forms.ChoiceField:
    return forms.ChoiceField(label=label, choices=choices, widget=forms.RadioSelect)


class CheckInForm(forms.Form):
    date = _date(gettext_lazy("Day"))
    pain_now = forms.TypedChoiceField(
        label=gettext_lazy("Pain right now (0 = no pain, 10 = worst pain)"),
        choices=[(n, str(n)) for n in range(11)],
        coerce=int,
        widget=forms.RadioSelect,
    )
    sleep_hours = forms.DecimalField(
        label=gettext_lazy("Hours of sleep last night"),
        max_digits=3,
        decimal_places=1,
        widget=forms.NumberInput(attrs={"step": "0.5", "min": "0", "max": "16"}),
    )
    sleep_quality = _radios(gettext_lazy("How was the sleep?"), SleepQuality.choices)
    mood = _radios(gettext_lazy("Mood today"), Mood.choices)
    goal_met = _radios(gettext_lazy("Was today's goal met?"), YES_NO)
    goal_text = forms.CharField(
        label=gettext_lazy("Today's goal"), required=False, max_length=200
    )
    respondent = _radios(gettext_lazy("Who answered?"), DailyRespondent.choices)

    def service_arguments(self) -> dict[str, Any]:
        data = dict(self.cleaned_data)
        data["on"] = data.pop("date")
        data["goal_met"] = data["goal_met"] == "yes"
        return data


class BodyMapForm(forms.Form):
    recorded_on = _date(gettext_lazy("Day"))
    regions = forms.MultipleChoiceField(
        label=gettext_lazy("Where does it hurt?"),
        choices=[(r.code, r.title) for r in bodymap.REGIONS],
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": daily.NO_REGIONS},
    )
    respondent = _radios(gettext_lazy("Who answered?"), DailyRespondent.choices)

    def service_arguments(self) -> dict[str, Any]:
        data = dict(self.cleaned_data)
        data["on"] = data.pop("recorded_on")
        return data

    def selected(self) -> set[str]:
        value = self["regions"].value() or []
        return {str(code) for code in value}


def _kind_label(kind: str, label: str) -> str:
    return f"{label} ({MEASURE_RANGES[kind].unit})"


class MeasureForm(forms.Form):
    measured_on = _date(gettext_lazy("Measured on"))
    kind = forms.ChoiceField(label=gettext_lazy("Measure"))
    value = forms.DecimalField(
        label=gettext_lazy("Value (days attended for school attendance)"),
        max_digits=6,
        decimal_places=1,
    )
    offered = forms.IntegerField(
        label=gettext_lazy("Days offered (school attendance only)"), required=False
    )

    def __init__(self, *args: Any, role: str, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        kinds = MeasureKind.choices
        if role == Role.TEACHER:  # the hospital teacher records school attendance
            kinds = [
                (MeasureKind.SCHOOL_ATTENDANCE, MeasureKind.SCHOOL_ATTENDANCE.label)
            ]
        field = cast(forms.ChoiceField, self.fields["kind"])
        field.choices = [(k, _kind_label(k, str(label))) for k, label in kinds]

    def service_arguments(self) -> dict[str, Any]:
        data = dict(self.cleaned_data)
        data["on"] = data.pop("measured_on")
        data["value"] = Decimal(data["value"])
        return data


# --- Helpers -----------------------------------------------------------------


def _user(request: HttpRequest) -> User:
    return cast(User, request.user)


def _posted(request: HttpRequest) -> QueryDict | None:
    return request.POST if request.method == "POST" else None


def _refuse(form: forms.Form, error: ValidationError) -> None:
    """Put a service's refusal next to the field it names, or above the form."""
    by_field = hasattr(error, "error_dict")
    texts = error.message_dict if by_field else {NON_FIELD_ERRORS: error.messages}
    for field, found in texts.items():
        form.add_error(field if field in form.fields else None, found)


def _saved(
    request: HttpRequest,
    form: forms.Form,
    found: daily.DailyChart,
    write: Callable[..., object],
) -> bool:
    """A valid POST written by ``write(episode=…, by=…, **arguments)``."""
    if request.method != "POST" or not form.is_valid():
        return False
    if found.episode is None:
        form.add_error(None, daily.NOT_OPEN)
        return False
    arguments = form.service_arguments()  # type: ignore[attr-defined]
    try:
        write(episode=found.episode, by=_user(request), **arguments)
    except ValidationError as error:
        _refuse(form, error)
        return False
    return True


def _done(
    request: HttpRequest, message: str, name: str, patient_id: int
) -> HttpResponse:
    messages.success(request, message)
    return redirect(name, patient_id)


def _page(found: daily.DailyChart, form: forms.Form, **extra: Any) -> dict[str, Any]:
    return {
        "patient": found.patient,
        "episode": found.episode,
        "form": form,
        **chart.header_context(found.patient),
        **extra,
    }


# --- Views -------------------------------------------------------------------


@require_http_methods(["GET", "POST"])
@roles(*CLINICAL_ROLES)
def checkin(request: HtmxHttpRequest, patient_id: int) -> HttpResponse:
    """Today's check-in in a few taps, beside the last seven days."""
    user = _user(request)
    found = daily.daily_chart_get(user=user, patient_id=patient_id)
    today = timezone.localdate()
    initial = {"date": today, "respondent": DailyRespondent.CHILD}
    form = CheckInForm(_posted(request), initial=initial)
    if _saved(request, form, found, daily.checkin_record):
        return _done(request, _("Check-in saved."), "instruments:checkin", patient_id)
    recent = daily.checkin_recent(user=user, chart=found, today=today)
    context = _page(found, form, recent=recent)
    return render(request, "instruments/daily_checkin.html", context)


@require_http_methods(["GET", "POST"])
@roles(*CLINICAL_ROLES)
def body_map(request: HtmxHttpRequest, patient_id: int) -> HttpResponse:
    """Mark where it hurts on a figure (or in the checkbox list), front and back."""
    found = daily.daily_chart_get(user=_user(request), patient_id=patient_id)
    initial = {"recorded_on": timezone.localdate(), "respondent": DailyRespondent.CHILD}
    form = BodyMapForm(_posted(request), initial=initial)
    if _saved(request, form, found, daily.body_map_record):
        return _done(request, _("Body map saved."), "instruments:body_map", patient_id)
    latest = daily.body_map_latest(user=_user(request), chart=found)
    sides = [(label, bodymap.regions_of(side)) for side, label in bodymap.SIDES]
    context = _page(
        found,
        form,
        latest=latest,
        latest_labels=[bodymap.REGION_BY_CODE[c].title for c in latest.regions]
        if latest
        else [],
        sides=sides,
        regions=bodymap.REGIONS,
        selected=form.selected(),
    )
    return render(request, "instruments/bodymap.html", context)


@require_http_methods(["GET", "POST"])
@roles(*MEASURE_ROLES)
def clinician_measures(request: HtmxHttpRequest, patient_id: int) -> HttpResponse:
    """The flowsheet (kinds by dates) and a form for one new value."""
    user = _user(request)
    found = daily.daily_chart_get(user=user, patient_id=patient_id)
    initial = {"measured_on": timezone.localdate()}
    form = MeasureForm(_posted(request), initial=initial, role=user.role)
    if _saved(request, form, found, daily.measure_record):
        message = _("Measure saved.")
        return _done(request, message, "instruments:clinician_measures", patient_id)
    flowsheet = daily.flowsheet_get(user=user, chart=found)
    context = _page(found, form, flowsheet=flowsheet)
    return render(request, "instruments/clinician_measures.html", context)
