"""What a reminder or digest says, read from other apps' data.

Each lookup is ONE small function so that, when the agenda, action and review models land
on main, the lead points that function at them and nothing else changes. Every read of
learning goes through ``LearningEntry.objects.visible_to(recipient)``: a reminder never
shows a person anything they could not open on the site.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from typing import Any, Literal

from django.conf import settings
from django.db.models import Q, QuerySet
from django.urls import NoReverseMatch

from partnerships.models import Forum, Membership, Sector
from partnerships.permissions import covered_place_ids
from talking_points.models import LearningEntry, Session, SessionStatus, TalkingPoint

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

    Order of preference: (1) the agenda of the planned session for that meeting;
    (2) the talking point this forum discussed least recently; (3) with no session data at
    all, a deterministic rotation through the report's talking points (and the forum's own),
    one a week, so every member's reminder suggests the same one — the email says so.

    LEAD: on this branch ``Session`` is the skeleton (forum, starts_at, status) with no agenda
    and no record of what was discussed, so (1) and (2) find nothing and (3) applies. When the
    sessions branch lands, point ``agenda`` at the session's agenda items (ordered) and
    ``last_discussed`` at {talking point id: latest closed session start} — nothing else in
    the reminders app needs to change.
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
    agenda: list[TalkingPoint] = []  # LEAD: list(session.agenda_items ...) when it exists
    if agenda:
        return AgendaSuggestion(points=agenda, source="planned", session=session)

    candidates = list(
        TalkingPoint.objects.filter(parent__isnull=True)
        .filter(Q(forum__isnull=True) | Q(forum=forum))
        .order_by("sort_order", "pk")
    )
    if not candidates:
        return AgendaSuggestion(points=[], source="rotation", session=session)
    last_discussed: dict[int, datetime.datetime] = {}  # LEAD: from closed sessions' agendas
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
    """An absolute link to an entry (the entry page, or its place's page until entry pages
    exist on this branch)."""
    try:
        path = entry.get_absolute_url()
    except NoReverseMatch:  # LEAD: entry pages arrive with the learning branch
        path = entry.place.get_absolute_url()
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


def actions_falling_due(*, forum: Forum, recipient: Any, before: datetime.date) -> list[ActionDue]:
    """Open actions from this forum's sessions falling due before ``before``.

    LEAD: there is no Action model on this branch, so this returns []. When the sessions
    branch adds one, return its open actions for ``forum`` due on or before ``before``
    (owner's name, text, due date); the reminder templates already render them.
    """
    return []


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


def questions_awaiting_answer(*, user: Any) -> list[DigestItem]:
    """For a commissioner: questions put to them on shared learning, not yet answered.

    LEAD: there is no Review model on this branch, so this returns []. When the learning
    branch adds reviews, return the open questions addressed to ``user`` (oldest first).
    """
    return []


def responses_to_organisation_entries(
    *, user: Any, since: datetime.datetime, until: datetime.datetime
) -> list[DigestItem]:
    """For VCS staff: commissioners' reviews (acknowledgements, questions, offers of
    support) on their organisation's entries, made in the period.

    LEAD: there is no Review model on this branch, so this returns []. When the learning
    branch adds reviews, return those on entries of ``user``'s organisations in the period.
    """
    return []
