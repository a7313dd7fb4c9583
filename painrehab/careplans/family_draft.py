"""A first draft of the family summary, in plain words, from the team's decisions
and the child's goals.

No scores, no abbreviations, no clinical terms: the goals in the child's own
words, each decision as a sentence a parent would say, the planned day home. A
clinician edits the draft before it is saved and released; nothing is sent as
drafted.
"""

from collections.abc import Iterable, Sequence
from datetime import date

from django.utils.formats import date_format

from painrehab.careplans.agenda import Agenda
from painrehab.careplans.choices import DecisionKind
from painrehab.careplans.models import ConferenceDecision

TIMES = {1: "once", 2: "twice", 3: "three times"}


def _day(iso: str) -> str:
    return date_format(date.fromisoformat(iso), "l j F")


def _how_often(new: dict[str, int | None]) -> str:
    per_day, per_week = new.get("sessions_per_day"), new.get("sessions_per_week")
    count, period = (per_day, "day") if per_day else (per_week, "week")
    times = TIMES.get(count or 0, f"{count} times")
    return f"{times} a {period}"


def _prescription_sentence(name: str, d: ConferenceDecision) -> str:
    therapy = str(d.params.get("name", "therapy")).lower()
    if d.kind == DecisionKind.STOP_PRESCRIPTION:
        return f"{name} will stop {therapy} for now."
    new = d.params.get("new", {})
    minutes = new.get("minutes")
    return f"{therapy.capitalize()} will now be {minutes} minutes, {_how_often(new)}."


def decision_sentence(name: str, d: ConferenceDecision) -> str | None:
    """One decision as a parent would say it; ``None`` for one to word by hand."""
    to = d.params.get("to")
    if d.kind in (DecisionKind.CHANGE_PRESCRIPTION, DecisionKind.STOP_PRESCRIPTION):
        return _prescription_sentence(name, d)
    if d.kind == DecisionKind.NEW_GOAL:
        words = d.params.get("child_words") or d.params.get("target", "")
        return f"{name} has a new goal: “{words}”."
    if d.kind == DecisionKind.EXTEND_STAY and to:
        return f"{name} will stay a little longer, until {_day(to)}."
    if d.kind == DecisionKind.SHORTEN_STAY and to:
        return f"{name} is ready to go home sooner, on {_day(to)}."
    if d.kind == DecisionKind.PLAN_DISCHARGE and to:
        return f"We are planning for {name} to go home on {_day(to)}."
    if d.kind == DecisionKind.NO_CHANGE:
        return "The plan stays the same this week."
    return None


def _goal_lines(agenda: Agenda, *, met: bool) -> list[str]:
    return [f"- “{g.words}”" for g in agenda.goals if g.words and g.met == met]


def family_summary_draft(
    *, first_name: str, agenda: Agenda, decisions: Sequence[ConferenceDecision]
) -> str:
    """The draft text: this week, the goals, what changes, when home."""
    lines = [
        f"This week the team met to talk about how {first_name} is doing. "
        f"{first_name} is on day {agenda.day_of_stay} of the program.",
    ]
    working, reached = _goal_lines(agenda, met=False), _goal_lines(agenda, met=True)
    if working:
        lines += ["", f"What {first_name} is working on:", *working]
    if reached:
        lines += ["", f"Goals {first_name} has reached:", *reached]
    said = _unique(decision_sentence(first_name, d) for d in decisions)
    if said:
        lines += ["", "What the team decided:", *(f"- {s}" for s in said)]
    if not any(d.kind in _STAY_KINDS for d in decisions):
        home = _day(agenda.planned_discharge_on)
        lines += ["", f"The plan is still for {first_name} to go home on {home}."]
    lines += ["", "Please ask any of us if you have questions."]
    return "\n".join(lines)


_STAY_KINDS = frozenset(
    {DecisionKind.EXTEND_STAY, DecisionKind.SHORTEN_STAY, DecisionKind.PLAN_DISCHARGE}
)


def _unique(sentences: Iterable[str | None]) -> list[str]:
    found: list[str] = []
    for s in sentences:
        if s and s not in found:
            found.append(s)
    return found
