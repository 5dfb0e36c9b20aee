"""Every output format escapes its own syntax, whatever the field (issue 10).

The same hostile strings go into every free-text field of a card and into its DOI (past the
model, which refuses them there: the writers must not depend on it), then each format is read
back as data: BibTeX by bibtexparser, real `bibtex`, `biber --tool` and a paranoid `pdflatex`;
RIS by rispy; CSL-JSON by `json`; the Vancouver HTML by `html.parser`.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import urllib.parse
from html.parser import HTMLParser
from pathlib import Path

import pytest
import rispy  # type: ignore[import-untyped]
from hypothesis import given
from hypothesis import strategies as st
from pydantic import ValidationError

from macros.cards.bib import bibliography, card_fields, read_back
from macros.cards.cardfiles import CardError, load_card
from macros.cards.model import Author, Card
from macros.cards.references import csl_item, csl_json, doi_url, ris, vancouver_html
from macros.cards.taxonomy import default_taxonomy
from macros.cards.yamlio import YamlError
from macros.core.identifiers import normalize_doi
from tests.conftest import ROOT, require_tool

TEX_DOI = "10.1097/x^^5cinput^^7b/etc/hostname^^7d"  # TeX reads `^^5c` as `\`, `^^7b` as `{`
SECRET = "SECRET-4711"  # in `outside.tex`, beside the folder LaTeX runs in: it must never be read
HOSTILE = (
    "^^5cinput^^7b/etc/hostname^^7d",
    "^^5cinput^^7b../outside^^7d",
    r"\input{/etc/passwd}",
    r"\input{../outside} \write18{touch pwned}",
    "}{",
    "$ _ & ~ # % ^",
    "@article{x,",
    "\n ER  - \nTY  - JOUR",
    "\u2028",
    "a\r\nb\u2029c\x85d\x0be\x0cf\x00g",
    '"',
    "'",
    "<script>alert(1)</script>",
    "x and others, y",
)
CARD_FILE = ROOT / "docs" / "cards" / "straten-2009-regional-migratory-osteoporosis.yml"
# Registered DOIs at the edges of the DOI syntax, and an allowed one that HTML would run.
REAL_DOIS = (
    "10.1002/(SICI)1097-0258(19980815/30)17:15/16<1661::AID-SIM968>3.0.CO;2-2",
    "10.1007/978-3-319-24277-4_9",
    "10.1016/S0140-6736(05)61915-4",
    "10.1000.10/ABC.def",
    "10.5555/<script>alert(1);</script>",
)


def _hostile_cards() -> list[Card]:
    """One card per hostile string, in every field the model leaves free, and in the DOI."""
    card = load_card(CARD_FILE)
    return [
        card.model_copy(
            update={
                "citekey": f"Hostile{index:02d}",  # the model allows letters and digits only
                "title": f"Title {text}",
                "journal": f"Journal {text}",
                "volume": text,
                "issue": text,
                "pages": f"1{text}-2{text}",
                "doi": f"10.1097/x{text}",
                "authors": [Author(family=f"Family {text}", given=text), Author(family=text)],
                "authors_truncated": True,
            }
        )
        for index, text in enumerate(HOSTILE)
    ]


def _all_cards() -> list[Card]:
    """The five real cards, the hostile ones, and cards with the DOIs at the edges."""
    real = [load_card(path) for path in sorted((ROOT / "docs" / "cards").glob("*.yml"))]
    card = load_card(CARD_FILE)  # the model's side of these DOIs is tested below
    dois = [
        card.model_copy(update={"citekey": f"Doi{index}", "doi": doi})
        for index, doi in enumerate(REAL_DOIS)
    ]
    return [*real, *_hostile_cards(), *dois]


def _write(folder: Path, cards: list[Card]) -> Path:
    folder.mkdir(exist_ok=True)
    (folder / "references.bib").write_text(bibliography(cards), encoding="utf-8")
    return folder


def _card_with_doi(doi: str) -> Card:
    return Card.model_validate({**load_card(CARD_FILE).to_data(), "doi": doi})


def _bibtex_text(value: str) -> str:
    """What BibTeX keeps of a value: a run of control characters or line separators is a space."""
    return re.sub(r"[\x00-\x1f\x7f-\x9f\u2028\u2029]+", " ", value)


def _bibtex_fields(card: Card) -> dict[str, str]:
    """What BibTeX keeps of a card: `card_fields`, and the authors with single spaces in names
    and no blank name or name part."""
    parts = ([_bibtex_text(p or "").split() for p in (a.family, a.given)] for a in card.authors)
    names = [", ".join(" ".join(p) for p in pair if p) for pair in parts if any(pair)]
    if not names:
        return card_fields(card)
    others = ["others"] if card.authors_truncated else []
    return {**card_fields(card), "author": " and ".join([*names, *others])}


def _name(author: Author) -> str:
    return f"{author.family}, {author.given}" if author.given else author.family


def test_bibtex_reads_back_every_hostile_field_as_data() -> None:
    cards = _all_cards()
    text = bibliography(cards)
    back = read_back(text)
    assert set(back) == {card.citekey for card in cards}
    for card in cards:
        assert back[card.citekey] == _bibtex_fields(card)
    for live in ("^^", "\\input", "\\write18", "@article{x"):
        assert live not in text


@pytest.mark.parametrize("style", ["plain", "plainnat"])
def test_real_bibtex_reads_the_hostile_bibliography(tmp_path: Path, style: str) -> None:
    bibtex = require_tool("bibtex")
    cards = _all_cards()
    folder = _write(tmp_path, cards)
    (folder / "doc.aux").write_text(
        f"\\relax\n\\citation{{*}}\n\\bibstyle{{{style}}}\n\\bibdata{{references}}\n",
        encoding="utf-8",
    )
    run = subprocess.run([bibtex, "doc"], cwd=folder, capture_output=True, text=True, timeout=60)
    assert run.returncode in (0, 1), run.stdout + run.stderr  # 1: warnings, 2: errors
    assert "error message" not in run.stdout, run.stdout
    bbl = (folder / "doc.bbl").read_text(encoding="utf-8")
    assert all(f"{{{card.citekey}}}" in bbl for card in cards)
    assert "^^" not in bbl


def test_real_biber_reads_the_hostile_bibliography(tmp_path: Path) -> None:
    biber = require_tool("biber")
    cards = _all_cards()
    folder = _write(tmp_path, cards)
    run = subprocess.run(
        [biber, "--tool", "--validate-datamodel", "--output-file", "out.bib", "references.bib"],
        cwd=folder,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert run.returncode == 0, run.stdout + run.stderr
    assert "ERROR" not in run.stdout, run.stdout
    assert set(read_back((folder / "out.bib").read_text(encoding="utf-8"))) == {
        card.citekey for card in cards
    }


DOCUMENT = r"""\documentclass{article}
\usepackage{natbib}
\begin{document}
\nocite{*}
\bibliographystyle{plainnat}
\bibliography{references}
\end{document}
"""


@pytest.mark.parametrize("which", ["all cards", "a TeX DOI past the model"])
def test_pdflatex_prints_the_hostile_bibliography_as_text(tmp_path: Path, which: str) -> None:
    """natbib and plainnat (which prints the DOI) with no shell escape and kpathsea's paranoid
    mode: no file outside the folder can be opened, and nothing of our fields tries to."""
    pdflatex, bibtex = require_tool("pdflatex"), require_tool("bibtex")
    (tmp_path / "outside.tex").write_text(SECRET, encoding="utf-8")
    tex_doi = load_card(CARD_FILE).model_copy(update={"doi": TEX_DOI})
    folder = _write(tmp_path / "build", _all_cards() if which == "all cards" else [tex_doi])
    (folder / "doc.tex").write_text(DOCUMENT, encoding="utf-8")
    paranoid = {**os.environ, "openin_any": "p", "openout_any": "p"}
    latex = [pdflatex, "-no-shell-escape", "-interaction=nonstopmode", "-halt-on-error", "doc"]
    for command, allowed in ((latex, {0}), ([bibtex, "doc"], {0, 1}), (latex, {0})):
        run = subprocess.run(
            command, cwd=folder, env=paranoid, capture_output=True, text=True, timeout=60
        )
        assert run.returncode in allowed, run.stdout + run.stderr  # bibtex: 1 is warnings
        assert "Not reading from" not in run.stdout + run.stderr  # kpathsea refused a file
    log = (folder / "doc.log").read_text(encoding="utf-8", errors="replace")
    assert not re.search(r"^! ", log, re.MULTILINE), log  # no TeX error at all
    assert "(/etc/" not in log  # TeX logs each file it opens as `(path`
    assert "(../outside" not in log
    assert SECRET not in log
    assert not (folder / "pwned").exists()
    if shutil.which("pdftotext"):  # poppler-utils; the log above already lists every file read
        text = subprocess.run(
            ["pdftotext", "doc.pdf", "-"], cwd=folder, capture_output=True, text=True, check=True
        ).stdout
        assert SECRET not in text
        assert "/etc/hostname" in text  # printed, as the field says


def _fold(text: str) -> str:
    return " ".join(text.split())


def test_ris_holds_exactly_the_records_written() -> None:
    """A line break in a name wrote `ER  -` and `TY  -` lines: a reader imported a fake record."""
    cards = _hostile_cards()
    text = ris(cards)
    records = rispy.loads(text)
    ordered = sorted(cards, key=lambda c: c.citekey)
    assert [r["id"] for r in records] == [c.citekey for c in ordered]  # no record forged
    for record, card in zip(records, ordered, strict=True):
        assert record["type_of_reference"] == "JOUR"
        assert record["title"] == _fold(card.title or "")
        assert record["authors"] == [_fold(_name(a)) for a in card.authors]
        assert record.get("doi") == (_fold(card.doi) if card.doi else None)
    lines = text.splitlines()  # every line break Python knows: CR, U+2028, U+0085, FF, ...
    assert all(re.match(r"[A-Z][A-Z0-9]  - ", line) for line in lines if line)
    assert sum(line.startswith("TY  - ") for line in lines) == len(cards)


def test_csl_json_is_json_of_the_card_values() -> None:
    cards = _hostile_cards()
    taxonomy = default_taxonomy()
    items = json.loads(csl_json(cards, taxonomy))  # strict: a raw control character won't parse
    assert items == [csl_item(c, taxonomy) for c in sorted(cards, key=lambda c: c.citekey)]
    for item, card in zip(items, sorted(cards, key=lambda c: c.citekey), strict=True):
        assert (item["title"], item["DOI"]) == (card.title, card.doi)
        assert [a["family"] for a in item["author"]] == [a.family for a in card.authors]


def test_a_card_cannot_hold_a_lone_surrogate(tmp_path: Path) -> None:
    """So CSL-JSON, written as UTF-8, never meets one: the YAML reader refuses the escape."""
    path = tmp_path / CARD_FILE.name
    text = CARD_FILE.read_text(encoding="utf-8")
    path.write_text(re.sub(r"(?m)^title:.*$", r'title: "a\\ud800b"', text), encoding="utf-8")
    with pytest.raises(YamlError):
        load_card(path)


@pytest.mark.parametrize("doi", REAL_DOIS)
def test_the_model_accepts_registered_doi_shapes(doi: str) -> None:
    assert _card_with_doi(doi).doi == doi


@pytest.mark.parametrize(
    "doi",
    [
        TEX_DOI,
        *(f"10.1097/a{char}b" for char in "\\{}$&~#%^\"' \n\t\u2028`|@é"),
        "10.1097/١٢٣",  # Arabic-Indic digits are digits to `\d`, not to a DOI
        "10.١٢٣٤/x",
        "10.12/x",
        "10.1097/",
        "11.1097/x",
        "10.1097/x\n",
    ],
)
def test_the_model_refuses_a_doi_outside_the_doi_syntax(doi: str) -> None:
    with pytest.raises(ValidationError) as caught:
        _card_with_doi(doi)
    assert [problem["loc"] for problem in caught.value.errors()] == [("doi",)]


def test_a_card_file_with_a_tex_doi_gets_a_message_naming_the_field(tmp_path: Path) -> None:
    path = tmp_path / CARD_FILE.name
    text = CARD_FILE.read_text(encoding="utf-8")
    hostile = f"doi: '{TEX_DOI}'"
    path.write_text(re.sub(r"(?m)^doi:.*$", hostile, text), encoding="utf-8")
    with pytest.raises(CardError, match=r":\d+:\d+: E-SCHEMA doi: .*not a DOI.*letters, digits"):
        load_card(path)


def test_a_doi_in_a_seed_is_read_up_to_the_first_character_a_doi_cannot_hold() -> None:
    assert normalize_doi(f"doi: {TEX_DOI}") == "10.1097/x"
    assert normalize_doi("(doi:10.1016/S0140-6736(05)61915-4)") == "10.1016/s0140-6736(05)61915-4"
    assert normalize_doi("10.1007/978-3-319-24277-4_9; PMID 1") == "10.1007/978-3-319-24277-4_9"


@given(st.text(), st.text())
def test_every_doi_read_from_a_seed_is_one_the_model_accepts(before: str, after: str) -> None:
    doi = normalize_doi(f"{before}10.1234/{after}")
    assert doi is None or _card_with_doi(doi).doi == doi


class _Html(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.tags: list[tuple[str, list[tuple[str, str | None]]]] = []
        self.text = ""

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, attrs))

    def handle_data(self, data: str) -> None:
        self.text += data


@pytest.mark.parametrize("doi", REAL_DOIS)
def test_html_and_the_resolver_link_of_any_allowed_doi_are_safe(doi: str) -> None:
    url = doi_url(doi)
    assert re.fullmatch(r"https://doi\.org/[A-Za-z0-9._/%~-]+", url), url  # no < > ; ( ) " '
    assert urllib.parse.unquote(url) == f"https://doi.org/{doi}"
    parsed = _Html()
    card = load_card(CARD_FILE).model_copy(update={"doi": doi})
    parsed.feed(vancouver_html(card, default_taxonomy()))
    parsed.close()
    assert parsed.tags == [("a", [("href", url)])]
    assert parsed.text.endswith(f" doi:{doi}")
