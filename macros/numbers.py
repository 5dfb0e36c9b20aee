"""Numbers as sources write them: digits with a decimal point or comma, and number words.

Also the arithmetic checks every finding goes through: a stated percent against its counts, a CI
against its estimate, a P value within [0, 1], and Wilson intervals for recomputed proportions.
A mismatch becomes a review note; nothing here ever changes a stated figure.
"""

from __future__ import annotations

import math
import re

NUMBER = r"\d+(?:[.,·]\d+)?"

WORDS: dict[str, int] = {
    # English
    "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8,
    "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "thirteen": 13, "fourteen": 14,
    "fifteen": 15, "sixteen": 16, "seventeen": 17, "eighteen": 18, "nineteen": 19, "twenty": 20,
    # French
    "un": 1, "une": 1, "deux": 2, "trois": 3, "quatre": 4, "cinq": 5, "sept": 7, "huit": 8,
    "neuf": 9, "dix": 10, "onze": 11, "douze": 12, "treize": 13, "quatorze": 14, "quinze": 15,
    "seize": 16, "vingt": 20,
}  # fmt: skip
CHINESE_DIGITS = {"一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8,
                  "九": 9, "十": 10}  # fmt: skip
WORD_NUMBER = r"(?:" + "|".join(sorted(WORDS, key=len, reverse=True)) + r")"
COUNT = rf"(?:\d+|(?i:{WORD_NUMBER})\b)"


def to_float(text: str) -> float:
    """`14.3`, `14,3` and `. 01` (a P value with a stray space) as floats."""
    return float(re.sub(r"\s+", "", text).replace(",", ".").replace("·", "."))


def to_count(text: str) -> int | None:
    text = text.strip().lower()
    if text.isdigit():
        return int(text)
    if text in WORDS:
        return WORDS[text]
    if text in CHINESE_DIGITS:
        return CHINESE_DIGITS[text]
    return None


def decimals(text: str) -> int:
    parts = re.split(r"[.,·]", text.strip(), maxsplit=1)
    return len(parts[1]) if len(parts) == 2 else 0


def percent_matches(numerator: int, denominator: int, percent: float, places: int) -> bool:
    """Whether numerator/denominator rounds to the stated percent at its stated precision."""
    if denominator <= 0:
        return False
    exact = 100.0 * numerator / denominator
    return abs(exact - percent) <= 0.5 * 10.0**-places + 1e-9


def wilson_interval(successes: int, total: int, z: float = 1.959963984540054) -> tuple[float, float]:
    """Wilson score 95% interval for a proportion, in percent."""
    if total <= 0:
        raise ValueError("total must be positive")
    p = successes / total
    denominator = 1 + z * z / total
    centre = (p + z * z / (2 * total)) / denominator
    half = z * math.sqrt(p * (1 - p) / total + z * z / (4 * total * total)) / denominator
    return 100 * (centre - half), 100 * (centre + half)
