"""URLs of the outcomes app: program dashboard, child trajectories, reports."""

from django.urls import URLPattern, path

from painrehab.outcomes.views import dashboard, reports, trajectory

app_name = "outcomes"

urlpatterns: list[URLPattern] = [
    # The program (director and coordinator): aggregate figures only.
    path("outcomes/", dashboard.dashboard, name="dashboard"),
    path("outcomes/instruments/<str:code>/", dashboard.cohort, name="cohort"),
    # The de-identified research export (director only; a disclosure).
    path("outcomes/export/", dashboard.export, name="export"),
    # One child (care team, through the access funnel).
    path(
        "patients/<int:patient_id>/trajectory/",
        trajectory.trajectory,
        name="trajectory",
    ),
    path("patients/<int:patient_id>/reports/", reports.report_list, name="report_list"),
    path(
        "patients/<int:patient_id>/reports/new/<str:kind>/",
        reports.report_create,
        name="report_create",
    ),
    path(
        "patients/<int:patient_id>/reports/<int:report_id>/",
        reports.report_download,
        name="report_download",
    ),
]
