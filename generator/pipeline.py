"""The build, top to bottom: read, clean, deduplicate, assign topics, render. Nothing here writes files."""
from __future__ import annotations

import gc
import hashlib
import json
import math
import os
import re
from collections import defaultdict
from collections.abc import Callable
from contextlib import contextmanager
from dataclasses import dataclass, replace
from pathlib import Path

from . import clean, context as cx, dedup, prepare, render, topics as topics_mod
from .errors import GeneratorError, Problem
from .escape import Markdown, md_url
from .memo import Memo, tag as memo_tag
from .model import DUPLICATE, REJECTED, USED, CleanArticle, Passage, Rejection
from .settings import Settings
from .textnorm import sentences

LEDGER = "ledger.json"
# A sentence opening with a pronoun or link word reads wrongly out of its paragraph: not a key point.
_DANGLING = re.compile(r"^[\"'“‘]?(he|she|they|it|this|that|these|those|his|her|their|its|but|however|also)\b",
                       re.IGNORECASE)
LEDGER_VERSION = 1
UNDATED = "9999-99-99"


@dataclass(frozen=True)
class Inputs:
    """Where a build reads from."""

    seeds: Path
    topics: Path
    templates: Path
    cache: Path | None = None  # per-article cache folder (generator/prepare.py); None: $BRIEFINGS_CACHE or none


@dataclass(frozen=True)
class Result:
    """A finished generation: the pages to write, the ledger, and what was set aside."""

    files: dict[str, str]
    ledger: dict
    problems: tuple[Problem, ...]


@contextmanager
def _without_cycle_collector():
    """Pause Python's cyclic garbage collector for the duration.

    A build holds millions of small objects (paragraphs, sentences, passages) and makes no reference
    cycles worth collecting; the collector would walk all of them again and again, which cost a third
    of a cached rebuild. Reference counting still frees everything as usual.
    """
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def generate(inputs: Inputs, settings: Settings, skip_invalid: bool = False,
             stage: Callable[[str], None] = lambda name: None) -> Result:
    """Run every stage and return the briefings as {file name: text}; raise GeneratorError on problems.

    `stage(name)` is called as each stage ends ("read+clean", "dedup", "topics"), for benchmarks.
    """
    with _without_cycle_collector():
        return _generate(inputs, settings, skip_invalid, stage)


def _generate(inputs: Inputs, settings: Settings, skip_invalid: bool, stage: Callable[[str], None]) -> Result:
    # Check the editor's inputs first: they fail fast and need no article work.
    story = topics_mod.load(inputs.topics)
    env = render.environment(inputs.templates)

    # Read every file; a file that cannot be read is an error unless the user asked to skip it.
    # Per-article work (read, clean, sentences, shingles) runs in parallel and is cached by content.
    cache = inputs.cache or (Path(os.environ["BRIEFINGS_CACHE"]) if os.environ.get("BRIEFINGS_CACHE") else None)
    folder = prepare.read_folder(inputs.seeds, settings, cache)
    read = folder.read
    if read.problems and not skip_invalid:
        raise GeneratorError(list(read.problems))
    rejected = list(read.rejected) + [Rejection(p.path, f"{p.message} ({p.hint})", p.line) for p in read.problems]

    # Clean with the pattern rules; an article with nothing left is rejected, not silently dropped.
    cleaned: list[CleanArticle] = []
    removed_only: dict[str, CleanArticle] = {}
    for article in read.articles:
        ca = folder.prepared[article.id].cleaned
        if ca.paragraphs:
            cleaned.append(ca)
        else:
            removed_only[article.path] = ca
            rejected.append(Rejection(article.path, f"no news text left after removing {len(ca.removed)} "
                                                    "lines of boilerplate, headings and filler"))

    stage("read+clean")

    # Deduplicate articles, then drop lines repeated across unrelated families, then merge passages.
    pair_memo = Memo(cache, "pairs", memo_tag(settings))
    fam = dedup.find_families(cleaned, settings, folder.prepared, pair_memo, folder.keys)
    pair_memo.save()
    del folder  # the prepared sentences now live in `fam`; free the rest before the next stages
    without_repeats = clean.remove_repeated_lines(fam.articles, fam.family_of, settings)
    skip = frozenset((ca.id, r.line) for ca in without_repeats for r in ca.removed
                     if r.reason == clean.REPEATED)
    merged = dedup.merge_passages(fam, settings, skip)
    fam = replace(fam, alignment=None)  # millions of sentences at scale: not needed from here on
    by_id = {ca.id: ca for ca in without_repeats}
    stage("dedup")

    # Assign topics: a passage may belong to several, or to none (counted, never hidden).
    # tagged by what scores depend on, from the same parse as `story` (not a second read of the file)
    scoring = repr([(t.slug, t.terms, t.min_score) for t in story.topics]).encode()
    topic_memo = Memo(cache, "topics", memo_tag(settings, scoring))
    passages = assign_topics(story, merged.passages, settings, topic_memo)
    topic_memo.save()
    stage("topics")

    return _assemble(story, env, settings, read.articles, by_id, fam, merged, passages, rejected,
                     removed_only, tuple(read.problems) if skip_invalid else ())


def assign_topics(story, passages, settings: Settings, memo: Memo | None = None) -> list[Passage]:
    """Each passage with the topics it belongs to and its score for each.

    `memo` keeps the result per passage text between builds (its tag covers the topics file).
    """
    patterns = [topics_mod.matcher(t) for t in story.topics]
    out = []
    for p in passages:
        key = hashlib.blake2b(p.text.encode(), digest_size=16).digest() if memo else None
        found = memo.get(key) if memo else None
        if found is None:
            text = topics_mod.stemmed(p.text)
            scored = [(t.slug, topics_mod.score(text, t, pat)) for t, pat in zip(story.topics, patterns)]
            hits = [(slug, s) for (slug, s), t in zip(scored, story.topics)
                    if s >= (t.min_score or settings.topic_min_score)]
            found = (tuple(s for s, _ in hits), tuple(v for _, v in hits))
            if memo:
                memo.put(key, found)
        out.append(Passage(key=p.key, article_id=p.article_id, line=p.line, text=p.text, sources=p.sources,
                           order=p.order, topics=found[0], scores=found[1], merged=p.merged))  # not replace(): 3x faster
    return out


def _assemble(story, env, settings, articles, by_id, fam, merged, passages, rejected, removed_only, problems):
    """Build page contexts, render them, and write the ledger."""
    article_of = {a.id: a for a in articles}
    topic_of = {t.slug: t for t in story.topics}
    topics_by_article: dict[str, set[str]] = defaultdict(set)
    unassigned_by_article: dict[str, int] = defaultdict(int)
    for p in passages:
        for src in p.sources:
            topics_by_article[src].update(p.topics)
        if not p.topics:
            unassigned_by_article[p.article_id] += 1
    labels = _labels(sorted(article_of))
    reason_of: dict[str, str] = {}
    for r in rejected:
        reason_of.setdefault(r.path, r.reason)
    sources: dict[str, cx.Source] = {}
    topic_order = [t.slug for t in story.topics]
    for a in articles:
        ca = by_id.get(a.id)
        m = fam.merges.get(a.id)
        status = DUPLICATE if m else USED if ca else REJECTED
        sources[a.id] = cx.Source(
            label=Markdown(labels[a.id]), id=a.id, path=a.path, name=a.label, title=a.title, outlet=a.outlet, published=a.published,
            url=md_url(a.url) if a.url else None, status=status, anchor=Markdown(_anchor(a.id)),
            entry=Markdown(""), topics=tuple(topic_of[s].title for s in topic_order if s in topics_by_article[a.id]),
            duplicate_of=m.canonical_id if m else None,
            duplicate_title=article_of[m.canonical_id].label if m else None, duplicate_entry=None,
            similarity=m.similarity if m else None, via=m.via if m else None,
            reason=None if ca else reason_of.get(a.path),
            passages_kept=merged.kept_paragraphs.get(a.id, 0),
            passages_merged=merged.merged_paragraphs.get(a.id, 0),
            lines_removed=len((ca or removed_only.get(a.path)).removed) if (ca or removed_only.get(a.path)) else 0,
            notes=a.notes)
    read_paths = {a.path for a in articles}
    for r in rejected:
        if r.path not in read_paths:
            rid = Path(r.path).with_suffix("").as_posix().replace("/", "--")
            sources[r.path] = cx.Source(
                label=Markdown(_label(rid)), id=rid, path=r.path, name=r.path, title=None, outlet=None, published=None,
                url=None, status=REJECTED, anchor=Markdown(_anchor(rid)), entry=Markdown(""), topics=(),
                duplicate_of=None, duplicate_title=None, duplicate_entry=None,
                similarity=None, via=None, reason=r.reason if r.line is None else f"line {r.line}: {r.reason}",
                passages_kept=0, passages_merged=0, lines_removed=0, notes=())
    status_rank = {USED: 0, DUPLICATE: 1, REJECTED: 2}
    in_order = sorted(sources, key=lambda k: (status_rank[sources[k].status], sources[k].path))
    # the sources pages: `sources`, `sources-2`, ... of at most `sources_page_entries` entries each
    size = max(1, settings.sources_page_entries)
    source_pages = [_part("sources", n + 1) for n in range(max(1, math.ceil(len(in_order) / size)))]
    page_of = {k: source_pages[n // size] for n, k in enumerate(in_order)}
    for k in in_order:
        src = sources[k]
        canonical = sources.get(src.duplicate_of) if src.duplicate_of else None
        sources[k] = replace(src, entry=Markdown(f"{page_of[k]}.md#{src.anchor}"), duplicate_entry=Markdown(
            f"{page_of[src.duplicate_of]}.md#{canonical.anchor}") if canonical else None)
    all_sources = tuple(sources[k] for k in in_order)

    used = [s for s in all_sources if s.status == USED]
    dated = sorted(s.published for s in all_sources if s.published and s.status != REJECTED)
    totals = cx.Totals(
        files=len(all_sources), used=len(used), duplicates=sum(s.status == DUPLICATE for s in all_sources),
        rejected=sum(s.status == REJECTED for s in all_sources),
        outlets=len({s.outlet for s in all_sources if s.outlet and s.status != REJECTED}),
        passages=len(passages), merged=sum(merged.merged_paragraphs.values()),
        unassigned=sum(not p.topics for p in passages), earliest=dated[0] if dated else None,
        latest=dated[-1] if dated else None, undated=sum(not s.published for s in used))
    story_cx = cx.Story(story.title, story.description)

    rank_of = {ca.id: fam.rank[i] for i, ca in enumerate(fam.articles)}
    summaries, by_topic = [], {t.slug: [] for t in story.topics}
    for p in passages:
        for slug in p.topics:
            by_topic[slug].append(p)
    for topic in story.topics:
        mine = by_topic[topic.slug]
        arts = {a for p in mine for a in p.sources}
        latest = _latest(arts, sources)
        summaries.append(cx.TopicSummary(topic.slug, topic.title, topic.description, len(mine), len(arts), latest))
    summaries = tuple(summaries)
    files: dict[str, str] = {}
    for topic, summary in zip(story.topics, summaries):
        page, archives = _topic_page(story_cx, summary, summaries, topic, by_topic[topic.slug], sources,
                                     rank_of, settings)
        files[f"{topic.slug}.md"] = render.render(env, "topic.md.j2", page)
        for name, archive in archives:
            files[f"{name}.md"] = render.render(env, "topic.md.j2", archive)
    files["index.md"] = render.render(env, "index.md.j2", cx.IndexPage(story_cx, summaries, totals))
    for n, name in enumerate(source_pages):
        files[f"{name}.md"] = render.render(env, "sources.md.j2", cx.SourcesPage(
            story_cx, all_sources[n * size:(n + 1) * size], totals, n + 1, tuple(source_pages)))
    ledger = _ledger(all_sources, passages, totals, story, unassigned_by_article, by_id, removed_only, settings)
    files[LEDGER] = json.dumps(ledger, indent=2, ensure_ascii=False) + "\n"
    return Result(files, ledger, problems)


def _topic_page(story, summary, summaries, topic, mine: list[Passage], sources, rank_of,
                settings) -> tuple[cx.TopicPage, list[tuple[str, cx.TopicPage]]]:
    """Key points first (widely reported, relevant), then passages grouped by article, oldest first.

    At most `topic_page_passages` passages (the most important) are shown; the others go to archive
    pages (`<slug>-archive`, `<slug>-archive-2`, ...) of at most `archive_page_passages` each, in
    order of importance, each linking to the next; they are rendered by the same template without key
    points. Returns the page and the (name, page) of each archive page.
    """
    score_of = {p.key: p.scores[p.topics.index(topic.slug)] for p in mine}
    importance = sorted(mine, key=lambda p: (-len(p.sources), -score_of[p.key], p.order))
    pattern = topics_mod.matcher(topic)
    key_points = []
    for p in _lead(importance, settings):
        text = p.text
        if len(text) > settings.lead_sentence_max_chars:
            parts = sentences(text)
            text = max(parts, key=lambda s: (not _DANGLING.match(s),
                                             topics_mod.score(topics_mod.stemmed(s), topic, pattern),
                                             -parts.index(s)))
        key_points.append(cx.KeyPoint(text, tuple(sources[s] for s in p.sources)))
    shown = importance[:settings.topic_page_passages]
    rest = importance[settings.topic_page_passages:]
    groups, footnotes = _groups(shown, sources, rank_of, score_of, key_points)
    size = max(1, settings.archive_page_passages)
    chunks = [rest[k:k + size] for k in range(0, len(rest), size)]
    names = [_part(topic.slug + topics_mod.ARCHIVE_SUFFIX, n + 1) for n in range(len(chunks))]
    page = cx.TopicPage(story, summary, tuple(key_points), groups, footnotes, names[0] if names else None,
                        len(rest), summaries)
    archives = []
    for n, chunk in enumerate(chunks):
        groups, footnotes = _groups(chunk, sources, rank_of, score_of, [])
        arts = {a for p in chunk for a in p.sources}
        part = f", part {n + 1} of {len(chunks)}" if len(chunks) > 1 else ""
        archived = replace(
            summary, title=f"{summary.title}: archive{part}",
            description=f"Passages on this topic that the topic page ({topic.title}) does not show, "
                        "grouped by article, oldest first.",
            passages=len(chunk), articles=len(arts), latest=_latest(arts, sources))
        after = len(rest) - size * (n + 1)
        archives.append((names[n], cx.TopicPage(story, archived, (), groups, footnotes,
                                                names[n + 1] if after > 0 else None, max(0, after), summaries)))
    return page, archives


def _latest(article_ids, sources) -> str | None:
    """The newest known publication date among these articles."""
    return max((sources[a].published for a in article_ids if sources[a].published), default=None)


def _groups(chosen: list[Passage], sources, rank_of, score_of, key_points):
    """Passages grouped by article (oldest article first, article order within), and the footnotes they need.

    Footnotes are listed in the order the page first cites them (key points, then passages), so their
    numbers rise as the reader goes down the page.
    """
    groups: dict[str, list[cx.PassageView]] = defaultdict(list)
    for p in sorted(chosen, key=lambda p: p.order):
        groups[p.article_id].append(cx.PassageView(p.text, tuple(sources[s] for s in p.sources), p.line,
                                                   score_of[p.key]))
    group_order = sorted(groups, key=lambda a: (sources[a].published or UNDATED, rank_of[a]))
    cited: dict[str, None] = {}
    for k in key_points:
        cited.update((s.id, None) for s in k.sources)
    for a in group_order:
        for view in groups[a]:
            cited.update((s.id, None) for s in view.sources)
    footnotes = tuple(sources[i] for i in cited if sources[i].status != REJECTED)
    return tuple(cx.ArticleGroup(sources[a], tuple(groups[a])) for a in group_order), footnotes


def _lead(importance: list[Passage], settings: Settings) -> list[Passage]:
    """The most important passages, taking at most `lead_per_article` from one article while others remain."""
    limit = min(settings.lead_points, max(1, math.ceil(settings.lead_share * len(importance))))
    picked: list[Passage] = []
    per_article: dict[str, int] = defaultdict(int)
    for p in importance:
        if len(picked) < limit and per_article[p.article_id] < settings.lead_per_article:
            picked.append(p)
            per_article[p.article_id] += 1
    for p in importance:
        if len(picked) >= limit:
            break
        if p not in picked:
            picked.append(p)
    position = {id(p): n for n, p in enumerate(importance)}
    return sorted(picked, key=lambda p: position[id(p)])


def _ledger(all_sources, passages, totals, story, unassigned_by_article, by_id, removed_only, settings) -> dict:
    """One entry per input file, machine-readable, in a stable order."""
    per_topic = dict.fromkeys((t.slug for t in story.topics), 0)
    for p in passages:
        for slug in p.topics:
            per_topic[slug] += 1
    slug_of = {t.title: t.slug for t in story.topics}
    entries = []
    for s in all_sources:
        ca = by_id.get(s.id) or removed_only.get(s.path)
        entries.append({
            "path": s.path, "id": s.id, "status": s.status, "duplicate_of": s.duplicate_of,
            "similarity": s.similarity, "via": s.via, "topics": [slug_of[t] for t in s.topics],
            "reason": s.reason, "title": s.title, "outlet": s.outlet,
            "published": s.published, "url": str(s.url) if s.url else None,
            "passages_kept": s.passages_kept, "passages_merged": s.passages_merged,
            "passages_unassigned": unassigned_by_article.get(s.id, 0),
            "lines_removed": [{"line": r.line, "reason": r.reason} for r in ca.removed] if ca else [],
            "notes": list(s.notes),
        })
    return {
        "version": LEDGER_VERSION,
        "story": story.title,
        "topics": [{"slug": t.slug, "title": t.title} for t in story.topics],
        "counts": {
            "files": totals.files, "used": totals.used, "duplicate": totals.duplicates,
            "rejected": totals.rejected, "passages_kept": totals.passages, "passages_merged": totals.merged,
            "passages_unassigned": totals.unassigned, "per_topic": per_topic,
        },
        "settings": {name: value for name, value, _ in settings.describe()},
        "files": entries,
    }


def _label(article_id: str) -> str:
    return re.sub(r"[^A-Za-z0-9_-]", "-", article_id)


def _labels(ids: list[str]) -> dict[str, str]:
    """Footnote labels from article ids, made unique where two ids would clash."""
    out, used = {}, set()
    for i in ids:
        label, n = _label(i), 1
        while label.lower() in used:
            n += 1
            label = f"{_label(i)}-{n}"
        used.add(label.lower())
        out[i] = label
    return out


def _part(page: str, number: int) -> str:
    """The name of part `number` (1, 2, ...) of a page split in parts: `page`, `page-2`, `page-3`, ..."""
    return page if number == 1 else f"{page}-{number}"


def _anchor(article_id: str) -> str:
    """The id Python-Markdown's toc gives a sources-page heading that is exactly the article id."""
    from markdown.extensions.toc import slugify
    return slugify(article_id, "-")
