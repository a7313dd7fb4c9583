"""A cohort table as plain JSON (``painrehab outcomes summary --json``)."""

from typing import Any

from painrehab.domain import outcomes as metrics
from painrehab.outcomes.selectors.cohort import CohortTable, PointRow
from painrehab.outcomes.selectors.filters import CohortFilter


def _num(value: float | None) -> float | None:
    return None if value is None else round(value, 6)


def _proportion(p: metrics.Proportion | None) -> dict[str, Any] | None:
    if p is None:
        return None
    return {"k": p.k, "n": p.n, "p": _num(p.p), "ci": [_num(p.low), _num(p.high)]}


def _change(c: metrics.PairedChange) -> dict[str, Any]:
    return {
        "n": c.n,
        "mean_change": _num(c.mean_change),
        "sd_change": _num(c.sd_change),
        "ci": [_num(c.ci_low), _num(c.ci_high)],
        "d_z": _num(c.d_z),
        "hedges_g": _num(c.g),
        "hedges_g_ci": [_num(c.g_ci_low), _num(c.g_ci_high)],
        "pre_post_r": _num(c.r),
    }


def _point(row: PointRow) -> dict[str, Any]:
    s = row.summary
    return {
        "time_point": row.slug,
        "label": row.label,
        "n": s.n,
        "mean": _num(s.mean),
        "sd": _num(s.sd),
        "median": _num(s.median),
        "q1": _num(s.q1),
        "q3": _num(s.q3),
        "missing": row.missing,
        "not_yet_due": row.not_yet_due,
    }


def table_as_dict(table: CohortTable, filters: CohortFilter) -> dict[str, Any]:
    """The table as plain JSON (the CLI's ``summary --json``)."""
    later = [r for r in table.rows if r.change is not None]
    return {
        "instrument": table.code,
        "name": table.name,
        "filters": filters.as_dict(),
        "cohort_episodes": table.cohort_n,
        "compared_on": table.units,
        "direction": str(table.direction),
        "threshold": None
        if table.threshold is None
        else {
            "points": table.threshold.points,
            "percent": table.threshold.percent,
            "source": table.threshold.source,
        },
        "reliability": None
        if table.reliability is None
        else {"r": table.reliability.r, "source": table.reliability_source},
        "time_points": [_point(r) for r in table.rows],
        "paired_change": {
            r.slug: _change(r.change) for r in later if r.change is not None
        },
        "responders": {
            r.slug: {
                "meaningful_improvement": _proportion(r.meaningful),
                "reliable_improvement": _proportion(r.reliable),
            }
            for r in later
        },
    }
