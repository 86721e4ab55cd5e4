"""The data this app and partnerships hold about a person, plugged into the registries:
what goes into their copy, what erasure removes, and how long things are kept."""

from __future__ import annotations

import datetime
from typing import Any

from allauth.account.models import EmailAddress
from allauth.mfa.models import Authenticator
from allauth.usersessions.models import UserSession
from django.db import connection, models, transaction

from partnerships.models import (
    CommissionerProfile,
    ForumJoinRequest,
    ForumMembership,
    Invitation,
    Membership,
    RequestStatus,
)

from . import registry
from .models import AuditEvent, DataExport, ExportStatus

Row = dict[str, Any]


# --- Export sections ------------------------------------------------------------------


def export_profile(user: Any) -> list[Row]:
    emails = EmailAddress.objects.filter(user_id=user.pk).order_by("-primary", "email")
    return [
        {
            "email": user.email,
            "full_name": user.full_name,
            "date_joined": user.date_joined,
            "last_login": user.last_login,
            "is_site_staff": user.is_staff,
            "email_addresses": "; ".join(
                f"{e.email} ({'verified' if e.verified else 'not verified'}"
                f"{', primary' if e.primary else ''})"
                for e in emails
            ),
        }
    ]


def export_memberships(user: Any) -> list[Row]:
    return [
        {
            "organisation": m.organisation.name,
            "role": m.get_role_display(),
            "administers_organisation": m.is_admin,
            "joined_at": m.joined_at,
        }
        for m in Membership.objects.filter(user=user).select_related("organisation")
    ]


def export_forum_memberships(user: Any) -> list[Row]:
    return [
        {
            "forum": fm.forum.name,
            "place": fm.forum.place.name,
            "role": fm.get_role_display(),
            "reminders_enabled": fm.reminders_enabled,
            "joined_at": fm.joined_at,
        }
        for fm in ForumMembership.objects.filter(user=user).select_related("forum__place")
    ]


def export_join_requests(user: Any) -> list[Row]:
    return [
        {
            "forum": jr.forum.name,
            "message": jr.message,
            "status": jr.get_status_display(),
            "asked_at": jr.created_at,
            "decided_at": jr.decided_at,
        }
        for jr in ForumJoinRequest.objects.filter(user=user).select_related("forum")
    ]


def export_invitations(user: Any) -> list[Row]:
    """Invitations to this person, and invitations they sent (without the other
    person's address: that is someone else's data)."""
    received = Invitation.objects.filter(email__iexact=user.email).select_related(
        "organisation", "forum"
    )
    sent = Invitation.objects.filter(invited_by=user).select_related("organisation", "forum")
    return [
        {
            "direction": "received",
            "to_join": str(inv.target),
            "created_at": inv.created_at,
            "accepted_at": inv.accepted_at,
        }
        for inv in received
    ] + [
        {
            "direction": "sent",
            "to_join": str(inv.target),
            "created_at": inv.created_at,
            "accepted_at": inv.accepted_at,
        }
        for inv in sent
    ]


def export_commissioner_profile(user: Any) -> list[Row]:
    profile = (
        CommissionerProfile.objects.filter(user=user)
        .select_related("organisation")
        .prefetch_related("places", "specialisms")
        .first()
    )
    if profile is None:
        return []
    return [
        {
            "organisation": profile.organisation.name,
            "job_title": profile.job_title,
            "contact_email": profile.public_email,
            "contact_phone": profile.public_phone,
            "availability": profile.availability,
            "what_you_fund_and_why": profile.about,
            "places": "; ".join(p.name for p in profile.places.all()),
            "specialisms": "; ".join(s.name for s in profile.specialisms.all()),
        }
    ]


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


def erase_invitations(user: Any) -> int:
    """Invitations to the person's address, and those they sent that were never used."""
    to_them = Invitation.objects.filter(email__iexact=user.email).delete()[0]
    unused = Invitation.objects.filter(invited_by=user, accepted_at__isnull=True).delete()[0]
    return int(to_them + unused)


def erase_forum_join_requests(user: Any) -> int:
    return int(ForumJoinRequest.objects.filter(user=user).delete()[0])


def erase_forum_memberships(user: Any) -> int:
    return int(ForumMembership.objects.filter(user=user).delete()[0])


def erase_memberships(user: Any) -> int:
    return int(Membership.objects.filter(user=user).delete()[0])


def erase_commissioner_profile(user: Any) -> int:
    return int(CommissionerProfile.objects.filter(user=user).delete()[0])


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


def purge_unaccepted_invitations(*, cutoff: datetime.datetime, now: datetime.datetime) -> int:
    return int(
        Invitation.objects.filter(accepted_at__isnull=True, created_at__lt=cutoff).delete()[0]
    )


def purge_decided_join_requests(*, cutoff: datetime.datetime, now: datetime.datetime) -> int:
    decided = ForumJoinRequest.objects.exclude(status=RequestStatus.PENDING)
    return int(decided.filter(decided_at__lt=cutoff).delete()[0])


def register() -> None:
    r = registry
    r.register_export_section(
        "profile", export_profile, description="Your name, email addresses and sign-up date."
    )
    r.register_export_section(
        "organisation_memberships",
        export_memberships,
        description="The organisations you belong to and your role in each.",
    )
    r.register_export_section(
        "forum_memberships",
        export_forum_memberships,
        description="The forums you belong to, your role and your reminder choice.",
    )
    r.register_export_section(
        "forum_join_requests",
        export_join_requests,
        description="Your requests to join forums, with the message you sent.",
    )
    r.register_export_section(
        "invitations",
        export_invitations,
        description="Invitations you received and sent (without other people's addresses).",
    )
    r.register_export_section(
        "commissioner_profile",
        export_commissioner_profile,
        description="Your public commissioner profile, if you have one.",
    )
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
        erase_invitations,
        description="Invitations sent to you, and unused invitations you sent, are deleted.",
    )
    r.register_erasure_step(
        erase_forum_join_requests, description="Your requests to join forums are deleted."
    )
    r.register_erasure_step(
        erase_forum_memberships, description="You leave every forum you belong to."
    )
    r.register_erasure_step(
        erase_memberships, description="You leave every organisation you belong to."
    )
    r.register_erasure_step(
        erase_commissioner_profile, description="Your public commissioner profile is deleted."
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
    r.register_retention_rule(
        "unaccepted_invitations",
        purge_unaccepted_invitations,
        description="Invitations nobody accepted, with the address they were sent to.",
    )
    r.register_retention_rule(
        "decided_join_requests",
        purge_decided_join_requests,
        description="Requests to join a forum, once a facilitator has answered them.",
    )
