"""Remove what is not news: site chrome, comment prompts, calls to action, SEO filler, repeated lines.

Two kinds of rule. Pattern rules name kinds of chrome (sharing, navigation, comments, newsletter
pitches, credits, FAQ blocks) rather than any one site's lines. The corpus rule needs no pattern: a
short line that recurs in several unrelated articles (different duplicate families) is boilerplate.
"""
from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Mapping, Sequence

from rapidfuzz import fuzz

from .model import Article, CleanArticle, Paragraph, Removed
from .settings import Settings
from .textnorm import normalise

SOCIAL_WORDS = frozenset(
    "share shares sharing this article story post page on to via with facebook twitter x email e-mail mail "
    "linkedin whatsapp reddit pinterest telegram print copy link tweet messenger flipboard comment comments "
    "and or".split())
SHARE_BUTTONS = frozenset("share facebook twitter email tweet linkedin whatsapp print".split())
_SOCIAL_WORD = re.compile(r"[\w'-]+")

# Matched against the lower-cased line (faster than re.IGNORECASE): write patterns in lower case.
CHROME_PATTERNS: tuple[tuple[str, re.Pattern[str]], ...] = tuple(
    (reason, re.compile(pattern)) for reason, pattern in (
        ("navigation", r"^(table of contents|contents|skip to (main )?content|menu|home|search|back to top"
                       r"|(previous|next|prev)( article| post| story)?(\s+(previous|next|prev)( article| post| story)?)?"
                       r"|trending( now)?|advertisement|sponsored( content)?|loading\W*|load more|read more"
                       r"|related( articles| posts| stories| news)?|most (read|popular)|you (may|might) also like"
                       r"|more (from|on) .{0,40}|see also|top stories|latest( news)?|breaking( news)?)\W*$"),
        ("category line", r"^(posted|filed)\s+(in|under|on|by).{0,200}$"),
        ("category line", r"^(tags?|categories|category|topics|filed under|keywords)\s*:.{0,200}$"),
        ("comment prompt", r"^(leave a (reply|comment)|post (a )?comment|cancel reply|\d+ comments?"
                           r"|(join|start) the (conversation|discussion)|comments? (are )?closed\.?)\W*$"),
        ("comment prompt", r"^your email address will not be published\b.{0,80}$"),
        ("comment prompt", r"^required fields are marked\b.{0,20}$"),
        ("comment prompt", r"\bshare your (thoughts|views|opinion)s? (in|below)\b"),
        ("call to action", r"\b(subscribe( now| today)? (to|for)|sign up (for|to)|our newsletter"
                           r"|newsletter (for|to)|follow us (on|for)|download (our|the) app"
                           r"|support (our|independent) journalism|become a (member|subscriber)"
                           r"|click here|don'?t miss (out|a story))\b"),
        ("call to action", r"^>?\s*read (the )?(full |whole |original )?(article|story|piece)\b.{0,80}$"),
        ("call to action", r"^(for more|for the latest)\b.{0,80}\b(visit|follow|see|go to)\b.{0,60}$"),
        ("call to action", r"^(call to action|closing (message|thoughts))\s*:"),
        ("credit", r"^(photo|image|picture|video|graphic|illustration)s?( credit)?\s*[:/(].{0,120}$"),
        ("credit", r"^.{0,60}\b(shutterstock|getty images|afp|reuters|ap photo|alamy|istock)\b.{0,60}/.{0,60}$"),
        ("credit", r"^(shutterstock|getty images|alamy|istock)\b.{0,80}$"),
        ("FAQ filler", r"^q\d*\s*[:.)]\s.{0,300}\?$"),
        ("FAQ filler", r"^a\s*[:.)]\s"),
        ("copyright line", r"^(©|\(c\)|copyright\b).{0,160}$"),
    ))

FILLER_SECTIONS = re.compile(
    r"^(people also ask|frequently asked questions|faqs?|practical tips|tips for|key takeaways"
    r"|related (articles|posts|stories|reading)|further reading|you may also like|recommended( for you)?"
    r"|about the author|more stories|read next)\b", re.IGNORECASE)

HEADLINE_REPEAT = 90.0
REPEATED = "repeated across unrelated articles"


def chrome_reason(text: str) -> str | None:
    """Which kind of site chrome a line is, or None when it may be news."""
    line = text.strip().lower()
    first = _SOCIAL_WORD.search(line)
    if first is not None and first.group() in SOCIAL_WORDS:  # else not all words are social: skip the split
        words = _SOCIAL_WORD.findall(line)
        if all(w in SOCIAL_WORDS for w in words) and SHARE_BUTTONS & set(words):
            return "share buttons"
    for reason, pattern in CHROME_PATTERNS:
        if pattern.search(line):
            return reason
    return None


def clean_article(article: Article, settings: Settings) -> CleanArticle:
    """Apply the pattern rules to one article."""
    kept: list[Paragraph] = []
    removed: list[Removed] = []
    in_filler: str | None = None
    title = normalise(article.title or "")
    for p in article.paragraphs:
        if p.heading:
            in_filler = p.text if FILLER_SECTIONS.match(p.text) else None
        reason = chrome_reason(p.text)
        if reason is None and in_filler is not None:
            reason = f"SEO filler section '{in_filler}'"
        if reason is None and title and fuzz.ratio(normalise(p.text), title) >= HEADLINE_REPEAT:
            reason = "headline repeated"
        if reason is None and p.heading:
            reason = "heading"
        if reason is None and len(p.text.split()) < settings.min_passage_words:
            reason = "too short to be a passage"
        if reason is None:
            kept.append(p)
        else:
            removed.append(Removed(p.line, reason))
    return CleanArticle(article, tuple(kept), tuple(removed))


def remove_repeated_lines(articles: Sequence[CleanArticle], family_of: Mapping[str, str],
                          settings: Settings) -> list[CleanArticle]:
    """Drop short lines that recur across several duplicate families: boilerplate by repetition."""
    families_with: dict[str, set[str]] = defaultdict(set)
    short: dict[tuple[int, int], str] = {}  # (article, paragraph) -> normalised text, for short lines only
    for ai, ca in enumerate(articles):
        for pi, p in enumerate(ca.paragraphs):
            if len(p.text.split()) <= settings.boilerplate_max_words:
                short[ai, pi] = norm = normalise(p.text)
                families_with[norm].add(family_of.get(ca.id, ca.id))
    n_families = len(set(family_of.get(ca.id, ca.id) for ca in articles)) or 1
    need = max(settings.boilerplate_min_families, settings.boilerplate_min_share * n_families)
    repeated = {line for line, fams in families_with.items() if len(fams) >= need}
    if not repeated:
        return list(articles)
    out = []
    for ai, ca in enumerate(articles):
        drop = [short.get((ai, pi)) in repeated for pi in range(len(ca.paragraphs))]
        if not any(drop):
            out.append(ca)
            continue
        keep = tuple(p for p, d in zip(ca.paragraphs, drop) if not d)
        gone = tuple(Removed(p.line, REPEATED) for p, d in zip(ca.paragraphs, drop) if d)
        out.append(CleanArticle(ca.article, keep, tuple(sorted(ca.removed + gone, key=lambda r: r.line))))
    return out
