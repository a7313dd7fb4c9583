"""URLs of the family portal, under /family/. Every view declares who may use it.

Pages about a child take the child's id and go through ``portal.access.child_get``:
another family's id gives the same 404 as a missing page.
"""

from django.urls import URLPattern, path

from painrehab.portal.views import (
    account,
    after,
    checkin,
    day,
    exercises,
    home,
    join,
    learn,
    messages,
    notes,
    progress,
    questionnaires,
    sharing,
)

app_name = "portal"

CHILD = "children/<int:patient_id>/"

urlpatterns: list[URLPattern] = [
    path("", home.home, name="home"),
    # Accounts: invitation, language, settings.
    path("join/", join.join, name="join"),
    path("join/<str:code>/", join.join_code, name="join_code"),
    path("language/", account.language, name="language"),
    path("account/", account.account, name="account"),
    # The child's day and week, and the calendar link.
    path(CHILD, day.today, name="today"),
    path(CHILD + "week/", day.week, name="week"),
    path(CHILD + "calendar/", day.calendar, name="calendar"),
    # Progress and the education library.
    path(CHILD + "progress/", progress.progress, name="progress"),
    path(CHILD + "progress/chart.svg", progress.chart, name="progress_chart"),
    path("learn/", learn.library, name="learn"),
    path("learn/<slug:slug>/", learn.article, name="article"),
    # Home exercises and their daily tick.
    path(CHILD + "exercises/", exercises.exercises, name="exercises"),
    path(
        CHILD + "exercises/<int:exercise_id>/tick/",
        exercises.tick,
        name="exercise_tick",
    ),
    # Questionnaires for this person, and the teen's daily check-in.
    path(CHILD + "questionnaires/", questionnaires.due, name="questionnaires"),
    path(
        CHILD + "questionnaires/<int:administration_id>/",
        questionnaires.fill,
        name="questionnaire",
    ),
    path(CHILD + "check-in/", checkin.checkin, name="checkin"),
    # Messages with the team.
    path(CHILD + "messages/", messages.threads, name="messages"),
    path(CHILD + "messages/new/", messages.thread_new, name="message_new"),
    path(CHILD + "messages/<int:thread_id>/", messages.thread, name="thread"),
    # Notes the team shares, after discharge, and who can see the teen's portal.
    path(CHILD + "notes/", notes.notes, name="notes"),
    path(CHILD + "after-discharge/", after.after, name="after"),
    path(
        CHILD + "after-discharge/school-letter/",
        after.school_letter,
        name="school_letter",
    ),
    path(CHILD + "sharing/", sharing.sharing, name="sharing"),
]
