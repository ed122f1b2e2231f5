"""Deduplication quality and speed, ours against the MinHash LSH peer, on one labelled corpus.

Usage::

    python -m benchmarks.bench_dedup CORPUS_DIR [--exclude-family ID ...] [--json]

CORPUS_DIR holds `articles/` (the seed files) and `labels.json` ({file name: {"family": ...}}).
Both methods run in this process, one after the other, on the same files:

* ours: generator.prepare (read, clean, features) + generator.families.find_families, with skip-invalid
  semantics (a file that cannot be read, or has no news text left, is a singleton);
* the peer: datasketch MinHashLSH (threshold 0.45, 256 permutations) over word 2-grams of the body
  after the front matter, with union-find over the LSH candidates (text-dedup's NEWS-COPY settings).

Scores are pairwise precision, recall and F1 over family labels. `--exclude-family` also reports
the scores with the files of the named families left out (for a family label known to be wrong).
"""
from __future__ import annotations

import argparse
import itertools
import json
import re
import sys
import time
from collections import defaultdict
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
if str(REPO) not in sys.path:
    sys.path.insert(0, str(REPO))

from generator import clean, families, prepare  # noqa: E402
from generator.settings import DEFAULT, Settings  # noqa: E402


def _pairs(assign: dict[str, str]) -> set[tuple[str, str]]:
    groups: dict[str, list[str]] = defaultdict(list)
    for f, c in assign.items():
        groups[c].append(f)
    out: set[tuple[str, str]] = set()
    for members in groups.values():
        out.update(itertools.combinations(sorted(members), 2))
    return out


def score(labels: dict[str, dict], pred: dict[str, str], exclude: frozenset[str] = frozenset()) -> dict:
    """Pairwise precision, recall and F1 of `pred` (file -> cluster; absent = singleton)."""
    files = sorted(f for f in labels if labels[f]["family"] not in exclude)
    truth = {f: labels[f]["family"] for f in files}
    predicted = {f: pred.get(f, "solo:" + f) for f in files}
    t, p = _pairs(truth), _pairs(predicted)
    tp = len(t & p)
    precision = tp / len(p) if p else 1.0
    recall = tp / len(t) if t else 1.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return {"precision": round(precision, 4), "recall": round(recall, 4), "f1": round(f1, 4),
            "true_pairs": len(t), "predicted_pairs": len(p)}


def ours(articles_dir: Path, settings: Settings = DEFAULT) -> dict[str, str]:
    """File name -> family id from our read + clean + dedup."""
    corpus = prepare.read_folder(articles_dir, settings, workers=1)  # one process, as the peer
    news, _ = clean.with_news(corpus.cleaned.values())
    fam, _ = families.find_families(news, settings, corpus.features)
    path_of = {ca.id: ca.article.path for ca in fam.articles}
    return {path_of[a]: "f:" + path_of[c] for a, c in fam.family_of.items()}


def _body(path: Path) -> str:
    text = path.read_text(encoding="utf-8", errors="replace")
    if text.startswith("---"):
        end = text.find("\n---", 3)
        text = text[end + 4:] if end > 0 else text
    return text


def peer(articles_dir: Path) -> dict[str, str]:
    """File name -> cluster from MinHash LSH (256 permutations, word 2-grams, threshold 0.45)."""
    from datasketch import MinHash, MinHashLSH
    files = sorted(articles_dir.iterdir())
    lsh = MinHashLSH(threshold=0.45, num_perm=256)
    sigs = {}
    for p in files:
        words = re.findall(r"\w+", _body(p).lower())
        grams = {" ".join(words[i:i + 2]) for i in range(len(words) - 1)}
        m = MinHash(num_perm=256)
        for g in grams:
            m.update(g.encode())
        sigs[p.name] = m
        lsh.insert(p.name, m)
    parent = {f: f for f in sigs}

    def find(x: str) -> str:
        while parent[x] != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    for f, m in sigs.items():
        for g in lsh.query(m):
            if g != f:
                parent[find(f)] = find(g)
    return {f: find(f) for f in sigs}


def run(corpus: Path, exclude: frozenset[str] = frozenset()) -> dict:
    """Both methods on one corpus: scores, seconds, and the time ratio ours/peer."""
    labels = json.loads((corpus / "labels.json").read_text(encoding="utf-8"))
    articles = corpus / "articles"
    out: dict = {"corpus": corpus.name, "files": len(labels)}
    for name, method in (("ours", ours), ("peer", peer)):
        t0 = time.perf_counter()
        pred = method(articles)
        secs = time.perf_counter() - t0
        out[name] = {**score(labels, pred), "seconds": round(secs, 3)}
        if exclude:
            out[name]["excluding"] = score(labels, pred, exclude)
    out["ratio"] = round(out["ours"]["seconds"] / out["peer"]["seconds"], 3) if out["peer"]["seconds"] else None
    return out


def report(res: dict) -> str:
    lines = [f"corpus {res['corpus']}: {res['files']} files"]
    for name in ("ours", "peer"):
        r = res[name]
        line = (f"  {name:4}  P {r['precision']:.4f}  R {r['recall']:.4f}  F1 {r['f1']:.4f}  "
                f"{r['seconds']:.2f} s")
        if "excluding" in r:
            e = r["excluding"]
            line += f"   | excluding: P {e['precision']:.4f}  R {e['recall']:.4f}  F1 {e['f1']:.4f}"
        lines.append(line)
    lines.append(f"  time ratio ours/peer: {res['ratio']:.3f}")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("corpus", type=Path, help="folder with articles/ and labels.json")
    ap.add_argument("--exclude-family", action="append", default=[], metavar="ID",
                    help="also score without the files of this family label (repeatable)")
    ap.add_argument("--json", action="store_true", help="print the results as JSON")
    args = ap.parse_args(argv)
    res = run(args.corpus, frozenset(args.exclude_family))
    print(json.dumps(res, indent=2) if args.json else report(res))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
