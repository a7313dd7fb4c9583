"""Per-request audit context (request id, source address) carried in a contextvar."""

import contextvars
import hashlib
import uuid
from dataclasses import dataclass, field

from django.http import HttpRequest


@dataclass(frozen=True)
class AuditContext:
    request_id: str = field(default_factory=lambda: uuid.uuid4().hex)
    source_ip: str | None = None
    user_agent_hash: str = ""
    request: HttpRequest | None = None

    @property
    def session_id_hash(self) -> str:
        key = self.request.session.session_key if self.request is not None else None
        return hashlib.sha256(key.encode()).hexdigest()[:32] if key else ""


_current: contextvars.ContextVar[AuditContext | None] = contextvars.ContextVar(
    "audit_context", default=None
)


def current() -> AuditContext:
    """The request's context, or a fresh one outside a request (commands, tests)."""
    return _current.get() or AuditContext()


def from_request(request: HttpRequest) -> AuditContext:
    agent = request.META.get("HTTP_USER_AGENT", "")
    return AuditContext(
        request_id=uuid.uuid4().hex,
        source_ip=request.META.get("REMOTE_ADDR") or None,
        user_agent_hash=hashlib.sha256(agent.encode()).hexdigest()[:32]
        if agent
        else "",
        request=request,
    )


def activate(context: AuditContext) -> contextvars.Token[AuditContext | None]:
    return _current.set(context)


def deactivate(token: contextvars.Token[AuditContext | None]) -> None:
    _current.reset(token)
