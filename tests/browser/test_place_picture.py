"""The place picture end to end in real Chromium: every part, the system map downloads, and
axe-core on every page."""

from __future__ import annotations

import datetime
from pathlib import Path
from typing import Any

import pytest
from django.core.management import call_command
from django.utils import timezone

from partnerships.demo_two_step import DEMO_TOTP_SECRET
from partnerships.models import Forum
from talking_points.models import Session, WellbeingCheckIn
from tests.browser.signing_in import sign_in
from tests.services import axe_check

pytestmark = pytest.mark.browser


@pytest.fixture
def demo_data(transactional_db: None) -> None:
    call_command("load_demo", stdout=open("/dev/null", "w"))  # noqa: SIM115


def test_partner_visits_every_part_of_the_place_picture(
    browser: Any, demo_data: None, tmp_path: Path
) -> None:
    page = browser.new_page()
    sign_in(page, "facilitator@demo.hls-forum.localhost")

    # Dashboard
    page.goto("/places/plymouth/")
    page.get_by_role("link", name="See the place picture").click()
    page.wait_for_url("**/places/plymouth/picture/")
    assert page.get_by_role("heading", level=1).inner_text() == "Plymouth: the place picture"
    assert "Sam Okafor" in page.get_by_role("region", name="Commissioners", exact=True).inner_text()
    assert "Jo Mitchell" in page.get_by_role("region", name="Champions").inner_text()
    signals = page.get_by_role("region", name="Signals")
    assert "How true the propositions feel here" in signals.inner_text()
    assert page.locator("svg[role=img] title").count() >= 1  # the wellbeing chart
    axe_check(page)

    # Shared language: a term explains itself on keyboard focus.
    term = page.locator(".term dfn").first
    term.focus()
    tip = page.locator(".term-tip").first
    assert tip.is_visible()
    assert term.get_attribute("aria-describedby") == tip.get_attribute("id")
    page.keyboard.press("Escape")
    assert not tip.is_visible()

    # Transparency register
    page.get_by_role("link", name="What is funded").first.click()
    page.wait_for_url("**/commissions/?place=plymouth")
    assert "Drug and alcohol treatment alliance" in page.inner_text("main")
    axe_check(page)
    page.get_by_role("link", name="Drug and alcohol treatment alliance").click()
    assert page.get_by_role("heading", level=1).inner_text() == (
        "Drug and alcohol treatment alliance"
    )
    axe_check(page)
    with page.expect_download() as csv_download:
        page.goto("/commissions/?place=plymouth")
        page.get_by_role("link", name="Download as a spreadsheet (CSV)").click()
    csv_path = tmp_path / "register.csv"
    csv_download.value.save_as(csv_path)
    assert "Drug and alcohol treatment alliance" in csv_path.read_text()

    # System map: drawn by the app's own script, with a text alternative and downloads.
    page.get_by_role("link", name="System map").click()
    page.wait_for_url("**/places/plymouth/system-map/")
    picture = page.locator("[data-system-map] svg[role=img]")
    picture.wait_for()
    assert page.locator("#system-map-title").text_content() == "Plymouth: the local system"
    assert "The map shows 5 organisations and 8 relationships" in (
        page.locator("#system-map-desc").text_content() or ""
    )
    assert picture.locator("circle").count() >= 5
    assert page.get_by_role("table").locator("tbody tr").count() == 8
    axe_check(page)
    with page.expect_download() as svg_download:
        page.get_by_role("button", name="Download the picture (SVG)").click()
    assert svg_download.value.suggested_filename == "plymouth-system-map.svg"
    svg_path = tmp_path / "map.svg"
    svg_download.value.save_as(svg_path)
    svg_text = svg_path.read_text()
    assert svg_text.startswith('<?xml version="1.0" encoding="UTF-8"?>')
    assert "Harbour Recovery Project" in svg_text
    assert "<title" in svg_text
    with page.expect_download() as png_download:
        page.get_by_role("button", name="Download the picture (PNG)").click()
    assert png_download.value.suggested_filename == "plymouth-system-map.png"
    png_path = tmp_path / "map.png"
    png_download.value.save_as(png_path)
    assert png_path.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"

    # Filtering the map, and drawing a new line on it.
    page.get_by_role("checkbox", name="Funds").check()
    page.get_by_role("button", name="Show these").click()
    page.wait_for_url("**kind=funds**")
    assert page.get_by_role("table").locator("tbody tr").count() == 1
    page.goto("/places/plymouth/system-map/")
    page.get_by_label("Organisation", exact=True).select_option(label="Devon Families Together")
    page.get_by_label("Relationship", exact=True).select_option(label="refers people to")
    page.get_by_label("Other organisation").select_option(label="Plymouth Street Outreach")
    page.get_by_role("button", name="Add to the map").click()
    page.wait_for_url("**/places/plymouth/system-map/")
    assert page.get_by_role("table").locator("tbody tr").count() == 9
    axe_check(page)

    # Propositions check
    page.get_by_role("link", name="Propositions check").click()
    page.wait_for_url("**/places/plymouth/propositions/")
    assert page.locator("svg[role=img]").count() == 14  # a distribution and a trend each
    for chart in page.locator("svg[role=img]").all():
        labelled_by = chart.get_attribute("aria-labelledby").split()
        assert all((page.locator(f"#{i}").text_content() or "").strip() for i in labelled_by)
    assert page.get_by_role("table").first.locator("tbody tr").count() == 7
    axe_check(page)

    # Glossary
    page.get_by_role("link", name="Glossary").first.click()
    page.wait_for_url("**/places/plymouth/glossary/")
    page.get_by_role("textbox", name="Term").fill("Alliance")
    page.get_by_label("What it means, in plain English").fill("Said twice.")
    page.get_by_role("button", name="Add to the glossary").click()
    summary = page.locator("[data-error-summary]")
    assert "already in Plymouth's glossary" in summary.inner_text()
    assert summary.evaluate("node => node === document.activeElement")
    axe_check(page)

    # Champions
    page.get_by_role("link", name="Champions").first.click()
    page.wait_for_url("**/places/plymouth/champions/")
    assert "Jo Mitchell" in page.inner_text("main")
    axe_check(page)

    # Wellbeing: the forum's trend, and an anonymous check-in.
    forum = Forum.objects.get(slug="plymouth-alliance-forum")
    session = Session.objects.create(
        forum=forum, starts_at=timezone.now() - datetime.timedelta(minutes=5), status="live"
    )
    page.goto("/forums/plymouth-alliance-forum/wellbeing/")
    assert page.locator("svg[role=img] desc").count() == 1
    axe_check(page)
    page.get_by_role("link", name="check in").first.click()
    page.wait_for_url(f"**/sessions/{session.pk}/wellbeing-check-in/")
    axe_check(page)
    page.get_by_label("4", exact=True).check()
    page.get_by_label("One word for how you feel").fill("hopeful")
    page.get_by_role("button", name="Check in").click()
    page.wait_for_url("**/forums/plymouth-alliance-forum/wellbeing/")
    assert list(
        WellbeingCheckIn.objects.filter(session=session).values_list("word", flat=True)
    ) == ["hopeful"]


def test_commissioner_records_a_commission_with_a_readability_hint(
    browser: Any, demo_data: None
) -> None:
    page = browser.new_page()
    sign_in(page, "commissioner@demo.hls-forum.localhost", totp_secret=DEMO_TOTP_SECRET)
    page.goto("/commissions/new/?place=plymouth")
    axe_check(page)
    page.get_by_label("What is funded").fill("Night-time outreach")
    page.get_by_label("Why you fund it").fill(
        "Organisational transformation necessitates comprehensive interdisciplinary "
        "collaboration, facilitating systemic capability development across "
        "institutionally heterogeneous commissioning environments."
    )
    hint = page.locator("#id_why-readability")
    hint.get_by_text("may be hard for some partners to read").wait_for()
    page.get_by_label("Budget (£)").fill("lots")
    page.get_by_label("Starts on").fill("2026-04-01")
    page.get_by_label("Contract", exact=True).check()
    page.get_by_role("button", name="Add to the register").click()
    assert "Enter the budget in pounds" in page.locator("[data-error-summary]").inner_text()
    axe_check(page)
    page.get_by_label("Budget (£)").fill("90000")
    page.get_by_role("button", name="Add to the register").click()
    page.wait_for_url("**/commissions/*/")
    assert page.get_by_role("heading", level=1).inner_text() == "Night-time outreach"


def test_dashboard_and_map_make_sense_without_javascript(
    chromium_browser: Any, live_server: Any, demo_data: None
) -> None:
    context = chromium_browser.new_context(base_url=live_server.url, java_script_enabled=False)
    try:
        page = context.new_page()
        page.goto("/places/preston/picture/")
        assert "Preston Partners' Conversation" in page.inner_text("main")
        assert "Early help for families" in page.inner_text("main")
        sign_in(page, "nadia@demo.hls-forum.localhost")
        page.goto("/places/preston/system-map/")
        assert "The same information is in the table below." in page.inner_text("main")
        assert page.locator("table tbody tr").count() == 6
        page.goto("/places/preston/propositions/")
        assert page.locator("svg[role=img]").count() == 14
    finally:
        context.close()
