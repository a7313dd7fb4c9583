"""Form widgets shared by every app."""

from django import forms

ISO_DATE = "%Y-%m-%d"


class DateInput(forms.DateInput):
    """A native date picker. Browsers accept only ISO dates in ``value``, whatever
    the page's language, so the widget never formats dates by locale."""

    input_type = "date"

    def __init__(self, attrs: dict[str, str] | None = None) -> None:
        super().__init__(attrs=attrs, format=ISO_DATE)
