"""What each report says, and what none of them may say (the HTML page)."""

import html
import math
import re
from pathlib import Path

import pytest
from django.test import override_settings

from painrehab.domain.proxy import Category, Withhold
from painrehab.outcomes import reports
from painrehab.outcomes.choices import ReportKind
from painrehab.outcomes.instruments import spec
from painrehab.outcomes.tests import reports_support as support
from painrehab.portal.access import WITHHELD_TEXT
from tests.test_portal_spanish import MONTHS

pytestmark = pytest.mark.django_db

SPANISH_MONTHS = MONTHS
CATALOG = Path(reports.__file__).parent / "locale" / "es" / "LC_MESSAGES" / "django.po"


def text_of(page: str) -> str:
    """The words a reader meets (tags and the chart's data URI left out)."""
    page = re.sub(r'src="data:[^"]*"', "", page)
    return " ".join(html.unescape(re.sub(r"<[^>]+>", " ", page)).split())


@pytest.fixture
def built() -> support.Stay:
    return support.stay()


def test_the_form_starts_from_the_referral_the_school_and_the_guardian(
    db: None,
) -> None:
    built = support.stay(scores=False, canaries=False, guardian_language="es")

    summary = reports.report_defaults(
        kind=ReportKind.DISCHARGE_SUMMARY, episode=built.episode
    )
    letter = reports.report_defaults(
        kind=ReportKind.SCHOOL_LETTER, episode=built.episode
    )
    family = reports.report_defaults(
        kind=ReportKind.FAMILY_PROGRESS, episode=built.episode
    )

    assert summary["recipient"] == "Dr. Synthetic Referrer, Valley Children's Clinic"
    assert summary["purpose"] == "Continuity of care"
    assert letter["recipient"] == "Lincoln Middle School"
    assert letter["purpose"] == "School re-entry"
    assert letter["return_plan"] == support.SCHOOL_PLAN
    assert "do not send the student home" in letter["accommodations"]
    assert family["recipient"] == "Dana Reportchild"
    assert family["language"] == "es"
    assert family["recipient_address"] == "dana.reportchild@example.org\n555-0100"


def test_what_each_kind_needs_before_it_can_be_made(db: None) -> None:
    admitted = support.stay(discharge=False, scores=False, canaries=False)

    assert reports.not_ready(None, ReportKind.FAMILY_PROGRESS) == str(
        reports.NO_EPISODE
    )
    assert reports.not_ready(admitted.episode, ReportKind.FAMILY_PROGRESS) == ""
    for kind in (ReportKind.DISCHARGE_SUMMARY, ReportKind.SCHOOL_LETTER):
        assert reports.not_ready(admitted.episode, kind) == str(reports.NEEDS_DISCHARGE)


def test_the_discharge_summary_holds_the_stay_plans_goals_and_outcomes(
    built: support.Stay,
) -> None:
    text = text_of(support.html_of(ReportKind.DISCHARGE_SUMMARY, built))
    child = built.child

    for heading in (
        "The stay",
        "Diagnoses",
        "Summary by discipline",
        "Medications at discharge",
        "Outcomes: admission and discharge",
        "Goals and their last attainment",
        "Home programme",
        "School re-entry plan",
        "Step-down and follow-up",
        "Contact at the program",
    ):
        assert heading in text, heading
    assert f"{child.given_name} {child.family_name}" in text
    assert child.mrn in text
    assert "Length of stay 27 days" in text
    assert "Home with step-down program" in text
    assert "G90.521" in text and "Complex regional pain syndrome" in text
    assert "Disabling leg pain, not attending school." in text
    assert support.PSYCHOLOGY_SUMMARY in text and support.MEDICATIONS in text
    assert support.HOME_PROGRAMME in text and support.SCHOOL_PLAN in text
    assert "Physical therapy: 1 session a week" in text
    assert "3 months after discharge" in text
    assert support.GOAL_WORDS in text and "0 expected level" in text
    assert "Six-minute walk of … m" not in text  # a starter goal never worded
    assert "Carmen Teamson" in text and "(555) 010-0000" in text


def test_the_outcomes_table_gives_the_change_and_its_meaning_in_words(
    built: support.Stay,
) -> None:
    text = text_of(support.html_of(ReportKind.DISCHARGE_SUMMARY, built))

    assert "Functional Disability Inventory, child report" in text
    assert "30 12 -18 Improved by 18 points." in text
    assert "No published threshold for a meaningful change." in text
    # The NRS: 6 -> 4 is 2 points and 33%, over 1 point or 12.5% (Hirschfeld 2014).
    assert "6 4 -2 Improved by 2 points. A meaningful improvement" in text
    assert "threshold 1 point or 12.5%" in text
    assert "PMID 24268356" in text
    assert "Reliable change not assessed: too few admission scores." in text


def test_reliable_change_uses_the_programs_admission_sd(built: support.Stay) -> None:
    """Jacobson & Truax (1991): SEM = SD sqrt(1 - r), S_diff = sqrt(2) SEM,
    RCI = change / S_diff. Admission FDI 30, 20 and 40 give SD 10."""
    support.admission_fdi(20)
    support.admission_fdi(40)
    r = spec("FDI-C").reliability.r  # type: ignore[union-attr]
    rci = (12 - 30) / (math.sqrt(2) * 10 * math.sqrt(1 - r))

    text = text_of(support.html_of(ReportKind.DISCHARGE_SUMMARY, built))

    assert abs(rci) > 1.96
    assert f"A reliable change (RCI {rci:.1f})." in text
    assert "the program's admission SD 10 from 3 children" in text
    assert "Cronbach's alpha 0.89" in text


@pytest.mark.parametrize("kind", list(ReportKind))
def test_no_report_holds_a_confidential_word(built: support.Stay, kind: str) -> None:
    page = support.html_of(kind, built)

    assert support.planted(built) == set(support.CANARIES)
    assert [c for c in support.CANARIES if c in page] == []


def test_the_school_letter_says_only_what_the_school_needs(built: support.Stay) -> None:
    text = text_of(support.html_of(ReportKind.SCHOOL_LETTER, built))

    assert "To: Lincoln Middle School" in text and "Grade 8" in text
    assert "Gradual return plan" in text and support.SCHOOL_PLAN in text
    assert "Accommodations we recommend" in text
    assert "Please do not send the student home because of pain alone." in text
    assert "Terry Teamson, Hospital teacher" in text and "(555) 010-0000" in text
    for private in (
        "G90.521",
        "Complex regional pain syndrome",
        "diagnos",
        "treated for",
        support.MEDICATIONS,
        support.PSYCHOLOGY_SUMMARY,
        "Walks 400 m without aids.",
        "Disabling leg pain",
        "Functional Disability",
        "out of 60",
        support.GOAL_WORDS,
        str(built.child.mrn),
    ):
        assert private not in text, private


def test_the_school_letter_shares_exactly_the_agreed_wording(
    built: support.Stay,
) -> None:
    wording = "a long-lasting pain condition that is getting better with activity"

    agreed = text_of(
        support.html_of(
            ReportKind.SCHOOL_LETTER,
            built,
            diagnosis_wording=wording,
            family_agreed=True,
        )
    )
    not_agreed = text_of(
        support.html_of(
            ReportKind.SCHOOL_LETTER,
            built,
            diagnosis_wording=wording,
            family_agreed=False,
        )
    )

    assert agreed.count(wording) == 1
    assert "With the family's agreement, we share that Avery is being treated for:" in (
        agreed
    )
    assert "G90.521" not in agreed and "Complex regional" not in agreed
    assert wording not in not_agreed and "treated for" not in not_agreed


def test_the_family_report_of_a_teen_shows_what_their_parents_see(
    built: support.Stay,
) -> None:
    text = text_of(support.html_of(ReportKind.FAMILY_PROGRESS, built))

    assert "To: Dana Reportchild" in text
    assert f"“{support.GOAL_WORDS}” Goal reached" in text
    assert "30 out of 60" in text and "12 out of 60" in text
    assert support.EXERCISE in text and "Twice a day" in text
    assert "Physical therapy: 1 session a week" in text
    assert "3 months after going home" in text
    assert "Carmen, program coordinator" in text and "(555) 010-0000" in text
    for clinical in (
        support.MEDICATIONS,
        support.PSYCHOLOGY_SUMMARY,
        "G90.521",
        "Functional Disability",
        "FDI",
        "Teamson",
        built.child.mrn,
    ):
        assert clinical not in text, clinical


@override_settings(
    PORTAL_GUARDIAN_TEEN_SEES=("schedule", "messages", "home_programme", "discharge")
)
def test_the_family_report_leaves_out_what_a_teens_parents_may_not_see(
    built: support.Stay,
) -> None:
    """A program that shows parents of 12-17-year-olds less: the report follows."""
    text = text_of(support.html_of(ReportKind.FAMILY_PROGRESS, built))
    data = reports.report_data(
        kind=ReportKind.FAMILY_PROGRESS,
        episode=built.episode,
        report=support.report_input(ReportKind.FAMILY_PROGRESS, built),
        today=support.today(),
        by=built.coordinator,
    )

    assert isinstance(data, reports.FamilyProgress)
    assert data.tier == "limited"
    assert data.shown == (Category.HOME_PROGRAMME, Category.DISCHARGE)
    assert sorted(data.withheld) == [Category.GOALS, Category.OUTCOMES]
    assert support.GOAL_WORDS not in text and "out of 60" not in text
    assert text.count(str(WITHHELD_TEXT[Withhold.PRIVACY_171_202_B])) == 2
    assert support.EXERCISE in text


@override_settings(
    PORTAL_GUARDIAN_TEEN_SEES=("schedule", "messages", "home_programme", "discharge")
)
def test_the_parents_of_a_younger_child_see_every_section(db: None) -> None:
    young = support.stay(age=9, scores=False, canaries=False)

    text = text_of(support.html_of(ReportKind.FAMILY_PROGRESS, young))

    assert support.GOAL_WORDS in text
    assert str(WITHHELD_TEXT[Withhold.PRIVACY_171_202_B]) not in text


def _catalog_sentences() -> list[str]:
    """The English msgids of the app's catalog (12+ characters, placeholders cut)."""
    found = []
    for block in CATALOG.read_text(encoding="utf-8").split("\n\n"):
        match = re.search(r'^msgid ((?:".*"\n?)+)', block, re.M)
        if match is None:
            continue
        english = "".join(re.findall(r'"(.*)"', match[1])).replace('\\"', '"')
        for piece in re.split(r"%\(\w+\)[sd]", english):
            piece = " ".join(piece.split())
            if len(piece) >= 12:
                found.append(piece)
    return found


def test_the_family_report_in_spanish_has_no_english_sentence_left(
    built: support.Stay,
) -> None:
    page = support.html_of(ReportKind.FAMILY_PROGRESS, built, language="es")
    text = text_of(page)

    assert '<html lang="es">' in page
    for spanish in (
        "Informe de progreso para la familia",
        "En qué está trabajando Avery",
        "Actividades diarias y dolor",
        "Ejercicios para seguir haciendo en casa",
        "Próximas citas",
        "A quién llamar",
        "Meta lograda",
        SPANISH_MONTHS[support.today().month - 1],
    ):
        assert spanish in text, spanish
    left = [english for english in _catalog_sentences() if english in text]
    assert left == []
    assert "This report tells you" not in text and "Next appointments" not in text
