"""Time and memory of every stage before MkDocs, on synthetic corpora of growing size.

Usage::

    python -m benchmarks.bench_scale --sizes 1000 10000 100000 [--seed 7] [--workdir DIR] [--profile]
                                     [--site-max 10000] [--max-memory MIB]

For each size, benchmarks.synth writes a labelled corpus into a temporary folder (or `--workdir`,
kept for reuse), and a topics file is made from the corpus' own frequent words (synthetic text is
pseudo-English, so the project's topics would match nothing). Then a fresh Python process runs the
stages one by one, as generator.pipeline.generate does (skip-invalid, no cache):

    read+clean -> dedup (families, repeated lines, passages) -> claims -> topics -> pages (pages, ledger, feed)

(read+clean is generator.prepare.read_folder: reading, cleaning and the features (normalised sentences, shingles)
of every file, in one worker process per core; no cache; dedup's alignment of candidate pairs, each article's topics
and each passage's statements for claims run on every core too, generator/cores.py) and reports per-stage seconds and the process' peak resident memory after each stage
(resource.getrusage ru_maxrss; the peak can only grow, so the stage that raised it is the one that
needed it; worker processes are reported apart). Finally it prints time(10k)/time(1k) when both sizes were run. `--profile` writes a
cProfile dump per size next to the corpus. `--site-max N` also builds the site for each size up to N articles as
`briefings build` does (the briefings by the command, then the strict MkDocs build, the content check and the
Pagefind index, each timed, in a fresh process) and reports its pages, the bytes of Markdown read and of the site
written, the seconds of each step and the milliseconds of MkDocs per page (with `--profile`, a cProfile dump of the
MkDocs build, run on one core for it, `mkdocs-profile.out` next to the corpus); and, when Chromium is installed, the
most bytes a reader's first search for a topic's first term downloads (benchmarks.bench_search). `--peer CHECKOUT`
runs another checkout the same way, alternating, and prints this/peer for the time, the peak memory and, with
`--site-max`, MkDocs' seconds. The first run of an invocation is slower than the same code run second (about 1.3 s
at 10k, 25-30 s at 100k; benchmarks/README.md), so compare with `--repeat 2`: each side then has a run that is not
the first, and the fastest of each side counts.
"""
from __future__ import annotations

import argparse
import contextlib
import json
import os
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]

TOPIC_COUNT = 5
LOG = "bench_scale.log"  # in the corpus folder: what the last run printed, each stage as it ended
TERMS_PER_TOPIC = 3


def make_topics(articles: Path, out: Path, sample: int = 300) -> None:
    """A topics file whose terms are mid-frequency words of the corpus (deterministic)."""
    counts: Counter[str] = Counter()
    for p in sorted(articles.iterdir())[:sample]:
        counts.update(w for w in re.findall(r"[a-z]+", p.read_text(encoding="utf-8").lower()) if len(w) >= 6)
    ranked = [w for w, _ in sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))]
    words = ranked[20:20 + TOPIC_COUNT * TERMS_PER_TOPIC]
    lines = ["story:", "  title: Synthetic story", "  description: A generated corpus for benchmarks.", "topics:"]
    for t in range(TOPIC_COUNT):
        lines += [f"  - slug: topic-{t + 1}", f"    title: Topic {t + 1}", "    description: Generated.",
                  "    terms:"]
        lines += [f"      - {w}" for w in words[t::TOPIC_COUNT]]
    out.write_text("\n".join(lines) + "\n", encoding="utf-8")


def stages(seeds: Path, topics: Path, templates: Path, cache: Path | None = None) -> dict:
    """Run every stage in this process; per-stage seconds and peak RSS (MiB) after it."""
    import resource

    sys.path.insert(0, str(REPO))
    from generator import pipeline
    from generator.settings import DEFAULT

    def peak() -> float:
        return round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1)

    def held() -> float | None:
        """Resident memory now (what the build holds as the stage ends, beside the peak so far); None off Linux."""
        try:
            with open("/proc/self/statm") as fh:
                return round(int(fh.read().split()[1]) * os.sysconf("SC_PAGE_SIZE") / 2 ** 20, 1)
        except (OSError, ValueError):
            return None

    out: dict = {"stages": {}}
    clock = time.perf_counter()

    def mark(name: str) -> None:
        nonlocal clock
        now = time.perf_counter()
        out["stages"][name] = {"seconds": round(now - clock, 3), "peak_mib": peak(), "held_mib": held(),
                               "worker_peak_mib": round(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024, 1)}
        print(json.dumps({"stage": name, **out["stages"][name]}), flush=True)  # how far a run that fails got
        clock = now

    shown = -1

    def files(done: int, total: int) -> None:
        nonlocal shown
        if total and done * 20 // total > shown:  # every 5 %
            shown = done * 20 // total
            print(json.dumps({"files": done, "of": total, "seconds": round(time.perf_counter() - clock, 1),
                              "peak_mib": peak()}), flush=True)

    mark("startup")
    inputs = pipeline.Inputs(seeds, topics, templates, cache)
    result = pipeline.generate(inputs, DEFAULT, skip_invalid=True, stage=mark, files=files)
    if "pages" not in out["stages"]:  # a checkout from before the pages stage reported itself
        mark("render")
    out["files"] = len(result.files)
    out["bytes"] = sum(len(t.encode()) for t in result.files.values())
    out["counts"] = ledger_counts(result.files["ledger.json"])
    return out


def ledger_counts(ledger: str) -> dict:
    """The counts of a ledger's text, read without the entries of every file (which at a million articles would
    take gigabytes as Python objects)."""
    key = '"counts": '
    return json.JSONDecoder().raw_decode(ledger, ledger.index(key) + len(key))[0]


def topic_terms(topics: Path) -> list[str]:
    """The first term of each topic in a file written by make_topics: common words, so searches with many hits."""
    return re.findall(r"^    terms:\n      - (\w+)$", topics.read_text(encoding="utf-8"), flags=re.M)


def site_stages(code: Path, briefings: Path, topics: Path, site: Path, profile: Path | None = None) -> dict:
    """The site of generated `briefings` built by the generator of checkout `code` as `briefings build` builds it
    (its mkdocs.yml and theme overrides), in this process, one timed step at a
    time: the strict MkDocs build, the content check, the search index. Returns the pages, the bytes of Markdown read
    and of the site written (the search bundle apart), seconds per step and milliseconds of MkDocs per page. With
    `profile`, the MkDocs build runs under cProfile and its dump is written there."""
    import cProfile

    sys.path.insert(0, str(code))
    from generator import cli, htmlcheck, output, search, topics as topics_file

    spec = topics_file.load(topics)
    seconds = {}
    clock = time.perf_counter()
    profiler = cProfile.Profile() if profile else None
    with profiler or contextlib.nullcontext():  # profiled on one core: the workers' conversions are not profiled
        output.build_site(code / "mkdocs.yml", briefings, site, cli.nav(spec), spec.title,
                          **({"cores": 1} if profiler else {}))
    seconds["mkdocs"] = time.perf_counter() - clock
    if profiler:
        profiler.dump_stats(profile)
    for step, run in (("check", htmlcheck.check_site), ("index", search.index_site)):
        clock = time.perf_counter()
        run(site)
        seconds[step] = time.perf_counter() - clock
    files = [p for p in site.rglob("*") if p.is_file()]
    bundle = site / search.BUNDLE
    pages = sum(1 for p in files if p.name == "index.html")  # one per page with use_directory_urls (404.html apart)
    return {"pages": pages, "markdown_bytes": sum(p.stat().st_size for p in briefings.glob("*.md")),
            "site_bytes": sum(p.stat().st_size for p in files if bundle not in p.parents),
            "bundle_bytes": sum(p.stat().st_size for p in files if bundle in p.parents),
            **{f"{step}_seconds": round(value, 3) for step, value in seconds.items()},
            "ms_per_page": round(1000 * seconds["mkdocs"] / pages, 1)}


def site_build(corpus: Path, topics: Path, code: Path = REPO, profile: bool = False, search: bool = True) -> dict:
    """The site of the corpus, as `briefings build` of checkout `code` makes it: the briefings generated by the command
    (`--no-site`, into a temporary folder), then the site built from them in a fresh process (site_stages; a peer
    checkout is run by this file, and needs generator.output.build_site). With `search`, also the
    bytes of a first search for each topic's first term, measured in Chromium by benchmarks.bench_search (skipped
    without it, or reported as not measured when the browser times out)."""
    with tempfile.TemporaryDirectory(prefix="bench-site-") as out:
        subprocess.run([sys.executable, "-m", "generator", "build", "--seeds", str(corpus / "articles"), "--topics",
                        str(topics), "--templates", str(code / "templates"), "--briefings", f"{out}/briefings",
                        "--no-site", "--skip-invalid", "--quiet"], cwd=code, check=True, capture_output=True)
        cmd = [sys.executable, str(REPO / "benchmarks" / "bench_scale.py"), "--child-site", str(code), f"{out}/briefings",
               str(topics), f"{out}/site"] + ([str(corpus / "mkdocs-profile.out")] if profile else [])
        proc = subprocess.run(cmd, cwd=code, check=True, capture_output=True, text=True)
        res = {"site": json.loads(proc.stdout.strip().splitlines()[-1])}
        if search and shutil.which("chromedriver"):
            from selenium.common.exceptions import WebDriverException

            from benchmarks import bench_search

            try:
                res["search"] = bench_search.measure(Path(out) / "site", topic_terms(topics), reindex=False)
            except WebDriverException as err:
                print(f"search not measured: {type(err).__name__} {err.msg or ''}".strip(), file=sys.stderr)
    return res


def _tree_rss_mib(session: int) -> float:
    """The resident memory (MiB) of every process of a session: a build and its worker processes."""
    total = 0
    for entry in os.scandir("/proc"):
        if not entry.name.isdigit():
            continue
        try:
            stat = Path(entry.path, "stat").read_text()
        except OSError:  # gone since the listing
            continue
        fields = stat[stat.rindex(")") + 2:].split()  # after the command name, which may hold spaces
        if int(fields[3]) == session:
            total += int(fields[21])
    return total * os.sysconf("SC_PAGE_SIZE") / 2**20


def _run_watched(cmd: list[str], code: Path, log, mib: int | None) -> tuple[int, str]:
    """Run `cmd` (stdout to `log`) and return its exit code and stderr. With `mib`, the resident memory of it and its
    workers is checked every `WATCH_SECONDS`; above `mib` MiB they are stopped, and stderr's last line says so.

    Resident memory, not address space (RLIMIT_AS): what a shared machine runs short of is pages in use. Address
    space also counts what the allocator keeps after the build frees it (deduplication frees gigabytes at a
    million articles, which later stages reuse), so a limit on it stops builds that fit.
    """
    with tempfile.TemporaryFile("w+", encoding="utf-8") as err:
        proc = subprocess.Popen(cmd, cwd=code, stdout=log, stderr=err, text=True, start_new_session=bool(mib))
        over = None
        while proc.poll() is None:
            if mib and (rss := _tree_rss_mib(proc.pid)) > mib:
                over = rss
                os.killpg(proc.pid, signal.SIGKILL)
                proc.wait()
                break
            time.sleep(WATCH_SECONDS)
        err.seek(0)
        stderr = err.read()
    if over is not None:
        stderr += f"\nstopped: the build and its workers held {over:,.0f} MiB resident, above --max-memory {mib:,} MiB\n"
    elif proc.returncode < 0:  # a signal from outside: SIGKILL unasked is most often the kernel's OOM killer
        stderr += f"\nkilled by signal {-proc.returncode} ({signal.Signals(-proc.returncode).name})\n"
    return proc.returncode, stderr


WATCH_SECONDS = 0.2


def _partial(n: int, stdout: str, stderr: str) -> dict:
    """What a child that failed (e.g. out of memory under --max-memory) reported before it stopped."""
    lines = [json.loads(line) for line in stdout.splitlines() if line.startswith("{")]
    stages = {d.pop("stage"): d for d in lines if "stage" in d}
    read = [d for d in lines if "files" in d]
    error = (stderr.strip().splitlines() or ["(no message)"])[-1]
    return {"size": n, "failed": error, "stages": stages, "files_read": read[-1] if read else None}


def run_size(n: int, seed: int, workdir: Path, profile: bool, site: bool = False, code: Path = REPO,
             max_memory: int | None = None, search: bool = True) -> dict:
    """Every stage on an n-article corpus, in a fresh process running the generator of checkout `code`.

    With `max_memory` (MiB), the process and its workers may not hold more resident memory; a run that
    needs more is stopped, and what it reported up to then is returned with a "failed" entry.
    """
    corpus = workdir / f"synth-{n}-{seed}"
    if not (corpus / "labels.json").is_file():
        shutil.rmtree(corpus, ignore_errors=True)
        subprocess.run([sys.executable, "-m", "benchmarks.synth", str(corpus), "--articles", str(n),
                        "--seed", str(seed)], cwd=REPO, check=True, stdout=subprocess.DEVNULL)
    topics = corpus / "topics.yml"
    if not topics.is_file():
        make_topics(corpus / "articles", topics)
    cmd = [sys.executable]
    if profile:
        cmd += ["-m", "cProfile", "-o", str(corpus / "profile.out")]
    cmd += [str(code / "benchmarks" / "bench_scale.py"), "--child", str(corpus / "articles"), str(topics),
            str(code / "templates")]
    t0 = time.perf_counter()
    with open(corpus / LOG, "w", encoding="utf-8") as log:  # follow a long run with `tail -f`
        returncode, stderr = _run_watched(cmd, code, log, max_memory)
    wall = time.perf_counter() - t0
    stdout = (corpus / LOG).read_text(encoding="utf-8")
    if returncode:
        if max_memory is None:
            raise subprocess.CalledProcessError(returncode, cmd, stdout, stderr)
        return _partial(n, stdout, stderr) | {"wall_seconds": round(wall, 3)}
    res = json.loads(stdout.strip().splitlines()[-1])
    res["size"] = n
    res["total_seconds"] = round(sum(s["seconds"] for k, s in res["stages"].items() if k != "startup"), 3)
    res["wall_seconds"] = round(wall, 3)
    res["peak_mib"] = max(s["peak_mib"] for s in res["stages"].values())
    res["worker_peak_mib"] = max(s["worker_peak_mib"] for s in res["stages"].values())
    if site:
        res.update(site_build(corpus, topics, code, profile, search))
    return res


def _faster(best: dict | None, new: dict) -> dict:
    if best is None or "failed" in best:
        return new
    return best if "failed" in new or best["total_seconds"] <= new["total_seconds"] else new


def site_report(site: dict) -> str:
    """One line: the site's pages and bytes, and the seconds of each step of its build."""
    return (f"site: {site['pages']} pages, {site['site_bytes'] / 1e6:.1f} MB (+ {site['bundle_bytes'] / 1e6:.1f} MB "
            f"search bundle) from {site['markdown_bytes'] / 1e6:.1f} MB of Markdown; MkDocs {site['mkdocs_seconds']:.2f} s "
            f"= {site['ms_per_page']:.0f} ms per page, content check {site['check_seconds']:.2f} s, search index "
            f"{site['index_seconds']:.2f} s")


def ratios(this: dict, peer: dict) -> str:
    """One line: this run's time and peak memory over the peer's, and MkDocs' seconds when both built the site."""
    line = (f"this/peer: time {this['total_seconds'] / peer['total_seconds']:.3f}, "
            f"peak memory {this['peak_mib'] / peer['peak_mib']:.3f}")
    if "site" in this and "site" in peer:
        line += f", MkDocs {this['site']['mkdocs_seconds'] / peer['site']['mkdocs_seconds']:.3f}"
    return line


def _stage_text(name: str, stage: dict) -> str:
    """A stage's seconds and peak so far, and what the build held as it ended (when known)."""
    held = f" (holds {stage['held_mib']:.0f})" if stage.get("held_mib") is not None else ""
    return f"{name} {stage['seconds']:.2f}s/{stage['peak_mib']:.0f}MiB{held}"


def report(res: dict) -> str:
    if "failed" in res:
        done = "  ".join(_stage_text(k, v) for k, v in res["stages"].items() if k != "startup")
        read = res["files_read"]
        return (f"{res['size']:>7} articles: FAILED after {res['wall_seconds']:.0f} s: {res['failed']}\n"
                f"{'':>17}stages done: {done or 'none'}"
                + (f"\n{'':>17}files read: {read['files']} of {read['of']} in {read['seconds']:.0f} s, "
                   f"peak {read['peak_mib']:.0f} MiB" if read else ""))
    parts = "  ".join(_stage_text(k, v) for k, v in res["stages"].items() if k != "startup")
    return (f"{res['size']:>7} articles: {parts}\n"
            f"{'':>17}total {res['total_seconds']:.2f} s (process {res['wall_seconds']:.2f} s), "
            f"peak {res['peak_mib']:.0f} MiB (each worker <= {res['worker_peak_mib']:.0f} MiB), {res['files']} files, {res['bytes'] / 1e6:.1f} MB"
            + (f"\n{'':>17}" + site_report(res["site"]) if "site" in res else "")
            + (f"\n{'':>17}search: first search of a topic term "
               f"<= {res['search']['max_first_search_bytes'] / 1e6:.2f} MB downloaded" if "search" in res else ""))


def main(argv: list[str] | None = None) -> int:
    if argv is None:
        argv = sys.argv[1:]
    if argv and argv[0] == "--child-site":
        print(json.dumps(site_stages(*map(Path, argv[1:5]), Path(argv[5]) if argv[5:] else None)))
        return 0
    if argv and argv[0] == "--child":
        print(json.dumps(stages(Path(argv[1]), Path(argv[2]), Path(argv[3]))))
        return 0
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--sizes", type=int, nargs="+", default=[1000, 10000])
    ap.add_argument("--seed", type=int, default=7)
    ap.add_argument("--workdir", type=Path, default=None, help="keep corpora here (default: a temporary folder)")
    ap.add_argument("--profile", action="store_true", help="write a cProfile dump per size into its corpus folder")
    ap.add_argument("--site-max", type=int, default=0, metavar="N",
                    help="also time the strict MkDocs build of the site for sizes up to N articles")
    ap.add_argument("--peer", type=Path, default=None, metavar="CHECKOUT",
                    help="also run another checkout of the project (e.g. a `git worktree` of the last release) on "
                         "the same corpora, alternating with this one, and print the time ratio this/peer")
    ap.add_argument("--repeat", type=int, default=1,
                    help="runs of each side per size, alternating; the fastest counts (default 1; with --peer use 2: "
                         "the first run of an invocation is the slowest)")
    ap.add_argument("--max-memory", type=int, default=None, metavar="MIB",
                    help="stop a run whose processes hold more than MIB resident (checked every 0.2 s) and "
                         "report the stages it finished (protects a shared machine from the OOM killer)")
    ap.add_argument("--json", action="store_true")
    args = ap.parse_args(argv)
    tmp = None
    workdir = args.workdir
    if workdir is None:
        tmp = tempfile.mkdtemp(prefix="bench-scale-")
        workdir = Path(tmp)
    workdir.mkdir(parents=True, exist_ok=True)
    results, peers = {}, {}
    try:
        for n in args.sizes:
            for _ in range(args.repeat):
                results[n] = _faster(results.get(n), run_size(n, args.seed, workdir, args.profile,
                                                              site=n <= args.site_max, max_memory=args.max_memory))
                if args.peer:
                    peers[n] = _faster(peers.get(n), run_size(n, args.seed, workdir, False, site=n <= args.site_max,
                                                                code=args.peer.resolve(), max_memory=args.max_memory,
                                                                search=False))
            if not args.json:
                print(report(results[n]), flush=True)
                if args.peer:
                    print(f"{'':>9}peer: " + report(peers[n]).lstrip(), flush=True)
                if args.peer and "failed" not in results[n] and "failed" not in peers[n]:
                    print(f"{'':>17}" + ratios(results[n], peers[n]), flush=True)
    finally:
        if tmp:
            shutil.rmtree(tmp, ignore_errors=True)
    ratio = None
    if 1000 in results and 10000 in results and not any("failed" in results[n] for n in (1000, 10000)):
        ratio = round(results[10000]["total_seconds"] / results[1000]["total_seconds"], 2)
    if args.json:
        print(json.dumps({"results": list(results.values()), "peer": list(peers.values()), "ratio_10k_1k": ratio},
                         indent=2))
    elif ratio is not None:
        print(f"time(10k)/time(1k) = {ratio}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
