"""Bad input and abuse: generated values posted to every form the app has, and every URL
requested with malformed ids and query strings, as every persona. Never a 500; a refused
form stores nothing; whatever is stored passes the model's own validation.

Forms are discovered, not listed: every URL pattern without arguments (plus the few
with arguments in FORM_URLS_WITH_ARGS) is fetched as each persona, and every <form> on
the page is fuzzed with Hypothesis. Django admin is left out of the form fuzzing (Django's
own), but is crawled.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from html.parser import HTMLParser
from typing import Any
from urllib.parse import urlsplit

import pytest
from django.apps import apps
from django.db import IntegrityError, models, transaction
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from partnerships.models import Invitation
from talking_points.services import SessionError
from tests.conftest import PERSONAS, World, client_for

# --- URL discovery ------------------------------------------------------------------


@dataclass(frozen=True)
class Route:
    template: str  # e.g. "places/<slug:slug>/"
    name: str
    converters: tuple[tuple[str, str], ...]  # (argument, converter type)


def walk(patterns: list[Any], prefix: str = "", namespace: str = "") -> Iterator[Route]:
    for entry in patterns:
        if isinstance(entry, URLResolver):
            ns = entry.namespace or ""
            full_ns = f"{namespace}:{ns}" if namespace and ns else (ns or namespace)
            yield from walk(entry.url_patterns, prefix + str(entry.pattern), full_ns)
        elif isinstance(entry, URLPattern):
            template = prefix + str(entry.pattern)
            converters = tuple(re.findall(r"<(?:(\w+):)?(\w+)>", template))
            name = f"{namespace}:{entry.name}" if namespace and entry.name else entry.name or ""
            yield Route(template, name, tuple((arg, conv or "str") for conv, arg in converters))


def routes() -> list[Route]:
    found = [r for r in walk(get_resolver().url_patterns) if not r.template.startswith("^")]
    return sorted(set(found), key=lambda r: r.template)


MALFORMED = {
    "int": ["0", "2147483648", "99999999999999999999999"],
    "slug": ["does-not-exist", "a" * 300, "-"],
    "str": ["does-not-exist", "%2e%2e", "%00", "x" * 300],
    "uuid": ["00000000-0000-0000-0000-000000000000"],
    "path": ["does/not/exist", "..%2f..%2fetc%2fpasswd"],
}


def malformed_paths(route: Route) -> list[str]:
    """The route with each argument replaced by unlikely values of the right shape."""
    # Admin's many per-model pages: two shapes of bad id are enough.
    admin_object_page = route.template.startswith("admin/") and route.template.count("<") > 1
    variants = 2 if admin_object_page else 3
    paths = []
    for i in range(variants):
        path = route.template
        for arg, conv in route.converters:
            options = MALFORMED.get(conv, MALFORMED["str"])
            pattern = rf"<(?:\w+:)?{arg}>"
            path = re.sub(pattern, options[i % len(options)], path)
        path = re.sub(r"[\^$]|\(\?P<\w+>[^)]*\)", "x", path)  # stray regex bits
        paths.append("/" + path)
    return sorted(set(paths))


BAD_QUERY = (
    "?page=-1&page=abc&q=%00&next=//evil.example/&event=%00&person=%27%22%3C&"
    "ip=999.1.1.1&date_from=9999-99-99&date_to=0000-00-00&token=%00&key=%FF"
)


def assert_safe(response: Any, url: str) -> None:
    assert response.status_code < 500, f"{url} answered {response.status_code}"
    location = response.headers.get("Location", "")
    assert "evil.example" not in urlsplit(location).netloc, f"{url} redirected to {location}"


# --- The crawl ------------------------------------------------------------------------


@pytest.mark.parametrize("persona", PERSONAS)
def test_every_url_with_malformed_ids_and_queries_never_fails(world: World, persona: str) -> None:
    client = client_for(world.user(persona))
    before = domain_counts()
    for route in routes():
        for path in malformed_paths(route):
            for url in (path, path + BAD_QUERY):
                assert_safe(client.get(url), url)
        if not route.converters:
            # The real page, with a hostile query string.
            assert_safe(client.get("/" + route.template + BAD_QUERY), route.template)
    # Requests that only read must not have stored anything in the domain tables.
    assert domain_counts() == before


# --- Forms ---------------------------------------------------------------------------


@dataclass
class FormSpec:
    method: str
    action: str
    fields: dict[str, list[str]] = field(default_factory=dict)  # name -> known options


class FormParser(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.forms: list[FormSpec] = []
        self._select: str | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = {k: v or "" for k, v in attrs}
        if tag == "form":
            self.forms.append(FormSpec(a.get("method", "get").lower(), a.get("action", "")))
        elif not self.forms:
            return
        elif tag in {"input", "textarea", "select", "button"} and a.get("name"):
            name = a["name"]
            if name == "csrfmiddlewaretoken":
                return
            options = self.forms[-1].fields.setdefault(name, [])
            if a.get("value"):
                options.append(a["value"])
            if tag == "select":
                self._select = name
        elif tag == "option" and self._select:
            self.forms[-1].fields[self._select].append(a.get("value", ""))

    def handle_endtag(self, tag: str) -> None:
        if tag == "select":
            self._select = None


# Forms behind URLs with arguments, and how to reach a real one.
FORM_URLS_WITH_ARGS: dict[str, Callable[[World], dict[str, Any]]] = {
    "partnerships:invitation_accept": lambda world: {
        "token": Invitation.objects.create(
            email=world.member_a.email,
            organisation=world.org_b,
            token="fuzz-token",
            invited_by=world.lead_a,
        ).token
    },
}
# Who fills in each kind of form: between them they reach every form in the app (members
# write learning, facilitators run sessions, commissioners answer and register commissions).
FORM_PERSONAS = ["anonymous", "member_a", "staff", "facilitator", "commissioner"]
EXPECTED_FORMS = {
    "anonymous": {("post", "/accounts/login/"), ("post", "/accounts/signup/")},
    "member_a": {
        ("post", "/accounts/password/change/"),
        ("post", "/me/data/copy/"),
        ("post", "/me/data/delete-account/"),
        ("post", "/invitations/fuzz-token/"),
    },
    "staff": {("get", "/staff/security-log/"), ("post", "/accounts/email/")},
    "facilitator": {("post", "/forums/testford-forum/sessions/plan/")},
    "commissioner": {("post", "/commissions/new/")},
}


def discover_forms(world: World, persona: str) -> list[tuple[str, FormSpec]]:
    client = client_for(world.user(persona))
    urls = ["/" + r.template for r in routes() if not r.converters]
    urls += [reverse(name, kwargs=make(world)) for name, make in FORM_URLS_WITH_ARGS.items()]
    # Every page with ids in its address that this persona may open, from the URL registry
    # (tests/test_url_access.py), so forms on those pages are fuzzed too.
    from tests.test_url_access import ROUTES, no_kwargs, url_name

    for key, route in ROUTES.items():
        if route.get.get(persona) != 200 or route.kwargs is no_kwargs:
            continue
        try:
            with transaction.atomic():
                urls.append(reverse(url_name(key), kwargs=route.kwargs(world)))
        except (IntegrityError, SessionError):
            continue  # the world already holds this builder's object (one live session)
    # Each distinct form once: the forms every signed-in page carries (sign out, stay signed
    # in) would otherwise be fuzzed again on every page, which finds nothing new.
    found: dict[tuple[str, str, tuple[str, ...]], tuple[str, FormSpec]] = {}
    for url in urls:
        if url.startswith("/admin/"):
            continue
        response = client.get(url)
        if response.status_code != 200 or "text/html" not in response.get("Content-Type", ""):
            continue
        parser = FormParser()
        parser.feed(response.content.decode())
        for form in parser.forms:
            action = form.action or url
            if action.startswith("/"):
                identity = (form.method, action, tuple(sorted(form.fields)))
                found.setdefault(identity, (url, FormSpec(form.method, action, form.fields)))
    return list(found.values())


JUNK = st.one_of(
    st.text(max_size=80),
    st.text(min_size=200, max_size=3000),
    st.sampled_from(
        [
            "",
            " ",
            "\x00",
            "0",
            "-1",
            "99999999999999999999999",
            "not-an-email",
            "a@b",
            "<script>alert(1)</script>",
            "' OR 1=1 --",
            '=HYPERLINK("x")',
            "2026-02-30",
            "on",
            "🙂" * 50,
        ]
    ),
)


def value_strategy(options: list[str]) -> st.SearchStrategy[Any]:
    if options:
        return st.one_of(st.sampled_from(options), JUNK)
    return JUNK


def domain_models() -> list[type[models.Model]]:
    labels = {"partnerships", "talking_points", "privacy", "account", "mfa", "records"}
    return [m for m in apps.get_models() if m._meta.app_label in labels and m._meta.managed]


def domain_counts() -> dict[str, int]:
    counts = {m._meta.label: m._default_manager.count() for m in domain_models()}
    counts.pop("privacy.AuditEvent", None)  # failed sign-ins are rightly recorded
    return counts


def existing_pks() -> dict[str, set[Any]]:
    # Sets, not MAX(pk): some models (the picture's anonymous check-ins) have UUID keys,
    # which are neither ordered by creation nor accepted by PostgreSQL's MAX().
    return {
        m._meta.label: set(m._default_manager.values_list("pk", flat=True)) for m in domain_models()
    }


def assert_new_rows_are_whole(before: dict[str, set[Any]]) -> None:
    for model in domain_models():
        for row in model._default_manager.exclude(pk__in=before[model._meta.label]):
            row.full_clean(validate_unique=False, validate_constraints=False)


def refused(response: Any) -> bool:
    if response.status_code >= 400:
        return True
    page = response.content.decode(errors="replace") if response.status_code == 200 else ""
    return response.status_code == 200 and (
        "There is a problem" in page or "errorlist" in page or "error-message" in page
    )


def fuzz(user: Any, page: str, form: FormSpec) -> Callable[[], None]:
    """A Hypothesis test that sends generated values for every field of ``form``."""
    strategy = st.fixed_dictionaries(
        {name: value_strategy(options) for name, options in sorted(form.fields.items())}
    )

    @settings(
        max_examples=25,
        derandomize=True,
        deadline=None,
        database=None,
        suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
    )
    @given(data=strategy)
    def send(data: dict[str, Any]) -> None:
        client = client_for(user)  # a fresh session, in case a form signed us out
        counts, before = domain_counts(), existing_pks()
        if form.method == "post":
            response = client.post(form.action, data)
        else:
            response = client.get(form.action, data)
        assert_safe(response, f"{form.method.upper()} {form.action} (from {page})")
        if refused(response):
            assert domain_counts() == counts, f"{form.action} refused but stored rows"
        assert_new_rows_are_whole(before)

    return send


@pytest.mark.parametrize("persona", FORM_PERSONAS)
def test_every_form_survives_generated_input(world: World, persona: str) -> None:
    forms = discover_forms(world, persona)

    actions = {(form.method, form.action) for _, form in forms}
    assert EXPECTED_FORMS[persona] <= actions  # discovery works, so nothing is skipped silently
    for page, form in forms:
        fuzz(world.user(persona), page, form)()


@pytest.mark.django_db
@pytest.mark.parametrize(
    "url", ["/invitations/%00/", "/places/?page=%00", "/staff/security-log/?person=%00"]
)
def test_nul_character_anywhere_in_a_request_is_a_plain_400(url: str) -> None:
    response = Client().get(url)

    assert response.status_code == 400
    assert "Something was wrong with that request" in response.content.decode()


@pytest.mark.django_db
def test_nul_character_in_a_posted_field_is_a_plain_400() -> None:
    response = Client().post("/accounts/login/", {"login": "a\x00@example.org", "password": "x"})

    assert response.status_code == 400
