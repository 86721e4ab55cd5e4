"""A consent decision with one objection resolved, in three browsers, without a reload for
the person who objects: the facilitator proposes, Alice objects with a reason (swapped in
place by htmx), Bob consents, Alice withdraws her objection, the facilitator ends the round
and the proposal is the session's decision. axe-core checks the live page with the panel."""

from __future__ import annotations

from typing import Any

import pytest
from playwright.sync_api import expect

from decisions.models import Round, RoundStatus
from tests.browser.test_live_session import signed_in_page
from tests.conftest import World
from tests.services import axe_check
from tests.talking_points.sessions_helpers import open_session

pytestmark = [pytest.mark.browser]

PROPOSAL = "Meet at the library from next month."


def test_a_consent_decision_with_one_objection_resolved(
    chromium_browser: Any, live_server: Any, world: World
) -> None:
    live = open_session(world)
    facilitator = signed_in_page(chromium_browser, live_server, world.facilitator)
    alice = signed_in_page(chromium_browser, live_server, world.member_a)
    bob = signed_in_page(chromium_browser, live_server, world.member_b)
    path = live.session.get_absolute_url()

    facilitator.goto(path)
    facilitator.get_by_text("Start a round: consent, sense check or dot vote").click()
    facilitator.get_by_label("The proposal or question").fill(PROPOSAL)
    facilitator.get_by_role("button", name="Start the round").click()
    expect(facilitator.locator("#decide")).to_contain_text(PROPOSAL)
    axe_check(facilitator)

    alice.goto(path)
    panel = alice.locator("#decide")
    panel.get_by_label("Objection", exact=True).check()
    panel.get_by_label("Why").fill("The library has no step-free entrance.")
    panel.get_by_role("button", name="Give my position").click()
    expect(panel).to_contain_text("Your position was recorded.")
    expect(panel).to_contain_text("1 objection stands")

    bob.goto(path)
    bob.locator("#decide").get_by_label("Consent", exact=True).check()
    bob.locator("#decide").get_by_role("button", name="Give my position").click()
    expect(bob.locator("#decide")).to_contain_text("Your position was recorded.")

    alice.reload()
    alice.get_by_role("button", name="Withdraw this objection").click()
    expect(alice.locator("#decide")).to_contain_text("No objection stands.")

    facilitator.reload()
    facilitator.get_by_role("button", name="End the round and record the decision").click()
    expect(facilitator.locator("#decisions")).to_contain_text(PROPOSAL)
    assert Round.objects.get().status == RoundStatus.PASSED
