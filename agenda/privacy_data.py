"""What the shared agenda holds about a person, for their copy and for erasure."""

from __future__ import annotations

from typing import Any

from privacy import registry

from .models import Correction, Proposal, RotaVolunteer

FORMER_MEMBER = "A former member"


def export_proposals(user: Any) -> list[dict[str, Any]]:
    rows = Proposal.objects.filter(proposed_by=user).select_related("session__forum")
    return [
        {
            "forum": p.session.forum.name,
            "session_starts_at": p.session.starts_at,
            "proposal": p.title,
            "why": p.why,
            "outcome": p.get_status_display(),
            "reason": p.reason,
            "created_at": p.created_at,
        }
        for p in rows.order_by("created_at", "pk").iterator()
    ]


def export_corrections(user: Any) -> list[dict[str, Any]]:
    rows = Correction.objects.filter(suggested_by=user).select_related("session__forum")
    return [
        {
            "forum": c.session.forum.name,
            "session_starts_at": c.session.starts_at,
            "text_then": c.current_text,
            "suggested_text": c.proposed_text,
            "why": c.why,
            "outcome": c.get_status_display(),
            "answer": c.answer,
            "created_at": c.created_at,
        }
        for c in rows.order_by("created_at", "pk").iterator()
    ]


def erase_agenda_authorship(user: Any) -> int:
    """Proposals and suggested corrections stay with the forum under "a former member"."""
    changed = Proposal.objects.filter(proposed_by=user).update(
        proposed_by=None, proposer_name=FORMER_MEMBER
    )
    changed += Correction.objects.filter(suggested_by=user).update(
        suggested_by=None, suggester_name=FORMER_MEMBER
    )
    deleted, _ = RotaVolunteer.objects.filter(user=user).delete()
    return changed + deleted


def register() -> None:
    registry.register_export_section(
        "agenda_proposals",
        export_proposals,
        description="What you proposed for forum sessions' agendas, and the answers.",
    )
    registry.register_export_section(
        "summary_corrections",
        export_corrections,
        description="Corrections you suggested to session summaries, and the answers.",
    )
    registry.register_erasure_step(
        erase_agenda_authorship,
        name="agenda_authorship",
        description="Your agenda proposals and suggested corrections stay with the forum "
        "under “a former member”; you leave any facilitator rota.",
    )
