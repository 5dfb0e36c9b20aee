"""Seed text hygiene: bytes in, one canonical text out.

Every quote on a card is a verbatim substring of this canonical text and every line number counts
its lines, so `evidence check` can re-verify a quote by running the same function on the seed. The
canonical form removes only what a reader cannot see (BOM, NUL, zero-width and bidi controls, ANSI
escapes), unifies line ends and applies NFC. HTML entities and tags stay: they are decoded only in
field values (`clean_inline`), never in the text that quotes point into.
"""

from __future__ import annotations

import bisect
import codecs
import hashlib
import html
import re
import unicodedata
from dataclasses import dataclass, field

import charset_normalizer
from pydantic import ValidationError

MAX_SEED_BYTES = 5 * 1024 * 1024

_INVISIBLE = re.compile(
    "[\u200b\u200c\u200d\u2060\ufeff"  # zero-width characters and stray BOMs
    "\u200e\u200f\u061c\u202a-\u202e\u2066-\u2069"  # bidirectional controls
    "]"
)
_ANSI = re.compile(r"\x1b\[[0-9;?]*[ -/]*[@-~]|\x1b[@-Z\\-_]")
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
_TAG = re.compile(r"<[^<>]{0,500}>")
_SPACE = re.compile(r"\s+")
# The CJK script ranges, each written here once and used by every reader (as `[{HAN}]` in a
# pattern, or `has_han`). Readers once wrote their own (`\u4e00-\u9fff`, `\u3400-\u9fff`): those
# differed from HAN only in Extension A and the Yijing hexagram symbols (U+4DC0-4DFF), which no
# seed holds. Two meanings stay apart, because they decide different things:
# - HAN, Han characters (CJK Unified Ideographs and Extension A): the script that marks Chinese
#   text (a Chinese title, a Chinese name, a taxonomy term matched as a substring);
# - CJK, any Chinese or Japanese script (kana, Han, compatibility ideographs): a line holding one
#   is text, never a web page's boilerplate (jusText's stoplists know only spaced languages).
HAN = "\u3400-\u4dbf\u4e00-\u9fff"
KANA = "\u3040-\u30ff"  # hiragana and katakana: the script that marks Japanese text
CJK = f"{KANA}{HAN}\uf900-\ufaff"
_HAN = re.compile(f"[{HAN}]")


class SeedError(ValueError):
    """A seed's own problem (the only error ingest reports and goes on from): `line` is 1-based,
    0 when the problem is the whole file; `code` is its problem code."""

    def __init__(self, message: str, line: int = 0, code: str = "E-SEED-UNREADABLE") -> None:
        super().__init__(message)
        self.message = message
        self.line = line
        self.code = code


def _cp1252_fallback(error: UnicodeError) -> tuple[str, int]:
    """Decode a byte that is not UTF-8 as Windows-1252, the usual culprit in pasted text."""
    assert isinstance(error, UnicodeDecodeError)
    bad = error.object[error.start : error.start + 1]
    return bad.decode("cp1252", errors="replace"), error.start + 1


codecs.register_error("evidence-cp1252", _cp1252_fallback)

# UTF-8 text with a few pasted Windows-1252 bytes (curly quotes) has far more valid multi-byte
# sequences than stray bytes; a whole file in a legacy encoding has mostly stray ones.
_MIXED_UTF8_RATIO = 4


@dataclass(frozen=True)
class Decoded:
    """A seed's text and, when it was not plain UTF-8, what a reviewer must know about that."""

    text: str
    note: str | None = None


def decode(raw: bytes) -> Decoded:
    """Decode seed bytes: UTF-8 (with or without BOM) or UTF-16 with BOM as they are; UTF-8 with
    a few stray bytes reads those as Windows-1252; a file in another encoding is recognised by
    charset-normalizer. Either of the last two is said in `note`, never silent."""
    if len(raw) > MAX_SEED_BYTES:
        raise SeedError(
            f"file is {len(raw):,} bytes, over the {MAX_SEED_BYTES:,}-byte limit for a seed; "
            "split it or keep only the article text"
        )
    if raw.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return Decoded(raw.decode("utf-16", errors="replace"))
    if raw.startswith(codecs.BOM_UTF8):
        raw = raw[len(codecs.BOM_UTF8) :]
    if raw and _control_share(raw) > 0.05:
        raise SeedError("file looks binary (control bytes); a seed must be plain text (UTF-8)")
    try:
        return Decoded(raw.decode("utf-8"))
    except UnicodeDecodeError as error:
        first_bad = error.start
    escaped = raw.decode("utf-8", errors="surrogateescape")  # a stray byte is U+DC80..U+DCFF
    invalid = sum(1 for char in escaped if "\udc80" <= char <= "\udcff")
    valid = sum(1 for byte in raw if byte >= 0x80) - invalid
    line = raw.count(b"\n", 0, first_bad) + 1
    if valid >= _MIXED_UTF8_RATIO * invalid:
        return Decoded(
            raw.decode("utf-8", errors="evidence-cp1252"),
            f"{invalid} bytes of the seed are not UTF-8 (the first on line {line}) and were read "
            "as Windows-1252: check those characters, or save the seed as UTF-8",
        )
    encoding = _legacy_encoding(raw)
    if encoding is None:
        raise SeedError(
            "file is not UTF-8 and its encoding cannot be recognised: save it as UTF-8", line
        )
    return Decoded(
        raw.decode(encoding, errors="replace"),
        f"the seed is not UTF-8 (first at line {line}); it was read as {encoding}: check "
        "accented and non-Latin characters against the original, or save the seed as UTF-8",
    )


def _legacy_encoding(raw: bytes) -> str | None:
    """charset-normalizer's choice; among candidates that fit equally well (short Latin text
    fits several code pages), Windows-1252, the commonest legacy encoding of Western text."""
    matches = charset_normalizer.from_bytes(raw)
    best = matches.best()
    if best is None:
        return None
    fit = (best.percent_chaos, best.percent_coherence)
    tied = [m for m in matches if (m.percent_chaos, m.percent_coherence) == fit]
    return "cp1252" if any(m.encoding == "cp1252" for m in tied) else best.encoding


def _control_share(raw: bytes) -> float:
    """Share of bytes that no text file has (C0 controls but tab, LF, CR, ESC; DEL)."""
    sample = raw[:65536]
    controls = len(sample) - len(sample.translate(None, _CONTROLS))  # a count in C
    return controls / len(sample)


_CONTROLS = bytes(b for b in range(32) if b not in (9, 10, 13, 27)) + b"\x7f"


_LINE_BREAKS = ("\r", "\x85", "\u2028", "\u2029")


def normalize(text: str) -> str:
    """The canonical text: unified line ends, invisible characters removed, NFC.

    NEL and the Unicode line and paragraph separators are line ends too: YAML readers break
    lines at them, so a quote holding one would not read back as written.
    """
    text = text.replace("\r\n", "\n")
    for line_break in _LINE_BREAKS:  # `str.replace` is in C; `str.translate` with a map is not
        text = text.replace(line_break, "\n")
    text = _ANSI.sub("", text)
    text = _INVISIBLE.sub("", text)
    text = _CONTROL.sub("", text)
    return unicodedata.normalize("NFC", text)


def squash(text: str) -> str:
    """Every run of white space (Unicode's, line breaks included) as one space, none at the ends:
    one line of text for a table cell, a quote, an RIS value or a comparison."""
    if single_spaced(text):
        return text.strip()
    return _SPACE.sub(" ", text).strip()


def single_spaced(text: str) -> bool:
    """Whether the only white space of `text` is single spaces, found without a regex: the
    space is the only printable white space (`\\s`, Unicode's), so a printable text without two
    spaces in a row has no run to fold."""
    return "  " not in text and text.isprintable()


def has_han(text: str) -> bool:
    return _HAN.search(text) is not None


def clean_inline(value: str) -> str:
    """A field value for humans: entities decoded, tags dropped, white space folded, NFC."""
    value = html.unescape(_TAG.sub(" ", value))
    value = _INVISIBLE.sub("", _CONTROL.sub("", _ANSI.sub("", value)))
    return unicodedata.normalize("NFC", _SPACE.sub(" ", value)).strip()


@dataclass(frozen=True)
class SeedText:
    """A seed as the parsers see it: its path, hash, canonical text and a line index."""

    path: str
    sha256: str
    text: str
    _line_starts: list[int] = field(repr=False, compare=False)
    encoding_note: str | None = None

    @classmethod
    def from_bytes(cls, path: str, raw: bytes) -> SeedText:
        decoded = decode(raw)
        text = normalize(decoded.text)
        if not text.strip():
            raise SeedError("file is empty (no text after removing white space)")
        starts = [0] + [m.end() for m in re.finditer("\n", text)]
        return cls(path, sha256_of(raw), text, starts, decoded.note)

    @property
    def lines(self) -> list[str]:
        return self.text.split("\n")

    def line_of(self, offset: int) -> int:
        """1-based line number of a character offset in the canonical text."""
        return bisect.bisect_right(self._line_starts, offset)

    def line_start(self, line: int) -> int:
        return self._line_starts[line - 1]


def sha256_of(raw: bytes) -> str:
    return hashlib.sha256(raw).hexdigest()


def over_limits(error: ValidationError) -> SeedError:
    """The seed's own values, past what a card may hold (a 1,000-character title)."""
    fields = sorted({".".join(map(str, e["loc"])) for e in error.errors()})
    return SeedError(
        f"holds more than a card may in {', '.join(fields)}: shorten the seed",
        code="E-SEED-OVER-LIMITS",
    )


def counted(count: int, noun: str) -> str:
    """`1 card`, `2 cards`, `0 errors`: a count with its noun, in the plural unless one."""
    return f"{count} {noun}" if count == 1 else f"{count} {noun}s"
