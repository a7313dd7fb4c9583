"""Reports for the demo: a few PDFs already sent, so the Reports tab has history.

Runs last, once discharges, goals, measures and home exercises exist, and writes
only through ``outcomes.services.report_generate``, so each report is stored with
its digest and accounted for as a disclosure like any other. The children whose
inpatient stay ended last get the discharge summary their attending physician sent
to the referrer; the most recently discharged child also gets the school letter and
the family progress report in the family's language, both by the social worker.
A PDF takes about a second, so the set stays small: the summaries of the three
most recent discharges.
"""

import random
import uuid
from datetime import date

from painrehab.accounts.models import User
from painrehab.episodes.models import Discharge, Episode
from painrehab.outcomes import reports, services
from painrehab.outcomes.choices import ReportKind
from painrehab.outcomes.forms import FORMS, ReportForm, SchoolLetterForm
from painrehab.patients.choices import TeamRole
from painrehab.patients.models import CareTeamMember

SUMMARIES = 3
# Who on the child's care team makes each kind of report.
MAKERS = {
    ReportKind.DISCHARGE_SUMMARY: TeamRole.ATTENDING,
    ReportKind.SCHOOL_LETTER: TeamRole.SOCIAL_WORKER,
    ReportKind.FAMILY_PROGRESS: TeamRole.SOCIAL_WORKER,
}


def _maker(episode: Episode, kind: ReportKind) -> User | None:
    member = (
        CareTeamMember.objects.filter(
            patient=episode.patient, team_role=MAKERS[kind], end_date__isnull=True
        )
        .select_related("member")
        .order_by("pk")
        .first()
    )
    return member.member if member else None


def _generate(
    episode: Episode, kind: ReportKind, rng: random.Random, today: date
) -> bool:
    """Fill in the kind's form as its maker would (defaults, oneself as the
    school's contact) and generate the report through the service."""
    by = _maker(episode, kind)
    if by is None or reports.not_ready(episode, kind):
        return False
    token = uuid.UUID(int=rng.getrandbits(128))
    data = {**reports.report_defaults(kind=kind, episode=episode), "form_token": token}
    data["recipient"] = data.get("recipient") or "Records office"
    if kind == ReportKind.SCHOOL_LETTER:
        contacts = reports.team_contacts(patient=episode.patient)
        data["contact"] = by.pk
        form: ReportForm = SchoolLetterForm(data, contacts=contacts)
    else:
        form = FORMS[kind](data)
    if not form.is_valid():
        raise ValueError(f"demo {kind} form refused: {form.errors.as_json()}")
    services.report_generate(
        episode=episode,
        kind=kind,
        by=by,
        report=form.report_input(form.cleaned_data),
        form_token=token,
        today=today,
    )
    return True


def reports_populate(*, rng: random.Random, today: date) -> int:
    """Generate the demo's reports; returns how many were made."""
    discharged = [
        d.episode
        for d in Discharge.objects.select_related("episode__patient").order_by(
            "-discharged_on", "pk"
        )
    ]
    made = 0
    for episode in discharged[:SUMMARIES]:
        made += _generate(episode, ReportKind.DISCHARGE_SUMMARY, rng, today)
    if discharged:
        latest = discharged[0]
        made += _generate(latest, ReportKind.SCHOOL_LETTER, rng, today)
        made += _generate(latest, ReportKind.FAMILY_PROGRESS, rng, today)
    return made
