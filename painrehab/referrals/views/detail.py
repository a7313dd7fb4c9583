"""One referral's page, its documents, and the coordinator's triage note."""

from typing import Any

from django.contrib import messages
from django.http import FileResponse, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from painrehab.accounts.choices import Role
from painrehab.accounts.decorators import roles
from painrehab.common.htmx import HtmxHttpRequest
from painrehab.episodes.choices import Phase
from painrehab.patients import chart
from painrehab.referrals import codes, selectors, services
from painrehab.referrals.choices import PriorTreatment
from painrehab.referrals.forms import TriageForm
from painrehab.referrals.models import Referral, ReferralDiagnosis
from painrehab.referrals.views._common import COORDINATOR, DECIDERS, READERS, user_of

DETAIL = "referrals/referral_detail.html"


def _diagnoses(referral: Referral) -> list[tuple[ReferralDiagnosis, str]]:
    labels = codes.group_labels()
    return [(dx, labels.get(dx.group, dx.group)) for dx in referral.diagnoses.all()]


def _treatments(referral: Referral) -> list[str]:
    labels = dict(PriorTreatment.choices)
    return [str(labels.get(value, value)) for value in referral.prior_treatments]


def _context(
    request: HtmxHttpRequest, referral: Referral, triage_form: TriageForm | None = None
) -> dict[str, Any]:
    role, episode = user_of(request).role, referral.episode
    visit = selectors.visit_of(episode)
    open_for_decision = episode.phase in selectors.QUEUE_PHASES
    return {
        "referral": referral,
        "episode": episode,
        "patient": episode.patient,
        "visit": visit,
        "evaluations": list(visit.evaluations.all()) if visit else [],
        "decisions": list(episode.decisions.all()),
        "diagnoses": _diagnoses(referral),
        "treatments": _treatments(referral),
        "rules": services.eligibility_assess(episode=episode, planned_admission=None),
        "triage_form": triage_form
        or TriageForm(initial={"note": referral.triage_note}),
        "can_triage": role == Role.COORDINATOR,
        "can_schedule": role == Role.COORDINATOR and episode.phase == Phase.REFERRED,
        "can_decide": role in DECIDERS and open_for_decision,
        **chart.header_context(episode.patient),
    }


@require_GET
@roles(*READERS)
def referral_detail(request: HtmxHttpRequest, episode_id: int) -> HttpResponse:
    user = user_of(request)
    referral = selectors.referral_get(user=user, episode_id=episode_id)
    return render(request, DETAIL, _context(request, referral))


@require_GET
@roles(*READERS)
def attachment(
    request: HtmxHttpRequest, episode_id: int, attachment_id: int
) -> FileResponse:
    """The document under a neutral name: the uploaded name may name the child."""
    download = selectors.attachment_get(
        user=user_of(request), episode_id=episode_id, attachment_id=attachment_id
    )
    stored = download.attachment
    return FileResponse(
        stored.file.open("rb"),
        as_attachment=True,
        filename=download.filename,
        content_type=stored.content_type,
    )


@require_POST
@roles(*COORDINATOR)
def triage_update(request: HtmxHttpRequest, episode_id: int) -> HttpResponse:
    user = user_of(request)
    referral = selectors.referral_get(user=user, episode_id=episode_id)
    form = TriageForm(request.POST)
    if not form.is_valid():
        return render(request, DETAIL, _context(request, referral, form))
    services.referral_triage(referral=referral, by=user, note=form.cleaned_data["note"])
    messages.success(request, _("Triage note saved."))
    return redirect("referrals:referral_detail", episode_id=episode_id)
