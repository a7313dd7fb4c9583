"""URLs of the notes app; every view declares who may use it."""

from django.urls import URLPattern, path

from painrehab.notes.views import groups, notes, psychotherapy

app_name = "notes"

urlpatterns: list[URLPattern] = [
    path("patients/<int:patient_id>/notes/", notes.note_list, name="note_list"),
    path("patients/<int:patient_id>/notes/new/", notes.note_new, name="note_new"),
    path("notes/<int:note_id>/", notes.note_detail, name="note_detail"),
    path("notes/<int:note_id>/addendum/", notes.note_addendum, name="note_addendum"),
    path("notes/<int:note_id>/cosign/", notes.note_cosign, name="note_cosign"),
    path(
        "notes/<int:note_id>/confidentiality/",
        notes.note_confidentiality,
        name="note_confidentiality",
    ),
    path("notes/<int:note_id>/discard/", notes.note_discard, name="note_discard"),
    path("notes/mine/", notes.my_notes, name="my_notes"),
    path("group-sessions/new/", groups.group_new, name="group_new"),
    path("group-sessions/<int:group_id>/", groups.group_detail, name="group_detail"),
    path("psychotherapy-notes/", psychotherapy.pn_list, name="pn_list"),
    path("psychotherapy-notes/new/", psychotherapy.pn_new, name="pn_new"),
    path("psychotherapy-notes/<int:pn_id>/", psychotherapy.pn_detail, name="pn_detail"),
]
