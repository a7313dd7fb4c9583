"""Clinical notes for the demo: progress notes, shifts, a group, addenda, PN, teens.

Runs after the journeys, when every inpatient stands in their bed, and writes only
through the notes services, so digests, audit rows and refusals are the real ones.
For each current inpatient: signed daily progress notes from the primary PT, OT
and psychologist for yesterday and today, and a nursing shift note for today. One
child's PT note is a late entry (three days old, with a reason). One group session
led by the psychologist on most inpatient teams, one signed note per attendee.
Addenda on a few signed notes. Psychotherapy notes by the demo psychologists
(``psychologist``, ``psychologist2``) about children on their teams. Up to three
teens' psychology notes are marked adolescent-confidential (the teen's request).

Trainees: a note awaiting co-signature is written only when a trainee with a
supervisor sits on an inpatient's care team. The demo roster (``demo.roster``) has
no trainee, so the standard demo skips it; nothing here creates one.

Signatures are real, so they carry the real time: nothing is back-dated before
yesterday except the planned late entry. ``today`` must be the real date (as
``demo_build`` passes it); a later date is clamped to it.
"""

import random
import uuid
from collections.abc import Iterator
from datetime import date, timedelta

from django.utils import timezone

from painrehab.accounts.choices import Role
from painrehab.accounts.models import StaffProfile, User
from painrehab.domain.ages import is_adolescent
from painrehab.episodes.choices import Phase
from painrehab.episodes.models import Episode
from painrehab.notes import groups, psychotherapy, services
from painrehab.notes.choices import ConfidentialityReason
from painrehab.notes.models import Note
from painrehab.notes.rules import templates_for_user
from painrehab.notes.templates_catalog import GROUP_CONTENT, template_get
from painrehab.patients.choices import TeamRole
from painrehab.patients.models import CareTeamMember, Patient

PROGRESS_TEMPLATE = {
    TeamRole.PRIMARY_PT: "therapy_progress",
    TeamRole.PRIMARY_OT: "therapy_progress",
    TeamRole.PRIMARY_PSYCHOLOGIST: "psychology_progress",
}
DEMO_PSYCHOLOGISTS = ("psychologist", "psychologist2")
ADDENDA = 3
CONFIDENTIAL_TEENS = 3
GROUP_SIZE = 4
PHRASES = {
    "therapy_progress": (
        "Walked the corridor twice with a steady gait; used the stairs once.",
        "Desensitisation with textures for ten minutes; tolerated well.",
        "Graded activity on the bike, twelve minutes at an even pace.",
        "Practised the morning routine; dressed without help.",
    ),
    "psychology_progress": (
        "Worked on pacing and noticing all-or-nothing thoughts about activity.",
        "Practised diaphragmatic breathing; used it once during PT.",
        "Reviewed the school re-entry plan; worries about catching up.",
        "Graded exposure to feared movements, rated distress before and after.",
    ),
    "nursing_shift": (
        "Slept through the night; pain 4/10 on waking, 3/10 at bedtime.",
        "Ate breakfast with the group; took medications as prescribed.",
        "Parent visited in the evening; calm and settled.",
    ),
}
PN_TEXTS = (
    "Process notes: explored the feelings behind avoiding the gym; my hypotheses "
    "about family expectations to test next session.",
    "Process notes: the child spoke about friends at school at length; "
    "transference themes to bring to supervision.",
)


def _token(rng: random.Random) -> uuid.UUID:
    return uuid.UUID(int=rng.getrandbits(128), version=4)


def _text(template_key: str, rng: random.Random) -> dict[str, str]:
    phrases = PHRASES.get(template_key, PHRASES["therapy_progress"])
    return {s.key: rng.choice(phrases) for s in template_get(template_key).sections}


def _inpatients() -> list[Episode]:
    return list(
        Episode.objects.filter(phase=Phase.INPATIENT)
        .select_related("patient", "stay")
        .order_by("patient__mrn")
    )


def _member(patient: Patient, team_role: TeamRole) -> User | None:
    found = (
        CareTeamMember.objects.filter(
            patient=patient, team_role=team_role, end_date__isnull=True
        )
        .select_related("member")
        .order_by("pk")
        .first()
    )
    return found.member if found else None


def _write(
    patient: Patient,
    author: User,
    template_key: str,
    day: date,
    rng: random.Random,
    late_reason: str = "",
) -> Note:
    note = services.note_create(
        patient=patient,
        template_key=template_key,
        author=author,
        service_date=day,
        form_token=_token(rng),
        body=_text(template_key, rng),
    )
    return services.note_sign(
        note=note, by=author, version=note.version, late_entry_reason=late_reason
    )


def _days(episode: Episode, today: date) -> Iterator[date]:
    for day in (today - timedelta(days=1), today):
        if day >= episode.stay.admitted_on:
            yield day


def _daily_notes(episode: Episode, today: date, rng: random.Random) -> list[Note]:
    written: list[Note] = []
    patient = episode.patient
    for team_role, key in PROGRESS_TEMPLATE.items():
        author = _member(patient, team_role)
        if author is not None:
            written += [
                _write(patient, author, key, d, rng) for d in _days(episode, today)
            ]
    nurse = _member(patient, TeamRole.NURSE)
    if nurse is not None:
        written.append(_write(patient, nurse, "nursing_shift", today, rng))
    return written


def _late_entry(episodes: list[Episode], today: date, rng: random.Random) -> None:
    """One PT note typed in three days after the session, with its reason."""
    day = today - timedelta(days=3)
    for episode in episodes:
        author = _member(episode.patient, TeamRole.PRIMARY_PT)
        if author is not None and episode.stay.admitted_on <= day:
            reason = "Paper note from the weekend cover, typed in on return."
            _write(episode.patient, author, "therapy_progress", day, rng, reason)
            return


def _group(episodes: list[Episode], today: date, rng: random.Random) -> None:
    """One group led by the psychologist on the most inpatient teams."""
    by_leader: dict[int, list[Patient]] = {}
    leaders: dict[int, User] = {}
    for episode in episodes:
        for member in CareTeamMember.objects.filter(
            patient=episode.patient,
            member__role=Role.PSYCHOLOGIST,
            end_date__isnull=True,
        ).select_related("member"):
            by_leader.setdefault(member.member_id, []).append(episode.patient)
            leaders[member.member_id] = member.member
    if not by_leader:
        return
    leader_id = max(by_leader, key=lambda pk: (len(by_leader[pk]), -pk))
    attendees = by_leader[leader_id][:GROUP_SIZE]
    leader = leaders[leader_id]
    session = groups.group_session_create(
        leader=leader,
        service_date=today,
        topic="Pacing and planning group",
        group_content="Planned a day in activity blocks with rests, then a relay.",
        patients=attendees,
        form_token=_token(rng),
    )
    for note in session.notes.order_by("pk"):
        body = {
            GROUP_CONTENT: note.body[GROUP_CONTENT],
            "participation": rng.choice(
                (
                    "Joined in throughout and planned three blocks.",
                    "Quiet at first, then shared a pacing idea with the group.",
                    "Took part in the relay and rested when planned.",
                )
            ),
            "response": "Said the plan felt doable.",
            "plan": "Use the block plan on the ward tomorrow.",
        }
        saved = services.note_save(
            note=note, by=leader, version=note.version, body=body
        )
        services.note_sign(note=saved, by=leader, version=saved.version)


def _addenda(notes: list[Note], rng: random.Random) -> None:
    for note in rng.sample(notes, min(ADDENDA, len(notes))):
        services.addendum_add(
            note=note,
            by=note.author,
            text="Pain score at the end of the session was 3/10, not 5/10.",
            reason="Correction of the pain score",
            form_token=_token(rng),
        )


def _trainee_note(episodes: list[Episode], today: date, rng: random.Random) -> None:
    """A trainee's signed note awaiting co-signature, if the roster has a trainee."""
    trainees = StaffProfile.objects.filter(
        is_trainee=True, supervisor__isnull=False
    ).select_related("user")
    for profile in trainees:
        for episode in episodes:
            on_team = CareTeamMember.objects.filter(
                patient=episode.patient, member=profile.user, end_date__isnull=True
            ).exists()
            templates = templates_for_user(profile.user)
            if on_team and templates:
                _write(episode.patient, profile.user, templates[0].key, today, rng)
                return


def _psychotherapy_notes(
    episodes: list[Episode], today: date, rng: random.Random
) -> None:
    for username in DEMO_PSYCHOLOGISTS:
        author = User.objects.filter(username=username).first()
        if author is None:
            continue
        theirs = [
            e.patient
            for e in episodes
            if CareTeamMember.objects.filter(
                patient=e.patient, member=author, end_date__isnull=True
            ).exists()
        ]
        for patient in theirs[:2]:
            pn = psychotherapy.psychotherapy_note_create(
                patient=patient,
                author=author,
                service_date=today,
                form_token=_token(rng),
                text=rng.choice(PN_TEXTS),
            )
            psychotherapy.psychotherapy_note_sign(pn=pn, by=author, version=pn.version)


def _confidential(episodes: list[Episode], today: date) -> None:
    marked = 0
    for episode in episodes:
        patient = episode.patient
        note = (
            Note.objects.filter(
                patient=patient, template="psychology_progress", service_date=today
            )
            .order_by("pk")
            .first()
        )
        if note is None or not is_adolescent(patient.date_of_birth, today):
            continue
        services.note_confidentiality_set(
            note=note,
            by=note.author,
            confidential=True,
            reason=ConfidentialityReason.TEEN_REQUEST,
        )
        marked += 1
        if marked == CONFIDENTIAL_TEENS:
            return


def notes_populate(*, rng: random.Random, today: date) -> None:
    """Write the demo's notes for today's inpatients (see the module docstring)."""
    today = min(today, timezone.localdate())
    episodes = _inpatients()
    signed: list[Note] = []
    for episode in episodes:
        signed += _daily_notes(episode, today, rng)
    _late_entry(episodes, today, rng)
    _group(episodes, today, rng)
    _addenda(signed, rng)
    _trainee_note(episodes, today, rng)
    _psychotherapy_notes(episodes, today, rng)
    _confidential(episodes, today)
