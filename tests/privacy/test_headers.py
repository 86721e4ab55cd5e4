"""HTTPS, cookies and Content-Security-Policy, checked on real responses."""

from __future__ import annotations

import re

import pytest
from django.test import Client, override_settings
from django.urls import reverse

from tests.conftest import World, client_for

PRODUCTION_COOKIES = {
    "SESSION_COOKIE_SECURE": True,
    "CSRF_COOKIE_SECURE": True,
    "SESSION_COOKIE_NAME": "__Host-sessionid",
    "CSRF_COOKIE_NAME": "__Host-csrftoken",
}


def csp_directives(header: str) -> dict[str, list[str]]:
    directives = {}
    for part in header.split(";"):
        words = part.split()
        if words:
            directives[words[0]] = words[1:]
    return directives


@pytest.mark.django_db
@override_settings(SECURE_SSL_REDIRECT=True, SECURE_HSTS_SECONDS=31_536_000)
def test_plain_http_is_redirected_to_https() -> None:
    response = Client().get("/places/")

    assert response.status_code == 301
    assert response["Location"] == "https://testserver/places/"


@pytest.mark.django_db
@override_settings(SECURE_HSTS_SECONDS=31_536_000, SECURE_HSTS_PRELOAD=True)
def test_https_responses_send_hsts_for_a_year_with_subdomains() -> None:
    response = Client().get("/places/", secure=True)

    assert response["Strict-Transport-Security"] == ("max-age=31536000; includeSubDomains; preload")


@pytest.mark.django_db
@override_settings(**PRODUCTION_COOKIES)
def test_session_cookie_is_host_prefixed_secure_httponly_and_lax(world: World) -> None:
    client = Client()
    sign_in_response = client.post(
        reverse("account_login"),
        {"login": world.member_a.email, "password": "correct-horse-battery-staple"},
        secure=True,
    )

    cookie = sign_in_response.cookies["__Host-sessionid"]
    assert cookie["secure"] is True
    assert cookie["httponly"] is True
    assert cookie["samesite"] == "Lax"
    assert cookie["path"] == "/"
    assert cookie["domain"] == ""  # __Host- cookies must not name a domain


@pytest.mark.django_db
@override_settings(**PRODUCTION_COOKIES)
def test_csrf_cookie_is_host_prefixed_secure_and_lax() -> None:
    response = Client().get(reverse("account_login"), secure=True)

    cookie = response.cookies["__Host-csrftoken"]
    assert cookie["secure"] is True
    assert cookie["samesite"] == "Lax"
    assert cookie["domain"] == ""


@pytest.mark.django_db
@pytest.mark.parametrize("url", ["/", "/places/", "/accounts/login/", "/about/privacy/"])
def test_csp_forbids_inline_and_eval_scripts_objects_base_and_framing(url: str) -> None:
    response = Client().get(url)

    directives = csp_directives(response["Content-Security-Policy"])
    script_src = directives["script-src"]
    assert "'unsafe-inline'" not in script_src
    assert "'unsafe-eval'" not in script_src
    assert any(re.fullmatch(r"'nonce-[A-Za-z0-9+/=_-]{16,}'", s) for s in script_src)
    assert directives["object-src"] == ["'none'"]
    assert directives["base-uri"] == ["'none'"]
    assert directives["frame-ancestors"] == ["'none'"]
    assert "'unsafe-inline'" not in directives["style-src"]
    assert response["X-Frame-Options"] == "DENY"


@pytest.mark.django_db
def test_every_script_on_a_page_is_a_same_origin_static_file(world: World) -> None:
    html = client_for(world.member_a).get("/me/").content.decode()

    scripts = re.findall(r"<script\b([^>]*)>(.*?)</script>", html, flags=re.S)
    assert scripts
    for attrs, body in scripts:
        assert 'src="/static/' in attrs  # allowed by script-src 'self'; no inline code
        assert body.strip() == ""
    assert not re.search(r"\son[a-z]+\s*=", html)  # no inline event handlers


@pytest.mark.django_db
def test_htmx_is_configured_without_eval_and_without_history_cache() -> None:
    html = Client().get("/").content.decode()

    config = re.search(r'<meta name="htmx-config" content=\'([^\']+)\'', html).group(1)
    assert '"allowEval":false' in config
    assert '"historyCacheSize":0' in config
    assert '"includeIndicatorStyles":false' in config
