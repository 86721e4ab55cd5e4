"""The caches are invisible: after any sequence of writes, every cached page, read by every
persona, is exactly the page computed from the database with every cache off.

Hypothesis draws sequences of writes (tests/cache_differential.py): new and edited learning,
visibility narrowed and widened, consent withdrawn, people removed from organisations, join
requests answered, forums, places and organisations renamed, a live session moved on and
added to; through services, through ``save()`` as the admin does, and through
``QuerySet.update()`` and ``delete()``. Before the first write everyone has read every cached
page; after each write one page is read by every persona, and after the last every page is.
Each read must serve the page that the same request computes with every cache bypassed
(tests/page_comparison.py), apart from what differs in every response.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any

import pytest
from django.urls import reverse
from hypothesis import HealthCheck, Phase, example, given, settings

from partnerships import services as partnership_services
from partnerships.models import ForumJoinRequest
from tests.cache_differential import (
    AnswerJoinRequest,
    ChangeVisibility,
    EditEntry,
    Rename,
    Scenario,
    Step,
    run_sequence,
    scenario,  # noqa: F401 - the fixture
    steps,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def quiet_refusals(caplog: pytest.LogCaptureFixture) -> None:
    """Personas are refused pages all the time here (404, 403): logging each one with its
    traceback would cost more than rendering it."""
    caplog.set_level(logging.ERROR, logger="django.request")


# A facilitator declines a join request: the forum page must stop showing it at once.
DECLINED_REQUEST = [Step(AnswerJoinRequest(asker="outsider", accept=False), page="forum")]


# Each example costs seconds (every persona reads a page twice), so Hypothesis does not
# shrink: the failure message lists the writes up to the read that failed. Twenty examples
# of up to ten writes take about a minute on two cores.
@settings(
    max_examples=20,
    derandomize=True,
    deadline=None,
    database=None,
    phases=[Phase.explicit, Phase.generate],
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(sequence=steps)
@example(sequence=DECLINED_REQUEST)
def test_every_cached_page_is_the_page_computed_with_caches_off(
    scenario: Scenario,  # noqa: F811
    quiet_refusals: None,
    django_capture_on_commit_callbacks: Callable[..., Any],
    sequence: list[Step],
) -> None:
    run_sequence(scenario, sequence, django_capture_on_commit_callbacks)


def test_declined_join_request_leaves_the_forum_page_at_once(
    scenario: Scenario,  # noqa: F811
    django_capture_on_commit_callbacks: Callable[..., Any],
) -> None:
    url = reverse("talking_points:forum_detail", kwargs={"slug": scenario.world.forum.slug})
    facilitator = scenario.clients["facilitator"]
    assert "asking@example.org" in facilitator.get(url).content.decode()
    join_request = ForumJoinRequest.objects.get(user=scenario.askers["outsider"])

    with django_capture_on_commit_callbacks(execute=True):
        partnership_services.forum_join_request_decide(
            join_request=join_request, decided_by=scenario.world.facilitator, accept=False
        )

    page = facilitator.get(url).content.decode()
    assert "asking@example.org" not in page, "the declined request is still on the forum page"


# Writes made with update(), which sends no model signals: every page shows them at once.
WRITES_WITHOUT_SIGNALS = {
    "an entry retitled": Step(EditEntry(entry=3, via="update"), page="learning log"),
    "a public entry narrowed to its organisation": Step(
        ChangeVisibility(entry=3, visibility="organisation", via="update"), page="search"
    ),
    "learning a decision rests on narrowed": Step(
        ChangeVisibility(entry=3, visibility="organisation", via="update"), page="live session"
    ),
    "a forum renamed": Step(Rename(what="forum", via="update"), page="forum"),
    "a place renamed": Step(Rename(what="place", via="update"), page="place picture"),
    "an organisation renamed": Step(Rename(what="organisation B", via="update"), page="search"),
}


@pytest.mark.parametrize("step", WRITES_WITHOUT_SIGNALS.values(), ids=list(WRITES_WITHOUT_SIGNALS))
def test_a_write_made_with_update_shows_at_once(
    scenario: Scenario,  # noqa: F811
    quiet_refusals: None,
    django_capture_on_commit_callbacks: Callable[..., Any],
    step: Step,
) -> None:
    run_sequence(scenario, [step], django_capture_on_commit_callbacks, then_every_page=False)
