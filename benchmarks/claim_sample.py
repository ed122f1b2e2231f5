"""Draw candidate cross-outlet sentence pairs for hand labelling, independently of the claim matcher.

Usage::

    python -m benchmarks.claim_sample --corpus CORPUS_DIR OUT.jsonl [--seed 1] [--with-text]

CORPUS_DIR holds `articles/` and `labels.json` ({file: {"event", "family", "kind", "outlet"}}), with
several outlets reporting each event. Only originals (kind "original") are read, through the project's
reader and cleaner, and split into sentences (textnorm.sentences). For each event and each pair of its
outlets, candidate pairs are sentence pairs that share at least 2 *rare* words (plain lower-case words
of 4+ letters, no stemming, no stopword list beyond that length rule, found in at most 2% of the
corpus' sentences); per event the sample keeps the 6 pairs sharing the most rare-word weight, 2 drawn at
random from the rest of the candidates, and 2 drawn at random from all cross-outlet pairs. Events are
split into dev and test by a hash of the event id. The output has an empty "label" to be filled by hand.

The output names each sentence by a *locator*, not by its text (the corpus' text stays out of the
project): the article's file name and `locator()`, a short sha1 of the normalised sentence. `resolve`
finds the sentences again in the corpus. `--with-text` adds the sentences themselves ("a", "b") for the
labeller's working copy; strip them (or label a copy) before a pairs file goes into the repository.

`--joins N` draws instead N of the pairs the claim matcher itself joins over every sentence of the
originals (each article its own family, each sentence with the one before it), uniformly at random: the
joins a reader is shown, whose labels estimate the precision of what the matcher does on the whole corpus
(`benchmarks/data/claim_joins.jsonl`, scored by bench_claims).
"""
from __future__ import annotations

import argparse
import functools
import hashlib
import itertools
import json
import math
import random
import re
import sys
from collections import Counter, defaultdict
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
if str(REPO) not in sys.path:
    sys.path.insert(0, str(REPO))

from generator import clean, reader  # noqa: E402
from generator.model import Article  # noqa: E402
from generator.settings import DEFAULT  # noqa: E402
from generator.textnorm import normalise, sentences  # noqa: E402

_WORD = re.compile(r"[a-z]{4,}")


def corpus_sentences(corpus: Path) -> dict[str, list[str]]:
    """Sentences of the kept paragraphs of every original, by file name (sorted)."""
    return {name: [s for s, _ in told] for name, told in _told(corpus).items()}


def sentences_before(corpus: Path) -> dict[tuple[str, str], str]:
    """(file name, sentence) -> the sentence before it in its paragraph ("" for a paragraph's first), as the
    claims stage gives it to the matcher."""
    return {(name, s): before for name, told in _told(corpus).items() for s, before in told}


def original_names(corpus: Path) -> list[str]:
    """The file names of the originals, sorted."""
    labels = json.loads((corpus / "labels.json").read_text())
    return sorted(name for name in labels if labels[name]["kind"] == "original")


@functools.lru_cache(maxsize=4)
def _originals(corpus: Path) -> dict[str, Article]:
    """Every original as the project's reader reads it, by file name: read once for the sentences, the
    sentences before them and the publication days."""
    folder = corpus / "articles"
    return {name: reader.read_file(folder / name, name, folder, DEFAULT) for name in original_names(corpus)}


@functools.lru_cache(maxsize=4)
def _told(corpus: Path) -> dict[str, list[tuple[str, str]]]:
    """(sentence, the sentence before it) of at least 6 words in the kept paragraphs of every original
    (cleaned once for the sentences and the sentences before them; callers only read it)."""
    out = {}
    for name, art in _originals(corpus).items():
        ca = clean.clean_article(art, DEFAULT)
        out[name] = []
        for p in ca.paragraphs:
            told = [] if p.heading else sentences(p.text)
            out[name] += [(s, told[k - 1] if k else "") for k, s in enumerate(told) if len(s.split()) >= 6]
    return out


def locator(sentence: str) -> str:
    """A short sha1 of the normalised sentence: names it among its article's sentences without its text."""
    return hashlib.sha1(normalise(sentence).encode("utf-8")).hexdigest()[:12]


def resolve(rows: list[dict], sents: dict[str, list[str]]) -> tuple[list[dict], list[str]]:
    """Rows with their sentences ("a", "b") looked up by locator, and a message for each that no longer resolves.

    A row whose file is missing or has no sentence with the row's sha1 is left out of the rows returned.
    """
    index = {f: {locator(s): s for s in ss} for f, ss in sents.items()}
    found, missing = [], []
    for n, r in enumerate(rows, 1):
        texts = {}
        for side in ("a", "b"):
            name, sha = r[f"{side}_file"], r[f"{side}_sha1"]
            text = index.get(name, {}).get(sha)
            if text is None:
                why = "no such article" if name not in index else "no sentence with that sha1"
                missing.append(f"row {n} side {side}: {name} {sha}: {why}")
            texts[side] = text
        if texts["a"] is not None and texts["b"] is not None:
            found.append({**r, **texts})
    return found, missing


def split_of(event: str) -> str:
    """dev or test, fixed by the event id."""
    return "dev" if int(hashlib.sha256(event.encode()).hexdigest(), 16) % 2 == 0 else "test"


def main(argv=None) -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--corpus", type=Path, required=True, help="folder with articles/ and labels.json")
    ap.add_argument("out", type=Path)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--with-text", action="store_true",
                    help="also write the sentences, for labelling (keep such a file out of the repository)")
    ap.add_argument("--joins", type=int, default=0, metavar="N", help="draw N of the matcher's own joins instead")
    args = ap.parse_args(argv)
    labels = json.loads((args.corpus / "labels.json").read_text())
    sents = corpus_sentences(args.corpus)
    if args.joins:
        return _write(args.out, joins(args.corpus, sents, labels, args.joins, args.seed), sents if args.with_text else None)
    wordsets = {f: [frozenset(_WORD.findall(normalise(s))) for s in ss] for f, ss in sents.items()}
    df = Counter(w for ws in wordsets.values() for s in ws for w in s)
    total = sum(len(ws) for ws in wordsets.values())
    rare = {w for w, c in df.items() if c <= 0.02 * total}
    by_event = defaultdict(list)
    for f in sents:
        by_event[labels[f]["event"]].append(f)
    rng = random.Random(args.seed)
    rows = []
    for event in sorted(by_event):
        files = sorted(by_event[event])
        cands, every = [], []
        for fa, fb in itertools.combinations(files, 2):
            for i, wa in enumerate(wordsets[fa]):
                for j, wb in enumerate(wordsets[fb]):
                    every.append((fa, i, fb, j))
                    shared = wa & wb & rare
                    if len(shared) >= 2:
                        cands.append((-sum(math.log(total / df[w]) for w in shared), fa, i, fb, j))
        cands.sort()
        chosen = [c[1:] for c in cands[:6]]
        rest = [c[1:] for c in cands[6:]]
        chosen += rng.sample(rest, min(2, len(rest)))
        chosen += [p for p in rng.sample(every, min(4, len(every))) if p not in chosen][:2]
        for fa, i, fb, j in chosen:
            row = {"event": event, "a_file": fa, "a_sha1": locator(sents[fa][i]),
                   "b_file": fb, "b_sha1": locator(sents[fb][j]), "label": "", "split": split_of(event)}
            rows.append(row)
    _write(args.out, rows, sents if args.with_text else None)


def joins(corpus: Path, sents: dict[str, list[str]], labels: dict, n: int, seed: int) -> list[dict]:
    """`n` of the claim matcher's joins over every sentence of the corpus, drawn uniformly at random."""
    base, pairs = _joined(corpus, sents)
    rows = []
    for i, j in sorted(random.Random(seed).sample(pairs, min(n, len(pairs)))):
        (fa, a), (fb, b) = base[i], base[j]
        event = labels[fa].get("event", "")
        rows.append({"event": event, "a_file": fa, "a_sha1": locator(a), "b_file": fb, "b_sha1": locator(b),
                     "label": "", "split": split_of(event)})
    return rows


def all_joins(corpus: Path, sents: dict[str, list[str]]) -> set[tuple[tuple[str, str], tuple[str, str]]]:
    """The pairs the claim matcher joins over every sentence of the corpus' originals, as pairs of
    (file name, locator)."""
    base, pairs = _joined(corpus, sents)
    return {((base[i][0], locator(base[i][1])), (base[j][0], locator(base[j][1]))) for i, j in pairs}


def _joined(corpus: Path, sents: dict[str, list[str]]) -> tuple[list[tuple[str, str]], list[tuple[int, int]]]:
    """Every sentence of the originals as (file name, sentence), and the pairs of them the claim matcher joins
    (each article its own family, each sentence with the one before it), in the matcher's order; as the
    claims stage does, not two of articles published more than `claim_max_days` apart."""
    from generator import claims_match as cm
    from generator.claims import far_apart

    before = sentences_before(corpus)
    day = published_days(corpus)
    base = [(f, s) for f in sorted(sents) for s in sents[f]]
    sts = [cm.Statement(str(k), f, f, s, before.get((f, s), "")) for k, (f, s) in enumerate(base)]
    return base, [(i, j) for i, j, kind in cm.link(sts, DEFAULT) if kind == "same"
                  and not far_apart(day.get(base[i][0], 0), day.get(base[j][0], 0), DEFAULT)]


def published_days(corpus: Path) -> dict[str, int]:
    """The publication day of every original (`claims.day_number`: 0 when not known), by file name."""
    from generator.claims import day_number

    return {name: day_number(art.published) for name, art in _originals(corpus).items()}


def _write(out: Path, rows: list[dict], sents: dict[str, list[str]] | None) -> None:
    """The rows as JSON lines; with `sents`, each with its sentences ("a", "b") for the labeller."""
    if sents is not None:
        index = {f: {locator(s): s for s in ss} for f, ss in sents.items()}
        rows = [{**r, "a": index[r["a_file"]][r["a_sha1"]], "b": index[r["b_file"]][r["b_sha1"]]} for r in rows]
    with out.open("w") as fh:
        for r in rows:
            fh.write(json.dumps(r, ensure_ascii=False) + "\n")
    print(len(rows), "pairs;", Counter(r["split"] for r in rows))


if __name__ == "__main__":
    main()
