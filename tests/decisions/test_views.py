"""The decisions pages through the Django client: who may see and act, plain-form round
trips, anonymity on the page, and bad input answered without a 500."""

from __future__ import annotations

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from decisions import services
from decisions.models import Position, Round, RoundStatus
from talking_points import services as session_services
from talking_points.models import LearningEntry
from tests.conftest import client_for
from tests.talking_points.sessions_helpers import SessionWorld

pytestmark = pytest.mark.django_db


def start(live: SessionWorld, **extra: str) -> Round:
    data = {"method": "consent", "proposal": "Meet at the library.", **extra}
    response = client_for(live.facilitator).post(
        reverse("decisions:round_start", args=[live.session.pk]), data
    )
    assert response.status_code == 302
    return Round.objects.get()


def test_a_consent_round_with_one_objection_resolved(live: SessionWorld) -> None:
    r = start(live)
    a, b = client_for(live.member_a), client_for(live.member_b)
    position = reverse("decisions:position_give", args=[r.pk])

    live_page = a.get(live.session.get_absolute_url())
    assert "Give my position" in live_page.content.decode()
    assert a.post(position, {"stance": "objection", "reason": "No ramp."}).status_code == 302
    assert b.post(position, {"stance": "consent"}).status_code == 302
    objection = Position.objects.get(stance="objection")
    page = client_for(live.facilitator).get(live.session.get_absolute_url()).content.decode()
    assert "No ramp." in page and "1 objection stands" in page
    assert (
        a.post(reverse("decisions:objection_withdraw", args=[r.pk, objection.pk])).status_code
        == 302
    )
    end = client_for(live.facilitator).post(reverse("decisions:round_end", args=[r.pk]), {})

    r.refresh_from_db()
    assert end.status_code == 302
    assert r.status == RoundStatus.PASSED
    session_services.session_close(session=live.session, by=live.facilitator)
    summary = client_for(live.member_b).get(live.session.get_absolute_url()).content.decode()
    assert "No ramp." in summary and "withdrawn" in summary


def test_an_objection_without_a_reason_is_refused_on_the_page(live: SessionWorld) -> None:
    r = start(live)

    response = client_for(live.member_a).post(
        reverse("decisions:position_give", args=[r.pk]), {"stance": "objection"}
    )

    assert response.status_code == 400
    assert "Say why you object." in response.content.decode()
    assert not Position.objects.exists()


def test_anonymous_positions_show_no_names(live: SessionWorld) -> None:
    r = start(live, anonymous_positions="on")
    client_for(live.member_a).post(
        reverse("decisions:position_give", args=[r.pk]),
        {"stance": "objection", "reason": "Too far."},
    )

    page = client_for(live.facilitator).get(reverse("decisions:round_detail", args=[r.pk]))

    text = page.content.decode()
    assert "1 person has given a position" in text
    services.round_end(round=r, by=live.facilitator)
    ended = client_for(live.facilitator).get(reverse("decisions:round_detail", args=[r.pk]))
    assert "Too far." in ended.content.decode()
    assert "(anonymous; stands)" in ended.content.decode()


def test_only_the_facilitator_starts_and_ends_rounds(live: SessionWorld) -> None:
    r = start(live)
    member = client_for(live.member_a)

    assert (
        member.post(
            reverse("decisions:round_start", args=[live.session.pk]),
            {"method": "consent", "proposal": "Mine."},
        ).status_code
        == 403
    )
    assert member.post(reverse("decisions:round_end", args=[r.pk]), {}).status_code == 403
    assert (
        member.post(reverse("decisions:proposal_amend", args=[r.pk]), {"proposal": "X"}).status_code
        == 403
    )


def test_outsiders_see_nothing(live: SessionWorld) -> None:
    r = start(live)
    outsider = client_for(live.world.lead_a)

    assert outsider.get(reverse("decisions:round_detail", args=[r.pk])).status_code == 404
    assert (
        outsider.post(
            reverse("decisions:position_give", args=[r.pk]), {"stance": "consent"}
        ).status_code
        == 404
    )
    assert client_for(None).get(reverse("decisions:round_detail", args=[r.pk])).status_code == 404


@pytest.mark.parametrize(
    "data",
    [
        {},
        {"method": "dots", "proposal": "Where?", "options": "Only one"},
        {"method": "dots", "proposal": "Where?", "options": "A\nB", "dots_each": "99"},
        {"method": "nonsense", "proposal": "x" * 5000},
        {"method": "dots", "proposal": "Where?", "options": "A\nB", "dots_each": "many"},
    ],
)
def test_bad_round_settings_are_explained(live: SessionWorld, data: dict[str, str]) -> None:
    response = client_for(live.facilitator).post(
        reverse("decisions:round_start", args=[live.session.pk]), data
    )

    assert response.status_code == 400
    assert not Round.objects.exists()


@pytest.mark.parametrize(
    "data",
    [{}, {"option_1": "2", "option_2": "2"}, {"option_1": "-1"}, {"option_1": "x"}],
)
def test_bad_dots_are_explained(live: SessionWorld, data: dict[str, str]) -> None:
    r = services.round_start(
        session=live.session,
        by=live.facilitator,
        method="dots",
        proposal="Where?",
        options=["A", "B"],
    )
    first, second = r.options.all()
    posted = {
        k.replace("option_1", f"option_{first.pk}").replace("option_2", f"option_{second.pk}"): v
        for k, v in data.items()
    }
    r.dots_each = 3

    response = client_for(live.member_a).post(
        reverse("decisions:position_give", args=[r.pk]), posted
    )

    assert response.status_code == 400
    assert not Position.objects.exists()


def test_the_decision_page_records_a_review_with_visible_learning(live: SessionWorld) -> None:
    r = start(live)
    services.position_give(round=r, user=live.member_a, stance="consent")
    decision = services.round_end(round=r, by=live.facilitator)
    mine = LearningEntry.objects.create(
        place=live.world.place, organisation=live.world.org_b, kind="reflection", title="Ours"
    )
    hidden = LearningEntry.objects.create(
        place=live.world.place, organisation=live.world.org_a, kind="reflection", title="Theirs"
    )
    member_b = client_for(live.member_b)
    url = reverse("decisions:decision_look_back", args=[decision.pk])

    refused = member_b.post(url, {"learned": "It helped.", "learning": [hidden.pk]})
    done = member_b.post(url, {"learned": "It helped.", "learning": [mine.pk]})

    assert refused.status_code == 400
    assert done.status_code == 302
    page = member_b.get(reverse("decisions:decision_detail", args=[decision.pk])).content.decode()
    assert "It helped." in page and "Ours" in page
    assert client_for(live.world.lead_a).post(url, {"learned": "x"}).status_code == 404


def test_the_review_date_cannot_be_in_the_past(live: SessionWorld) -> None:
    r = start(live)
    services.position_give(round=r, user=live.member_a, stance="consent")
    decision = services.round_end(round=r, by=live.facilitator)
    yesterday = timezone.localdate() - datetime.timedelta(days=1)

    response = client_for(live.member_a).post(
        reverse("decisions:decision_review_date", args=[decision.pk]),
        {"review_on": yesterday.isoformat()},
    )

    assert response.status_code == 400


def test_only_the_organisation_reviews_its_experiment(live: SessionWorld) -> None:
    entry = LearningEntry.objects.create(
        place=live.world.place,
        organisation=live.world.org_a,
        kind="experiment",
        title="Saturday drop-in",
        visibility="place",
    )
    url = reverse("decisions:experiment_review", args=[entry.pk])

    assert client_for(live.member_b).get(url).status_code == 200
    assert client_for(live.member_b).post(url, {"learned": "x"}).status_code == 403
    assert client_for(live.member_a).post(url, {"learned": "Few came."}).status_code == 302
    assert client_for(None).get(url).status_code == 404
    assert "Few came." in client_for(live.member_b).get(url).content.decode()


def test_htmx_swaps_the_round_in_place(live: SessionWorld) -> None:
    r = start(live)
    url = reverse("decisions:position_give", args=[r.pk])
    a = client_for(live.member_a)

    bad = a.post(url, {"stance": "objection"}, HTTP_HX_REQUEST="true")
    good = a.post(url, {"stance": "consent"}, HTTP_HX_REQUEST="true")
    again = a.post(url, {"stance": "consent"}, HTTP_HX_REQUEST="true")

    assert bad.status_code == good.status_code == again.status_code == 200
    assert "Say why you object." in bad.content.decode()
    assert "Your position was recorded." in good.content.decode()
    assert "already given your position" in again.content.decode()
    assert Position.objects.count() == 1
