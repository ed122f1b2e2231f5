"""Rules that name kinds of site chrome (share buttons, navigation, category lines, comment prompts,
calls to action, credits, FAQ filler), rather than any one site's lines.

Reading uses them to find the header lines of pasted text, cleaning to remove chrome from articles.
"""
from __future__ import annotations

import re

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
        ("contact block", r"^(?:you can )?(?:call|phone|ring|contact|e-?mail|text|write to|reach) us\b.{0,160}$"),
        ("contact block", r"\btoll[- ]free (?:number|line|hotline)\b"),
        ("contact block", r"^.{0,80}(?<![\d-])(?:\+?1[-. ])?\(?\d{3}\)?[-. ]\d{3}[-. ]\d{4}(?![\d-]).{0,80}$"),
        ("update note", r"^(?:this|the) (?:story|article|post|report) (?:has been|was|is being) (?:updated|corrected)\b.{0,120}$"),
        ("copyright line", r"^(©|\(c\)|copyright\b).{0,160}$"),
    ))

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
