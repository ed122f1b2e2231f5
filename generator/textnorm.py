"""Text normalisation shared by cleaning, deduplication and topic matching."""
from __future__ import annotations

import hashlib
import re
import string
import unicodedata

_QUOTES = str.maketrans({"‘": "'", "’": "'", "‚": "'", "‛": "'", "“": '"', "”": '"', "„": '"', "‟": '"',
                         "–": "-", "—": "-", "\u00a0": " "})
_PLAIN = tuple((chr(code), plain) for code, plain in _QUOTES.items())
_ASCII_LETTERS = frozenset(string.ascii_letters)
_WORD_BYTES = bytes(c if 0x61 <= c <= 0x7A or 0x30 <= c <= 0x39 else 0x20 for c in range(256))  # a-z 0-9 kept
# The ASCII characters `normalise` makes a space (all but letters and digits): delete them from an ASCII text's
# bytes to count the characters it keeps
ASCII_DROPPED = bytes(c for c in range(128) if _WORD_BYTES[ord(chr(c).lower())] == 0x20)
_ABBREV_DOTS = re.compile(r"\b((?:[A-Za-z]\.){2,})")
_QUOTED = re.compile(r'["“„«][^"”‟»“]*(?:["”‟»]|$)')
# A line ends as a sentence does: closing punctuation, then any closing quotes or brackets.
SENTENCE_END = re.compile(r"[.!?…][\"'”’)\]]*$")
_SENTENCE_BREAK = re.compile(r"[.!?…][\"'”’)\]]*(\s+)(?=[\"'“‘(\[]?[A-Z0-9])")
# A full stop that ends no sentence: a title before a name ("Rev. Jesse Jackson", "Reps. John Lewis"), other
# abbreviations, an initial, "Roe v. Wade", and a US lawmaker's party and state ("Asa Hutchinson (R-Ark.) Tuesday
# released ..."). Searched in the last _NO_BREAK_REACH characters before a break, where any of these ends.
_NO_BREAK_AFTER = re.compile(
    r"(?:\b(?:Mr|Mrs|Ms|Dr|Prof|Sen|Sens|Rep|Reps|Gov|Govs|Gen|Gens|Col|Lt|Capt|Maj|Adm|Cmdr|Sgt|Cpl|Pvt|Rev|Msgr"
    r"|Atty|Supt|Det|St|Ft|Mt|Jr|Sr|Inc|Ltd|Co|Corp|vs|v|No|Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sep|Sept|Oct|Nov|Dec"
    r"|U\.S|U\.N|U\.K|E\.U)\.|\b[A-Z]\.|\([RDI]-[A-Z][A-Za-z. ]{0,16}\.\))[\"'”’)\]]*$")
_NO_BREAK_REACH = 40
# A US state's abbreviation before a title is one name, not a sentence's end: "calling for Ariz. Gov. Jan Brewer".
_STATE = re.compile(r"\b(?:Ala|Ariz|Ark|Calif|Colo|Conn|Del|Fla|Ga|Ill|Ind|Kan|Ky|La|Md|Mass|Mich|Minn|Miss|Mo|Mont"
                    r"|Neb|Nev|Okla|Ore|Pa|Tenn|Vt|Va|Wash|Wis|Wyo)\.$")
_TITLE_NEXT = re.compile(r"(?:Gov|Govs|Lt|Sen|Sens|Rep|Reps|Atty)\. ")


def fold(text: str) -> str:
    """Unicode-compatible form with typographic quotes and dashes made plain."""
    text = unicodedata.normalize("NFKC", text)
    for char, plain in _PLAIN:  # str.replace per character present: many times faster than str.translate
        if char in text:
            text = text.replace(char, plain)
    return text


def _may_have_abbreviation(text: str) -> bool:
    """Cheap test: is there a letter between two dots ("U.S.")? Only then is the regex worth running."""
    i, end = text.find("."), len(text) - 2
    while 0 <= i < end:
        if text[i + 2] == "." and text[i + 1] in _ASCII_LETTERS:
            return True
        i = text.find(".", i + 1)
    return False


def hash64(text: str) -> int:
    """A signed 64-bit hash of a text, the same in every process and run (unlike `hash`)."""
    return int.from_bytes(hashlib.blake2b(text.encode(), digest_size=8).digest(), "little", signed=True)


def normalise(text: str) -> str:
    """Lower-case words and digits only, abbreviations closed up (U.S. -> us), for comparison.

    The same as `re.sub("[^a-z0-9]+", " ", text.lower()).strip()` after folding and closing abbreviations,
    done with a byte table, which is several times faster on the millions of sentences of a big corpus.
    """
    if not text.isascii():  # NFKC and the quote map leave ASCII as it is: skip them when they cannot matter
        text = fold(text)
    if "." in text and _may_have_abbreviation(text):
        text = _ABBREV_DOTS.sub(lambda m: m.group(1).replace(".", ""), text)
    return b" ".join(text.lower().encode("ascii", "replace").translate(_WORD_BYTES).split()).decode("ascii")


def sentences(text: str) -> list[str]:
    """Split a paragraph into sentences, keeping every character of it in exactly one sentence."""
    out: list[str] = []
    start = 0
    for m in _SENTENCE_BREAK.finditer(text):
        end = m.start(1)
        if _NO_BREAK_AFTER.search(text, max(start, end - _NO_BREAK_REACH), end) or (
                _TITLE_NEXT.match(text, m.end()) and _STATE.search(text, max(start, end - _NO_BREAK_REACH), end)):
            continue
        out.append(text[start:m.start(1)].strip())
        start = m.end()
    tail = text[start:].strip()
    if tail:
        out.append(tail)
    return [s for s in out if s]


def quoted_chars(text: str) -> int:
    """Characters of a sentence inside double quotation marks (an unclosed quote runs to its end)."""
    if '"' not in text and "“" not in text and "„" not in text and "«" not in text:
        return 0  # no opening mark of _QUOTED: most sentences, found 7 times faster than by the regex
    return sum(m.end() - m.start() for m in _QUOTED.finditer(text))


# Finite verbs that headlines leave out and statements have: "is", "will", "said" ...
FINITE_VERBS = frozenset("""
is are was were will would has have had can could should must may might shall did does
says said told announced denies denied confirms confirmed
""".split())
HEADLINE_CAPITALS = 0.6  # share of the longer words capitalised from which a line reads as a headline


def is_statement(words: list[str]) -> bool:
    """Words in sentence case (its longer words mostly lower case) with a finite verb after the first word."""
    has_verb = any(w.strip("\"'“”‘’,.;:()").lower() in FINITE_VERBS for w in words[1:])
    return len(words) >= 4 and has_verb and not in_headline_case(words, default=True)


def in_headline_case(words: list[str], default: bool = False, share: float = HEADLINE_CAPITALS) -> bool:
    """Most longer words capitalised ("Trump And Putin To Meet In Alaska"): at least `share` of them;
    `default` when no word is longer."""
    longer = [w for w in words if len(w.strip("\"'“”‘’,.;:()")) >= 4]
    if not longer:
        return default
    return sum(w.strip("\"'“”‘’(")[:1].isupper() for w in longer) >= share * len(longer)
