"""Forms for proposals, the rota and corrections. Choices are filtered to the session's
forum, as the services check again."""

from __future__ import annotations

from typing import Any

from django import forms

from hls_forum import forms as plain
from partnerships.models import Forum, User
from talking_points.forms import TalkingPointChoiceField, time_box_field
from talking_points.models import AgendaItem, Session, TalkingPoint

from .models import MAX_CORRECTION_DAYS


class ProposalForm(plain.Form):
    talking_point = TalkingPointChoiceField(
        queryset=TalkingPoint.objects.none(),
        required=False,
        label="One of the forum's talking points",
        empty_label="None: I will write my own item",
        error_messages={"invalid_choice": "Choose one of this forum's talking points."},
    )
    text = forms.CharField(
        label="Or an item in your own words",
        max_length=500,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    why = forms.CharField(
        label="Why should the forum talk about it?",
        max_length=1000,
        help_text="A line is enough.",
        error_messages={"required": "Say in a line why the forum should talk about it."},
    )

    def __init__(self, *args: Any, forum: Forum, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field: Any = self.fields["talking_point"]
        field.queryset = TalkingPoint.objects.active_for_forum(forum)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        point, text = data.get("talking_point"), (data.get("text") or "").strip()
        if "talking_point" in data and "text" in data and (point is None) == (not text):
            raise forms.ValidationError(
                "Choose one of the forum's talking points or write your own item, not both."
            )
        return data


class AnswerProposalForm(plain.Form):
    outcome = forms.ChoiceField(
        label="Your answer",
        choices=[
            ("accept", "Add it to the agenda"),
            ("merge", "Join it with an item already on the agenda"),
            ("decline", "Do not take it up"),
        ],
        widget=forms.RadioSelect,
        error_messages={"required": "Choose your answer."},
    )
    agenda_item = forms.ModelChoiceField(
        queryset=AgendaItem.objects.none(),
        required=False,
        label="Join it with (if you are joining it)",
        empty_label="Choose an agenda item",
        error_messages={"invalid_choice": "Choose an item on this session's agenda."},
    )
    time_box_minutes = time_box_field()
    reason = forms.CharField(
        label="Your reason",
        max_length=1000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text="The person who proposed it sees this. Needed when you do not take it up.",
    )

    def __init__(self, *args: Any, session: Session, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field: Any = self.fields["agenda_item"]
        field.queryset = session.agenda_items.select_related("talking_point").order_by(
            "position", "pk"
        )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        outcome = data.get("outcome")
        if outcome == "merge" and not data.get("agenda_item"):
            self.add_error("agenda_item", "Choose the agenda item to join it with.")
        if outcome == "decline" and not (data.get("reason") or "").strip():
            self.add_error("reason", "Give the reason, so the person who proposed it knows why.")
        return data


class RotaSettingsForm(plain.Form):
    rota_on = forms.BooleanField(
        label="Take turns to facilitate, among members who are willing", required=False
    )
    correction_days = forms.IntegerField(
        label="Days attendees have to suggest corrections to a summary",
        min_value=1,
        max_value=MAX_CORRECTION_DAYS,
        error_messages={
            "required": "Give a number of days.",
            "min_value": "Give at least 1 day.",
            "max_value": f"Give at most {MAX_CORRECTION_DAYS} days.",
            "invalid": "Give a whole number of days.",
        },
        widget=forms.NumberInput(attrs={"inputmode": "numeric", "class": "input-short"}),
    )


class RotaChangeForm(plain.Form):
    user = forms.ModelChoiceField(
        queryset=User.objects.none(),
        label="Who facilitates instead",
        empty_label="Choose a willing member",
        error_messages={
            "required": "Choose a willing member.",
            "invalid_choice": "Choose a member who has said they are willing.",
        },
    )

    def __init__(self, *args: Any, forum: Forum, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field: Any = self.fields["user"]
        field.queryset = User.objects.filter(
            rota_volunteering__forum=forum, forum_memberships__forum=forum
        ).order_by("rota_volunteering__since")


class CorrectionForm(plain.Form):
    target = forms.ChoiceField(
        label="What should change",
        choices=[],
        error_messages={
            "required": "Choose a decision or an action.",
            "invalid_choice": "Choose a decision or an action of this session.",
        },
    )
    proposed_text = forms.CharField(
        label="What it should say",
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": "Write what it should say."},
    )
    why = forms.CharField(
        label="Why",
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 2}),
        error_messages={"required": "Say why it should change."},
    )

    def __init__(self, *args: Any, targets: list[tuple[str, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field: Any = self.fields["target"]
        field.choices = [("", "Choose a decision or an action"), *targets]


class AnswerCorrectionForm(plain.Form):
    outcome = forms.ChoiceField(
        label="Your answer",
        choices=[("accept", "Apply the correction"), ("decline", "Do not apply it")],
        widget=forms.RadioSelect,
        error_messages={"required": "Choose your answer."},
    )
    answer = forms.CharField(
        label="Your explanation",
        max_length=1000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text="The person who suggested it sees this. Needed when you do not apply it.",
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("outcome") == "decline" and not (data.get("answer") or "").strip():
            self.add_error("answer", "Explain why, so the person who suggested it knows.")
        return data
