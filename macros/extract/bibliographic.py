"""Bibliographic fields read from where papers print them, whatever the seed's shape.

A shape parser reads what its shape keeps in known places (a JSON record, a breadcrumb, a news
article's reference line). This reader finds what real papers print in layouts they share, and a
card takes it for each field its shape left empty (`shapes.extract`):

- a citation line, in the first page or in a running header or footer (a line printed on several
  pages), in the journal styles of `CITATION_RULES`, tried in that order; or in a labelled
  citation (`Citation: …`, `Cite this article as: …`), at the start of one of its sentences;
- the DOI of the first page, or of a `DOI:` line; a PMID only from a `PMID:` line before any
  reference list (a PDF prints none: a PMID in its references is another paper's);
- the authors of the first byline, in either order (`names.read_byline`);
- the title: the first block of one to four lines on the first page that reads as a title, before
  the byline, or else the block right below the citation line. Headers, journal and date lines,
  labels, navigation, affiliations and HTML `<title>` lines are never a title.

A field found nowhere stays None and the card lists it for review: nothing is guessed.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass

from ..core.identifiers import expand_pages, normalize_doi
from ..core.needles import Gated
from ..core.text import SeedText, clean_inline
from .boilerplate import boilerplate_lines
from .names import AuthorList, byline_may_go_on, read_byline, starts_with_name

FIRST_PAGE_LINES = 60
WRAP_WIDTH = 120  # a longer line is a paragraph that was never hard-wrapped: a block of its own
TITLE_LINES = 4
TITLE_WORDS = (3, 60)
BYLINE_LINES = 8  # a byline wraps over a few lines at most
MAX_BYLINE = 2000  # characters; a longer text is prose
MAX_CITATION_LINE = 400


@dataclass(frozen=True)
class Citation:
    journal: str | None = None
    year: int | None = None
    volume: str | None = None
    issue: str | None = None
    pages: str | None = None


@dataclass(frozen=True)
class CitationRule:
    """One journal style of citation: a pattern with named groups only (`journal`, `year`,
    `volume`, `issue`, `pages`), matched where a line or a sentence starts."""

    name: str
    pattern: re.Pattern[str]

    def read(self, text: str, whole_line: bool) -> Citation | None:
        """The citation at the start of `text`; with `whole_line`, only if nothing but a DOI,
        a link or an Epub date follows it (a sentence of prose that starts alike is no citation).
        """
        match = self.pattern.match(text)
        if match is None or (whole_line and not _TRAILER.fullmatch(text, match.end())):
            return None
        found = match.groupdict()
        journal, year, pages = found.get("journal"), found.get("year"), found.get("pages")
        return Citation(
            journal=clean_inline(journal).rstrip(" .:,") if journal else None,
            year=int(year) if year else None,
            volume=found.get("volume"),
            issue=found.get("issue"),
            pages=expand_pages(pages) if pages else None,
        )


_JOURNAL = r"(?P<journal>[^\W\d_][^.;\n]{0,150}?)"  # journal names in these styles have no `.`
_JOURNAL_WITH_STOPS = r"(?P<journal>[^\W\d_][^;\n]{0,150}?)"  # `Front. Immunol.`
_YEAR = r"(?P<year>(?:1[89]|20)\d\d)"
_VOLUME = r"(?P<volume>\d{1,5}[A-Za-z]?)"
_ISSUE = r"(?:\s?\((?P<issue>[^()\n]{1,15})\))?"
_PAGES = r"(?P<pages>[A-Za-z]{0,2}\d+(?:\s*[-–—]\s*[A-Za-z]{0,2}\d+)?)(?![\w-])"
_MONTH = r"(?:\s+[A-Z][a-z]{2,8}(?:[-/][A-Z][a-z]{2,8})?(?:\s+\d{1,2})?)?"
_ANY_YEAR = re.compile(r"(?:1[89]|20)\d\d")
_TRAILER = re.compile(r"[\s.;,]*(?:(?:doi|https?:|Epub|PMID|PMCID)\b.*)?", re.I)

# `Scand J Rheumatol. 2009 Jan-Feb;38(1):63-5`, `1. Crit Care. 2004;8(6):R474-R482`,
# `Rheumatol Case Rep 2021;4:112–118`: PubMed's style, and many running footers.
YEAR_SEMICOLON_VOLUME = CitationRule(
    "year-semicolon-volume",
    re.compile(
        rf"(?:\d{{1,3}}\.\s+)?{_JOURNAL}\.?\s+{_YEAR}{_MONTH}\s*;\s*{_VOLUME}{_ISSUE}"
        rf"(?:\s*:\s*{_PAGES})?"
    ),
)
# In this order: the first that matches a line wins.
CITATION_RULES = (
    YEAR_SEMICOLON_VOLUME,
    # `Nutrition Journal 2005, 4:23`, `Gut 2016, 65:47–56`
    CitationRule(
        "year-comma-volume",
        re.compile(rf"{_JOURNAL}\s+{_YEAR},\s*{_VOLUME}{_ISSUE}\s*:\s*{_PAGES}"),
    ),
    # `Critical Care (2004) 8:R451–R458`, `Rheumatology International (2019) 39:1455–1463`
    CitationRule(
        "year-in-brackets",
        re.compile(rf"{_JOURNAL}\s+\({_YEAR}\)\s*{_VOLUME}{_ISSUE}\s*:\s*{_PAGES}"),
    ),
    # `Arthritis Res Ther 7(3) (2005) R625–R633`, `BMC Ophthalmol 6 (2006) 23`
    CitationRule(
        "volume-then-year",
        re.compile(rf"{_JOURNAL}\s+{_VOLUME}{_ISSUE}\s+\({_YEAR}\)\s*[:,]?\s*{_PAGES}"),
    ),
    # `Reumatismo 62(3):178–183, 2010`, `38(4):123-130, 2018`
    CitationRule(
        "year-last",
        re.compile(rf"(?:{_JOURNAL}\s+)?{_VOLUME}{_ISSUE}\s*:\s*{_PAGES},\s*{_YEAR}"),
    ),
    # Inside a labelled citation only: `Huang A, Barzi F (2006) Title. PLoS Clin Trials 1(5): e22`
    CitationRule(
        "authors-year-title-journal",
        re.compile(
            rf"[^()]{{2,600}}?\({_YEAR}\)\.?\s.{{5,600}}?[.?!]\s+{_JOURNAL_WITH_STOPS}\.?\s+"
            rf"{_VOLUME}{_ISSUE}\s*:\s*{_PAGES}"
        ),
    ),
)
_LINE_RULES = CITATION_RULES[:-1]
_CITATION_LABEL = re.compile(
    r"^\s*(?:Citation|Cite this(?: article)?(?: as)?|To cite(?: this article)?|"
    r"How to cite(?: this article)?|Source|Reference|Référence|原文出处|原始出处|出处)\s*[:：]\s*",
    re.I,
)
_SENTENCE_START = re.compile(r"(?:^|(?<=[.?!]))\s*(?=[^\W\d_])")

_DOI_LINE = re.compile(r"^\s*(?:DOI|doi)\s*[:：]?\s*(?:https?://\S+/)?10\.")
_PMID_LINE = re.compile(r"^\s*PMID\s*[:：]?\s*(?P<pmid>\d{1,9})\b")
_REFERENCES = re.compile(
    r"^\s*(?:References|REFERENCES|Bibliography|Literature cited|Références|参考文献)\s*[:：]?\s*$"
)

# Lines that are never part of a title.
_LINK = Gated(re.compile(r"\bdoi\b|https?://|\bwww\.|\b10\.\d{4,9}/|\bPMC?ID\b", re.I))
# A line set in columns, a page number, `Page 2 of 9` (`_columns_or_page`): each pattern starts
# with a character class, from which re skips to the places it can start.
_COLUMNS = re.compile(r"\s(?<=\S\s)\s{2,}\S")  # `\S\s{3,}\S`, from its white space
_PAGE_NUMBER = re.compile(r"\s*\d{1,4}\s*$")
_PAGE_OF = re.compile(r"[Pp](?<=\b[Pp])(?i:age \d+ of \d+)\b")  # IGNORECASE's `p` is [Pp]
# A section or metadata label (`BACKGROUND:`, `Keywords:`); not an acronym before a title's
# colon (`BRISK: a randomised trial`).
_LABEL = re.compile(
    r"^\s*(?:background|introduction|objectives?|aims?|purpose|context|importance|methods?|"
    r"materials|research design|design|setting|patients|participants|interventions?|"
    r"measurements|main outcome measures?|results|findings|conclusions?|interpretation|"
    r"abstract|summary|keywords?|key words|correspondence|e-?mail|citation|"
    r"cite this article(?: as)?|received|accepted|revised|published(?: online)?|"
    r"available online|edited by|reviewed by|copyright|funding|trial registration|"
    r"author information|affiliations?)(?:\s+and\s+\w+)?\s*[:：]",
    re.I,
)
_DATE_LINE = re.compile(
    r"^\s*(?:Received|Accepted|Revised|Published|Available online|Epub|Submitted|Publié|"
    r"Mis à jour|Date)\b|^\s*\d{1,2}\s+[A-Z][a-z]+\s+\d{4}\s*$|^\s*\d{4}-\d\d-\d\d\b",
    re.I,
)
_NAVIGATION = re.compile(
    r"^\s*(?:skip to|jump to|menu|search|sign in|log ?in|register|subscribe|cookies?|accept|"
    r"share|download|cite|citations?|metrics|view|back to|home|accueil|open in)(?![\w-])"
    r"(?:\s+\S+){0,4}\s*$|>>|»|›|\|.*\|",
    re.I,
)
_HTML_TITLE = re.compile(r"<\s*/?\s*title\b", re.I)
_AFFILIATION = re.compile(r"^\s*\(?\d{1,2}\)?\s*[A-Z]")
_PROSE_START = re.compile(r"[a-z]+(?![\w-])|[^\w\"“‘'(\[]")  # `however, …`, `; …`
_SENTENCE_BREAK = re.compile(r"[a-z]{3,}\.\s+[A-Z]")
# `Open Access`, `RESEARCH ARTICLE`, `Case Based Review`: the article's kind, not its title.
_ARTICLE_KIND = re.compile(
    r"(?:\b(?:open|access|original|research|article|report|review|case|based|series|brief|"
    r"short|communication|clinical|trial|study|letter|editorial|commentary|paper|full|text|"
    r"systematic|rapid|free)\b\W*)+",
    re.I,
)


@dataclass(frozen=True)
class Bibliographic:
    """What the layout states; None where it states nothing."""

    title: str | None
    authors: AuthorList
    citation: Citation
    doi: str | None
    pmid: str | None


def read_bibliographic(seed: SeedText) -> Bibliographic:
    lines = seed.lines
    first_page = lines[:FIRST_PAGE_LINES]
    repeated = _repeated(lines)
    skip = [not line.strip() or _not_prose(line, repeated) for line in first_page]
    citation_line, citation = _citation(lines, repeated)
    # A web page's navigation, menus, cookie text and metrics (jusText's boilerplate) are no
    # title or byline; a byline or citation line is short and stopword-poor, so it is kept.
    boiler = boilerplate_lines(seed.text)
    web_skip = [
        not skip[index]
        and index + 1 in boiler
        and read_byline(line) is None
        and _line_citation(line) is None
        for index, line in enumerate(first_page)
    ]
    byline, authors = _byline(first_page, [a or b for a, b in zip(skip, web_skip, strict=True)])
    # The title block sits right above the byline or right below the citation line: kept too.
    for anchor, step in ((byline, -1), (citation_line, 1)):
        _keep_block(first_page, web_skip, anchor, step)
    skip = [a or b for a, b in zip(skip, web_skip, strict=True)]
    return Bibliographic(
        title=_title(first_page, skip, byline, citation_line),
        authors=authors,
        citation=citation,
        doi=_doi(lines, first_page),
        pmid=_pmid(lines),
    )


def _repeated(lines: list[str]) -> frozenset[str]:
    """Lines printed more than once: running headers and footers."""
    counts = Counter(line.strip() for line in lines if line.strip())
    return frozenset(line for line, count in counts.items() if count > 1)


def citation_in(text: str) -> Citation | None:
    """The first citation in running text (a reference line, a labelled citation), read where
    one of its sentences starts."""
    for start in _SENTENCE_START.finditer(text):
        for rule in CITATION_RULES:
            citation = rule.read(text[start.end() :], whole_line=False)
            if citation:
                return citation
    return None


def _citation(lines: list[str], repeated: frozenset[str]) -> tuple[int | None, Citation]:
    """The first citation line of the first page, else of a running header or footer, else of
    a labelled citation; and its line index (None unless it is on the first page)."""
    for index, line in enumerate(lines[:FIRST_PAGE_LINES]):
        citation = _line_citation(line)
        if citation:
            return index, citation
    for line in lines[FIRST_PAGE_LINES:]:
        citation = _line_citation(line) if line.strip() in repeated else None
        if citation:
            return None, citation
    for paragraph in _labelled_citations(lines):
        citation = citation_in(paragraph)
        if citation:
            return None, citation
    return None, Citation()


def running_line(line: str) -> bool:
    """A running header or footer (`Rheumatol Case Rep 2021;4:112–118`, `Case Report   PT & R`,
    a page number) cut into a PDF's prose."""
    return bool(_columns_or_page(line) or _line_citation(line))


def _columns_or_page(line: str) -> bool:
    """A line set in columns (three spaces or more inside it), a page number or `Page 2 of 9`:
    what one IGNORECASE alternation of the three found, tried at each character of each line."""
    return bool(_COLUMNS.search(line) or _PAGE_NUMBER.match(line) or _PAGE_OF.search(line))


def _line_citation(line: str) -> Citation | None:
    text = line.strip()
    if not text[:1].isalnum() or len(text) > MAX_CITATION_LINE or not _ANY_YEAR.search(text):
        return None  # cheap tests first: every line of a PDF's prose comes here
    return next((c for rule in _LINE_RULES if (c := rule.read(text, whole_line=True))), None)


def _labelled_citations(lines: list[str]) -> Iterator[str]:
    """`Citation: …` paragraphs, joined over their wrapped lines, without the label."""
    for index, line in enumerate(lines):
        label = _CITATION_LABEL.match(line)
        if label is None:
            continue
        start = index + 1
        if not line[label.end() :].strip():  # the label on a line of its own, then the text
            start = next((i for i in range(start, len(lines)) if lines[i].strip()), len(lines))
        end = next((i for i in range(start, len(lines)) if not lines[i].strip()), len(lines))
        yield clean_inline(" ".join([line[label.end() :], *lines[start:end]]))


def _byline(first_page: list[str], skip: list[bool]) -> tuple[int | None, AuthorList]:
    """The first byline of the first page (its first line index), wrapped lines joined."""
    for index, line in enumerate(first_page):
        if skip[index] or not starts_with_name(line):
            continue
        found: AuthorList | None = None
        joined = ""
        for following in first_page[index : index + BYLINE_LINES]:
            if not following.strip() or (joined and _AFFILIATION.match(following)):
                break
            if len(joined) + len(following) > MAX_BYLINE:
                break
            joined = clean_inline(f"{joined} {following}")
            found = read_byline(joined) or found  # a line may end mid-name: read on
            if not byline_may_go_on(joined):
                break
        if found and found.names:
            return index, found
    return None, AuthorList([], False)


def _keep_block(lines: list[str], web_skip: list[bool], anchor: int | None, step: int) -> None:
    """Unmark the block of text lines next to lines[anchor] (above for step -1, below for 1)."""
    if anchor is None:
        return
    index = anchor + step
    while 0 <= index < len(lines) and not lines[index].strip():
        index += step
    while 0 <= index < len(lines) and lines[index].strip():
        web_skip[index] = False
        index += step


def _not_prose(line: str, repeated: frozenset[str]) -> bool:
    """A line that is no sentence, title or name: a citation, link, header, label, date,
    navigation or an HTML title."""
    return bool(
        line.strip() in repeated
        or _LINK.search(line)
        or _columns_or_page(line)
        or _LABEL.match(line)
        or _DATE_LINE.match(line)
        or _NAVIGATION.search(line)
        or _HTML_TITLE.search(line)
        or _line_citation(line)
    )


def _title(
    first_page: list[str], skip: list[bool], byline: int | None, citation_line: int | None
) -> str | None:
    """The first title-like block before the byline; else the block right below the citation
    line (PubMed's `authors, affiliation, citation, title` order)."""
    before = _boxes(first_page[:byline], skip)
    found = next((title for _, box in before if (title := _as_title(box))), None)
    if found or citation_line is None:
        return found
    boxes = _boxes(first_page, skip)
    below = next(((first, box) for first, box in boxes if first > citation_line), None)
    if below is None:
        return None
    first, box = below
    if any(
        line.strip() and not _LINK.search(line) for line in first_page[citation_line + 1 : first]
    ):
        return None  # an affiliation or a label comes first: the block is not the title
    return _as_title(box)


def _boxes(lines: list[str], skip: list[bool]) -> list[tuple[int, list[str]]]:
    """Blocks of text lines as a reader sees them: a blank line, an indented line (a new PDF
    text box) and a line that is no prose end a block; a long line (a paragraph that was never
    wrapped) is a block of its own unless the text runs on in lower case."""
    boxes: list[tuple[int, list[str]]] = []
    open_box = after_long = False
    for index, line in enumerate(lines):
        if skip[index] or _AFFILIATION.match(line):
            open_box = False
            continue
        text = line.strip()
        long = len(text) > WRAP_WIDTH
        if not open_box or line[:1].isspace() or ((long or after_long) and not text[:1].islower()):
            boxes.append((index, [text]))
        else:
            boxes[-1][1].append(text)
        open_box, after_long = True, long
    return boxes


def _as_title(box: list[str]) -> str | None:
    """The block as a title, or None when it does not read as one."""
    text = clean_inline(" ".join(box))
    words = text.split()
    if not (
        len(box) <= TITLE_LINES
        and TITLE_WORDS[0] <= len(words) <= TITLE_WORDS[1]
        and not _PROSE_START.match(text)
        and not text.isupper()
        and not text.endswith((",", ";", ":"))
        and not _SENTENCE_BREAK.search(text)
        and not _ARTICLE_KIND.fullmatch(text)
        and read_byline(text) is None
    ):
        return None
    return text[:-1].rstrip() if text.endswith(".") else text


def _doi(lines: list[str], first_page: list[str]) -> str | None:
    """The first page's DOI, else that of a `DOI:` line before the references."""
    doi = normalize_doi("\n".join(first_page))
    if doi:
        return doi
    for line in _before_references(lines):
        if _DOI_LINE.match(line):
            return normalize_doi(line)
    return None


def _pmid(lines: list[str]) -> str | None:
    for line in _before_references(lines):
        match = _PMID_LINE.match(line)
        if match:
            return match.group("pmid")
    return None


def _before_references(lines: list[str]) -> Iterator[str]:
    for line in lines:
        if _REFERENCES.match(line):
            return
        yield line
