"""What every form shares: ids for hints and errors that the field's ``aria-describedby``
names, and validation messages in plain English.

Every form rendered through Django gets ``BoundField`` below (``FORM_RENDERER``); every
project form inherits ``PlainMessages`` (through ``Form`` or ``ModelForm``), so a new form
speaks plainly without anyone writing its messages by hand. A form may name its fields for
messages (``error_names = {"title": "a title"}``: "Enter a title"); a field's own messages,
and a form's, are kept: only Django's stock wording is replaced.
"""

from __future__ import annotations

from typing import ClassVar

from django import forms
from django.core import validators
from django.forms.renderers import DjangoTemplates


class BoundField(forms.BoundField):
    """A field that knows the ids of its hint and its error message, the same ids its
    widget's ``aria-describedby`` (or its fieldset's, for a radio or checkbox group) names."""

    @property
    def hint_id(self) -> str:
        return f"{self.auto_id}_helptext" if self.auto_id and self.help_text else ""

    @property
    def error_id(self) -> str:
        return f"{self.auto_id}_error" if self.auto_id and self.errors else ""

    @property
    def summary_label(self) -> str:
        """The label as the error summary puts it before an error: "Who can see this entry:"
        reads badly with its question mark."""
        return str(self.label or "").rstrip("?:… ")

    @property
    def aria_describedby(self) -> str | None:
        # An id set on the widget by hand is the template's to keep; None leaves it alone.
        if self.field.widget.attrs.get("aria-describedby"):
            return None
        if self.is_hidden:
            return ""
        return " ".join(i for i in (self.hint_id, self.error_id) if i)


class FormRenderer(DjangoTemplates):
    bound_field_class = BoundField


CHOOSING_FIELDS = (forms.ChoiceField, forms.ModelChoiceField, forms.ModelMultipleChoiceField)
# Messages raised by validators rather than by the field; the field's error_messages
# replace them by code.
VALIDATOR_CODES = (
    "invalid",  # an email or IP address field's validator
    "max_length",
    "min_length",
    "max_value",
    "min_value",
    "null_characters_not_allowed",
)


def field_name_for_messages(label: str) -> str:
    """ "Title" -> "title"; "Who can see this entry?" -> "who can see this entry";
    "IP address" stays as it is."""
    text = label.strip().rstrip("?:…").strip()
    if len(text) > 1 and text[1].isupper():
        return text
    return text[:1].lower() + text[1:]


def _plain(text: str) -> str:
    # Messages are %-formatted with the validator's parameters; a label's own % stays a %.
    return text.replace("%", "%%")


def plain_messages(field: forms.Field, name: str) -> dict[str, str]:
    """Plain-English messages for ``field``, named ``name`` ("a title") in them."""
    label = str(field.label or name).strip().rstrip("?:…").strip()
    raw_label = label[:1].upper() + label[1:]
    label = _plain(raw_label)  # for messages formatted with the validator's parameters
    plain_name = _plain(name)
    choose = isinstance(field, CHOOSING_FIELDS)
    messages = {
        "required": f"Choose {name}" if choose else f"Enter {name}",
        "max_length": f"{label} must be %(limit_value)s characters or fewer",
        "min_length": f"{label} must be %(limit_value)s characters or more",
        "max_value": f"{label} must be %(limit_value)s or less",
        "min_value": f"{label} must be %(limit_value)s or more",
        "null_characters_not_allowed": f"Remove the hidden control characters from {plain_name}",
        "invalid_choice": f"Choose {plain_name} from the options given",
        "invalid_pk_value": f"Choose {plain_name} from the options given",
        "invalid_list": f"Choose {plain_name} from the options given",
        "max_digits": f"{label} must have no more than %(max)s digits",
        "max_decimal_places": f"{label} must have no more than %(max)s decimal places",
        "max_whole_digits": f"{label} must have no more than %(max)s digits before the point",
    }
    if isinstance(field, forms.BooleanField):
        messages["required"] = f"Tick the box: {name}"
    if isinstance(field, forms.DateTimeField):
        messages["invalid"] = f"{raw_label} must be a real date and time"
    elif isinstance(field, forms.DateField):
        messages["invalid"] = f"{raw_label} must be a real date, for example 27 3 2027"
    elif isinstance(field, forms.IntegerField):
        messages["invalid"] = f"{raw_label} must be a whole number"
    elif isinstance(field, forms.DecimalField | forms.FloatField):
        messages["invalid"] = f"{raw_label} must be a number"
    elif isinstance(field, forms.EmailField):
        messages["invalid"] = "Enter an email address in the right format, like name@example.org"
    elif isinstance(field, forms.URLField):
        messages["invalid"] = "Enter a full web address, like https://example.org"
    elif isinstance(field, forms.GenericIPAddressField):
        messages["invalid"] = "Enter an IP address, like 192.0.2.1"
    return messages


def _stock_messages(field: forms.Field) -> dict[str, str]:
    """The messages Django itself gives this kind of field, by code."""
    stock: dict[str, str] = {}
    for cls in reversed(type(field).__mro__):
        if cls.__module__.startswith("django."):
            stock.update({k: str(v) for k, v in getattr(cls, "default_error_messages", {}).items()})
    stock.setdefault(
        "null_characters_not_allowed", str(validators.ProhibitNullCharactersValidator.message)
    )
    return stock


def use_plain_messages(field: forms.Field, name: str) -> None:
    """Give ``field`` plain messages wherever it would use Django's stock wording."""
    stock = _stock_messages(field)
    for code, text in plain_messages(field, name).items():
        current = field.error_messages.get(code)
        if current is None:
            if code in VALIDATOR_CODES or code in stock:
                field.error_messages[code] = text
        elif str(current) == stock.get(code):
            field.error_messages[code] = text


class PlainMessages:
    """Mixed into every project form (first, before Django's form class)."""

    # Field name -> how messages name it ("a title": "Enter a title").
    error_names: ClassVar[dict[str, str]] = {}
    fields: dict[str, forms.Field]

    def full_clean(self) -> None:
        # Here rather than in __init__, so fields a form adds in its own __init__ are covered.
        for name, field in self.fields.items():
            use_plain_messages(
                field,
                self.error_names.get(name) or field_name_for_messages(str(field.label or name)),
            )
        super().full_clean()  # type: ignore[misc]


class Form(PlainMessages, forms.Form):
    pass


class ModelForm(PlainMessages, forms.ModelForm):
    pass
