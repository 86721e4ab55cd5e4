"""Talking point 11's record end to end in real Chromium: a lead gives the organisation's
funding mix, and the place's partners see it only added together with others'."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.management import call_command

from tests.browser.signing_in import sign_in
from tests.services import axe_check

pytestmark = pytest.mark.browser


@pytest.fixture
def demo_data(transactional_db: None) -> None:
    call_command("load_demo", stdout=open("/dev/null", "w"))  # noqa: SIM115


def test_lead_gives_the_funding_mix_and_partners_see_only_the_average(
    browser: Any, demo_data: None
) -> None:
    page = browser.new_page()
    sign_in(page, "lead@demo.hls-forum.localhost")
    page.goto("/places/plymouth/picture/")
    page.get_by_role("link", name="See how partners here are funded").click()
    page.wait_for_url("**/places/plymouth/funding/")
    axe_check(page)
    assert "across 3 organisations" in page.get_by_role("table").first.inner_text()

    page.get_by_role("link", name="Give or update Harbour Recovery Project's funding mix").click()
    page.get_by_label("Grants (%)").fill("60")
    page.get_by_label("Contracts (%)").fill("30")
    page.get_by_role("button", name="Save the funding mix").click()
    assert "they must add up to 100%" in page.locator("[data-error-summary]").inner_text()
    axe_check(page)
    page.get_by_label("Donations (%)").fill("10")
    page.get_by_label("Earned income (%)").fill("0")
    page.get_by_role("button", name="Save the funding mix").click()
    page.get_by_text("Your funding mix is saved").wait_for()
    assert "60%" in page.get_by_role("table").inner_text()

    page.goto("/places/plymouth/funding/")
    shares = page.get_by_role("table").first.inner_text()
    assert "60%" not in shares  # only the average of three organisations' latest mixes
