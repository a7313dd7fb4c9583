"""The de-identified research export: scores in long form, episodes, a data
dictionary and a README, so anyone can recompute the program's figures.

No direct identifier leaves: no name, MRN, date of birth, address, contact, free
text or note; psychotherapy notes and confidential entries are not read at all.
Patients and episodes are pseudonyms (HMAC-SHA256 with a random key made for this
export and then thrown away), so the same child has one pseudonym within an export
and a different one in the next. Each patient's admission date is shifted by a
number of days between -180 and +180 drawn from the same key; every other time is
given as days from admission. The export is a disclosure: one audit event records
who, for what purpose, to whom, and how many rows and patients.
"""

import csv
import hashlib
import hmac
import io
import secrets
import uuid
import zipfile
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path

from django.contrib.auth.base_user import AbstractBaseUser
from django.db import transaction
from django.utils import timezone

from painrehab.audit.actions import ActionType, AuditAction, DataCategory
from painrehab.audit.selectors import audit_list
from painrehab.audit.services import record
from painrehab.domain.scoring import CATALOG, get
from painrehab.outcomes.selectors.filters import (
    CohortEpisode,
    CohortFilter,
    cohort_episodes,
)
from painrehab.outcomes.selectors.scores import ScoreRow, cohort_scores

SHIFT_DAYS = 180
ALREADY_EXPORTED = (
    "This export form was already used; open the export page again for a new one."
)


def scale_keys() -> list[str]:
    """Every subscale key of the catalog, in catalog order (the total has its own
    column)."""
    keys: list[str] = []
    for code in CATALOG:
        definition = get(code)
        for scale in definition.scales:
            if scale.key != definition.total_scale_key and scale.key not in keys:
                keys.append(scale.key)
    return keys


LONG_COLUMNS = [
    "patient",
    "episode",
    "instrument",
    "timepoint",
    "days_from_admission",
    "total",
    "t_score",
    "respondent",
]
EPISODE_COLUMNS = [
    "patient",
    "episode",
    "age_band",
    "sex",
    "diagnosis_group",
    "length_of_stay_days",
    "admission_date_shifted",
    "discharge_disposition",
]


def long_columns() -> list[str]:
    return [*LONG_COLUMNS, *(f"scale_{k}" for k in scale_keys())]


@dataclass(frozen=True)
class Column:
    file: str
    name: str
    type: str
    meaning: str
    coding: str


def _dictionary() -> list[Column]:
    long = "outcomes_long.csv"
    episodes = "episodes.csv"
    points = (
        "admission, weekly_<week>, discharge, end_of_step_down, "
        "follow_up_<months after discharge>"
    )
    columns = [
        Column(long, "patient", "string", "Patient pseudonym", "P- and 12 hex"),
        Column(long, "episode", "string", "Episode pseudonym", "E- and 12 hex"),
        Column(long, "instrument", "string", "Questionnaire", "catalog code"),
        Column(long, "timepoint", "string", "When it was given", points),
        Column(
            long,
            "days_from_admission",
            "integer",
            "Day the respondent answered minus the admission date",
            "days",
        ),
        Column(long, "total", "number", "Total score (raw)", "instrument units"),
        Column(
            long,
            "t_score",
            "number",
            "PROMIS T-score when the conversion tables are installed",
            "T (mean 50, SD 10); blank otherwise",
        ),
        Column(
            long, "respondent", "string", "Who answered", "child, parent, clinician"
        ),
    ]
    columns += [
        Column(
            long,
            f"scale_{key}",
            "number",
            f"Subscale '{key}' of the instruments that have it",
            "instrument units; blank where the instrument has no such scale",
        )
        for key in scale_keys()
    ]
    columns += [
        Column(episodes, "patient", "string", "Patient pseudonym", "P- and 12 hex"),
        Column(episodes, "episode", "string", "Episode pseudonym", "E- and 12 hex"),
        Column(
            episodes,
            "age_band",
            "string",
            "Age in completed years on the admission day",
            "7-11, 12-14, 15-19, other",
        ),
        Column(episodes, "sex", "string", "Sex", "female, male, other, unknown"),
        Column(
            episodes,
            "diagnosis_group",
            "string",
            "Group of the referral's primary diagnosis",
            "arthritis_autoimmune, crps, headache, fibromyalgia, musculoskeletal, "
            "chronic_primary_pain, other; blank if none",
        ),
        Column(
            episodes,
            "length_of_stay_days",
            "integer",
            "Discharge date minus admission date",
            "days",
        ),
        Column(
            episodes,
            "admission_date_shifted",
            "date",
            "Admission date moved by the patient's secret offset",
            f"ISO 8601; offset -{SHIFT_DAYS}..+{SHIFT_DAYS} days, same for the patient",
        ),
        Column(
            episodes,
            "discharge_disposition",
            "string",
            "Where the child went at discharge",
            "home, home_services, transfer, left_early; blank if none",
        ),
    ]
    return columns


@dataclass(frozen=True)
class ResearchExport:
    files: dict[str, bytes]
    rows: int
    patients: int
    filters: CohortFilter
    created_on: date

    @property
    def folder(self) -> str:
        return f"painrehab-export-{self.created_on:%Y%m%d}"


class Pseudonyms:
    """Pseudonyms and date offsets from one random key (never stored)."""

    def __init__(self, key: bytes | None = None) -> None:
        self._key = key or secrets.token_bytes(32)

    def _digest(self, label: str, value: int) -> bytes:
        return hmac.new(self._key, f"{label}:{value}".encode(), hashlib.sha256).digest()

    def patient(self, patient_id: int) -> str:
        return "P-" + self._digest("patient", patient_id).hex()[:12]

    def episode(self, episode_id: int) -> str:
        return "E-" + self._digest("episode", episode_id).hex()[:12]

    def shift(self, patient_id: int) -> int:
        """Days between -180 and +180, the same for every date of the patient."""
        number = int.from_bytes(self._digest("shift", patient_id)[:8], "big")
        return number % (2 * SHIFT_DAYS + 1) - SHIFT_DAYS


def _csv(header: Sequence[str], rows: Sequence[Sequence[object]]) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(header)
    writer.writerows(["" if v is None else v for v in row] for row in rows)
    return out.getvalue().encode("utf-8")


def _scale_value(row: ScoreRow, key: str) -> object:
    scale = row.scales.get(key)
    return scale.get("value") if isinstance(scale, dict) else None


def _long_rows(
    scores: Sequence[ScoreRow],
    episodes: dict[int, CohortEpisode],
    names: Pseudonyms,
) -> list[list[object]]:
    keys = scale_keys()
    rows: list[list[object]] = []
    for s in scores:
        e = episodes[s.episode_id]
        rows.append(
            [
                names.patient(e.patient_id),
                names.episode(e.episode_id),
                s.code,
                s.slug,
                (s.answered_on - e.admitted_on).days,
                s.total,
                s.t_score,
                s.respondent,
                *(_scale_value(s, k) for k in keys),
            ]
        )
    return rows


def _episode_rows(
    episodes: Sequence[CohortEpisode], names: Pseudonyms
) -> list[list[object]]:
    return [
        [
            names.patient(e.patient_id),
            names.episode(e.episode_id),
            e.age_band,
            e.sex,
            e.diagnosis_group,
            e.length_of_stay,
            (e.admitted_on + timedelta(days=names.shift(e.patient_id))).isoformat(),
            e.disposition,
        ]
        for e in episodes
    ]


def _dictionary_csv() -> bytes:
    rows = [[c.file, c.name, c.type, c.meaning, c.coding] for c in _dictionary()]
    return _csv(["file", "name", "type", "meaning", "units_or_coding"], rows)


def research_export_build(
    *, filters: CohortFilter, key: bytes | None = None, today: date | None = None
) -> ResearchExport:
    """The export's files (no audit: ``research_export_create`` records it)."""
    names = Pseudonyms(key)
    episodes = cohort_episodes(filters)
    by_id = {e.episode_id: e for e in episodes}
    scores = cohort_scores(filters, list(by_id), with_scales=True)
    long_rows = _long_rows(scores, by_id, names)
    created = today or timezone.localdate()
    files = {
        "outcomes_long.csv": _csv(long_columns(), long_rows),
        "episodes.csv": _csv(EPISODE_COLUMNS, _episode_rows(episodes, names)),
        "data_dictionary.csv": _dictionary_csv(),
        "README.txt": readme(filters, created).encode("utf-8"),
    }
    return ResearchExport(
        files=files,
        rows=len(long_rows),
        patients=len({e.patient_id for e in episodes}),
        filters=filters,
        created_on=created,
    )


README = """\
PainRehab research export ({created})
=====================================

De-identified outcome data of the episodes whose inpatient stay ended between
{date_from} and {date_to} (filters: diagnosis group "{diagnosis_group}", age
band "{age_band}", sex "{sex}"; empty means any).

Files
- outcomes_long.csv: one row per questionnaire score.
- episodes.csv: one row per episode.
- data_dictionary.csv: every column of both files, its type, meaning and coding.

De-identification
- No names, record numbers, dates of birth, addresses, contacts, free text or
  notes. Patients and episodes are pseudonyms: the first 12 hex characters of
  HMAC-SHA256 over the internal id with a random key made for this export and
  then discarded. Pseudonyms are stable within this export only.
- Ages are bands at admission. Each patient's admission date is shifted by a
  secret whole number of days between -180 and +180 (drawn from the same key,
  the same for every date of the patient); all other times are days from the
  admission day, which the shift does not change.

Which score counts
- Only submitted questionnaires; a correction replaces the score it corrects
  (both are never in the file).
- Cohort table values: per episode, the first admission score and, at every
  later time point (discharge, end_of_step_down, follow_up_<months>), the
  latest. Weekly scores are in the file but not in the cohort table.
- PROMIS forms are compared on T-scores when every score of the form has one;
  otherwise on raw sums for all (the T-score tables are licensed and may not be
  installed). Every other instrument is compared on its total.

Recomputing the program's figures
- Per time point: n, mean, SD (n - 1), median and quartiles by the linear
  (type 7, numpy default) method.
- Paired change from admission: the episodes with both values; mean change
  (post - pre, negative when scores fell) with a t-based 95% CI (n - 1 df);
  d_z = mean change / SD of the change (Lakens 2013); Hedges' g for matched
  groups (Borenstein et al. 2009, ch. 4: S_within = SD_change / sqrt(2(1 - r)),
  d = mean / S_within, J = 1 - 3 / (4(n - 1) - 1), g = J d, 95% CI g +/- 1.96
  SE(g)), r the pre-post Pearson correlation.
- Meaningful improvement: a change in the better direction of at least the
  published threshold (NRS 1 point or 12.5%; PROMIS 3 T-points, on T-scores
  only). Reliable improvement: Jacobson & Truax RCI = change / S_diff with
  S_diff = sqrt(2) SD_admission sqrt(1 - r_xx), SD_admission the cohort's
  admission SD and r_xx the published reliability (FDI-C 0.89, PCS-C 0.85);
  reliable when |RCI| > 1.96 and in the better direction.
- Proportions carry 95% Wilson score intervals.
- Missing values are never imputed: an episode without a value at a time point
  is left out of that time point and counted as missing.
"""


def readme(filters: CohortFilter, created: date) -> str:
    return README.format(created=created.isoformat(), **filters.as_dict())


def export_zip(export: ResearchExport) -> bytes:
    """The files in one zip, inside a folder named after the export's date."""
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, content in export.files.items():
            archive.writestr(f"{export.folder}/{name}", content)
    return out.getvalue()


def export_write(export: ResearchExport, directory: Path) -> list[Path]:
    """The files in ``directory`` (created if needed); returns their paths."""
    directory.mkdir(parents=True, exist_ok=True)
    paths = []
    for name, content in export.files.items():
        path = directory / name
        path.write_bytes(content)
        paths.append(path)
    return paths


class ExportRefused(Exception):
    def __init__(self, field: str, message: str) -> None:
        super().__init__(message)
        self.field = field
        self.message = message


def _token_used(form_token: uuid.UUID) -> bool:
    events = audit_list(filters={"action": AuditAction.OUTCOMES_EXPORTED})
    return events.filter(changes__form_token=str(form_token)).exists()


@transaction.atomic
def research_export_create(
    *,
    filters: CohortFilter,
    by: AbstractBaseUser | None,
    purpose: str,
    recipient: str,
    channel: str,
    form_token: uuid.UUID | None = None,
) -> ResearchExport:
    """Build the export and record it as a disclosure, in one transaction.

    ``form_token`` (web form) makes a double click refused rather than a second,
    differently keyed disclosure of the same data.
    """
    if not purpose.strip():
        raise ExportRefused("purpose", "Say what the data will be used for.")
    if not recipient.strip():
        raise ExportRefused("recipient", "Say who receives the data.")
    if form_token is not None and _token_used(form_token):
        raise ExportRefused("form_token", ALREADY_EXPORTED)
    export = research_export_build(filters=filters)
    record(
        action=AuditAction.OUTCOMES_EXPORTED,
        action_type=ActionType.EXPORT,
        actor=by,
        data_category=DataCategory.OUTCOMES,
        changes={
            "rows": export.rows,
            "patients": export.patients,
            "purpose": purpose.strip(),
            "recipient": recipient.strip(),
            "channel": channel,
            "filters": filters.as_dict(),
            "form_token": str(form_token) if form_token else "",
        },
        purpose_of_use="HRESCH",
    )
    return export
