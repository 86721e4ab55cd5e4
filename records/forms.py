"""Forms for a place's records. Every choice is limited to the place (and, for learning,
to what the person may read), so a posted id from elsewhere is refused like a wrong one."""

from __future__ import annotations

from typing import Any

from django import forms

from hls_forum import forms as plain
from partnerships.models import Organisation, Place
from talking_points.models import LearningEntry

from . import permissions
from .models import AgreementVersion, ControlItem, Fear, FearReview, PlaceAsset, Signal

# How many of the place's latest learning entries are offered as evidence.
EVIDENCE_CHOICES = 50


def _limit(form: forms.BaseForm, name: str, queryset: Any, message: str) -> None:
    field = form.fields[name]
    assert isinstance(field, forms.ModelChoiceField)
    field.queryset = queryset
    field.error_messages["invalid_choice"] = message


class PlaceAssetForm(plain.ModelForm):
    class Meta:
        model = PlaceAsset
        fields = ["name", "description", "organisation"]
        help_texts = {
            "name": "A place, a group, a skill, a building, a relationship: anything we value.",
            "organisation": "Leave empty if it belongs to the whole place.",
        }

    def __init__(self, *args: Any, place: Place, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _limit(
            self,
            "organisation",
            permissions.asset_organisations(user, place).order_by("name"),
            f"Choose an organisation of {place.name} that you may add assets for.",
        )
        if not permissions.can_edit(user, place):
            # A lead who is in none of the place's forums adds their own organisation's.
            self.fields["organisation"].required = True
            self.fields["organisation"].help_text = "One of the organisations you lead."


class ControlItemForm(plain.ModelForm):
    class Meta:
        model = ControlItem
        fields = ["text", "ring"]
        widgets = {"ring": forms.RadioSelect}
        labels = {"ring": "Where it sits"}


class SignalForm(plain.ModelForm):
    class Meta:
        model = Signal
        fields = ["text", "how", "watcher", "watcher_organisation"]
        help_texts = {
            "text": "Something we would notice if things were changing.",
            "watcher": "Choose a person or an organisation.",
        }

    def __init__(self, *args: Any, place: Place, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _limit(
            self,
            "watcher",
            permissions.place_people(place).order_by("full_name", "email"),
            f"Choose a person in {place.name}'s forums or organisations.",
        )
        _limit(
            self,
            "watcher_organisation",
            Organisation.objects.filter(places=place).order_by("name"),
            f"Choose an organisation that works in {place.name}.",
        )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        person, organisation = data.get("watcher"), data.get("watcher_organisation")
        if not self.errors and not person and not organisation:
            self.add_error("watcher", "Choose who looks for it: a person or an organisation.")
        if person and organisation:
            self.add_error("watcher_organisation", "Choose a person or an organisation, not both.")
        return data


class EvidenceForm(plain.Form):
    entry = forms.TypedChoiceField(label="Learning entry", coerce=int, choices=())

    def __init__(self, *args: Any, place: Place, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        entries = (
            LearningEntry.objects.visible_to(user)
            .filter(place=place)
            .order_by("-created_at", "-pk")
            .values_list("pk", "title")[:EVIDENCE_CHOICES]
        )
        field = self.fields["entry"]
        assert isinstance(field, forms.TypedChoiceField)
        field.choices = [("", "Choose an entry"), *entries]
        field.help_text = f"The latest {EVIDENCE_CHOICES} entries from this place you can read."


class AgreementForm(plain.Form):
    will_do = forms.CharField(
        label="What we will do together", max_length=4000, widget=forms.Textarea
    )
    wont_do = forms.CharField(
        label="What we won't do", max_length=4000, widget=forms.Textarea, required=False
    )
    change_note = forms.CharField(
        label="What changed",
        max_length=300,
        required=False,
        help_text="A line for the history, for example: added how we share data.",
    )
    clear_sign_ups = forms.BooleanField(
        label="I understand every organisation's sign-up is cleared, and they sign again",
        required=False,
    )

    def __init__(self, *args: Any, current: AgreementVersion | None, signed: int, **kwargs: Any):
        initial = kwargs.pop("initial", None) or {}
        if current is not None:
            initial = {"will_do": current.will_do, "wont_do": current.wont_do, **initial}
        kwargs["initial"] = initial
        super().__init__(*args, **kwargs)
        self.signed = signed
        if not signed:
            del self.fields["clear_sign_ups"]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if self.signed and not data.get("clear_sign_ups"):
            self.add_error(
                "clear_sign_ups",
                f"Saving clears the sign-ups of {self.signed} organisation"
                f"{'s' if self.signed != 1 else ''}. Tick the box to say you understand.",
            )
        return data


class SignForm(plain.Form):
    organisation = forms.ModelChoiceField(
        queryset=Organisation.objects.none(), label="Organisation"
    )

    def __init__(self, *args: Any, organisations: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _limit(self, "organisation", organisations, "Choose an organisation you lead.")


class FearForm(plain.ModelForm):
    class Meta:
        model = Fear
        fields = ["text", "mitigation", "owner"]
        help_texts = {"owner": "The person who makes sure it is looked after."}

    def __init__(self, *args: Any, place: Place, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _limit(
            self,
            "owner",
            permissions.place_people(place).order_by("full_name", "email"),
            f"Choose a person in {place.name}'s forums or organisations.",
        )


class FearReviewForm(plain.ModelForm):
    class Meta:
        model = FearReview
        fields = ["reviewed_on", "note"]
        widgets = {"reviewed_on": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")}
        help_texts = {"note": "Is it still a fear? Is the way we meet it working?"}
