"""Author names: split a stated author list into family and given names.

Two orders occur. PubMed writes `den Broeder A A` (family first, initials last); publishers and
Semantic Scholar write `Ezgi Akyıldız Tezcan` (given first). The order is decided for a whole
list, since one name alone (`Chen Xm`, `Simona Bo`) may read either way. In the given-first
order, initials belong to the given names and a lower-case particle starts the family name
(`Piet A van den Brandt`). Three words without a particle are ambiguous in text alone: in a
publisher's byline with affiliation marks the last word is the surname (`Tereza Cristina
Ribeiro1`), as typesetting prints it; elsewhere the words after the first name are kept as one
family name (`Akyıldız Tezcan`). Letters are never transliterated here.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from ..core.text import HAN

_ET_AL = re.compile(r"(?:,?\s*\bet\.?\s*al\b\.?|\s*等(?:人)?)\s*$", re.IGNORECASE)
_INITIALS = re.compile(r"^(?:[A-Z]\.?){1,4}$")
# Lower-case particles start a family name: `Hendrik Jan van der Meer` is van der Meer, Hendrik Jan.
PARTICLES = frozenset(
    {"van", "der", "den", "de", "von", "da", "di", "du", "le", "la"}
    | {"dos", "das", "del", "della", "ten", "ter"}
)
# Titles are no part of a name: `Dr Camille Rousseau` is Rousseau, Camille.
_TITLE = re.compile(r"^(?:Dr|Pr|Prof|Professor|Doctor|Docteur|Professeur|Dra)\.?$", re.I)
_HAN = re.compile(f"[{HAN}]")


@dataclass(frozen=True)
class Name:
    family: str
    given: str | None


@dataclass(frozen=True)
class AuthorList:
    names: list[Name]
    truncated: bool


def parse_author_list(text: str) -> AuthorList:
    """`Kemal Erol, Ezgi Akyıldız Tezcan` or `Straten V H H P, den Broeder A A, et al.`."""
    text = text.strip().rstrip(".")
    truncated = bool(_ET_AL.search(text))
    parts = [part.split() for part in _SEPARATOR.split(_ET_AL.sub("", text))]
    family_first = _family_first([words for words in parts if words])
    names = [name for words in parts if (name := _name(words, family_first)) is not None]
    return AuthorList(names, truncated)


# Affiliation and correspondence marks after a name in a byline: `Kirov1`, `Dagnelie1,2*`,
# `Bo†`, PubMed's `Lefèvre A(1)`, superscript digits and ORCID identifiers.
_MARKS = re.compile(
    r"\(\d{1,2}(?:\s*,\s*\d{1,2})*\)"
    r"|(?<=[^\W\d_])(?:\d{1,3}(?:,\d{1,3})*|[*†‡§¶#])+"
    r"|[¹²³⁴⁵⁶⁷⁸⁹⁰]+"
    r"|(?:https?://orcid\.org/)?\b\d{4}-\d{4}-\d{4}-\d{3}[\dX]\b"
    r"|\bORCID\b:?|\biD\b"
)
_SEPARATOR = re.compile(r"\s*(?:[,;，、·]|\band\b|&)\s*")
_INITIAL_LIKE = re.compile(r"^(?:[A-Z]{1,4}|(?:[A-Z]\.-?){1,4}|[A-Z][a-z]|[a-z])$")
_STRICT_INITIALS = re.compile(r"^(?:[A-Z]{1,4}|(?:[A-Z]\.-?){1,4}|[a-z])$")
_NAME_WORD = re.compile(r"^[^\W\d_]+(?:['’.-][^\W\d_]+)*\.?$")
MAX_NAME_WORDS = 6


def read_byline(text: str) -> AuthorList | None:
    """The authors of a byline (`Given Family1,2*, … and …` or `Family I I, …`), or None when
    any item is not a name: a byline holds nothing but names and their marks.

    Publishers typeset a byline given names first and the surname last, so in a byline with
    affiliation marks the last word (with any particles before it) is the family name.
    """
    marked, parts = _byline_items(text)
    if not parts or not all(_is_name(words) for words in parts):
        return None
    family_first = _family_first(parts)
    if len(parts) < 2 and not (marked or family_first):
        return None  # one unmarked name-like line ("Open Access") is no byline
    names = [_name(words, family_first, surname_last=marked) for words in parts]
    return AuthorList([name for name in names if name is not None], bool(_ET_AL.search(text)))


def starts_with_name(text: str) -> bool:
    """Whether the first item of `text` is a name: a byline can begin there (cheap to test)."""
    return _is_name(_MARKS.sub("", _SEPARATOR.split(text, maxsplit=1)[0]).split())


def byline_may_go_on(text: str) -> bool:
    """Whether `text` may be a byline that a line break cut: every name but the last is whole."""
    return all(_is_name(words) for words in _byline_items(text)[1][:-1])


def _byline_items(text: str) -> tuple[bool, list[list[str]]]:
    """Whether the byline has marks, and its items' words without the marks."""
    plain = _ET_AL.sub("", _MARKS.sub("", text).strip().rstrip(".,;"))
    return bool(_MARKS.search(text)), [part.split() for part in _SEPARATOR.split(plain)]


def _is_name(words: list[str]) -> bool:
    """Two to six words, each a capitalised word, an initial or a particle."""
    return (
        2 <= len(words) <= MAX_NAME_WORDS
        and (words[0][:1].isupper() or words[0] in PARTICLES)
        and all(
            (w[:1].isupper() and _NAME_WORD.match(w)) or w in PARTICLES or _INITIAL_LIKE.match(w)
            for w in words
        )
    )


def _family_first(parts: list[list[str]]) -> bool:
    """PubMed's order (`Kirov M Y`), decided for the whole list: most names end in initials."""
    initials = sum(1 for words in parts if len(words) > 1 and _STRICT_INITIALS.match(words[-1]))
    surnames = sum(1 for words in parts if len(words) > 1 and not _INITIAL_LIKE.match(words[-1]))
    return initials > surnames


def _name(words: list[str], family_first: bool, surname_last: bool = False) -> Name | None:
    while len(words) > 1 and _TITLE.match(words[0]):
        words = words[1:]
    if not words:
        return None
    if len(words) == 1:
        token = words[0]
        if _HAN.match(token) and len(token) >= 2:
            return Name(token[0], token[1:])
        return Name(token, None)
    if family_first:
        cut = len(words)
        while cut > 1 and _INITIAL_LIKE.match(words[cut - 1]):
            cut -= 1
        if cut < len(words):
            return Name(" ".join(words[:cut]), _spaced_initials(words[cut:]))
    particle = next((i for i, w in enumerate(words[1:-1], 1) if w in PARTICLES), None)
    if particle is not None:
        cut = particle
    elif surname_last:
        cut = len(words) - 1
    else:
        # The leading initials, the first word and the initials after it are given names; the
        # rest is the family name (`Ezgi Akyıldız Tezcan`: a compound family name kept whole).
        cut = min(
            next((i for i, w in enumerate(words) if not _INITIALS.match(w)), 0) + 1, len(words) - 1
        )
        while cut < len(words) - 1 and _INITIALS.match(words[cut]):
            cut += 1
    return Name(" ".join(words[cut:]), " ".join(words[:cut]))


def _spaced_initials(tokens: list[str]) -> str:
    """`VHHP` or `V H H P` -> `V H H P`: one spelling for initials in every card."""
    letters = [c for token in tokens for c in token if c.isalpha()]
    return " ".join(letters)
