"""The family portal in Spanish (issue 7, "Spanish").

The message files: every entry of the portal's, the home programme's and the
education library's catalogs and of the project's hand-curated catalog (the labels
of other apps the portal shows) is translated, none is fuzzy, placeholders are
kept, and the compiled ``.mo`` files say what the ``.po`` files say (gettext in
Spanish returns each entry's translation, which fails when a ``.po`` was changed
and not compiled, or when another catalog shadows an entry with other words).

The pages: a Spanish-speaking guardian and teen read every main portal page in
Spanish (``<html lang="es">``, Spanish words, Spanish month names, no English
sentence of the catalogs left), the language switch is kept on the account, and
an invitation e-mail made in Spanish is in Spanish.
"""

import ast
import datetime as dt
import html
import re
import uuid
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from django.core import mail
from django.test import Client
from django.urls import reverse
from django.utils import timezone, translation

from painrehab.accounts.choices import Role
from painrehab.accounts.models import User
from painrehab.accounts.tests.factories import TEST_PASSWORD
from painrehab.common.testing import staff
from painrehab.episodes.models import Discharge
from painrehab.homeprogram.tests.support import assign, days_ago, on_team
from painrehab.messaging.models import FamilyThread
from painrehab.messaging.services_family import family_thread_start
from painrehab.notes.tests.support import body_for, signed
from painrehab.patients.models import Guardian
from painrehab.patients.tests.factories import (
    CareTeamMemberFactory,
    GuardianFactory,
    PatientGuardianFactory,
)
from painrehab.portal.models import InvitationKind
from painrehab.portal.services.invitations import invitation_create, invitation_send
from painrehab.portal.tests.support import Family, family
from painrehab.referrals.tests import journey
from painrehab.scheduling.tests.factories import day_template, session, therapist

ROOT = Path(__file__).resolve().parent.parent / "painrehab"
CATALOGS = {
    "portal": ROOT / "portal/locale/es/LC_MESSAGES/django.po",
    "homeprogram": ROOT / "homeprogram/locale/es/LC_MESSAGES/django.po",
    "education": ROOT / "education/locale/es/LC_MESSAGES/django.po",
    "project": ROOT / "locale/es/LC_MESSAGES/django.po",
    "outcomes": ROOT / "outcomes/locale/es/LC_MESSAGES/django.po",
}
MONTHS = (
    "enero",
    "febrero",
    "marzo",
    "abril",
    "mayo",
    "junio",
    "julio",
    "agosto",
    "septiembre",
    "octubre",
    "noviembre",
    "diciembre",
)
PLACEHOLDER = re.compile(r"%\(\w+\)[sd]|%%")
# An English sentence of the catalogs left on a page is found by its literal
# pieces (the words between placeholders) of at least this many characters.
SHORTEST = 12


# --- The message files ------------------------------------------------------------


@dataclass
class Entry:
    msgid: str = ""
    msgid_plural: str | None = None
    msgctxt: str | None = None
    msgstr: list[str] = field(default_factory=list)
    flags: set[str] = field(default_factory=set)

    @property
    def name(self) -> str:
        return f"{self.msgctxt}|{self.msgid}" if self.msgctxt else self.msgid


KEYWORD = re.compile(r'^(msgctxt|msgid_plural|msgid|msgstr(?:\[\d+\])?) (".*")$')


def po_parse(path: Path) -> tuple[Entry, list[Entry]]:
    """The header and the entries of a .po file (obsolete ``#~`` entries skipped)."""
    entries: list[Entry] = []
    current: Entry | None = None
    last = ""

    def close() -> None:
        nonlocal current
        if current is not None and (current.msgid or current.msgstr):
            entries.append(current)
        current = None

    for line in path.read_text(encoding="utf-8").splitlines():
        if not line.strip() or line.startswith("#~"):
            close()
            continue
        starts = line.startswith(("#", "msgctxt ", "msgid "))
        if current is not None and current.msgstr and starts:
            close()
        if current is None:
            current = Entry()
        if line.startswith("#,"):
            current.flags |= {flag.strip() for flag in line[2:].split(",")}
            continue
        if line.startswith("#"):
            continue
        match = KEYWORD.match(line)
        if match:
            last, text = match[1], ast.literal_eval(match[2])
            if last.startswith("msgstr"):
                current.msgstr.append(text)
            else:
                setattr(current, last, text)
        elif line.startswith('"'):
            text = ast.literal_eval(line)
            if last.startswith("msgstr"):
                current.msgstr[-1] += text
            else:
                setattr(current, last, getattr(current, last) + text)
    close()
    return entries[0], entries[1:]


def nplurals(header: Entry) -> int:
    found = re.search(r"nplurals=(\d+)", header.msgstr[0])
    assert found is not None, "the header names no plural forms"
    return int(found[1])


@pytest.mark.parametrize("catalog", sorted(CATALOGS))
def test_every_entry_is_translated_and_none_is_fuzzy(catalog: str) -> None:
    header, entries = po_parse(CATALOGS[catalog])
    forms = nplurals(header)

    assert "fuzzy" not in header.flags
    assert "Language: es\n" in header.msgstr[0]
    assert entries, "an empty catalog"
    untranslated = [e.name for e in entries if not all(s.strip() for s in e.msgstr)]
    fuzzy = [e.name for e in entries if "fuzzy" in e.flags]
    wrong_forms = [
        e.name for e in entries if e.msgid_plural is not None and len(e.msgstr) != forms
    ]
    assert untranslated == []
    assert fuzzy == []
    assert wrong_forms == []


@pytest.mark.parametrize("catalog", sorted(CATALOGS))
def test_every_translation_keeps_its_placeholders(catalog: str) -> None:
    _header, entries = po_parse(CATALOGS[catalog])
    changed = [
        e.name
        for e in entries
        if "python-format" in e.flags
        for text in e.msgstr
        if sorted(PLACEHOLDER.findall(text))
        != sorted(PLACEHOLDER.findall(e.msgid_plural or e.msgid))
    ]
    assert changed == []


def _gettext(entry: Entry, count: int) -> str:
    if entry.msgid_plural is None:
        if entry.msgctxt:
            return translation.pgettext(entry.msgctxt, entry.msgid)
        return translation.gettext(entry.msgid)
    if entry.msgctxt:
        return translation.npgettext(
            entry.msgctxt, entry.msgid, entry.msgid_plural, count
        )
    return translation.ngettext(entry.msgid, entry.msgid_plural, count)


# One count for each of Spanish's three plural forms (1; a million; any other).
FORM_COUNTS = {0: 1, 1: 1_000_000, 2: 2}


@pytest.mark.parametrize("catalog", sorted(CATALOGS))
def test_the_compiled_file_says_what_the_message_file_says(catalog: str) -> None:
    path = CATALOGS[catalog]
    _header, entries = po_parse(path)
    assert path.with_suffix(".mo").exists()
    differ = []
    with translation.override("es"):
        for entry in entries:
            for index, wanted in enumerate(entry.msgstr):
                count = FORM_COUNTS[index] if entry.msgid_plural else 1
                got = _gettext(entry, count)
                if got != wanted:
                    differ.append((entry.name, got, wanted))
    assert differ == []


GETTEXT = {
    "_": "plain",
    "gettext": "plain",
    "gettext_lazy": "plain",
    "gettext_noop": "plain",
    "ngettext": "plain",
    "ngettext_lazy": "plain",
    "pgettext": "context",
    "pgettext_lazy": "context",
    "npgettext": "context",
    "npgettext_lazy": "context",
}
TEMPLATE_CALL = re.compile(r"\b(?:_|n?p?gettext)\(")


def _message(call: ast.Call) -> tuple[str | None, str] | None:
    """(context, msgid) of a gettext call with literal strings, else ``None``."""
    func = call.func
    name = func.id if isinstance(func, ast.Name) else getattr(func, "attr", "")
    literal = [
        arg.value if isinstance(arg, ast.Constant) else None for arg in call.args
    ]
    if GETTEXT.get(name) == "plain" and literal and isinstance(literal[0], str):
        return None, literal[0]
    if GETTEXT.get(name) == "context" and len(literal) > 1:
        context, msgid = literal[0], literal[1]
        if isinstance(context, str) and isinstance(msgid, str):
            return context, msgid
    return None


def _template_calls(text: str) -> list[ast.Call]:
    """The gettext calls of ``templatize``'s rendering of a template."""
    found = []
    for match in TEMPLATE_CALL.finditer(text):
        end = text.find(")", match.end())
        while end != -1:
            try:
                node = ast.parse(text[match.start() : end + 1], mode="eval").body
            except SyntaxError:
                end = text.find(")", end + 1)
                continue
            if isinstance(node, ast.Call):
                found.append(node)
            break
    return found


def source_messages(app: Path) -> set[tuple[str | None, str]]:
    """Every string an app's code and templates mark for translation, found as
    ``makemessages`` finds them (templates through Django's ``templatize``)."""
    from django.utils.translation.template import templatize

    calls: list[ast.Call] = []
    for path in sorted(app.rglob("*")):
        if {"tests", "migrations", "locale"} & set(path.parts):
            continue
        if path.suffix in (".html", ".txt"):
            text = templatize(path.read_text(encoding="utf-8"), origin=str(path))
            calls += _template_calls(text)
        elif path.suffix == ".py":
            tree = ast.parse(path.read_text(encoding="utf-8"))
            calls += [node for node in ast.walk(tree) if isinstance(node, ast.Call)]
    return {found for call in calls if (found := _message(call)) is not None}


@pytest.mark.parametrize("catalog", ["portal", "homeprogram"])
def test_the_message_file_holds_every_string_of_the_apps_code(catalog: str) -> None:
    """A string added to the code or a template without ``makemessages`` (and its
    Spanish) would be shown in English."""
    _header, entries = po_parse(CATALOGS[catalog])
    held = {(entry.msgctxt, entry.msgid) for entry in entries}

    missing = source_messages(ROOT / catalog) - held

    assert missing == set()


# --- The pages --------------------------------------------------------------------


def _english_pieces() -> list[str]:
    """The literal pieces of every catalog sentence whose Spanish differs."""
    pieces: set[str] = set()
    for path in CATALOGS.values():
        for entry in po_parse(path)[1]:
            for english in filter(None, (entry.msgid, entry.msgid_plural)):
                if english in entry.msgstr:
                    continue
                for piece in PLACEHOLDER.split(re.sub(r"<[^>]+>", " ", english)):
                    piece = " ".join(piece.split())
                    if len(piece) >= SHORTEST:
                        pieces.add(piece)
    return sorted(pieces)


ENGLISH = _english_pieces()
ATTRIBUTE = re.compile(r'\b(?:aria-label|alt|title|placeholder)="([^"]*)"')


def visible_text(page: str) -> str:
    """The page's words as a reader meets them: text and labelling attributes."""
    page = re.sub(r"(?s)<(script|style|svg)\b.*?</\1>", " ", page)
    labels = " ".join(ATTRIBUTE.findall(page))
    text = re.sub(r"<[^>]+>", " ", page)
    return " ".join(html.unescape(f"{text} {labels}").split())


def assert_spanish(response: object, *expected: str) -> str:
    """200, ``<html lang="es">``, the ``expected`` Spanish words, no English left."""
    assert response.status_code == 200, response  # type: ignore[attr-defined]
    page = response.content.decode()  # type: ignore[attr-defined]
    assert '<html lang="es">' in page
    text = visible_text(page)
    for words in expected:
        assert words in text, words
    left = [english for english in ENGLISH if english in text]
    assert left == []
    return text


def spanish_month(day: dt.date) -> str:
    return f"{day.day} de {MONTHS[day.month - 1]}"


def _spanish(user: User | None) -> User:
    assert user is not None
    user.preferred_language = "es"
    user.save(update_fields=["preferred_language"])
    return user


@pytest.fixture
def lucia(db: None) -> Family:
    """Lucía, 14, on the unit today, with her own account; her mother Rosa. Both
    read the portal in Spanish. A session, an exercise, a conversation and a
    signed note give every page something to show."""
    day_template()
    fam = family(
        age=14, name="Lucia", surname="Prueba", parent="Rosa", teen_account=True
    )
    _spanish(fam.guardian_user)
    _spanish(fam.teen_user)
    assert fam.episode is not None
    maria = therapist(first_name="Maria", last_name="Apellido")
    CareTeamMemberFactory(patient=fam.child, member=maria)
    session(fam.episode, day=timezone.localdate(), start="10:00", staff=maria)
    assign(fam.child, on_team(fam.child), starts_on=days_ago(2))
    family_thread_start(
        patient=fam.child,
        author=fam.guardian_user,
        subject="Visita del domingo",
        body="¿Podemos venir el domingo?",
        form_token=uuid.uuid4(),
    )
    signed(fam.child, maria, key="therapy_progress", body=body_for("therapy_progress"))
    return fam


@pytest.fixture
def robin(db: None) -> Family:
    """Robin, 9, home after a four-week stay, with a school plan; Dana reads in
    Spanish."""
    fam = family(age=9, stage="discharged")
    _spanish(fam.guardian_user)
    Discharge.objects.filter(episode=fam.episode).update(
        school_reentry_plan="Medio día la primera semana."
    )
    coordinator = journey.coordinator()
    coordinator.first_name = "Carmen"
    coordinator.save()
    return fam


def _url(name: str, fam: Family, *args: object) -> str:
    return reverse(f"portal:{name}", args=[fam.child.pk, *args])


# The child's pages: (URL name, Spanish words on the guardian's page, on the teen's).
CHILD_PAGES = (
    ("today", "El día de Lucia", "Mi día"),
    ("week", "La semana de Lucia", "Mi semana"),
    ("calendar", "Crear un enlace de calendario", "Mi horario en mi calendario"),
    ("progress", "El progreso de Lucia", "Mi progreso"),
    ("exercises", "Hecho hoy", "Presiona “Hecho hoy”"),
    ("questionnaires", "Cuestionarios", "Pendientes"),
    ("checkin", "Este es el registro propio de su hijo o hija.", "¿Cuánto te duele"),
    ("messages", "Mensajes con el equipo", "Mis mensajes con el equipo"),
    ("message_new", "Escribir al equipo", "Esta conversación es privada"),
    ("notes", "Notas del equipo", "Estas son las notas que tu equipo escribió"),
    ("after", "Esta página se completa", "Después de mi estancia"),
)


@pytest.mark.django_db
def test_a_spanish_speaking_guardian_reads_every_page_in_spanish(lucia: Family) -> None:
    client = lucia.guardian_client()
    today = timezone.localdate()

    for name, guardian_words, _teen_words in CHILD_PAGES:
        text = assert_spanish(client.get(_url(name, lucia)), guardian_words)
        assert "Portal para familias" in text and "Cerrar sesión" in text

    day = assert_spanish(client.get(_url("today", lucia)), "Fisioterapia")
    assert spanish_month(today) in day
    assert "Maria, fisioterapeuta" in day and "De 10:00 a 11:00" in day
    assert "Tiempo en familia y visitas" in day
    assert spanish_month(today) in assert_spanish(client.get(_url("week", lucia)))
    messages = assert_spanish(client.get(_url("messages", lucia)), "Si es urgente")
    assert "Último mensaje: suyo" in messages and spanish_month(today) in messages
    thread = FamilyThread.objects.get(episode=lucia.episode)
    assert_spanish(client.get(_url("thread", lucia, thread.pk)), "Responder")
    notes = assert_spanish(client.get(_url("notes", lucia)), "Progreso diario")
    assert spanish_month(today) in notes
    assert_spanish(client.get(reverse("portal:account")), "Guardar el idioma")
    assert_spanish(client.get(reverse("portal:learn")), "Cómo funciona el dolor")
    assert_spanish(
        client.get(reverse("portal:article", args=["sleep"])), "Todos los artículos"
    )


@pytest.mark.django_db
def test_a_spanish_speaking_teen_reads_every_page_in_spanish(lucia: Family) -> None:
    client = lucia.teen_client()

    for name, _guardian_words, teen_words in CHILD_PAGES:
        assert_spanish(client.get(_url(name, lucia)), teen_words)
    sharing = assert_spanish(
        client.get(_url("sharing", lucia)), "Quién puede ver mi portal"
    )
    assert "Rosa · Madre" in sharing and "Dejar de compartir con Rosa" in sharing
    thread = FamilyThread.objects.get(episode=lucia.episode)
    assert_spanish(
        client.get(_url("thread", lucia, thread.pk)), "Rosa (tu padre, madre o tutor)"
    )
    checkin = client.post(_url("checkin", lucia), {"sleep_hours": "40"})
    assert checkin.status_code == 200
    assert_spanish(checkin, "Todavía no se guardó nada", "Este campo es obligatorio.")


@pytest.mark.django_db
def test_a_questionnaire_page_is_in_spanish(lucia: Family) -> None:
    client = lucia.teen_client()
    listing = client.get(_url("questionnaires", lucia)).content.decode()
    start = re.search(
        r'name="instrument_code" value="([^"]+)">\s*'
        r'<input type="hidden" name="form_token" value="([^"]+)">',
        listing,
    )
    assert start is not None, "no questionnaire is due"

    opened = client.post(
        _url("questionnaires", lucia),
        {"instrument_code": start[1], "form_token": start[2]},
    )
    assert opened.status_code == 302
    text = assert_spanish(client.get(opened["Location"]), "Elige la respuesta")
    assert re.search(r"Página 1 de \d+ · 0 de \d+ respondidas", text)
    assert "Siguiente" in text and "Volver a los cuestionarios" in text


@pytest.mark.django_db
def test_after_discharge_and_the_school_letter_are_in_spanish(robin: Family) -> None:
    client = robin.guardian_client()
    discharged_on = Discharge.objects.get(episode=robin.episode).discharged_on

    after = assert_spanish(
        client.get(_url("after", robin)),
        "Después de la estancia de Robin",
        "Consultas de control en la Clínica de Medicina del Dolor",
        "Fisioterapia: 1 sesión por semana",
    )
    assert spanish_month(discharged_on) in after
    letter = assert_spanish(
        client.get(_url("school_letter", robin)),
        "Estimados maestros y personal de la escuela:",
        "Cómo pueden ayudar",
        "Carmen, coordinación del programa",
    )
    assert spanish_month(discharged_on) in letter


@pytest.mark.django_db
def test_the_sign_in_and_join_pages_follow_the_language_cookie() -> None:
    visitor = Client()
    visitor.cookies["django_language"] = "es"

    assert_spanish(
        visitor.get(reverse("accounts:login")),
        "Iniciar sesión",
        "¿Tiene un código de invitación del programa?",
    )
    assert_spanish(
        visitor.get(reverse("accounts:login") + "?timed_out=1"),
        "Su sesión se cerró después de 15 minutos sin actividad.",
    )
    refused = visitor.post(
        reverse("accounts:login"), {"username": "nadie", "password": "no"}
    )
    assert_spanish(refused, "El nombre de usuario o la contraseña no son correctos.")
    assert_spanish(visitor.get(reverse("portal:join")), "Código de invitación")


# --- The language switch ------------------------------------------------------------


@pytest.mark.django_db
def test_a_guardian_who_switches_to_spanish_keeps_it_on_the_account() -> None:
    fam = family(age=9)
    client = Client()
    signed_in = client.post(
        reverse("accounts:login"),
        {"username": fam.guardian_user.username, "password": TEST_PASSWORD},
    )
    assert signed_in.status_code == 302
    today = _url("today", fam)
    assert '<html lang="en">' in client.get(today).content.decode()

    switched = client.post(
        reverse("portal:language"), {"language": "es", "next": today}
    )

    assert switched.status_code == 302 and switched["Location"] == today
    assert_spanish(client.get(today), "El día de Robin")
    fam.guardian_user.refresh_from_db()
    assert fam.guardian_user.preferred_language == "es"
    client.post(reverse("accounts:logout"))
    # Another browser, without the language cookie: the account remembers.
    again = Client()
    again.post(
        reverse("accounts:login"),
        {"username": fam.guardian_user.username, "password": TEST_PASSWORD},
    )
    assert_spanish(again.get(today), "El día de Robin")


# --- The invitation e-mail ------------------------------------------------------------


def _guardian_without_account(fam: Family) -> Guardian:
    guardian: Guardian = GuardianFactory(
        given_name="Sam",
        family_name="Testfamily",
        email="sam.testfamily@example.org",
        phone="(555) 013-3300",
    )
    PatientGuardianFactory(patient=fam.child, guardian=guardian, relationship="father")
    return guardian


@pytest.mark.django_db
def test_an_invitation_made_in_spanish_is_emailed_in_spanish() -> None:
    fam = family(stage="none")
    made = invitation_create(
        patient_id=fam.child.pk,
        created_by=staff(Role.COORDINATOR, username="alice", first_name="Alice"),
        kind=InvitationKind.GUARDIAN,
        guardian=_guardian_without_account(fam),
        email="sam.testfamily@example.org",
        language="es",
        form_token=uuid.uuid4(),
    )
    assert made.code is not None

    sent = invitation_send(
        invitation=made.invitation,
        code=made.code,
        join_url=f"https://portal.example.org/family/join/{made.code}/",
        code_page_url="https://portal.example.org/family/join/",
    )

    assert sent
    [email] = mail.outbox
    assert email.subject == "Su invitación al portal para familias"
    body = " ".join(email.body.split())
    assert body.startswith("Hola:")
    assert "le envía una invitación para crear su cuenta" in body
    assert "Enlace para crear la cuenta:" in body and made.code in body
    expires = timezone.localtime(made.invitation.expires_at).date()
    assert f"antes del {spanish_month(expires)} de {expires.year} a las " in body
    assert [english for english in ENGLISH if english in body] == []
