"""URLs of the careplans app; every view declares who may use it."""

from django.urls import URLPattern, path

from painrehab.careplans.views import (
    conference_items,
    conferences,
    goals,
    plan,
    prescriptions,
)

app_name = "careplans"

P = "patients/<int:patient_id>/care-plan/"
C = "conferences/<int:conference_id>/"
CHILD = C + "children/<int:item_id>/"

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
    # The weekly team conference (every name starts with "conference").
    path("conferences/", conferences.conference_list, name="conference_list"),
    path("conferences/new/", conferences.conference_new, name="conference_new"),
    path(C, conferences.conference_detail, name="conference_detail"),
    path(C + "start/", conferences.conference_start, name="conference_start"),
    path(C + "add/", conferences.conference_add_child, name="conference_add_child"),
    path(C + "close/", conferences.conference_close, name="conference_close"),
    path(CHILD, conference_items.conference_child, name="conference_child"),
    path(
        CHILD + "update/",
        conference_items.conference_update,
        name="conference_update",
    ),
    path(
        CHILD + "decide/<slug:kind>/",
        conference_items.conference_decide,
        name="conference_decide",
    ),
    path(
        CHILD + "family-summary/",
        conference_items.conference_summary,
        name="conference_summary",
    ),
    path(
        CHILD + "family-summary/release/",
        conference_items.conference_summary_release,
        name="conference_summary_release",
    ),
]
