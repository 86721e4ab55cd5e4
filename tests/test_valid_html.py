"""Every page is valid HTML: the W3C Nu HTML checker finds no error in any of them.

The walk is the access registry's (tests/test_url_access.py): every named URL, with the
sign-in and admin pages beside them, requested as every persona in the ``world`` fixture.
Each HTML page that comes back (error pages included) is written to a temporary folder and
the checker runs once over the whole folder: it is a Java program, slow to start.

The checker is the npm package ``vnu-jar`` (``make install`` runs ``npm ci``) on Java. Without
Java or the checker the test is skipped, unless ``REQUIRE_SERVICES=1`` says they must be here.
"""

from __future__ import annotations

import dataclasses
import hashlib
import json
import os
import shutil
import subprocess
from pathlib import Path

import pytest
from django.db import transaction
from django.test import Client
from django.urls import reverse

from talking_points.models import Tag
from tests import factories
from tests.conftest import PERSONAS, World, client_for
from tests.services import ROOT, missing
from tests.test_url_access import ALL_ROUTES, url_name

pytestmark = pytest.mark.django_db

VNU_JAR = Path(os.environ.get("VNU_JAR", ROOT / "node_modules/vnu-jar/build/dist/vnu.jar"))

# Pages skipped, by URL name, and why. Only for errors in markup we do not write here.
NOT_OURS: dict[str, str] = {}

# An htmx fragment (a part of a page, as a poll or swap asks for it) is checked inside this.
FRAGMENT_SHELL = (
    '<!doctype html><html lang="en-GB"><head><meta charset="utf-8"><title>Fragment</title>'
    "</head><body>%s</body></html>"
)


def checker() -> list[str]:
    java = shutil.which("java")
    if java is None:
        missing("Java (for the Nu HTML checker)")
    if not VNU_JAR.is_file():
        missing(f"the Nu HTML checker at {VNU_JAR} (make install)")
    return [str(java), "-Xss16m", "-jar", str(VNU_JAR)]


def nu_errors(folder: Path) -> dict[str, list[str]]:
    """The checker's errors for every ``.html`` file in ``folder``, by file name."""
    result = subprocess.run(
        [*checker(), "--errors-only", "--format", "json", str(folder)],
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )
    # Messages go to standard error as one JSON document; exit 1 means "errors found".
    assert result.returncode in (0, 1), result.stderr[-2000:]
    errors: dict[str, list[str]] = {}
    for message in json.loads(result.stderr)["messages"]:
        name = Path(message.get("url", "")).name
        where = f"line {message.get('lastLine', '?')}"
        extract = message.get("extract", "").strip().replace("\n", " ")
        errors.setdefault(name, []).append(f"{where}: {message['message']} [{extract}]")
    return errors


@dataclasses.dataclass
class Page:
    body: bytes
    # Who asked for it where, for each request that gave this very page.
    requests: list[str] = dataclasses.field(default_factory=list)
    fragment: bool = False


def page(client: Client, world: World, name: str) -> tuple[str, bytes | None]:
    """The route's URL, and what it answers when that is HTML."""
    with transaction.atomic():  # each route's objects are made and dropped again
        url = reverse(url_name(name), kwargs=ALL_ROUTES[name].kwargs(world))
        response = client.get(url)
        transaction.set_rollback(True)
    for field in dataclasses.fields(world):  # and what the route changed in memory, too
        getattr(world, field.name).refresh_from_db()
    if response.streaming or not response.get("Content-Type", "").startswith("text/html"):
        return url, None
    return url, bytes(response.content) or None


def some_learning(world: World) -> None:
    """Entries at each visibility, with tags, so that lists and queues show items, not only
    their empty states."""
    for kind, visibility in [
        ("breakthrough", "public"),
        ("disappointment", "place"),
        ("breakthrough", "commissioners"),
    ]:
        entry = factories.LearningEntryFactory(
            place=world.place,
            organisation=world.org_a,
            author=world.member_a,
            kind=kind,
            visibility=visibility,
            title=f"A {kind} shared at {visibility}",
        )
        entry.tags.add(Tag.objects.get_or_create(slug="trust", defaults={"name": "trust"})[0])


def every_page(world: World) -> dict[str, Page]:
    """Every HTML answer of the walk, each distinct one once, by a file name for it."""
    some_learning(world)
    pages: dict[str, Page] = {}
    for persona in PERSONAS:
        client = client_for(world.user(persona))
        for name in sorted(ALL_ROUTES):
            url, body = page(client, world, name)
            if body is None:
                continue
            digest = hashlib.sha256(body).hexdigest()[:16]
            file_name = f"{url_name(name).replace(':', '-')}-{digest}.html"
            found = pages.setdefault(file_name, Page(body=body))
            found.fragment = body.lstrip()[:9].lower() != b"<!doctype"
            found.requests.append(f"{persona} GET {url}")
    assert len(pages) > 100  # the walk did reach the pages
    return pages


def test_every_page_of_every_persona_is_valid_html(world: World, tmp_path: Path) -> None:
    command = checker()  # skip before the long walk when there is nothing to check with
    assert command
    pages = every_page(world)
    for file_name, each in pages.items():
        body = (FRAGMENT_SHELL % each.body.decode()).encode() if each.fragment else each.body
        (tmp_path / file_name).write_bytes(body)

    # Each error once, with the pages (and one request for each) where the checker found it.
    errors: dict[str, list[str]] = {}
    for name, messages in sorted(nu_errors(tmp_path).items()):
        if name.rsplit("-", 1)[0] in NOT_OURS:
            continue
        for error in messages:
            where = f"{name}: {pages[name].requests[0]}"
            errors.setdefault(error.split(": ", 1)[1], []).append(where)
    report = "\n".join(f"{error}\n    on {'; '.join(where[:3])}" for error, where in errors.items())

    assert errors == {}, f"The Nu HTML checker found errors:\n{report}"


def test_the_checker_finds_an_error(tmp_path: Path) -> None:
    """The check above would see an error: a page with a misplaced element fails it."""
    checker()
    (tmp_path / "bad.html").write_text(
        '<!doctype html><html lang="en"><head><title>x</title></head>'
        "<body><p><div>block in a paragraph</div></p><time datetime='noon'>x</time></body></html>"
    )
    (tmp_path / "good.html").write_text(
        '<!doctype html><html lang="en"><head><title>x</title></head>'
        "<body><p>Fine</p></body></html>"
    )

    errors = nu_errors(tmp_path)

    assert set(errors) == {"bad.html"}
    assert len(errors["bad.html"]) >= 2
