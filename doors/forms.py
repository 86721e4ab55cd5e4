"""Forms for office hours and visits. Every choice list is filtered the way the pages are:
through ``visible_to`` or the person's own memberships."""

from __future__ import annotations

import datetime
from typing import Any

from django import forms
from django.utils import timezone

from hls_forum import forms as plain
from partnerships.models import CommissionerProfile, Organisation, Place
from talking_points.models import LearningEntry

from .models import Booking, Mode, OfficeHourSlot, Visit

DATETIME_LOCAL = "%Y-%m-%dT%H:%M"
DATE = "%Y-%m-%d"


class SlotForm(plain.ModelForm):
    starts_at = forms.DateTimeField(
        label="Date and time",
        input_formats=[DATETIME_LOCAL],
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format=DATETIME_LOCAL),
    )
    length_minutes = forms.IntegerField(
        label="How long (minutes)", min_value=10, max_value=240, initial=30
    )
    mode = forms.ChoiceField(
        label="How you meet", choices=Mode.choices, widget=forms.RadioSelect, initial=Mode.ONLINE
    )
    online_link = forms.URLField(
        label="Meeting link (for online)", required=False, assume_scheme="https", max_length=500
    )

    class Meta:
        model = OfficeHourSlot
        fields = ["starts_at", "length_minutes", "mode", "address", "online_link", "note"]

    def clean_starts_at(self) -> datetime.datetime:
        starts_at: datetime.datetime = self.cleaned_data["starts_at"]
        if starts_at <= timezone.now():
            raise forms.ValidationError("Choose a time in the future.")
        return starts_at

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("mode") == Mode.IN_PERSON and not data.get("address"):
            self.add_error("address", "Say where you will meet.")
        if (
            data.get("mode") == Mode.ONLINE
            and not data.get("online_link")
            and not self.has_error("online_link")
        ):
            self.add_error("online_link", "Give the link to the online meeting.")
        return data


class BookingForm(plain.ModelForm):
    class Meta:
        model = Booking
        fields = ["topic"]
        help_texts = {"topic": "One line, so they can prepare."}


class OrganisationChoice(forms.ModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return str(obj)


class GuestChoice(forms.ModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return f"{obj.user}, {obj.job_title}, {obj.organisation}"


class VisitInviteForm(plain.Form):
    organisation = OrganisationChoice(
        label="Your organisation", queryset=Organisation.objects.none()
    )
    place = forms.ModelChoiceField(label="Place", queryset=Place.objects.none())
    guest = GuestChoice(label="Who you are inviting", queryset=CommissionerProfile.objects.none())
    proposed_dates = forms.CharField(
        label="Dates that suit you",
        max_length=300,
        help_text="For example: any Tuesday morning in March.",
    )
    note = forms.CharField(
        label="What they would see",
        max_length=2000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
    )

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        organisations = Organisation.objects.filter(memberships__user=user).order_by("name")
        self.fields["organisation"].queryset = organisations  # type: ignore[attr-defined]
        self.fields["place"].queryset = Place.objects.filter(  # type: ignore[attr-defined]
            organisations__in=organisations
        ).distinct()
        self.fields["guest"].queryset = CommissionerProfile.objects.select_related(  # type: ignore[attr-defined]
            "user", "organisation"
        ).exclude(user=user)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        organisation, place = data.get("organisation"), data.get("place")
        if organisation and place and not organisation.places.filter(pk=place.pk).exists():
            self.add_error(
                "place", f"{organisation} does not work in {place}. Choose another place."
            )
        return data


class VisitAnswerForm(plain.Form):
    accept = forms.TypedChoiceField(
        label="Your answer",
        choices=[("yes", "Yes, I will visit"), ("no", "No, I cannot visit")],
        widget=forms.RadioSelect,
        coerce=lambda value: value == "yes",
    )
    visit_date = forms.DateField(
        label="Date of the visit",
        required=False,
        input_formats=[DATE],
        widget=forms.DateInput(attrs={"type": "date"}, format=DATE),
        help_text="If you will visit.",
    )
    answer = forms.CharField(
        label="A line with your answer",
        max_length=300,
        required=False,
        help_text="If you cannot visit, a line on why helps them ask again.",
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if (
            data.get("accept") is True
            and not data.get("visit_date")
            and not self.has_error("visit_date")
        ):
            self.add_error("visit_date", "Give the date you will visit.")
        if data.get("accept") is False and not data.get("answer"):
            self.add_error("answer", "Say in a line why you cannot visit.")
        return data


class EntryChoice(forms.ModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return f"{obj.title} ({obj.organisation})"


class VisitLearningForm(plain.ModelForm):
    learning_entry = EntryChoice(
        label="Learning entry about it",
        queryset=LearningEntry.objects.none(),
        required=False,
        help_text="Link the entry in your learning log that tells the story, if there is one.",
    )

    class Meta:
        model = Visit
        fields = ["learned", "learning_entry"]
        widgets = {"learned": forms.Textarea(attrs={"rows": 5})}

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["learned"].required = True
        self.fields["learning_entry"].queryset = (  # type: ignore[attr-defined]
            LearningEntry.objects.visible_to(user)
            .filter(organisation=self.instance.organisation)
            .select_related("organisation")
            .order_by("-created_at", "pk")
        )
