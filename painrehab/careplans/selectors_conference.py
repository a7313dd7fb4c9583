"""Reads of the team conference, through the access funnel.

A conference itself (its date, chair, status) is not patient data; each child on
it is. Pages show a person only the children they may see
(``Patient.objects.visible_to``): a physical therapist sees the cards of their own
patients, the coordinator every card. Each card shown is an audited read
(``conference.viewed``); asking for someone else's child's card is recorded as a
refused read and answered as a missing page.

``family_summaries_for(patient)`` is the family portal's read: released summaries
only, for a patient the caller obtained through the portal's own funnel.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime

from django.db.models import Count, Prefetch, QuerySet
from django.http import Http404
from django.utils import timezone

from painrehab.accounts.choices import Discipline
from painrehab.accounts.models import User
from painrehab.audit.actions import ActionType, AuditAction, DataCategory, Outcome
from painrehab.audit.services import record
from painrehab.careplans.agenda import Agenda, agenda_of
from painrehab.careplans.choices import (
    PRESCRIBABLE_DISCIPLINES,
    ConferenceStatus,
    PrescriptionStatus,
)
from painrehab.careplans.family_draft import family_summary_draft
from painrehab.careplans.models import (
    ConferenceDecision,
    ConferenceItem,
    DisciplineUpdate,
    FamilySummary,
    Prescription,
    TeamConference,
)
from painrehab.careplans.rules import (
    Part,
    discipline_of,
    editable_disciplines,
    may_edit,
)
from painrehab.careplans.services.conferences import (
    LEAD_ROLES,
    addable_stays,
    inpatient_stays_on,
)
from painrehab.episodes.models import Episode, Stay
from painrehab.patients.access import PatientNotFound
from painrehab.patients.models import Patient

REFUSED = "not found or not permitted"
NO_CONFERENCE = "No such team conference."


# --- The list ---------------------------------------------------------------------


@dataclass(frozen=True)
class ConferenceLine:
    conference: TeamConference
    children: int


@dataclass(frozen=True)
class ConferenceList:
    upcoming: list[ConferenceLine]
    past: list[ConferenceLine]


def conference_list(*, user: User) -> ConferenceList:
    """Open and planned conferences (soonest first), then closed ones (newest
    first), each with the number of children on it that ``user`` may see."""
    visible = Patient.objects.visible_to(user).values("pk")
    counts = dict(
        ConferenceItem.objects.filter(episode__patient__in=visible)
        .values("conference")
        .annotate(n=Count("pk"))
        .values_list("conference", "n")
    )
    rows = TeamConference.objects.select_related("chaired_by").order_by("held_on", "pk")
    lines = [ConferenceLine(c, counts.get(c.pk, 0)) for c in rows]
    return ConferenceList(
        upcoming=[x for x in lines if not x.conference.is_closed],
        past=[x for x in reversed(lines) if x.conference.is_closed],
    )


def conference_get(*, conference_id: int) -> TeamConference:
    found = (
        TeamConference.objects.select_related("chaired_by", "closed_by")
        .filter(pk=conference_id)
        .first()
    )
    if found is None:
        raise Http404(NO_CONFERENCE)
    return found


# --- Cards ------------------------------------------------------------------------


@dataclass(frozen=True)
class Card:
    """One child's agenda card: the agenda, the updates, decisions and summary."""

    item: ConferenceItem
    patient: Patient
    agenda: Agenda
    updates: list[DisciplineUpdate]
    decisions: list[ConferenceDecision]
    summary: FamilySummary | None

    @property
    def first_name(self) -> str:
        return self.patient.preferred_name or self.patient.given_name


def _items(conference: TeamConference, user: User) -> QuerySet[ConferenceItem]:
    visible = Patient.objects.visible_to(user).values("pk")
    return (
        ConferenceItem.objects.filter(
            conference=conference, episode__patient__in=visible
        )
        .select_related(
            "conference", "episode__patient", "episode__stay__bed", "family_summary"
        )
        .prefetch_related(
            Prefetch(
                "updates",
                queryset=DisciplineUpdate.objects.select_related("written_by"),
            ),
            Prefetch(
                "decisions",
                queryset=ConferenceDecision.objects.select_related("decided_by"),
            ),
        )
        .order_by("episode__stay__bed__number", "pk")
    )


def _summary(item: ConferenceItem) -> FamilySummary | None:
    try:
        return item.family_summary
    except FamilySummary.DoesNotExist:
        return None


def _card(item: ConferenceItem) -> Card:
    return Card(
        item=item,
        patient=item.episode.patient,
        agenda=agenda_of(item),
        updates=list(item.updates.all()),
        decisions=list(item.decisions.all()),
        summary=_summary(item),
    )


def _audit_read(
    user: User, item: ConferenceItem | TeamConference, patient_id: int
) -> None:
    record(
        action=AuditAction.CONFERENCE_VIEWED,
        action_type=ActionType.READ,
        actor=user,
        patient_id=patient_id,
        data_category=DataCategory.CARE_PLAN,
        obj=item,
    )


@dataclass(frozen=True)
class ConferencePage:
    conference: TeamConference
    cards: list[Card]
    may_lead: bool
    coming: list[Stay] = field(default_factory=list)
    addable: list[Stay] = field(default_factory=list)


def _visible_stays(user: User, stays: list[Stay]) -> list[Stay]:
    visible = set(
        Patient.objects.visible_to(user)
        .filter(pk__in=[s.episode.patient_id for s in stays])
        .values_list("pk", flat=True)
    )
    return [s for s in stays if s.episode.patient_id in visible]


def conference_page(*, user: User, conference_id: int) -> ConferencePage:
    """The conference with the cards of the children ``user`` may see (audited).

    A planned conference lists who will be on it; an open one offers the lead
    the children admitted since it started.
    """
    conference = conference_get(conference_id=conference_id)
    may_lead = user.role in LEAD_ROLES
    if conference.status == ConferenceStatus.PLANNED:
        coming = _visible_stays(user, inpatient_stays_on(conference.held_on))
        for stay in coming:
            _audit_read(user, conference, stay.episode.patient_id)
        return ConferencePage(conference, [], may_lead, coming=coming)
    cards = []
    for item in _items(conference, user):
        _audit_read(user, item, item.episode.patient_id)
        cards.append(_card(item))
    addable: list[Stay] = []
    if conference.is_open and may_lead:
        addable = _visible_stays(user, addable_stays(conference))
    return ConferencePage(conference, cards, may_lead, addable=addable)


def addable_episode(
    *, user: User, conference: TeamConference, episode_id: int
) -> Episode:
    """An inpatient not on the agenda yet whom ``user`` may see, else "not found"."""
    for stay in _visible_stays(user, addable_stays(conference)):
        if stay.episode_id == episode_id:
            return stay.episode
    raise PatientNotFound


def _refused(user: User, item_id: int) -> PatientNotFound:
    record(
        action=AuditAction.CONFERENCE_VIEWED,
        action_type=ActionType.READ,
        actor=user,
        data_category=DataCategory.CARE_PLAN,
        outcome=Outcome.FAILURE,
        outcome_reason=REFUSED,
        changes={"conference_item_requested": item_id},
    )
    return PatientNotFound()


def conference_card(*, user: User, conference_id: int, item_id: int) -> Card:
    """One child's card, if ``user`` may see the child (audited either way)."""
    found = _items(conference_get(conference_id=conference_id), user)
    item = found.filter(pk=item_id).first()
    if item is None:
        raise _refused(user, item_id)
    _audit_read(user, item, item.episode.patient_id)
    return _card(item)


# --- What the forms on a card need --------------------------------------------------


@dataclass(frozen=True)
class CardTools:
    """What ``user`` may do on a card: their discipline's update, the
    prescriptions they may change, the stay, and the drafted family summary."""

    discipline: str | None
    own_update: DisciplineUpdate | None
    prescriptions: list[Prescription]
    may_change_stay: bool
    summary_draft: str

    @property
    def discipline_label(self) -> str:
        d = self.discipline
        return str(Discipline(d).label) if d in Discipline.values else d or ""


def current_prescriptions(item: ConferenceItem) -> list[Prescription]:
    """The child's active prescriptions that have not ended, in the plan's order."""
    today = timezone.localdate()
    rows = Prescription.objects.filter(
        care_plan__episode=item.episode, status=PrescriptionStatus.ACTIVE
    ).order_by("pk")
    return [p for p in rows if p.ends_on is None or p.ends_on >= today]


def card_tools(*, user: User, card: Card) -> CardTools:
    discipline = discipline_of(user)
    mine = editable_disciplines(user, Part.PRESCRIPTION, PRESCRIBABLE_DISCIPLINES)
    draft = family_summary_draft(
        first_name=card.first_name, agenda=card.agenda, decisions=card.decisions
    )
    return CardTools(
        discipline=discipline,
        own_update=next((u for u in card.updates if u.discipline == discipline), None),
        prescriptions=[
            p for p in current_prescriptions(card.item) if p.discipline in mine
        ],
        may_change_stay=may_edit(user, Part.HEADER),
        summary_draft=draft,
    )


def update_of(*, item: ConferenceItem, discipline: str) -> DisciplineUpdate | None:
    """The saved update of one discipline (shown when a save turns out stale)."""
    return (
        DisciplineUpdate.objects.select_related("written_by")
        .filter(item=item, discipline=discipline)
        .first()
    )


def summary_of(item: ConferenceItem) -> FamilySummary | None:
    return FamilySummary.objects.select_related("written_by").filter(item=item).first()


# --- The family portal's read ------------------------------------------------------


@dataclass(frozen=True)
class ReleasedSummary:
    """A conference summary released to the family."""

    held_on: date
    text: str
    released_at: datetime


def family_summaries_for(patient: Patient) -> list[ReleasedSummary]:
    """Released family summaries of ``patient``, newest conference first.

    ``patient`` must come through the caller's funnel (the portal's guardian or
    self scope). Drafts and summaries never released are not returned.
    """
    rows = (
        FamilySummary.objects.filter(
            item__episode__patient=patient, released_at__isnull=False
        )
        .select_related("item__conference")
        .order_by("-item__conference__held_on", "-pk")
    )
    return [
        ReleasedSummary(r.item.conference.held_on, r.text, r.released_at)
        for r in rows
        if r.released_at is not None
    ]
