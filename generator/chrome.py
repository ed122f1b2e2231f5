"""Rules that name kinds of site chrome (share buttons, navigation, category lines, comment prompts,
calls to action, credits and photo captions, teasers for other stories, live-blog time stamps, FAQ
filler), rather than any one site's lines.

Reading uses them to find the header lines of pasted text, cleaning to remove chrome from articles.
"""
from __future__ import annotations

import re
from collections.abc import Callable

SOCIAL_WORDS = frozenset(
    "share shares sharing this article story post page on to via with facebook twitter x email e-mail mail "
    "linkedin whatsapp reddit pinterest telegram print copy link tweet messenger flipboard comment comments "
    "and or".split())
SHARE_BUTTONS = frozenset("share facebook twitter email tweet linkedin whatsapp print".split())
_SOCIAL_WORD = re.compile(r"[\w'-]+")

# Who took a picture: photo agencies and wires, as credits end ("Name/AP", "Name/AFP via Getty Images") ...
_AGENCY = (r"(?:reuters|afp|ap|epa|epa-efe|getty images|anadolu( agency)?|bloomberg|sputnik|tass|ria novosti"
           r"|ukrinform|xinhua|shutterstock|alamy|istock)")
# ... or begin, in capitals ("REUTERS/Gleb Garanich", "AP Photo/Evan Vucci"): a few words, no full stop after
# them (a "Reuters/Ipsos poll" in a sentence is news). Matched against the line as written.
SIGNED_CREDIT = re.compile(r"\b(?:REUTERS|AFP|EPA|EPA-EFE|AP Photo|TASS|SPUTNIK|UKRINFORM|XINHUA)\s?/\s?"
                           r"[A-Z][\w'’-]*(?:\s[\w'’.-]+){0,3}?[\w'’]\)?$")
# A live blog's time of an entry: 14:08, 2.08pm, 9:30 a.m. ET, [14:08 GMT]
_TIME = (r"(?:(?:[01]?\d|2[0-3])[:.][0-5]\d(?:\s?[ap]\.?m\.?)?|(?:1[0-2]|0?[1-9])\s?[ap]\.?m\.?)"
         r"(?:\s?(?:gmt|utc|bst|cet|cest|eet|eest|et|est|edt|pt|pst|pdt|ct|cst|cdt|msk)\b)?")
# ... at the start of an entry, set off by a dash, bar, bullet or colon (or brackets), text (not a figure) after it
LIVE_STAMP = re.compile(rf"^(?:\[{_TIME}\]|\({_TIME}\)|{_TIME}\s*[-–—|•:])\s*(?=[^\d\s])", re.IGNORECASE)
# A post's update label before the text an update added: "UPDATE:", "Updated:", "UPDATE 2:52 p.m. --", "UPDATE: 9 p.m. --"
UPDATE_LABEL = re.compile(rf"^update[ds]?(?:\s+{_TIME})?\s*(?::|[-–—]+)(?:\s*{_TIME}\s*(?::|[-–—]+))?\s*(?=[^\d\s])",
                          re.IGNORECASE)

_DIGITS = b"0123456789"
_ASCII = bytes(range(128))
_PHONE_DIGITS = re.compile(r"\d{3}[-. ]\d{4}")


def _may_hold_phone_number(line: str) -> bool:
    """Whether a line has the digits of a phone number: ten of them (counted in C: the expression alone tries
    each place of the line, and cost as much as all other rules but three; in a line with other than ASCII, the
    bytes of its other characters are also read for digits, as the expression's \\d takes any), then three and
    four set apart."""
    raw = line.encode()
    digits = len(raw) - len(raw.translate(None, _DIGITS))
    if digits < 10 and not line.isascii():
        digits += sum(map(str.isdecimal, raw.translate(None, _ASCII).decode()))
    return digits >= 10 and _PHONE_DIGITS.search(line) is not None


# Matched against the lower-cased line (faster than re.IGNORECASE): write patterns in lower case. A rule that may
# match anywhere in a line can name, third, what a line must hold for it to match (any of these strings, or a test
# of the line): most lines are news and lack it, and are not searched (the costliest rules; a line's cleaning took
# a third of reading a file).
_RULES: tuple[tuple, ...] = (
    ("navigation", r"^(table of contents|contents|skip to (main )?content|menu|home|search|back to top"
                   r"|(previous|next|prev)( article| post| story)?(\s+(previous|next|prev)( article| post| story)?)?"
                   r"|trending( now)?|advertisement|sponsored( content)?|loading\W*|load more|read more"
                   r"|related( articles| posts| stories| news)?|most (read|popular)|you (may|might) also like"
                   r"|more (from|on) .{0,40}|see also|top stories|latest( news)?|breaking( news)?)\W*$"),
    ("navigation", r"^(home|news)\s*[>»›|/]\s*\w.{0,80}$"),  # a breadcrumb trail: "Home > Politics > World"
    ("section label", r"^(opinion|analysis|commentary|editorial|explainer|exclusive|world( news)?|politics"
                      r"|business|news|live( updates| blog)?|europe|sports?|tech(nology)?|health|science|culture)\W*$"),
    ("category line", r"^(posted|filed)\s+(in|under|on|by).{0,200}$"),
    ("category line", r"^(tags?|categories|category|topics|filed under|keywords)\s*:.{0,200}$"),
    ("comment prompt", r"^(leave a (reply|comment)|post (a )?comment|cancel reply|\d+ comments?"
                       r"|(join|start) the (conversation|discussion)|comments? (are )?closed\.?)\W*$"),
    ("comment prompt", r"^your email address will not be published\b.{0,80}$"),
    ("comment prompt", r"^required fields are marked\b.{0,20}$"),
    ("comment prompt", r"\bshare your (thoughts|views|opinion)s? (in|below)\b", ("share your",)),
    ("call to action", r"\b(subscribe( now| today)? (to|for)|sign up (for|to)|our newsletter"
                       r"|newsletter (for|to)|follow us (on|for)|download (our|the) app"
                       r"|support (our|independent) journalism|become a (member|subscriber)"
                       r"|click here|don'?t miss (out|a story))\b",
     ("subscribe", "sign up", "newsletter", "follow us", "download", "journalism", "become a", "click here", "miss")),
    ("call to action", r"^>?\s*read (the )?(full |whole |original )?(article|story|piece)\b.{0,80}$"),
    ("call to action", r"^(for more|for the latest)\b.{0,80}\b(visit|follow|see|go to)\b.{0,60}$"),
    ("call to action", r"^(call to action|closing (message|thoughts))\s*:"),
    ("credit", r"^(photo|image|picture|video|graphic|illustration)s?( credit)?\s*[:/(].{0,120}$"),
    ("credit", r"^.{0,60}\b(shutterstock|getty images|afp|reuters|ap photo|alamy|istock)\b.{0,60}/.{0,60}"
               r"(?<![.!?\"”’])$", ("/",)),  # not a sentence: "the figures came from Reuters/Ipsos polls." is news
    ("credit", r"^(shutterstock|getty images|alamy|istock)\b.{0,80}$"),
    # a caption is the line a credit ends: "(Photo: Reuters)", "REUTERS/Name", "Name/AFP via Getty Images",
    # "Photograph: Name/AP", "[Name/Reuters]", "Credit...Name"; the credit alone is a line too
    ("photo caption", r"\((photo|photograph|image|picture|pic|file photo)s?( credit)?\s?(:|by\b)[^()]{1,80}\)\.?$", (")",)),
    ("photo caption", r"\(credit\s?:[^()]{1,80}\)\.?$", (")",)),
    ("photo caption", rf"\S/\s?{_AGENCY}( via getty images)?\]?\)?\.?$", ("/",)),
    ("photo caption", r"(^|[.!?\"”’)]\s)((photo|photograph|image|picture|file photo)s?( credit)?\s?(:|by\b)|credit\s?:)"
                      r"[^.!?:]{2,60}$", ("photo", "image", "picture", "credit")),
    ("photo caption", r"\[(photo|file)\b[^\[\]]{1,80}\]$", ("]",)),
    ("photo caption", r"\[[^\[\]]{1,60}/[^\[\]]{1,40}\]$", ("/",)),
    ("photo caption", r"(^|\s)credit(\.{3}|…)\s?\S.{0,80}$", ("credit",)),
    ("photo caption", r"^((photo|image|media|video) (caption|source)|caption)\s?[:,]"),
    # a teaser for another story: "READ MORE: ...", "Related: ...", "Also read ...", "WATCH | ..."
    ("teaser for another story", r"^(read more|read also|also read|related( stories| articles| coverage"
                                 r"| content| news| reading| links)?|see also|more|watch|recommended|read next"
                                 r"|must read|don'?t miss)\s?([:|»>]|\s[-–—]\s)"),
    ("teaser for another story", r"^(also read|read more)\b"),
    # a link and nothing else: "[Headline](https://...)"
    ("related link", r"^\[[^\[\]]{2,300}\]\((https?://|/)[^()\s]*\)$"),
    ("live-blog time stamp", rf"^(\[{_TIME}\]|\({_TIME}\)|{_TIME})$"),
    ("live-blog time stamp", r"^(updated\s)?\d{1,2}\s?(min|mins|minutes?|h|hrs?|hours?)\sago$"),
    ("FAQ filler", r"^q\d*\s*[:.)]\s.{0,300}\?$"),
    ("FAQ filler", r"^a\s*[:.)]\s"),
    ("contact block", r"^(?:you can )?(?:call|phone|ring|contact|e-?mail|text|write to|reach) us\b.{0,160}$"),
    ("contact block", r"\btoll[- ]free (?:number|line|hotline)\b", ("toll",)),
    ("contact block", r"^.{0,80}(?<![\d-])(?:\+?1[-. ])?\(?\d{3}\)?[-. ]\d{3}[-. ]\d{4}(?![\d-]).{0,80}$",
     _may_hold_phone_number),
    ("update note", r"^(?:this|the) (?:story|article|post|report) (?:has been|was|is being) (?:updated|corrected|revised)"
                    r"\b.{0,120}$"),
    # a correction of the article itself: "Because of an editing error, an earlier version of this post said ..."
    ("correction note", r"^(?:correction\s?:|(?:because of an? \w+ error, )?an earlier version of this (?:story|article"
                        r"|post|report)\b)"),
    ("update note", r"^.{0,60}\b(?:is|are) (?:following|monitoring|tracking) this (?:developing|breaking) "
                    r"(?:story|situation)\b.{0,120}$", ("developing", "breaking")),
    ("update note", r"^this is a (?:developing|breaking) (?:story|news story)\b.{0,80}$"),
    ("print edition note", r"^a version of this (?:article|story|report|review|column) appear(?:s|ed) in print\b"),
    ("copyright line", r"^(©|\(c\)|copyright\b).{0,160}$"),
)
CHROME_PATTERNS: tuple[tuple[str, re.Pattern[str]], ...] = tuple((rule[0], re.compile(rule[1])) for rule in _RULES)


def _need(strings_or_test: tuple[str, ...] | Callable[[str], bool]) -> Callable[[str], bool]:
    """A rule's need as a test of the line: any of these strings in it, or the rule's own test."""
    if callable(strings_or_test):
        return strings_or_test
    if len(strings_or_test) == 1:
        one = strings_or_test[0]
        return lambda line: one in line

    def need(line: str) -> bool:  # a loop: 0.6 of the time of any() over a generator, 0.4 of an expression's
        for s in strings_or_test:
            if s in line:
                return True
        return False
    return need


def _at_start(pattern: str) -> bool:
    """Whether an expression can match only at the start of a line: it begins with '^' and has no '|' outside
    groups and brackets (else another branch could match further on)."""
    depth, k, in_class = 0, 1, False
    while pattern.startswith("^") and k < len(pattern):
        c = pattern[k]
        if c == "\\":
            k += 1                                # the next character is literal
        elif in_class:
            in_class = c != "]"
        elif c == "[":
            in_class = True
            k += pattern.startswith("^", k + 1)   # a negation ...
            k += pattern.startswith("]", k + 1)   # ... and a ']' first in a class are members of it
        elif c in "()":
            depth += 1 if c == "(" else -1
        elif c == "|" and depth == 0:
            return False
        k += 1
    return pattern.startswith("^")


# The rules tried in one expression at the start of the line: those that can match only there and need nothing
# (a line's cleaning took a third of reading a file when every rule was searched in turn). Each is a named
# branch, r<rule's index>; the first branch that matches is the earliest such rule that does.
_START = re.compile("|".join(f"(?P<r{k}>{rule[1]})" for k, rule in enumerate(_RULES)
                             if len(rule) == 2 and _at_start(rule[1])))
# The other rules, searched in turn where the line has what they need: (rule's index, reason, pattern, need)
_SEARCHED = tuple((k, rule[0], pattern, _need(rule[2]) if len(rule) > 2 else None)
                  for k, (rule, (_, pattern)) in enumerate(zip(_RULES, CHROME_PATTERNS))
                  if len(rule) > 2 or not _at_start(rule[1]))


def live_stamp(text: str) -> tuple[str, str]:
    """A live blog's time stamp at the start of a line ("14:08 - "), and the text after it ("", text: none)."""
    return _split_start(LIVE_STAMP, text)


def update_label(text: str) -> tuple[str, str]:
    """A post's update label at the start of a line ("UPDATE 2:52 p.m. -- "), and the text after it ("", text: none)."""
    return _split_start(UPDATE_LABEL, text)


def _split_start(label: re.Pattern[str], text: str) -> tuple[str, str]:
    """What `label` matches at the start of a line with text after it, and that text ("", text: no such start)."""
    m = label.match(text)
    if m is None or m.end() == len(text):
        return "", text
    return text[:m.end()].strip(), text[m.end():]


def _share_buttons(line: str) -> bool:
    """Whether a lower-cased line is only social words, among them a share button's."""
    first = _SOCIAL_WORD.search(line)
    if first is None or first.group() not in SOCIAL_WORDS:  # not all words are social: skip the split
        return False
    words = _SOCIAL_WORD.findall(line)
    return all(w in SOCIAL_WORDS for w in words) and not SHARE_BUTTONS.isdisjoint(words)


def chrome_reason(text: str) -> str | None:
    """Which kind of site chrome a line is, or None when it may be news."""
    line = text.strip().lower()
    if _share_buttons(line):
        return "share buttons"
    start = _START.match(line)
    first = int(start.lastgroup[1:]) if start is not None else len(_RULES)
    for k, reason, pattern, need in _SEARCHED:
        if k > first:
            break
        if (need is None or need(line)) and pattern.search(line):
            return reason
    if start is not None:
        return _RULES[first][0]
    if "/" in line and SIGNED_CREDIT.search(text.strip()):
        return "photo caption"
    return None
