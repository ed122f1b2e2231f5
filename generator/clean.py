"""Remove what is not news: site chrome, comment prompts, calls to action, SEO filler, repeated lines.

Two kinds of rule. Pattern rules name kinds of chrome (sharing, navigation, comments, newsletter
pitches, credits, FAQ blocks) rather than any one site's lines. The corpus rule needs no pattern: a
short line that recurs in several unrelated articles (different duplicate families) is boilerplate.
"""
from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence

from rapidfuzz import fuzz

from .chrome import chrome_reason, live_stamp, update_label
from .model import Article, CleanArticle, Paragraph, Rejection, Removed
from .reader import is_heading
from .settings import Settings
from .textnorm import ASCII_DROPPED, SENTENCE_END, in_headline_case, is_statement, normalise

FILLER_SECTIONS = re.compile(
    r"^(people also ask|frequently asked questions|faqs?|practical tips|tips for|key takeaways"
    r"|related (articles|posts|stories|reading)|further reading|you may also like|recommended( for you)?"
    r"|about the author|more stories|read next)\b"
    # headings of a list of other stories, as the whole heading ("Related talks stall" is news)
    r"|^(related( coverage| content| links| news)?|more (on|about) this( story| topic)?|more coverage|also read|read more"
    r"|see also|most (read|popular|viewed)|top stories|editor'?s picks|what to read next)\W*$", re.IGNORECASE)

HEADLINE_REPEAT = 90.0
HEADLINE = "headline repeated"
HEADLINE_MIN_WORDS = 4  # a headline pasted before a paragraph's first sentence is taken out from this length
HEADLINE_SLACK = 40  # characters of a paragraph read beyond the headline's length to find it (punctuation)
_WORD = re.compile(r"\S+")
REPEATED = "repeated across unrelated articles"
STAMP = "live-blog time stamp"
UPDATE_LABEL = "update label"
TRAILING_TEASER = "teaser for another story (a headline after the story)"


def clean_article(article: Article, settings: Settings) -> CleanArticle:
    """Apply the pattern rules to one article."""
    kept: list[Paragraph] = []
    removed: list[Removed] = []
    in_filler: str | None = None
    after_filler_heading = False  # the paragraph before was a filler section's heading
    title = normalise(article.title or "")
    headlines = _headline_forms(article.title)
    for p in article.paragraphs:
        p = _unstamped(p, removed, settings)
        p = _unheaded(p, headlines, removed, settings)
        if p.heading and not after_filler_heading:  # a heading right under it is its table's header row
            in_filler = p.text if FILLER_SECTIONS.match(p.text) else None
        after_filler_heading = p.heading and in_filler == p.text
        reason = chrome_reason(p.text)
        if reason is None and in_filler is not None:
            reason = f"SEO filler section '{in_filler}'"
        if reason is None and _repeats_headline(p.text, title):
            reason = HEADLINE
        if reason is None and p.heading:
            reason = "heading"
        if reason is None and len(p.text.split()) < settings.min_passage_words and not _short_statement(p.text):
            reason = "too short to be a passage"
        if reason is None:
            kept.append(p)
            headlines = ()  # a headline is pasted only before the story's first sentence
        else:
            removed.append(Removed(p.line, reason))
    while len(kept) > 1 and _headline(kept[-1].text):
        removed.append(Removed(kept.pop().line, TRAILING_TEASER))
    return CleanArticle(article, tuple(kept), tuple(sorted(removed, key=lambda r: r.line)))


def _repeats_headline(text: str, title: str) -> bool:
    """Whether a paragraph is the headline again: its normalised text within HEADLINE_REPEAT of the normalised
    headline (`fuzz.ratio`). An ASCII paragraph whose length rules that out is not normalised (a fifth of cleaning
    was normalising every paragraph for this): the ratio is at most 200 times the shorter length over both, and
    normalising ASCII keeps its letters and digits and adds no character."""
    if not title:
        return False
    if text.isascii():
        raw = text.encode()
        least, most = len(raw.translate(None, ASCII_DROPPED)), len(raw)  # letters and digits; every character
        if least * HEADLINE_REPEAT > (200 - HEADLINE_REPEAT) * len(title) or \
                most * (200 - HEADLINE_REPEAT) < HEADLINE_REPEAT * len(title):
            return False
    return fuzz.ratio(normalise(text), title) >= HEADLINE_REPEAT


def _unstamped(p: Paragraph, removed: list[Removed], settings: Settings) -> Paragraph:
    """A live blog's entry without its time stamp ("14:08 - "), and an update without its label ("UPDATE 2:52 p.m.
    -- "): each is listed as removed from its line."""
    for reason, split in ((STAMP, live_stamp), (UPDATE_LABEL, update_label)):
        stamp, text = split(p.text)
        if stamp:
            removed.append(Removed(p.line, reason, stamp))
            p = Paragraph(p.line, text, is_heading(text, settings))
    return p


def _headline_forms(title: str | None) -> tuple[str, ...]:
    """The article's headline, normalised, as a paragraph may open with it: whole, and after a label that
    ends with a colon ("Report: NRA School Safety Report ..."); none shorter than HEADLINE_MIN_WORDS words."""
    title = title or ""
    forms = [normalise(title)] + ([normalise(title.split(":", 1)[1])] if ":" in title else [])
    return tuple(f for f in forms if len(f.split()) >= HEADLINE_MIN_WORDS)


def _unheaded(p: Paragraph, headlines: Sequence[str], removed: list[Removed], settings: Settings) -> Paragraph:
    """A paragraph without the headline pasted before the story's first sentence ("NRA School Safety Report
    Recommends Arming Teachers WASHINGTON -- Former Rep. ..."), which is listed as removed from its line. A
    paragraph that is the headline and little else is left to the rule for a repeated headline."""
    for headline in headlines:
        reach = len(headline) + HEADLINE_SLACK
        if not normalise(p.text[:reach]).startswith(headline + " "):
            continue
        ends = (m.end() for m in _WORD.finditer(p.text, 0, reach))  # words read only as far as the headline reaches
        cut = next((end for end in ends if normalise(p.text[:end]) == headline), None)
        rest = p.text[cut:].strip() if cut is not None else ""
        if len(rest.split()) >= settings.min_passage_words:
            removed.append(Removed(p.line, HEADLINE, p.text[:cut].strip()))
            return Paragraph(p.line, rest, is_heading(rest, settings))
    return p


def _headline(text: str) -> bool:
    """A line that reads as a headline, not news: no closing punctuation and most longer words capitalised."""
    return not SENTENCE_END.search(text) and in_headline_case(text.split())


def _short_statement(text: str) -> bool:
    """A short line that is still news: a whole sentence with a finite verb ("The Kremlin denies any involvement.")."""
    return bool(SENTENCE_END.search(text)) and is_statement(text.split())


def with_news(articles: Iterable[CleanArticle]) -> tuple[list[CleanArticle], list[Rejection]]:
    """The articles with news text left, and a rejection for each of the others (never silently dropped)."""
    kept, rejected = [], []
    for ca in articles:
        if ca.paragraphs:
            kept.append(ca)
        else:
            rejected.append(Rejection(ca.article.path, f"no news text left after removing {len(ca.removed)} "
                                                       "lines of boilerplate, headings and filler"))
    return kept, rejected


def repeated(articles: Iterable[CleanArticle]) -> frozenset[tuple[str, int]]:
    """(article id, line) of every paragraph `remove_repeated_lines` took out."""
    return frozenset((ca.id, r.line) for ca in articles for r in ca.removed if r.reason == REPEATED)


def short_lines(ca: CleanArticle, settings: Settings) -> tuple[tuple[int, str], ...]:
    """(paragraph index, normalised text) of each paragraph of at most `boilerplate_max_words` words: what
    `remove_repeated_lines` compares across articles (one article's, so prepared and cached with it)."""
    most = settings.boilerplate_max_words
    return tuple((pi, normalise(p.text)) for pi, p in enumerate(ca.paragraphs)
                 if len(p.text.split(None, most)) <= most)  # splitting no further than that


def remove_repeated_lines(articles: Sequence[CleanArticle], family_of: Mapping[str, str], settings: Settings,
                          short: Mapping[str, tuple[tuple[int, str], ...]] | None = None) -> list[CleanArticle]:
    """Drop short lines that recur across several duplicate families: boilerplate by repetition.

    `short` holds the `short_lines` of each article by id when they are ready (computed here otherwise).
    """
    lines = [short[ca.id] if short is not None and ca.id in short else short_lines(ca, settings) for ca in articles]
    families_with: dict[str, set[str]] = defaultdict(set)
    for ca, found in zip(articles, lines):
        family = family_of.get(ca.id, ca.id)
        for _, norm in found:
            families_with[norm].add(family)
    n_families = len(set(family_of.get(ca.id, ca.id) for ca in articles)) or 1
    need = max(settings.boilerplate_min_families, settings.boilerplate_min_share * n_families)
    repeated = {line for line, fams in families_with.items() if len(fams) >= need}
    if not repeated:
        return list(articles)
    return [_without(ca, {pi for pi, norm in found if norm in repeated}) for ca, found in zip(articles, lines)]


def _without(ca: CleanArticle, repeated: set[int]) -> CleanArticle:
    """The article without these paragraphs (by index), each listed as removed for being repeated."""
    if not repeated:
        return ca
    keep = tuple(p for pi, p in enumerate(ca.paragraphs) if pi not in repeated)
    gone = tuple(Removed(p.line, REPEATED) for pi, p in enumerate(ca.paragraphs) if pi in repeated)
    return CleanArticle(ca.article, keep, tuple(sorted(ca.removed + gone, key=lambda r: r.line)))
