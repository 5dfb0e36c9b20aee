"""Study design and size, read from explicit statements in English, French or Chinese.

An explicit design phrase ("In this historical cohort study") wins; otherwise the count of cases
decides between a case report (one or two patients) and a case series (three or more).
"""

from __future__ import annotations

import re

from .model import Design
from .numbers import COUNT, to_count
from .reading import cites_literature

_DIAGNOSTIC = re.compile(
    r"sensitivity|specificity|diagnostic (?:performance|accuracy)|sensibilité|spécificité|"
    r"诊断性能|诊断准确性|敏感性|特异性",
    re.I,
)
_EXPLICIT: list[tuple[Design, re.Pattern[str]]] = [
    (
        "systematic review",
        re.compile(
            r"systematic review|meta-analys[ie]s|revue systématique|méta-analyse|系统评价|荟萃分析",
            re.I,
        ),
    ),
    (
        "randomized controlled trial",
        re.compile(
            r"randomi[sz]ed (?:controlled |clinical |double-blind )*trial|"
            r"essai (?:contrôlé )?randomisé|随机对照",
            re.I,
        ),
    ),
    ("historical cohort", re.compile(r"historical cohort|cohorte historique|历史性?队列", re.I)),
    (
        "retrospective cohort",
        re.compile(r"retrospective cohort|cohorte rétrospective|回顾性队列", re.I),
    ),
    ("prospective cohort", re.compile(r"prospective cohort|cohorte prospective|前瞻性队列", re.I)),
    ("cross-sectional study", re.compile(r"cross-sectional|étude transversale|横断面", re.I)),
]
_SENTENCE = re.compile(r"(?<=[.!?。！？])\s*")
_PROSPECTIVE = re.compile(r"\bprospective\b|前瞻性", re.I)
_RETROSPECTIVE = re.compile(r"\bretrospective\b|回顾性|rétrospective", re.I)
_CASE_SERIES = re.compile(r"case series|série de cas|病例系列", re.I)
_CASE_REPORT = re.compile(
    r"case report|we (?:report|present|describe) (?:a|an|the first|one) (?:\w+ ){0,3}case|"
    r"rapport de cas|cas clinique|病例报告|个案报道",
    re.I,
)
# On one line, and not the tail of a DOI or a decimal (`…2021.0088` above a `CASE SERIES` head).
_CASES_COUNTED = re.compile(
    rf"(?<![./])\b({COUNT})[ \t]+(?:cases?|cas|patients?)\b(?!\s+of the)", re.I
)

_GROUP = r"(?:consecutive\s+)?(?:patients|participants|subjects|children|adults)"
# Most explicit first: a statement of who was included beats a subgroup ("Among the 20 patients
# who had DXA") that may come earlier in the text.
_PARTICIPANTS = [
    re.compile(
        rf"\b({COUNT})\s+{_GROUP}\s+(?:\([^()]{{0,80}}\)\s+)?(?:were|was)\s+"
        r"(?:included|enrolled|recruited|studied|assessed|evaluated)",
        re.I,
    ),
    re.compile(
        rf"\b(?:total of|among(?: the)?|included|enrolled|recruited|comprised|study of)\s+"
        rf"({COUNT})\s+{_GROUP}",
        re.I,
    ),
    re.compile(rf"(?:^|[.:>]\s*)(?:Of|Among) the ({COUNT})\s+{_GROUP}\b"),
    re.compile(
        rf"\b(?:cohort|series|sample) of ({COUNT})\s+(?:patients|participants|children)", re.I
    ),
    re.compile(r"纳入[^。；;]{0,40}?(\d+)\s*(?:名|例|位)"),
    re.compile(rf"\b({COUNT})\s+patients?\s+(?:ont|a)\s+été\s+inclus", re.I),
    # `patients (n = 45) referred ...`: the size stated beside the group
    re.compile(rf"{_GROUP}\s*[(（]\s*n\s*=\s*(\d+)\s*[)）]", re.I),
    # `21 consecutive patients with suspected axSpA underwent MRI`: who was examined
    re.compile(
        rf"(?:^|[.:,]\s+)({COUNT})\s+{_GROUP}\s+"
        r"(?:with\s+[^.;]{0,80}?\s+)?underwent\b",
    ),
]


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
    return " ".join(s for s in _SENTENCE.split(text) if not cites_literature(s))


def stated_case_count(text: str) -> int | None:
    """`we present nine cases`, `Deux cas`: the number of cases a report announces."""
    for match in _CASES_COUNTED.finditer(text[:4000]):
        count = to_count(match.group(1))
        if count:
            return count
    if _CASE_REPORT.search(text[:4000]):
        return 1
    return None


def detect_participants(text: str) -> int | None:
    for pattern in _PARTICIPANTS:
        match = pattern.search(text)
        if match:
            return to_count(match.group(1))
    return None
