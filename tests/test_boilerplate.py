"""A saved web page: its navigation, menus, cookie text and metrics (jusText's boilerplate) are
never a title, an author or a finding."""

from __future__ import annotations

from macros.core.text import SeedText
from macros.extract.boilerplate import boilerplate_lines
from macros.shapes import extract

PAGE = """Skip to main content
Menu
Search
Sign in
We use cookies to improve your experience on our site. By continuing to browse you agree to our use of cookies. Accept all cookies
Home > Journals > Rheumatology
Metrics: 1,234 views 56 citations
Share this article

Zoledronic acid for regional migratory osteoporosis: a retrospective cohort of 48 patients

Anna Keller, Marco Bianchi, Liu Wen

Abstract
Regional migratory osteoporosis is a rare, self-limiting disorder of unknown cause. We studied 48 patients treated in our department between 2010 and 2020. Pain resolved within 6 months in 40 of 48 patients (83%) after a single infusion of zoledronic acid. Recurrence occurred in 9 of 48 patients (19%) during a median follow-up of 36 months.

Related articles
Download PDF
"""  # noqa: E501
METRICS_LINE = 7


def test_the_navigation_before_the_title_is_boilerplate_and_the_abstract_is_not() -> None:
    found = boilerplate_lines(PAGE)
    assert set(range(1, 9)) <= found  # navigation, menu, sign-in, cookie banner, metrics, share
    assert 15 not in found  # the abstract
    assert {17, 18} <= found  # the footer's links


def test_the_card_has_the_real_title_and_authors_and_no_finding_from_the_metrics() -> None:
    extraction = extract(SeedText.from_bytes("page.txt", PAGE.encode()))
    assert extraction.title == (
        "Zoledronic acid for regional migratory osteoporosis: a retrospective cohort of 48 patients"
    )
    assert [(name.family, name.given) for name in extraction.authors.names] == [
        ("Keller", "Anna"),
        ("Bianchi", "Marco"),
        ("Wen", "Liu"),
    ]
    body = extraction.body
    assert all(body.line_of(sentence.start) != METRICS_LINE for sentence in body.sentences())
    assert "views" not in body.text
    assert "cookies" not in body.text
