"""Which episodes a program figure counts: the cohort and its filters.

The cohort is every episode whose inpatient stay ended (``Stay.discharged_on``)
within the period, narrowed by the primary diagnosis group of its referral, the
child's age band on the admission day and sex. It is read with one query over the
whole period and filtered in Python, so no figure's query count grows with the
number of patients.
"""

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.db.models import OuterRef, Q, Subquery
from django.utils import timezone

from painrehab.domain.ages import age_on
from painrehab.domain.dates import add_months
from painrehab.episodes.models import Episode
from painrehab.referrals.models import ReferralDiagnosis

# Age in completed years on the admission day (painrehab.domain.ages).
AGE_BANDS: dict[str, tuple[int, int]] = {
    "7-11": (7, 11),
    "12-14": (12, 14),
    "15-19": (15, 19),
}
OUTSIDE_BANDS = "other"


def age_band_of(age: int) -> str:
    """The band of ``age`` ("other" outside 7-19, which an override can admit)."""
    for band, (low, high) in AGE_BANDS.items():
        if low <= age <= high:
            return band
    return OUTSIDE_BANDS


def default_period(today: dt.date | None = None) -> tuple[dt.date, dt.date]:
    """The last twelve months, today included."""
    end = today or timezone.localdate()
    return add_months(end, -12) + dt.timedelta(days=1), end


@dataclass(frozen=True)
class CohortFilter:
    """What the director asked for; empty strings mean "any"."""

    date_from: dt.date
    date_to: dt.date
    diagnosis_group: str = ""
    age_band: str = ""
    sex: str = ""

    @classmethod
    def default(cls, today: dt.date | None = None) -> "CohortFilter":
        start, end = default_period(today)
        return cls(date_from=start, date_to=end)

    @property
    def days(self) -> int:
        """Calendar days in the period, both ends included."""
        return (self.date_to - self.date_from).days + 1

    def as_dict(self) -> dict[str, str]:
        """For the audit trail, the JSON output and the export's README."""
        return {
            "date_from": self.date_from.isoformat(),
            "date_to": self.date_to.isoformat(),
            "diagnosis_group": self.diagnosis_group,
            "age_band": self.age_band,
            "sex": self.sex,
        }

    def matches(self, episode: "CohortEpisode") -> bool:
        """Whether ``episode`` passes the non-period filters."""
        return (
            (
                not self.diagnosis_group
                or episode.diagnosis_group == self.diagnosis_group
            )
            and (not self.age_band or episode.age_band == self.age_band)
            and (not self.sex or episode.sex == self.sex)
        )


@dataclass(frozen=True)
class CohortEpisode:
    """One episode as the program figures see it: no names, no identifiers."""

    episode_id: int
    patient_id: int
    sex: str
    age_at_admission: int
    age_band: str
    diagnosis_group: str  # "" when the referral lists no primary diagnosis
    admitted_on: dt.date
    discharged_on: dt.date | None
    disposition: str  # "" when there is no discharge record

    @property
    def length_of_stay(self) -> int | None:
        """Days from admission to discharge (a stay of one night counts 1)."""
        if self.discharged_on is None:
            return None
        return (self.discharged_on - self.admitted_on).days


EPISODE_FIELDS = (
    "pk",
    "patient_id",
    "patient__sex",
    "patient__date_of_birth",
    "stay__admitted_on",
    "stay__discharged_on",
    "discharge__disposition",
    "dx_group",
)


def _primary_group() -> Subquery:
    primary = ReferralDiagnosis.objects.filter(
        referral__episode=OuterRef("pk"), is_primary=True
    ).order_by("pk")
    return Subquery(primary.values("group")[:1])


def _episode(row: tuple[Any, ...]) -> CohortEpisode:
    pk, patient_id, sex, born, admitted, discharged, disposition, group = row
    age = age_on(born, admitted)
    return CohortEpisode(
        episode_id=pk,
        patient_id=patient_id,
        sex=sex,
        age_at_admission=age,
        age_band=age_band_of(age),
        diagnosis_group=group or "",
        admitted_on=admitted,
        discharged_on=discharged,
        disposition=disposition or "",
    )


def _episodes(stay_filter: Q) -> Iterable[CohortEpisode]:
    rows = (
        Episode.objects.filter(stay_filter, stay__isnull=False)
        .annotate(dx_group=_primary_group())
        .order_by("stay__discharged_on", "stay__admitted_on", "pk")
        .values_list(*EPISODE_FIELDS)
    )
    return (_episode(row) for row in rows)


def _in(day: dt.date | None, filters: CohortFilter) -> bool:
    return day is not None and filters.date_from <= day <= filters.date_to


def cohort_episodes(filters: CohortFilter) -> list[CohortEpisode]:
    """Episodes discharged from the unit within the period that match the filters."""
    period = (filters.date_from, filters.date_to)
    episodes = _episodes(Q(stay__discharged_on__range=period))
    return [e for e in episodes if filters.matches(e)]


def period_episodes(
    filters: CohortFilter,
) -> tuple[list[CohortEpisode], list[CohortEpisode]]:
    """(discharged within the period, admitted within the period), both matching
    the filters, in one query."""
    period = (filters.date_from, filters.date_to)
    episodes = [
        e
        for e in _episodes(
            Q(stay__discharged_on__range=period) | Q(stay__admitted_on__range=period)
        )
        if filters.matches(e)
    ]
    return (
        [e for e in episodes if _in(e.discharged_on, filters)],
        [e for e in episodes if _in(e.admitted_on, filters)],
    )
