"""The wellbeing check-in form."""

from __future__ import annotations

import unicodedata

from django import forms

from hls_forum import forms as plain
from partnerships.forms import SCORE_ERRORS


class WellbeingCheckInForm(plain.Form):
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
        parts = str(self.cleaned_data["word"]).split()
        if len([part for part in parts if _has_letters(part)]) > 1:
            raise forms.ValidationError("Use one word, or leave it blank.")
        return " ".join(parts).lower()


def _has_letters(part: str) -> bool:
    """Whether ``part`` has a letter or a digit in any script ("é", "ŵ", "東"): an emoji or a
    mark beside a word ("hopeful 🌱") belongs to it rather than being a second word."""
    return any(unicodedata.category(char)[0] in "LN" for char in part)
