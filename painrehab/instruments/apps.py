from django.apps import AppConfig


class InstrumentsConfig(AppConfig):
    name = "painrehab.instruments"
    label = "instruments"

    def ready(self) -> None:
        from painrehab.episodes.selectors.census import register_due_questionnaires
        from painrehab.instruments.selectors import due_labels_for_patients
        from painrehab.patients.chart import ChartTab, register_tab

        register_due_questionnaires(due_labels_for_patients)
        register_tab(ChartTab("Measures", "instruments:measures", 20))
        from painrehab.instruments.views.daily import register_chart_tabs

        register_chart_tabs()
        from painrehab.accounts.context_processors import register_badge
        from painrehab.instruments.selectors import flagged_scores_for

        register_badge(
            "instruments:alerts", lambda user: flagged_scores_for(user).count()
        )
