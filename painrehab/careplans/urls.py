"""URLs of the careplans app; every view declares who may use it."""

from django.urls import URLPattern, path

from painrehab.careplans.views import goals, plan, prescriptions

app_name = "careplans"

P = "patients/<int:patient_id>/care-plan/"

urlpatterns: list[URLPattern] = [
    path(P, plan.plan, name="plan"),
    path(P + "edit/", plan.plan_edit, name="plan_edit"),
    path(P + "formulation/", plan.formulation_edit, name="formulation_edit"),
    path(P + "goals/new/", goals.goal_add, name="goal_add"),
    path(P + "goals/<int:goal_id>/", goals.goal_edit, name="goal_edit"),
    path(P + "goals/<int:goal_id>/review/", goals.goal_review, name="goal_review"),
    path(
        P + "prescriptions/new/",
        prescriptions.prescription_add,
        name="prescription_add",
    ),
    path(
        P + "prescriptions/<int:prescription_id>/",
        prescriptions.prescription_edit,
        name="prescription_edit",
    ),
    path(
        P + "prescriptions/<int:prescription_id>/stop/",
        prescriptions.prescription_stop,
        name="prescription_stop",
    ),
]
