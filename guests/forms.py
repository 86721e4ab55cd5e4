from __future__ import annotations

from typing import Any

from django import forms
from django.core.exceptions import ValidationError

from hls_forum import forms as plain
from talking_points.models.sessions import MAX_CONTRIBUTION_CHARS

from .models import MAX_GUEST_NAME_CHARS


class GuestJoinForm(plain.Form):
    name = forms.CharField(
        label="Your first name",
        max_length=MAX_GUEST_NAME_CHARS,
        required=False,
        help_text="Only your first name. Everyone in the session will see it next to what you say.",
    )
    anonymous = forms.BooleanField(
        label="Join without a name",
        required=False,
        help_text="What you say will show as from a guest, with no name.",
    )

    def clean(self) -> dict[str, Any]:
        data: dict[str, Any] = super().clean() or {}
        if not data.get("anonymous") and not (data.get("name") or "").strip():
            self.add_error("name", "Write your first name, or tick “Join without a name”.")
        return data


class GuestContributionForm(plain.Form):
    agenda_item = forms.IntegerField(widget=forms.HiddenInput, required=False)
    text = forms.CharField(
        label="What you want to say",
        max_length=MAX_CONTRIBUTION_CHARS,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="The facilitator reads it first, then lets everyone see it.",
        error_messages={
            "required": "Write what you want to say before sending it.",
            "max_length": f"What you say can be at most {MAX_CONTRIBUTION_CHARS:,} characters.",
        },
    )

    def clean_text(self) -> str:
        text: str = self.cleaned_data["text"].strip()
        if not text:
            raise ValidationError("Write what you want to say before sending it.")
        return text
