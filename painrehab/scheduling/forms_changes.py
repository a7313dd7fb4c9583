"""Input parsing for manual changes, absences and attendance; the rules are the
services'.

Forms carry the ``version`` of the row the user saw (a change made meanwhile is
caught by the service) and creation forms a ``form_token`` (a double click
records once). A session to swap with is chosen as ``"<pk>:<version>"``.
"""

import uuid
from typing import Any, cast

from django import forms
from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from painrehab.accounts.choices import DISCIPLINE_OF_ROLE, STAFF_ROLES
from painrehab.accounts.models import User
from painrehab.common.forms import DateInput
from painrehab.scheduling.choices import AbsenceReason, AttendanceStatus
from painrehab.scheduling.models import Room

SLOT_SECONDS = 15 * 60


class TimeInput(forms.TimeInput):
    """A native time picker on the 15-minute grid."""

    input_type = "time"

    def __init__(self) -> None:
        super().__init__(attrs={"step": str(SLOT_SECONDS)}, format="%H:%M")


def person_name(user: User) -> str:
    return user.get_full_name() or user.get_username()


class PersonChoice(forms.ModelChoiceField):  # type: ignore[type-arg]
    def label_from_instance(self, obj: User) -> str:
        return person_name(obj)


class PeopleChoice(forms.ModelMultipleChoiceField):  # type: ignore[type-arg]
    def label_from_instance(self, obj: User) -> str:
        return person_name(obj)


def staff_of(discipline: str) -> QuerySet[User]:
    """Active staff with shifts who practise ``discipline`` (profile, else role)."""
    roles = [role for role, d in DISCIPLINE_OF_ROLE.items() if d == discipline]
    return (
        User.objects.filter(is_active=True, shifts__isnull=False)
        .filter(
            Q(staff_profile__discipline=discipline)
            | Q(staff_profile__isnull=True, role__in=roles)
        )
        .distinct()
        .order_by("last_name", "first_name", "pk")
    )


class MoveForm(forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput)
    day = forms.DateField(label=_("Day"), widget=DateInput())
    start = forms.TimeField(label=_("From"), widget=TimeInput())
    staff = PeopleChoice(
        label=_("With"),
        queryset=User.objects.none(),
        help_text=_("Hold Ctrl (or Cmd) to choose more than one person."),
    )
    room = forms.ModelChoiceField(
        label=_("Room"), queryset=Room.objects.none(), required=False
    )

    def __init__(self, *args: Any, discipline: str, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        cast(PeopleChoice, self.fields["staff"]).queryset = staff_of(discipline)
        rooms = cast(forms.ModelChoiceField, self.fields["room"])  # type: ignore[type-arg]
        rooms.queryset = Room.objects.filter(active=True).order_by("name")
        rooms.empty_label = _("No room")


class SessionChoice(forms.ChoiceField):
    """A session as ``"<pk>:<version>"``; any version of a listed one is valid
    here, so a change made meanwhile reaches the service as a stale version."""

    def valid_value(self, value: Any) -> bool:
        pk, sep, version = str(value).partition(":")
        offered = cast(list[tuple[str, str]], self.choices)
        listed = any(key.partition(":")[0] == pk for key, _label in offered if key)
        return bool(sep) and version.isdigit() and listed


class SwapForm(forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput)
    other = SessionChoice(label=_("Swap times with"))

    def __init__(
        self, *args: Any, others: list[tuple[str, str]], **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        field = cast(SessionChoice, self.fields["other"])
        field.choices = [("", _("Choose a session")), *others]

    def other_session(self) -> tuple[int, int]:
        """The chosen session's pk and the version the user saw."""
        pk, _sep, version = self.cleaned_data["other"].partition(":")
        return int(pk), int(version)


class LockForm(forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput)
    locked = forms.BooleanField(required=False, widget=forms.HiddenInput)
    next = forms.CharField(required=False, widget=forms.HiddenInput)


class AttendanceForm(forms.Form):
    """One child's attendance; the page prefixes each child's form (``a<pk>``)."""

    version = forms.IntegerField(widget=forms.HiddenInput)
    status = forms.ChoiceField(
        label=_("Attendance"), choices=AttendanceStatus.choices, widget=forms.Select
    )
    reason = forms.CharField(
        label=_("Reason"),
        required=False,
        max_length=200,
        help_text=_("Needed for partly attended, missed or refused."),
    )


class AbsenceForm(forms.Form):
    staff = PersonChoice(label=_("Staff member"), queryset=User.objects.none())
    day = forms.DateField(label=_("Day"), widget=DateInput())
    start = forms.TimeField(
        label=_("From"),
        required=False,
        widget=TimeInput(),
        help_text=_("Leave both times empty for the whole day."),
    )
    end = forms.TimeField(label=_("Until"), required=False, widget=TimeInput())
    reason = forms.ChoiceField(label=_("Reason"), choices=AbsenceReason.choices)
    note = forms.CharField(label=_("Note"), required=False, max_length=200)
    form_token = forms.UUIDField(widget=forms.HiddenInput)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        cast(PersonChoice, self.fields["staff"]).queryset = (
            User.objects.filter(role__in=sorted(STAFF_ROLES), is_active=True)
            .filter(shifts__isnull=False)
            .distinct()
            .order_by("last_name", "first_name", "pk")
        )


def absence_initial() -> dict[str, Any]:
    return {"day": timezone.localdate(), "form_token": uuid.uuid4()}
