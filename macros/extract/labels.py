"""English labels for findings: the words around an English figure, the glossary otherwise.

A label names what a figure measures ("sensitivity for erosion", "relapse during follow-up") so
a reader of any language finds it; the source's own words are kept where they are English, and
taxonomy/terms.yml names metrics, subjects and compared tests for French and Chinese sentences.
Where a figure follows what it measures (`a shorter mean operative time (p = 0.02)`), the label
is that outcome as a noun phrase (`outcome`), never the clause around it cut at a number.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from ..cards.model import Metric
from ..cards.taxonomy import Matcher, Taxonomy
from ..core.text import has_han, squash
from .languages import looks_english
from .reading import Span

_LEADING_VERB = re.compile(
    r"^(?:(?:patients?|cases?|of (?:them|these))\s+)?(?:were|was|had|have|has|showed|"
    r"demonstrated|presented with|exhibited|with)\s+",
    re.I,
)
_CLAUSE_END = re.compile(r"[,;:.，；：。]|\band\b")
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
        """English words around an English figure; the glossary names for other languages."""
        text = sentence.text
        if has_han(text) or not looks_english(text):
            return self._glossary(text, start, end)
        clause_end = _CLAUSE_END.search(text, end)
        predicate = squash(text[end : clause_end.start() if clause_end else len(text)])
        predicate = _LEADING_VERB.sub("", predicate.lstrip(") ）"))
        predicate = _DANGLING.sub("", _NEXT_FIGURE.split(predicate, maxsplit=1)[0])
        clause_start = max(text.rfind(c, 0, start) for c in ",;:") + 1
        subject = _STATED_SIZE.sub("", squash(text[clause_start:start]).strip("( （"))
        parenthesised = text[max(0, start - 1) : start] in "(（" and start > 0
        if predicate and _THIN_PREDICATE.match(predicate) and not predicate[:1].isupper():
            subject = re.sub(r"\s+(?:in|by|among|of)$", "", subject)  # `reached by at 12 months`
        if parenthesised or _THIN_PREDICATE.match(predicate):
            predicate = f"{subject} {predicate}".strip()
        return shorten(predicate) or UNLABELLED

    def _glossary(self, text: str, start: int, end: int) -> str:
        """Subjects of the figure's own clause (before it, else after it), else the last before."""
        clause_start = max(text.rfind(c, 0, start) for c in ",;，；、和") + 1
        after = _NON_ENGLISH_CLAUSE_END.search(text, end)
        for window in (text[clause_start:start], text[end : after.start() if after else None]):
            names = names_in_order(self.taxonomy.subjects, window)
            if names:
                return ", ".join(names)
        last = last_name(self.taxonomy.subjects, text[:start])
        return last or UNLABELLED


# A verb between a clause's subject and its object (`The needlescopic group had ...`).
_VERB = re.compile(
    r"\b(?:was|were|is|are|had|has|have|showed|shows|reported|improved|increased|decreased|"
    r"reduced|required|differed|rose|fell|declined|achieved|produced|occurred|observed|found|"
    r"seen|noted|enhanced|lowered|raised|revealed|demonstrated|remained|became|correlated|"
    r"experienced|received|obtained|performed|rated|thought|did not|did|resulted in|led to|"
    r"associated with|related to|linked to)\b",
    re.I,
)
# Words that say how much or how sure, not what: stripped from the front of an outcome.
_COMPARATIVE = (
    r"higher|lower|greater|better|worse|larger|smaller|shorter|longer|faster|slower|earlier|"
    r"later|fewer|quicker|wider|stronger|weaker|deeper|lesser"
)
_DEGREE = re.compile(
    r"^(?:(?:a|an|the|not|no|also|both|only|further|overall|all|its|their|slightly|markedly|"
    r"highly|significantly|statistically|clinically|significant|meaningful|and|more|less|most|"
    rf"least|best|worst|{_COMPARATIVE}|[a-z]+ly)(?:\s+|$))+",
    re.I,
)
# Where an outcome's phrase ends: a group, a time or a comparison follows.
_OUTCOME_TAIL = re.compile(
    r"(?:^|\s+)(?:in|at|after|during|from|between|among|compared|than|when|versus|vs\.?|following|"
    r"over|across|within|relative|against|until|before|since|for|with|by)(?=\s|$).*$",
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


def outcome(text: str, start: int, floor: int = 0) -> str:
    """The outcome a figure is stated for, as the sentence names it before the figure (from
    `floor`, the end of the figure before it): the object of the clause's verb (`had a
    significantly shorter mean operative time (p = 0.02)` -> `mean operative time`), else its
    subject (`Ashworth scores were unchanged (p > .05)` -> `Ashworth scores`). A noun phrase,
    never a clause cut at a number; empty when the sentence names none."""
    clause = re.sub(r"[(\[（][^()\[\]（）]*[)\]）]", " ", text[floor:start])
    clause = re.split(r"[(\[（]", clause)[0] if floor == 0 else clause  # the bracket it is in
    clause = re.split(r"[,;:(\[（=]", re.sub(r"[\s(\[（,;:=]+$", "", clause))[-1]
    clause = squash(
        re.sub(r"^[\W_]*(?:and|or|but|while|whereas)?\s+", "", f" {clause}", flags=re.I)
    )
    verbs = list(_VERB.finditer(clause))
    if not verbs:
        return _phrase(clause)
    after = _DEGREE.sub("", clause[verbs[-1].end() :].strip())
    preposition = re.match(r"(?:in|on|of|for)\s+", after, re.I)
    if preposition and not _GROUP.search(after):
        after = after[preposition.end() :]
    found = _phrase(after)
    if found and not _ONLY_DEGREE.match(found):
        return found
    subject = clause[: verbs[0].start()]
    parts = re.split(r"\s+and\s+", subject, maxsplit=1)
    if len(parts) == 2 and re.match(r"(?:in|at|for|with|among|after|during)\b", parts[0], re.I):
        subject = parts[1]
    return _phrase(re.split(r"\s+(?:who|that|which|whose)\b", subject, maxsplit=1)[0])


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
    return shorten(re.sub(r"^(?:the|a|an)\s+", "", clause, flags=re.I))


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
