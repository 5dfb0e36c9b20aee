"""Patient-level rows of case reports and case series, with CARE-checklist field names.

A case starts at an explicit marker (`Case 3 –`, `Patient A`) or at a demographic anchor (`A
21-year-old female patient`, `Un garçon âgé de sept ans`, `28岁男性`) that no marker already
covers, and ends at the next case or at the discussion. Fields are read from the case's sentences;
text fields keep the source's wording (words re-joined across line breaks) so a reviewer can find
them, and a field the case does not state stays empty.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from ..cards.model import Case, Location
from ..cards.taxonomy import Matcher
from ..core.text import HAN, squash
from .quantities import to_count
from .reading import Reading, Span

_MARKER = re.compile(
    r"(?:^|(?<=[\s.])|(?<=[a-zà-ÿ])(?=CASE|PATIENT))"  # web text glues headings to the line before
    r"(?:Case|CASE|Cas|Patient|PATIENT|病例|患者)\s*(\d{1,2}|[A-H])\s*[–—:.-]?\s+"
    f"(?=[A-Z\u00c0-\u00dd0-9{HAN}])"
)
_ANCHORS = [
    re.compile(
        r"\b(?:[Aa]n?|[Tt]his|[Tt]he|[Oo]ur)\s+(?:(\d{1,3})[- ](?:year|yr)s?[- ]old|"
        r"(?:middle-aged|elderly|young|adolescent|teenage))\s+(?:[a-z]+\s+)??"
        r"(female|male|woman|man|boy|girl|lady|patient)\b"
    ),
    re.compile(
        r"\b(?:[Uu]ne?|[Ll]e|[Ll]a)\s+(garçon|fille|homme|femme)\b"
        r"(?:,?\s+(?:âgée?\s+)?de\s+(\w+)\s+ans\b)?"
    ),
    # A plural ("les femmes") is a patient only with an age: machine translation of "a woman aged".
    re.compile(r"\b[Ll]es\s+(garçon|fille|homme|femme)s\s+âgée?s\s+de\s+(\w+)\s+ans?\b"),
    re.compile(r"(\d{1,3})\s*岁\s*的?\s*(男|女)"),
]
# A heading may be glued to the caption before it by web scraping ("…supérieurDiscussion CRMO").
_END = re.compile(
    r"(?:\b|(?<=[a-zà-ÿ]))(?:DISCUSSION|Discussion|CONCLUSIONS?|Conclusions?)\b|讨论|结论"
)
_ADULT = re.compile(r"\b(?:wom[ae]n|m[ae]n|lady|femmes?|hommes?)\b", re.I)
_FEMALE = {"female", "woman", "girl", "lady", "femme", "fille", "女"}
_MALE = {"male", "man", "boy", "homme", "garçon", "男"}
_AGE = re.compile(
    r"(\d{1,3})[- ]years?[- ]old|âgée?s?\s+de\s+([\w-]+)\s+ans\b|(\d{1,3})\s*岁|"
    r"(?:homme|femme|garçon|fille),?\s+de\s+(\d{1,3})\s+ans\b"
)
_HLA = re.compile(
    r"HLA[- ]?B\s?27[- ]?(?:[^\W\d_]+\s+){0,2}?"
    r"(?P<after>positive|negative|positif|négatif|阳性|阴性)|"
    r"(?P<before>positive|negative) for HLA[- ]?B\s?27",
    re.I,
)
_DOSE = re.compile(
    r"(?:(?:a\s+)?(?:daily\s+)?dose\s+of\s+)?(?<![\d.,])\d+(?:[.,]\d+)?\s*mg(?:/kg)?"
    r"(?:\s*/\s*(?:day|daily|d))?"
    r"(?:\s+(?:daily|per day|a day|par jour))?",
    re.I,
)
_ONSET_VERB = re.compile(
    r"\b(?:began|begun|experienced|developed|suffer(?:ed)?|started to)\b|a (?:développé|présenté)|"
    r"出现",
    re.I,
)
_ONSET_TIME = re.compile(
    r"(?:after|in)\s+(?:the\s+)?\d+(?:st|nd|rd|th)?\s+(?:months?|weeks?|years?|days?)"
    r"(?:\s+of\s+(?:\w+\s+){0,2}?(?:treatment|therapy))?|"
    r"(?<!\d)\d+\s+(?:months?|weeks?|years?|days?)\s+after\s+(?:stopping|ending|discontinu\w+|starting)"
    r"(?:\s+\w+){0,2}?(?:\s+(?:treatment|therapy))?|"
    r"(?:après|au bout de)\s+\d+\s+(?:mois|semaines?|ans?|jours?)\s+de\s+traitement|"
    r"au bout de\s+\d+\s+(?:mois|semaines?|jours?)",
    re.I,
)
_SYMPTOM_CUE = re.compile(
    r"(?:began to (?:experience|suffer from|suffer)|experienced|developed|complaining of|"
    r"complained of|presented with|suffered from|suffering from|presenting with|présentait|"
    r"referred (?:for|with)|a présenté|a développé|"
    r"souffrait d[e’']|se plaignait d[e’']|antécédents d[e’'])\s*",
    re.I,
)
_SYMPTOM_END = re.compile(r"[.;]|\s(?:which|although|that|for|associés|qui)\s")
_IMAGING = re.compile(
    r"\bMRI\b|magnetic resonance|\bIRM\b|\bCT\b|radiograph|X-ray|scintigra|磁共振|Radiographie",
    re.I,
)
_FINDING_VERB = re.compile(r"reveal|show|detect|demonstrat|révél|montr|objectiv|显示", re.I)
_FOLLOW_UP = re.compile(
    r"\bfollow(?:ed)?[- ]up\b|\bcontrol\b|\b(?:after|at) \d+ (?:years?|months?)\b|\blater\b|"
    r"\bregression\b|\bsuivi\b|\bcontrôle\b|plus tard|随访|复查",
    re.I,
)
# A follow-up stated without imaging ("no recurrence during 1 year of follow-up").
_CLINICAL_FOLLOW_UP = re.compile(
    r"\bfollow(?:ed)?[- ]up\b|\bsuivi\b|\brevue? (?:à|après)\b|随访", re.I
)
# Stopping the suspected drug is a treatment, though the clause names the drug.
# "2 months after stopping isotretinoin" dates the onset: it is no withdrawal.
_WITHDRAWAL = re.compile(
    r"(?<!after )\b(?:withdrawn|withdrawal|discontinued|discontinuation|stopped)\b|\barrêt|停药",
    re.I,
)
_TREATMENT = re.compile(
    r"treated with|treatment with|treatment (?:was )?(?:started|commenced)|received|was given|"
    r"\bNSAIDs?\b|anti-inflammatory|naproxen|ibuprofen|indomethacin|diclofenac|celecoxib|"
    r"etoricoxib|meloxicam|predniso(?:lo)?ne|\b\w*steroid|sulfasalazine|methotrexate|"
    r"bisphosphonate|\b\w+dronate|antibiotic|physical therapy|physiotherapy|\bcalcitonin|"
    r"traitée? (?:avec|à|par)|a reçu|traitement par|\bAINS\b|anti-inflammatoire|"
    r"méthylprednisolone|prednisone|antibiotique|biphosphonate|bisphosphonate|kinésithérapie|"
    r"治疗|非甾体抗炎药|激素|双膦酸盐",
    re.I,
)
_STARTED = re.compile(
    r"\b(?:was|were) (?:started|given|introduced|added|commenced)|switched to|escalat|"
    r"a été (?:débuté|instauré|introduit|ajouté)e?|改用|加用",
    re.I,
)
_OUTCOME = re.compile(
    r"resolved|alleviated|improved|free of (?:symptoms|pain)|symptom free|lessened|unsuccessful|"
    r"recovered|remission|did not recur|réponse|aucune douleur|amélior|disparu|disparition|缓解|"
    r"好转",
    re.I,
)
_LABS = re.compile(r"\bESR\b|\bCRP\b|sedimentation|C-reactive|\bVS\b|红细胞沉降率", re.I)
_CLAUSE = re.compile(r",\s+(?:and\s+|et\s+)?|;\s*|\s+(?:and|et)\s+(?!\w+,)|[，；]")


@dataclass(frozen=True)
class _Segment:
    start: int
    end: int
    age: int | None
    sex: str | None


def read_cases(reading: Reading, exposures: list[Matcher]) -> list[Case]:
    segments = _segments(reading.text)
    sentences = list(reading.sentences())
    return [
        _case(number, reading, segment, _clipped(sentences, segment), exposures)
        for number, segment in enumerate(segments, start=1)
    ]


def _clipped(sentences: list[Span], segment: _Segment) -> list[Span]:
    """The case's sentences; one that straddles a case boundary keeps only this case's part."""
    spans = []
    for sentence in sentences:
        start, end = max(sentence.start, segment.start), min(sentence.end, segment.end)
        if start < end:
            text = sentence.text[start - sentence.start : end - sentence.start]
            spans.append(Span(start, end, text))
    return spans


def _segments(text: str) -> list[_Segment]:
    end_match = _END.search(text)
    limit = end_match.start() if end_match else len(text)
    starts: list[tuple[int, int | None, str | None]] = []
    marker_positions = [m.start() for m in _MARKER.finditer(text, 0, limit)]
    for position in marker_positions:
        starts.append((position, None, None))
    for pattern in _ANCHORS:
        for anchor in pattern.finditer(text, 0, limit):
            age, sex = _anchor_facts(anchor)
            owner = [p for p in marker_positions if p <= anchor.start() < p + 300]
            covered = [i for i, s in enumerate(starts) if s[0] in owner]
            if covered:
                index = covered[-1]
                position, old_age, old_sex = starts[index]
                starts[index] = (position, old_age or age, old_sex or sex)
            elif not any(abs(s[0] - anchor.start()) < 300 for s in starts):
                starts.append((anchor.start(), age, sex))
    starts.sort()
    return [
        _Segment(start, starts[i + 1][0] if i + 1 < len(starts) else limit, age, sex)
        for i, (start, age, sex) in enumerate(starts)
    ]


def _anchor_facts(anchor: re.Match[str]) -> tuple[int | None, str | None]:
    groups = [g for g in anchor.groups() if g]
    age = next((to_count(g) for g in groups if to_count(g) is not None), None)
    words = {g.lower() for g in groups}
    sex = "F" if words & _FEMALE else "M" if words & _MALE else None
    return age, sex


def _case(
    number: int,
    reading: Reading,
    segment: _Segment,
    sentences: list[Span],
    exposures: list[Matcher],
) -> Case:
    text = reading.text[segment.start : segment.end]
    age_match = _AGE.search(text)
    age = segment.age
    if age is None and age_match:
        age = to_count(next(g for g in age_match.groups() if g))
    hla = _HLA.search(text)
    hla_value = None
    if hla:
        word = (hla["after"] or hla["before"]).lower()
        hla_value = "positive" if word in ("positive", "positif", "阳性") else "negative"
    onset_sentence = next((s.text for s in sentences if _ONSET_VERB.search(s.text)), "")
    onset = _ONSET_TIME.search(onset_sentence)
    clauses = [c for s in sentences for c in _CLAUSE.split(s.text) if c.strip()]
    drug = _suspected_drug(exposures, clauses)
    scans = [s.text for s in sentences if _IMAGING.search(s.text)]
    first = next((t for t in scans if _FINDING_VERB.search(t)), None)
    imaging = [
        t for t in scans if _FINDING_VERB.search(t) and (t == first or not _FOLLOW_UP.search(t))
    ]
    follow_up = [
        s.text
        for s in sentences
        if s.text != first
        and (_CLINICAL_FOLLOW_UP.search(s.text) or (s.text in scans and _FOLLOW_UP.search(s.text)))
    ]
    return Case(
        case=number,
        age=age if _plausible_age(age, text) else None,
        sex=segment.sex or _sex_from_pronouns(text),
        drug=drug,
        dose=_first(_DOSE, text) if drug else None,
        time_to_onset=_tidy(onset.group(0)) if onset else None,
        symptoms=_symptoms(sentences),
        hla_b27=hla_value,
        labs=_join([s.text for s in sentences if _LABS.search(s.text)], 1),
        imaging=_join(imaging, 2),
        treatment=_join(
            [
                c
                for c in clauses
                if (_TREATMENT.search(c) or _first_exposure(exposures, c) or _WITHDRAWAL.search(c))
                and (_WITHDRAWAL.search(c) or not (drug and drug in _exposure_names(exposures, c)))
            ],
            6,
        ),
        outcome=_join([c for c in clauses if _OUTCOME.search(c)], 2),
        follow_up=_join(follow_up, 2),
        location=Location(line=reading.line_of(segment.start)),
    )


def _plausible_age(age: int | None, text: str) -> bool:
    """Machine translation drops numbers ("une femme âgée de un an"): an adult aged 1 is no age."""
    if age is None or not 0 <= age <= 120:
        return False
    return age >= 12 or not _ADULT.search(text[:200])


def _symptoms(sentences: list[Span]) -> str | None:
    for sentence in sentences:
        cue = _SYMPTOM_CUE.search(sentence.text)
        if cue:
            rest = sentence.text[cue.end() :]
            stop = _SYMPTOM_END.search(rest)
            phrase = rest[: stop.start()] if stop else rest
            return _tidy(" ".join(phrase.split()[:14])) or None
    return None


def _sex_from_pronouns(text: str) -> str | None:
    female = len(re.findall(r"\b(?:she|her|elle)\b", text, re.I))
    male = len(re.findall(r"\b(?:he|his|him|il)\b", text, re.I))
    if female > male:
        return "F"
    if male > female:
        return "M"
    return None


def _suspected_drug(exposures: list[Matcher], clauses: list[str]) -> str | None:
    """The first exposure named, unless it is started after another treatment (an escalation)."""
    treated, treatments = False, set()
    for clause in clauses:
        drug = _first_exposure(exposures, clause)
        if drug and treated and _STARTED.search(clause):
            treatments.add(drug)
        elif drug and drug not in treatments:
            return drug
        treated = treated or bool(_TREATMENT.search(clause))
    return None


def _exposure_names(exposures: list[Matcher], text: str) -> set[str]:
    return {matcher.name for matcher in exposures if matcher.count(text)}


def _first_exposure(exposures: list[Matcher], text: str) -> str | None:
    hits = [(m.start(), matcher.name) for matcher in exposures for m in matcher.finditer(text)]
    return min(hits)[1] if hits else None


def _first(pattern: re.Pattern[str], text: str) -> str | None:
    match = pattern.search(text)
    return _tidy(match.group(0)) if match else None


def _join(parts: list[str], most: int) -> str | None:
    kept = [_tidy(p) for p in parts[:most] if _tidy(p)]
    return " … ".join(kept) if kept else None


def _tidy(text: str) -> str:
    return squash(text).strip(" ,;")
