from __future__ import annotations

from typing import Any

from django import forms

from hls_forum import forms as plain

from .models import AuditEventType


class AccountDeleteForm(plain.Form):
    confirm = forms.BooleanField(
        label="I understand my account will be deleted and this cannot be undone",
        error_messages={"required": "Tick the box to confirm you want to delete your account."},
    )


class AuditSearchForm(plain.Form):
    event = forms.ChoiceField(
        label="What happened",
        required=False,
        choices=[("", "Anything"), *AuditEventType.choices],
    )
    person = forms.CharField(
        label="Person",
        required=False,
        max_length=254,
        help_text="An email address, or a person number such as #42 (for deleted accounts).",
    )
    ip = forms.GenericIPAddressField(label="IP address", required=False)
    date_from = forms.DateField(
        label="From",
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )
    date_to = forms.DateField(
        label="To",
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )

    def clean_person(self) -> str:
        return str(self.cleaned_data.get("person") or "").strip()

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        start, end = data.get("date_from"), data.get("date_to")
        if start and end and start > end:
            self.add_error("date_to", "The end date must be on or after the start date.")
        return data
