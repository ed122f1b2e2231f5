"""Does every footnote vouch only for text its article holds? A mechanical check of built briefings.

Usage::

    python -m benchmarks.check_citations BRIEFINGS_DIR SEEDS_DIR [--threshold 88] [--show 20]

For every topic and archive page, every text a reader sees with footnotes (a key point, a passage, a
claim's other wording) is split into sentences, and each sentence is looked up in each file its
footnotes cite (the file named by the footnote's "Seed file" link): normalised as deduplication
normalises text, it must be in the file word for word, or match a stretch of it with rapidfuzz
`partial_ratio` >= the threshold (deduplication's `sentence_match`: the same sentence after house-style
edits). Prints the share of (sentence, cited file) pairs that fail, and the worst ones.
"""
from __future__ import annotations

import argparse
import html
import re
import sys
from dataclasses import dataclass
from pathlib import Path

from rapidfuzz import fuzz

REPO = Path(__file__).resolve().parents[1]
if str(REPO) not in sys.path:
    sys.path.insert(0, str(REPO))

from generator.settings import DEFAULT  # noqa: E402
from generator.textnorm import normalise, sentences  # noqa: E402

_DEFINITION = re.compile(r"^\[\^([^\]]+)\]: .*Seed file \[(.+?)\]\(")
_REFERENCE = re.compile(r"\[\^([^\]]+)\](?!:)")
_ESCAPE = re.compile(r"\\([!-/:-@\[-`{-~])")
_NOT_TOPIC_PAGES = ("index.md", "sources.md")


@dataclass(frozen=True)
class Failure:
    page: str
    sentence: str
    path: str
    best: float


def _plain(markdown: str) -> str:
    """The text a reader sees in a line of generated Markdown (escapes undone)."""
    return html.unescape(_ESCAPE.sub(r"\1", markdown))


def units(page: str) -> tuple[list[tuple[str, list[str]]], dict[str, str]]:
    """(text, cited labels) of each footnoted line of a page, and each label's seed file."""
    files, found = {}, []
    for line in page.split("\n"):
        d = _DEFINITION.match(line)
        if d:
            files[d.group(1)] = _plain(d.group(2))
            continue
        text = line.strip()
        # a row of a table of disputed statements: each cell is a wording with its own footnotes
        for cell in _CELL.split(text.strip("|")) if text.startswith("|") else [text]:
            refs = _REFERENCE.findall(cell)
            if refs:
                cell = cell.strip()
                found.append((_plain((cell[2:] if cell.startswith("- ") else cell).split("[^", 1)[0]), refs))
    return found, files


_CELL = re.compile(r"(?<!\\)\|")  # a table cell ends at a "|" that is not escaped


def check(briefings: Path, seeds: Path, threshold: float = DEFAULT.sentence_match) -> tuple[int, list[Failure]]:
    """How many (sentence, cited file) pairs the topic pages hold, and those whose file lacks the sentence."""
    texts: dict[str, str] = {}
    total, failures = 0, []
    for page_path in sorted(briefings.glob("*.md")):
        if page_path.name in _NOT_TOPIC_PAGES or page_path.name.startswith("sources-"):
            continue
        found, files = units(page_path.read_text(encoding="utf-8"))
        for text, refs in found:
            for sentence in sentences(text):
                norm = normalise(sentence)
                if not norm:
                    continue
                for label in refs:
                    path = files[label]
                    if path not in texts:
                        texts[path] = normalise((seeds / path).read_text(encoding="utf-8", errors="replace"))
                    total += 1
                    if norm in texts[path]:
                        continue
                    best = fuzz.partial_ratio(norm, texts[path])
                    if best < threshold:
                        failures.append(Failure(page_path.name, sentence, path, round(best, 1)))
    return total, failures


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("briefings", type=Path)
    ap.add_argument("seeds", type=Path)
    ap.add_argument("--threshold", type=float, default=DEFAULT.sentence_match)
    ap.add_argument("--show", type=int, default=20, help="failures to print, worst first")
    args = ap.parse_args(argv)
    total, failures = check(args.briefings, args.seeds, args.threshold)
    share = len(failures) / total if total else 0.0
    print(f"{total} (sentence, cited file) pairs on the topic pages; {len(failures)} fail ({share:.1%}).")
    for f in sorted(failures, key=lambda f: f.best)[:args.show]:
        print(f"  {f.page}: {f.path} (best {f.best}): {f.sentence[:110]}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
