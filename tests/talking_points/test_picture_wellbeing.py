"""Anonymous wellbeing check-ins: nothing links an answer to a person; trends need 3 people."""

from __future__ import annotations

import datetime

import pytest
from django.db import models
from django.urls import reverse
from django.utils import timezone

from talking_points.models import Session, WellbeingCheckIn, WellbeingCheckInMark
from talking_points.picture import wellbeing_trend
from talking_points.services import wellbeing as services_wellbeing
from tests.conftest import World, client_for
from tests.talking_points.picture_fixtures import forum_members


def live_session(world: World) -> Session:
    return Session.objects.create(
        forum=world.forum, starts_at=timezone.now() - datetime.timedelta(minutes=5), status="live"
    )


def closed_session(world: World, days_ago: int) -> Session:
    return Session.objects.create(
        forum=world.forum,
        starts_at=timezone.now() - datetime.timedelta(days=days_ago),
        status="closed",
    )


def check_in_url(session: Session) -> str:
    return reverse("talking_points:wellbeing_check_in", kwargs={"pk": session.pk})


def trend_url(world: World) -> str:
    return reverse("talking_points:forum_wellbeing", kwargs={"slug": world.forum.slug})


def test_answer_table_holds_nothing_that_identifies_a_person() -> None:
    fields = {f.name: f for f in WellbeingCheckIn._meta.get_fields()}
    assert set(fields) == {"id", "session", "score", "word"}
    assert isinstance(fields["id"], models.UUIDField)
    mark_fields = {f.name for f in WellbeingCheckInMark._meta.get_fields()}
    assert mark_fields == {"id", "session", "user"}


def test_member_checks_in_anonymously(world: World) -> None:
    session = live_session(world)
    response = client_for(world.facilitator).post(
        check_in_url(session), {"score": "2", "word": " Tired "}
    )
    assert response.status_code == 302
    assert list(WellbeingCheckIn.objects.values_list("score", "word")) == [(2, "tired")]
    assert list(WellbeingCheckInMark.objects.values_list("user", flat=True)) == [
        world.facilitator.pk
    ]


def test_second_check_in_is_refused(world: World) -> None:
    session = live_session(world)
    client = client_for(world.facilitator)
    client.post(check_in_url(session), {"score": "2"})
    response = client.post(check_in_url(session), {"score": "5"})
    assert response.status_code == 400
    assert "You have already checked in to this session." in response.content.decode()
    assert list(WellbeingCheckIn.objects.values_list("score", flat=True)) == [2]


@pytest.mark.parametrize(("score", "word"), [("0", ""), ("6", ""), ("3", "two words")])
def test_bad_check_in_is_refused_and_nothing_stored(world: World, score: str, word: str) -> None:
    session = live_session(world)
    response = client_for(world.facilitator).post(
        check_in_url(session), {"score": score, "word": word}
    )
    assert response.status_code == 400
    assert "There is a problem" in response.content.decode()
    assert WellbeingCheckIn.objects.count() == 0
    assert WellbeingCheckInMark.objects.count() == 0


def test_closed_session_takes_no_check_ins(world: World) -> None:
    session = closed_session(world, 1)
    response = client_for(world.facilitator).post(check_in_url(session), {"score": "3"})
    assert "Check-in for this session has closed." in response.content.decode()
    assert WellbeingCheckIn.objects.count() == 0


def test_non_member_cannot_check_in_or_see_the_trend(world: World) -> None:
    session = live_session(world)
    for persona in ("member_a", "commissioner", "staff"):
        client = client_for(world.user(persona))
        assert client.post(check_in_url(session), {"score": "3"}).status_code == 404
        assert client.get(trend_url(world)).status_code == 404
    assert WellbeingCheckIn.objects.count() == 0


def test_trend_needs_three_answers_per_session(world: World) -> None:
    members = forum_members(world, 3)
    two = closed_session(world, 14)
    three = closed_session(world, 7)
    for person, score in zip(members[:2], [1, 5], strict=True):
        services_wellbeing.wellbeing_check_in(session=two, user=person, score=score)
    for person, score in zip(members, [2, 3, 5], strict=True):
        services_wellbeing.wellbeing_check_in(session=three, user=person, score=score, word="ok")
    trend = wellbeing_trend(world.forum)
    content = client_for(world.facilitator).get(trend_url(world)).content.decode()
    assert [(s.count, s.mean) for s in trend.sessions] == [(3, 3.3)]
    assert trend.sessions[0].words == [("ok", 3)]
    assert 'role="img" aria-labelledby="wellbeing-t wellbeing-d"' in content
    assert "3.3 from 3 people" in content


def test_live_session_is_not_in_the_trend(world: World) -> None:
    session = live_session(world)
    for person in forum_members(world, 4):
        services_wellbeing.wellbeing_check_in(session=session, user=person, score=4)
    assert wellbeing_trend(world.forum).sessions == []
    content = client_for(world.facilitator).get(trend_url(world)).content.decode()
    assert "Not enough check-ins yet." in content


def test_forum_page_lists_sessions_open_for_check_in(world: World) -> None:
    session = live_session(world)
    content = client_for(world.facilitator).get(trend_url(world)).content.decode()
    assert check_in_url(session) in content


@pytest.mark.parametrize(
    ("word", "stored"),
    [("hopeful 🌱", "hopeful 🌱"), ("🌱", "🌱"), ("Éveillé", "éveillé"), ("Hŵyl", "hŵyl")],
)
def test_a_word_with_emoji_or_accents_is_one_word(world: World, word: str, stored: str) -> None:
    session = live_session(world)
    response = client_for(world.facilitator).post(
        check_in_url(session), {"score": "4", "word": word}
    )
    assert response.status_code == 302
    assert list(WellbeingCheckIn.objects.values_list("word", flat=True)) == [stored]


@pytest.mark.parametrize("words", ["very happy", "happy 🌱 sad", "tired, hopeful"])
def test_more_than_one_word_is_still_refused(world: World, words: str) -> None:
    session = live_session(world)
    response = client_for(world.facilitator).post(
        check_in_url(session), {"score": "4", "word": words}
    )
    assert response.status_code == 400
    assert "Use one word, or leave it blank." in response.content.decode()
    assert WellbeingCheckIn.objects.count() == 0
