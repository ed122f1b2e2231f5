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
    # articles carrying each sentence that more than one article has (any other is only its own article's)
    root_of = np.frombuffer(root, dtype=np.int64)
    is_shared = np.bincount(root_of, minlength=len(root_of))[root_of] > 1
    shared = np.flatnonzero(is_shared)
    para_start = np.frombuffer(sents.para_start, dtype=np.int64)
    running = np.r_[0, np.cumsum(is_shared)]
    has_shared = (running[para_start[1:]] > running[para_start[:-1]]).tolist()  # per paragraph
    paragraph = np.searchsorted(para_start, shared, side="right") - 1
    article = np.searchsorted(np.frombuffer(sents.article_para, dtype=np.int64), paragraph, side="right") - 1
    # per sentence shared by several articles: each article carrying it, with the characters of its longest
    # sentence of that root (a piece of a sentence, matched inside it, carries only its own characters)
    carriers: dict[int, dict[int, int]] = defaultdict(dict)
    skipped = _skipped(articles, sents, skip)
    for sid, g, ai in zip(shared.tolist(), paragraph.tolist(), article.tolist()):
        if g not in skipped:
            held = carriers[root[sid]]
            held[ai] = max(held.get(ai, 0), sents.chars[sid])
    owned: set[int] = set()
    passages: list[Passage] = []
    ids = [ca.article.id for ca in articles]
    kept = dict.fromkeys(ids, 0)
    merged = dict(kept)
    order = sorted(range(len(articles)), key=lambda i: fam.rank[i])
    position = {a: n for n, a in enumerate(order)}
    for ai in order:
        aid, first = ids[ai], sents.article_para[ai]
        for pi, p in enumerate(articles[ai].paragraphs):
            if first + pi in skipped:
                continue
            if has_shared[first + pi]:
                sids = sents.of_paragraph(ai, pi)
                roots = [root[s] for s in sids]
                covered = {s for s, r in zip(sids, roots) if r in owned}
                if sids and coverage(sids, covered, sents) >= settings.passage_covered:
                    merged[aid] += 1
                    continue
                owned.update(roots)
                sources = _sources(ai, sids, roots, carriers, sents, settings)
            else:  # no sentence of it is anywhere else: nothing to merge, and only its own article carries it
                sources = {ai}
            passages.append(Passage(
                key=f"{aid}:{p.line}", article_id=aid, line=p.line, text=p.text,
                sources=tuple(ids[a] for a in sorted(sources, key=position.__getitem__)), order=len(passages)))
            kept[aid] += 1
    return Passages(tuple(passages), merged, kept)


def _skipped(articles: Sequence[CleanArticle], sents: Sentences, skip: frozenset[tuple[str, int]]) -> set[int]:
    """The paragraphs named in `skip` (article id, line), as paragraph numbers counted over all articles."""
    lines: dict[str, set[int]] = defaultdict(set)
    for aid, line in skip:
        lines[aid].add(line)
    return {sents.article_para[ai] + pi for ai, ca in enumerate(articles) if ca.article.id in lines
            for pi, p in enumerate(ca.paragraphs) if p.line in lines[ca.article.id]}


def _sources(own: int, ids: Sequence[int], roots: list[int], carriers: dict[int, dict[int, int]],
             sents: Sentences, settings: Settings) -> set[int]:
    """Articles carrying at least `passage_cited` of a paragraph's text (always its own)."""
    chars = sents.chars
    total = sum(chars[s] for s in ids) or 1
    weight: dict[int, int] = defaultdict(int)
    for s, r in zip(ids, roots):
        for a, held in carriers.get(r, {}).items():
            weight[a] += min(chars[s], held)
    return {own} | {a for a, w in weight.items() if w / total >= settings.passage_cited}
