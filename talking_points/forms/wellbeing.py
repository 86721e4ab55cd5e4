"""The wellbeing check-in form."""

from __future__ import annotations

from django import forms

from partnerships.forms import SCORE_ERRORS


class WellbeingCheckInForm(forms.Form):
    score = forms.TypedChoiceField(
        label="How are you arriving today?",
        choices=[
            (1, "1 – struggling"),
            (2, "2"),
            (3, "3 – okay"),
            (4, "4"),
            (5, "5 – really well"),
        ],
        coerce=int,
        widget=forms.RadioSelect,
        error_messages=SCORE_ERRORS,
    )
    word = forms.CharField(
        label="One word for how you feel",
        required=False,
        max_length=30,
        help_text="No one will see who said it.",
    )

    def clean_word(self) -> str:
        word = str(self.cleaned_data["word"]).strip()
        if len(word.split()) > 1:
            raise forms.ValidationError("Use one word, or leave it blank.")
        return word.lower()
