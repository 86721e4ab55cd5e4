"""Forms for talking points and forum sessions."""

from __future__ import annotations

import datetime
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.forms.utils import flatatt
from django.utils import timezone
from django.utils.html import format_html
from django.utils.safestring import SafeString, mark_safe

from hls_forum import forms as plain
from partnerships.models import Forum, User

from ..models import (
    AgendaItem,
    Decision,
    LearningEntry,
    Session,
    SummaryVisibility,
    TalkingPoint,
)
from ..models.sessions import MAX_CONTRIBUTION_CHARS, MAX_TIME_BOX_MINUTES

DATETIME_LOCAL = "%Y-%m-%dT%H:%M"


class LongSelect(forms.Select):
    """A select for long lists (a forum's members can be hundreds; a big place's learning log
    filters by hundreds of organisations): the options are written in Python, the same markup
    Django's templates write, instead of one template per option (~30 µs each)."""

    def render(
        self, name: str, value: Any, attrs: dict[str, Any] | None = None, renderer: Any = None
    ) -> SafeString:
        selected = {str(v) for v in self.format_value(value)}
        options = []
        for option_value, label in self.choices:
            text = "" if option_value is None else str(option_value)
            options.append(
                format_html(
                    '\n  <option value="{}"{}>{}</option>',
                    text,
                    mark_safe(" selected") if text in selected else "",
                    label,
                )
            )
        return format_html(
            '<select name="{}"{}>{}\n</select>',
            name,
            flatatt(self.build_attrs(self.attrs, attrs)),
            mark_safe("".join(options)),  # noqa: S308 - each option escaped by format_html
        )


def _choices(form: forms.BaseForm, name: str) -> forms.ModelChoiceField:
    field = form.fields[name]
    assert isinstance(field, forms.ModelChoiceField)
    return field


class PrefixedIdsForm(plain.Form):
    """Several forms share the live page: give each its own element ids."""

    id_prefix = "form"

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("auto_id", f"{self.id_prefix}_%s")
        super().__init__(*args, **kwargs)


def time_box_field(initial: int = 20) -> forms.IntegerField:
    return forms.IntegerField(
        label="Time box (minutes)",
        min_value=1,
        max_value=MAX_TIME_BOX_MINUTES,
        initial=initial,
        error_messages={
            "min_value": "A time box must be at least 1 minute.",
            "max_value": f"A time box can be at most {MAX_TIME_BOX_MINUTES} minutes.",
            "required": "Give a time box in minutes.",
            "invalid": "Give a time box as a whole number of minutes.",
        },
        widget=forms.NumberInput(attrs={"inputmode": "numeric", "class": "input-short"}),
    )


class TalkingPointForm(plain.Form):
    text = forms.CharField(
        label="Your talking point",
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="A question for the forum to talk about, in plain words.",
        error_messages={"required": "Write the talking point."},
    )


class TalkingPointChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return str(obj)


class TalkingPointsField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        discussed = getattr(obj, "last_discussed", None)
        when = f"last discussed {discussed:%-d %b %Y}" if discussed else "not discussed yet"
        return f"{obj} ({when})"


class SessionForm(plain.ModelForm):
    """When and where. Times are in the place's time zone (the view activates it)."""

    starts_at = forms.DateTimeField(
        label="Date and time",
        input_formats=[DATETIME_LOCAL],
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format=DATETIME_LOCAL),
        error_messages={
            "required": "Give the date and time.",
            "invalid": "Give a real date and time.",
        },
    )

    online_link = forms.URLField(
        label="Online meeting link",
        required=False,
        assume_scheme="https",
        max_length=200,
        error_messages={"invalid": "Give a full web address, such as https://meet.example.org/us"},
    )

    class Meta:
        model = Session
        fields = ["starts_at", "venue", "online_link"]
        labels = {"venue": "Venue"}
        help_texts = {"venue": "A neutral place to meet, if you meet in person."}

    def clean_starts_at(self) -> datetime.datetime:
        starts_at: datetime.datetime = self.cleaned_data["starts_at"]
        if starts_at < timezone.now() - datetime.timedelta(hours=12):
            raise ValidationError("Choose a date and time that has not passed.")
        if starts_at > timezone.now() + datetime.timedelta(days=366):
            raise ValidationError("Choose a date within the next year.")
        return starts_at

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if not self.errors and not data.get("venue") and not data.get("online_link"):
            raise ValidationError("Give a venue, an online link, or both.")
        return data


class SessionPlanForm(SessionForm):
    talking_points = TalkingPointsField(
        queryset=TalkingPoint.objects.none(),
        required=False,
        label="Talking points for the agenda",
        help_text="Least recently discussed first. You can change the order and time boxes next.",
        widget=forms.CheckboxSelectMultiple,
    )
    time_box_minutes = time_box_field()

    class Meta(SessionForm.Meta):
        pass

    def __init__(self, *args: Any, forum: Forum, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _choices(self, "talking_points").queryset = TalkingPoint.objects.suggested_for_forum(forum)


class AgendaItemForm(PrefixedIdsForm):
    id_prefix = "agenda"
    talking_point = TalkingPointChoiceField(
        queryset=TalkingPoint.objects.none(),
        label="Talking point",
        empty_label="Choose a talking point",
        error_messages={
            "required": "Choose a talking point.",
            "invalid_choice": "Choose one of this forum's talking points.",
        },
    )
    time_box_minutes = time_box_field()

    def __init__(self, *args: Any, forum: Forum, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _choices(self, "talking_point").queryset = TalkingPoint.objects.suggested_for_forum(forum)


class TimeBoxForm(plain.Form):
    time_box_minutes = time_box_field()


class OpenSessionForm(plain.Form):
    present = forms.ModelMultipleChoiceField(
        queryset=User.objects.none(),
        required=False,
        label="Who is here?",
        help_text="You are counted as present. People who arrive later, or join online, "
        "can join from the session page.",
        widget=forms.CheckboxSelectMultiple,
    )

    confirm_early = forms.BooleanField(
        required=False,
        label="Yes, open it today",
        error_messages={"required": "Confirm that you are opening the session today."},
    )

    def __init__(self, *args: Any, forum: Forum, early: bool = False, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _choices(self, "present").queryset = User.objects.filter(
            forum_memberships__forum=forum
        ).order_by("full_name", "email")
        # Opening on an earlier day than planned needs a yes: the record then gives today.
        if early:
            self.fields["confirm_early"].required = True
        else:
            del self.fields["confirm_early"]


class ContributionForm(PrefixedIdsForm):
    id_prefix = "contribution"
    agenda_item = forms.IntegerField(widget=forms.HiddenInput)
    text = forms.CharField(
        label="Your contribution",
        max_length=MAX_CONTRIBUTION_CHARS,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={
            "required": "Write your contribution before adding it.",
            "max_length": f"A contribution can be at most {MAX_CONTRIBUTION_CHARS:,} characters.",
        },
    )
    anonymous = forms.BooleanField(
        label="Add it anonymously",
        required=False,
        help_text="Nobody, not even the facilitator or the site's staff, will be able to see "
        "who wrote it, and it will not count towards your organisation's voice.",
    )

    def clean_text(self) -> str:
        text: str = self.cleaned_data["text"].strip()
        if not text:
            raise ValidationError("Write your contribution before adding it.")
        return text


class HideContributionForm(plain.Form):
    reason = forms.CharField(
        label="Why are you hiding it?",
        max_length=500,
        help_text="Everyone in the session sees that a contribution was hidden, and why.",
        error_messages={"required": "Say why you are hiding this contribution."},
    )


class DecisionForm(PrefixedIdsForm):
    id_prefix = "decision"
    text = forms.CharField(
        label="What was decided",
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": "Say what was decided."},
    )
    why = forms.CharField(
        label="Why", max_length=4000, required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    agenda_item = forms.ModelChoiceField(
        queryset=AgendaItem.objects.none(),
        required=False,
        label="About which talking point",
        empty_label="The one being discussed now",
    )
    rests_on = forms.ModelMultipleChoiceField(
        queryset=LearningEntry.objects.none(),
        required=False,
        label="Learning it rests on",
        help_text="Learning entries you can see, newest first.",
        widget=forms.CheckboxSelectMultiple,
    )

    def __init__(self, *args: Any, session: Session, user: User, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _choices(self, "agenda_item").queryset = session.agenda_items.select_related(
            "talking_point"
        ).order_by("position", "pk")
        _choices(self, "rests_on").queryset = learning_entry_choices(user, session)


def learning_entry_choices(user: User, session: Session) -> QuerySet[LearningEntry]:
    """The newest 50 entries in the forum's place that ``user`` may see. Always through
    ``LearningEntry.objects.visible_to``, so a decision never cites what its author cannot
    read."""
    recent = (
        LearningEntry.objects.visible_to(user)
        .filter(place_id=session.forum.place_id)
        .order_by("-created_at", "-pk")
        .values("pk")[:50]
    )
    return LearningEntry.objects.filter(pk__in=recent).order_by("-created_at", "-pk")


class ActionForm(PrefixedIdsForm):
    id_prefix = "action"
    text = forms.CharField(
        label="What will be done",
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
        error_messages={"required": "Say what will be done."},
    )
    owner = forms.ModelChoiceField(
        queryset=User.objects.none(),
        widget=LongSelect,
        label="Who will do it",
        empty_label="Choose a forum member",
        error_messages={"required": "Choose who will do it."},
    )
    due_on = forms.DateField(
        label="Due by",
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        input_formats=["%Y-%m-%d"],
        error_messages={"invalid": "Give a real date."},
    )
    decision = forms.ModelChoiceField(
        queryset=Decision.objects.none(),
        required=False,
        label="Follows from the decision",
        empty_label="No particular decision",
    )

    def __init__(self, *args: Any, session: Session, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _choices(self, "owner").queryset = (
            User.objects.filter(forum_memberships__forum_id=session.forum_id)
            .only("id", "full_name", "email")
            .order_by("full_name", "email")
        )
        _choices(self, "decision").queryset = session.decisions.order_by("created_at")

    def clean_due_on(self) -> datetime.date | None:
        due_on: datetime.date | None = self.cleaned_data.get("due_on")
        if due_on is not None and due_on < timezone.localdate():
            raise ValidationError("Choose a date that has not passed.")
        return due_on


class PublishForm(plain.Form):
    visibility = forms.ChoiceField(
        label="Who may read this summary?",
        choices=SummaryVisibility.choices,
        widget=forms.RadioSelect,
        help_text="Forum members can always read it. Others see organisations, not people's "
        "names, beside contributions and attendance.",
    )
