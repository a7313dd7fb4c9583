"""The demo's families: who looks after each child, and how to reach them.

Phone numbers use 555-01xx, the range reserved for fiction, and e-mail addresses
use the example.org and example.com domains reserved for documentation.
"""

import random
import unicodedata
from dataclasses import dataclass

from painrehab.demo import names
from painrehab.demo.draw import pick
from painrehab.patients.choices import Relationship

R = Relationship
# Who looks after the child: (relationship, is a woman) per guardian, with weights.
FAMILY_SHAPES: tuple[tuple[tuple[tuple[Relationship, bool], ...], int], ...] = (
    (((R.MOTHER, True), (R.FATHER, False)), 10),
    (((R.MOTHER, True),), 6),
    (((R.FATHER, False), (R.MOTHER, True)), 2),
    (((R.FATHER, False),), 2),
    (((R.MOTHER, True), (R.STEPPARENT, False)), 2),
    (((R.PARENT, True), (R.PARENT, True)), 1),
    (((R.PARENT, False), (R.PARENT, False)), 1),
    (((R.GRANDPARENT, True), (R.GRANDPARENT, False)), 1),
    (((R.LEGAL_GUARDIAN, True),), 1),
    (((R.FOSTER_PARENT, True), (R.FOSTER_PARENT, False)), 1),
)
# Guardians who share the child's family name (a Spanish-speaking mother keeps hers).
SHARES_FAMILY_NAME = frozenset({R.FATHER, R.PARENT, R.GRANDPARENT, R.MOTHER})


@dataclass(frozen=True)
class DemoGuardian:
    """A parent or caregiver; ``username`` is set when they have a portal account."""

    given_name: str
    family_name: str
    relationship: Relationship
    phone: str
    email: str
    preferred_language: str
    is_primary_contact: bool
    username: str = ""


def guardians_plan(
    rng: random.Random,
    *,
    index: int,
    family_name: str,
    spanish: bool,
    area: str,
    account: str,
) -> tuple[DemoGuardian, ...]:
    """The child's 1-2 guardians; the first is the primary contact (and ``account``)."""
    shapes = [shape for shape, _ in FAMILY_SHAPES]
    shape = rng.choices(shapes, [weight for _, weight in FAMILY_SHAPES])[0]
    return tuple(
        _guardian(
            rng,
            relationship=relationship,
            woman=woman,
            child_family_name=family_name,
            spanish=spanish,
            contact=(area, 2 * index + k),
            primary=k == 0,
            username=account if k == 0 else "",
        )
        for k, (relationship, woman) in enumerate(shape)
    )


def _guardian(
    rng: random.Random,
    *,
    relationship: Relationship,
    woman: bool,
    child_family_name: str,
    spanish: bool,
    contact: tuple[str, int],
    primary: bool,
    username: str,
) -> DemoGuardian:
    given_name = pick(rng, _adult_names(woman=woman, spanish=spanish))
    family_name = _guardian_family_name(
        rng,
        relationship=relationship,
        child_family_name=child_family_name,
        spanish=spanish,
    )
    area, number = contact
    domain = "example.org" if number % 2 == 0 else "example.com"
    return DemoGuardian(
        given_name=given_name,
        family_name=family_name,
        relationship=relationship,
        phone=f"({area}) 555-01{number % 100:02d}",  # 555-01xx: reserved for fiction
        email=f"{_ascii(given_name)}.{_ascii(family_name)}@{domain}",
        preferred_language="es" if spanish else "en",
        is_primary_contact=primary,
        username=username,
    )


def _adult_names(*, woman: bool, spanish: bool) -> tuple[str, ...]:
    if woman:
        return names.WOMEN_NAMES_ES if spanish else names.WOMEN_NAMES_EN
    return names.MEN_NAMES_ES if spanish else names.MEN_NAMES_EN


def _guardian_family_name(
    rng: random.Random,
    *,
    relationship: Relationship,
    child_family_name: str,
    spanish: bool,
) -> str:
    pool = names.FAMILY_NAMES_ES if spanish else names.FAMILY_NAMES
    other = pick(rng, [name for name in pool if name != child_family_name])
    keeps_own = spanish and relationship == R.MOTHER
    shares = relationship in SHARES_FAMILY_NAME and not keeps_own
    return child_family_name if shares else other


def _ascii(name: str) -> str:
    folded = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode()
    return folded.lower().replace(" ", "")
