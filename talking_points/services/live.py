"""Running a live session: attendance, the agenda, contributions, turns, decisions, actions."""

from __future__ import annotations

import datetime
from collections.abc import Iterable

from django.db import IntegrityError, transaction
from django.utils import timezone

from outbox import services as outbox
from outbox.models import DeliveryKind
from partnerships.models import (
    CommissionerProfile,
    Forum,
    ForumMembership,
    Membership,
    Organisation,
    User,
)

from ..models import (
    Action,
    ActionStatus,
    AgendaItem,
    AgendaItemStatus,
    Attendance,
    Contribution,
    Decision,
    LearningEntry,
    Session,
    SessionStatus,
)
from ..models.sessions import MAX_CONTRIBUTION_CHARS
from .sessions import SessionError, bump_version, next_version


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
            bump_version(session.pk)
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
    taken (the facilitator who opens it is always present). Opened on an earlier day than
    planned, it is recorded as starting when it opened, so the summary, its email and the
    place's pages give the day it was really held (the view asks the facilitator first).

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
        starts_at = now if session.opens_early(now) else session.starts_at
        try:
            with transaction.atomic():
                updated = Session.objects.filter(
                    pk=session.pk, status=SessionStatus.PLANNED
                ).update(
                    status=SessionStatus.LIVE,
                    opened_at=now,
                    starts_at=starts_at,
                    current_item=first,
                    version=next_version(session.pk),
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
        ).update(current_item=next_item, version=next_version(session.pk))
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
        bump_version(locked.pk)
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
        bump_version(contribution.session_id)


def round_robin_set(*, session: Session, on: bool) -> None:
    """Turn round-robin on (inviting the first person at the table) or off."""
    with transaction.atomic():
        first = Attendance.objects.filter(session_id=session.pk).order_by("joined_at", "pk").first()
        updated = Session.objects.filter(pk=session.pk, status=SessionStatus.LIVE).update(
            round_robin=on,
            round_robin_turn=first if on else None,
            version=next_version(session.pk),
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
        ).update(round_robin_turn_id=next_id, version=next_version(session.pk))
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
        bump_version(locked.pk)
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
    """Record who does what by when, and email the owner (through the outbox, after
    commit). Precondition: ``owner`` is a forum member."""
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
        if owner is not None:
            # The owner hears of it by email, whether at the table or not.
            outbox.deliveries_queue(
                kind=DeliveryKind.ACTION,
                recipient_ids=[owner.pk],
                about_id=action.pk,
                forum_id=locked.forum_id,
            )
        bump_version(locked.pk)
    return action


def action_mark_done(*, action: Action, by: User) -> None:
    """Mark an action done. Doing it twice is harmless."""
    with transaction.atomic():
        updated = Action.objects.filter(pk=action.pk, status=ActionStatus.OPEN).update(
            status=ActionStatus.DONE, done_at=timezone.now(), done_by=by
        )
        if updated:
            bump_version(action.session_id)


def action_reopen(*, action: Action) -> None:
    with transaction.atomic():
        updated = Action.objects.filter(pk=action.pk, status=ActionStatus.DONE).update(
            status=ActionStatus.OPEN, done_at=None, done_by=None
        )
        if updated:
            bump_version(action.session_id)
