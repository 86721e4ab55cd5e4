"""allauth adapter hooks the audit log needs (allauth sends no signal for these)."""

from __future__ import annotations

from typing import Any

from allauth.usersessions.adapter import DefaultUserSessionsAdapter

from . import audit
from .models import AuditEventType


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
