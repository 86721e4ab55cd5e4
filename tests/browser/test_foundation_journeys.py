"""End-to-end journeys in real headless Chromium, with axe-core on every page visited."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.management import call_command

from partnerships.demo import DEMO_PASSWORD
from tests.services import axe_check

pytestmark = pytest.mark.browser


@pytest.fixture
def demo_data(transactional_db: None) -> None:
    call_command("load_demo", stdout=open("/dev/null", "w"))  # noqa: SIM115


def test_visitor_opens_a_place_and_sees_its_commissioners(browser: Any, demo_data: None) -> None:
    page = browser.new_page()
    page.goto("/")
    axe_check(page)
    page.get_by_role("link", name="Plymouth").first.click()
    page.wait_for_url("**/places/plymouth/")
    assert page.get_by_role("heading", level=1).inner_text() == "Plymouth"
    commissioners = page.get_by_role("region", name="Commissioners")
    assert "Sam Okafor" in commissioners.inner_text()
    assert "Drug and Alcohol Treatment Commissioner" in commissioners.inner_text()
    axe_check(page)


def test_demo_person_signs_in_and_reaches_their_home_page(browser: Any, demo_data: None) -> None:
    page = browser.new_page()
    page.goto("/accounts/login/")
    axe_check(page)
    page.get_by_label("Email").fill("worker@demo.hls-forum.localhost")
    page.get_by_label("Password").fill(DEMO_PASSWORD)
    page.get_by_role("button", name="Sign In", exact=True).click()
    page.wait_for_url("**/me/")
    assert page.get_by_role("heading", level=1).inner_text() == "Hello, Alex"
    assert "Harbour Recovery Project" in page.inner_text("main")
    axe_check(page)
