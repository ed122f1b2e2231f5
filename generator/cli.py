"""Command line: `briefings build`, `briefings serve`, `briefings topics`, `briefings reference` (also `python -m generator`)."""
from __future__ import annotations

import argparse
import os
import signal
import sys
import threading
import time
from pathlib import Path

from . import context, output, pipeline, site_memo, topics
from .errors import GeneratorError, Problem
from .progress import Progress
from .settings import DEFAULT
from .textnorm import sentences
from .topics import TopicsFile

WATCH_SECONDS = 1.0
PREVIEW_HOOKS = str(Path(__file__).with_name("preview.py"))  # MkDocs hooks of `serve`: the search index of each build
# Every committed expected output, as (seeds, topics file, briefings folder, skip invalid files):
# the project's own briefings, and the fixture story's golden pages that the tests compare against.
GOLDEN = (("seeds", "templates/topics.yml", "briefings", False),
          ("tests/fixtures/story/seeds", "tests/fixtures/story/topics.yml", "tests/golden", True))


def _common(p: argparse.ArgumentParser) -> None:
    p.add_argument("--seeds", type=Path, default=Path("seeds"), help="folder of articles (default: seeds)")
    p.add_argument("--topics", type=Path, default=None,
                   help="topic definitions (default: topics.yml in the templates folder)")
    p.add_argument("--templates", type=Path, default=Path("templates"), help="Jinja2 templates (default: templates)")
    p.add_argument("--briefings", type=Path, default=Path("briefings"),
                   help="where the Markdown briefings go; MkDocs' docs_dir (default: briefings)")
    p.add_argument("--site", type=Path, default=Path("site"), help="where the built site goes (default: site)")
    p.add_argument("--config", type=Path, default=Path("mkdocs.yml"), help="MkDocs configuration (default: mkdocs.yml)")
    p.add_argument("--cache", type=Path, default=None,
                   help="folder for the per-article cache that makes rebuilds fast, e.g. .cache/briefings "
                        "(default: $BRIEFINGS_CACHE, else no cache)")
    p.add_argument("--quiet", action="store_true",
                   help="no progress display (it shows only on a terminal anyway)")
    p.add_argument("--skip-invalid", action="store_true",
                   help="build from the valid files and list the invalid ones as rejected, instead of failing")


def parser() -> argparse.ArgumentParser:
    """The argument parser, with help text on every command and option."""
    top = argparse.ArgumentParser(prog="briefings", description="Build topic briefings from a folder of news articles.")
    sub = top.add_subparsers(dest="command", required=True, metavar="COMMAND")
    b = sub.add_parser("build", help="write briefings/ and build site/ with MkDocs",
                       description="Read the seeds, write the briefings, and build the site with MkDocs (strict).")
    _common(b)
    b.add_argument("--check", action="store_true",
                   help="write nothing; fail if briefings/ is not what a build would write")
    b.add_argument("--no-site", action="store_true", help="write the briefings only; skip the MkDocs build")
    s = sub.add_parser("serve", help="preview the site, rebuilding when seeds or templates change",
                       description="Serve the site locally; regenerate briefings when seeds, topics or templates change.")
    _common(s)
    s.add_argument("--dev-addr", default="127.0.0.1:8000", help="address to serve on (default: 127.0.0.1:8000)")
    t = sub.add_parser("topics", help="show what each topic takes and nearly took, to tune the topics file",
                       description="Generate the briefings without writing them, and list per topic its passages and "
                                   "the passages nearly on it (some term hits, not enough in their article's context), "
                                   "with the terms they hit: what to look at when editing the topics file.")
    _common(t)
    t.add_argument("--topic", metavar="SLUG", default=None, help="only this topic")
    t.add_argument("--limit", type=int, default=20, metavar="N",
                   help="passages on each topic (the weakest first) and nearly on it (the strongest first) shown per topic "
                        "(default: 20; 0 shows all)")
    g = sub.add_parser("golden", help="regenerate every committed expected output (briefings/, tests/golden/, "
                                      "templates/REFERENCE.md)",
                       description="Regenerate the project's committed expected outputs after a deliberate change; "
                                   "review the diff before committing. Run from the project folder.")
    g.add_argument("--cache", type=Path, default=None, help="folder for the cache (default: $BRIEFINGS_CACHE, else none)")
    r = sub.add_parser("reference", help="write the template reference page (templates/REFERENCE.md)",
                       description="Regenerate the reference of template context fields from generator/context.py.")
    r.add_argument("--templates", type=Path, default=Path("templates"), help="templates folder (default: templates)")
    return top


def _inputs(args) -> pipeline.Inputs:
    cache = args.cache or (Path(os.environ["BRIEFINGS_CACHE"]) if os.environ.get("BRIEFINGS_CACHE") else None)
    return pipeline.Inputs(args.seeds, args.topics or args.templates / "topics.yml", args.templates, cache,
                           previous=args.briefings, source_date=_source_date())


def _source_date() -> int | None:
    """SOURCE_DATE_EPOCH (seconds since 1970, UTC), the reproducible-builds date for feed entries with no dated article."""
    value = os.environ.get("SOURCE_DATE_EPOCH", "").strip()
    if not value:
        return None
    if not value.isdigit():
        raise GeneratorError(Problem("SOURCE_DATE_EPOCH", f"{value!r} is not a whole number of seconds since 1970",
                                     "unset it, or set it to e.g. $(git log -1 --format=%ct)"))
    return int(value)


def nav(spec: TopicsFile) -> list:
    """The site's navigation: the home page, each topic in the topics file's order, the sources list."""
    topic_pages = [{t.title: f"{t.slug}.md"} for t in spec.topics]
    return [{"Home": "index.md"}, *topic_pages, {"Sources": "sources.md"}]


def _report(result: pipeline.Result, seconds: float) -> str:
    t = result.totals
    per_topic = ", ".join(f"{slug} {n}" for slug, n in result.per_topic.items())
    lines = [f"Read {t.files} files: {t.used} used, {t.duplicates} duplicates, {t.rejected} rejected.",
             f"Passages: {t.passages} kept, {t.merged} merged, "
             f"{t.unassigned} match no topic. Per topic: {per_topic}.",
             f"Generated in {seconds:.2f} s."]
    lines += [f"Rejected: {p}" for p in result.problems]
    return "\n".join(lines)


def build(args) -> int:
    """`briefings build`."""
    start = time.perf_counter()
    shown = Progress(enabled=False if args.quiet else None)
    inputs = _inputs(args)
    result = pipeline.generate(inputs, DEFAULT, skip_invalid=args.skip_invalid, stage=shown.stage, files=shown.files)
    if args.check:
        diffs = output.differences(args.briefings, result.files)
        if diffs:
            print("\n".join(f"{args.briefings}/{name}: {what}" for name, what in diffs), file=sys.stderr)
            print("Error: briefings are out of date; run `briefings build` and commit the result.", file=sys.stderr)
            return 1
        print(f"{args.briefings} is up to date ({len(result.files)} files).")
        return 0
    t = time.perf_counter()
    if args.no_site:
        changed = output.sync(args.briefings, result.files)
    else:  # the site is built from the new briefings before either folder is touched
        changed = output.publish(args.config, args.briefings, result.files, args.site, nav(result.spec),
                                 result.spec.title, cache=inputs.cache)
    print(_report(result, t - start))
    print(f"Wrote {len(changed)} changed files to {args.briefings}." if changed else f"{args.briefings} unchanged.")
    if not args.no_site:
        print(f"Built {args.site} with MkDocs in {time.perf_counter() - t:.2f} s.")
    return 0


def topics_report(args) -> int:
    """`briefings topics`: each topic's passages and near misses, with the terms hit, for editors."""
    inputs = _inputs(args)
    result = pipeline.generate(inputs, DEFAULT, skip_invalid=args.skip_invalid)
    chosen = [t for t in result.spec.topics if args.topic in (None, t.slug)]
    if not chosen:
        raise GeneratorError(Problem(str(inputs.topics), f"no topic has the slug {args.topic!r}",
                                     "use one of: " + ", ".join(t.slug for t in result.spec.topics)))
    print(_topics_text(result, chosen, {s.id: (inputs.seeds / s.path).as_posix() for s in result.sources},
                       args.limit))
    return 0


def _topics_text(result: pipeline.Result, chosen, path_of: dict[str, str], limit: int) -> str:
    """Per topic: the passages it takes, weakest first, then its near misses, strongest first (so each list opens
    with the passages nearest the line between them), each as `file:line` with its score against what the topic
    needs, the terms hit and the passage's first sentence that hits one (a passage on the topic through its article
    alone may hit none)."""
    text_at = {(p.article_id, p.line): p.text for p in result.passages}
    lines = []
    for t in chosen:
        taken = sorted(((p.article_id, p.line, m.score(t.slug)) for p, m in zip(result.passages, result.matches)
                        if t.slug in m.topics), key=lambda x: (x[2], x[0], x[1]))
        misses = sorted(((m.article_id, m.line, m.score) for m in result.near_misses.get(t.slug, ())),
                        key=lambda x: (-x[2], x[0], x[1]))
        pattern = topics.matcher(t)
        lines.append(f"{t.slug} ({t.title}): {len(taken)} passages; {len(misses)} nearly on it.")
        if t.ignore:
            lines.append("  ignore phrases wrote off: " + _ignored_text(result.passages, t, pattern))
        for heading, listed in (("on it", taken), ("nearly on it", misses)):
            if listed:
                lines.append(f"  {heading}:")
            lines += [f"    {path_of.get(article_id, article_id)}:{line}  "
                      + _entry_text(text_at.get((article_id, line), ""), score, t, pattern)
                      for article_id, line, score in listed[:limit or None]]
            if limit and len(listed) > limit:
                lines.append(f"    ... and {len(listed) - limit} more (--limit 0 shows all)")
    unassigned = result.totals.unassigned
    lines.append(f"{unassigned} passages match no topic (the ledger lists each file's).")
    return "\n".join(lines)


def _entry_text(text: str, score: float, topic, pattern) -> str:
    """Why a passage is on a topic or nearly on it: its score against what the topic needs and the terms it hits (or,
    with no score, that it is on the topic through its article), then the sentence that hits one."""
    terms = ", ".join(dict.fromkeys(topics.matched_terms(text, topic, pattern)))
    low = topic.min_score or DEFAULT.topic_min_score
    why = (f"score {score:g} (needs {low:g} in an article on the topic, {DEFAULT.topic_passing_strong * low:g} "
           f"elsewhere); terms: {terms or 'none'}") if score else \
        "through its article: " + (f"its own terms, {terms}, are not enough" if terms else "no term of its own")
    return f"{why}\n        {_hit_sentence(text, topic, pattern)}"


def _ignored_text(passages, topic, pattern) -> str:
    """How often each ignore phrase of a topic matched, and in how many passages: a phrase that never
    matches is misspelt or not needed, one that matches very often may hide the topic's own news."""
    hits: dict[str, list[int]] = {phrase.text: [0, 0] for phrase in topic.ignore}
    for p in passages:
        found = topics.ignored(p.text, topic, pattern)
        for phrase in found:
            hits[phrase][0] += 1
        for phrase in set(found):
            hits[phrase][1] += 1
    return ", ".join(f"“{phrase}” {n} time{'s' if n != 1 else ''} in {k} passage{'s' if k != 1 else ''}"
                     for phrase, (n, k) in hits.items())


def _hit_sentence(text: str, topic, pattern, words: int = 30) -> str:
    """The first sentence of a passage that hits one of the topic's terms (else its first), cut to `words`."""
    told = sentences(text) or [text]
    hit = next((s for s in told if topics.matched_terms(s, topic, pattern)), told[0]).split()
    return " ".join(hit[:words]) + (" ..." if len(hit) > words else "")


def _fingerprint(paths: list[Path]) -> tuple:
    """Names, sizes and modification times of every file below the watched paths."""
    out = []
    for root in paths:
        files = [root] if root.is_file() else sorted(p for p in root.rglob("*") if p.is_file())
        for f in files:
            try:
                st = f.stat()
            except FileNotFoundError:
                continue
            out.append((str(f), st.st_size, st.st_mtime_ns))
    return tuple(out)


def serve(args) -> int:
    """`briefings serve`: MkDocs' live-reload server plus a watcher that regenerates the briefings.

    The watcher writes only files whose bytes change, so MkDocs rebuilds once per real edit; MkDocs
    itself watches only the briefings folder and mkdocs.yml, never the seeds. Each MkDocs build is indexed for
    search by generator/preview.py before the browser reloads. MkDocs reloads its
    configuration with the same `nav` list on each rebuild, so the watcher updates that list in place
    before writing: a topic added to the topics file appears in the navigation without a restart.
    """
    from mkdocs.commands.serve import serve as mkdocs_serve

    inputs = _inputs(args)
    result = pipeline.generate(inputs, DEFAULT, skip_invalid=args.skip_invalid)
    output.sync(args.briefings, result.files)
    print(_report(result, 0.0).rsplit("\n", 1)[0])
    watched = [inputs.seeds, inputs.templates, inputs.topics]

    def watch() -> None:
        last = _fingerprint(watched)
        while True:
            time.sleep(WATCH_SECONDS)
            now = _fingerprint(watched)
            if now == last:
                continue
            last = now
            try:
                fresh = pipeline.generate(inputs, DEFAULT, skip_invalid=args.skip_invalid)
            except GeneratorError as err:
                print(f"Error (still serving the last good build):\n{err}", file=sys.stderr)
                continue
            site_nav[:] = nav(fresh.spec)
            changed = output.sync(args.briefings, fresh.files)
            print(f"Regenerated: {', '.join(changed) or 'no change'}")

    def stop(signum, frame):  # a terminated preview shuts down like Ctrl-C, so MkDocs removes its temp folder
        raise KeyboardInterrupt

    signal.signal(signal.SIGTERM, stop)
    site_nav = nav(result.spec)
    threading.Thread(target=watch, daemon=True).start()
    with site_memo.dirty_build_allowed():  # the hooks decide what each rebuild renders (generator/preview.py)
        mkdocs_serve(str(args.config), livereload=True, build_type="dirty", docs_dir=str(args.briefings.resolve()),
                     dev_addr=args.dev_addr, nav=site_nav, site_name=result.spec.title, hooks=[PREVIEW_HOOKS])
    return 0


def reference(args) -> int:
    """`briefings reference`."""
    target = args.templates / "REFERENCE.md"
    text = context.reference()
    if target.is_file() and target.read_text(encoding="utf-8") == text:
        print(f"{target} is up to date.")
    else:
        target.write_text(text, encoding="utf-8")
        print(f"Wrote {target}.")
    return 0


def golden(args) -> int:
    """`briefings golden`."""
    missing = [path for row in GOLDEN for path in row[:2] if not Path(path).exists()]
    if missing:
        raise GeneratorError(Problem(missing[0], "not found", "run `briefings golden` from the project folder"))
    for seeds, topics_file, briefings, skip in GOLDEN:
        inputs = pipeline.Inputs(Path(seeds), Path(topics_file), Path("templates"), args.cache, previous=Path(briefings),
                                 source_date=_source_date())
        changed = output.sync(Path(briefings), pipeline.generate(inputs, DEFAULT, skip_invalid=skip).files)
        print(f"{briefings}: {', '.join(changed) if changed else 'unchanged'}")
    args.templates = Path("templates")
    return reference(args)


def main(argv: list[str] | None = None) -> int:
    """Entry point; every GeneratorError becomes `Error: file:line: message (fix)` lines and exit 1."""
    args = parser().parse_args(argv)
    try:
        return {"build": build, "serve": serve, "topics": topics_report, "golden": golden,
                "reference": reference}[args.command](args)
    except GeneratorError as err:
        for problem in err.problems:
            print(f"Error: {problem}", file=sys.stderr)
        return 1
