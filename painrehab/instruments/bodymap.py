"""The named body regions of the pain body map, front and back, as data.

Each region has a stable code ("front.left_knee") that stored body maps keep, a
plain label, and the shape that draws it on a simple child figure (viewBox
``0 0 200 410`` per side). ``snomed`` is left ``None`` for every region: no
SNOMED CT body structure code has been checked against the release yet, and a
wrong code is worse than none. Fill them in only from a verified source.
"""

from dataclasses import dataclass
from typing import Literal

Side = Literal["front", "back"]
Shape = Literal["ellipse", "rect"]

SIDES: tuple[tuple[Side, str], ...] = (("front", "Front"), ("back", "Back"))


@dataclass(frozen=True)
class Region:
    """One area a child can mark; ``geometry`` is (cx, cy, rx, ry) or (x, y, w, h)."""

    code: str
    label: str
    side: Side
    shape: Shape
    geometry: tuple[int, int, int, int]
    snomed: str | None = None

    @property
    def title(self) -> str:
        return f"{self.label} ({self.side})"


# Midline regions: (name, label, shape, geometry) per side.
_MIDLINE: dict[Side, tuple[tuple[str, str, Shape, tuple[int, int, int, int]], ...]] = {
    "front": (
        ("head", "Head", "ellipse", (100, 35, 24, 28)),
        ("neck", "Neck", "rect", (90, 62, 20, 14)),
        ("chest", "Chest", "rect", (68, 76, 64, 60)),
        ("abdomen", "Tummy (abdomen)", "rect", (70, 136, 60, 50)),
    ),
    "back": (
        ("head", "Head", "ellipse", (100, 35, 24, 28)),
        ("neck", "Neck", "rect", (90, 62, 20, 14)),
        ("upper_back", "Upper back", "rect", (68, 76, 64, 60)),
        ("lower_back", "Lower back", "rect", (70, 136, 60, 50)),
    ),
}

# Paired regions drawn on the viewer's left (x as given) and right (mirrored).
_PAIRED: tuple[tuple[str, str, Shape, tuple[int, int, int, int]], ...] = (
    ("shoulder", "shoulder", "ellipse", (56, 86, 12, 12)),
    ("upper_arm", "upper arm", "rect", (44, 98, 16, 56)),
    ("forearm", "forearm", "rect", (42, 156, 14, 54)),
    ("hand", "hand", "ellipse", (48, 222, 9, 12)),
    ("hip", "hip", "rect", (70, 186, 28, 26)),
    ("thigh", "thigh", "rect", (72, 214, 24, 70)),
    ("knee", "knee", "ellipse", (84, 296, 12, 11)),
    ("lower_leg", "lower leg", "rect", (74, 309, 20, 70)),
    ("foot", "foot", "ellipse", (82, 390, 13, 8)),
)

WIDTH = 200


def _mirror(shape: Shape, geometry: tuple[int, int, int, int]) -> tuple[int, ...]:
    a, b, c, d = geometry
    return (WIDTH - a, b, c, d) if shape == "ellipse" else (WIDTH - a - c, b, c, d)


def _paired(side: Side) -> list[Region]:
    # Seen from the front, the child's right is on the viewer's left; from the back
    # it is the other way round.
    near, far = ("right", "left") if side == "front" else ("left", "right")
    regions = []
    for name, label, shape, geometry in _PAIRED:
        for hand, geo in ((near, geometry), (far, _mirror(shape, geometry))):
            regions.append(
                Region(
                    code=f"{side}.{hand}_{name}",
                    label=f"{hand.capitalize()} {label}",
                    side=side,
                    shape=shape,
                    geometry=(geo[0], geo[1], geo[2], geo[3]),
                )
            )
    return regions


def _build() -> tuple[Region, ...]:
    regions: list[Region] = []
    for side, _label in SIDES:
        for name, label, shape, geometry in _MIDLINE[side]:
            regions.append(Region(f"{side}.{name}", label, side, shape, geometry))
        regions.extend(_paired(side))
    return tuple(regions)


REGIONS: tuple[Region, ...] = _build()
REGION_BY_CODE: dict[str, Region] = {region.code: region for region in REGIONS}


def regions_of(side: Side) -> tuple[Region, ...]:
    return tuple(region for region in REGIONS if region.side == side)


def unknown_codes(codes: list[str]) -> list[str]:
    """The codes in ``codes`` that name no region, in their order."""
    return [code for code in codes if code not in REGION_BY_CODE]
