"""The session pages' decisions panels read a fixed number of queries, however many rounds,
positions and dots a session has."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from decisions import services
from decisions.reads import session_rounds
from tests.talking_points.sessions_helpers import SessionWorld

pytestmark = pytest.mark.django_db


def add_rounds(live: SessionWorld, n: int) -> None:
    for i in range(n):
        dots = services.round_start(
            session=live.session,
            by=live.facilitator,
            method="dots",
            proposal=f"Where first? {i}",
            options=["A", "B", "C"],
        )
        consent = services.round_start(
            session=live.session, by=live.facilitator, method="consent", proposal=f"Go {i}"
        )
        for user in (live.member_a, live.member_b):
            services.position_give(round=dots, user=user, dots={dots.options.first().pk: 2})
            services.position_give(round=consent, user=user, stance="objection", reason="No.")


def count(live: SessionWorld) -> int:
    with CaptureQueriesContext(connection) as captured:
        views = session_rounds(live.session, live.member_a)
        for view in views:
            assert view.tally.responses == 2
    return len(captured)


def test_the_panel_does_not_grow_with_rounds(live: SessionWorld) -> None:
    add_rounds(live, 1)
    small = count(live)
    add_rounds(live, 4)

    assert count(live) == small == 6
