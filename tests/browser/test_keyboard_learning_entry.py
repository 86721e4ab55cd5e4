"""A charity worker writes a learning entry with the keyboard alone, on a desktop screen and
on a 320 px wide phone, in real headless Chromium; axe-core on every page visited.

Only ``page.keyboard`` acts on a page (``page.goto`` opens the first one); after every step
the test asserts where focus is (``document.activeElement``), and at 320 px that no page
scrolls sideways.
"""

from __future__ import annotations

from typing import Any

import pytest
from django.core.management import call_command

from partnerships.demo import DEMO_PASSWORD
from talking_points.models import LearningEntry
from tests.services import axe_check

pytestmark = pytest.mark.browser

WORKER = "worker@demo.hls-forum.localhost"
TITLE = "Evening drop-in by keyboard"
MOST_TABS = 150

# What has focus, in a form the assertions can compare.
FOCUSED = """() => {
  const el = document.activeElement;
  if (!el || el === document.body) { return {tag: "body"}; }
  return {
    tag: el.tagName.toLowerCase(),
    name: el.getAttribute("name") || "",
    value: el.getAttribute("type") === "radio" ? el.value : "",
    checked: Boolean(el.checked),
    text: (el.innerText || "").trim(),
    summary: el.hasAttribute("data-error-summary"),
    status: Boolean(el.closest("#status")),
  };
}"""


# Elements reaching past the right edge, when the page scrolls sideways.
TOO_WIDE = """() => {
  const width = document.documentElement.clientWidth;
  if (document.documentElement.scrollWidth <= width) { return []; }
  return Array.from(document.querySelectorAll("body *"))
    .filter(el => el.getBoundingClientRect().right > width)
    .map(el => `${el.tagName.toLowerCase()}.${el.className}#${el.id}`)
    .slice(0, 10);
}"""


@pytest.fixture
def demo_data(transactional_db: None) -> None:
    call_command("load_demo", stdout=open("/dev/null", "w"))  # noqa: SIM115


def focused(page: Any) -> dict[str, Any]:
    result: dict[str, Any] = page.evaluate(FOCUSED)
    return result


def focus_on_arrival(page: Any) -> dict[str, Any]:
    """Where focus is when a page has loaded: at the top of the page, or on the message
    saying what just happened (site.js)."""
    now = focused(page)
    assert now == {"tag": "body"} or now["status"] is True, now
    return now


def tab_to(page: Any, **wanted: Any) -> dict[str, Any]:
    """Press Tab until the focused element has the ``wanted`` properties (see FOCUSED)."""
    for _ in range(MOST_TABS):
        page.keyboard.press("Tab")
        now = focused(page)
        if all(now.get(key) == value for key, value in wanted.items()):
            return now
    raise AssertionError(f"Tab never reached {wanted}; last {focused(page)}")


def press_and_load(page: Any, key: str, url: str) -> None:
    with page.expect_navigation(url=url):
        page.keyboard.press(key)
    page.wait_for_load_state()


def check_page(page: Any, narrow: bool) -> None:
    axe_check(page)
    if narrow:
        too_wide = page.evaluate(TOO_WIDE)
        assert too_wide == [], f"{page.url} scrolls sideways at 320px: {too_wide}"


def section_shown(page: Any, kind: str) -> bool:
    return bool(page.evaluate(f"!document.querySelector('[data-kind-section=\"{kind}\"]').hidden"))


@pytest.mark.parametrize("width", [1280, 320])
def test_worker_writes_an_entry_by_keyboard(browser: Any, demo_data: None, width: int) -> None:
    narrow = width == 320
    page = browser.new_page()
    page.set_viewport_size({"width": width, "height": 720})

    # Sign in.
    page.goto("/accounts/login/")
    check_page(page, narrow)
    assert tab_to(page, name="login")["tag"] == "input"
    page.keyboard.type(WORKER)
    assert tab_to(page, name="password")["tag"] == "input"
    page.keyboard.type(DEMO_PASSWORD)
    press_and_load(page, "Enter", "**/me/")
    focus_on_arrival(page)
    check_page(page, narrow)

    # Open the learning log, then the form.
    assert tab_to(page, text="Learning log for Plymouth")["tag"] == "a"
    press_and_load(page, "Enter", "**/places/plymouth/learning/")
    focus_on_arrival(page)
    check_page(page, narrow)
    assert tab_to(page, text="Write a learning entry")["tag"] == "a"
    press_and_load(page, "Enter", "**/learning/new/")
    focus_on_arrival(page)
    assert not section_shown(page, "experiment")
    assert not section_shown(page, "story")
    check_page(page, narrow)

    # Choose the kind with the arrow keys: the experiment's questions appear.
    now = tab_to(page, name="kind")
    assert (now["value"], now["checked"]) == ("breakthrough", False)
    page.keyboard.press("ArrowDown")
    page.keyboard.press("ArrowDown")
    now = focused(page)
    assert (now["name"], now["value"], now["checked"]) == ("kind", "experiment", True)
    assert section_shown(page, "experiment")
    assert not section_shown(page, "story")

    # The title, then straight past "What we tried" to how far it has got: a mistake.
    assert tab_to(page, name="title")["tag"] == "input"
    page.keyboard.type(TITLE)
    assert tab_to(page, name="tried")["tag"] == "textarea"
    now = tab_to(page, name="experiment_status")
    assert now["value"] == "planned"
    page.keyboard.press("ArrowDown")
    now = focused(page)
    assert (now["name"], now["value"], now["checked"]) == ("experiment_status", "running", True)
    assert tab_to(page, text="Save entry")["tag"] == "button"
    press_and_load(page, "Enter", "**/learning/new/")

    # The error summary has focus and says only what is wrong; its link leads to the field.
    now = focused(page)
    assert now["summary"] is True
    assert "What we tried: Say what you tried." in now["text"]
    assert "consent" not in now["text"].lower()
    assert section_shown(page, "experiment")
    check_page(page, narrow)
    assert tab_to(page, text="What we tried: Say what you tried.")["tag"] == "a"
    page.keyboard.press("Enter")
    assert focused(page)["name"] == "tried"

    # Fix it and save.
    page.keyboard.type("We opened on Thursday evenings.")
    assert tab_to(page, text="Save entry")["tag"] == "button"
    press_and_load(page, "Enter", "**/learning/*/")
    now = focused(page)
    assert (now["status"], now["text"]) == (True, "Your learning entry is saved.")
    assert page.get_by_role("heading", level=1).inner_text() == TITLE
    check_page(page, narrow)
    entry = LearningEntry.objects.get(title=TITLE)
    assert (entry.kind, entry.tried, entry.experiment_status) == (
        "experiment",
        "We opened on Thursday evenings.",
        "running",
    )
