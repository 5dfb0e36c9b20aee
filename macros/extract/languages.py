"""Which languages a seed contains (ISO 639-1), sentence by sentence.

Chinese is found by its script, which is unambiguous for our purpose and catches a lone translated
title inside a JSON record. Other languages are decided by lingua per sentence: single sentences of
machine-translated text flicker between related languages, so a language counts only when it holds
a real share of the prose.
"""

from __future__ import annotations

import re
from collections import Counter
from functools import cache

from lingua import Language, LanguageDetector, LanguageDetectorBuilder

from ..core.text import HAN, KANA

_HAN = re.compile(f"[{HAN}]")
_KANA = re.compile(f"[{KANA}]")
_HANGUL = re.compile(r"[\uac00-\ud7af]")
_LATIN_SENTENCE = re.compile(r"[^.!?\n。！？]{40,}")
_LETTERS = re.compile(r"[^\W\d_]+")  # runs: counted by their lengths, not one string a letter

LATIN_LANGUAGES = (
    Language.ENGLISH,
    Language.FRENCH,
    Language.GERMAN,
    Language.SPANISH,
    Language.ITALIAN,
    Language.PORTUGUESE,
    Language.DUTCH,
    Language.TURKISH,
)
MIN_SCRIPT_CHARS = 8
MIN_SHARE = 0.15
MIN_LETTERS = 40  # one short fragment (an author list) is no text in a language
MAX_SENTENCES = 16  # an even sample: enough for the shares, and lingua is a third of reading


@cache
def _detector() -> LanguageDetector:
    return LanguageDetectorBuilder.from_languages(*LATIN_LANGUAGES).with_low_accuracy_mode().build()


def detect_languages(text: str) -> list[str]:
    """Sorted ISO 639-1 codes of every language with real text in `text`."""
    found: set[str] = set()
    if len(_KANA.findall(text)) >= MIN_SCRIPT_CHARS:
        found.add("ja")
    elif len(_HAN.findall(text)) >= MIN_SCRIPT_CHARS:
        found.add("zh")
    if len(_HANGUL.findall(text)) >= MIN_SCRIPT_CHARS:
        found.add("ko")
    weights: Counter[str] = Counter()
    # Han characters end a Latin run: acronyms scattered through Chinese prose are no sentence.
    sentences = _LATIN_SENTENCE.findall(_HAN.sub("\n", text))
    step = max(1, -(-len(sentences) // MAX_SENTENCES))  # at most MAX_SENTENCES, evenly spread
    for sentence in sentences[::step]:
        letters = _letters(sentence)
        if letters < 30 or _is_name_list(sentence):
            continue
        language = _detector().detect_language_of(sentence)
        if language is not None:
            weights[language.iso_code_639_1.name.lower()] += letters
    total = sum(weights.values())
    least = max(MIN_SHARE * total, MIN_LETTERS)
    found.update(code for code, weight in weights.items() if weight >= least)
    return sorted(found)


def _letters(text: str) -> int:
    """How many letters `text` holds (by runs: one string a run, not one a letter)."""
    return sum(map(len, _LETTERS.findall(text)))


def _is_name_list(text: str) -> bool:
    """`Mikkel Thorsager, Paola Gentile, et al`: names, whose spelling says nothing of language."""
    parts = [p.split() for p in re.split(r",|;|\bet al\b|\band\b", text) if p.strip()]
    return len(parts) >= 2 and all(
        len(words) <= 4 and all(w[:1].isupper() for w in words) for words in parts
    )


def dominant_language(text: str) -> str | None:
    """The one language of a line or paragraph: Chinese by script, others by lingua."""
    han, letters = len(_HAN.findall(text)), _letters(text)
    if han >= MIN_SCRIPT_CHARS and han * 3 >= letters:
        return "zh"
    language = _detector().detect_language_of(text) if letters >= 20 else None
    return language.iso_code_639_1.name.lower() if language else None


_ENGLISH = {
    "the",
    "of",
    "and",
    "with",
    "in",
    "patients",
    "were",
    "was",
    "had",
    "to",
    "a",
    "from",
    "for",
    "after",
    "during",
    "at",
    "on",
    "all",
    "no",
    "given",
    "than",
}
_FRENCH = {
    "le",
    "la",
    "les",
    "des",
    "du",
    "est",
    "et",
    "une",
    "un",
    "chez",
    "dans",
    "avec",
    "sur",
    "pour",
    "été",
    "au",
    "aux",
    "de",
}


def looks_english(text: str) -> bool:
    """Notes and bullets are terse: one English function word, and more than French ones."""
    words = re.findall(r"[^\W\d_]+", text.lower())
    english = sum(w in _ENGLISH for w in words)
    return english >= 1 and english > sum(w in _FRENCH for w in words)
