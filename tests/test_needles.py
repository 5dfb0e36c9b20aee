"""A gated pattern finds exactly what the pattern finds: the gate only skips texts that hold none
of the strings every match must contain."""

from __future__ import annotations

import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from macros.cards.taxonomy import Matcher, load_taxonomy
from macros.core.needles import Gate, Gated, needles
from macros.extract import bibliographic, cases, figures, findings, reading, study

from .conftest import ROOT, SEED_TEXTS

GATED = {
    f"{module.__name__}.{name}": value
    for module in (bibliographic, cases, findings, reading, study)
    for name, value in vars(module).items()
    if isinstance(value, Gated)
} | {f"study._EXPLICIT {design}": gated for design, gated in study._EXPLICIT}
GATED |= {f"study._STATEMENTS {i}": s.pattern for i, s in enumerate(study._STATEMENTS)}
GATED |= {f"topic {m.name}": m.gated for m in load_taxonomy(ROOT / "taxonomy").topic_matchers}
GATED |= {
    f"figures {rule.name} gate {index}": gate
    for rule in (*figures.RULES, figures.P_RULE, *figures.QUANTITIES, figures.BARE_COUNT_RULE)
    for index, gate in enumerate(rule.gates)
    if isinstance(gate, Gated)
}
CLAUSES = sorted({c for text in SEED_TEXTS for c in re.split(r"[,;.\n]", text) if c.strip()})


def _same(gated: Gated, text: str) -> bool:
    found, expected = gated.search(text), gated.pattern.search(text)
    return (found and found.span()) == (expected and expected.span())


def test_the_readers_gate_their_patterns() -> None:
    cues = {f"macros.extract.cases.{n}" for n in ("_TREATMENT", "_IMAGING", "_FOLLOW_UP")}
    assert cues | {"macros.extract.reading._CITATION"} <= set(GATED)
    assert all(gated.needles for gated in GATED.values())


@pytest.mark.parametrize("name", sorted(GATED))
def test_a_gated_cue_finds_what_its_pattern_finds_in_every_clause_of_the_seeds(name: str) -> None:
    gated = GATED[name]
    assert [c for c in CLAUSES if not _same(gated, c)] == []
    if ".cases." in name:  # the case reports among the seeds state every cue
        assert any(gated.pattern.search(c) for c in CLAUSES)


def _words(gated: Gate) -> st.SearchStrategy[str]:
    """Text made of the gate's needles, mangled in case and cut, among letters of any kind
    (`ſ`, `K`, `İ` included: IGNORECASE matches them to ASCII letters)."""
    pieces = st.sampled_from(sorted(gated.needles or ["x"])).flatmap(
        lambda needle: st.sampled_from(
            [
                needle,
                needle.upper(),
                needle.title(),
                needle[1:],
                needle[:-1],
                needle.replace("s", "\u017f"),  # long s
                needle.replace("k", "\u212a"),  # Kelvin sign
                needle.upper().replace("I", "\u0130"),  # dotted capital I
            ]
        )
    )
    noise = st.text(
        st.sampled_from(list("abcsikSIK -_,.0123456789éſKİı()[]/\t")) | st.characters(),
        max_size=6,
    )
    return st.lists(pieces | noise, max_size=8).map("".join)


@pytest.mark.parametrize("name", sorted(GATED))
@settings(max_examples=100, deadline=None)
@given(data=st.data())
def test_a_gated_cue_finds_what_its_pattern_finds_in_any_text(
    name: str, data: st.DataObject
) -> None:
    """And its finder finds a needle exactly where the text (in lower case) holds one."""
    gated = GATED[name]
    text = data.draw(_words(gated))
    assert _same(gated, text)
    assert (gated._finder.search(text.lower()) is not None) == _holds_a_needle(gated, text)


@pytest.mark.parametrize(
    ("pattern", "expected"),
    [
        (r"\b\w*steroid|\bNSAIDs?\b", {"steroid", "nsaid"}),
        (r"\b(?:after|at) \d+ (?:years?|months?)\b", {"year", "month"}),  # the longest
        (r"(?-i:HR|OR)|ratio", {"hr", "or", "ratio"}),
        (r"treated|(?:with)?", None),  # the second branch may match nothing
        (r"[ée]tat|x\d", {"tat", "x"}),  # a class is no literal
        (r"(?=foo)bar", {"bar"}),  # a lookahead's text is not the match's
        (r"\u017fome|ok", {"ome", "ok"}),  # `ſ` (long s) matches `s`: not in a needle
    ],
)
def test_needles_are_read_from_the_pattern(pattern: str, expected: set[str] | None) -> None:
    found = needles(re.compile(pattern, re.I))
    assert found == (frozenset(expected) if expected is not None else None)


TAXONOMY = load_taxonomy(ROOT / "taxonomy")


@pytest.mark.parametrize("matcher", TAXONOMY.exposures, ids=lambda m: m.name)
def test_a_gated_exposure_finds_what_its_matcher_finds(matcher: Matcher) -> None:
    gated = matcher.gated
    assert gated.needles
    texts = [*CLAUSES, "Treated with ISOTRETINOIN", "异维A酸治疗", "sous isotrétinoïne"]
    for text in texts:
        assert [m.span() for m in gated.finditer(text)] == [
            m.span() for m in matcher.finditer(text)
        ]
        assert _same(gated, text)


@pytest.mark.parametrize("matcher", TAXONOMY.topic_matchers, ids=lambda m: m.name)
def test_a_gated_topic_finds_all_its_matcher_finds_in_every_seed(matcher: Matcher) -> None:
    """`Taxonomy.classify` counts a topic's words in the body through its gate."""
    assert matcher.gated.needles
    for text in SEED_TEXTS:
        assert matcher.gated.findall(text) == matcher.pattern.findall(text)
    assert 0 < sum(bool(matcher.pattern.findall(text)) for text in SEED_TEXTS) < len(SEED_TEXTS)


def test_a_gate_of_several_patterns_holds_the_needles_of_each() -> None:
    treated, drug = Gated(re.compile("treated|given", re.I)), Gated(re.compile("NSAIDs?", re.I))
    both = Gate.any_of([treated, drug])
    assert both.needles == frozenset({"treated", "given", "nsaid"})
    assert both.excludes("No therapy.")
    assert not both.excludes("Nsaid use")
    assert not both.excludes("ſtop")  # not plain: each pattern is asked
    assert Gate.any_of([treated, Gated(re.compile(r"\w+"))]).needles is None


EXPOSURES = cases._Exposures.of(TAXONOMY.exposures)


def _one_by_one(text: str) -> tuple[set[str], str | None]:
    """The exposures a text names, and the first, asked of each exposure's own pattern."""
    hits = [(m.start(), e.name) for e in TAXONOMY.exposures for m in e.pattern.finditer(text)]
    return {name for _, name in hits}, (min(hits)[1] if hits else None)


def test_the_exposures_behind_one_gate_name_what_each_exposure_names() -> None:
    """`cases._Exposures`: a clause the shared gate lets through is put to each exposure."""
    named = [n for m in TAXONOMY.exposures for n in sorted(m.gated.needles or [])]
    texts = [*CLAUSES, *named, *(f"then {n.upper()} and {n}" for n in named)]
    assert {name for t in texts for name in EXPOSURES.names(t)} == {
        m.name for m in TAXONOMY.exposures
    }
    for text in texts:
        assert (EXPOSURES.names(text), EXPOSURES.first(text)) == _one_by_one(text)


@settings(max_examples=300, deadline=None)
@given(data=st.data())
def test_the_exposures_behind_one_gate_name_what_each_exposure_names_in_any_text(
    data: st.DataObject,
) -> None:
    text = data.draw(_words(EXPOSURES.gate))
    assert (EXPOSURES.names(text), EXPOSURES.first(text)) == _one_by_one(text)


GATES: dict[str, Gate] = {**GATED, "exposures": EXPOSURES.gate}


def _holds_a_needle(gate: Gate, text: str) -> bool:
    return any(needle in text.lower() for needle in gate.needles or ())


@pytest.mark.parametrize(
    ("needles", "expected"),
    [
        ({"treated with", "treatment", "nsaid"}, "(?:nsaid|treat(?:ed\\ with|ment))"),
        ({"treat", "treatment", "retreat", "x"}, "(?:treat|x)"),  # one holds another
        ({"a.b", "a+c"}, "a(?:\\+c|\\.b)"),
    ],
)
def test_the_finder_writes_common_beginnings_once(needles: set[str], expected: str) -> None:
    assert Gate(frozenset(needles))._finder.pattern == expected


@pytest.mark.parametrize("name", sorted(GATES))
def test_a_gate_finds_a_needle_in_every_clause_that_holds_one(name: str) -> None:
    gate = GATES[name]
    assert [
        c for c in CLAUSES if (gate._finder.search(c.lower()) is None) == _holds_a_needle(gate, c)
    ] == []
