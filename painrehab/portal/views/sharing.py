"""The teen's page about who else sees their portal (security.md §3b rule 4)."""

from typing import cast

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from painrehab.accounts.decorators import family
from painrehab.accounts.models import User
from painrehab.audit.actions import DataCategory
from painrehab.domain.proxy import (
    ADULT_AGE,
    Decision,
    Tier,
    decide,
    guardian_tier,
)
from painrehab.patients.models import PatientGuardian
from painrehab.portal import proxy
from painrehab.portal.access import audit_viewed, child_get, limited_categories
from painrehab.portal.navigation import NAV
from painrehab.portal.views.base import render_child


def _what_they_see(tier: Tier) -> list[str]:
    limited = limited_categories()
    return [
        str(item.label)
        for item in NAV
        if item.category is not None
        and not item.teen_only
        and decide(tier, item.category, limited=limited) == Decision(True)
    ]


@require_http_methods(["GET", "POST"])
@family
def sharing(request: HttpRequest, patient_id: int) -> HttpResponse:
    child = child_get(request, patient_id)
    if not child.is_teen:
        raise Http404
    patient = child.patient
    if request.method == "POST":
        try:
            link_id = int(request.POST.get("link", ""))
        except ValueError:
            raise Http404 from None
        user = cast(User, request.user)
        try:
            if request.POST.get("action") == "grant":
                proxy.adult_grant(patient=patient, link_id=link_id, by=user)
                messages.success(request, _("Done: they can still see your portal."))
            else:
                proxy.proxy_revoke(patient=patient, link_id=link_id, by=user)
                messages.success(
                    request, _("Done: they can no longer see your portal.")
                )
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        return redirect("portal:sharing", patient_id=patient.pk)
    today = timezone.localdate()
    links = PatientGuardian.objects.filter(patient=patient).select_related("guardian")
    rows = []
    for link in links:
        tier = guardian_tier(
            patient.date_of_birth,
            today,
            adult_granted=link.adult_access_granted_at is not None,
        )
        active = link.portal_access and tier is not Tier.NONE
        rows.append(
            {
                "link": link,
                "active": active,
                "sees": _what_they_see(tier) if active else [],
                "can_grant": link.portal_access and tier is Tier.NONE,
            }
        )
    audit_viewed(child, page="sharing", data_category=DataCategory.GUARDIANS)
    context = {"rows": rows, "adult": patient.age() >= ADULT_AGE}
    return render_child(
        request, "portal/sharing.html", child, current="sharing", context=context
    )
