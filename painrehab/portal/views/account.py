"""A family member's account page, and the language switch on every portal page.

``portal:account`` holds three small forms, told apart by the ``action`` they
post: the language, a new password, and a second factor (an authenticator app).
The staff enrolment (``accounts:enrol``) runs only half-way through a staff
sign-in, so a signed-in family member enrols here, with the same accounts services:
scan the QR code, type the 6-digit code, get recovery codes shown once. From then on
their sign-in asks for a code too.

``portal:language`` is public: it sets Django's language cookie, and the account's
language when a family member is signed in, then goes back to a safe ``next``.
"""

import base64
from typing import Any, TypeVar, cast

import segno
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import update_session_auth_hash
from django.contrib.auth.forms import PasswordChangeForm
from django.http import HttpRequest, HttpResponse, HttpResponseBase
from django.shortcuts import redirect, render, resolve_url
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST
from django_otp import login as otp_login

from painrehab.accounts import services as accounts
from painrehab.accounts.decorators import family
from painrehab.accounts.forms import BAD_CODE, EnrolForm
from painrehab.accounts.models import User
from painrehab.common.access import public
from painrehab.portal.forms import LanguageForm
from painrehab.portal.services.account import (
    account_language_set,
    account_password_set,
    account_second_factor_confirm,
)

TEMPLATE = "portal/account.html"
Response = TypeVar("Response", bound=HttpResponseBase)
SETUP = "second-factor"


def language_cookie_set(response: Response, language: str) -> Response:
    """Remember ``language`` in this browser (Django's language cookie)."""
    response.set_cookie(
        settings.LANGUAGE_COOKIE_NAME,
        language,
        max_age=settings.LANGUAGE_COOKIE_AGE,
        path=settings.LANGUAGE_COOKIE_PATH,
        domain=settings.LANGUAGE_COOKIE_DOMAIN,
        secure=settings.LANGUAGE_COOKIE_SECURE,
        httponly=settings.LANGUAGE_COOKIE_HTTPONLY,
        samesite=settings.LANGUAGE_COOKIE_SAMESITE,
    )
    return response


def _user(request: HttpRequest) -> User:
    return cast(User, request.user)


def _password_form(user: User, data: Any = None) -> PasswordChangeForm:
    form = PasswordChangeForm(user, data)
    # Three forms share the page: no field takes the focus on its own.
    form.fields["old_password"].widget.attrs.pop("autofocus", None)
    form.fields["new_password1"].help_text = _(
        "At least 12 characters. A few words you can remember work well."
    )
    return form


def _enrolment(user: User, form: EnrolForm | None = None) -> dict[str, Any]:
    """The QR code and key of the person's pending authenticator, and its form."""
    device = accounts.totp_device_for_enrolment(user=user)
    raw = base64.b32encode(device.bin_key).decode().rstrip("=")
    enrol_form = form or EnrolForm()
    enrol_form.fields["code"].widget.attrs.pop("autofocus", None)
    return {
        "enrol_form": enrol_form,
        "qr_svg": segno.make(device.config_url, micro=False).svg_inline(
            scale=5, dark="#111", light="#fff"
        ),
        "secret": " ".join(raw[i : i + 4] for i in range(0, len(raw), 4)),
    }


def _page(request: HttpRequest, status: int = 200, **forms: Any) -> HttpResponse:
    user = _user(request)
    context: dict[str, Any] = {
        "language_form": LanguageForm(initial={"language": user.preferred_language}),
        "password_form": _password_form(user),
        "has_second_factor": accounts.has_second_factor(user=user),
    }
    context.update(forms)
    return render(request, TEMPLATE, context, status=status)


def _language_post(request: HttpRequest) -> HttpResponse:
    form = LanguageForm(request.POST)
    if not form.is_valid():
        return _page(request, 400, language_form=form)
    language = form.cleaned_data["language"]
    account_language_set(user=_user(request), language=language)
    messages.success(request, _("Your language is saved."))
    return language_cookie_set(redirect("portal:account"), language)


def _password_post(request: HttpRequest) -> HttpResponse:
    user = _user(request)
    form = _password_form(user, request.POST)
    if not form.is_valid():
        return _page(request, 400, password_form=form)
    account_password_set(user=user, password=form.cleaned_data["new_password1"])
    update_session_auth_hash(request, user)  # stay signed in on this device
    messages.success(request, _("Your new password is saved."))
    return redirect("portal:account")


def _second_factor_post(request: HttpRequest) -> HttpResponse:
    user = _user(request)
    if accounts.has_second_factor(user=user):
        return redirect("portal:account")
    form = EnrolForm(request.POST)
    device = None
    if form.is_valid():
        device = account_second_factor_confirm(
            user=user, token=form.cleaned_data["code"]
        )
        if device is None:
            form.add_error("code", BAD_CODE)
    if device is None:
        return _page(request, 400, **_enrolment(user, form))
    otp_login(request, device)
    codes = accounts.recovery_codes_issue(user=user)
    messages.success(request, _("Your second factor is on."))
    return _page(request, recovery_codes=codes, has_second_factor=True)


ACTIONS = {
    "language": _language_post,
    "password": _password_post,
    "second_factor": _second_factor_post,
}


@require_http_methods(["GET", "POST"])
@family
def account(request: HttpRequest) -> HttpResponse:
    """Language, password and second factor of the signed-in family member."""
    if request.method == "POST":
        handler = ACTIONS.get(request.POST.get("action", ""))
        if handler is None:
            return _page(request, 400)
        return handler(request)
    user = _user(request)
    if request.GET.get("setup") == SETUP and not accounts.has_second_factor(user=user):
        return _page(request, **_enrolment(user))
    return _page(request)


def _next_url(request: HttpRequest) -> str:
    wanted = request.POST.get("next", "")
    safe = url_has_allowed_host_and_scheme(
        wanted, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    )
    return wanted if wanted and safe else resolve_url("portal:home")


@require_POST
@public
def language(request: HttpRequest) -> HttpResponseBase:
    """Switch the portal's language (the button at the top of every page)."""
    response = redirect(_next_url(request))
    chosen = request.POST.get("language", "")
    if chosen not in dict(settings.LANGUAGES):
        return response
    user = request.user
    if isinstance(user, User) and user.is_family:
        account_language_set(user=user, language=chosen)
    return language_cookie_set(response, chosen)
