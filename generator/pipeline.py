"""The build, top to bottom: one call per stage, each handing a typed record to the next. Nothing here writes files
(the rendered files wait in a temporary spool past a size, generator/render.py `Files`; output.py writes them).

    read, clean, features (per file: generator/prepare.py) -> families -> passages -> topics -> claims
    -> pages -> ledger, feed
"""
from __future__ import annotations

import ctypes
import functools
import gc
from collections.abc import Callable
from dataclasses import dataclass, replace
from pathlib import Path

from . import claims, clean, families, feed, ledger, pages, passages, prepare, render, topics
from .claims import Claims
from .context import Source, Totals
from .errors import GeneratorError, Problem
from .memo import Cache
from .model import CleanArticle, Passage, Rejection
from .settings import Settings
from .topics import NearMiss, TopicMatch, TopicsFile


@dataclass(frozen=True)
class Inputs:
    """Where a build reads from."""

    seeds: Path
    topics: Path
    templates: Path
    cache: Path | None = None  # folder of results kept between builds (generator/memo.py); None: no cache
    previous: Path | None = None  # the briefings folder of the previous published build, whose feed state says
                                  # which passages are new (generator/feed.py); None: every passage is new
    source_date: int | None = None  # SOURCE_DATE_EPOCH: dates feed entries whose articles give no date


@dataclass(frozen=True)
class Result:
    """A finished generation: the files to write, what they count, and what was set aside."""

    files: render.Files                    # file name in the briefings folder -> its text
    spec: TopicsFile                       # the story and its topics, for the site's name and navigation
    totals: Totals
    per_topic: dict[str, int]              # topic slug -> passages on it
    passages: tuple[Passage, ...]
    matches: tuple[TopicMatch, ...]        # the topics of each passage (same order)
    claims: Claims                         # facts joined across outlets, and conflicts
    near_misses: dict[str, tuple[NearMiss, ...]]  # topic slug -> passages nearly on it (topics.Assignment)
    problems: tuple[Problem, ...]          # invalid files skipped (with skip_invalid)
    sources: tuple[Source, ...] = ()    # every input file, as the sources pages list it (id, path, status)


def _without_cycle_collector(build: Callable) -> Callable:
    """Pause Python's cyclic garbage collector while `build` runs.

    A build holds millions of small objects (paragraphs, sentences, passages) and makes no reference
    cycles worth collecting; the collector would walk all of them again and again, which cost a third
    of a cached rebuild. Reference counting still frees everything as usual.
    """
    @functools.wraps(build)
    def paused(*args, **kwargs):
        enabled = gc.isenabled()
        gc.disable()
        try:
            return build(*args, **kwargs)
        finally:
            if enabled:
                gc.enable()
    return paused


@_without_cycle_collector
def generate(inputs: Inputs, settings: Settings, skip_invalid: bool = False,
             stage: Callable[[str], None] = lambda name: None,
             files: Callable[[int, int], None] = lambda done, total: None) -> Result:
    """Run every stage and return the briefings; raise GeneratorError on problems.

    `stage(name)` is called as each stage ends ("read+clean", "dedup", "topics", "claims", "pages"), and
    `files(done, total)` as files are read, for progress and benchmarks.
    """
    # The editor's inputs first: they fail fast and need no article work.
    spec = topics.load(inputs.topics)
    env = render.environment(inputs.templates)
    published = feed.load(inputs.previous)
    cache = Cache(inputs.cache, settings)
    # Read, clean and compute the features of every file (per file: in parallel, cached by content).
    corpus = prepare.read_folder(inputs.seeds, settings, cache, progress=files)
    if corpus.problems and not skip_invalid:
        raise GeneratorError(list(corpus.problems))
    news, empty = clean.with_news(corpus.cleaned.values())
    stage("read+clean")
    # Families of copies, and which sentences are the same across articles.
    fam, alignment = families.find_families(news, settings, corpus.features, cache, corpus.keys, corpus.samples)
    short = {aid: f.short for aid, f in corpus.features.items()}
    # Only deduplication needs the rest of the features: free them (with the normalised sentences, which the
    # alignment does not keep, a third of what the build holds after reading).
    corpus = replace(corpus, features={}, samples=None)
    # Short lines repeated across unrelated families are boilerplate too.
    final = clean.remove_repeated_lines(fam.articles, fam.family_of, settings, short)
    # Passages: paragraphs not already kept elsewhere, each citing every article that carries all of it.
    kept = passages.merge_passages(fam, alignment, settings, clean.repeated(final), cache, corpus.keys)
    alignment = None  # only passage merging needs it
    _give_back_freed_memory()
    stage("dedup")
    # The topics of every passage, read with its article (title, other passages): several, or none
    # (counted, never hidden); and the passages nearly on each topic.
    assigned = topics.assign(spec, kept.passages, corpus.articles, settings, cache)
    matches = assigned.matches
    # What is left reads the articles' metadata and removals, not their paragraphs: let the text go (most of what
    # a million articles hold, and room the pages need).
    corpus, fam, final = _without_paragraphs(corpus, fam, final)
    news = None
    _give_back_freed_memory()
    stage("topics")
    # Claims: the same fact in several outlets' words joined, and where outlets disagree, among the
    # passages the topic pages show.
    joined = claims.join(kept.passages, fam.family_of, {a.id: a.published for a in corpus.articles}, settings,
                         among=[bool(m.topics) for m in matches], cache=cache)
    stage("claims")
    # Pages, rendered, and the ledger accounting for every file.
    cleaned = {**corpus.cleaned, **{ca.id: ca for ca in final}}
    rejected = [*corpus.rejected, *map(_rejection, corpus.problems), *empty]
    site = pages.layout(spec, settings, corpus.articles, cleaned, rejected, fam, kept, matches, joined)
    written = render.render_all(env, {f"{name}.md": page for name, page in site.pages.items()}, cache)
    site = replace(site, pages={})  # rendered: what the ledger and feed read of the site is the rest
    written.add(ledger.NAME, ledger.ledger(spec, settings, site, cleaned, kept.passages, assigned, joined))
    # The feed: an entry for each topic that gained passages since the previous published build.
    state = feed.update(published, spec, settings, site.sources, kept.passages, matches, inputs.source_date,
                        cache)
    for name, text in feed.files(state, spec, inputs.source_date).items():
        written.add(name, text)
    stage("pages")
    return Result(written, spec, site.totals, site.per_topic, kept.passages, matches, joined, assigned.near_misses,
                  corpus.problems if skip_invalid else (), site.sources)


def _without_paragraphs(corpus: prepare.Corpus, fam: families.Families,
                        final: list[CleanArticle]) -> tuple[prepare.Corpus, families.Families, list[CleanArticle]]:
    """The corpus, families and cleaned articles with every article's paragraphs dropped (metadata, notes and
    removals kept)."""
    slim = {a.id: replace(a, paragraphs=()) for a in corpus.articles}

    def bare(ca: CleanArticle) -> CleanArticle:
        return replace(ca, article=slim[ca.id], paragraphs=())

    corpus = replace(corpus, articles=tuple(slim[a.id] for a in corpus.articles),
                     cleaned={aid: bare(ca) for aid, ca in corpus.cleaned.items()})
    return corpus, replace(fam, articles=tuple(map(bare, fam.articles))), [bare(ca) for ca in final]


def _give_back_freed_memory() -> None:
    """Return to the system the pages of what the build has freed (glibc's `malloc_trim`; elsewhere nothing).

    The features and the alignment, freed after deduplication, are most of a million articles' gigabytes in small
    blocks: glibc keeps those pages for the process, and the later stages' large arrays are mapped anew beside
    them, so the build would hold both.
    """
    try:
        ctypes.CDLL(None).malloc_trim(0)
    except (AttributeError, OSError, TypeError):  # not glibc
        pass


def _rejection(problem: Problem) -> Rejection:
    """An invalid file skipped with --skip-invalid, listed as rejected with the problem and its fix."""
    return Rejection(problem.path, f"{problem.message} ({problem.hint})", problem.line)
