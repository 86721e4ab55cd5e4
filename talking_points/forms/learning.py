"""Forms for learning entries, their sharing, consent, search, reviews and connections."""

from __future__ import annotations

import datetime
from collections.abc import Sequence
from typing import Any, ClassVar

from django import forms
from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.http import QueryDict
from django.utils import timezone
from django.utils.text import slugify

from hls_forum import forms as plain
from partnerships.models import Organisation, Place

from ..models import (
    ConsentMethod,
    Decision,
    ExperimentStatus,
    LearningEntry,
    LearningKind,
    LinkRelation,
    ReviewKind,
    Session,
    StoryConsent,
    Visibility,
)
from ..rendering import UNSAFE_MARKUP
from .sessions import LongSelect

MAX_TAGS = 10
EARLIEST_DATE = datetime.date(1990, 1, 1)
DATE_WIDGET = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


UNSAFE_MESSAGE = (
    "Remove the code (such as a <script> tag or an “on…=” attribute). "
    "Use Markdown for formatting: **bold**, *italic*, lists and links."
)


def refuse_unsafe_markup(value: str) -> None:
    if value and UNSAFE_MARKUP.search(value):
        raise ValidationError(UNSAFE_MESSAGE, code="unsafe")


def consent_error(visibility: str, consent: StoryConsent | None) -> str | None:
    """Why a story cannot be shared at ``visibility``, or None when it can."""
    if visibility == Visibility.ORGANISATION:
        return None
    if consent is None:
        return (
            "A story of change can only be shared beyond your organisation with recorded "
            "consent. Record consent below, or keep it to your organisation."
        )
    if not consent.is_active:
        return "Consent for this story was withdrawn, so it stays with your organisation."
    if not consent.allows(visibility):
        return (
            f"{consent.given_by} agreed to sharing no wider than “"
            f"{Visibility(consent.widest_visibility).label}”. Choose that or narrower."
        )
    return None


class StoryConsentForm(plain.ModelForm):
    error_names: ClassVar[dict[str, str]] = {
        "given_by": "who gave consent",
        "method": "how consent was given",
        "given_on": "the date consent was given",
        "obtained_by": "who recorded consent",
        "widest_visibility": "how widely they agreed to share it",
    }

    class Meta:
        model = StoryConsent
        fields = ["given_by", "method", "given_on", "obtained_by", "widest_visibility"]
        widgets = {
            "method": forms.RadioSelect,
            "given_on": DATE_WIDGET,
            "widest_visibility": forms.RadioSelect,
        }
        help_texts = {
            "given_by": "A name or a pseudonym. Never link a person who uses services to an "
            "account.",
            "obtained_by": "The worker who asked for and recorded their consent.",
        }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # Radios need no blank "---------" choice.
        for name, choices in (
            ("method", ConsentMethod.choices),
            ("widest_visibility", Visibility.choices),
        ):
            field = self.fields[name]
            assert isinstance(field, forms.ChoiceField)
            field.choices = choices

    def clean_given_by(self) -> str:
        value: str = self.cleaned_data["given_by"]
        refuse_unsafe_markup(value)
        return value

    def clean_obtained_by(self) -> str:
        value: str = self.cleaned_data["obtained_by"]
        refuse_unsafe_markup(value)
        return value

    def clean_given_on(self) -> datetime.date:
        value: datetime.date = self.cleaned_data["given_on"]
        if value > timezone.localdate():
            raise ValidationError("Consent cannot have been given in the future.")
        if value < EARLIEST_DATE:
            raise ValidationError("Give the date consent was given, in 1990 or later.")
        return value


# Asked of experiments only; for any other kind they are cleared before checking.
EXPERIMENT_FIELDS = (
    "tried",
    "happened",
    "learned",
    "next_steps",
    "experiment_status",
    "review_date",
)


class LearningEntryForm(plain.ModelForm):
    """Write or change an entry. For a story of change, pass the consent form to be checked
    with it, so a visibility wider than consent is refused before anything is stored.

    Every section is rendered (site.js shows only the chosen kind's); the server ignores an
    experiment's fields for other kinds, so nothing hidden can cause an error.
    """

    error_names: ClassVar[dict[str, str]] = {
        "organisation": "an organisation",
        "kind": "a kind",
        "title": "a title",
        "visibility": "who can see this entry",
    }

    tags_text = forms.CharField(
        label="Tags",
        required=False,
        max_length=400,
        help_text=f"Separate tags with commas, up to {MAX_TAGS}. For example: peer support, "
        "housing",
    )

    class Meta:
        model = LearningEntry
        fields = [
            "organisation",
            "kind",
            "title",
            "body",
            "tried",
            "happened",
            "learned",
            "next_steps",
            "experiment_status",
            "review_date",
            "visibility",
        ]
        labels = {
            "body": "What you want to say",
            "kind": "What kind of learning is this?",
            "visibility": "Who can see this entry?",
        }
        help_texts = {
            "kind": "An experiment or a story of change asks a few more questions.",
            "body": "Simple formatting with Markdown: **bold**, *italic*, lists and links. "
            "An experiment may leave this empty: its four questions come first.",
            "review_date": "For example, 27 3 2027.",
        }
        error_messages = {
            "body": {"required": "Write what you want to say."},
            "tried": {"required": "Say what you tried."},
            "experiment_status": {"required": "Say how far the experiment has got."},
        }
        widgets = {
            "kind": forms.RadioSelect,
            "experiment_status": forms.RadioSelect,
            "visibility": forms.RadioSelect,
            "review_date": DATE_WIDGET,
            "body": forms.Textarea(attrs={"rows": 8}),
            "tried": forms.Textarea(attrs={"rows": 4}),
            "happened": forms.Textarea(attrs={"rows": 4}),
            "learned": forms.Textarea(attrs={"rows": 4}),
            "next_steps": forms.Textarea(attrs={"rows": 4}),
        }

    def __init__(
        self,
        *args: Any,
        place: Place,
        organisations: QuerySet[Organisation],
        consent_form: StoryConsentForm | None = None,
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.place = place
        self.consent_form = consent_form
        # Radios with none chosen, rather than a pre-selected "---------".
        for name, choices in (
            ("kind", LearningKind.choices),
            ("experiment_status", ExperimentStatus.choices),
        ):
            field = self.fields[name]
            assert isinstance(field, forms.ChoiceField)
            field.choices = choices
        kind = self.data.get(self.add_prefix("kind")) if self.is_bound else None
        is_experiment = kind == LearningKind.EXPERIMENT
        # Labelled as they are checked: the text for every kind but an experiment, which
        # needs what was tried and how far it has got instead (those for no other kind).
        self.fields["body"].required = not is_experiment
        self.fields["tried"].required = self.fields["experiment_status"].required = (
            is_experiment or not self.is_bound
        )
        if kind and not is_experiment:
            cleared = {self.add_prefix(name): "" for name in EXPERIMENT_FIELDS}
            if isinstance(self.data, QueryDict):
                data = self.data.copy()
                for key, value in cleared.items():
                    data[key] = value
                self.data = data
            else:
                self.data = {**self.data, **cleared}
        if self.instance.pk:
            del self.fields["organisation"]
            self.fields["tags_text"].initial = ", ".join(t.name for t in self.instance.tags.all())
        else:
            org_field = self.fields["organisation"]
            assert isinstance(org_field, forms.ModelChoiceField)
            org_field.queryset = organisations
            org_field.empty_label = None
            org_field.label = "Which organisation is this for?"
        self.fields["experiment_status"].label = "How far the experiment has got"

    def _clean_text(self, name: str) -> str:
        value: str = self.cleaned_data.get(name, "")
        refuse_unsafe_markup(value)
        return value

    def clean_title(self) -> str:
        return self._clean_text("title")

    def clean_body(self) -> str:
        return self._clean_text("body")

    def clean_tried(self) -> str:
        return self._clean_text("tried")

    def clean_happened(self) -> str:
        return self._clean_text("happened")

    def clean_learned(self) -> str:
        return self._clean_text("learned")

    def clean_next_steps(self) -> str:
        return self._clean_text("next_steps")

    def clean_tags_text(self) -> list[str]:
        raw: str = self.cleaned_data.get("tags_text", "")
        refuse_unsafe_markup(raw)
        names: list[str] = []
        for part in raw.split(","):
            name = " ".join(part.split())
            if not name:
                continue
            if len(name) > 40:
                raise ValidationError(f"Keep each tag to 40 characters (“{name[:20]}…” is longer).")
            if not slugify(name):
                raise ValidationError(f"Use letters or numbers in tags (“{name}”).")
            if name.lower() not in {n.lower() for n in names}:
                names.append(name)
        if len(names) > MAX_TAGS:
            raise ValidationError(f"Use up to {MAX_TAGS} tags.")
        return names

    def clean_review_date(self) -> datetime.date | None:
        value: datetime.date | None = self.cleaned_data.get("review_date")
        if value is None:
            return None
        today = timezone.localdate()
        if value < EARLIEST_DATE or value > today.replace(year=today.year + 10):
            raise ValidationError("Choose a review date within the next ten years.")
        return value

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        kind = data.get("kind")
        if kind != LearningKind.EXPERIMENT:
            for name in ("tried", "happened", "learned", "next_steps", "experiment_status"):
                data[name] = ""
            data["review_date"] = None
        visibility = data.get("visibility")
        if self.instance.pk and self.instance.kind == LearningKind.STORY and kind != "story":
            self.add_error(
                "kind", "A story of change stays a story of change, so its consent still applies."
            )
        if kind == LearningKind.STORY and visibility:
            self._check_consent(visibility)
        return data

    def _check_consent(self, visibility: str) -> None:
        consent: StoryConsent | None = None
        if self.consent_form is not None and self.consent_form.has_changed():
            if not self.consent_form.is_valid():
                self.add_error(None, "Check the consent details below.")
                return
            consent = self.consent_form.save(commit=False)
        elif self.instance.pk:
            consent = StoryConsent.objects.filter(entry=self.instance).first()
        error = consent_error(visibility, consent)
        if error:
            self.add_error("visibility", error)


class ShareForm(plain.Form):
    visibility = forms.ChoiceField(
        label="Who can see this entry?", choices=Visibility.choices, widget=forms.RadioSelect
    )

    def __init__(self, *args: Any, entry: LearningEntry, **kwargs: Any) -> None:
        kwargs.setdefault("initial", {"visibility": entry.visibility})
        super().__init__(*args, **kwargs)
        self.entry = entry

    def clean_visibility(self) -> str:
        value: str = self.cleaned_data["visibility"]
        if self.entry.is_story:
            error = consent_error(value, StoryConsent.objects.filter(entry=self.entry).first())
            if error:
                raise ValidationError(error)
        return value


class LearningFilterForm(plain.Form):
    """Filters for a place's learning log; all optional, all in the URL so they can be shared.

    The tag is typed (or followed from a tag on an entry), not picked from a list: listing
    every tag the reader may see cost a scan of the whole place on each page, and a typed
    tag is only ever compared with the entries the reader may see, so it reveals nothing.
    """

    error_names: ClassVar[dict[str, str]] = {"kind": "a kind", "organisation": "an organisation"}

    kind = forms.ChoiceField(
        label="Kind", required=False, choices=[("", "Any kind"), *LearningKind.choices]
    )
    organisation = forms.ChoiceField(label="Organisation", required=False, widget=LongSelect)
    tag = forms.CharField(
        label="Tag",
        required=False,
        max_length=60,
        help_text="One tag, for example housing. Select a tag on an entry to see its entries.",
    )
    date_from = forms.DateField(label="Written from", required=False, widget=DATE_WIDGET)
    date_to = forms.DateField(label="Written up to", required=False, widget=DATE_WIDGET)
    q = forms.CharField(label="Words", required=False, max_length=200)

    def __init__(
        self,
        *args: Any,
        organisations: QuerySet[Any],
        **kwargs: Any,
    ) -> None:
        """``organisations``: a ``values_list("pk", "slug", "name")`` of the place's
        organisations, by name: plain values, not model instances, as a big place lists
        hundreds. Read once, and only if the form is shown or checked (not for a CSV)."""
        super().__init__(*args, **kwargs)
        self.organisations = organisations
        org_field = self.fields["organisation"]
        assert isinstance(org_field, forms.ChoiceField)
        org_field.choices = self._organisation_choices

    def _organisation_choices(self) -> list[tuple[str, str]]:
        return [("", "Any organisation")] + [(slug, name) for _, slug, name in self.organisations]

    def clean_organisation(self) -> int | None:
        """The chosen organisation's id (the choices are the place's organisations)."""
        slug: str = self.cleaned_data.get("organisation", "")
        return next((pk for pk, s, _ in self.organisations if s == slug), None) if slug else None

    def clean_tag(self) -> str:
        """The tag's slug, as tags are stored (``services`` makes slugs the same way)."""
        value: str = self.cleaned_data.get("tag", "").strip().lstrip("#")
        if not value:
            return ""
        slug = slugify(value)[:60]
        if not slug:
            raise forms.ValidationError("Type a tag with letters or numbers, for example housing.")
        return slug

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        date_from, date_to = data.get("date_from"), data.get("date_to")
        if date_from and date_to and date_from > date_to:
            self.add_error("date_to", "The end date must be on or after the start date.")
        return data


ALL_PLACES = "all"


class SearchForm(plain.Form):
    """Words, and where to look: by default the reader's own places (those whose partnership
    they belong to), where nearly everything they may see is; "all places" adds the public
    learning of the rest of the country; or one place."""

    q = forms.CharField(label="Search learning", max_length=200, required=False)
    place = forms.ChoiceField(label="Where", required=False)

    def __init__(self, *args: Any, places: Sequence[Place], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        choices: list[tuple[str, str]] = []
        if places:
            choices = [("", "Your places"), (ALL_PLACES, "All places")]
        else:
            choices = [("", "All places")]
        choices += [(p.slug, p.name) for p in places]
        asked = self.data.get("place", "") if self.is_bound else ""
        if asked and asked not in {value for value, _ in choices}:
            # Any place may be searched (its public learning at least); list it when asked.
            other = Place.objects.filter(slug=asked).first()
            if other is not None:
                choices.append((other.slug, other.name))
        field = self.fields["place"]
        assert isinstance(field, forms.ChoiceField)
        field.choices = choices


class ReviewForm(plain.Form):
    kind = forms.ChoiceField(
        label="Your response",
        choices=[
            (ReviewKind.ACKNOWLEDGE.value, ReviewKind.ACKNOWLEDGE.label),
            (ReviewKind.QUESTION.value, ReviewKind.QUESTION.label),
            (ReviewKind.SUPPORT.value, ReviewKind.SUPPORT.label),
        ],
        widget=forms.RadioSelect,
        initial=ReviewKind.ACKNOWLEDGE,
    )
    text = forms.CharField(
        label="Message",
        required=False,
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text="Needed for a question or an offer of support. The organisation is emailed.",
    )

    def clean_text(self) -> str:
        value: str = self.cleaned_data.get("text", "")
        refuse_unsafe_markup(value)
        return value.strip()

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("kind") in (ReviewKind.QUESTION, ReviewKind.SUPPORT) and not data.get("text"):
            self.add_error("text", "Write your question or what support you can offer.")
        return data


class ReplyForm(plain.Form):
    text = forms.CharField(
        label="Your reply", max_length=4000, widget=forms.Textarea(attrs={"rows": 3})
    )

    def clean_text(self) -> str:
        value: str = self.cleaned_data["text"]
        refuse_unsafe_markup(value)
        return value.strip()


class LinkForm(plain.Form):
    """Connect an entry to exactly one of: another entry, a forum session, a decision."""

    relation = forms.ChoiceField(
        label="This entry…", choices=LinkRelation.choices, initial=LinkRelation.RELATES_TO
    )
    other_entry = forms.ModelChoiceField(
        label="Another learning entry",
        required=False,
        queryset=LearningEntry.objects.none(),
        empty_label="(none)",
    )
    session = forms.ModelChoiceField(
        label="A forum session",
        required=False,
        queryset=Session.objects.none(),
        empty_label="(none)",
    )
    decision = forms.ModelChoiceField(
        label="A decision",
        required=False,
        queryset=Decision.objects.none(),
        empty_label="(none)",
    )

    def __init__(
        self,
        *args: Any,
        entries: QuerySet[Any],
        sessions: QuerySet[Any],
        decisions: QuerySet[Any],
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        for name, queryset in (
            ("other_entry", entries),
            ("session", sessions),
            ("decision", decisions),
        ):
            field = self.fields[name]
            assert isinstance(field, forms.ModelChoiceField)
            field.queryset = queryset

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        chosen = [n for n in ("other_entry", "session", "decision") if data.get(n)]
        if len(chosen) != 1 and not self.errors:
            raise ValidationError("Choose one thing to connect: an entry, a session or a decision.")
        return data
