"""Identifier logic in one place: DOIs, PMIDs, page ranges, citekeys and card ids.

Like Manubot's `cite` handlers, each kind declares its pattern and its standard form here, so the
parsers only find candidates and never normalise on their own.
"""

from __future__ import annotations

import re
from collections.abc import Collection

from anyascii import anyascii

# The DOI syntax, defined here only. The DOI Handbook allows any Unicode in a suffix; we accept
# the printable ASCII that registered DOIs use: Crossref's recommended set (letters, digits and
# `-._;()/`) plus `:` and `<>` of SICI DOIs like
# `10.1002/(SICI)1097-0258(19980815/30)17:15/16<1661::AID-SIM968>3.0.CO;2-2`. So a card's DOI holds
# no space, quote, line break or TeX syntax but `_` (no `\ { } $ & ~ # % ^`), and each output
# format still escapes what it treats specially (`_` in BibTeX, `< >` in HTML, `< > ; ( )` in URLs).
_DOI_PREFIX = r"10\.[0-9]{4,9}(?:\.[0-9]+)*"  # `10.1002`, `10.1000.10`
_IN_TEXT = r"A-Za-z0-9._/:\-"  # a DOI in running text is read over these only
DOI_SYNTAX = rf"^{_DOI_PREFIX}/[{_IN_TEXT};()<>]+$"
# In running text `;`, `<`, `>` and an unbalanced `)` end a DOI (`(doi:10.1/x)`, `10.1/x; PMID`);
# a balanced `(...)` is part of it (`10.1016/S0140-6736(05)61915-4`).
DOI_PATTERN = re.compile(rf"\b({_DOI_PREFIX}/(?:[{_IN_TEXT}]|\([{_IN_TEXT}]*\))+)")
_DOI_URL_OR_LABEL = re.compile(r"^(?:https?://(?:dx\.)?doi\.org/|doi:\s*)", re.IGNORECASE)
PMID_PATTERN = re.compile(r"\bPMID:?\s*(\d{1,9})\b")
# A citekey, defined here only (the model's field, citations in pages, the BibTeX key): a letter,
# then letters and digits. BibTeX, biber, Pandoc and Markdown citations read it the same.
CITEKEY = r"[A-Za-z][A-Za-z0-9]*"


def normalize_doi(text: str) -> str | None:
    """The DOI in `text`, lower-case, without URL prefix or trailing punctuation; else None."""
    match = DOI_PATTERN.search(_DOI_URL_OR_LABEL.sub("", text.strip()))
    doi = match.group(1).rstrip(".").lower() if match else ""
    return doi if re.fullmatch(DOI_SYNTAX, doi) else None  # `10.1234/.` is no DOI


def checked_doi(value: str) -> str:
    """`value` if it has the DOI syntax; else an error that says what a DOI may contain."""
    if not re.fullmatch(DOI_SYNTAX, value):
        raise ValueError(
            "not a DOI: a DOI is `10.`, the registrant's digits, `/` and a suffix of only"
            " letters, digits and - . _ ; ( ) / : < >"
        )
    return value


def find_pmid(text: str) -> str | None:
    match = PMID_PATTERN.search(text)
    return match.group(1) if match else None


def expand_pages(pages: str) -> str:
    """Expand an abbreviated range (`63-5` -> `63-65`, `1123-31` -> `1123-1131`)."""
    match = re.fullmatch(r"\s*([A-Za-z]?)(\d+)\s*[-–—]+\s*([A-Za-z]?)(\d+)\s*", pages)
    if not match:
        return pages.strip()
    prefix, first, prefix2, last = match.groups()
    if len(last) < len(first):
        last = first[: len(first) - len(last)] + last
    return f"{prefix}{first}-{prefix2 or prefix}{last}"


def ascii_word(text: str) -> str:
    """Letters and digits only, transliterated to ASCII (`Akyıldız` -> `Akyildiz`)."""
    return re.sub(r"[^A-Za-z0-9]", "", anyascii(text))


def slugify(text: str) -> str:
    words = re.findall(r"[a-z0-9]+", anyascii(text).lower())
    return "-".join(words)


def citekey_stem(family: str | None, title: str | None, year: int | None) -> str:
    """`Erol2025`; without an author the first title word; without a year `ND` (no date)."""
    name = ascii_word(family or "")
    if not name and title:
        words = [ascii_word(w) for w in title.split()]
        name = next((w for w in words if len(w) > 3), "") or next((w for w in words if w), "")
    name = name[:1].upper() + name[1:] if name else "Anon"
    if not name[0].isalpha():
        name = "X" + name
    return f"{name[:40]}{year if year else 'ND'}"


def card_id_stem(family: str | None, title: str | None, year: int | None, topic: str) -> str:
    """`erol-2025-isotretinoin-sacroiliitis`: who, when, what, readable in a URL."""
    who = slugify(family or "") or slugify(" ".join((title or "anon").split()[:3])) or "anon"
    return f"{who[:40].strip('-')}-{year if year else 'nd'}-{topic}"


def unique(stem: str, taken: Collection[str], separator: str = "") -> str:
    """`stem`, or `stem` with the first free suffix b, c, ... (a is the unsuffixed one).

    `taken` holds the identifiers in use case-folded: `EROL2025` and `Erol2025` are one key to
    BibTeX and one file name on a case-insensitive file system.
    """
    if stem.casefold() not in taken:  # a set for thousands of cards: looked up, never copied
        return stem
    for index in range(1, 10_000):
        suffix = _letters(index)
        candidate = f"{stem}{separator}{suffix}"
        if candidate.casefold() not in taken:
            return candidate
    raise RuntimeError(f"no free identifier for {stem!r}")


def _letters(index: int) -> str:
    """1 -> b, 24 -> z, 25 -> ba ... (`a` is the unsuffixed original)."""
    letters = ""
    while index:
        index, rest = divmod(index, 26)
        letters = chr(ord("a") + rest) + letters
    return letters
