"""Rebuild time after adding one article to a corpus, with the per-article cache.

Usage::

    python -m benchmarks.bench_incremental CORPUS_DIR [--topics FILE] [--cache DIR]

CORPUS_DIR holds `articles/` (e.g. a corpus written by benchmarks.synth). The articles are copied to a
temporary seeds folder; then the briefings are generated four times with generator.pipeline.generate
and written with generator.output.sync (no MkDocs):

1. cold: empty cache;   2. warm: nothing changed;
3. one article added (a copy of an existing one under a new name, with an extra paragraph);
4. a changed setting (every cache entry is invalid, so this is a cold build again).
"""
from __future__ import annotations

import argparse
import shutil
import sys
import tempfile
import time
from dataclasses import replace
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
if str(REPO) not in sys.path:
    sys.path.insert(0, str(REPO))

from generator import output, pipeline  # noqa: E402
from generator.settings import DEFAULT  # noqa: E402


def build(seeds: Path, topics: Path, cache: Path, briefings: Path, settings=DEFAULT) -> float:
    t0 = time.perf_counter()
    result = pipeline.generate(pipeline.Inputs(seeds, topics, REPO / "templates", cache), settings, skip_invalid=True)
    output.sync(briefings, result.files)
    return time.perf_counter() - t0


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("corpus", type=Path)
    ap.add_argument("--topics", type=Path, default=None,
                    help="topics file (default: CORPUS_DIR/topics.yml if present, else templates/topics.yml)")
    args = ap.parse_args(argv)
    topics = args.topics or (args.corpus / "topics.yml" if (args.corpus / "topics.yml").is_file()
                             else REPO / "templates" / "topics.yml")
    with tempfile.TemporaryDirectory(prefix="bench-incremental-") as tmp:
        work = Path(tmp)
        seeds, cache, briefings = work / "seeds", work / "cache", work / "briefings"
        shutil.copytree(args.corpus / "articles", seeds)
        times = {"cold": build(seeds, topics, cache, briefings)}
        times["warm, no change"] = build(seeds, topics, cache, briefings)
        source = sorted(seeds.iterdir())[len(list(seeds.iterdir())) // 2]
        added = seeds / f"zz-added{source.suffix}"
        added.write_text(source.read_text(encoding="utf-8") + "\n\nOne more paragraph, added for the incremental "
                         "rebuild benchmark, long enough to be kept.\n", encoding="utf-8")
        times["one article added"] = build(seeds, topics, cache, briefings)
        times["setting changed"] = build(seeds, topics, cache, briefings, replace(DEFAULT, min_passage_words=7))
    n = len(list((args.corpus / "articles").iterdir()))
    print(f"{n} articles (+1):")
    for name, secs in times.items():
        print(f"  {name:18} {secs:7.2f} s")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
