"""Templates depend one way too: a lower app's template neither loads a higher app's tag
library nor includes or extends a higher app's template. (Python imports are checked by
import-linter's contracts in pyproject.toml.)"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from django.conf import settings

# Lowest first, as in pyproject.toml's layers contract. Templates outside an app's folder
# (templates/base.html, templates/allauth/) are the site's own, at the bottom.
LAYERS = [
    "hls_forum",
    "outbox",
    "privacy",
    "partnerships",
    "talking_points",
    "stories",
    "decisions",
    "doors",
    "setup",
    "agenda",
    "records",
    "funding",
    "guests",
    "threads",
    "reminders",
    "api",
    "bench",
]
ROOT = Path(settings.BASE_DIR)

LOAD = re.compile(r"{%\s*load\s+(.+?)\s*%}")
USES_TEMPLATE = re.compile(r"{%\s*(?:include|extends)\s+[\"']([^\"']+)[\"']")


def _template_files() -> list[tuple[str, Path]]:
    """Every template with the app it belongs to."""
    found = []
    for directory in settings.TEMPLATES[0]["DIRS"]:
        for path in Path(directory).rglob("*.html"):
            found.append((_owner_of_name(str(path.relative_to(directory))), path))
    for app in LAYERS:
        for path in (ROOT / app / "templates").rglob("*.html"):
            found.append((app, path))
    return found


def _owner_of_name(name: str) -> str:
    """The app a template name belongs to: ``talking_points/forum_detail.html`` is
    talking_points'; ``base.html`` and library overrides are the site's own."""
    first = name.split("/", 1)[0]
    return first if first in LAYERS and "/" in name else "hls_forum"


def _tag_libraries() -> dict[str, str]:
    """Our apps' tag libraries, by the name ``{% load %}`` uses."""
    return {
        path.stem: app
        for app in LAYERS
        for path in (ROOT / app / "templatetags").glob("*.py")
        if path.stem != "__init__"
    }


def _loaded(tag: str) -> list[str]:
    words = tag.split()
    return words[words.index("from") + 1 :] if "from" in words else words


def upward_uses() -> list[str]:
    libraries = _tag_libraries()
    problems = []
    for owner, path in _template_files():
        text = path.read_text()
        used = [
            (f"tag library {name!r}", libraries[name])
            for tag in LOAD.findall(text)
            for name in _loaded(tag)
            if name in libraries
        ]
        used += [
            (f"template {name!r}", _owner_of_name(name)) for name in USES_TEMPLATE.findall(text)
        ]
        for what, app in used:
            if LAYERS.index(app) > LAYERS.index(owner):
                problems.append(f"{path.relative_to(ROOT)} ({owner}) uses {app}'s {what}")
    return problems


def test_no_template_uses_a_higher_apps_tags_or_templates() -> None:
    assert upward_uses() == []


def test_the_scan_sees_our_templates_and_tag_libraries() -> None:
    owners = {owner for owner, _ in _template_files()}

    assert {"hls_forum", "privacy", "partnerships", "talking_points", "reminders"} <= owners
    assert _tag_libraries()["session_tags"] == "talking_points"


@pytest.mark.parametrize(
    ("name", "owner"),
    [
        ("base.html", "hls_forum"),
        ("_form_errors.html", "hls_forum"),
        ("allauth/layouts/base.html", "hls_forum"),
        ("partnerships/_place_cards.html", "partnerships"),
        ("talking_points/picture/_layout.html", "talking_points"),
    ],
)
def test_template_names_belong_to_the_app_they_start_with(name: str, owner: str) -> None:
    assert _owner_of_name(name) == owner
