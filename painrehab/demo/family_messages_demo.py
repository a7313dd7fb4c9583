"""Messages between families and the team for the demo.

Runs after the journeys, once the inpatients stand on the unit with their care
teams and their guardians' portal accounts, and writes only through
``messaging.services_family``, so the audit rows are the real ones. A few
inpatients whose guardian has a portal account get one or two short
conversations (visiting, a weekend pass, school work, what to wear for therapy),
each answered by the team member of the named role (the coordinator when the
child's team has nobody in that role). The newest conversation of about half of
those families is still waiting for an answer, so the team's "Family messages"
badge has something to show. One teen with their own account gets one private
conversation (``FamilyAudience.TEEN``) answered by the psychologist.

Families who prefer Spanish write in Spanish and the team answers in Spanish.
Every message is back-dated within the stay and never later than now.
"""

import random
import uuid
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import cast

from django.utils import timezone

from painrehab.accounts.choices import CLINICAL_ROLES, Role
from painrehab.accounts.models import User
from painrehab.episodes.choices import Phase
from painrehab.episodes.models import Episode, Stay
from painrehab.messaging import services_family
from painrehab.messaging.models import FamilyThread
from painrehab.patients.access import can_see_patient
from painrehab.patients.models import CareTeamMember, Patient, PatientGuardian

R = Role
# (subject, the family's question, the role that answers, the answer), per language.
Script = tuple[str, str, Role, str]
FAMILY_SCRIPTS: dict[str, tuple[Script, ...]] = {
    "en": (
        (
            "Visiting this weekend",
            "Hi, can {child}'s grandparents visit on Sunday afternoon? They are "
            "driving in from out of town.",
            R.SOCIAL_WORKER,
            "Yes, grandparents are welcome during family time, 17:00 to 20:00, and "
            "on Sunday afternoon from 14:00. Please sign in at the front desk.",
        ),
        (
            "Weekend pass",
            "Could {child} come home for a few hours on Saturday?",
            R.PHYSICIAN,
            "We talked about it at the team meeting: a pass from 10:00 to 16:00 on "
            "Saturday is fine. Please keep to the walking plan and bring {child} "
            "back in time for dinner.",
        ),
        (
            "School work",
            "{child}'s teacher sent a packet of maths homework. Should we bring it in?",
            R.TEACHER,
            "Yes, please. I will fit it into the hospital-school blocks so {child} "
            "keeps up with the class.",
        ),
        (
            "What to wear for therapy",
            "What should {child} wear for physical therapy?",
            R.PHYSICAL_THERAPIST,
            "Comfortable clothes and trainers with good support. No slippers or "
            "sandals, please.",
        ),
    ),
    "es": (
        (
            "Visitas este fin de semana",
            "Hola, ¿pueden los abuelos de {child} visitarle el domingo por la "
            "tarde? Vienen de fuera de la ciudad.",
            R.SOCIAL_WORKER,
            "Sí, los abuelos son bienvenidos en el horario de familia, de 17:00 a "
            "20:00, y el domingo por la tarde desde las 14:00. Por favor, "
            "regístrense en la recepción.",
        ),
        (
            "Permiso de fin de semana",
            "¿Puede {child} venir a casa unas horas el sábado?",
            R.PHYSICIAN,
            "Lo hablamos en la reunión del equipo: un permiso el sábado de 10:00 a "
            "16:00 está bien. Por favor, sigan el plan de caminatas y traigan a "
            "{child} de vuelta para la cena.",
        ),
        (
            "Tareas de la escuela",
            "La maestra de {child} mandó un paquete de tareas de matemáticas. "
            "¿Lo traemos?",
            R.TEACHER,
            "Sí, por favor. Lo incluiré en las clases de la escuela del hospital "
            "para que {child} no se atrase.",
        ),
        (
            "Ropa para la terapia",
            "¿Qué ropa debe usar {child} para la fisioterapia?",
            R.PHYSICAL_THERAPIST,
            "Ropa cómoda y tenis con buen soporte. Por favor, nada de pantuflas ni "
            "sandalias.",
        ),
    ),
}
TEEN_SCRIPT: dict[str, Script] = {
    "en": (
        "Going back to school",
        "I'm nervous about going back to school and people asking why I was "
        "away. Can we talk about what to say?",
        R.PSYCHOLOGIST,
        "That's a really common worry, and a good thing to plan for. Let's "
        "practise a short answer you're comfortable with in our session on "
        "Thursday.",
    ),
    "es": (
        "Volver a la escuela",
        "Me preocupa volver a la escuela y que la gente me pregunte por qué "
        "falté. ¿Podemos hablar de qué decir?",
        R.PSYCHOLOGIST,
        "Es una preocupación muy común, y es bueno prepararse. En nuestra sesión "
        "del jueves practicamos una respuesta corta con la que te sientas a gusto.",
    ),
}
FAMILIES = 4
THREADS_PER_FAMILY = (1, 2)
UNANSWERED_SHARE = 0.5
GAP_MINUTES = (30, 240)
SETTLE = timedelta(minutes=10)  # the newest message is at least this old


@dataclass(frozen=True)
class Writer:
    """Who writes on the family's side and who answers for the team."""

    family: User
    by_role: dict[str, User]
    coordinator: User

    def team(self, role: Role) -> User:
        return self.by_role.get(role, self.coordinator)


def _coordinator() -> User | None:
    people = User.objects.filter(role=Role.COORDINATOR, is_active=True)
    return (
        people.filter(username="coordinator").first() or people.order_by("pk").first()
    )


def _team(patient: Patient, today: date) -> dict[str, User]:
    members = (
        CareTeamMember.objects.filter(
            patient=patient,
            end_date__isnull=True,
            start_date__lte=min(today, timezone.localdate()),
            member__is_active=True,
            member__role__in=sorted(CLINICAL_ROLES),
        )
        .select_related("member")
        .order_by("pk")
    )
    by_role: dict[str, User] = {}
    for membership in members:
        by_role.setdefault(membership.member.role, membership.member)
    return by_role


def _guardian_account(patient: Patient) -> User | None:
    """The first guardian with a portal account who may see the child today."""
    links = PatientGuardian.objects.filter(
        patient=patient, portal_access=True, guardian__user__is_active=True
    ).select_related("guardian__user")
    for link in links.order_by("-is_primary_contact", "pk"):
        user = link.guardian.user
        if user is not None and can_see_patient(user=user, patient=patient):
            return user
    return None


def _window(episode: Episode) -> tuple[datetime, datetime]:
    """From the morning of admission (or three days ago) to just before now."""
    now = timezone.now()
    stay = Stay.objects.filter(episode=episode).first()
    since = stay.admitted_on if stay else timezone.localdate() - timedelta(days=3)
    midnight = timezone.make_aware(datetime.combine(since, time(0, 0)))
    end = max(now - SETTLE, midnight)
    start = max(midnight, min(midnight + timedelta(hours=8), end - timedelta(hours=4)))
    return min(start, end), end


def _times(
    rng: random.Random, count: int, window: tuple[datetime, datetime]
) -> list[datetime]:
    start, end = window
    room = max((end - start).total_seconds() - count * GAP_MINUTES[1] * 60, 0)
    at = start + timedelta(seconds=rng.random() * room)
    times = []
    for _ in range(count):
        times.append(min(at, end))
        at += timedelta(minutes=rng.randint(*GAP_MINUTES))
    return times


def _token(rng: random.Random) -> uuid.UUID:
    return uuid.UUID(int=rng.getrandbits(128))


def _conversation(
    rng: random.Random,
    patient: Patient,
    writer: Writer,
    script: Script,
    times: list[datetime],
    *,
    answered: bool,
) -> FamilyThread:
    subject, question, role, answer = script
    child = patient.preferred_name or patient.given_name
    thread = services_family.family_thread_start(
        patient=patient,
        author=writer.family,
        subject=subject,
        body=question.format(child=child),
        form_token=_token(rng),
        at=times[0],
    )
    if answered:
        services_family.family_reply(
            thread=thread,
            author=writer.team(role),
            body=answer.format(child=child),
            form_token=_token(rng),
            at=times[1],
        )
    return thread


def _language(user: User) -> str:
    return "es" if user.preferred_language == "es" else "en"


def _family_threads(
    rng: random.Random, stay: Stay, guardian: User, coordinator: User, today: date
) -> None:
    patient = stay.episode.patient
    writer = Writer(guardian, _team(patient, today), coordinator)
    scripts = FAMILY_SCRIPTS[_language(guardian)]
    chosen = rng.sample(range(len(scripts)), rng.choice(THREADS_PER_FAMILY))
    times = _times(rng, 2 * len(chosen), _window(stay.episode))
    last_unanswered = rng.random() < UNANSWERED_SHARE
    for n, index in enumerate(sorted(chosen)):
        newest = n == len(chosen) - 1
        _conversation(
            rng,
            patient,
            writer,
            scripts[index],
            times[2 * n : 2 * n + 2],
            answered=not (newest and last_unanswered),
        )


def _inpatients(today: date) -> list[Stay]:
    stays = Stay.objects.filter(
        episode__phase=Phase.INPATIENT, admitted_on__lte=today
    ).select_related("episode__patient")
    return list(stays.order_by("episode__patient__mrn"))


def _teen_thread(
    rng: random.Random, stays: list[Stay], coordinator: User, today: date
) -> None:
    """One private conversation for one inpatient teen with their own account."""
    teens = [s for s in stays if s.episode.patient.user is not None]
    if not teens:
        return
    stay = rng.choice(teens)
    patient = stay.episode.patient
    teen = cast(User, patient.user)
    writer = Writer(teen, _team(patient, today), coordinator)
    times = _times(rng, 2, _window(stay.episode))
    _conversation(
        rng, patient, writer, TEEN_SCRIPT[_language(teen)], times, answered=True
    )


def family_messages_populate(*, rng: random.Random, today: date) -> None:
    """A few family conversations with the team, and one teen's private one."""
    coordinator = _coordinator()
    if coordinator is None:
        return
    stays = _inpatients(today)
    with_accounts = [
        (stay, guardian)
        for stay in stays
        if (guardian := _guardian_account(stay.episode.patient)) is not None
    ]
    for stay, guardian in rng.sample(with_accounts, min(FAMILIES, len(with_accounts))):
        _family_threads(rng, stay, guardian, coordinator, today)
    _teen_thread(rng, stays, coordinator, today)
