from __future__ import annotations

from typing import Any

from django import forms


class SignupNameForm(forms.Form):
    """Extra fields allauth adds to its sign-up form."""

    full_name = forms.CharField(label="Full name", max_length=150)

    def signup(self, request: Any, user: Any) -> None:
        user.full_name = self.cleaned_data["full_name"]
        user.save(update_fields=["full_name"])
