"""What set-up holds about a person, plugged into the privacy registries: their proposals
(deleted with their account) and the assessments they recorded (kept by the place, no
longer linked to them)."""

from __future__ import annotations

from typing import Any

from privacy import registry

from .models import EngagementAssessment, OrganisationProposal, PlaceProposal

Row = dict[str, Any]


def export_proposals(user: Any) -> list[Row]:
    rows: list[Row] = [
        {
            "kind": "place",
            "name": p.name,
            "details": f"{p.forum_name}: {p.why}",
            "status": p.get_status_display(),
            "reason": p.reason,
            "created_at": p.created_at,
        }
        for p in PlaceProposal.objects.filter(proposer=user).order_by("created_at", "pk")
    ]
    rows += [
        {
            "kind": "organisation",
            "name": p.name,
            "details": p.what_we_do,
            "status": p.get_status_display(),
            "reason": p.reason,
            "created_at": p.created_at,
        }
        for p in OrganisationProposal.objects.filter(proposer=user).order_by("created_at", "pk")
    ]
    return rows


def export_assessments(user: Any) -> list[Row]:
    return [
        {
            "place": a.place.name,
            "level": a.get_level_display(),
            "practice": a.practice,
            "reasons": a.reasons,
            "created_at": a.created_at,
        }
        for a in EngagementAssessment.objects.filter(recorded_by=user)
        .select_related("place")
        .order_by("created_at", "pk")
    ]


def erase_proposals(user: Any) -> int:
    deleted = PlaceProposal.objects.filter(proposer=user).delete()[0]
    return deleted + OrganisationProposal.objects.filter(proposer=user).delete()[0]


def erase_assessment_authorship(user: Any) -> int:
    return EngagementAssessment.objects.filter(recorded_by=user).update(recorded_by=None)


def register() -> None:
    registry.register_export_section(
        "setup_proposals",
        export_proposals,
        description="Places and organisations you proposed, and the answers.",
    )
    registry.register_export_section(
        "engagement_assessments",
        export_assessments,
        description="Assessments you recorded of where a place's partnership is.",
    )
    registry.register_erasure_step(
        erase_proposals,
        name="setup_proposals",
        description="Places and organisations you proposed are deleted (the ones set up stay).",
    )
    registry.register_erasure_step(
        erase_assessment_authorship,
        name="engagement_assessments",
        description="Assessments you recorded of a place's partnership stay with the place, "
        "no longer linked to you.",
    )
