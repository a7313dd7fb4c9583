"""Forms of the notes pages; the services decide, the forms only parse."""

import uuid
from collections.abc import Iterable, Mapping
from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from painrehab.common.forms import DateInput
from painrehab.notes.choices import ConfidentialityReason
from painrehab.notes.templates_catalog import NoteTemplate
from painrehab.patients.models import Patient


def _textarea(rows: int = 4) -> forms.Textarea:
    return forms.Textarea(attrs={"rows": rows})


class NewNoteForm(forms.Form):
    template = forms.ChoiceField(label=_("Template"))
    service_date = forms.DateField(label=_("Date of service"), widget=DateInput())
    form_token = forms.UUIDField(widget=forms.HiddenInput)

    def __init__(
        self, *args: Any, templates: Iterable[NoteTemplate], **kwargs: Any
    ) -> None:
        kwargs.setdefault(
            "initial",
            {"service_date": timezone.localdate(), "form_token": uuid.uuid4()},
        )
        super().__init__(*args, **kwargs)
        field = self.fields["template"]
        assert isinstance(field, forms.ChoiceField)  # noqa: S101 (narrowing)
        field.choices = [(t.key, t.label) for t in templates]


class NoteEditForm(forms.Form):
    """One textarea per section of the note's template, plus the draft's version."""

    service_date = forms.DateField(label=_("Date of service"), widget=DateInput())
    version = forms.IntegerField(widget=forms.HiddenInput)
    late_entry_reason = forms.CharField(
        label=_("Reason for the late entry"),
        required=False,
        widget=_textarea(2),
        help_text=_(
            "Needed to sign more than 24 hours after the end of the date of service."
        ),
    )

    def __init__(self, *args: Any, template: NoteTemplate, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.template = template
        for section in template.sections:
            self.fields[f"s_{section.key}"] = forms.CharField(
                label=section.label,
                help_text=section.help,
                required=False,
                strip=False,
                widget=_textarea(),
            )

    def section_fields(self) -> list[forms.BoundField]:
        return [self[f"s_{s.key}"] for s in self.template.sections]

    def body(self) -> dict[str, str]:
        return {
            s.key: self.cleaned_data.get(f"s_{s.key}", "")
            for s in self.template.sections
        }

    @staticmethod
    def initial_for(body: Mapping[str, str]) -> dict[str, str]:
        return {f"s_{k}": v for k, v in body.items()}


class AddendumForm(forms.Form):
    text = forms.CharField(label=_("Addendum"), widget=_textarea(4))
    reason = forms.CharField(
        label=_("Reason"),
        max_length=200,
        help_text=_("e.g. correction of the pain score, information received later."),
    )
    form_token = forms.UUIDField(widget=forms.HiddenInput, initial=uuid.uuid4)


class ConfidentialityForm(forms.Form):
    confidential = forms.BooleanField(
        label=_("Adolescent-confidential: never shown to parents or guardians"),
        required=False,
        help_text=_("Only for a patient aged 12 or over on the date of service."),
    )
    reason = forms.ChoiceField(
        label=_("Reason code"),
        required=False,
        choices=[("", _("Choose the legal basis")), *ConfidentialityReason.choices],
    )


class PatientChoiceField(forms.ModelChoiceField):  # type: ignore[type-arg]
    """A patient by name and MRN (two children may share a name)."""

    def label_from_instance(self, obj: Patient) -> str:
        return f"{obj.display_name} ({obj.mrn})"


class PatientsChoiceField(forms.ModelMultipleChoiceField):  # type: ignore[type-arg]
    def label_from_instance(self, obj: Patient) -> str:
        return f"{obj.display_name} ({obj.mrn})"


class GroupSessionForm(forms.Form):
    topic = forms.CharField(
        label=_("Group"),
        max_length=120,
        help_text=_("A short name such as “Pacing group”; never a child's name."),
    )
    service_date = forms.DateField(label=_("Date of the group"), widget=DateInput())
    patients = PatientsChoiceField(
        label=_("Children who attended"),
        queryset=Patient.objects.none(),
        widget=forms.CheckboxSelectMultiple,
    )
    group_content = forms.CharField(
        label=_("What the group did"),
        widget=_textarea(4),
        help_text=_(
            "Copied into every child's note. Describe the group; never name or "
            "describe another participant."
        ),
    )
    form_token = forms.UUIDField(widget=forms.HiddenInput)

    def __init__(self, *args: Any, patients: Any, **kwargs: Any) -> None:
        kwargs.setdefault(
            "initial",
            {"service_date": timezone.localdate(), "form_token": uuid.uuid4()},
        )
        super().__init__(*args, **kwargs)
        field = self.fields["patients"]
        assert isinstance(field, forms.ModelMultipleChoiceField)  # noqa: S101
        field.queryset = patients


class PsychotherapyNoteNewForm(forms.Form):
    patient = forms.ModelChoiceField(
        label=_("Patient"), queryset=Patient.objects.none()
    )
    service_date = forms.DateField(label=_("Date of the session"), widget=DateInput())
    form_token = forms.UUIDField(widget=forms.HiddenInput)

    def __init__(self, *args: Any, patients: Any, **kwargs: Any) -> None:
        kwargs.setdefault(
            "initial",
            {"service_date": timezone.localdate(), "form_token": uuid.uuid4()},
        )
        super().__init__(*args, **kwargs)
        field = self.fields["patient"]
        assert isinstance(field, forms.ModelChoiceField)  # noqa: S101
        field.queryset = patients


class PsychotherapyNoteForm(forms.Form):
    text = forms.CharField(
        label=_("Psychotherapy note"), required=False, strip=False, widget=_textarea(12)
    )
    version = forms.IntegerField(widget=forms.HiddenInput)
