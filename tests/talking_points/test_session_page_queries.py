"""The live session page makes the same number of queries whatever the
amount of data (contributions, people at the table, agenda items, decisions, actions), for
every persona who can open it, on a first visit and a later one.
People outside the forum get a 404, in a pinned number of queries too.
"""

from __future__ import annotations

from typing import Any

import pytest
from django.core.cache import cache
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from partnerships.models import ForumMembership
from talking_points import services
from tests import factories
from tests.conftest import client_for
from tests.talking_points.sessions_helpers import SessionWorld, live  # noqa: F401

pytestmark = pytest.mark.django_db

SMALL, LARGE = 3, 30


def cold_and_warm(client: Client, path: str, status: int = 200) -> tuple[int, int]:
    cache.clear()
    with CaptureQueriesContext(connection) as cold:
        first = client.get(path)
    with CaptureQueriesContext(connection) as warm:
        second = client.get(path)
    assert first.status_code == second.status_code == status
    return len(cold.captured_queries), len(warm.captured_queries)


def add_data(sw: SessionWorld, n: int) -> None:
    """``n`` people at the table, agenda items, contributions on a finished item and on the
    current one, decisions (every other resting on learning) and actions."""
    world = sw.world
    services.agenda_advance(session=sw.session, expected_item_id=sw.first.pk)
    for i in range(n):
        person = factories.ForumMembershipFactory(forum=world.forum).user
        services.session_join(session=sw.session, user=person)
        services.agenda_item_add(
            session=sw.session,
            talking_point=factories.report_point(["2", "3", "5"][i % 3]),
            time_box_minutes=10,
        )
        for item in (sw.first, sw.second):
            services.contribution_add(
                session=sw.session,
                agenda_item_id=item.pk,
                user=person,
                text=f"Point {i}",
                anonymous=i % 3 == 0,
            )
        entry: Any = factories.LearningEntryFactory(
            place=world.place, organisation=world.org_a, visibility=["place", "organisation"][i % 2]
        )
        services.decision_record(
            session=sw.session,
            by=sw.facilitator,
            text=f"Decision {i}",
            rests_on=[entry] if i % 2 else [],
        )
        services.action_add(
            session=sw.session, by=sw.facilitator, text=f"Do {i}", owner=person, due_on=None
        )


# Per persona: (queries on a first visit, on a later one). A first visit includes the
# session and the signed-in person, which later ones read from the cache.
LIVE_PAGE = {
    # the session, the reader's membership, agenda, contributions, attendance, decisions,
    # who was at the table, and (some decisions rest on learning) the learning each rests
    # on and links to, as the reader may see it. Cold: also the session and the person, and
    # what was said, the agenda, attendance and actions, which are cached by
    # Session.version. Plus the decisions panel's rounds (none here; see
    # tests/decisions/test_queries.py for a session with rounds).
    "participant": (14, 11),
    # ... and the voice balance, and the facilitator's forms: which agenda item, which
    # learning a decision rests on, who does an action, after which decision, and the
    # talking points to add; and the guest panel's link (guests app).
    "facilitator": (22, 19),
    "outsider": (3, 1),  # 404: the session is not one they may read
    "anonymous": (1, 1),  # 404
}


@pytest.mark.parametrize("n", [SMALL, LARGE])
def test_live_session_page_queries_are_pinned_and_do_not_grow(
    live: SessionWorld,  # noqa: F811
    n: int,
) -> None:
    add_data(live, n)
    assert ForumMembership.objects.filter(forum=live.world.forum, user=live.member_b).exists()
    path = live.session.get_absolute_url()

    counts = {
        "participant": cold_and_warm(client_for(live.member_b), path),
        "facilitator": cold_and_warm(client_for(live.facilitator), path),
        "outsider": cold_and_warm(client_for(live.world.lead_a), path, status=404),
        "anonymous": cold_and_warm(Client(), path, status=404),
    }

    assert counts == LIVE_PAGE
