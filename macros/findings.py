"""Quantitative findings: figures read from result sentences, each with its verbatim quote.

Patterns are tried from the most specific (a comparison with CIs and P) to the least (a bare count
in a list); a stretch of text used by one is not read again by another. Sentences that cite
literature ([4, 6], et al.) are skipped, except for the clauses before the citation that speak of
this study ("In our series, ... (75%), higher than the 40-60% reported [6]"). Labels come from
`labels`. Counts of who was studied (`26 men (84%)`) are not results.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from .labels import (
    Labels,
    compose_label,
    describes_sample,
    first_name,
    last_name,
    names_in_order,
    squash,
    subject_before,
)
from .languages import looks_english
from .model import Comparator, Finding, Location, Metric
from .numbers import (
    BARE_COUNT,
    BROKEN_CI,
    COMPARISON,
    COUNT_SHAPES,
    FRACTION_COMPARISON,
    MEAN_COMPARISON,
    MEAN_SD,
    MEAN_STATED,
    MEDIAN_CUE,
    MEDIAN_RANGE,
    P_VALUE,
    PERCENT_CI,
    RATIO,
    as_float,
    count_mismatch,
    decimals,
    estimate_numbers,
    infer_denominator,
    maybe_float,
    number_text,
    p_numbers,
    proper_count,
    range_notes,
    scan,
    to_count,
    to_float,
    two_by_two,
    unit_name,
)
from .reading import Reading, Span, own_part
from .taxonomy import Taxonomy

_HALF = re.compile(r"\bhalf\b|\bla moitié\b|一半", re.I)


Number = float | int | str | None  # a figure, or an operator such as "<" for a P value


@dataclass
class _Draft:
    start: int  # reading offsets of the figures, for labels and overlap
    end: int
    sentence: Span
    label: str
    value: str
    metric: Metric | None = None
    numbers: dict[str, Number] = field(default_factory=dict)
    comparator: Comparator | None = None
    range: tuple[float, float] | None = None
    notes: list[str] = field(default_factory=list)


@dataclass
class FindingReader:
    """Reads the findings of one region of a seed."""

    reading: Reading
    taxonomy: Taxonomy
    participants: int | None = None
    notes: list[str] = field(default_factory=list)
    labels: Labels = field(init=False)

    def __post_init__(self) -> None:
        self.labels = Labels(self.taxonomy, self.reading.text)

    def read(self) -> list[Finding]:
        drafts: list[_Draft] = []
        paragraph_numerators: list[int] = []
        for paragraph in self.reading.paragraphs():
            paragraph_numerators.clear()
            for whole in self.reading.sentences_between(paragraph.start, paragraph.end):
                sentence = own_part(whole)
                if sentence is None:
                    continue
                found = self._sentence(sentence, paragraph, paragraph_numerators)
                paragraph_numerators.extend(
                    int(n) for d in found if isinstance(n := d.numbers.get("numerator"), int)
                )
                drafts.extend(found)
        return self._finish(drafts)

    # -- one sentence -------------------------------------------------------------------------
    def _sentence(self, sentence: Span, paragraph: Span, earlier: list[int]) -> list[_Draft]:
        text = sentence.text
        used: list[tuple[int, int]] = []
        drafts: list[_Draft] = []

        def free(match: re.Match[str]) -> bool:
            return not any(match.start() < e and s < match.end() for s, e in used)

        def take(match: re.Match[str], draft: _Draft) -> None:
            used.append((match.start(), match.end()))
            if draft.metric != "proportion" or not describes_sample(text, *match.span()):
                drafts.append(draft)

        for match in scan(RATIO, text):
            take(match, self._ratio(sentence, match))

        comparisons = list(scan(COMPARISON, text))
        for index, match in enumerate(comparisons):
            previous_end = comparisons[index - 1].end() if index else 0
            following = comparisons[index + 1].start() if index + 1 < len(comparisons) else None
            take(match, self._comparison(sentence, paragraph, match, previous_end, following))
        for match in scan(PERCENT_CI, text):
            if free(match):
                take(match, self._percent_ci(sentence, match))
        _pair_respectively(text, drafts)
        for match in scan(FRACTION_COMPARISON, text):
            if free(match) and proper_count(match.group(1), match.group(2)):
                take(match, self._fraction_comparison(sentence, match))
        for match in scan(MEAN_COMPARISON, text):
            if free(match):
                take(match, self._mean_comparison(sentence, match))
        for match in scan(MEDIAN_RANGE, text):
            if free(match) and MEDIAN_CUE.search(text, 0, match.start()):
                take(match, self._median(sentence, match, used))
        totals: list[int] = []
        for shape in COUNT_SHAPES:
            for match in scan(shape.pattern, text):
                numerator = match.group(shape.numerator)
                denominator = match.group(shape.denominator) if shape.denominator else None
                if not free(match) or not proper_count(numerator, denominator):
                    continue
                if shape.shares_total and denominator:
                    totals.append(to_count(denominator) or 0)
                percent = next((match.group(g) for g in shape.percents if match.group(g)), None)
                take(match, self._counts(sentence, match, numerator, denominator, percent))
        for match in scan(MEAN_SD, text):
            if free(match):
                take(match, self._mean_sd(sentence, match))
        for match in scan(MEAN_STATED, text):
            if free(match):  # `the mean age at presentation was 11.7 years`
                value = squash(text[match.start(2) : match.end()])
                draft = _Draft(*match.span(), sentence, squash(match[1]), value, "mean")
                draft.numbers = {"mean": to_float(match[2]), "unit": unit_name(match[3])}
                take(match, draft)
        drafts.extend(self._bare_counts(sentence, text, used, totals, earlier))
        self._check_two_by_two(text, drafts)
        return drafts

    def _bare_counts(
        self,
        sentence: Span,
        text: str,
        used: list[tuple[int, int]],
        totals: list[int],
        earlier: list[int],
    ) -> list[_Draft]:
        """Counts without a stated total, when the sentence or paragraph fixes the total.

        `one case developed ...` beside `five of nine cases` shares the nine; a list of counts
        (`one had ..., four showed ...`) that adds up to an earlier count of the paragraph
        splits that group.
        """
        matches = [
            m
            for m in scan(BARE_COUNT, text)
            if not any(m.start() < e and s < m.end() for s, e in used)
        ]
        counts = [c for m in matches if (c := to_count(m.group(1))) is not None]
        if not matches or len(counts) != len(matches):
            return []
        total: int | None = None
        if totals:
            total = totals[0]
        elif len(counts) >= 2 and sum(counts) in earlier:
            total = sum(counts)
        if total is None or any(c > total for c in counts):
            return []
        return [
            self._counts(sentence, m, m.group(1), str(total), None, inferred_total=True)
            for m in matches
        ]

    # -- kinds of figures ----------------------------------------------------------------------
    def _comparison(
        self,
        sentence: Span,
        paragraph: Span,
        match: re.Match[str],
        previous_end: int,
        following: int | None,
    ) -> _Draft:
        text = sentence.text
        tail_end = following if following is not None else len(text)
        p_match = P_VALUE.search(text, match.end(), min(tail_end, match.end() + 40))
        end = p_match.end() if p_match else match.end()
        before = text[previous_end : match.start()]
        metric = self.labels.metric(before) or self.labels.metric(text[match.end() :])
        subject = ", ".join(names_in_order(self.taxonomy.subjects, before)) or None
        index_test = first_name(self.taxonomy.comparators, text[: match.start()])
        comparator_name = self.labels.comparator(text, paragraph.text, index_test)
        draft = _Draft(
            start=match.start(),
            end=end,
            sentence=sentence,
            label=compose_label(metric, subject, index_test, comparator_name)
            or self.labels.english(sentence, match.start(), end),
            value=squash(text[match.start() : end]),
            metric=metric,
        )
        draft.numbers = estimate_numbers(match, p_match)
        draft.comparator = Comparator(
            label=comparator_name,
            value=to_float(match.group(4)),
            ci_low=maybe_float(match.group(5)),
            ci_high=maybe_float(match.group(6)),
        )
        if match.group(5) is None and BROKEN_CI.match(text[match.end() :]):
            draft.notes.append("the comparator's 95% CI is incompletely stated; left empty")
        return draft

    def _whole(
        self, sentence: Span, match: re.Match[str], label: str = "", metric: Metric | None = None
    ) -> _Draft:
        """A draft whose figures are the whole match, labelled `label` or by the sentence."""
        start, end = match.span()
        label = label or self.labels.english(sentence, start, end)
        return _Draft(start, end, sentence, label, squash(match.group(0)), metric)

    def _ratio(self, sentence: Span, match: re.Match[str]) -> _Draft:
        """`HR 2.87, 95% CI 1.21–6.80`: CI and P as keys, the ratio (no key) in the value."""
        draft = self._whole(sentence, match)
        estimate, low, high = (to_float(match.group(i)) for i in (1, 2, 3))
        draft.numbers = {"ci_low": low, "ci_high": high}
        if not low <= estimate <= high:
            draft.notes.append(f"the 95% CI {low}-{high} does not contain the ratio {estimate}")
        self._add_p(draft, sentence.text, match.end())
        return draft

    def _fraction_comparison(self, sentence: Span, match: re.Match[str]) -> _Draft:
        """`13/20 vs 1/7, P = .03`: the first arm's counts, the second arm's percent if stated."""
        draft = self._counts(sentence, match, match.group(1), match.group(2), match.group(3))
        self._add_p(draft, sentence.text, match.end())
        draft.comparator = Comparator(value=maybe_float(match.group(6)))
        return draft

    def _mean_comparison(self, sentence: Span, match: re.Match[str]) -> _Draft:
        """`mean 4.1 vs 7.8 months, P = .02`, `4.2个月 vs 7.5个月`: an average in two groups."""
        text = sentence.text
        key = "median" if MEDIAN_CUE.match(match.group(0)) else "mean"
        draft = self._whole(sentence, match, metric="mean" if key == "mean" else None)
        draft.numbers = {key: to_float(match.group(1)), "unit": unit_name(match.group(4))}
        draft.comparator = Comparator(value=to_float(match.group(3)))
        self._add_p(draft, text, match.end())
        return draft

    def _median(self, sentence: Span, match: re.Match[str], used: list[tuple[int, int]]) -> _Draft:
        """`median delay of 7 months (range 2-26)`; an IQR is no range, so only the median is kept.
        A second median right after (`4 (范围1-12) 降至 … 1 (范围0-6)`) is the comparison."""
        text = sentence.text
        named = subject_before(text[: match.start()]) if looks_english(text) else ""
        draft = self._whole(sentence, match, label=named)
        draft.numbers = {"median": to_float(match["median"]), "unit": unit_name(match["unit"])}
        if not re.match(r"IQR|interquartile|四分位", match["kind"], re.I):
            draft.range = (to_float(match["low"]), to_float(match["high"]))
        end = match.end()
        second = MEDIAN_RANGE.search(text, end, end + 30)
        if second and not re.search(r"[,;，；。]", text[end : second.start()]):
            draft.comparator = Comparator(value=to_float(second["median"]))
            used.append((second.start(), second.end()))
            end = second.end()
        self._add_p(draft, text, end)
        return draft

    @staticmethod
    def _add_p(draft: _Draft, text: str, end: int) -> None:
        p_match = P_VALUE.search(text, end, end + 40)
        if p_match and not re.search(r"[;；。]", text[end : p_match.start()]):
            draft.numbers.update(p_numbers(p_match))
            draft.value = squash(f"{draft.value}{text[end : p_match.end()]}")

    def _percent_ci(self, sentence: Span, match: re.Match[str]) -> _Draft:
        text = sentence.text
        p_match = P_VALUE.search(text, match.end(), match.end() + 40)
        end = p_match.end() if p_match else match.end()
        before = text[: match.start()]
        name = last_name(self.taxonomy.metrics, before)
        metric = self.labels.metric(name or "")
        subject = last_name(self.taxonomy.subjects, before)
        draft = _Draft(
            match.start(),
            end,
            sentence,
            compose_label(metric, subject, None, None)
            or self.labels.english(sentence, match.start(), end),
            squash(text[match.start() : end]),
            metric,
        )
        draft.numbers = estimate_numbers(match, p_match)
        return draft

    def _counts(
        self,
        sentence: Span,
        match: re.Match[str],
        numerator_text: str,
        denominator_text: str | None,
        percent_text: str | None,
        inferred_total: bool = False,
    ) -> _Draft:
        numerator = to_count(numerator_text)
        denominator = to_count(denominator_text) if denominator_text else None
        percent = to_float(percent_text) if percent_text else None
        notes: list[str] = []
        if denominator is None and percent is not None and numerator is not None:
            denominator = infer_denominator(
                sentence.text[: match.start()],
                numerator,
                (percent, decimals(percent_text or "")),
                self.participants,
            )
            if denominator is not None:
                notes.append(
                    f"denominator {denominator} read from the context "
                    f"({numerator}/{denominator} = {100 * numerator / denominator:.1f}%)"
                )
        if inferred_total and denominator is not None:
            notes.append(f"denominator {denominator} read from the group counted nearby")
        halves = denominator and numerator is not None and denominator == 2 * numerator
        if percent is None and halves and _HALF.search(sentence.text):
            percent = 50.0  # "Half of the patients (3/6)" states the percent in words
        value = f"{numerator}/{denominator}" if denominator else f"{numerator}"
        if percent is not None:
            value += f" ({percent_text or number_text(percent)}%)"
        metric, label = self.labels.counted(sentence.text[: match.start()])
        return _Draft(
            match.start(),
            match.end(),
            sentence,
            label or self.labels.english(sentence, match.start(), match.end()),
            value,
            metric,
            {"numerator": numerator, "denominator": denominator, "percent": percent},
            notes=notes + count_mismatch(numerator, denominator, percent_text),
        )

    def _mean_sd(self, sentence: Span, match: re.Match[str]) -> _Draft:
        before = sentence.text[: match.start()]
        subject = last_name(self.taxonomy.subjects, before)
        named = subject_before(before) if looks_english(sentence.text) else ""
        draft = self._whole(
            sentence, match, label=named or (f"mean {subject}" if subject else ""), metric="mean"
        )
        draft.numbers = {"mean": to_float(match.group(1)), "sd": to_float(match.group(2))}
        draft.numbers["unit"] = unit_name(match.group(3))
        if subject == "age" and not draft.numbers["unit"]:
            draft.numbers["unit"] = "years"  # an age is given in years unless said otherwise
        return draft

    # -- helpers ---------------------------------------------------------------------------------
    def _check_two_by_two(self, text: str, drafts: list[_Draft]) -> None:
        for metric, computed, message in two_by_two(text):
            stated = [d for d in drafts if d.metric == metric]
            for draft in stated:
                percent = draft.numbers.get("percent")
                if isinstance(percent, float) and abs(percent - computed) > 1.0:
                    draft.notes.append(f"{message}, not the stated {percent}%")
            if not stated:
                self.notes.append(message)

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
            findings.append(finding)
            self.notes.extend(f"finding {len(findings)} ({draft.label}): {n}" for n in draft.notes)
            self.notes.extend(range_notes(len(findings), finding))
        return findings


def _pair_respectively(text: str, drafts: list[_Draft]) -> None:
    """`89% (CI) and 95% (CI), compared with 71% (CI) and 88% (CI), respectively, for X`: the
    estimates after the comparison cue are the other arm of those before it, in order."""
    cue = re.search(r"\bcompared (?:with|to)\b|\bversus\b|\bvs\b|par rapport", text)
    if not cue or not re.search(r"\brespectively\b|respectivement|分别", text):
        return
    own = [d for d in drafts if d.comparator is None and d.start < cue.start()]
    other = [d for d in drafts if d.comparator is None and d.start > cue.end()]
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
