"""Shared language (talking point 4, "Are we speaking the same language?").

- ``JARGON``: a built-in list of common jargon with plain-English meanings.
- ``explain_terms_html``: escapes text, then marks glossary terms and jargon with an
  explanation that shows on hover and on keyboard focus.
- ``flesch_reading_ease``: how easy a text is to read (higher is easier), written here so the
  app needs no extra dependency.
"""

from __future__ import annotations

import html
import re
import secrets
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from django.utils.html import conditional_escape
from django.utils.safestring import SafeData, SafeString, mark_safe

JARGON: dict[str, str] = {
    "complexity-informed": (
        "Working in a way that accepts real life is messy: many things affect each other, "
        "so we learn and adapt as we go rather than follow a fixed plan."
    ),
    "outcomes framework": (
        "A list of the results a funder wants to see, and how they will be measured."
    ),
    "system": (
        "All the people and organisations that together shape what happens here, and how "
        "they connect."
    ),
    "Human Learning Systems": (
        "A way of funding and working that puts human relationships and learning first, "
        "instead of targets and contracts."
    ),
    "HLS": "Human Learning Systems: putting relationships and learning before targets.",
    "VCS": "The voluntary and community sector: charities, community groups and volunteers.",
    "commissioning": "How a council or health body decides what services to pay for, and who.",
    "commissioner": "A person at a council, health body or funder who decides what to pay for.",
    "stakeholders": "Everyone with an interest in something, including the people it affects.",
    "co-production": "Designing and running something together with the people it is for.",
    "place-based": "Shaped around a local area and the people who live there.",
    "capacity building": "Helping people and organisations grow their skills and resources.",
    "theory of change": "A simple picture of how you think your work leads to the difference.",
    "KPIs": "Key performance indicators: the numbers a funder uses to track progress.",
    "KPI": "Key performance indicator: a number a funder uses to track progress.",
    "siloed": "Working separately, without talking to others doing related work.",
    "leverage": "Using something you have to get more of something else.",
    "asset-based": "Starting from what people and places already have, not what they lack.",
    "upstream": "Acting early, before problems grow.",
    "learning partner": "Someone who helps a group notice and make sense of what it learns.",
}


@dataclass(frozen=True)
class Term:
    term: str
    meaning: str
    source: str  # "glossary" or "jargon"


def known_terms(glossary: Iterable[tuple[str, str]] = ()) -> dict[str, Term]:
    """Built-in jargon overlaid with a place's own glossary (the glossary wins)."""
    terms = {key.lower(): Term(key, meaning, "jargon") for key, meaning in JARGON.items()}
    for term, meaning in glossary:
        terms[term.lower()] = Term(term, meaning, "glossary")
    return terms


# Text inside these elements is never marked: links and buttons must not hold another
# focusable element, and terms already explained need no second explanation.
_SKIP_INSIDE = {"a", "button", "abbr", "dfn", "code", "pre", "script", "style", "textarea"}
_TAG = re.compile(r"(<[^>]*>)")
_TAG_NAME = re.compile(r"^<\s*(/)?\s*([a-zA-Z0-9]+)")


def _pattern(terms: Mapping[str, Term]) -> re.Pattern[str] | None:
    if not terms:
        return None
    # Longest first, so "outcomes framework" wins over a shorter term inside it.
    alternatives = sorted((re.escape(key) for key in terms), key=len, reverse=True)
    return re.compile(r"(?<![\w-])(" + "|".join(alternatives) + r")(?![\w-])", re.IGNORECASE)


def explain_terms_html(value: object, terms: Mapping[str, Term]) -> SafeString:
    """Escape ``value`` (unless it is already safe HTML), then wrap the first use of each
    known term in an accessible explanation.

    Each explanation is a ``<dfn>`` that takes keyboard focus and is described by a tooltip
    that CSS shows on hover and on focus. Every piece of text is escaped, so the result is
    safe whatever the input.
    """
    escaped = str(conditional_escape(value if isinstance(value, SafeData) else str(value)))
    pattern = _pattern(terms)
    if pattern is None:
        return mark_safe(escaped)  # noqa: S308 - escaped above
    already_safe = isinstance(value, SafeData)
    prefix = secrets.token_hex(3)
    seen: set[str] = set()
    counter = 0
    out: list[str] = []
    skip_depth = 0

    def mark(match: re.Match[str]) -> str:
        nonlocal counter
        word = match.group(0)
        key = word.lower()
        if key in seen:
            return html.escape(word, quote=False)
        seen.add(key)
        counter += 1
        term = terms[key]
        tip_id = f"term-{prefix}-{counter}"
        label = "From this place's glossary" if term.source == "glossary" else "Jargon"
        return (
            f'<span class="term"><dfn tabindex="0" aria-describedby="{tip_id}">'
            f"{html.escape(word, quote=False)}</dfn>"
            f'<span class="term-tip" role="tooltip" id="{tip_id}">'
            f'<span class="visually-hidden">{label}: </span>'
            f"{html.escape(term.meaning, quote=False)}</span></span>"
        )

    def mark_text(raw: str) -> str:
        pieces: list[str] = []
        last = 0
        for match in pattern.finditer(raw):
            pieces.append(html.escape(raw[last : match.start()], quote=False))
            pieces.append(mark(match))
            last = match.end()
        pieces.append(html.escape(raw[last:], quote=False))
        return "".join(pieces)

    for chunk in _TAG.split(escaped) if already_safe else [escaped]:
        if already_safe and chunk.startswith("<"):
            name = _TAG_NAME.match(chunk)
            if name and name.group(2).lower() in _SKIP_INSIDE:
                skip_depth += -1 if name.group(1) else 1
                skip_depth = max(skip_depth, 0)
            out.append(chunk)
        elif skip_depth:
            out.append(chunk)
        else:
            out.append(mark_text(html.unescape(chunk)))
    return mark_safe("".join(out))  # noqa: S308 - every text piece is escaped in mark_text


# --- Readability ----------------------------------------------------------------------

_WORD = re.compile(r"[A-Za-z]+(?:['’][A-Za-z]+)*")
_SENTENCE_END = re.compile(r"[.!?]+(?:\s|$)|\n\s*\n")
_VOWEL_GROUPS = re.compile(r"[aeiouy]+")


def count_syllables(word: str) -> int:
    """A heuristic English syllable count: vowel groups, less a silent final "e"."""
    word = word.lower().strip("'’")
    if not word:
        return 0
    if len(word) <= 3:
        return 1
    word = re.sub(r"(?:[^laeiouy]es|[^laeiouy]ed|[^laeiouy]e)$", "", word)
    word = re.sub(r"^y", "", word)
    return max(1, len(_VOWEL_GROUPS.findall(word)))


@dataclass(frozen=True)
class Readability:
    score: float
    words: int
    sentences: int
    band: str
    too_hard: bool

    @property
    def rounded(self) -> int:
        return round(self.score)


# Flesch's own bands; plain English sits at 60 or above.
_BANDS = [
    (90, "very easy"),
    (80, "easy"),
    (70, "fairly easy"),
    (60, "plain English"),
    (50, "fairly hard"),
    (30, "hard"),
    (float("-inf"), "very hard"),
]
# Below this a writer gets a gentle prompt.
HARD_BELOW = 50
# Too little text to judge.
MIN_WORDS = 12


def flesch_reading_ease(text: str) -> Readability | None:
    """Flesch reading ease: 206.835 - 1.015 * words per sentence - 84.6 * syllables per word.

    Returns None when there are fewer than ``MIN_WORDS`` words: too little to judge fairly.
    """
    words = _WORD.findall(text)
    if len(words) < MIN_WORDS:
        return None
    sentences = max(1, len([s for s in _SENTENCE_END.split(text.strip()) if _WORD.search(s)]))
    syllables = sum(count_syllables(w) for w in words)
    score = 206.835 - 1.015 * (len(words) / sentences) - 84.6 * (syllables / len(words))
    band = next(name for floor, name in _BANDS if score >= floor)
    return Readability(
        score=score,
        words=len(words),
        sentences=sentences,
        band=band,
        too_hard=score < HARD_BELOW,
    )
