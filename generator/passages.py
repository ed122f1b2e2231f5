"""Passages: the paragraphs kept for the briefings, each citing every article that carries it.

Paragraphs are walked canonical articles first; one whose text is already `passage_covered` in a kept
passage is merged into it (counted, not shown again), and every kept passage cites each article that
carries `passage_cited` of it (all of it: a footnote vouches only for text its article holds), its
own first. Sentences are the same when deduplication aligned them
(generator/families.py), so this stage compares no text.
"""
from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from .families import Alignment, Families, Sentences, coverage
from .model import CleanArticle, Passage
from .settings import Settings


@dataclass(frozen=True)
class Passages:
    """The kept passages, and how many paragraphs of each article were kept or merged."""

    passages: tuple[Passage, ...]   # passage n has order n
    merged: dict[str, int]          # article id -> its paragraphs merged into a passage kept elsewhere
    kept: dict[str, int]            # article id -> its paragraphs kept as passages


def merge_passages(fam: Families, alignment: Alignment, settings: Settings,
                   skip: frozenset[tuple[str, int]] = frozenset()) -> Passages:
    """Walk paragraphs, canonical articles first; merge those already covered by a kept passage.

    `skip` names (article id, line) paragraphs removed after alignment (corpus boilerplate).
    """
    articles, sents, root = fam.articles, alignment.sentences, alignment.root
    root_of = np.frombuffer(root, dtype=np.int64)
    is_shared = np.bincount(root_of, minlength=len(root_of))[root_of] > 1  # more than one sentence has its root
    para_start = np.frombuffer(sents.para_start, dtype=np.int64)
    running = np.r_[0, np.cumsum(is_shared)]
    has_shared = (running[para_start[1:]] > running[para_start[:-1]]).tolist()  # per paragraph
    carriers = _carriers(articles, sents, root_of, is_shared, skip)
    owned: set[int] = set()
    passages: list[Passage] = []
    kept = dict.fromkeys((ca.id for ca in articles), 0)
    merged = dict(kept)
    order = sorted(range(len(articles)), key=lambda i: fam.rank[i])
    position = {a: n for n, a in enumerate(order)}
    for ai in order:
        ca = articles[ai]
        for pi, p in enumerate(ca.paragraphs):
            if (ca.id, p.line) in skip:
                continue
            if has_shared[sents.article_para[ai] + pi]:
                ids = sents.of_paragraph(ai, pi)
                roots = [root[s] for s in ids]
                covered = {s for s, r in zip(ids, roots) if r in owned}
                if ids and coverage(ids, covered, sents) >= settings.passage_covered:
                    merged[ca.id] += 1
                    continue
                owned.update(roots)
                sources = _sources(ai, ids, roots, carriers, sents, settings)
            else:  # no sentence of it is anywhere else: nothing to merge, and only its own article carries it
                sources = {ai}
            passages.append(Passage(
                key=f"{ca.id}:{p.line}", article_id=ca.id, line=p.line, text=p.text,
                sources=tuple(articles[a].id for a in sorted(sources, key=position.__getitem__)),
                order=len(passages)))
            kept[ca.id] += 1
    return Passages(tuple(passages), merged, kept)


def _carriers(articles: Sequence[CleanArticle], sents: Sentences, root: np.ndarray, is_shared: np.ndarray,
              skip: frozenset[tuple[str, int]]) -> tuple[memoryview, memoryview, memoryview]:
    """Each article carrying a sentence that several sentences share, with the characters of its longest
    sentence of that root (a piece of a sentence, matched inside it, carries only its own characters):
    for root r, article[k] holds held[k] characters, for k in start[r]:start[r + 1] (articles ascending).

    In three columns (a million articles share tens of millions of sentences; a dict each cost gigabytes),
    as memoryviews, whose items are plain ints.
    """
    shared = np.flatnonzero(is_shared)
    article_para = np.frombuffer(sents.article_para, dtype=np.int64)
    paragraph = np.searchsorted(np.frombuffer(sents.para_start, dtype=np.int64), shared, side="right") - 1
    if skip:
        keep = ~np.isin(paragraph, _paragraphs(articles, article_para, skip))
        shared, paragraph = shared[keep], paragraph[keep]
    article = np.searchsorted(article_para, paragraph, side="right") - 1
    roots, chars = root[shared], np.frombuffer(sents.chars, dtype=np.int32)[shared]
    order = np.lexsort((article, roots))
    roots, article, chars = roots[order], article[order], chars[order]
    first = np.flatnonzero(np.r_[len(roots) > 0, (roots[1:] != roots[:-1]) | (article[1:] != article[:-1])])
    held = np.maximum.reduceat(chars, first) if len(first) else chars
    start = np.r_[0, np.cumsum(np.bincount(roots[first], minlength=len(root)))]
    return memoryview(start), memoryview(article[first]), memoryview(held.astype(np.int64))


def _paragraphs(articles: Sequence[CleanArticle], article_para: np.ndarray,
                skip: frozenset[tuple[str, int]]) -> np.ndarray:
    """The paragraphs (numbered over all articles) that `skip` names by (article id, line)."""
    named = {aid for aid, _ in skip}
    return np.array([article_para[i] + pi for i, ca in enumerate(articles) if ca.id in named
                     for pi, p in enumerate(ca.paragraphs) if (ca.id, p.line) in skip], dtype=np.int64)


def _sources(own: int, ids: Sequence[int], roots: list[int], carriers: tuple[memoryview, memoryview, memoryview],
             sents: Sentences, settings: Settings) -> set[int]:
    """Articles carrying at least `passage_cited` of a paragraph's text (always its own)."""
    chars = sents.chars
    start, article, held = carriers
    total = sum(chars[s] for s in ids) or 1
    weight: dict[int, int] = defaultdict(int)
    for s, r in zip(ids, roots):
        for k in range(start[r], start[r + 1]):
            weight[article[k]] += min(chars[s], held[k])
    return {own} | {a for a, w in weight.items() if w / total >= settings.passage_cited}
