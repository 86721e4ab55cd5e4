"""Demo data for the shared agenda, in Plymouth: proposals for the coming session, a
facilitator rota, and a correction answered on the last summary."""

from __future__ import annotations

from django.utils import timezone

from partnerships.models import Forum, User
from talking_points.models import Decision, Session, SessionStatus, TalkingPoint

from .models import AgendaSettings, Correction, CorrectionStatus, Proposal, ProposalStatus
from .services import rota_assign, rota_volunteer

DEMO = "@demo.hls-forum.localhost"


def _user(name: str) -> User:
    return User.objects.get(email=f"{name}{DEMO}")


def load() -> None:
    forum = Forum.objects.filter(slug="plymouth-alliance-forum").first()
    if forum is None or AgendaSettings.objects.filter(forum=forum).exists():
        return
    AgendaSettings.objects.create(forum=forum, rota_on=True)
    for name in ("facilitator", "lead", "worker"):
        rota_volunteer(forum=forum, user=_user(name), willing=True)
    rota_assign(forum=forum)
    coming = (
        Session.objects.filter(forum=forum, status=SessionStatus.PLANNED)
        .order_by("starts_at")
        .first()
    )
    facilitator, worker, volunteer = _user("facilitator"), _user("worker"), _user("volunteer")
    now = timezone.now()
    if coming is not None:
        Proposal.objects.create(
            session=coming,
            proposed_by=worker,
            proposer_name=worker.get_full_name(),
            text="Sharing one building between three services",
            why="Two of us lose our premises in the spring.",
        )
        Proposal.objects.create(
            session=coming,
            proposed_by=volunteer,
            proposer_name=volunteer.get_full_name(),
            talking_point=TalkingPoint.objects.filter(forum__isnull=True, number="9").first(),
            why="We keep saying things are changing but cannot show it.",
            status=ProposalStatus.DECLINED,
            reason="The agenda is full; it goes first next month.",
            decided_by=facilitator,
            decided_at=now,
        )
    past = Session.objects.filter(forum=forum, status=SessionStatus.CLOSED).first()
    decision = Decision.objects.filter(session=past).order_by("pk").first() if past else None
    if past is not None and decision is not None:
        Correction.objects.create(
            session=past,
            suggested_by=worker,
            suggester_name=worker.get_full_name(),
            decision=decision,
            current_text=decision.text,
            proposed_text=decision.text.replace("one rotating seat", "two rotating seats"),
            why="I heard two seats agreed.",
            status=CorrectionStatus.DECLINED,
            answer="We agreed one seat, to review after a year.",
            answered_by=facilitator,
            answered_at=now,
        )
