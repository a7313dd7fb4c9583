from django.apps import AppConfig


class CarePlansConfig(AppConfig):
    name = "painrehab.careplans"
    label = "careplans"

    def ready(self) -> None:
        from django.utils.translation import gettext_lazy as _

        from painrehab.accounts.choices import CLINICAL_ROLES
        from painrehab.accounts.context_processors import register_navigation
        from painrehab.careplans.receivers import plan_on_admission
        from painrehab.episodes.models import Stay
        from painrehab.episodes.signals import admitted
        from painrehab.patients.chart import ChartTab, register_tab

        admitted.connect(
            plan_on_admission, sender=Stay, dispatch_uid="careplans.plan_on_admission"
        )
        register_tab(ChartTab("Care plan", "careplans:plan", 40))
        register_navigation(
            _("Conferences"), "careplans:conference_list", CLINICAL_ROLES
        )
