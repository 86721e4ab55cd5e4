"""Signing in through the real pages, as a person does: password, then (for commissioners and
staff, who must use two-step sign-in) the current code from their authenticator app."""

from __future__ import annotations

import time
from typing import Any

from allauth.mfa.totp.internal.auth import format_hotp_value, hotp_value

from partnerships.demo import DEMO_PASSWORD


def totp_code(secret: str) -> str:
    """What an authenticator app holding ``secret`` shows now."""
    return format_hotp_value(hotp_value(secret, int(time.time()) // 30))


def sign_in(
    page: Any, email: str, password: str = DEMO_PASSWORD, *, totp_secret: str | None = None
) -> None:
    """Sign in and land on /me/. Pass ``totp_secret`` for a person with two-step sign-in
    (the demo commissioners and staff: ``partnerships.demo_two_step.DEMO_TOTP_SECRET``)."""
    page.goto("/accounts/login/")
    page.get_by_label("Email").fill(email)
    page.get_by_label("Password").fill(password)
    # exact: a "Sign in with a passkey" button sits beside it.
    page.get_by_role("button", name="Sign in", exact=True).click()
    if totp_secret is not None:
        page.wait_for_url("**/accounts/2fa/authenticate/")
        page.get_by_label("Code").fill(totp_code(totp_secret))
        page.get_by_role("button", name="Sign in", exact=True).click()
    page.wait_for_url("**/me/")
