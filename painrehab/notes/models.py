"""Signed clinical notes, their addenda and group sessions; psychotherapy notes apart.

Signed rows never change. Three layers refuse it: ``save()``/``delete()`` here, the
querysets' ``update()``/``delete()``, and database triggers (migration 0002) that
stop raw SQL too. On a signed note only the facts recorded *about* it may still be
written: its confidentiality mark and, once, its co-signature
(``MUTABLE_AFTER_SIGNING``); neither is covered by the digest.

``PsychotherapyNote`` is a separate table on purpose (HIPAA 164.501: notes "separated
from the rest of the individual's medical record"): no other model points at it, and
it has no reverse accessor on ``Patient``.
"""

import uuid
from typing import Any, NoReturn

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from painrehab.common.models import TimeStampedModel
from painrehab.episodes.models import Episode
from painrehab.notes import digest
from painrehab.notes.choices import ConfidentialityReason, NoteKind, NoteStatus
from painrehab.patients.models import Patient

SIGNED_IS_FINAL = "A signed note cannot be changed or deleted; add an addendum."
ADDENDUM_IS_FINAL = "An addendum cannot be changed or deleted."
COSIGNED_ONCE = "A co-signature, once given, cannot be changed."
COSIGN_FIELDS = frozenset({"cosigned_by", "cosigned_at"})
CONFIDENTIALITY_FIELDS = frozenset(
    {
        "confidential",
        "confidential_reason",
        "confidential_set_by",
        "confidential_set_at",
    }
)
MUTABLE_AFTER_SIGNING = COSIGN_FIELDS | CONFIDENTIALITY_FIELDS
SIGNED = NoteStatus.SIGNED


def _refuse_if_signed(queryset: models.QuerySet[Any]) -> None:
    if queryset.filter(status=SIGNED).exists():
        raise PermissionError(SIGNED_IS_FINAL)


class NoteQuerySet(models.QuerySet["Note"]):
    """Bulk ``update()``/``delete()`` refuse to touch a signed note."""

    def update(self, **kwargs: Any) -> int:
        _refuse_if_signed(self)
        return super().update(**kwargs)

    def delete(self) -> tuple[int, dict[str, int]]:
        _refuse_if_signed(self)
        return super().delete()


class PsychotherapyNoteQuerySet(models.QuerySet["PsychotherapyNote"]):
    """Bulk ``update()``/``delete()`` refuse to touch a signed psychotherapy note."""

    def update(self, **kwargs: Any) -> int:
        _refuse_if_signed(self)
        return super().update(**kwargs)

    def delete(self) -> tuple[int, dict[str, int]]:
        _refuse_if_signed(self)
        return super().delete()


def _stored(model: models.Model, *fields: str) -> dict[str, Any] | None:
    """The row as the database holds it: a stale instance must not decide."""
    if model.pk is None:
        return None
    manager = type(model)._default_manager
    return manager.filter(pk=model.pk).values("status", *fields).first()


class GroupSession(models.Model):
    """One group session (e.g. a coping-skills group) and who led it.

    Its notes are one per attending child (``Note.group_session``), each in that
    child's chart and signed on its own. The session itself holds nothing about
    any child: ``topic`` is a short label such as "Pacing group".
    """

    template = models.CharField(max_length=40, default="group_session")
    leader = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    service_date = models.DateField(_("date of the group"))
    topic = models.CharField(_("group"), max_length=120)
    form_token = models.UUIDField(unique=True, default=uuid.uuid4)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-service_date", "-pk"]

    def __str__(self) -> str:
        return f"{self.topic} on {self.service_date}"


class Note(TimeStampedModel):
    """One clinical note in one patient's chart: a draft, then signed and fixed.

    ``body`` holds the template's sections as ``{section key: text}``.
    ``content_sha256`` is the SHA-256 of the canonical serialization
    (``notes.digest``) taken at signing; ``verify()`` recomputes it.
    """

    episode = models.ForeignKey(Episode, on_delete=models.PROTECT, related_name="notes")
    patient = models.ForeignKey(Patient, on_delete=models.PROTECT, related_name="notes")
    template = models.CharField(_("template"), max_length=40)
    kind = models.CharField(_("kind"), max_length=20, choices=NoteKind.choices)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="notes"
    )
    service_date = models.DateField(_("date of service"))
    body = models.JSONField(_("sections"), default=dict, blank=True)
    status = models.CharField(
        _("status"), max_length=8, choices=NoteStatus.choices, default=NoteStatus.DRAFT
    )
    version = models.PositiveIntegerField(default=1)
    form_token = models.UUIDField(unique=True, default=uuid.uuid4)
    group_session = models.ForeignKey(
        GroupSession,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="notes",
    )
    signed_at = models.DateTimeField(_("signed"), null=True, blank=True)
    content_sha256 = models.CharField(max_length=64, blank=True)
    is_late_entry = models.BooleanField(_("late entry"), default=False)
    late_entry_reason = models.TextField(_("reason for the late entry"), blank=True)
    # A trainee's note waits for the supervisor named here at signing.
    cosign_required = models.BooleanField(default=False)
    cosign_supervisor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    cosigned_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    cosigned_at = models.DateTimeField(_("co-signed"), null=True, blank=True)
    confidential = models.BooleanField(_("adolescent-confidential"), default=False)
    confidential_reason = models.CharField(
        _("reason code"),
        max_length=40,
        choices=ConfidentialityReason.choices,
        blank=True,
    )
    confidential_set_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    confidential_set_at = models.DateTimeField(null=True, blank=True)

    objects = NoteQuerySet.as_manager()

    class Meta:
        ordering = ["-service_date", "-pk"]
        indexes = [models.Index(fields=["patient", "status", "service_date"])]
        constraints = [
            models.CheckConstraint(
                condition=Q(status="draft", signed_at__isnull=True, content_sha256="")
                | (Q(status="signed", signed_at__isnull=False) & ~Q(content_sha256="")),
                name="notes_signed_has_time_and_digest",
            ),
            models.CheckConstraint(
                condition=Q(confidential=False, confidential_reason="")
                | Q(
                    confidential=True,
                    confidential_reason__in=ConfidentialityReason.values,
                ),
                name="notes_confidential_has_reason_code",
            ),
            models.CheckConstraint(
                condition=Q(is_late_entry=False) | ~Q(late_entry_reason=""),
                name="notes_late_entry_has_reason",
            ),
            models.CheckConstraint(
                condition=Q(cosigned_by__isnull=True, cosigned_at__isnull=True)
                | Q(
                    cosign_required=True,
                    cosigned_by__isnull=False,
                    cosigned_at__isnull=False,
                ),
                name="notes_cosigned_only_when_required",
            ),
            models.CheckConstraint(
                condition=Q(cosign_required=False) | Q(cosign_supervisor__isnull=False),
                name="notes_cosign_names_the_supervisor",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} note of {self.service_date} ({self.pk})"

    @property
    def is_signed(self) -> bool:
        return self.status == NoteStatus.SIGNED

    @property
    def awaiting_cosignature(self) -> bool:
        return self.is_signed and self.cosign_required and self.cosigned_at is None

    def digest_content(self) -> dict[str, Any]:
        if self.signed_at is None:
            raise ValueError("an unsigned note has no digest")
        return digest.note_content(
            template=self.template,
            kind=self.kind,
            sections=self.body,
            patient_id=self.patient_id,
            author_id=self.author_id,
            service_date=self.service_date,
            signed_at=self.signed_at,
            late_entry_reason=self.late_entry_reason,
        )

    def compute_digest(self) -> str:
        return digest.sha256_of(self.digest_content())

    def verify(self) -> bool:
        """True when the stored digest matches the stored content."""
        return self.is_signed and self.content_sha256 == self.compute_digest()

    def save(self, *args: Any, **kwargs: Any) -> None:
        if not self._state.adding:
            _refuse_signed_write(self, kwargs.get("update_fields"))
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> tuple[int, dict[str, int]]:
        stored = _stored(self)
        if stored is not None and stored["status"] == SIGNED:
            raise PermissionError(SIGNED_IS_FINAL)
        return super().delete(*args, **kwargs)


def _refuse_signed_write(note: Note, update_fields: Any) -> None:
    stored = _stored(note, "cosigned_at")
    if stored is None or stored["status"] != SIGNED:
        return
    fields = set(update_fields) if update_fields is not None else None
    if fields is None or not fields <= MUTABLE_AFTER_SIGNING:
        raise PermissionError(SIGNED_IS_FINAL)
    if stored["cosigned_at"] is not None and fields & COSIGN_FIELDS:
        raise PermissionError(COSIGNED_ONCE)


class AddendumQuerySet(models.QuerySet["Addendum"]):
    def update(self, **kwargs: Any) -> NoReturn:
        raise PermissionError(ADDENDUM_IS_FINAL)

    def delete(self) -> NoReturn:
        raise PermissionError(ADDENDUM_IS_FINAL)


class Addendum(models.Model):
    """A correction or later information, linked to a signed note; signed when made.

    Its digest covers the original note's digest too, so the link cannot be moved.
    """

    note = models.ForeignKey(Note, on_delete=models.PROTECT, related_name="addenda")
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    text = models.TextField(_("addendum"))
    reason = models.CharField(_("reason"), max_length=200)
    signed_at = models.DateTimeField()
    content_sha256 = models.CharField(max_length=64)
    form_token = models.UUIDField(unique=True, default=uuid.uuid4)

    objects = AddendumQuerySet.as_manager()

    class Meta:
        ordering = ["signed_at", "pk"]
        verbose_name_plural = "addenda"

    def __str__(self) -> str:
        return f"Addendum {self.pk} to note {self.note_id}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        if not self._state.adding:
            raise PermissionError(ADDENDUM_IS_FINAL)
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> NoReturn:
        raise PermissionError(ADDENDUM_IS_FINAL)

    def compute_digest(self) -> str:
        return digest.sha256_of(
            digest.addendum_content(
                note_id=self.note_id,
                note_sha256=self.note.content_sha256,
                author_id=self.author_id,
                text=self.text,
                reason=self.reason,
                signed_at=self.signed_at,
            )
        )

    def verify(self) -> bool:
        return self.content_sha256 == self.compute_digest()


class PsychotherapyNote(TimeStampedModel):
    """A psychotherapy note (HIPAA 164.501): the author's own, kept apart.

    Readable only by its author and by the supervisor recorded on it when a
    trainee wrote it (164.508(a)(2) supervised training); every other path sees
    the same 404 as a missing page. Audit events name it by id only. Nothing
    points here, and ``patient`` has no reverse accessor, so no chart, list,
    search, export or portal query can reach it by accident.
    """

    patient = models.ForeignKey(Patient, on_delete=models.PROTECT, related_name="+")
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    supervisor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    service_date = models.DateField(_("date of the session"))
    text = models.TextField(_("psychotherapy note"), blank=True)
    status = models.CharField(
        max_length=8, choices=NoteStatus.choices, default=NoteStatus.DRAFT
    )
    version = models.PositiveIntegerField(default=1)
    form_token = models.UUIDField(unique=True, default=uuid.uuid4)
    signed_at = models.DateTimeField(null=True, blank=True)
    content_sha256 = models.CharField(max_length=64, blank=True)

    objects = PsychotherapyNoteQuerySet.as_manager()

    class Meta:
        ordering = ["-service_date", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(status="draft", signed_at__isnull=True, content_sha256="")
                | (Q(status="signed", signed_at__isnull=False) & ~Q(content_sha256="")),
                name="notes_pn_signed_has_time_and_digest",
            ),
        ]

    def __str__(self) -> str:
        # Never the text: this string can reach logs and the admin.
        return f"Psychotherapy note {self.pk}"

    @property
    def is_signed(self) -> bool:
        return self.status == NoteStatus.SIGNED

    def compute_digest(self) -> str:
        if self.signed_at is None:
            raise ValueError("an unsigned note has no digest")
        return digest.sha256_of(
            digest.psychotherapy_note_content(
                patient_id=self.patient_id,
                author_id=self.author_id,
                service_date=self.service_date,
                text=self.text,
                signed_at=self.signed_at,
            )
        )

    def verify(self) -> bool:
        return self.is_signed and self.content_sha256 == self.compute_digest()

    def save(self, *args: Any, **kwargs: Any) -> None:
        stored = None if self._state.adding else _stored(self)
        if stored is not None and stored["status"] == SIGNED:
            raise PermissionError(SIGNED_IS_FINAL)
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> tuple[int, dict[str, int]]:
        stored = _stored(self)
        if stored is not None and stored["status"] == SIGNED:
            raise PermissionError(SIGNED_IS_FINAL)
        return super().delete(*args, **kwargs)
