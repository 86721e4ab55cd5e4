"""Writes in talking points that touch several rows or have side effects."""

from __future__ import annotations

import datetime
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.mail import EmailMultiAlternatives, send_mail
from django.db import IntegrityError, transaction
from django.db.models import (
    Count,
    Exists,
    F,
    Max,
    OuterRef,
    Prefetch,
    Q,
    prefetch_related_objects,
)
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.text import slugify

from hls_forum.queue import enqueue_after_commit
from partnerships.models import (
    CommissionerProfile,
    Forum,
    ForumMembership,
    Membership,
    Organisation,
    Place,
    Sector,
    User,
)
from privacy import audit
from privacy.models import AuditEventType

from .. import permissions
from ..models import (
    Action,
    ActionStatus,
    AgendaItem,
    AgendaItemStatus,
    Attendance,
    Contribution,
    Decision,
    LearningEntry,
    LearningKind,
    LearningLink,
    Review,
    ReviewKind,
    ReviewRead,
    Session,
    SessionStatus,
    StoryConsent,
    SummaryVisibility,
    Tag,
    TalkingPoint,
    TalkingPointRetirement,
    Visibility,
    VisibilityChange,
)
from ..models.sessions import MAX_CONTRIBUTION_CHARS, MAX_TIME_BOX_MINUTES

# --- Forum sessions ---------------------------------------------------------------
#
# Every service that changes what the live page shows bumps ``Session.version`` in the
# same transaction, so the live page's poll can answer "304 Not Modified" from one row.


class SessionError(Exception):
    """The change cannot be made; the message says why in plain English."""


def _next_version(session_id: int) -> Any:
    """``Session.version`` + 1 for an ``update()`` of the session row (the database moves
    it on any write too; see the migration that adds the triggers)."""
    return F("version") + 1


def _bump(session_id: int) -> None:
    Session.objects.filter(pk=session_id).update(version=_next_version(session_id))


def _check_time_box(minutes: int) -> None:
    if not 1 <= minutes <= MAX_TIME_BOX_MINUTES:
        raise SessionError(f"A time box must be between 1 and {MAX_TIME_BOX_MINUTES} minutes.")


# Talking points -------------------------------------------------------------------


def talking_point_add(*, forum: Forum, text: str, by: User) -> TalkingPoint:
    """Add a forum's own talking point, after the report's and the forum's earlier ones."""
    text = text.strip()
    if not text:
        raise SessionError("Write the talking point.")
    with transaction.atomic():
        last = TalkingPoint.objects.filter(forum=forum).aggregate(m=Max("sort_order"))["m"]
        return TalkingPoint.objects.create(
            forum=forum, text=text, created_by=by, sort_order=(last or 1000) + 1
        )


def talking_point_retire(*, forum: Forum, talking_point: TalkingPoint, by: User) -> None:
    """Retire a talking point for this forum only. Retiring twice is harmless."""
    if talking_point.forum_id not in (None, forum.pk):
        raise SessionError("That talking point belongs to another forum.")
    TalkingPointRetirement.objects.get_or_create(
        forum=forum, talking_point=talking_point, defaults={"retired_by": by}
    )


def talking_point_restore(*, forum: Forum, talking_point: TalkingPoint) -> None:
    TalkingPointRetirement.objects.filter(forum=forum, talking_point=talking_point).delete()


# Planning -------------------------------------------------------------------------


def session_plan(
    *,
    forum: Forum,
    by: User,
    starts_at: datetime.datetime,
    venue: str = "",
    online_link: str = "",
    talking_points: Iterable[TalkingPoint] = (),
    time_box_minutes: int = 20,
) -> Session:
    """Plan a session with an agenda, in the order given.

    Precondition: ``by`` facilitates ``forum``; the points are active for it.
    """
    points = list(talking_points)
    if points:
        _check_time_box(time_box_minutes)
    with transaction.atomic():
        session = Session.objects.create(
            forum=forum,
            starts_at=starts_at,
            venue=venue,
            online_link=online_link,
            created_by=by,
        )
        AgendaItem.objects.bulk_create(
            AgendaItem(
                session=session, talking_point=point, position=i, time_box_minutes=time_box_minutes
            )
            for i, point in enumerate(points, start=1)
        )
    return session


def _require_editable(session: Session) -> None:
    if session.status == SessionStatus.CLOSED:
        raise SessionError("This session has closed; its agenda can no longer change.")


def agenda_item_add(
    *, session: Session, talking_point: TalkingPoint, time_box_minutes: int
) -> AgendaItem:
    """Add a talking point at the end of the agenda (planned or live sessions)."""
    _check_time_box(time_box_minutes)
    if talking_point.forum_id not in (None, session.forum_id):
        raise SessionError("That talking point belongs to another forum.")
    with transaction.atomic():
        locked = Session.objects.select_for_update().get(pk=session.pk)
        _require_editable(locked)
        last = locked.agenda_items.aggregate(m=Max("position"))["m"] or 0
        item = AgendaItem.objects.create(
            session=locked,
            talking_point=talking_point,
            position=last + 1,
            time_box_minutes=time_box_minutes,
        )
        _bump(session.pk)
    return item


def agenda_item_set_time_box(*, item: AgendaItem, time_box_minutes: int) -> None:
    _check_time_box(time_box_minutes)
    with transaction.atomic():
        updated = AgendaItem.objects.filter(
            pk=item.pk,
            status__in=[AgendaItemStatus.PENDING, AgendaItemStatus.CURRENT],
            session__status__in=[SessionStatus.PLANNED, SessionStatus.LIVE],
        ).update(time_box_minutes=time_box_minutes)
        if updated != 1:
            raise SessionError("That item has already been discussed.")
        _bump(item.session_id)


def agenda_item_move(*, item: AgendaItem, up: bool) -> None:
    """Swap a not-yet-reached item with its neighbour among the not-yet-reached items."""
    with transaction.atomic():
        locked = Session.objects.select_for_update().get(pk=item.session_id)
        _require_editable(locked)
        pending = list(
            locked.agenda_items.filter(status=AgendaItemStatus.PENDING).order_by("position", "pk")
        )
        index = next((i for i, p in enumerate(pending) if p.pk == item.pk), None)
        if index is None:
            raise SessionError("Only items not yet reached can be moved.")
        other_index = index - 1 if up else index + 1
        if not 0 <= other_index < len(pending):
            return
        # Renumber all pending items so equal positions never make the order ambiguous.
        pending[index], pending[other_index] = pending[other_index], pending[index]
        base = (
            locked.agenda_items.exclude(status=AgendaItemStatus.PENDING).aggregate(
                m=Max("position")
            )["m"]
            or 0
        )
        for offset, pending_item in enumerate(pending, start=1):
            pending_item.position = base + offset
        AgendaItem.objects.bulk_update(pending, ["position"])
        _bump(locked.pk)


def agenda_item_remove(*, item: AgendaItem) -> None:
    with transaction.atomic():
        locked = Session.objects.select_for_update().get(pk=item.session_id)
        _require_editable(locked)
        deleted, _ = AgendaItem.objects.filter(
            pk=item.pk, status=AgendaItemStatus.PENDING, contributions__isnull=True
        ).delete()
        if not deleted:
            raise SessionError("Only items not yet reached can be removed.")
        _bump(locked.pk)


def session_update(
    *, session: Session, starts_at: datetime.datetime, venue: str, online_link: str
) -> None:
    updated = Session.objects.filter(pk=session.pk, status=SessionStatus.PLANNED).update(
        starts_at=starts_at, venue=venue, online_link=online_link, version=_next_version(session.pk)
    )
    if updated != 1:
        raise SessionError("Only a planned session can be changed.")


def session_delete(*, session: Session) -> None:
    """Delete a planned session (never a live or closed one: they are the forum's record)."""
    deleted, _ = Session.objects.filter(pk=session.pk, status=SessionStatus.PLANNED).delete()
    if not deleted:
        raise SessionError("Only a planned session can be deleted.")


# Running a session ----------------------------------------------------------------


def _speaks_for(user: User, forum: Forum) -> Organisation | None:
    """The organisation a person speaks for in this forum's place: one that works there,
    else their commissioning body, else any organisation they belong to."""
    memberships = list(
        Membership.objects.filter(user=user).select_related("organisation").order_by("pk")
    )
    in_place = {
        org_id
        for org_id in Organisation.places.through.objects.filter(
            place_id=forum.place_id, organisation__memberships__user=user
        ).values_list("organisation_id", flat=True)
    }
    for membership in memberships:
        if membership.organisation_id in in_place:
            return membership.organisation
    profile = CommissionerProfile.objects.filter(user=user).select_related("organisation").first()
    if profile is not None:
        return profile.organisation
    return memberships[0].organisation if memberships else None


def attendance_add(*, session: Session, user: User, late: bool) -> Attendance:
    """Record that a forum member is at the table. Adding someone twice is harmless.

    Precondition: ``user`` is a member of the session's forum.
    """
    existing = Attendance.objects.filter(session=session, user=user).first()
    if existing is not None:
        return existing
    organisation = _speaks_for(user, session.forum)
    try:
        with transaction.atomic():
            attendance = Attendance.objects.create(
                session=session,
                user=user,
                name=user.get_full_name(),
                organisation=organisation,
                organisation_name=organisation.name if organisation else "",
                sector=organisation.sector if organisation else "",
                late=late,
            )
            _bump(session.pk)
    except IntegrityError:  # two joins at once: the other one won
        return Attendance.objects.get(session=session, user=user)
    return attendance


def session_join(*, session: Session, user: User) -> Attendance:
    """A member joins a live session (a latecomer, or someone online)."""
    if session.status != SessionStatus.LIVE:
        raise SessionError("You can join a session only while it is live.")
    return attendance_add(session=session, user=user, late=True)


def session_open(*, session: Session, by: User, present: Iterable[User]) -> None:
    """Open a planned session: it goes live on its first agenda item, and attendance is
    taken (the facilitator who opens it is always present).

    Guarantee: opening twice, or two forums' sessions at once, never leaves two live
    sessions for one forum; the losing request gets a SessionError and nothing changes.
    """
    with transaction.atomic():
        first = (
            AgendaItem.objects.filter(session=session, status=AgendaItemStatus.PENDING)
            .order_by("position", "pk")
            .first()
        )
        if first is None:
            raise SessionError("Add at least one talking point to the agenda first.")
        now = timezone.now()
        try:
            with transaction.atomic():
                updated = Session.objects.filter(
                    pk=session.pk, status=SessionStatus.PLANNED
                ).update(
                    status=SessionStatus.LIVE,
                    opened_at=now,
                    current_item=first,
                    version=_next_version(session.pk),
                )
        except IntegrityError as exc:
            raise SessionError(
                "Another session of this forum is live. Close it before opening this one."
            ) from exc
        if updated != 1:
            raise SessionError("This session has already been opened.")
        AgendaItem.objects.filter(pk=first.pk).update(
            status=AgendaItemStatus.CURRENT, started_at=now
        )
        session.refresh_from_db()
        people = {by.pk: by}
        member_ids = set(
            ForumMembership.objects.filter(forum_id=session.forum_id).values_list(
                "user_id", flat=True
            )
        )
        for person in present:
            if person.pk in member_ids:
                people[person.pk] = person
        for person in people.values():
            attendance_add(session=session, user=person, late=False)


def agenda_advance(*, session: Session, expected_item_id: int | None) -> AgendaItem | None:
    """Finish the current item and start the next one.

    ``expected_item_id`` is the item the facilitator saw as current. The move is a
    conditional update on it, so when two facilitators press "Next" at once exactly one
    move happens and the other gets a SessionError. Returns the new current item (None
    when the agenda is finished).
    """
    with transaction.atomic():
        next_item = (
            AgendaItem.objects.filter(session_id=session.pk, status=AgendaItemStatus.PENDING)
            .order_by("position", "pk")
            .first()
        )
        updated = Session.objects.filter(
            pk=session.pk, status=SessionStatus.LIVE, current_item_id=expected_item_id
        ).update(current_item=next_item, version=_next_version(session.pk))
        if updated != 1:
            raise SessionError(
                "The agenda has already moved on (perhaps another facilitator pressed Next). "
                "Here is where it is now."
            )
        now = timezone.now()
        if expected_item_id is not None:
            AgendaItem.objects.filter(pk=expected_item_id, status=AgendaItemStatus.CURRENT).update(
                status=AgendaItemStatus.DONE, ended_at=now
            )
        if next_item is not None:
            AgendaItem.objects.filter(pk=next_item.pk).update(
                status=AgendaItemStatus.CURRENT, started_at=now
            )
    return next_item


def contribution_add(
    *, session: Session, agenda_item_id: int | None, user: User, text: str, anonymous: bool
) -> Contribution:
    """Add one voice to an agenda item of a live session.

    Anonymous: the row gets no author, organisation or sector, and nothing is logged, so
    nobody (facilitator, staff, admin, exports) can learn who wrote it.

    Preconditions checked here, each a SessionError with nothing stored: the session is
    live; the item belongs to it and is being or has been discussed; the text is 1 to
    MAX_CONTRIBUTION_CHARS characters; the person is at the table.
    """
    text = text.strip()
    if not text:
        raise SessionError("Write your contribution before adding it.")
    if len(text) > MAX_CONTRIBUTION_CHARS:
        raise SessionError(
            f"A contribution can be at most {MAX_CONTRIBUTION_CHARS:,} characters "
            f"(this one has {len(text):,})."
        )
    with transaction.atomic():
        # Lock the session row so a contribution can never land after the close commits.
        locked = Session.objects.select_for_update().filter(pk=session.pk).first()
        if locked is None or locked.status != SessionStatus.LIVE:
            raise SessionError("This session is not live, so it cannot take contributions.")
        item = (
            AgendaItem.objects.filter(pk=agenda_item_id, session_id=locked.pk).first()
            if agenda_item_id is not None
            else None
        )
        if item is None:
            raise SessionError("That agenda item is not part of this session.")
        if item.status not in (AgendaItemStatus.CURRENT, AgendaItemStatus.DONE):
            raise SessionError("That agenda item has not been reached yet.")
        attendance = Attendance.objects.filter(session_id=locked.pk, user=user).first()
        if attendance is None:
            raise SessionError("Join the session before you contribute.")
        # Whole minutes only, for every contribution: a precise time could be matched
        # against someone's activity elsewhere. Order within an item comes from the id.
        minute = timezone.now().replace(second=0, microsecond=0)
        if anonymous:
            contribution = Contribution.objects.create(
                session=locked, agenda_item=item, text=text, is_anonymous=True, created_at=minute
            )
        else:
            contribution = Contribution.objects.create(
                session=locked,
                agenda_item=item,
                text=text,
                author=user,
                author_name=attendance.name,
                organisation_id=attendance.organisation_id,
                organisation_name=attendance.organisation_name,
                sector=attendance.sector,
                created_at=minute,
            )
        _bump(locked.pk)
    return contribution


def contribution_hide(*, contribution: Contribution, by: User, reason: str) -> None:
    """Hide a contribution from everyone, keeping it and the reason. Never reveals the
    author of an anonymous one (there is none to reveal)."""
    reason = reason.strip()
    if not reason:
        raise SessionError("Say why you are hiding this contribution.")
    with transaction.atomic():
        updated = Contribution.objects.filter(pk=contribution.pk, hidden_at__isnull=True).update(
            hidden_at=timezone.now(), hidden_reason=reason[:500], hidden_by=by
        )
        if updated != 1:
            raise SessionError("That contribution is already hidden.")
        _bump(contribution.session_id)


def round_robin_set(*, session: Session, on: bool) -> None:
    """Turn round-robin on (inviting the first person at the table) or off."""
    with transaction.atomic():
        first = Attendance.objects.filter(session_id=session.pk).order_by("joined_at", "pk").first()
        updated = Session.objects.filter(pk=session.pk, status=SessionStatus.LIVE).update(
            round_robin=on,
            round_robin_turn=first if on else None,
            version=_next_version(session.pk),
        )
        if updated != 1:
            raise SessionError("Round-robin is only for a live session.")


def round_robin_next(*, session: Session, expected_turn_id: int | None) -> Attendance | None:
    """Invite the next person at the table, in the order they joined, wrapping round.
    A conditional update on the current turn makes a double press move on only once."""
    with transaction.atomic():
        people = list(
            Attendance.objects.filter(session_id=session.pk)
            .order_by("joined_at", "pk")
            .values_list("pk", flat=True)
        )
        if not people:
            raise SessionError("Nobody is at the table yet.")
        index = people.index(expected_turn_id) + 1 if expected_turn_id in people else 0
        next_id = people[index % len(people)]
        updated = Session.objects.filter(
            pk=session.pk,
            status=SessionStatus.LIVE,
            round_robin=True,
            round_robin_turn_id=expected_turn_id,
        ).update(round_robin_turn_id=next_id, version=_next_version(session.pk))
        if updated != 1:
            raise SessionError("The turn has already moved on.")
    return Attendance.objects.filter(pk=next_id).first()


def decision_record(
    *,
    session: Session,
    by: User,
    text: str,
    why: str = "",
    agenda_item: AgendaItem | None = None,
    rests_on: Iterable[LearningEntry] = (),
) -> Decision:
    """Record a decision with a snapshot of who is at the table right now.

    Precondition: ``rests_on`` holds only entries ``by`` may see (the form's queryset is
    ``LearningEntry.objects.visible_to(by)``).
    """
    text = text.strip()
    if not text:
        raise SessionError("Say what was decided.")
    with transaction.atomic():
        locked = Session.objects.select_for_update().get(pk=session.pk)
        if locked.status != SessionStatus.LIVE:
            raise SessionError("Decisions are recorded while the session is live.")
        if agenda_item is not None and agenda_item.session_id != locked.pk:
            raise SessionError("That agenda item is not part of this session.")
        decision = Decision.objects.create(
            session=locked,
            agenda_item=agenda_item or locked.current_item,
            text=text,
            why=why.strip(),
            created_by=by,
        )
        decision.at_the_table.set(Attendance.objects.filter(session_id=locked.pk))
        decision.rests_on.set(list(rests_on))
        _bump(locked.pk)
    return decision


def action_add(
    *,
    session: Session,
    by: User,
    text: str,
    owner: User | None,
    due_on: datetime.date | None,
    decision: Decision | None = None,
) -> Action:
    """Record who does what by when. Precondition: ``owner`` is a forum member."""
    text = text.strip()
    if not text:
        raise SessionError("Say what will be done.")
    with transaction.atomic():
        locked = Session.objects.select_for_update().get(pk=session.pk)
        if locked.status != SessionStatus.LIVE:
            raise SessionError("Actions are agreed while the session is live.")
        if decision is not None and decision.session_id != locked.pk:
            raise SessionError("That decision is not part of this session.")
        action = Action.objects.create(
            session=locked,
            decision=decision,
            text=text,
            owner=owner,
            owner_name=owner.get_full_name() if owner else "",
            due_on=due_on,
            created_by=by,
        )
        _bump(locked.pk)
    return action


def action_mark_done(*, action: Action, by: User) -> None:
    """Mark an action done. Doing it twice is harmless."""
    with transaction.atomic():
        updated = Action.objects.filter(pk=action.pk, status=ActionStatus.OPEN).update(
            status=ActionStatus.DONE, done_at=timezone.now(), done_by=by
        )
        if updated:
            _bump(action.session_id)


def action_reopen(*, action: Action) -> None:
    with transaction.atomic():
        updated = Action.objects.filter(pk=action.pk, status=ActionStatus.DONE).update(
            status=ActionStatus.OPEN, done_at=None, done_by=None
        )
        if updated:
            _bump(action.session_id)


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
            version=_next_version(session.pk),
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
            _bump(next_session.pk)
        enqueue_after_commit(send_session_summary, session_id=session.pk)
    session.refresh_from_db()
    return next_session


def session_publish(*, session: Session, visibility: str, by: User) -> None:
    """Choose who may read a closed session's summary (members, place or public)."""
    if visibility not in SummaryVisibility.values:
        raise SessionError("Choose who may read the summary.")
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


def voice_balance(session: Session) -> VoiceBalance:
    """Shown contributions per organisation and per sector; anonymous counted apart;
    organisations at the table not heard yet. Two queries, whatever the size."""
    rows = (
        Contribution.objects.shown()
        .filter(session_id=session.pk)
        .values("is_anonymous", "organisation_name", "sector")
        .annotate(n=Count("pk"))
        .order_by()
    )
    sectors = dict(Sector.choices)
    by_org: dict[str, int] = defaultdict(int)
    by_sector: dict[str, int] = defaultdict(int)
    balance = VoiceBalance()
    for row in rows:
        balance.total += row["n"]
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


def linked_learning_prefetch(viewer: Any, visible: Any = None) -> Prefetch:
    """For a list of decisions: the learning entries linked to each that ``viewer`` may see,
    as ``visible_learning_links`` (what the ``linked_learning`` tag shows). One query.
    ``visible``: ``LearningEntry.objects.visible_to(viewer)``, if the caller has it already."""
    if visible is None:
        visible = LearningEntry.objects.visible_to(viewer)
    return Prefetch(
        "learning_links",
        queryset=LearningLink.objects.filter(entry__in=visible)
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
            linked_learning_prefetch(viewer, visible),
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


def session_summary_send(*, session_id: int) -> int:
    """Email the summary of a closed session to each attendee who has an account.

    Guarantee: at most one summary per attendee. Each attendance row is claimed with a
    conditional update before sending; a failed send releases the claim and re-raises so
    the task's retry sends only what is still unsent. Returns how many were sent.
    """
    session = (
        Session.objects.filter(pk=session_id, status=SessionStatus.CLOSED)
        .select_related("forum", "forum__place")
        .first()
    )
    if session is None:
        return 0
    link = settings.SITE_URL + session.get_absolute_url()
    sent = 0
    pending = (
        session.attendances.filter(summary_sent_at__isnull=True, user__isnull=False)
        .select_related("user")
        .order_by("pk")
    )
    for attendance in pending:
        user = attendance.user
        assert user is not None
        claimed = Attendance.objects.filter(pk=attendance.pk, summary_sent_at__isnull=True).update(
            summary_sent_at=timezone.now()
        )
        if claimed != 1:
            continue
        context = {**session_summary_context(session, user), "link": link, "recipient": user}
        when = session.local_starts_at()
        message = EmailMultiAlternatives(
            subject=f"Summary: {session.forum.name}, {when:%-d %B %Y}",
            body=render_to_string("talking_points/email/session_summary.txt", context),
            to=[user.email],
        )
        message.attach_alternative(
            render_to_string("talking_points/email/session_summary.html", context), "text/html"
        )
        try:
            message.send()
        except OSError:
            Attendance.objects.filter(pk=attendance.pk).update(summary_sent_at=None)
            raise
        sent += 1
    return sent


# --- Learning logs ------------------------------------------------------------------

ENTRY_TEXT_FIELDS = (
    "kind",
    "title",
    "body",
    "tried",
    "happened",
    "learned",
    "next_steps",
    "experiment_status",
    "review_date",
)


def _check_consent_allows(entry: LearningEntry, visibility: str) -> None:
    if not entry.is_story or visibility == Visibility.ORGANISATION:
        return
    consent = StoryConsent.objects.filter(entry=entry).first()
    if consent is None or not consent.allows(visibility):
        raise ValidationError("A story of change is never shared wider than its consent.")


def tags_for(names: list[str]) -> list[Tag]:
    tags = []
    for name in names:
        tag, _ = Tag.objects.get_or_create(slug=slugify(name)[:60], defaults={"name": name})
        tags.append(tag)
    return tags


def _record_visibility(
    *, entry: LearningEntry, by: User | None, old: str, new: str, reason: str = ""
) -> None:
    """Every change of an entry's visibility goes through here: it is kept with the entry
    (its history page) and in the security audit log (who, when, from, to; never content)."""
    if old != new:
        VisibilityChange.objects.create(
            entry=entry, changed_by=by, from_visibility=old, to_visibility=new, reason=reason
        )
        audit.record(
            AuditEventType.VISIBILITY_CHANGED,
            actor=by,
            target=entry,
            kind=entry.kind,
            old=old,
            new=new,
        )


def entry_create(
    *,
    author: User,
    place: Place,
    organisation: Organisation,
    fields: dict[str, Any],
    visibility: str,
    tag_names: list[str],
    consent: dict[str, Any] | None = None,
) -> LearningEntry:
    """Write a learning entry for ``organisation`` in ``place``.

    Preconditions checked here too, not only in the form: the author belongs to the
    organisation, the organisation works in the place, and a story is never wider than its
    consent. Guarantee: the entry, its tags, its consent and its first visibility record are
    stored together or not at all.
    """
    if not permissions.writable_organisations(author, place).filter(pk=organisation.pk).exists():
        raise PermissionDenied("You can only write for your own organisation, where it works.")
    with transaction.atomic():
        entry = LearningEntry(
            place=place,
            organisation=organisation,
            author=author,
            visibility=Visibility.ORGANISATION,
            **{k: fields[k] for k in ENTRY_TEXT_FIELDS if k in fields},
        )
        entry.full_clean(exclude=["visibility"])
        entry.save()
        entry.tags.set(tags_for(tag_names))
        if consent and entry.kind == LearningKind.STORY:
            record = StoryConsent.objects.create(entry=entry, recorded_by=author, **consent)
            _audit_consent_given(record, by=author)
        if visibility != Visibility.ORGANISATION:
            _check_consent_allows(entry, visibility)
            entry.visibility = visibility
            entry.save(update_fields=["visibility"])
            _record_visibility(entry=entry, by=author, old=Visibility.ORGANISATION, new=visibility)
    return entry


def entry_update(
    *,
    entry: LearningEntry,
    by: User,
    fields: dict[str, Any],
    visibility: str,
    tag_names: list[str],
) -> LearningEntry:
    """Change an entry's words, tags and visibility. A visibility change is recorded."""
    permissions.require_can_edit_entry(by, entry)
    with transaction.atomic():
        locked = LearningEntry.objects.select_for_update().get(pk=entry.pk)
        for name in ENTRY_TEXT_FIELDS:
            if name in fields:
                setattr(locked, name, fields[name])
        if entry.kind == LearningKind.STORY and locked.kind != LearningKind.STORY:
            raise ValidationError("A story of change stays a story, so its consent still applies.")
        _check_consent_allows(locked, visibility)
        old = locked.visibility
        locked.visibility = visibility
        locked.full_clean()
        locked.save()
        locked.tags.set(tags_for(tag_names))
        _record_visibility(entry=locked, by=by, old=old, new=visibility)
    return locked


def entry_share(
    *, entry: LearningEntry, by: User, visibility: str, reason: str = ""
) -> LearningEntry:
    """Widen or narrow who can see an entry; the change is recorded (who, when, from, to)."""
    permissions.require_can_edit_entry(by, entry)
    with transaction.atomic():
        locked = LearningEntry.objects.select_for_update().get(pk=entry.pk)
        _check_consent_allows(locked, visibility)
        old = locked.visibility
        if old != visibility:
            locked.visibility = visibility
            locked.save(update_fields=["visibility", "updated_at"])
            _record_visibility(entry=locked, by=by, old=old, new=visibility, reason=reason)
    return locked


def entry_delete(*, entry: LearningEntry, by: User) -> None:
    """Delete an entry with its links, reviews and history."""
    permissions.require_can_edit_entry(by, entry)
    entry.delete()


def _audit_consent_given(record: StoryConsent, *, by: User) -> None:
    audit.record(
        AuditEventType.CONSENT_GIVEN,
        actor=by,
        target=record.entry,
        method=record.method,
        widest=record.widest_visibility,
    )


def story_consent_record(
    *, entry: LearningEntry, by: User, consent: dict[str, Any]
) -> StoryConsent:
    """Record (or re-record) consent for a story of change.

    Guarantee: if the new consent is narrower than the entry's visibility, the entry is
    narrowed to fit in the same transaction, and the narrowing is recorded.
    """
    permissions.require_can_edit_entry(by, entry)
    if not entry.is_story:
        raise ValidationError("Only stories of change record consent.")
    with transaction.atomic():
        locked = LearningEntry.objects.select_for_update().get(pk=entry.pk)
        record, _ = StoryConsent.objects.update_or_create(
            entry=locked,
            defaults={
                **consent,
                "recorded_by": by,
                "recorded_at": timezone.now(),
                "withdrawn_at": None,
                "withdrawn_recorded_by": None,
            },
        )
        _audit_consent_given(record, by=by)
        if Visibility.rank(locked.visibility) > Visibility.rank(record.widest_visibility):
            old = locked.visibility
            locked.visibility = record.widest_visibility
            locked.save(update_fields=["visibility", "updated_at"])
            _record_visibility(
                entry=locked,
                by=by,
                old=old,
                new=record.widest_visibility,
                reason="Consent recorded for narrower sharing",
            )
    return record


WITHDRAWN_STORY_TITLE = "A story of change (consent withdrawn)"


def story_consent_withdraw(*, entry: LearningEntry, by: User) -> None:
    """Consent withdrawn: the story's words are deleted and the entry narrowed to its
    organisation, at once (issue 7, point 8).

    Guarantee, in one transaction: the title, text, tags and the responses' words are
    replaced or emptied in every table (the full-text index is computed from these fields,
    so it forgets them too; the admin's change history loses the old title), and the entry
    is narrowed to ``organisation``. What stays: that a story existed, its consent record
    (who gave it, when, when it was withdrawn) and its visibility history, so the
    organisation can show it honoured the withdrawal. Emails already sent cannot be
    recalled; nothing sent after this commits can contain the story.
    """
    from django.contrib.admin.models import LogEntry
    from django.contrib.contenttypes.models import ContentType

    permissions.require_can_edit_entry(by, entry)
    now = timezone.now()
    with transaction.atomic():
        locked = LearningEntry.objects.select_for_update().get(pk=entry.pk)
        withdrawn = StoryConsent.objects.filter(entry=locked, withdrawn_at__isnull=True).update(
            withdrawn_at=now, withdrawn_recorded_by=by
        )
        old = locked.visibility
        locked.title = WITHDRAWN_STORY_TITLE
        locked.body = (
            f"Consent for this story was withdrawn on {timezone.localdate(now):%-d %B %Y}, "
            "so its words have been deleted."
        )
        for name in ("tried", "happened", "learned", "next_steps"):
            setattr(locked, name, "")
        locked.visibility = Visibility.ORGANISATION
        locked.save()
        locked.tags.clear()
        Review.objects.filter(entry=locked).update(text="")
        LogEntry.objects.filter(
            content_type=ContentType.objects.get_for_model(LearningEntry),
            object_id=str(locked.pk),
        ).update(object_repr=WITHDRAWN_STORY_TITLE, change_message="")
        _record_visibility(
            entry=locked,
            by=by,
            old=old,
            new=Visibility.ORGANISATION,
            reason="Consent withdrawn",
        )
        if withdrawn:
            audit.record(AuditEventType.CONSENT_WITHDRAWN, actor=by, target=locked)


def entry_link_add(
    *, entry: LearningEntry, by: User, relation: str, target: dict[str, Any]
) -> LearningLink:
    """Connect an entry to one session, decision or other entry. Linking twice is a no-op."""
    permissions.require_can_edit_entry(by, entry)
    with transaction.atomic():
        link, _ = LearningLink.objects.get_or_create(
            entry=entry, **target, defaults={"relation": relation, "created_by": by}
        )
    return link


def entry_link_remove(*, link: LearningLink, by: User) -> None:
    permissions.require_can_edit_entry(by, link.entry)
    link.delete()


def review_mark_read(*, entry: LearningEntry, user: User, read: bool = True) -> None:
    """Mark an entry read (or unread again) in a commissioner's review queue. Idempotent."""
    if read:
        ReviewRead.objects.get_or_create(entry=entry, user=user)
    else:
        ReviewRead.objects.filter(entry=entry, user=user).delete()


def review_create(*, entry: LearningEntry, author: User, kind: str, text: str) -> Review:
    """A commissioner responds to an entry shared with them.

    Precondition: ``entry`` was fetched through ``visible_to(author)``. Guarantee: the
    response is stored, the entry is marked read, and the organisation's email is queued only
    after commit.
    """
    from ..tasks import notify_review

    permissions.require_can_review_entry(author, entry)
    if kind == ReviewKind.REPLY:
        raise ValidationError("Use a reply for an existing conversation.")
    with transaction.atomic():
        review = Review.objects.create(entry=entry, author=author, kind=kind, text=text)
        ReviewRead.objects.get_or_create(entry=entry, user=author)
        enqueue_after_commit(notify_review, review_id=review.pk)
    return review


def review_reply(*, review: Review, author: User, text: str) -> Review:
    """Reply in a response's thread; the other people in it are emailed after commit."""
    from ..tasks import notify_review

    permissions.require_can_reply_to_review(author, review)
    with transaction.atomic():
        reply = Review.objects.create(
            entry_id=review.entry_id,
            in_reply_to=review,
            author=author,
            kind=ReviewKind.REPLY,
            text=text,
        )
        enqueue_after_commit(notify_review, review_id=reply.pk)
    return reply


def review_recipients(review: Review) -> list[User]:
    """Who hears about a response or reply: the entry's organisation and everyone in the
    thread, except its author, and only those who can still see the entry *now*."""
    entry = review.entry
    root_id = review.in_reply_to_id or review.pk
    thread_authors = Review.objects.filter(Q(pk=root_id) | Q(in_reply_to_id=root_id)).values(
        "author_id"
    )
    candidates = (
        User.objects.filter(is_active=True)
        .filter(Q(memberships__organisation_id=entry.organisation_id) | Q(pk__in=thread_authors))
        .exclude(Q(pk=review.author_id))
        .distinct()
        .order_by("pk")
    )
    return [
        user
        for user in candidates
        if LearningEntry.objects.visible_to(user).filter(pk=entry.pk).exists()
    ]


def review_notify(*, review_id: int) -> int:
    """Email a response or reply to the people it concerns. Returns how many were sent.

    Guarantee: each message is emailed at most once (the row is claimed with a conditional
    update; a failed send releases the claim so a retry can send it). Visibility is checked
    at send time, so a story whose consent was withdrawn is never emailed outside its
    organisation.
    """
    review = (
        Review.objects.filter(pk=review_id)
        .select_related("entry", "entry__organisation", "entry__place", "author")
        .first()
    )
    if review is None:
        return 0
    claimed = Review.objects.filter(pk=review_id, notified_at__isnull=True).update(
        notified_at=timezone.now()
    )
    if claimed != 1:
        return 0
    entry = review.entry
    link = settings.SITE_URL + reverse("talking_points:entry_detail", kwargs={"pk": entry.pk})
    author_name = str(review.author) if review.author else "Someone"
    subject = f"{author_name} {review.heading} on “{entry.title}”"
    sent = 0
    try:
        for recipient in review_recipients(review):
            body = render_to_string(
                "talking_points/learning/email/review.txt",
                {"review": review, "entry": entry, "recipient": recipient, "link": link},
            )
            send_mail(
                subject=subject[:200],
                message=body,
                from_email=None,
                recipient_list=[recipient.email],
            )
            sent += 1
    except OSError:
        if sent == 0:
            Review.objects.filter(pk=review_id).update(notified_at=None)
        raise
    return sent
