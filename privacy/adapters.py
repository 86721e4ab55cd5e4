"""allauth adapter hooks: the audit log (allauth sends no signal for these) and the
site's own name in every account email, which goes through the outbox."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

from allauth.usersessions.adapter import DefaultUserSessionsAdapter
from django.conf import settings

from outbox.adapters import OutboxAccountAdapter

from . import audit
from .models import AuditEventType


@dataclass(frozen=True)
class SiteName:
    """What account emails call the site. Without django.contrib.sites allauth would
    use the address the request came to (so local emails said "Hello from 127.0.0.1!")."""

    name: str
    domain: str


def site_name() -> SiteName:
    return SiteName(name="HLS Forum", domain=urlsplit(settings.SITE_URL).netloc)


class AccountAdapter(OutboxAccountAdapter):
    def send_mail(self, template_prefix: str, email: str, context: dict[str, Any]) -> None:
        super().send_mail(template_prefix, email, {**context, "current_site": site_name()})


class AuditedUserSessionsAdapter(DefaultUserSessionsAdapter):
    def end_sessions(self, sessions: Any) -> None:
        sessions = list(sessions)
        super().end_sessions(sessions)
        if sessions and not audit.is_suppressed():
            audit.record(
                AuditEventType.SESSIONS_ENDED,
                subject=sessions[0].user_id,
                sessions=len(sessions),
            )
