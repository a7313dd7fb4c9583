"""Age in completed years, as the program's rules use it.

Eligibility (7-19 at admission) and the adolescent rules (own account and
confidentiality from 12) both count completed years on a given day. A child born on
29 February turns a year older on 1 March in non-leap years, the common legal
convention (e.g. Cal. Fam. Code 6500 counts from the first minute of the birthday).
"""

from datetime import date

ADOLESCENT_AGE = 12


def age_on(birth_date: date, on: date) -> int:
    """Completed years of age on ``on``; ``ValueError`` if ``on`` is before birth."""
    if on < birth_date:
        raise ValueError("date is before the date of birth")
    had_birthday = (on.month, on.day) >= (birth_date.month, birth_date.day)
    return on.year - birth_date.year - (0 if had_birthday else 1)


def is_adolescent(birth_date: date, on: date) -> bool:
    """True from the 12th birthday: the age of the teen's own account."""
    return age_on(birth_date, on) >= ADOLESCENT_AGE
