"""Data rights and the security log in real headless Chromium, with axe-core on each page:
the export progress is polled by htmx under the strict CSP, and updates without a reload."""

from __future__ import annotations

import time
from typing import Any

import pytest
from allauth.mfa.totp.internal.auth import format_hotp_value, hotp_value

from partnerships.models import User
from privacy import services
from privacy.models import DataExport
from tests import factories
from tests.factories import PASSWORD
from tests.services import axe_check, wait_until

pytestmark = pytest.mark.browser


def sign_in(page: Any, user: User, totp_secret: str | None = None) -> None:
    page.goto("/accounts/login/")
    page.get_by_label("Email").fill(user.email)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in", exact=True).click()
    if totp_secret:
        page.wait_for_url("**/accounts/2fa/authenticate/")
        code = format_hotp_value(hotp_value(totp_secret, int(time.time()) // 30))
        page.get_by_label("Code").fill(code)
        page.get_by_role("button", name="Sign in", exact=True).click()
    page.wait_for_url("**/me/")


def test_person_asks_for_their_data_and_watches_it_become_ready(
    browser: Any, transactional_db: None
) -> None:
    person = factories.MembershipFactory().user
    page = browser.new_page()
    csp_violations: list[str] = []
    page.on(
        "console",
        lambda m: csp_violations.append(m.text) if "Content Security Policy" in m.text else None,
    )
    sign_in(page, person)

    page.goto("/me/data/")
    axe_check(page)
    page.get_by_role("button", name="Prepare a copy of my data").click()
    page.wait_for_url("**/me/data/")
    assert "We are preparing your copy" in page.inner_text("#export-status")
    axe_check(page)
    # No worker in this test: prepare it here; htmx's polling must show it, no reload.
    services.export_build(export_id=DataExport.objects.get(user=person).pk)
    page.get_by_text("Your copy is ready").wait_for(timeout=10_000)

    assert page.get_by_role("link", name="Download your data").is_visible()
    assert csp_violations == []
    page.goto("/me/data/delete-account/")
    axe_check(page)
    page.goto("/about/privacy/")
    axe_check(page)
    for export in DataExport.objects.exclude(file=""):
        export.file.delete(save=False)


def test_staff_sign_in_with_totp_and_search_the_security_log(
    browser: Any, transactional_db: None
) -> None:
    staff = factories.UserFactory(is_staff=True)
    secret = factories.give_mfa(staff)
    page = browser.new_page()
    sign_in(page, staff, totp_secret=secret)

    page.goto("/staff/security-log/")
    axe_check(page)
    page.get_by_label("What happened").select_option("sign_in")
    page.get_by_role("button", name="Search").click()

    wait_until(lambda: "event=sign_in" in page.url)
    assert staff.email in page.inner_text("table")
    axe_check(page)


def test_commissioner_without_mfa_is_guided_to_set_it_up(
    browser: Any, transactional_db: None
) -> None:
    commissioner = factories.CommissionerProfileFactory().user
    page = browser.new_page()
    page.goto("/accounts/login/")
    page.get_by_label("Email").fill(commissioner.email)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in", exact=True).click()

    page.wait_for_url("**/accounts/2fa/**")
    assert "you need two-step sign-in" in page.inner_text("#status")
    axe_check(page)
