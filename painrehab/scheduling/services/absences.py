"""Staff absences and the repair they lead to.

The coordinator records that a staff member is away (a whole day or part of it),
then asks for a repair: a ``SolveRun`` of kind REPAIR over that day, solved in
the background from the day's sessions (``previous``). The proposal is shown
session by session (``selectors_changes.repair_view``); accepting it applies it
in one transaction, and only if the day's sessions are still the ones it was
computed from (the fingerprint stored in ``keys``); otherwise it is out of date.
"""

import datetime as dt
import uuid

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from painrehab.accounts.choices import STAFF_ROLES, Role
from painrehab.accounts.models import User
from painrehab.audit.actions import ActionType, AuditAction, DataCategory
from painrehab.audit.services import record
from painrehab.domain import timetable as tt
from painrehab.scheduling.builder import (
    Keys,
    number_of,
    range_fingerprint,
    sessions_from_domain,
    time_of,
)
from painrehab.scheduling.choices import (
    AbsenceReason,
    RunKind,
    RunStatus,
    SessionSource,
)
from painrehab.scheduling.models import Absence, Session, SolveRun
from painrehab.scheduling.selectors_changes import OPEN_REPAIR, Proposal, proposal_of
from painrehab.scheduling.services.attendance import has_started
from painrehab.scheduling.services.change_check import Placement
from painrehab.scheduling.services.changes import audit_session
from painrehab.scheduling.services.runs import run_enqueue
from painrehab.scheduling.services.storing import unscheduled_store

NOTE_MAX = 200

ONLY_COORDINATOR = _("Only the coordinator records absences and repairs the day.")
NOT_STAFF = _("Choose a member of staff.")
IN_THE_PAST = _("The day has passed; record absences for today or later.")
BOTH_TIMES = _("Give both times, or neither for the whole day.")
END_BEFORE_START = _("The end must be after the start.")
BAD_REASON = _("Choose a reason.")
NOTE_TOO_LONG = _("Keep the note under 200 characters.")
OVERLAPS = _("{name} is already recorded as absent then ({when}).")
FORM_REUSED = _("This form was already used for something else; reload the page.")
ALREADY_CANCELLED = _("This absence was already cancelled.")
NOT_PROPOSED = _("There is no proposal to decide on (it is {status}).")
STILL_SOLVING = _("The repair is still being worked out; wait for the proposal.")
STALE_PROPOSAL = _(
    "The day's timetable changed after this proposal was made, so it is out of "
    "date and nothing was changed. Discard it and plan the repair again."
)
ABSENCE_CANCELLED = _("The absence was cancelled; the proposal is discarded.")
REPAIR_SECONDS = 5


def check_coordinator(by: User) -> None:
    if by.role != Role.COORDINATOR:
        raise PermissionDenied(ONLY_COORDINATOR)


def staff_name(user: User) -> str:
    return user.get_full_name() or user.get_username()


def absence_when(absence: Absence) -> str:
    if absence.start is None or absence.end is None:
        return str(_("the whole day"))
    return f"{absence.start:%H:%M}–{absence.end:%H:%M}"


def _overlapping(absence: Absence) -> Absence | None:
    """An absence of the same person that day (not cancelled) that overlaps."""
    others = Absence.objects.filter(
        staff=absence.staff, day=absence.day, cancelled_at__isnull=True
    )
    for other in others:
        if None in (absence.start, absence.end, other.start, other.end):
            return other  # a whole day overlaps everything
        if absence.start < other.end and other.start < absence.end:  # type: ignore[operator]
            return other
    return None


def _check_fields(
    *,
    staff: User,
    day: dt.date,
    start: dt.time | None,
    end: dt.time | None,
    reason: str,
    note: str,
) -> None:
    errors: dict[str, str] = {}
    if staff.role not in STAFF_ROLES or not staff.is_active:
        errors["staff"] = str(NOT_STAFF)
    if day < timezone.localdate():
        errors["day"] = str(IN_THE_PAST)
    if (start is None) != (end is None):
        errors["end" if end is None else "start"] = str(BOTH_TIMES)
    elif start is not None and end is not None and end <= start:
        errors["end"] = str(END_BEFORE_START)
    if reason not in AbsenceReason.values:
        errors["reason"] = str(BAD_REASON)
    if len(note) > NOTE_MAX:
        errors["note"] = str(NOTE_TOO_LONG)
    if errors:
        raise ValidationError(errors)


def _same_absence(existing: Absence, staff: User, day: dt.date) -> Absence:
    if (existing.staff_id, existing.day) != (staff.pk, day):
        raise ValidationError({"form_token": FORM_REUSED})
    return existing


def _audit(by: User, absence: Absence, changes: dict[str, object]) -> None:
    record(
        action=AuditAction.SCHEDULE_ABSENCE_RECORDED,
        action_type=ActionType.CREATE
        if "cancelled" not in changes
        else ActionType.UPDATE,
        actor=by,
        data_category=DataCategory.SCHEDULE,
        obj=absence,
        changes=changes,
    )


def absence_record(
    *,
    staff: User,
    day: dt.date,
    start: dt.time | None = None,
    end: dt.time | None = None,
    reason: str,
    note: str = "",
    by: User,
    form_token: uuid.UUID,
) -> Absence:
    """Record that ``staff`` is away on ``day`` (no times: the whole day).

    Refused: not the coordinator, a day in the past, one time without the other,
    an end not after the start, an absence overlapping one already recorded. The
    same ``form_token`` again (a double click) returns the first row.
    """
    check_coordinator(by)
    existing = Absence.objects.filter(form_token=form_token).first()
    if existing is not None:
        return _same_absence(existing, staff, day)
    note = note.strip()
    _check_fields(staff=staff, day=day, start=start, end=end, reason=reason, note=note)
    absence = Absence(
        staff=staff,
        day=day,
        start=start,
        end=end,
        reason=reason,
        note=note,
        recorded_by=by,
        form_token=form_token,
    )
    try:
        with transaction.atomic():
            # One absence at a time per person: lock their existing rows first.
            list(User.objects.select_for_update().filter(pk=staff.pk))
            other = _overlapping(absence)
            if other is not None:
                message = OVERLAPS.format(
                    name=staff_name(staff), when=absence_when(other)
                )
                raise ValidationError({"start" if start else "day": message})
            absence.save()
            _audit(
                by,
                absence,
                {
                    "staff": staff.pk,
                    "day": day.isoformat(),
                    "start": start.isoformat("minutes") if start else None,
                    "end": end.isoformat("minutes") if end else None,
                    "reason": reason,
                },
            )
    except IntegrityError:
        # A concurrent double submit won the token.
        return _same_absence(Absence.objects.get(form_token=form_token), staff, day)
    return absence


def absence_cancel(*, absence: Absence, by: User) -> Absence:
    """Cancel a recorded absence (the person is in after all).

    A repair already accepted stays as it is; an open proposal is discarded.
    """
    check_coordinator(by)
    with transaction.atomic():
        row = Absence.objects.select_for_update().get(pk=absence.pk)
        if row.cancelled_at is not None:
            raise ValidationError(ALREADY_CANCELLED)
        row.cancelled_at = timezone.now()
        row.save(update_fields=["cancelled_at"])
        _audit(by, row, {"cancelled": True})
        for run in row.runs.filter(status__in=[RunStatus.PROPOSED, RunStatus.STALE]):
            _decide(run, by, RunStatus.DISCARDED, str(ABSENCE_CANCELLED))
    return row


# --- The repair ------------------------------------------------------------------


def _affected(absence: Absence) -> bool:
    """Whether any session of the absent person that day overlaps the absence."""
    sessions = Session.objects.filter(day=absence.day, staff=absence.staff)
    if absence.start is not None and absence.end is not None:
        sessions = sessions.filter(start__lt=absence.end, end__gt=absence.start)
    return sessions.exists()


def repair_request(*, absence: Absence, by: User) -> SolveRun | None:
    """Queue the repair of the absence's day: a REPAIR run over that day, solved
    in the background from the day's sessions. ``None`` when no session involves
    the person then; an open repair of the absence is returned as it is."""
    check_coordinator(by)
    with transaction.atomic():
        row = Absence.objects.select_for_update().get(pk=absence.pk)
        if row.cancelled_at is not None:
            raise ValidationError(ALREADY_CANCELLED)
        existing = row.runs.filter(status__in=OPEN_REPAIR).order_by("-pk").first()
        if existing is not None:
            return existing
        if not _affected(row):
            return None
        run = SolveRun.objects.create(
            kind=RunKind.REPAIR,
            first_day=row.day,
            last_day=row.day,
            absence=row,
            time_limit=REPAIR_SECONDS,
            requested_by=by,
        )
        record(
            action=AuditAction.SCHEDULE_SOLVE_REQUESTED,
            action_type=ActionType.EXECUTE,
            actor=by,
            data_category=DataCategory.SCHEDULE,
            obj=run,
            changes={
                "kind": RunKind.REPAIR,
                "absence": row.pk,
                "day": row.day.isoformat(),
            },
        )
        run_enqueue(run)
    return run


def _decide(
    run: SolveRun, by: User, status: RunStatus, message: str = "", **counts: object
) -> None:
    run.status, run.message = status, message
    run.decided_by, run.decided_at = by, timezone.now()
    run.save(update_fields=["status", "message", "decided_by", "decided_at"])
    record(
        action=AuditAction.SCHEDULE_REPAIR_DECIDED,
        action_type=ActionType.UPDATE,
        actor=by,
        data_category=DataCategory.SCHEDULE,
        obj=run,
        changes={"decision": status, **counts},
    )


def _locked_run(run: SolveRun) -> SolveRun:
    row = (
        SolveRun.objects.select_for_update(of=("self",))
        .select_related("absence")
        .get(pk=run.pk)
    )
    if row.status in (RunStatus.QUEUED, RunStatus.RUNNING):
        raise ValidationError(STILL_SOLVING)
    return row


def _is_stale(run: SolveRun, keys: Keys, proposal: Proposal) -> bool:
    """The day changed since the proposal, or a session it changes has begun."""
    if range_fingerprint(run.first_day, run.last_day) != keys.fingerprint:
        return True
    changing = [r for r, _s in proposal.moved] + [r for r, _why in proposal.removed]
    return any(has_started(row) for row in changing)


def repair_accept(*, run: SolveRun, by: User) -> SolveRun:
    """Apply the proposal in one transaction, if the day is as it was when the
    proposal was made; otherwise the run is out of date and nothing changes."""
    check_coordinator(by)
    with transaction.atomic():
        row = _locked_run(run)
        if row.status != RunStatus.PROPOSED:
            raise ValidationError(
                NOT_PROPOSED.format(status=row.get_status_display().lower())
            )
        if row.absence is not None and row.absence.cancelled_at is not None:
            raise ValidationError(ABSENCE_CANCELLED)
        keys = Keys.from_json(row.keys)
        # The day's sessions wait for this decision (a move meanwhile queues).
        days = (row.first_day, row.last_day)
        list(Session.objects.select_for_update().filter(day__range=days))
        proposal = proposal_of(row)
        stale = _is_stale(row, keys, proposal)
        if stale:
            _decide(row, by, RunStatus.STALE, str(STALE_PROPOSAL))
        else:
            _apply(row, proposal, keys, by)
            _decide(
                row,
                by,
                RunStatus.APPLIED,
                _summary(proposal),
                moved=len(proposal.moved),
                removed=len(proposal.removed),
                added=len(proposal.added),
                unchanged=len(proposal.unchanged),
            )
    if stale:
        # Outside the transaction: the run stays marked out of date.
        raise ValidationError(STALE_PROPOSAL)
    return row


def _summary(proposal: Proposal) -> str:
    return str(
        _("{moved} moved, {removed} could not be placed, {unchanged} unchanged.")
    ).format(
        moved=len(proposal.moved),
        removed=len(proposal.removed),
        unchanged=len(proposal.unchanged),
    )


def _apply(run: SolveRun, proposal: Proposal, keys: Keys, by: User) -> None:
    for row, session in proposal.moved:
        old = Placement.of(row)
        row.day = dt.date.fromisoformat(session.day)
        row.start, row.end = time_of(session.start), time_of(session.end)
        row.room_id = number_of(session.room) if session.room else None
        row.source, row.run = SessionSource.REPAIR, run
        row.version += 1
        row.save(
            update_fields=["day", "start", "end", "room", "source", "run", "version"]
        )
        row.staff.set([number_of(key) for key in session.staff])
        new = Placement.of(row)
        audit_session(by, row, {"kind": "repaired", "run": run.pk}, old=old, new=new)
    for row, _reason in proposal.removed:
        audit_session(
            by, row, {"kind": "removed", "run": run.pk}, old=Placement.of(row)
        )
        row.delete()
    sessions_from_domain(
        proposal.added, keys=keys, run=run, source=SessionSource.REPAIR
    )
    solution = tt.load_solution(run.solution)
    unscheduled_store(run, solution, keys)


def repair_discard(*, run: SolveRun, by: User) -> SolveRun:
    """Discard a proposal (or one out of date); the timetable stays as it is."""
    check_coordinator(by)
    with transaction.atomic():
        row = _locked_run(run)
        if row.status not in (RunStatus.PROPOSED, RunStatus.STALE):
            raise ValidationError(
                NOT_PROPOSED.format(status=row.get_status_display().lower())
            )
        _decide(row, by, RunStatus.DISCARDED, row.message)
    return row
