"""Figures as the pages print them: fixed decimals, "—" for "cannot be computed"."""

from django.utils.translation import gettext as _

from painrehab.domain import outcomes as metrics

NONE = "—"


def num(value: float | None, digits: int = 1) -> str:
    if value is None:
        return NONE
    text = f"{value:.{digits}f}"
    return "0" + text[2:] if text.startswith("-0") and float(text) == 0 else text


def percent(value: float | None) -> str:
    return NONE if value is None else f"{100 * value:.0f}%"


def proportion_text(p: metrics.Proportion | None) -> str:
    """``62% (5/8; 95% CI 31-86%)`` (an en dash); "no data" when n is 0."""
    if p is None:
        return NONE
    if not p.n:
        return _("no data")
    return _("%(p)s (%(k)s/%(n)s; 95%% CI %(low)s–%(high)s)") % {
        "p": percent(p.p),
        "k": p.k,
        "n": p.n,
        "low": percent(p.low).rstrip("%"),
        "high": percent(p.high),
    }


def interval(low: float | None, high: float | None, digits: int = 1) -> str:
    if low is None or high is None:
        return NONE
    return f"{num(low, digits)} to {num(high, digits)}"


def with_ci(
    value: float | None, low: float | None, high: float | None, digits: int = 1
) -> str:
    if value is None:
        return NONE
    if low is None or high is None:
        return num(value, digits)
    return f"{num(value, digits)} [{interval(low, high, digits)}]"
