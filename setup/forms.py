from __future__ import annotations

from typing import Any

from django import forms

from hls_forum import forms as plain
from partnerships.forms import ForumForm
from partnerships.models import EngagementLevel, Organisation, Place, Sector, Weekday

from .models import EngagementAssessment

TEXTAREA = forms.Textarea(attrs={"rows": 4})


class PlaceProposalForm(plain.Form):
    name = forms.CharField(label="Name of the place", max_length=120)
    county = forms.CharField(
        label="Area or county", max_length=120, required=False, help_text="For example, Devon."
    )
    forum_name = forms.CharField(
        label="Name of its first forum",
        max_length=200,
        help_text="For example, Preston Community Forum.",
    )
    forum_weekday = forms.TypedChoiceField(
        label="Day the forum meets each week", choices=Weekday.choices, coerce=int
    )
    forum_venue = forms.CharField(
        label="Where the forum meets",
        max_length=300,
        help_text="A neutral venue, such as a library or community hall. You can add an "
        "online link later.",
    )
    why = forms.CharField(
        label="What the forum is for",
        max_length=2000,
        widget=TEXTAREA,
        help_text="A few lines: who it brings together and why. This becomes the forum's purpose.",
    )
    error_names = {
        "name": "the name of the place",
        "forum_name": "the name of the forum",
        "forum_venue": "where the forum meets",
    }


class DecisionForm(plain.Form):
    """Staff or a lead approve or decline; a reason is needed to decline."""

    decision = forms.ChoiceField(
        label="Your decision",
        choices=[("approve", "Approve"), ("decline", "Decline")],
        widget=forms.RadioSelect,
    )
    reason = forms.CharField(
        label="Reason for declining",
        required=False,
        max_length=2000,
        widget=TEXTAREA,
        help_text="The person who proposed it will see this.",
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("decision") == "decline" and not data.get("reason", "").strip():
            self.add_error("reason", "Give a reason for declining.")
        return data


class ForumCreateForm(ForumForm):
    """A facilitator adds another forum to their place."""

    reminder_days_before = None  # type: ignore[assignment]
    reminder_hour = None  # type: ignore[assignment]

    class Meta(ForumForm.Meta):
        fields = ["name", "purpose", "weekday", "start_time", "venue", "online_link", "access"]
        labels = {"name": "Name of the forum", "access": "Who can join"}


class OrganisationProfileForm(plain.ModelForm):
    website = forms.URLField(
        label="Website",
        required=False,
        max_length=200,
        assume_scheme="https",
        error_messages={"invalid": "Enter a full web address, like https://example.org."},
    )

    class Meta:
        model = Organisation
        fields = ["sector", "what_we_do", "distinctive_contribution", "website"]
        widgets = {"what_we_do": TEXTAREA, "distinctive_contribution": TEXTAREA}
        help_texts = {
            "distinctive_contribution": "What you bring that nobody else here does.",
        }


class OrganisationProposalForm(plain.Form):
    name = forms.CharField(label="Name of your organisation", max_length=200)
    sector = forms.ChoiceField(label="Sector", choices=Sector.choices)
    place = forms.ModelChoiceField(
        label="Place where it works",
        queryset=Place.objects.order_by("name"),
        empty_label="Choose a place",
        help_text="A lead of an organisation already there, or site staff, will confirm it.",
    )
    what_we_do = forms.CharField(label="What it does", max_length=2000, widget=TEXTAREA)
    error_names = {"name": "the name of your organisation", "place": "a place"}


class EngagementAssessmentForm(plain.ModelForm):
    level = forms.ChoiceField(
        label="How far has the partnership come in this way of working?",
        choices=EngagementLevel.choices,
        widget=forms.RadioSelect,
    )

    class Meta:
        model = EngagementAssessment
        fields = ["level", "practice", "reasons"]
        widgets = {"practice": TEXTAREA, "reasons": TEXTAREA}
        help_texts = {
            "practice": "Describe how partners work together today.",
            "reasons": "What you have seen that makes you say so. Others in the partnership "
            "will read this.",
        }
