from __future__ import annotations

from typing import Any, ClassVar

from django import forms
from django.utils import timezone

from hls_forum import forms as plain
from partnerships.models import Organisation

from .models import SHARES


def _share(label: str) -> forms.IntegerField:
    return forms.IntegerField(
        label=f"{label} (%)",
        min_value=0,
        max_value=100,
        initial=0,
        widget=forms.TextInput(attrs={"inputmode": "numeric", "spellcheck": "false"}),
        error_messages={
            "invalid": f"Enter {label.lower()} as a whole number from 0 to 100.",
            "min_value": "A share cannot be less than 0%%.",
            "max_value": "A share cannot be more than 100%%.",
        },
    )


class FundingMixForm(plain.Form):
    """Shares of the organisation's income, as whole percentages adding up to 100."""

    error_names: ClassVar[dict[str, str]] = {"as_of": "the date these shares describe"}

    grants_percent = _share("Grants")
    contracts_percent = _share("Contracts")
    donations_percent = _share("Donations")
    earned_percent = _share("Earned income")
    as_of = forms.DateField(
        label="The date these shares describe",
        help_text="For example the end of your last financial year.",
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )

    def clean_as_of(self) -> Any:
        as_of = self.cleaned_data["as_of"]
        if as_of > timezone.localdate():
            raise forms.ValidationError("The date cannot be in the future.")
        return as_of

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        values = [data.get(field) for field, _ in SHARES]
        if all(v is not None for v in values) and sum(values) != 100:  # type: ignore[arg-type]
            raise forms.ValidationError(
                f"The shares add up to {sum(values)}%; they must add up to 100%."  # type: ignore[arg-type]
            )
        return data


class OrgIdForm(plain.ModelForm):
    class Meta:
        model = Organisation
        fields = ["org_id"]

    def clean_org_id(self) -> str:
        value = str(self.cleaned_data.get("org_id") or "").strip()
        if (
            value
            and Organisation.objects.filter(org_id=value).exclude(pk=self.instance.pk).exists()
        ):
            raise forms.ValidationError("Another organisation here already has that org-id.")
        return value
