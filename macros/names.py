"""Author names: split a stated author list into family and given names.

Two orders occur in our seeds. PubMed writes `den Broeder A A` (family first, initials last);
publishers and Semantic Scholar write `Ezgi Akyıldız Tezcan` (given first). In the given-first
order, initials belong to the given names; whole words after the first name are taken as the
family name, which keeps compound Turkish, Spanish and Dutch family names (`Akyıldız Tezcan`,
`van den Hoogen`) whole. Letters are never transliterated here.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

_ET_AL = re.compile(r"(?:,?\s*\bet\.?\s*al\b\.?|\s*等(?:人)?)\s*$", re.IGNORECASE)
_INITIALS = re.compile(r"^(?:[A-Z]\.?){1,4}$")
# Lower-case particles start a family name: `Hendrik Jan van der Meer` is van der Meer, Hendrik Jan.
PARTICLES = frozenset(
    {"van", "der", "den", "de", "von", "da", "di", "du", "le", "la"}
    | {"dos", "das", "del", "della", "ten", "ter"}
)
# Titles are no part of a name: `Dr Camille Rousseau` is Rousseau, Camille.
_TITLE = re.compile(r"^(?:Dr|Pr|Prof|Professor|Doctor|Docteur|Professeur|Dra)\.?$", re.I)
_CJK = re.compile(r"[\u3400-\u9fff]")


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
    text = _ET_AL.sub("", text)
    parts = re.split(r"\s*(?:[,;，、]|\band\b|&)\s*", text)
    names = [name for part in parts if (name := parse_name(part)) is not None]
    return AuthorList(names, truncated)


_NAME_TOKEN = re.compile(
    r"^(?:[A-Z]\.?){1,3}$|^[A-Z][a-z\u00c0-\u017f'’-]+$|^(?:" + "|".join(PARTICLES) + r")$"
)


def looks_like_author_line(line: str) -> bool:
    """`R. Whitcombe, J. Adeyinka, M. Castellano`: two or more names and nothing else."""
    text = _ET_AL.sub("", line.strip().rstrip("."))
    parts = [p.split() for p in re.split(r"\s*(?:[,;]|\band\b|&)\s*", text) if p.strip()]
    return len(parts) >= 2 and all(
        2 <= len(words) <= 4 and all(_NAME_TOKEN.match(w) for w in words) for words in parts
    )


def parse_name(text: str) -> Name | None:
    tokens = text.replace("\u00a0", " ").split()
    while len(tokens) > 1 and _TITLE.match(tokens[0]):
        tokens = tokens[1:]
    if not tokens:
        return None
    if len(tokens) == 1:
        token = tokens[0]
        if _CJK.match(token) and len(token) >= 2:
            return Name(token[0], token[1:])
        return Name(token, None)
    if _INITIALS.match(tokens[-1]) and not _INITIALS.match(tokens[0]):
        # PubMed order: family (with particles) first, then the initials.
        cut = len(tokens)
        while cut > 1 and _INITIALS.match(tokens[cut - 1]):
            cut -= 1
        return Name(" ".join(tokens[:cut]), _spaced_initials(tokens[cut:]))
    particle = next((i for i, t in enumerate(tokens[1:-1], 1) if t in PARTICLES), None)
    if particle is not None:
        return Name(" ".join(tokens[particle:]), " ".join(tokens[:particle]))
    # Given-first order: the first word and any initials are given names; the rest is family.
    cut = 1
    while cut < len(tokens) - 1 and _INITIALS.match(tokens[cut]):
        cut += 1
    return Name(" ".join(tokens[cut:]), " ".join(tokens[:cut]))


def _spaced_initials(tokens: list[str]) -> str:
    """`VHHP` or `V H H P` -> `V H H P`: one spelling for initials in every card."""
    letters = [c for token in tokens for c in token if c.isalpha()]
    return " ".join(letters)
