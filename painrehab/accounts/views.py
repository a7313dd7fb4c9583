"""Sign-in with a second factor, enrolment, recovery codes, sign-out, landing page."""

import base64

import segno
from django.contrib.auth import authenticate
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render, resolve_url
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_http_methods, require_POST
from django_otp.models import Device

from painrehab.accounts import pending, services
from painrehab.accounts.choices import Role
from painrehab.accounts.decorators import signed_in
from painrehab.accounts.forms import (
    BAD_CODE,
    BAD_CREDENTIALS,
    CodeForm,
    EnrolForm,
    LoginForm,
)
from painrehab.accounts.models import User
from painrehab.common.access import public

NEW_CODES_KEY = "new_recovery_codes"
NEXT_KEY = "next_after_login"

LANDING: dict[str, str] = {
    Role.PRIVACY_OFFICER: "audit:event_list",
    Role.DIRECTOR: "outcomes:dashboard",
    Role.SYSADMIN: "admin:index",
    Role.GUARDIAN: "portal:home",
    Role.PATIENT: "portal:home",
}


@require_http_methods(["GET", "POST"])
@public
def login(request: HttpRequest) -> HttpResponse:
    if request.user.is_authenticated:
        return redirect("accounts:home")
    form = LoginForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        username = form.cleaned_data["username"]
        user = authenticate(
            request, username=username, password=form.cleaned_data["password"]
        )
        if isinstance(user, User):
            return _after_password(request, user)
        locked = bool(getattr(request, "axes_locked_out", False))
        services.login_failed(username=username, locked_out=locked)
        form.add_error(None, BAD_CREDENTIALS)
    context = {"form": form, "timed_out": "timed_out" in request.GET}
    return render(request, "accounts/login.html", context)


def _after_password(request: HttpRequest, user: User) -> HttpResponse:
    next_url = request.GET.get("next", "")
    if services.has_second_factor(user=user) or user.requires_mfa:
        pending.start(request, user)
        request.session[NEXT_KEY] = next_url
        if services.has_second_factor(user=user):
            return redirect("accounts:verify")
        return redirect("accounts:enrol")
    services.login_complete(request=request, user=user, device=None, method="none")
    return _redirect_next(request, next_url)


def _redirect_next(request: HttpRequest, next_url: str) -> HttpResponse:
    safe = url_has_allowed_host_and_scheme(
        next_url, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    )
    return redirect(next_url if next_url and safe else resolve_url("accounts:home"))


@require_http_methods(["GET", "POST"])
@public
def verify(request: HttpRequest) -> HttpResponse:
    """Second step of sign-in: a code from the authenticator or a recovery code."""
    user = pending.user(request)
    if user is None:
        return redirect("accounts:login")
    form = CodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        result = services.second_factor_verify(
            user=user, token=form.cleaned_data["code"]
        )
        if result is not None:
            return _finish(request, user, *result)
        services.second_factor_failed(user=user)
        form.add_error("code", BAD_CODE)
    context = {"form": form, "demo": services.demo_second_factor_allowed()}
    return render(request, "accounts/verify.html", context)


def _finish(
    request: HttpRequest, user: User, device: Device, method: str
) -> HttpResponse:
    next_url = request.session.get(NEXT_KEY, "")
    services.login_complete(request=request, user=user, device=device, method=method)
    return _redirect_next(request, next_url)


@require_http_methods(["GET", "POST"])
@public
def enrol(request: HttpRequest) -> HttpResponse:
    """First sign-in of a staff member: set up an authenticator app."""
    user = pending.user(request)
    if user is None or services.has_second_factor(user=user):
        return redirect("accounts:login")
    device = services.totp_device_for_enrolment(user=user)
    form = EnrolForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        confirmed = services.totp_enrolment_confirm(
            user=user, token=form.cleaned_data["code"].strip()
        )
        if confirmed is not None:
            codes = services.recovery_codes_issue(user=user)
            services.login_complete(
                request=request, user=user, device=confirmed, method="totp"
            )
            request.session[NEW_CODES_KEY] = codes
            return redirect("accounts:recovery_codes")
        form.add_error("code", BAD_CODE)
    qr = segno.make(device.config_url, micro=False)
    context = {
        "form": form,
        "qr_svg": qr.svg_inline(scale=5, dark="#111", light="#fff"),
        "secret": _base32(device.bin_key),
    }
    return render(request, "accounts/enrol.html", context)


def _base32(key: bytes) -> str:
    raw = base64.b32encode(key).decode().rstrip("=")
    return " ".join(raw[i : i + 4] for i in range(0, len(raw), 4))


@require_http_methods(["GET", "POST"])
@signed_in
def recovery_codes(request: HttpRequest) -> HttpResponse:
    """Shows new recovery codes once; POST replaces them with a fresh set."""
    if request.method == "POST":
        codes = services.recovery_codes_issue(user=request.user)  # type: ignore[arg-type]
    else:
        codes = request.session.pop(NEW_CODES_KEY, None)
    return render(request, "accounts/recovery_codes.html", {"codes": codes})


@require_POST
@signed_in
def logout(request: HttpRequest) -> HttpResponse:
    services.logout(request=request)
    response = redirect("accounts:login")
    # Tell the browser to drop anything it kept from this session (ONC d(7)).
    response["Clear-Site-Data"] = '"cache", "cookies", "storage"'
    return response


@require_POST
@signed_in
def keepalive(request: HttpRequest) -> HttpResponse:
    """ "Stay signed in": any request counts as activity, this one does nothing else."""
    return HttpResponse(status=204)


@require_http_methods(["GET"])
@signed_in
def home(request: HttpRequest) -> HttpResponse:
    """Each role's landing page."""
    role = getattr(request.user, "role", "")
    return redirect(LANDING.get(role, "patients:patient_list"))
