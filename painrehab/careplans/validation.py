"""The care plan's input rules, each with a message a clinician can act on.

Each ``*_errors`` function returns ``{field: [messages]}`` (empty when valid); the
services raise them as one ``ValidationError`` so every problem shows beside its
field at once. The numbers come from the timetable format: sessions are whole
15-minute slots (``slot_minutes``), and a session per day on each allowed day is
the most a weekly prescription can ask for.
"""

from collections.abc import Callable
from datetime import date

from painrehab.careplans.choices import (
    FACTOR_DOMAIN,
    GOAL_DISCIPLINES,
    OTHER_FACTORS,
    PRESCRIBABLE_DISCIPLINES,
    FormulationDomain,
    GoalDomain,
    GoalStatus,
    Weekday,
)
from painrehab.careplans.inputs import (
    FactorItem,
    FormulationFields,
    GoalFields,
    PrescriptionFields,
)
from painrehab.careplans.models import DAYS_PER_WEEK

SLOT_MINUTES = 15
MIN_MINUTES, MAX_MINUTES = 15, 180
GROUP_MIN_MINUTES, GROUP_MAX_MINUTES = 30, 90
MAX_SESSIONS_PER_DAY = 3
MAX_FACTORS_PER_DOMAIN = 8
FACTOR_TEXT_MAX = 200

MINUTES_RANGE = f"A session lasts {MIN_MINUTES} to {MAX_MINUTES} minutes."
MINUTES_STEP = (
    f"Minutes must be a multiple of {SLOT_MINUTES} (the timetable's time slot)."
)
GROUP_MINUTES = (
    f"A group session lasts {GROUP_MIN_MINUTES} to {GROUP_MAX_MINUTES} minutes."
)
FREQUENCY_MISSING = "Give the number of sessions a day or a week."
FREQUENCY_BOTH = "Give sessions a day or sessions a week, not both."
PER_DAY_RANGE = (
    f"At most {MAX_SESSIONS_PER_DAY} sessions a day; for more, add a second "
    "prescription."
)
PER_WEEK_RANGE = (
    "At most {days} sessions a week fit: one a day on the {days} days not excluded."
)
AT_LEAST_ONE = "Must be at least 1."
ALL_DAYS_EXCLUDED = "At least one day of the week must stay open."
NOT_A_WEEKDAY = "Days excluded must be days of the week."
NOT_PRESCRIBABLE = "{discipline} is not prescribed as a therapy."
ENDS_BEFORE_START = "The end date cannot be before the start date."
BEFORE_ADMISSION = "The date cannot be before the admission date ({admitted})."
TARGET_REQUIRED = "Say what will be measured, e.g. 'walks 400 m in six minutes'."
NOT_A_GOAL_DISCIPLINE = "{discipline} cannot be responsible for a goal."
NEW_GOAL_ACTIVE = "A new goal starts active."
UNKNOWN_FACTOR = "{code} is not a {domain} factor."
FACTOR_TWICE = "{factor} is listed twice."
OTHER_NEEDS_TEXT = "Describe the 'other' factor in a few words."
TOO_MANY_FACTORS = f"Keep the list short: at most {MAX_FACTORS_PER_DOMAIN} factors."
FACTOR_TEXT_LONG = f"Keep each factor's text under {FACTOR_TEXT_MAX} characters."
MAX_MINUTES_RANGE = "Give a daily limit between 60 and 600 minutes."

Errors = dict[str, list[str]]


def _add(errors: Errors, name: str, message: str) -> None:
    errors.setdefault(name, []).append(message)


def _minutes(fields: PrescriptionFields, errors: Errors) -> None:
    m = fields.minutes
    if not MIN_MINUTES <= m <= MAX_MINUTES:
        _add(errors, "minutes", MINUTES_RANGE)
    elif m % SLOT_MINUTES:
        _add(errors, "minutes", MINUTES_STEP)
    elif fields.is_group and not GROUP_MIN_MINUTES <= m <= GROUP_MAX_MINUTES:
        _add(errors, "minutes", GROUP_MINUTES)


def _weekdays(fields: PrescriptionFields, errors: Errors) -> None:
    days = fields.excluded_weekdays
    if any(d not in Weekday.values for d in days):
        _add(errors, "excluded_weekdays", NOT_A_WEEKDAY)
    elif len(set(days)) >= DAYS_PER_WEEK:
        _add(errors, "excluded_weekdays", ALL_DAYS_EXCLUDED)


def _frequency(fields: PrescriptionFields, errors: Errors) -> None:
    per_day, per_week = fields.sessions_per_day, fields.sessions_per_week
    if per_day is None and per_week is None:
        _add(errors, "sessions_per_day", FREQUENCY_MISSING)
    elif per_day is not None and per_week is not None:
        _add(errors, "sessions_per_week", FREQUENCY_BOTH)
    elif per_day is not None and per_day < 1:
        _add(errors, "sessions_per_day", AT_LEAST_ONE)
    elif per_day is not None and per_day > MAX_SESSIONS_PER_DAY:
        _add(errors, "sessions_per_day", PER_DAY_RANGE)
    elif per_week is not None and per_week < 1:
        _add(errors, "sessions_per_week", AT_LEAST_ONE)
    elif per_week is not None:
        days = DAYS_PER_WEEK - len(set(fields.excluded_weekdays))
        if per_week > days:
            _add(errors, "sessions_per_week", PER_WEEK_RANGE.format(days=days))


def _dates(
    starts_on: date, ends_on: date | None, admitted_on: date | None, errors: Errors
) -> None:
    if admitted_on is not None and starts_on < admitted_on:
        _add(errors, "starts_on", BEFORE_ADMISSION.format(admitted=admitted_on))
    if ends_on is not None and ends_on < starts_on:
        _add(errors, "ends_on", ENDS_BEFORE_START)


def prescription_errors(
    fields: PrescriptionFields, *, admitted_on: date | None
) -> Errors:
    errors: Errors = {}
    if fields.discipline not in PRESCRIBABLE_DISCIPLINES:
        message = NOT_PRESCRIBABLE.format(discipline=fields.discipline)
        _add(errors, "discipline", message)
    checks: list[Callable[[PrescriptionFields, Errors], None]] = [
        _minutes,
        _weekdays,
        _frequency,
    ]
    for check in checks:
        check(fields, errors)
    _dates(fields.starts_on, fields.ends_on, admitted_on, errors)
    return errors


def goal_errors(
    fields: GoalFields, *, admitted_on: date | None, creating: bool
) -> Errors:
    errors: Errors = {}
    if fields.domain not in GoalDomain.values:
        _add(errors, "domain", "Choose a domain.")
    if fields.discipline not in GOAL_DISCIPLINES:
        message = NOT_A_GOAL_DISCIPLINE.format(discipline=fields.discipline)
        _add(errors, "discipline", message)
    if not fields.target.strip():
        _add(errors, "target", TARGET_REQUIRED)
    if fields.status not in GoalStatus.values:
        _add(errors, "status", "Choose a status.")
    elif creating and fields.status != GoalStatus.ACTIVE:
        _add(errors, "status", NEW_GOAL_ACTIVE)
    if fields.due_on is not None and admitted_on and fields.due_on < admitted_on:
        _add(errors, "due_on", BEFORE_ADMISSION.format(admitted=admitted_on))
    return errors


def _factor_errors(domain: str, items: tuple[FactorItem, ...]) -> list[str]:
    found: list[str] = []
    if len(items) > MAX_FACTORS_PER_DOMAIN:
        found.append(TOO_MANY_FACTORS)
    seen: set[str] = set()
    for item in items:
        if FACTOR_DOMAIN.get(item.code) != domain:
            found.append(UNKNOWN_FACTOR.format(code=item.code, domain=domain))
            continue
        if item.code in seen:
            found.append(FACTOR_TWICE.format(factor=item.code))
        seen.add(item.code)
        if item.code in OTHER_FACTORS and not item.text.strip():
            found.append(OTHER_NEEDS_TEXT)
        if len(item.text) > FACTOR_TEXT_MAX:
            found.append(FACTOR_TEXT_LONG)
    return found


def formulation_errors(fields: FormulationFields) -> Errors:
    errors: Errors = {}
    for domain in FormulationDomain:
        found = _factor_errors(domain, getattr(fields, domain))
        if found:
            errors[domain] = found
    return errors


def header_errors(max_therapy_minutes_per_day: int) -> Errors:
    if not 60 <= max_therapy_minutes_per_day <= 600:
        return {"max_therapy_minutes_per_day": [MAX_MINUTES_RANGE]}
    return {}
