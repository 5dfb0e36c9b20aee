"""Labels for findings: a noun phrase naming what a figure measures, never a clause cut at a number.

A label names what a figure measures (`sensitivity for erosion`, `persistent inflammation`,
`relapse rate in patients treated with pamidronate`) so a reader finds it in a table; the source's
own words are kept where they are English. For an English sentence the label is read from the
words after the figure when they are its predicate (`2 (14%) had persistent inflammation` ->
`persistent inflammation`; `3 (19%) progressed to axSpA` -> `progression to axSpA`), else from the
clause before it, cut after the figure before it (`… in 5 of 12 patients (42%) and sacral lesions
in 3` -> `sacral lesions`): the object of the clause's verb (`led to remission in` -> `remission`),
else its subject (`Complete remission was achieved in` -> `Complete remission`); a detecting test
that is the subject is kept (`T1-weighted MRI identified ankylosis in` -> `ankylosis on T1-weighted
MRI`), and so is a qualified group (`Patients treated with pamidronate had a lower relapse rate` ->
`relapse rate in patients treated with pamidronate`). Verbs that say only that an outcome happened
become its noun (`relapsed` -> `relapse`, `symptoms resolved` -> `resolution of symptoms`).

A French or Chinese sentence is labelled with the English names taxonomy/terms.yml gives its
metrics, subjects and tests (curated translations, `rémission` -> `remission`). Where the glossary
knows none of its words, the label is the sentence's own noun phrase in its language (`douleur
nocturne`, `骨密度降低`), never a machine translation: an English word the source does not hold
would be the machine's claim, while the source's phrase is what the quote says and an editor can
translate it on the card ("English, editable").
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from ..cards.model import Metric
from ..cards.taxonomy import Matcher, Taxonomy
from ..core.text import has_han, squash
from .languages import looks_english
from .reading import Span

_CLAUSE_END = re.compile(r"[,;:.，；：。](?!\d)|\band\b")
_NON_ENGLISH_CLAUSE_END = re.compile(r"[,;:.，；：。、]|和|\bet\b")
# A predicate that says only who or when (`7/21 (33%) patients`, `22/32 (69%) at 12 months`):
# what was counted is then named before the figure.
_THIN_PREDICATE = re.compile(
    r"^(?:(?:patients?|cases?|subjects?|children|participants)\b\s*)?"
    r"(?:(?:at|after|within|during|by|in)\s+(?:the\s+)?\d+\s+\w+\s*)?$",
    re.I,
)
_STATED_SIZE = re.compile(r"\s*\bn\s*=\s*$")  # `found in n = 14 (31.1%)`
_DEMOGRAPHIC = re.compile(r"\b(?:men|women|males?|females?|boys|girls|hommes|femmes)\b|男性|女性")
_SEX_AFTER = re.compile(
    r"\s*(?:(?:patients|participants|subjects|children)\s+)?(?:were|was|are)\s+"
    r"(?:men|women|males?|females?|boys|girls)\b",
    re.I,
)
# Where the words after a figure stop naming it: the next figure (a percent, a count, a measured
# value, a P value) or bracket (`of patients in the fluconazole group (p = 0.024)`), and the words
# that then dangle (`... symptoms versus`). A time names it (`2 months after ending medication`).
_NEXT_FIGURE = re.compile(
    r"\s*[(\[（]|\s(?=[-−+]?\d+(?:[.,·]\d+)?\s*(?:%|/|±|vs\b)|\d+[.,·]\d|[Pp]\s*[=<>≤≥])"
)
_DANGLING = re.compile(
    r"(?:\s+(?:versus|vs\.?|and|or|of|to|in|at|with|than|by|for|from|the|a|an|compared|was|were|"
    r"is|are|respectively))+$",
    re.I,
)
_COMPARISON_CUE = re.compile(r"高于|优于|低于|than|compared with|versus|对比|与|par rapport")
_PEOPLE = (
    r"(?:patients?|participants?|subjects?|children|infants|adults|women|men|individuals|people|"
    r"cases?|volunteers|persons|respondents|smokers|users|students|mothers)"
)
# Who a figure counts, before its predicate (`12 (30%) patients had`, `of them showed`).
_WHO = re.compile(
    rf"^(?:(?:of\s+)?(?:them|these|those|whom)\s+)?"
    rf"(?:(?:of\s+)?(?:(?:the|all|these|those|our)\s+)?(?:[\w-]+\s+)?{_PEOPLE}\s+)?"
    r"(?:(?:also|then|subsequently|eventually|still|later|further|only|all|both)\s+)?",
    re.I,
)
# Verbs whose object is what a figure counts (`had`, `underwent`, `were found to have`).
_OBJECT_VERB = re.compile(
    r"(?:had|has|have|showed|shows|demonstrated|exhibited|displayed|presented(?:\s+with)?|"
    r"developed|underwent|experienced|achieved|reached|attained|required|needed|received|"
    r"reported|suffered(?:\s+from)?|sustained|acquired|obtained|gained|maintained|"
    r"(?:were|was|are|is)(?:\s+(?:found|diagnosed|noted|seen|observed)\s+(?:to\s+have|with))?|"
    r"with)\s+",
    re.I,
)
_NEGATED = re.compile(
    r"(?:did not|do not|does not|could not|failed to|were not|was not)\s+(?:have|show|develop|"
    r"experience|achieve|reach|require|need|receive|report|found to have)\s+",
    re.I,
)
# Verbs that say only that an outcome happened, and the outcome's noun.
_NOMINAL = {
    "relapsed": "relapse",
    "recurred": "recurrence",
    "died": "death",
    "survived": "survival",
    "recovered": "recovery",
    "responded": "response",
    "improved": "improvement",
    "resolved": "resolution",
    "progressed": "progression",
    "healed": "healing",
    "remitted": "remission",
    "worsened": "worsening",
    "deteriorated": "deterioration",
    "completed": "completion",
    "withdrew": "withdrawal",
    "regressed": "regression",
    "disappeared": "disappearance",
    "persisted": "persistence",
    "converted": "conversion",
    "adhered": "adherence",
    "participated": "participation",
}
_GROUP_QUALIFIER = re.compile(
    r"(?:with|without|treated|receiving|given|taking|on|in|from|who|allocated|randomi[sz]ed|"
    r"assigned|undergoing|aged)\b",
    re.I,
)
_PREPOSITION = (
    r"(?:to|of|in|on|at|within|after|during|from|with|by|for|over|before|until|among|versus|vs|"
    r"compared|than)\b"
)
_TIME_AFTER = re.compile(
    r"\s*(?:at|after|within|during|by|over)\s+(?:the\s+)?(?:first\s+|\d+(?:[.,]\d+)?\s*)"
    r"(?:years?|months?|weeks?|days?|hours?|h|follow-up)\b(?:\s+of\s+[\w-]+(?:\s+\w+)?)?",
    re.I,
)
# A test or instrument that detects what it names (`sCT identified ankylosis in`).
_DETECTING = re.compile(
    r"identified|detected|showed|revealed|demonstrated|depicted|found|missed|diagnosed|confirmed",
    re.I,
)
_INSTRUMENT = re.compile(
    r"\b(?:MRI|CT|sCT|PET|SPECT|X-rays?|radiograph\w*|ultraso\w+|sonograph\w*|scans?|"
    r"scintigra\w+|imaging|biops(?:y|ies)|endoscop\w+|echocardiogra\w+|mammogra\w+|"
    r"angiogra\w+|DXA|DEXA|densitometry|histolog\w+|PCR|assays?|tests?|readers?)\b"
)
_QUALIFIED_GROUP = re.compile(
    r"^(?:(?:all|both|half|most|some|many|each|the|these|those|of|a|an|total|only|more|fewer|"
    r"less|[a-z]+ly)\s+)*"
    rf"(?P<group>(?:[\w-]+\s+){{0,2}}?{_PEOPLE}\s+(?!who\b|were\b|was\b|had\b|and\b)"
    r"(?:with|without|treated|receiving|given|taking|on|from|presenting|allocated|randomi[sz]ed|"
    r"assigned|undergoing|aged|initially|who)\b.+)$",
    re.I,
)
_ONLY_GROUP = re.compile(
    rf"^(?:(?!(?:in|among|for|with|of)\b)[\w’'-]+\s+){{0,3}}?(?:{_PEOPLE}|groups?|arms?|cohorts?|samples?|population)"
    r"(?:\s+(?:receiving|treated|given|taking|on|in|allocated|"
    r"randomi[sz]ed|assigned|studied|included|enrolled)\b.*)?$",
    re.I,
)
_NUMBER_WORD = (
    r"(?:one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|\w+teen|twenty|thirty|"
    r"forty|fifty|sixty|seventy|eighty|ninety|hundred|half|all|none)"
)
# A figure a clause states before the one labelled: a count of a total, a percent, mean ± SD, a
# stated size or P value, a bracket that opens with a number.
_FIGURE = re.compile(
    r"[-−+]?\d+(?:[.,·]\d+)?\s*(?:%|‰|percent\b|per\s+cent\b|±\s*[\d.]+|/\s*\d+|"
    r"(?:of|out\s+of)\s+(?:the\s+)?(?:\d+|these|them|those)\b)|"
    rf"\b{_NUMBER_WORD}\s+(?:percent\b|per\s+cent\b|(?:of|out\s+of)\s+(?:the\s+)?(?:\d+|"
    rf"{_NUMBER_WORD}|these|them|those)\b)|"
    r"\b[nN]\s*=\s*\d+|\b[Pp]\s*[=<>≤≥]\s*[.\d]+|"
    r"[(\[（]\s*(?:[nN]\s*=\s*)?[-−+]?\d[^()\[\]（）]*[)\]）]",
    re.I,
)
_LEADING_JUNK = re.compile(
    r"^(?:[^\w(\"“'‘]+|(?:and|or|but|while|whereas|with|of|as well as|respectively|versus|vs|"
    r"compared(?:\s+with|\s+to)?|than|the|a|an|for|in|among|on|at|to|from|by)(?:\s+|$))+",
    re.I,
)


_DIAGNOSTIC_METRICS: dict[str, Metric] = {
    "sensitivity": "sensitivity",
    "specificity": "specificity",
    "accuracy": "accuracy",
    "ppv": "ppv",
    "npv": "npv",
    "auc": "auc",
}


@dataclass(frozen=True)
class Labels:
    """Label wording for the findings of one reading."""

    taxonomy: Taxonomy
    whole: str  # the whole reading: a compared test may be named only in another paragraph

    def metric(self, text: str) -> Metric | None:
        name = first_name(self.taxonomy.metrics, text)
        return _DIAGNOSTIC_METRICS.get(name or "")

    def counted(self, before: str) -> tuple[Metric, str]:
        """The metric of counts whose clause names one (`敏感性为87.5%（21/24）`: sensitivity,
        21/24) and its label with the test read (`sensitivity for erosion (synthetic CT)`);
        else a proportion, labelled from the words around it."""
        clause = re.split(r"[,;，；。]", before)[-1]
        metric = self.metric(last_name(self.taxonomy.metrics, clause) or "")
        if metric is None:
            return "proportion", ""
        label = compose_label(metric, last_name(self.taxonomy.subjects, before), None, None)
        test = last_name(self.taxonomy.comparators, before)
        return metric, f"{label} ({test})" if test else label

    def comparator(self, sentence: str, paragraph: str, index_test: str | None) -> str | None:
        for text in (sentence, paragraph, self.whole):
            for cue in _COMPARISON_CUE.finditer(text):
                window = text[cue.end() : cue.end() + 16]
                name = first_name(self.taxonomy.comparators, window)
                if name and name != index_test:
                    return name
        return None

    def english(self, sentence: Span, start: int, end: int) -> str:
        """What an English figure measures, from the words after it when they are its predicate,
        else from the clause before it; the glossary names for other languages."""
        text = sentence.text
        if has_han(text) or not looks_english(text):
            return self._glossary(text, start, end)
        opening = _open_bracket(text, start)
        if opening is not None:  # `the majority (95.4% in part A and 81.6% in part B) were in`
            closing = _close_bracket(text, end)
            start, end = opening, len(text) if closing is None else closing + 1
        clause_end = _CLAUSE_END.search(text, end)
        after = squash(text[end : clause_end.start() if clause_end else len(text)])
        after = _DANGLING.sub("", _NEXT_FIGURE.split(after.lstrip(") ）"), maxsplit=1)[0])
        clause_start = max(text.rfind(c, 0, start) for c in ",;:") + 1
        before = _STATED_SIZE.sub("", squash(text[clause_start:start])).rstrip("( （")
        parenthesised = opening is not None
        if parenthesised:  # `22.3% (4 of 18 patients)` restates the figure before the bracket
            restated = list(_FIGURE.finditer(before))
            if restated and not before[restated[-1].end() :].strip():
                before = before[: restated[-1].start()]
        predicate, verbal = _predicate(after)
        thin = (
            not predicate
            or bool(_THIN_PREDICATE.match(predicate))
            or bool(_ONLY_DEGREE.match(_DEGREE.sub("", predicate)))
            or (not verbal and bool(re.match(_PREPOSITION, predicate, re.I)))
        )
        if not thin and (verbal or not parenthesised):
            group = _qualified_group(_after_last_figure(before))
            label = f"{predicate} in {group}" if group else predicate
        else:
            label = _noun_phrase(_after_last_figure(before))
            if label and predicate and _TIME_AFTER.match(predicate):  # `… at 12 months`
                label = f"{label} {predicate}"
        return finished(label) or UNLABELLED

    def _glossary(self, text: str, start: int, end: int) -> str:
        """Subjects of the figure's own clause (before it, else after it), else the last before."""
        clause_start = max(text.rfind(c, 0, start) for c in ",;，；、和") + 1
        after = _NON_ENGLISH_CLAUSE_END.search(text, end)
        for window in (text[clause_start:start], text[end : after.start() if after else None]):
            names = names_in_order(self.taxonomy.subjects, window)
            if names:
                return ", ".join(names)
        last = last_name(self.taxonomy.subjects, text[:start])
        return last or source_phrase(text, start, end) or UNLABELLED


# A verb between a clause's subject and its object (`The needlescopic group had ...`).
_VERB = re.compile(
    r"\b(?:was|were|is|are|had|has|have|showed|shows|reported|improved|increased|decreased|"
    r"reduced|required|differed|rose|fell|declined|achieved|produced|occurred|observed|found|"
    r"seen|noted|enhanced|lowered|raised|revealed|demonstrated|remained|became|correlated|"
    r"experienced|received|obtained|performed|rated|thought|did not|did|resulted in|led to|"
    r"associated with|related to|linked to|identified|detected|depicted|missed|diagnosed|"
    r"confirmed|appeared|emerged|developed|underwent|relapsed|recurred|died|survived|recovered|"
    r"responded|resolved|progressed|healed|remitted|worsened|deteriorated|completed|withdrew|"
    r"regressed|disappeared|persisted|converted|adhered|participated|ranged|varied|resulted)\b",
    re.I,
)
# Words that say how much or how sure, not what: stripped from the front of an outcome.
_COMPARATIVE = (
    r"higher|lower|greater|better|worse|larger|smaller|shorter|longer|faster|slower|earlier|"
    r"later|fewer|quicker|wider|stronger|weaker|deeper|lesser"
)
# An adverb says how much, unless it says in which respect (`clinically silent lesions`).
_ADVERB = (
    r"(?!(?:clinically|radiologically|radiographically|histologically|biochemically|"
    r"serologically|genetically|surgically|medically|chronically|acutely|newly)\b)[a-z]+ly"
)
_DEGREE = re.compile(
    r"^(?:(?:a|an|the|not|no|also|both|only|further|overall|all|its|their|slightly|markedly|"
    r"highly|significantly|statistically|clinically(?=\s+(?:significant|meaningful|relevant|"
    r"important))|significant|meaningful|and|more|less|most|least|best|worst|substantially|"
    r"considerably|notably|numerically|nominally|greatly|somewhat|remarkably|dramatically|"
    r"moderately|marginally|relatively|comparably|similarly|approximately|nearly|almost|"
    rf"consistently|generally|{_COMPARATIVE}|{_ADVERB})(?:\s+|$))+",
    re.I,
)
# Where an outcome's phrase ends: a group, a time or a comparison follows.
_OUTCOME_TAIL = re.compile(
    r"(?:^|\s+)(?!at\s+(?:least|most)\b)"
    r"(?:in|at|after|during|from|between|among|compared(?=\s+(?:to|with)\b)|than|when|versus|"
    r"vs\.?|following|over|across|within|relative(?=\s+to\b)|against|until|before|since|for|"
    r"with|by)(?=\s|$).*$",
    re.I | re.S,
)
# An outcome named by a word that says only how it moved: what moved follows it.
_GENERIC_HEAD = (
    r"\b(?:differences?|changes?|effects?|increases?|reductions?|decreases?|improvements?|"
    r"comparisons?|trends?)$"
)
_COMPLEMENT = re.compile(r"\s(?P<how>in|of|on|for)\s+(?P<what>(?:the\s+)?[^\W\d_][^,;()]*)", re.I)
_GROUP = re.compile(
    r"(?:the\s+)?(?:(?:two|both|treatment|study|control)\s+)?\b(?:groups?|arms?|patients|"
    r"participants|subjects|women|men|children)\b",
    re.I,
)
_ONLY_DEGREE = re.compile(
    rf"^(?:{_COMPARATIVE}|more|less|unchanged|different|similar|significant|improved|reduced|increased|"
    r"decreased|lowered|raised|high|low|good|poor|excellent|moderate|strong|weak|comparable|"
    r"stable|normal|equal|same|superior|inferior|effective|safe)$",
    re.I,
)
# A complement that says how often its subject was found: the subject is what was counted
# (`Recurrence was more frequent in`, `Vitamin D deficiency was present in`).
_FREQUENCY = re.compile(
    r"^(?:frequent|common|commoner|rare|rarer|prevalent|likely|unlikely|present|absent|found|"
    r"observed|seen|noted|detected|reported|documented|recorded|identified|evident|apparent|"
    r"visible|involved|affected|possible|impossible|achievable|feasible)$",
    re.I,
)
# A complement that says what state its subject was in: it names the outcome with it, after a
# test (`HLA-B27 positive`) or before a finding (`bilateral sacroiliitis`).
_STATE_AFTER = re.compile(r"^(?:positive|negative|normal|abnormal|elevated|raised)$", re.I)
_STATE_BEFORE = re.compile(
    r"^(?:bilateral|unilateral|symmetric(?:al)?|asymmetric(?:al)?|multifocal|unifocal|severe|"
    r"mild|persistent|transient|recurrent|active|chronic|acute)$",
    re.I,
)
# A copula's complement that ranks its subject (`The knee was the first joint involved`).
_RANKING = re.compile(
    r"^the\s+(?:first|most|main|commonest|leading|predominant|principal|major|initial|primary|"
    r"only|single|sole)\b",
    re.I,
)
_COPULA = re.compile(r"^(?:was|were|is|are)$", re.I)
_AUXILIARY = re.compile(r"did not|did|does not|do not", re.I)
# A passive's participle (`Success criteria were met at`): its subject names the outcome.
_PARTICIPLE = re.compile(
    r"[a-z]+ed|met|seen|done|given|taken|shown|known|made|kept|held|set|put|found|lost|won",
    re.I,
)


def outcome(text: str, start: int, floor: int = 0) -> str:
    """The outcome a figure is stated for, as the sentence names it before the figure (from
    `floor`, the end of the figure before it, and after any figure since): the object of the
    clause's verb (`had a significantly shorter mean operative time (p = 0.02)` -> `mean
    operative time`), else its subject (`Ashworth scores were unchanged (p > .05)` -> `Ashworth
    scores`). A noun phrase, never a clause cut at a number; empty when the sentence names none."""
    clause = re.sub(r"[(\[（][^()\[\]（）]*[)\]）]", " ", text[floor:start])
    clause = re.split(r"[(\[（]", clause)[0] if floor == 0 else clause  # the bracket it is in
    clause = re.split(r"[,;:(\[（]|(?<![<>≤≥!])=", re.sub(r"[\s(\[（,;:=]+$", "", clause))[-1]
    return finished(_noun_phrase(_after_last_figure(clause)) or _noun_phrase(clause))


def _noun_phrase(clause: str) -> str:
    """The noun phrase a clause names (see `outcome`), or an empty string."""
    clause = squash(
        re.sub(r"^[\W_]*(?:and|or|but|while|whereas|as well as)?\s+", "", f" {clause}", flags=re.I)
    )
    clause = re.sub(r"^(?:(?:with|of|for|and)\s+)+(?=(?:a|an|the)\s)", "", clause, flags=re.I)
    if re.fullmatch(r"[‘“\"'][^‘’“”\"]+[’”\"']", clause):  # a questionnaire's item, as asked
        return clause
    verbs = list(_VERB.finditer(clause))
    if not verbs:
        return _phrase(clause)
    change = _CHANGE_BY.search(clause)
    if change and meaningful(_phrase(clause[: change.start()])):  # `LDL was reduced by 7%`
        return f"{_CHANGE[change['verb'].lower()]} in {_lowered(_phrase(clause[: change.start()]))}"
    # The last verb, unless it ends the clause after another (`total work completed`).
    verb = verbs[-1]
    if len(verbs) > 1 and not clause[verb.end() :].strip():
        verb = verbs[-2]
    after = _DEGREE.sub("", clause[verb.end() :].strip())
    if _AUXILIARY.fullmatch(verb.group(0)):  # `did not affect mortality`
        after = _DEGREE.sub("", re.sub(r"^[a-z]+\s*", "", after))
    if re.match(r"that\s", after, re.I):  # `reported that at least one member smoked`
        return _noun_phrase(after[5:])
    preposition = re.match(r"(?:in|on|of|for)\s+", after, re.I)
    if preposition and not _GROUP.search(after):
        after = after[preposition.end() :]
    subject = clause[: verbs[0].start()]
    specific = preposition is not None and not re.search(_GENERIC_HEAD, _phrase(subject), re.I)
    parts = re.split(r"\s+and\s+", subject, maxsplit=1)
    if len(parts) == 2 and re.match(r"(?:in|at|for|with|among|after|during)\b", parts[0], re.I):
        subject = parts[1]
    subject = re.split(r"\s+(?:who|that|which|whose)\b", subject, maxsplit=1)[0]
    subject = re.sub(r"(?:\s+(?:[a-z]+ly|also|then|not|all|both|each))+$", "", subject.strip())
    found = _phrase(after)
    named = _phrase(subject)
    group = _qualified_group(subject) or _group_in(after)
    noun = _NOMINAL.get(verb.group(0).lower())
    if noun and (not found or _ONLY_DEGREE.match(found)):
        return _nominal(noun, subject, after)
    if _COPULA.match(verb.group(0)) and _RANKING.match(clause[verb.end() :].strip()) and named:
        return named  # `The knee was the first joint involved in`: the knee
    if named and _STATE_AFTER.match(found):
        return f"{named} {found}"
    if named and _STATE_BEFORE.match(found):
        return f"{found} {_lowered(named)}"
    passive = bool(_PARTICIPLE.fullmatch(found)) and _COPULA.match(verb.group(0))
    if found and not _ONLY_DEGREE.match(found) and not _FREQUENCY.match(found) and not passive:
        if _DETECTING.fullmatch(verb.group(0)) and _INSTRUMENT.search(subject) and named:
            return f"{found} on {named}"
        if not (specific and named and not _ONLY_GROUP.match(named)):
            return f"{found} in {group}" if group and group not in found else found
    return f"{named} in {group}" if named and group and group not in named else named


def _nominal(noun: str, subject: str, after: str) -> str:
    """`symptoms resolved within 3 months` -> `resolution of symptoms within 3 months`; a group
    that did it is no part of the outcome (`patients relapsed` -> `relapse`)."""
    what = _phrase(subject)
    group = not what or _GROUP.fullmatch(_DEGREE.sub("", what))
    label = noun if group else f"{noun} of {_lowered(what)}"
    time = _TIME_AFTER.match(after)
    return f"{label} {time.group(0).strip()}" if time else label


def _open_bracket(text: str, start: int) -> int | None:
    """Where the bracket a figure stands in opens (`majority (95.4% in part A`), if it does."""
    depth = 0
    for index in range(start - 1, -1, -1):
        if text[index] in ")]）":
            depth += 1
        elif text[index] in "([（":
            if depth == 0:
                return index
            depth -= 1
    return None


def _close_bracket(text: str, end: int) -> int | None:
    """Where the bracket a figure stands in closes, if it does."""
    depth = 0
    for index in range(end, len(text)):
        if text[index] in "([（":
            depth += 1
        elif text[index] in ")]）":
            if depth == 0:
                return index
            depth -= 1
    return None


def _predicate(after: str) -> tuple[str, bool]:
    """The words after a figure as a noun phrase, and whether they were its predicate: `had
    persistent inflammation` -> `persistent inflammation`, `progressed to axSpA` -> `progression
    to axSpA`, `patients` -> `patients` (no predicate)."""
    after = re.split(r"\s+(?:than|versus|vs\.?|compared (?:with|to))\s", after, maxsplit=1)[0]
    who = _WHO.match(after)
    words = after[who.end() :] if who else after
    if who and who.group(0).lower().startswith("of ") and _GROUP_QUALIFIER.match(words):
        return "", False  # `50% of patients with AS treated with X`: who, not what
    negated = _NEGATED.match(words)
    if negated:  # `did not have reduced plasma TAG` counts those without it
        rest = _DEGREE.sub("", words[negated.end() :]).strip()
        return (f"no {rest}" if rest else ""), True
    verb = _OBJECT_VERB.match(words)
    if verb:
        rest = _DEGREE.sub("", words[verb.end() :]).strip()
        return re.sub(r"^(?:in|on)\s+", "", rest, flags=re.I), True
    first = re.match(r"(?:(?:completely|fully|partially|spontaneously|eventually)\s+)?(\w+)", words)
    noun = _NOMINAL.get(first.group(1).lower()) if first else None
    if first and noun:
        rest = words[first.end() :].strip()
        if not rest or re.match(_PREPOSITION, rest, re.I):
            return f"{noun} {rest}".strip(), True
        return f"{noun} of {rest}", True
    if _VERB.match(words):
        return "", True
    if words != after and re.match(r"[a-z]+ed\b", words):  # `of the patients preferred HC`
        return words, True
    return after, False


def _after_last_figure(clause: str) -> str:
    """The words after the last figure of a clause (`… in 5 of 12 patients (42%) and sacral
    lesions in` -> `sacral lesions in`), without the figure's own noun and the conjunction."""
    figures = list(_FIGURE.finditer(clause))
    if not figures:
        return clause
    rest = clause[figures[-1].end() :]
    return re.sub(
        rf"^\s*(?:{_PEOPLE}\b)?[\s)\]）]*(?:,|and|or|but|while|whereas)?\s*", "", rest, flags=re.I
    )


def _qualified_group(subject: str) -> str:
    """The group a clause's subject names when it is qualified (`Half of the patients initially
    presenting with inflammatory back pain` -> `patients initially presenting with …`)."""
    match = _QUALIFIED_GROUP.match(squash(subject))
    if not match:
        return ""
    return shorten(_lowered(_DANGLING.sub("", match.group("group"))), 10)


def _lowered(words: str) -> str:
    """Words that began a sentence, inside a label (`Patients treated with` -> `patients …`);
    an acronym or a name in capitals stays (`HLA-B27`)."""
    return words[0].lower() + words[1:] if words[1:2].islower() else words


def _group_in(predicate: str) -> str:
    """A qualified group a predicate names (`more frequent in patients with vitamin D
    insufficiency`)."""
    found = re.search(
        rf"\b(?:in|among)\s+(?=(?:the\s+)?(?:[\w-]+\s+)?{_PEOPLE}\b)", predicate, re.I
    )
    return _qualified_group(predicate[found.end() :]) if found else ""


def finished(label: str) -> str:
    """A label without what a cut left at its ends: an unmatched bracket and what comes before
    it (`gm) or the patients fed WA`), a figure and what comes before it, a connective or article
    at its start, a connective, preposition or sign at its end; empty when nothing is named."""
    label = squash(label)
    depth, cut = 0, 0
    for index, character in enumerate(label):
        if character in "([（":
            depth += 1
        elif character in ")]）":
            if depth == 0:
                cut = index + 1
            depth = max(0, depth - 1)
    label = label[cut:]
    after_figure = _after_last_figure(label)
    label = after_figure if meaningful(after_figure) else label
    label = re.sub(r"[\s(\[（]+[^()\[\]（）]*$", "", label) if depth else label
    label = _LEADING_JUNK.sub("", label)
    label = _DANGLING.sub("", re.sub(r"[\s\-+=±:;,/(]+$", "", label))
    label = _LEADING_JUNK.sub("", label)
    if _ONLY_GROUP.match(label) and len(label.split()) <= 6:  # who, not what was counted
        return ""
    return shorten(label) if meaningful(label) else ""


def _phrase(text: str) -> str:
    """A noun phrase: degree words off its front, a trailing group, time or comparison off its
    end (but `difference in loss of JSW` keeps what the difference is in), at most 12 words;
    empty when it names nothing."""
    whole = _DEGREE.sub("", squash(text))
    phrase = _OUTCOME_TAIL.sub("", whole)
    if re.search(_GENERIC_HEAD, phrase, re.I):
        what = _COMPLEMENT.search(whole, len(phrase))
        if what and not _GROUP.match(what["what"]):
            phrase = f"{phrase} {what['how']} {_OUTCOME_TAIL.sub('', what['what'])}"
    phrase = re.sub(
        r"(?:\s+(?:was|were|is|are|of|to|and|or|also|only|both|either|[a-z]+ly))+$", "", phrase
    )
    return shorten(phrase, 12) if meaningful(phrase) else ""


def source_phrase(text: str, start: int, end: int) -> str:
    """The noun phrase of a French or Chinese sentence that names its figure, in its language
    (`une douleur nocturne était présente chez 12 (40 %)` -> `douleur nocturne`, `骨密度降低者8例`
    -> `骨密度降低`): the clause before the figure, else the words after it."""
    clause_start = max(text.rfind(c, 0, start) for c in ",;:，；：、。") + 1
    before = _after_last_figure(text[clause_start:start])
    rest = text[end:].lstrip(") ）,，;；:：")
    after = _NON_ENGLISH_CLAUSE_END.search(rest)
    following = _NEXT_FIGURE.split(rest[: after.start() if after else None])[0]
    phrase = _han_phrase if has_han(text) else _french_phrase
    return phrase(before, head=True) or phrase(following, head=False)


def _han_phrase(words: str, head: bool) -> str:
    words = re.sub(r"[\s\d.,%()（）:：~～-]+", "", words)
    if head:
        words = _HAN_BEFORE_TAIL.sub("", _HAN_LEAD.sub("", words))
    else:
        words = _HAN_AFTER_LEAD.sub("", words)
    return words if len(words) >= 2 and has_han(words) else ""


def _french_phrase(words: str, head: bool) -> str:
    """The object of the clause's verb, else its subject (`une ostéopénie diffuse a été
    retrouvée` -> `ostéopénie diffuse`), without who was counted (`chez 8 patients`)."""
    words = _FRENCH_WHO.sub("", squash(words.strip(" (（)）")))
    words = _FRENCH_TAIL.sub("", words)
    verbs = list(_FRENCH_VERB.finditer(words))
    if verbs:
        after = _FRENCH_TAIL.sub("", words[verbs[-1].end() :]).strip()
        subject = words[: verbs[0].start()]
        useful = meaningful(after) and not _FRENCH_ADJECTIVE.match(after)
        words = after if useful or not meaningful(subject) else subject
    words = _FRENCH_TAIL.sub("", _FRENCH_ARTICLE.sub("", squash(words)))
    if not meaningful(words) or _FRENCH_WHO.fullmatch(words):
        return ""
    return shorten(words, 8)


_HAN_LEAD = re.compile(r"^(?:其中|共有|共|有|而|且|和|与|及|患者中|在|经|)+")
_HAN_BEFORE_TAIL = re.compile(r"(?:为|是|占|有|达|约|的|中|者|共|例|名|位|人|患者)+$")
_HAN_AFTER_LEAD = re.compile(
    r"^(?:例|名|位|人|患者|的患者|者)*(?:出现|发生|达到|获得|伴有|存在|有|为|患有|表现为|显示)?"
)
_FRENCH_ARTICLE = re.compile(
    r"^(?:(?:une|un|les|le|la|des|du|de la)\s+|(?:de l|l|d)['’]\s*)+", re.I
)
# Who a French figure counts: `chez 8 patients sur`, `des patients`, `d'entre eux`.
_FRENCH_WHO = re.compile(
    r"^(?:(?:chez|parmi|dans|sur|pour)\s+)?(?:(?:d['’]entre eux|d['’]entre elles|des|les|ces)\s+)?"
    r"(?:\d+\s+)?(?:(?:patients?|patientes?|malades|cas|enfants|sujets|participants?)\b\s*)?"
    r"(?:(?:sur|parmi)\s*)?",
    re.I,
)
_FRENCH_VERB = re.compile(
    r"\b(?:(?:a|ont|avait|avaient)\s+(?:été\s+)?(?:\w+é(?:e|s|es)?|eu|pris|atteint)|était|étaient|"
    r"est|sont|présentaient|présentait|avaient|avait)\b\s*",
    re.I,
)
_FRENCH_ADJECTIVE = re.compile(
    r"^(?:présente?s?|retrouvée?s?|observée?s?|notée?s?|constatée?s?|obtenue?s?|atteinte?s?|"
    r"significative?s?|élevée?s?|faibles?|plus|moins|similaires?|comparables?)\b",
    re.I,
)
# A preposition (and article) that ends a clause before its figure: `présente chez`, `de`.
_FRENCH_TAIL = re.compile(
    r"(?:\s+(?:chez|dans|à|au|aux|en|parmi|pour|sur|après|pendant|avec|contre|versus|par|de|des|"
    r"du|et|ou|respectivement)(?:\s+(?:les|la|le|l['’]|un|une))?)+\s*$",
    re.I,
)


def describes_sample(text: str, start: int, end: int) -> bool:
    """A count of the sample's sex (`26 men (84%)`, `男性24例(80.0%)`, `22 of 27 patients (81.5%)
    were men`) describes who was studied; it is no result."""
    return bool(_DEMOGRAPHIC.search(text, max(0, start - 2), end) or _SEX_AFTER.match(text, end))


def meaningful(label: str) -> bool:
    """Whether a label names something: a word of three letters or more that is not a function
    word (`and`, `at`, `(9`, `vs` name nothing)."""
    words = re.findall(r"[^\W\d_]{3,}", label)
    return label != UNLABELLED and any(w.casefold() not in _FUNCTION_WORDS for w in words)


UNLABELLED = "result (label to be written from the quote)"
_FUNCTION_WORDS = frozenset(
    {"and", "the", "with", "from", "for", "than", "that", "this", "these", "those", "was", "were"}
    | {"are", "has", "had", "have", "not", "but", "also", "both", "all", "any", "its", "their"}
    | {"versus", "mean", "median", "average", "group", "groups", "respectively"}
    | {"min", "sec", "hours", "days", "weeks", "months", "years", "points", "mmol", "per"}
    | {"where", "when", "which", "about", "whom", "whose", "who"}
    | {"chez", "dans", "sur", "pour", "avec", "parmi", "des", "les", "une", "aux", "par"}
)


_AVERAGE = re.compile(r"\b(?:mean|median|average)\b", re.I)


def subject_before(before: str) -> str:
    """`The mean cumulative dose at onset was` -> `mean cumulative dose at onset`; a closed
    parenthesis (`a median of 6 (range 2-14) at baseline to a median of`) is no clause end."""
    before = re.sub(r"[(（][^()（）]*[)）]", "", before)
    clause = re.split(r"[,;:(（]", before)[-1]
    average = list(_AVERAGE.finditer(clause))
    if average:  # `21 women and 13 men with a mean age` -> `mean age`
        clause = clause[average[-1].start() :]
    clause = re.sub(r"\s+(?:was|were|is|are|of|at|:)\s*$", "", clause.strip(), flags=re.I)
    clause = re.sub(r"^(?:and|but|while|with)\s+", "", clause, flags=re.I)
    clause = re.sub(r"^(?:the|a|an)\s+", "", clause, flags=re.I)
    change = _CHANGE_BY.search(clause)
    if change:  # `Fibrinogen fell by` -> `fall in Fibrinogen`
        what = clause[: change.start()].strip()
        return shorten(f"{_CHANGE[change['verb'].lower()]} in {what}") if meaningful(what) else ""
    return shorten(clause)


# A change stated by its size (`fell by 13%`): the figure is the change, named by its noun.
_CHANGE = {
    "fell": "fall",
    "rose": "rise",
    "increased": "increase",
    "decreased": "decrease",
    "declined": "decline",
    "dropped": "drop",
    "reduced": "reduction",
    "lowered": "reduction",
    "improved": "improvement",
    "changed": "change",
}
_CHANGE_BY = re.compile(
    rf"\s+(?:(?:was|were|is|are)\s+)?(?:(?:{_ADVERB})\s+)?(?P<verb>{'|'.join(_CHANGE)})\s+by$",
    re.I,
)


def names_in_order(matchers: list[Matcher], text: str) -> list[str]:
    hits = sorted((m.start(), matcher.name) for matcher in matchers for m in matcher.finditer(text))
    return list(dict.fromkeys(name for _, name in hits))


def first_name(matchers: list[Matcher], text: str) -> str | None:
    hits = [(m.start(), matcher.name) for matcher in matchers for m in matcher.finditer(text)]
    return min(hits)[1] if hits else None


def last_name(matchers: list[Matcher], text: str) -> str | None:
    hits = [(m.end(), matcher.name) for matcher in matchers for m in matcher.finditer(text)]
    return max(hits)[1] if hits else None


def compose_label(
    metric: str | None, subject: str | None, index_test: str | None, comparator: str | None
) -> str:
    if not (metric or subject):
        return ""
    label = " for ".join(part for part in (metric, subject) if part)
    if index_test and comparator:
        label += f": {index_test} vs {comparator}"
    return label


def shorten(text: str, words: int = 16) -> str:
    parts = text.split()
    return " ".join(parts[:words]) + (" …" if len(parts) > words else "")
