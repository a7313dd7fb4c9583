"""Every audited action the code writes is in the one list, AuditAction."""

import re
from pathlib import Path

from painrehab.audit.actions import AuditAction
from painrehab.episodes.choices import Transition

ROOT = Path(__file__).resolve().parent.parent / "painrehab"
LITERAL = re.compile(r'action="([a-z_]+\.[a-z_]+)"')


def _written_actions() -> set[str]:
    found: set[str] = set()
    for path in ROOT.rglob("*.py"):
        if "tests" in path.parts or "migrations" in path.parts:
            continue
        found.update(LITERAL.findall(path.read_text(encoding="utf-8")))
    return found


def test_every_literal_action_is_listed() -> None:
    written = _written_actions()
    assert len(written) > 10
    assert written - set(AuditAction.values) == set()


def test_every_episode_transition_is_listed() -> None:
    transitions = {f"episode.{t}" for t in Transition.values}
    assert transitions - set(AuditAction.values) == set()
