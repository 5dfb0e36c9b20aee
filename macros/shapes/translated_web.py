"""A machine-translated web article (French here): breadcrumb title, prose, caption debris.

Machine translation drops numbers ("âgées de un an"), glues words to captions and leaves broken
entities (`& gt;`); the parser keeps the text as it is and reads only what survives. The web page
names no journal or authors unless it says so in a byline.
"""

from __future__ import annotations

import re

from ..cards.model import SeedFormat
from ..core.identifiers import find_pmid, normalize_doi
from ..core.text import SeedText, clean_inline
from ..extract.boilerplate import boilerplate_lines
from ..extract.names import parse_author_list
from ..extract.reading import build_reading
from .base import Extraction, year_in

_BREADCRUMB = re.compile(
    r"^\s*(?:Home|Accueil|Inicio|Startseite)\s*(?P<separator>>>|›|»|>|/)\s*(?P<trail>.+)$", re.I
)
# `View large|Télécharger|Download slide|Open in new tab` (IGNORECASE), looked for from a first
# letter (IGNORECASE takes only its two cases): an IGNORECASE alternation was tried at every
# character of every seed.
_WEB_DEBRIS = re.compile(
    r"[DOTVdotv](?i:(?<=d)ownload slide|(?<=o)pen in new tab|(?<=t)élécharger|(?<=v)iew large)"
)
_BYLINE = re.compile(r"^\s*(?:Par|Auteurs?|By|Authors?)\s*[:：]\s*(.+)$", re.I)
_PUBLISHED = re.compile(
    r"(?:Publié le|Published|Date)\s*[:：]?\s*(?:\d{1,2}[/.-]\d{1,2}[/.-])?((?:19|20)\d\d)", re.I
)
_BACK_MATTER = re.compile(
    r"^\s*(?:Remerciements|Conflits d[’']intérêts|Références|Acknowledg)", re.I
)


class TranslatedWebParser:
    format: SeedFormat = "translated-web-article"

    def score(self, seed: SeedText) -> int:
        breadcrumb = bool(_BREADCRUMB.match(seed.lines[0]))
        debris = bool(_WEB_DEBRIS.search(seed.text))
        return (6 if breadcrumb else 0) + (3 if debris else 0)

    def parse(self, seed: SeedText) -> Extraction:
        lines = seed.lines
        crumb = _BREADCRUMB.match(lines[0])
        # `Accueil >> Dermatologie >> ... >> Title`: the page's own title is the last level.
        last = crumb.group("trail").split(f" {crumb.group('separator')} ")[-1] if crumb else ""
        title = clean_inline(last) if crumb else clean_inline(lines[0])
        first_body = 2
        while first_body <= len(lines) and (
            not lines[first_body - 1].strip() or clean_inline(lines[first_body - 1]) == title
        ):
            first_body += 1
        last_body = next(
            (n - 1 for n in range(first_body, len(lines) + 1) if _BACK_MATTER.match(lines[n - 1])),
            len(lines),
        )
        byline = next((m for line in lines[:10] if (m := _BYLINE.match(line))), None)
        published = _PUBLISHED.search(seed.text)
        return Extraction(
            format="translated-web-article",
            body=build_reading(
                seed, min(first_body, last_body), last_body, skip=boilerplate_lines(seed.text)
            ),
            language_text=seed.text,
            title=title.rstrip(".") or None,
            authors=parse_author_list(clean_inline(byline.group(1)) if byline else ""),
            year=year_in(published.group(1)) if published else None,
            doi=normalize_doi(seed.text),
            pmid=find_pmid(seed.text),
        )
