"""The public "tell us" form, in words a nine-year-old can read, and the facilitators' forms."""

from __future__ import annotations

import time
from typing import Any

from django import forms
from django.conf import settings
from django.core import signing

from hls_forum import forms as plain
from partnerships.models import Organisation, Place, User
from talking_points.models import LearningEntry, LearningKind, Visibility

from .models import StoryRound

PARTNERSHIP = "all"
SIGNING_SALT = "stories.tell-us"

# Who may read the story, as a teller would say it (the order of Visibility).
SHARING_WORDS = {
    Visibility.ORGANISATION: "Only the group I chose",
    Visibility.COMMISSIONERS: "The group and the people who pay for its work",
    Visibility.PLACE: "All the groups that work together here",
    Visibility.PUBLIC: "Anyone. It can go on the website",
}


def started_stamp(place: Place) -> str:
    """When the form was shown, signed: a form sent back too soon was filled by a robot."""
    return signing.dumps({"place": place.pk, "at": time.time()}, salt=SIGNING_SALT)


class TellUsForm(plain.Form):
    story = forms.CharField(
        label="Your story",
        help_text="Tell us what happened, in your own words.",
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 8}),
    )
    what_changed = forms.CharField(
        label="What changed for you?",
        max_length=2000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
    )
    first_name = forms.CharField(
        label="Your first name",
        help_text="You do not have to tell us.",
        max_length=60,
        required=False,
        widget=forms.TextInput(attrs={"autocomplete": "given-name"}),
    )
    group = forms.ChoiceField(label="Which group is your story about?", widget=forms.RadioSelect)
    sharing = forms.ChoiceField(
        label="Who can read your story?",
        choices=list(SHARING_WORDS.items()),
        widget=forms.RadioSelect,
    )
    email = forms.EmailField(
        label="Your email address",
        help_text="We send you a link to take your story back if you change your mind. "
        "We do not show it to anyone.",
        required=False,
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
    )
    # A field people never see (it is hidden): robots fill in every box.
    website = forms.CharField(label="Leave this empty", required=False)
    started = forms.CharField(widget=forms.HiddenInput)

    error_names = {"story": "your story", "group": "a group", "sharing": "who can read it"}

    def __init__(self, *args: Any, place: Place, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.place = place
        group = self.fields["group"]
        assert isinstance(group, forms.ChoiceField)
        group.choices = [
            *((str(o.pk), o.name) for o in self.organisations()),
            (PARTNERSHIP, "All of them, or I am not sure"),
        ]
        self.fields["website"].widget.attrs.update({"autocomplete": "off", "tabindex": "-1"})
        if not self.is_bound:
            self.initial["started"] = started_stamp(place)

    def organisations(self) -> Any:
        return Organisation.objects.filter(places=self.place).only("pk", "name")

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        if cleaned.get("website") or not self._started_by_a_person(cleaned.get("started", "")):
            raise forms.ValidationError(
                "Sorry, we could not take your story. Please wait a moment and send it again.",
                code="robot",
            )
        return cleaned

    def _started_by_a_person(self, stamp: str) -> bool:
        try:
            value = signing.loads(stamp, salt=SIGNING_SALT, max_age=24 * 3600)
        except (signing.BadSignature, TypeError):
            return False
        if not isinstance(value, dict) or value.get("place") != self.place.pk:
            return False
        waited = time.time() - float(value.get("at", 0))
        return waited >= float(getattr(settings, "STORIES_MIN_SECONDS", 3))

    def story_fields(self) -> dict[str, Any]:
        """What ``services.story_tell`` keeps."""
        data = self.cleaned_data
        group = data["group"]
        return {
            "story": data["story"],
            "what_changed": data["what_changed"],
            "first_name": data["first_name"],
            "email": data["email"],
            "widest_visibility": data["sharing"],
            "organisation": None if group == PARTNERSHIP else self.organisations().get(pk=group),
        }


class StoryCallForm(plain.Form):
    is_open = forms.BooleanField(label="Ask for stories on a public form", required=False)
    welcome = forms.CharField(
        label="A few words at the top of the form",
        help_text="Say who is asking and why. Keep it short and simple.",
        max_length=600,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class AcceptForm(plain.Form):
    title = forms.CharField(
        label="A title for the story", max_length=200, help_text="A few words people will see."
    )
    organisation = forms.ModelChoiceField(
        label="Whose story of change is it?", queryset=Organisation.objects.none()
    )
    visibility = forms.ChoiceField(label="Who can see it?", widget=forms.RadioSelect)

    def __init__(self, *args: Any, place: Place, widest: str, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        organisation = self.fields["organisation"]
        visibility = self.fields["visibility"]
        assert isinstance(organisation, forms.ModelChoiceField)
        assert isinstance(visibility, forms.ChoiceField)
        organisation.queryset = Organisation.objects.filter(places=place)
        visibility.choices = [
            (value, label)
            for value, label in Visibility.choices
            if Visibility.rank(value) <= Visibility.rank(widest)
        ]


# --- Most Significant Change rounds ----------------------------------------------------------


class RoundForm(plain.ModelForm):
    class Meta:
        model = StoryRound
        fields = ["title", "domains_text"]
        widgets = {"domains_text": forms.Textarea(attrs={"rows": 4})}

    error_names = {"title": "a title", "domains_text": "at least one domain of change"}


def _narrow(field: forms.Field, queryset: Any) -> None:
    assert isinstance(field, forms.ModelChoiceField)
    field.queryset = queryset


class RoundStoryForm(plain.Form):
    prefix = "story"  # three forms share the round's page: ids must not clash
    entry = forms.ModelChoiceField(label="A story of change", queryset=LearningEntry.objects.none())

    def __init__(self, *args: Any, story_round: StoryRound, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _narrow(
            self.fields["entry"],
            LearningEntry.objects.visible_to(user)
            .filter(place_id=story_round.place_id, kind=LearningKind.STORY)
            .exclude(story_rounds=story_round)
            .only("pk", "title"),
        )


class PanelForm(plain.Form):
    prefix = "panel"
    member = forms.ModelChoiceField(label="Someone for the panel", queryset=User.objects.none())

    def __init__(self, *args: Any, story_round: StoryRound, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _narrow(
            self.fields["member"],
            User.objects.filter(forum_memberships__forum__place_id=story_round.place_id)
            .exclude(story_panels=story_round)
            .distinct()
            .order_by("full_name"),
        )


class ChooseForm(plain.Form):
    prefix = "choose"
    domain = forms.ChoiceField(label="Domain of change")
    entry = forms.ModelChoiceField(
        label="The most significant story", queryset=LearningEntry.objects.none()
    )
    reasons = forms.CharField(
        label="Why the panel chose it", max_length=4000, widget=forms.Textarea(attrs={"rows": 4})
    )

    error_names = {"reasons": "why the panel chose it"}

    def __init__(self, *args: Any, story_round: StoryRound, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        domain = self.fields["domain"]
        assert isinstance(domain, forms.ChoiceField)
        domain.choices = [(d, d) for d in story_round.domains]
        _narrow(
            self.fields["entry"],
            LearningEntry.objects.visible_to(user).filter(story_rounds=story_round),
        )
