"""The family portal keeps secrets: canaries planted, every page walked, ids guessed.

Three families. The Testfamily teen (14) has their own account; their parent has a
guardian account (the limited tier). Another family's guardian has a 10-year-old.
Canary strings go into everything a family must not read:

- a psychotherapy note (no one, ever, in the portal);
- a signed note marked adolescent-confidential (the teen only);
- a psychology note (the teen, and a guardian of a child under 12 only);
- a team-only message thread (no family);
- the teen's own message thread and daily check-in (the teen only);
- the other family's notes, messages and exercises (that family only).

Each family account then walks every portal page it can reach (crawling links
from /family/ and opening every portal URL pattern for its child), including the
chart image, the school letter and calendar feeds, and no forbidden canary may
appear in any response. A second test guesses ids on every portal URL: another
family's child, thread, exercise or questionnaire gives the same 404 as a missing
one.
"""

import datetime as dt
import re
import uuid
from collections.abc import Iterator
from decimal import Decimal
from typing import Any
from urllib.parse import urlsplit

import pytest
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.utils import timezone

from painrehab.accounts.choices import STAFF_ROLES, Role
from painrehab.accounts.models import User
from painrehab.common.testing import sign_in, staff
from painrehab.domain.proxy import Category
from painrehab.education.articles import ARTICLES
from painrehab.homeprogram.models import ExerciseDiscipline, HomeExercise
from painrehab.instruments import daily
from painrehab.instruments.models import DailyRespondent
from painrehab.messaging import services as team_messages
from painrehab.messaging.models import FamilyAudience, FamilyMessage, FamilyThread
from painrehab.notes import services as notes_services
from painrehab.notes.choices import ConfidentialityReason
from painrehab.notes.tests.support import body_for, psychotherapy_note, signed
from painrehab.patients.tests.factories import CareTeamMemberFactory
from painrehab.portal.tests.support import Family, family

pytestmark = pytest.mark.django_db

PN = "CANARY-PN-7f3a"
CONFIDENTIAL = "CANARY-CONF-91b2"
PSYCHOLOGY = "CANARY-PSY-4c0e"
TEAM = "CANARY-TEAM-2b77"
TEEN_MESSAGE = "CANARY-TEENMSG-55c1"
CHECKIN = "CANARY-CHECKIN-0d4e"
OTHER = "CANARY-OTHER-a9d3"
OTHER_NAME = "Zephyrine"


def _family_thread(fam: Family, author: User, audience: str, text: str) -> int:
    assert fam.episode is not None
    thread = FamilyThread.objects.create(
        episode=fam.episode,
        audience=audience,
        subject=f"Question {text}",
        started_by=author,
        created_at=timezone.now(),
        form_token=uuid.uuid4(),
    )
    FamilyMessage.objects.create(
        thread=thread,
        author=author,
        from_family=True,
        body=f"Message {text}",
        created_at=timezone.now(),
        form_token=uuid.uuid4(),
    )
    return thread.pk


def _exercise(fam: Family, by: User, title: str) -> int:
    assert fam.episode is not None
    return HomeExercise.objects.create(
        episode=fam.episode,
        discipline=ExerciseDiscipline.PHYSICAL_THERAPY,
        title=title,
        instructions="Walk to the end of the corridor and back.",
        repetitions="2 laps",
        starts_on=timezone.localdate() - dt.timedelta(days=1),
        assigned_by=by,
    ).pk


class World:
    """Three families, their team, and the canaries."""

    def __init__(self) -> None:
        self.teen = family(age=14, teen_account=True)
        self.young = family(age=9, name="Robin", surname="Youngfamily", parent="Kim")
        self.other = family(
            age=10, name=OTHER_NAME, surname="Otherfamily", parent="Lee"
        )
        self.psychologist = staff(Role.PSYCHOLOGIST, first_name="Ana")
        self.pt = staff(Role.PHYSICAL_THERAPIST, first_name="Maria")
        for fam in (self.teen, self.young, self.other):
            for member in (self.psychologist, self.pt):
                CareTeamMemberFactory(patient=fam.child, member=member)
        self._plant()

    def _plant(self) -> None:
        teen, other = self.teen, self.other
        assert teen.teen_user is not None and teen.episode is not None
        psychotherapy_note(teen.child, self.psychologist, f"Session {PN}")
        psychotherapy_note(other.child, self.psychologist, f"Session {PN}")
        secret = signed(
            teen.child,
            self.psychologist,
            body=body_for("psychology_progress", CONFIDENTIAL),
            key="psychology_progress",
        )
        notes_services.note_confidentiality_set(
            note=secret,
            by=self.psychologist,
            confidential=True,
            reason=ConfidentialityReason.TEEN_REQUEST,
        )
        for fam in (teen, self.young):
            signed(
                fam.child,
                self.psychologist,
                body=body_for("psychology_progress", PSYCHOLOGY),
                key="psychology_progress",
            )
        signed(
            other.child,
            self.pt,
            body=body_for("therapy_progress", OTHER),
            key="therapy_progress",
        )
        team_messages.thread_start(
            episode=teen.episode,
            author=self.pt,
            subject=f"Team only {TEAM}",
            body=f"Between us {TEAM}",
            form_token=uuid.uuid4(),
        )
        self.teen_thread = _family_thread(
            teen, teen.teen_user, FamilyAudience.TEEN, TEEN_MESSAGE
        )
        self.other_thread = _family_thread(
            other, other.guardian_user, FamilyAudience.GUARDIANS, OTHER
        )
        daily.checkin_record(
            episode=teen.episode,
            on=timezone.localdate(),
            pain_now=6,
            sleep_hours=Decimal("7.5"),
            sleep_quality="ok",
            mood="okay",
            goal_met=True,
            goal_text=f"Walk {CHECKIN}",
            respondent=DailyRespondent.CHILD,
            by=teen.teen_user,
        )
        _exercise(teen, self.pt, "Corridor walk")
        self.other_exercise = _exercise(other, self.pt, f"Stairs {OTHER}")

    def viewers(self) -> Iterator[tuple[str, Client, Family, set[str]]]:
        """(who, signed-in client, their family, canaries they must never see)."""
        everyone_else = {PN, TEAM, OTHER, OTHER_NAME}
        yield (
            "teen's guardian",
            self.teen.guardian_client(),
            self.teen,
            everyone_else | {CONFIDENTIAL, PSYCHOLOGY, TEEN_MESSAGE, CHECKIN},
        )
        yield "teen", self.teen.teen_client(), self.teen, everyone_else
        yield (
            "young child's guardian",
            self.young.guardian_client(),
            self.young,
            everyone_else | {CONFIDENTIAL, TEEN_MESSAGE, CHECKIN},
        )
        yield (
            "other guardian",
            self.other.guardian_client(),
            self.other,
            {PN, TEAM, CONFIDENTIAL, PSYCHOLOGY, TEEN_MESSAGE, CHECKIN, "Testfamily"},
        )


@pytest.fixture
def world() -> World:
    return World()


def _portal_patterns() -> list[tuple[str, list[str]]]:
    """(URL name, its keyword arguments) for every pattern in the portal."""
    resolver = get_resolver()
    found = []
    for entry in resolver.url_patterns:
        if isinstance(entry, URLResolver) and entry.namespace == "portal":
            for pattern in entry.url_patterns:
                assert isinstance(pattern, URLPattern)
                names = list(pattern.pattern.regex.groupindex)
                found.append((f"portal:{pattern.name}", names))
    assert len(found) > 15, "the portal's URL patterns were not found"
    return found


HREF = re.compile(rb'(?:href|src)="([^"#]+)"')
SKIP = ("/accounts/logout", "/static/", "data:")


def _walk(client: Client, fam: Family) -> dict[str, bytes]:
    """Every page reachable from /family/ plus every portal pattern for the child."""
    todo = [reverse("portal:home")]
    for name, kwargs in _portal_patterns():
        if kwargs == ["patient_id"]:
            todo.append(reverse(name, kwargs={"patient_id": fam.child.pk}))
    for article in ARTICLES:
        todo.append(reverse("portal:article", kwargs={"slug": article.slug}))
    seen: dict[str, bytes] = {}
    while todo and len(seen) < 200:
        path = todo.pop()
        if path in seen or path.startswith(SKIP):
            continue
        response = client.get(path, follow=True)
        body = (
            b"".join(response.streaming_content)
            if response.streaming
            else response.content
        )
        seen[path] = body
        for href in HREF.findall(body):
            link = urlsplit(href.decode())
            if link.netloc not in ("", "testserver"):
                continue
            target = link.path + (f"?{link.query}" if link.query else "")
            if target.startswith(("/family/", "/schedule/feeds/", "/calendar/")):
                todo.append(target)
    return seen


@pytest.mark.parametrize("open_list", [False, True], ids=["default", "widest"])
def test_no_page_feed_or_download_shows_a_family_what_is_not_theirs(
    world: World, settings: Any, open_list: bool
) -> None:
    """``widest``: the program lets guardians of teens see every category it can;
    what is never a guardian's must stay hidden all the same."""
    if open_list:
        settings.PORTAL_GUARDIAN_TEEN_SEES = [c.value for c in Category]
    leaks = []
    for who, client, fam, forbidden in world.viewers():
        if open_list and who == "teen's guardian":
            forbidden = forbidden - {PSYCHOLOGY}
        pages = _walk(client, fam)
        assert len(pages) >= 15, f"{who} reached only {sorted(pages)}"
        for path, body in pages.items():
            text = body.decode("utf-8", errors="replace")
            leaks += [(who, path, canary) for canary in forbidden if canary in text]
    assert leaks == []


def test_the_teen_does_see_their_own_confidential_note_and_messages(
    world: World,
) -> None:
    pages = _walk(world.teen.teen_client(), world.teen)
    text = b"".join(pages.values()).decode()
    assert CONFIDENTIAL in text
    assert TEEN_MESSAGE in text
    assert PSYCHOLOGY in text


def test_the_young_childs_guardian_reads_the_psychology_note(world: World) -> None:
    pages = _walk(world.young.guardian_client(), world.young)
    assert PSYCHOLOGY in b"".join(pages.values()).decode()


def _ids(world: World, mine: Family) -> dict[str, int]:
    """Ids of objects that are NOT this viewer's to open."""
    other = world.other
    return {
        "patient_id": other.child.pk,
        "thread_id": world.other_thread,
        "exercise_id": world.other_exercise,
        "administration_id": 10**6,
        "invitation_id": 10**6,
    }


def test_guessing_ids_on_every_portal_url_finds_nothing(world: World) -> None:
    client = world.teen.guardian_client()
    own = world.teen.child.pk
    checked = 0
    for name, kwargs in _portal_patterns():
        if "patient_id" not in kwargs:
            continue
        others = _ids(world, world.teen)
        variants = [
            {k: others[k] for k in kwargs},  # another family's child
            {k: (own if k == "patient_id" else others[k]) for k in kwargs},
            {k: 10**7 for k in kwargs},  # nobody's
        ]
        if name == "portal:thread":  # the teen's own thread, for the guardian
            variants.append({"patient_id": own, "thread_id": world.teen_thread})
        missing = None
        for values in variants:
            if values == {"patient_id": own}:
                continue
            url = reverse(name, kwargs=values)
            for method in (client.get, client.post):
                response = method(url)
                if response.status_code == 405:
                    continue
                assert response.status_code == 404, (name, values, method)
                if missing is None:
                    missing = response.content
                assert response.content == missing, (name, values)
                checked += 1
    assert checked > 20


@pytest.mark.parametrize("role", sorted(STAFF_ROLES), ids=str)
def test_no_staff_role_reaches_a_portal_page(world: World, role: Role) -> None:
    """Staff read a child's record in the chart, never through the family portal
    (the second factor passed or not)."""
    member = staff(role, username=f"portal-{role}")
    CareTeamMemberFactory(patient=world.teen.child, member=member)
    client = sign_in(Client(), member)
    for url, name in _every_portal_url(world):
        assert client.get(url).status_code in (403, 405), name


def test_anonymous_visitors_are_sent_to_sign_in(world: World) -> None:
    client = Client()
    for url, name in _every_portal_url(world):
        response = client.get(url)
        assert response.status_code in (302, 405), name
        if response.status_code == 302:
            assert response["Location"].startswith(reverse("accounts:login")), name


def _every_portal_url(world: World) -> Iterator[tuple[str, str]]:
    public = {"portal:join", "portal:join_code", "portal:language"}
    for name, kwargs in _portal_patterns():
        if name in public:
            continue
        values: dict[str, object] = {
            k: world.teen.child.pk if k == "patient_id" else 1 for k in kwargs
        }
        if "slug" in values:
            values["slug"] = ARTICLES[0].slug
        yield reverse(name, kwargs=values), name
