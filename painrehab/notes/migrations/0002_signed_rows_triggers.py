"""Database triggers that refuse changing or deleting signed notes and addenda.

The models and querysets refuse these too; the triggers stop raw SQL and other
clients as well (the pattern of audit/migrations/0002_append_only_triggers.py).

- ``notes_note``: a signed row refuses DELETE and any UPDATE except of the columns
  recorded *about* the note (confidentiality mark; co-signature, once).
- ``notes_psychotherapynote``: a signed row refuses every UPDATE and DELETE.
- ``notes_addendum``: every UPDATE and DELETE is refused.

On SQLite the frozen columns of ``notes_note`` are listed by name;
``notes/tests/test_triggers.py`` updates every column of the model in turn, so a
column added later without a new trigger migration fails that test.
"""

from django.db import migrations

NOTE_MUTABLE = (
    "confidential",
    "confidential_reason",
    "confidential_set_by_id",
    "confidential_set_at",
    "cosigned_by_id",
    "cosigned_at",
)
NOTE_FROZEN = (
    "id",
    "created_at",
    "updated_at",
    "episode_id",
    "patient_id",
    "template",
    "kind",
    "author_id",
    "service_date",
    "body",
    "status",
    "version",
    "form_token",
    "group_session_id",
    "signed_at",
    "content_sha256",
    "is_late_entry",
    "late_entry_reason",
    "cosign_required",
    "cosign_supervisor_id",
)
_PG_MUTABLE = ", ".join(f"'{c}'" for c in NOTE_MUTABLE)

PG_FORWARD = f"""
CREATE OR REPLACE FUNCTION notes_note_signed_is_final() RETURNS trigger AS $$
BEGIN
    IF OLD.status <> 'signed' THEN
        IF TG_OP = 'DELETE' THEN RETURN OLD; END IF;
        RETURN NEW;
    END IF;
    IF TG_OP = 'DELETE' THEN
        RAISE EXCEPTION 'signed notes are final (DELETE refused)'
            USING ERRCODE = 'insufficient_privilege';
    END IF;
    IF (to_jsonb(NEW) - ARRAY[{_PG_MUTABLE}]::text[])
        IS DISTINCT FROM (to_jsonb(OLD) - ARRAY[{_PG_MUTABLE}]::text[]) THEN
        RAISE EXCEPTION 'signed notes are final (UPDATE refused)'
            USING ERRCODE = 'insufficient_privilege';
    END IF;
    IF OLD.cosigned_at IS NOT NULL AND (
        NEW.cosigned_at IS DISTINCT FROM OLD.cosigned_at
        OR NEW.cosigned_by_id IS DISTINCT FROM OLD.cosigned_by_id) THEN
        RAISE EXCEPTION 'a co-signature cannot be changed (UPDATE refused)'
            USING ERRCODE = 'insufficient_privilege';
    END IF;
    RETURN NEW;
END;
$$ LANGUAGE plpgsql;
CREATE TRIGGER notes_note_signed_guard
    BEFORE UPDATE OR DELETE ON notes_note
    FOR EACH ROW EXECUTE FUNCTION notes_note_signed_is_final();

CREATE OR REPLACE FUNCTION notes_pn_signed_is_final() RETURNS trigger AS $$
BEGIN
    IF OLD.status = 'signed' THEN
        RAISE EXCEPTION 'signed psychotherapy notes are final (% refused)', TG_OP
            USING ERRCODE = 'insufficient_privilege';
    END IF;
    IF TG_OP = 'DELETE' THEN RETURN OLD; END IF;
    RETURN NEW;
END;
$$ LANGUAGE plpgsql;
CREATE TRIGGER notes_pn_signed_guard
    BEFORE UPDATE OR DELETE ON notes_psychotherapynote
    FOR EACH ROW EXECUTE FUNCTION notes_pn_signed_is_final();

CREATE OR REPLACE FUNCTION notes_addendum_is_final() RETURNS trigger AS $$
BEGIN
    RAISE EXCEPTION 'addenda are final (% refused)', TG_OP
        USING ERRCODE = 'insufficient_privilege';
END;
$$ LANGUAGE plpgsql;
CREATE TRIGGER notes_addendum_guard
    BEFORE UPDATE OR DELETE ON notes_addendum
    FOR EACH ROW EXECUTE FUNCTION notes_addendum_is_final();

CREATE OR REPLACE FUNCTION notes_no_truncate_of_signed() RETURNS trigger AS $$
BEGIN
    IF EXISTS (SELECT 1 FROM notes_note WHERE status = 'signed')
        OR EXISTS (SELECT 1 FROM notes_psychotherapynote WHERE status = 'signed')
        OR EXISTS (SELECT 1 FROM notes_addendum) THEN
        RAISE EXCEPTION 'signed notes are final (TRUNCATE refused)'
            USING ERRCODE = 'insufficient_privilege';
    END IF;
    RETURN NULL;
END;
$$ LANGUAGE plpgsql;
CREATE TRIGGER notes_note_no_truncate BEFORE TRUNCATE ON notes_note
    FOR EACH STATEMENT EXECUTE FUNCTION notes_no_truncate_of_signed();
CREATE TRIGGER notes_pn_no_truncate BEFORE TRUNCATE ON notes_psychotherapynote
    FOR EACH STATEMENT EXECUTE FUNCTION notes_no_truncate_of_signed();
CREATE TRIGGER notes_addendum_no_truncate BEFORE TRUNCATE ON notes_addendum
    FOR EACH STATEMENT EXECUTE FUNCTION notes_no_truncate_of_signed();
"""
PG_REVERSE = """
DROP TRIGGER IF EXISTS notes_addendum_no_truncate ON notes_addendum;
DROP TRIGGER IF EXISTS notes_pn_no_truncate ON notes_psychotherapynote;
DROP TRIGGER IF EXISTS notes_note_no_truncate ON notes_note;
DROP FUNCTION IF EXISTS notes_no_truncate_of_signed();
DROP TRIGGER IF EXISTS notes_addendum_guard ON notes_addendum;
DROP FUNCTION IF EXISTS notes_addendum_is_final();
DROP TRIGGER IF EXISTS notes_pn_signed_guard ON notes_psychotherapynote;
DROP FUNCTION IF EXISTS notes_pn_signed_is_final();
DROP TRIGGER IF EXISTS notes_note_signed_guard ON notes_note;
DROP FUNCTION IF EXISTS notes_note_signed_is_final();
"""

_FROZEN_CHANGED = " OR ".join(f"NEW.{c} IS NOT OLD.{c}" for c in NOTE_FROZEN)


def _abort(message: str) -> str:
    return f"BEGIN SELECT RAISE(ABORT, '{message}'); END;"


SQLITE_FORWARD = [
    f"""CREATE TRIGGER notes_note_signed_no_update BEFORE UPDATE ON notes_note
       WHEN OLD.status = 'signed' AND ({_FROZEN_CHANGED})
       {_abort("signed notes are final (UPDATE refused)")}""",
    f"""CREATE TRIGGER notes_note_cosigned_once BEFORE UPDATE ON notes_note
       WHEN OLD.cosigned_at IS NOT NULL AND (NEW.cosigned_at IS NOT OLD.cosigned_at
            OR NEW.cosigned_by_id IS NOT OLD.cosigned_by_id)
       {_abort("a co-signature cannot be changed (UPDATE refused)")}""",
    f"""CREATE TRIGGER notes_note_signed_no_delete BEFORE DELETE ON notes_note
       WHEN OLD.status = 'signed'
       {_abort("signed notes are final (DELETE refused)")}""",
    f"""CREATE TRIGGER notes_pn_signed_no_update
       BEFORE UPDATE ON notes_psychotherapynote WHEN OLD.status = 'signed'
       {_abort("signed psychotherapy notes are final (UPDATE refused)")}""",
    f"""CREATE TRIGGER notes_pn_signed_no_delete
       BEFORE DELETE ON notes_psychotherapynote WHEN OLD.status = 'signed'
       {_abort("signed psychotherapy notes are final (DELETE refused)")}""",
    f"""CREATE TRIGGER notes_addendum_no_update BEFORE UPDATE ON notes_addendum
       {_abort("addenda are final (UPDATE refused)")}""",
    f"""CREATE TRIGGER notes_addendum_no_delete BEFORE DELETE ON notes_addendum
       {_abort("addenda are final (DELETE refused)")}""",
]
SQLITE_REVERSE = [
    "DROP TRIGGER IF EXISTS notes_note_signed_no_update;",
    "DROP TRIGGER IF EXISTS notes_note_cosigned_once;",
    "DROP TRIGGER IF EXISTS notes_note_signed_no_delete;",
    "DROP TRIGGER IF EXISTS notes_pn_signed_no_update;",
    "DROP TRIGGER IF EXISTS notes_pn_signed_no_delete;",
    "DROP TRIGGER IF EXISTS notes_addendum_no_update;",
    "DROP TRIGGER IF EXISTS notes_addendum_no_delete;",
]


def forward(apps, schema_editor):
    _run(schema_editor, PG_FORWARD, SQLITE_FORWARD)


def reverse(apps, schema_editor):
    _run(schema_editor, PG_REVERSE, SQLITE_REVERSE)


def _run(schema_editor, pg_sql, sqlite_statements):
    vendor = schema_editor.connection.vendor
    if vendor == "postgresql":
        # params=None: the "%" in RAISE EXCEPTION is not a query placeholder.
        schema_editor.execute(pg_sql, params=None)
    elif vendor == "sqlite":
        for statement in sqlite_statements:
            schema_editor.execute(statement)


class Migration(migrations.Migration):
    dependencies = [("notes", "0001_initial")]

    operations = [migrations.RunPython(forward, reverse)]
