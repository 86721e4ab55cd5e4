"""Forms for deciding in a session and for looking back at decisions and experiments."""

from __future__ import annotations

import datetime
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.utils import timezone

from hls_forum import forms as plain
from partnerships.models import User
from talking_points.models import LearningEntry

from .models import DEFAULT_DOTS, MAX_DOTS, MAX_OPTIONS, Method, Round, Stance


class RoundStartForm(plain.Form):
    method = forms.ChoiceField(
        label="How will you decide?",
        choices=Method.choices,
        initial=Method.CONSENT,
        widget=forms.RadioSelect,
        help_text=(
            "Consent: it passes when nobody objects. Sense check: agree, unsure or disagree. "
            "Dot vote: each person spreads their dots over the options."
        ),
    )
    proposal = forms.CharField(
        label="The proposal or question",
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": "Write the proposal or question."},
    )
    options = forms.CharField(
        label="Options for a dot vote, one on each line",
        max_length=4000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    dots_each = forms.IntegerField(
        label="Dots for each person (dot vote)",
        min_value=1,
        max_value=MAX_DOTS,
        initial=DEFAULT_DOTS,
        required=False,
    )
    # Not "anonymous": the live page's contribution form has a checkbox of that name.
    anonymous_positions = forms.BooleanField(
        label="Keep positions anonymous",
        required=False,
        help_text="Nobody, the facilitator included, can see who said what; who took part is kept.",
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("auto_id", "round_%s")
        super().__init__(*args, **kwargs)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        lines = [line.strip() for line in (data.get("options") or "").splitlines()]
        data["option_list"] = [line for line in lines if line]
        if data.get("method") == Method.DOT_VOTE:
            if len(data["option_list"]) < 2:
                self.add_error("options", "Write at least two options, one on each line.")
            elif len(data["option_list"]) > MAX_OPTIONS:
                self.add_error("options", f"Write at most {MAX_OPTIONS} options.")
        if data.get("dots_each") is None:
            data["dots_each"] = DEFAULT_DOTS
        return data


class PositionForm(plain.Form):
    """A person's position: a stance (with a reason, needed for an objection), or their
    dots over a dot vote's options."""

    def __init__(self, *args: Any, round: Round, **kwargs: Any) -> None:
        kwargs.setdefault("auto_id", f"position{round.pk}_%s")
        super().__init__(*args, **kwargs)
        self.round = round
        if round.method == Method.DOT_VOTE:
            for option in round.options.all():
                self.fields[f"option_{option.pk}"] = forms.IntegerField(
                    label=f"Dots on “{option.text}”",
                    min_value=0,
                    max_value=round.dots_each,
                    initial=0,
                    required=False,
                )
        else:
            self.fields["stance"] = forms.ChoiceField(
                label="Your position",
                choices=[(s, Stance(s).label) for s in round.stances],
                widget=forms.RadioSelect,
                error_messages={"required": "Choose your position."},
            )
            self.fields["reason"] = forms.CharField(
                label="Why",
                max_length=2000,
                required=False,
                widget=forms.Textarea(attrs={"rows": 2}),
                help_text="Needed if you object, so the proposal can be changed to meet it.",
            )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if self.round.method == Method.DOT_VOTE:
            dots = {
                option.pk: data.get(f"option_{option.pk}") or 0
                for option in self.round.options.all()
            }
            total = sum(dots.values())
            if not self.errors and total < 1:
                raise ValidationError("Place at least one dot.")
            if total > self.round.dots_each:
                raise ValidationError(f"You have {self.round.dots_each} dots; you placed {total}.")
            data["dots"] = dots
        elif data.get("stance") == Stance.OBJECTION and not (data.get("reason") or "").strip():
            self.add_error("reason", "Say why you object.")
        return data


class AmendForm(plain.Form):
    proposal = forms.CharField(
        label="The changed proposal",
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": "Write the changed proposal."},
    )

    def __init__(self, *args: Any, round: Round, **kwargs: Any) -> None:
        kwargs.setdefault("auto_id", f"amend{round.pk}_%s")
        super().__init__(*args, **kwargs)


def _review_on_field(label: str) -> forms.DateField:
    return forms.DateField(
        label=label,
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
        help_text="The people at the table are reminded by email just before.",
    )


def _not_past(value: datetime.date | None) -> datetime.date | None:
    if value is not None and value < timezone.localdate():
        raise ValidationError("Choose today or a later date.")
    return value


class EndForm(plain.Form):
    review_on = _review_on_field("When to look at the decision again")

    def __init__(self, *args: Any, round: Round, **kwargs: Any) -> None:
        kwargs.setdefault("auto_id", f"end{round.pk}_%s")
        super().__init__(*args, **kwargs)

    def clean_review_on(self) -> datetime.date | None:
        return _not_past(self.cleaned_data.get("review_on"))


class ReviewDateForm(plain.Form):
    review_on = _review_on_field("When to look at it again")

    def clean_review_on(self) -> datetime.date | None:
        return _not_past(self.cleaned_data.get("review_on"))


class LookBackForm(plain.Form):
    learned = forms.CharField(
        label="What have you learned since?",
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 4}),
        error_messages={"required": "Say what you learned."},
    )
    learning = forms.ModelMultipleChoiceField(
        queryset=LearningEntry.objects.none(),
        required=False,
        label="Learning entries it draws on",
        help_text="Entries in this place that you can see, newest first.",
        widget=forms.CheckboxSelectMultiple,
    )
    next_review_on = forms.DateField(
        label="When to look at it again",
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
    )

    def __init__(self, *args: Any, user: User, place_id: int, **kwargs: Any) -> None:
        kwargs.setdefault("auto_id", "review_%s")
        super().__init__(*args, **kwargs)
        field = self.fields["learning"]
        assert isinstance(field, forms.ModelMultipleChoiceField)
        field.queryset = learning_choices(user, place_id)

    def clean_next_review_on(self) -> datetime.date | None:
        return _not_past(self.cleaned_data.get("next_review_on"))


def learning_choices(user: User, place_id: int) -> QuerySet[LearningEntry]:
    """The newest 50 entries in the place that ``user`` may see (``visible_to``): a review
    never links what its author cannot read."""
    recent = (
        LearningEntry.objects.visible_to(user)
        .filter(place_id=place_id)
        .order_by("-created_at", "-pk")
        .values("pk")[:50]
    )
    return LearningEntry.objects.filter(pk__in=recent).order_by("-created_at", "-pk")
