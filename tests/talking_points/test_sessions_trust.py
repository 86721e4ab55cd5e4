"""Who sees a session: only the forum's members see a live or planned session and what was
said in it; everyone else gets a 404, exactly as if it did not exist. Published summaries
follow the visibility the facilitator chose."""

from __future__ import annotations

import pytest
from django.urls import reverse

from partnerships.models import ForumMembership
from talking_points import services
from talking_points.models import Contribution
from tests import factories
from tests.conftest import World, client_for
from tests.talking_points.sessions_helpers import SessionWorld, closed, live  # noqa: F401

OUTSIDERS = ["lead_a", "commissioner", "staff"]
MISSING = 999_999


def session_urls(sw: SessionWorld, pk: int, item_pk: int, c_pk: int) -> list[tuple[str, str]]:
    """Every URL that names a session, with the method to call it by."""

    def url(name: str, **kwargs: int) -> str:
        return reverse(f"talking_points:{name}", kwargs={"pk": pk, **kwargs})

    return [
        ("get", url("session_detail")),
        ("get", url("session_edit")),
        ("post", url("session_edit")),
        ("get", url("session_delete")),
        ("post", url("session_delete")),
        ("post", url("agenda_add")),
        ("post", url("agenda_item_time_box", item_pk=item_pk)),
        ("post", url("agenda_item_move", item_pk=item_pk)),
        ("post", url("agenda_item_remove", item_pk=item_pk)),
        ("get", url("session_open")),
        ("post", url("session_open")),
        ("post", url("session_join")),
        ("get", url("session_poll")),
        ("post", url("agenda_advance")),
        ("post", url("contribution_add")),
        ("get", url("contribution_hide", contribution_pk=c_pk)),
        ("post", url("contribution_hide", contribution_pk=c_pk)),
        ("get", url("session_export")),
        ("post", url("round_robin")),
        ("post", url("decision_add")),
        ("post", url("action_add")),
        ("get", url("session_close")),
        ("post", url("session_close")),
        ("post", url("session_publish")),
    ]


@pytest.fixture
def said(live: SessionWorld) -> Contribution:  # noqa: F811
    return services.contribution_add(
        session=live.session,
        agenda_item_id=live.first.pk,
        user=live.member_a,
        text="Only members may read this.",
        anonymous=False,
    )


@pytest.mark.parametrize("outsider", OUTSIDERS)
def test_every_session_url_is_404_for_a_signed_in_outsider(
    live: SessionWorld,  # noqa: F811
    said: Contribution,
    outsider: str,
) -> None:
    client = client_for(getattr(live.world, outsider))
    data = {"text": "sneaky", "agenda_item": live.first.pk, "time_box_minutes": 5}

    statuses = {
        path: getattr(client, method)(path, data).status_code
        for method, path in session_urls(live, live.session.pk, live.first.pk, said.pk)
    }

    assert set(statuses.values()) == {404}, statuses
    assert Contribution.objects.count() == 1


def test_session_urls_answer_an_anonymous_visitor_as_if_the_session_did_not_exist(
    live: SessionWorld,  # noqa: F811
    said: Contribution,
) -> None:
    client = client_for(None)

    real = [
        getattr(client, m)(p).status_code
        for m, p in session_urls(live, live.session.pk, live.first.pk, said.pk)
    ]
    missing = [getattr(client, m)(p).status_code for m, p in session_urls(live, MISSING, 1, 1)]

    assert real == missing
    assert set(real) <= {302, 404}


def test_live_page_shows_contributions_to_members(
    live: SessionWorld,  # noqa: F811
    said: Contribution,
) -> None:
    response = client_for(live.member_b).get(live.session.get_absolute_url())

    assert response.status_code == 200
    assert "Only members may read this." in response.content.decode()


def test_action_done_is_404_for_an_outsider(closed: SessionWorld) -> None:  # noqa: F811
    action = closed.session.actions.get()
    response = client_for(closed.world.lead_a).post(
        reverse("talking_points:action_done", kwargs={"pk": action.pk})
    )
    assert response.status_code == 404
    action.refresh_from_db()
    assert action.status == "open"


def test_participant_cannot_press_next_or_close(live: SessionWorld) -> None:  # noqa: F811
    client = client_for(live.member_a)

    advance = client.post(
        reverse("talking_points:agenda_advance", kwargs={"pk": live.session.pk}),
        {"expected_item": live.first.pk},
    )
    close = client.post(reverse("talking_points:session_close", kwargs={"pk": live.session.pk}))

    assert advance.status_code == 403
    assert close.status_code == 403
    assert "Only a facilitator" in advance.content.decode()
    live.session.refresh_from_db()
    assert live.session.current_item_id == live.first.pk
    assert live.session.status == "live"


def test_forum_pages_for_members_refuse_outsiders_with_an_explanation(world: World) -> None:
    for name in ("forum_talking_points", "session_plan"):
        response = client_for(world.lead_a).get(
            reverse(f"talking_points:{name}", kwargs={"slug": world.forum.slug})
        )
        assert response.status_code == 403
        assert "forum" in response.content.decode()


# --- Published summaries --------------------------------------------------------------

# Who reads a closed summary, by visibility. Forum members: facilitator, member_a,
# member_b. The place's partnership adds lead_a (org A works there) and the commissioner.
EXPECTED = {
    "members": {"facilitator", "member_a", "member_b"},
    "place": {"facilitator", "member_a", "member_b", "lead_a", "commissioner"},
    "public": {
        "facilitator",
        "member_a",
        "member_b",
        "lead_a",
        "commissioner",
        "staff",
        "anonymous",
    },
}


@pytest.mark.parametrize("visibility", ["members", "place", "public"])
def test_summary_follows_the_chosen_visibility(
    closed: SessionWorld,  # noqa: F811
    visibility: str,
) -> None:
    services.session_publish(session=closed.session, visibility=visibility, by=closed.facilitator)
    readers = set()
    for persona in [
        "anonymous",
        "facilitator",
        "member_a",
        "member_b",
        "lead_a",
        "commissioner",
        "staff",
    ]:
        response = client_for(closed.world.user(persona)).get(closed.session.get_absolute_url())
        assert response.status_code in (200, 404)
        if response.status_code == 200:
            readers.add(persona)

    assert readers == EXPECTED[visibility]


def test_published_summary_shows_organisations_not_names_to_non_members(
    closed: SessionWorld,  # noqa: F811
) -> None:
    services.session_publish(session=closed.session, visibility="public", by=closed.facilitator)

    outsider = client_for(None).get(closed.session.get_absolute_url()).content.decode()
    member = client_for(closed.member_b).get(closed.session.get_absolute_url()).content.decode()

    assert "We are invited late." in outsider
    assert closed.member_a.full_name not in outsider.split("<main")[1].split("Actions (")[0]
    assert "Org A" in outsider
    assert closed.member_a.full_name in member


def test_forum_and_place_pages_show_decisions_only_as_published(
    closed: SessionWorld,  # noqa: F811
) -> None:
    forum_url = closed.world.forum.get_absolute_url()
    place_url = closed.world.place.get_absolute_url()

    before_forum = client_for(None).get(forum_url).content.decode()
    before_place = client_for(closed.world.lead_a).get(place_url).content.decode()
    member_forum = client_for(closed.member_a).get(forum_url).content.decode()
    services.session_publish(session=closed.session, visibility="place", by=closed.facilitator)
    after_place = client_for(closed.world.lead_a).get(place_url).content.decode()
    after_public = client_for(None).get(place_url).content.decode()

    assert "Ask for a seat." not in before_forum
    assert "Ask for a seat." not in before_place
    assert "Ask for a seat." in member_forum
    assert "Write to the chair." in member_forum
    assert "Ask for a seat." in after_place
    assert "Write to the chair." in after_place
    assert "Ask for a seat." not in after_public


def test_decision_shows_only_the_learning_entries_the_reader_may_see(
    live: SessionWorld,  # noqa: F811
) -> None:
    world = live.world
    private = factories.LearningEntryFactory(
        place=world.place, organisation=world.org_a, title="Org A only", visibility="organisation"
    )
    shared = factories.LearningEntryFactory(
        place=world.place, organisation=world.org_a, title="Shared with place", visibility="place"
    )
    ForumMembership.objects.filter(forum=world.forum, user=world.member_a).update(
        role="facilitator"
    )
    client = client_for(world.member_a)
    client.post(
        reverse("talking_points:decision_add", kwargs={"pk": live.session.pk}),
        {"text": "Rest on both.", "rests_on": [private.pk, shared.pk]},
    )
    decision = live.session.decisions.get()

    for_a = client.get(live.session.get_absolute_url()).content.decode()
    for_b = client_for(world.member_b).get(live.session.get_absolute_url()).content.decode()

    assert set(decision.rests_on.values_list("title", flat=True)) == {
        "Org A only",
        "Shared with place",
    }
    assert "Org A only" in for_a
    assert "Org A only" not in for_b
    assert "Shared with place" in for_b


def test_facilitator_cannot_rest_a_decision_on_an_entry_they_cannot_see(
    live: SessionWorld,  # noqa: F811
) -> None:
    hidden = factories.LearningEntryFactory(
        place=live.world.place, organisation=live.world.org_b, visibility="organisation"
    )

    response = client_for(live.facilitator).post(
        reverse("talking_points:decision_add", kwargs={"pk": live.session.pk}),
        {"text": "Sneak it in.", "rests_on": [hidden.pk]},
    )

    assert response.status_code == 400
    assert live.session.decisions.count() == 0
