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
