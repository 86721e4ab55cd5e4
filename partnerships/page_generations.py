"""Which writes start a new generation of the cached place dashboard, forum page and live
session page (hls_forum/page_cache.py), and the one-query *scope* reads those views make
before anything else.

Every save or delete of a row these pages show, wherever it comes from (a service, a form,
the admin), starts a new generation through the model signals below, using only ids the row
carries (no query on the common paths):

- ``place_pages(place_id)``: the place, its forums (names, times, venues), champions,
  commissions, relationships, glossary terms (they explain words on every page of the place),
  proposition ratings, which organisations work there and which commissioners cover it;
- ``forum_pages(forum_id)``: the forum, its memberships (members, facilitators, roles, the
  action owner list), join requests, invitations, sessions, decisions, actions, wellbeing
  check-ins;
- ``session_pages(session_id)``: everything a live session page shows beyond
  ``Session.version`` (which the services bump): agenda items, contributions, attendance,
  decisions and the learning they rest on or link to, actions;
- ``PLACES_EVERYWHERE``: rows several places show (a commissioner's profile, an organisation);
- ``PEOPLE``: names shown of people (facilitators, commissioners, champions, action owners);
  a save that only records a sign-in is not a change;
- ``TALKING_POINTS``: the talking points a facilitator may add, and when each forum last
  discussed them (any agenda item).

Who the reader is (their organisations, forums and roles) is *not* a generation: each view
reads it on every request, in its scope query, and it is part of the page's key. Changes to
it still start generations (a membership renews its forum's or its organisation's places'
pages), so a page rendered while someone's memberships were changing is never served again
once the change has committed.
"""

from __future__ import annotations

import hashlib
import secrets
from collections.abc import Callable, Hashable
from typing import Any

from django.db.models import QuerySet
from django.db.models.signals import m2m_changed, post_delete, post_save

from hls_forum import compiled
from hls_forum.compiled import CompiledQuery
from hls_forum.page_cache import data_changed

PLACES_EVERYWHERE = "place-pages"
PEOPLE = "people"
TALKING_POINTS = "talking-points"


def place_pages(place_id: int) -> str:
    return f"place-pages:{place_id}"


def forum_pages(forum_id: int) -> str:
    return f"forum-pages:{forum_id}"


def session_pages(session_id: int) -> str:
    return f"session-pages:{session_id}"


def fragment_generation(place_generation: object, names: list[str]) -> str:
    """For the ``{% cache %}`` fragments inside a page rendered anew: the place's fragment
    generation with the current generations of ``names``, so a fragment is never reused
    after a write that renewed the page (an admin edit included)."""
    from hls_forum.page_cache import current_generations

    try:
        current = current_generations(names)
    except Exception:  # no cache: no fragment is reused either
        current = [secrets.token_hex(8)]
    digest = hashlib.sha256("\n".join(current).encode()).hexdigest()[:16]
    return f"{place_generation}-{digest}"


# --- Scope queries, compiled once per process ----------------------------------------------

# Every cached page pays for its scope query, so it is compiled once per process with
# stand-ins and prepared on the server (hls_forum/compiled.py).
READER_STAND_IN = compiled.READER
KEY_STAND_IN = compiled.KEY
SLUG_STAND_IN = compiled.SLUG
_compiled: dict[Hashable, CompiledQuery] = {}


def scope_row(
    name: Hashable,
    make: Callable[[Any], QuerySet[Any]],
    *,
    user: Any,
    key: Any,
) -> dict[str, Any] | None:
    """The one row of ``make(reader)``'s ``values()`` query, for ``user`` and ``key`` (a slug
    or a primary key, written in ``make`` as ``SLUG_STAND_IN`` or ``KEY_STAND_IN``); None if
    there is no row. ``make`` is called once per process and kind of reader (signed in or
    not), with a stand-in reader whose primary key is ``READER_STAND_IN``."""
    from .models import User

    signed_in = bool(user.is_authenticated)
    query = _compiled.get((name, signed_in))
    if query is None:
        reader = User(pk=READER_STAND_IN) if signed_in else user
        query = _compiled[(name, signed_in)] = CompiledQuery(
            lambda **_: make(reader), user_id=READER_STAND_IN, key=KEY_STAND_IN, slug=SLUG_STAND_IN
        )
    return query.row(user_id=user.pk, key=key, slug=key)


# --- Signals ----------------------------------------------------------------------------


def _place_row(sender: Any, instance: Any, **kwargs: Any) -> None:
    data_changed(place_pages(instance.place_id))


def _place(sender: Any, instance: Any, **kwargs: Any) -> None:
    data_changed(place_pages(instance.pk))


def _forum(sender: Any, instance: Any, **kwargs: Any) -> None:
    data_changed(place_pages(instance.place_id), forum_pages(instance.pk))


def _forum_row(sender: Any, instance: Any, **kwargs: Any) -> None:
    if instance.forum_id is not None:  # an invitation may be to an organisation
        data_changed(forum_pages(instance.forum_id))


def _session(sender: Any, instance: Any, **kwargs: Any) -> None:
    data_changed(forum_pages(instance.forum_id), session_pages(instance.pk))


def _session_row(sender: Any, instance: Any, **kwargs: Any) -> None:
    """A row of a session (decision, action, agenda item...): its session's pages and its
    forum's (the forum page lists decisions and actions)."""
    from talking_points.models import Session

    names = [session_pages(instance.session_id)]
    cached = sender.session.field.get_cached_value(instance, None)
    forum_ids = (
        [cached.forum_id]
        if cached is not None
        else Session.objects.filter(pk=instance.session_id).values_list("forum_id", flat=True)
    )
    data_changed(*names, *(forum_pages(pk) for pk in forum_ids))


def _live_row(sender: Any, instance: Any, **kwargs: Any) -> None:
    """A row only the live page shows (a contribution, who is at the table)."""
    data_changed(session_pages(instance.session_id))


def _agenda_item(sender: Any, instance: Any, **kwargs: Any) -> None:
    data_changed(session_pages(instance.session_id), TALKING_POINTS)


def _talking_points(sender: Any, **kwargs: Any) -> None:
    data_changed(TALKING_POINTS)


def _everywhere(sender: Any, **kwargs: Any) -> None:
    data_changed(PLACES_EVERYWHERE)


def _places_of_organisation(organisation_id: int) -> list[str]:
    from .models import Place

    return [
        place_pages(pk)
        for pk in Place.organisations.through.objects.filter(
            organisation_id=organisation_id
        ).values_list("place_id", flat=True)
    ]


def _membership(sender: Any, instance: Any, **kwargs: Any) -> None:
    # Someone joining or leaving an organisation changes whose partnership they are in and
    # which learning they may see: pages of the organisation's places.
    data_changed(*_places_of_organisation(instance.organisation_id))


def _organisation_places(
    sender: Any, instance: Any, action: str, reverse: bool, pk_set: Any, **kwargs: Any
) -> None:
    if not action.startswith("post_"):
        return
    data_changed(PLACES_EVERYWHERE)  # reverse clears give no ids: every place


def _commissioner_places(sender: Any, action: str, **kwargs: Any) -> None:
    if action.startswith("post_"):
        data_changed(PLACES_EVERYWHERE)


def _decision_learning(
    sender: Any, instance: Any, action: str, reverse: bool, pk_set: Any, **kwargs: Any
) -> None:
    """Learning a decision rests on changed (from either side: the admin edits both)."""
    if not action.startswith("post_"):
        return
    from talking_points.models import Decision

    if reverse:  # entry.decisions_resting_on: the decisions are pk_set (None on a clear)
        decisions = Decision.objects.filter(decisions_filter(instance, pk_set))
    else:
        decisions = Decision.objects.filter(pk=instance.pk)
    data_changed(*(session_pages(pk) for pk in decisions.values_list("session_id", flat=True)))


def decisions_filter(entry: Any, pk_set: Any) -> Any:
    from django.db.models import Q

    return Q(pk__in=pk_set) if pk_set else Q(rests_on=entry)


def _learning_link(sender: Any, instance: Any, **kwargs: Any) -> None:
    from talking_points.models import Decision

    session_ids = {instance.session_id} - {None}
    if instance.decision_id is not None:
        session_ids.update(
            Decision.objects.filter(pk=instance.decision_id).values_list("session_id", flat=True)
        )
    data_changed(*(session_pages(pk) for pk in session_ids))


def _user(sender: Any, instance: Any, update_fields: Any = None, **kwargs: Any) -> None:
    if update_fields is not None and set(update_fields) <= {"last_login"}:
        return  # signing in changes nothing these pages show
    data_changed(PEOPLE)


def connect() -> None:
    from talking_points.models import (
        Action,
        AgendaItem,
        Attendance,
        Contribution,
        Decision,
        LearningLink,
        Session,
        TalkingPoint,
        TalkingPointRetirement,
        WellbeingCheckIn,
    )

    from .models import (
        Champion,
        Commission,
        CommissionerProfile,
        Forum,
        ForumJoinRequest,
        ForumMembership,
        GlossaryTerm,
        Invitation,
        Membership,
        Organisation,
        Place,
        PropositionRating,
        Relationship,
        User,
    )

    receivers: list[tuple[Any, Any]] = [
        (_place, Place),
        (_forum, Forum),
        (_session, Session),
        (_agenda_item, AgendaItem),
        (_live_row, Contribution),
        (_live_row, Attendance),
        (_session_row, Decision),
        (_session_row, Action),
        (_session_row, WellbeingCheckIn),
        (_learning_link, LearningLink),
        (_talking_points, TalkingPoint),
        (_talking_points, TalkingPointRetirement),
        (_everywhere, CommissionerProfile),
        (_everywhere, Organisation),
        (_membership, Membership),
        (_user, User),
    ]
    receivers += [(_forum_row, model) for model in (ForumMembership, ForumJoinRequest, Invitation)]
    receivers += [
        (_place_row, model)
        for model in (Champion, Commission, Relationship, GlossaryTerm, PropositionRating)
    ]
    for signal in (post_save, post_delete):
        for receiver, model in receivers:
            signal.connect(
                receiver, sender=model, dispatch_uid=f"place-pages-{model.__name__}", weak=False
            )
    m2m_changed.connect(
        _organisation_places,
        sender=Organisation.places.through,
        dispatch_uid="place-pages-organisation-places",
    )
    m2m_changed.connect(
        _commissioner_places,
        sender=CommissionerProfile.places.through,
        dispatch_uid="place-pages-commissioner-places",
    )
    m2m_changed.connect(
        _decision_learning,
        sender=Decision.rests_on.through,
        dispatch_uid="place-pages-decision-rests-on",
    )
