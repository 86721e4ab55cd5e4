"""Learning logs end to end in real headless Chromium, with axe-core on every page visited."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.management import call_command

from partnerships.demo_two_step import DEMO_TOTP_SECRET
from talking_points.models import LearningEntry, Review
from tests.browser.signing_in import sign_in
from tests.services import axe_check

pytestmark = pytest.mark.browser

WORKER = "worker@demo.hls-forum.localhost"
COMMISSIONER = "commissioner@demo.hls-forum.localhost"
TITLE = "Text reminders the day before appointments"
QUESTION = "Which reminder times worked best for people?"


@pytest.fixture
def demo_data(transactional_db: None) -> None:
    call_command("load_demo", stdout=open("/dev/null", "w"))  # noqa: SIM115


def sign_out(page: Any) -> None:
    page.get_by_role("button", name="Sign out").click()
    page.wait_for_load_state()


def test_worker_shares_an_experiment_and_the_commissioner_asks_a_question(
    browser: Any, demo_data: None
) -> None:
    page = browser.new_page()

    # A VCS worker writes an experiment and shares it with commissioners.
    sign_in(page, WORKER)
    axe_check(page)
    page.get_by_role("link", name="Learning log for Plymouth").click()
    page.wait_for_url("**/places/plymouth/learning/")
    axe_check(page)
    page.get_by_role("link", name="Write a learning entry").click()
    page.wait_for_url("**/learning/new/")
    axe_check(page)
    page.get_by_label("Experiment", exact=True).check()
    page.get_by_label("Title").fill(TITLE)
    page.get_by_label("What we tried").fill("We sent a **text** the day before each appointment.")
    page.get_by_label("What happened").fill("Fewer missed appointments.")
    page.get_by_label("What we learned").fill("People want a nudge, not a letter.")
    page.get_by_label("What next").fill("Try it for group sessions too.")
    page.get_by_role("group", name="How far the experiment has got").get_by_label("Running").check()
    page.get_by_label("When we will look at it again").fill("2027-03-01")
    page.get_by_label("Tags").fill("reminders, appointments")
    page.get_by_role("group", name="Who can see this entry?").get_by_label(
        "Our organisation and the commissioners for this place"
    ).check()
    page.get_by_role("button", name="Save entry").click()
    page.wait_for_url("**/learning/*/")
    assert page.get_by_role("heading", level=1).inner_text() == TITLE
    assert "Your learning entry is saved." in page.inner_text("#status")
    assert page.locator("main strong", has_text="text").count() == 1
    axe_check(page)
    entry = LearningEntry.objects.get(title=TITLE)
    assert entry.visibility == "commissioners"
    sign_out(page)

    # The place's commissioner finds it in their queue and asks a question.
    sign_in(page, COMMISSIONER, totp_secret=DEMO_TOTP_SECRET)
    page.get_by_role("link", name="Your review queue").click()
    page.wait_for_url("**/reviews/")
    axe_check(page)
    queue = page.locator("main")
    assert queue.locator(".queue-item").first.inner_text().startswith(TITLE)
    queue.get_by_role("link", name=TITLE, exact=True).click()
    page.wait_for_url(f"**{entry.get_absolute_url()}")
    axe_check(page)
    page.get_by_label("Ask a question").check()
    page.get_by_label("Message").fill(QUESTION)
    page.get_by_role("button", name="Send response").click()
    page.wait_for_url(f"**{entry.get_absolute_url()}#responses")
    assert QUESTION in page.inner_text("#responses")
    axe_check(page)
    assert Review.objects.get(entry=entry).kind == "question"
    sign_out(page)

    # The worker sees the question on the entry, and can reply.
    sign_in(page, WORKER)
    page.goto(entry.get_absolute_url())
    responses = page.locator("#responses")
    assert "Sam Okafor asked a question" in responses.inner_text()
    assert QUESTION in responses.inner_text()
    axe_check(page)
    page.get_by_label("Reply to Sam Okafor").fill("Evenings, around six.")
    page.get_by_role("button", name="Send reply").click()
    page.wait_for_url("**#thread-*")
    assert "Evenings, around six." in page.inner_text("#responses")
    axe_check(page)


def test_log_filters_update_the_list_in_place_and_the_address(
    browser: Any, demo_data: None
) -> None:
    page = browser.new_page()
    page.goto("/places/plymouth/learning/")
    axe_check(page)
    assert "Shared caseload with the hostel" in page.inner_text("#learning-results")

    page.get_by_label("Kind").select_option("reflection")
    page.wait_for_url("**/places/plymouth/learning/?*kind=reflection*")
    results = page.locator("#learning-results")
    results.get_by_text("Children notice when services change").wait_for()
    assert "Shared caseload with the hostel" not in results.inner_text()
    assert "shown" in page.inner_text("#status")
    axe_check(page)

    page.go_back()
    page.wait_for_url("**/places/plymouth/learning/")
    page.locator("#learning-results").get_by_text("Shared caseload with the hostel").wait_for()


def test_log_filters_work_without_javascript(
    chromium_browser: Any, live_server: Any, demo_data: None
) -> None:
    context = chromium_browser.new_context(base_url=live_server.url, java_script_enabled=False)
    try:
        page = context.new_page()
        page.goto("/places/plymouth/learning/")
        page.get_by_label("Kind").select_option("reflection")
        page.get_by_role("button", name="Show entries").click()
        page.wait_for_url("**kind=reflection*")
        assert "Children notice when services change" in page.inner_text("main")
        assert "Shared caseload with the hostel" not in page.inner_text("main")
    finally:
        context.close()


def test_log_pages_by_newer_and_older_links_and_tags_filter(
    browser: Any, demo_data: None, settings: Any
) -> None:
    settings.PAGE_SIZE = 1
    page = browser.new_page()
    page.goto("/places/plymouth/learning/")
    results = page.locator("#learning-results")
    first_titles = results.locator("h3").all_inner_texts()

    results.get_by_role("link", name="Older entries").click()
    page.wait_for_url("**/places/plymouth/learning/?older=*")
    results.get_by_role("link", name="Newer entries").wait_for()
    assert results.locator("h3").all_inner_texts() != first_titles
    axe_check(page)

    results.get_by_role("link", name="Newer entries").click()
    page.wait_for_url("**/places/plymouth/learning/?newer=*")
    page.wait_for_function(
        "titles => [...document.querySelectorAll('#learning-results h3')]"
        ".map(h => h.innerText).join('|') === titles.join('|')",
        arg=first_titles,
    )

    chip = results.locator(".entry-tags a").first
    tag = chip.inner_text().split("(")[0].strip().lstrip("#").strip()
    chip.click()
    page.wait_for_url("**/places/plymouth/learning/?tag=*")
    for item in page.locator("#learning-results .entry-item").all():
        assert f"#{tag}" in item.inner_text()
    axe_check(page)


def test_log_older_link_works_without_javascript(
    chromium_browser: Any, live_server: Any, demo_data: None, settings: Any
) -> None:
    settings.PAGE_SIZE = 1
    context = chromium_browser.new_context(base_url=live_server.url, java_script_enabled=False)
    try:
        page = context.new_page()
        page.goto("/places/plymouth/learning/")
        first = page.locator("#learning-results h3").all_inner_texts()
        page.get_by_role("link", name="Older entries").click()
        page.wait_for_url("**/places/plymouth/learning/?older=*")
        assert page.locator("#learning-results h3").all_inner_texts() != first
        assert page.get_by_role("link", name="Newer entries").count() == 1
    finally:
        context.close()
