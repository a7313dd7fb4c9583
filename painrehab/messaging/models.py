"""Team message threads about one child's episode, their messages and mentions.

A message is immutable once posted: a correction is a new message. The model and
its queryset refuse changes and deletions, so a stale copy or a bulk update cannot
rewrite what a colleague already read.
"""

from typing import Any, NoReturn

from django.conf import settings
from django.db import models
from django.db.models.functions import Length
from django.db.models.lookups import LessThanOrEqual
from django.utils.translation import gettext_lazy as _

from painrehab.episodes.models import Episode

SUBJECT_MAX = 200
BODY_MAX = 2000
POSTED_IS_FINAL = "A posted message cannot be changed or deleted; post a new one."


class FinalQuerySet(models.QuerySet[Any]):
    """Rows that, once written, are never updated or deleted in bulk either."""

    def update(self, **kwargs: Any) -> NoReturn:
        raise PermissionError(POSTED_IS_FINAL)

    def delete(self) -> NoReturn:
        raise PermissionError(POSTED_IS_FINAL)


class FinalModel(models.Model):
    """Insert-only: ``save`` on a stored row and ``delete`` are refused."""

    objects = FinalQuerySet.as_manager()

    class Meta:
        abstract = True

    def save(self, *args: Any, **kwargs: Any) -> None:
        if not self._state.adding:
            raise PermissionError(POSTED_IS_FINAL)
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> NoReturn:
        raise PermissionError(POSTED_IS_FINAL)


class Thread(FinalModel):
    """A conversation of the care team about one child's episode, under a subject.

    ``form_token`` makes a double click on "Start thread" one thread.
    """

    episode = models.ForeignKey(
        Episode, on_delete=models.PROTECT, related_name="message_threads"
    )
    subject = models.CharField(_("subject"), max_length=SUBJECT_MAX)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(_("started"))
    form_token = models.UUIDField(unique=True)

    class Meta:
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.subject} (episode {self.episode_id})"


class Message(FinalModel):
    """One short message in a thread; final once posted.

    ``form_token`` makes a double click on "Post" one message.
    """

    thread = models.ForeignKey(
        Thread, on_delete=models.PROTECT, related_name="messages"
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    body = models.TextField(_("message"), max_length=BODY_MAX)
    created_at = models.DateTimeField(_("posted"))
    form_token = models.UUIDField(unique=True)

    class Meta:
        ordering = ["created_at", "pk"]
        indexes = [models.Index(fields=["thread", "created_at"])]
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(body=""), name="messaging_message_not_empty"
            ),
            models.CheckConstraint(
                condition=LessThanOrEqual(Length("body"), BODY_MAX),
                name="messaging_message_short",
            ),
        ]

    def __str__(self) -> str:
        return f"Message {self.pk} in thread {self.thread_id}"


class Mention(FinalModel):
    """A team member named in a message (``@username`` or the notify list).

    ``notified_at`` is when the mention was put in the person's inbox.
    """

    message = models.ForeignKey(
        Message, on_delete=models.PROTECT, related_name="mentions"
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="message_mentions",
    )
    notified_at = models.DateTimeField(_("notified"))

    class Meta:
        ordering = ["message", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["message", "user"], name="messaging_mention_once"
            )
        ]

    def __str__(self) -> str:
        return f"{self.user} in message {self.message_id}"


class ThreadRead(models.Model):
    """How far one person has read one thread; it only moves forward."""

    thread = models.ForeignKey(Thread, on_delete=models.PROTECT, related_name="reads")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    last_read_message = models.ForeignKey(
        Message, on_delete=models.PROTECT, related_name="+"
    )
    last_read_at = models.DateTimeField(_("last read"))

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["thread", "user"], name="messaging_read_once"
            )
        ]

    def __str__(self) -> str:
        return (
            f"{self.user} read thread {self.thread_id} to {self.last_read_message_id}"
        )


class FamilyAudience(models.TextChoices):
    """Who on the family side reads a conversation with the team."""

    GUARDIANS = "guardians", _("The child's parents or guardians")
    # A teen's own conversations: never shown to a guardian (MIN-3).
    TEEN = "teen", _("The teen only")


class FamilyThread(FinalModel):
    """A non-urgent conversation between the family (or the teen) and the team.

    The audience is fixed when the thread starts: a teen's threads stay the teen's.
    ``form_token`` makes a double click on "Send" one thread.
    """

    episode = models.ForeignKey(
        Episode, on_delete=models.PROTECT, related_name="family_threads"
    )
    audience = models.CharField(
        _("who reads it"), max_length=12, choices=FamilyAudience.choices
    )
    subject = models.CharField(_("subject"), max_length=SUBJECT_MAX)
    started_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(_("started"))
    form_token = models.UUIDField(unique=True)

    class Meta:
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.subject} (family, episode {self.episode_id})"


class FamilyMessage(FinalModel):
    """One message in a family thread, from the family or from the team; final."""

    thread = models.ForeignKey(
        FamilyThread, on_delete=models.PROTECT, related_name="messages"
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    from_family = models.BooleanField()
    body = models.TextField(_("message"), max_length=BODY_MAX)
    created_at = models.DateTimeField(_("sent"))
    form_token = models.UUIDField(unique=True)

    class Meta:
        ordering = ["created_at", "pk"]
        indexes = [models.Index(fields=["thread", "created_at"])]
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(body=""), name="messaging_family_message_not_empty"
            ),
            models.CheckConstraint(
                condition=LessThanOrEqual(Length("body"), BODY_MAX),
                name="messaging_family_message_short",
            ),
        ]

    def __str__(self) -> str:
        return f"Family message {self.pk} in thread {self.thread_id}"
