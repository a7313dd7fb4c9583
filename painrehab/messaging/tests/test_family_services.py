import datetime as dt
import json
import uuid

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from painrehab.accounts.choices import Role
from painrehab.accounts.models import User
from painrehab.audit.actions import AuditAction, DataCategory
from painrehab.audit.models import AuditEvent
from painrehab.common.testing import staff
from painrehab.messaging.models import FamilyAudience, FamilyMessage, FamilyThread
from painrehab.messaging.services import BEFORE_LAST, IN_THE_FUTURE
from painrehab.messaging.services_family import (
    BODY_EMPTY,
    BODY_TOO_LONG,
    FAMILY_STARTS,
    FORM_REUSED,
    NO_EPISODE,
    SUBJECT_EMPTY,
    family_reply,
    family_thread_start,
)
from painrehab.patients.access import PatientNotFound
from painrehab.patients.tests.factories import CareTeamMemberFactory
from painrehab.portal.tests.support import Family, family

pytestmark = pytest.mark.django_db

SECRET_TEXT = "Canary-in-the-message-body"


@pytest.fixture
def fam() -> Family:
    return family(age=14, teen_account=True)


@pytest.fixture
def nurse(fam: Family) -> User:
    user = staff(Role.NURSE, username="nina", first_name="Nina", last_name="Nurse")
    CareTeamMemberFactory(patient=fam.child, member=user)
    return user


def _start(fam: Family, by: User, **kwargs: object) -> FamilyThread:
    arguments: dict[str, object] = {
        "subject": "Visiting on Sunday",
        "body": "Can grandma visit on Sunday afternoon?",
        "form_token": uuid.uuid4(),
        **kwargs,
    }
    return family_thread_start(patient=fam.child, author=by, **arguments)  # type: ignore[arg-type]


def _reply(thread: FamilyThread, by: User, **kwargs: object) -> FamilyMessage:
    arguments: dict[str, object] = {
        "body": "Yes, from 17:00.",
        "form_token": uuid.uuid4(),
        **kwargs,
    }
    return family_reply(thread=thread, author=by, **arguments)  # type: ignore[arg-type]


# --- Starting a conversation ----------------------------------------------------


def test_a_guardian_starts_a_parents_conversation_on_the_current_episode(
    fam: Family,
) -> None:
    thread = _start(fam, fam.guardian_user)

    assert thread.audience == FamilyAudience.GUARDIANS
    assert thread.episode == fam.episode
    assert thread.started_by == fam.guardian_user
    (first,) = thread.messages.all()
    assert first.body == "Can grandma visit on Sunday afternoon?"
    assert first.from_family is True


def test_the_teen_starts_a_private_conversation(fam: Family) -> None:
    assert fam.teen_user is not None

    thread = _start(fam, fam.teen_user)

    assert thread.audience == FamilyAudience.TEEN
    assert thread.messages.get().from_family is True


def test_a_double_click_on_send_makes_one_conversation_and_one_message(
    fam: Family,
) -> None:
    token = uuid.uuid4()

    first = _start(fam, fam.guardian_user, form_token=token)
    second = _start(fam, fam.guardian_user, form_token=token)

    assert first == second
    assert FamilyThread.objects.count() == 1
    assert FamilyMessage.objects.count() == 1


def test_an_empty_subject_and_body_are_refused_by_field_and_nothing_is_saved(
    fam: Family,
) -> None:
    with pytest.raises(ValidationError) as error:
        _start(fam, fam.guardian_user, subject="  ", body="\n")

    assert error.value.message_dict == {
        "subject": [str(SUBJECT_EMPTY)],
        "body": [str(BODY_EMPTY)],
    }
    assert not FamilyThread.objects.exists()


def test_a_message_longer_than_the_limit_is_refused(fam: Family) -> None:
    with pytest.raises(ValidationError) as error:
        _start(fam, fam.guardian_user, body="x" * 2001)

    assert error.value.message_dict["body"] == [
        str(BODY_TOO_LONG) % {"limit": 2000, "length": 2001}
    ]
    assert not FamilyThread.objects.exists()


def test_a_child_without_an_episode_has_nothing_to_write_about() -> None:
    fam = family(stage="none")

    with pytest.raises(ValidationError) as error:
        _start(fam, fam.guardian_user)

    assert error.value.messages == [str(NO_EPISODE)]


def test_another_familys_guardian_cannot_start_a_conversation_about_the_child(
    fam: Family,
) -> None:
    other = family(parent="Olga", surname="Otherfamily", name="Kim")

    with pytest.raises(PatientNotFound):
        _start(fam, other.guardian_user)

    assert not FamilyThread.objects.exists()


def test_the_team_does_not_start_family_conversations(fam: Family, nurse: User) -> None:
    with pytest.raises(PermissionDenied, match=str(FAMILY_STARTS)):
        _start(fam, nurse)


# --- Replies --------------------------------------------------------------------


def test_a_team_reply_is_marked_as_not_from_the_family(
    fam: Family, nurse: User
) -> None:
    thread = _start(fam, fam.guardian_user)

    message = _reply(thread, nurse)

    assert message.from_family is False
    assert message.author == nurse


def test_a_guardian_reply_is_marked_as_from_the_family(
    fam: Family, nurse: User
) -> None:
    thread = _start(fam, fam.guardian_user)
    _reply(thread, nurse)

    message = _reply(thread, fam.guardian_user, body="Thank you!")

    assert message.from_family is True


def test_a_guardian_cannot_reply_in_the_teens_conversation(fam: Family) -> None:
    assert fam.teen_user is not None
    private = _start(fam, fam.teen_user, subject="Just for me")

    with pytest.raises(PatientNotFound):
        _reply(private, fam.guardian_user)

    assert private.messages.count() == 1


def test_the_teen_may_reply_in_the_parents_conversation(fam: Family) -> None:
    assert fam.teen_user is not None
    thread = _start(fam, fam.guardian_user)

    message = _reply(thread, fam.teen_user, body="I would like that too.")

    assert message.from_family is True


def test_a_clinician_off_the_care_team_cannot_reply(fam: Family) -> None:
    thread = _start(fam, fam.guardian_user)
    outsider = staff(Role.NURSE, username="olly")

    with pytest.raises(PatientNotFound):
        _reply(thread, outsider)


@pytest.mark.parametrize("role", [Role.PRIVACY_OFFICER, Role.SYSADMIN])
def test_oversight_roles_never_write(fam: Family, role: Role) -> None:
    thread = _start(fam, fam.guardian_user)

    with pytest.raises(PermissionDenied):
        _reply(thread, staff(role))


def test_an_empty_reply_is_refused_next_to_the_body(fam: Family, nurse: User) -> None:
    thread = _start(fam, fam.guardian_user)

    with pytest.raises(ValidationError) as error:
        _reply(thread, nurse, body="   ")

    assert error.value.message_dict == {"body": [str(BODY_EMPTY)]}
    assert thread.messages.count() == 1


def test_a_double_click_on_reply_posts_one_message(fam: Family, nurse: User) -> None:
    thread = _start(fam, fam.guardian_user)
    token = uuid.uuid4()

    first = _reply(thread, nurse, form_token=token)
    second = _reply(thread, nurse, form_token=token)

    assert first == second
    assert thread.messages.count() == 2


def test_a_form_token_used_elsewhere_is_refused(fam: Family, nurse: User) -> None:
    thread = _start(fam, fam.guardian_user)
    token = uuid.uuid4()
    _reply(thread, nurse, form_token=token)

    with pytest.raises(ValidationError) as error:
        _reply(thread, fam.guardian_user, form_token=token)

    assert error.value.message_dict == {"form_token": [str(FORM_REUSED)]}


def test_a_back_dated_message_must_follow_the_last_and_not_be_in_the_future(
    fam: Family, nurse: User
) -> None:
    thread = _start(fam, fam.guardian_user)
    now = timezone.now()

    with pytest.raises(ValidationError) as early:
        _reply(thread, nurse, at=now - dt.timedelta(days=1))
    with pytest.raises(ValidationError) as late:
        _reply(thread, nurse, at=now + dt.timedelta(hours=1))

    assert early.value.message_dict == {"at": [BEFORE_LAST]}
    assert late.value.message_dict == {"at": [IN_THE_FUTURE]}


# --- The audit trail ------------------------------------------------------------


def test_every_message_is_audited_without_its_text(fam: Family, nurse: User) -> None:
    thread = _start(fam, fam.guardian_user, body=SECRET_TEXT)
    _reply(thread, nurse, body=SECRET_TEXT + " reply")

    events = AuditEvent.objects.filter(action=AuditAction.FAMILY_MESSAGE_SENT)

    assert [e.changes["from_family"] for e in events.order_by("seq")] == [True, False]
    assert {e.data_category for e in events} == {DataCategory.FAMILY_MESSAGE}
    assert {e.patient_id for e in events} == {fam.child.pk}
    assert SECRET_TEXT not in json.dumps([e.changes for e in events])
    assert thread.subject not in json.dumps([e.changes for e in events])
