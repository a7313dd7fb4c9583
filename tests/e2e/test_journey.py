"""A child's journey through the real pages, and who may not see it."""

import datetime as dt
import re
from collections.abc import Callable
from pathlib import Path

import pytest
from django.utils import timezone
from django_otp.oath import totp
from playwright.sync_api import Locator, Page, expect

from painrehab.accounts.choices import Role
from painrehab.accounts.models import User
from painrehab.accounts.tests.factories import StaffFactory, totp_device
from painrehab.episodes.services import beds_configure
from painrehab.patients.choices import TeamRole
from painrehab.patients.models import Patient
from painrehab.referrals import services
from painrehab.referrals.choices import EvaluationDiscipline, EvaluatorRecommendation
from painrehab.referrals.models import Evaluation
from painrehab.referrals.tests import journey

pytestmark = pytest.mark.e2e

LOGIN = re.compile(r"/accounts/login/(\?.*)?$")
MRN = "E2E-4711"
CHILD = "Juniper Walkwell"
# discipline: staff role, name, and the care-team role chosen at admission
EVALUATORS = {
    "MED": (Role.PHYSICIAN, "Mira", "Medic", TeamRole.ATTENDING),
    "PSY": (Role.PSYCHOLOGIST, "Paul", "Psyche", TeamRole.PRIMARY_PSYCHOLOGIST),
    "PT": (Role.PHYSICAL_THERAPIST, "Tess", "Mover", TeamRole.PRIMARY_PT),
    "OT": (Role.OCCUPATIONAL_THERAPIST, "Otto", "Hands", TeamRole.PRIMARY_OT),
    "SW": (Role.SOCIAL_WORKER, "Sol", "Worker", TeamRole.SOCIAL_WORKER),
}
TIMELINE = [
    "Referral received",
    "Evaluation scheduled",
    "Accepted for admission",
    "Added to the waitlist",
    "Admitted",
    "Discharged to step-down",
]


def sign_in(
    page: Page,
    password_step: Callable[[User], None],
    user: User,
    code: str = "000000",  # the demo code, with DEBUG and DEMO_MODE on
) -> None:
    password_step(user)
    page.get_by_label("Code").fill(code)
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_role("button", name="Sign out")).to_be_visible()


def sign_out(page: Page) -> None:
    page.get_by_role("button", name="Sign out").click()
    expect(page).to_have_url(LOGIN)


def label(page: Page, text: str) -> Locator:
    """The field labelled exactly ``text`` (a required field's label ends in "*")."""
    return page.get_by_label(re.compile(rf"^{re.escape(text)}( \*)?$"))


def fill_intake(page: Page, pdf: Path, born: dt.date) -> None:
    """A new patient with a guardian, and the referral with one diagnosis and a PDF."""
    expect(page.get_by_role("radio", name="A new patient")).to_be_checked()
    label(page, "MRN").fill(MRN)
    label(page, "Given name").fill("Juniper")
    label(page, "Family name").fill("Walkwell")
    label(page, "Date of birth").fill(born.isoformat())
    label(page, "Sex").select_option(label="Female")
    label(page, "Preferred language").select_option(label="English")
    label(page, "Guardian's given name").fill("Rowan")
    label(page, "Guardian's family name").fill("Walkwell")
    label(page, "Relationship to the child").select_option(label="Mother")
    label(page, "Guardian's phone").fill("555-0100")
    label(page, "Referring clinician").fill("Dr. Synthetic Referrer")
    label(page, "Organisation").fill("Valley Children's Clinic")
    label(page, "Reason for referral").fill("Disabling leg pain; out of school.")
    label(page, "Pain history").fill("Pain since an ankle sprain eight months ago.")
    label(page, "Pain duration (months)").fill("8")
    page.get_by_role("listbox", name="Diagnoses").select_option("G90.521")
    label(page, "Primary diagnosis").select_option("G90.521")
    page.get_by_role("radio", name="Not attending at all").check()
    page.get_by_role("button", name="Documents").set_input_files(str(pdf))
    page.get_by_role("button", name="Save the referral").click()


def schedule_visit(page: Page, staff: dict[str, User]) -> None:
    page.get_by_role("link", name="Book the evaluation visit").click()
    label(page, "Visit date").fill(timezone.localdate().isoformat())
    for discipline, user in staff.items():
        option = f"{user.last_name}, {user.first_name}"
        discipline_label = str(EvaluationDiscipline(discipline).label)
        label(page, discipline_label).select_option(label=option)
    page.get_by_role("button", name="Book the visit").click()
    expect(page.get_by_text("Evaluation visit booked")).to_be_visible()


def sign_evaluation_in_browser(page: Page, address: str) -> None:
    """The assigned evaluator's own page: findings, recommendation, every "No"."""
    page.goto(address)
    label(page, "Findings").fill("Guarded gait; allodynia of the right foot.")
    label(page, "Function and participation").fill("Uses crutches; out of school.")
    page.get_by_role("radio", name="Recommend admission", exact=True).check()
    no_answers = page.get_by_role("radio", name="No", exact=True)
    assert no_answers.count() >= 1
    for radio in no_answers.all():
        radio.check()
    page.get_by_role("button", name="Sign", exact=True).click()
    expect(page.get_by_text("Evaluation signed.")).to_be_visible()
    expect(page.locator("main .badge").first).to_have_text("Signed")


def sign_through_services(episode_id: int, skip: str) -> None:
    """The other disciplines sign through the services, to keep the test short."""
    others = Evaluation.objects.filter(visit__episode_id=episode_id).exclude(
        discipline=skip
    )
    for evaluation in others:
        questions = services.exclusion_questions(evaluation.discipline)
        services.evaluation_save(
            evaluation=evaluation,
            by=evaluation.evaluator,
            version=evaluation.version,
            summary="Assessed at the clinic visit.",
            function_notes="Out of school.",
            recommendation=EvaluatorRecommendation.RECOMMEND,
            exclusions={q.key: False for q in questions},
        )
        services.evaluation_sign(evaluation=evaluation, by=evaluation.evaluator)


def open_action(page: Page, name: str) -> None:
    """From the chart, the Journey tab, then one of the episode's action buttons."""
    page.get_by_role("navigation", name="Chart sections").get_by_role(
        "link", name="Journey"
    ).click()
    page.get_by_role("list", name="Actions").get_by_role(
        "link", name=name, exact=True
    ).click()


def test_coordinator_takes_a_child_from_referral_to_discharge(
    page: Page,
    url: Callable[[str], str],
    password_step: Callable[[User], None],
    coordinator: User,
    settings: object,
    tmp_path: Path,
    screenshot: Callable[[str], Path],
) -> None:
    settings.DEBUG = True  # type: ignore[attr-defined]
    settings.DEMO_MODE = True  # type: ignore[attr-defined]
    beds_configure(count=4, by=None)  # the data migration's beds are flushed
    totp_device(coordinator)
    staff = {
        d: StaffFactory(role=role, first_name=first, last_name=last)
        for d, (role, first, last, _team) in EVALUATORS.items()
    }
    totp_device(staff["PT"])
    today = timezone.localdate()
    born = dt.date(today.year - 13, 1, 1)
    pdf = tmp_path / "referral-letter.pdf"
    pdf.write_bytes(b"%PDF-1.4\n%test\n")

    # 1-2. Sign in; the referral, with a newly registered child.
    sign_in(page, password_step, coordinator)
    page.goto(url("/referrals/new/"))
    fill_intake(page, pdf, born)
    expect(page).to_have_url(re.compile(r"/referrals/\d+/$"))
    episode_id = int(re.findall(r"/referrals/(\d+)/$", page.url)[0])
    patient = Patient.objects.get(mrn=MRN)
    expect(page.get_by_text("Referral received.")).to_be_visible()
    header = page.locator("section.chart-header")
    expect(header.get_by_role("heading", level=1)).to_have_text(CHILD)
    expect(header).to_contain_text(f"{patient.age()} years")
    expect(page.get_by_role("rowheader", name="G90.521")).to_be_visible()
    expect(page.get_by_role("link", name="Document 1")).to_be_visible()

    # 3. The triage queue lists the child.
    page.goto(url("/referrals/"))
    row = page.get_by_role("row").filter(has_text=MRN)
    expect(row).to_contain_text("Walkwell, Juniper")
    expect(row).to_contain_text("Not scheduled")
    row.get_by_role("link", name="Walkwell, Juniper").click()

    # 4. Book the evaluation visit, one evaluator per discipline.
    schedule_visit(page, staff)
    evaluations = page.get_by_role("table", name="Evaluations by discipline")
    expect(evaluations.get_by_role("row")).to_have_count(6)

    # 5. The PT signs in the browser; the other four through the services.
    sign_out(page)
    sign_in(page, password_step, staff["PT"])
    sign_evaluation_in_browser(page, url(f"/referrals/{episode_id}/evaluations/PT/"))
    sign_out(page)
    sign_through_services(episode_id, skip="PT")

    # 6. The team decision, beside what the rules recommend for that date.
    sign_in(page, password_step, coordinator)
    page.goto(url(f"/referrals/{episode_id}/"))
    page.get_by_role("link", name="Record the team decision").click()
    rules = page.locator("#rules")
    expect(rules.locator("strong.badge")).to_contain_text("Incomplete")
    label(page, "Planned admission date").fill(today.isoformat())
    expect(rules.locator("strong.badge")).to_have_text("Admit")
    expect(rules).to_contain_text("Age 13 on the planned admission date")
    page.get_by_role("radio", name="Admit to the program").check()
    label(page, "Rationale").fill("Meets criteria; the family is ready.")
    page.get_by_role("button", name="Record the decision").click()
    expect(page.get_by_text("Decision recorded.")).to_be_visible()
    expect(page.get_by_text("Admit to the program")).to_be_visible()

    # 7. Waitlist, then admit: a bed, the default dates, the care team.
    open_action(page, "Add to the waitlist")
    expect(label(page, "Accepted on")).to_have_value(today.isoformat())
    page.get_by_role("button", name="Add to the waitlist").click()
    expect(page.get_by_text("Added to the waitlist.", exact=True)).to_be_visible()
    page.get_by_role("list", name="Actions").get_by_role("link", name="Admit").click()
    label(page, "Bed").select_option(label="Bed 1")
    expect(label(page, "Admission date")).to_have_value(today.isoformat())
    expect(page.locator("#stay-length")).to_contain_text("28 days")
    for discipline, (*_r, team_role) in EVALUATORS.items():
        label(page, str(team_role.label)).select_option(label=str(staff[discipline]))
    page.get_by_role("button", name="Admit", exact=True).click()
    expect(page.get_by_text("Admitted.", exact=True)).to_be_visible()
    expect(page.locator("h2 .badge").first).to_have_text("Inpatient")
    expect(page.locator("main")).to_contain_text("Day 1 of 28")

    # 8. The census: the child in bed 1 on day 1.
    page.goto(url("/census/"))
    bed = page.locator("table.census tbody tr").filter(has_text=CHILD)
    expect(bed.get_by_role("rowheader")).to_have_text("Bed 1")
    expect(bed).to_contain_text("Day 1 of 28")
    expect(bed).to_contain_text("M. Medic")
    expect(page.locator("p.occupancy")).to_contain_text("1 of 4 beds")
    screenshot("census")

    # 9. Discharge the same day: the step-down plan and the follow-up visits.
    bed.get_by_role("link", name=CHILD).click()
    open_action(page, "Discharge")
    expect(label(page, "Discharge date")).to_have_value(today.isoformat())
    label(page, "Pain medicine summary").fill("Pain 3/10, off gabapentin.")
    label(page, "Home exercise programme").fill("Daily walking and desensitisation.")
    page.get_by_role("button", name="Discharge", exact=True).click()
    expect(page.get_by_role("heading", name="Discharged", exact=True)).to_be_visible()
    expect(page.get_by_role("heading", name="Step-down plan")).to_be_visible()
    expect(page.locator("main")).to_contain_text("Daily walking and desensitisation.")
    visits = page.get_by_role("table", name="Pain Medicine Clinic follow-up schedule")
    expect(visits.locator("tbody th")).to_have_text(
        ["1 month", "3 months", "6 months", "12 months"]
    )

    # 10. The Journey tab: every step, in order.
    page.goto(url(f"/patients/{patient.pk}/journey/"))
    expect(page.locator("ol.timeline > li strong")).to_have_text(TIMELINE)
    expect(page.locator("h2 .badge").first).to_have_text("Step-down")
    screenshot("journey")


def test_outsiders_get_not_found_or_refused(
    page: Page,
    url: Callable[[str], str],
    password_step: Callable[[User], None],
    child: Patient,
    pt_off_team: User,
    other_guardian: User,
) -> None:
    episode = journey.admitted(child)
    body = page.locator("body")

    # A PT not on the care team: the referral and the journey look absent.
    device = totp_device(pt_off_team)  # DEBUG is off: the authenticator's code
    sign_in(page, password_step, pt_off_team, f"{totp(device.bin_key):06d}")
    for path in (f"/referrals/{episode.pk}/", f"/patients/{child.pk}/journey/"):
        response = page.goto(url(path))
        assert response is not None and response.status == 404, path
        expect(page.get_by_role("heading", level=1)).to_have_text("Page not found")
        expect(body).not_to_contain_text(child.family_name)
        expect(body).not_to_contain_text(child.mrn)
    page.goto(url("/"))  # the error page is bare: sign out from the start page
    sign_out(page)

    # A guardian of another child: the census is refused.
    password_step(other_guardian)
    # One child: the portal opens on that child's day.
    expect(page).to_have_url(re.compile(r"/family/children/[0-9]+/$"))
    response = page.goto(url("/census/"))
    assert response is not None and response.status == 403
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "You do not have access to this page"
    )
    expect(body).not_to_contain_text(child.family_name)
