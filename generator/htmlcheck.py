"""Check the content area of every built page: no active content, no links outside http(s)/mailto."""
from __future__ import annotations

import os
import re
from html.parser import HTMLParser
from pathlib import Path

from .errors import GeneratorError, Problem
from .cores import PARALLEL_MIN_BYTES, fork_map

CONTENT_TAG = "article"
CONTENT_CLASS = "md-content__inner"
FORBIDDEN_TAGS = frozenset({"script", "iframe", "frame", "frameset", "form", "style", "meta", "base", "link",
                            "object", "embed", "applet", "svg", "math", "template", "noscript"})
URL_ATTRIBUTES = frozenset({"href", "src", "action", "formaction", "srcset", "imagesrcset", "poster", "data", "cite",
                            "background", "longdesc", "xlink:href", "ping", "manifest", "codebase", "icon",
                            "lowsrc", "dynsrc", "archive", "usemap", "profile", "classid"})
SAFE_SCHEMES = frozenset({"http", "https", "mailto"})
_SCHEME = re.compile(r"^([A-Za-z][A-Za-z0-9+.\-]*):")
_IGNORED_IN_URL = re.compile(r"[\t\n\r]")
HINT = "article text must never become markup: check escape.py and the templates"


def url_scheme(value: str) -> str | None:
    """The scheme a browser would see in `value` (lower case), or None for a relative URL."""
    cleaned = _IGNORED_IN_URL.sub("", value).strip("".join(chr(c) for c in range(0x21)))
    m = _SCHEME.match(cleaned)
    return m.group(1).lower() if m else None


def _urls(name: str, value: str) -> list[str]:
    if name in ("srcset", "imagesrcset"):
        return [part.strip().split(" ")[0] for part in value.split(",") if part.strip()]
    if name == "ping":
        return value.split()
    return [value]


class _ContentChecker(HTMLParser):
    """Collects what is not allowed inside the page's content area."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.depth = 0
        self.found: list[tuple[int, str]] = []

    def handle_starttag(self, tag, attrs):
        if self.depth == 0:
            classes = (dict(attrs).get("class") or "").split()
            if tag == CONTENT_TAG and CONTENT_CLASS in classes:
                self.depth = 1
            return
        if tag == CONTENT_TAG:
            self.depth += 1
        self._check(tag, attrs)

    def handle_startendtag(self, tag, attrs):
        if self.depth:
            self._check(tag, attrs)

    def handle_endtag(self, tag):
        if self.depth and tag == CONTENT_TAG:
            self.depth -= 1

    def _check(self, tag, attrs):
        line = self.getpos()[0]
        if tag in FORBIDDEN_TAGS:
            self.found.append((line, f"<{tag}> element in the page content"))
        for name, value in attrs:
            name = name.lower()
            if name.startswith("on") or name == "style":
                self.found.append((line, f"{name}= attribute on <{tag}>"))
            elif name in URL_ATTRIBUTES and value is not None:
                for url in _urls(name, value):
                    scheme = url_scheme(url)
                    if scheme is not None and scheme not in SAFE_SCHEMES:
                        self.found.append((line, f"{name}= on <{tag}> uses the {scheme}: scheme ({url[:60]!r})"))


def check_page(text: str, page: str) -> list[Problem]:
    """Every forbidden element, attribute or URL inside the content area of one page."""
    checker = _ContentChecker()
    checker.feed(text)
    checker.close()
    return [Problem(page, message, HINT, line) for line, message in checker.found]


def check_site(site: Path, skip: frozenset[str] = frozenset(), cores: int | None = None) -> None:
    """Check every built HTML page below `site` but those in `skip` (paths below it, checked when first built);
    raise GeneratorError naming each offending page. With more than `PARALLEL_MIN_BYTES` to check, the pages are
    checked on `cores` cores (default: all), and the problems listed in the same order."""
    pages = [(str(path), page) for path in site.rglob("*.html")
             if (page := path.relative_to(site).as_posix()) not in skip]
    pages.sort(key=lambda job: job[1])
    small = sum(os.path.getsize(path) for path, _ in pages) < PARALLEL_MIN_BYTES
    found = fork_map(_check_file, pages, 2, 1 if small else cores)
    problems = [problem for page_problems in found for problem in page_problems]
    if problems:
        raise GeneratorError(problems)


def _check_file(job: tuple[str, str]) -> list[Problem]:
    path, page = job
    return check_page(Path(path).read_text(encoding="utf-8", errors="replace"), page)
