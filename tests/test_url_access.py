"""Every named URL, requested as every persona, answers the status code we expect.

HOW TO KEEP THIS TEST HONEST: ``ROUTES`` below must have an entry for every named URL in
our own URL namespaces (``partnerships``, ``talking_points``, any app namespace added
later, and the names defined directly in ``hls_forum/urls.py``). When you add a URL, add
its entry here: how to build its kwargs from the ``world`` fixture, and what each persona
gets. ``test_every_named_url_is_registered`` FAILS for any URL without an entry, so a new
page cannot ship without saying who may see it.

Expectations are an HTTP status, or ``LOGIN`` (a redirect to the sign-in page), or
``redirect("/prefix")`` (a redirect whose target starts with that prefix).

In ``world``, organisations A and B both work in ``world.place``, so member_a, lead_a and
member_b are in its partnership, as is the commissioner (who covers it) and the facilitator
(of ``world.forum``, which meets there). The facilitator is the forum's only member. Staff
belong to no organisation, forum or place: for private data they are outsiders.

A key may name a variant after a space (``"talking_points:entry_detail [public]"``) when one
URL must be checked against several objects, such as a learning entry at each visibility.
A case that reveals a bug not fixed yet is listed in ``known_bugs`` (persona -> reason) and
runs as a strict xfail: it fails loudly once the bug is fixed, so the entry gets cleaned up.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.utils import timezone

from api.models import AccessToken
from partnerships import services
from partnerships.models import CommissionerProfile, Membership
from privacy.models import DataExport
from reminders import tokens
from reminders.models import Delivery, DeliveryKind, DeliveryStatus
from stories.models import StoryCall, StoryRound, ToldStory, token_digest
from talking_points import services as session_services
from talking_points.models import LearningEntry, LearningLink, Session
from tests import factories
from tests.conftest import PERSONAS, World, client_for
from tests.setup.helpers import organisation_proposal_pk, place_proposal_pk

LOGIN = "login"

# Namespaces that are not ours: Django admin is checked through a few EXTRA_ROUTES below.
IGNORED_NAMESPACES = {"admin"}

Expectation = int | str
Kwargs = Callable[[World], dict[str, Any]]


def redirect(prefix: str) -> str:
    return f"redirect:{prefix}"


def no_kwargs(world: World) -> dict[str, Any]:
    return {}


def everyone(status: int) -> dict[str, Expectation]:
    return dict.fromkeys(PERSONAS, status)


def signed_in(status: int = 200) -> dict[str, Expectation]:
    return {**everyone(status), "anonymous": LOGIN}


def only(allowed: dict[str, Expectation], others: int = 403) -> dict[str, Expectation]:
    """Signed-in personas get ``others`` unless listed; anonymous visitors are sent to sign in."""
    return {**signed_in(others), **allowed}


# Who is who in ``world.place`` (see the module docstring).
ORG_A = ("member_a", "lead_a")
PARTNERSHIP = ("member_a", "lead_a", "member_b", "facilitator", "commissioner")


def seen_by(*personas: str, status: Expectation = 200, others: int = 404) -> dict[str, Expectation]:
    """A page that needs no sign-in: the listed personas get ``status``; to everyone else,
    anonymous visitors included, the object does not exist."""
    return {**everyone(others), **dict.fromkeys(personas, status)}


def each(personas: tuple[str, ...], status: Expectation) -> dict[str, Expectation]:
    return dict.fromkeys(personas, status)


def partnership(status: Expectation = 200, staff: int = 404) -> dict[str, Expectation]:
    """Signed-in pages for the place's partnership; staff are outsiders (404 by default)."""
    return only({**each(PARTNERSHIP, status), "staff": staff})


def org_a_writes(status: Expectation) -> dict[str, Expectation]:
    """Organisation A changes its own learning: partners who can read a ``place`` entry are
    refused (403); staff cannot see it at all (404)."""
    return only({**each(ORG_A, status), "staff": 404})


def forum_members(status: Expectation = 200, others: int = 404) -> dict[str, Expectation]:
    """Signed-in pages for members of ``world.forum`` (its facilitator); for session pages,
    everyone else gets 404: nobody outside a forum learns that a session exists."""
    return only({"facilitator": status}, others=others)


@dataclass(frozen=True)
class Route:
    get: dict[str, Expectation]
    kwargs: Kwargs = no_kwargs
    # For URLs that change something: what a POST (with ``post_data``) answers per persona.
    post: dict[str, Expectation] = field(default_factory=dict)
    post_data: dict[str, str] = field(default_factory=dict)
    # persona -> why the expectation above is not met yet (strict xfail; see the docstring).
    known_bugs: dict[str, str] = field(default_factory=dict)
    known_post_bugs: dict[str, str] = field(default_factory=dict)


# --- kwargs builders -------------------------------------------------------------------------


def open_story_form(world: World) -> dict[str, Any]:
    StoryCall.objects.update_or_create(place=world.place, defaults={"is_open": True})
    return {"slug": world.place.slug}


def told_story(world: World) -> ToldStory:
    # get_or_create: walks that build several routes in one world ask for it more than once.
    story, _ = ToldStory.objects.get_or_create(
        token_hash=token_digest("a-private-link"),
        defaults={"place": world.place, "story": "It helped.", "widest_visibility": "place"},
    )
    return story


def told_story_pk(world: World) -> dict[str, Any]:
    return {"pk": told_story(world).pk}


def story_round(world: World) -> dict[str, Any]:
    made = StoryRound.objects.create(place=world.place, title="Spring", domains_text="Lives")
    return {"pk": made.pk}


def own_token(world: World) -> dict[str, Any]:
    made = AccessToken.objects.create(user=world.member_a, name="Ours", token_hash="0" * 64)
    return {"pk": made.pk}


def public_commission_pk(world: World) -> dict[str, Any]:
    return commission(public=True)(world)


def told_story_token(world: World) -> dict[str, Any]:
    told_story(world)
    return {"token": "a-private-link"}


def forum_slug(world: World) -> dict[str, Any]:
    return {"slug": world.forum.slug}


def org_a_slug(world: World) -> dict[str, Any]:
    return {"slug": world.org_a.slug}


def place_slug(world: World) -> dict[str, Any]:
    return {"slug": world.place.slug}


def commissioner_pk(world: World) -> dict[str, Any]:
    return {"pk": CommissionerProfile.objects.get(user=world.commissioner).pk}


def member_a_membership(world: World) -> dict[str, Any]:
    membership = Membership.objects.get(user=world.member_a, organisation=world.org_a)
    return {"slug": world.org_a.slug, "pk": membership.pk}


def invitation_token(world: World) -> dict[str, Any]:
    invitation = services.invitation_create(
        invited_by=world.lead_a, email="invited@example.org", organisation=world.org_a
    )
    return {"token": invitation.token}


def pending_join_request(world: World) -> dict[str, Any]:
    from tests import factories

    asker = factories.UserFactory()
    join_request = services.forum_join_request_create(forum=world.forum, user=asker)
    return {"slug": world.forum.slug, "pk": join_request.pk}


# Place picture (partnerships/urls_picture.py)


def relationship(world: World) -> dict[str, Any]:
    line = factories.RelationshipFactory(place=world.place, source=world.org_a, target=world.org_b)
    return {"slug": world.place.slug, "pk": line.pk}


def glossary_term(world: World) -> dict[str, Any]:
    term = factories.GlossaryTermFactory(place=world.place, term="co-production")
    return {"slug": world.place.slug, "pk": term.pk}


def member_a_champions(world: World) -> dict[str, Any]:
    factories.ChampionFactory(place=world.place, user=world.member_a)
    return {"slug": world.place.slug}


def commission(*, public: bool) -> Kwargs:
    def build(world: World) -> dict[str, Any]:
        profile = CommissionerProfile.objects.get(user=world.commissioner)
        line = factories.CommissionFactory(
            place=world.place, commissioner=profile, is_public=public, providers=[world.org_a]
        )
        return {"pk": line.pk}

    return build


# Forum sessions (talking_points/urls_sessions.py). Only the facilitator is in the forum.


def planned(world: World) -> Session:
    return session_services.session_plan(
        forum=world.forum,
        by=world.facilitator,
        starts_at=timezone.now() + datetime.timedelta(days=1),
        venue="Community hall",
        talking_points=[factories.report_point(n) for n in ("6", "4", "16")],
        time_box_minutes=15,
    )


def live(world: World) -> Session:
    session = planned(world)
    session_services.session_open(session=session, by=world.facilitator, present=[])
    session.refresh_from_db()
    return session


def closed(world: World, summary_for: str) -> Session:
    session = live(world)
    session_services.session_close(session=session, by=world.facilitator)
    session_services.session_publish(session=session, visibility=summary_for, by=world.facilitator)
    return session


def planned_session(world: World) -> dict[str, Any]:
    return {"pk": planned(world).pk}


def live_session(world: World) -> dict[str, Any]:
    return {"pk": live(world).pk}


def closed_session(summary_for: str) -> Kwargs:
    return lambda world: {"pk": closed(world, summary_for).pk}


def planned_agenda_item(world: World) -> dict[str, Any]:
    session = planned(world)
    return {"pk": session.pk, "item_pk": session.agenda_items.order_by("position").first().pk}


def live_contribution(world: World) -> dict[str, Any]:
    session = live(world)
    contribution = session_services.contribution_add(
        session=session,
        agenda_item_id=session.current_item_id,
        user=world.facilitator,
        text="We keep hearing the same thing.",
        anonymous=False,
    )
    return {"pk": session.pk, "contribution_pk": contribution.pk}


def live_action(world: World) -> dict[str, Any]:
    action = session_services.action_add(
        session=live(world),
        by=world.facilitator,
        text="Write to the board.",
        owner=None,
        due_on=None,
    )
    return {"pk": action.pk}


def live_decision(world: World) -> dict[str, Any]:
    decision = session_services.decision_record(
        session=live(world), by=world.facilitator, text="Meet at the library from now on."
    )
    return {"pk": decision.pk}


def report_talking_point(world: World) -> dict[str, Any]:
    return {"slug": world.forum.slug, "pk": factories.report_point("1").pk}


# Learning logs (talking_points/urls_learning.py): entries by organisation A in world.place.


def entry(world: World, visibility: str, kind: str = "breakthrough") -> LearningEntry:
    return LearningEntry.objects.create(
        place=world.place,
        organisation=world.org_a,
        author=world.member_a,
        visibility=visibility,
        kind=kind,
        title=f"A {kind} shared with: {visibility}",
        body="We tried something and it worked.",
    )


def entry_at(visibility: str) -> Kwargs:
    return lambda world: {"pk": entry(world, visibility).pk}


def consented_story(world: World) -> dict[str, Any]:
    story = entry(world, "place", kind="story")
    factories.StoryConsentFactory(entry=story, widest_visibility="place")
    return {"pk": story.pk}


def link_between_entries(world: World) -> dict[str, Any]:
    source = entry(world, "place")
    link = LearningLink.objects.create(
        entry=source, other_entry=entry(world, "public"), relation="came_from"
    )
    return {"pk": link.pk}


def commissioner_review(world: World) -> dict[str, Any]:
    review = factories.ReviewFactory(entry=entry(world, "place"), author=world.commissioner)
    return {"pk": review.pk}


def learning_linked_to_planned_session(world: World) -> dict[str, Any]:
    session = planned(world)
    LearningLink.objects.create(entry=entry(world, "public"), session=session, relation="led_to")
    return {"pk": session.pk}


# The shared agenda (agenda/urls.py). Only the facilitator is in the forum.


def planned_proposal(world: World) -> dict[str, Any]:
    from agenda import services as agenda_services

    session = planned(world)
    proposal = agenda_services.proposal_create(
        session=session, by=world.facilitator, talking_point=None, text="Premises", why="Rent."
    )
    return {"pk": session.pk, "proposal_pk": proposal.pk}


def closed_with_a_decision(world: World) -> tuple[Session, Any]:
    session = live(world)
    decision = session_services.decision_record(
        session=session, by=world.facilitator, text="Meet often."
    )
    session_services.session_close(session=session, by=world.facilitator)
    session.refresh_from_db()
    return session, decision


def closed_for_corrections(world: World) -> dict[str, Any]:
    return {"pk": closed_with_a_decision(world)[0].pk}


def suggested_correction(world: World) -> dict[str, Any]:
    from agenda import services as agenda_services

    session, decision = closed_with_a_decision(world)
    correction = agenda_services.correction_create(
        session=session,
        by=world.facilitator,
        target=f"decision-{decision.pk}",
        proposed_text="Meet weekly.",
        why="That is what we said.",
    )
    return {"pk": session.pk, "correction_pk": correction.pk}


# Privacy (privacy/urls.py)


def member_a_export(world: World) -> dict[str, Any]:
    # Ready but without a file, so its owner is told it is gone (410): a test must not write
    # into the real export storage. Everyone else must not learn that it exists.
    now = timezone.now()
    export = DataExport.objects.create(
        user=world.member_a,
        status="ready",
        finished_at=now,
        expires_at=now + datetime.timedelta(days=1),
    )
    return {"pk": export.pk}


# Reminders (reminders/urls.py)


def unsubscribe_token(world: World) -> dict[str, Any]:
    return {
        "token": tokens.unsubscribe_token(user_id=world.facilitator.pk, forum_id=world.forum.pk)
    }


def invite_only_forum(world: World) -> dict[str, Any]:
    world.forum.access = "invite"
    world.forum.save(update_fields=["access"])
    return {"slug": world.forum.slug}


def failed_delivery(world: World) -> Delivery:
    when = timezone.now() - datetime.timedelta(days=1)
    return Delivery.objects.create(
        kind=DeliveryKind.REMINDER,
        forum=world.forum,
        recipient=world.facilitator,
        occasion_date=when.date(),
        occasion_at=when,
        status=DeliveryStatus.FAILED,
        detail="SMTPDataError: 550 No such mailbox",
    )


def meeting_day(world: World) -> dict[str, Any]:
    return {"slug": world.forum.slug, "day": failed_delivery(world).occasion_date.isoformat()}


def delivery_pk(world: World) -> dict[str, Any]:
    return {"pk": failed_delivery(world).pk}


def office_hours_slot(world: World) -> dict[str, Any]:
    from doors.models import OfficeHourSlot

    slot = OfficeHourSlot.objects.create(
        commissioner=CommissionerProfile.objects.get(user=world.commissioner),
        starts_at=timezone.now() + datetime.timedelta(days=3),
        mode="online",
        online_link="https://meet.example.org/office-hours",
    )
    return {"pk": slot.pk}


def office_hours_booking(world: World) -> dict[str, Any]:
    from doors import services as doors

    booking = doors.booking_create(
        slot_id=office_hours_slot(world)["pk"], partner=world.member_a, topic="Our grant"
    )
    return {"pk": booking.pk}


def visit_to_org_a(world: World) -> dict[str, Any]:
    from doors import services as doors

    visit = doors.visit_invite(
        organisation=world.org_a,
        place=world.place,
        guest=CommissionerProfile.objects.get(user=world.commissioner),
        by=world.lead_a,
        proposed_dates="Any Tuesday",
    )
    return {"pk": visit.pk}


# Conversations (threads/urls.py): a thread on world.forum (its facilitator the only
# member), and threads on learning entries of organisation A.


def forum_thread(world: World) -> Any:
    from threads import services as thread_services

    return thread_services.thread_start(
        by=world.facilitator, forum=world.forum, title="Between meetings", body="Hello all."
    )


def forum_thread_pk(world: World) -> dict[str, Any]:
    return {"pk": forum_thread(world).pk}


def entry_thread_pk(visibility: str) -> Kwargs:
    def build(world: World) -> dict[str, Any]:
        from threads import services as thread_services

        thread = thread_services.thread_start(
            by=world.member_a, entry=entry(world, visibility), title="About this", body="Why?"
        )
        return {"pk": thread.pk}

    return build


def facilitator_post(world: World) -> dict[str, Any]:
    return {"pk": forum_thread(world).posts.get().pk}


def member_a_post_on_place_entry(world: World) -> dict[str, Any]:
    from threads.models import Post

    return {"pk": Post.objects.get(thread_id=entry_thread_pk("place")(world)["pk"]).pk}


# --- Known bugs (strict xfails: a persona's case listed in a route's known_bugs) -----------

# --- The registry -------------------------------------------------------------------------------

# Decisions (decisions/urls.py): rounds in world.forum's sessions; the facilitator opened the
# session, so they are at the table.


def decision_round(session: Session, world: World, *, answered: str = "") -> Any:
    from decisions import services as decision_services

    made = decision_services.round_start(
        session=session, by=world.facilitator, method="consent", proposal="Meet at the library."
    )
    if answered:
        decision_services.position_give(
            round=made, user=world.facilitator, stance=answered, reason="No ramp."
        )
    return made


def live_round(world: World) -> dict[str, Any]:
    return {"pk": decision_round(live(world), world).pk}


def answered_round(world: World) -> dict[str, Any]:
    return {"pk": decision_round(live(world), world, answered="consent").pk}


def public_round(world: World) -> dict[str, Any]:
    session = live(world)
    made = decision_round(session, world)
    session_services.session_close(session=session, by=world.facilitator)
    session_services.session_publish(session=session, visibility="public", by=world.facilitator)
    return {"pk": made.pk}


def live_objection(world: World) -> dict[str, Any]:
    made = decision_round(live(world), world, answered="objection")
    return {"pk": made.pk, "position": made.positions.get().pk}


def public_decision(world: World) -> dict[str, Any]:
    session = live(world)
    decision = session_services.decision_record(
        session=session, by=world.facilitator, text="Meet at the library from now on."
    )
    session_services.session_close(session=session, by=world.facilitator)
    session_services.session_publish(session=session, visibility="public", by=world.facilitator)
    return {"pk": decision.pk}


def place_experiment(world: World) -> dict[str, Any]:
    return {"pk": entry(world, "place", kind="experiment").pk}


# Guests at a live session (guests/urls.py): the live session's guest link, and a guest's
# contribution waiting for the facilitator.


def guest_link(world: World) -> Any:
    from guests import services as guest_services
    from guests.models import GuestLink

    session = live(world)
    found = GuestLink.objects.filter(session=session).first()
    return found or guest_services.guest_link_make(session=session, by=world.facilitator)


def guest_token(world: World) -> dict[str, Any]:
    return {"token": guest_link(world).token}


def guest_link_session(world: World) -> dict[str, Any]:
    return {"pk": guest_link(world).session_id}


def guest_waiting(world: World) -> dict[str, Any]:
    from guests import services as guest_services

    link = guest_link(world)
    guest = guest_services.guest_join(link=link, name="Sam", anonymous=False)
    waiting = guest_services.guest_contribution_add(
        guest=guest, agenda_item_id=link.session.current_item_id, text="The bus stops too early."
    )
    return {"pk": link.session_id, "waiting_pk": waiting.pk}


# What each talking point keeps (records/urls.py). Only the facilitator is in a forum of the
# place, so only they change the records; lead_a leads Org A (assets, signing up).


def record_row(key: str) -> Kwargs:
    def build(world: World) -> dict[str, Any]:
        from records import models as records_models

        place = world.place
        row: Any
        if key == "assets":
            row = records_models.PlaceAsset.objects.create(
                place=place, name="The old library", organisation=world.org_a
            )
        elif key == "control-map":
            row = records_models.ControlItem.objects.create(place=place, text="Referrals")
        elif key == "signals":
            row = records_models.Signal.objects.create(
                place=place, text="People tell their story once", watcher=world.member_a
            )
        else:
            row = records_models.Fear.objects.create(place=place, text="Losing funding")
        return {"slug": place.slug, "pk": row.pk}

    return build


def signal_evidence_link(world: World) -> dict[str, Any]:
    from records.models import Signal, SignalEvidence

    signal = Signal.objects.create(place=world.place, text="Fewer crises")
    entry = factories.LearningEntryFactory(
        place=world.place, organisation=world.org_a, visibility="place"
    )
    link = SignalEvidence.objects.create(signal=signal, entry=entry)
    return {"slug": world.place.slug, "pk": link.pk}


def session_point(world: World) -> dict[str, Any]:
    return {"pk": planned(world).pk, "number": "5"}


def record_routes() -> dict[str, Route]:
    """The four records kept as lists share their views, so their rows share a shape."""
    routes: dict[str, Route] = {}
    for key in ("assets", "control-map", "signals", "fears"):
        name = key.replace("-", "_")
        # An organisation's lead adds and changes its own organisation's assets.
        writers = ("facilitator", "lead_a") if key == "assets" else ("facilitator",)
        routes[f"records:{name}"] = Route(
            get=partnership(200),
            kwargs=place_slug,
            post={**partnership(403), **each(writers, 400)},  # an empty form shows its errors
        )
        routes[f"records:{name}_edit"] = Route(
            get={**partnership(403), **each(writers, 200)},
            kwargs=record_row(key),
            post={**partnership(403), **each(writers, 400)},
        )
        routes[f"records:{name}_remove"] = Route(
            get={**partnership(403), **each(writers, 200)},
            kwargs=record_row(key),
            post={**partnership(403), **each(writers, 302)},
        )
        routes[f"records:{name}_csv"] = Route(get=partnership(200), kwargs=place_slug)
    return routes


ROUTES: dict[str, Route] = {
    # --- Foundation (hls_forum/urls.py, partnerships/urls.py) ----------------------------------
    "home": Route(get=everyone(200)),
    "healthz": Route(get=everyone(200)),
    "favicon": Route(get=everyone(302)),
    "robots_txt": Route(get=everyone(200)),
    "privacy": Route(get=everyone(200)),
    "talking_points:talking_point_list": Route(get=everyone(200)),
    "talking_points:dashboard": Route(get=signed_in(200)),
    "partnerships:invitation_accept": Route(
        # Anyone signed in sees the invitation; accepting checks the email address.
        get=signed_in(200),
        kwargs=invitation_token,
        post={**only({"anonymous": LOGIN}, others=400)},
    ),
    "partnerships:place_list": Route(get=everyone(200)),
    "talking_points:place_detail": Route(get=everyone(200), kwargs=place_slug),
    "partnerships:organisation_detail": Route(get=everyone(200), kwargs=org_a_slug),
    "partnerships:organisation_invite": Route(
        get=only({"lead_a": 200}),
        kwargs=org_a_slug,
        post=only({"lead_a": 302}),
        post_data={"email": "colleague@example.org", "role": "staff"},
    ),
    "partnerships:membership_remove": Route(
        get=only({"lead_a": 200}),
        kwargs=member_a_membership,
        post=only({"lead_a": 302}),
    ),
    "partnerships:commissioner_detail": Route(get=everyone(200), kwargs=commissioner_pk),
    "partnerships:commissioner_edit": Route(
        get=only({"commissioner": 200}),
        kwargs=commissioner_pk,
        post=only({"commissioner": 200}),  # an empty form re-renders with its errors
    ),
    "talking_points:forum_detail": Route(get=everyone(200), kwargs=forum_slug),
    "partnerships:forum_edit": Route(
        get=only({"facilitator": 200}),
        kwargs=forum_slug,
        post=only({"facilitator": 200}),  # an empty form re-renders with its errors
    ),
    "partnerships:forum_join": Route(
        # Members are sent back to the forum; everyone else signed in may ask.
        get={**signed_in(200), "facilitator": 302},
        kwargs=forum_slug,
        post={**signed_in(302)},
    ),
    "partnerships:join_request_decide": Route(
        get=signed_in(405),
        kwargs=pending_join_request,
        post=only({"facilitator": 302}),
        post_data={"decision": "accept"},
    ),
    "partnerships:forum_invite": Route(
        get=only({"facilitator": 200}),
        kwargs=forum_slug,
        post=only({"facilitator": 302}),
        post_data={"email": "guest@example.org"},
    ),
    "partnerships:forum_leave": Route(
        get=only({"facilitator": 200}),
        kwargs=forum_slug,
        post=only({"facilitator": 409}),  # the only facilitator may not leave
    ),
    # --- Place picture (talking_points/urls_picture.py) ---------------------------------------
    "talking_points:place_picture": Route(get=everyone(200), kwargs=place_slug),
    "talking_points:system_map": Route(
        # The partnership sees the map; only forum members draw on it.
        get=partnership(200),
        kwargs=place_slug,
        post={**partnership(403), "facilitator": 400},  # an empty form shows its errors
    ),
    "talking_points:relationship_remove": Route(
        get={**partnership(403), "facilitator": 200},
        kwargs=relationship,
        post={**partnership(403), "facilitator": 302},
    ),
    "talking_points:propositions": Route(
        get=partnership(200),
        kwargs=place_slug,
        post={**partnership(403), "facilitator": 400},
    ),
    "talking_points:glossary": Route(
        # The glossary is public; the partnership adds to it. The form is only offered to
        # partners, so a post from anyone else (signed in or not) is refused with a reason.
        get=everyone(200),
        kwargs=place_slug,
        post={**each(PARTNERSHIP, 400), "staff": 403, "anonymous": 403},
    ),
    "talking_points:glossary_edit": Route(
        get=only(each(PARTNERSHIP, 200)),
        kwargs=glossary_term,
        post=only(each(PARTNERSHIP, 400)),
    ),
    "talking_points:glossary_delete": Route(
        get=only(each(PARTNERSHIP, 200)),
        kwargs=glossary_term,
        post=only(each(PARTNERSHIP, 302)),
    ),
    "talking_points:champions": Route(
        get=everyone(200),
        kwargs=place_slug,
        post={**each(PARTNERSHIP, 400), "staff": 403, "anonymous": 403},  # as the glossary
    ),
    "talking_points:champion_step_down": Route(
        # Only a champion has something to step down from.
        get=only({"member_a": 200}, others=404),
        kwargs=member_a_champions,
        post=only({"member_a": 302}, others=404),
    ),
    "talking_points:commission_list": Route(get=everyone(200)),
    "talking_points:commission_export": Route(get=everyone(200)),
    "talking_points:commission_create": Route(
        get=only({"commissioner": 200}),
        post=only({"commissioner": 200}),  # an empty form re-renders with its errors
    ),
    "talking_points:commission_detail [public]": Route(
        get=everyone(200), kwargs=commission(public=True)
    ),
    "talking_points:commission_detail [unpublished]": Route(
        get=seen_by(*PARTNERSHIP), kwargs=commission(public=False)
    ),
    "talking_points:commission_edit": Route(
        get={**partnership(403), "commissioner": 200},
        kwargs=commission(public=False),
        post={**partnership(403), "commissioner": 200},  # re-renders with its errors
    ),
    "talking_points:commission_delete": Route(
        get={**partnership(403), "commissioner": 200},
        kwargs=commission(public=False),
        post={**partnership(403), "commissioner": 302},
    ),
    "talking_points:forum_wellbeing": Route(get=forum_members(200), kwargs=forum_slug),
    "talking_points:wellbeing_check_in": Route(
        get=forum_members(200),
        kwargs=live_session,
        post=forum_members(400),
    ),
    "talking_points:readability_check": Route(
        # htmx helper that scores the posted text; it reads and stores nothing.
        get=everyone(405),
        post=everyone(200),
        post_data={"text": "We will work together on what matters to people."},
    ),
    # --- Forum sessions (talking_points/urls_sessions.py) -------------------------------------
    # The forum and its published record are public; sessions belong to its members.
    "talking_points:forum_talking_points": Route(
        get=only({"facilitator": 200}),
        kwargs=forum_slug,
        post=only({"facilitator": 302}),
        post_data={"text": "How do we hear from people who never come?"},
    ),
    "talking_points:talking_point_retire": Route(
        get=signed_in(405),
        kwargs=report_talking_point,
        post=only({"facilitator": 302}),
    ),
    "talking_points:forum_sessions": Route(get=everyone(200), kwargs=forum_slug),
    "talking_points:forum_decisions": Route(get=everyone(200), kwargs=forum_slug),
    "talking_points:forum_actions": Route(get=everyone(200), kwargs=forum_slug),
    "talking_points:session_plan": Route(
        get=only({"facilitator": 200}),
        kwargs=forum_slug,
        post=only({"facilitator": 400}),
    ),
    "talking_points:session_detail [planned]": Route(
        get=seen_by("facilitator"), kwargs=planned_session
    ),
    "talking_points:session_detail [live]": Route(get=seen_by("facilitator"), kwargs=live_session),
    "talking_points:session_detail [closed, members only]": Route(
        get=seen_by("facilitator"), kwargs=closed_session("members")
    ),
    "talking_points:session_detail [closed, published to the place]": Route(
        get=seen_by(*PARTNERSHIP), kwargs=closed_session("place")
    ),
    "talking_points:session_detail [closed, public]": Route(
        get=everyone(200), kwargs=closed_session("public")
    ),
    "talking_points:session_edit": Route(
        get=forum_members(200), kwargs=planned_session, post=forum_members(400)
    ),
    "talking_points:session_delete": Route(
        get=forum_members(200), kwargs=planned_session, post=forum_members(302)
    ),
    "talking_points:agenda_add": Route(
        get=signed_in(405), kwargs=planned_session, post=forum_members(400)
    ),
    "talking_points:agenda_item_time_box": Route(
        get=signed_in(405), kwargs=planned_agenda_item, post=forum_members(400)
    ),
    "talking_points:agenda_item_move": Route(
        get=signed_in(405),
        kwargs=planned_agenda_item,
        post=forum_members(302),
        post_data={"direction": "down"},
    ),
    "talking_points:agenda_item_remove": Route(
        get=signed_in(405), kwargs=planned_agenda_item, post=forum_members(302)
    ),
    "talking_points:session_open": Route(
        get=forum_members(200),
        kwargs=planned_session,
        post=forum_members(302),
        post_data={"confirm_early": "on"},  # it is planned for tomorrow
    ),
    "talking_points:session_join": Route(
        get=signed_in(405), kwargs=live_session, post=forum_members(302)
    ),
    "talking_points:session_poll": Route(get=seen_by("facilitator"), kwargs=live_session),
    "talking_points:agenda_advance": Route(
        get=signed_in(405), kwargs=live_session, post=forum_members(302)
    ),
    "talking_points:contribution_add": Route(
        get=signed_in(405), kwargs=live_session, post=forum_members(400)
    ),
    "talking_points:contribution_hide": Route(
        get=forum_members(200),
        kwargs=live_contribution,
        post=forum_members(400),  # a reason is required
    ),
    "talking_points:session_export": Route(get=forum_members(200), kwargs=live_session),
    "talking_points:round_robin": Route(
        get=signed_in(405), kwargs=live_session, post=forum_members(400)
    ),
    "talking_points:decision_add": Route(
        get=signed_in(405), kwargs=live_session, post=forum_members(400)
    ),
    "talking_points:action_add": Route(
        get=signed_in(405), kwargs=live_session, post=forum_members(400)
    ),
    "talking_points:session_close": Route(
        get=forum_members(200), kwargs=live_session, post=forum_members(302)
    ),
    "talking_points:session_publish": Route(
        get=signed_in(405), kwargs=closed_session("members"), post=forum_members(400)
    ),
    "talking_points:action_done": Route(
        get=signed_in(405), kwargs=live_action, post=forum_members(302)
    ),
    # --- Learning logs (talking_points/urls_learning.py) --------------------------------------
    # Lists show each reader what they may see, so they answer everyone; one entry is a 404
    # to whoever its visibility leaves out. Organisation A keeps its log; others may not.
    "talking_points:learning_log": Route(get=everyone(200), kwargs=place_slug),
    "talking_points:learning_compare": Route(get=everyone(200), kwargs=place_slug),
    "talking_points:learning_export_csv": Route(get=everyone(200), kwargs=place_slug),
    "talking_points:learning_print": Route(get=everyone(200), kwargs=place_slug),
    "talking_points:learning_feed": Route(get=everyone(200), kwargs=place_slug),
    "talking_points:learning_search": Route(get=everyone(200)),
    "talking_points:entry_create": Route(
        # Members of organisations working in the place write; others are told how to.
        get=only(each(("member_a", "lead_a", "member_b"), 200)),
        kwargs=place_slug,
        post=only(each(("member_a", "lead_a", "member_b"), 200)),  # re-renders with errors
    ),
    "talking_points:entry_detail [organisation]": Route(
        get=seen_by(*ORG_A), kwargs=entry_at("organisation")
    ),
    "talking_points:entry_detail [commissioners]": Route(
        get=seen_by(*ORG_A, "commissioner"), kwargs=entry_at("commissioners")
    ),
    "talking_points:entry_detail [place]": Route(
        get=seen_by(*PARTNERSHIP), kwargs=entry_at("place")
    ),
    "talking_points:entry_detail [public]": Route(get=everyone(200), kwargs=entry_at("public")),
    "talking_points:entry_detail [story without consent]": Route(
        get=seen_by(*ORG_A), kwargs=lambda world: {"pk": entry(world, "place", kind="story").pk}
    ),
    "talking_points:entry_edit": Route(
        get=org_a_writes(200), kwargs=entry_at("place"), post=org_a_writes(200)
    ),
    "talking_points:entry_delete": Route(
        get=org_a_writes(200), kwargs=entry_at("place"), post=org_a_writes(302)
    ),
    "talking_points:entry_share": Route(
        get=org_a_writes(200), kwargs=entry_at("place"), post=org_a_writes(200)
    ),
    "talking_points:consent_record": Route(
        get=org_a_writes(200), kwargs=consented_story, post=org_a_writes(200)
    ),
    "talking_points:consent_withdraw": Route(
        get=org_a_writes(200), kwargs=consented_story, post=org_a_writes(302)
    ),
    "talking_points:entry_link_add": Route(
        get=org_a_writes(200), kwargs=entry_at("place"), post=org_a_writes(200)
    ),
    "talking_points:entry_link_remove": Route(
        get=signed_in(405), kwargs=link_between_entries, post=org_a_writes(302)
    ),
    "talking_points:entry_mark_read": Route(
        get=signed_in(405),
        kwargs=entry_at("place"),
        post=only({"commissioner": 302, "staff": 404}),
    ),
    "talking_points:review_create": Route(
        get=only({"commissioner": 200, "staff": 404}),
        kwargs=entry_at("place"),
        post=only({"commissioner": 200, "staff": 404}),  # re-renders with its errors
    ),
    "talking_points:review_reply": Route(
        # A conversation between organisation A and the commissioner who responded.
        get=only({**each(ORG_A, 200), "commissioner": 200, "staff": 404}),
        kwargs=commissioner_review,
        post=only({**each(ORG_A, 200), "commissioner": 200, "staff": 404}),
    ),
    "talking_points:review_queue": Route(get=only({"commissioner": 200})),
    "talking_points:session_learning": Route(
        get=seen_by("facilitator"),
        kwargs=learning_linked_to_planned_session,
    ),
    "talking_points:decision_learning": Route(
        get=seen_by("facilitator"),
        kwargs=live_decision,
    ),
    # --- Security and privacy (privacy/urls.py) -----------------------------------------------
    "privacy:data": Route(get=signed_in(200)),
    "privacy:export_request": Route(get=signed_in(405), post=signed_in(302)),
    "privacy:export_download": Route(
        get=only({"member_a": 410}, others=404), kwargs=member_a_export
    ),
    "privacy:account_delete": Route(
        get=signed_in(200),
        # Erasing an account asks for the password again first.
        post=signed_in(redirect("/accounts/reauthenticate/")),
        post_data={"confirm": "on"},
    ),
    "privacy:audit_log": Route(get=only({"staff": 200})),
    # "Stay signed in" in the idle warning: a plain post goes back to the person's home.
    "privacy:stay_signed_in": Route(get=everyone(405), post=signed_in(302)),
    # --- Reminders (reminders/urls.py) ---------------------------------------------------------
    "reminders:preferences": Route(
        get=signed_in(200),
        # Weekly digests are for commissioners and VCS staff; an empty form shows its errors.
        post=only(each(("member_a", "lead_a", "member_b", "commissioner"), 200)),
    ),
    "reminders:forum_reminders_toggle": Route(
        get=signed_in(405),
        kwargs=forum_slug,
        post=only({"facilitator": 302}),
        post_data={"enabled": "0"},
    ),
    "reminders:unsubscribe": Route(
        # RFC 8058: the signed address is the key; no sign-in or cookie needed.
        get=everyone(200),
        kwargs=unsubscribe_token,
        post=everyone(200),
    ),
    "reminders:forum_calendar [open forum]": Route(get=everyone(200), kwargs=forum_slug),
    "reminders:forum_calendar [invite-only forum]": Route(
        get=seen_by("facilitator"), kwargs=invite_only_forum
    ),
    "reminders:forum_deliveries": Route(get=only({"facilitator": 200}), kwargs=forum_slug),
    "reminders:meeting_deliveries": Route(get=only({"facilitator": 200}), kwargs=meeting_day),
    "reminders:delivery_resend": Route(
        get=only({"facilitator": 200}),
        kwargs=delivery_pk,
        post=only({"facilitator": 302}),
    ),
    "reminders:emails_attention": Route(get=only({"staff": 200})),
    "reminders:email_resend": Route(
        get=only({"staff": 200}),
        kwargs=delivery_pk,
        post=only({"staff": 302}),
    ),
    # --- Set-up without admin (setup/urls.py); empty forms re-render with their errors ----------
    "setup:my_proposals": Route(get=signed_in(200)),
    "setup:place_propose": Route(get=signed_in(200), post=signed_in(200)),
    "setup:organisation_propose": Route(get=signed_in(200), post=signed_in(200)),
    "setup:review_queue": Route(get=only({"staff": 200}, others=404)),
    "setup:place_proposal": Route(
        # member_a proposed it: they see it but may not decide it.
        get=only({"member_a": 200, "staff": 200}, others=404),
        kwargs=place_proposal_pk,
        post=only({"member_a": 403, "staff": 200}, others=404),
    ),
    "setup:organisation_proposal": Route(
        # member_b proposed it in world.place, where lead_a leads an organisation.
        get=only({"member_b": 200, "lead_a": 200, "staff": 200}, others=404),
        kwargs=organisation_proposal_pk,
        post=only({"member_b": 403, "lead_a": 200, "staff": 200}, others=404),
    ),
    "setup:forum_create": Route(
        get=only({"facilitator": 200}),
        kwargs=place_slug,
        post=only({"facilitator": 200}),
    ),
    "setup:engagement_assess": Route(
        get=only({"facilitator": 200}),
        kwargs=place_slug,
        post=only({"facilitator": 200}),
    ),
    "setup:organisation_profile": Route(
        get=only({"lead_a": 200}),
        kwargs=org_a_slug,
        post=only({"lead_a": 200}),
    ),
    # --- Stories told by people who use services (stories/urls.py) ---------------------------
    "stories:tell_us": Route(
        get=everyone(200),
        kwargs=open_story_form,
        post=everyone(400),  # an empty story
    ),
    "stories:tell_us [closed]": Route(get=everyone(200), kwargs=place_slug),
    "stories:told": Route(get=everyone(200), kwargs=place_slug),
    "stories:queue": Route(
        get=only({"facilitator": 200}, others=404),
        kwargs=place_slug,
        post=only({"facilitator": 302}, others=404),  # closes the form
    ),
    "stories:decide": Route(
        get=only({"facilitator": 200}, others=404),
        kwargs=told_story_pk,
        post=only({"facilitator": 200}, others=404),  # no choice made: the page again
    ),
    "stories:withdraw": Route(get=everyone(200), kwargs=told_story_token, post=everyone(200)),
    "stories:round_list": Route(
        get=partnership(200),
        kwargs=place_slug,
        # An empty round is refused (400); only facilitators start one.
        post={**partnership(403), "facilitator": 400},
    ),
    "stories:round_detail": Route(
        get=partnership(200),
        kwargs=story_round,
        post=partnership(200),  # nothing to do
    ),
    # --- The shared agenda (agenda/urls.py): the forum's members only ------------------
    "agenda:proposal_new": Route(
        get=forum_members(200), kwargs=planned_session, post=forum_members(400)
    ),
    "agenda:proposal_answer": Route(
        get=forum_members(200), kwargs=planned_proposal, post=forum_members(400)
    ),
    "agenda:my_proposals": Route(get=signed_in(200)),
    "agenda:rota": Route(get=forum_members(200), kwargs=forum_slug),
    "agenda:rota_settings": Route(get=signed_in(405), kwargs=forum_slug, post=forum_members(400)),
    "agenda:rota_willing": Route(get=signed_in(405), kwargs=forum_slug, post=forum_members(302)),
    "agenda:rota_change": Route(
        get=forum_members(200), kwargs=planned_session, post=forum_members(400)
    ),
    "agenda:rota_skip": Route(
        get=signed_in(405),
        kwargs=planned_session,
        post=forum_members(409),  # nobody has said they are willing
    ),
    "agenda:correction_new": Route(
        get=forum_members(200), kwargs=closed_for_corrections, post=forum_members(400)
    ),
    "agenda:correction_answer": Route(
        get=forum_members(200), kwargs=suggested_correction, post=forum_members(400)
    ),
    # What each talking point keeps: the place's partnership reads, forum members change.
    **record_routes(),
    "records:keep": Route(get=partnership(200), kwargs=place_slug),
    "records:vcs_trend": Route(get=partnership(200), kwargs=place_slug),
    "records:vcs_trend_csv": Route(get=partnership(200), kwargs=place_slug),
    "records:agreement": Route(get=partnership(200), kwargs=place_slug),
    "records:agreement_history": Route(get=partnership(200), kwargs=place_slug),
    "records:agreement_csv": Route(get=partnership(200), kwargs=place_slug),
    "records:agreement_edit": Route(
        get={**partnership(403), "facilitator": 200},
        kwargs=place_slug,
        post={**partnership(403), "facilitator": 400},
    ),
    "records:agreement_sign": Route(
        # Leads sign up for their organisation; an empty post is sent back with a message.
        get=signed_in(405),
        kwargs=place_slug,
        post={**partnership(403), "lead_a": 302},
    ),
    "records:signal_evidence": Route(
        get={**partnership(403), "facilitator": 200},
        kwargs=record_row("signals"),
        post={**partnership(403), "facilitator": 400},
    ),
    "records:evidence_remove": Route(
        get={**partnership(403), "facilitator": 200},
        kwargs=signal_evidence_link,
        post={**partnership(403), "facilitator": 302},
    ),
    "records:fear_review": Route(
        get=partnership(200),
        kwargs=record_row("fears"),
        post={**partnership(403), "facilitator": 400},
    ),
    "records:from_session": Route(
        # Only forum members see a planned session, so only they follow its link.
        get=only({"facilitator": redirect("/places/testford/keep/control-map/")}, others=404),
        kwargs=session_point,
    ),
    # A guest link works for anyone, signed in or not, with no account needed; pages for
    # one who has not joined send them to join, and an empty join form shows its errors.
    "guests:join": Route(get=everyone(200), kwargs=guest_token, post=everyone(400)),
    "guests:live": Route(get=everyone(redirect("/g/")), kwargs=guest_token),
    "guests:say": Route(get=everyone(405), kwargs=guest_token, post=everyone(403)),
    "guests:panel": Route(get=forum_members(200), kwargs=guest_link_session),
    "guests:link_make": Route(get=signed_in(405), kwargs=live_session, post=forum_members(302)),
    "guests:waiting_admit": Route(
        get=signed_in(405), kwargs=guest_waiting, post=forum_members(302)
    ),
    "guests:waiting_decline": Route(
        get=forum_members(200), kwargs=guest_waiting, post=forum_members(302)
    ),
    # --- The API (api/urls.py): JSON. A browser session is not a token, so every persona
    # reads as the public does: public objects, and 404 for the rest. ----------------------
    "api:schema": Route(get=everyone(200)),
    "api:place-list": Route(get=everyone(200)),
    "api:place-detail": Route(get=everyone(200), kwargs=place_slug),
    "api:organisation-list": Route(get=everyone(200)),
    "api:organisation-detail": Route(get=everyone(200), kwargs=org_a_slug),
    "api:commissioner-list": Route(get=everyone(200)),
    "api:commissioner-detail": Route(get=everyone(200), kwargs=commissioner_pk),
    "api:forum-list": Route(get=everyone(200)),
    "api:forum-detail": Route(get=everyone(200), kwargs=forum_slug),
    "api:session-list": Route(get=everyone(200)),
    "api:session-detail": Route(get=everyone(404), kwargs=planned_session),
    "api:commission-list": Route(get=everyone(200)),
    "api:commission-detail": Route(get=everyone(200), kwargs=public_commission_pk),
    "api:learning-list": Route(get=everyone(200), post=everyone(401)),
    "api:learning-detail": Route(get=everyone(200), kwargs=entry_at("public")),
    "api:learning-detail [organisation]": Route(get=everyone(404), kwargs=entry_at("organisation")),
    "api:tokens": Route(get=signed_in(200), post=signed_in(400)),  # an empty form
    "api:token_revoke": Route(
        get=only({"member_a": 200}, others=404),
        kwargs=own_token,
        post=only({"member_a": 302}, others=404),
    ),
    # --- Decisions (decisions/urls.py) ------------------------------------------------------
    "decisions:round_start": Route(
        get=forum_members(200), kwargs=live_session, post=forum_members(400)
    ),
    "decisions:round_detail [live]": Route(get=seen_by("facilitator"), kwargs=live_round),
    "decisions:round_detail [closed, public]": Route(get=everyone(200), kwargs=public_round),
    "decisions:position_give": Route(
        get=signed_in(405), kwargs=live_round, post=forum_members(400)
    ),
    "decisions:objection_withdraw": Route(
        get=signed_in(405), kwargs=live_objection, post=forum_members(302)
    ),
    "decisions:proposal_amend": Route(
        get=signed_in(405), kwargs=live_round, post=forum_members(400)
    ),
    "decisions:round_end": Route(
        get=signed_in(405), kwargs=answered_round, post=forum_members(302)
    ),
    "decisions:decision_detail [live]": Route(get=seen_by("facilitator"), kwargs=live_decision),
    "decisions:decision_detail [closed, public]": Route(get=everyone(200), kwargs=public_decision),
    "decisions:decision_review_date": Route(
        get=signed_in(405), kwargs=live_decision, post=forum_members(302)
    ),
    "decisions:decision_look_back": Route(
        get=signed_in(405), kwargs=live_decision, post=forum_members(400)
    ),
    "decisions:experiment_review": Route(
        get=seen_by(*PARTNERSHIP),
        kwargs=place_experiment,
        # Organisation A records a review (an empty one is explained); partners who can read
        # it are refused; nobody else learns it exists.
        post={
            **seen_by(*PARTNERSHIP, status=403),
            **each(ORG_A, 400),
        },
    ),
    # --- Office hours and visits (doors/urls.py) ---------------------------------------------
    # Office hours are booked by partners from voluntary organisations in the places the
    # commissioner covers: others in the partnership see the time but may not book it.
    "doors:slot_new": Route(get=only({"commissioner": 200}), post=only({"commissioner": 200})),
    "doors:slot_book": Route(
        get=only({**each(("member_a", "lead_a", "member_b"), 200), "staff": 404}),
        kwargs=office_hours_slot,
        post=only({**each(("member_a", "lead_a", "member_b"), 302), "staff": 404}),
        post_data={"topic": "Our grant"},
    ),
    "doors:slot_remove": Route(
        get=only({"commissioner": 200, "staff": 404}),
        kwargs=office_hours_slot,
        post=only({"commissioner": 302, "staff": 404}),
    ),
    "doors:bookings": Route(get=signed_in(200)),
    "doors:booking_cancel": Route(
        get=only(each(("member_a", "commissioner"), 200), others=404),
        kwargs=office_hours_booking,
        post=only(each(("member_a", "commissioner"), 302), others=404),
    ),
    "doors:visits": Route(get=signed_in(200)),
    "doors:visit_new": Route(
        get=only(each(("member_a", "lead_a", "member_b"), 200)),
        post=only(each(("member_a", "lead_a", "member_b"), 200)),
    ),
    "doors:visit_detail": Route(
        get=only(each(("member_a", "lead_a", "commissioner"), 200), others=404),
        kwargs=visit_to_org_a,
    ),
    "doors:visit_answer": Route(
        get=signed_in(405),
        kwargs=visit_to_org_a,
        post=only({"commissioner": 302, **each(ORG_A, 403)}, others=404),
        post_data={"accept": "yes", "visit_date": "2027-03-09"},
    ),
    "doors:visit_learning": Route(
        get=signed_in(405),
        kwargs=visit_to_org_a,
        # Not accepted yet: the organisation's members are sent back to the visit.
        post=only({"commissioner": 403, **each(ORG_A, 302)}, others=404),
        post_data={"learned": "A lot"},
    ),
    # --- Conversations (threads/urls.py) ----------------------------------------------------
    "threads:forum_threads": Route(
        # A forum's conversations are its members'; to anyone else they do not exist.
        get=forum_members(200),
        kwargs=forum_slug,
        post=forum_members(302),
        post_data={"title": "Next steps", "body": "Shall we write to the board?"},
    ),
    "threads:entry_threads [place]": Route(
        get=seen_by(*PARTNERSHIP),
        kwargs=entry_at("place"),
        post=seen_by(*PARTNERSHIP, status=302),
        post_data={"title": "A question", "body": "How did you start?"},
    ),
    "threads:entry_threads [public]": Route(
        get=everyone(200),
        kwargs=entry_at("public"),
        post=signed_in(302),
        post_data={"title": "A question", "body": "How did you start?"},
    ),
    "threads:thread_detail [forum]": Route(
        get=seen_by("facilitator"),
        kwargs=forum_thread_pk,
        post=seen_by("facilitator", status=302),
        post_data={"body": "Agreed."},
    ),
    "threads:thread_detail [organisation entry]": Route(
        get=seen_by(*ORG_A), kwargs=entry_thread_pk("organisation")
    ),
    "threads:thread_detail [public entry]": Route(
        get=everyone(200),
        kwargs=entry_thread_pk("public"),
        post=signed_in(302),
        post_data={"body": "Agreed."},
    ),
    "threads:thread_follow": Route(
        get=forum_members(200),
        kwargs=forum_thread_pk,
        post=forum_members(302),
        post_data={"choice": "reply_off"},
    ),
    "threads:post_edit [forum]": Route(
        get=forum_members(200),
        kwargs=facilitator_post,
        post=forum_members(302),
        post_data={"body": "Edited."},
    ),
    "threads:post_edit [place entry, member A's post]": Route(
        # Partners who can read the thread may not change someone else's post.
        get=only({**each(PARTNERSHIP, 403), "member_a": 200, "staff": 404}),
        kwargs=member_a_post_on_place_entry,
    ),
    "threads:post_delete": Route(
        get=forum_members(200),
        kwargs=facilitator_post,
        post=forum_members(302),
    ),
    # The inbound webhook exists only with MAILGUN_WEBHOOK_SIGNING_KEY set (not in tests).
    "threads:inbound_mailgun": Route(get=everyone(404), post=everyone(404)),
    # --- How we are funded, and open data (funding/urls.py) ---------------------------------
    # The aggregate mix is for the place's partnership; one organisation's mix for its own
    # members only (its lead records it); the register's open data for whoever may see it.
    "funding:place_funding": Route(get=everyone(200), kwargs=place_slug),
    "funding:place_funding_export": Route(get=seen_by(*PARTNERSHIP), kwargs=place_slug),
    "funding:organisation_funding": Route(
        get=only(each(ORG_A, 200), others=404),
        kwargs=org_a_slug,
        post=only({"lead_a": 200, "member_a": 403}, others=404),  # an empty form re-renders
    ),
    "funding:organisation_org_id": Route(
        get=only({"lead_a": 200, "member_a": 403}, others=404),
        kwargs=org_a_slug,
        post=only({"lead_a": 302, "member_a": 403}, others=404),  # empty: no org-id
    ),
    "funding:open_data": Route(get=everyone(200)),
    "funding:register_json": Route(get=everyone(200)),
    "funding:register_csv": Route(get=everyone(200)),
}

# Not in our namespaces, but part of the access story: admin and sign-in.
EXTRA_ROUTES: dict[str, Route] = {
    "admin:index": Route(
        get={
            **everyone(302),
            "anonymous": redirect("/admin/login/"),
            "staff": 200,  # staff in ``world`` have set up two-step sign-in
        }
    ),
    "admin:login": Route(get={**only({"staff": 302}), "anonymous": LOGIN}),
    "account_login": Route(get={**everyone(302), "anonymous": 200}),
    "account_signup": Route(get={**everyone(302), "anonymous": 200}),
    "mfa_index": Route(get=signed_in(200)),
}


# --- Walking the URL resolver ---------------------------------------------------------------------


def is_project_module(module: Any) -> bool:
    path = Path(getattr(module, "__file__", "") or "/").resolve()
    base = Path(settings.BASE_DIR).resolve()
    return base in path.parents and not any(
        part in {".venv", "site-packages"} for part in path.parts
    )


def our_url_names() -> set[str]:
    """Every named URL in our namespaces and in our own (namespace-free) URL modules."""
    names: set[str] = set()

    def walk(patterns: list[Any], prefix: str) -> None:
        for pattern in patterns:
            if isinstance(pattern, URLResolver):
                namespace = pattern.namespace
                if namespace in IGNORED_NAMESPACES:
                    continue
                if namespace is None and not is_project_module(pattern.urlconf_module):
                    continue  # a third-party app's URLs (allauth)
                walk(pattern.url_patterns, f"{prefix}{namespace}:" if namespace else prefix)
            elif isinstance(pattern, URLPattern) and pattern.name:
                names.add(prefix + pattern.name)

    walk(get_resolver().url_patterns, "")
    return names


def url_name(key: str) -> str:
    """``"app:name [variant]"`` -> ``"app:name"``."""
    return key.split(" ", 1)[0]


def test_every_named_url_is_registered() -> None:
    names = our_url_names()
    registered = {url_name(key) for key in ROUTES}

    missing = sorted(names - registered)
    stale = sorted(registered - names)

    assert missing == [], (
        "These named URLs have no entry in ROUTES in tests/test_url_access.py. Add one that "
        f"says what each persona gets: {missing}"
    )
    assert stale == [], f"ROUTES lists URLs that no longer exist: {stale}"


def test_the_walk_finds_our_namespaces() -> None:
    names = our_url_names()

    assert {"home", "talking_points:dashboard", "talking_points:talking_point_list"} <= names
    assert not any(name.startswith(("admin:", "account_", "mfa_")) for name in names)


# --- Requesting them ------------------------------------------------------------------------------


def check(response: Any, expected: Expectation, what: str) -> None:
    location = response.get("Location", "")
    if expected == LOGIN:
        assert response.status_code == 302, what
        assert location.startswith(reverse("account_login") + "?next="), (what, location)
    elif isinstance(expected, str):
        prefix = expected.removeprefix("redirect:")
        assert response.status_code == 302, what
        assert location.startswith(prefix), (what, location)
    else:
        assert response.status_code == expected, (what, location)


ALL_ROUTES = {**ROUTES, **EXTRA_ROUTES}


def expect_bug(request: pytest.FixtureRequest, bugs: dict[str, str], persona: str) -> None:
    if persona in bugs:
        request.applymarker(pytest.mark.xfail(reason=bugs[persona], strict=True))


@pytest.mark.parametrize("name", sorted(ALL_ROUTES))
def test_get_every_url_as_every_persona(
    request: pytest.FixtureRequest, world: World, persona: str, persona_client: Client, name: str
) -> None:
    route = ALL_ROUTES[name]
    expect_bug(request, route.known_bugs, persona)
    url = reverse(url_name(name), kwargs=route.kwargs(world))

    response = persona_client.get(url)

    check(response, route.get[persona], f"GET {url} as {persona}")


POST_ROUTES = sorted(name for name, route in ALL_ROUTES.items() if route.post)


@pytest.mark.parametrize("name", POST_ROUTES)
def test_post_to_every_changing_url_as_every_persona(
    request: pytest.FixtureRequest, world: World, persona: str, name: str
) -> None:
    route = ALL_ROUTES[name]
    expect_bug(request, route.known_post_bugs, persona)
    url = reverse(url_name(name), kwargs=route.kwargs(world))

    response = client_for(world.user(persona)).post(url, route.post_data)

    check(response, route.post[persona], f"POST {url} as {persona}")


def test_registry_covers_every_persona() -> None:
    for name, route in ALL_ROUTES.items():
        assert set(route.get) == set(PERSONAS), name
        assert not route.post or set(route.post) == set(PERSONAS), name
        assert set(route.known_bugs) <= set(PERSONAS), name
        assert set(route.known_post_bugs) <= set(route.post), name
