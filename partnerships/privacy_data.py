"""The data partnerships hold about a person, plugged into privacy's registries: what
goes into their copy, what erasure removes, and how long things are kept."""

from __future__ import annotations

import datetime
from typing import Any

from allauth.account.models import EmailAddress
from django.db.models import Count, Q

from privacy import registry

from .models import (
    CommissionerProfile,
    ForumJoinRequest,
    ForumMembership,
    ForumRole,
    Invitation,
    Membership,
    MembershipRole,
    RequestStatus,
)

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


# --- Erasure steps ------------------------------------------------------------------


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


# --- Erasure warnings ----------------------------------------------------------------


def warn_sole_leads_and_facilitators(user: Any) -> list[str]:
    """Things others rely on that would be left without a person in charge."""
    warnings = []
    lead = Q(role=MembershipRole.LEAD) | Q(is_admin=True)
    led = Membership.objects.filter(lead, user=user).values("organisation_id")
    for m in (
        Membership.objects.filter(organisation_id__in=led)
        .filter(lead)
        .values("organisation__name")
        .annotate(leads=Count("pk"))
        .filter(leads=1)
    ):
        warnings.append(
            f"You are the only lead of {m['organisation__name']}. Ask a colleague to take over "
            "first, or nobody will be able to invite people to it."
        )
    facilitated = ForumMembership.objects.filter(user=user, role=ForumRole.FACILITATOR).values(
        "forum_id"
    )
    for fm in (
        ForumMembership.objects.filter(forum_id__in=facilitated, role=ForumRole.FACILITATOR)
        .values("forum__name")
        .annotate(facilitators=Count("pk"))
        .filter(facilitators=1)
    ):
        warnings.append(
            f"You are the only facilitator of {fm['forum__name']}. Ask someone to take over first."
        )
    return warnings


# --- Retention rules ---------------------------------------------------------------


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
    r.register_erasure_warning(warn_sole_leads_and_facilitators)
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
