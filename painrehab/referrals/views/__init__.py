"""Staff pages for referrals: triage, intake, the referral, evaluations, decisions."""

from painrehab.referrals.views.decision import decision
from painrehab.referrals.views.detail import attachment, referral_detail, triage_update
from painrehab.referrals.views.evaluation import evaluation, schedule
from painrehab.referrals.views.intake import intake
from painrehab.referrals.views.queue import triage

__all__ = [
    "attachment",
    "decision",
    "evaluation",
    "intake",
    "referral_detail",
    "schedule",
    "triage",
    "triage_update",
]
