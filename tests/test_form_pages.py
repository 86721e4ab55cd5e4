"""Every form on every page, for every persona who may see it, is labelled and explained in a
way a screen reader can follow, with its errors and without them.

Each named URL of the access registry (tests/test_url_access.py) is requested as each persona
it answers 200 to. On every page with a form, and again after sending each of its forms
empty and with over-long text in every text field:

- every id that an ``aria-describedby`` names is on the page;
- no ``<label for="">``;
- each radio group (and each list of checkboxes) is in a ``fieldset`` with a ``legend``;
- one error summary at most, and exactly one when a field shows an error;
- no validation message in Django's stock wording ("Ensure this value has at most ...").
"""

from __future__ import annotations

from dataclasses import dataclass, field
from html.parser import HTMLParser
from typing import Any
from urllib.parse import urlencode, urlsplit

import pytest
from django.db import transaction
from django.test import Client
from django.urls import reverse

from tests.conftest import PERSONAS, World, client_for
from tests.test_url_access import ROUTES, url_name

pytestmark = pytest.mark.django_db

TEXT_INPUTS = {"text", "email", "url", "search", "tel", "password", ""}
STOCK_WORDING = (
    "Ensure this value",
    "This field is required.",
    "Select a valid choice",
    "Enter a valid",
    "Enter a whole number",
    "Enter a number",
)
LONG = "x" * 10000


@dataclass
class FormFound:
    method: str
    action: str
    # name -> "text" (typed into) or "other" (chosen).
    fields: dict[str, str] = field(default_factory=dict)


@dataclass
class Fieldset:
    has_legend: bool = False


class Page(HTMLParser):
    """What the checks need from a page's markup."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.ids: list[str] = []
        self.described_by: list[tuple[str, str]] = []  # (element, id it names)
        self.empty_label_for = 0
        self.fieldsets: list[Fieldset] = []
        # (input type, name, the fieldset it is in or None)
        self.choices: list[tuple[str, str, Fieldset | None]] = []
        self.forms: list[FormFound] = []
        self._form: FormFound | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = {k: v or "" for k, v in attrs}
        if "id" in a:
            self.ids.append(a["id"])
        for ref in a.get("aria-describedby", "").split():
            self.described_by.append(
                (f"<{tag} id={a.get('id', '')!r} name={a.get('name')!r}>", ref)
            )
        if tag == "label" and "for" in a and not a["for"].strip():
            self.empty_label_for += 1
        if tag == "fieldset":
            self.fieldsets.append(Fieldset())
        if tag == "legend" and self.fieldsets:
            self.fieldsets[-1].has_legend = True
        if tag == "form":
            self._form = FormFound(
                method=a.get("method", "get").lower(), action=a.get("action", "")
            )
            self.forms.append(self._form)
        if tag == "input" and a.get("type") in ("radio", "checkbox"):
            self.choices.append(
                (a["type"], a.get("name", ""), self.fieldsets[-1] if self.fieldsets else None)
            )
        if self._form is not None and a.get("name") and "disabled" not in a:
            kind = a.get("type", "").lower()
            if tag == "textarea" or (tag == "input" and kind in TEXT_INPUTS):
                self._form.fields[a["name"]] = "text"
            elif tag == "select" or (tag == "input" and kind in ("radio", "checkbox", "date")):
                self._form.fields.setdefault(a["name"], "other")

    def handle_endtag(self, tag: str) -> None:
        if tag == "fieldset" and self.fieldsets:
            self.fieldsets.pop()
        if tag == "form":
            self._form = None


def parse(content: str) -> Page:
    page = Page()
    page.feed(content)
    page.close()
    return page


def problems(content: str) -> list[str]:
    """What is wrong with the page's forms, in words."""
    page = parse(content)
    found: list[str] = []
    ids = set(page.ids)
    found += [
        f"{element} names missing id {ref!r}"
        for element, ref in page.described_by
        if ref not in ids
    ]
    if page.empty_label_for:
        found.append(f'{page.empty_label_for} <label for="">')
    names = [name for kind, name, _ in page.choices]
    for kind, name, fieldset in page.choices:
        is_group = kind == "radio" or names.count(name) > 1
        if is_group and (fieldset is None or not fieldset.has_legend):
            found.append(f"{kind} {name!r} is not in a fieldset with a legend")
    summaries = page.ids.count("error-summary-title")
    if summaries > 1 or (summaries == 0 and 'aria-invalid="true"' in content):
        found.append(f"{summaries} error summaries")
    found += [f"stock wording: {text!r}" for text in STOCK_WORDING if text in content]
    return sorted(set(found))


def _html(response: Any) -> str | None:
    if response.streaming or response.status_code != 200:
        return None
    if "text/html" not in response["Content-Type"]:
        return None
    return str(response.content.decode())


def _submissions(form: FormFound) -> list[dict[str, str]]:
    """Empty, then every text field over-long (only forms with something to fill in)."""
    if not form.fields:
        return []
    sent = [dict.fromkeys(form.fields, "")]
    if "text" in form.fields.values():
        sent.append({n: LONG if kind == "text" else "" for n, kind in form.fields.items()})
    return sent


def _send(client: Client, page_url: str, form: FormFound, data: dict[str, str]) -> Any:
    target = form.action or page_url
    if form.method == "post":
        return client.post(target, data)
    return client.get(f"{urlsplit(target).path}?{urlencode(data)}")


@pytest.mark.parametrize("persona", PERSONAS)
def test_every_form_names_hints_and_errors_that_exist(world: World, persona: str) -> None:
    found: dict[str, list[str]] = {}
    pages_with_forms = 0

    for name, route in sorted(ROUTES.items()):
        if route.get.get(persona) != 200:
            continue
        # Each route's objects are made and dropped again, as if each ran alone; a fresh
        # client each time, as a form may sign its sender out.
        with transaction.atomic():
            client = client_for(world.user(persona)) if persona != "anonymous" else Client()
            url = reverse(url_name(name), kwargs=route.kwargs(world))
            content = _html(client.get(url))
            if content is None:
                transaction.set_rollback(True)
                continue
            if wrong := problems(content):
                found[f"GET {url} ({name})"] = wrong
            forms = parse(content).forms
            pages_with_forms += any(f.fields for f in forms)
            for form in forms:
                for data in _submissions(form):
                    with transaction.atomic():
                        answer = _html(_send(client, url, form, data))
                        transaction.set_rollback(True)
                    if answer is not None and (wrong := problems(answer)):
                        how = "empty" if LONG not in data.values() else "over-long"
                        found[f"{form.method.upper()} {how} {form.action or url} from {name}"] = (
                            wrong
                        )
            transaction.set_rollback(True)

    assert found == {}
    assert pages_with_forms > 0


def test_the_checks_see_what_they_look_for() -> None:
    broken = (
        '<label for="">A</label><input aria-describedby="nowhere">'
        '<input type="radio" name="r"><input type="radio" name="r">'
        '<h2 id="error-summary-title"></h2><h2 id="error-summary-title"></h2>'
        "Ensure this value has at most 200 characters"
    )
    assert len(problems(broken)) == 5
    fine = (
        '<fieldset><legend>Kind</legend><p id="k_helptext"></p>'
        '<input type="radio" name="r" aria-describedby="k_helptext"></fieldset>'
    )
    assert problems(fine) == []
