"""Topic assignment against hand-labelled paragraphs of real articles.

Usage::

    python -m benchmarks.bench_topics BASIL_DIR [--labels FILE] [--topics FILE] [--json]
    python -m benchmarks.bench_topics BASIL_DIR --sample OUT.jsonl [--size 300] [--seed 1]

BASIL_DIR holds `articles/` and `labels.json` ({file name: {"kind": ..., ...}}); only the files whose
`kind` is "original" are used: they are copied to a temporary seeds folder and the briefings are
generated (generator.pipeline.generate, skip_invalid=True, no cache) with the topics file.

Scoring: each labelled paragraph ({"file", "line", "text", "topics"}) is matched to the kept passage of
the same file and line (a label with none, e.g. because the paragraph was merged into another
article's passage, is counted and left out). Micro precision and recall are over (paragraph, topic)
pairs; then per-topic figures and every false positive / false negative, with the terms that matched.

`--sample` writes a random draw of kept passages (fixed seed) for labelling, with `"topics": null`
and without showing what the generator assigned: label them before scoring.
"""
from __future__ import annotations

import argparse
import hashlib
import json
import random
import shutil
import sys
import tempfile
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
if str(REPO) not in sys.path:
    sys.path.insert(0, str(REPO))

from generator import ledger, pipeline, reader, topics as topics_mod  # noqa: E402
from generator.model import Passage  # noqa: E402
from generator.settings import DEFAULT  # noqa: E402
from generator.textnorm import normalise  # noqa: E402
from generator.topics import TopicMatch  # noqa: E402

DATA = REPO / "benchmarks" / "data"
DEFAULT_TOPICS = DATA / "basil_topics.yml"
DEFAULT_LABELS = DATA / "basil_topic_labels.jsonl"


def originals(basil: Path) -> list[str]:
    labels = json.loads((basil / "labels.json").read_text(encoding="utf-8"))
    return sorted(name for name, info in labels.items() if info.get("kind") == "original")


def build(basil: Path, topics: Path) -> tuple[pipeline.Result, dict[tuple[str, int], tuple[Passage, TopicMatch]]]:
    """Generate from the originals only; return the result and {(file name, line): (passage, its topics)}."""
    with tempfile.TemporaryDirectory(prefix="bench-topics-") as tmp:
        seeds = Path(tmp) / "seeds"
        seeds.mkdir()
        for name in originals(basil):
            shutil.copy2(basil / "articles" / name, seeds / name)
        result = pipeline.generate(pipeline.Inputs(seeds, topics, REPO / "templates", None), DEFAULT,
                                   skip_invalid=True)
    path_of = {f["id"]: f["path"] for f in json.loads(result.files[ledger.NAME])["files"]}
    return result, {(path_of[p.article_id], p.line): (p, result.matches[p.order]) for p in result.passages}


def sample(basil: Path, topics: Path, out: Path, size: int, seed: int) -> int:
    _, passages = build(basil, topics)
    events = {name: info.get("event") for name, info in
              json.loads((basil / "labels.json").read_text(encoding="utf-8")).items()}
    keys = sorted(passages)
    chosen = sorted(random.Random(seed).sample(keys, min(size, len(keys))))
    with out.open("w", encoding="utf-8") as fh:
        for key in chosen:  # locators only: the text stays in the corpus (read it at file and line)
            fh.write(json.dumps({"file": key[0], "line": key[1], "sha1": fingerprint(passages[key][0].text),
                                 "split": split_of(events[key[0]] or ""), "topics": None}) + "\n")
    print(f"{len(chosen)} of {len(keys)} kept passages written to {out} (seed {seed}); label 'topics' by hand")
    return 0


SPLITS = ("dev", "test")


def split_of(event: str) -> str:
    """The fixed split rule: an event whose id's SHA-1 starts with an even byte is dev, else test."""
    return SPLITS[hashlib.sha1(event.encode()).digest()[0] % 2]


def fingerprint(text: str) -> str:
    """A short SHA-1 of a paragraph's normalised text: detects a locator that moved to another paragraph."""
    return hashlib.sha1(normalise(text).encode()).hexdigest()[:12]


def paragraph_at(basil: Path, name: str, line: int) -> str | None:
    """The text of the paragraph starting at `line` of a corpus file, as the reader sees it."""
    folder = basil / "articles"
    article = reader.read_file(folder / name, name, folder, DEFAULT)
    return next((p.text for p in article.paragraphs if p.line == line), None)


def _ratio(a: int, b: int) -> float | None:
    return a / b if b else None


def _fmt(x: float | None) -> str:
    return "  -  " if x is None else f"{x:.3f}"


def _counts(rows, slugs) -> dict:
    tp, fp, fn = (dict.fromkeys(slugs, 0) for _ in range(3))
    for gold, got in rows:
        for s in slugs:
            tp[s] += s in gold and s in got
            fp[s] += s in got and s not in gold
            fn[s] += s in gold and s not in got
    TP, FP, FN = sum(tp.values()), sum(fp.values()), sum(fn.values())
    return {"labels": len(rows), "precision": _ratio(TP, TP + FP), "recall": _ratio(TP, TP + FN),
            "tp": TP, "fp": FP, "fn": FN,
            "per_topic": {s: {"precision": _ratio(tp[s], tp[s] + fp[s]), "recall": _ratio(tp[s], tp[s] + fn[s]),
                              "tp": tp[s], "fp": fp[s], "fn": fn[s]} for s in slugs}}


def score(basil: Path, topics: Path, labels_path: Path, as_json: bool = False, show: str = "dev") -> int:
    story = topics_mod.load(topics)
    slugs = [t.slug for t in story.topics]
    labels = [json.loads(line) for line in labels_path.read_text(encoding="utf-8").splitlines() if line.strip()]
    unlabelled = [r for r in labels if r.get("topics") is None]
    if unlabelled:
        print(f"{len(unlabelled)} records have no 'topics' yet: label them first", file=sys.stderr)
        return 2
    unknown = sorted({s for r in labels for s in r["topics"]} - set(slugs))
    if unknown:
        print(f"labels use slugs not in {topics}: {', '.join(unknown)}", file=sys.stderr)
        return 2
    events = {name: info.get("event") for name, info in
              json.loads((basil / "labels.json").read_text(encoding="utf-8")).items()}
    wrong_split = [r for r in labels if r.get("split") != split_of(events.get(r["file"]) or "")]
    if wrong_split:
        print(f"{len(wrong_split)} labels have a split other than the rule gives (first: {wrong_split[0]['file']}"
              f":{wrong_split[0]['line']})", file=sys.stderr)
        return 2
    # Each locator must still point at the paragraph that was labelled.
    stale = [r for r in labels if fingerprint(paragraph_at(basil, r["file"], r["line"]) or "") != r["sha1"]]
    result, passages = build(basil, topics)
    patterns = {t.slug: (t, topics_mod.matcher(t)) for t in story.topics}

    def matched_terms(text: str, slug: str) -> list[str]:
        return list(topics_mod.matched_terms(text, *patterns[slug]))

    missing, errors, rows = [], [], {name: [] for name in SPLITS}
    skip = {(r["file"], r["line"]) for r in stale}
    for r in labels:
        found = passages.get((r["file"], r["line"]))
        if (r["file"], r["line"]) in skip:
            continue
        if found is None:
            missing.append(r)
            continue
        p, m = found
        gold, got = set(r["topics"]), set(m.topics)
        rows[r["split"]].append((gold, got))
        for s in slugs:
            if (s in got) != (s in gold):
                errors.append(("FP" if s in got else "FN", s, r, p, m, matched_terms(p.text, s)))
    report = {
        "originals": len(originals(basil)), "kept_passages": len(passages), "labels": len(labels),
        "labels_stale": len(stale), "labels_without_passage": len(missing),
        "no_topic_gold": sum(1 for r in labels if not r["topics"]),
        "splits": {**{name: _counts(rows[name], slugs) for name in SPLITS},
                   "all": _counts([row for name in SPLITS for row in rows[name]], slugs)},
    }
    shown = [e for e in errors if show == "all" or e[2]["split"] == show] if show != "none" else []
    if as_json:
        report["errors"] = [{"kind": k, "topic": s, "split": r["split"], "file": r["file"], "line": r["line"],
                             "gold": r["topics"], "got": list(m.topics), "terms": terms, "text": p.text}
                            for k, s, r, p, m, terms in shown]
        report["stale"] = [{"file": r["file"], "line": r["line"]} for r in stale]
        report["missing"] = [{"file": r["file"], "line": r["line"]} for r in missing]
        print(json.dumps(report, indent=2))
        return 0
    print(f"originals: {report['originals']}, kept passages: {len(passages)}")
    print(f"labelled paragraphs: {len(labels)} ({report['no_topic_gold']} with no topic); "
          f"locator no longer on the labelled paragraph: {len(stale)}; "
          f"no kept passage at that file and line: {len(missing)}")
    width = max(len(s) for s in slugs)
    for name in (*SPLITS, "all"):
        c = report["splits"][name]
        print(f"\n{name}: {c['labels']} labels; micro precision {_fmt(c['precision'])}  recall {_fmt(c['recall'])}"
              f"  (TP {c['tp']}, FP {c['fp']}, FN {c['fn']})")
        print(f"  {'topic':<{width}}  precision  recall   TP   FP   FN")
        for s in slugs:
            t = c["per_topic"][s]
            print(f"  {s:<{width}}  {_fmt(t['precision']):>9}  {_fmt(t['recall']):>6}"
                  f" {t['tp']:>4} {t['fp']:>4} {t['fn']:>4}")
    for title, bad in (("locators no longer on the labelled paragraph (not scored)", stale),
                       ("labels with no kept passage at their file and line (not scored)", missing)):
        if bad:
            print(f"\n{title}:")
            for r in bad:
                print(f"  {r['file']}:{r['line']}")
    if show == "none":
        return 0
    for kind, title in (("FP", "false positives (assigned, not in the labels)"),
                        ("FN", "false negatives (in the labels, not assigned)")):
        rows_ = [e for e in shown if e[0] == kind]
        print(f"\n{title}, split {show}: {len(rows_)}")
        for _, s, r, p, m, terms in sorted(rows_, key=lambda e: (e[1], e[2]["file"], e[2]["line"])):
            hits = f" terms: {', '.join(terms)}" if terms else " terms: none"
            print(f"  [{s}] {r['file']}:{r['line']} gold={','.join(r['topics']) or '-'}"
                  f" got={','.join(m.topics) or '-'};{hits}\n      {p.text[:100]!r}")
    return 0


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("basil", type=Path, help="folder with articles/ and labels.json")
    ap.add_argument("--labels", type=Path, default=DEFAULT_LABELS)
    ap.add_argument("--topics", type=Path, default=DEFAULT_TOPICS)
    ap.add_argument("--json", action="store_true", help="print the report (with the errors shown) as JSON")
    ap.add_argument("--errors", choices=(*SPLITS, "all", "none"), default="dev",
                    help="whose false positives and negatives to list (default dev: tune on dev only)")
    ap.add_argument("--sample", type=Path, metavar="OUT", help="write a random draw of passages to label")
    ap.add_argument("--size", type=int, default=300)
    ap.add_argument("--seed", type=int, default=1)
    args = ap.parse_args(argv)
    if args.sample:
        return sample(args.basil, args.topics, args.sample, args.size, args.seed)
    return score(args.basil, args.topics, args.labels, args.json, args.errors)


if __name__ == "__main__":
    sys.exit(main())
