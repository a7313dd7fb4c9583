"""The calendar links a family member keeps for one child."""

from django.db.models import QuerySet
from django.http import Http404

from painrehab.portal.access import PortalChild
from painrehab.scheduling.choices import FeedKind
from painrehab.scheduling.models import CalendarFeed


def _own(child: PortalChild) -> QuerySet[CalendarFeed]:
    """Feeds of this child that this person made (not the coordinator's)."""
    return CalendarFeed.objects.filter(
        kind=FeedKind.PATIENT, patient=child.patient, created_by=child.user
    )


def family_feeds(*, child: PortalChild) -> list[CalendarFeed]:
    """This person's live calendars of the child, newest first."""
    return list(_own(child).filter(revoked_at=None).order_by("-created_at", "-pk"))


def family_feed_get(*, child: PortalChild, feed_id: int) -> CalendarFeed:
    """One of them; anyone else's feed, or a made-up id, is a 404."""
    feed = _own(child).filter(pk=feed_id).first()
    if feed is None:
        raise Http404
    return feed
