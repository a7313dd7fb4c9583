"""A teen's account and a guardian's never share an e-mail address or a phone.

reference/security.md §3b rule 3 (the Rady rule): most adolescent portal accounts
registered with a parent's e-mail end up read by the parent. So when a teen sets up
their account, their e-mail and mobile phone must differ from every e-mail and phone
the program holds for that child's guardians (the guardian records and the
guardians' own accounts); and a guardian's account e-mail must differ from the
child's own account. E-mails compare without case; phones by their digits, a
number written with its country or area code matching the same number without it.
"""

import re
from dataclasses import dataclass, field

from painrehab.accounts.models import User
from painrehab.patients.models import Guardian, Patient

# The shortest phone number compared by its ending (a local number without area code).
SHORTEST_NUMBER = 7
PHONE_CHARACTERS = re.compile(r"^\+?[\d\s().\-]+$")


def digits(phone: str) -> str:
    return "".join(ch for ch in phone if ch.isdigit())


def phone_valid(phone: str) -> bool:
    """A plausible phone number: digits with the usual separators, 7 to 15 digits."""
    count = len(digits(phone))
    return bool(PHONE_CHARACTERS.match(phone)) and SHORTEST_NUMBER <= count <= 15


def same_phone(one: str, other: str) -> bool:
    """The same number, however written: equal digits, or one the other's ending."""
    a, b = digits(one), digits(other)
    if not a or not b:
        return False
    shorter, longer = sorted((a, b), key=len)
    return len(shorter) >= SHORTEST_NUMBER and longer.endswith(shorter)


@dataclass
class Contacts:
    """E-mail addresses (lower case) and phone numbers held for some people."""

    emails: set[str] = field(default_factory=set)
    phones: list[str] = field(default_factory=list)

    def add(self, *, email: str = "", phone: str = "") -> None:
        if email.strip():
            self.emails.add(email.strip().lower())
        if digits(phone):
            self.phones.append(phone)

    def has_email(self, email: str) -> bool:
        return bool(email.strip()) and email.strip().lower() in self.emails

    def has_phone(self, phone: str) -> bool:
        return any(same_phone(phone, known) for known in self.phones)


def guardian_contacts(patient: Patient) -> Contacts:
    """Every e-mail and phone held for the child's guardians, records and accounts."""
    found = Contacts()
    guardians = Guardian.objects.filter(patient_links__patient=patient).select_related(
        "user"
    )
    for guardian in guardians:
        found.add(email=guardian.email, phone=guardian.phone)
        if guardian.user is not None:
            found.add(email=guardian.user.email, phone=guardian.user.phone)
    return found


def teen_contacts(guardian: Guardian) -> Contacts:
    """The e-mails and phones of the own accounts of this guardian's children."""
    found = Contacts()
    teens = User.objects.filter(patient_record__guardian_links__guardian=guardian)
    for teen in teens:
        found.add(email=teen.email, phone=teen.phone)
    return found
