"""The instrument catalog: every shipped definition, keyed by its code."""

from painrehab.domain.scoring.catalog.arcs import ARCS
from painrehab.domain.scoring.catalog.cesdc import CES_DC
from painrehab.domain.scoring.catalog.fdi import FDI_C, FDI_P
from painrehab.domain.scoring.catalog.fopq import FOPQ_C_SF
from painrehab.domain.scoring.catalog.nrs import NRS
from painrehab.domain.scoring.catalog.pcs import PCS_C, PCS_P
from painrehab.domain.scoring.catalog.promis import PROMIS_FORMS
from painrehab.domain.scoring.definitions import InstrumentDefinition

CATALOG: dict[str, InstrumentDefinition] = {
    definition.code: definition
    for definition in (
        NRS,
        FDI_C,
        FDI_P,
        PCS_C,
        PCS_P,
        FOPQ_C_SF,
        CES_DC,
        ARCS,
        *PROMIS_FORMS,
    )
}


def get(code: str) -> InstrumentDefinition:
    """The definition for ``code``; raises ``KeyError`` naming unknown codes."""
    try:
        return CATALOG[code]
    except KeyError:
        raise KeyError(f"No instrument {code!r} in the catalog") from None
