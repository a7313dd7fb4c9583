from django.apps import AppConfig


class OutcomesConfig(AppConfig):
    name = "painrehab.outcomes"
    label = "outcomes"

    def ready(self) -> None:
        from django.utils.translation import gettext_lazy as _

        from painrehab.accounts.choices import Role
        from painrehab.accounts.context_processors import register_navigation
        from painrehab.patients.chart import ChartTab, register_tab

        register_tab(ChartTab("Trajectory", "outcomes:trajectory", 25))
        register_tab(ChartTab("Reports", "outcomes:report_list", 48))
        register_navigation(
            _("Outcomes"),
            "outcomes:dashboard",
            frozenset({Role.DIRECTOR, Role.COORDINATOR}),
        )
