from django.apps import AppConfig


class EpisodesConfig(AppConfig):
    name = "painrehab.episodes"
    label = "episodes"
