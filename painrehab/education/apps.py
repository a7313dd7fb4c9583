from django.apps import AppConfig


class EducationConfig(AppConfig):
    name = "painrehab.education"
    label = "education"
