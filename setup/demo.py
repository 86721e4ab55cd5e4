"""Demo set-up: a place and an organisation waiting for a decision, what two organisations
do, and each place's self-assessment (matching the level it already shows). Idempotent."""

from __future__ import annotations

import datetime

from django.utils import timezone

from partnerships.models import ForumMembership, Organisation, Place, User, Weekday

from .models import EngagementAssessment, OrganisationProposal, PlaceProposal

WHAT_WE_DO = {
    "harbour-recovery-project": "Drop-in support, peer mentoring and recovery groups, seven "
    "days a week.",
    "plymouth-street-outreach": "Night and day outreach to people sleeping rough, and help "
    "into housing.",
}

REASONS = {
    "high": "Partners pool budgets, and commissioners come to every forum to listen.",
    "medium": "We meet every week and share learning, but funding still comes project by project.",
    "low": "We have started to meet; most organisations still work on their own.",
}


def load() -> None:
    worker = User.objects.filter(email="worker@demo.hls-forum.localhost").first()
    volunteer = User.objects.filter(email="volunteer@demo.hls-forum.localhost").first()
    if worker is not None:
        PlaceProposal.objects.get_or_create(
            proposer=worker,
            name="Torbay",
            defaults={
                "county": "Devon",
                "forum_name": "Torbay Together",
                "forum_weekday": Weekday.WEDNESDAY,
                "forum_venue": "Paignton library",
                "why": "Recovery and housing partners in Torquay and Paignton want to meet.",
            },
        )
    preston = Place.objects.filter(slug="preston").first()
    if volunteer is not None and preston is not None:
        OrganisationProposal.objects.get_or_create(
            proposer=volunteer,
            name="Preston Men's Shed",
            defaults={
                "place": preston,
                "sector": "vcs",
                "what_we_do": "A workshop where men meet, make things and look out for each other.",
            },
        )
    for slug, text in WHAT_WE_DO.items():
        Organisation.objects.filter(slug=slug, what_we_do="").update(what_we_do=text)
    now = timezone.now()
    for place in Place.objects.filter(slug__in=["plymouth", "preston", "scarborough"]):
        member = (
            ForumMembership.objects.filter(forum__place=place)
            .order_by("-role", "pk")
            .values_list("user", flat=True)
            .first()
        )
        EngagementAssessment.objects.get_or_create(
            place=place,
            reasons=REASONS[place.engagement_level],
            defaults={
                "recorded_by_id": member,
                "level": place.engagement_level,
                "practice": place.current_practice or "Not described yet.",
                "created_at": now - datetime.timedelta(days=30),
            },
        )
