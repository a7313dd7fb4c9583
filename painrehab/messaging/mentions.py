"""Finding ``@username`` mentions in a message body (plain text, no database).

A mention starts with ``@`` not preceded by a letter, digit or ``@`` (so the
domain of an e-mail address is not one) and runs over the characters Django allows
in a username. Sentence punctuation after it ("ask @pt.") is not part of it.
"""

import re

MENTION = re.compile(r"(?<![\w@])@([\w.+-]+)")
TRAILING = ".,;:!?-"


def mentioned_usernames(body: str) -> list[str]:
    """The usernames mentioned in ``body``, in order, each once (case-insensitive)."""
    found: dict[str, str] = {}
    for match in MENTION.finditer(body):
        name = match.group(1).rstrip(TRAILING)
        if name:
            found.setdefault(name.lower(), name)
    return list(found.values())
