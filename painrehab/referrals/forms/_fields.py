"""Field builders shared by the referral forms."""

from datetime import date
from typing import TYPE_CHECKING, Any

from django import forms
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from painrehab.common.forms import DateInput

if TYPE_CHECKING:
    from django.utils.functional import _StrOrPromise as StrOrPromise

IN_FUTURE = _("The date cannot be in the future.")
IN_PAST = _("The date cannot be in the past.")
ACCEPT = ".pdf,.jpg,.jpeg,.png,application/pdf,image/jpeg,image/png"


def date_field(**kwargs: Any) -> forms.DateField:
    return forms.DateField(widget=DateInput(), **kwargs)


def text_field(
    label: "StrOrPromise", required: bool = True, **kwargs: Any
) -> forms.CharField:
    return forms.CharField(
        label=label,
        required=required,
        widget=forms.Textarea(attrs={"rows": 4}),
        **kwargs,
    )


def not_in_future(value: date | None) -> date | None:
    if value is not None and value > timezone.localdate():
        raise ValidationError(IN_FUTURE)
    return value


class MultipleFileInput(forms.FileInput):
    """A file input that accepts several files."""

    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    """Several files from one input (Django's documented recipe)."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("widget", MultipleFileInput(attrs={"accept": ACCEPT}))
        super().__init__(*args, **kwargs)

    def clean(self, data: Any, initial: Any = None) -> list[UploadedFile]:
        files = data if isinstance(data, list | tuple) else [data]
        return [super(MultipleFileField, self).clean(f, initial) for f in files if f]
