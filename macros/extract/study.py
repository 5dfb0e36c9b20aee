"""Study design and size, read from explicit statements in English, French or Chinese.

An explicit design phrase ("In this historical cohort study") wins; otherwise the count of cases
decides between a case report (one or two patients) and a case series (three or more). The size
is what the paper says of who was studied (`N patients were included`, `we studied N women`, a
total of groups), 1 for a single-patient case report, and no number where its statements disagree.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from ..cards.model import Design
from ..core.needles import Gated, first_letter_look
from ..core.problems import Problem
from .quantities import COUNT, SIZE, to_count, to_size
from .reading import cites_literature, sentences

_DIAGNOSTIC = Gated(
    re.compile(
        r"sensitivity|specificity|diagnostic (?:performance|accuracy)|sensibilité|spécificité|"
        r"诊断性能|诊断准确性|敏感性|特异性",
        re.I,
    )
)
_EXPLICIT: list[tuple[Design, Gated]] = [
    (
        "systematic review",
        Gated(
            re.compile(
                r"systematic review|meta-analys[ie]s|revue systématique|méta-analyse|"
                r"系统评价|荟萃分析",
                re.I,
            )
        ),
    ),
    (
        "randomized controlled trial",
        Gated(
            re.compile(
                r"randomi[sz]ed (?:controlled |clinical |double-blind )*trial|"
                r"essai (?:contrôlé )?randomisé|随机对照",
                re.I,
            )
        ),
    ),
    (
        "historical cohort",
        Gated(re.compile(r"historical cohort|cohorte historique|历史性?队列", re.I)),
    ),
    (
        "retrospective cohort",
        Gated(re.compile(r"retrospective cohort|cohorte rétrospective|回顾性队列", re.I)),
    ),
    (
        "prospective cohort",
        Gated(re.compile(r"prospective cohort|cohorte prospective|前瞻性队列", re.I)),
    ),
    (
        "cross-sectional study",
        Gated(re.compile(r"cross-sectional|étude transversale|横断面", re.I)),
    ),
]
_PROSPECTIVE = Gated(re.compile(r"\bprospective\b|前瞻性", re.I))
_RETROSPECTIVE = Gated(re.compile(r"\bretrospective\b|回顾性|rétrospective", re.I))
_CASE_SERIES = Gated(re.compile(r"case series|série de cas|病例系列", re.I))
# `We report the case of a 45-year-old woman`, `we describe a patient who`: one patient.
_SINGLE_CASE = re.compile(
    r"\bwe\s+(?:report|present|describe)\s+(?:here\s+)?(?:the\s+case\s+of\s+|a\s+case\s+of\s+)?"
    r"(?:a|an|one)\s+(?:[\w-]+\s+){0,4}?(?:case|patient|woman|man|girl|boy|child|infant)\b"
    r"(?!\s+series)",
    re.I,
)
_CASE_REPORT = re.compile(
    r"case report|we (?:report|present|describe) (?:a|an|the first|one) (?:\w+ ){0,3}case|"
    r"rapport de cas|cas clinique|病例报告|个案报道",
    re.I,
)
# On one line, and not the tail of a DOI or a decimal (`…2021.0088` above a `CASE SERIES` head).
_CASES_COUNTED = re.compile(
    rf"(?<![./])\b(?P<count>{COUNT})[ \t]+(?:cases?|cas|patients?)\b(?!\s+of the)", re.I
)

# Who a study counts: people, named by what they are and up to three words that qualify them
# (`34 adult patients with RP`, `20 healthy, male subjects`, `Thirty two adult asthmatics`), not
# by a phrase (`4 weeks of TLC, patients`).
_PEOPLE_WORDS = (
    "patients|participants|subjects|children|adults|women|men|infants|neonates|newborns|"
    "volunteers|individuals|people|persons|students|adolescents|girls|boys|mothers|fathers|"
    "parents|veterans|residents|nurses|athletes|smokers|users|drinkers|workers|employees|"
    "caregivers|carers|donors|recipients|survivors|outpatients|inpatients|kids|couples|"
    "asthmatics|diabetics|cases"
)
_PEOPLE_START = first_letter_look(_PEOPLE_WORDS.split("|"))
_PEOPLE = f"(?:{_PEOPLE_START}(?:{_PEOPLE_WORDS}))"  # one group, as it was before its look
# What a sentence holds if it states a size: a number (in digits or words) and a group of people.
_SIZE_GATE = re.compile(
    r"\d|\b(?:one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|\w+teen|twenty|"
    r"thirty|forty|fifty|sixty|seventy|eighty|ninety|hundred)\b",
    re.I,
)
_PEOPLE_GATE = Gated(re.compile(rf"\b{_PEOPLE}\b|纳入|inclus", re.I))
_QUALIFIER = r"(?!(?:of|in|with|for|and|or|to|at|on|from|who|were|was)\b)[a-z][\w-]*,?\s+"
_GROUP = rf"(?:{_QUALIFIER}){{0,3}}?{_PEOPLE}\b"
_STUDIED = (
    r"(?:included|enrolled|recruited|randomi[sz]ed|randomly\s+(?:assigned|allocated)|studied|"
    r"allocated|assigned)"
)
_SIZE = rf"(?P<count>{SIZE})"
# A part of the study: `22 were enrolled in the selenium group`, `Of these, 643 ...`
_SUBGROUP_AFTER = re.compile(  # (randomised *to* the X group or the Y group counts them all)
    r"\s+(?:\w+\s+)?(?:in\s+(?:the|each)\s+(?:[\w→-]+\s+){0,3}?(?:groups?|arms?|regimens?|"
    r"cohorts?)\b|in\s+each\b|per\s+(?:group|arm))",
    re.I,
)
_SUBGROUP_BEFORE = re.compile(
    r"(?:\bof\s+(?:these|them|whom|those)|\bwithin\s+[^,]{0,40}|\bfurther|\bpopulation|"
    r"(?<!study\s)\b(?:group|arm)\b)\W*(?:\w+\W+){0,4}$",
    re.I,
)


@dataclass(frozen=True)
class _Statement:
    """A way papers state how many took part; `tier` 1 says who was studied, 2 who was seen."""

    tier: int
    pattern: Gated  # behind its words: a paper's own text holds few statements' words


def _statement(tier: int, pattern: str, flags: int = re.I) -> _Statement:
    return _Statement(tier, Gated(re.compile(pattern, flags)))


# `N patients were included`, `we studied N women`, `retrospective review of N patients`; then
# the weaker `a total of N children`, `Among the N patients`, `a cohort of N`, `(n = 45)`.
_STATEMENTS = (
    _statement(
        1,
        rf"\b{_SIZE}\s+{_GROUP}\s+(?:\([^()]{{0,80}}\)\s+)?(?:(?:who|with)\s+[^.;]{{0,60}}?\s+)?"
        rf"(?:were|was|had been)\s+(?:\w+\s+){{0,2}}?{_STUDIED}\b",
    ),
    _statement(
        1,
        rf"\b(?:{_STUDIED}|comprised|involved|evaluated|examined|(?:trial|study)\s+(?:of|in|on|"
        rf"among)|(?:performed|conducted|carried out)\s+(?:in|on|with)|we (?:studied|followed|"
        rf"reviewed))\s+(?:a\s+total\s+of\s+)?{_SIZE}\s+{_GROUP}",
    ),
    _statement(
        1, rf"\b{_SIZE}\s+{_GROUP}\s+{_STUDIED}\s+(?:in|into)\s+(?:the|this)\s+(?:study|trial)"
    ),
    _statement(1, rf"\b{_SIZE}\s+(?:were|was)\s+(?:randomi[sz]ed|enrolled)\b"),
    _statement(
        1,
        rf"\bretrospective(?:ly)?\s+review(?:ed)?\s+(?:of\s+)?(?:the\s+)?(?:(?:medical\s+)?"
        rf"(?:records|charts|files)\s+of\s+)?(?:all\s+)?{_SIZE}\s+{_GROUP}",
    ),
    _statement(1, r"纳入[^。；;]{0,40}?(?P<count>\d+)\s*(?:名|例|位)"),
    _statement(1, rf"\b{_SIZE}\s+patients?\s+(?:ont|a)\s+été\s+inclus"),
    _statement(2, rf"\btotal\s+of\s+{_SIZE}\s+{_GROUP}"),
    _statement(2, rf"(?:^|[.:>]\s*)(?:Of|Among) the {_SIZE}\s+{_GROUP}", 0),
    _statement(2, rf"\b(?:cohort|series|sample) of {_SIZE}\s+{_GROUP}"),
    _statement(2, rf"{_PEOPLE}\s*[(（]\s*n\s*=\s*(?P<count>\d+)\s*[)）]"),  # `patients (n = 45)`
    _statement(  # `21 consecutive patients with suspected axSpA underwent MRI`
        2,
        rf"(?:^|[.:,]\s+){_SIZE}\s+{_GROUP}\s+(?:with\s+[^.;]{{0,80}}?\s+)?"
        r"(?:underwent|completed|participated|took part|received|(?:were|was|have been|had been)\s+"
        r"(?:treated|given|submitted|selected|followed))\b",
    ),
)


@dataclass(frozen=True)
class Participants:
    """How many took part, or None with a note when the source's statements disagree."""

    count: int | None
    notes: tuple[Problem, ...] = ()


def read_participants(text: str) -> Participants:
    """The number studied, from the strongest statements of the study's own text (a part of it,
    `22 were enrolled in the selenium group`, is no such statement). Statements of that strength
    that disagree (`120 were enrolled` ... `118 were included`) give a note, not a pick, unless
    one count is the others' total; a single-patient case report is 1."""
    head = _own_statements(text[:4000])
    if _SINGLE_CASE.search(head) and not _CASES_COUNTED.search(head):
        return Participants(1)  # `We report the case of a 45-year-old woman`
    own = " ".join(
        s
        for s in sentences(text)
        if _PEOPLE_GATE.search(s) and _SIZE_GATE.search(s) and not cites_literature(s)
    )
    for tier in (1, 2):
        counts = [
            count
            for statement in _STATEMENTS
            if statement.tier == tier
            for match in statement.pattern.finditer(own)
            if not _SUBGROUP_AFTER.match(own, match.end())
            and not _SUBGROUP_BEFORE.search(own, max(0, match.start() - 60), match.start())
            and (count := to_size(match["count"]))
        ]
        if counts:
            return _agreed(counts)
    return Participants(None)


def _agreed(counts: list[int]) -> Participants:
    distinct = sorted(set(counts))
    total = distinct[-1]
    if len(distinct) == 1 or sum(distinct[:-1]) == total:
        return Participants(total)
    said = ", ".join(str(c) for c in distinct)
    return Participants(
        None,
        (
            Problem.review_note(
                "W-PARTICIPANTS-DISAGREE",
                "participants",
                f"the source states different numbers of participants ({said}): set by hand",
            ),
        ),
    )


def detect_design(text: str, case_count: int) -> Design:
    text = _own_statements(text)
    for design, pattern in _EXPLICIT:
        if pattern.search(text):
            return design
    if _DIAGNOSTIC.search(text) and (_PROSPECTIVE.search(text) or _RETROSPECTIVE.search(text)):
        if _PROSPECTIVE.search(text):
            return "prospective diagnostic accuracy study"
        return "retrospective diagnostic accuracy study"
    if _CASE_SERIES.search(text) or case_count >= 3:
        return "case series"
    if _CASE_REPORT.search(text) or case_count >= 1:
        return "case report"
    return "unknown"


def _own_statements(text: str) -> str:
    """The text without sentences that cite literature: "In a systematic review [16]" is not us."""
    return " ".join(_own_sentences(text))


def _own_sentences(text: str) -> list[str]:
    return [s for s in sentences(text) if not cites_literature(s)]


def stated_case_count(text: str) -> int | None:
    """`we present nine cases`, `Deux cas`: the number of cases a report announces."""
    for match in _CASES_COUNTED.finditer(text[:4000]):
        count = to_count(match["count"])
        if count:
            return count
    if _CASE_REPORT.search(text[:4000]):
        return 1
    return None
