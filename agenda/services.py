"""Writes for the shared agenda, the facilitator rota and summary corrections.

Callers have already checked who may act (``permissions``); each service checks the state
of what it changes, under a lock or a conditional update, and raises ``AgendaError`` with a
plain sentence when the change cannot be made.
"""

from __future__ import annotations

import datetime
from typing import Any

from django.db import transaction
from django.utils import timezone

from outbox import services as outbox
from outbox.models import DeliveryKind
from partnerships.models import Forum, ForumMembership, User
from talking_points import services as sessions
from talking_points.models import (
    Action,
    AgendaItem,
    Attendance,
    Decision,
    Session,
    SessionStatus,
    TalkingPoint,
)
from talking_points.services.sessions import bump_version

from .models import (
    NOTICE_DAYS,
    AgendaSettings,
    Correction,
    CorrectionStatus,
    Proposal,
    ProposalStatus,
    RotaTurn,
    RotaVolunteer,
    correction_window_ends,
)


class AgendaError(Exception):
    """The change cannot be made; the message says why in plain English."""


def settings_for(forum: Forum) -> AgendaSettings:
    """The forum's settings; defaults (not saved) when it has never changed them."""
    found = AgendaSettings.objects.filter(forum=forum).first()
    return found or AgendaSettings(forum=forum)


def settings_update(*, forum: Forum, rota_on: bool, correction_days: int) -> AgendaSettings:
    with transaction.atomic():
        found, _ = AgendaSettings.objects.update_or_create(
            forum=forum, defaults={"rota_on": rota_on, "correction_days": correction_days}
        )
        if rota_on:
            rota_assign(forum=forum)
    return found


# --- Proposals --------------------------------------------------------------------------


def is_coming(session: Session, now: datetime.datetime | None = None) -> bool:
    return session.status == SessionStatus.PLANNED and session.starts_at > (now or timezone.now())


def proposal_create(
    *, session: Session, by: User, talking_point: TalkingPoint | None, text: str, why: str
) -> Proposal:
    """A member proposes a talking point, or an item in their own words, for a coming
    session. Precondition: ``by`` is a member of the session's forum."""
    text, why = text.strip(), why.strip()
    if (talking_point is None) == (not text):
        raise AgendaError("Choose a talking point or write your own item, not both.")
    if not why:
        raise AgendaError("Say in a line why the forum should talk about it.")
    if talking_point is not None and not (
        TalkingPoint.objects.active_for_forum(session.forum).filter(pk=talking_point.pk).exists()
    ):
        raise AgendaError("Choose one of this forum's talking points.")
    if not is_coming(session):
        raise AgendaError("Items can only be proposed for a session that has not started.")
    return Proposal.objects.create(
        session=session,
        proposed_by=by,
        proposer_name=by.get_full_name() or by.email,
        talking_point=talking_point,
        text=text,
        why=why,
    )


def _decide(proposal: Proposal, by: User, **changes: Any) -> None:
    updated = Proposal.objects.filter(pk=proposal.pk, status=ProposalStatus.PENDING).update(
        decided_by=by, decided_at=timezone.now(), **changes
    )
    if updated != 1:
        raise AgendaError("This proposal has already been answered.")
    proposal.refresh_from_db()


def proposal_accept(*, proposal: Proposal, by: User, time_box_minutes: int) -> AgendaItem:
    """Add the proposal to its session's agenda: its talking point, or (for an item in the
    proposer's own words) a new talking point of the forum's own."""
    session = proposal.session
    if not is_coming(session):
        raise AgendaError("The session has started, so its agenda is no longer open to proposals.")
    with transaction.atomic():
        locked = Proposal.objects.select_for_update().filter(pk=proposal.pk).first()
        if locked is None or not locked.is_pending:
            raise AgendaError("This proposal has already been answered.")
        try:
            point = proposal.talking_point or sessions.talking_point_add(
                forum=session.forum, text=proposal.text, by=by
            )
            item = sessions.agenda_item_add(
                session=session, talking_point=point, time_box_minutes=time_box_minutes
            )
        except sessions.SessionError as exc:
            raise AgendaError(str(exc)) from exc
        _decide(proposal, by, status=ProposalStatus.ACCEPTED, agenda_item=item)
    return item


def proposal_merge(*, proposal: Proposal, by: User, agenda_item: AgendaItem, reason: str) -> None:
    """Join the proposal with an item already on the session's agenda."""
    if agenda_item.session_id != proposal.session_id:
        raise AgendaError("Choose an item on this session's agenda.")
    _decide(
        proposal, by, status=ProposalStatus.MERGED, agenda_item=agenda_item, reason=reason.strip()
    )


def proposal_decline(*, proposal: Proposal, by: User, reason: str) -> None:
    reason = reason.strip()
    if not reason:
        raise AgendaError("Give the reason, so the person who proposed it knows why.")
    _decide(proposal, by, status=ProposalStatus.DECLINED, reason=reason)


# --- The facilitator rota -----------------------------------------------------------------


def rota_volunteer(*, forum: Forum, user: User, willing: bool) -> None:
    """A member says they will (or no longer will) take a turn. Turns already given to them
    stay until a facilitator changes them; later sessions are shared among the others."""
    if willing:
        RotaVolunteer.objects.get_or_create(forum=forum, user=user)
        if settings_for(forum).rota_on:
            rota_assign(forum=forum)
    else:
        RotaVolunteer.objects.filter(forum=forum, user=user).delete()


def _willing(forum: Forum) -> list[int]:
    """Volunteers who are still members, in the order they joined the rota."""
    members = ForumMembership.objects.filter(forum=forum).values("user_id")
    return list(
        RotaVolunteer.objects.filter(forum=forum, user_id__in=members)
        .order_by("since", "pk")
        .values_list("user_id", flat=True)
    )


def _after(order: list[int], user_id: int | None) -> int:
    if user_id not in order:
        return order[0]
    return order[(order.index(user_id) + 1) % len(order)]


def rota_assign(*, forum: Forum, now: datetime.datetime | None = None) -> int:
    """Give each coming session of the forum that has no facilitator on the rota the next
    willing member, in turn after whoever had the one before. Returns how many were given.

    Idempotent: a session keeps its turn once given (the session row is the unique key).
    """
    now = now or timezone.now()
    order = _willing(forum)
    if not order:
        return 0
    with transaction.atomic():
        Forum.objects.select_for_update().filter(pk=forum.pk).first()
        last = (
            RotaTurn.objects.filter(session__forum=forum)
            .order_by("-session__starts_at", "-pk")
            .values_list("user_id", flat=True)
            .first()
        )
        coming = Session.objects.filter(
            forum=forum, status=SessionStatus.PLANNED, starts_at__gt=now, rota_turn__isnull=True
        ).order_by("starts_at", "pk")
        made = []
        for session in coming:
            last = _after(order, last)
            made.append(RotaTurn(session=session, user_id=last))
        RotaTurn.objects.bulk_create(made, ignore_conflicts=True)
    return len(made)


def rota_change(*, session: Session, user: User) -> RotaTurn:
    """Swap: give a coming session's turn to another willing member."""
    if not is_coming(session):
        raise AgendaError("Only a session that has not started can change hands.")
    if user.pk not in _willing(session.forum):
        raise AgendaError("Choose a member who has said they are willing to facilitate.")
    turn, _ = RotaTurn.objects.update_or_create(
        session=session, defaults={"user": user, "assigned_at": timezone.now()}
    )
    return turn


def rota_skip(*, session: Session) -> RotaTurn:
    """Skip whoever has this session's turn: it goes to the next willing member."""
    current = RotaTurn.objects.filter(session=session).values_list("user_id", flat=True).first()
    order = [pk for pk in _willing(session.forum) if pk != current]
    if not order:
        raise AgendaError("Nobody else has said they are willing to facilitate.")
    everyone = _willing(session.forum)
    following = _after(everyone, current)
    return rota_change(session=session, user=User.objects.get(pk=following))


def rota_notify_due(*, now: datetime.datetime | None = None) -> int:
    """For every forum taking turns: give coming sessions their facilitator, then queue the
    email telling each person whose turn is within a week. Returns the rows made now.

    Idempotent: the outbox keeps one row per (session, person), so running this again, or
    twice at once, never emails anyone twice about the same session; someone handed a
    turn by a swap gets their own email.
    """
    now = now or timezone.now()
    forums = Forum.objects.filter(agenda_settings__rota_on=True)
    for forum in forums:
        rota_assign(forum=forum, now=now)
    due = RotaTurn.objects.filter(
        session__forum__agenda_settings__rota_on=True,
        session__status=SessionStatus.PLANNED,
        session__starts_at__gt=now,
        session__starts_at__lte=now + datetime.timedelta(days=NOTICE_DAYS),
    ).values_list("session_id", "session__forum_id", "user_id")
    made = 0
    for session_id, forum_id, user_id in due:
        with transaction.atomic():
            made += len(
                outbox.deliveries_queue(
                    kind=DeliveryKind.ROTA,
                    recipient_ids=[user_id],
                    about_id=session_id,
                    forum_id=forum_id,
                    now=now,
                )
            )
    return made


# --- Corrections to a summary ---------------------------------------------------------


def window_ends(session: Session) -> datetime.datetime | None:
    return correction_window_ends(session, settings_for(session.forum).correction_days)


def window_open(session: Session, now: datetime.datetime | None = None) -> bool:
    ends = window_ends(session)
    return session.is_closed and ends is not None and (now or timezone.now()) < ends


def correction_targets(session: Session) -> list[tuple[str, str]]:
    """What in the summary can be corrected: its decisions and actions, as choices."""
    choices = [
        (f"decision-{d.pk}", f"Decision: {d.text[:120]}")
        for d in Decision.objects.filter(session=session).order_by("created_at", "pk")
    ]
    choices += [
        (f"action-{a.pk}", f"Action: {a.text[:120]}")
        for a in Action.objects.filter(session=session).order_by("pk")
    ]
    return choices


def correction_create(
    *, session: Session, by: User, target: str, proposed_text: str, why: str
) -> Correction:
    """An attendee suggests how a decision or action should read, while the window is open."""
    proposed_text, why = proposed_text.strip(), why.strip()
    if not Attendance.objects.filter(session=session, user=by).exists():
        raise AgendaError("Only people who were at the session can suggest corrections.")
    if not window_open(session):
        raise AgendaError("The time for suggesting corrections to this summary has ended.")
    if not proposed_text or not why:
        raise AgendaError("Write what it should say and why.")
    kind, _, pk = target.partition("-")
    thing: Decision | Action | None = None
    if pk.isdigit() and kind == "decision":
        thing = Decision.objects.filter(session=session, pk=int(pk)).first()
    elif pk.isdigit() and kind == "action":
        thing = Action.objects.filter(session=session, pk=int(pk)).first()
    if thing is None:
        raise AgendaError("Choose a decision or an action of this session.")
    if thing.text == proposed_text:
        raise AgendaError("That is what it says already.")
    return Correction.objects.create(
        session=session,
        suggested_by=by,
        suggester_name=by.get_full_name() or by.email,
        decision=thing if isinstance(thing, Decision) else None,
        action=thing if isinstance(thing, Action) else None,
        current_text=thing.text,
        proposed_text=proposed_text,
        why=why,
    )


def _answer(correction: Correction, by: User, status: str, answer: str) -> None:
    updated = Correction.objects.filter(pk=correction.pk, status=CorrectionStatus.PENDING).update(
        status=status, answer=answer, answered_by=by, answered_at=timezone.now()
    )
    if updated != 1:
        raise AgendaError("This suggestion has already been answered.")
    correction.refresh_from_db()


def correction_accept(*, correction: Correction, by: User, answer: str = "") -> None:
    """Apply the suggested text, if the decision or action still reads as it did."""
    model: Any = Decision if correction.decision_id else Action
    pk = correction.decision_id or correction.action_id
    with transaction.atomic():
        changed = model.objects.filter(pk=pk, text=correction.current_text).update(
            text=correction.proposed_text
        )
        if changed != 1:
            raise AgendaError(
                "It has changed since the suggestion was made. Explain instead, or ask for "
                "a new suggestion."
            )
        _answer(correction, by, CorrectionStatus.ACCEPTED, answer.strip())
        bump_version(correction.session_id)


def correction_decline(*, correction: Correction, by: User, answer: str) -> None:
    answer = answer.strip()
    if not answer:
        raise AgendaError("Explain why, so the person who suggested it knows.")
    _answer(correction, by, CorrectionStatus.DECLINED, answer)


def publish_hold(session: Session) -> str:
    """Why the summary cannot be shared beyond the forum yet, or ``""``: a suggested
    correction is waiting for the facilitator's answer."""
    waiting = Correction.objects.filter(session=session, status=CorrectionStatus.PENDING).count()
    if not waiting:
        return ""
    return (
        f"{waiting} suggested correction{'s' if waiting != 1 else ''} to this summary "
        f"{'are' if waiting != 1 else 'is'} waiting for an answer. Answer "
        f"{'them' if waiting != 1 else 'it'} first, then share the summary."
    )
