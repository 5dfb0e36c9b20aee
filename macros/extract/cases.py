"""Patient-level rows of case reports and case series, with CARE-checklist field names.

A case starts at an explicit marker (`Case 3 –`, `Patient A`) or at a demographic anchor (`A
21-year-old female patient`, `Un garçon âgé de sept ans`, `28岁男性`) that no marker already
covers, and ends at the next case or at the discussion. Fields are read from the case's sentences;
text fields keep the source's wording (words re-joined across line breaks) so a reviewer can find
them, and a field the case does not state stays empty.

What is not the case's prose is left out before any field is read:
- a saved web page's figure widget and the caption around it (`Figure View large Download
  slide <caption>`, `Figure Vue largeTélécharger la lame <caption>`; the caption's first copy
  when the widget is glued to it), up to the paragraph's end or a heading glued to it;
- a PDF's page furniture cut into a sentence (a running header or footer with its page number,
  a line of page digits; the sentence is joined again across it) and a table's cells, one per
  line after its `Table N` caption, or glued into one run (`flattened_table`);
- figure and table call-outs (`(Fig. 2b)`), reference marks (`[4, 6]`, `[,,]`, superscripts, a
  reference number glued to a word: `sacroiliitis12.`); a number glued to the word before it by a
  lost space is separated (`that1 year ago` -> `that 1 year ago`); entities a translator spaced
  out (`& lt;`) are read as their characters.

Sentences are cut into statements at their clause boundaries (`, and`, `;`, `et`): a clause
that holds a field's cue starts a statement, unless the clause before is of the same field (`ESR
and CRP were normal`); a clause without a cue leans on the statement before it when it has a verb
(`, and HLA-B27 was positive`), on the one after it when it has none (`after 3 years, a
sacroiliac MRI revealed regression`). Each statement fills one text field only, the first of
follow-up, treatment, outcome, imaging, labs whose cue it holds: a follow-up statement is dated
after the episode whatever else it names (`She remained in remission on adalimumab at 15 months of
follow-up`); one naming what was given is the treatment, the row's only place for it, even when
it says how the patient responded (`Her complaints alleviated with NSAID therapy after 2 weeks`);
then outcome, imaging, labs. So a sentence of two statements (`Her pain resolved within 4 weeks,
and a follow-up MRI at 6 months was normal`) fills two fields with one part each, and no text is
in two fields.

A clause that states a measure whose number the source lost (`ESR was de mm / h`, `normal à <
mg / L`, `Après mois de traitement`, a unit or a preposition with no number where the grammar
needs one) is left out of the row, no field and no fact read from it, and becomes a
`W-CASE-VALUE-LOST` note naming the field it would have filled; the sentence's other clauses are
kept (`L'antigène HLA-B27 était positif` before `et la CRP était de mg / L`). A clause whose lost
number was a dose (`Elle a reçu g de méthylprednisolone`) still states the treatment: it stays in
`treatment`, and the note names the `dose`.
"""

from __future__ import annotations

import functools
import re
import sys
from collections.abc import Iterator
from dataclasses import dataclass, field

from ..cards.model import Case, Location
from ..cards.taxonomy import Matcher
from ..core.needles import Gate, Gated
from ..core.problems import Problem
from ..core.text import HAN, has_han, squash
from .bibliographic import running_line
from .quantities import to_count
from .reading import CAPTION, Reading, sentence_spans
from .sections import flattened_table

# `Case`, `CASE`, `Cas`, `Patient`, `PATIENT`, `病例`, `患者`: at the start, after white space or a
# full stop, or glued to a lower-case word (web text glues headings). The markers, the case
# anchors and heading below are looked for from their first character, the place before it asked
# behind it (`[Ll](?<=\b[Ll])es` is `\b[Ll]es`): a pattern that begins with an assertion is tried
# at every character of the text.
_MARKER = re.compile(
    r"[CP病患](?<=(?:^|(?<=[\s.])|(?<=[a-zà-ÿ])(?=CASE|PATIENT|Case|Patient))[CP病患])"
    r"(?:(?<=C)(?:ase|ASE|as)|(?<=P)(?:atient|ATIENT)|(?<=病)例|(?<=患)者)"
    r"\s*(\d{1,2}|[A-H])\s*[–—:.-]?\s+"
    f"(?=[A-Z\u00c0-\u00dd0-9{HAN}])"
)
_ANCHORS = [
    re.compile(
        r"[AOTaot](?<=\b[AOTaot])(?:(?<=[Aa])n?|(?<=[Tt])his|(?<=[Tt])he|(?<=[Oo])ur)\s+"
        r"(?:(\d{1,3})[- ](?:year|yr)s?[- ]old|"
        r"(?:middle-aged|elderly|young|adolescent|teenage))\s+(?:[a-z]+\s+)??"
        r"(female|male|woman|man|boy|girl|lady|patient)\b"
    ),
    re.compile(
        r"[LUlu](?<=\b[LUlu])(?:(?<=[Uu])ne?|(?<=[Ll])e|(?<=[Ll])a)\s+(garçon|fille|homme|femme)\b"
        r"(?:,?\s+(?:âgée?\s+)?de\s+(\w+)\s+ans\b)?"
    ),
    # A plural ("les femmes") is a patient only with an age: machine translation of "a woman aged".
    re.compile(r"[Ll](?<=\b[Ll])es\s+(garçon|fille|homme|femme)s\s+âgée?s\s+de\s+(\w+)\s+ans?\b"),
    re.compile(r"(\d{1,3})\s*岁\s*的?\s*(男|女)"),
]
# A heading may be glued to the caption before it by web scraping ("…supérieurDiscussion CRMO").
_END = re.compile(  # `DISCUSSION|Discussion|CONCLUSIONS?|Conclusions?`, after a boundary or glued
    r"D(?<=(?:\b|(?<=[a-zà-ÿ]))D)(?:ISCUSSION|iscussion)\b|"
    r"C(?<=(?:\b|(?<=[a-zà-ÿ]))C)(?:ONCLUSIONS?|onclusions?)\b|讨论|结论"
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
    r"(?:(?:a\s+)?(?:daily\s+)?dose\s+of\s+)?(?<![\d.,])\d+(?:[.,]\d+)?\s*mg"
    r"(?!\s*/\s*(?:d?[lL]|dl|ml|mL)\b)(?:/kg)?"  # `12 mg/L` is a concentration, not a dose
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
_IMAGING = Gated(
    re.compile(
        r"\bMRI\b|magnetic resonance|\bIRM\b|\bCT\b|radiograph|X-ray|scintigra|磁共振|Radiographie",
        re.I,
    )
)
_FINDING_VERB = Gated(re.compile(r"reveal|show|detect|demonstrat|révél|montr|objectiv|显示", re.I))
_FOLLOW_UP = Gated(
    re.compile(
        r"\bfollow(?:ed)?[- ]up\b|\bcontrol\b|\b(?:after|at) \d+ (?:years?|months?)\b|\blater\b|"
        r"\bregression\b|\bsuivi\b|\bcontrôle\b|plus tard|随访|复查",
        re.I,
    )
)
# A follow-up stated without imaging ("no recurrence during 1 year of follow-up").
_CLINICAL_FOLLOW_UP = Gated(
    re.compile(r"\bfollow(?:ed)?[- ]up\b|\bsuivi\b|\brevue? (?:à|après)\b|随访", re.I)
)
# Stopping the suspected drug is a treatment, though the clause names the drug.
# "2 months after stopping isotretinoin" dates the onset: it is no withdrawal.
_WITHDRAWAL = Gated(
    re.compile(
        r"(?<!after )\b(?:withdrawn|withdrawal|discontinued|discontinuation|stopped|ceased|"
        r"ended)\b|\barrêt|停药",
        re.I,
    )
)
_TREATMENT = Gated(
    re.compile(
        r"treated with|treatment with|treatment (?:was )?(?:started|commenced)|received|was given|"
        r"\bNSAIDs?\b|anti-inflammatory|naproxen|ibuprofen|indomethacin|diclofenac|celecoxib|"
        r"etoricoxib|meloxicam|predniso(?:lo)?ne|\b\w*steroid|sulfasalazine|methotrexate|"
        r"bisphosphonate|\b\w+dronate|antibiotic|physical therapy|physiotherapy|\bcalcitonin|"
        r"traitée? (?:avec|à|par)|a reçu|traitement par|\bAINS\b|anti-inflammatoire|"
        r"méthylprednisolone|prednisone|antibiotique|biphosphonate|bisphosphonate|kinésithérapie|"
        r"治疗|非甾体抗炎药|激素|双膦酸盐",
        re.I,
    )
)
_STARTED = Gated(
    re.compile(
        r"\b(?:was|were) (?:started|given|introduced|added|commenced)|switched to|escalat|"
        r"a été (?:débuté|instauré|introduit|ajouté)e?|改用|加用",
        re.I,
    )
)
_OUTCOME = Gated(
    re.compile(
        r"resolved|alleviated|improved|free of (?:symptoms|pain)|symptom free|lessened|"
        r"unsuccessful|recovered|remission|did not recur|réponse|aucune douleur|amélior|disparu|"
        r"disparition|partielle|缓解|好转",
        re.I,
    )
)
_LABS = Gated(
    re.compile(
        r"\bESR\b|\bCRP\b|s[ée]dimentation|C-reactive|protéine C|\bVS\b|红细胞沉降率|C反应蛋白",
        re.I,
    )
)
_CLAUSE = re.compile(r",\s+(?:and\s+|et\s+)?|;\s*|\s+(?:and|et)\s+(?!\w+,)|[，；]")

# -- what is not the case's prose ----------------------------------------------------------------
# A saved web page's figure widget (English, French, and the translations machines make of it).
_WIDGET = re.compile(
    r"(?:(?:View|Vue|vue|Voir|voir)\s*(?:large|grand|en grand)|Open in (?:a )?new tab|"
    r"Ouvrir dans un nouvel onglet|Open in figure viewer|Download\s*slide|Full size image|"
    r"Image en taille réelle|Télécharger (?:la |une )?(?:diapositive|diapo|lame)|"
    r"Largeur de téléchargement)"
)
_WIDGET_LABEL = re.compile(
    r"(?:Figure|FIGURE|Fig\.?|Table|TABLE|Tableau)\s*(?:\d+[A-Za-z]?\.?)?\s*$"
)
_GLUED_HEADING = re.compile(
    r"(?<=[a-zà-ÿ.])(?=(?:PATIENT|Patient|CASE|Case|Cas|DISCUSSION|Discussion|CONCLUSIONS?|"
    r"Conclusions?)\b)"
)
_CALL_OUT = re.compile(
    r"\s*[(\[](?:see\s+|voir\s+)?(?:Figs?\.?|FIGS?\.?|Figures?|FIGURES?|Tables?|TABLES?|Tableaux?)"
    r"\s*\d+[A-Za-z]?(?:\s*(?:[,–-]|and|et)\s*(?:\d+)?[A-Za-z]?)*\s*[)\]]"
)
_REFERENCE = re.compile(r"\s*\[\s*(?:\d+\s*(?:[-–,]\s*)?)*\]|[⁰¹²³⁴⁵⁶⁷⁸⁹]+")
_TIME_OR_UNIT = (
    r"(?:years?|months?|weeks?|days?|hours?|h|ans?|mois|semaines?|jours?|mg|g|ml|mL|mm|cm|kg|%)"
)
_LOST_SPACE = re.compile(rf"\b([a-zà-ÿ]{{3,}})(\d{{1,3}})(?=\s+{_TIME_OR_UNIT}\b)")
_GLUED_MARK = re.compile(r"\b([a-zà-ÿ]{3,})\d{1,3}(?:[,–-]\d{1,3})*(?=[\s.,;:)]|$)")
_SPACED_ENTITY = re.compile(r"&\s*(lt|gt|amp)\s*\.?\s*;", re.I)
_ENTITIES = {"lt": "<", "gt": ">", "amp": "&"}
_PAGE_NUMBER = re.compile(r"^\s*\d{1,5}(?:\s+\d{1,5})*\s*$")
_PAGE_NUMBERED = re.compile(r"^\s*\d{1,5}\s+(?=\S)|(?<=\S)\s+\d{1,5}\s*$")
_BLANK_LINE = re.compile(r"\n[ \t]*\n")
_SHORT_CELL = 40  # characters: a table cell on a line of its own
_SENTENCE_GLUE = re.compile(r"[^.!?:;。！？]\s*$")
# A unit's `L.` (`mg / L. L'IRM`) or a one-letter name's (`vitamine D. Une`) ends a sentence,
# though the shared splitter reads a capital and a full stop as an initial; so does a word's full
# stop before a lower-case word, a sentence a translator began in lower case (`. la patiente`),
# and a word before a sentence's first word whose full stop was lost (`une décharge Les symptômes`).
_UNIT_END = re.compile(
    r"(?:/\s?[A-Za-z]{1,3}|(?<=[a-zà-ÿ]\s)[A-Z])\.(?=\s+[\"'(]?[A-ZÀ-Ý](?:[a-zà-ÿ]|['’]))|"
    r"(?<=[a-zà-ÿ]{3})\.(?=\s+[a-zà-ÿ])|"
    r"(?<=[a-zà-ÿ]{3})(?=\s+(?:Les|La|Le|Il|Elle|Ils|Elles|Une?|The|She|He|His|Her|They|Their)\s)"
)

# -- a measure whose number is missing --------------------------------------------------------
_UNIT = (
    r"(?:mm\s*/\s*h(?:our|eure)?|[mµμnp]?mol\s*/\s*[dm]?L|"
    r"[mµμnp]?g\s*/\s*(?:[dmµμ]?[lL]|kg(?:\s*/\s*(?:day|jour|j|d))?|day|jour|j|d|m2|m²)|"
    r"(?:[mk]?U|UI|IU)\s*/\s*[dm]?L|mcg|[mµμ]?g|[mµμ]?[lL](?=\s)|%|‰|°\s?C|cm|mm|kg)"
)
# Words after which a measure needs its number (`was de mm / h`, `reçu g de`, `à < mg / L`).
_NEEDS_NUMBER = (
    r"(?:of|at|to|was|were|is|are|be|been|by|than|about|approximately|around|nearly|reached|"
    r"received|given|dose|de|à|était|étaient|est|sont|environ|reçu|atteint|"
    r"[<>≤≥=~±])"
)
_VALUE_LOST = re.compile(
    rf"(?:^|(?<=\s)){_NEEDS_NUMBER}\s*(?P<unit>{_UNIT})(?![\w/])|"
    # French needs a number or a determiner before a time: `Après mois de traitement`.
    r"(?<!exprimé )(?<!exprimée )(?<!mesuré )(?<!durée )(?<!délai )"
    r"\b(?:[Aa]près|[Pp]endant|[Dd]epuis|[Dd]urant|de|en)\s+(?P<time>ans|années|mois|semaines|jours)"
    r"\b(?!\s+(?:en|suivant\w*|précédent\w*|plus tard)\b)|"
    # A time that begins a sentence, or follows a comma, without its number: `mois plus tard`.
    r"(?:^|(?<=[.;,]\s))(?P<later>(?:mois|semaines|jours|ans|années|months|weeks|days|years)\s+"
    r"(?:plus tard|après|later|after))\b|"
    r"(?<![\w-])(?P<age>-\s?(?:year|month|week|day)s?-old)|"  # `A -year-old woman`
    # A value that ends in its preposition (`sa VS est tombée à Cependant`, `CRP rose to.`).
    r"\b(?P<dangling>(?:était|est|a été|tombée?|montée?|élevée?|was|were|is|fell|rose|"
    r"increased|decreased|dropped)\s+(?:à|de|to|at|of))(?=\s*(?:$|[.;,]|[A-ZÀ-Ý][a-zà-ÿ]+\b))"
)

# -- statements ---------------------------------------------------------------------------------
_VERB = re.compile(
    r"\b(?:is|are|was|were|be|been|has|have|had|did|does|do|began|gave|took|led|underwent|got|"
    r"went|came|felt|grew|fell|rose|found|made|saw|became|shows?|showed|reveals?|remains?|"
    r"persists?|[a-z]{3,}ed|est|sont|était|étaient|fut|furent|[a-zà-ÿ]{3,}(?:ait|aient)|"
    r"(?:a|ont|avait|avaient)\s+(?:été|eu|reçu|pris|permis|subi|fait|dit|mis|souffert|atteint|vu|"
    r"[a-zà-ÿ]+é(?:e|s|es)?)|[a-zà-ÿ]{3,}(?:é|ée|és|ées))\b",
    re.I,
)
_FIELDS = ("follow_up", "treatment", "outcome", "imaging", "labs")  # the priority, first wins
_MOST = {"follow_up": 2, "treatment": 6, "outcome": 3, "imaging": 3, "labs": 2}
# A connective that leaned its clause on the sentence before: no part of the statement.
_CONNECTIVE = re.compile(
    r"^(?:however|moreover|furthermore|then|thereafter|subsequently|cependant|toutefois|puis|"
    r"ensuite|par la suite)\s*,?\s+",
    re.I,
)
_MASS = re.compile(r"[mµμ]?g\b|mcg", re.I)


@dataclass(frozen=True)
class _Segment:
    start: int
    end: int
    age: int | None
    sex: str | None


@dataclass(frozen=True)
class CaseRows:
    """The case rows of a reading, and the review notes on them (`W-CASE-VALUE-LOST`)."""

    cases: list[Case]
    notes: list[Problem] = field(default_factory=list)


def count_cases(reading: Reading) -> int:
    """How many cases the text presents (`Case 1`, `Patient 2`, `A 17-year-old girl …`), without
    reading their rows: what the design is decided from, for every seed."""
    return len(_segments(reading.text))


def read_case_rows(reading: Reading, exposures: list[Matcher]) -> CaseRows:
    """Each case's row; a statement whose measure lost its number is a note, not a value."""
    cases: list[Case] = []
    notes: list[Problem] = []
    named = _Exposures.of(exposures)
    for index, segment in enumerate(_segments(reading.text)):
        row, lost = _case(index + 1, reading, segment, named)
        cases.append(row)
        notes.extend(_lost_note(index, row.case, statement, where) for statement, where in lost)
    return CaseRows(cases, notes)


def _lost_note(index: int, number: int, clause: str, where: str | None) -> Problem:
    match = _VALUE_LOST.search(clause)
    what = squash(match.group(match.lastgroup or 0)) if match else "a measure"
    path = f"cases.{index}" + (f".{where}" if where else "")
    kept = where in ("dose", "treatment") and _lost_dose(clause)
    done = "kept as the treatment, without its dose" if kept else "left out of the row"
    return Problem.review_note(
        "W-CASE-VALUE-LOST",
        path,
        f'case {number}: "{_shortened(clause)}" has lost the number of its measure ({what}); '
        f"{done}: add the value from the original article",
    )


def _shortened(text: str, most: int = 160) -> str:
    return text if len(text) <= most else text[: most - 1].rstrip() + "…"


@functools.lru_cache(maxsize=4)  # the design counts the cases, then their rows are read
def _segments(text: str) -> tuple[_Segment, ...]:
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
    return tuple(
        _Segment(start, starts[i + 1][0] if i + 1 < len(starts) else limit, age, sex)
        for i, (start, age, sex) in enumerate(starts)
    )


def _anchor_facts(anchor: re.Match[str]) -> tuple[int | None, str | None]:
    groups = [g for g in anchor.groups() if g]
    age = next((to_count(g) for g in groups if to_count(g) is not None), None)
    words = {g.lower() for g in groups}
    sex = "F" if words & _FEMALE else "M" if words & _MALE else None
    return age, sex


# -- the case's prose ---------------------------------------------------------------------------
def case_prose(reading: Reading, start: int, end: int) -> str:
    """reading.text[start:end] without what is not the case's prose (see the module's doc)."""
    text = reading.text
    cuts = sorted(_widget_debris(reading, start, end) + _page_debris(reading, start, end))
    prose = ""
    position = start
    for cut_start, cut_end, furniture in _merged(text, cuts):
        cut_start = max(cut_start, position)
        if cut_end <= cut_start:
            continue
        prose += text[position:cut_start]
        after = len(text[cut_end:end]) - len(text[cut_end:end].lstrip())
        following = text[cut_end + after : cut_end + after + 1]
        if (
            furniture
            and _SENTENCE_GLUE.search(prose)
            and (following.islower() or following.isdigit())
        ):
            prose = prose.rstrip() + " "  # the sentence goes on after the page break
            position = cut_end + after
        else:
            prose += "\n\n"
            position = cut_end
    prose += text[position:end]
    prose = re.sub(r"[ \t]*\n\n\s*(?=\S)", "\n\n", prose)
    prose = re.sub(r"(?<=\S)[ \t]{2,}", " ", prose)
    prose = _SPACED_ENTITY.sub(lambda m: _ENTITIES[m[1].lower()], prose)
    prose = _CALL_OUT.sub("", prose)
    prose = _REFERENCE.sub("", prose)
    prose = _LOST_SPACE.sub(r"\1 \2", prose)
    return _GLUED_MARK.sub(r"\1", prose)


def _merged(text: str, cuts: list[tuple[int, int, bool]]) -> Iterator[tuple[int, int, bool]]:
    """Cuts that overlap or have only white space between them as one (page furniture only
    when all of them are)."""
    current: tuple[int, int, bool] | None = None
    for cut in cuts:
        if current and (cut[0] <= current[1] or not text[current[1] : cut[0]].strip()):
            current = (current[0], max(current[1], cut[1]), current[2] and cut[2])
            continue
        if current:
            yield current
        current = cut
    if current:
        yield current


def _widget_debris(reading: Reading, start: int, end: int) -> list[tuple[int, int, bool]]:
    """A web page's figure widgets with their captions: from the widget's `Figure` label (and the
    caption's first copy, when the widget is glued to it) to the paragraph's end, or to a heading
    glued to the caption. Paragraphs are the seed's: the reading joins a paragraph that ends
    without a full stop to the next one."""
    text = reading.text
    cuts: list[tuple[int, int, bool]] = []
    widgets = list(_WIDGET.finditer(text, start, end))
    if not widgets:
        return cuts
    breaks = _paragraph_starts(reading, start, end)
    previous = start
    for widget in widgets:
        paragraph_start = max([start, *(b for b in breaks if b <= widget.start())])
        paragraph_start = max(paragraph_start, previous)
        label = _WIDGET_LABEL.search(text, paragraph_start, widget.start())
        first = label.start() if label else widget.start()
        if first > paragraph_start and text[first - 1].isalpha():  # `…récurrenteFigure View`
            sentence_end = max(
                text.rfind(mark, paragraph_start, first) for mark in (". ", "! ", "? ")
            )
            first = paragraph_start if sentence_end < 0 else max(paragraph_start, sentence_end + 2)
        last = min([end, *(b for b in breaks if b > widget.end())])
        heading = _GLUED_HEADING.search(text, widget.end(), last)
        cuts.append((first, heading.start() if heading else last, False))
        previous = widget.end()
    return cuts


def _paragraph_starts(reading: Reading, start: int, end: int) -> list[int]:
    """Where a paragraph of the seed (after a blank line) starts in reading[start:end]."""
    seed_text = reading.seed.text
    starts: list[int] = []
    before: int | None = None
    for index in range(start, end):
        if reading.text[index].isspace():
            continue
        if before is not None and _BLANK_LINE.search(
            seed_text, reading.origin[before] + 1, reading.origin[index]
        ):
            starts.append(index)
        before = index
    return starts


def _page_debris(reading: Reading, start: int, end: int) -> list[tuple[int, int, bool]]:
    """A PDF's running headers and footers, page digits (page furniture, `True`), and the cells
    of a table set one per line after its caption, in reading[start:end]."""
    seed = reading.seed
    runs: list[list[int]] = []  # [seed line, first, last + 1] of the reading's characters
    line_first = line_end = 0  # the seed offsets of the last run's line: no look-up within it
    last_line = seed.line_of(len(seed.text))
    text, origin = reading.text, reading.origin
    for index in range(start, end):
        if text[index].isspace():
            continue
        offset = origin[index]
        if runs and line_first <= offset < line_end:
            runs[-1][2] = index + 1
            continue
        number = seed.line_of(offset)
        line_first = seed.line_start(number)
        line_end = seed.line_start(number + 1) if number < last_line else sys.maxsize
        if runs and runs[-1][0] == number:
            runs[-1][2] = index + 1
        else:
            runs.append([number, index, index + 1])
    lines = seed.lines  # split once: the property splits the whole text
    table = _table_lines(lines, {run[0] for run in runs})
    cuts: list[tuple[int, int, bool]] = []
    for number, first, stop in runs:
        if number in table:
            cuts.append((first, stop, False))
        elif _furniture(lines[number - 1]):
            cuts.append((first, stop, True))
    return cuts


def _furniture(line: str) -> bool:
    """A page number, or a running header or footer with or without its page number."""
    if _PAGE_NUMBER.match(line):
        return True
    bare = _PAGE_NUMBERED.sub("", line)
    return bare != line.strip() and bool(bare.strip()) and running_line(bare)


def _table_lines(lines: list[str], wanted: set[int]) -> set[int]:
    """The seed lines (of `wanted`) that are a table's cells: short lines that follow a `Table N`
    caption line without a blank line between."""
    cells: set[int] = set()
    for number in sorted(wanted):
        if number in cells:
            continue
        back = number - 1
        while back >= 1 and lines[back - 1].strip() and len(lines[back - 1].strip()) <= _SHORT_CELL:
            if CAPTION.match(lines[back - 1]) and lines[back - 1].lstrip().startswith("Tab"):
                break
            back -= 1
        caption = lines[back - 1] if back >= 1 else ""
        if not (CAPTION.match(caption) and caption.lstrip().startswith("Tab")):
            continue
        forward = back + 1
        while forward <= len(lines) and 0 < len(lines[forward - 1].strip()) <= _SHORT_CELL:
            cells.add(forward)
            forward += 1
    return cells & wanted


# -- statements and fields -------------------------------------------------------------------------
@dataclass(frozen=True)
class _Context:
    exposures: _Exposures
    drug: str | None
    first_scan: str | None


class _FieldsOf:
    """The text fields a statement's cues name, in the order of priority."""

    def __init__(self, context: _Context, cues: dict[str, _Cues] | None = None) -> None:
        self.context = context
        self.cues = {} if cues is None else cues  # by text: a case's statements are asked twice

    def after_first_scan(self, first_scan: str | None) -> _FieldsOf:
        """The same reader once the case's first scan is known, its cues shared."""
        context = self.context
        return _FieldsOf(_Context(context.exposures, context.drug, first_scan), self.cues)

    def __call__(self, text: str) -> list[str]:
        context = self.context
        cue = self.cues.get(text)
        if cue is None:
            cue = self.cues[text] = _Cues.of(text, context.exposures)
        fields = {
            "follow_up": text != context.first_scan and cue.follow_up,
            "treatment": cue.treatment
            and (cue.withdrawal or not (context.drug and context.drug in cue.named)),
            "outcome": cue.outcome,
            "imaging": cue.scan and cue.finding and (text == context.first_scan or not cue.later),
            "labs": cue.labs,
        }
        return [name for name in _FIELDS if fields[name]]


@dataclass(frozen=True)
class _Cues:
    """What a statement's words say, whatever the case around it."""

    scan: bool
    later: bool
    named: set[str]
    follow_up: bool  # stated as such, or a later scan
    treatment: bool  # a treatment's cue, an exposure named or a withdrawal
    withdrawal: bool
    outcome: bool
    finding: bool
    labs: bool

    @classmethod
    def of(cls, text: str, exposures: _Exposures) -> _Cues:
        scan = bool(_IMAGING.search(text))
        later = bool(_FOLLOW_UP.search(text))
        named = exposures.names(text)
        withdrawal = bool(_WITHDRAWAL.search(text))
        outcome = _OUTCOME.search(text)  # `developed pain that improved with activity` is onset
        return cls(
            scan=scan,
            later=later,
            named=named,
            follow_up=bool(_CLINICAL_FOLLOW_UP.search(text) or (scan and later)),
            treatment=bool(_TREATMENT.search(text) or named or withdrawal),
            withdrawal=withdrawal,
            outcome=outcome is not None and not _SYMPTOM_CUE.search(text, 0, outcome.start()),
            finding=bool(_FINDING_VERB.search(text)),
            labs=bool(_LABS.search(text)),
        )


@dataclass(frozen=True)
class _Sentence:
    """A sentence's statements (their text), and its clauses whose measure lost its number."""

    text: str
    statements: list[str]
    lost: list[str]


def _sentences(prose: str) -> list[str]:
    """The prose's sentences, also where the shared splitter sees an initial or an abbreviation
    but a translated or scraped text ended a sentence (see `_UNIT_END`)."""
    found: list[str] = []
    for span in sentence_spans(prose):
        position = 0
        for end in _UNIT_END.finditer(span.text):
            found.append(span.text[position : end.end()])
            position = end.end()
        found.append(span.text[position:])
    return [squash(s) for s in found if s.strip()]


def _split(sentence: str, fields_of: _FieldsOf, lost_value: dict[str, bool]) -> _Sentence:
    """A sentence cut into statements at its clause boundaries (`, and`, `;`, `et`). A clause
    whose measure lost its number is left out. A clause without a field's cue leans on the
    statement before it when it has a verb (`, and HLA-B27 was positive`), on the one after it
    when it has none (`after 3 years, a sacroiliac MRI revealed regression`); clauses of the same
    field in a row are one statement (`ESR and CRP were normal`). `lost_value`: whether each
    clause of the case lost its measure's number (`_VALUE_LOST`, asked once a clause)."""
    pieces: list[tuple[int, int]] = []
    position = 0
    for boundary in _CLAUSE.finditer(sentence):
        pieces.append((position, boundary.start()))
        position = boundary.end()
    pieces.append((position, len(sentence)))
    pieces = [(a, b) for a, b in pieces if _tidy(sentence[a:b])]
    missing = [lost_value[sentence[a:b]] for a, b in pieces]
    lost = [_tidy(sentence[a:b]) for (a, b), gone in zip(pieces, missing, strict=True) if gone]
    groups: list[tuple[list[int], str | None]] = []  # piece indices, and their field
    waiting: list[int] = []  # clauses without a verb or a cue, for the next statement
    for index, (first, last) in enumerate(pieces):
        text = sentence[first:last]
        if missing[index]:
            continue
        named = fields_of(text)
        if not named:
            if groups and (_VERB.search(text) or has_han(text)) and not waiting:
                groups[-1][0].append(index)
            else:
                waiting.append(index)
            continue
        if groups and groups[-1][1] == named[0] and not waiting:
            groups[-1][0].append(index)
        else:
            groups.append(([*waiting, index], named[0]))
        waiting = []
    if waiting:
        if groups:
            groups[-1][0].extend(waiting)
        else:
            groups.append((waiting, None))
    return _Sentence(sentence, [_piece_text(sentence, pieces, g) for g, _ in groups], lost)


def _piece_text(sentence: str, pieces: list[tuple[int, int]], indices: list[int]) -> str:
    """The clauses' words as the sentence has them; clauses apart joined by an ellipsis."""
    runs: list[list[int]] = []
    for index in sorted(indices):
        if runs and runs[-1][-1] == index - 1:
            runs[-1].append(index)
        else:
            runs.append([index])
    text = " … ".join(_tidy(sentence[pieces[run[0]][0] : pieces[run[-1]][1]]) for run in runs)
    return _CONNECTIVE.sub("", text)


def _case(
    number: int, reading: Reading, segment: _Segment, exposures: _Exposures
) -> tuple[Case, list[tuple[str, str | None]]]:
    prose = case_prose(reading, segment.start, segment.end)
    sentences = _sentences(prose)
    clauses = [c for s in sentences for c in _CLAUSE.split(s) if c.strip()]
    lost_value = {c: bool(_VALUE_LOST.search(c)) for c in clauses}  # a clause is a piece below
    drug = _suspected_drug(exposures, [c for c in clauses if not lost_value[c]])
    fields_of = _FieldsOf(_Context(exposures, drug, None))
    split = [_split(s, fields_of, lost_value) for s in sentences if not flattened_table(s)]
    kept = [t for s in split for t in s.statements]
    first_scan = next((t for t in kept if _IMAGING.search(t) and _FINDING_VERB.search(t)), None)
    fields_of = fields_of.after_first_scan(first_scan)
    filled: dict[str, list[str]] = {name: [] for name in _FIELDS}
    for statement in kept:
        named = fields_of(statement)
        if named:
            filled[named[0]].append(statement)
    exposed = drug or _suspected_drug(exposures, clauses)  # named, if only where a number is lost
    lost = [
        (c, _lost_field(c, s.text, fields_of, exposed, exposures)) for s in split for c in s.lost
    ]
    for clause, where in lost:
        # `Elle a reçu g de méthylprednisolone`: the dose is lost, the treatment is still stated.
        if where in ("dose", "treatment") and _lost_dose(clause):
            filled["treatment"].append(clause)
    text = " ".join(kept)
    age_match = _AGE.search(text)
    age = segment.age
    if age is None and age_match:
        age = to_count(next(g for g in age_match.groups() if g))
    hla = _HLA.search(text)
    hla_value = None
    if hla:
        word = (hla["after"] or hla["before"]).lower()
        hla_value = "positive" if word in ("positive", "positif", "阳性") else "negative"
    onset = _ONSET_TIME.search(next((t for t in kept if _ONSET_VERB.search(t)), ""))
    drug_named = drug is not None and any(drug in exposures.names(t) for t in kept)
    row = Case(
        case=number,
        age=age if _plausible_age(age, text or prose) else None,
        sex=segment.sex or _sex_from_pronouns(text),
        drug=drug if drug_named else None,
        dose=_first(_DOSE, text) if drug_named else None,
        time_to_onset=_tidy(onset.group(0)) if onset else None,
        symptoms=_symptoms(kept),
        hla_b27=hla_value,
        labs=_join(filled["labs"], _MOST["labs"]),
        imaging=_join(filled["imaging"], _MOST["imaging"]),
        treatment=_join(filled["treatment"], _MOST["treatment"]),
        outcome=_join(filled["outcome"], _MOST["outcome"]),
        follow_up=_join(filled["follow_up"], _MOST["follow_up"]),
        location=Location(line=reading.line_of(segment.start)),
    )
    return row, lost


def _lost_dose(clause: str) -> bool:
    """Whether the number a clause lost was a mass (`reçu g de`, `de mg de prednisolone`)."""
    match = _VALUE_LOST.search(clause)
    return bool(match and match["unit"] and _MASS.match(match["unit"]))


def _lost_field(
    clause: str, sentence: str, fields_of: _FieldsOf, drug: str | None, exposures: _Exposures
) -> str | None:
    """The field a clause whose number is lost would have filled: the suspected drug's `dose`,
    the `time_to_onset` of an onset sentence, else the clause's (or its sentence's) field."""
    match = _VALUE_LOST.search(clause)
    if _lost_dose(clause) and drug and drug in exposures.names(sentence):
        return "dose"
    if drug and match and (match["time"] or match["later"]) and _ONSET_VERB.search(sentence):
        return "time_to_onset"
    named = fields_of(clause) or fields_of(sentence)
    return named[0] if named else None


def _plausible_age(age: int | None, text: str) -> bool:
    """Machine translation drops numbers ("une femme âgée de un an"): an adult aged 1 is no age."""
    if age is None or not 0 <= age <= 120:
        return False
    return age >= 12 or not _ADULT.search(text[:200])


def _symptoms(statements: list[str]) -> str | None:
    for statement in statements:
        cue = _SYMPTOM_CUE.search(statement)
        if cue:
            rest = statement[cue.end() :]
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


def _suspected_drug(exposures: _Exposures, clauses: list[str]) -> str | None:
    """The first exposure named, unless it is started after another treatment (an escalation)."""
    treated, treatments = False, set()
    for clause in clauses:
        drug = exposures.first(clause)
        if drug and treated and _STARTED.search(clause):
            treatments.add(drug)
        elif drug and drug not in treatments:
            return drug
        treated = treated or bool(_TREATMENT.search(clause))
    return None


@dataclass(frozen=True)
class _Exposures:
    """The taxonomy's exposures, behind one gate for all of them: most clauses name none, and
    each exposure's own gate is a scan of the clause."""

    matchers: list[Matcher]
    gate: Gate

    @classmethod
    def of(cls, matchers: list[Matcher]) -> _Exposures:
        return cls(matchers, Gate.any_of(matcher.gated for matcher in matchers))

    def names(self, text: str) -> set[str]:
        if self.gate.excludes(text):
            return set()
        return {matcher.name for matcher in self.matchers if matcher.gated.search(text)}

    def first(self, text: str) -> str | None:
        if self.gate.excludes(text):
            return None
        hits = [(m.start(), e.name) for e in self.matchers for m in e.gated.finditer(text)]
        return min(hits)[1] if hits else None


def _first(pattern: re.Pattern[str], text: str) -> str | None:
    match = pattern.search(text)
    return _tidy(match.group(0)) if match else None


def _join(parts: list[str], most: int) -> str | None:
    kept = [_tidy(p) for p in parts[:most] if _tidy(p)]
    return " … ".join(kept) if kept else None


def _tidy(text: str) -> str:
    return squash(text).strip(" ,;")
