"""Calendar arithmetic the program's schedules need."""

import calendar
from datetime import date


def add_months(start: date, months: int) -> date:
    """The same day ``months`` later; the month's last day when it is shorter.

    31 January + 1 month is 28 (or 29) February, as clinic schedules count it.
    """
    index = start.month - 1 + months
    year, month = start.year + index // 12, index % 12 + 1
    day = min(start.day, calendar.monthrange(year, month)[1])
    return date(year, month, day)
