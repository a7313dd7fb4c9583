"""Notes the team shares with the family, as the visibility matrix allows.

Signed notes only; psychotherapy notes live in another table and never reach the
portal. A guardian never sees a note marked adolescent-confidential; from the
child's 12th birthday the guardian sees only the kinds the program's list allows
(by default physician, therapy and nursing notes, not psychology, social work or
Child Life notes). The teen sees all their own signed notes, confidential ones
marked as private. Every note held back is named in the audit row with its reason.
"""

from contextlib import suppress
from dataclasses import dataclass

from django.http import HttpRequest, HttpResponse
from django.views.decorators.http import require_GET

from painrehab.accounts.choices import Role
from painrehab.accounts.decorators import family
from painrehab.audit.actions import DataCategory
from painrehab.domain.proxy import Category
from painrehab.notes.choices import NoteKind
from painrehab.notes.models import Note
from painrehab.notes.selectors import notes_for_teen
from painrehab.notes.templates_catalog import template_get
from painrehab.portal.access import PortalChild, audit_viewed, child_get
from painrehab.portal.people import team_member
from painrehab.portal.views.base import render_child

# Notes whose author works on the child's feelings, family or coping; a team
# conference note speaks for every discipline, so it counts here too.
PSYCHOSOCIAL_ROLES = frozenset({Role.PSYCHOLOGIST, Role.SOCIAL_WORKER, Role.CHILD_LIFE})
LIMIT = 50


@dataclass(frozen=True)
class SharedNote:
    note: Note
    author: str
    sections: list[tuple[str, str]]
    private: bool


def category_of(note: Note) -> Category:
    """The matrix row a note falls in."""
    if note.confidential:
        return Category.CONFIDENTIAL
    if note.kind == NoteKind.TEAM_CONFERENCE or note.author.role in PSYCHOSOCIAL_ROLES:
        return Category.NOTES_PSYCHOSOCIAL
    return Category.NOTES_MEDICAL


def _sections(note: Note) -> list[tuple[str, str]]:
    known: dict[str, str] = {}
    with suppress(KeyError):
        known = {s.key: str(s.label) for s in template_get(note.template).sections}
    keys = [k for k in known if k in note.body] + sorted(
        k for k in note.body if k not in known
    )
    return [(known.get(k) or k, str(note.body[k])) for k in keys if note.body[k]]


def shared_notes(child: PortalChild) -> tuple[list[SharedNote], dict[str, str]]:
    """The notes this viewer may read (newest first), and the held-back ones'
    reason codes by note id (for the audit row, never for the page)."""
    shown: list[SharedNote] = []
    withheld: dict[str, str] = {}
    for note in notes_for_teen(child.patient)[:LIMIT]:
        decision = child.decision(category_of(note))
        if not decision.shown:
            reason = note.confidential_reason or str(decision.reason)
            withheld[str(note.pk)] = reason
            continue
        shown.append(
            SharedNote(
                note, team_member(note.author), _sections(note), note.confidential
            )
        )
    return shown, withheld


@require_GET
@family
def notes(request: HttpRequest, patient_id: int) -> HttpResponse:
    child = child_get(request, patient_id)
    shown, withheld = shared_notes(child)
    audit_viewed(
        child,
        page="notes",
        data_category=DataCategory.NOTE,
        shown=[Category.NOTES_MEDICAL, Category.NOTES_PSYCHOSOCIAL],
        extra={"notes_shown": [n.note.pk for n in shown], "notes_withheld": withheld},
    )
    context = {
        "notes": shown,
        "psychosocial_withheld": child.withheld_text(Category.NOTES_PSYCHOSOCIAL),
    }
    return render_child(
        request, "portal/notes.html", child, current="notes", context=context
    )
