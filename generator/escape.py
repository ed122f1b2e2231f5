"""Turn untrusted text into Markdown that renders as exactly that text, and nothing else.

The text shown is the input with this normalisation only: every run of white space (anything
`str.isspace` accepts, line breaks included) becomes one space and the ends are trimmed; control
characters and the bidi embedding, override and isolate controls (U+202A-U+202E, U+2066-U+2069),
which would hide text or reorder the page around them, are shown as `U+XXXX`.
"""
from __future__ import annotations

import functools
import html
import re
import unicodedata
from urllib.parse import quote, urlsplit

# Characters Python-Markdown (with the project's extensions) may read as syntax anywhere in a line;
# all are in its ESCAPED_CHARS, so a backslash before them vanishes from the output.
_INLINE = re.compile(r"([\\`*_\[\]{}|])")
# `<` starts raw HTML and autolinks, `>` a quote; `&` only matters where it may start a character reference: browsers
# read "&#0", "&copy" and other references without their closing ";" too.
_ANGLES = str.maketrans({"<": "&lt;", ">": "&gt;"})
_ENTITY_AMP = re.compile(r"&(?=#|[A-Za-z0-9])")
# Block syntax that only counts at the start of a line: lists, headings, quotes, setext, numbers,
# admonitions (`!!!`) and collapsible blocks (`???`).
_LINE_START = re.compile(r"^([#+\-*]|\d+(?=[.)])|!!!|\?\?\?)")
# A heading drops a closing run of `#`; escaping the last one keeps them all.
_TRAILING_HASH = re.compile(r"(?<=.)#$")
# Marker strings the extensions search for in raw text; one character as an entity breaks the match.
_MARKERS = {"///Footnotes Go Here///": "&#47;//Footnotes Go Here///"}
# Any character that a rule below changes, apart from the start of the line (markers contain "/").
_SYNTAX_CHARS = re.compile(r"[\\`*_\[\]{}|<>&#/]")
_SHOWN_AS_CODE = frozenset("\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069")
# Exactly the characters `_visible` shows as a code point (control characters that are not white space,
# and the bidi controls): text without any of them only needs its white space collapsed.
_NEEDS_CODE = re.compile("[\x00-\x08\x0e-\x1b\x7f-\x84\x86-\x9f\u202a-\u202e\u2066-\u2069]")
_SAFE_URL_CHARS = "/:?#@!$&+,;=%~-._"
URL_SCHEMES = ("http", "https")


class Markdown(str):
    """A string that is already Markdown produced by our own code, not to be escaped again."""


def _visible(ch: str) -> str:
    """White space stays (to be collapsed); control and bidi-control characters show as their code point."""
    if ch.isspace():
        return " "
    if ch in _SHOWN_AS_CODE or unicodedata.category(ch) == "Cc":
        return f"U+{ord(ch):04X}"
    return ch


def visible_text(text: str) -> str:
    """The text as it will be shown: the documented normalisation, without any escaping."""
    text = str(text)
    if not _NEEDS_CODE.search(text):
        return " ".join(text.split())
    return " ".join("".join(_visible(c) for c in text).split())


def md_text(text: str) -> Markdown:
    """Escape text for a Markdown paragraph, list item, table cell, footnote or heading."""
    if isinstance(text, Markdown):
        return text
    if len(text) <= _MEMO_MAX_CHARS:  # names, titles, outlets and dates are printed many times over
        return _md_text_memo(text)
    return _md_text(text)


def _md_text(text: str) -> Markdown:
    text = visible_text(text)
    if _SYNTAX_CHARS.search(text) is None:  # nothing but the start of the line can be syntax
        return Markdown(_LINE_START.sub(_escape_line_start, text, count=1))
    text = _ENTITY_AMP.sub("&amp;", text).translate(_ANGLES)
    text = _INLINE.sub(r"\\\1", text)
    for marker, broken in _MARKERS.items():
        text = text.replace(marker, broken)
    text = _TRAILING_HASH.sub(r"\\#", text)
    text = _LINE_START.sub(_escape_line_start, text, count=1)
    return Markdown(text)


def _escape_line_start(m: re.Match[str]) -> str:
    mark = m.group(1)
    if mark[0].isdigit():
        return mark + "\\"
    return "&#63;??" if mark == "???" else "\\" + mark  # "?" is not escapable with a backslash


_md_text_memo = functools.lru_cache(maxsize=8192)(_md_text)
_MEMO_MAX_CHARS = 200


def html_text(text: str) -> Markdown:
    """Escape text for raw HTML inside a Markdown page (a `<table>` block), where Markdown is not read."""
    text = html.escape(visible_text(text), quote=True)
    for marker, broken in _MARKERS.items():
        text = text.replace(marker, broken)
    return Markdown(text)


def md_url(url: str) -> Markdown:
    """A link target safe inside `<...>` in Markdown: http(s) only, everything else percent-encoded."""
    if urlsplit(url).scheme.lower() not in URL_SCHEMES:
        raise ValueError(f"refusing to link to {url!r}")
    return Markdown(quote(url, safe=_SAFE_URL_CHARS).replace("'", "%27"))
