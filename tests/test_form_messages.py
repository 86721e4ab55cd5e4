"""Validation messages in plain English, from one place every project form inherits."""

from __future__ import annotations

import importlib
import inspect

import pytest
from django import forms

from hls_forum.forms import PlainMessages, field_name_for_messages
from talking_points.forms import ReplyForm

FORM_MODULES = (
    "partnerships.forms",
    "privacy.forms",
    "reminders.forms",
    "talking_points.forms.learning",
    "talking_points.forms.sessions",
    "talking_points.forms.wellbeing",
)


def project_forms() -> list[type[forms.BaseForm]]:
    found = []
    for name in FORM_MODULES:
        module = importlib.import_module(name)
        for _, cls in inspect.getmembers(module, inspect.isclass):
            if issubclass(cls, forms.BaseForm) and cls.__module__ == name:
                found.append(cls)
    return found


def test_every_project_form_speaks_plainly() -> None:
    forms_found = project_forms()
    assert len(forms_found) > 30
    assert [f.__name__ for f in forms_found if not issubclass(f, PlainMessages)] == []


class Example(PlainMessages, forms.Form):
    title = forms.CharField(label="Title", max_length=200)
    discount = forms.CharField(label="Discount (%)", max_length=3, required=False)
    when = forms.DateField(label="Start date", required=False)
    kind = forms.ChoiceField(label="Which kind?", choices=[("a", "A")], required=False)
    count = forms.IntegerField(label="Places", max_value=9, required=False)
    ip = forms.GenericIPAddressField(label="IP address", required=False)
    email = forms.EmailField(label="Email", required=False)
    own = forms.CharField(
        label="Own", max_length=2, required=False, error_messages={"max_length": "Keep it short."}
    )


@pytest.mark.parametrize(
    ("data", "errors"),
    [
        ({"title": ""}, {"title": ["Enter title"]}),
        ({"title": "x" * 10000}, {"title": ["Title must be 200 characters or fewer"]}),
        (
            {"title": "t", "discount": "1000"},
            {"discount": ["Discount (%) must be 3 characters or fewer"]},
        ),
        (
            {"title": "t", "when": "soon"},
            {"when": ["Start date must be a real date, for example 27 3 2027"]},
        ),
        ({"title": "t", "kind": "z"}, {"kind": ["Choose which kind from the options given"]}),
        ({"title": "t", "count": "10"}, {"count": ["Places must be 9 or less"]}),
        ({"title": "t", "count": "many"}, {"count": ["Places must be a whole number"]}),
        ({"title": "t", "own": "long"}, {"own": ["Keep it short."]}),
        ({"title": "t", "ip": "here"}, {"ip": ["Enter an IP address, like 192.0.2.1"]}),
        (
            {"title": "t", "email": "me"},
            {"email": ["Enter an email address in the right format, like name@example.org"]},
        ),
    ],
)
def test_stock_messages_become_plain(data: dict[str, str], errors: dict[str, list[str]]) -> None:
    form = Example(data)
    assert form.errors == errors


def test_a_form_names_its_fields_for_messages() -> None:
    assert ReplyForm({"text": ""}).errors == {"text": ["Enter your reply"]}


@pytest.mark.parametrize(
    ("label", "name"),
    [
        ("Title", "title"),
        ("Who can see this entry?", "who can see this entry"),
        ("IP address", "IP address"),
    ],
)
def test_a_label_becomes_a_name_within_a_sentence(label: str, name: str) -> None:
    assert field_name_for_messages(label) == name
