"""Vancouver references (issue 13): hand-made cards against reference text written by hand from
NLM's Citing Medicine, 2nd ed. (the ICMJE's "Vancouver" style), the journal rule, and the real
references on the built site.

The expected texts follow Citing Medicine ch. 1 (journal articles): authors (family name and
initials, no periods; "et al." after the sixth or where the source stopped), title ending with a
period unless it ends with "?" or "!", the journal's NLM abbreviation without periods, then
`year;volume(issue):pages`, then `doi:`. Where Citing Medicine leaves the site a choice it is
written down here: a page range has the en dash CSL prints ("63–5"); a missing year reads "n.d."
(Citing Medicine writes "[date unknown]"); a missing title reads "[title not stated]" (Citing
Medicine puts what the citer supplies in square brackets); without authors a reference begins
with the title (Citing Medicine ch. 1, "No author").
"""

from __future__ import annotations

import html
import re
import shutil
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from macros.cards.cardfiles import load_cards
from macros.cards.model import Author, Card
from macros.cards.references import (
    NO_DATE,
    NO_TITLE,
    abbreviation,
    study_journal,
    vancouver_html,
)
from macros.cards.taxonomy import default_taxonomy, journal_key, journal_titles, load_taxonomy

from .conftest import ROOT, require_tool, sync_playwright_or_skip

TAXONOMY = default_taxonomy()
CARDS = load_cards(ROOT / "docs" / "cards")
# Two full stops in a row (not an ellipsis), a space before a full stop, a full stop after
# another mark: what no reference may print.
DOUBLE_PUNCTUATION = re.compile(r"(?<!\.)\.\.(?!\.)| \.|[?!…,;:？！。，；：]\.")


def card(**fields: Any) -> Card:
    """A hand-made card: only what a reference shows is set."""
    base: dict[str, Any] = {
        "id": "hand-made",
        "citekey": "Hand2020",
        "topic": "crmo",
        "source": {
            "file": "seeds/hand.txt",
            "sha256": "0" * 64,
            "format": "pubmed-abstract",
            "languages": ["en"],
        },
    }
    return Card.model_validate(base | fields)


def authors(*names: tuple[str, str]) -> list[Author]:
    return [Author(family=family, given=given) for family, given in names]


def text(reference: str) -> str:
    """The reference as a reader sees it: without the DOI link's tags, entities decoded."""
    return html.unescape(re.sub(r"<[^>]+>", "", reference))


def shown(made: Card) -> str:
    return text(vancouver_html(made, TAXONOMY))


# --- one test per problem of issue 13, each against the reference written by hand ---


def test_a_title_ending_in_a_question_mark_takes_no_period_before_the_journal() -> None:
    made = card(
        authors=authors(("Smith", "J"), ("Doe", "A B")),
        title="Sacroiliitis during isotretinoin treatment: causal association or coincidence?",
        journal="Joint Bone Spine",
        year=2016,
        volume="83",
        issue="2",
        pages="229-230",
    )
    assert shown(made) == (
        "Smith J, Doe AB. Sacroiliitis during isotretinoin treatment: causal association or "
        "coincidence? Joint Bone Spine. 2016;83(2):229–30."
    )


def test_a_title_ending_in_an_exclamation_mark_or_a_period_is_not_given_another() -> None:
    exclaiming = card(authors=authors(("Smith", "J")), title="Not again!", journal="Radiology")
    assert shown(exclaiming) == "Smith J. Not again! Radiology. n.d."
    ending = card(authors=authors(("Smith", "J")), title="A case of CRMO.", journal="Radiology")
    assert shown(ending) == "Smith J. A case of CRMO. Radiology. n.d."
    trailing = card(authors=authors(("Smith", "J")), title="Quoted: “why?”", year=2001)
    assert shown(trailing) == "Smith J. Quoted: “why?” 2001."
    ellipsis = card(authors=authors(("Smith", "J")), title="And then…", year=2001)
    assert shown(ellipsis) == "Smith J. And then… 2001."
    chinese = card(title="异维A酸与骶髂关节炎：因果还是巧合？", journal="Radiology")
    assert shown(chinese) == "异维A酸与骶髂关节炎：因果还是巧合？ Radiology. n.d."


def test_the_reported_reference_no_authors_no_journal_no_year() -> None:
    """The clinicians' "… coincidence? n.d..": the title (there are no authors to begin with),
    its own "?" and no period after it, "n.d." once with one period."""
    made = card(
        title="Sacroiliitis during isotretinoin treatment: Causal association or coincidence?"
    )
    assert shown(made) == (
        "Sacroiliitis during isotretinoin treatment: Causal association or coincidence? n.d."
    )


def test_without_a_year_n_d_is_shown_once_and_never_followed_by_another_period() -> None:
    made = card(
        authors=authors(("Jans", "L B O")),
        title="MRI-based synthetic CT in sacroiliitis",
        journal="Radiology",
        doi="10.1148/radiol.2020201537",
    )
    reference = vancouver_html(made, TAXONOMY)
    assert text(reference) == (
        "Jans LBO. MRI-based synthetic CT in sacroiliitis. Radiology. n.d. "
        "doi:10.1148/radiol.2020201537"
    )
    assert reference.count(NO_DATE) == 1
    with_volume = made.model_copy(update={"volume": "38", "issue": "1", "pages": "63-65"})
    assert text(vancouver_html(with_volume, TAXONOMY)).startswith(
        "Jans LBO. MRI-based synthetic CT in sacroiliitis. Radiology. n.d.;38(1):63–5. doi:"
    )
    dated = made.model_copy(update={"year": 2021})
    assert NO_DATE not in vancouver_html(dated, TAXONOMY)


def test_without_authors_a_reference_begins_with_the_title() -> None:
    made = card(title="Chronic recurrent multifocal osteomyelitis", journal="Radiology", year=2009)
    assert shown(made) == "Chronic recurrent multifocal osteomyelitis. Radiology. 2009."


def test_a_missing_title_is_marked_not_skipped() -> None:
    """The reference began with the authors and went on to the journal: the title looked like
    part of nothing. Now the gap is marked where the title goes."""
    made = card(
        authors=authors(("Straten", "V H H P"), ("den Broeder", "A A")),
        journal="Scand J Rheumatol",
        year=2009,
        volume="38",
        issue="1",
        pages="63-65",
        doi="10.1080/03009740802213302",
    )
    assert shown(made) == (
        "Straten VHHP, den Broeder AA. [title not stated]. Scand J Rheumatol. 2009;38(1):63–5. "
        "doi:10.1080/03009740802213302"
    )
    for blank in ("", "   ", " \n "):
        assert NO_TITLE in shown(made.model_copy(update={"title": blank}))


def test_nothing_stated_but_the_journal() -> None:
    assert shown(card(journal="Radiology")) == "[title not stated]. Radiology. n.d."


def test_an_abbreviation_ending_in_a_period_is_followed_by_no_second_one() -> None:
    """A journal the source abbreviates with periods: NLM's form has none. Names ending in a
    period (initials, "et al.", a title's last abbreviation) take no second one either."""
    listed = card(title="A title", journal="Scand. J. Rheumatol.", year=2009)
    assert shown(listed) == "A title. Scand J Rheumatol. 2009."
    unlisted = card(title="A title", journal="Rev. Med. Suisse.", year=2020)
    assert shown(unlisted) == "A title. Rev Med Suisse. 2020."
    named = card(
        authors=authors(("Smith", "J."), ("Doe", "A. B.")),
        authors_truncated=True,
        title="Outcomes in the U.S.",
        journal="Radiology",
    )
    assert shown(named) == "Smith J, Doe AB, et al. Outcomes in the U.S. Radiology. n.d."


def test_et_al_once_when_the_style_also_shortens_the_list() -> None:
    """Seven or more authors: the style lists six and "et al." (Citing Medicine); a byline that
    itself ended with "et al." does not add a second one."""
    many = authors(*[(f"Author{letter}", "A") for letter in "ABCDEF"])
    made = card(authors=many, authors_truncated=True, title="A title", journal="Radiology")
    expected = "AuthorA A, AuthorB A, AuthorC A, AuthorD A, AuthorE A, AuthorF A, et al."
    assert shown(made) == f"{expected} A title. Radiology. n.d."
    more = made.model_copy(update={"authors": [*many, *authors(("AuthorG", "A"))]})
    assert shown(more) == f"{expected} A title. Radiology. n.d."


def test_a_title_with_a_dangling_mark_or_space_gets_one_period() -> None:
    made = card(title="Sacral CRMO:  ", journal="Radiology", year=2009)
    assert shown(made) == "Sacral CRMO. Radiology. 2009."


@settings(max_examples=150, deadline=None)
@given(
    st.sampled_from(
        ["", ".", "?", "!", "…", ":", ",", ";", " ", "?”", "!)", ". ", "？", "。", "："]
    ),
    st.sampled_from([None, "Radiology", "Scand. J. Rheumatol.", "J. Foo.", "Yahoo!"]),
    st.booleans(),
    st.booleans(),
    st.sampled_from([None, 2009]),
)
def test_no_double_punctuation_whatever_ends_a_part(
    end: str, journal: str | None, named: bool, truncated: bool, year: int | None
) -> None:
    made = card(
        title=f"A title{end}",
        journal=journal,
        authors=authors(("Smith", "J.")) if named else [],
        authors_truncated=truncated and named,
        year=year,
        doi="10.1000/x.y",
    )
    reference = shown(made)
    assert not DOUBLE_PUNCTUATION.search(reference.split(" doi:")[0]), reference
    assert reference.count(NO_DATE) == (0 if year else 1)


# --- journals: one rule (README, "The site"), every card's journal known ---


def test_every_cards_journal_resolves_to_an_nlm_abbreviation_and_a_full_title() -> None:
    titles = TAXONOMY.journal_titles
    unresolved = [c.id for c in CARDS if c.journal and journal_key(c.journal) not in titles]
    assert unresolved == []
    shortened = {c.journal: abbreviation(c.journal, TAXONOMY) for c in CARDS if c.journal}
    assert shortened == {
        "Journal of clinical rheumatology : practical reports on rheumatic & musculoskeletal "
        "diseases": "J Clin Rheumatol",
        "Radiology": "Radiology",
        "Scand J Rheumatol": "Scand J Rheumatol",
    }


def test_a_study_page_names_the_full_title_then_the_abbreviation_the_lists_use() -> None:
    named = {c.journal: study_journal(c.journal, TAXONOMY) for c in CARDS if c.journal}
    assert named == {
        "Journal of clinical rheumatology : practical reports on rheumatic & musculoskeletal "
        "diseases": "Journal of Clinical Rheumatology (J Clin Rheumatol)",
        "Radiology": "Radiology",
        "Scand J Rheumatol": "Scandinavian Journal of Rheumatology (Scand J Rheumatol)",
    }
    assert study_journal("Journal of Unlisted Things", TAXONOMY) == ("Journal of Unlisted Things")


def test_the_full_title_is_the_first_name_listed_for_an_abbreviation() -> None:
    titles = journal_titles(
        {
            "J Foo": "J Foo",  # the abbreviation itself is no title
            "Journal of Foo": "J Foo",
            "JOURNAL OF FOO : reports": "J Foo",
            "Radiology": "Radiology",
        }
    )
    assert titles == {
        "j foo": "Journal of Foo",
        "journal of foo": "Journal of Foo",
        "journal of foo reports": "Journal of Foo",
        "radiology": "Radiology",
    }


def test_a_taxonomy_without_journals_shows_names_as_stated(tmp_path: Path) -> None:
    for name in ("topics.yml", "terms.yml"):
        shutil.copy(ROOT / "taxonomy" / name, tmp_path / name)
    taxonomy = load_taxonomy(tmp_path)  # no journals.yml
    assert taxonomy.journal_titles == {}
    assert abbreviation("Radiology", taxonomy) == "Radiology"
    assert study_journal("Journal of Unlisted Things", taxonomy) == "Journal of Unlisted Things"


# --- the real references, as built ---


def _reference_lists(site: Path) -> dict[str, list[tuple[str, str]]]:
    """Each reference-list page's references as (citekey, text), by page."""
    pages = [*sorted(site.glob("topics/*/index.html")), site / "bibliography" / "index.html"]
    found: dict[str, list[tuple[str, str]]] = {}
    for page in pages:
        markup = page.read_text("utf-8")
        for listed in re.findall(r'<ol class="references">(.*?)</ol>', markup, re.S):
            items = re.findall(r'<li id="ref-(\w+)">(.*?)</li>', listed, re.S)
            found.setdefault(str(page.relative_to(site)), []).extend(
                (key, text(item).removesuffix(" Study page")) for key, item in items
            )
    return found


def test_the_built_references_are_complete_and_consistent(built_site: Path) -> None:
    """Topic pages and the bibliography: no double punctuation, "n.d." once for each undated
    card and never for a dated one, each card's reference the same on every page."""
    lists = _reference_lists(built_site)
    by_key = {c.citekey: c for c in CARDS}
    assert [key for key, _ in lists["bibliography/index.html"]] != []
    assert {key for key, _ in lists["bibliography/index.html"]} == set(by_key)
    forms: dict[str, set[str]] = {}
    for references in lists.values():
        for key, reference in references:
            assert not DOUBLE_PUNCTUATION.search(reference.split(" doi:")[0]), reference
            assert reference.count(NO_DATE) == (0 if by_key[key].year else 1), reference
            assert (NO_TITLE in reference) == (not by_key[key].title), reference
            forms.setdefault(key, set()).add(reference)
    assert all(len(shown) == 1 for shown in forms.values()), forms
    assert forms["SacroiliitisND"] == {
        "Sacroiliitis during isotretinoin treatment: Causal association or coincidence? n.d."
    }
    assert forms["Straten2009"] == {
        "Straten VHHP, Franssen MJAM, den Broeder AA, Obradov M, van den Hoogen FHJ. "
        "[title not stated]. Scand J Rheumatol. 2009;38(1):63–5. doi:10.1080/03009740802213302"
    }


def test_the_bibliography_page_is_a_numbered_list(built_site: Path) -> None:
    page = (built_site / "bibliography" / "index.html").read_text("utf-8")
    article = page[page.index("<article") : page.index("</article>")]
    assert article.count('<ol class="references">') == 1
    assert "<ul" not in article.split('<ol class="references">')[1].split("</ol>")[0]
    assert len(re.findall(r'<li id="ref-\w+">', article)) == len(CARDS)


def test_the_bibliography_numbers_show_in_a_browser(built_site: Path) -> None:
    """The numbers are the list's own (`<ol>`): no stylesheet may hide them."""
    chromium = require_tool("chromium")
    sync_playwright = sync_playwright_or_skip()
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=chromium, args=["--no-sandbox", "--disable-gpu"]
        )
        try:
            opened = browser.new_page()
            opened.goto((built_site / "bibliography" / "index.html").as_uri())
            styles = opened.eval_on_selector_all(
                "ol.references > li",
                "items => items.map(i => [getComputedStyle(i).display,"
                " getComputedStyle(i).listStyleType])",
            )
        finally:
            browser.close()
    assert styles == [["list-item", "decimal"]] * len(CARDS)


@pytest.mark.parametrize("journal", ["J Clin Rheumatol", "Scand J Rheumatol", "Radiology"])
def test_reference_lists_name_journals_by_their_abbreviation(
    built_site: Path, journal: str
) -> None:
    lists = _reference_lists(built_site)
    shown = [reference for references in lists.values() for _, reference in references]
    assert any(f". {journal}. " in reference for reference in shown), journal
    for full in ("Journal of clinical rheumatology", "Scandinavian Journal of Rheumatology"):
        assert not any(full.lower() in reference.lower() for reference in shown)


def test_study_pages_name_the_full_title_and_the_abbreviation(built_site: Path) -> None:
    shown = {}
    for made in CARDS:
        page = (built_site / "studies" / made.id / "index.html").read_text("utf-8")
        row = page.split('data-label="Field">Journal</td>', 1)[1].split("</td>", 1)[0]
        shown[made.citekey] = text(row).strip()
    assert shown == {
        "Erol2025": "Journal of Clinical Rheumatology (J Clin Rheumatol)",
        "JansND": "Radiology",
        "OsteomyeliteND": "not stated in the source",
        "SacroiliitisND": "not stated in the source",
        "Straten2009": "Scandinavian Journal of Rheumatology (Scand J Rheumatol)",
    }
