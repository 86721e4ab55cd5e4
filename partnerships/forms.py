from __future__ import annotations

import datetime
import decimal
from typing import Any, ClassVar

from django import forms
from django.core.validators import RegexValidator
from django.db.models import Q
from django.db.models.functions import Lower

from hls_forum import forms as plain

from .models import (
    Champion,
    Commission,
    CommissionerProfile,
    Flexibility,
    Forum,
    FundingKind,
    GlossaryTerm,
    MembershipRole,
    Organisation,
    Place,
    Proposition,
    PropositionRating,
    RelationshipKind,
    Sector,
    Specialism,
    quarter_start,
)


class SignupNameForm(plain.Form):
    """Extra fields allauth adds to its sign-up form."""

    full_name = forms.CharField(label="Full name", max_length=150)

    def signup(self, request: Any, user: Any) -> None:
        user.full_name = self.cleaned_data["full_name"]
        user.save(update_fields=["full_name"])


EMAIL_ERRORS = {
    "required": "Enter an email address.",
    "invalid": "Enter an email address in the right format, like name@example.org.",
}


class OrganisationInviteForm(plain.Form):
    """A lead invites a colleague to their organisation."""

    email = forms.EmailField(
        label="Colleague's email address",
        max_length=254,
        error_messages=EMAIL_ERRORS,
        widget=forms.EmailInput(attrs={"autocomplete": "off", "spellcheck": "false"}),
    )
    role = forms.ChoiceField(
        label="Their role",
        choices=MembershipRole.choices,
        initial=MembershipRole.STAFF,
        help_text="Leads can invite and remove people.",
    )


class ForumInviteForm(plain.Form):
    """A facilitator invites someone to a forum."""

    email = forms.EmailField(
        label="Email address of the person to invite",
        max_length=254,
        error_messages=EMAIL_ERRORS,
        widget=forms.EmailInput(attrs={"autocomplete": "off", "spellcheck": "false"}),
    )


class ForumJoinRequestForm(plain.Form):
    message = forms.CharField(
        label="A message to the facilitator",
        required=False,
        max_length=1000,
        help_text="For example, who you are and why you would like to join. Up to 1,000 "
        "characters.",
        widget=forms.Textarea(attrs={"rows": 4}),
    )


REMINDER_DAY_CHOICES = [(0, "On the day of the meeting"), (1, "The day before")] + [
    (days, f"{days} days before") for days in range(2, 7)
]
REMINDER_HOUR_CHOICES = [(hour, f"{hour:02d}:00") for hour in range(24)]


class ForumForm(plain.ModelForm):
    """A facilitator edits when, where and how their forum meets."""

    start_time = forms.TimeField(
        label="Start time",
        help_text="In the place's local time, using the 24-hour clock, for example 18:30.",
        input_formats=["%H:%M", "%H:%M:%S"],
        error_messages={
            "required": "Enter a start time.",
            "invalid": "Enter a real time between 00:00 and 23:59, for example 18:30.",
        },
        widget=forms.TimeInput(attrs={"type": "time"}, format="%H:%M"),
    )
    online_link = forms.URLField(
        label="Online meeting link",
        required=False,
        max_length=200,
        assume_scheme="https",
        help_text="Only members see this link.",
        error_messages={"invalid": "Enter a full web address, like https://meet.example.org/us."},
    )
    reminder_days_before = forms.TypedChoiceField(
        label="When to send reminders",
        choices=REMINDER_DAY_CHOICES,
        coerce=int,
    )
    reminder_hour = forms.TypedChoiceField(
        label="Time to send reminders",
        choices=REMINDER_HOUR_CHOICES,
        coerce=int,
        help_text="In the place's local time.",
    )

    class Meta:
        model = Forum
        fields = [
            "purpose",
            "weekday",
            "start_time",
            "duration_minutes",
            "venue",
            "online_link",
            "access",
            "reminder_days_before",
            "reminder_hour",
        ]
        labels = {
            "weekday": "Day of the week",
            "duration_minutes": "How long it lasts, in minutes",
            "access": "Who can join",
        }
        help_texts = {
            "venue": "A neutral place partners can reach. Give a venue, an online link, or both.",
        }
        widgets = {"purpose": forms.Textarea(attrs={"rows": 4})}


PHONE_VALIDATOR = RegexValidator(
    r"^\+?[0-9 ()\-]{6,30}$",
    "Enter a phone number using digits, spaces and brackets, like 01752 000 101.",
)


class CommissionerProfileForm(plain.ModelForm):
    """A commissioner's public, named contact details."""

    public_phone = forms.CharField(
        label="Contact phone", max_length=40, required=False, validators=[PHONE_VALIDATOR]
    )
    specialisms = forms.ModelMultipleChoiceField(
        queryset=Specialism.objects.all(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        label="Your specialisms",
    )
    places = forms.ModelMultipleChoiceField(
        queryset=Place.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        label="Places you cover",
        help_text="Places where your organisation works. Ask site staff if one is missing.",
    )

    class Meta:
        model = CommissionerProfile
        fields = [
            "job_title",
            "public_email",
            "public_phone",
            "availability",
            "specialisms",
            "places",
            "about",
        ]
        error_messages = {"public_email": EMAIL_ERRORS}
        help_texts = {
            "public_email": "Shown to everyone, so partners can reach you.",
            "availability": "For example, Tuesdays and Thursdays, 9am to 4pm.",
            "about": "What are you funding, and why are you funding that? Up to 4,000 characters.",
        }
        widgets = {"about": forms.Textarea(attrs={"rows": 6})}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # Covering a place lets a commissioner read what partners there share with
        # commissioners, so a commissioner may only choose places their organisation works in
        # (or already covers); site staff can add others in the admin.
        profile = self.instance
        field = self.fields["places"]
        assert isinstance(field, forms.ModelMultipleChoiceField)
        field.queryset = Place.objects.filter(
            Q(organisations=profile.organisation_id) | Q(commissioners=profile.pk)
        ).distinct()


# --- The place picture ----------------------------------------------------------------

SCORE_CHOICES = [
    (1, "1 – not at all true"),
    (2, "2"),
    (3, "3"),
    (4, "4"),
    (5, "5 – completely true"),
]
SCORE_ERRORS = {
    "invalid_choice": "Choose a number from 1 to 5.",
    "required": "Choose a number from 1 to 5.",
}


class BudgetField(forms.DecimalField):
    """Pounds, with plain-English errors ("lots" is not a budget)."""

    default_error_messages = {
        "invalid": "Enter the budget in pounds, as a number, for example 125000.",
        "max_digits": "Enter a budget below £10,000,000,000.",
        "max_decimal_places": "Enter pounds and pence, with no more than 2 decimal places.",
        "max_whole_digits": "Enter a budget below £10,000,000,000.",
    }

    def to_python(self, value: Any) -> decimal.Decimal | None:  # type: ignore[override]
        if isinstance(value, str):
            value = value.strip().replace(",", "").removeprefix("£").strip()
        return super().to_python(value)


class CommissionForm(plain.ModelForm):
    error_names: ClassVar[dict[str, str]] = {
        "place": "a place",
        "title": "a title",
        "budget": "the budget",
        "starts_on": "the start date",
        "ends_on": "the end date",
        "funding_kind": "how it is given",
    }

    budget = BudgetField(
        label="Budget (£)",
        min_value=0,
        max_digits=12,
        decimal_places=2,
        help_text="The total for the whole period, in pounds, for example 125000.",
        # Text, not type=number: people type "£1,250", and GOV.UK advises text for money.
        widget=forms.TextInput(attrs={"inputmode": "decimal", "spellcheck": "false"}),
        error_messages={"min_value": "The budget cannot be negative."},
    )

    class Meta:
        model = Commission
        fields = [
            "place",
            "title",
            "why",
            "budget",
            "starts_on",
            "ends_on",
            "providers",
            "specialisms",
            "outcomes_agreed",
            "designed_with_people_using_services",
            "designed_with_vcs",
            "design_participants",
            "funding_kind",
            "flexibility",
            "reporting_asks",
            "is_public",
        ]
        widgets = {
            "funding_kind": forms.RadioSelect,
            "flexibility": forms.RadioSelect,
            "starts_on": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "ends_on": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "providers": forms.CheckboxSelectMultiple,
            "specialisms": forms.CheckboxSelectMultiple,
        }
        help_texts = {
            "why": "In plain English: what difference you hope it makes, and why this way.",
            "outcomes_agreed": "For example: agreed with providers and people who use the "
            "service at a workshop, not set in advance.",
        }

    def __init__(self, *args: Any, commissioner: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.commissioner = commissioner
        # Every new or changed commission says how it is given; older ones may not yet.
        kind = self.fields["funding_kind"]
        flexibility = self.fields["flexibility"]
        assert isinstance(kind, forms.ChoiceField)
        assert isinstance(flexibility, forms.ChoiceField)
        kind.required = True
        kind.choices = FundingKind.choices
        flexibility.choices = Flexibility.choices
        covered = commissioner.places.all()
        place = self.fields["place"]
        providers = self.fields["providers"]
        assert isinstance(place, forms.ModelChoiceField)
        assert isinstance(providers, forms.ModelMultipleChoiceField)
        place.queryset = covered
        place.error_messages["invalid_choice"] = "Choose a place you cover as a commissioner."
        providers.queryset = (
            Organisation.objects.filter(places__in=covered).distinct().order_by("name")
        )
        providers.error_messages["invalid_choice"] = (
            "Choose providers that work in a place you cover."
        )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        place = data.get("place")
        providers = data.get("providers")
        if place is not None and providers:
            outside = [o.name for o in providers if not o.places.filter(pk=place.pk).exists()]
            if outside:
                self.add_error(
                    "providers",
                    f"These do not work in {place.name}: {', '.join(outside)}.",
                )
        return data


class RelationshipForm(plain.Form):
    source = forms.ModelChoiceField(queryset=Organisation.objects.none(), label="Organisation")
    kind = forms.ChoiceField(choices=RelationshipKind.choices, label="Relationship")
    target = forms.ModelChoiceField(
        queryset=Organisation.objects.none(), label="Other organisation"
    )
    note = forms.CharField(
        label="A note about it",
        max_length=300,
        required=False,
        help_text="For example: a three-year grant, or a weekly referral meeting.",
    )

    def __init__(self, *args: Any, place: Place, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.place = place
        organisations = place.organisations.order_by("name")
        message = f"Choose an organisation that works in {place.name}."
        for name in ("source", "target"):
            field = self.fields[name]
            assert isinstance(field, forms.ModelChoiceField)
            field.queryset = organisations
            field.error_messages["invalid_choice"] = message

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("source") and data.get("source") == data.get("target"):
            self.add_error("target", "An organisation cannot have a relationship with itself.")
        return data


class MapFilterForm(plain.Form):
    kind = forms.MultipleChoiceField(
        choices=RelationshipKind.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        label="Relationships",
    )
    sector = forms.MultipleChoiceField(
        choices=Sector.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        label="Sectors",
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        # Its own ids: the page's form for drawing a relationship has a "kind" field too.
        kwargs.setdefault("auto_id", "map_%s")
        super().__init__(*args, **kwargs)


class GlossaryTermForm(plain.ModelForm):
    class Meta:
        model = GlossaryTerm
        fields = ["term", "meaning"]
        help_texts = {"term": "A word or phrase people here use, for example 'alliance'."}

    def __init__(self, *args: Any, place: Place, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.place = place

    def clean_term(self) -> str:
        term = " ".join(str(self.cleaned_data["term"]).split())
        existing = (
            GlossaryTerm.objects.annotate(lower=Lower("term"))
            .filter(place=self.place, lower=term.lower())
            .exclude(pk=self.instance.pk)
            .first()
        )
        if existing is not None:
            raise forms.ValidationError(
                f"“{existing.term}” is already in {self.place.name}'s glossary. "
                "Change that entry instead."
            )
        return term


class ChampionForm(plain.ModelForm):
    class Meta:
        model = Champion
        fields = ["can_help_with"]
        help_texts = {
            "can_help_with": "For example: 'I can explain how our alliance contract shares "
            "risk', or 'I can help you run your first learning session'. Your name and this "
            "text are shown publicly on the place's page."
        }


class CommissionerChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return str(obj.user.full_name or obj.user)


class CommissionFilterForm(plain.Form):
    place = forms.ModelChoiceField(
        queryset=Place.objects.all(), required=False, to_field_name="slug", empty_label="All"
    )
    commissioner = CommissionerChoiceField(
        queryset=CommissionerProfile.objects.none(), required=False, empty_label="All"
    )
    specialism = forms.ModelChoiceField(
        queryset=Specialism.objects.all(), required=False, to_field_name="slug", empty_label="All"
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["commissioner"]
        assert isinstance(field, forms.ModelChoiceField)
        field.queryset = CommissionerProfile.objects.select_related("user").order_by(
            "user__full_name"
        )


class PropositionRatingForm(plain.Form):
    """All seven propositions; the ones already rated this quarter are refused with a reason."""

    def __init__(
        self,
        *args: Any,
        already_rated: dict[str, PropositionRating],
        today: datetime.date,
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.already_rated = already_rated
        self.today = today
        for code, text in Proposition.choices:
            self.fields[f"score_{code}"] = forms.TypedChoiceField(
                label=f"{code}. {text}",
                choices=SCORE_CHOICES,
                coerce=int,
                empty_value=None,
                required=False,
                widget=forms.RadioSelect,
                error_messages=SCORE_ERRORS,
            )
            self.fields[f"comment_{code}"] = forms.CharField(
                label=f"Comment on {code}",
                required=False,
                max_length=1000,
                widget=forms.Textarea(attrs={"rows": 2}),
            )

    def next_quarter_starts(self) -> datetime.date:
        start = quarter_start(self.today)
        month = start.month + 3
        return datetime.date(start.year + (month > 12), (month - 1) % 12 + 1, 1)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        chosen = 0
        for code, _ in Proposition.choices:
            score = data.get(f"score_{code}")
            if score is None:
                if data.get(f"comment_{code}"):
                    self.add_error(f"score_{code}", f"Choose a number for {code} to comment.")
                continue
            if code in self.already_rated:
                self.add_error(
                    f"score_{code}",
                    f"You have already rated {code} this quarter. You can rate it again from "
                    f"{self.next_quarter_starts():%-d %B %Y}.",
                )
                continue
            chosen += 1
        if not chosen and not self.errors:
            raise forms.ValidationError("Choose a rating for at least one proposition.")
        return data

    def ratings(self) -> dict[str, tuple[int, str]]:
        return {
            code: (self.cleaned_data[f"score_{code}"], self.cleaned_data[f"comment_{code}"])
            for code, _ in Proposition.choices
            if self.cleaned_data.get(f"score_{code}") is not None
        }

    def rows(self) -> list[tuple[str, str, Any, Any, PropositionRating | None]]:
        """(code, text, score field, comment field, own rating this quarter) for the template."""
        return [
            (
                code,
                text,
                self[f"score_{code}"],
                self[f"comment_{code}"],
                self.already_rated.get(code),
            )
            for code, text in Proposition.choices
        ]
