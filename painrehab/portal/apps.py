from django.apps import AppConfig


class PortalConfig(AppConfig):
    name = "painrehab.portal"
    label = "portal"

    def ready(self) -> None:
        from painrehab.patients.chart import ChartTab, register_tab
        from painrehab.portal import checks  # noqa: F401 (registers the checks)
        from painrehab.portal.access import family_feed_allowed
        from painrehab.scheduling.feeds import register_family_feed_guard

        # A family member's calendar link ends with their access to the timetable.
        register_family_feed_guard(family_feed_allowed)

        # The staff side: who in the family has an account, and invitations.
        register_tab(ChartTab("Family access", "portal_staff:family_access", 70))
