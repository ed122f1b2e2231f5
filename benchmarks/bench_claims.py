"""Claim matching quality on hand-labelled sentence pairs, against a naive peer, and its all-pairs speed.

Usage::

    python -m benchmarks.bench_claims --corpus DIR [--pairs FILE] [--split dev|test|all] [--replicate 10]
                                      [--no-timing] [--show-errors]

* the pairs file names sentences by locator (article file, sha1 of the normalised sentence); they are
  read from the corpus folder (articles/, labels.json), split as the sampler split them. A locator that
  no longer resolves is reported and its pair left out.
* quality: each labelled pair (benchmarks/data/claim_pairs.jsonl by default) goes through
  `claims_match.link` as two statements of different families; IDF weights come from all the distinct
  sentences of the pairs file. Precision, recall and F1 of "same" (a pair labelled "conflict" counts as
  not "same"), and conflict counts, per split; beside them the peer: rapidfuzz token_set_ratio >= 80 on
  the normalised text, which knows no conflicts.
* the two seed targets: the scores of the project's seeds 003/004 sentence pairs on one press conference.
* speed (unless --no-timing): `link` over every sentence of every original of a labelled corpus (each article
  its own family), and over the same sentences replicated N times (each copy another family).
"""
from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path

from rapidfuzz import fuzz

REPO = Path(__file__).resolve().parents[1]
if str(REPO) not in sys.path:
    sys.path.insert(0, str(REPO))

from benchmarks.claim_sample import all_joins, corpus_sentences, resolve, sentences_before  # noqa: E402
from generator import claims_match as cm  # noqa: E402
from generator.settings import DEFAULT  # noqa: E402
from generator.textnorm import normalise  # noqa: E402

PAIRS = REPO / "benchmarks" / "data" / "claim_pairs.jsonl"
JOINS = REPO / "benchmarks" / "data" / "claim_joins.jsonl"
PEER_THRESHOLD = 80.0
# The two targets of the seeds (two outlets reporting one press conference in their own words).
SEED_TARGETS = [
    ("003", "He indicated that Russian President Putin would likely accept the presence of such peacekeeping forces",
     "004", "The Kremlin has consistently stated in recent days that it strongly objects to NATO troops"),
    ("003", "Trump agreed with Macron’s suggestion that European peacekeepers could play a crucial role",
     "004", "On Monday, President Macron indicated a willingness to send European peacekeepers"),
    ("003", "He proposed working with the UK on a peacekeeping force",
     "004", "On Monday, President Macron indicated a willingness to send European peacekeepers"),
]


def prf(pred: list[bool], gold: list[bool]) -> tuple[float, float, float, int, int, int]:
    """Precision, recall, F1, true positives, predicted, gold."""
    tp = sum(p and g for p, g in zip(pred, gold))
    np_, ng = sum(pred), sum(gold)
    p = tp / np_ if np_ else 1.0
    r = tp / ng if ng else 1.0
    return p, r, (2 * p * r / (p + r) if p + r else 0.0), tp, np_, ng


def ours(rows: list[dict], bg: cm.Background, before: dict[tuple[str, str], str] | None = None) -> list[str]:
    """link's verdict for each labelled pair (each sentence with the one before it in its paragraph, as
    the claims stage gives them): same, conflict or different."""
    out = []
    before = before or {}
    for r in rows:
        sts = [cm.Statement("a", "fam-a", r["a_file"], r["a"], before.get((r["a_file"], r["a"]), "")),
               cm.Statement("b", "fam-b", r["b_file"], r["b"], before.get((r["b_file"], r["b"]), ""))]
        kinds = [k for i, j, k in cm.link(sts, DEFAULT, bg)]
        out.append(kinds[0] if kinds else "different")
    return out


def peer(rows: list[dict]) -> list[str]:
    """The naive reference: token_set_ratio of the normalised sentences."""
    return ["same" if fuzz.token_set_ratio(normalise(r["a"]), normalise(r["b"])) >= PEER_THRESHOLD else "different"
            for r in rows]


def report(name: str, rows: list[dict], pred: list[str]) -> None:
    gold = [r["label"] for r in rows]
    p, rc, f, tp, np_, ng = prf([x == "same" for x in pred], [g == "same" for g in gold])
    cp, cr, _, cf_tp, cf_pred, cf_gold = prf([x == "conflict" for x in pred], [g == "conflict" for g in gold])
    cf_same = sum(x == "conflict" and g == "same" for x, g in zip(pred, gold))
    print(f"  {name:6s} same: P {p:.3f}  R {rc:.3f}  F1 {f:.3f}  ({tp} of {np_} predicted, {ng} labelled)"
          f"   conflict: P {cp:.3f}  R {cr:.3f}  ({cf_tp} of {cf_pred} predicted, {cf_gold} labelled;"
          f" {cf_same} labelled same)")


def still_joined(rows: list[dict], joined: set) -> list[bool]:
    """Whether each labelled join is among the joins the matcher makes (`claim_sample.all_joins`), either way round."""
    return [((r["a_file"], r["a_sha1"]), (r["b_file"], r["b_sha1"])) in joined or
            ((r["b_file"], r["b_sha1"]), (r["a_file"], r["a_sha1"])) in joined for r in rows]


def joins_report(path: Path, corpus: Path, sents: dict[str, list[str]], show_errors: bool = False) -> None:
    """Precision of the joins as readers get them: a random sample of the pairs the matcher joined over every
    sentence of the corpus (drawn once, then labelled by hand), of which those it still joins over every
    sentence are scored."""
    located = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
    rows, missing = resolve(located, sents)
    pred = still_joined(rows, all_joins(corpus, sents))
    for split in ("dev", "test", "all"):
        part = [(r, p) for r, p in zip(rows, pred) if split == "all" or r["split"] == split]
        kept = [r for r, p in part if p]
        right = sum(r["label"] == "same" for r in kept)
        dropped = [r for r, p in part if not p]
        print(f"joins over the whole corpus, {split} ({path.name}: {len(part)} labelled of a random draw"
              f"{f', {len(missing)} no longer resolve' if missing else ''}): still joined {len(kept)},"
              f" precision {right / len(kept) if kept else 0:.3f} ({right} labelled same);"
              f" no longer joined {len(dropped)} ({sum(r['label'] == 'different' for r in dropped)} labelled different)")
        if split == "all":
            for draw in sorted({r.get("draw", 0) for r in rows}):
                mine = [(r, p) for r, p in part if r.get("draw", 0) == draw]
                still = [r for r, p in mine if p]
                good = sum(r["label"] == "same" for r in still)
                print(f"  draw {draw}: still joined {len(still)} of {len(mine)}, precision "
                      f"{good / len(still) if still else 0:.3f} ({good} labelled same)")
        if show_errors and split != "all":
            for r in kept:
                if r["label"] != "same":
                    print(f"    joined, labelled {r['label']} ({r['event'][:8]}):\n      A: {r['a']}\n      B: {r['b']}")


def seed_targets(seeds: Path) -> None:
    from generator.textnorm import sentences
    told = {}  # seed number -> (sentence, the sentence before it in its paragraph)
    for f in sorted(seeds.glob("*.txt")):
        paragraphs = [sentences(para) for para in f.read_text(encoding="utf-8").split("\n")]
        told[f.name[:3]] = [(s, ss[k - 1] if k else "") for ss in paragraphs for k, s in enumerate(ss)]
    bg = cm.background(cm.features(s) for ss in told.values() for s, _ in ss)
    for fa, pa, fb, pb in SEED_TARGETS:
        a = next((x for x in told.get(fa, []) if x[0].startswith(pa)), None)
        b = next((x for x in told.get(fb, []) if x[0].startswith(pb)), None)
        if a is None or b is None:
            print(f"  seed target not found: {pa[:40]!r}")
            continue
        sts = [cm.Statement("a", "003", "003", *a), cm.Statement("b", "004", "004", *b)]
        kinds = [k for i, j, k in cm.link(sts, DEFAULT, bg)]
        best = max(((cm.score(cm.features(x), cm.features(y), bg, DEFAULT), x, y)
                    for x in cm.readings(*a) for y in cm.readings(*b)), key=lambda t: t[0].containment)
        print(f"  {pa[:50]!r} <-> {pb[:40]!r}: {kinds[0] if kinds else 'different'};"
              f" closest readings {best[1][:40]!r} / {best[2][:40]!r}: {best[0]}")


def all_pairs(sents: dict[str, list[str]], replicate: int) -> None:
    base = [(f, s) for f in sorted(sents) for s in sents[f]]
    for copies in (1, replicate) if replicate > 1 else (1,):
        sts = [cm.Statement(f"{c}:{k}", f"{c}:{f}", f"{c}:{f}", s)
               for c in range(copies) for k, (f, s) in enumerate(base)]
        t0 = time.perf_counter()
        pairs = cm.link(sts, DEFAULT)
        t1 = time.perf_counter()
        groups, between = cm.group(len(sts), pairs, [s.key for s in sts])
        t2 = time.perf_counter()
        same = sum(k == "same" for *_, k in pairs)
        cross = sum(k == "same" and sts[i].article.split(":")[0] == sts[j].article.split(":")[0] for i, j, k in pairs)
        print(f"  x{copies}: {len(sts)} statements, {same} same pairs ({cross} within one replica),"
              f" {len(pairs) - same} conflicts, {sum(len(g) > 1 for g in groups)} multi-statement claims;"
              f" link {t1 - t0:.2f} s, group {t2 - t1:.2f} s")


def main(argv=None) -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--pairs", type=Path, default=PAIRS)
    ap.add_argument("--split", choices=("dev", "test", "all"), default="all")
    ap.add_argument("--corpus", type=Path, required=True,
                    help="labelled corpus (articles/, labels.json) the pairs' locators point into")
    ap.add_argument("--no-timing", action="store_true", help="skip the all-pairs run over the corpus")
    ap.add_argument("--replicate", type=int, default=10)
    ap.add_argument("--seeds", type=Path, default=REPO / "seeds")
    ap.add_argument("--show-errors", action="store_true")
    ap.add_argument("--joins", type=Path, default=JOINS,
                    help="a labelled random sample of the joins the matcher made over the whole corpus")
    args = ap.parse_args(argv)
    located = [json.loads(line) for line in args.pairs.read_text(encoding="utf-8").splitlines() if line.strip()]
    sents = corpus_sentences(args.corpus)
    rows, missing = resolve(located, sents)
    if missing:
        print(f"{len(missing)} locators of {args.pairs.name} no longer resolve in {args.corpus}"
              f" ({len(located) - len(rows)} pairs left out):")
        for m in missing:
            print("  " + m)
    distinct = sorted({r["a"] for r in rows} | {r["b"] for r in rows})
    bg = cm.background(cm.features(s) for s in distinct)
    pred_all, peer_all = ours(rows, bg, sentences_before(args.corpus)), peer(rows)
    splits = ("dev", "test") if args.split == "all" else (args.split,)
    for split in splits + (("all",) if args.split == "all" else ()):
        idx = [i for i, r in enumerate(rows) if split == "all" or r["split"] == split]
        print(f"{split}: {len(idx)} pairs")
        report("ours", [rows[i] for i in idx], [pred_all[i] for i in idx])
        report("peer", [rows[i] for i in idx], [peer_all[i] for i in idx])
        if args.show_errors:
            for i in idx:
                if (pred_all[i] == "same") != (rows[i]["label"] == "same") or (pred_all[i] == "conflict") != (rows[i]["label"] == "conflict"):
                    sc = cm.score(cm.features(rows[i]["a"]), cm.features(rows[i]["b"]), bg, DEFAULT)
                    print(f"    #{i} gold {rows[i]['label']} ours {pred_all[i]} {sc}\n      A: {rows[i]['a'][:200]}\n      B: {rows[i]['b'][:200]}")
    if args.joins.is_file():
        joins_report(args.joins, args.corpus, sents, args.show_errors)
    if args.seeds.is_dir():
        print("seed targets:")
        seed_targets(args.seeds)
    if not args.no_timing:
        print(f"all pairs of {args.corpus}:")
        all_pairs(sents, args.replicate)


if __name__ == "__main__":
    main()
