"""Quantitative findings: figures read from result sentences, each with its verbatim quote.

Patterns are tried from the most specific (a comparison with CIs and P) to the least (a bare count
in a list); a stretch of text used by one is not read again by another. Sentences that cite
literature ([4, 6], et al.) are skipped: their figures are other studies' results. Labels are
English: the words around an English figure, or the taxonomy glossary for other languages.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from .model import Comparator, Finding, Location, Metric
from .numbers import COUNT, NUMBER, decimals, percent_matches, to_count, to_float, wilson_interval
from .reading import Reading, Span, cites_literature
from .taxonomy import Matcher, Taxonomy

_CI = (
    r"[\[(（]\s*95\s*%\s*(?:CI|C\.I\.|IC|置信区间|可信区间|confidence interval)?\s*(?:CI)?\s*"
    rf"[:：,，]?\s*({NUMBER})\s*%?\s*(?:[,，、;；–—-]|to|à)\s*({NUMBER})\s*%?\s*[\])）]"
)
_P = r"\b[Pp]\s*(<=|>=|=|<|>|≤|≥)\s*(0?\s*[.,·]\s*\d+|[01](?:[.,]\d+)?)"
_VS = r"\s*(?:vs\.?|versus|对比|contre)\s*"
COMPARISON = re.compile(rf"({NUMBER})\s*%\s*(?:{_CI})?{_VS}({NUMBER})\s*%\s*(?:{_CI})?")
PERCENT_CI = re.compile(rf"({NUMBER})\s*%\s*{_CI}")
BROKEN_CI = re.compile(r"^\s*[\[(（]\s*95\s*%")
P_VALUE = re.compile(_P)
COUNT_PERCENT = re.compile(
    rf"(?<![\d.,/])({COUNT})\s*(?:(?:[^\W\d_]+\s+){{0,2}}[^\W\d_]+\s*|例|名|位|人)?"
    rf"[(（]\s*({NUMBER})\s*%\s*[)）]"
)
FRACTION = re.compile(
    rf"(?<![\d./])(\d+)\s*/\s*(\d+)(?![\d/])(?!\s*(?:mg|kg|g|ml|mL|L|h|d|min|mm|cm|m2|m²)\b)"
    rf"(?:\s*[(（]\s*({NUMBER})\s*%\s*[)）])?"
)
OF_TOTAL = re.compile(
    rf"\b({COUNT})\s+(?:out\s+)?(?:of|sur|parmi)\s+(?:the\s+|les\s+)?({COUNT})(?![\d%.])", re.I
)
AMONG = re.compile(
    rf"\b(?:among|of|in)\s+(?:the\s+|these\s+|all\s+)?({COUNT})\s+(?:[^\W\d_]+\s+){{0,2}}?"
    rf"[^\W\d_]+,\s*({COUNT})\b(?!\s*%)",
    re.I,
)
MEAN_SD = re.compile(rf"({NUMBER})\s*±\s*({NUMBER})")
BARE_COUNT = re.compile(
    rf"(?<![\d.])\b({COUNT})\s+(?:(?:patients?|cases?|subjects?)\s+)?"
    r"(?=(?:had|showed|developed|was|were|demonstrated|presented|remained)\b)",
    re.I,
)
TWO_BY_TWO = re.compile(
    r"\b(TP|FP|FN|TN|true positives?|false positives?|false negatives?|true negatives?)"
    r"\s*[=:(]?\s*(\d+)",
    re.I,
)
_LEADING_VERB = re.compile(
    r"^(?:(?:patients?|cases?|of (?:them|these))\s+)?(?:were|was|had|have|has|showed|"
    r"demonstrated|presented with|exhibited|with)\s+",
    re.I,
)
_CLAUSE_END = re.compile(r"[,;:.，；：。]|\band\b(?=\s+(?:\d|one|two|three|four|five|six))")
_CJK = re.compile(r"[\u3400-\u9fff]")
_COMPARISON_CUE = re.compile(r"高于|优于|低于|than|compared with|versus|对比|与|par rapport")


@dataclass
class _Draft:
    start: int  # reading offsets of the figures, for labels and overlap
    end: int
    sentence: Span
    label: str
    value: str
    metric: Metric | None = None
    numbers: dict[str, float | int | str | None] = field(default_factory=dict)
    comparator: Comparator | None = None
    notes: list[str] = field(default_factory=list)


@dataclass
class FindingReader:
    """Reads the findings of one region of a seed."""

    reading: Reading
    taxonomy: Taxonomy
    participants: int | None = None
    notes: list[str] = field(default_factory=list)

    def read(self) -> list[Finding]:
        drafts: list[_Draft] = []
        paragraph_numerators: list[int] = []
        for paragraph in self.reading.paragraphs():
            paragraph_numerators.clear()
            for sentence in _sentences_in(self.reading, paragraph):
                if cites_literature(sentence.text):
                    continue
                found = self._sentence(sentence, paragraph, paragraph_numerators)
                paragraph_numerators.extend(
                    int(n) for d in found if isinstance(n := d.numbers.get("numerator"), int)
                )
                drafts.extend(found)
        return self._finish(drafts)

    # -- one sentence -------------------------------------------------------------------------
    def _sentence(self, sentence: Span, paragraph: Span, earlier: list[int]) -> list[_Draft]:
        text, used = sentence.text, []
        drafts: list[_Draft] = []

        def free(match: re.Match[str]) -> bool:
            return not any(match.start() < e and s < match.end() for s, e in used)

        def take(match: re.Match[str], draft: _Draft) -> None:
            used.append((match.start(), match.end()))
            drafts.append(draft)

        comparisons = list(COMPARISON.finditer(text))
        for index, match in enumerate(comparisons):
            previous_end = comparisons[index - 1].end() if index else 0
            following = comparisons[index + 1].start() if index + 1 < len(comparisons) else None
            take(match, self._comparison(sentence, paragraph, match, previous_end, following))
        for match in PERCENT_CI.finditer(text):
            if free(match):
                take(match, self._percent_ci(sentence, match))
        for match in FRACTION.finditer(text):
            if free(match) and int(match.group(1)) <= int(match.group(2)) != 0:
                take(match, self._counts(sentence, match, match.group(1), match.group(2),
                                         match.group(3)))  # fmt: skip
        for match in COUNT_PERCENT.finditer(text):
            if free(match):
                take(match, self._counts(sentence, match, match.group(1), None, match.group(2)))
        totals: list[int] = []
        for pattern, numerator_group in ((OF_TOTAL, 1), (AMONG, 2)):
            for match in pattern.finditer(text):
                denominator_group = 3 - numerator_group
                total = to_count(match.group(denominator_group))
                if free(match) and total:
                    totals.append(total)
                    take(match, self._counts(sentence, match, match.group(numerator_group),
                                             match.group(denominator_group), None))  # fmt: skip
        for match in MEAN_SD.finditer(text):
            if free(match):
                take(match, self._mean_sd(sentence, match))
        drafts.extend(self._bare_counts(sentence, text, free, used, totals, earlier))
        self._check_two_by_two(text, drafts)
        return drafts

    def _bare_counts(self, sentence: Span, text: str, free: object, used: list[tuple[int, int]],
                     totals: list[int], earlier: list[int]) -> list[_Draft]:  # fmt: skip
        """Counts without a stated total, when the sentence or paragraph fixes the total.

        `one case developed ...` beside `five of nine cases` shares the nine; a list of counts
        (`one had ..., four showed ...`) that adds up to an earlier count of the paragraph
        splits that group.
        """
        matches = [
            m for m in BARE_COUNT.finditer(text)
            if not any(m.start() < e and s < m.end() for s, e in used)
        ]  # fmt: skip
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
    def _comparison(self, sentence: Span, paragraph: Span, match: re.Match[str],
                    previous_end: int, following: int | None) -> _Draft:  # fmt: skip
        text = sentence.text
        tail_end = following if following is not None else len(text)
        p_match = P_VALUE.search(text, match.end(), min(tail_end, match.end() + 40))
        end = p_match.end() if p_match else match.end()
        before = text[previous_end : match.start()]
        metric = self._metric(before) or self._metric(text[match.end() :])
        subject = _last_name(self.taxonomy.subjects, before)
        index_test = _first_name(self.taxonomy.comparators, text[: match.start()])
        comparator_name = self._comparator_name(text, paragraph.text, index_test)
        draft = _Draft(
            start=match.start(), end=end, sentence=sentence,
            label=_compose_label(metric, subject, index_test, comparator_name)
            or self._english_label(sentence, match.start(), end),
            value=_squash(text[match.start() : end]), metric=metric,
        )  # fmt: skip
        draft.numbers = {
            "percent": to_float(match.group(1)),
            "ci_low": _maybe(match.group(2)),
            "ci_high": _maybe(match.group(3)),
        }
        if p_match:
            draft.numbers.update(_p_numbers(p_match))
        draft.comparator = Comparator(
            label=comparator_name, value=to_float(match.group(4)),
            ci_low=_maybe(match.group(5)), ci_high=_maybe(match.group(6)),
        )  # fmt: skip
        if match.group(5) is None and BROKEN_CI.match(text[match.end() :]):
            draft.notes.append("the comparator's 95% CI is incompletely stated; left empty")
        return draft

    def _percent_ci(self, sentence: Span, match: re.Match[str]) -> _Draft:
        text = sentence.text
        p_match = P_VALUE.search(text, match.end(), match.end() + 40)
        end = p_match.end() if p_match else match.end()
        before = text[: match.start()]
        metric = self._metric(before)
        subject = _last_name(self.taxonomy.subjects, before)
        draft = _Draft(
            match.start(), end, sentence,
            _compose_label(metric, subject, None, None)
            or self._english_label(sentence, match.start(), end),
            _squash(text[match.start() : end]), metric,
        )  # fmt: skip
        draft.numbers = {
            "percent": to_float(match.group(1)),
            "ci_low": to_float(match.group(2)),
            "ci_high": to_float(match.group(3)),
        }
        if p_match:
            draft.numbers.update(_p_numbers(p_match))
        return draft

    def _counts(self, sentence: Span, match: re.Match[str], numerator_text: str,
                denominator_text: str | None, percent_text: str | None,
                inferred_total: bool = False) -> _Draft:  # fmt: skip
        numerator = to_count(numerator_text)
        denominator = to_count(denominator_text) if denominator_text else None
        percent = to_float(percent_text) if percent_text else None
        notes: list[str] = []
        if denominator is None and percent is not None and numerator is not None:
            denominator = self._infer_denominator(sentence.text[: match.start()], numerator,
                                                  percent, decimals(percent_text or ""))  # fmt: skip
            if denominator is not None:
                notes.append(
                    f"denominator {denominator} read from the context "
                    f"({numerator}/{denominator} = {100 * numerator / denominator:.1f}%)"
                )
        if inferred_total and denominator is not None:
            notes.append(f"denominator {denominator} read from the group counted nearby")
        if percent is None and denominator and numerator is not None and denominator == 2 * numerator:
            if re.search(r"\bhalf\b|\bla moitié\b|一半", sentence.text, re.I):
                percent = 50.0  # "Half of the patients (3/6)" states the percent in words
        value = f"{numerator}/{denominator}" if denominator else f"{numerator}"
        if percent is not None:
            value += f" ({percent_text or _number_text(percent)}%)"
        draft = _Draft(
            match.start(), match.end(), sentence,
            self._english_label(sentence, match.start(), match.end()), value, "proportion",
            {"numerator": numerator, "denominator": denominator, "percent": percent},
            notes=notes,
        )  # fmt: skip
        if numerator is not None and denominator and percent is not None and not percent_matches(
            numerator, denominator, percent, decimals(percent_text or "0")
        ):
            draft.notes.append(
                f"{numerator}/{denominator} is {100 * numerator / denominator:.2f}%, "
                f"not the stated {percent_text}%: check the source"
            )
        return draft

    def _mean_sd(self, sentence: Span, match: re.Match[str]) -> _Draft:
        before = sentence.text[: match.start()]
        subject = _last_name(self.taxonomy.subjects, before)
        label = f"mean {subject}" if subject else self._english_label(
            sentence, match.start(), match.end())  # fmt: skip
        return _Draft(
            match.start(), match.end(), sentence, label, _squash(match.group(0)), "mean",
            {"mean": to_float(match.group(1)), "sd": to_float(match.group(2))},
        )  # fmt: skip

    # -- helpers ---------------------------------------------------------------------------------
    def _infer_denominator(self, before: str, numerator: int, percent: float,
                           places: int) -> int | None:  # fmt: skip
        """The nearest earlier number of the sentence, or the study size, that fits the percent."""
        candidates = [int(n) for n in reversed(re.findall(r"(?<![\d.,])\d+(?![\d.,%])", before))]
        if self.participants:
            candidates.append(self.participants)
        for candidate in candidates:
            if candidate >= numerator and percent_matches(numerator, candidate, percent, places):
                return candidate
        return None

    def _metric(self, text: str) -> Metric | None:
        name = _first_name(self.taxonomy.metrics, text)
        return name if name in ("sensitivity", "specificity", "accuracy", "ppv", "npv", "auc") \
            else None  # type: ignore[return-value]  # fmt: skip

    def _comparator_name(self, sentence: str, paragraph: str, index_test: str | None) -> str | None:
        for text in (sentence, paragraph, self.reading.text):
            for cue in _COMPARISON_CUE.finditer(text):
                window = text[cue.end() : cue.end() + 16]
                name = _first_name(self.taxonomy.comparators, window)
                if name and name != index_test:
                    return name
        return None

    def _english_label(self, sentence: Span, start: int, end: int) -> str:
        text = sentence.text
        if _CJK.search(text) or not _looks_english(text):
            names = [m.name for m in self.taxonomy.subjects if m.count(text[:start])]
            return names[-1] if names else "result (label to be written from the quote)"
        clause_end = _CLAUSE_END.search(text, end)
        predicate = _squash(text[end : clause_end.start() if clause_end else len(text)])
        predicate = _LEADING_VERB.sub("", predicate.lstrip(") ）"))
        clause_start = max(text.rfind(c, 0, start) for c in ",;:") + 1
        subject = _squash(text[clause_start:start]).strip("( （")
        parenthesised = text[max(0, start - 1) : start] in "(（" and start > 0
        if parenthesised or not predicate:
            predicate = f"{subject} {predicate}".strip()
        return _shorten(predicate) or "result (label to be written from the quote)"

    def _check_two_by_two(self, text: str, drafts: list[_Draft]) -> None:
        cells: dict[str, int] = {}
        for match in TWO_BY_TWO.finditer(text):
            words = match.group(1).lower().split()
            key = match.group(1).upper() if len(words) == 1 else words[0][0].upper() + words[1][0].upper()
            cells[key] = int(match.group(2))
        if {"TP", "FP", "FN", "TN"} - cells.keys():
            return
        for metric, hits, total in (
            ("sensitivity", cells["TP"], cells["TP"] + cells["FN"]),
            ("specificity", cells["TN"], cells["TN"] + cells["FP"]),
        ):
            if total == 0:
                continue
            low, high = wilson_interval(hits, total)
            computed = 100 * hits / total
            message = (f"2x2 counts give {metric} {hits}/{total} = {computed:.1f}% "
                       f"(Wilson 95% CI {low:.1f}-{high:.1f})")  # fmt: skip
            stated = [d for d in drafts if d.metric == metric]
            for draft in stated:
                percent = draft.numbers.get("percent")
                if isinstance(percent, float) and abs(percent - computed) > 1.0:
                    draft.notes.append(f"{message}, not the stated {percent}%")
            if not stated:
                self.notes.append(message)

    def _finish(self, drafts: list[_Draft]) -> list[Finding]:
        findings: list[Finding] = []
        seen: set[tuple[str, str]] = set()
        for draft in drafts:
            quote, line = self.reading.quote(draft.sentence.start, draft.sentence.end)
            key = (draft.value, draft.label, _squash(draft.sentence.text))
            if key in seen:
                continue
            seen.add(key)
            numbers = {k: v for k, v in draft.numbers.items() if v is not None}
            finding = Finding(
                label=draft.label, value=draft.value, metric=draft.metric,
                comparator=draft.comparator, quote=quote, location=Location(line=line),
                **numbers,  # type: ignore[arg-type]
            )  # fmt: skip
            findings.append(finding)
            self.notes.extend(f"finding {len(findings)} ({draft.label}): {n}" for n in draft.notes)
            self.notes.extend(_range_notes(len(findings), finding))
        return findings


def _range_notes(number: int, finding: Finding) -> list[str]:
    """CI must contain the estimate; P must lie in [0, 1]; a percent in [0, 100]."""
    notes = []
    for name, estimate, low, high in (
        ("estimate", finding.percent, finding.ci_low, finding.ci_high),
        ("comparator", *(
            (finding.comparator.value, finding.comparator.ci_low, finding.comparator.ci_high)
            if finding.comparator else (None, None, None)
        )),
    ):  # fmt: skip
        if estimate is not None and low is not None and high is not None and not (
            low <= estimate <= high
        ):
            notes.append(f"the 95% CI {low}-{high} does not contain the {name} {estimate}")
    if finding.p_value is not None and not 0 <= finding.p_value <= 1:
        notes.append(f"P = {finding.p_value} is outside [0, 1]")
    if finding.percent is not None and not 0 <= finding.percent <= 100:
        notes.append(f"{finding.percent}% is outside 0-100")
    return [f"finding {number} ({finding.label}): {n}" for n in notes]


def _sentences_in(reading: Reading, paragraph: Span) -> list[Span]:
    return [s for s in reading.sentences() if paragraph.start <= s.start < paragraph.end]


def _p_numbers(match: re.Match[str]) -> dict[str, float | int | str | None]:
    operator = {"≤": "<=", "≥": ">="}.get(match.group(1), match.group(1))
    return {"p_value": to_float(match.group(2)), "p_operator": operator}


def _maybe(text: str | None) -> float | None:
    return to_float(text) if text else None


def _first_name(matchers: list[Matcher], text: str) -> str | None:
    hits = [(m.start(), matcher.name) for matcher in matchers for m in matcher.finditer(text)]
    return min(hits)[1] if hits else None


def _last_name(matchers: list[Matcher], text: str) -> str | None:
    hits = [(m.end(), matcher.name) for matcher in matchers for m in matcher.finditer(text)]
    return max(hits)[1] if hits else None


def _compose_label(metric: str | None, subject: str | None, index_test: str | None,
                   comparator: str | None) -> str:  # fmt: skip
    if not (metric or subject):
        return ""
    label = " for ".join(part for part in (metric, subject) if part)
    if index_test and comparator:
        label += f": {index_test} vs {comparator}"
    return label


def _looks_english(text: str) -> bool:
    words = re.findall(r"[a-z]+", text.lower())
    common = {"the", "of", "and", "with", "in", "patients", "were", "was", "had", "to", "a"}
    return sum(w in common for w in words) >= 2


def _squash(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip()


def _shorten(text: str, words: int = 16) -> str:
    parts = text.split()
    return " ".join(parts[:words]) + (" …" if len(parts) > words else "")


def _number_text(value: float) -> str:
    return f"{value:g}"
