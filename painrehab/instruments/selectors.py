"""Reads: what is due (computed, never stored), score history, flagged scores.

The due list is derived from the protocol and the episode's own dates each time it
is read, so admission, discharge or a moved follow-up need no hook here. A time
point's window closes when the next one opens: admission and weekly items at
discharge, discharge items at the end of step-down, and each weekly or follow-up
occurrence when the next one falls due (a missed week is not backfilled).
"""

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from django.core.exceptions import ObjectDoesNotExist
from django.db.models import Prefetch, Q, QuerySet

from painrehab.accounts.models import User
from painrehab.domain.scoring.content import demo_pack_path
from painrehab.episodes.choices import OPEN_PHASES, FollowUpStatus
from painrehab.episodes.models import Episode, FollowUp, Stay, StepDownPlan
from painrehab.instruments.choices import (
    AdministrationStatus,
    RespondentKind,
    TimePoint,
)
from painrehab.instruments.models import Administration, Score
from painrehab.instruments.protocol import (
    DEFAULT_PROTOCOL,
    GRACE_DAYS,
    WEEK_DAYS,
    Protocol,
    entries_at,
)
from painrehab.patients.access import PatientNotFound, patient_get_for_user
from painrehab.patients.models import Guardian, Patient

Key = tuple[str, str, int]  # instrument code, time point, index


@dataclass(frozen=True)
class DueItem:
    """One questionnaire to give: what, from whom, for which time point, by when."""

    instrument_code: str
    respondent: RespondentKind
    time_point: TimePoint
    time_point_index: int
    due_on: date
    overdue: bool
    in_progress: bool = False

    @property
    def label(self) -> str:
        point = str(TimePoint(self.time_point).label)
        if self.time_point == TimePoint.WEEKLY:
            point = f"{point} {self.time_point_index}"
        suffix = " (overdue)" if self.overdue else ""
        return f"{self.instrument_code} · {point}{suffix}"


@dataclass(frozen=True)
class Occurrence:
    time_point: TimePoint
    index: int
    due_on: date
    closes_on: date | None  # first day it is no longer due


def _one(episode: Episode, attr: str) -> Stay | StepDownPlan | None:
    try:
        return getattr(episode, attr)  # type: ignore[no-any-return]
    except ObjectDoesNotExist:
        return None


def _stay_occurrences(stay: Stay, today: date) -> list[Occurrence]:
    found = [Occurrence(TimePoint.ADMISSION, 0, stay.admitted_on, stay.discharged_on)]
    week = (today - stay.admitted_on).days // WEEK_DAYS
    if stay.discharged_on is None and week >= 1:
        due = stay.admitted_on + timedelta(days=WEEK_DAYS * week)
        found.append(
            Occurrence(TimePoint.WEEKLY, week, due, due + timedelta(days=WEEK_DAYS))
        )
    return found


def _aftercare_occurrences(
    stay: Stay, step_down: StepDownPlan | None, follow_ups: Sequence[FollowUp]
) -> list[Occurrence]:
    if stay.discharged_on is None:
        return []
    end = (
        step_down.starts_on + timedelta(days=WEEK_DAYS * step_down.weeks)
        if step_down is not None
        else None
    )
    found = [Occurrence(TimePoint.DISCHARGE, 0, stay.discharged_on, end)]
    visits = sorted(
        (f for f in follow_ups if f.status != FollowUpStatus.CANCELLED),
        key=lambda f: f.due_on,
    )
    if end is not None:
        first_visit = next((f.due_on for f in visits if f.due_on > end), None)
        found.append(Occurrence(TimePoint.END_OF_STEP_DOWN, 0, end, first_visit))
    for visit, following in zip(visits, [*visits[1:], None], strict=True):
        closes = following.due_on if following is not None else None
        found.append(
            Occurrence(TimePoint.FOLLOW_UP, visit.months_after, visit.due_on, closes)
        )
    return found


def _occurrences(episode: Episode, today: date) -> list[Occurrence]:
    stay = _one(episode, "stay")
    if episode.phase not in OPEN_PHASES or not isinstance(stay, Stay):
        return []
    step_down = _one(episode, "step_down")
    found = _stay_occurrences(stay, today) + _aftercare_occurrences(
        stay,
        step_down if isinstance(step_down, StepDownPlan) else None,
        list(episode.follow_ups.all()),
    )
    return [
        o
        for o in found
        if o.due_on <= today and (o.closes_on is None or today < o.closes_on)
    ]


def _keys(administrations: Iterable[Administration]) -> tuple[set[Key], set[Key]]:
    submitted: set[Key] = set()
    drafts: set[Key] = set()
    for a in administrations:
        key = (a.instrument_version.code, a.time_point, a.time_point_index)
        (submitted if a.is_submitted else drafts).add(key)
    return submitted, drafts


def _due_for(episode: Episode, today: date, protocol: Protocol) -> list[DueItem]:
    # Prefetched by _episodes_for_due; the reverse accessor is not typed everywhere.
    administrations = episode.administrations.all()  # type: ignore[attr-defined,unused-ignore]
    submitted, drafts = _keys(administrations)
    items: list[DueItem] = []
    birth = episode.patient.date_of_birth
    for occurrence in _occurrences(episode, today):
        for entry in entries_at(protocol, occurrence.time_point):
            key = (entry.code, occurrence.time_point, occurrence.index)
            if key in submitted or not entry.applies(
                birth_date=birth, on=occurrence.due_on
            ):
                continue
            items.append(
                DueItem(
                    instrument_code=entry.code,
                    respondent=entry.respondent,
                    time_point=occurrence.time_point,
                    time_point_index=occurrence.index,
                    due_on=occurrence.due_on,
                    overdue=(today - occurrence.due_on).days > GRACE_DAYS,
                    in_progress=key in drafts,
                )
            )
    return items


def _episodes_for_due() -> QuerySet[Episode]:
    """Everything the due list reads, in a fixed number of queries."""
    return (
        Episode.objects.filter(phase__in=sorted(OPEN_PHASES))
        .select_related("patient", "stay", "step_down")
        .prefetch_related(
            "follow_ups",
            Prefetch(
                "administrations",
                queryset=Administration.objects.select_related("instrument_version"),
            ),
        )
    )


def due_list(
    *, episode: Episode, today: date, protocol: Protocol = DEFAULT_PROTOCOL
) -> list[DueItem]:
    """Questionnaires due (or overdue) for ``episode`` on ``today``, oldest first."""
    loaded = _episodes_for_due().filter(pk=episode.pk).first()
    if loaded is None:
        return []
    return _due_for(loaded, today, protocol)


def _due_by_patient(
    patient_ids: Sequence[int], today: date
) -> dict[int, list[DueItem]]:
    episodes = _episodes_for_due().filter(patient_id__in=list(patient_ids))
    return {
        episode.patient_id: _due_for(episode, today, DEFAULT_PROTOCOL)
        for episode in episodes
    }


def due_counts_for_patients(patient_ids: Sequence[int], today: date) -> dict[int, int]:
    """Number of due questionnaires per patient (open episode), in fixed queries."""
    return {
        pid: len(items) for pid, items in _due_by_patient(patient_ids, today).items()
    }


def due_labels_for_patients(
    patient_ids: Sequence[int], today: date
) -> dict[int, tuple[str, ...]]:
    """The census provider (``episodes.selectors.census``): labels per patient."""
    return {
        pid: tuple(item.label for item in items)
        for pid, items in _due_by_patient(patient_ids, today).items()
        if items
    }


@dataclass(frozen=True)
class HistoryPoint:
    """One submitted, not-superseded score of one instrument, for a chart over time."""

    administration_id: int
    time_point: str
    time_point_index: int
    submitted_at: datetime
    answered_on: date
    respondent_kind: str
    total: float | None
    t_score: float | None
    band: str
    flagged: bool
    scorable: bool
    is_correction: bool


def administration_history(*, patient: Patient) -> dict[str, list[HistoryPoint]]:
    """Scores over time per instrument code, oldest first.

    ``patient`` must come from the access funnel (``patient_get_for_user``). An
    administration whose correction has been submitted is replaced by it.
    """
    administrations = (
        Administration.objects.filter(
            episode__patient=patient, status=AdministrationStatus.SUBMITTED
        )
        .exclude(corrections__status=AdministrationStatus.SUBMITTED)
        .select_related("instrument_version", "score")
        .order_by("answered_on", "submitted_at", "pk")
    )
    history: dict[str, list[HistoryPoint]] = {}
    for a in administrations:
        history.setdefault(a.instrument_version.code, []).append(_point(a))
    return history


def _point(a: Administration) -> HistoryPoint:
    score = a.score
    return HistoryPoint(
        administration_id=a.pk,
        time_point=a.time_point,
        time_point_index=a.time_point_index,
        submitted_at=a.submitted_at or a.updated_at,
        answered_on=a.answered_on or (a.submitted_at or a.updated_at).date(),
        respondent_kind=a.respondent_kind,
        total=score.total,
        t_score=score.t_score,
        band=score.band,
        flagged=score.flagged,
        scorable=score.scorable,
        is_correction=a.corrects_id is not None,
    )


def compared_value(point: HistoryPoint, *, on_t: bool) -> float | None:
    """What a change is measured on: T-scores for PROMIS, raw totals for the rest
    (each instrument's meaningful-change threshold is in those units)."""
    return point.t_score if on_t else point.total


def admission_baseline(points: Sequence[HistoryPoint], *, on_t: bool) -> float | None:
    """The first admission score among ``points`` (oldest first), if any."""
    return next(
        (
            compared_value(p, on_t=on_t)
            for p in points
            if p.time_point == TimePoint.ADMISSION
        ),
        None,
    )


def change_from(
    baseline: float | None, value: float | None, threshold: float | None
) -> tuple[float | None, bool | None]:
    """The change since the baseline and whether it reaches ``threshold``; ``None``
    where either score is missing or no threshold is published."""
    if value is None or baseline is None:
        return None, None
    change = value - baseline
    return change, (abs(change) >= threshold if threshold is not None else None)


def flagged_scores_for(user: User) -> QuerySet[Score]:
    """Flagged, unacknowledged scores of the patients ``user`` may see (the funnel)."""
    return (
        Score.objects.filter(
            flagged=True,
            acknowledged_at__isnull=True,
            administration__episode__patient__in=Patient.objects.visible_to(user),
        )
        .select_related(
            "administration__instrument_version", "administration__episode__patient"
        )
        .order_by("scored_at", "pk")
    )


def administration_get(*, user: User, administration_id: int) -> Administration:
    """An administration whose patient passes the access funnel.

    Raises ``PatientNotFound`` (shown as the same 404 as a missing page) when there
    is no such administration or ``user`` may not see its patient.
    """
    found = (
        Administration.objects.select_related(
            "episode__patient",
            "instrument_version",
            "respondent_patient",
            "respondent_guardian",
            "respondent_user",
            "entered_by",
            "corrects",
        )
        .filter(pk=administration_id)
        .first()
    )
    if found is None:
        raise PatientNotFound
    patient_get_for_user(user=user, patient_id=found.episode.patient_id)
    return found


def score_of(administration: Administration) -> Score | None:
    return Score.objects.filter(administration=administration).first()


def corrections_of(administration: Administration) -> list[Administration]:
    """Corrections made to ``administration``, oldest first."""
    return list(
        administration.corrections.select_related("entered_by").order_by(
            "created_at", "pk"
        )
    )


# --- One respondent's own forms (the family portal) -------------------------


@dataclass(frozen=True)
class RespondentDue:
    """A due questionnaire for one respondent, with their own draft if started."""

    item: DueItem
    draft: Administration | None


@dataclass(frozen=True)
class RespondentForms:
    """What one respondent (a guardian, or the child) has to fill in and has done.

    ``due``: due for their kind of respondent, oldest first, each with their own
    draft if they started one. ``drafts``: their other unfinished forms (no longer
    on the due list, for example because the time point has passed). ``done``:
    what they submitted in this episode, newest first.
    """

    due: list[RespondentDue]
    drafts: list[Administration]
    done: list[Administration]


def respondent_administrations(
    *,
    episode: Episode,
    respondent_kind: RespondentKind,
    guardian: Guardian | None = None,
) -> QuerySet[Administration]:
    """The administrations ``episode``'s child (kind child) or ``guardian`` (kind
    parent) answers, corrections by the team left out.

    Never another respondent's forms: a parent form of another guardian, a child
    form for a guardian, a parent form for the child.
    """
    if respondent_kind == RespondentKind.PARENT:
        if guardian is None:
            raise ValueError("a parent respondent needs the guardian")
        who = Q(respondent_guardian=guardian)
    elif respondent_kind == RespondentKind.CHILD:
        who = Q(respondent_patient_id=episode.patient_id)
    else:
        raise ValueError("only parent and child respondents fill in their own forms")
    return Administration.objects.filter(
        who,
        episode=episode,
        respondent_kind=respondent_kind,
        corrects__isnull=True,
    ).select_related("instrument_version", "episode__patient")


def _due_key(item: DueItem) -> Key:
    return (item.instrument_code, item.time_point, item.time_point_index)


def _key_of(a: Administration) -> Key:
    return (a.instrument_version.code, a.time_point, a.time_point_index)


def respondent_forms(
    *,
    episode: Episode,
    today: date,
    respondent_kind: RespondentKind,
    guardian: Guardian | None = None,
    protocol: Protocol = DEFAULT_PROTOCOL,
) -> RespondentForms:
    """Due forms of this respondent's kind, their own drafts and their done forms."""
    own = list(
        respondent_administrations(
            episode=episode, respondent_kind=respondent_kind, guardian=guardian
        ).order_by("created_at", "pk")
    )
    drafts: dict[Key, Administration] = {}
    for a in own:
        if not a.is_submitted:
            drafts.setdefault(_key_of(a), a)  # the oldest draft of each form
    items = [
        item
        for item in due_list(episode=episode, today=today, protocol=protocol)
        if item.respondent == respondent_kind
    ]
    due = [RespondentDue(item, drafts.get(_due_key(item))) for item in items]
    on_list = {d.draft.pk for d in due if d.draft is not None}
    done = sorted(
        (a for a in own if a.is_submitted),
        key=lambda a: (a.answered_on or date.min, a.pk),
        reverse=True,
    )
    return RespondentForms(
        due=due,
        drafts=[a for a in own if not a.is_submitted and a.pk not in on_list],
        done=done,
    )


def respondent_administration_get(
    *,
    episode: Episode,
    administration_id: int,
    respondent_kind: RespondentKind,
    guardian: Guardian | None = None,
) -> Administration:
    """One of this respondent's administrations in ``episode``.

    ``PatientNotFound`` (the 404 of a missing page) for any other id: another
    episode's, another family's, another respondent's or a made-up one.
    """
    found = (
        respondent_administrations(
            episode=episode, respondent_kind=respondent_kind, guardian=guardian
        )
        .select_related("entered_by", "respondent_guardian", "respondent_patient")
        .filter(pk=administration_id)
        .first()
    )
    if found is None:
        raise PatientNotFound
    return found


def has_wording(code: str) -> bool:
    """Whether a content pack (wording of the items) ships for ``code``.

    Only such instruments can be shown to a family to fill in; the others are
    given by the team (instruments.md: no wording without a licence).
    """
    return demo_pack_path(code, "en").exists()
