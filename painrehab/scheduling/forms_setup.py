"""Input parsing for the set-up pages; the rules are ``services.setup``'s.

The week of shifts and the day template's blocks are grids of rows. Each row has
a key (``d<weekday>_<n>`` for a shift, ``b<n>`` for a block) and its fields are
``<key>_start``, ``<key>_end`` (and a block's ``<key>_label``, ``<key>_fixed``),
which is where the services' messages for that row go. A row left empty is no
row. How many rows a page shows travels with the form, so a re-shown form keeps
every row the user filled.
"""

import datetime as dt
import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from django import forms
from django.utils.translation import gettext_lazy as _

from painrehab.accounts.choices import Discipline
from painrehab.careplans.choices import PRESCRIBABLE_DISCIPLINES, Weekday
from painrehab.scheduling.choices import RoomKind
from painrehab.scheduling.models import WEEKDAYS, DayTemplate, Room, TherapyGroup
from painrehab.scheduling.selectors_setup import StaffWeek, group_fingerprint
from painrehab.scheduling.services.setup import (
    BlockRow,
    GroupFields,
    RoomFields,
    ShiftRow,
    TemplateFields,
)

if TYPE_CHECKING:
    from django.utils.functional import _StrOrPromise as StrOrPromise

# Rows a grid shows beyond those in use, and at most.
SPARE_ROWS = 2
MAX_ROWS = 12


class TimeInput(forms.TimeInput):
    """A native time picker (``HH:MM``, whatever the page's language)."""

    input_type = "time"

    def __init__(self, attrs: dict[str, str] | None = None) -> None:
        super().__init__(attrs=attrs, format="%H:%M")


def _time_field(label: "StrOrPromise") -> forms.TimeField:
    return forms.TimeField(label=label, required=False, widget=TimeInput())


def _rows(data: Any, initial: int) -> int:
    """How many rows the grid has: as posted, else ``initial``."""
    try:
        posted = int(data.get("rows", "")) if data is not None else initial
    except ValueError:
        posted = initial
    return max(1, min(MAX_ROWS, posted))


# --- Rooms ------------------------------------------------------------------------


class RoomForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=60, required=False)
    kinds = forms.MultipleChoiceField(
        label=_("Kinds of session"),
        choices=RoomKind.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("The sessions this room serves."),
    )
    capacity = forms.IntegerField(
        label=_("Patients at once"),
        required=False,
        help_text=_("1 for a treatment room; the group size for a gym."),
    )
    active = forms.BooleanField(
        label=_("In use"),
        required=False,
        help_text=_("A room out of use gets no new sessions."),
    )
    version = forms.IntegerField(min_value=0, required=False, widget=forms.HiddenInput)
    form_token = forms.UUIDField(required=False, widget=forms.HiddenInput)

    def fields_value(self) -> RoomFields:
        data = self.cleaned_data
        return RoomFields(
            name=data["name"],
            kinds=tuple(data["kinds"]),
            capacity=data["capacity"],
            active=data["active"],
        )


def room_initial(room: Room | None) -> dict[str, Any]:
    if room is None:
        return {"active": True, "capacity": 1, "form_token": uuid.uuid4()}
    return {
        "name": room.name,
        "kinds": room.kinds,
        "capacity": room.capacity,
        "active": room.active,
        "version": room.version,
    }


# --- Groups -----------------------------------------------------------------------


class GroupForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=80, required=False)
    discipline = forms.ChoiceField(
        label=_("Discipline"),
        choices=[(d.value, d.label) for d in PRESCRIBABLE_DISCIPLINES],
    )
    label = forms.CharField(
        label=_("Prescription name"),
        max_length=80,
        required=False,
        help_text=_("Group prescriptions with this name join this group."),
    )
    min_age = forms.IntegerField(label=_("From age"), required=False)
    max_age = forms.IntegerField(label=_("To age"), required=False)
    max_patients = forms.IntegerField(label=_("At most (patients)"), required=False)
    staff_required = forms.IntegerField(label=_("Staff needed"), required=False)
    active = forms.BooleanField(label=_("In use"), required=False)
    fingerprint = forms.CharField(required=False, widget=forms.HiddenInput)
    form_token = forms.UUIDField(required=False, widget=forms.HiddenInput)

    def fields_value(self) -> GroupFields:
        data = self.cleaned_data
        return GroupFields(
            name=data["name"],
            discipline=data["discipline"],
            label=data["label"],
            min_age=data["min_age"],
            max_age=data["max_age"],
            max_patients=data["max_patients"],
            staff_required=data["staff_required"],
            active=data["active"],
        )


def group_initial(group: TherapyGroup | None) -> dict[str, Any]:
    if group is None:
        return {
            "discipline": Discipline.PT,
            "min_age": 7,
            "max_age": 19,
            "max_patients": 8,
            "staff_required": 1,
            "active": True,
            "form_token": uuid.uuid4(),
        }
    return {
        "name": group.name,
        "discipline": group.discipline,
        "label": group.label,
        "min_age": group.min_age,
        "max_age": group.max_age,
        "max_patients": group.max_patients,
        "staff_required": group.staff_required,
        "active": group.active,
        "fingerprint": group_fingerprint(group),
    }


# --- A person's week --------------------------------------------------------------


@dataclass(frozen=True)
class GridRow:
    """One row of a grid as the template shows it: its number and bound fields."""

    number: int
    fields: tuple[forms.BoundField, ...]


@dataclass(frozen=True)
class WeekDay:
    label: str
    rows: tuple[GridRow, ...]


class WeekForm(forms.Form):
    """Every weekday's shifts: ``rows`` pairs of from/until a day."""

    fingerprint = forms.CharField(widget=forms.HiddenInput)
    rows = forms.IntegerField(min_value=1, max_value=MAX_ROWS, widget=forms.HiddenInput)

    def __init__(self, *args: Any, rows: int, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.row_count = _rows(self.data if self.is_bound else None, rows)
        for weekday in range(WEEKDAYS):
            for n in range(self.row_count):
                number = n + 1
                key = f"d{weekday}_{n}"
                self.fields[f"{key}_start"] = _time_field(
                    _("Shift %(n)s from") % {"n": number}
                )
                self.fields[f"{key}_end"] = _time_field(
                    _("Shift %(n)s until") % {"n": number}
                )

    def days(self) -> list[WeekDay]:
        return [
            WeekDay(
                label=str(Weekday(weekday).label),
                rows=tuple(
                    GridRow(
                        n + 1,
                        (self[f"d{weekday}_{n}_start"], self[f"d{weekday}_{n}_end"]),
                    )
                    for n in range(self.row_count)
                ),
            )
            for weekday in range(WEEKDAYS)
        ]

    def shift_rows(self) -> list[ShiftRow]:
        data = self.cleaned_data
        found = []
        for weekday in range(WEEKDAYS):
            for n in range(self.row_count):
                key = f"d{weekday}_{n}"
                start, end = data.get(f"{key}_start"), data.get(f"{key}_end")
                if start is not None or end is not None:
                    found.append(ShiftRow(key, start, end, weekday=weekday))
        return found


def week_initial(week: StaffWeek) -> tuple[dict[str, Any], int]:
    """The form's values and how many rows a day it shows."""
    rows = min(MAX_ROWS, max(len(day) for day in week.days) + SPARE_ROWS)
    initial: dict[str, Any] = {"fingerprint": week.fingerprint, "rows": rows}
    for weekday, shifts in enumerate(week.days):
        for n, shift in enumerate(shifts):
            initial[f"d{weekday}_{n}_start"] = shift.start
            initial[f"d{weekday}_{n}_end"] = shift.end
    return initial, rows


# --- The day template -------------------------------------------------------------


class TemplateForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=80, required=False)
    earliest = _time_field(_("First session from"))
    latest = _time_field(_("Last session ends by"))
    max_consecutive_minutes = forms.IntegerField(
        label=_("Longest run of sessions (minutes)"),
        required=False,
        help_text=_("Sessions back to back without a break, at most. Empty: no limit."),
    )
    min_break_minutes = forms.IntegerField(
        label=_("Shortest break between runs (minutes)"),
        required=False,
        help_text=_("Sessions closer than this count as one run. Empty: any gap."),
    )
    version = forms.IntegerField(min_value=0, widget=forms.HiddenInput)
    rows = forms.IntegerField(min_value=1, max_value=MAX_ROWS, widget=forms.HiddenInput)

    def __init__(self, *args: Any, rows: int, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.row_count = _rows(self.data if self.is_bound else None, rows)
        for n in range(self.row_count):
            key = f"b{n}"
            number = {"n": n + 1}
            self.fields[f"{key}_label"] = forms.CharField(
                label=_("Block %(n)s: what") % number, max_length=80, required=False
            )
            self.fields[f"{key}_start"] = _time_field(_("Block %(n)s from") % number)
            self.fields[f"{key}_end"] = _time_field(_("Block %(n)s until") % number)
            self.fields[f"{key}_fixed"] = forms.BooleanField(
                label=_("Block %(n)s keeps therapy out") % number, required=False
            )

    def block_grid(self) -> list[GridRow]:
        names = ("label", "start", "end", "fixed")
        return [
            GridRow(n + 1, tuple(self[f"b{n}_{name}"] for name in names))
            for n in range(self.row_count)
        ]

    def fields_value(self) -> TemplateFields:
        data = self.cleaned_data
        return TemplateFields(
            name=data["name"],
            earliest=data["earliest"],
            latest=data["latest"],
            max_consecutive_minutes=data["max_consecutive_minutes"],
            min_break_minutes=data["min_break_minutes"],
        )

    def block_rows(self) -> list[BlockRow]:
        data = self.cleaned_data
        found = []
        for n in range(self.row_count):
            key = f"b{n}"
            label: str = data.get(f"{key}_label") or ""
            start: dt.time | None = data.get(f"{key}_start")
            end: dt.time | None = data.get(f"{key}_end")
            if label.strip() or start is not None or end is not None:
                fixed = bool(data.get(f"{key}_fixed"))
                found.append(BlockRow(key, start, end, label=label, fixed=fixed))
        return found


def template_initial(template: DayTemplate | None) -> tuple[dict[str, Any], int]:
    if template is None:
        return {"version": 0, "rows": 4 + SPARE_ROWS}, 4 + SPARE_ROWS
    blocks: Sequence[Any] = list(template.blocks.all())
    rows = min(MAX_ROWS, len(blocks) + SPARE_ROWS)
    initial: dict[str, Any] = {
        "name": template.name,
        "earliest": template.earliest,
        "latest": template.latest,
        "max_consecutive_minutes": template.max_consecutive_minutes,
        "min_break_minutes": template.min_break_minutes,
        "version": template.version,
        "rows": rows,
    }
    for n, block in enumerate(blocks):
        initial[f"b{n}_label"] = block.label
        initial[f"b{n}_start"] = block.start
        initial[f"b{n}_end"] = block.end
        initial[f"b{n}_fixed"] = block.fixed
    for n in range(len(blocks), rows):
        initial[f"b{n}_fixed"] = True
    return initial, rows
