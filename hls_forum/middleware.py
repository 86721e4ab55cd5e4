"""Security middleware: session lifetimes, multi-factor for commissioners and staff,
``Cache-Control: no-store`` on every page a signed-in person sees, and a refusal of
input (NUL characters) that no part of the app could store.

All three keep their state in the session, written at sign-in (``session_signed_in``,
connected to ``user_logged_in`` by the privacy app), so an ordinary request costs no
extra query and no session write.
"""

from __future__ import annotations

import functools
import time
from collections.abc import Callable
from typing import Any
from urllib.parse import urlencode, urlsplit, urlunsplit

from allauth.mfa.utils import is_mfa_enabled
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import SuspiciousOperation
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.urls import reverse
from django.utils.cache import patch_cache_control, patch_vary_headers
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.module_loading import import_string

SESSION_STARTED_AT = "_hls_signed_in_at"
SESSION_SEEN_AT = "_hls_seen_at"
SESSION_MFA_POLICY = "_hls_mfa_policy"
IDLE_SECONDS_LEFT_HEADER = "X-Idle-Seconds-Left"
# How long a "this person does not need (more) MFA" decision is trusted before the
# database is asked again; a person made staff or commissioner is caught within this.
MFA_POLICY_RECHECK_SECONDS = 300

Handler = Callable[[HttpRequest], HttpResponse]


def _redirect(request: HttpRequest, url: str) -> HttpResponse:
    """A redirect that also works for htmx requests (which would swap a 302's target in)."""
    if getattr(request, "htmx", False):
        response = HttpResponse(status=204)
        response["HX-Redirect"] = url
        return response
    return HttpResponseRedirect(url)


# --- Session lifetimes ------------------------------------------------------------


def session_signed_in(sender: Any, request: HttpRequest | None, user: Any, **kwargs: Any) -> None:
    """``user_logged_in`` receiver: start the absolute and idle clocks, and decide whether
    this person must have multi-factor authentication."""
    if request is None or not hasattr(request, "session"):
        return
    now = time.time()
    request.session[SESSION_STARTED_AT] = now
    request.session[SESSION_SEEN_AT] = now
    request.session[SESSION_MFA_POLICY] = _mfa_policy(user, now)


class SessionLifetimeMiddleware:
    """Sign a person out after ``SESSION_IDLE_TIMEOUT`` seconds without a request, and
    ``SESSION_COOKIE_AGE`` seconds after they signed in however active they are.

    Activity is written at most every ``SESSION_ACTIVITY_RESOLUTION`` seconds, so the
    idle clock is exact to within that and most requests never save the session.
    """

    def __init__(self, get_response: Handler) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if request.user.is_authenticated:
            session = request.session
            now = time.time()
            started = session.get(SESSION_STARTED_AT)
            seen = session.get(SESSION_SEEN_AT)
            if not isinstance(started, int | float) or not isinstance(seen, int | float):
                # A session from before these clocks existed: start them now.
                session[SESSION_STARTED_AT] = now
                session[SESSION_SEEN_AT] = now
            elif now - started > settings.SESSION_COOKIE_AGE:
                return self._end(request, "You were signed out because you signed in too long ago.")
            elif now - seen > settings.SESSION_IDLE_TIMEOUT:
                return self._end(
                    request, "You were signed out because you had not done anything for a while."
                )
            elif now - seen >= settings.SESSION_ACTIVITY_RESOLUTION:
                session[SESSION_SEEN_AT] = now
        response = self.get_response(request)
        left = idle_seconds_left(request)
        if left is not None:
            # The page's idle warning (static/js/site.js) follows htmx requests with this.
            response[IDLE_SECONDS_LEFT_HEADER] = str(left)
        return response

    def _end(self, request: HttpRequest, reason: str) -> HttpResponse:
        path = _page_to_return_to(request)
        logout(request)
        messages.info(request, f"{reason} Please sign in again.")
        if getattr(request, "htmx", False):
            return _redirect(request, f"{reverse(settings.LOGIN_URL)}?{urlencode({'next': path})}")
        return redirect_to_login(path)


def session_keep_alive(request: HttpRequest) -> int:
    """Restart the idle clock now ("Stay signed in"); returns the seconds it gives."""
    request.session[SESSION_SEEN_AT] = time.time()
    return int(settings.SESSION_IDLE_TIMEOUT)


def idle_seconds_left(request: HttpRequest) -> int | None:
    """Seconds before a signed-in person is signed out for doing nothing; None when
    nobody is signed in (or the request was refused before anyone was looked up)."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return None
    seen = request.session.get(SESSION_SEEN_AT)
    if not isinstance(seen, int | float):
        return int(settings.SESSION_IDLE_TIMEOUT)
    return max(0, int(settings.SESSION_IDLE_TIMEOUT - (time.time() - seen)))


def _page_to_return_to(request: HttpRequest) -> str:
    """Where sign-in should bring the person back to: the page they were on. A form they
    posted comes back (site.js restores what they typed); an htmx request names its page."""
    page = request.headers.get("HX-Current-URL", "") if getattr(request, "htmx", False) else ""
    if not page and request.method == "GET":
        return request.get_full_path()
    page = page or request.headers.get("Referer", "")
    if page and url_has_allowed_host_and_scheme(
        page, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        parts = urlsplit(page)
        return urlunsplit(("", "", parts.path or "/", parts.query, ""))
    return reverse("home")


# --- Multi-factor authentication for commissioners and staff --------------------------


@functools.cache
def _mfa_rule() -> Callable[[Any], bool]:
    return import_string(settings.MFA_REQUIRED_FOR)


def mfa_required_for(user: Any) -> bool:
    """Must ``user`` use MFA? Who must is a rule of the apps (``settings.MFA_REQUIRED_FOR``,
    a dotted path to a predicate), so this infrastructure imports none of them."""
    return bool(user.is_authenticated and _mfa_rule()(user))


def _mfa_policy(user: Any, now: float) -> dict[str, Any]:
    satisfied = not mfa_required_for(user) or is_mfa_enabled(user)
    return {"ok": satisfied, "at": now}


def forget_mfa_policy(request: HttpRequest | None) -> None:
    """Ask again on the next request (called when an authenticator is added or removed)."""
    if request is not None and hasattr(request, "session"):
        request.session.pop(SESSION_MFA_POLICY, None)


def _exempt(path: str) -> bool:
    """Pages a person may use before setting up MFA: their account pages (which include
    the MFA set-up, re-authentication and sign-out), the privacy notice and assets."""
    prefixes = ("/accounts/", settings.STATIC_URL, "/healthz", "/about/privacy/")
    return path.startswith(prefixes)


class MFARequiredMiddleware:
    """Send commissioners and staff without MFA to set it up before anything but their
    account pages and signing out. Anyone else may turn MFA on; nobody else must.

    The decision is kept in the session for ``MFA_POLICY_RECHECK_SECONDS`` once it says
    "fine"; while it says "set it up" it is re-checked on every request, so finishing
    the set-up lets the person straight through. Django admin is always checked afresh.
    """

    def __init__(self, get_response: Handler) -> None:
        self.get_response = get_response
        self._admin_prefix = ""  # reverse() on every request cost ~15 % of a signed-in one

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = request.user
        if user.is_authenticated and not _exempt(request.path) and not self._ok(request):
            messages.warning(
                request,
                "Because of your role, you need two-step sign-in. Set it up to carry on.",
            )
            next_path = request.get_full_path() if request.method == "GET" else ""
            url = reverse("mfa_index")
            if next_path:
                url = f"{url}?{urlencode({'next': next_path})}"
            return _redirect(request, url)
        return self.get_response(request)

    def _ok(self, request: HttpRequest) -> bool:
        now = time.time()
        policy: Any
        if not self._admin_prefix:
            self._admin_prefix = reverse("admin:index")
        if request.path.startswith(self._admin_prefix):
            policy = _mfa_policy(request.user, now)
        else:
            policy = request.session.get(SESSION_MFA_POLICY)
            fresh = (
                isinstance(policy, dict)
                and policy.get("ok") is True
                and now - float(policy.get("at", 0)) < MFA_POLICY_RECHECK_SECONDS
            )
            if not fresh:
                policy = _mfa_policy(request.user, now)
                request.session[SESSION_MFA_POLICY] = policy
        return bool(policy["ok"])


# Kept for settings written before commissioners were covered too.
StaffMFARequiredMiddleware = MFARequiredMiddleware


# --- No caching of private pages ---------------------------------------------------------


class PrivateCacheControlMiddleware:
    """Pages shown to a signed-in person may hold private data: no browser, proxy or
    back-forward cache may keep them (``Cache-Control: no-store``)."""

    def __init__(self, get_response: Handler) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        signed_in = request.user.is_authenticated
        response = self.get_response(request)
        if signed_in or request.user.is_authenticated:
            patch_cache_control(response, no_store=True, private=True)
            patch_vary_headers(response, ["Cookie"])
        return response


# --- Input no part of the app can store ---------------------------------------------------


class NulCharacterInRequest(SuspiciousOperation):
    """A NUL character in the path or a parameter: PostgreSQL text cannot hold it."""


class RejectNulCharactersMiddleware:
    """Answer 400 (templates/400.html) to a request with a NUL character in its path,
    query or form fields, before any view can pass it to the database (PostgreSQL
    refuses NUL in text, which would otherwise surface as a 500)."""

    def __init__(self, get_response: Handler) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if "\x00" in request.path or _has_nul(request.GET):
            raise NulCharacterInRequest("NUL character in the URL")
        if request.method == "POST" and _has_nul(request.POST):
            raise NulCharacterInRequest("NUL character in a form field")
        return self.get_response(request)


def _has_nul(params: Any) -> bool:
    return any("\x00" in key or any("\x00" in v for v in params.getlist(key)) for key in params)
