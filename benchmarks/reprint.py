"""Build a fresh labelled dedup corpus: new syndicated copies of the originals of a labelled corpus.

Usage::

    python -m benchmarks.reprint SOURCE_CORPUS OUT_DIR [--seed S] [--copies-per-original 0.84]

SOURCE_CORPUS holds ``articles/`` and ``labels.json`` ({file name: {"family", "event", "outlet",
"kind"}}).  Only its originals (kind ``"original"``) are kept, byte for byte, each as its own family;
every copy in it is dropped.  Each original then gets 0-3 new copies (Poisson, mean
``--copies-per-original``) in other, invented outlets, each with a random subset of the edits real
reprints show.  The copy's ``kind`` is ``"reprint:"`` plus the comma-joined edits (``reprint:`` for
an exact copy under another outlet's name):

``headline`` re-worded, ``chrome`` (site furniture above and below), ``trimN`` (last N paragraphs
dropped), ``excerptN`` (N consecutive paragraphs only), ``resplit`` (paragraphs split, also inside a
sentence after an abbreviation or a comma, or merged), ``style`` (house style), ``quotes`` (curly to
straight), ``curly`` (straight to curly), ``lead`` (a local lead paragraph added).

Layout written, as in the source corpus::

    OUT_DIR/articles/<original files>, <date>-<outlet-slug>-<hash>-<n>.md, <outlet-slug>-<hash>-<n>.txt
    OUT_DIR/labels.json

Same source, seed and options -> same bytes.
"""

from __future__ import annotations

import argparse
import datetime as dt
import hashlib
import json
import math
import random
import re
import sys
from dataclasses import dataclass, replace
from pathlib import Path

import yaml

from .synth import slugify, yaml_str

OUTLETS = ("Pinecrest Gazette", "Ironbridge Times", "The Westfield Observer", "Redwood Record",
           "Clearwater Daily", "Hillcrest Chronicle", "The Morning Bulletin", "NewsPulse 360")
SECTIONS = ("Politics", "News", "Nation", "World", "Local")
CHROME_TOP = (
    "Skip to main content", "Share on Facebook  Share on Twitter  Email", "Font size: A A A",
    "Updated {date}", "Listen to this article", "Home > {section} > Latest", "Advertisement",
    "Subscribe to {outlet} for unlimited access", "Menu  Search  Sign in", "By {outlet} Staff",
    "Share this story", "Print  Email  Comment",
)
CHROME_BOTTOM = (
    "Sign up for our newsletter", "Leave a Reply", "Tags: {tags}",
    "Copyright {year} {outlet}. All rights reserved.", "Related: More coverage of {tag}",
    "This article originally appeared on {source}.", "Comments (0)",
    "Your email address will not be published.", "Previous story  Next story",
    "Follow {outlet} on social media for more updates.", "Get the {outlet} app",
    "Read more: {outlet} {section} coverage", "Report a correction", "Most Popular",
)
CHROME_TOP_LINES, CHROME_BOTTOM_LINES, CHROME_KEEP = (2, 4), (2, 5), 0.7
LEADS = (
    "{outlet} is following this developing story and will update this report as more details "
    "become available.",
    "The following report from our partners at {source} is republished by {outlet} with permission.",
    "Editor's note: {outlet} is carrying this story as part of its national coverage.",
    "{outlet} will have more on this story, including local reaction, in its next edition.",
    "Here is what {outlet} readers need to know about this story today.",
    "This story is brought to {outlet} readers through a content-sharing partnership.",
)
HEADLINE_PREFIXES = ("Report: ", "WATCH: ", "UPDATE: ", "Analysis: ", "Breaking: ")
HEADLINE_WORDS = (7, 12)
NUMBER_WORDS = ("zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine")
SMALL_NUMBER = re.compile(r"(?<![\w.,$/:#-])([1-9])(?![\w/%:-]|[.,]\d)")
STYLE_RULES = (                   # (pattern, replacement); a copy applies 2-4 of them in full
    (r"(\d) percent\b", r"\1%"), (r"(\d)%", r"\1 percent"), (r"\bU\.S\.(?!\w)", "US"),
    (r"\b(?:Mr|Mrs|Ms)\. (?=[A-Z])", ""), (r"\bsaid\b", "says"), (r"\bsaid\b", "stated"),
    (r"\bgovernment\b", "administration"), (r"\balmost\b", "nearly"), (r"\btoward\b", "towards"),
    (SMALL_NUMBER, lambda match: spell_number(match)),     # digits 1-9 spelled out
)
STYLE_RULE_COUNT = (2, 4)
SENTENCE_START = re.compile(r"(?:^|[.!?][\"\u201d]? )$")
CUTS = {                          # a paragraph may be split at the space ending a match; kind weights
    "sentence": (re.compile(r"(?:(?<=[.!?])|(?<=[.!?][\"\u201d])) (?=[\"\u201cA-Z0-9])"), 0.6),
    "abbreviation": (re.compile(r"\b(?:U\.S|Mr|Ms|Dr|St|Sen|Rep|Gov|Gen|Jr|Inc|D\.C)\. (?=\S)"), 0.25),
    "comma": (re.compile(r"(?<=,) (?=\S)"), 0.15),
}
EDIT_PROBS = {"headline": 0.6, "chrome": 0.8, "trim": 0.4, "excerpt": 0.2, "resplit": 0.45,
              "style": 0.4, "quotes": 0.3, "lead": 0.3}
MAX_COPIES = 3
TRIM_MAX, KEEP_MIN = 4, 3
EXCERPT_LEN = (3, 6)
SPLIT_RATE, MERGE_RATE = 0.25, 0.15
DAY_PROBS = (0.6, 0.3, 0.1)       # published 0, 1 or 2 days after the original
TXT_SHARE, URL_SHARE = 1 / 3, 0.5
STRAIGHTEN = str.maketrans({"\u201c": '"', "\u201d": '"', "\u2018": "'", "\u2019": "'"})
DATELINE = re.compile(r"^[A-Z][A-Z .,]+ (?:\u2014|--|-) ")


@dataclass(frozen=True)
class Article:
    """An article as its fields: what a copy starts from and what is rendered."""

    title: str
    outlet: str
    date: dt.date | None
    paragraphs: tuple[str, ...]


def parse(text: str, is_txt: bool) -> Article:
    """Read .txt (outlet, headline, body) or Markdown with YAML front matter."""
    if is_txt:
        outlet, title, body = (text.split("\n", 2) + ["", ""])[:3]
        meta = {"outlet": outlet, "title": title}
    else:
        _, front, body = text.split("---\n", 2) if text.startswith("---\n") else ("", "", text)
        meta = yaml.safe_load(front) or {}
    date = str(meta.get("published") or "")[:10]
    paragraphs = tuple(p.strip() for p in re.split(r"\n\s*\n", body) if p.strip())
    return Article(str(meta.get("title", "")).strip(), str(meta.get("outlet", "")).strip(),
                   dt.date.fromisoformat(date) if date else None, paragraphs)


def poisson(rng: random.Random, mean: float) -> int:
    """A Poisson draw (Knuth), capped at MAX_COPIES."""
    limit, k, product = math.exp(-mean), 0, rng.random()
    while product > limit and k < MAX_COPIES:
        k, product = k + 1, product * rng.random()
    return k


def outlet_chrome(seed: int, outlet: str) -> tuple[str, tuple[str, ...], tuple[str, ...]]:
    """An outlet's section name and its own top and bottom chrome lines (fixed per seed)."""
    rng = random.Random(f"{seed}:chrome:{outlet}")
    top = rng.sample(CHROME_TOP, rng.randint(*CHROME_TOP_LINES))
    bottom = rng.sample(CHROME_BOTTOM, rng.randint(*CHROME_BOTTOM_LINES))
    return rng.choice(SECTIONS), tuple(top), tuple(bottom)


def chrome(rng: random.Random, seed: int, copy: Article, source: str) -> tuple[list[str], list[str]]:
    """Some of the outlet's chrome lines, filled in for this copy."""
    section, top, bottom = outlet_chrome(seed, copy.outlet)
    names = [w.strip(",.:;'\"") for w in copy.title.split()[1:] if w[:1].isupper()]
    tags = ", ".join(dict.fromkeys([section.lower()] + [n for n in names if len(n) > 3][:3]))
    fields = {"outlet": copy.outlet, "source": source, "section": section, "tags": tags,
              "tag": tags.split(", ")[-1], "date": copy.date, "year": copy.date and copy.date.year}

    def pick(lines: tuple[str, ...]) -> list[str]:
        if copy.date is None:     # no date to fill in
            lines = tuple(line for line in lines if "{date}" not in line and "{year}" not in line)
        if not lines:
            return []
        kept = [line for line in lines if rng.random() < CHROME_KEEP] or [rng.choice(lines)]
        return [line.format(**fields) for line in kept]
    return pick(top), pick(bottom)


def reword(rng: random.Random, title: str, paragraphs: tuple[str, ...]) -> str:
    """A prefixed headline, or the first sentence of the body cut short."""
    body = [p for p in paragraphs if p != title]
    if not body or rng.random() < 0.5:
        return rng.choice(HEADLINE_PREFIXES) + title
    sentence = CUTS["sentence"][0].split(DATELINE.sub("", body[0]))[0]
    words = sentence.split()[:rng.randint(*HEADLINE_WORDS)]
    if len(words) < HEADLINE_WORDS[0]:          # a sentence cut after "Mr." and the like
        return rng.choice(HEADLINE_PREFIXES) + title
    return " ".join(words).rstrip(",;:.-\u2014").strip("\"\u201c\u201d")


def split_once(rng: random.Random, para: str) -> list[str]:
    """Split a paragraph at a sentence end, after an abbreviation or after a comma."""
    found = {kind: [m.end() - 1 for m in regex.finditer(para)] for kind, (regex, _) in CUTS.items()}
    kinds = [kind for kind in CUTS if found[kind]]
    if not kinds:
        return [para]
    kind = rng.choices(kinds, [CUTS[k][1] for k in kinds])[0]
    cut = rng.choice(found[kind])
    return [para[:cut], para[cut + 1:]]


def resplit(rng: random.Random, paragraphs: list[str]) -> list[str]:
    """Split some paragraphs (also in mid-sentence) and merge some neighbours."""
    out: list[str] = []
    for para in paragraphs:
        if rng.random() < SPLIT_RATE:
            out += split_once(rng, para)
        elif out and rng.random() < MERGE_RATE:
            out[-1] = f"{out[-1]} {para}"
        else:
            out.append(para)
    return out


def spell_number(match: re.Match[str]) -> str:
    """Spell out a digit, capitalised at the start of a sentence."""
    word = NUMBER_WORDS[int(match.group(1))]
    at_start = SENTENCE_START.search(match.string, max(0, match.start() - 3), match.start())
    return word.capitalize() if at_start else word


def house_style(rng: random.Random, paragraphs: list[str]) -> list[str]:
    """Apply a few house-style rules to every paragraph."""
    rules = rng.sample(STYLE_RULES, rng.randint(*STYLE_RULE_COUNT))
    out = []
    for para in paragraphs:
        for pattern, new in rules:
            para = re.sub(pattern, new, para)
        out.append(para)
    return out


def curl(text: str) -> str:
    """Straight quotes to typographic ones."""
    text = re.sub(r"(^|[\s(\[\u2014-])\"", "\\1\u201c", text).replace('"', "\u201d")
    return re.sub(r"(^|[\s(\[\u2014-])'", "\\1\u2018", text).replace("'", "\u2019")


def make_copy(rng: random.Random, seed: int, original: Article, outlet: str) -> tuple[Article, list[str]]:
    """A copy of original in outlet with a random subset of the edits real reprints show."""
    chosen = {edit for edit, p in EDIT_PROBS.items() if rng.random() < p}
    edits: list[str] = []
    paras, title = list(original.paragraphs), original.title
    if "headline" in chosen:
        title = reword(rng, title, original.paragraphs)
        edits.append("headline")
    if "excerpt" in chosen and len(paras) > EXCERPT_LEN[0]:
        length = rng.randint(EXCERPT_LEN[0], min(EXCERPT_LEN[1], len(paras) - 1))
        start = rng.randint(0, len(paras) - length)
        paras = paras[start:start + length]
        edits.append(f"excerpt{length}")
    elif "trim" in chosen and len(paras) > KEEP_MIN:
        drop = rng.randint(1, min(TRIM_MAX, len(paras) - KEEP_MIN))
        paras = paras[:-drop]
        edits.append(f"trim{drop}")
    for edit, change in (("resplit", resplit), ("style", house_style)):
        if edit in chosen and (new := change(rng, paras)) != paras:
            paras = new
            edits.append(edit)
    if "quotes" in chosen:
        straight = any(q in p for p in paras for q in "\u201c\u201d\u2019")
        fix = (lambda s: s.translate(STRAIGHTEN)) if straight else curl
        if (new := [fix(p) for p in paras]) != paras:
            paras, title = new, fix(title)
            edits.append("quotes" if straight else "curly")
    if "lead" in chosen:
        paras.insert(0, rng.choice(LEADS).format(outlet=outlet, source=original.outlet))
        edits.append("lead")
    date = original.date and original.date + dt.timedelta(days=rng.choices(range(3), DAY_PROBS)[0])
    copy = Article(title, outlet, date, tuple(paras))
    if "chrome" in chosen:
        top, bottom = chrome(rng, seed, copy, original.outlet)
        copy = replace(copy, paragraphs=tuple(top) + copy.paragraphs + tuple(bottom))
        edits.append("chrome")
    return copy, edits


def render(article: Article, as_txt: bool, with_url: bool) -> str:
    """File text: pasted .txt or Markdown with YAML front matter (JSON strings are valid YAML)."""
    body = "\n\n".join(article.paragraphs)
    if as_txt:
        return f"{article.outlet}\n{article.title}\n\n{body}\n"
    lines = ["---", f"title: {yaml_str(article.title)}", f"outlet: {yaml_str(article.outlet)}"]
    if article.date:
        lines.append(f"published: {yaml_str(article.date.isoformat())}")
        if with_url:
            site = f"https://{slugify(article.outlet)}.example"
            url = f"{site}/{article.date:%Y/%m/%d}/{slugify(article.title)}"
            lines.append(f"url: {yaml_str(url)}")
    return "\n".join(lines + ["---"]) + "\n\n" + body + "\n"


def write_copies(rng: random.Random, seed: int, name: str, original: Article, count: int,
                 articles: Path) -> list[tuple[str, str, list[str]]]:
    """Write count copies of the original file name; return (file name, outlet, edits) of each."""
    family_hash = hashlib.sha1(name.encode()).hexdigest()[:8]
    written = []
    for n, outlet in enumerate(rng.sample(OUTLETS, count)):
        copy, edits = make_copy(rng, seed, original, outlet)
        as_txt = rng.random() < TXT_SHARE or copy.date is None
        stem = f"{slugify(outlet)}-{family_hash}-{n}"
        file = f"{stem}.txt" if as_txt else f"{copy.date.isoformat()}-{stem}.md"
        text = render(copy, as_txt, rng.random() < URL_SHARE)
        (articles / file).write_text(text, encoding="utf-8", newline="\n")
        written.append((file, outlet, edits))
    return written


def build(source: Path, out_dir: Path, seed: int = 0,
          copies_per_original: float = 0.84) -> dict[str, dict]:
    """Write the originals of source and fresh copies of them into out_dir; return the labels."""
    labels_in = json.loads((source / "labels.json").read_text(encoding="utf-8"))
    articles = out_dir / "articles"
    articles.mkdir(parents=True, exist_ok=True)
    if any(articles.iterdir()):
        raise FileExistsError(f"{articles} is not empty")
    labels: dict[str, dict] = {}
    for name in sorted(n for n, label in labels_in.items() if label["kind"] == "original"):
        data = (source / "articles" / name).read_bytes()
        (articles / name).write_bytes(data)
        event, outlet = labels_in[name]["event"], labels_in[name]["outlet"]
        labels[name] = {"family": name, "event": event, "outlet": outlet, "kind": "original"}
        original = parse(data.decode("utf-8"), name.endswith(".txt"))
        rng = random.Random(f"{seed}:{name}")     # a family's copies depend on its name and the seed only
        count = poisson(rng, copies_per_original)
        for file, copy_outlet, edits in write_copies(rng, seed, name, original, count, articles):
            labels[file] = {"family": name, "event": event, "outlet": copy_outlet,
                            "kind": "reprint:" + ",".join(edits)}
    text = json.dumps(labels, indent=1, sort_keys=True, ensure_ascii=False) + "\n"
    (out_dir / "labels.json").write_text(text, encoding="utf-8", newline="\n")
    return labels


def main(argv: list[str] | None = None) -> int:
    """Command-line entry point."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("source", type=Path, help="labelled corpus: articles/ and labels.json")
    parser.add_argument("out_dir", type=Path)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--copies-per-original", type=float, default=0.84,
                        help="mean number of copies an original gets (0-3 each)")
    args = parser.parse_args(argv)
    labels = build(args.source, args.out_dir, args.seed, args.copies_per_original)
    copies = sum(label["kind"] != "original" for label in labels.values())
    print(f"wrote {len(labels) - copies} originals and {copies} copies to {args.out_dir}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
