"""Rebuild time after adding (then removing) one article, with the cache, against the cold build.

Usage::

    python -m benchmarks.bench_incremental CORPUS_DIR [--topics FILE] [--peer CHECKOUT] [--site]
    python -m benchmarks.bench_incremental --articles 100000 [--seed 7] [--workdir DIR] [--peer CHECKOUT] [--site]

CORPUS_DIR holds `articles/` (e.g. a corpus written by benchmarks.synth); with `--articles N` a synthetic
corpus of N articles is written by benchmarks.synth into `--workdir` (kept and reused, as bench_scale does:
`synth-N-SEED/`, with a topics file made by bench_scale.make_topics). The articles are copied to a temporary
seeds folder; then the briefings are generated and written with generator.output.sync (no MkDocs), each
build in a fresh process, as a command-line build runs:

1. cold: empty cache;   2. warm: nothing changed;
3. one article added (a copy of an existing one under a new name, with an extra paragraph);
4. the same article removed again;
5. a new article added: an original of another synthetic corpus (`benchmarks.synth`, seed NEW_SEED), so its
   sentences are new to the corpus (a copy's merge into passages already there; these bring statements of
   their own, which claims must link again);
6. the new article removed again;
7. a changed setting (every cache entry is invalid, so this is a cold build again; `--no-setting` skips it).

Each line gives the seconds of generate + sync, the seconds of each stage, and how many files of the
briefings folder were rewritten; the +1 build is also given as a share of the cold one and against the
target of issue #10 (2 s at 10k articles, 10 s at 100k). `--peer CHECKOUT` runs another checkout (e.g. a
`git worktree` of main) on the same seeds, step by step alternating with this one, each with its own cache,
and prints the time ratio this/peer of every step. `--site` also runs the whole `briefings build` (strict
MkDocs and the Pagefind index included) cold, then after adding one article (a copy), and after adding a new
one (each removed again before the next step), and reports its seconds, MkDocs' share and the files it rewrote.
"""
from __future__ import annotations

import argparse
import json
import re
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
TARGETS = {10_000: 2.0, 100_000: 10.0}  # seconds for +1 article, from issue #10
ADDED = "zz-added"
NEW = "zz-new"
NEW_SEED = 9_999  # the synthetic corpus the new article is taken from (never a benchmark corpus' seed)


def child(code: Path, seeds: Path, topics: Path, cache: Path, briefings: Path, setting: bool) -> dict:
    """One build by checkout `code` in this (fresh) process: seconds of generate + sync (wall clock, and CPU of
    this process and its workers, which depends less on what else the machine runs), per stage, files written."""
    import resource

    sys.path.insert(0, str(code))
    from dataclasses import replace

    from generator import output, pipeline
    from generator.settings import DEFAULT

    settings = replace(DEFAULT, min_passage_words=7) if setting else DEFAULT
    stages, clock = {}, [time.perf_counter()]

    def mark(name: str) -> None:
        now = time.perf_counter()
        stages[name] = round(now - clock[0], 3)
        clock[0] = now

    def cpu() -> float:
        return sum(r.ru_utime + r.ru_stime for r in map(resource.getrusage, (resource.RUSAGE_SELF,
                                                                                 resource.RUSAGE_CHILDREN)))

    t0, cpu0 = time.perf_counter(), cpu()
    result = pipeline.generate(pipeline.Inputs(seeds, topics, code / "templates", cache), settings,
                               skip_invalid=True, stage=mark)
    written = output.sync(briefings, result.files)
    mark("write")
    return {"seconds": round(time.perf_counter() - t0, 3), "cpu": round(cpu() - cpu0, 3), "stages": stages,
            "written": len(written), "files": len(result.files),
            "peak_mib": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024)}


def build(code: Path, work: Path, seeds: Path, topics: Path, setting: bool = False) -> dict:
    cmd = [sys.executable, str(Path(__file__).resolve()), "--child", str(code), str(seeds), str(topics),
           str(work / "cache"), str(work / "briefings")] + (["--setting"] if setting else [])
    proc = subprocess.run(cmd, cwd=code, check=True, capture_output=True, text=True)
    return json.loads(proc.stdout.strip().splitlines()[-1])


def site_build(code: Path, work: Path, seeds: Path, topics: Path) -> dict:
    """A whole `briefings build` (site included) with the cache: process seconds, MkDocs' seconds, files written."""
    t0 = time.perf_counter()
    proc = subprocess.run(
        [sys.executable, "-m", "generator", "build", "--seeds", str(seeds), "--topics", str(topics),
         "--templates", str(code / "templates"), "--config", str(code / "mkdocs.yml"), "--briefings",
         str(work / "site-briefings"), "--site", str(work / "site"), "--cache", str(work / "site-cache"),
         "--skip-invalid", "--quiet"], cwd=code, check=True, capture_output=True, text=True)
    wrote = re.search(r"Wrote (\d+) changed files", proc.stdout)
    return {"seconds": round(time.perf_counter() - t0, 3),
            "mkdocs": float(re.search(r"with MkDocs in ([0-9.]+) s", proc.stdout).group(1)),
            "written": int(wrote.group(1)) if wrote else 0}


def corpus_of(args) -> tuple[Path, Path]:
    """The corpus folder and its topics file: the one given, or a synthetic one written (or reused) in --workdir."""
    if args.corpus is not None:
        topics = args.topics or (args.corpus / "topics.yml" if (args.corpus / "topics.yml").is_file()
                                 else REPO / "templates" / "topics.yml")
        return args.corpus, topics
    from benchmarks.bench_scale import make_topics

    corpus = args.workdir / f"synth-{args.articles}-{args.seed}"
    if not (corpus / "labels.json").is_file():
        shutil.rmtree(corpus, ignore_errors=True)
        subprocess.run([sys.executable, "-m", "benchmarks.synth", str(corpus), "--articles", str(args.articles),
                        "--seed", str(args.seed)], cwd=REPO, check=True, stdout=subprocess.DEVNULL)
    topics = args.topics or corpus / "topics.yml"
    if not topics.is_file():
        make_topics(corpus / "articles", topics)
    return corpus, topics


def add_article(seeds: Path) -> Path:
    """A copy of the middle article under a new name, with one more paragraph."""
    names = sorted(seeds.iterdir())
    source = names[len(names) // 2]
    added = seeds / f"{ADDED}{source.suffix}"
    added.write_text(source.read_text(encoding="utf-8") + "\n\nOne more paragraph, added for the incremental "
                     "rebuild benchmark, long enough to be kept.\n", encoding="utf-8")
    return added


def new_article(seeds: Path, work: Path) -> Path:
    """An original article of another synthetic corpus, under a new name: text the corpus does not hold."""
    from benchmarks.synth import generate

    other = work / f"synth-new-{NEW_SEED}"
    if not (other / "labels.json").is_file():
        shutil.rmtree(other, ignore_errors=True)
        generate(other, 12, seed=NEW_SEED, workers=1)
    labels = json.loads((other / "labels.json").read_text(encoding="utf-8"))
    source = other / "articles" / min(name for name, label in labels.items() if label["kind"] == "original")
    added = seeds / f"{NEW}{source.suffix}"
    shutil.copyfile(source, added)
    return added


def line(name: str, res: dict) -> str:
    stages = " ".join(f"{k} {v:.2f}" for k, v in res["stages"].items())
    return (f"  {name:18} {res['seconds']:7.2f} s, CPU {res['cpu']:7.2f} s, peak {res['peak_mib']} MiB  ({stages}; "
            f"{res['written']} of {res['files']} files written)")


def run(args, corpus: Path, topics: Path, work: Path) -> int:
    codes = {"this": REPO} | ({"peer": args.peer.resolve()} if args.peer else {})
    seeds = work / "seeds"
    shutil.copytree(corpus / "articles", seeds)
    n = len(list(seeds.iterdir()))
    steps = ["cold", "warm, no change", "one article added", "and removed", "new article added",
             "new one removed"] + ([] if args.no_setting else ["setting changed"])
    times: dict[str, dict[str, dict]] = {side: {} for side in codes}
    added = None
    for step in steps:
        if step == "one article added":
            added = add_article(seeds)
        elif step == "new article added":
            added = new_article(seeds, work)
        elif step in ("and removed", "new one removed"):
            added.unlink()
        for side, code in codes.items():
            times[side][step] = build(code, work / side, seeds, topics, setting=step == "setting changed")
    print(f"{n} articles (+1):")
    for side in codes:
        print(f" {side} ({codes[side]}):")
        for step in steps:
            print(line(step, times[side][step]))
    target = TARGETS.get(n)
    for step, what in (("one article added", "+1"), ("new article added", "+1 new")):
        plus = times["this"][step]["seconds"]
        print(f"  {what} / cold = {plus / times['this']['cold']['seconds']:.3f}"
              + (f"; target {target:.0f} s: {'met' if plus <= target else 'not met'} ({plus:.2f} s)" if target else ""))
    if args.peer:
        for what in ("seconds", "cpu", "peak_mib"):
            print(f"  this/peer ({what}): " + ", ".join(
                f"{step} {times['this'][step][what] / times['peer'][step][what]:.3f}" for step in steps))
    if args.site:
        for side, code in codes.items():
            cold = site_build(code, work / side, seeds, topics)
            said = [f"cold {cold['seconds']:.2f} s (MkDocs {cold['mkdocs']:.2f} s)"]
            for what, add in (("+1 article", lambda: add_article(seeds)), ("+1 new article", lambda: new_article(seeds, work))):
                added = add()
                res = site_build(code, work / side, seeds, topics)
                added.unlink()
                site_build(code, work / side, seeds, topics)  # back to the corpus as it was, for the next step
                said.append(f"{what} {res['seconds']:.2f} s (MkDocs {res['mkdocs']:.2f} s, "
                            f"{res['written']} files of briefings/ rewritten)")
            print(f" {side}: briefings build, site included: " + "; ".join(said))
    return 0


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    if argv and argv[0] == "--child":
        code, seeds, topics, cache, briefings = map(Path, argv[1:6])
        print(json.dumps(child(code, seeds, topics, cache, briefings, "--setting" in argv)))
        return 0
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("corpus", type=Path, nargs="?", default=None)
    ap.add_argument("--topics", type=Path, default=None,
                    help="topics file (default: CORPUS_DIR/topics.yml if present, else templates/topics.yml)")
    ap.add_argument("--articles", type=int, default=None, help="write a synthetic corpus of this size instead")
    ap.add_argument("--seed", type=int, default=7)
    ap.add_argument("--workdir", type=Path, default=None,
                    help="where synthetic corpora are kept for reuse (default: a temporary folder)")
    ap.add_argument("--peer", type=Path, default=None, metavar="CHECKOUT",
                    help="also run another checkout on the same seeds, step by step, and print this/peer")
    ap.add_argument("--site", action="store_true", help="also time `briefings build` with the site: cold, +1 copy, +1 new")
    ap.add_argument("--no-setting", action="store_true", help="skip the build with a changed setting")
    args = ap.parse_args(argv)
    if (args.corpus is None) == (args.articles is None):
        ap.error("give a CORPUS_DIR or --articles N")
    with tempfile.TemporaryDirectory(prefix="bench-incremental-") as tmp:
        if args.workdir is None:
            args.workdir = Path(tmp) / "corpora"
        corpus, topics = corpus_of(args)
        return run(args, corpus, topics, Path(tmp) / "work")


if __name__ == "__main__":
    raise SystemExit(main())
