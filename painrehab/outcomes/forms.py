"""One form per report kind: whom it goes to, why, and the kind's own choices.

Parsing and validation only; ``report_input`` turns the values (posted, or the
defaults of a fresh form) into ``reports.ReportInput``.
"""

from collections.abc import Mapping, Sequence
from typing import Any, cast

from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from painrehab.outcomes.choices import ReportKind
from painrehab.outcomes.models import GeneratedReport
from painrehab.outcomes.reports import ReportInput, TeamContact

RECIPIENT_MAX = GeneratedReport._meta.get_field("recipient").max_length or 200
PURPOSE_MAX = GeneratedReport._meta.get_field("purpose").max_length or 200
ADDRESS_MAX = 500
TEXT_MAX = 3000
WORDING_MAX = 300
AGREEMENT_NEEDED = _(
    "Tick this box to confirm the family agreed to this wording, or leave the "
    "wording empty so the letter says nothing about a diagnosis."
)


class ReportForm(forms.Form):
    """What every report records: the accounting of disclosures."""

    recipient = forms.CharField(
        label=_("Recipient"),
        max_length=RECIPIENT_MAX,
        help_text=_("The person or organisation the report is sent to."),
    )
    recipient_address = forms.CharField(
        label=_("Recipient's address"),
        max_length=ADDRESS_MAX,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Postal address, e-mail or fax, if known."),
    )
    purpose = forms.CharField(
        label=_("Purpose"),
        max_length=PURPOSE_MAX,
        help_text=_("Why the report is sent; kept in the accounting of disclosures."),
    )
    form_token = forms.UUIDField(widget=forms.HiddenInput)

    def options(self, values: Mapping[str, Any]) -> dict[str, Any]:
        return {}

    def language_of(self, values: Mapping[str, Any]) -> str:
        return "en"

    def report_input(self, values: Mapping[str, Any]) -> ReportInput:
        """The report asked for by ``values`` (``cleaned_data`` or the initial)."""
        return ReportInput(
            recipient=str(values.get("recipient") or ""),
            recipient_address=str(values.get("recipient_address") or ""),
            purpose=str(values.get("purpose") or ""),
            language=self.language_of(values),
            options=self.options(values),
        )


class DischargeSummaryForm(ReportForm):
    """To the referrer and the primary care clinician."""


class SchoolLetterForm(ReportForm):
    """To the school. By default the letter says nothing about a diagnosis."""

    accommodations = forms.CharField(
        label=_("Accommodations"),
        max_length=TEXT_MAX,
        widget=forms.Textarea(attrs={"rows": 7}),
        help_text=_("One per line. Edit the suggestions to fit this student."),
    )
    return_plan = forms.CharField(
        label=_("Gradual return plan"),
        max_length=TEXT_MAX,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_("From the discharge record's school re-entry plan."),
    )
    contact = forms.TypedChoiceField(
        label=_("Who the school contacts at the program"),
        coerce=int,
        help_text=_("A member of the care team; the letter gives the unit's phone."),
    )
    diagnosis_wording = forms.CharField(
        label=_("Diagnosis wording the family agreed to share"),
        max_length=WORDING_MAX,
        required=False,
        help_text=_("Leave empty and the letter says nothing about a diagnosis."),
    )
    family_agreed = forms.BooleanField(
        label=_("The family agreed to this wording"),
        required=False,
    )

    def __init__(
        self, *args: Any, contacts: Sequence[TeamContact] = (), **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        self.contacts = {c.user_id: c for c in contacts}
        field = cast(forms.TypedChoiceField, self.fields["contact"])
        field.choices = [(c.user_id, c.label) for c in contacts]

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        wording = (cleaned.get("diagnosis_wording") or "").strip()
        cleaned["diagnosis_wording"] = wording
        if wording and not cleaned.get("family_agreed"):
            self.add_error("family_agreed", AGREEMENT_NEEDED)
        return cleaned

    def options(self, values: Mapping[str, Any]) -> dict[str, Any]:
        wording = str(values.get("diagnosis_wording") or "").strip()
        agreed = bool(values.get("family_agreed")) and bool(wording)
        contact = self.contacts.get(_as_int(values.get("contact")))
        return {
            "accommodations": str(values.get("accommodations") or ""),
            "return_plan": str(values.get("return_plan") or ""),
            "contact": (
                {"user_id": contact.user_id, "name": contact.name, "role": contact.role}
                if contact
                else {}
            ),
            "diagnosis_wording": wording if agreed else "",
            "family_agreed": agreed,
        }


def _as_int(value: object) -> int:
    try:
        return int(str(value))
    except ValueError:
        return 0


class FamilyProgressForm(ReportForm):
    """To the parents, in plain words, in English or Spanish."""

    language = forms.ChoiceField(
        label=_("Language of the report"),
        choices=settings.LANGUAGES,
        help_text=_("The primary guardian's language is chosen to start with."),
    )

    def language_of(self, values: Mapping[str, Any]) -> str:
        chosen = str(values.get("language") or "en")
        return chosen if chosen in dict(settings.LANGUAGES) else "en"


FORMS: dict[str, type[ReportForm]] = {
    ReportKind.DISCHARGE_SUMMARY: DischargeSummaryForm,
    ReportKind.SCHOOL_LETTER: SchoolLetterForm,
    ReportKind.FAMILY_PROGRESS: FamilyProgressForm,
}
