"""Text hygiene, identifiers and names: small functions with exact, hand-computed answers."""

from __future__ import annotations

import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from macros.core.identifiers import citekey_stem, expand_pages, normalize_doi, slugify, unique
from macros.core.text import (
    MAX_SEED_BYTES,
    Decoded,
    SeedError,
    SeedText,
    clean_inline,
    counted,
    decode,
    normalize,
    single_spaced,
    squash,
)
from macros.extract.names import parse_author_list

from .conftest import SPACED


def test_bom_crlf_cr_and_nfc_are_normalised() -> None:
    raw = "\ufeffline one\r\nline two\rCafe\u0301".encode()
    seed = SeedText.from_bytes("s.txt", raw)
    assert seed.text == "line one\nline two\nCafé"
    assert seed.line_of(seed.text.index("Café")) == 3


def test_invisible_controls_are_removed_but_entities_kept() -> None:
    text = "a\u200bb\u202ec\x1b[31md\x00e &amp; <b>x</b>"
    assert normalize(text) == "abcde &amp; <b>x</b>"
    assert clean_inline(text) == "abcde & x"


def test_cp1252_bytes_inside_utf8_are_read_as_windows_1252_and_said() -> None:
    text = "Le café était prêt à côté de l'hôpital; élève âgé. "
    raw = text.encode() + b"\n\x93quoted\x94"
    decoded = decode(raw)
    assert decoded.text == text + "\n\u201cquoted\u201d"
    assert decoded.note is not None
    assert decoded.note.startswith("2 bytes of the seed are not UTF-8 (the first on line 2)")


def test_utf8_is_read_without_a_note() -> None:
    assert decode("café 患者".encode()) == Decoded("café 患者", None)


@pytest.mark.parametrize(
    ("text", "encoding"),
    [
        ("Le patient présentait une sacro-iliite après isotrétinoïne; élève âgé.", "latin-1"),
        ("Le patient présentait une « sacro-iliite » après isotrétinoïne – élève.", "cp1252"),
        ("患者为17岁男性，服用异维A酸后出现骶髂关节炎。磁共振成像显示骨髓水肿。", "gb18030"),
    ],
)
def test_regression_a_seed_in_a_legacy_encoding_is_read_right_and_said(
    text: str, encoding: str
) -> None:
    """Issue 10: a Latin-1 seed became a card of plausible garbage with '0 warnings'."""
    seed = SeedText.from_bytes("seeds/legacy.txt", text.encode(encoding))
    assert seed.text == text
    assert seed.encoding_note is not None
    assert "not UTF-8" in seed.encoding_note


@pytest.mark.parametrize(
    ("raw", "message"),
    [
        (b"", "empty"),
        (b"   \n\t ", "empty"),
        (b"\x00\x01\x02\x00" * 100, "binary"),
        (b"x" * (MAX_SEED_BYTES + 1), "limit"),
    ],
)
def test_unreadable_seeds_raise_a_clear_error(raw: bytes, message: str) -> None:
    with pytest.raises(SeedError, match=message):
        SeedText.from_bytes("s.txt", raw)


@pytest.mark.parametrize(
    ("text", "doi"),
    [
        ("https://doi.org/10.1097/RHU.0000000000002247", "10.1097/rhu.0000000000002247"),
        ("doi: 10.1080/03009740802213302.", "10.1080/03009740802213302"),
        ("DOI:10.1148/radiol.2020201537", "10.1148/radiol.2020201537"),
        ("http://dx.doi.org/10.5555/ABC.def", "10.5555/abc.def"),
        ("no identifier here", None),
    ],
)
def test_doi_normalisation(text: str, doi: str | None) -> None:
    assert normalize_doi(text) == doi


@pytest.mark.parametrize(
    ("pages", "expanded"),
    [
        ("63-5", "63-65"),
        ("1123-31", "1123-1131"),
        ("412-8", "412-418"),
        ("e123", "e123"),
        ("1455–1463", "1455-1463"),
        ("99-101", "99-101"),
    ],
)
def test_abbreviated_page_ranges_are_expanded(pages: str, expanded: str) -> None:
    assert expand_pages(pages) == expanded


def test_citekeys_and_slugs_are_ascii_and_unique() -> None:
    assert citekey_stem("Akyıldız Tezcan", None, 2025) == "AkyildizTezcan2025"
    assert citekey_stem(None, "Sacroiliitis during isotretinoin", None) == "SacroiliitisND"
    assert slugify("Ostéomyélite multifocale") == "osteomyelite-multifocale"
    assert unique("Erol2025", {"erol2025"}) == "Erol2025b"
    assert unique("Erol2025", {"erol2025", "erol2025b"}) == "Erol2025c"
    assert unique("x", {"x", *(f"x{c}" for c in "bcdefghijklmnopqrstuvwxyz")}) == "xba"
    assert unique("Erol2025", {"erol2024"}) == "Erol2025"


def test_author_lists_in_both_orders_keep_particles_and_letters() -> None:
    pubmed = parse_author_list("Straten V H H P, den Broeder A A, van den Hoogen F H J")
    assert [(n.family, n.given) for n in pubmed.names] == [
        ("Straten", "V H H P"),
        ("den Broeder", "A A"),
        ("van den Hoogen", "F H J"),
    ]
    publisher = parse_author_list("Kemal Erol, Ezgi Akyıldız Tezcan")
    assert [(n.family, n.given) for n in publisher.names] == [
        ("Erol", "Kemal"),
        ("Akyıldız Tezcan", "Ezgi"),
    ]
    truncated = parse_author_list("Lennart B O Jans,Min Chen,Dirk Elewaut,et al.")
    assert truncated.truncated
    assert (truncated.names[0].family, truncated.names[0].given) == ("Jans", "Lennart B O")


def test_a_count_takes_the_plural_unless_it_is_one() -> None:
    assert [counted(n, "card") for n in (0, 1, 2)] == ["0 cards", "1 card", "2 cards"]


def test_the_space_is_the_only_printable_white_space() -> None:
    """What `single_spaced` rests on, over every code point."""
    every_character = "".join(map(chr, range(0x110000)))
    assert {c for c in re.findall(r"\s", every_character) if c.isprintable()} == {" "}


@settings(max_examples=500)
@given(st.text(SPACED | st.characters()))
def test_a_single_spaced_text_has_no_white_space_but_single_spaces(text: str) -> None:
    if single_spaced(text):
        assert set(re.findall(r"\s+", text)) <= {" "}
    elif text.isprintable():
        assert "  " in text


@settings(max_examples=500)
@given(st.text(SPACED | st.characters()))
def test_squash_without_a_run_of_white_space_is_the_text_stripped(text: str) -> None:
    assert squash(text) == re.sub(r"\s+", " ", text).strip()
