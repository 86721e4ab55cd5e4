"""Record security-relevant events: who, what, when, from where — never content.

Other apps call :func:`record` from their services, for example::

    from privacy import audit
    from privacy.models import AuditEventType

    audit.record(AuditEventType.VISIBILITY_CHANGED, actor=user, target=entry,
                 request=request, old="organisation", new="place")

``meta`` holds a few short facts (a role, a visibility, a count); text that people
wrote is refused, so a careless caller cannot copy a story into the log.
"""

from __future__ import annotations

import contextlib
import ipaddress
import re
from collections.abc import Iterator
from contextvars import ContextVar
from typing import Any

from django.http import HttpRequest

from .models import AuditEvent, AuditEventType

_current_request: ContextVar[HttpRequest | None] = ContextVar("audit_request", default=None)
_suppressed: ContextVar[bool] = ContextVar("audit_suppressed", default=False)

META_KEY = re.compile(r"^[a-z][a-z0-9_]{0,39}$")
META_MAX_STRING = 120
# Names that would mean content, secrets or contact details are being logged.
FORBIDDEN_META_KEYS = frozenset(
    {
        "body",
        "text",
        "content",
        "title",
        "message",
        "story",
        "summary",
        "note",
        "comment",
        "password",
        "secret",
        "token",
        "code",
        "email",
        "phone",
        "name",
        "full_name",
    }
)


class AuditMetaError(ValueError):
    """``meta`` holds something an audit event must not: content, or too much."""


def set_current_request(request: HttpRequest | None) -> Any:
    return _current_request.set(request)


def reset_current_request(token: Any) -> None:
    _current_request.reset(token)


def current_request() -> HttpRequest | None:
    return _current_request.get()


@contextlib.contextmanager
def suppressed() -> Iterator[None]:
    """Within this block, automatic role-change events are not recorded (an erasure
    records one event of its own instead of one per removed membership)."""
    token = _suppressed.set(True)
    try:
        yield
    finally:
        _suppressed.reset(token)


def is_suppressed() -> bool:
    return _suppressed.get()


def client_ip(request: HttpRequest | None) -> str | None:
    """The client's address, trusting X-Forwarded-For only as far as
    ``ALLAUTH_TRUSTED_PROXY_COUNT`` says (the same rule the rate limits use)."""
    if request is None:
        return None
    from allauth.core.internal.httpkit import get_client_ip

    try:
        ip = get_client_ip(request)
        return str(ipaddress.ip_address(ip)) if ip else None
    except Exception:  # a malformed header must never stop the request
        return None


def user_agent(request: HttpRequest | None) -> str:
    if request is None:
        return ""
    return str(request.META.get("HTTP_USER_AGENT", ""))[:300]


def _clean_meta(meta: dict[str, Any]) -> dict[str, Any]:
    cleaned: dict[str, Any] = {}
    for key, value in meta.items():
        if not META_KEY.match(key) or key in FORBIDDEN_META_KEYS:
            raise AuditMetaError(f"An audit event may not hold {key!r}.")
        if isinstance(value, str):
            if len(value) > META_MAX_STRING:
                raise AuditMetaError(f"{key!r} is too long for an audit event.")
        elif value is not None and not isinstance(value, bool | int | float):
            raise AuditMetaError(f"{key!r} must be a short string, a number or true/false.")
        cleaned[key] = value
    return cleaned


def _person_id(person: Any) -> int | None:
    if person is None or not getattr(person, "is_authenticated", False):
        return None
    return int(person.pk) if person.pk is not None else None


def record(
    event: AuditEventType | str,
    actor: Any = None,
    target: Any = None,
    request: HttpRequest | None = None,
    *,
    subject: Any = None,
    **meta: Any,
) -> AuditEvent:
    """Append one event to the audit log and return it.

    ``actor`` is who did it (a User, AnonymousUser or None for the system). ``target`` is
    the object acted on (any model instance, or None); when it is a person, it is also
    the subject. ``subject`` names the person the event is about when that is not the
    target. ``request`` gives "from where"; without it, the current request is used.
    """
    if event not in AuditEventType.values:
        raise ValueError(f"Unknown audit event {event!r}; add it to AuditEventType.")
    request = request if request is not None else current_request()
    if actor is None and request is not None:
        actor = getattr(request, "user", None)
    target_type = target_id = ""
    if target is not None:
        target_type = target._meta.label_lower
        target_id = str(target.pk)[:64]
    from django.contrib.auth import get_user_model

    if subject is None and target is not None and isinstance(target, get_user_model()):
        subject = target
    subject_id = subject if isinstance(subject, int) else _person_id(subject)
    if subject is not None and subject_id is None and getattr(subject, "pk", None) is not None:
        subject_id = int(subject.pk)
    return AuditEvent.objects.create(
        event=str(event),
        actor_id=actor if isinstance(actor, int) else _person_id(actor),
        subject_user_id=subject_id,
        target_type=target_type,
        target_id=target_id,
        ip=client_ip(request),
        user_agent=user_agent(request),
        meta=_clean_meta(meta),
    )
