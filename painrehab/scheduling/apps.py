from django.apps import AppConfig


class SchedulingConfig(AppConfig):
    name = "painrehab.scheduling"
    label = "scheduling"

    def ready(self) -> None:
        from django.utils.translation import gettext_lazy as _

        from painrehab.accounts.choices import CLINICAL_ROLES
        from painrehab.accounts.context_processors import register_navigation
        from painrehab.patients.chart import ChartTab, register_tab

        register_navigation(_("Timetable"), "scheduling:unit_day", CLINICAL_ROLES)
        register_tab(ChartTab("Timetable", "scheduling:patient_week", 45))
        from painrehab.careplans.agenda import register_attendance
        from painrehab.scheduling.attendance import attendance_for

        register_attendance(attendance_for)
