from django.apps import AppConfig


class EpisodesConfig(AppConfig):
    name = "painrehab.episodes"
    label = "episodes"

    def ready(self) -> None:
        from painrehab.episodes.selectors import chart_header
        from painrehab.patients import chart

        chart.register_header(chart_header)
        chart.register_tab(chart.ChartTab("Journey", "episodes:journey", 10))
