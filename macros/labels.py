"""English labels for findings: the words around an English figure, the glossary otherwise.

A label names what a figure measures ("sensitivity for erosion", "relapse during follow-up") so
a reader of any language finds it; the source's own words are kept where they are English, and
taxonomy/terms.yml names metrics, subjects and compared tests for French and Chinese sentences.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from .languages import looks_english
from .model import Metric
from .reading import Span
from .taxonomy import Matcher, Taxonomy

_LEADING_VERB = re.compile(
    r"^(?:(?:patients?|cases?|of (?:them|these))\s+)?(?:were|was|had|have|has|showed|"
    r"demonstrated|presented with|exhibited|with)\s+",
    re.I,
)
_CLAUSE_END = re.compile(r"[,;:.，；：。]|\band\b")
_NON_ENGLISH_CLAUSE_END = re.compile(r"[,;:.，；：。、]|和|\bet\b")
_CJK = re.compile(r"[\u3400-\u9fff]")
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
        if _CJK.search(text) or not looks_english(text):
            return self._glossary(text, start, end)
        clause_end = _CLAUSE_END.search(text, end)
        predicate = squash(text[end : clause_end.start() if clause_end else len(text)])
        predicate = _LEADING_VERB.sub("", predicate.lstrip(") ）"))
        clause_start = max(text.rfind(c, 0, start) for c in ",;:") + 1
        subject = _STATED_SIZE.sub("", squash(text[clause_start:start]).strip("( （"))
        parenthesised = text[max(0, start - 1) : start] in "(（" and start > 0
        if predicate and _THIN_PREDICATE.match(predicate) and not predicate[:1].isupper():
            subject = re.sub(r"\s+(?:in|by|among|of)$", "", subject)  # `reached by at 12 months`
        if parenthesised or _THIN_PREDICATE.match(predicate):
            predicate = f"{subject} {predicate}".strip()
        return shorten(predicate) or "result (label to be written from the quote)"

    def _glossary(self, text: str, start: int, end: int) -> str:
        """Subjects of the figure's own clause (before it, else after it), else the last before."""
        clause_start = max(text.rfind(c, 0, start) for c in ",;，；、和") + 1
        after = _NON_ENGLISH_CLAUSE_END.search(text, end)
        for window in (text[clause_start:start], text[end : after.start() if after else None]):
            names = names_in_order(self.taxonomy.subjects, window)
            if names:
                return ", ".join(names)
        last = last_name(self.taxonomy.subjects, text[:start])
        return last or "result (label to be written from the quote)"


def describes_sample(text: str, start: int, end: int) -> bool:
    """A count of the sample's sex (`26 men (84%)`, `男性24例(80.0%)`, `22 of 27 patients (81.5%)
    were men`) describes who was studied; it is no result."""
    return bool(_DEMOGRAPHIC.search(text, max(0, start - 2), end) or _SEX_AFTER.match(text, end))


def subject_before(before: str) -> str:
    """`The mean cumulative dose at onset was` -> `mean cumulative dose at onset`; a closed
    parenthesis (`a median of 6 (range 2-14) at baseline to a median of`) is no clause end."""
    before = re.sub(r"[(（][^()（）]*[)）]", "", before)
    clause = re.split(r"[,;:(（]", before)[-1]
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


def squash(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip()


def shorten(text: str, words: int = 16) -> str:
    parts = text.split()
    return " ".join(parts[:words]) + (" …" if len(parts) > words else "")
