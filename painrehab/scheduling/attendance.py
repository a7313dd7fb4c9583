"""Session attendance for the team conference's agenda card.

``attendance_for(episode, since, until)`` is registered with
``careplans.agenda.register_attendance`` (``SchedulingConfig.ready``). It counts
the child's sessions from ``since`` to ``until`` that have started by now: how
many were attended, partly attended, missed or refused (with the reasons given),
and how many have no attendance yet. ``None`` when the child has no sessions at
all, so the card says "No timetable yet".
"""

import datetime as dt
from collections import Counter, defaultdict

from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from painrehab.careplans.agenda import Attendance
from painrehab.episodes.models import Episode
from painrehab.scheduling.choices import AttendanceStatus
from painrehab.scheduling.models import SessionPatient

REASONS_SHOWN = 3


def _started_by(now: dt.datetime) -> Q:
    local = timezone.localtime(now)
    today, time = local.date(), local.time()
    return Q(session__day__lt=today) | Q(session__day=today, session__start__lte=time)


def _part(count: int, status: str, reasons: list[str]) -> str:
    words = {
        AttendanceStatus.PARTIAL: ngettext(
            "%(n)d partly attended", "%(n)d partly attended", count
        ),
        AttendanceStatus.MISSED: ngettext("%(n)d missed", "%(n)d missed", count),
        AttendanceStatus.REFUSED: ngettext("%(n)d refused", "%(n)d refused", count),
        "": ngettext("%(n)d not yet recorded", "%(n)d not yet recorded", count),
    }[status] % {"n": count}
    distinct = list(dict.fromkeys(r for r in reasons if r))[:REASONS_SHOWN]
    return f"{words} ({'; '.join(distinct)})" if distinct else words


def attendance_text(rows: list[tuple[str, str]]) -> str:
    """The counts other than "attended", e.g. "1 missed (sick), 1 refused."."""
    counts = Counter(status for status, _reason in rows)
    reasons: dict[str, list[str]] = defaultdict(list)
    for status, reason in rows:
        reasons[status].append(reason)
    order = (
        AttendanceStatus.PARTIAL,
        AttendanceStatus.MISSED,
        AttendanceStatus.REFUSED,
        "",
    )
    parts = [_part(counts[s], s, reasons[s]) for s in order if counts[s]]
    if not rows:
        return _("No sessions have taken place yet.")
    return ", ".join(parts) + "." if parts else ""


def attendance_for(
    episode: Episode,
    since: dt.date,
    until: dt.date,
    now: dt.datetime | None = None,
) -> Attendance | None:
    """The child's attendance from ``since`` to ``until`` (sessions started by now)."""
    mine = SessionPatient.objects.filter(episode=episode)
    if not mine.exists():
        return None
    rows = list(
        mine.filter(_started_by(now or timezone.now()))
        .filter(session__day__gte=since, session__day__lte=until)
        .values_list("attendance", "reason")
        .order_by("session__day", "session__start", "pk")
    )
    attended = sum(1 for status, _reason in rows if status == AttendanceStatus.ATTENDED)
    return Attendance(
        available=True,
        text=attendance_text(rows),
        attended=attended,
        scheduled=len(rows),
    )
