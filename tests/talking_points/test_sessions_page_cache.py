"""The live session page is cached whole (hls_forum/page_cache.py), by ``Session.version``
and the reader's scope: the cached page is the page as rendered (its countdown filled in
per response), a facilitator's page is never served to a participant, and a write that
narrows what someone may see shows on their next request."""

from __future__ import annotations

import re
from typing import Any

import pytest

from partnerships.models import ForumMembership, ForumRole
from talking_points import services
from tests import factories
from tests.conftest import client_for, render_pages_anew
from tests.partnerships.test_whole_page_cache import without_per_response_values
from tests.talking_points.sessions_helpers import SessionWorld, live  # noqa: F401

pytestmark = pytest.mark.django_db


def _timer_seconds(content: bytes) -> int:
    found = re.search(rb'data-seconds-left="(-?\d+)"', content)
    assert found is not None
    return int(found[1])


@pytest.mark.parametrize("persona", ["member_b", "facilitator"])
def test_cached_live_page_is_the_rendered_live_page(
    live: SessionWorld,  # noqa: F811
    persona: str,
) -> None:
    services.agenda_advance(session=live.session, expected_item_id=live.first.pk)
    services.contribution_add(
        session=live.session,
        agenda_item_id=live.first.pk,
        user=live.member_b,
        text="We should ask the tenants.",
        anonymous=False,
    )
    client = client_for(getattr(live, persona))
    url = live.session.get_absolute_url()
    client.get(url)
    render_pages_anew()
    rendered = client.get(url)

    cached = client.get(url)

    assert rendered.status_code == cached.status_code == 200
    assert "private, no-cache" in cached["Cache-Control"]
    assert b"We should ask the tenants." in cached.content
    # The countdown is filled in per response, from the time box's end.
    assert 0 <= _timer_seconds(rendered.content) - _timer_seconds(cached.content) <= 2
    assert b"timer-" not in re.sub(rb'class="timer[^"]*"', b"", cached.content).replace(
        b"timer-text", b""
    )

    def without_timer(content: bytes) -> bytes:
        content = re.sub(rb'data-seconds-left="-?\d+"', b"", content)
        return re.sub(rb'class="timer-text">[^<]*<', b"", content)

    assert without_timer(without_per_response_values(cached)) == without_timer(
        without_per_response_values(rendered)
    )


def test_facilitator_page_is_never_served_to_a_participant(
    live: SessionWorld,  # noqa: F811
) -> None:
    services.agenda_advance(session=live.session, expected_item_id=live.first.pk)
    services.contribution_add(
        session=live.session,
        agenda_item_id=live.first.pk,
        user=live.member_b,
        text="Something to hide",
        anonymous=False,
    )
    contribution = live.session.contributions.get()
    services.contribution_hide(contribution=contribution, by=live.facilitator, reason="Off topic")
    url = live.session.get_absolute_url()
    assert b"Record a decision" in client_for(live.facilitator).get(url).content

    seen = client_for(live.member_a).get(url).content

    assert b"Record a decision" not in seen
    assert b"Something to hide" not in seen


def test_a_role_change_shows_at_once(live: SessionWorld) -> None:  # noqa: F811
    client = client_for(live.facilitator)
    url = live.session.get_absolute_url()
    assert b"Record a decision" in client.get(url).content

    ForumMembership.objects.filter(forum=live.world.forum, user=live.facilitator).update(
        role=ForumRole.PARTICIPANT
    )

    assert b"Record a decision" not in client.get(url).content


def test_removing_someone_from_the_forum_shows_at_once(live: SessionWorld) -> None:  # noqa: F811
    client = client_for(live.member_b)
    url = live.session.get_absolute_url()
    assert client.get(url).status_code == 200

    ForumMembership.objects.filter(forum=live.world.forum, user=live.member_b).delete()

    assert client.get(url).status_code == 404


def test_learning_a_decision_rests_on_is_shown_only_to_who_may_read_it(
    live: SessionWorld,  # noqa: F811
) -> None:
    entry: Any = factories.LearningEntryFactory(
        place=live.world.place,
        organisation=live.world.org_a,
        visibility="organisation",
        title="Org A's own learning",
    )
    services.decision_record(
        session=live.session, by=live.facilitator, text="We will try it", rests_on=[]
    )
    live.session.decisions.get().rests_on.add(entry)  # as the admin would
    url = live.session.get_absolute_url()
    member_a, member_b = client_for(live.member_a), client_for(live.member_b)
    assert b"Org A&#x27;s own learning" in member_a.get(url).content

    assert b"Org A&#x27;s own learning" not in member_b.get(url).content

    entry.organisation = live.world.org_b  # narrowed away from org A (as the admin would)
    entry.save()
    assert b"Org A&#x27;s own learning" not in member_a.get(url).content
