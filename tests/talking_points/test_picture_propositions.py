"""The propositions check: rating rules, and aggregates that never cover fewer than 3 people."""

from __future__ import annotations

import datetime
import html

import pytest
from django.db import IntegrityError
from django.urls import reverse
from django.utils import timezone

from partnerships import services
from partnerships.models import PropositionRating, add_quarters, quarter_start
from talking_points.picture import proposition_summaries
from tests import factories
from tests.conftest import World, client_for
from tests.talking_points.picture_fixtures import (  # noqa: F401
    Outsider,
    forum_members,
    outsider_fixture,
)


def url(world: World) -> str:
    return reverse("talking_points:propositions", kwargs={"slug": world.place.slug})


def this_quarter() -> datetime.date:
    return quarter_start(timezone.localdate())


def last_quarter() -> datetime.date:
    return add_quarters(this_quarter(), -1)


def rate(world: World, people: list[object], quarter: datetime.date, scores: list[int]) -> None:
    for person, score in zip(people, scores, strict=True):
        factories.PropositionRatingFactory(
            place=world.place, user=person, proposition="B2", quarter=quarter, score=score
        )


def test_quarter_start_and_add_quarters() -> None:
    assert quarter_start(datetime.date(2026, 8, 14)) == datetime.date(2026, 7, 1)
    assert quarter_start(datetime.date(2026, 12, 31)) == datetime.date(2026, 10, 1)
    assert add_quarters(datetime.date(2026, 10, 1), 1) == datetime.date(2027, 1, 1)
    assert add_quarters(datetime.date(2026, 1, 1), -1) == datetime.date(2025, 10, 1)


def test_forum_member_rates_propositions(world: World) -> None:
    response = client_for(world.facilitator).post(
        url(world), {"score_A1": "4", "comment_A1": "Mostly true.", "score_B4": "2"}
    )
    ratings = PropositionRating.objects.order_by("proposition")
    assert response.status_code == 302
    assert [(r.proposition, r.score, r.comment) for r in ratings] == [
        ("A1", 4, "Mostly true."),
        ("B4", 2, ""),
    ]
    assert {r.quarter for r in ratings} == {this_quarter()}
    assert {r.user for r in ratings} == {world.facilitator}


@pytest.mark.parametrize("score", ["0", "6", "three"])
def test_score_outside_1_to_5_is_refused_and_nothing_stored(world: World, score: str) -> None:
    response = client_for(world.facilitator).post(url(world), {"score_A1": "4", "score_A2": score})
    assert response.status_code == 400
    assert "Choose a number from 1 to 5." in response.content.decode()
    assert PropositionRating.objects.count() == 0


def test_score_outside_1_to_5_is_refused_by_the_database(world: World) -> None:
    with pytest.raises(IntegrityError):
        factories.PropositionRatingFactory(place=world.place, user=world.facilitator, score=6)


def test_second_rating_in_the_same_quarter_is_refused(world: World) -> None:
    client = client_for(world.facilitator)
    client.post(url(world), {"score_A1": "4"})
    response = client.post(url(world), {"score_A1": "1", "score_A2": "3"})
    content = html.unescape(response.content.decode())
    assert response.status_code == 400
    assert "You have already rated A1 this quarter. You can rate it again from" in content
    assert list(PropositionRating.objects.values_list("proposition", "score")) == [("A1", 4)]


def test_second_rating_is_refused_by_the_service_and_database(world: World) -> None:
    services.propositions_rate(place=world.place, user=world.facilitator, ratings={"A1": (4, "")})
    with pytest.raises(services.PictureError, match="already rated"):
        services.propositions_rate(
            place=world.place, user=world.facilitator, ratings={"A2": (3, ""), "A1": (2, "")}
        )
    assert list(PropositionRating.objects.values_list("proposition", "score")) == [("A1", 4)]


def test_rating_in_a_new_quarter_is_allowed(world: World) -> None:
    services.propositions_rate(
        place=world.place,
        user=world.facilitator,
        ratings={"A1": (4, "")},
        today=datetime.date(2026, 3, 31),
    )
    services.propositions_rate(
        place=world.place,
        user=world.facilitator,
        ratings={"A1": (5, "")},
        today=datetime.date(2026, 4, 1),
    )
    assert PropositionRating.objects.count() == 2


def test_empty_form_asks_for_a_rating(world: World) -> None:
    response = client_for(world.facilitator).post(url(world), {})
    assert "Choose a rating for at least one proposition." in response.content.decode()


def test_partner_who_is_not_in_a_forum_cannot_rate(world: World) -> None:
    response = client_for(world.member_a).post(url(world), {"score_A1": "4"})
    assert response.status_code == 403
    assert PropositionRating.objects.count() == 0


def test_outsider_is_refused(world: World, outsider: Outsider) -> None:
    assert client_for(outsider.user).get(url(world)).status_code == 404
    assert client_for(world.staff).get(url(world)).status_code == 404


def test_two_raters_give_no_aggregate(world: World) -> None:
    rate(world, forum_members(world, 2), last_quarter(), [1, 5])
    summary = next(
        s for s in proposition_summaries(world.place, today=timezone.localdate()) if s.code == "B2"
    )
    content = client_for(world.member_a).get(url(world)).content.decode()
    assert summary.latest is None
    assert summary.distribution_chart is None
    assert "Not enough ratings yet" in content
    assert "B2: how" not in content


def test_three_raters_give_an_aggregate_with_charts_and_numbers(world: World) -> None:
    rate(world, forum_members(world, 3), last_quarter(), [2, 4, 4])
    content = client_for(world.member_a).get(url(world)).content.decode()
    summary = next(
        s for s in proposition_summaries(world.place, today=timezone.localdate()) if s.code == "B2"
    )
    assert summary.latest is not None
    assert (summary.latest.count, summary.latest.mean) == (3, 3.33)
    assert summary.latest.distribution == [0, 1, 0, 2, 0]
    # Every chart has a text alternative: an SVG title and a description with the numbers.
    assert 'role="img" aria-labelledby="dist-B2-t dist-B2-d"' in content
    assert "0 rated it 1, 1 rated it 2, 0 rated it 3, 2 rated it 4, 0 rated it 5." in content
    assert 'aria-labelledby="trend-B2-t trend-B2-d"' in content
    assert "3.3 (3)" in content


def test_current_quarter_stays_hidden_until_it_ends(world: World) -> None:
    rate(world, forum_members(world, 4), this_quarter(), [1, 2, 3, 4])
    summary = next(
        s for s in proposition_summaries(world.place, today=timezone.localdate()) if s.code == "B2"
    )
    assert summary.latest is None
    assert all(not q.shown for q in summary.quarters)


def test_individual_ratings_are_never_shown_to_others(world: World) -> None:
    raters = forum_members(world, 3)
    for person, score in zip(raters, [1, 3, 5], strict=True):
        factories.PropositionRatingFactory(
            place=world.place,
            user=person,
            proposition="A3",
            quarter=this_quarter(),
            score=score,
            comment=f"Secret view of {person.full_name}",
        )
    own = client_for(raters[0]).get(url(world)).content.decode()
    other = client_for(world.facilitator).get(url(world)).content.decode()
    assert "You rated it 1 this quarter (only you can see this)." in own
    assert "You rated it" not in other
    assert "Secret view" not in other
    for person in raters:
        assert person.full_name not in other


def test_comments_are_shown_unsigned_only_with_an_aggregate(world: World) -> None:
    raters = forum_members(world, 3)
    for person, comment in zip(raters, ["Zebra", "Apple", ""], strict=True):
        factories.PropositionRatingFactory(
            place=world.place,
            user=person,
            proposition="A2",
            quarter=last_quarter(),
            score=3,
            comment=comment,
        )
    content = client_for(world.member_a).get(url(world)).content.decode()
    assert content.index("<li>Apple</li>") < content.index("<li>Zebra</li>")


def test_propositions_query_count_does_not_grow(
    world: World, django_assert_num_queries: object
) -> None:
    client = client_for(world.member_a)
    rate(world, forum_members(world, 3), last_quarter(), [2, 3, 4])
    client.get(url(world))  # warm: the signed-in person is cached from now on
    with django_assert_num_queries(5):  # type: ignore[operator]
        client.get(url(world))
    for quarter in range(2, 6):
        rate(world, forum_members(world, 3), add_quarters(this_quarter(), -quarter), [1, 2, 5])
    with django_assert_num_queries(5):  # type: ignore[operator]
        client.get(url(world))
