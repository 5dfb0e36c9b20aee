"""Quantitative findings: figures read from result sentences, each with its verbatim quote.

The figure rules (`figures`) read each sentence in their declared order; this reader walks the
sentences of the study's own text, knows which part of the paper each is in (`sections`: no
findings from a background, methods only for the sample's characteristics, nothing from the back
matter), labels each figure from the taxonomy and the sentence (`labels`), and checks the
arithmetic. Sentences that cite literature ([4, 6], et al.) are skipped, except for the clauses
before the citation that speak of this study ("In our series, ... (75%), higher than the 40-60%
reported [6]"). Counts of who was studied (`26 men (84%)`) are not results.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from pydantic import ValidationError

from ..cards.model import Comparator, Finding, Location, Metric
from ..cards.taxonomy import Taxonomy
from ..core.needles import Gated
from ..core.problems import Problem
from ..core.text import squash
from .figures import BARE_COUNT_RULE, Figure, Sentence, read_figures, with_total
from .labels import (
    UNLABELLED,
    Labels,
    compose_label,
    describes_sample,
    first_name,
    last_name,
    meaningful,
    names_in_order,
    outcome,
    subject_before,
)
from .languages import looks_english
from .quantities import as_float, finding_note, range_notes, two_by_two
from .reading import Reading, Span, own_part
from .sections import Section, Sections, flattened_table, read_sections

Number = float | int | str | None  # a figure, or an operator such as "<" for a P value


@dataclass
class _Draft:
    start: int  # where the figure starts in its sentence (for pairing arms by position)
    sentence: Span
    label: str
    value: str
    metric: Metric | None = None
    numbers: dict[str, Number] = field(default_factory=dict)
    comparator: Comparator | None = None
    range: tuple[float, float] | None = None
    notes: list[Problem] = field(default_factory=list)


@dataclass
class FindingReader:
    """Reads the findings of one region of a seed."""

    reading: Reading
    taxonomy: Taxonomy
    participants: int | None = None
    notes: list[Problem] = field(default_factory=list)
    labels: Labels = field(init=False)
    sections: Sections = field(init=False)

    def __post_init__(self) -> None:
        self.labels = Labels(self.taxonomy, self.reading.text)
        self.sections = read_sections(self.reading)

    def read(self) -> list[Finding]:
        drafts: list[_Draft] = []
        for paragraph in self.reading.paragraphs():
            numerators: list[int] = []  # the paragraph's counts so far, for a list that splits one
            for whole in self.reading.sentences_between(paragraph.start, paragraph.end):
                own = own_part(whole)
                if own is None:
                    continue
                for sentence, section in self.sections.parts(own):
                    found = self._sentence(sentence, section, paragraph, numerators)
                    numerators += [
                        n for d in found if isinstance(n := d.numbers.get("numerator"), int)
                    ]
                    drafts.extend(found)
        return self._finish(drafts)

    # -- one sentence -------------------------------------------------------------------------
    def _sentence(
        self, sentence: Span, section: Section, paragraph: Span, earlier: list[int]
    ) -> list[_Draft]:
        if section in ("background", "back") or flattened_table(sentence.text):
            return []
        read = Sentence(sentence.text, section, self.participants)
        figures = read_figures(read)
        figures += self._bare_counts(read, figures, earlier)
        drafts: list[_Draft] = []
        for index, figure in enumerate(figures):
            previous_end = figures[index - 1].last if index else 0
            draft = self._draft(figure, sentence, paragraph, previous_end)
            if draft is None:
                continue
            if not meaningful(draft.label) and drafts:  # `..., respectively (P < 0.05)`
                draft.label = drafts[-1].label
            drafts.append(draft)
        _pair_respectively(sentence.text, drafts)
        self._check_two_by_two(sentence.text, drafts)
        return drafts

    def _bare_counts(
        self, sentence: Sentence, figures: list[Figure], earlier: list[int]
    ) -> list[Figure]:
        """Counts without a stated total, when the sentence or paragraph fixes the total.

        `one case developed ...` beside `five of nine cases` shares the nine; a list of counts
        (`one had ..., four showed ...`) that adds up to an earlier count of the paragraph
        splits that group.
        """
        totals = [f.denominator for f in figures if f.shares_total and f.denominator]
        if not totals and not earlier:
            return []  # no total to share (most sentences): not worth the rule's scan
        bare = [
            f
            for f in BARE_COUNT_RULE.figures(sentence)
            if not any(f.overlaps(taken) for taken in figures)
        ]
        counts = [f.numerator for f in bare if f.numerator is not None]
        if not bare or len(counts) != len(bare):
            return []
        total = totals[0] if totals else None
        if total is None and len(counts) >= 2 and sum(counts) in earlier:
            total = sum(counts)
        if total is None or any(c > total for c in counts):
            return []
        return [with_total(f, total, sentence) for f in bare]

    def _draft(
        self, figure: Figure, sentence: Span, paragraph: Span, previous_end: int
    ) -> _Draft | None:
        """The figure labelled; None for a count that describes the sample (`26 men (84%)`)."""
        text = sentence.text
        metric = figure.metric
        label = ""
        comparator = figure.comparator
        unit = figure.unit
        if figure.label == "comparison":
            before = text[previous_end : figure.start]
            metric = self.labels.metric(before) or self.labels.metric(text[figure.end :])
            subject = ", ".join(names_in_order(self.taxonomy.subjects, before)) or None
            index_test = first_name(self.taxonomy.comparators, text[: figure.start])
            name = self.labels.comparator(text, paragraph.text, index_test)
            label = compose_label(metric, subject, index_test, name)
            comparator = comparator.model_copy(update={"label": name}) if comparator else None
        elif figure.label == "estimate":
            before = text[: figure.start]
            metric = self.labels.metric(last_name(self.taxonomy.metrics, before) or "")
            label = compose_label(metric, last_name(self.taxonomy.subjects, before), None, None)
        elif figure.label == "counted":
            metric, label = self.labels.counted(text[: figure.start])
        elif figure.label == "named":
            label = figure.named
        elif figure.label == "before":
            before = text[: figure.start]
            subject = last_name(self.taxonomy.subjects, before)
            label = subject_before(before) if looks_english(text) else ""
            if metric == "mean" and subject:
                label = label or f"mean {subject}"
                unit = unit or ("years" if subject == "age" else None)  # an age is in years
        elif figure.label == "outcome" and looks_english(text):
            label = outcome(text, figure.start, previous_end)
        if (metric == "proportion" or figure.rule == "percent") and describes_sample(
            text, figure.start, figure.end
        ):
            return None
        numbers: dict[str, Number] = {**figure.numbers(), "unit": unit}
        return _Draft(
            start=figure.start,
            sentence=sentence,
            label=self._label(label, figure, sentence, previous_end),
            value=figure.value,
            metric=metric,
            numbers=numbers,
            comparator=comparator,
            range=figure.range,
            notes=list(figure.notes),
        )

    def _label(self, label: str, figure: Figure, sentence: Span, previous_end: int) -> str:
        """The rule's label if it names something, else the words after the figure, else the
        outcome named before it (since the figure before, or in the whole clause)."""
        if meaningful(label):
            return label
        around = self.labels.english(sentence, figure.start, figure.last)
        if meaningful(around) or not looks_english(sentence.text):
            return around
        for floor in (previous_end, 0):
            before = outcome(sentence.text, figure.start, floor)
            if meaningful(before):
                return before
        return UNLABELLED

    # -- helpers ---------------------------------------------------------------------------------
    def _check_two_by_two(self, text: str, drafts: list[_Draft]) -> None:
        for metric, computed, message in two_by_two(text):
            stated = [d for d in drafts if d.metric == metric]
            for draft in stated:
                percent = draft.numbers.get("percent")
                if isinstance(percent, float) and abs(percent - computed) > 1.0:
                    draft.notes.append(
                        finding_note("W-ARITHMETIC", f"{message}, not the stated {percent}%")
                    )
            if not stated:
                self.notes.append(
                    Problem.review_note("N-COMPUTED-FROM-COUNTS", "findings", message)
                )

    def _finish(self, drafts: list[_Draft]) -> list[Finding]:
        findings: list[Finding] = []
        seen: set[tuple[str, str, str]] = set()
        for draft in drafts:
            quote, line = self.reading.quote(draft.sentence.start, draft.sentence.end)
            key = (draft.value, draft.label, squash(draft.sentence.text))
            if key in seen:
                continue
            seen.add(key)
            numbers = {k: v for k, v in draft.numbers.items() if v is not None}
            try:
                finding = Finding(
                    label=draft.label,
                    value=draft.value,
                    metric=draft.metric,
                    comparator=draft.comparator,
                    quote=quote,
                    location=Location(line=line),
                    range=list(draft.range) if draft.range else None,
                    **numbers,
                )
            except ValidationError:  # a figure past the card's bounds is no measurement
                self.notes.append(
                    Problem.review_note(
                        "W-FIGURE-SKIPPED",
                        "findings",
                        f"line {line}: {draft.value!r} is past what a card holds; not read",
                    )
                )
                continue
            where = f"findings.{len(findings)}"
            findings.append(finding)
            self.notes.extend(
                Problem.review_note(note.code, where, f"({draft.label}) {note.message}")
                for note in [*draft.notes, *range_notes(finding)]
            )
        return findings


_COMPARED = Gated(re.compile(r"\bcompared (?:with|to)\b|\bversus\b|\bvs\b|par rapport"))
_RESPECTIVELY = re.compile(r"\brespectively\b|respectivement|分别")


def _pair_respectively(text: str, drafts: list[_Draft]) -> None:
    """`89% (CI) and 95% (CI), compared with 71% (CI) and 88% (CI), respectively, for X`: the
    estimates after the comparison cue are the other arm of those before it, in order."""
    cue = _COMPARED.search(text)
    if not cue or not _RESPECTIVELY.search(text):
        return
    arms = [d for d in drafts if d.comparator is None and d.numbers.get("percent") is not None]
    own = [d for d in arms if d.start < cue.start()]
    other = [d for d in arms if d.start > cue.end()]
    if not own or len(own) != len(other):
        return
    for estimate, arm in zip(own, other, strict=True):
        estimate.comparator = Comparator(
            value=as_float(arm.numbers.get("percent")),
            ci_low=as_float(arm.numbers.get("ci_low")),
            ci_high=as_float(arm.numbers.get("ci_high")),
        )
        estimate.value = f"{estimate.value} vs {arm.value}"
        drafts.remove(arm)
