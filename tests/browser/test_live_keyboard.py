"""Done means: a facilitator and a participant run a live session with the keyboard alone
(Tab, Enter, Space and typing), on a wide screen and on a 320 px phone. Focus is never
lost: not after adding a contribution, not when a poll brings someone else's, not after
"Next talking point" (it goes to "Now discussing"). A half-typed contribution survives
every poll. Each change is announced once in the page's one polite live region. The
facilitator's main controls are a Tab or two from "Now discussing". axe-core checks the
page after each htmx interaction."""

from __future__ import annotations

from typing import Any

import pytest
from playwright.sync_api import TimeoutError as PlaywrightTimeout

from talking_points import services
from talking_points.models import Attendance
from tests.browser.test_live_session import signed_in_page
from tests.conftest import World
from tests.services import axe_check
from tests.talking_points.sessions_helpers import planned_session

pytestmark = [pytest.mark.browser, pytest.mark.services]

# Everything the live region is told, in order, kept by the page itself from its first moment.
RECORD_ANNOUNCEMENTS = """
window.announced = [];
document.addEventListener("DOMContentLoaded", function () {
  var region = document.getElementById("status");
  if (!region) { return; }
  new MutationObserver(function (records) {
    records.forEach(function (record) {
      record.addedNodes.forEach(function (node) {
        if (node.nodeType === 1 && node.hasAttribute("data-announcement")) {
          window.announced.push(node.textContent);
        }
      });
    });
  }).observe(region, { childList: true, subtree: true });
});
"""

WAIT_MS = 6000


def keyboard_page(chromium_browser: Any, live_server: Any, user: Any, width: int) -> Any:
    page = signed_in_page(chromium_browser, live_server, user)
    page.context.add_init_script(RECORD_ANNOUNCEMENTS)
    page.set_viewport_size({"width": width, "height": 800})
    return page


def focused(page: Any) -> dict[str, Any]:
    return dict(
        page.evaluate(
            """() => {
              const el = document.activeElement;
              return {id: el ? el.id : "", tag: el ? el.tagName : "",
                      text: el ? (el.innerText || el.value || "").trim() : "",
                      value: el && "value" in el ? el.value : null};
            }"""
        )
    )


def focused_label(page: Any) -> str:
    return str(
        page.evaluate(
            "() => { const l = document.activeElement.labels;"
            " return l && l.length ? l[0].innerText.trim() : ''; }"
        )
    )


def tab_to(page: Any, *, id: str = "", text: str = "", label: str = "", limit: int = 60) -> int:
    """Press Tab until the control with this id, text or label has focus; how many presses."""
    for presses in range(1, limit + 1):
        page.keyboard.press("Tab")
        now = focused(page)
        if (
            (id and now["id"] == id)
            or (text and now["text"] == text)
            or (label and focused_label(page) == label)
        ):
            return presses
    pytest.fail(f"Tab never reached {id or text or label!r} on {page.url}")


def heard(page: Any) -> list[str]:
    return list(page.evaluate("() => window.announced"))


def wait_to_hear(page: Any, text: str) -> None:
    try:
        page.wait_for_function("text => window.announced.includes(text)", arg=text, timeout=WAIT_MS)
    except PlaywrightTimeout:
        pytest.fail(f"never heard {text!r}; heard {heard(page)!r}, focus on {focused(page)!r}")


def assert_fits(page: Any) -> None:
    overflow = page.evaluate(
        "() => document.documentElement.scrollWidth - document.documentElement.clientWidth"
    )
    if overflow > 0:
        wide = page.evaluate(
            """() => {
              const width = document.documentElement.clientWidth;
              return Array.from(document.querySelectorAll("body *"))
                .filter(e => e.getBoundingClientRect().right > width)
                .map(e => e.tagName + "#" + e.id + "." + e.className).slice(-6);
            }"""
        )
        pytest.fail(f"{page.url} scrolls sideways by {overflow}px: {wide}")


def checked(page: Any) -> None:
    """After each interaction: accessible, and no sideways scrolling."""
    axe_check(page)
    assert_fits(page)


@pytest.mark.parametrize("width", [1280, 320])
def test_facilitator_and_participant_run_a_session_by_keyboard(
    chromium_browser: Any, live_server: Any, world: World, width: int
) -> None:
    session, items = planned_session(world, days=0)
    first_point, second_point = str(items[0].talking_point), str(items[1].talking_point)
    fran = keyboard_page(chromium_browser, live_server, world.facilitator, width)
    alice = keyboard_page(chromium_browser, live_server, world.member_a, width)
    path = session.get_absolute_url()

    # The facilitator opens the session, ticking Alice as at the table.
    fran.goto(path)
    checked(fran)
    tab_to(fran, text="Open the session")
    fran.keyboard.press("Enter")
    fran.wait_for_url("**/open/")
    checked(fran)
    tab_to(fran, label=world.member_a.full_name, limit=40)
    fran.keyboard.press("Space")
    tab_to(fran, text="Open the session")
    fran.keyboard.press("Enter")
    fran.wait_for_url(f"**{path}#now-heading")
    assert focused(fran)["id"] == "now-heading"
    checked(fran)

    # Fewer Tab stops: from "Now discussing", Next is one press, Close two, the contribution
    # box four, however many contributions there are.
    stops = []
    for _ in range(4):
        fran.keyboard.press("Tab")
        stops.append(focused(fran)["id"])
    assert stops == ["advance-button", "close-link", "round-robin-summary", "contribution_text"]
    fran.keyboard.press("Shift+Tab")
    assert focused(fran)["id"] == "round-robin-summary"  # inside the region polls redraw

    # Alice adds a contribution; focus stays on the button she pressed.
    alice.goto(path)
    tab_to(alice, id="contribution_text")
    alice.keyboard.type("We hear about decisions after they are made.")
    tab_to(alice, id="contribution-submit", limit=2)
    alice.keyboard.press("Enter")
    wait_to_hear(alice, "Your contribution was added.")
    assert focused(alice)["id"] == "contribution-submit"
    checked(alice)

    # The facilitator's poll brings it: announced, and focus stays on "Now discussing".
    alice_said = f"New contribution from {world.member_a.full_name}, {world.org_a.name}: "
    alice_said += "We hear about decisions after they are made."
    wait_to_hear(fran, alice_said)
    assert focused(fran)["id"] == "round-robin-summary"
    checked(fran)

    # Alice starts typing; Bob (on another device) adds an anonymous contribution. Her poll
    # brings it while her words stay in the box, with focus.
    alice.keyboard.press("Shift+Tab")
    alice.keyboard.press("Shift+Tab")
    assert focused(alice)["id"] == "contribution_text"
    alice.keyboard.type("Half typed")
    session.refresh_from_db()
    services.session_join(session=session, user=world.member_b)
    services.contribution_add(
        session=session,
        agenda_item_id=items[0].pk,
        user=world.member_b,
        text="I worry about saying this out loud.",
        anonymous=True,
    )
    bob_said = "New anonymous contribution: I worry about saying this out loud."
    wait_to_hear(alice, bob_said)
    wait_to_hear(fran, bob_said)
    assert focused(alice) == {
        "id": "contribution_text",
        "tag": "TEXTAREA",
        "text": "Half typed",
        "value": "Half typed",
    }
    checked(alice)

    assert focused(fran)["id"] == "round-robin-summary"

    # Next talking point: focus goes to "Now discussing"; everyone hears the new point.
    fran.keyboard.press("Shift+Tab")
    fran.keyboard.press("Shift+Tab")
    assert focused(fran)["id"] == "advance-button"
    fran.keyboard.press("Enter")
    now_discussing = f"Now discussing: {second_point}"
    wait_to_hear(fran, now_discussing)
    assert focused(fran)["id"] == "now-heading"
    checked(fran)
    wait_to_hear(alice, now_discussing)
    assert focused(alice)["value"] == "Half typed"
    assert focused(alice)["id"] == "contribution_text"
    alice.keyboard.type(", and finished on the new point.")
    tab_to(alice, id="contribution-submit", limit=2)
    alice.keyboard.press("Enter")
    alice.wait_for_function(
        "() => window.announced.filter(t => t === 'Your contribution was added.').length === 2",
        timeout=WAIT_MS,
    )
    assert focused(alice)["id"] == "contribution-submit"
    wait_to_hear(
        fran,
        f"New contribution from {world.member_a.full_name}, {world.org_a.name}: "
        "Half typed, and finished on the new point.",
    )
    assert focused(fran)["id"] == "now-heading"

    # Round-robin, folded away behind one Tab stop: start it, then invite the next person.
    tab_to(fran, id="round-robin-summary", limit=3)
    fran.keyboard.press("Enter")
    tab_to(fran, id="round-robin-toggle", limit=2)
    fran.keyboard.press("Enter")
    first_turn = Attendance.objects.filter(session=session).order_by("joined_at", "pk").first()
    assert first_turn is not None
    over_to = f"Round-robin: over to {first_turn.name}"
    over_to += f" ({first_turn.organisation_name})." if first_turn.organisation_name else "."
    wait_to_hear(fran, "It is your turn to speak.")  # the facilitator joined first
    assert focused(fran) == {
        "id": "round-robin-toggle",
        "tag": "BUTTON",
        "text": "Stop round-robin",
        "value": "off",
    }
    checked(fran)
    wait_to_hear(alice, over_to)
    fran.keyboard.press("Shift+Tab")
    assert focused(fran)["id"] == "round-robin-next"
    fran.keyboard.press("Enter")
    wait_to_hear(alice, "It is your turn to speak.")
    wait_to_hear(fran, f"Round-robin: over to {world.member_a.full_name} ({world.org_a.name}).")
    assert focused(fran)["id"] == "round-robin-next"
    assert focused(alice)["id"] == "contribution-submit"
    checked(alice)

    # The facilitator closes: the summary's heading takes focus; Alice hears it, in place.
    fran.keyboard.press("Shift+Tab")
    assert focused(fran)["id"] == "round-robin-summary"
    fran.keyboard.press("Shift+Tab")
    assert focused(fran)["id"] == "close-link"
    fran_heard = heard(fran)
    fran.keyboard.press("Enter")
    fran.wait_for_url("**/close/")
    tab_to(fran, text="Close the session")
    fran.keyboard.press("Enter")
    fran.wait_for_url(f"**{path}#summary-heading")
    assert focused(fran)["id"] == "summary-heading"
    checked(fran)
    wait_to_hear(alice, "The session has closed. The summary is ready to read.")
    assert focused(alice)["id"] == "contribution-submit"
    checked(alice)

    # Each announced once, in order, however many polls redrew the page in between.
    assert fran_heard == [
        alice_said,
        bob_said,
        now_discussing,
        f"New contribution from {world.member_a.full_name}, {world.org_a.name}: "
        "Half typed, and finished on the new point.",
        "It is your turn to speak.",
        f"Round-robin: over to {world.member_a.full_name} ({world.org_a.name}).",
    ]
    assert heard(alice) == [
        "Your contribution was added.",
        bob_said,
        now_discussing,
        "Your contribution was added.",
        over_to,
        "It is your turn to speak.",
        "The session has closed. The summary is ready to read.",
    ]
    assert first_point not in " ".join(heard(alice))  # nothing announced on page load
