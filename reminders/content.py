"""What a reminder or digest says, read from other apps' data.

Each lookup is ONE small function over the sessions and learning models. Every read of
learning goes through ``LearningEntry.objects.visible_to(recipient)`` and every read of
sessions through ``Session.objects.visible_to(recipient)``: a reminder never shows a person
anything they could not open on the site.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from typing import Any, Literal

from django.conf import settings
from django.db.models import Exists, Max, OuterRef, Q, QuerySet, Subquery
from django.urls import reverse

from partnerships.models import Forum, Membership, Sector, covered_place_ids
from talking_points.models import (
    Action,
    ActionStatus,
    AgendaItem,
    AgendaItemStatus,
    LearningEntry,
    Review,
    Session,
    SessionStatus,
    TalkingPoint,
)

# How many shared entries a reminder or digest lists before "and N more".
LIST_LIMIT = 8


@dataclass(frozen=True)
class AgendaSuggestion:
    """The talking points for a meeting, and where they came from."""

    points: list[TalkingPoint]
    source: Literal["planned", "least_recent", "rotation"]
    session: Session | None = None


def planned_talking_points(*, forum: Forum, meeting_start: datetime.datetime) -> AgendaSuggestion:
    """The talking points planned for the meeting at ``meeting_start``.

    Order of preference: (1) the agenda of the planned session for that meeting, in agenda
    order; (2) the talking point this forum discussed least recently (never-discussed ones
    first); (3) with no session data at all, a deterministic rotation through the report's
    talking points (and the forum's own), one a week, so every member's reminder suggests
    the same one — the email says so. Three queries at most.
    """
    tz = forum.place.tz
    day = meeting_start.astimezone(tz).date()
    day_starts = datetime.datetime.combine(day, datetime.time(), tzinfo=tz)
    day_ends = datetime.datetime.combine(
        day + datetime.timedelta(days=1), datetime.time(), tzinfo=tz
    )
    session = (
        Session.objects.filter(
            forum=forum,
            status=SessionStatus.PLANNED,
            starts_at__gte=day_starts,
            starts_at__lt=day_ends,
        )
        .order_by("starts_at")
        .first()
    )
    agenda: list[TalkingPoint] = []
    if session is not None:
        agenda = [
            item.talking_point
            for item in session.agenda_items.select_related("talking_point").order_by(
                "position", "pk"
            )
        ]
    if agenda:
        return AgendaSuggestion(points=agenda, source="planned", session=session)

    candidates = list(
        TalkingPoint.objects.filter(parent__isnull=True)
        .filter(Q(forum__isnull=True) | Q(forum=forum))
        .order_by("sort_order", "pk")
    )
    if not candidates:
        return AgendaSuggestion(points=[], source="rotation", session=session)
    # A point counts as discussed once a closed session reached it (not merely planned it).
    last_discussed: dict[int, datetime.datetime] = dict(
        AgendaItem.objects.filter(
            session__forum=forum,
            session__status=SessionStatus.CLOSED,
            status=AgendaItemStatus.DONE,
        )
        .values("talking_point_id")
        .annotate(last=Max("session__starts_at"))
        .order_by()
        .values_list("talking_point_id", "last")
    )
    # Never-discussed points first, then the longest ago; ties rotate one step a week.
    offset = (day.toordinal() // 7) % len(candidates)
    rotated = candidates[offset:] + candidates[:offset]
    never = [p for p in rotated if p.pk not in last_discussed]
    if never:
        source: Literal["least_recent", "rotation"] = (
            "rotation" if len(never) == len(candidates) else "least_recent"
        )
        return AgendaSuggestion(points=[never[0]], source=source, session=session)
    oldest = min(rotated, key=lambda p: last_discussed[p.pk])
    return AgendaSuggestion(points=[oldest], source="least_recent", session=session)


@dataclass(frozen=True)
class SharedLearning:
    entries: list[LearningEntry]
    total: int

    @property
    def more(self) -> int:
        return self.total - len(self.entries)


def entry_link(entry: LearningEntry) -> str:
    """An absolute link to an entry's page (which answers 404 to anyone who may not see it)."""
    path = reverse("talking_points:entry_detail", kwargs={"pk": entry.pk})
    return f"{settings.SITE_URL}{path}"


def _limited(queryset: QuerySet[LearningEntry]) -> SharedLearning:
    entries = list(queryset.select_related("organisation", "place")[: LIST_LIMIT + 1])
    for entry in entries:
        entry.link = entry_link(entry)  # type: ignore[attr-defined]
    if len(entries) <= LIST_LIMIT:
        return SharedLearning(entries=entries, total=len(entries))
    return SharedLearning(entries=entries[:LIST_LIMIT], total=queryset.count())


def shared_with_place_since(
    *, recipient: Any, forum: Forum, since: datetime.datetime, until: datetime.datetime
) -> SharedLearning:
    """What partners shared with the forum's place since the previous meeting, as far as
    ``recipient`` may see it (the one trust query), newest first."""
    return _limited(
        LearningEntry.objects.visible_to(recipient).filter(
            place_id=forum.place_id, created_at__gte=since, created_at__lt=until
        )
    )


def anything_shared_with_place_since(*, forum: Forum, since: datetime.datetime) -> bool:
    """Whether anyone shared anything at all with the place since ``since`` (whoever may see
    it). Cheap, and the same for every recipient: when False, the per-person query is
    skipped. Never shown to anyone, so it needs no trust filter."""
    return LearningEntry.objects.filter(place_id=forum.place_id, created_at__gte=since).exists()


@dataclass(frozen=True)
class ActionDue:
    text: str
    owner: str
    due: datetime.date


def any_actions_falling_due(*, forum: Forum, before: datetime.date) -> bool:
    """Whether the forum has any open action due on or before ``before`` at all (whoever
    may see it). Cheap, and the same for every recipient: when False, the per-person query
    of ``actions_falling_due`` is skipped. Never shown to anyone, so it needs no trust
    filter."""
    return Action.objects.filter(
        session__forum=forum,
        status=ActionStatus.OPEN,
        due_on__isnull=False,
        due_on__lte=before,
    ).exists()


def actions_falling_due(*, forum: Forum, recipient: Any, before: datetime.date) -> list[ActionDue]:
    """Open actions from this forum's sessions due on or before ``before`` (overdue ones
    included), soonest first, from sessions ``recipient`` may see (``Session.visible_to``,
    the one session trust query). One query."""
    actions = (
        Action.objects.filter(
            Session.objects.visible_at(recipient, "session_id"),
            session__forum=forum,
            status=ActionStatus.OPEN,
            due_on__isnull=False,
            due_on__lte=before,
        )
        .order_by("due_on", "pk")
        .values_list("text", "owner_name", "due_on")[:LIST_LIMIT]
    )
    return [
        ActionDue(text=text, owner=owner or "Not assigned", due=due)
        for text, owner, due in actions
        if due is not None  # filtered above; this tells the type checker
    ]


# --- Digests ---------------------------------------------------------------------


def is_vcs_staff(user: Any) -> bool:
    return Membership.objects.filter(user=user, organisation__sector=Sector.VCS).exists()


def learning_newly_shared_with(
    *, user: Any, since: datetime.datetime, until: datetime.datetime
) -> SharedLearning:
    """For a commissioner: learning from the places they cover that became visible to them
    in the period (the one trust query), not counting their own organisation's."""
    own = Membership.objects.filter(user=user).values("organisation_id")
    return _limited(
        LearningEntry.objects.visible_to(user)
        .filter(place_id__in=covered_place_ids(user), created_at__gte=since, created_at__lt=until)
        .exclude(organisation_id__in=own)
    )


@dataclass(frozen=True)
class DigestItem:
    title: str
    text: str
    url: str = ""
    extra: dict[str, str] = field(default_factory=dict)


def _excerpt(text: str, length: int = 160) -> str:
    text = " ".join(text.split())
    return text if len(text) <= length else text[: length - 1].rsplit(" ", 1)[0] + "…"


def _thread_url(review: Review) -> str:
    return f"{entry_link(review.entry)}#thread-{review.thread_id}"


def questions_awaiting_answer(*, user: Any) -> list[DigestItem]:
    """For a commissioner: conversations they started on shared learning where the
    organisation has replied and they have not answered since (oldest first).

    Only entries ``user`` may still see count (``LearningEntry.objects.visible_to``): a story
    whose consent was withdrawn, or an entry narrowed back to its organisation, drops out.
    One query.
    """
    latest = Review.objects.filter(in_reply_to=OuterRef("pk")).order_by("-created_at", "-pk")
    threads = (
        Review.objects.filter(
            LearningEntry.objects.visible_at(user, "entry_id"),
            author=user,
            in_reply_to__isnull=True,
        )
        .annotate(
            last_author=Subquery(latest.values("author_id")[:1]),
            last_at=Subquery(latest.values("created_at")[:1]),
            last_text=Subquery(latest.values("text")[:1]),
        )
        .filter(last_at__isnull=False)
        .exclude(last_author=user.pk)
        .select_related("entry__organisation")
        .order_by("last_at", "pk")[:LIST_LIMIT]
    )
    return [
        DigestItem(
            title=thread.entry.title,
            text=f"{thread.entry.organisation.name} replied: {_excerpt(thread.last_text)}",
            url=_thread_url(thread),
        )
        for thread in threads
    ]


def responses_to_organisation_entries(
    *, user: Any, since: datetime.datetime, until: datetime.datetime
) -> list[DigestItem]:
    """For VCS staff: what commissioners wrote (acknowledgements, questions, offers of
    support, and their replies) on their organisations' entries in the period, oldest
    first. Entries are read through ``LearningEntry.objects.visible_to(user)``; messages
    from the organisation's own members are left out. One query."""
    own = Membership.objects.filter(user=user).values("organisation_id")
    reviews = (
        Review.objects.filter(
            LearningEntry.objects.visible_at(user, "entry_id"),
            entry__organisation_id__in=own,
            created_at__gte=since,
            created_at__lt=until,
        )
        .exclude(
            Exists(
                Membership.objects.filter(
                    user=OuterRef("author"), organisation=OuterRef("entry__organisation")
                )
            )
        )
        .select_related("entry", "author")
        .order_by("created_at", "pk")[:LIST_LIMIT]
    )
    items = []
    for review in reviews:
        who = (review.author.full_name if review.author else "") or "A commissioner"
        said = f"{who} {review.heading}"
        if review.text:
            said += f": “{_excerpt(review.text)}”"
        items.append(DigestItem(title=review.entry.title, text=said, url=_thread_url(review)))
    return items
