"""The data privacy itself and sign-in hold about a person (the security log, prepared
copies, signed-in sessions, email addresses and two-step methods), plugged into the
registries like every app's."""

from __future__ import annotations

import datetime
from typing import Any

from allauth.account.models import EmailAddress
from allauth.mfa.models import Authenticator
from allauth.usersessions.models import UserSession
from django.db import connection, models, transaction

from . import registry
from .models import AuditEvent, DataExport, ExportStatus

Row = dict[str, Any]
# --- Export sections ------------------------------------------------------------------


def export_sign_in_security(user: Any) -> list[Row]:
    """Where the person is signed in, and which kinds of two-step sign-in they use
    (never the secrets themselves)."""
    rows: list[Row] = [
        {
            "kind": "signed-in session",
            "ip_address": s.ip,
            "browser": s.user_agent,
            "created_at": s.created_at,
            "last_seen_at": s.last_seen_at,
        }
        for s in UserSession.objects.filter(user_id=user.pk).order_by("-created_at")
    ]
    rows += [
        {
            "kind": f"two-step sign-in: {a.get_type_display()}",
            "ip_address": "",
            "browser": "",
            "created_at": a.created_at,
            "last_seen_at": a.last_used_at,
        }
        for a in Authenticator.objects.filter(user_id=user.pk).order_by("created_at")
    ]
    return rows


def export_audit_events(user: Any) -> list[Row]:
    """Security events about this person. Where someone else acted (say, staff changed
    their role), that person's address and browser are left out."""
    rows = []
    for e in AuditEvent.objects.about(user.pk).order_by("occurred_at", "pk").iterator():
        own = e.actor_id == user.pk
        rows.append(
            {
                "occurred_at": e.occurred_at,
                "event": e.get_event_display(),
                "by": "you" if own else ("someone else" if e.actor_id else "the system"),
                "about": e.target_type,
                "ip_address": e.ip if own else "",
                "browser": e.user_agent if own else "",
                "details": e.meta,
            }
        )
    return rows


def export_data_exports(user: Any) -> list[Row]:
    return [
        {
            "requested_at": x.requested_at,
            "status": x.get_status_display(),
            "finished_at": x.finished_at,
            "expires_at": x.expires_at,
        }
        for x in DataExport.objects.filter(user=user)
    ]


# --- Erasure steps ------------------------------------------------------------------


def erase_sessions(user: Any) -> int:
    """Sign the person out everywhere."""
    sessions = list(UserSession.objects.filter(user_id=user.pk))
    for session in sessions:
        session.end()
    return len(sessions)


def erase_data_exports(user: Any) -> int:
    """Delete prepared copies, files included (after the erasure commits)."""
    exports = list(DataExport.objects.filter(user=user).exclude(file=""))
    names = [x.file.name for x in exports]
    if names:
        storage = exports[0].file.storage

        def remove_files() -> None:
            for name in names:
                storage.delete(name)

        transaction.on_commit(remove_files)
    return int(DataExport.objects.filter(user=user).delete()[0])


def erase_sign_in_details(user: Any) -> int:
    """Email addresses and two-step sign-in methods."""
    emails = EmailAddress.objects.filter(user_id=user.pk).delete()[0]
    authenticators = Authenticator.objects.filter(user_id=user.pk).delete()[0]
    return int(emails + authenticators)


# --- Retention rules ---------------------------------------------------------------


def purge_audit_events(*, cutoff: datetime.datetime, now: datetime.datetime) -> int:
    """The one way audit events are ever deleted. On PostgreSQL the append-only trigger
    lets a DELETE through only inside this transaction."""
    with transaction.atomic():
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("SET LOCAL hls.audit_purge = 'on'")
        old = AuditEvent.objects.filter(occurred_at__lt=cutoff)
        deleted, _ = models.QuerySet.delete(old)
    return int(deleted)


def expire_data_exports(*, cutoff: datetime.datetime, now: datetime.datetime) -> int:
    """Delete prepared copies past their expiry date (the download page already refuses
    them); the row stays, marked expired, so the person sees what happened."""
    expired = list(
        DataExport.objects.filter(status=ExportStatus.READY, expires_at__lte=now).only("file")
    )
    for export in expired:
        if export.file:
            export.file.delete(save=False)
    return DataExport.objects.filter(pk__in=[x.pk for x in expired]).update(
        status=ExportStatus.EXPIRED, file="", size_bytes=0
    )


def register() -> None:
    r = registry
    r.register_export_section(
        "sign_in_security",
        export_sign_in_security,
        description="Where you are signed in, and which kinds of two-step sign-in you use.",
    )
    r.register_export_section(
        "security_events",
        export_audit_events,
        description="The security log about you: sign-ins, changes to your account and roles.",
    )
    r.register_export_section(
        "data_copies", export_data_exports, description="When you asked for copies like this one."
    )

    r.register_erasure_step(erase_sessions, description="You are signed out everywhere.")
    r.register_erasure_step(
        erase_data_exports, description="Copies of your data we prepared are deleted."
    )
    r.register_erasure_step(
        erase_sign_in_details,
        description="Your email addresses, password and two-step sign-in methods are deleted.",
    )

    r.register_retention_rule(
        "audit_events",
        purge_audit_events,
        description="Security log entries (sign-ins, account and role changes).",
    )
    r.register_retention_rule(
        "export_files",
        expire_data_exports,
        description="Copies of your data that you asked for.",
    )
