from django.apps import AppConfig


class HomeProgramConfig(AppConfig):
    name = "painrehab.homeprogram"
    label = "homeprogram"

    def ready(self) -> None:
        from painrehab.patients.chart import ChartTab, register_tab

        register_tab(ChartTab("Home exercises", "homeprogram:exercise_list", 42))
