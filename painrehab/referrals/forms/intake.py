"""The referral form: the patient (existing or new) and the referral itself.

It checks what the input alone can show (required fields, dates, the primary
diagnosis being one of those chosen); ``services.referral_intake`` owns every rule
that needs the database.
"""

from datetime import date
from typing import Any

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from painrehab.domain.ages import age_on
from painrehab.patients.choices import Relationship, Sex
from painrehab.referrals import codes
from painrehab.referrals.choices import PriorTreatment, SchoolAttendance
from painrehab.referrals.forms._fields import (
    MultipleFileField,
    date_field,
    not_in_future,
    text_field,
)
from painrehab.referrals.services import (
    DiagnosisEntry,
    NewGuardian,
    NewPatient,
    ReferralDetails,
)

MAX_AGE = 20
TOO_OLD = _("The program takes children under {max}; this child is {age}.")
PRIMARY_NOT_CHOSEN = _("Choose the primary diagnosis from the diagnoses above.")
GUARDIAN_CONTACT = _("Give a phone number or an email for the guardian.")
PATIENT_MODES = [("existing", _("An existing patient")), ("new", _("A new patient"))]
EXISTING_FIELDS = ("patient",)
NEW_FIELDS = (
    "mrn",
    "given_name",
    "family_name",
    "date_of_birth",
    "sex",
    "guardian_given_name",
    "guardian_family_name",
    "guardian_relationship",
)
# Everything about a new patient: ignored, errors included, for an existing one.
NEW_SECTION = (
    *NEW_FIELDS,
    "preferred_name",
    "preferred_language",
    "school_name",
    "school_grade",
    "guardian_phone",
    "guardian_email",
    "different_child",
)


class IntakeForm(forms.Form):
    """A referral, for a child already registered or registered with it."""

    # Which fields are required depends on the choice of patient; the server checks.
    use_required_attribute = False

    patient_mode = forms.ChoiceField(
        label=_("The referral is for"),
        choices=PATIENT_MODES,
        widget=forms.RadioSelect,
        initial="new",
    )
    patient = forms.CharField(label=_("MRN of the existing patient"), max_length=20)
    mrn = forms.CharField(label=_("MRN"), max_length=20)
    given_name = forms.CharField(label=_("Given name"), max_length=80)
    family_name = forms.CharField(label=_("Family name"), max_length=80)
    preferred_name = forms.CharField(
        label=_("Preferred name"), max_length=80, required=False
    )
    date_of_birth = date_field(label=_("Date of birth"))
    sex = forms.ChoiceField(label=_("Sex"), choices=[("", "—"), *Sex.choices])
    preferred_language = forms.ChoiceField(
        label=_("Preferred language"),
        choices=lambda: settings.LANGUAGES,
        initial="en",
    )
    school_name = forms.CharField(label=_("School"), max_length=120, required=False)
    school_grade = forms.CharField(label=_("Grade"), max_length=20, required=False)
    guardian_given_name = forms.CharField(label=_("Guardian's given name"))
    guardian_family_name = forms.CharField(label=_("Guardian's family name"))
    guardian_relationship = forms.ChoiceField(
        label=_("Relationship to the child"),
        choices=[("", "—"), *Relationship.choices],
    )
    guardian_phone = forms.CharField(
        label=_("Guardian's phone"), max_length=30, required=False
    )
    guardian_email = forms.EmailField(label=_("Guardian's email"), required=False)
    different_child = forms.BooleanField(
        label=_("This is a different child"),
        required=False,
        help_text=_(
            "Tick only when told a child with this name and birth date exists."
        ),
    )
    received_on = date_field(label=_("Received"), initial=timezone.localdate)
    referrer_name = forms.CharField(label=_("Referring clinician"), max_length=120)
    referrer_organisation = forms.CharField(label=_("Organisation"), max_length=160)
    referrer_phone = forms.CharField(label=_("Phone"), max_length=30, required=False)
    referrer_email = forms.EmailField(label=_("Email"), required=False)
    reason = text_field(_("Reason for referral"))
    pain_history = text_field(_("Pain history"))
    pain_duration_months = forms.IntegerField(
        label=_("Pain duration (months)"), min_value=0, max_value=240
    )
    diagnoses = forms.MultipleChoiceField(
        label=_("Diagnoses"),
        choices=codes.diagnosis_choices,
        help_text=_("Hold Ctrl (or Cmd) to choose more than one."),
        widget=forms.SelectMultiple(attrs={"size": 10}),
    )
    primary_diagnosis = forms.ChoiceField(
        label=_("Primary diagnosis"),
        choices=lambda: [("", "—"), *codes.diagnosis_choices()],
    )
    prior_treatments = forms.MultipleChoiceField(
        label=_("Treatments tried"),
        choices=PriorTreatment.choices,
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )
    prior_treatments_other = forms.CharField(
        label=_("Other treatments tried"), max_length=300, required=False
    )
    school_attendance = forms.ChoiceField(
        label=_("School attendance, last month"),
        choices=SchoolAttendance.choices,
        widget=forms.RadioSelect,
    )
    school_days_missed = forms.IntegerField(
        label=_("School days missed, last month"),
        min_value=0,
        max_value=31,
        required=False,
    )
    attachments = MultipleFileField(
        label=_("Documents"),
        required=False,
        help_text=_("PDF, JPEG or PNG, up to 10 MB each."),
    )
    form_token = forms.CharField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if self.is_bound:  # unbound, both choices show what they would require
            existing = self.data.get("patient_mode") == "existing"
            for name in NEW_FIELDS if existing else EXISTING_FIELDS:
                self.fields[name].required = False

    @property
    def is_new(self) -> bool:
        return self.cleaned_data.get("patient_mode") == "new"

    def clean_date_of_birth(self) -> date | None:
        born = not_in_future(self.cleaned_data.get("date_of_birth"))
        if born is not None:
            age = age_on(born, timezone.localdate())
            if age >= MAX_AGE:
                raise ValidationError(TOO_OLD.format(max=MAX_AGE, age=age))
        return born

    def clean_received_on(self) -> date | None:
        return not_in_future(self.cleaned_data.get("received_on"))

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        primary = data.get("primary_diagnosis")
        if primary and primary not in data.get("diagnoses", []):
            self.add_error("primary_diagnosis", PRIMARY_NOT_CHOSEN)
        if data.get("patient_mode") == "existing":
            for name in NEW_SECTION:
                self.errors.pop(name, None)
        elif not (data.get("guardian_phone") or data.get("guardian_email")):
            self.add_error("guardian_phone", GUARDIAN_CONTACT)
        return data

    def details(self) -> ReferralDetails:
        data = self.cleaned_data
        primary = data["primary_diagnosis"]
        return ReferralDetails(
            received_on=data["received_on"],
            referrer_name=data["referrer_name"],
            referrer_organisation=data["referrer_organisation"],
            referrer_phone=data["referrer_phone"],
            referrer_email=data["referrer_email"],
            reason=data["reason"],
            pain_history=data["pain_history"],
            pain_duration_months=data["pain_duration_months"],
            school_attendance=SchoolAttendance(data["school_attendance"]),
            school_days_missed=data["school_days_missed"],
            diagnoses_given=tuple(
                DiagnosisEntry(code, is_primary=code == primary)
                for code in data["diagnoses"]
            ),
            prior_treatments=tuple(data["prior_treatments"]),
            prior_treatments_other=data["prior_treatments_other"],
        )

    def new_patient(self) -> NewPatient | None:
        if not self.is_new:
            return None
        data = self.cleaned_data
        guardian = NewGuardian(
            given_name=data["guardian_given_name"],
            family_name=data["guardian_family_name"],
            relationship=Relationship(data["guardian_relationship"]),
            phone=data["guardian_phone"],
            email=data["guardian_email"],
        )
        return NewPatient(
            mrn=data["mrn"],
            given_name=data["given_name"],
            family_name=data["family_name"],
            preferred_name=data["preferred_name"],
            date_of_birth=data["date_of_birth"],
            sex=Sex(data["sex"]),
            preferred_language=data["preferred_language"],
            school_name=data["school_name"],
            school_grade=data["school_grade"],
            guardian=guardian,
        )
