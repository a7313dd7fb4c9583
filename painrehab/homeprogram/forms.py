"""Input parsing for the home programme; the rules themselves are the services'."""

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from painrehab.common.forms import DateInput
from painrehab.homeprogram.models import HomeExercise
from painrehab.homeprogram.services import DAYS_PER_WEEK, TIMES_PER_DAY, ExerciseFields

TITLE_MAX = HomeExercise._meta.get_field("title").max_length or 120
INSTRUCTIONS_MAX = 2000
REPETITIONS_MAX = HomeExercise._meta.get_field("repetitions").max_length or 80


class ExerciseForm(forms.Form):
    """Assign an exercise (``form_token``) or change one (``version``)."""

    title = forms.CharField(
        label=_("Exercise"),
        max_length=TITLE_MAX,
        help_text=_("A short name the family will recognise, e.g. “Stairs”."),
    )
    instructions = forms.CharField(
        label=_("Instructions for the family"),
        max_length=INSTRUCTIONS_MAX,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("Plain words, as you would explain it to the parent and child."),
    )
    repetitions = forms.CharField(
        label=_("Each time"),
        max_length=REPETITIONS_MAX,
        help_text=_("For example: 10 each side, or 15 minutes."),
    )
    times_per_day = forms.IntegerField(
        label=_("Times a day"), min_value=TIMES_PER_DAY[0], max_value=TIMES_PER_DAY[1]
    )
    days_per_week = forms.IntegerField(
        label=_("Days a week"), min_value=DAYS_PER_WEEK[0], max_value=DAYS_PER_WEEK[1]
    )
    starts_on = forms.DateField(label=_("From"), widget=DateInput())
    version = forms.IntegerField(min_value=1, widget=forms.HiddenInput)
    form_token = forms.UUIDField(widget=forms.HiddenInput)

    def __init__(self, *args: Any, editing: bool, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        del self.fields["form_token" if editing else "version"]

    def values(self) -> ExerciseFields:
        data = self.cleaned_data
        return ExerciseFields(
            title=data["title"],
            instructions=data["instructions"],
            repetitions=data["repetitions"],
            times_per_day=data["times_per_day"],
            days_per_week=data["days_per_week"],
            starts_on=data["starts_on"],
        )


def exercise_initial(exercise: HomeExercise) -> dict[str, Any]:
    fields = ExerciseFields.of(exercise)
    return {**fields.__dict__, "version": exercise.version}


class StopForm(forms.Form):
    """Stop an exercise seen at ``version`` from a day (by default the earliest)."""

    version = forms.IntegerField(min_value=1, widget=forms.HiddenInput)
    stopped_on = forms.DateField(
        label=_("Stop from"),
        required=False,
        widget=DateInput(),
        help_text=_(
            "The first day the family no longer does it. Their ticks so far are kept."
        ),
    )


class TickForm(forms.Form):
    """The family's "Done today" (``done`` = 1) or "Undo" (``done`` = 0)."""

    done_on = forms.DateField(required=False)
    done = forms.ChoiceField(choices=[("1", "1"), ("0", "0")], required=False)

    @property
    def is_done(self) -> bool:
        """A tick unless the form asks to take one back."""
        return bool(self.cleaned_data.get("done") != "0")
