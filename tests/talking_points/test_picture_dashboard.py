"""The place dashboard, every picture URL as every persona, and the demo data."""

from __future__ import annotations

import datetime
import html

import pytest
from django.core.management import call_command
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from partnerships.models import (
    Champion,
    Commission,
    Forum,
    GlossaryTerm,
    Place,
    PropositionRating,
    Relationship,
    add_quarters,
    quarter_start,
)
from talking_points.models import Action, Decision, LearningEntry, Session, WellbeingCheckIn
from talking_points.picture import proposition_summaries, wellbeing_trend
from talking_points.services import wellbeing as services_wellbeing
from tests import factories
from tests.conftest import World, client_for
from tests.talking_points.picture_fixtures import forum_members


def dashboard_url(slug: str = "testford") -> str:
    return reverse("talking_points:place_picture", kwargs={"slug": slug})


def test_anonymous_sees_the_public_picture_only(client: Client, world: World) -> None:
    factories.LearningEntryFactory(
        place=world.place, organisation=world.org_a, title="Shared with all", visibility="public"
    )
    factories.LearningEntryFactory(
        place=world.place, organisation=world.org_a, title="Partners only", visibility="place"
    )
    factories.CommissionFactory(
        place=world.place,
        commissioner=world.commissioner.commissioner_profile,
        title="Open money",
    )
    content = html.unescape(client.get(dashboard_url()).content.decode())
    assert "Testford: the place picture" in content
    assert "Shared with all" in content
    assert "Partners only" not in content
    assert "Open money" in content
    assert world.commissioner.full_name in content
    assert "Testford Forum" in content
    assert "Signals (how partners rate the propositions" in content
    assert "How true the propositions feel here" not in content


@pytest.mark.parametrize(
    ("persona", "sees_org_only", "sees_place"),
    [
        ("member_a", True, True),
        ("member_b", False, True),
        ("commissioner", False, True),
        ("staff", False, False),
    ],
)
def test_learning_on_the_dashboard_obeys_visibility(
    world: World, persona: str, sees_org_only: bool, sees_place: bool
) -> None:
    factories.LearningEntryFactory(
        place=world.place, organisation=world.org_a, kind="breakthrough", title="Only Org A"
    )
    factories.LearningEntryFactory(
        place=world.place,
        organisation=world.org_a,
        kind="disappointment",
        title="For the place",
        visibility="place",
    )
    content = client_for(world.user(persona)).get(dashboard_url()).content.decode()
    assert ("Only Org A" in content) is sees_org_only
    assert ("For the place" in content) is sees_place


def test_partner_sees_signals_decisions_and_the_map_count(world: World) -> None:
    session = factories.SessionFactory(
        forum=world.forum, status="closed", summary_visibility="place"
    )
    factories.DecisionFactory(session=session, text="Meet at the library.")
    factories.RelationshipFactory(place=world.place, source=world.org_a, target=world.org_b)
    content = client_for(world.member_b).get(dashboard_url()).content.decode()
    assert "How true the propositions feel here" in content
    assert "Meet at the library." in content
    assert "1 relationship between organisations drawn so far." in content
    assert "No open actions." in content


def test_dashboard_lists_open_actions_from_sessions_the_reader_may_see(world: World) -> None:
    members_only = factories.SessionFactory(forum=world.forum, status="closed")
    published = factories.SessionFactory(
        forum=world.forum, status="closed", summary_visibility="place"
    )
    factories.ActionFactory(session=members_only, text="Book the hall for the members.")
    factories.ActionFactory(session=published, text="Tell the place about the map.")
    factories.ActionFactory(session=published, text="Already finished this.", status="done")

    facilitator_view = client_for(world.facilitator).get(dashboard_url()).content.decode()
    partner_view = client_for(world.member_b).get(dashboard_url()).content.decode()

    assert "Book the hall for the members." in facilitator_view
    assert "Tell the place about the map." in facilitator_view
    assert "Already finished this." not in facilitator_view
    assert "Book the hall for the members." not in partner_view
    assert "Tell the place about the map." in partner_view
    assert "No open actions." not in partner_view


def test_dashboard_decisions_follow_session_visibility(world: World) -> None:
    members_only = factories.SessionFactory(forum=world.forum, status="closed")
    planned = factories.SessionFactory(forum=world.forum, summary_visibility="place")
    factories.DecisionFactory(session=members_only, text="Only the forum knows this.")
    factories.DecisionFactory(session=planned, text="Not published while still planned.")

    facilitator_view = client_for(world.facilitator).get(dashboard_url()).content.decode()
    partner_view = client_for(world.member_b).get(dashboard_url()).content.decode()

    assert "Only the forum knows this." in facilitator_view
    assert "Not published while still planned." in facilitator_view
    assert "Only the forum knows this." not in partner_view
    assert "Not published while still planned." not in partner_view
    assert "No decisions recorded yet." in partner_view


def test_decisions_are_not_shown_to_the_public(client: Client, world: World) -> None:
    session = factories.SessionFactory(forum=world.forum, status="closed")
    factories.DecisionFactory(session=session, text="Meet at the library.")
    assert "Meet at the library." not in client.get(dashboard_url()).content.decode()


def test_wellbeing_on_the_dashboard_is_for_forum_members_with_three_answers(
    world: World,
) -> None:
    session = factories.SessionFactory(
        forum=world.forum,
        starts_at=timezone.now() - datetime.timedelta(days=7),
        status="closed",
    )
    members = forum_members(world, 3)
    for person in members[:2]:
        services_wellbeing.wellbeing_check_in(session=session, user=person, score=2)
    facilitator_view = client_for(world.facilitator).get(dashboard_url()).content.decode()
    assert "Not enough check-ins yet" in facilitator_view
    services_wellbeing.wellbeing_check_in(session=session, user=members[2], score=5)
    facilitator_view = client_for(world.facilitator).get(dashboard_url()).content.decode()
    partner_view = client_for(world.member_a).get(dashboard_url()).content.decode()
    assert "3.0 from 3 people" in facilitator_view
    assert "Wellbeing at Testford Forum" not in partner_view


def test_dashboard_query_count_does_not_grow(
    world: World, django_assert_num_queries: object
) -> None:
    client = client_for(world.facilitator)
    last_quarter = add_quarters(quarter_start(timezone.localdate()), -1)

    def add_one_of_each(i: int) -> None:
        factories.LearningEntryFactory(
            place=world.place, organisation=world.org_a, visibility="place", title=f"L{i}"
        )
        factories.ChampionFactory(place=world.place)
        factories.CommissionerProfileFactory(places=[world.place])
        factories.CommissionFactory(
            place=world.place, commissioner=world.commissioner.commissioner_profile
        )
        session = factories.SessionFactory(forum=world.forum)
        factories.DecisionFactory(session=session)
        factories.ActionFactory(session=session)
        for _ in range(3):
            factories.PropositionRatingFactory(
                place=world.place, proposition="A1", quarter=last_quarter, comment="Yes."
            )

    # The signed-in person is still cached from the warm-up.
    add_one_of_each(0)
    client.get(dashboard_url())
    with django_assert_num_queries(13):  # type: ignore[operator]  # +1: visits by quarter
        client.get(dashboard_url())
    for i in range(1, 5):
        add_one_of_each(i)
    with django_assert_num_queries(13):  # type: ignore[operator]  # +1: visits by quarter
        client.get(dashboard_url())


def test_unknown_place_is_404(client: Client, db: None) -> None:
    assert client.get(dashboard_url("nowhere")).status_code == 404


PICTURE_PAGES = [
    ("talking_points:place_picture", {"slug": "testford"}),
    ("talking_points:system_map", {"slug": "testford"}),
    ("talking_points:propositions", {"slug": "testford"}),
    ("talking_points:glossary", {"slug": "testford"}),
    ("talking_points:champions", {"slug": "testford"}),
    ("talking_points:commission_list", {}),
    ("talking_points:commission_export", {}),
    ("talking_points:commission_create", {}),
    ("talking_points:forum_wellbeing", {"slug": "testford-forum"}),
]
# What each persona gets on GET: 200, 302 (to sign in), 403 (may not) or 404 (may not see).
EXPECTED = {
    "anonymous": [200, 302, 302, 200, 200, 200, 200, 302, 302],
    "member_a": [200, 200, 200, 200, 200, 200, 200, 403, 404],
    "lead_a": [200, 200, 200, 200, 200, 200, 200, 403, 404],
    "member_b": [200, 200, 200, 200, 200, 200, 200, 403, 404],
    "facilitator": [200, 200, 200, 200, 200, 200, 200, 403, 200],
    "commissioner": [200, 200, 200, 200, 200, 200, 200, 200, 404],
    "staff": [200, 404, 404, 200, 200, 200, 200, 403, 404],
}


def test_every_picture_page_as_every_persona(world: World, persona: str) -> None:
    client = client_for(world.user(persona))
    statuses = [
        client.get(reverse(name, kwargs=kwargs)).status_code for name, kwargs in PICTURE_PAGES
    ]
    assert statuses == EXPECTED[persona]


@pytest.fixture
def demo(db: None) -> None:
    call_command("load_demo", stdout=open("/dev/null", "w"))  # noqa: SIM115


def test_demo_fills_every_part_for_the_three_places(demo: None) -> None:
    today = timezone.localdate()
    for place in Place.objects.all():
        assert Commission.objects.filter(place=place, is_public=True).count() >= 2, place
        assert Relationship.objects.filter(place=place).count() >= 5, place
        assert GlossaryTerm.objects.filter(place=place).count() >= 3, place
        assert Champion.objects.filter(place=place).exists(), place
        assert Decision.objects.filter(session__forum__place=place).exists(), place
        summaries = proposition_summaries(place, today=today)
        assert all(s.latest is not None and (s.latest.count or 0) >= 3 for s in summaries), place
        trend = wellbeing_trend(place.forums.get())
        assert len(trend.sessions) == 4, place
        assert all(s.count >= 3 for s in trend.sessions), place


def test_loading_the_picture_demo_twice_changes_nothing(demo: None) -> None:
    def counts() -> list[int]:
        return [
            Commission.objects.count(),
            Relationship.objects.count(),
            GlossaryTerm.objects.count(),
            Champion.objects.count(),
            PropositionRating.objects.count(),
            WellbeingCheckIn.objects.count(),
            Decision.objects.count(),
            Session.objects.count(),
            Action.objects.count(),
            LearningEntry.objects.count(),
        ]

    before = counts()
    call_command("load_demo", stdout=open("/dev/null", "w"))  # noqa: SIM115
    assert counts() == before


def test_demo_dashboards_render_for_everyone(demo: None) -> None:
    for slug in ("plymouth", "preston", "scarborough"):
        response = Client().get(dashboard_url(slug))
        assert response.status_code == 200
        assert "<dfn" in response.content.decode()


def test_picture_demo_reuses_the_sessions_demo_instead_of_duplicating_it(demo: None) -> None:
    for forum in Forum.objects.select_related("place"):
        tz = forum.place.tz
        days = [s.starts_at.astimezone(tz).date() for s in forum.sessions.all()]
        assert len(days) == len(set(days)), forum
    plymouth_past = (
        Session.objects.filter(forum__slug="plymouth-alliance-forum", attendances__isnull=False)
        .distinct()
        .get(status="closed")
    )
    assert plymouth_past.wellbeing_check_in_marks.exists()
    assert plymouth_past.decisions.filter(text__startswith="Next month").count() == 0
    titles = list(LearningEntry.objects.values_list("place_id", "title"))
    assert len(titles) == len(set(titles))
    assert not LearningEntry.objects.filter(title__contains="shared picture").exists()
