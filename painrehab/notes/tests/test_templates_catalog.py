"""The note templates as data: every writing discipline has one, keys are stable."""

from painrehab.accounts.choices import DISCIPLINE_OF_ROLE
from painrehab.notes.choices import NOTE_WRITER_ROLES, NoteKind
from painrehab.notes.templates_catalog import (
    GROUP_CONTENT,
    TEMPLATES,
    template_get,
    templates_for,
)


def test_every_discipline_that_writes_notes_has_a_template() -> None:
    missing = {
        str(role)
        for role in NOTE_WRITER_ROLES
        if not templates_for(DISCIPLINE_OF_ROLE[role])
    }
    assert missing == set()


def test_every_kind_of_note_has_a_template() -> None:
    assert {t.kind for t in TEMPLATES} == set(NoteKind)


def test_template_and_section_keys_are_unique() -> None:
    assert len({t.key for t in TEMPLATES}) == len(TEMPLATES)
    for template in TEMPLATES:
        assert len(set(template.section_keys)) == len(template.sections), template.key
        assert any(s.required for s in template.sections), template.key


def test_the_group_template_has_the_shared_section_and_is_kept_apart() -> None:
    group = template_get("group_session")
    assert group.kind == NoteKind.GROUP_SESSION
    assert group.section_keys[0] == GROUP_CONTENT
    assert all(t.kind != NoteKind.GROUP_SESSION for t in templates_for("PSY"))
    assert templates_for("PSY", group=True) == (group,)


def test_the_psychology_progress_note_invites_the_summaries() -> None:
    progress = template_get("psychology_progress")
    helps = " ".join(str(s.help) for s in progress.sections)
    assert "not in a psychotherapy note" in helps
