"""Every audited action, in one list: "<entity>.<past tense>"."""

from django.db import models


class AuditAction(models.TextChoices):
    LOGGED_IN = "auth.logged_in", "Signed in"
    LOGIN_FAILED = "auth.login_failed", "Sign-in failed"
    LOCKED_OUT = "auth.locked_out", "Locked out after repeated failures"
    MFA_FAILED = "auth.mfa_failed", "Second factor refused"
    MFA_ENROLLED = "auth.mfa_enrolled", "Second factor enrolled"
    RECOVERY_CODES_CREATED = "auth.recovery_codes_created", "Recovery codes issued"
    LOGGED_OUT = "auth.logged_out", "Signed out"
    SESSION_TIMED_OUT = "auth.session_timed_out", "Signed out after inactivity"
    ACCESS_DENIED = "auth.access_denied", "Access refused"
    USER_CREATED = "user.created", "Account created"
    PATIENT_CREATED = "patient.created", "Patient registered"
    PATIENT_VIEWED = "patient.viewed", "Chart viewed"
    PATIENT_SEARCHED = "patient.searched", "Patient list searched"
    GUARDIAN_LINKED = "guardian.linked", "Guardian linked"
    CARE_TEAM_MEMBER_ADDED = "care_team.member_added", "Added to care team"
    USER_CHANGED = "user.changed", "Account changed"
    REFERRAL_CREATED = "referral.created", "Referral received"
    REFERRAL_VIEWED = "referral.viewed", "Referral viewed"
    REFERRAL_QUEUE_VIEWED = "referral.queue_viewed", "Triage queue viewed"
    REFERRAL_TRIAGED = "referral.triaged", "Referral triaged"
    ATTACHMENT_ADDED = "referral.attachment_added", "Referral document added"
    ATTACHMENT_DOWNLOADED = (
        "referral.attachment_downloaded",
        "Referral document downloaded",
    )
    EVALUATION_SCHEDULED = "evaluation.scheduled", "Evaluation visit booked"
    EVALUATION_SAVED = "evaluation.saved", "Evaluation saved"
    EVALUATION_SIGNED = "evaluation.signed", "Evaluation signed"
    DECISION_RECORDED = "decision.recorded", "Team decision recorded"
    EPISODE_OPENED = "episode.open", "Episode opened"
    EPISODE_EVALUATION_STARTED = "episode.start_evaluation", "Evaluation started"
    EPISODE_ACCEPTED = "episode.accept", "Accepted for admission"
    EPISODE_DECLINED = "episode.decline", "Declined"
    EPISODE_WAITLISTED = "episode.waitlist", "Added to the waitlist"
    EPISODE_ADMITTED = "episode.admit", "Admitted"
    EPISODE_DISCHARGED = "episode.discharge", "Discharged"
    EPISODE_FOLLOW_UP_STARTED = "episode.start_follow_up", "Step-down completed"
    EPISODE_CLOSED = "episode.close", "Episode closed"
    EPISODE_VIEWED = "episode.viewed", "Journey viewed"
    STAY_EXTENDED = "stay.extended", "Planned discharge changed"
    STEP_DOWN_UPDATED = "step_down.updated", "Step-down plan changed"
    FOLLOW_UP_RECORDED = "follow_up.recorded", "Follow-up recorded"
    BEDS_CONFIGURED = "beds.configured", "Beds configured"
    CENSUS_VIEWED = "census.viewed", "Census viewed"
    WAITLIST_VIEWED = "waitlist.viewed", "Waitlist viewed"
    FOLLOW_UPS_VIEWED = "follow_ups.viewed", "Follow-up list viewed"
    ADMINISTRATION_VIEWED = "administration.viewed", "Questionnaire opened"
    RESULTS_VIEWED = "results.viewed", "Measures viewed"
    ALERTS_VIEWED = "alerts.viewed", "Flagged results viewed"
    CHECKIN_RECORDED = "checkin.recorded", "Daily check-in recorded"
    CHECKIN_VIEWED = "checkin.viewed", "Daily check-ins viewed"
    BODY_MAP_RECORDED = "body_map.recorded", "Body map recorded"
    BODY_MAP_VIEWED = "body_map.viewed", "Body map viewed"
    MEASURE_RECORDED = "measure.recorded", "Clinician measure recorded"
    MEASURES_VIEWED = "measures.viewed", "Clinician measures viewed"
    ADMINISTRATION_STARTED = "administration.started", "Questionnaire started"
    ADMINISTRATION_SAVED = "administration.saved", "Questionnaire answers saved"
    ADMINISTRATION_SUBMITTED = "administration.submitted", "Questionnaire submitted"
    ADMINISTRATION_CORRECTED = "administration.corrected", "Questionnaire corrected"
    SCORE_FLAGGED = "score.flagged", "Questionnaire score flagged"
    SCORE_ACKNOWLEDGED = "score.acknowledged", "Flagged score acknowledged"
    KIOSK_STARTED = "kiosk.started", "Tablet handed to the child (kiosk mode)"
    KIOSK_ENDED = "kiosk.ended", "Kiosk mode ended"
    KIOSK_PAGE_REFUSED = "kiosk.page_refused", "Kiosk tablet refused another page"
    # Care plans and team conferences (careplans)
    CARE_PLAN_CREATED = "care_plan.created", "Care plan created from the template"
    CARE_PLAN_VIEWED = "care_plan.viewed", "Care plan viewed"
    CARE_PLAN_CHANGED = "care_plan.changed", "Care plan changed"
    GOAL_CREATED = "goal.created", "Goal added"
    GOAL_CHANGED = "goal.changed", "Goal changed"
    GOAL_REVIEWED = "goal.reviewed", "Goal attainment recorded"
    PRESCRIPTION_CREATED = "prescription.created", "Therapy prescription added"
    PRESCRIPTION_CHANGED = "prescription.changed", "Therapy prescription changed"
    PRESCRIPTION_ENDED = "prescription.ended", "Therapy prescription stopped"
    FORMULATION_CHANGED = "formulation.changed", "Formulation changed"
    CONFERENCE_CREATED = "conference.created", "Team conference scheduled"
    CONFERENCE_STARTED = "conference.started", "Team conference started"
    CONFERENCE_CHILD_ADDED = (
        "conference.child_added",
        "Child put on a team conference's agenda",
    )
    CONFERENCE_VIEWED = "conference.viewed", "Team conference viewed"
    CONFERENCE_UPDATE_SAVED = "conference.update_saved", "Discipline update saved"
    CONFERENCE_DECISION_APPLIED = (
        "conference.decision_applied",
        "Conference decision applied to the plan",
    )
    CONFERENCE_CLOSED = "conference.closed", "Team conference closed"
    FAMILY_SUMMARY_SAVED = (
        "conference.family_summary_saved",
        "Family summary saved",
    )
    FAMILY_SUMMARY_RELEASED = (
        "conference.family_summary_released",
        "Family summary released to the portal",
    )
    # Clinical notes (notes)
    NOTE_CREATED = "note.created", "Note drafted"
    NOTE_VIEWED = "note.viewed", "Note viewed"
    NOTE_SAVED = "note.saved", "Note draft saved"
    NOTE_SIGNED = "note.signed", "Note signed"
    NOTE_COSIGNED = "note.cosigned", "Note co-signed"
    NOTE_ADDENDUM_ADDED = "note.addendum_added", "Addendum added to a signed note"
    NOTE_DELETED = "note.draft_deleted", "Draft note discarded"
    NOTES_LISTED = "note.listed", "Notes listed"
    NOTE_CONFIDENTIAL_SET = (
        "note.confidential_set",
        "Note marked adolescent-confidential",
    )
    NOTE_CONFIDENTIAL_CLEARED = (
        "note.confidential_cleared",
        "Adolescent-confidential mark removed",
    )
    PSYCHOTHERAPY_NOTE_CREATED = (
        "psychotherapy_note.created",
        "Psychotherapy note written",
    )
    PSYCHOTHERAPY_NOTE_VIEWED = "psychotherapy_note.viewed", "Psychotherapy note read"
    PSYCHOTHERAPY_NOTE_SAVED = "psychotherapy_note.saved", "Psychotherapy note saved"
    PSYCHOTHERAPY_NOTE_SIGNED = "psychotherapy_note.signed", "Psychotherapy note signed"
    PSYCHOTHERAPY_NOTES_LISTED = (
        "psychotherapy_note.listed",
        "Own psychotherapy notes listed",
    )
    # Team messages (messaging)
    MESSAGE_POSTED = "message.posted", "Team message posted"
    MESSAGES_VIEWED = "message.viewed", "Team messages read"
    SCHEDULE_VIEWED = "schedule.viewed", "Timetable viewed"
    SCHEDULE_SETUP_CHANGED = "schedule.setup_changed", "Rooms, shifts or day changed"
    SCHEDULE_SOLVE_REQUESTED = "schedule.solve_requested", "Timetable solve requested"
    SCHEDULE_SOLVED = "schedule.solved", "Timetable stored from a solve"
    SCHEDULE_SESSION_CHANGED = "schedule.session_changed", "Session moved or locked"
    SCHEDULE_ABSENCE_RECORDED = "schedule.absence_recorded", "Staff absence recorded"
    SCHEDULE_REPAIR_DECIDED = "schedule.repair_decided", "Repair accepted or discarded"
    SCHEDULE_ATTENDANCE_RECORDED = (
        "schedule.attendance_recorded",
        "Session attendance recorded",
    )
    CALENDAR_FEED_CREATED = "calendar.feed_created", "Calendar feed created"
    CALENDAR_FEED_REVOKED = "calendar.feed_revoked", "Calendar feed revoked"
    CALENDAR_FEED_READ = "calendar.feed_read", "Calendar feed read"
    # Family portal (portal, homeprogram, messaging)
    PORTAL_VIEWED = "portal.viewed", "Family portal page viewed"
    PORTAL_INVITATION_CREATED = "portal.invitation_created", "Portal invitation made"
    PORTAL_INVITATION_REVOKED = "portal.invitation_revoked", "Portal invitation revoked"
    PORTAL_INVITATION_ACCEPTED = (
        "portal.invitation_accepted",
        "Portal invitation used to set up an account",
    )
    PORTAL_INVITATION_REFUSED = (
        "portal.invitation_refused",
        "Expired, used or unknown invitation code tried",
    )
    PORTAL_ACCESS_VIEWED = "portal.access_viewed", "Family portal access viewed"
    PORTAL_ACCOUNT_CHANGED = "portal.account_changed", "Family account settings changed"
    PROXY_ACCESS_CHANGED = (
        "proxy.access_changed",
        "Guardian access revoked or granted by the patient",
    )
    HOME_EXERCISE_SAVED = "home_exercise.saved", "Home exercise assigned or changed"
    HOME_EXERCISE_STOPPED = "home_exercise.stopped", "Home exercise stopped"
    HOME_EXERCISE_TICKED = "home_exercise.ticked", "Home exercise ticked as done"
    HOME_EXERCISES_VIEWED = "home_exercise.viewed", "Home exercises viewed"
    FAMILY_MESSAGE_SENT = "family_message.sent", "Family message sent"
    FAMILY_MESSAGES_VIEWED = "family_message.viewed", "Family messages read"
    # Outcomes, the research export and reports (outcomes)
    OUTCOMES_DASHBOARD_VIEWED = "outcomes.dashboard_viewed", "Program outcomes viewed"
    OUTCOMES_COHORT_VIEWED = "outcomes.cohort_viewed", "Cohort table viewed"
    OUTCOMES_EXPORTED = (
        "outcomes.exported",
        "De-identified research export made (disclosure)",
    )
    TRAJECTORY_VIEWED = "outcomes.trajectory_viewed", "Outcome trajectory viewed"
    REPORTS_LISTED = "report.listed", "Reports listed"
    REPORT_PREVIEWED = "report.previewed", "Report previewed"
    REPORT_GENERATED = "report.generated", "Report generated (disclosure)"
    REPORT_DOWNLOADED = "report.downloaded", "Stored report downloaded"
    AUDIT_VIEWED = "audit.viewed", "Audit trail viewed"
    AUDIT_EXPORTED = "audit.exported", "Audit trail exported"


class ActionType(models.TextChoices):
    """The kind of action, as in ASTM E2147 / FHIR AuditEvent.action."""

    CREATE = "C", "Create"
    READ = "R", "Read"
    UPDATE = "U", "Update"
    DELETE = "D", "Delete"
    EXECUTE = "E", "Execute"
    QUERY = "Q", "Query"
    EXPORT = "X", "Export"


class Outcome(models.TextChoices):
    SUCCESS = "success", "Success"
    FAILURE = "failure", "Failure"


class DataCategory(models.TextChoices):
    """What kind of patient information was touched (E2147 7.1.9 granularity)."""

    NONE = "", "None"
    DEMOGRAPHICS = "demographics", "Demographics"
    CARE_TEAM = "care_team", "Care team"
    EPISODE = "episode", "Episode and stay"
    REFERRAL = "referral", "Referral"
    EVALUATION = "evaluation", "Evaluation"
    GUARDIANS = "guardians", "Guardians and contacts"
    AUDIT = "audit", "Audit trail"
    PSYCHOTHERAPY_NOTE = "psychotherapy_note", "Psychotherapy note"
    ADOLESCENT_CONFIDENTIAL = "adolescent_confidential", "Adolescent-confidential"
    CARE_PLAN = "care_plan", "Care plan and conferences"
    NOTE = "note", "Clinical note"
    MESSAGE = "message", "Team message"
    SCHEDULE = "schedule", "Timetable and attendance"
    HOME_PROGRAMME = "home_programme", "Home exercise programme"
    FAMILY_MESSAGE = "family_message", "Messages with the family"
    PORTAL_ACCOUNT = "portal_account", "Family portal account and access"
    OUTCOMES = "outcomes", "Outcomes, reports and research exports"
