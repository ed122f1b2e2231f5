"""Turn untrusted text into Markdown that renders as exactly that text, and nothing else."""
from __future__ import annotations

import re
import unicodedata
from urllib.parse import quote, urlsplit

# Characters Python-Markdown (with the project's extensions) may read as syntax anywhere in a line;
# all are in its ESCAPED_CHARS, so a backslash before them vanishes from the output.
_INLINE = re.compile(r"([\\`*_\[\]{}|])")
_HTML = str.maketrans({"&": "&amp;", "<": "&lt;", ">": "&gt;"})
# Block syntax that only counts at the start of a line: lists, headings, quotes, setext, numbers.
_LINE_START = re.compile(r"^(\s*)([#+\-*]|\d+(?=[.)]))")
_SAFE_URL_CHARS = "/:?#[]@!$&'*+,;=%~-._"


class Markdown(str):
    """A string that is already Markdown produced by our own code, not to be escaped again."""


def _visible(ch: str) -> str:
    """Control characters cannot appear in HTML: show them as their code point."""
    if ch in "\t\n":
        return " "
    if unicodedata.category(ch) == "Cc":
        return f"U+{ord(ch):04X}"
    return ch


def md_text(text: str) -> Markdown:
    """Escape text for a Markdown paragraph, table cell or heading; whitespace runs become one space."""
    if isinstance(text, Markdown):
        return text
    text = "".join(_visible(c) for c in str(text))
    text = " ".join(text.split(" ")).strip()
    text = text.translate(_HTML)
    text = _INLINE.sub(r"\\\1", text)
    text = _LINE_START.sub(lambda m: m.group(1) + ("\\" + m.group(2) if not m.group(2)[0].isdigit()
                                                     else m.group(2) + "\\"), text, count=1)
    return Markdown(text)


def md_url(url: str) -> Markdown:
    """A link target safe inside `<...>` in Markdown: http(s) only, everything else percent-encoded."""
    if urlsplit(url).scheme.lower() not in ("http", "https"):
        raise ValueError(f"refusing to link to {url!r}")
    return Markdown(quote(url, safe=_SAFE_URL_CHARS.replace("[", "").replace("]", "")).replace("(", "%28")
                    .replace(")", "%29").replace("'", "%27").replace("*", "%2A"))
