"""Every page, as every persona, on a small phone and with large text, in real Chromium.

The walk is the registry's (tests/test_url_access.py): each named URL a persona may open
with GET (the registry expects 200) is visited in that persona's one browser context, with
the world and the secret forum of tests/test_outsider_sees_nothing.py around it. On each
page:

- at 320 CSS px wide (WCAG 1.4.10 Reflow), nothing scrolls sideways: the document is no
  wider than the window, and no element sticks out past it unless it sits inside a scroll
  region a keyboard can reach and a screen reader can name (``role="region"``, a label,
  ``tabindex="0"``);
- the same with the text twice its size on a 390 px phone (WCAG 1.4.4 Resize text). The
  root font size is set to 200 % through the CSSOM, which is what doubling the browser's
  default text size does: the stylesheet sizes text and spacing in ``rem``/``em`` from
  ``html { font-size: 100% }``. (An inline ``<style>`` would be refused by the
  Content-Security-Policy; a script setting ``style.fontSize`` is not.) Whole-page zoom is
  not used: 200 % zoom on a 390 px phone is a 195 px window, narrower than the 320 px that
  Reflow asks for and which the first check already covers;
- axe-core finds no violation of any impact.

Problems are collected for every page, then reported together. Each persona has one browser
context, signed in from the start; a page whose markup another persona was just shown is
not given to axe-core again (the same markup, the same answer).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from django.conf import settings
from django.db import transaction
from django.test import Client
from django.urls import reverse

from tests import test_url_access
from tests.conftest import PERSONAS, World
from tests.services import axe_check
from tests.test_outsider_sees_nothing import _secrets
from tests.test_url_access import EXTRA_ROUTES, ROUTES, Route, url_name

pytestmark = pytest.mark.browser

PHONE = {"width": 320, "height": 640}
LARGE_TEXT_PHONE = {"width": 390, "height": 844}

API_KINDS = ("place", "organisation", "commissioner", "forum", "session", "commission", "learning")
# GET answers that are not pages for a person to read: files, feeds and fragments.
NOT_PAGES = {
    "healthz": "plain text for the load balancer",
    "robots_txt": "plain text for search engines",
    "talking_points:commission_export": "a CSV download",
    "talking_points:learning_export_csv": "a CSV download",
    "talking_points:session_export": "a CSV download",
    "talking_points:learning_feed": "an Atom feed",
    "reminders:forum_calendar": "an iCalendar file",
    "talking_points:session_poll": "the live page's polled part (checked as that page)",
    **{
        f"api:{name}": "JSON for partners' own systems"
        for name in (
            "schema",
            *(f"{kind}-{view}" for kind in API_KINDS for view in ("list", "detail")),
        )
    },
    "funding:place_funding_export": "a CSV download",
    "funding:register_json": "a JSON download",
    "funding:register_csv": "a CSV download",
    "records:assets_csv": "a CSV download",
    "records:control_map_csv": "a CSV download",
    "records:signals_csv": "a CSV download",
    "records:fears_csv": "a CSV download",
    "records:agreement_csv": "a CSV download",
    "records:vcs_trend_csv": "a CSV download",
}
# Outside our namespaces but ours to draw: sign-in, sign-up and two-step set-up. (Django's
# own admin is left to Django.)
OUR_EXTRA_PAGES = ("account_login", "account_signup", "mfa_index")
# Set-ups that change what others' pages find, visited after the rest: closing a session
# closes the forum's live one (a forum has one live session at a time), and an invite-only
# forum hides its calendar.
CHANGES_THE_WORLD = (
    "talking_points:session_detail [closed, members only]",
    "talking_points:session_detail [closed, published to the place]",
    "talking_points:session_detail [closed, public]",
    "reminders:forum_calendar [invite-only forum]",
    "agenda:correction_new",
    "agenda:correction_answer",
)

# Everything visible that sticks out past the right edge of the window, except what sits
# inside a scroll container; and every sideways scroll container that is not a labelled,
# focusable region. Elements moved off to the left to hide them (the skip link) and clipped
# to a pixel (visually hidden text) are not shown, so they do not count.
OVERFLOW_SCRIPT = """
() => {
  const root = document.documentElement;
  const width = root.clientWidth;
  const problems = [];
  const describe = (el) => {
    let text = el.tagName.toLowerCase();
    if (el.id) text += `#${el.id}`;
    if (el.classList.length) text += `.${[...el.classList].join('.')}`;
    const words = (el.textContent || '').trim().replace(/\\s+/g, ' ').slice(0, 40);
    return words ? `${text} ("${words}")` : text;
  };
  const scrolls = (el) => ['auto', 'scroll'].includes(getComputedStyle(el).overflowX);
  const clipped = (el) => {
    for (let up = el.parentElement; up; up = up.parentElement) {
      const box = up.getBoundingClientRect();
      if (getComputedStyle(up).overflowX !== 'visible' && box.width <= 1) return true;
    }
    return false;
  };
  const reported = new Set();
  let furthest = null;
  let furthestRight = width + 1;
  for (const el of document.body.querySelectorAll('*')) {
    const box = el.getBoundingClientRect();
    if (box.width === 0 || box.right <= 0) continue;
    if (scrolls(el) && el.scrollWidth > el.clientWidth + 1) {
      const named = el.hasAttribute('aria-labelledby') || el.hasAttribute('aria-label');
      if (!(el.getAttribute('role') === 'region' && named && el.tabIndex === 0)) {
        problems.push(`${describe(el)} scrolls sideways but is not a labelled, focusable region`);
      }
    }
    if (box.right <= width + 1 || clipped(el)) continue;
    if (box.right > furthestRight) { furthest = el; furthestRight = box.right; }
    let inside = false;
    for (let up = el.parentElement; up && up !== document.body; up = up.parentElement) {
      if (scrolls(up) || reported.has(up)) { inside = true; break; }
    }
    if (inside) continue;
    reported.add(el);
    problems.push(`${describe(el)} reaches ${Math.round(box.right)} px`);
  }
  if (root.scrollWidth > width) {
    const culprit = furthest ? `; furthest: ${describe(furthest)}` : '';
    problems.unshift(`the page is ${root.scrollWidth} px wide in a ${width} px window${culprit}`);
  }
  return problems;
}
"""


def walk() -> list[tuple[str, Route]]:
    """The registry's pages, in the order they are visited."""
    routes = {**ROUTES, **{name: EXTRA_ROUTES[name] for name in OUR_EXTRA_PAGES}}
    names = sorted(
        (name for name in routes if url_name(name) not in NOT_PAGES),
        key=lambda name: (name in CHANGES_THE_WORLD, name),
    )
    return [(name, routes[name]) for name in names]


def long_addresses(world: World) -> None:
    """Give everyone the kind of email address real partners have: long, with nowhere to
    break a line."""
    from allauth.account.models import EmailAddress

    from partnerships.models import CommissionerProfile

    for persona in PERSONAS[1:]:
        user = world.user(persona)
        assert user is not None
        user.email = (
            f"{persona}.firstname.lastname@partner-organisation-with-a-long-name.example.org"
        )
        user.save(update_fields=["email"])
        EmailAddress.objects.filter(user=user).update(email=user.email)
    CommissionerProfile.objects.filter(user=world.commissioner).update(
        public_email=world.commissioner.email
    )


def made_once(monkeypatch: pytest.MonkeyPatch) -> Callable[[Route, World], dict[str, Any]]:
    """The registry's set-ups, each made once and kept (committed, for the live server).

    The registry makes each route's objects in a transaction it rolls back; here they stay,
    so set-ups that make the same one-of-a-kind row (a place's glossary term, a person's
    reminder for a meeting, the forum's live session) share it instead of making it twice,
    and sessions are planned a minute apart (a forum has one session a minute).
    """
    import datetime
    import itertools

    from django.utils import timezone

    from talking_points import services as session_services
    from talking_points.models import Session
    from tests import factories

    made: dict[Any, dict[str, Any]] = {}
    deliveries: list[Any] = []
    make_failed_delivery = test_url_access.failed_delivery
    make_live = test_url_access.live

    def failed_delivery_once(world: World) -> Any:
        if not deliveries:
            deliveries.append(make_failed_delivery(world))
        return deliveries[0]

    minutes = itertools.count()

    def planned_a_minute_apart(world: World) -> Session:
        return session_services.session_plan(
            forum=world.forum,
            by=world.facilitator,
            starts_at=timezone.now() + datetime.timedelta(days=1, minutes=next(minutes)),
            venue="Community hall",
            talking_points=[factories.report_point(n) for n in ("6", "4", "16")],
            time_box_minutes=15,
        )

    def the_live_session(world: World) -> Session:
        live = Session.objects.filter(forum=world.forum, status="live").first()
        return live or make_live(world)

    monkeypatch.setattr(test_url_access, "failed_delivery", failed_delivery_once)
    monkeypatch.setattr(test_url_access, "live", the_live_session)
    monkeypatch.setattr(test_url_access, "planned", planned_a_minute_apart)

    def kwargs(route: Route, world: World) -> dict[str, Any]:
        if route.kwargs not in made:
            with transaction.atomic():
                made[route.kwargs] = route.kwargs(world)
        return made[route.kwargs]

    return kwargs


def signed_in_context(chromium_browser: Any, live_server: Any, user: Any) -> Any:
    """A browser context holding a session for ``user`` (made as ``Client.force_login``
    makes one, two-step sign-in included), so no page is spent on the sign-in form."""
    context = chromium_browser.new_context(base_url=live_server.url, viewport=PHONE)
    if user is not None:
        client = Client()
        client.force_login(user)
        cookie = client.cookies[settings.SESSION_COOKIE_NAME]
        context.add_cookies([{"name": cookie.key, "value": cookie.value, "url": live_server.url}])
    return context


# The page as axe-core sees it, less what changes on every request (CSRF tokens): two
# personas shown the same page need it checked once.
MARKUP_SCRIPT = r"""
() => document.documentElement.outerHTML
  .replace(/(name="csrfmiddlewaretoken" value=")[^"]*/g, '$1')
  .replace(/(X-CSRFToken&quot;: &quot;)[^&]*/g, '$1')
"""


def problems_on(page: Any, axe_found: dict[str, list[str]]) -> list[str]:
    problems = [f"at 320 px: {p}" for p in page.evaluate(OVERFLOW_SCRIPT)]
    markup = page.evaluate(MARKUP_SCRIPT)
    if markup not in axe_found:
        try:
            axe_check(page)
            axe_found[markup] = []
        except AssertionError as failure:
            axe_found[markup] = [str(failure).split("\n", 1)[1]]
    problems += axe_found[markup]
    page.set_viewport_size(LARGE_TEXT_PHONE)
    page.evaluate("document.documentElement.style.fontSize = '200%'")
    text_size = page.evaluate("getComputedStyle(document.body).fontSize")
    assert text_size == "32px", f"text was not doubled on {page.url}: {text_size}"
    problems += [f"at 200 % text, 390 px: {p}" for p in page.evaluate(OVERFLOW_SCRIPT)]
    page.set_viewport_size(PHONE)
    return problems


def test_every_page_reflows_and_passes_axe_for_every_persona(
    chromium_browser: Any, live_server: Any, world: World, monkeypatch: pytest.MonkeyPatch
) -> None:
    _secrets(world)
    long_addresses(world)
    kwargs = made_once(monkeypatch)
    contexts = {
        persona: signed_in_context(chromium_browser, live_server, world.user(persona))
        for persona in PERSONAS
    }
    found: dict[str, list[str]] = {}
    axe_found: dict[str, list[str]] = {}
    visited = dict.fromkeys(PERSONAS, 0)
    try:
        pages = {persona: context.new_page() for persona, context in contexts.items()}
        for name, route in walk():
            personas = [persona for persona in PERSONAS if route.get[persona] == 200]
            if not personas:
                continue
            url = reverse(url_name(name), kwargs=kwargs(route, world))
            for persona in personas:
                page = pages[persona]
                response = page.goto(url)
                where = f"{url} ({name}) as {persona}"
                assert response is not None
                assert response.status == 200, f"{where} answered {response.status}"
                assert response.headers["content-type"].startswith("text/html"), where
                visited[persona] += 1
                problems = problems_on(page, axe_found)
                if problems:
                    found[where] = problems
    finally:
        for context in contexts.values():
            context.close()

    # The walk reached each persona's pages (anonymous visitors see the fewest).
    assert min(visited.values()) >= 10, visited
    assert not found, "\n".join(
        f"{where}:\n  " + "\n  ".join(problems) for where, problems in found.items()
    )
