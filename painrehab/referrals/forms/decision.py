"""The team's decision."""

from datetime import date

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from painrehab.referrals.choices import DecisionOutcome
from painrehab.referrals.forms._fields import IN_PAST, date_field, text_field


class DecisionForm(forms.Form):
    """The team's decision; the service checks it against the rules."""

    planned_admission = date_field(label=_("Planned admission date"), required=False)
    outcome = forms.ChoiceField(
        label=_("Decision"), choices=DecisionOutcome.choices, widget=forms.RadioSelect
    )
    rationale = text_field(_("Rationale"))
    recommendations = text_field(
        _("Recommendations for the family and referrer"),
        required=False,
        help_text=_("Required when the team declines."),
    )
    disagreement_reason = text_field(
        _("Why the team differs from the rules"),
        required=False,
        help_text=_("Required when the decision differs from the rules' advice."),
    )

    def clean_planned_admission(self) -> date | None:
        planned: date | None = self.cleaned_data.get("planned_admission")
        if planned is not None and planned < timezone.localdate():
            raise ValidationError(IN_PAST)
        return planned

    def planned(self) -> date | None:
        """The planned date if it is valid, whatever the other fields say."""
        if not self.is_bound:
            return None
        self.is_valid()
        return self.cleaned_data.get("planned_admission")
