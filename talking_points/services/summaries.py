"""Closing a session and reading it back: voice balance, the summary and its email."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

from django.db import transaction
from django.db.models import (
    Count,
    Exists,
    F,
    OuterRef,
    Prefetch,
    prefetch_related_objects,
)
from django.utils import timezone

from hls_forum.queue import enqueue_after_commit
from outbox import services as outbox
from outbox.models import DeliveryKind
from partnerships.models import (
    Sector,
    User,
)

from .. import extensions
from ..models import (
    AgendaItem,
    AgendaItemStatus,
    Attendance,
    Contribution,
    Decision,
    LearningEntry,
    LearningLink,
    Session,
    SessionStatus,
    SummaryVisibility,
)
from .sessions import SessionError, bump_version, next_version


def session_close(*, session: Session, by: User) -> Session | None:
    """Close a live session.

    The item being discussed counts as discussed; items not reached carry over, in order,
    to the front of the forum's next planned session (created at the forum's regular slot
    if there is none). The summary email is queued after commit.

    Guarantee: closing twice closes once (the second gets a SessionError). Returns the
    session the unfinished items went to, or None.
    """
    from ..tasks import send_session_summary

    with transaction.atomic():
        now = timezone.now()
        updated = Session.objects.filter(pk=session.pk, status=SessionStatus.LIVE).update(
            status=SessionStatus.CLOSED,
            closed_at=now,
            current_item=None,
            round_robin=False,
            round_robin_turn=None,
            version=next_version(session.pk),
        )
        if updated != 1:
            raise SessionError("This session is not live, so it cannot be closed.")
        AgendaItem.objects.filter(session_id=session.pk, status=AgendaItemStatus.CURRENT).update(
            status=AgendaItemStatus.DONE, ended_at=now
        )
        unfinished = list(
            AgendaItem.objects.filter(
                session_id=session.pk, status=AgendaItemStatus.PENDING
            ).order_by("position", "pk")
        )
        next_session = None
        if unfinished:
            forum = session.forum
            next_session = (
                Session.objects.select_for_update()
                .filter(forum=forum, status=SessionStatus.PLANNED, starts_at__gt=session.starts_at)
                .order_by("starts_at")
                .first()
            )
            if next_session is None:
                next_session = Session.objects.create(
                    forum=forum,
                    starts_at=forum.next_meeting(after=max(now, session.starts_at)),
                    venue=forum.venue,
                    online_link=forum.online_link,
                    created_by=by,
                )
            # Unfinished business goes first.
            next_session.agenda_items.update(position=F("position") + len(unfinished))
            AgendaItem.objects.bulk_create(
                AgendaItem(
                    session=next_session,
                    talking_point_id=item.talking_point_id,
                    time_box_minutes=item.time_box_minutes,
                    position=i,
                    carried_from=item,
                )
                for i, item in enumerate(unfinished, start=1)
            )
            AgendaItem.objects.filter(pk__in=[item.pk for item in unfinished]).update(
                status=AgendaItemStatus.CARRIED_OVER
            )
            bump_version(next_session.pk)
        # The rows exist exactly when the close does; the task sends them, and the outbox's
        # sweep queues any a lost task left behind.
        _summary_rows(session)
        enqueue_after_commit(send_session_summary, session_id=session.pk)
    session.refresh_from_db()
    return next_session


def session_publish(*, session: Session, visibility: str, by: User) -> None:
    """Choose who may read a closed session's summary (members, place or public)."""
    if visibility not in SummaryVisibility.values:
        raise SessionError("Choose who may read the summary.")
    held = visibility != SummaryVisibility.MEMBERS and extensions.publish_hold(session)
    if held:
        raise SessionError(held)
    published_at = None if visibility == SummaryVisibility.MEMBERS else timezone.now()
    updated = Session.objects.filter(pk=session.pk, status=SessionStatus.CLOSED).update(
        summary_visibility=visibility, summary_published_at=published_at
    )
    if updated != 1:
        raise SessionError("Only a closed session's summary can be published.")
    # Who may read the session (and its decisions and actions) changed: no cached fragment
    # may keep showing them to someone who may no longer see them.


# Reading a session: voice balance and summary -------------------------------------


@dataclass
class VoiceCount:
    label: str
    count: int
    share: int  # per cent of all shown contributions


@dataclass
class VoiceBalance:
    """Who has spoken, so "it is not the loudest voice that takes control"."""

    total: int = 0
    anonymous: int = 0
    by_organisation: list[VoiceCount] = field(default_factory=list)
    by_sector: list[VoiceCount] = field(default_factory=list)
    not_heard: list[str] = field(default_factory=list)


def _share(count: int, total: int) -> int:
    return round(100 * count / total) if total else 0


# The label guests (people without an account) are counted under, as an organisation would be.
GUESTS = "Guests"


def voice_balance(session: Session) -> VoiceBalance:
    """Shown contributions per organisation and per sector; anonymous counted apart;
    organisations at the table not heard yet. Two queries, whatever the size."""
    rows = (
        Contribution.objects.shown()
        .filter(session_id=session.pk)
        .values("is_anonymous", "is_guest", "organisation_name", "sector")
        .annotate(n=Count("pk"))
        .order_by()
    )
    sectors = dict(Sector.choices)
    by_org: dict[str, int] = defaultdict(int)
    by_sector: dict[str, int] = defaultdict(int)
    balance = VoiceBalance()
    for row in rows:
        balance.total += row["n"]
        if row["is_guest"]:  # guests, named or anonymous, are one group of voices
            by_org[GUESTS] += row["n"]
            by_sector[GUESTS] += row["n"]
            continue
        if row["is_anonymous"]:
            balance.anonymous += row["n"]
            continue
        by_org[row["organisation_name"] or "No organisation"] += row["n"]
        by_sector[sectors.get(row["sector"], "No sector")] += row["n"]
    balance.by_organisation = [
        VoiceCount(label, n, _share(n, balance.total))
        for label, n in sorted(by_org.items(), key=lambda kv: (-kv[1], kv[0]))
    ]
    balance.by_sector = [
        VoiceCount(label, n, _share(n, balance.total))
        for label, n in sorted(by_sector.items(), key=lambda kv: (-kv[1], kv[0]))
    ]
    at_table = (
        Attendance.objects.filter(session_id=session.pk)
        .exclude(organisation_name="")
        .values_list("organisation_name", flat=True)
        .distinct()
        .order_by("organisation_name")
    )
    balance.not_heard = [name for name in at_table if name not in by_org]
    return balance


@dataclass
class AgendaEntry:
    item: AgendaItem
    contributions: list[Contribution]
    hidden_count: int


def agenda_with_contributions(session: Session, *, include_hidden: bool) -> list[AgendaEntry]:
    """The agenda in order with each item's contributions. Two queries."""
    items = list(session.agenda_items.select_related("talking_point").order_by("position", "pk"))
    grouped: dict[int, list[Contribution]] = defaultdict(list)
    hidden: dict[int, int] = defaultdict(int)
    for contribution in Contribution.objects.filter(session_id=session.pk).order_by("pk"):
        if contribution.is_hidden:
            hidden[contribution.agenda_item_id] += 1
            if not include_hidden:
                continue
        grouped[contribution.agenda_item_id].append(contribution)
    return [AgendaEntry(item, grouped[item.pk], hidden[item.pk]) for item in items]


def linked_learning_prefetch(viewer: Any) -> Prefetch:
    """For a list of decisions: the learning entries linked to each that ``viewer`` may see,
    as ``visible_learning_links`` (what the ``linked_learning`` tag shows). One query."""
    return Prefetch(
        "learning_links",
        queryset=LearningLink.objects.filter(LearningEntry.objects.visible_at(viewer, "entry_id"))
        .select_related("entry__organisation")
        .order_by("-entry__created_at", "-entry_id"),
        to_attr="visible_learning_links",
    )


def decisions_for(session: Session, viewer: Any) -> list[Decision]:
    """The session's decisions, each with ``visible_entries`` (the learning it rests on)
    and ``visible_learning_links`` (learning linked to it), both only what ``viewer`` may
    see (a decision may rest on an entry shared with few). At most four queries: one while
    the session has no decisions, two while none of them rests on or links to learning."""
    decisions: list[Decision] = list(
        session.decisions.annotate(
            has_learning=Exists(
                Decision.rests_on.through.objects.filter(decision_id=OuterRef("pk"))
            )
            | Exists(LearningLink.objects.filter(decision_id=OuterRef("pk")))
        ).order_by("created_at", "pk")
    )
    if not decisions:
        return decisions
    prefetch_related_objects(decisions, "at_the_table")
    with_learning = [d for d in decisions if d.has_learning]  # type: ignore[attr-defined]
    for decision in decisions:
        if not decision.has_learning:  # type: ignore[attr-defined]
            # (Not on the others: prefetch_related_objects skips what is already set.)
            decision.visible_entries = []  # type: ignore[attr-defined]
            decision.visible_learning_links = []  # type: ignore[attr-defined]
    if with_learning:
        visible = LearningEntry.objects.visible_to(viewer)
        prefetch_related_objects(
            with_learning,
            Prefetch("rests_on", queryset=visible.order_by("title"), to_attr="visible_entries"),
            linked_learning_prefetch(viewer),
        )
    return decisions


def session_summary_context(session: Session, viewer: Any) -> dict[str, Any]:
    """Everything the summary page and email show. A fixed number of queries."""
    agenda = agenda_with_contributions(session, include_hidden=False)
    return {
        "session": session,
        "agenda": agenda,
        "discussed": [e for e in agenda if e.item.status == "done"],
        "carried": [e for e in agenda if e.item.status == "carried"],
        "attendances": list(session.attendances.all()),
        "decisions": decisions_for(session, viewer),
        "actions": list(session.actions.select_related("decision").order_by("pk")),
        "balance": voice_balance(session),
        "contribution_count": sum(len(e.contributions) for e in agenda),
        "hidden_count": sum(e.hidden_count for e in agenda),
    }


def _summary_rows(session: Session) -> list[int]:
    """The outbox rows of the session's summary, one per attendee with an account, made
    if missing; returns those still waiting to be sent."""
    recipients = session.attendances.filter(user__isnull=False).values_list("user_id", flat=True)
    return outbox.deliveries_create(
        kind=DeliveryKind.SUMMARY,
        recipient_ids=[pk for pk in recipients if pk is not None],
        about_id=session.pk,
        forum_id=session.forum_id,
    )


def session_summary_send(*, session_id: int) -> int:
    """Email the summary of a closed session to each attendee who has an account, through
    the outbox (one row per attendee). Returns how many were sent now.

    Guarantee: at most one summary per attendee. Each row is claimed before sending; one
    attendee's failure never holds up the others; a send whose end-of-message reply was
    lost is marked unknown and never resent automatically (staff decide).
    """
    session = Session.objects.filter(pk=session_id, status=SessionStatus.CLOSED).first()
    if session is None:
        return 0
    return outbox.deliveries_send_now(_summary_rows(session))
