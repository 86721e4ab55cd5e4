"""A partner books office hours in real Chromium, and both people's invites are queued."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.management import call_command

from doors.models import Booking
from outbox.models import Delivery, DeliveryKind
from tests.browser.signing_in import sign_in
from tests.services import axe_check

pytestmark = pytest.mark.browser


@pytest.fixture
def demo_data(transactional_db: None) -> None:
    call_command("load_demo", stdout=open("/dev/null", "w"))  # noqa: SIM115


def test_partner_books_office_hours(browser: Any, demo_data: None) -> None:
    page = browser.new_page()
    sign_in(page, "volunteer@demo.hls-forum.localhost")

    page.goto("/places/plymouth/picture/")
    axe_check(page)  # with the visits-by-quarter panel
    page.get_by_role("region", name="Commissioners", exact=True).get_by_role(
        "link", name="Sam Okafor"
    ).click()
    office_hours = page.get_by_role("region", name="Office hours")
    assert office_hours.get_by_text("Booked").count() == 1
    axe_check(page)
    office_hours.get_by_role("link", name="Book this time").first.click()
    axe_check(page)
    page.get_by_label("What you want to talk about").fill("Winter night shelter referrals")
    page.get_by_role("button", name="Book this time").click()

    page.wait_for_url("**/office-hours/bookings/")
    assert "Winter night shelter referrals" in page.inner_text("main")
    axe_check(page)
    booking = Booking.objects.get(topic="Winter night shelter referrals")
    recipients = Delivery.objects.filter(
        kind=DeliveryKind.OFFICE_HOURS_BOOKED, about_id=booking.pk
    ).values_list("recipient__email", flat=True)
    assert sorted(recipients) == [
        "commissioner@demo.hls-forum.localhost",
        "volunteer@demo.hls-forum.localhost",
    ]
