"""Numbers as sources write them: digits with a decimal point or comma, number words, and the
shapes figures take in results (`12/40 (30.0%)`, `89% (95% CI: 80, 94)`, `4 (range 1-12)`).

Also the arithmetic checks every finding goes through: a stated percent against its counts, a CI
against its estimate, a P value within [0, 1], and Wilson intervals for recomputed proportions.
A mismatch becomes a review note; nothing here ever changes a stated figure.
"""

from __future__ import annotations

import math
import re

from ..cards.model import Comparison, Finding
from ..core.needles import first_letter_look
from ..core.problems import Problem
from ..core.text import squash

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
# A number in words is looked at from its first letter.
_WORD_START = first_letter_look([*WORDS, *TENS])
COUNT = rf"(?:\d+|(?i:{_WORD_START}{WORD_NUMBER})\b)"
# The size of a group as papers write it: `4,548`, `One hundred and twenty-one`, `Thirty two`.
_BELOW_HUNDRED = (
    rf"(?:(?:{'|'.join(TENS)})(?:[-\s](?:{_UNITS}))?|"
    + "|".join(sorted((w for w in WORDS if w.isascii()), key=len, reverse=True))
    + ")"
)
_HUNDREDS = rf"(?:{_UNITS})\s+hundred(?:(?:\s+and)?\s+{_BELOW_HUNDRED}\b)?|{_BELOW_HUNDRED}"
_WORD_SIZE = rf"(?:{_UNITS}|ten)\s+thousand(?:,?\s+(?:and\s+)?(?:{_HUNDREDS}))?|{_HUNDREDS}"
SIZE = rf"(?:\d{{1,3}}(?:,\d{{3}})+(?![\d.,]\d)|\d+|(?i:{_WORD_START}(?:{_WORD_SIZE}))\b)"


SIGNED = rf"[-−]?{NUMBER}"  # a difference or a bound of its interval may be negative
# A coefficient may drop its leading zero (`ηp2=.28`, `r = -.45`).
COEFFICIENT = r"[-−]?(?:\d+(?:[.,·]\d+)?|[.,·]\d+)"
SEPARATOR = r"(?:[,，、;；–—~～至到-]|to|à)"  # between the bounds of an interval


_CI_NAME = r"(?:CI|C\.I\.|IC|置信区间|可信区间|confidence interval)"


def ci(prefix: str = "") -> str:
    """A bracketed CI (`(95% CI: 80, 94)`, `[95%置信区间:90、98]`, `(90% CI 1-9)`: another level
    than 95% comes with its name) with groups `{prefix}ci_low` and `{prefix}ci_high`; it may
    close before a P value (`(95% CI 5 to 26%, p = 0.004)`)."""
    return (
        rf"[\[(（]\s*(?:95\s*%\s*(?:{_CI_NAME})?\s*(?:CI)?|\d{{2}}(?:[.,]\d)?\s*%\s*{_CI_NAME})\s*"
        rf"[:：,，]?\s*(?P<{prefix}ci_low>{SIGNED})\s*%?\s*{SEPARATOR}\s*"
        rf"(?P<{prefix}ci_high>{SIGNED})\s*%?\s*(?:[\])）]|(?=[,;，；]\s*[Pp]\b))"
    )


P_TEXT = (
    r"\b[Pp](?:\s*[-‐]?\s*values?|[’']?s|\s*[-‐]?\s*(?:for\s+)?(?:trend|interaction))?\s*"
    r"(?:\(\w+\)\s*)?(?P<p_op><=|>=|=|<|>|≤|≥|:)\s*"
    r"(?P<p>0?\s*[.,·]\s*\d+|[01](?:[.,·]\d+)?)(?!\d|[.,·]\d)"
    r"|[(（]\s*(?P<bare_op>[<≤])\s*(?P<bare_p>0?[.,·]\d+)\s*[)）]"  # `(< 0.001)`: P unnamed
)
P_VALUE = re.compile(P_TEXT)
VS = r"\s*(?:vs\.?|versus|对比|contre)\s*"
ARM = r"(?:\s*(?:with|for|on|using|avec|par)\s+[\w-]+(?:\s+[\w-]+)?)?"  # "96% with sCT vs 90%"
# A figure starts where a number starts: never inside a run of digits (which would be quadratic).
LEAD = r"(?<!\d)(?<!\d[.,·])"
# A unit in Latin letters ends its word (`5 h`, not the h of `5 hospitals`).
_WORD_END = r"(?![A-Za-zÀ-ÿ])"
TIME_UNIT = (
    r"(?:(?:months?|years?|weeks?|days?|hours?|hrs?|h|minutes?|min|seconds?|sec|s|mois|ans|"
    rf"semaines|jours|heures){_WORD_END}|个月|月|年|周|天|岁|小时|分钟)"
)
UNIT = rf"(?:{TIME_UNIT}|(?:mg/kg|mg|ng/mL|mm|cm){_WORD_END})"
BOXED_PERCENT = r"[(（\[]\s*(?P<{name}>" + NUMBER + r")\s*%\s*[)）\]]"


def boxed_percent(name: str) -> str:
    """`(35.3%)`, `[29.4%]` with the percent in group `name`."""
    return BOXED_PERCENT.replace("{name}", name)


_CELLS = "TP|FP|FN|TN|true positives?|false positives?|false negatives?|true negatives?"
_CELL_START = first_letter_look(_CELLS.split("|"))
TWO_BY_TWO = re.compile(rf"\b{_CELL_START}(?P<cell>{_CELLS})\s*[=:(]?\s*(?P<count>\d+)", re.I)


_DECIMAL = str.maketrans({",": ".", "·": ".", "−": "-"})


def to_float(text: str) -> float:
    """`14.3`, `14,3`, `0·024`, `−0.55` and `. 01` (a P value with a stray space) as floats."""
    return float(re.sub(r"\s+", "", text).translate(_DECIMAL))


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


def to_size(text: str) -> int | None:
    """A group size matched by SIZE: digits with thousands separators, or words with hundreds."""
    text = squash(text.lower())
    if re.fullmatch(r"\d{1,3}(?:,\d{3})+", text):
        return int(text.replace(",", ""))
    thousands, _, rest = text.rpartition("thousand")
    if _:
        below = re.sub(r"^[,\s]*(?:and\s+)?", "", rest)
        return 1000 * (WORDS.get(thousands.strip()) or 0) + ((to_size(below) or 0) if below else 0)
    hundreds, _, rest = text.rpartition("hundred")
    total = 0
    if _:
        total = 100 * (WORDS.get(hundreds.strip()) or 0)
        text = re.sub(r"^\s*and\s+", "", rest).strip()
        if not text:
            return total or None
    count = to_count(re.sub(r"(?<=[a-z]) (?=[a-z])", "-", text))
    return None if count is None else total + count


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


def finding_note(code: str, message: str) -> Problem:
    """A note on a finding not yet numbered: the reader names its field (`findings.<i>`)."""
    return Problem.review_note(code, "findings", message)


def missed_percent(numerator: int, denominator: int, percent: float, written: str) -> str | None:
    """The percent rule, for ingest and `check` alike: a percent written with k decimals matches
    when numerator/denominator rounds to it at k decimals (`5/12` is `42%` and `41.7%`, not
    `41.6%`). When it does not, what the counts give (`5/12 is 41.67%`); else None."""
    if percent_matches(numerator, denominator, percent, decimals(written)):
        return None
    return f"{numerator}/{denominator} is {100 * numerator / denominator:.2f}%"


def count_mismatch(
    numerator: int | None, denominator: int | None, percent_text: str | None
) -> list[Problem]:
    """A note when the stated percent is not numerator/denominator at its precision."""
    if numerator is None or not denominator or not percent_text:
        return []
    missed = missed_percent(numerator, denominator, to_float(percent_text), percent_text)
    if missed is None:
        return []
    return [
        finding_note("W-ARITHMETIC", f"{missed}, not the stated {percent_text}%: check the source")
    ]


def ci_excludes(estimate: float | None, low: float | None, high: float | None) -> bool:
    """The interval rule, for ingest and `check` alike: a 95% CI contains its estimate."""
    return (
        estimate is not None
        and low is not None
        and high is not None
        and not low <= estimate <= high
    )


def p_out_of_range(p_value: float | None) -> str | None:
    """The P rule, for ingest and `check` alike: why a P value is no probability, or None."""
    if p_value is not None and not 0 <= p_value <= 1:
        return f"P = {p_value} is outside [0, 1]"
    return None


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


def range_notes(finding: Finding) -> list[Problem]:
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
        if ci_excludes(estimate, low, high):
            notes.append(f"the 95% CI {low}-{high} does not contain the {name} {estimate}")
    if out_of_range := p_out_of_range(finding.p_value):
        notes.append(out_of_range)
    if finding.percent is not None and not 0 <= finding.percent <= 100:
        notes.append(f"{finding.percent}% is outside 0-100")
    return [finding_note("W-ARITHMETIC", note) for note in notes]


def p_numbers(match: re.Match[str]) -> tuple[float, Comparison]:
    """The P value and its operator from a P_VALUE match: `P = .008`, `p’s < .05`, `(< 0.001)`."""
    operator = match["p_op"] or match["bare_op"]
    value = match["p"] or match["bare_p"]
    return to_float(value), _OPERATORS[operator]


_OPERATORS: dict[str, Comparison] = {
    "=": "=",
    ":": "=",
    "<": "<",
    ">": ">",
    "<=": "<=",
    ">=": ">=",
    "≤": "<=",
    "≥": ">=",
}


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
    "h": "hours",
    "hr": "hours",
    "hrs": "hours",
    "heures": "hours",
    "小时": "hours",
    "minute": "minutes",
    "min": "minutes",
    "分钟": "minutes",
    "second": "seconds",
    "sec": "seconds",
    "s": "seconds",
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
        words = match["cell"].lower().split()
        key = (
            match["cell"].upper() if len(words) == 1 else words[0][0].upper() + words[1][0].upper()
        )
        cells[key] = to_count(match["count"]) or 0
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
