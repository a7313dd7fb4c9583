"""Kinds, statuses, confidentiality reason codes and who may write which note."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from painrehab.accounts.choices import CLINICAL_ROLES, Role


class NoteKind(models.TextChoices):
    """What a note documents; each template in ``templates_catalog`` has one kind."""

    EVALUATION = "evaluation", _("Evaluation")
    DAILY_PROGRESS = "daily_progress", _("Daily progress")
    GROUP_SESSION = "group_session", _("Group session")
    NURSING_SHIFT = "nursing_shift", _("Nursing shift")
    TEAM_CONFERENCE = "team_conference", _("Team conference")
    DISCHARGE = "discharge", _("Discharge")


class NoteStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    SIGNED = "signed", _("Signed")


class ConfidentialityReason(models.TextChoices):
    """Why an adolescent-confidential note is withheld from parents (MIN-3).

    Each code names the information-blocking exception or the "required by law"
    basis it rests on (reference/security.md §3a and §3b rule 2). The texts are an
    engineering reading, not legal advice: the hospital's privacy officer signs
    them off (security.md §9).
    """

    TEEN_REQUEST = (
        "teen_request_171_202_e",
        _(
            "The teen asked that this not be shared with parents "
            "(45 CFR 171.202(e), individual's request not to share)"
        ),
    )
    DETRIMENT = (
        "preventing_harm_171_201",
        _(
            "Parent access would harm the clinician's relationship with the teen "
            "or the teen's safety or well-being (Cal. HSC 123115(a)(2); "
            "45 CFR 171.201 preventing harm)"
        ),
    )
    MINOR_CONSENTED = (
        "required_by_law_123115_a1",
        _(
            "Care the teen lawfully consented to on their own (Cal. HSC "
            "123115(a)(1); HIPAA 164.502(g)(3)): required by law"
        ),
    )
    SENSITIVE_SERVICE = (
        "required_by_law_123115_a3",
        _(
            "A minor-consent service under Cal. Fam. Code 6924–6930 or HSC "
            "124260 (Cal. HSC 123115(a)(3)): required by law"
        ),
    )
    PROGRAM_POLICY = (
        "privacy_171_202_b",
        _(
            "The program's written policy withholds this kind of note from "
            "parents of teens (45 CFR 171.202(b), precondition not satisfied)"
        ),
    )


# Only licensed mental-health roles write psychotherapy notes (164.501).
PSYCHOTHERAPY_NOTE_ROLES = frozenset({Role.PSYCHOLOGIST, Role.SOCIAL_WORKER})
# Ordinary notes: every clinical role, narrowed by each template's disciplines.
NOTE_WRITER_ROLES = CLINICAL_ROLES
# A note signed this long after the end of its service date is a late entry.
LATE_ENTRY_HOURS = 24
