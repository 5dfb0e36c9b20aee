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

_HAN = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff]")
_KANA = re.compile(r"[\u3040-\u30ff]")
_HANGUL = re.compile(r"[\uac00-\ud7af]")
_LATIN_SENTENCE = re.compile(r"[^.!?\n。！？]{40,}")
_LETTER = re.compile(r"[^\W\d_]", re.UNICODE)

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
MAX_SENTENCES = 40


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
    sentences = _LATIN_SENTENCE.findall(_HAN.sub(" ", text))
    step = max(1, len(sentences) // MAX_SENTENCES)  # an even sample is enough for the shares
    for sentence in sentences[::step]:
        letters = len(_LETTER.findall(sentence))
        if letters < 30:
            continue
        language = _detector().detect_language_of(sentence)
        if language is not None:
            weights[language.iso_code_639_1.name.lower()] += letters
    total = sum(weights.values())
    found.update(code for code, weight in weights.items() if weight >= MIN_SHARE * total)
    return sorted(found)


def dominant_language(text: str) -> str | None:
    """The one language of a line or paragraph: Chinese by script, others by lingua."""
    if len(_HAN.findall(text)) >= MIN_SCRIPT_CHARS and len(_HAN.findall(text)) * 3 >= len(
        _LETTER.findall(text)
    ):
        return "zh"
    language = _detector().detect_language_of(text) if len(_LETTER.findall(text)) >= 20 else None
    return language.iso_code_639_1.name.lower() if language else None
