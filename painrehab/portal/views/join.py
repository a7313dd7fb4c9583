"""Setting up a family account with an invitation: public pages.

Two steps on one page (``portal:join``): the code, then the account. The e-mailed
link (``portal:join_code``) checks its code and sends the browser on to the second
step, so the code leaves the address bar. Between the steps the session keeps the
invitation's digest (never the code), and the second step checks again that the
invitation is still pending.

An unknown, expired, used or revoked code gets one refusal, with one message and one
status (400), whichever it was and whichever page it came through; the audit trail
records which. Too many wrong codes from one session or address: 429 and a wait
(``services.join``).
"""

from django.contrib import messages
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from painrehab.accounts.services import login_complete
from painrehab.common.access import public
from painrehab.portal.forms import CODE_MAX, CodeForm, JoinForm
from painrehab.portal.models import Invitation, InvitationKind
from painrehab.portal.services.join import (
    REFUSED,
    TOO_MANY,
    JoinRefused,
    JoinThrottled,
    NewAccount,
    account_exists,
    invitation_accept,
    invitation_check,
    invitation_pending,
    person_names,
)
from painrehab.portal.views.account import language_cookie_set

SESSION_KEY = "portal_join_invitation"
REFUSED_STATUS = 400
THROTTLED_STATUS = 429


def _session_started(request: HttpRequest) -> None:
    """Give a first-time visitor a session, so their wrong codes are counted."""
    if request.session.session_key is None:
        request.session.save()


def _pending(request: HttpRequest) -> Invitation | None:
    digest = request.session.get(SESSION_KEY)
    if not digest:
        return None
    invitation = invitation_pending(digest=digest)
    if invitation is None:
        request.session.pop(SESSION_KEY, None)
    return invitation


def _code_page(request: HttpRequest, form: CodeForm, status: int = 200) -> HttpResponse:
    return render(request, "portal/join.html", {"form": form}, status=status)


def _open(request: HttpRequest, form: CodeForm) -> HttpResponse:
    """Check the code; a good one goes on to the account step."""
    _session_started(request)
    try:
        invitation = invitation_check(code=form.cleaned_data.get("code", ""))
    except JoinThrottled:
        form.add_error("code", TOO_MANY)
        return _code_page(request, form, status=THROTTLED_STATUS)
    except JoinRefused:
        form.add_error("code", REFUSED)
        return _code_page(request, form, status=REFUSED_STATUS)
    request.session[SESSION_KEY] = invitation.code_digest
    return redirect("portal:join")


def _join_form(invitation: Invitation, data: object = None) -> JoinForm:
    is_teen = invitation.kind == InvitationKind.TEEN
    initial = {"language": invitation.language, "email": invitation.email}
    return JoinForm(data, initial=initial, teen=is_teen, names=person_names(invitation))


def _account_page(
    request: HttpRequest, invitation: Invitation, form: JoinForm, status: int = 200
) -> HttpResponse:
    first, last = person_names(invitation)
    context = {
        "form": form,
        "name": f"{first} {last}",
        "is_teen": invitation.kind == InvitationKind.TEEN,
        "account_exists": account_exists(invitation),
    }
    return render(request, "portal/join_account.html", context, status=status)


def _refuse(form: JoinForm, error: ValidationError) -> None:
    texts = (
        error.message_dict
        if hasattr(error, "error_dict")
        else {NON_FIELD_ERRORS: error.messages}
    )
    for field, found in texts.items():
        form.add_error(field if field in form.fields else None, found)


def _new_account(form: JoinForm) -> NewAccount:
    data = form.cleaned_data
    return NewAccount(
        username=data["username"],
        password=data["password1"],
        language=data["language"],
        email=data.get("email", ""),
        phone=data.get("phone", ""),
    )


def _create(request: HttpRequest, invitation: Invitation | None) -> HttpResponse:
    """The second step: make the account, sign the person in."""
    if invitation is None:  # the session ended, or the code was used meanwhile
        messages.error(request, REFUSED)
        return redirect("portal:join")
    form = _join_form(invitation, request.POST)
    if not form.is_valid():
        return _account_page(request, invitation, form, status=400)
    try:
        user = invitation_accept(digest=invitation.code_digest, new=_new_account(form))
    except JoinRefused:
        request.session.pop(SESSION_KEY, None)
        messages.error(request, REFUSED)
        return redirect("portal:join")
    except ValidationError as error:
        _refuse(form, error)
        return _account_page(request, invitation, form, status=400)
    request.session.pop(SESSION_KEY, None)
    login_complete(request=request, user=user, device=None, method="none")
    messages.success(
        request,
        _(
            "Your account is ready and you are signed in. For extra safety, you can "
            "add a second step to signing in: see “Second factor” below."
        ),
    )
    return language_cookie_set(redirect("portal:account"), user.preferred_language)


@require_http_methods(["GET", "POST"])
@public
def join(request: HttpRequest) -> HttpResponse:
    """Type the code (step 1), then choose a username and password (step 2)."""
    if request.user.is_authenticated:
        return render(request, "portal/join_signed_in.html")
    if request.method == "GET" and "new" in request.GET:
        request.session.pop(SESSION_KEY, None)
    invitation = _pending(request)
    if request.method == "POST" and request.POST.get("step") == "account":
        return _create(request, invitation)
    if request.method == "POST":
        form = CodeForm(request.POST)
        if not form.is_valid():
            return _code_page(request, form, status=400)
        return _open(request, form)
    if invitation is not None:
        return _account_page(request, invitation, _join_form(invitation))
    return _code_page(request, CodeForm())


@require_GET
@public
def join_code(request: HttpRequest, code: str) -> HttpResponse:
    """The e-mailed link: check its code, then on to step 2 (or the refusal)."""
    if request.user.is_authenticated:
        return render(request, "portal/join_signed_in.html")
    form = CodeForm({"code": code[:CODE_MAX]})
    form.is_valid()  # always: the address holds at least one character
    return _open(request, form)
