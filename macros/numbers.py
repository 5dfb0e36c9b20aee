"""Numbers as sources write them: digits with a decimal point or comma, number words, and the
shapes figures take in results (`12/40 (30.0%)`, `89% (95% CI: 80, 94)`, `4 (range 1-12)`).

Also the arithmetic checks every finding goes through: a stated percent against its counts, a CI
against its estimate, a P value within [0, 1], and Wilson intervals for recomputed proportions.
A mismatch becomes a review note; nothing here ever changes a stated figure.
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterator
from typing import NamedTuple

from .model import Finding

NUMBER = r"\d+(?:[.,·]\d+)?"

WORDS: dict[str, int] = {
    # English
    "one": 1,
    "two": 2,
    "three": 3,
    "four": 4,
    "five": 5,
    "six": 6,
    "seven": 7,
    "eight": 8,
    "nine": 9,
    "ten": 10,
    "eleven": 11,
    "twelve": 12,
    "thirteen": 13,
    "fourteen": 14,
    "fifteen": 15,
    "sixteen": 16,
    "seventeen": 17,
    "eighteen": 18,
    "nineteen": 19,
    "twenty": 20,
    # French
    "un": 1,
    "une": 1,
    "deux": 2,
    "trois": 3,
    "quatre": 4,
    "cinq": 5,
    "sept": 7,
    "huit": 8,
    "neuf": 9,
    "dix": 10,
    "onze": 11,
    "douze": 12,
    "treize": 13,
    "quatorze": 14,
    "quinze": 15,
    "seize": 16,
    "dix-sept": 17,
    "dix-huit": 18,
    "dix-neuf": 19,
    "vingt": 20,
}
TENS: dict[str, int] = {
    "twenty": 20,
    "thirty": 30,
    "forty": 40,
    "fifty": 50,
    "sixty": 60,
    "seventy": 70,
    "eighty": 80,
    "ninety": 90,
}
_UNITS = "one|two|three|four|five|six|seven|eight|nine"
CHINESE_DIGITS = {
    "一": 1,
    "二": 2,
    "两": 2,
    "三": 3,
    "四": 4,
    "五": 5,
    "六": 6,
    "七": 7,
    "八": 8,
    "九": 9,
    "十": 10,
}
WORD_NUMBER = (
    rf"(?:(?:{'|'.join(TENS)})(?:-(?:{_UNITS}))?|"
    + "|".join(sorted(WORDS, key=len, reverse=True))
    + r")"
)  # "twenty-three" as well as the single words
COUNT = rf"(?:\d+|(?i:{WORD_NUMBER})\b)"


CI = (
    r"[\[(（]\s*95\s*%\s*(?:CI|C\.I\.|IC|置信区间|可信区间|confidence interval)?\s*(?:CI)?\s*"
    rf"[:：,，]?\s*({NUMBER})\s*%?\s*(?:[,，、;；–—-]|to|à)\s*({NUMBER})\s*%?\s*[\])）]"
)
P_TEXT = r"\b[Pp]\s*(<=|>=|=|<|>|≤|≥)\s*(0?\s*[.,·]\s*\d+|[01](?:[.,]\d+)?)"
VS = r"\s*(?:vs\.?|versus|对比|contre)\s*"
ARM = r"(?:\s*(?:with|for|on|using|avec|par)\s+[\w-]+(?:\s+[\w-]+)?)?"  # "96% with sCT vs 90%"
# A figure starts where a number starts: never inside a run of digits (which would be quadratic).
LEAD = r"(?<!\d)(?<!\d[.,·])"
COMPARISON = re.compile(rf"{LEAD}({NUMBER})\s*%\s*(?:{CI})?{ARM}{VS}({NUMBER})\s*%\s*(?:{CI})?")
UNIT = (
    r"(?:months?|years?|weeks?|days?|hours?|mois|ans|semaines|jours|个月|月|年|周|天|岁|"
    r"mg/kg|mg|ng/mL|mm|cm)"
)
BOXED_PERCENT = rf"[(（\[]\s*({NUMBER})\s*%\s*[)）\]]"
FRACTION_COMPARISON = re.compile(
    rf"(?<![\d./])(\d+)\s*/\s*(\d+)\s*(?:{BOXED_PERCENT})?{VS}(\d+)\s*/\s*(\d+)\s*"
    rf"(?:{BOXED_PERCENT})?"
)
MEAN_COMPARISON = re.compile(
    rf"(?:\b(?:mean|median|moyenne|médiane)\s+|平均|中位)?{LEAD}({NUMBER})\s*({UNIT})?{VS}"
    rf"({NUMBER})\s*({UNIT})(?![\w%])",
    re.I,
)
PERCENT_FRACTION = re.compile(rf"{LEAD}({NUMBER})\s*%\s*[(（]\s*(\d+)\s*/\s*(\d+)\s*[)）]")
MEDIAN_RANGE = re.compile(  # `7 months (range 2-30)`, also `10.5 years, range 6–15`
    rf"{LEAD}(?P<median>{NUMBER})\s*(?P<unit>{UNIT})?\s*(?:(?P<open>[(（])|[,，;；])\s*"
    rf"(?P<kind>range|IQR|interquartile range|范围|四分位距|extrêmes)\s*[:：]?\s*"
    rf"(?P<low>{NUMBER})\s*(?:[-–~至到]|to|à)\s*(?P<high>{NUMBER})\s*{UNIT}?(?(open)\s*[)）])",
    re.I,
)
MEDIAN_CUE = re.compile(r"\bmedian\b|\bmédiane?\b|中位", re.I)
PERCENT_CI = re.compile(rf"{LEAD}({NUMBER})\s*%\s*{CI}")
BROKEN_CI = re.compile(r"^\s*[\[(（]\s*95\s*%")
P_VALUE = re.compile(P_TEXT)
COUNT_PERCENT = re.compile(
    rf"(?<![\d/])(?<!\d[.,])({COUNT})\s*(?:(?:[^\W\d_]+\s+){{0,2}}[^\W\d_]+\s*|例|名|位|人)?"
    rf"[(（]\s*({NUMBER})\s*%\s*[)）]"
)
FRACTION = re.compile(
    rf"(?<![\d./])(\d+)\s*/\s*(\d+)(?![\d/])(?!\s*(?:mg|kg|g|ml|mL|L|h|d|min|mm|cm|m2|m²)\b)"
    rf"(?:\s*(?:[^\W\d_]+\s+){{0,3}}?{BOXED_PERCENT}|\s*[,，]\s*({NUMBER})\s*%)?"
)
THE = r"(?:(?:the|these|those|les|ces)\s+)?"
_OF_TOTAL = rf"\b({COUNT})\s+(?:out\s+)?(?:of|sur|parmi)\s+{THE}({COUNT})(?![\d%.])"
OF_TOTAL = re.compile(_OF_TOTAL, re.I)
OF_TOTAL_PERCENT = re.compile(rf"{_OF_TOTAL}[^()\[\]（）\d.;]{{0,80}}?{BOXED_PERCENT}", re.I)
AMONG = re.compile(
    rf"\b(?:among|of|in)\s+(?:the\s+|these\s+|all\s+)?({COUNT})\s+(?:[^\W\d_]+\s+){{0,2}}?"
    rf"[^\W\d_]+,\s*({COUNT})\b(?!\s*%)",
    re.I,
)
# `the mean age at presentation was 11.7 years`: a mean stated without its SD
MEAN_STATED = re.compile(
    rf"\b((?i:mean|average)\s+(?:[^\W\d_][\w-]*\s+){{1,6}}?)(?:was|were|is|of)\s+"
    rf"({NUMBER})\s*({UNIT})(?![\w/%])(?!\s*±)"
)
# `hazard ratio 2.87, 95% CI 1.21–6.80`, `OR=2.41，95%CI：1.32～4.40`
RATIO = re.compile(
    r"(?:\b(?i:hazard ratio|odds ratio|risk ratio|relative risk|rate ratio)|\ba?HR|\ba?OR|\bI?RR)"
    rf"\s*(?:of|was|[=:：])?\s*({NUMBER})\s*[,，;；]?\s*[(（]?\s*95\s*%\s*"
    r"(?:CI|C\.I\.|IC|置信区间|可信区间|confidence interval)\s*[:：,，]?\s*"
    rf"({NUMBER})\s*(?:[-–—~～至到,，、]|to|à)\s*({NUMBER})\s*[)）]?"
)
MEAN_SD = re.compile(rf"{LEAD}({NUMBER})\s*±\s*({NUMBER})(?:\s*({UNIT})(?![\w/]))?")
BARE_COUNT = re.compile(
    rf"(?<![\d.])\b({COUNT})\s+(?:(?:patients?|cases?|subjects?)\s+)?"
    r"(?=(?:had|showed|developed|was|were|demonstrated|presented|remained)\b)",
    re.I,
)


# What every match of a pattern contains: a sentence without it is not scanned at all. Most
# sentences state no figure, and scanning them was a fifth of a cold ingest.
REQUIRED: dict[re.Pattern[str], re.Pattern[str]] = {
    pattern: re.compile(required, re.I)
    for patterns, required in (
        ((COMPARISON, PERCENT_CI, PERCENT_FRACTION, COUNT_PERCENT, OF_TOTAL_PERCENT), "%"),
        ((FRACTION, FRACTION_COMPARISON), "/"),
        ((MEAN_SD,), "±"),
        ((RATIO,), "95"),
        ((MEAN_COMPARISON,), r"vs|versus|对比|contre"),  # VS
        ((MEDIAN_RANGE,), r"range|IQR|范围|四分位距|extrêmes"),
        ((OF_TOTAL,), r"of|sur|parmi"),
        ((AMONG,), ","),
        ((MEAN_STATED,), r"mean|average"),
        ((BARE_COUNT,), r"had|showed|developed|was|were|demonstrated|presented|remained"),
    )
    for pattern in patterns
}


def scan(pattern: re.Pattern[str], text: str) -> Iterator[re.Match[str]]:
    """`pattern.finditer(text)`, skipping at once a text that lacks what every match holds."""
    required = REQUIRED.get(pattern)
    if required is not None and not required.search(text):
        return iter(())
    return pattern.finditer(text)


class CountShape(NamedTuple):
    """Where a count pattern keeps its figures: group numbers (0: not stated), and whether its
    total names a group that later bare counts of the sentence may share."""

    pattern: re.Pattern[str]
    numerator: int
    denominator: int
    percents: tuple[int, ...]
    shares_total: bool


# Most specific first: a stretch read by one shape is not read again by the next.
COUNT_SHAPES = (
    CountShape(PERCENT_FRACTION, 2, 3, (1,), False),
    CountShape(FRACTION, 1, 2, (3, 4), False),
    CountShape(OF_TOTAL_PERCENT, 1, 2, (3,), True),
    CountShape(COUNT_PERCENT, 1, 0, (2,), False),
    CountShape(OF_TOTAL, 1, 2, (), True),
    CountShape(AMONG, 2, 1, (), True),
)
TWO_BY_TWO = re.compile(
    r"\b(TP|FP|FN|TN|true positives?|false positives?|false negatives?|true negatives?)"
    r"\s*[=:(]?\s*(\d+)",
    re.I,
)


def to_float(text: str) -> float:
    """`14.3`, `14,3` and `. 01` (a P value with a stray space) as floats."""
    return float(re.sub(r"\s+", "", text).replace(",", ".").replace("·", "."))


def to_count(text: str) -> int | None:
    text = text.strip().lower()
    if text.isdigit():  # "²" is a digit to isdigit, not to int; a count has few digits
        return int(text) if text.isascii() and len(text) <= 9 else None
    if text in WORDS:
        return WORDS[text]
    tens, _, unit = text.partition("-")
    if tens in TENS and (not unit or unit in WORDS):
        return TENS[tens] + (WORDS[unit] if unit else 0)
    if text in CHINESE_DIGITS:
        return CHINESE_DIGITS[text]
    return None


def proper_count(numerator: str, denominator: str | None) -> bool:
    """A count of a group: at most the group, which is not empty (and not absurdly long)."""
    if denominator is None:
        return True
    part, whole = to_count(numerator), to_count(denominator)
    return part is not None and whole is not None and part <= whole != 0


def decimals(text: str) -> int:
    parts = re.split(r"[.,·]", text.strip(), maxsplit=1)
    return len(parts[1]) if len(parts) == 2 else 0


def percent_matches(numerator: int, denominator: int, percent: float, places: int) -> bool:
    """Whether numerator/denominator rounds to the stated percent at its stated precision."""
    if denominator <= 0:
        return False
    exact = 100.0 * numerator / denominator
    return abs(exact - percent) <= 0.5 * 10.0**-places + 1e-9


def infer_denominator(
    before: str, numerator: int, stated: tuple[float, int], participants: int | None
) -> int | None:
    """The nearest earlier number of the sentence, or the study size, that gives the stated
    percent (value, decimal places) for `numerator`."""
    percent, places = stated
    numbers = reversed(re.findall(r"(?<![\d.,])\d{1,9}(?![\d.,%])", before))
    candidates = [c for n in numbers if (c := to_count(n)) is not None]
    if participants:
        candidates.append(participants)
    for candidate in candidates:
        if candidate >= numerator and percent_matches(numerator, candidate, percent, places):
            return candidate
    return None


def count_mismatch(
    numerator: int | None, denominator: int | None, percent_text: str | None
) -> list[str]:
    """A note when the stated percent is not numerator/denominator at its precision."""
    if numerator is None or not denominator or not percent_text:
        return []
    if percent_matches(numerator, denominator, to_float(percent_text), decimals(percent_text)):
        return []
    return [
        f"{numerator}/{denominator} is {100 * numerator / denominator:.2f}%, "
        f"not the stated {percent_text}%: check the source"
    ]


def estimate_numbers(
    match: re.Match[str], p_match: re.Match[str] | None
) -> dict[str, float | int | str | None]:
    """Percent and 95% CI from groups 1-3 of an estimate pattern, with its P value if any."""
    numbers: dict[str, float | int | str | None] = {
        "percent": to_float(match.group(1)),
        "ci_low": maybe_float(match.group(2)),
        "ci_high": maybe_float(match.group(3)),
    }
    if p_match:
        numbers.update(p_numbers(p_match))
    return numbers


def wilson_interval(
    successes: int, total: int, z: float = 1.959963984540054
) -> tuple[float, float]:
    """Wilson score 95% interval for a proportion, in percent."""
    if total <= 0:
        raise ValueError("total must be positive")
    p = successes / total
    denominator = 1 + z * z / total
    centre = (p + z * z / (2 * total)) / denominator
    half = z * math.sqrt(p * (1 - p) / total + z * z / (4 * total * total)) / denominator
    return 100 * (centre - half), 100 * (centre + half)


def range_notes(number: int, finding: Finding) -> list[str]:
    """CI must contain the estimate; P must lie in [0, 1]; a percent in [0, 100]."""
    notes = []
    for name, estimate, low, high in (
        ("estimate", finding.percent, finding.ci_low, finding.ci_high),
        (
            "comparator",
            *(
                (finding.comparator.value, finding.comparator.ci_low, finding.comparator.ci_high)
                if finding.comparator
                else (None, None, None)
            ),
        ),
    ):
        if (
            estimate is not None
            and low is not None
            and high is not None
            and not (low <= estimate <= high)
        ):
            notes.append(f"the 95% CI {low}-{high} does not contain the {name} {estimate}")
    if finding.p_value is not None and not 0 <= finding.p_value <= 1:
        notes.append(f"P = {finding.p_value} is outside [0, 1]")
    if finding.percent is not None and not 0 <= finding.percent <= 100:
        notes.append(f"{finding.percent}% is outside 0-100")
    return [f"finding {number} ({finding.label}): {n}" for n in notes]


def p_numbers(match: re.Match[str]) -> dict[str, float | int | str | None]:
    operator = {"≤": "<=", "≥": ">="}.get(match.group(1), match.group(1))
    return {"p_value": to_float(match.group(2)), "p_operator": operator}


UNIT_NAMES = {
    "month": "months",
    "mois": "months",
    "个月": "months",
    "月": "months",
    "year": "years",
    "ans": "years",
    "年": "years",
    "岁": "years",
    "week": "weeks",
    "semaines": "weeks",
    "周": "weeks",
    "day": "days",
    "jours": "days",
    "天": "days",
    "hour": "hours",
}


def unit_name(text: str | None) -> str | None:
    """One spelling per unit: `个月`, `mois` and `month` are all `months`."""
    if not text:
        return None
    return UNIT_NAMES.get(text.lower(), text)


def as_float(value: object) -> float | None:
    return float(value) if isinstance(value, (int, float)) else None


def maybe_float(text: str | None) -> float | None:
    return to_float(text) if text else None


def number_text(value: float) -> str:
    return f"{value:g}"


def two_by_two(text: str) -> list[tuple[str, float, str]]:
    """Sensitivity and specificity recomputed from TP/FP/FN/TN counts stated in `text`:
    (metric, percent, message with the Wilson interval), for checking the stated figures."""
    cells: dict[str, int] = {}
    for match in TWO_BY_TWO.finditer(text):
        words = match.group(1).lower().split()
        key = (
            match.group(1).upper() if len(words) == 1 else words[0][0].upper() + words[1][0].upper()
        )
        cells[key] = to_count(match.group(2)) or 0
    if {"TP", "FP", "FN", "TN"} - cells.keys():
        return []
    results = []
    for metric, hits, total in (
        ("sensitivity", cells["TP"], cells["TP"] + cells["FN"]),
        ("specificity", cells["TN"], cells["TN"] + cells["FP"]),
    ):
        if total == 0:
            continue
        low, high = wilson_interval(hits, total)
        computed = 100 * hits / total
        results.append(
            (
                metric,
                computed,
                f"2x2 counts give {metric} {hits}/{total} = "
                f"{computed:.1f}% (Wilson 95% CI {low:.1f}-{high:.1f})",
            )
        )
    return results
