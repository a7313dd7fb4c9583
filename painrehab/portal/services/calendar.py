"""A family member's calendar link for one child: make one, switch one off.

The scheduling service makes a family's feed for the coordinator only (a staff
user, through the chart's access funnel); a guardian or teen reaches the child
through the portal's door instead, so the portal makes the same kind of feed
here: a ``CalendarFeed`` of kind ``patient`` whose ``created_by`` is the family
member. What the feed says (the child's sessions only, first names, plain kinds
of session) is the scheduling feed's own (``scheduling.feeds``). The token is
shown once; only its digest is stored. A double click (the same ``form_token``)
makes one feed.
"""

import uuid
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from painrehab.audit.actions import ActionType, AuditAction, DataCategory
from painrehab.audit.services import record
from painrehab.domain.proxy import Category
from painrehab.episodes.choices import OPEN_PHASES
from painrehab.episodes.models import Episode
from painrehab.portal.access import PortalChild, require
from painrehab.portal.selectors.calendar import family_feed_get, family_feeds
from painrehab.scheduling.choices import FeedKind
from painrehab.scheduling.feeds import token_digest, token_new
from painrehab.scheduling.models import CalendarFeed
from painrehab.scheduling.services.feeds import LABEL_MAX

# A person rarely needs more than a phone and a computer or two.
MAX_LIVE_FEEDS = 5

LABEL_TOO_LONG = _("Please keep the name under %(max)s characters.")
TOO_MANY = _(
    "You have %(max)s calendar links for this child already. "
    "Switch one off before making another."
)
NO_JOURNEY = _(
    "There is no stay on the program right now, so the calendar would be empty."
)
FORM_REUSED = _("This form was already used. Please reload the page.")


@dataclass(frozen=True)
class CreatedFeed:
    """The new feed and its token, shown once; ``token`` is ``None`` when this
    form had already made the feed (its address was shown the first time)."""

    feed: CalendarFeed
    token: str | None


def _purpose(child: PortalChild) -> str:
    return "PATRQT" if child.is_teen else "FAMRQT"


def _audit(child: PortalChild, feed: CalendarFeed, action: AuditAction) -> None:
    record(
        action=action,
        action_type=(
            ActionType.CREATE
            if action == AuditAction.CALENDAR_FEED_CREATED
            else ActionType.UPDATE
        ),
        actor=child.user,
        patient_id=child.patient.pk,
        data_category=DataCategory.SCHEDULE,
        obj=feed,
        changes={"kind": feed.kind, "label": feed.label, "viewer": str(child.viewer)},
        purpose_of_use=_purpose(child),
    )


def _repeat(child: PortalChild, form_token: uuid.UUID) -> CreatedFeed | None:
    existing = CalendarFeed.objects.filter(form_token=form_token).first()
    if existing is None:
        return None
    mine = existing.kind == FeedKind.PATIENT and existing.patient_id == (
        child.patient.pk
    )
    if not mine or existing.created_by_id != child.user.pk:
        raise ValidationError(FORM_REUSED)
    return CreatedFeed(feed=existing, token=None)


def _check_new(child: PortalChild, label: str) -> str:
    cleaned = label.strip()
    if len(cleaned) > LABEL_MAX:
        raise ValidationError({"label": LABEL_TOO_LONG % {"max": LABEL_MAX}})
    open_episode = Episode.objects.filter(
        patient=child.patient, phase__in=sorted(OPEN_PHASES)
    )
    if not open_episode.exists():
        raise ValidationError(NO_JOURNEY)
    if len(family_feeds(child=child)) >= MAX_LIVE_FEEDS:
        raise ValidationError(TOO_MANY % {"max": MAX_LIVE_FEEDS})
    return cleaned


@transaction.atomic
def family_feed_create(
    *, child: PortalChild, label: str, form_token: uuid.UUID
) -> CreatedFeed:
    """A calendar link of the child's own sessions for this family member."""
    require(child, Category.SCHEDULE)
    repeat = _repeat(child, form_token)
    if repeat is not None:
        return repeat
    token = token_new()
    feed = CalendarFeed(
        kind=FeedKind.PATIENT,
        patient=child.patient,
        label=_check_new(child, label),
        token_digest=token_digest(token),
        created_by=child.user,
        form_token=form_token,
    )
    feed.full_clean(validate_unique=False)
    try:
        with transaction.atomic():
            feed.save()
    except IntegrityError:
        # A concurrent twin of this form won the race: it is the feed.
        again = _repeat(child, form_token)
        if again is None:
            raise
        return again
    _audit(child, feed, AuditAction.CALENDAR_FEED_CREATED)
    return CreatedFeed(feed=feed, token=token)


@transaction.atomic
def family_feed_revoke(*, child: PortalChild, feed_id: int) -> CalendarFeed:
    """Switch off one of this person's calendar links of the child, for good.

    Another person's feed or a made-up id is a 404; twice changes nothing.
    """
    found = family_feed_get(child=child, feed_id=feed_id)
    feed = CalendarFeed.objects.select_for_update().get(pk=found.pk)
    if feed.revoked_at is not None:
        return feed
    feed.revoked_at = timezone.now()
    feed.revoked_by = child.user
    feed.save(update_fields=["revoked_at", "revoked_by"])
    _audit(child, feed, AuditAction.CALENDAR_FEED_REVOKED)
    return feed
