"""Kiosk mode: a clinician hands a tablet to a child to answer their own questionnaires.

While the kiosk is on, the signed-in session (the clinician's) can open only the
kiosk pages, and only for the questionnaires opened when it was handed over; any
other page is refused with a plain message and an audit record. The kiosk ends
when the last questionnaire is submitted, when the child presses "Finished", or
after five minutes without use; ending it signs the session out entirely, so the
tablet goes back to the clinician at the sign-in page and nothing of the
clinician's session is left on it. Answers saved before the end stay saved.

The state lives in the server-side session (``KIOSK_KEY``), never in the browser.
"""

import time
import uuid
from collections.abc import Callable
from dataclasses import asdict, dataclass

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import Resolver404, resolve, reverse
from django.utils import timezone

from painrehab.accounts import services as accounts
from painrehab.accounts.models import User
from painrehab.audit.actions import ActionType, DataCategory, Outcome
from painrehab.audit.services import record
from painrehab.episodes.models import Episode
from painrehab.instruments import services
from painrehab.instruments.choices import AdministrationStatus, RespondentKind
from painrehab.instruments.models import Administration
from painrehab.instruments.selectors import DueItem, due_list

KIOSK_KEY = "kiosk"
NOTHING_DUE = "Nothing is due for this child to answer right now."
# Pages a kiosk tablet may open; everything else is refused.
KIOSK_VIEWS = frozenset(
    {
        "instruments:kiosk_start",
        "instruments:kiosk",
        "instruments:kiosk_fill",
        "instruments:kiosk_save",
        "instruments:kiosk_finish",
        "instruments:kiosk_ended",
        "accounts:keepalive",
    }
)


@dataclass
class KioskState:
    """What one handed-over tablet may reach, kept in the server-side session."""

    patient_id: int
    episode_id: int
    administration_ids: list[int]
    handed_over_by: int
    last_activity: float


def state_of(request: HttpRequest) -> KioskState | None:
    raw = request.session.get(KIOSK_KEY)
    return KioskState(**raw) if raw else None


def _store(request: HttpRequest, state: KioskState) -> None:
    request.session[KIOSK_KEY] = asdict(state)


def _draft_for(episode: Episode, item: DueItem) -> Administration | None:
    return (
        Administration.objects.filter(
            episode=episode,
            instrument_version__code=item.instrument_code,
            time_point=item.time_point,
            time_point_index=item.time_point_index,
            respondent_kind=RespondentKind.CHILD,
            status=AdministrationStatus.IN_PROGRESS,
            corrects__isnull=True,
        )
        .order_by("created_at", "pk")
        .first()
    )


@transaction.atomic
def kiosk_open(*, by: User, episode: Episode) -> list[Administration]:
    """The child's due questionnaires, drafts reused, in due order; audited."""
    items = [
        item
        for item in due_list(episode=episode, today=timezone.localdate())
        if item.respondent == RespondentKind.CHILD
    ]
    if not items:
        raise ValidationError(NOTHING_DUE)
    opened = []
    for item in items:
        draft = _draft_for(episode, item) or services.administration_start(
            episode=episode,
            instrument_code=item.instrument_code,
            time_point=item.time_point,
            time_point_index=item.time_point_index,
            respondent_kind=RespondentKind.CHILD,
            entered_by=by,
            form_token=uuid.uuid4(),
        )
        opened.append(draft)
    record(
        action="kiosk.started",
        action_type=ActionType.EXECUTE,
        actor=by,
        patient_id=episode.patient_id,
        data_category=DataCategory.EPISODE,
        obj=episode,
        changes={"administrations": [a.pk for a in opened]},
    )
    return opened


def kiosk_begin(
    request: HttpRequest, *, by: User, episode: Episode
) -> list[Administration]:
    """Open the questionnaires and lock this session to them."""
    opened = kiosk_open(by=by, episode=episode)
    _store(
        request,
        KioskState(
            patient_id=episode.patient_id,
            episode_id=episode.pk,
            administration_ids=[a.pk for a in opened],
            handed_over_by=by.pk,
            last_activity=time.time(),
        ),
    )
    return opened


def kiosk_end(request: HttpRequest, *, reason: str) -> None:
    """Record why the kiosk ended, then sign the whole session out."""
    state = state_of(request)
    user = request.user
    if state is not None and isinstance(user, User):
        record(
            action="kiosk.ended",
            action_type=ActionType.EXECUTE,
            actor=user,
            patient_id=state.patient_id,
            data_category=DataCategory.EPISODE,
            changes={"reason": reason, "administrations": state.administration_ids},
        )
    accounts.logout(request=request)


def ended_response(request: HttpRequest, reason: str) -> HttpResponse:
    response = redirect(f"{reverse('instruments:kiosk_ended')}?reason={reason}")
    if request.headers.get("HX-Request"):
        response["HX-Redirect"] = response["Location"]
    # Nothing of the session stays on the tablet (as on sign-out).
    response["Clear-Site-Data"] = '"cache", "storage"'
    return response


class KioskMiddleware:
    """Keeps a kiosk session on its own pages and ends it after five idle minutes."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        state = state_of(request) if request.user.is_authenticated else None
        if state is None:
            return self.get_response(request)
        now = time.time()
        if now - state.last_activity > settings.KIOSK_IDLE_TIMEOUT.total_seconds():
            kiosk_end(request, reason="idle")
            return ended_response(request, "idle")
        if self._view_name(request) not in KIOSK_VIEWS:
            return self._refuse(request, state)
        state.last_activity = now
        _store(request, state)
        return self.get_response(request)

    def _view_name(self, request: HttpRequest) -> str:
        try:
            return resolve(request.path_info).view_name
        except Resolver404:
            return ""

    def _refuse(self, request: HttpRequest, state: KioskState) -> HttpResponse:
        record(
            action="kiosk.page_refused",
            action_type=ActionType.READ,
            actor=request.user,
            patient_id=state.patient_id,
            data_category=DataCategory.EPISODE,
            outcome=Outcome.FAILURE,
            outcome_reason="kiosk mode",
            changes={"path": request.path_info[:200]},
        )
        seconds = int(settings.KIOSK_IDLE_TIMEOUT.total_seconds())
        context = {"kiosk_idle_seconds": seconds}
        return render(request, "instruments/kiosk_locked.html", context, status=403)
