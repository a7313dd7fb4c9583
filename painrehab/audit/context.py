"""Per-request audit context (request id, source address) carried in a contextvar."""

import contextvars
import hashlib
import uuid
from dataclasses import dataclass, field

from django.conf import settings
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


def client_address(request: HttpRequest) -> str | None:
    """The client's address; behind our proxy, the one the proxy appended last.

    Only the last X-Forwarded-For entry is trusted: earlier ones come from the client.
    """
    if settings.BEHIND_PROXY:
        forwarded = str(request.META.get("HTTP_X_FORWARDED_FOR", ""))
        last = forwarded.split(",")[-1].strip()
        if last:
            return last
    remote: str = request.META.get("REMOTE_ADDR", "")
    return remote or None


def from_request(request: HttpRequest) -> AuditContext:
    agent = request.META.get("HTTP_USER_AGENT", "")
    return AuditContext(
        request_id=uuid.uuid4().hex,
        source_ip=client_address(request),
        user_agent_hash=hashlib.sha256(agent.encode()).hexdigest()[:32]
        if agent
        else "",
        request=request,
    )


def activate(context: AuditContext) -> contextvars.Token[AuditContext | None]:
    return _current.set(context)


def deactivate(token: contextvars.Token[AuditContext | None]) -> None:
    _current.reset(token)
